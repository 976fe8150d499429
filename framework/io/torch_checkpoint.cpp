#include "framework/io/torch_checkpoint.h"

#include <cstring>
#include <map>
#include <set>

#include "framework/io/error.h"
#include "framework/io/mapped_file.h"
#include "framework/io/numpy_array.h"
#include "framework/io/pickle.h"
#include "framework/io/zip.h"

namespace kasf::io {
namespace {

const char* const kRebuildTensor = "torch._utils._rebuild_tensor_v2";
const char* const kRebuildParameter = "torch._utils._rebuild_parameter";

struct StorageType {
  const char* name;
  ElementType type;
  size_t item_size;
};

// The storage classes torch.save names in a tensor's persistent id.
const StorageType kStorageTypes[] = {
    {"torch.FloatStorage", ElementType::Float32, 4}, {"torch.DoubleStorage", ElementType::Float64, 8},
    {"torch.HalfStorage", ElementType::Float16, 2},  {"torch.LongStorage", ElementType::Int64, 8},
    {"torch.IntStorage", ElementType::Int32, 4},     {"torch.ShortStorage", ElementType::Int16, 2},
    {"torch.CharStorage", ElementType::Int8, 1},     {"torch.ByteStorage", ElementType::UInt8, 1},
    {"torch.BoolStorage", ElementType::Bool, 1},
};

PickleOptions checkpoint_pickle_options() {
  PickleOptions options;
  options.opaque_calls = {kRebuildTensor, kRebuildParameter};
  for (const auto& s : kStorageTypes) options.classes.insert(s.name);
  options.allow_persistent_ids = true;
  return options;
}

// The file's bytes, unless it is a torch.save file of PyTorch before 1.6 (a sequence of pickles that
// starts with torch's magic number), which gets a message saying how to re-save it.
std::string_view zip_checkpoint_bytes(const MappedFile& file) {
  static constexpr std::string_view kLegacyMagic("\x8a\x0a\x6c\xfc\x9c\x46\xf9\x20\x6a\xa8\x50\x19", 12);
  const std::string_view bytes = file.bytes();
  if (bytes.size() >= 14 && bytes[0] == '\x80' && bytes.substr(2, 12) == kLegacyMagic)
    throw FormatError("checkpoint '" + file.path() +
                      "' is in the legacy torch.save format of PyTorch before 1.6, which kasf does not read; "
                      "re-save it with a newer PyTorch: torch.save(torch.load(path), new_path, "
                      "_use_new_zipfile_serialization=True)");
  return bytes;
}

class Checkpoint {
 public:
  explicit Checkpoint(const std::string& path)
      : path_(path), file_(path), zip_(zip_checkpoint_bytes(file_), path) {
    for (const auto& e : zip_.entries()) {
      size_t slash = e.name.find('/');
      if (slash != std::string::npos && e.name.substr(slash) == "/data.pkl") prefix_ = e.name.substr(0, slash + 1);
    }
    if (prefix_.empty()) fail("no <archive>/data.pkl entry: not a torch.save zip checkpoint");
    if (const auto* order = zip_.find(prefix_ + "byteorder")) {
      std::string buffer;
      if (zip_.read(*order, buffer) != "little") fail("tensors are stored big-endian");
    }
    std::string_view pickle = zip_.read(*zip_.find(prefix_ + "data.pkl"), pickle_buffer_);
    doc_ = parse_pickle(pickle, path + ":" + prefix_ + "data.pkl", checkpoint_pickle_options());
  }

  const PyValue& root() const { return doc_.root(); }

  [[noreturn]] void fail(const std::string& what) const {
    throw FormatError("checkpoint '" + path_ + "': " + what);
  }

  bool is_tensor(const PyValue& v) const {
    return v.kind == PyKind::Object && (v.text == kRebuildTensor || v.text == kRebuildParameter);
  }

  bool is_state_dict(const PyValue& v) const {
    if (v.kind != PyKind::Dict || v.entries.empty()) return false;
    for (const auto& e : v.entries)
      if (!is_tensor(*e.value)) return false;
    return true;
  }

  HostArray tensor(const std::string& key, const PyValue& v) {
    if (v.text == kRebuildParameter) {  // (data, requires_grad, backward_hooks)
      if (v.items.empty() || !is_tensor(*v.items[0])) fail("parameter '" + key + "' does not wrap a tensor");
      return tensor(key, *v.items[0]);
    }
    // _rebuild_tensor_v2(storage, storage_offset, size, stride, requires_grad, backward_hooks[, metadata])
    if (v.items.size() < 4) fail("tensor '" + key + "' has " + std::to_string(v.items.size()) + " rebuild arguments");
    const PyValue& storage_id = *v.items[0];
    if (storage_id.kind != PyKind::PersistentId) fail("tensor '" + key + "' has no storage reference");
    // ('storage', storage type, key, location, numel)
    const auto& id = storage_id.items[0]->as_sequence();
    if (id.size() < 5 || id[0]->as_str() != "storage" || id[1]->kind != PyKind::Global)
      fail("tensor '" + key + "' has an unrecognised storage reference (" + storage_id.describe() + ")");
    const StorageType* type = nullptr;
    for (const auto& s : kStorageTypes)
      if (id[1]->text == s.name) type = &s;
    if (!type) fail("tensor '" + key + "' uses unsupported storage " + std::string(id[1]->text));
    const int64_t storage_numel = id[4]->as_int();
    if (storage_numel < 0 || static_cast<uint64_t>(storage_numel) > UINT64_MAX / type->item_size)
      fail("tensor '" + key + "' has a storage of " + std::to_string(storage_numel) + " elements");
    std::string_view storage =
        storage_bytes(std::string(id[2]->as_str()), static_cast<uint64_t>(storage_numel) * type->item_size);
    int64_t offset = v.items[1]->as_int();
    Shape shape, stride;
    for (const PyValue* d : v.items[2]->as_sequence()) shape.push_back(d->as_int());
    for (const PyValue* d : v.items[3]->as_sequence()) stride.push_back(d->as_int());
    return gather(key, storage, *type, offset, shape, stride);
  }

 private:
  // The storage's bytes; its entry must hold the `expected` bytes the pickle declares, which is
  // checked before anything is inflated.
  std::string_view storage_bytes(const std::string& storage_key, uint64_t expected) {
    auto cached = storages_.find(storage_key);
    if (cached != storages_.end()) return cached->second.second;
    const ZipArchive::Entry* entry = zip_.find(prefix_ + "data/" + storage_key);
    if (!entry) fail("storage '" + storage_key + "' is missing from the archive");
    if (entry->size != expected)
      fail("storage '" + storage_key + "' holds " + std::to_string(entry->size) + " bytes, but the pickle declares " +
           std::to_string(expected));
    auto& [buffer, view] = storages_[storage_key];
    view = zip_.read(*entry, buffer);
    return view;
  }

  // Copies the strided view (offset, shape, stride) of a storage into a C-order float32 array.
  HostArray gather(const std::string& key, std::string_view storage, const StorageType& type, int64_t offset,
                   const Shape& shape, const Shape& stride) {
    if (shape.size() != stride.size()) fail("tensor '" + key + "' has " + std::to_string(shape.size()) + " sizes but " + std::to_string(stride.size()) + " strides");
    auto storage_numel = static_cast<int64_t>(storage.size() / type.item_size);
    int64_t count = 1, last = offset;
    for (size_t d = 0; d < shape.size(); ++d) {
      if (shape[d] < 0 || stride[d] < 0) fail("tensor '" + key + "' has a negative size or stride");
      if (shape[d] > 0 && count > INT64_MAX / shape[d]) fail("tensor '" + key + "' is too large");
      count *= shape[d];
      if (shape[d] > 0 && stride[d] > (INT64_MAX - last) / shape[d]) fail("tensor '" + key + "' has overflowing strides");
      last += (shape[d] - 1) * stride[d];
    }
    if (count > 0 && (offset < 0 || last >= storage_numel))
      fail("tensor '" + key + "' of shape " + to_string(shape) + " reaches element " + std::to_string(last) +
           " of a storage with " + std::to_string(storage_numel));
    // Gather the elements into a contiguous little-endian buffer, then convert with numpy's rules.
    std::string contiguous(static_cast<size_t>(count) * type.item_size, '\0');
    std::vector<int64_t> index(shape.size(), 0);
    for (int64_t i = 0; i < count; ++i) {
      int64_t source = offset;
      for (size_t d = 0; d < shape.size(); ++d) source += index[d] * stride[d];
      std::memcpy(contiguous.data() + i * type.item_size, storage.data() + source * type.item_size, type.item_size);
      for (size_t d = shape.size(); d-- > 0;) {
        if (++index[d] < shape[d]) break;
        index[d] = 0;
      }
    }
    NdArray array;
    array.dtype = {type.type, type.item_size, false};
    array.shape = shape;
    array.data = contiguous;
    array.initialized = true;
    return {shape, to_float32(array)};
  }

  std::string path_;
  MappedFile file_;
  ZipArchive zip_;
  std::string prefix_;
  std::string pickle_buffer_;
  PickleDocument doc_;
  std::map<std::string, std::pair<std::string, std::string_view>> storages_;
};

const PyValue& find_state_dict(const Checkpoint& ckpt, const std::string& key) {
  const PyValue& root = ckpt.root();
  if (!key.empty()) {
    if (root.kind != PyKind::Dict) ckpt.fail("the root is a " + std::string(kind_name(root.kind)) + ", not a dict");
    const PyValue* chosen = root.find(key);
    if (!chosen) ckpt.fail("no top-level entry '" + key + "'");
    if (!ckpt.is_state_dict(*chosen)) ckpt.fail("entry '" + key + "' is not a dict of tensors");
    return *chosen;
  }
  if (ckpt.is_state_dict(root)) return root;
  if (root.kind != PyKind::Dict) ckpt.fail("the root is a " + std::string(kind_name(root.kind)) + ", not a dict");
  std::vector<const PyDictEntry*> candidates;
  for (const auto& e : root.entries)
    if (e.key->kind == PyKind::Str && ckpt.is_state_dict(*e.value)) candidates.push_back(&e);
  if (candidates.size() > 1)
    for (const char* preferred : {"model", "state_dict"})
      for (const auto* c : candidates)
        if (c->key->text == preferred) return *c->value;
  if (candidates.size() != 1) {
    std::string names;
    for (const auto* c : candidates) names += (names.empty() ? "'" : ", '") + std::string(c->key->text) + "'";
    ckpt.fail(candidates.empty() ? "no dict of tensors at the top level"
                                 : "several dicts of tensors (" + names + "); choose one by key");
  }
  return *candidates[0]->value;
}

}  // namespace

std::vector<std::pair<std::string, HostArray>> read_torch_state_dict(const std::string& path,
                                                                     const std::string& state_dict_key) {
  Checkpoint ckpt(path);
  const PyValue& state = find_state_dict(ckpt, state_dict_key);
  std::vector<std::pair<std::string, HostArray>> out;
  std::set<std::string> seen;
  for (const auto& e : state.entries) {
    std::string key(e.key->as_str());
    if (key.rfind("module.", 0) == 0) key.erase(0, 7);
    if (!seen.insert(key).second) ckpt.fail("key '" + key + "' appears twice once 'module.' is removed");
    out.emplace_back(key, ckpt.tensor(key, *e.value));
  }
  return out;
}

}  // namespace kasf::io

#include "framework/io/pickle_builder.h"

#include <algorithm>
#include <cmath>
#include <cstring>

#include "framework/io/error.h"

namespace kasf::io {
namespace {

// Containers up to this size are searched linearly, which keeps small dicts (one per frame in
// some data sets) free of a hash table.
constexpr size_t kLinearLimit = 16;
constexpr int kMaxKeyDepth = 64;

void append_key(std::string& out, const PyValue& v, int depth) {
  if (depth > kMaxKeyDepth) throw FormatError("dict or set key nested too deeply (" + v.describe() + ")");
  switch (v.kind) {
    case PyKind::None: out += 'N'; return;
    case PyKind::Bool:
    case PyKind::Int: out += 'I' + std::to_string(v.integer) + ';'; return;
    case PyKind::Float:
      // Integral floats equal the int of the same value.
      if (std::isfinite(v.real) && v.real == std::trunc(v.real) && std::abs(v.real) < 9.2e18) {
        out += 'I' + std::to_string(static_cast<int64_t>(v.real)) + ';';
      } else {
        uint64_t bits;
        std::memcpy(&bits, &v.real, 8);
        out += 'F' + std::to_string(bits) + ';';
      }
      return;
    case PyKind::BigInt:
    case PyKind::Str:
    case PyKind::Bytes:
    case PyKind::Global:
      out += v.kind == PyKind::BigInt ? 'L' : v.kind == PyKind::Str ? 'S' : v.kind == PyKind::Bytes ? 'B' : 'G';
      out += std::to_string(v.text.size()) + ':';
      out += v.text;
      return;
    case PyKind::Tuple:
      out += '(';
      for (const PyValue* item : v.items) append_key(out, *item, depth + 1);
      out += ')';
      return;
    default: throw FormatError(std::string("unhashable ") + v.describe() + " used as a dict key or set item");
  }
}

bool is_numeric_key(PyKind k) { return k == PyKind::Bool || k == PyKind::Int || k == PyKind::Float; }

// Equality of two keys without building their hash strings in the common cases.
bool keys_equal(const PyValue& a, const PyValue& b, const std::string& b_hash) {
  if ((a.kind == PyKind::Str || a.kind == PyKind::Bytes) || (b.kind == PyKind::Str || b.kind == PyKind::Bytes))
    return a.kind == b.kind && a.text == b.text;
  if (is_numeric_key(a.kind) && is_numeric_key(b.kind)) {
    if (a.kind != PyKind::Float && b.kind != PyKind::Float) return a.integer == b.integer;
    return a.as_number() == b.as_number() && hash_key(a) == b_hash;
  }
  return hash_key(a) == b_hash;
}

}  // namespace

std::string hash_key(const PyValue& key) {
  std::string out;
  append_key(out, key, 0);
  return out;
}

const PyValue& PickleBuilder::key_at(const PyValue& container, size_t i) const {
  return container.kind == PyKind::Dict ? *container.entries[i].key : *container.items[i];
}

long PickleBuilder::find_key(const PyValue& container, const PyValue& key, const std::string& hash) {
  size_t size = container.kind == PyKind::Dict ? container.entries.size() : container.items.size();
  auto indexed = index_.find(&container);
  if (indexed == index_.end() && size <= kLinearLimit) {
    for (size_t i = 0; i < size; ++i)
      if (keys_equal(key_at(container, i), key, hash)) return static_cast<long>(i);
    return -1;
  }
  if (indexed == index_.end()) {
    indexed = index_.emplace(&container, std::unordered_map<std::string, size_t>()).first;
    for (size_t i = 0; i < size; ++i) indexed->second.emplace(hash_key(key_at(container, i)), i);
  }
  auto hit = indexed->second.find(hash);
  if (hit != indexed->second.end()) return static_cast<long>(hit->second);
  indexed->second.emplace(hash, size);  // the caller appends the key at position `size`
  return -1;
}

void PickleBuilder::set_item(PyValue& dict, const PyValue* key, const PyValue* value) {
  long i = find_key(dict, *key, hash_key(*key));
  if (i >= 0)
    dict.entries[static_cast<size_t>(i)].value = value;
  else
    dict.entries.push_back({key, value});
}

void PickleBuilder::add_to_set(PyValue& set, const PyValue* item) {
  if (find_key(set, *item, hash_key(*item)) < 0) set.items.push_back(item);
}

}  // namespace kasf::io

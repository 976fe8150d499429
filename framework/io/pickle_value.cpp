#include "framework/io/pickle_value.h"

#include "framework/io/error.h"
#include "framework/io/excerpt.h"
#include "framework/io/mapped_file.h"

namespace kasf::io {
namespace {

[[noreturn]] void wrong_kind(const PyValue& value, const char* expected) {
  throw FormatError(std::string("expected ") + expected + ", found " + value.describe());
}

}  // namespace

const char* kind_name(PyKind kind) {
  switch (kind) {
    case PyKind::None: return "None";
    case PyKind::Bool: return "bool";
    case PyKind::Int: return "int";
    case PyKind::BigInt: return "int (beyond 64 bits)";
    case PyKind::Float: return "float";
    case PyKind::Str: return "str";
    case PyKind::Bytes: return "bytes";
    case PyKind::List: return "list";
    case PyKind::Tuple: return "tuple";
    case PyKind::Dict: return "dict";
    case PyKind::Set: return "set";
    case PyKind::Array: return "numpy array";
    case PyKind::DType: return "numpy dtype";
    case PyKind::Global: return "global";
    case PyKind::Object: return "object";
    case PyKind::PersistentId: return "persistent id";
  }
  return "?";
}

std::string PyValue::describe() const {
  std::string name = kind_name(kind);
  if (kind == PyKind::Global || kind == PyKind::Object) name += " " + excerpt(text);
  return name + " at byte " + std::to_string(offset);
}

int64_t PyValue::as_int() const {
  if (kind != PyKind::Int && kind != PyKind::Bool) wrong_kind(*this, "int");
  return integer;
}

double PyValue::as_number() const {
  if (kind == PyKind::Float) return real;
  if (kind != PyKind::Int && kind != PyKind::Bool) wrong_kind(*this, "number");
  return static_cast<double>(integer);
}

std::string_view PyValue::as_str() const {
  if (kind != PyKind::Str) wrong_kind(*this, "str");
  return text;
}

const NdArray& PyValue::as_array() const {
  if (kind != PyKind::Array) wrong_kind(*this, "numpy array");
  return *array;
}

const std::vector<const PyValue*>& PyValue::as_sequence() const {
  if (kind != PyKind::List && kind != PyKind::Tuple) wrong_kind(*this, "list or tuple");
  return items;
}

const std::vector<PyDictEntry>& PyValue::as_dict() const {
  if (kind != PyKind::Dict) wrong_kind(*this, "dict");
  return entries;
}

const PyValue* PyValue::find(std::string_view key) const {
  for (const auto& entry : as_dict())
    if (entry.key->kind == PyKind::Str && entry.key->text == key) return entry.value;
  return nullptr;
}

PickleDocument::PickleDocument() = default;
PickleDocument::~PickleDocument() = default;
PickleDocument::PickleDocument(PickleDocument&&) noexcept = default;
PickleDocument& PickleDocument::operator=(PickleDocument&&) noexcept = default;

PyValue* PickleDocument::make(PyKind kind, uint64_t offset) {
  PyValue& v = values_.emplace_back();
  v.kind = kind;
  v.offset = offset;
  return &v;
}

NdArray* PickleDocument::make_array() { return &arrays_.emplace_back(); }

DTypeInfo* PickleDocument::make_dtype(const DTypeInfo& info) { return &dtypes_.emplace_back(info); }

std::string_view PickleDocument::keep(std::string bytes) { return buffers_.emplace_back(std::move(bytes)); }

void PickleDocument::release(std::string_view bytes) const {
  if (input_) input_->release(bytes);
}

void PickleDocument::keep_input(std::unique_ptr<MappedFile> input) { input_ = std::move(input); }

}  // namespace kasf::io

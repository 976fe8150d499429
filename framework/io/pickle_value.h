// The value tree a pickle decodes to. Every node is owned by its PickleDocument; text and byte
// payloads are views into the document's input or into buffers the document owns.
#pragma once
#include <cstdint>
#include <deque>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "framework/shape.h"

namespace kasf::io {

class MappedFile;

enum class PyKind {
  None, Bool, Int, BigInt, Float, Str, Bytes,  // scalars
  List, Tuple, Dict, Set,                      // containers (Set also holds frozensets)
  Array,                                       // numpy ndarray or numpy scalar (rank 0)
  DType,                                       // numpy dtype
  Global,                                      // an allow-listed class or function, by name
  Object,                                      // an allow-listed call kept unevaluated: name + args
  PersistentId,                                // a persistent reference (torch storages): items[0]
};
const char* kind_name(PyKind kind);

enum class ElementType {
  Bool, Int8, Int16, Int32, Int64, UInt8, UInt16, UInt32, UInt64, Float16, Float32, Float64,
  Unicode,  // numpy 'U': UTF-32 code units in the file, decoded to UTF-8 strings
  Bytes,    // numpy 'S'
  Object,   // numpy 'O': Python objects (str in the files kasf reads)
};

struct DTypeInfo {
  ElementType type = ElementType::Float64;
  size_t item_size = 8;  // bytes per element in the pickled data
  bool big_endian = false;
};

struct PyValue;

// A numpy array in C order. Numeric data is little-endian (byte-swapped on reading when needed)
// and may be unaligned: read elements with memcpy or the to_* conversions.
struct NdArray {
  DTypeInfo dtype;
  Shape shape;
  std::string_view data;                // numeric types: numel * item_size bytes
  std::vector<std::string> strings;     // Unicode and Bytes types: one per element
  std::vector<const PyValue*> objects;  // Object type: one per element
  bool initialized = false;             // false between numpy's _reconstruct and __setstate__
};

struct PyDictEntry {
  const PyValue* key;
  const PyValue* value;
};

struct PyValue {
  PyKind kind = PyKind::None;
  uint64_t offset = 0;  // byte offset in the pickle of the opcode that made it (for messages)
  int64_t integer = 0;  // Bool, Int
  double real = 0;      // Float
  // Str (UTF-8), Bytes, BigInt (little-endian two's complement), Global and Object ("module.name").
  std::string_view text;
  std::vector<const PyValue*> items;  // List, Tuple, Set, Object (the call's arguments), PersistentId
  std::vector<PyDictEntry> entries;   // Dict, in insertion order
  NdArray* array = nullptr;           // Array
  DTypeInfo* dtype = nullptr;         // DType

  // Typed access; each throws FormatError naming the expected and actual kind and the offset.
  bool is(PyKind k) const { return kind == k; }
  int64_t as_int() const;  // Int or Bool
  double as_number() const;  // Int, Bool or Float
  std::string_view as_str() const;
  const NdArray& as_array() const;
  const std::vector<const PyValue*>& as_sequence() const;  // List or Tuple
  const std::vector<PyDictEntry>& as_dict() const;
  // The value under a str key of a Dict, or nullptr.
  const PyValue* find(std::string_view key) const;
  std::string describe() const;  // "dict at byte 123"
};

// Owns a decoded pickle: its nodes, the buffers they view and (if any) the mapped input file.
class PickleDocument {
 public:
  PickleDocument();
  ~PickleDocument();
  PickleDocument(PickleDocument&&) noexcept;
  PickleDocument& operator=(PickleDocument&&) noexcept;

  const PyValue& root() const { return *root_; }
  const std::string& source() const { return source_; }  // file name used in messages
  // Done with these bytes of the input (an array's data): free their memory if the input is a
  // mapped file. Views of them stay valid (they are re-read on access).
  void release(std::string_view bytes) const;

  // Used while decoding.
  PyValue* make(PyKind kind, uint64_t offset);
  NdArray* make_array();
  DTypeInfo* make_dtype(const DTypeInfo& info);
  std::string_view keep(std::string bytes);  // stores a buffer for the document's lifetime
  void set_root(const PyValue* root) { root_ = root; }
  void set_source(std::string source) { source_ = std::move(source); }
  void keep_input(std::unique_ptr<MappedFile> input);

 private:
  std::deque<PyValue> values_;
  std::deque<NdArray> arrays_;
  std::deque<DTypeInfo> dtypes_;
  std::deque<std::string> buffers_;
  std::unique_ptr<MappedFile> input_;
  const PyValue* root_ = nullptr;
  std::string source_;
};

}  // namespace kasf::io

#include "framework/io/pickle_globals.h"

#include <array>

#include "framework/io/error.h"
#include "framework/io/numpy_array.h"

namespace kasf::io {
namespace {

const std::vector<const PyValue*>& arguments(const PyValue& args, size_t min, size_t max, const char* function) {
  const auto& items = args.as_sequence();
  if (items.size() < min || items.size() > max)
    throw FormatError(std::string(function) + " called with " + std::to_string(items.size()) + " arguments (" +
                      args.describe() + ")");
  return items;
}

PyValue* ordered_dict(PickleBuilder& b, const PyValue& args, uint64_t offset) {
  arguments(args, 0, 0, "collections.OrderedDict");  // items follow as SETITEMS
  return b.make(PyKind::Dict, offset);
}

PyValue* make_set(PickleBuilder& b, const PyValue& args, uint64_t offset) {
  PyValue* set = b.make(PyKind::Set, offset);
  const auto& items = arguments(args, 0, 1, "set");
  if (!items.empty())
    for (const PyValue* item : items[0]->as_sequence()) b.add_to_set(*set, item);
  return set;
}

// bytes() and bytearray(bytes): protocol 2 spells empty bytes and every bytearray this way.
PyValue* make_bytes(PickleBuilder& b, const PyValue& args, uint64_t offset) {
  const auto& items = arguments(args, 0, 1, "bytes");
  PyValue* out = b.make(PyKind::Bytes, offset);
  if (!items.empty()) {
    if (items[0]->kind != PyKind::Bytes) throw FormatError("bytes() of " + items[0]->describe());
    out->text = items[0]->text;
  }
  return out;
}

// _codecs.encode(str, 'latin1'): how protocol 2 stores bytes. Each code point becomes one byte.
PyValue* codecs_encode(PickleBuilder& b, const PyValue& args, uint64_t offset) {
  const auto& items = arguments(args, 2, 2, "_codecs.encode");
  std::string_view encoding = items[1]->as_str();
  if (encoding != "latin1" && encoding != "latin-1")
    throw FormatError("_codecs.encode with encoding '" + std::string(encoding) + "'");
  std::string_view text = items[0]->as_str();
  std::string bytes;
  bytes.reserve(text.size());
  for (size_t i = 0; i < text.size(); ++i) {
    auto c = static_cast<unsigned char>(text[i]);
    if (c < 0x80) {
      bytes += static_cast<char>(c);
    } else if ((c == 0xC2 || c == 0xC3) && i + 1 < text.size()) {
      bytes += static_cast<char>(((c & 0x03) << 6) | (static_cast<unsigned char>(text[++i]) & 0x3F));
    } else {
      throw FormatError("_codecs.encode: text is not latin-1 (" + items[0]->describe() + ")");
    }
  }
  PyValue* out = b.make(PyKind::Bytes, offset);
  out->text = b.doc().keep(std::move(bytes));
  return out;
}

PyValue* numpy_dtype(PickleBuilder& b, const PyValue& args, uint64_t offset) {
  const auto& items = arguments(args, 1, 3, "numpy.dtype");
  PyValue* out = b.make(PyKind::DType, offset);
  out->dtype = b.doc().make_dtype(parse_dtype_descr(items[0]->as_str()));
  return out;
}

const DTypeInfo& dtype_of(const PyValue& value) {
  if (value.kind != PyKind::DType) throw FormatError("expected a numpy dtype, found " + value.describe());
  return *value.dtype;
}

Shape shape_of(const PyValue& value) {
  Shape shape;
  for (const PyValue* d : value.as_sequence()) shape.push_back(d->as_int());
  return shape;
}

// numpy.core.multiarray._reconstruct(ndarray, (0,), b'b'): an empty array that BUILD fills.
PyValue* numpy_reconstruct(PickleBuilder& b, const PyValue& args, uint64_t offset) {
  const auto& items = arguments(args, 3, 3, "numpy _reconstruct");
  if (items[0]->kind != PyKind::Global || items[0]->text != "numpy.ndarray")
    throw FormatError("numpy _reconstruct of " + items[0]->describe() + " (only numpy.ndarray)");
  PyValue* out = b.make(PyKind::Array, offset);
  out->array = b.doc().make_array();
  return out;
}

// numpy.core.numeric._frombuffer(buffer, dtype, shape, order): protocol 5's in-band arrays.
PyValue* numpy_frombuffer(PickleBuilder& b, const PyValue& args, uint64_t offset) {
  const auto& items = arguments(args, 4, 4, "numpy _frombuffer");
  std::string_view order = items[3]->as_str();
  if (order != "C" && order != "F") throw FormatError("numpy _frombuffer order '" + std::string(order) + "'");
  PyValue* out = b.make(PyKind::Array, offset);
  out->array = b.doc().make_array();
  fill_array(b.doc(), *out->array, shape_of(*items[2]), dtype_of(*items[1]), order == "F", *items[0]);
  return out;
}

// numpy.core.multiarray.scalar(dtype, bytes): a numpy scalar, kept as a rank-0 array.
PyValue* numpy_scalar(PickleBuilder& b, const PyValue& args, uint64_t offset) {
  const auto& items = arguments(args, 2, 2, "numpy scalar");
  const DTypeInfo& dtype = dtype_of(*items[0]);
  if (dtype.type == ElementType::Object) throw FormatError("numpy object scalar at byte " + std::to_string(offset));
  PyValue* out = b.make(PyKind::Array, offset);
  out->array = b.doc().make_array();
  fill_array(b.doc(), *out->array, Shape{}, dtype, false, *items[1]);
  return out;
}

// Python 3 names and the Python 2 names that protocol 2 writes for compatibility; numpy < 2 and
// numpy >= 2 module paths.
const std::array kGlobals = {
    BuiltinGlobal{"collections.OrderedDict", ordered_dict},
    BuiltinGlobal{"builtins.set", make_set},
    BuiltinGlobal{"__builtin__.set", make_set},
    BuiltinGlobal{"builtins.frozenset", make_set},
    BuiltinGlobal{"__builtin__.frozenset", make_set},
    BuiltinGlobal{"builtins.bytes", make_bytes},
    BuiltinGlobal{"__builtin__.bytes", make_bytes},
    BuiltinGlobal{"builtins.bytearray", make_bytes},
    BuiltinGlobal{"__builtin__.bytearray", make_bytes},
    BuiltinGlobal{"_codecs.encode", codecs_encode},
    BuiltinGlobal{"numpy.dtype", numpy_dtype},
    BuiltinGlobal{"numpy.ndarray", nullptr},
    BuiltinGlobal{"numpy.core.multiarray._reconstruct", numpy_reconstruct},
    BuiltinGlobal{"numpy._core.multiarray._reconstruct", numpy_reconstruct},
    BuiltinGlobal{"numpy.core.multiarray.scalar", numpy_scalar},
    BuiltinGlobal{"numpy._core.multiarray.scalar", numpy_scalar},
    BuiltinGlobal{"numpy.core.numeric._frombuffer", numpy_frombuffer},
    BuiltinGlobal{"numpy._core.numeric._frombuffer", numpy_frombuffer},
};

}  // namespace

const BuiltinGlobal* find_builtin_global(std::string_view name) {
  for (const auto& g : kGlobals)
    if (g.name == name) return &g;
  return nullptr;
}

}  // namespace kasf::io

#include "framework/io/numpy_array.h"

#include <algorithm>
#include <cmath>
#include <cstring>

#include "framework/io/error.h"

namespace kasf::io {
namespace {

[[noreturn]] void bad(const std::string& what) { throw FormatError("numpy array: " + what); }

// Product of dims, rejecting negative dims and overflow.
size_t checked_numel(const Shape& shape) {
  size_t n = 1;
  for (int64_t d : shape) {
    if (d < 0) bad("negative dimension in shape " + to_string(shape));
    if (d != 0 && n > SIZE_MAX / static_cast<size_t>(d)) bad("shape " + to_string(shape) + " overflows");
    n *= static_cast<size_t>(d);
  }
  return n;
}

// Moves the elements of Fortran-order (column-major) data into C order.
std::string fortran_to_c_order(std::string_view data, const Shape& shape, size_t item_size) {
  std::string out(data.size(), '\0');
  size_t count = data.size() / std::max<size_t>(item_size, 1);
  std::vector<int64_t> index(shape.size(), 0);  // C-order multi-index of element i
  Shape fortran_strides(shape.size());
  int64_t stride = 1;
  for (size_t d = 0; d < shape.size(); ++d) {
    fortran_strides[d] = stride;
    stride *= shape[d];
  }
  for (size_t i = 0; i < count; ++i) {
    size_t source = 0;
    for (size_t d = 0; d < shape.size(); ++d) source += static_cast<size_t>(index[d] * fortran_strides[d]);
    std::memcpy(out.data() + i * item_size, data.data() + source * item_size, item_size);
    for (size_t d = shape.size(); d-- > 0;) {
      if (++index[d] < shape[d]) break;
      index[d] = 0;
    }
  }
  return out;
}

void append_utf8(std::string& out, uint32_t cp) {
  if (cp < 0x80) {
    out += static_cast<char>(cp);
  } else if (cp < 0x800) {
    out += static_cast<char>(0xC0 | (cp >> 6));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else if (cp < 0x10000) {
    out += static_cast<char>(0xE0 | (cp >> 12));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (cp >> 18));
    out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  }
}

// numpy 'U' elements: fixed-width UTF-32 padded with NULs.
std::string decode_utf32(std::string_view item, bool big_endian) {
  std::string out;
  for (size_t i = 0; i + 4 <= item.size(); i += 4) {
    auto b = reinterpret_cast<const unsigned char*>(item.data() + i);
    uint32_t cp = big_endian ? (uint32_t(b[0]) << 24 | uint32_t(b[1]) << 16 | uint32_t(b[2]) << 8 | b[3])
                             : (uint32_t(b[3]) << 24 | uint32_t(b[2]) << 16 | uint32_t(b[1]) << 8 | b[0]);
    if (cp == 0) break;
    if (cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) bad("invalid code point in a unicode array");
    append_utf8(out, cp);
  }
  return out;
}

template <typename T>
T load(const char* p) {
  T v;
  std::memcpy(&v, p, sizeof v);
  return v;
}

// Every element of a numeric array converted to Out.
template <typename Out>
std::vector<Out> convert(const NdArray& array) {
  if (!array.initialized) bad("used before its state was set");
  if (!is_numeric(array.dtype.type))
    bad(std::string("expected a numeric array, found dtype ") + element_type_name(array.dtype.type));
  size_t n = array.data.size() / array.dtype.item_size;
  std::vector<Out> out(n);
  const char* p = array.data.data();
  size_t s = array.dtype.item_size;
  auto each = [&](auto read) {
    for (size_t i = 0; i < n; ++i) out[i] = static_cast<Out>(read(p + i * s));
  };
  switch (array.dtype.type) {
    case ElementType::Bool: each([](const char* q) { return load<uint8_t>(q) != 0; }); break;
    case ElementType::Int8: each(load<int8_t>); break;
    case ElementType::Int16: each(load<int16_t>); break;
    case ElementType::Int32: each(load<int32_t>); break;
    case ElementType::Int64: each(load<int64_t>); break;
    case ElementType::UInt8: each(load<uint8_t>); break;
    case ElementType::UInt16: each(load<uint16_t>); break;
    case ElementType::UInt32: each(load<uint32_t>); break;
    case ElementType::UInt64: each(load<uint64_t>); break;
    case ElementType::Float16: each([](const char* q) { return half_to_float(load<uint16_t>(q)); }); break;
    case ElementType::Float32: each(load<float>); break;
    case ElementType::Float64: each(load<double>); break;
    default: break;
  }
  return out;
}

}  // namespace

const char* element_type_name(ElementType type) {
  switch (type) {
    case ElementType::Bool: return "bool";
    case ElementType::Int8: return "int8";
    case ElementType::Int16: return "int16";
    case ElementType::Int32: return "int32";
    case ElementType::Int64: return "int64";
    case ElementType::UInt8: return "uint8";
    case ElementType::UInt16: return "uint16";
    case ElementType::UInt32: return "uint32";
    case ElementType::UInt64: return "uint64";
    case ElementType::Float16: return "float16";
    case ElementType::Float32: return "float32";
    case ElementType::Float64: return "float64";
    case ElementType::Unicode: return "unicode";
    case ElementType::Bytes: return "bytes";
    case ElementType::Object: return "object";
  }
  return "?";
}

bool is_numeric(ElementType type) {
  return type != ElementType::Unicode && type != ElementType::Bytes && type != ElementType::Object;
}

DTypeInfo parse_dtype_descr(std::string_view descr) {
  std::string_view d = descr;
  DTypeInfo info;
  if (!d.empty() && (d[0] == '<' || d[0] == '>' || d[0] == '|' || d[0] == '=')) {
    info.big_endian = d[0] == '>';
    d.remove_prefix(1);
  }
  if (d == "?") d = "b1";
  if (d.empty()) bad("empty dtype descriptor");
  char code = d[0];
  size_t size = 0;
  for (char c : d.substr(1)) {
    if (c < '0' || c > '9' || size > 1'000'000'000) bad("unsupported dtype '" + std::string(descr) + "'");
    size = size * 10 + static_cast<size_t>(c - '0');
  }
  auto sized = [&](std::initializer_list<std::pair<size_t, ElementType>> options) {
    for (auto [bytes, type] : options)
      if (bytes == size) {
        info.type = type;
        info.item_size = bytes;
        return;
      }
    bad("unsupported dtype '" + std::string(descr) + "'");
  };
  switch (code) {
    case 'b': sized({{1, ElementType::Bool}}); break;
    case 'i': sized({{1, ElementType::Int8}, {2, ElementType::Int16}, {4, ElementType::Int32}, {8, ElementType::Int64}}); break;
    case 'u': sized({{1, ElementType::UInt8}, {2, ElementType::UInt16}, {4, ElementType::UInt32}, {8, ElementType::UInt64}}); break;
    case 'f': sized({{2, ElementType::Float16}, {4, ElementType::Float32}, {8, ElementType::Float64}}); break;
    case 'O': sized({{8, ElementType::Object}}); break;
    case 'U':
      info.type = ElementType::Unicode;
      info.item_size = size * 4;  // the descriptor counts characters
      break;
    case 'S':
      info.type = ElementType::Bytes;
      info.item_size = size;
      break;
    default: bad("unsupported dtype '" + std::string(descr) + "'");
  }
  return info;
}

void apply_dtype_state(DTypeInfo& dtype, const PyValue& state) {
  const auto& items = state.as_sequence();
  if (items.size() < 8) bad("dtype state " + state.describe() + " has fewer than 8 fields");
  std::string_view order = items[1]->as_str();
  if (order != "<" && order != ">" && order != "|" && order != "=") bad("dtype byte order '" + std::string(order) + "'");
  dtype.big_endian = order == ">";
  if (!items[2]->is(PyKind::None) || !items[3]->is(PyKind::None) || !items[4]->is(PyKind::None))
    bad("structured and sub-array dtypes are not supported (" + state.describe() + ")");
  int64_t elsize = items[5]->as_int();
  if (!is_numeric(dtype.type) && dtype.type != ElementType::Object && elsize > 0)
    dtype.item_size = static_cast<size_t>(elsize);  // flexible types carry their width here
}

void fill_array(PickleDocument& doc, NdArray& array, const Shape& shape, const DTypeInfo& dtype, bool fortran_order,
                const PyValue& data) {
  size_t count = checked_numel(shape);
  array.shape = shape;
  array.dtype = dtype;
  if (dtype.type == ElementType::Object) {
    const auto& items = data.as_sequence();
    if (items.size() != count)
      bad("object array of shape " + to_string(shape) + " has " + std::to_string(items.size()) + " elements");
    array.objects = items;
    if (fortran_order) {
      // Reorder pointers exactly like fixed-size elements.
      std::string_view raw(reinterpret_cast<const char*>(items.data()), items.size() * sizeof(const PyValue*));
      std::string ordered = fortran_to_c_order(raw, shape, sizeof(const PyValue*));
      std::memcpy(array.objects.data(), ordered.data(), ordered.size());
    }
    array.initialized = true;
    return;
  }
  if (data.kind != PyKind::Bytes) bad("array data must be bytes, found " + data.describe());
  if (dtype.item_size == 0) bad("zero-width dtype");
  if (count > data.text.size() / dtype.item_size || count * dtype.item_size != data.text.size())
    bad("shape " + to_string(shape) + " of " + element_type_name(dtype.type) + " needs " +
        std::to_string(count) + " x " + std::to_string(dtype.item_size) + " bytes, data has " +
        std::to_string(data.text.size()) + " (" + data.describe() + ")");
  std::string_view bytes = data.text;
  if (fortran_order && shape.size() > 1) bytes = doc.keep(fortran_to_c_order(bytes, shape, dtype.item_size));
  if (dtype.type == ElementType::Unicode || dtype.type == ElementType::Bytes) {
    array.strings.reserve(count);
    for (size_t i = 0; i < count; ++i) {
      std::string_view item = bytes.substr(i * dtype.item_size, dtype.item_size);
      if (dtype.type == ElementType::Unicode)
        array.strings.push_back(decode_utf32(item, dtype.big_endian));
      else
        array.strings.emplace_back(item.substr(0, std::min(item.find('\0'), item.size())));
    }
  } else if (dtype.big_endian && dtype.item_size > 1) {
    std::string swapped(bytes);
    for (size_t i = 0; i < swapped.size(); i += dtype.item_size)
      std::reverse(swapped.begin() + i, swapped.begin() + i + dtype.item_size);
    bytes = doc.keep(std::move(swapped));
    array.dtype.big_endian = false;
  }
  array.data = bytes;
  array.initialized = true;
}

void set_array_state(PickleDocument& doc, NdArray& array, const PyValue& state) {
  const auto& items = state.as_sequence();
  if (items.size() != 4 && items.size() != 5) bad("ndarray state " + state.describe() + " has " + std::to_string(items.size()) + " fields");
  size_t first = items.size() - 4;
  if (array.initialized) bad("state set twice (" + state.describe() + ")");
  if (items[first + 1]->kind != PyKind::DType) bad("expected a dtype in the state, found " + items[first + 1]->describe());
  Shape shape;
  for (const PyValue* d : items[first]->as_sequence()) shape.push_back(d->as_int());
  fill_array(doc, array, shape, *items[first + 1]->dtype, items[first + 2]->as_int() != 0, *items[first + 3]);
}

float half_to_float(uint16_t half) {
  int sign = (half >> 15) & 1;
  int exponent = (half >> 10) & 0x1F;
  int mantissa = half & 0x3FF;
  float magnitude;
  if (exponent == 0)
    magnitude = std::ldexp(static_cast<float>(mantissa), -24);  // subnormal
  else if (exponent == 31)
    magnitude = mantissa ? NAN : INFINITY;
  else
    magnitude = std::ldexp(static_cast<float>(mantissa | 0x400), exponent - 25);
  return sign ? -magnitude : magnitude;
}

std::vector<float> to_float32(const NdArray& array) { return convert<float>(array); }
std::vector<double> to_float64(const NdArray& array) { return convert<double>(array); }

std::vector<int64_t> to_int64(const NdArray& array) {
  if (array.dtype.type == ElementType::Float16 || array.dtype.type == ElementType::Float32 ||
      array.dtype.type == ElementType::Float64)
    bad(std::string("expected an integer array, found dtype ") + element_type_name(array.dtype.type));
  return convert<int64_t>(array);
}

}  // namespace kasf::io


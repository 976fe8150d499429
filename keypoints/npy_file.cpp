#include "keypoints/npy_file.h"

#include <cctype>
#include <cstring>

#include "framework/io/error.h"
#include "framework/io/mapped_file.h"
#include "framework/io/numpy_array.h"
#include "framework/io/pickle_value.h"

namespace kasf::keypoints {
namespace {

[[noreturn]] void fail(const std::string& path, const std::string& what) { throw io::FormatError(path + ": " + what); }

// The text after "'key':" in the header dict, with leading spaces removed.
std::string_view value_of(std::string_view header, const std::string& key, const std::string& path) {
  const std::string quoted = "'" + key + "'";
  const size_t at = header.find(quoted);
  if (at == std::string_view::npos) fail(path, "the .npy header has no '" + key + "' field");
  size_t colon = header.find(':', at + quoted.size());
  if (colon == std::string_view::npos) fail(path, "malformed .npy header near '" + key + "'");
  std::string_view rest = header.substr(colon + 1);
  while (!rest.empty() && rest.front() == ' ') rest.remove_prefix(1);
  return rest;
}

std::string parse_descr(std::string_view header, const std::string& path) {
  std::string_view v = value_of(header, "descr", path);
  if (v.empty() || (v[0] != '\'' && v[0] != '"')) fail(path, "'descr' must be a string (structured dtypes are not supported)");
  const size_t close = v.find(v[0], 1);
  if (close == std::string_view::npos) fail(path, "unterminated 'descr'");
  return std::string(v.substr(1, close - 1));
}

bool parse_fortran_order(std::string_view header, const std::string& path) {
  std::string_view v = value_of(header, "fortran_order", path);
  if (v.starts_with("True")) return true;
  if (v.starts_with("False")) return false;
  fail(path, "'fortran_order' must be True or False");
}

Shape parse_shape(std::string_view header, const std::string& path) {
  std::string_view v = value_of(header, "shape", path);
  if (v.empty() || v[0] != '(') fail(path, "'shape' must be a tuple");
  const size_t close = v.find(')');
  if (close == std::string_view::npos) fail(path, "unterminated 'shape'");
  Shape shape;
  std::string digits;
  for (char c : v.substr(1, close)) {
    if (std::isdigit(static_cast<unsigned char>(c))) {
      digits += c;
    } else if (c == ',' || c == ')') {
      if (!digits.empty()) shape.push_back(std::stoll(digits));
      digits.clear();
    } else if (c != ' ' && c != 'L') {
      fail(path, "bad character '" + std::string(1, c) + "' in 'shape'");
    }
  }
  return shape;
}

}  // namespace

NpyArray read_npy(const std::string& path) {
  io::MappedFile file(path);
  const std::string_view bytes = file.bytes();
  if (bytes.empty()) fail(path, "the file is empty");
  if (bytes.size() < 10 || bytes.substr(0, 6) != "\x93NUMPY") fail(path, "not a .npy file (bad magic)");
  const int major = static_cast<unsigned char>(bytes[6]);
  if (major < 1 || major > 3) fail(path, "unsupported .npy format version " + std::to_string(major));
  const size_t length_bytes = major == 1 ? 2 : 4;
  if (bytes.size() < 8 + length_bytes) fail(path, "truncated .npy header");
  size_t header_length = 0;
  for (size_t i = 0; i < length_bytes; ++i) header_length |= size_t{static_cast<unsigned char>(bytes[8 + i])} << (8 * i);
  const size_t data_start = 8 + length_bytes + header_length;
  if (data_start > bytes.size()) fail(path, "truncated .npy header");
  const std::string_view header = bytes.substr(8 + length_bytes, header_length);

  const std::string descr = parse_descr(header, path);
  if (descr.find('O') != std::string::npos) fail(path, "object arrays (dtype '" + descr + "') are not supported");
  io::DTypeInfo dtype;
  try {
    dtype = io::parse_dtype_descr(descr);
  } catch (const io::FormatError& e) {
    fail(path, e.what());
  }
  if (!io::is_numeric(dtype.type)) fail(path, "dtype '" + descr + "' is not numeric");

  io::PickleDocument doc;
  io::PyValue data;
  data.kind = io::PyKind::Bytes;
  data.text = bytes.substr(data_start);
  io::NdArray array;
  NpyArray out;
  try {
    io::fill_array(doc, array, parse_shape(header, path), dtype, parse_fortran_order(header, path), data);
    out.values = io::to_float32(array);
  } catch (const io::FormatError& e) {
    fail(path, e.what());
  }
  out.shape = array.shape;
  return out;
}

}  // namespace kasf::keypoints

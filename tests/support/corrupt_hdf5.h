// Test support: the one-byte-class corruption of HDF5 files that crashed libhdf5 1.10.8 (issue 15):
// rewriting the stored size of the global heap object that holds a variable-length string.
#pragma once
#include <cstdint>
#include <cstring>
#include <fstream>
#include <iterator>
#include <stdexcept>
#include <string>

namespace kasf::test {

// Sets the size field of the global heap object whose contents are `text` in the HDF5 file at
// `path` (8-byte lengths, as libhdf5 writes by default) to `size`; throws if there is none.
inline void corrupt_heap_string(const std::string& path, const std::string& text, uint64_t size) {
  std::string bytes;
  {
    std::ifstream in(path, std::ios::binary);
    bytes.assign(std::istreambuf_iterator<char>(in), {});
  }
  const auto le = [&](size_t at, size_t n) {
    uint64_t v = 0;
    for (size_t i = n; i-- > 0;) v = (v << 8) | static_cast<uint8_t>(bytes[at + i]);
    return v;
  };
  for (size_t collection = bytes.find("GCOL"); collection != std::string::npos;
       collection = bytes.find("GCOL", collection + 4)) {
    const uint64_t end = collection + le(collection + 8, 8);
    for (uint64_t at = collection + 16; at + 16 <= end && end <= bytes.size();) {
      const uint64_t index = le(at, 2), object_size = le(at + 8, 8);
      if (index != 0 && object_size == text.size() && bytes.compare(at + 16, text.size(), text) == 0) {
        for (size_t i = 0; i < 8; ++i) bytes[at + 8 + i] = static_cast<char>(size >> (8 * i));
        std::ofstream(path, std::ios::binary | std::ios::trunc) << bytes;
        return;
      }
      if (index == 0 || object_size > end - at) break;  // the free space closes the collection
      at += 16 + (object_size + 7) / 8 * 8;
    }
  }
  throw std::runtime_error(path + ": no global heap object holds '" + text + "'");
}

}  // namespace kasf::test

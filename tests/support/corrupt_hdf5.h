// Test support: corruptions of HDF5 files that crashed or exhausted libhdf5 1.10.8 (issue 15):
// the stored size of the global heap object that holds a variable-length string, and a cycle in a
// group's local heap free list. 8-byte lengths and addresses, no user block (libhdf5's defaults).
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
namespace detail {

inline std::string read_bytes(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

inline uint64_t le(const std::string& bytes, size_t at, size_t n) {
  uint64_t v = 0;
  for (size_t i = n; i-- > 0;) v = (v << 8) | static_cast<uint8_t>(bytes[at + i]);
  return v;
}

inline void set_le(std::string& bytes, size_t at, uint64_t value) {
  for (size_t i = 0; i < 8; ++i) bytes[at + i] = static_cast<char>(value >> (8 * i));
}

}  // namespace detail

inline void corrupt_heap_string(const std::string& path, const std::string& text, uint64_t size) {
  std::string bytes = detail::read_bytes(path);
  const auto le = [&](size_t at, size_t n) { return detail::le(bytes, at, n); };
  for (size_t collection = bytes.find("GCOL"); collection != std::string::npos;
       collection = bytes.find("GCOL", collection + 4)) {
    const uint64_t end = collection + le(collection + 8, 8);
    for (uint64_t at = collection + 16; at + 16 <= end && end <= bytes.size();) {
      const uint64_t index = le(at, 2), object_size = le(at + 8, 8);
      if (index != 0 && object_size == text.size() && bytes.compare(at + 16, text.size(), text) == 0) {
        detail::set_le(bytes, at + 8, size);
        std::ofstream(path, std::ios::binary | std::ios::trunc) << bytes;
        return;
      }
      if (index == 0 || object_size > end - at) break;  // the free space closes the collection
      at += 16 + (object_size + 7) / 8 * 8;
    }
  }
  throw std::runtime_error(path + ": no global heap object holds '" + text + "'");
}

// Makes the free list of the first local heap (the root group's member names) a block that names
// itself as the next free block.
inline void corrupt_local_heap_free_list(const std::string& path) {
  std::string bytes = detail::read_bytes(path);
  const size_t heap = bytes.find("HEAP");
  if (heap == std::string::npos) throw std::runtime_error(path + ": no local heap");
  const uint64_t segment_size = detail::le(bytes, heap + 8, 8), segment = detail::le(bytes, heap + 24, 8);
  if (segment_size < 24 || segment + segment_size > bytes.size()) throw std::runtime_error(path + ": odd local heap");
  detail::set_le(bytes, heap + 16, 8);     // free list head: offset 8
  detail::set_le(bytes, segment + 8, 8);   // that block's next free block: itself
  detail::set_le(bytes, segment + 16, 16); // its size
  std::ofstream(path, std::ios::binary | std::ios::trunc) << bytes;
}

}  // namespace kasf::test

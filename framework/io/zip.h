// Reads the entries of a zip archive held in memory (PyTorch checkpoints): stored and deflated
// entries, zip64, every size and offset checked against the archive's bounds, CRC-32 verified.
#pragma once
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace kasf::io {

class ZipArchive {
 public:
  struct Entry {
    std::string name;
    uint64_t header_offset = 0;  // of the local file header
    uint64_t compressed_size = 0;
    uint64_t size = 0;
    uint16_t method = 0;  // 0 stored, 8 deflated
    uint32_t crc32 = 0;
  };

  // Reads the central directory; `bytes` must outlive the archive. `name` is used in messages.
  ZipArchive(std::string_view bytes, std::string name);

  const std::vector<Entry>& entries() const { return entries_; }
  const Entry* find(std::string_view name) const;
  // The entry's contents: a view into the archive when stored, else inflated into `buffer`.
  std::string_view read(const Entry& entry, std::string& buffer) const;

 private:
  [[noreturn]] void fail(const std::string& what) const;
  std::string_view span(uint64_t offset, uint64_t size, const char* what) const;

  std::string_view bytes_;
  std::string name_;
  std::vector<Entry> entries_;
};

}  // namespace kasf::io

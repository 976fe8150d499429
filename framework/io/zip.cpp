#include "framework/io/zip.h"

#include <zlib.h>

#include <algorithm>
#include <vector>

#include "framework/io/error.h"

namespace kasf::io {
namespace {

constexpr uint32_t kLocalHeader = 0x04034b50;
constexpr uint32_t kCentralHeader = 0x02014b50;
constexpr uint32_t kEndOfDirectory = 0x06054b50;
constexpr uint32_t kZip64EndOfDirectory = 0x06064b50;
constexpr uint32_t kZip64Locator = 0x07064b50;
constexpr uint16_t kZip64Extra = 0x0001;
// Deflate cannot expand data by more than about 1032:1; a larger declared size is a lie.
constexpr uint64_t kMaxDeflateRatio = 1032;

uint64_t le(std::string_view b, size_t at, size_t n) {
  uint64_t v = 0;
  for (size_t i = n; i-- > 0;) v = v << 8 | static_cast<unsigned char>(b[at + i]);
  return v;
}

}  // namespace

void ZipArchive::fail(const std::string& what) const { throw FormatError("zip archive '" + name_ + "': " + what); }

std::string_view ZipArchive::span(uint64_t offset, uint64_t size, const char* what) const {
  if (offset > bytes_.size() || size > bytes_.size() - offset)
    fail(std::string(what) + " at byte " + std::to_string(offset) + " (" + std::to_string(size) +
         " bytes) lies outside the archive of " + std::to_string(bytes_.size()) + " bytes");
  return bytes_.substr(offset, size);
}

ZipArchive::ZipArchive(std::string_view bytes, std::string name) : bytes_(bytes), name_(std::move(name)) {
  // The end-of-central-directory record: 22 bytes plus a comment of at most 65535.
  if (bytes_.size() < 22) fail("too small to be a zip archive");
  size_t end = std::string_view::npos;
  size_t lowest = bytes_.size() >= 22 + 65535 ? bytes_.size() - 22 - 65535 : 0;
  for (size_t at = bytes_.size() - 22 + 1; at-- > lowest;)
    if (le(bytes_, at, 4) == kEndOfDirectory) {
      end = at;
      break;
    }
  if (end == std::string_view::npos) fail("no end-of-central-directory record");
  uint64_t count = le(bytes_, end + 10, 2);
  uint64_t directory_size = le(bytes_, end + 12, 4);
  uint64_t directory_offset = le(bytes_, end + 16, 4);
  if (count == 0xFFFF || directory_size == 0xFFFFFFFF || directory_offset == 0xFFFFFFFF) {
    if (end < 20 || le(bytes_, end - 20, 4) != kZip64Locator) fail("zip64 archive without its locator");
    std::string_view record = span(le(bytes_, end - 20 + 8, 8), 56, "zip64 end-of-central-directory record");
    if (le(record, 0, 4) != kZip64EndOfDirectory) fail("bad zip64 end-of-central-directory signature");
    count = le(record, 32, 8);
    directory_size = le(record, 40, 8);
    directory_offset = le(record, 48, 8);
  }
  std::string_view directory = span(directory_offset, directory_size, "central directory");
  if (count > directory.size() / 46) fail(std::to_string(count) + " entries cannot fit in the central directory");
  entries_.reserve(count);
  size_t at = 0;
  for (uint64_t i = 0; i < count; ++i) {
    if (directory.size() - at < 46 || le(directory, at, 4) != kCentralHeader)
      fail("bad central directory entry " + std::to_string(i));
    Entry e;
    uint16_t flags = static_cast<uint16_t>(le(directory, at + 8, 2));
    e.method = static_cast<uint16_t>(le(directory, at + 10, 2));
    e.crc32 = static_cast<uint32_t>(le(directory, at + 16, 4));
    e.compressed_size = le(directory, at + 20, 4);
    e.size = le(directory, at + 24, 4);
    size_t name_size = le(directory, at + 28, 2), extra_size = le(directory, at + 30, 2),
           comment_size = le(directory, at + 32, 2);
    e.header_offset = le(directory, at + 42, 4);
    if (directory.size() - at - 46 < name_size + extra_size + comment_size)
      fail("central directory entry " + std::to_string(i) + " overruns the directory");
    e.name = std::string(directory.substr(at + 46, name_size));
    if (flags & 1) fail("entry '" + e.name + "' is encrypted");
    // zip64 sizes and offset replace the 32-bit fields that hold 0xFFFFFFFF, in this order.
    std::string_view extra = directory.substr(at + 46 + name_size, extra_size);
    for (size_t x = 0; x + 4 <= extra.size();) {
      size_t id = le(extra, x, 2), size = le(extra, x + 2, 2);
      if (x + 4 + size > extra.size()) fail("entry '" + e.name + "' has a truncated extra field");
      if (id == kZip64Extra) {
        size_t field = x + 4;
        for (uint64_t* value : {&e.size, &e.compressed_size, &e.header_offset}) {
          if (*value != 0xFFFFFFFF) continue;
          if (field + 8 > x + 4 + size) fail("entry '" + e.name + "' has a short zip64 extra field");
          *value = le(extra, field, 8);
          field += 8;
        }
      }
      x += 4 + size;
    }
    if (e.method != 0 && e.method != 8)
      fail("entry '" + e.name + "' uses compression method " + std::to_string(e.method) + " (only stored and deflate)");
    entries_.push_back(std::move(e));
    at += 46 + name_size + extra_size + comment_size;
  }
}

const ZipArchive::Entry* ZipArchive::find(std::string_view name) const {
  for (const auto& e : entries_)
    if (e.name == name) return &e;
  return nullptr;
}

std::string_view ZipArchive::read(const Entry& entry, std::string& buffer) const {
  std::string_view header = span(entry.header_offset, 30, "local header");
  if (le(header, 0, 4) != kLocalHeader) fail("entry '" + entry.name + "' has a bad local header signature");
  uint64_t data_offset = entry.header_offset + 30 + le(header, 26, 2) + le(header, 28, 2);
  std::string_view data = span(data_offset, entry.compressed_size, "entry data");
  std::string_view out;
  if (entry.method == 0) {
    if (entry.compressed_size != entry.size) fail("stored entry '" + entry.name + "' has two different sizes");
    out = data;
  } else {
    if (entry.size / kMaxDeflateRatio > entry.compressed_size + 1)
      fail("entry '" + entry.name + "' claims " + std::to_string(entry.size) + " bytes from " +
           std::to_string(entry.compressed_size) + " compressed bytes");
    // Inflated in chunks appended to the buffer: memory follows the bytes that actually come out,
    // never more than the declared size, and an entry that inflates past it stops at once.
    buffer.clear();
    buffer.reserve(entry.size);  // address space only; pages are touched as data arrives
    z_stream z{};
    if (inflateInit2(&z, -MAX_WBITS) != Z_OK) fail("cannot initialise zlib");
    z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
    uint64_t in_left = data.size();  // zlib counts in 32-bit units
    std::vector<char> chunk(1 << 16);
    int rc = Z_OK;
    while (rc == Z_OK) {
      z.avail_in = static_cast<uInt>(std::min<uint64_t>(in_left, 1u << 30));
      z.next_out = reinterpret_cast<Bytef*>(chunk.data());
      z.avail_out = static_cast<uInt>(chunk.size());
      const uInt given_in = z.avail_in;
      rc = inflate(&z, Z_NO_FLUSH);
      in_left -= given_in - z.avail_in;
      const size_t produced = chunk.size() - z.avail_out;
      if (produced > entry.size - buffer.size()) {
        inflateEnd(&z);
        fail("entry '" + entry.name + "' inflates to more than its declared " + std::to_string(entry.size) + " bytes");
      }
      buffer.append(chunk.data(), produced);
      if (rc == Z_OK && given_in == z.avail_in && produced == 0) rc = Z_BUF_ERROR;  // no progress
    }
    inflateEnd(&z);
    if (rc != Z_STREAM_END || buffer.size() != entry.size)
      fail("entry '" + entry.name + "' does not inflate to its declared " + std::to_string(entry.size) + " bytes");
    out = buffer;
  }
  uLong crc = crc32(0, nullptr, 0);
  for (size_t done = 0; done < out.size();) {
    uInt chunk = static_cast<uInt>(std::min<size_t>(out.size() - done, 1u << 30));
    crc = crc32(crc, reinterpret_cast<const Bytef*>(out.data() + done), chunk);
    done += chunk;
  }
  if (crc != entry.crc32) fail("entry '" + entry.name + "' fails its CRC-32 check");
  return out;
}

}  // namespace kasf::io

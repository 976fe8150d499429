#include "reporting/png_writer.h"

#include <zlib.h>

#include <fstream>
#include <stdexcept>
#include <vector>

#include "framework/io/atomic_file.h"

namespace kasf::reporting {
namespace {

void put_u32(std::vector<uint8_t>& out, uint32_t value) {
  for (int shift = 24; shift >= 0; shift -= 8) out.push_back(static_cast<uint8_t>(value >> shift));
}

// length, type, data, CRC-32 of type and data (PNG specification, section 5.3).
void put_chunk(std::vector<uint8_t>& out, const char type[4], const std::vector<uint8_t>& data) {
  put_u32(out, static_cast<uint32_t>(data.size()));
  const size_t type_start = out.size();
  out.insert(out.end(), type, type + 4);
  out.insert(out.end(), data.begin(), data.end());
  put_u32(out, static_cast<uint32_t>(crc32(0, out.data() + type_start, static_cast<uInt>(out.size() - type_start))));
}

}  // namespace

void write_png(const std::string& path, const Image& image) {
  std::vector<uint8_t> header;
  put_u32(header, static_cast<uint32_t>(image.width()));
  put_u32(header, static_cast<uint32_t>(image.height()));
  header.insert(header.end(), {8, 2, 0, 0, 0});  // bit depth 8, colour type RGB, deflate, filter 0, no interlace

  // Every scanline starts with its filter type (0: none).
  const size_t row_bytes = static_cast<size_t>(image.width()) * 3;
  std::vector<uint8_t> raw;
  raw.reserve((row_bytes + 1) * image.height());
  for (int y = 0; y < image.height(); ++y) {
    raw.push_back(0);
    raw.insert(raw.end(), image.rgb().begin() + y * row_bytes, image.rgb().begin() + (y + 1) * row_bytes);
  }
  uLongf compressed_size = compressBound(static_cast<uLong>(raw.size()));
  std::vector<uint8_t> compressed(compressed_size);
  if (compress2(compressed.data(), &compressed_size, raw.data(), static_cast<uLong>(raw.size()), 9) != Z_OK)
    throw std::runtime_error("cannot compress the image for '" + path + "'");
  compressed.resize(compressed_size);

  std::vector<uint8_t> png = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'};
  put_chunk(png, "IHDR", header);
  put_chunk(png, "IDAT", compressed);
  put_chunk(png, "IEND", {});

  io::AtomicFile output(path);
  {
    std::ofstream out(output.temp_path(), std::ios::binary);
    out.write(reinterpret_cast<const char*>(png.data()), static_cast<std::streamsize>(png.size()));
    if (!out.flush()) throw std::runtime_error("cannot write '" + output.temp_path() + "'");
  }
  output.commit();
}

}  // namespace kasf::reporting

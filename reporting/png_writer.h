// PNG output of an Image (8-bit RGB, no interlace, zlib-compressed), written atomically.
#pragma once
#include <string>

#include "reporting/raster.h"

namespace kasf::reporting {

void write_png(const std::string& path, const Image& image);

}  // namespace kasf::reporting

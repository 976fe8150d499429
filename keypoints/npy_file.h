// NumPy .npy files (format versions 1-3) of numeric dtype, read as float32 in C order.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

namespace kasf::keypoints {

struct NpyArray {
  std::vector<int64_t> shape;
  std::vector<float> values;  // C order
};

// Parses the header dict ('descr', 'fortran_order', 'shape'), byte-swaps big-endian data and
// reorders Fortran-order data. Object arrays (pickled Python objects) are rejected. Throws
// kasf::io::FormatError naming the file and the header field at fault.
NpyArray read_npy(const std::string& path);

}  // namespace kasf::keypoints

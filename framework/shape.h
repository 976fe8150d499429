// Shapes, strides and the checks every op makes on them.
#pragma once
#include <cstdint>
#include <stdexcept>
#include <string>
#include <vector>

namespace kasf {

using Shape = std::vector<int64_t>;

// Thrown for any shape, axis or argument mismatch; the message names the op and the shapes.
class ShapeError : public std::invalid_argument {
 public:
  using std::invalid_argument::invalid_argument;
};

int64_t numel(const Shape& shape);
Shape contiguous_strides(const Shape& shape);
std::string to_string(const Shape& shape);

// Maps a possibly negative axis into [0, rank); throws ShapeError naming `op` otherwise.
int64_t normalize_axis(int64_t axis, int64_t rank, const char* op);

// NumPy broadcasting of two shapes; throws ShapeError naming `op` and both shapes.
Shape broadcast_shapes(const Shape& a, const Shape& b, const char* op);

[[noreturn]] void throw_shape_error(const char* op, const std::string& what);

}  // namespace kasf

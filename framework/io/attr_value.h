// A scalar attribute value as stored in kasf's HDF5 files (model hyperparameters, file metadata).
#pragma once
#include <cstdint>
#include <string>
#include <variant>

namespace kasf::io {

using AttrValue = std::variant<int64_t, double, std::string, bool>;

}  // namespace kasf::io

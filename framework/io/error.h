// The exception every reader of untrusted files throws for malformed or unexpected input.
#pragma once
#include <stdexcept>

namespace kasf::io {

// Bad file contents or a file that cannot be read/written; the message names the file and the
// object (key, dataset, byte offset) at fault.
class FormatError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

}  // namespace kasf::io

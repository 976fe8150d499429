// Text taken from an untrusted file, made safe to quote in an error message: bounded in length and
// with every byte that is not printable ASCII escaped, so that a hostile file can neither flood the
// terminal (a 10 MiB JSON number) nor write control sequences or invalid UTF-8 to it.
#pragma once
#include <cstddef>
#include <string>
#include <string_view>

namespace kasf::io {

// `text` with bytes outside 0x20..0x7e (and the backslash) written as \xNN; when longer than
// `max_bytes`, its first `max_bytes` bytes followed by "... (N bytes)".
std::string excerpt(std::string_view text, size_t max_bytes = 80);

}  // namespace kasf::io

// Reads the text tables written by scripts/make_optim_reference.py: one record per line, a keyword
// followed by whitespace-separated fields; lines starting with '#' are comments.
#pragma once
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace kasf::test {

struct ReferenceRecord {
  std::string keyword;
  std::vector<std::string> fields;
  std::string where;  // "file:line", for error messages

  // Field conversions; they throw naming `where` and the field when it is missing or malformed.
  const std::string& text(size_t i) const;
  double number(size_t i) const;
  int64_t integer(size_t i) const;
  std::vector<float> floats_from(size_t first) const;  // fields first.. as float32
};

std::vector<ReferenceRecord> read_reference_table(const std::string& path);

}  // namespace kasf::test

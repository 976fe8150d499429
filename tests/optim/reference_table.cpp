#include "tests/optim/reference_table.h"

#include <cerrno>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <stdexcept>

namespace kasf::test {

const std::string& ReferenceRecord::text(size_t i) const {
  if (i >= fields.size())
    throw std::runtime_error(where + ": '" + keyword + "' has " + std::to_string(fields.size()) +
                             " fields, field " + std::to_string(i) + " is missing");
  return fields[i];
}

double ReferenceRecord::number(size_t i) const {
  const std::string& s = text(i);
  char* end = nullptr;
  errno = 0;
  const double value = std::strtod(s.c_str(), &end);
  if (end != s.c_str() + s.size() || errno == ERANGE)
    throw std::runtime_error(where + ": field " + std::to_string(i) + " '" + s + "' is not a number");
  return value;
}

int64_t ReferenceRecord::integer(size_t i) const {
  const std::string& s = text(i);
  char* end = nullptr;
  errno = 0;
  const long long value = std::strtoll(s.c_str(), &end, 10);
  if (end != s.c_str() + s.size() || errno == ERANGE)
    throw std::runtime_error(where + ": field " + std::to_string(i) + " '" + s + "' is not an integer");
  return value;
}

std::vector<float> ReferenceRecord::floats_from(size_t first) const {
  std::vector<float> values;
  for (size_t i = first; i < fields.size(); ++i) values.push_back(static_cast<float>(number(i)));
  return values;
}

std::vector<ReferenceRecord> read_reference_table(const std::string& path) {
  std::ifstream in(path);
  if (!in) throw std::runtime_error("cannot open reference table " + path);
  std::vector<ReferenceRecord> records;
  std::string line;
  for (int number = 1; std::getline(in, line); ++number) {
    if (line.empty() || line[0] == '#') continue;
    std::istringstream tokens(line);
    ReferenceRecord record;
    tokens >> record.keyword;
    for (std::string field; tokens >> field;) record.fields.push_back(field);
    record.where = path + ":" + std::to_string(number);
    records.push_back(std::move(record));
  }
  return records;
}

}  // namespace kasf::test

// Records of tests/data/evaluation/spm_reference.txt, written by scripts/make_spm_reference.py:
// one record per line, a name followed by numbers.
#pragma once
#include <string>
#include <vector>

namespace kasf::eval::test {

struct Record {
  std::string name;
  std::vector<double> values;
};

// All records of the committed reference file (tests run in tests/evaluation/).
const std::vector<Record>& reference_records();
std::vector<Record> records_named(const std::string& name);
const Record& first_record(const std::string& name);  // throws if absent

}  // namespace kasf::eval::test

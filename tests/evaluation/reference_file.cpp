#include "reference_file.h"

#include <fstream>
#include <sstream>
#include <stdexcept>

namespace kasf::eval::test {

const std::vector<Record>& reference_records() {
  static const std::vector<Record> records = [] {
    const std::string path = "../data/evaluation/spm_reference.txt";
    std::ifstream in(path);
    if (!in) throw std::runtime_error("cannot open " + path);
    std::vector<Record> out;
    std::string line;
    while (std::getline(in, line)) {
      if (line.empty() || line[0] == '#') continue;
      std::istringstream fields(line);
      Record r;
      fields >> r.name;
      for (double v; fields >> v;) r.values.push_back(v);
      out.push_back(std::move(r));
    }
    return out;
  }();
  return records;
}

std::vector<Record> records_named(const std::string& name) {
  std::vector<Record> out;
  for (const Record& r : reference_records())
    if (r.name == name) out.push_back(r);
  return out;
}

const Record& first_record(const std::string& name) {
  for (const Record& r : reference_records())
    if (r.name == name) return r;
  throw std::runtime_error("the reference file has no '" + name + "' record");
}

}  // namespace kasf::eval::test

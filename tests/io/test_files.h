// Helpers shared by the io tests: paths of committed test data.
#pragma once
#include <string>

#include "tests/support/scratch_dir.h"

namespace kasf::test {

// Tests run in tests/io/ (see cmake/KasfBoostTest.cmake).
inline std::string test_data(const std::string& relative) { return "../data/" + relative; }

}  // namespace kasf::test

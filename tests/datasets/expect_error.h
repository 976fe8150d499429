// Checks that a call throws std::invalid_argument with a message naming what went wrong.
#pragma once
#include <boost/test/unit_test.hpp>
#include <initializer_list>
#include <stdexcept>
#include <string>

namespace kasf::data::testing {

template <typename Body>
void expect_error(Body body, std::initializer_list<std::string> parts) {
  try {
    body();
    BOOST_ERROR("no exception");
  } catch (const std::invalid_argument& e) {
    for (const std::string& part : parts) BOOST_TEST(std::string(e.what()).find(part) != std::string::npos, e.what());
  }
}

}  // namespace kasf::data::testing

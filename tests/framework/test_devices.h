// The devices the backend tests run on: the CPU and the emulated CUDA backend always; CUDA when
// this build has the backend, where a machine without a GPU still lists the tests and reports
// them as skipped with the reason.
#pragma once
#include <boost/test/unit_test.hpp>
#include <string>
#include <vector>

#include "framework/backend.h"

namespace kasf::test {

struct TestDevice {
  std::string name;
  Device device;
  bool available;
  std::string why_unavailable;
};

std::vector<TestDevice> test_devices();

// Runs `check(device)` on every device of this build inside a test case; a device without
// hardware is reported as skipped with the reason.
template <class Check>
void on_every_device(const Check& check) {
  for (const TestDevice& device : test_devices()) {
    BOOST_TEST_CONTEXT("device " << device.name) {
      if (!device.available) {
        BOOST_TEST_MESSAGE("SKIPPED on " << device.name << ": " << device.why_unavailable);
        continue;
      }
      check(device.device);
    }
  }
}

}  // namespace kasf::test

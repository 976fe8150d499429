// The devices the backend tests run on: the CPU and the emulated CUDA backend always; CUDA when
// this build has the backend, where a machine without a GPU still lists the tests and reports
// them as skipped with the reason.
#pragma once
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

}  // namespace kasf::test

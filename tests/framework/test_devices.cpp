#include "tests/framework/test_devices.h"

#include <exception>

namespace kasf::test {

std::vector<TestDevice> test_devices() {
  // The CUDA backend's kernels on the launch emulator: always built, so CI runs them.
  std::vector<TestDevice> devices{{"cpu", Device::CPU, true, ""}, {"emulated_cuda", Device::EmulatedCuda, true, ""}};
#ifdef KASF_WITH_CUDA
  try {
    backend_for(Device::CUDA);
    devices.push_back({"cuda", Device::CUDA, true, ""});
  } catch (const std::exception& e) {
    devices.push_back({"cuda", Device::CUDA, false, e.what()});
  }
#endif
  return devices;
}

}  // namespace kasf::test

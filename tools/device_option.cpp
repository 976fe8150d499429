#include "tools/device_option.h"

#include <boost/program_options.hpp>
#include <stdexcept>

namespace kasf {

const char* const kDeviceOptionHelp =
    "cpu | cuda (emulated_cuda: the CUDA backend's kernels on a CPU emulator; for testing, slow)";

void validate(boost::any& value, const std::vector<std::string>& values, Device*, int) {
  namespace po = boost::program_options;
  const std::string& name = po::validators::get_single_string(values);
  for (const Device device : {Device::CPU, Device::CUDA, Device::EmulatedCuda})
    if (name == device_name(device)) {
      value = device;
      return;
    }
  throw po::invalid_option_value(name);
}

void require_device(Device device) {
  try {
    backend_for(device);
  } catch (const std::exception& e) {
    throw std::runtime_error(std::string("--device ") + device_name(device) + ": " + e.what());
  }
}

}  // namespace kasf

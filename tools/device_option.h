// The --device option shared by kasf_train, kasf_eval and kasf_infer.
//
// Values: cpu, cuda, and emulated_cuda (the CUDA backend's own kernels on a CPU emulator, docs/cuda.md;
// for testing, slow). Declared with po::value<Device>(), so an unknown value is a command-line error
// like any other; whether the device is present is checked by require_device.
#pragma once
#include <boost/any.hpp>
#include <string>
#include <vector>

#include "framework/backend.h"

namespace kasf {

extern const char* const kDeviceOptionHelp;

// boost::program_options' hook (found by argument-dependent lookup) that turns a --device value
// into a Device; throws po::invalid_option_value for an unknown one.
void validate(boost::any& value, const std::vector<std::string>& values, Device*, int);

// Throws std::runtime_error("--device cuda: no CUDA device: <reason>") when `device` cannot be used
// (no GPU, or a build without the CUDA backend), so a tool stops before reading any input.
void require_device(Device device);

}  // namespace kasf

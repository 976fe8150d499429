// Runs one Backend call on the CPU backend and on the emulated CUDA backend with the same inputs,
// and checks that every output agrees. The CPU backend is the independent reference: its kernels
// are separate code (OpenMP loops, OpenBLAS), the emulated backend runs the CUDA kernel sources.
#pragma once
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "framework/backend.h"

namespace kasf::test {

using HostValues = std::vector<float>;

HostValues uniform_values(size_t count, float low, float high, uint64_t seed);

struct Tolerance {
  float rtol = 1e-5f, atol = 1e-6f;
};

// `run(backend, inputs, outputs)` calls the kernel on device buffers. Outputs start as the given
// values on both backends, so accumulating kernels are covered and elements a kernel fails to
// write differ from the reference's.
using BackendCall =
    std::function<void(Backend& backend, const std::vector<const float*>& inputs, const std::vector<float*>& outputs)>;
void expect_same_on_both(const std::string& what, const std::vector<HostValues>& inputs,
                         const std::vector<HostValues>& initial_outputs, const BackendCall& run,
                         Tolerance tolerance = {});

}  // namespace kasf::test

// Test support: whether this machine can run Device::CUDA, for tests of the tools' --device cuda,
// which must fail cleanly without a GPU and run with one.
#pragma once
#include <exception>
#include <optional>
#include <string>

#include "framework/backend.h"

namespace kasf::test {

// The CUDA backend's reason for refusing to start (no GPU, no driver, a CPU-only build), or
// std::nullopt when a GPU is present.
inline std::optional<std::string> cuda_unavailable_reason() {
  try {
    backend_for(Device::CUDA);
    return std::nullopt;
  } catch (const std::exception& e) {
    return std::string(e.what());
  }
}

}  // namespace kasf::test

// Asking for the CUDA backend: in a build without it, or on a machine without a GPU (CI), the
// answer is an exception that says why, never a crash; with a GPU, values survive a round trip.
// The op table (tests/framework) runs every op on the GPU when one is present.
#define BOOST_TEST_MODULE cuda_device
#include <boost/test/unit_test.hpp>

#include <stdexcept>
#include <string>

#include "framework/tensor.h"

namespace kasf {
namespace {

BOOST_AUTO_TEST_CASE(cuda_backend_or_a_clear_reason) {
  Backend* backend = nullptr;
  try {
    backend = &backend_for(Device::CUDA);
  } catch (const std::runtime_error& e) {
    const std::string why = e.what();
#ifdef KASF_WITH_CUDA
    BOOST_TEST_MESSAGE("SKIPPED round trip: " << why);
    BOOST_TEST(why.rfind("no CUDA device: ", 0) == 0, "unexpected failure: " << why);
#else
    BOOST_TEST(why.find("no CUDA backend") != std::string::npos, "unexpected failure: " << why);
#endif
    return;
  }
  BOOST_TEST(std::string(device_name(backend->device())) == "cuda");
  const std::vector<float> values{1.5f, -2.0f, 3.25f};
  const Tensor t = Tensor::from_vector({3}, values, Device::CUDA);
  BOOST_TEST(t.to_vector() == values, boost::test_tools::per_element());
}

}  // namespace
}  // namespace kasf

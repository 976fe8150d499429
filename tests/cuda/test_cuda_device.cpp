// Asking for the CUDA backend: in a build without it, or on a machine without a GPU (CI), the
// answer is an exception that says why, never a crash; with a GPU, values survive a round trip.
// The op table (tests/framework) runs every op on the GPU when one is present.
#define BOOST_TEST_MODULE cuda_device
#include <boost/test/unit_test.hpp>

#include <fstream>
#include <stdexcept>
#include <string>

#include "framework/tensor.h"
#ifdef KASF_WITH_CUDA
#include "framework/cuda/cublas_library.h"
#endif

namespace kasf {
namespace {

#ifdef KASF_WITH_CUDA
// Whether a file whose path contains `name` is mapped into this process.
bool mapped(const std::string& name) {
  std::ifstream maps("/proc/self/maps");
  for (std::string line; std::getline(maps, line);)
    if (line.find(name) != std::string::npos) return true;
  return false;
}

// Linking cuBLAS cost every kasf process about 0.4 s at start-up (libcublasLt's initialisers), so it
// is loaded by the first CUDA backend instead; loading it needs no GPU.
BOOST_AUTO_TEST_CASE(cublas_is_loaded_on_first_use_with_every_function) {
  BOOST_TEST(!mapped("libcublas"), "cuBLAS is loaded before anything asked for it");
  const gpu::CublasLibrary& cublas = gpu::cublas_library();
  BOOST_TEST(mapped("libcublas"));
  BOOST_TEST(cublas.create);
  BOOST_TEST(cublas.destroy);
  BOOST_TEST(cublas.set_stream);
  BOOST_TEST(cublas.set_math_mode);
  BOOST_TEST(cublas.gemm_strided_batched);
  BOOST_TEST(std::string(cublas.status_string(CUBLAS_STATUS_NOT_INITIALIZED)) == "the library was not initialized");
  BOOST_TEST(&gpu::cublas_library() == &cublas, "loaded once");
}
#endif

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

#include "tests/cuda/backend_comparison.h"

#include <boost/test/unit_test.hpp>

#include <cmath>

#include "framework/random.h"

namespace kasf::test {

namespace {

// Device copies of host values on one backend, freed with the set.
class DeviceBuffers {
 public:
  explicit DeviceBuffers(Backend& backend) : backend_(backend) {}
  ~DeviceBuffers() {
    for (auto [data, count] : buffers_) backend_.deallocate(data, count);
  }
  float* upload(const HostValues& values) {
    float* data = backend_.allocate(values.size());
    buffers_.push_back({data, values.size()});
    backend_.upload(data, values.data(), values.size());
    return data;
  }
  HostValues download(const float* data, size_t count) {
    HostValues host(count);
    backend_.download(host.data(), data, count);
    return host;
  }

 private:
  Backend& backend_;
  std::vector<std::pair<float*, size_t>> buffers_;
};

std::vector<HostValues> run_on(Backend& backend, const std::vector<HostValues>& inputs,
                               const std::vector<HostValues>& initial_outputs, const BackendCall& run) {
  DeviceBuffers buffers(backend);
  std::vector<const float*> in;
  for (const HostValues& values : inputs) in.push_back(buffers.upload(values));
  std::vector<float*> out;
  for (const HostValues& values : initial_outputs) out.push_back(buffers.upload(values));
  run(backend, in, out);
  std::vector<HostValues> results;
  for (size_t i = 0; i < out.size(); ++i) results.push_back(buffers.download(out[i], initial_outputs[i].size()));
  return results;
}

}  // namespace

HostValues uniform_values(size_t count, float low, float high, uint64_t seed) {
  Generator generator(seed);
  HostValues values(count);
  for (float& v : values) v = generator.uniform(low, high);
  return values;
}

void expect_same_on_both(const std::string& what, const std::vector<HostValues>& inputs,
                         const std::vector<HostValues>& initial_outputs, const BackendCall& run, Tolerance tolerance) {
  const std::vector<HostValues> expected = run_on(backend_for(Device::CPU), inputs, initial_outputs, run);
  const std::vector<HostValues> actual = run_on(backend_for(Device::EmulatedCuda), inputs, initial_outputs, run);
  for (size_t o = 0; o < expected.size(); ++o) {
    size_t mismatches = 0;
    for (size_t i = 0; i < expected[o].size(); ++i) {
      const float e = expected[o][i], a = actual[o][i];
      const bool same =
          std::isnan(e) ? std::isnan(a) : std::fabs(a - e) <= tolerance.atol + tolerance.rtol * std::fabs(e);
      if (!same && ++mismatches <= 5)
        BOOST_ERROR(what << ": output " << o << "[" << i << "] = " << a << " on emulated CUDA, " << e << " on the CPU");
    }
    BOOST_CHECK_MESSAGE(mismatches == 0, what << ": " << mismatches << " of " << expected[o].size()
                                              << " elements of output " << o << " differ");
  }
}

}  // namespace kasf::test

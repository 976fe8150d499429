// Access to the committed parity fixtures (tests/data/fixtures, produced by the official PyTorch
// model; see the README there) and the closeness check the model tests share.
#pragma once
#include <string>
#include <vector>

#include "framework/io/hdf5.h"
#include "framework/io/weight_file.h"
#include "framework/tensor.h"
#include "layers/module.h"

namespace kasf::test {

// Tests run in their source folder, tests/models/.
std::string fixture_path(const std::string& name);  // "fixture_small" -> ../data/fixtures/fixture_small.h5

class FixtureFile {
 public:
  explicit FixtureFile(const std::string& name);
  const std::string& path() const { return path_; }
  Tensor tensor(const std::string& dataset) const;
  std::vector<std::string> members(const std::string& group) const;  // sorted
  bool has(const std::string& name) const;                            // a dataset or group
  const io::WeightFile& weights() const { return weights_; }

 private:
  std::string path_;
  io::h5::Handle file_;
  io::WeightFile weights_;
};

// Float32 agreement with a reference computed in another summation order:
// |actual - expected| <= atol + rtol * |expected| elementwise, with atol = atol_scale * max|expected|
// (elements that cancel to near zero carry the rounding error of the tensor's scale). Reports the
// worst element and the number of violations under `what`.
struct Tolerance {
  double rtol = 1e-5;
  double atol_scale = 1e-6;
};
void check_close(const Tensor& actual, const Tensor& expected, const std::string& what, Tolerance tolerance = {});

// Every buffer of `model` (BatchNorm statistics) against <group>/<name>, and no more or fewer.
void check_buffers(const Module& model, const FixtureFile& file, const std::string& group);

}  // namespace kasf::test

// recompute_blocks: a training step that keeps only the blocks' inputs and runs each block again
// in backward gives the step without it: the same output, the same gradient for every parameter,
// the same BatchNorm running statistics (counted once) and the same dropout streams.
#include <boost/test/unit_test.hpp>

#include <cmath>

#include "framework/ops.h"
#include "layers/init.h"
#include "models/kasportsformer.h"
#include "models/model_config.h"

using namespace kasf;
using namespace kasf::models;

namespace {

struct Step {
  std::vector<float> output;
  std::map<std::string, std::vector<float>> grads, buffers;
  std::vector<uint64_t> stream_offsets;
  size_t peak_bytes = 0;
};

// One training step of a small model with dropout everywhere (so the masks must replay) and the
// GCNs' BatchNorm (so the running statistics must not count the recomputation).
Step train_step(bool recompute) {
  Generator init(3);
  KASportsFormer model(parse_model_config("n_layers: 3 dim_feat: 16 dim_rep: 32 num_heads: 2 n_frames: 27 "
                                          "drop: 0.2 attn_drop: 0.1",
                                          "recompute test"),
                       init);
  model.train();
  model.set_recompute_blocks(recompute);
  const Tensor input = uniform_tensor({2, 27, 17, 3}, 1.0f, init).set_requires_grad(true);
  Backend& backend = input.backend();
  const size_t before = backend.memory_use().in_use;
  backend.reset_peak_memory();
  Step s;
  {
    const Tensor out = model.forward(input);
    s.output = out.to_vector();
    sum(mul(out, out)).backward();
  }
  s.peak_bytes = backend.memory_use().peak_in_use - before;
  s.grads["input"] = input.grad().to_vector();
  for (const auto& [name, p] : model.named_parameters())
    if (p.grad().defined()) s.grads[name] = p.grad().to_vector();
  for (const auto& [name, b] : model.named_buffers()) s.buffers[name] = b.to_vector();
  for (const auto& [name, g] : model.named_generators()) s.stream_offsets.push_back(g->offset());
  return s;
}

void check_close(const std::vector<float>& a, const std::vector<float>& b, const std::string& what) {
  BOOST_TEST_REQUIRE(a.size() == b.size(), what);
  for (size_t i = 0; i < a.size(); ++i)
    BOOST_TEST(std::fabs(a[i] - b[i]) <= 1e-6f + 1e-4f * std::fabs(b[i]), what << "[" << i << "]: " << a[i] << " vs " << b[i]);
}

}  // namespace

BOOST_AUTO_TEST_SUITE(recompute_blocks)

BOOST_AUTO_TEST_CASE(a_recomputed_step_equals_the_stored_one) {
  const Step stored = train_step(false), recomputed = train_step(true);
  check_close(recomputed.output, stored.output, "output");
  BOOST_TEST(recomputed.grads.size() == stored.grads.size());
  for (const auto& [name, g] : stored.grads) check_close(recomputed.grads.at(name), g, name);
  BOOST_TEST(recomputed.buffers.size() == stored.buffers.size());
  for (const auto& [name, b] : stored.buffers) check_close(recomputed.buffers.at(name), b, name);
  BOOST_TEST(recomputed.stream_offsets == stored.stream_offsets);
  // What it is for: of three blocks, at most one block's activations are alive at once.
  BOOST_TEST(recomputed.peak_bytes * 2 < stored.peak_bytes, recomputed.peak_bytes << " vs " << stored.peak_bytes);
}

BOOST_AUTO_TEST_SUITE_END()

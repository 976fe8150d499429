// What a training step keeps for its backward, measured by the backend's allocator: the
// activations saved by the forward pass, and the peak of the whole step, must stay within bounds
// counted in token activations (B x T x J x d floats), so that a change which saves more than the
// backward reads (an unfused chain, a copy kept alive by the graph) fails here.
#include <boost/test/unit_test.hpp>

#include "framework/caching_allocator.h"
#include "framework/ops.h"
#include "layers/init.h"
#include "models/kasportsformer.h"
#include "models/model_config.h"
#include "training/losses.h"

using namespace kasf;

namespace {

// The official block structure at a small width: 2 blocks of d = 32, 27 frames, 17 joints.
constexpr int64_t kBatch = 8, kFrames = 27, kJoints = 17, kDim = 32, kLayers = 2;

struct StepMemory {
  double saved;  // after the forward pass and the loss, in token activations
  double peak;   // the most held at once during forward, loss and backward, in token activations
};

StepMemory measure_step(Generator& init) {
  models::KASportsFormer model(
      models::parse_model_config("n_layers: 2 dim_feat: 32 dim_rep: 64 num_heads: 4 n_frames: 27", "memory test"),
      init);
  model.train();
  const Tensor input = uniform_tensor({kBatch, kFrames, kJoints, 3}, 1.0f, init);
  const Tensor target = uniform_tensor({kBatch, kFrames, kJoints, 3}, 1.0f, init);
  Backend& backend = input.backend();
  const double activation = static_cast<double>(kBatch * kFrames * kJoints * kDim * sizeof(float));
  const size_t before = backend.memory_use().in_use;
  backend.reset_peak_memory();
  StepMemory m{};
  {
    const training::LossTerms loss = training::training_loss(model.forward(input), target, training::LossWeights{});
    m.saved = static_cast<double>(backend.memory_use().in_use - before) / activation;
    loss.total.backward();
  }
  m.peak = static_cast<double>(backend.memory_use().peak_in_use - before) / activation;
  return m;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(activation_memory)

// What one block may keep, in token activations (d = 32 features, 4 heads, MLP ratio 4):
//   self-attention modules, spatial and temporal: the LayerNorm output 1, the packed q|k|v 3,
//     the attention weights 4 x 17 / 32 and 4 x 27 / 32, the attention output 1, the mixer output
//     for the layer scale 1, the residual 1, the MLP's pre-activation 4 and output 1: 2 x 12 + 5.5;
//   GCN modules: LayerNorm output, V's output, the aggregate, the ReLU input (and the temporal
//     module's permuted nodes) 4 + 5, then mixer, residual and MLP as above 7 each: 23;
//   cross-attention modules: as self-attention plus the normalised memory: 2 x 13 + 5.5;
//   adaptive fusion: the three streams and their concatenation: 6.
// That is 90; 105 leaves room for row statistics, embeddings and the loss, not for another saved
// activation per module. The allocator rounds each block up to its size class.
constexpr double kBlockBudget = 105.0;

BOOST_AUTO_TEST_CASE(a_training_step_saves_no_more_than_its_backward_reads) {
  Generator init(5);
  measure_step(init);  // warm-up: parameters' gradients and the allocator's size classes
  const StepMemory m = measure_step(init);
  const double activation = static_cast<double>(kBatch * kFrames * kJoints * kDim * sizeof(float));
  const double rounding = static_cast<double>(CachingAllocator::size_class(static_cast<size_t>(activation))) / activation;
  const double budget = kBlockBudget * kLayers * rounding;
  BOOST_TEST_MESSAGE("saved " << m.saved << ", peak " << m.peak << " token activations; budget " << budget);
  BOOST_TEST(m.saved <= budget);
  // The backward frees each node's saved tensors as it runs, so the step's peak is the forward's.
  BOOST_TEST(m.peak <= budget + 4 * rounding);
}

BOOST_AUTO_TEST_SUITE_END()

// The differentiable ops. Every op checks its arguments (throwing ShapeError that names the op
// and the shapes), runs its kernels on the inputs' backend, and records its backward.
#pragma once
#include <cstdint>
#include <vector>

#include "framework/random.h"
#include "framework/tensor.h"

namespace kasf {

// ---- elementwise, NumPy broadcasting ------------------------------------------------------------
Tensor add(const Tensor& a, const Tensor& b);
Tensor sub(const Tensor& a, const Tensor& b);
Tensor mul(const Tensor& a, const Tensor& b);
Tensor div(const Tensor& a, const Tensor& b);
Tensor add_scalar(const Tensor& x, float s);
Tensor mul_scalar(const Tensor& x, float s);
Tensor neg(const Tensor& x);
Tensor pow_scalar(const Tensor& x, float exponent);
Tensor sqrt(const Tensor& x);
Tensor exp(const Tensor& x);
Tensor log(const Tensor& x);
Tensor relu(const Tensor& x);
Tensor gelu(const Tensor& x);  // exact: x * Phi(x) with erf
Tensor tanh(const Tensor& x);
Tensor sigmoid(const Tensor& x);
// a + b * c with broadcasting, in one pass (a residual with its layer scale: x + gamma * f(x)).
Tensor multiply_add(const Tensor& a, const Tensor& b, const Tensor& c);

inline Tensor operator+(const Tensor& a, const Tensor& b) { return add(a, b); }
inline Tensor operator-(const Tensor& a, const Tensor& b) { return sub(a, b); }
inline Tensor operator*(const Tensor& a, const Tensor& b) { return mul(a, b); }
inline Tensor operator/(const Tensor& a, const Tensor& b) { return div(a, b); }
inline Tensor operator+(const Tensor& a, float s) { return add_scalar(a, s); }
inline Tensor operator-(const Tensor& a, float s) { return add_scalar(a, -s); }
inline Tensor operator*(const Tensor& a, float s) { return mul_scalar(a, s); }
inline Tensor operator*(float s, const Tensor& a) { return mul_scalar(a, s); }
inline Tensor operator/(const Tensor& a, float s) { return mul_scalar(a, 1.0f / s); }
inline Tensor operator-(const Tensor& a) { return neg(a); }

// Comparisons give 0/1 tensors and no gradient.
Tensor eq(const Tensor& a, const Tensor& b);
Tensor gt(const Tensor& a, const Tensor& b);
Tensor ge(const Tensor& a, const Tensor& b);
// cond != 0 ? a : b with broadcasting; the gradient flows only into the chosen side.
Tensor where(const Tensor& cond, const Tensor& a, const Tensor& b);

// ---- reductions ---------------------------------------------------------------------------------
Tensor sum(const Tensor& x, const std::vector<int64_t>& axes, bool keepdim = false);
Tensor sum(const Tensor& x);  // all elements, shape ()
Tensor mean(const Tensor& x, const std::vector<int64_t>& axes, bool keepdim = false);
Tensor mean(const Tensor& x);
// Sums broadcast dimensions away so the result has `shape` (the backward of broadcasting).
Tensor sum_to(const Tensor& x, const Shape& shape);
// Euclidean norm over the last axis; its gradient at a zero vector is 0 (as PyTorch's).
Tensor l2_norm(const Tensor& x, bool keepdim = false);

// ---- shape --------------------------------------------------------------------------------------
Tensor reshape(const Tensor& x, const Shape& shape);  // one dimension may be -1
Tensor permute(const Tensor& x, const std::vector<int64_t>& dims);
Tensor transpose(const Tensor& x, int64_t axis0, int64_t axis1);
Tensor unsqueeze(const Tensor& x, int64_t axis);
Tensor squeeze(const Tensor& x, int64_t axis);
Tensor concat(const std::vector<Tensor>& xs, int64_t axis);
Tensor slice(const Tensor& x, int64_t axis, int64_t start, int64_t end);  // [start, end), negatives from the end
Tensor index_select(const Tensor& x, int64_t axis, const std::vector<int64_t>& index);

// ---- linear algebra -----------------------------------------------------------------------------
// (..., m, k) @ (..., k, n) with broadcast batch dimensions; 1-D operands are not promoted.
Tensor matmul(const Tensor& a, const Tensor& b);
// x (..., in) W^T + b with W (out, in), as torch.nn.functional.linear; `bias` may be undefined.
Tensor linear(const Tensor& x, const Tensor& weight, const Tensor& bias);

// ---- neural-network ops -------------------------------------------------------------------------
Tensor softmax(const Tensor& x);  // over the last axis
Tensor layer_norm(const Tensor& x, const Tensor& gamma, const Tensor& beta, float eps = 1e-5f);  // last axis
// x (N, C) or (N, C, L), channel axis 1, as torch BatchNorm1d. In training: normalise with batch
// statistics (biased variance) and update the running statistics in place with `momentum` and
// the unbiased variance; else normalise with the running statistics.
Tensor batch_norm(const Tensor& x, const Tensor& gamma, const Tensor& beta, const Tensor& running_mean,
                  const Tensor& running_var, bool training, float momentum = 0.1f, float eps = 1e-5f);
// Inverted dropout: identity unless training and p > 0.
Tensor dropout(const Tensor& x, float p, bool training, Generator& generator);

// s (..., n, n) -> 0/1 with A[r, c] = s[r, c] >= the k-th largest of row r (ties included); no gradient.
Tensor topk_adjacency(const Tensor& s, int64_t k);

// ---- fused ops (framework/ops/fused.cpp) --------------------------------------------------------
// act(LayerNorm(x) W1^T + b1) W2^T + b2 over the last axis (a transformer block's MLP half without
// its residual), one node that saves x, the row statistics and the pre-activation only. Gives the
// values and gradients of the composed ops. `activation` is UnaryOp::Gelu or UnaryOp::Relu.
Tensor norm_feed_forward(const Tensor& x, const Tensor& norm_gamma, const Tensor& norm_beta, float eps,
                         const Tensor& w1, const Tensor& b1, const Tensor& w2, const Tensor& b2,
                         UnaryOp activation);
// Multi-head scaled dot-product attention along the sequence axis `seq_axis` of (B, T, J, .) tokens
// (1: over frames, 2: over joints; the other is a batch axis): softmax(scale q k^T) v per head,
// heads of d / heads features. One node that saves the head-split q, k, v and the weights, with no
// permuted copies of its inputs or outputs kept besides. `attention` takes q (B, T, J, d) and the
// keys and values packed as kv (B, T, J, 2d); `self_attention` takes qkv packed as (B, T, J, 3d).
// Results are (B, T, J, d). Attention-weight dropout is not part of them.
Tensor attention(const Tensor& q, const Tensor& kv, int64_t heads, int64_t seq_axis, float scale);
Tensor self_attention(const Tensor& qkv, int64_t heads, int64_t seq_axis, float scale);

}  // namespace kasf

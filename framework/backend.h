// The backend seam: every numeric kernel the ops need, on raw device buffers.
//
// Ops (framework/ops/) do shape logic and autograd and call exactly these kernels, so a backend
// (cpu/, cuda/) implements this interface and nothing else. All buffers are float32 and live on the
// backend's device; small index lists are passed as host arrays (a backend copies them if needed).
#pragma once
#include <cstddef>
#include <cstdint>

#include "framework/shape.h"

namespace kasf {

// EmulatedCuda is the CUDA backend's own source compiled for the host, its kernels run by a CPU
// emulation of the launch model (framework/cuda/emulator.h): how CI tests them without a GPU.
enum class Device { CPU, CUDA, EmulatedCuda };
const char* device_name(Device d);

// A strided view's geometry in elements. Fixed size so it can be passed by value to GPU kernels.
struct Layout {
  static constexpr int kMaxRank = 8;
  int rank = 0;
  int64_t shape[kMaxRank] = {};
  int64_t strides[kMaxRank] = {};
  int64_t numel() const;
  static Layout of(const Shape& shape, const Shape& strides);  // throws beyond kMaxRank
  static Layout contiguous(const Shape& shape);
};

enum class BinaryOp { Add, Sub, Mul, Div, Pow, Max, Min, Eq, Gt, Ge };

enum class UnaryOp {
  Neg, AddScalar, MulScalar, PowScalar, Exp, Log, Sqrt, Rsqrt, Abs, Sign,
  Relu, Gelu, Tanh, Sigmoid, Square, Reciprocal
};

// Float64 like PyTorch's Python scalars: a kernel derives 1 - beta, lr / bias_correction1, ... in
// float64 and only then rounds them to float32 (0.999f loses the precision 1 - beta2 needs).
struct AdamWStep {
  double lr, beta1, beta2, eps, weight_decay;
  double bias_correction1, bias_correction2;  // 1 - beta^step
};

// What a backend's allocator holds, in bytes: handed out now, the most handed out since the last
// reset_peak_memory(), and freed blocks kept for reuse.
struct MemoryUse {
  size_t in_use = 0, peak_in_use = 0, cached = 0;
};

// One row-major batched GEMM: C_b = alpha op(A_b) op(B_b) + beta C_b (+ bias) for b < batch, with
// op(A) m x k and op(B) k x n, leading dimensions in elements and batch strides in elements (0: the
// operand is shared by every product). Products may come in `outer_batch` groups of `batch`, group
// o's operands outer_stride_* further on: attention's per-head products read straight from a
// (B, T, J, C) token tensor, where no single stride reaches them all (a joint's frames, per sample).
//
// The epilogue works on each tile of C while it is still in cache: `bias` (n values, shared by every
// product), if set, is added to each row, so a linear layer's bias costs no pass of its own; then
// `activated`, if set, receives activation(C) laid out as C (ldc and strides; it may be C itself),
// so a feed-forward's GELU costs no pass either, and C keeps the pre-activation a backward needs when
// `activated` is another buffer. In a backward, `derivative_at` (laid out as C) instead makes the
// epilogue C *= activation'(derivative_at): the gradient through the activation at the saved
// pre-activation, for activations whose derivative reads only their input (GELU, ReLU); `activated`
// (another buffer) then receives activation(derivative_at), the forward's output recomputed in the
// same pass for the weight gradient that reads it.
// Callers name the fields they set:
//   be.gemm({.trans_b = true, .m = rows, .n = out, .k = in, .a = x, .lda = in, .b = w, .ldb = in, .c = y, .ldc = out});
struct GemmArgs {
  bool trans_a = false, trans_b = false;
  int64_t m = 0, n = 0, k = 0;
  float alpha = 1.0f;
  const float* a = nullptr;
  int64_t lda = 0, stride_a = 0;
  const float* b = nullptr;
  int64_t ldb = 0, stride_b = 0;
  float beta = 0.0f;
  float* c = nullptr;
  int64_t ldc = 0, stride_c = 0;
  int64_t batch = 1;
  int64_t outer_batch = 1, outer_stride_a = 0, outer_stride_b = 0, outer_stride_c = 0;
  const float* bias = nullptr;
  float* activated = nullptr;
  const float* derivative_at = nullptr;
  UnaryOp activation = UnaryOp::Gelu;  // for `activated` and `derivative_at`; no scalar op (alpha 0)
};

// Throws std::invalid_argument unless every backend runs this epilogue: `derivative_at` only for an
// activation whose derivative reads its input alone, and then `activated` not in C.
void check_epilogue(const GemmArgs& g);

// g with its pointers (operands, C and the epilogue's buffers laid out as C) moved on to product b of
// group o; the counts stay, so callers set the batches they mean.
GemmArgs gemm_product(GemmArgs g, int64_t o, int64_t b);

// Attention's products (framework/ops/fused.cpp): one per head and group, a group being a frame's
// joints or a joint's frames of (B, T, J, width) token tensors. The groups of a head come in two
// levels, `inner` within `outer`.
struct AttentionGroups {
  int64_t heads, inner, outer;
};

// Where an operand of those products lies, in elements: its rows `ld` apart, and a head's, an inner
// group's and an outer group's operand `head`, `inner` and `outer` further on.
struct AttentionStrides {
  int64_t ld, head, inner, outer;
};

// Dense (rows x cols) blocks, one per product, ordered (outer, inner, head).
AttentionStrides attention_blocks(const AttentionGroups& g, int64_t rows, int64_t cols);

// The forward of attention over sequences of n tokens, heads of width c, for every head and group:
// P = softmax(scale Q K^T) (n x n) and O = P V (n x c), the operands where their strides say. P, if
// not null, receives the weights ((products, n, n) floats, in the backend's own order) for its
// backward to read.
struct AttentionArgs {
  AttentionGroups groups;
  int64_t n, c;
  float scale;
  const float* q;
  AttentionStrides q_at;
  const float* k;
  AttentionStrides k_at;
  const float* v;
  AttentionStrides v_at;
  float* out;
  AttentionStrides out_at;
  float* p;
};

class Backend {
 public:
  virtual ~Backend() = default;
  virtual Device device() const = 0;

  // Memory. `allocate` may return cached memory; contents are undefined.
  virtual float* allocate(size_t count) = 0;
  virtual void deallocate(float* ptr, size_t count) = 0;
  virtual void upload(float* dst, const float* host_src, size_t count) = 0;
  virtual void download(float* host_dst, const float* src, size_t count) = 0;
  virtual void synchronize() {}
  virtual MemoryUse memory_use() const = 0;
  virtual void reset_peak_memory() = 0;
  // Hands the allocator's cached blocks back to the device, for blocks no later allocation will
  // reuse (the parameters' own blocks, once a ParameterArena holds their values).
  virtual void free_cached_memory() = 0;

  virtual void fill(float* dst, int64_t count, float value) = 0;
  // dst[...] = src[...] over the common shape of two strided views (permute, slice, concat, contiguous).
  virtual void copy(const float* src, const Layout& src_layout, float* dst, const Layout& dst_layout) = 0;

  // out = op(a, b); `a` and `b` are views of out's shape (stride 0 where broadcast); out is contiguous.
  virtual void binary(BinaryOp op, const float* a, const Layout& a_layout, const float* b,
                      const Layout& b_layout, float* out, const Layout& out_layout) = 0;
  // out = cond != 0 ? a : b, all three broadcast views of out's shape; out contiguous.
  virtual void select(const float* cond, const Layout& cond_layout, const float* a, const Layout& a_layout,
                      const float* b, const Layout& b_layout, float* out, const Layout& out_layout) = 0;
  // out = a + b * c, all three broadcast views of out's shape; out contiguous. A residual with a
  // layer scale (x + gamma * f(x)) in one pass instead of a product and a sum.
  virtual void multiply_add(const float* a, const Layout& a_layout, const float* b, const Layout& b_layout,
                            const float* c, const Layout& c_layout, float* out, const Layout& out_layout) = 0;
  // y = op(x, alpha) elementwise on contiguous buffers (alpha is the scalar of *Scalar ops).
  virtual void unary(UnaryOp op, float alpha, const float* x, float* y, int64_t count) = 0;
  // gx = gy * d op(x)/dx; `y` is the forward output (some derivatives use it).
  virtual void unary_backward(UnaryOp op, float alpha, const float* x, const float* y, const float* gy,
                              float* gx, int64_t count) = 0;

  // y[o, i] = sum_r x[o, r, i] for contiguous x of shape (outer, reduce, inner).
  virtual void sum_axis(const float* x, float* y, int64_t outer, int64_t reduce, int64_t inner) = 0;

  virtual void gemm(const GemmArgs& g) = 0;

  // Attention's forward (AttentionArgs); a backend may keep each product's scores in cache.
  virtual void attention(const AttentionArgs& a) = 0;
  // Its backward for the output's gradient g_out (laid out as the output): the gradients of Q, K and
  // V, laid out as their operands, from the weights `a.p` the forward kept (`a.out` is not read).
  virtual void attention_backward(const AttentionArgs& a, const float* g_out, float* g_q, float* g_k, float* g_v) = 0;

  // Softmax over rows of length `cols`.
  virtual void softmax(const float* x, float* y, int64_t rows, int64_t cols) = 0;
  virtual void softmax_backward(const float* y, const float* gy, float* gx, int64_t rows, int64_t cols) = 0;

  // LayerNorm over rows of length `cols`; saves per-row mean and 1/std for the backward.
  virtual void layer_norm(const float* x, const float* gamma, const float* beta, float* y, float* mean,
                          float* rstd, int64_t rows, int64_t cols, float eps) = 0;
  // gx must not be null; ggamma/gbeta may be null (then skipped), else they are overwritten.
  virtual void layer_norm_backward(const float* x, const float* gamma, const float* mean, const float* rstd,
                                   const float* gy, float* gx, float* ggamma, float* gbeta, int64_t rows,
                                   int64_t cols) = 0;

  // BatchNorm on x viewed as (n, channels, inner): statistics per channel over n * inner values.
  // Biased variance, as used for normalising.
  virtual void batch_norm_stats(const float* x, float* mean, float* var, int64_t n, int64_t channels,
                                int64_t inner) = 0;
  // y = (x - mean[c]) * rstd[c] * gamma[c] + beta[c]
  virtual void batch_norm_apply(const float* x, const float* mean, const float* rstd, const float* gamma,
                                const float* beta, float* y, int64_t n, int64_t channels, int64_t inner) = 0;
  // Backward of batch_norm_apply. With `batch_stats` the mean and rstd are functions of x (training).
  virtual void batch_norm_backward(const float* x, const float* mean, const float* rstd, const float* gamma,
                                   const float* gy, float* gx, float* ggamma, float* gbeta, int64_t n,
                                   int64_t channels, int64_t inner, bool batch_stats) = 0;

  // y[o, j, i] = x[o, index[j], i]; x is (outer, axis_size, inner), y is (outer, count, inner).
  virtual void index_select(const float* x, float* y, int64_t outer, int64_t axis_size, int64_t inner,
                            const int64_t* host_index, int64_t count) = 0;
  // gx[o, index[j], i] += gy[o, j, i] (gx zeroed by the caller).
  virtual void index_add(const float* gy, float* gx, int64_t outer, int64_t axis_size, int64_t inner,
                         const int64_t* host_index, int64_t count) = 0;

  // For each of `batch` n x n matrices S: A[r, c] = 1 if S[r, c] >= the k-th largest value of row r.
  virtual void topk_adjacency(const float* s, float* a, int64_t batch, int64_t n, int64_t k) = 0;

  // mask[i] = u(seed, offset + i) >= p ? 1 / (1 - p) : 0, u uniform in [0, 1) (counter-based).
  virtual void dropout_mask(float* mask, int64_t count, float p, uint64_t seed, uint64_t offset) = 0;

  // One fused AdamW update of a parameter and its moments (PyTorch's torch.optim.AdamW).
  virtual void adamw(float* param, const float* grad, float* exp_avg, float* exp_avg_sq, int64_t count,
                     const AdamWStep& step) = 0;
};

// The backend of a device; throws if that device's backend is not built or no device is present.
Backend& backend_for(Device device);

}  // namespace kasf

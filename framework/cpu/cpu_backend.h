// The CPU backend: OpenBLAS for GEMMs, loops on the backend's own thread pool for everything else.
//
// Threading: every kernel, the GEMMs included, splits its work over the pool of parallel.h;
// OpenBLAS itself runs single-threaded inside the pool's chunks. Each kernel family lives in its
// own file.
#pragma once
#include "framework/backend.h"
#include "framework/caching_allocator.h"
#include "framework/cpu/parallel.h"

namespace kasf {

class CpuBackend final : public Backend {
 public:
  CpuBackend();
  Device device() const override { return Device::CPU; }

  float* allocate(size_t count) override;
  MemoryUse memory_use() const override {
    return {cache_.bytes_in_use(), cache_.peak_bytes_in_use(), cache_.cached_bytes()};
  }
  void reset_peak_memory() override { cache_.reset_peak(); }
  void free_cached_memory() override { cache_.free_cached(); }
  void deallocate(float* ptr, size_t count) override;
  void upload(float* dst, const float* host_src, size_t count) override;
  void download(float* host_dst, const float* src, size_t count) override;

  void fill(float* dst, int64_t count, float value) override;
  void copy(const float* src, const Layout& src_layout, float* dst, const Layout& dst_layout) override;

  void binary(BinaryOp op, const float* a, const Layout& a_layout, const float* b, const Layout& b_layout,
              float* out, const Layout& out_layout) override;
  void select(const float* cond, const Layout& cond_layout, const float* a, const Layout& a_layout,
              const float* b, const Layout& b_layout, float* out, const Layout& out_layout) override;
  void multiply_add(const float* a, const Layout& a_layout, const float* b, const Layout& b_layout, const float* c,
                    const Layout& c_layout, float* out, const Layout& out_layout) override;
  void unary(UnaryOp op, float alpha, const float* x, float* y, int64_t count) override;
  void unary_backward(UnaryOp op, float alpha, const float* x, const float* y, const float* gy, float* gx,
                      int64_t count) override;

  void sum_axis(const float* x, float* y, int64_t outer, int64_t reduce, int64_t inner) override;

  void gemm(const GemmArgs& g) override;

  void attention(const AttentionArgs& a) override;
  void attention_backward(const AttentionArgs& a, const float* g_out, float* g_q, float* g_k, float* g_v) override;
  void softmax(const float* x, float* y, int64_t rows, int64_t cols) override;
  void softmax_backward(const float* y, const float* gy, float* gx, int64_t rows, int64_t cols) override;

  void layer_norm(const float* x, const float* gamma, const float* beta, float* y, float* mean, float* rstd,
                  int64_t rows, int64_t cols, float eps) override;
  void layer_norm_backward(const float* x, const float* gamma, const float* mean, const float* rstd,
                           const float* gy, float* gx, float* ggamma, float* gbeta, int64_t rows,
                           int64_t cols) override;

  void batch_norm_stats(const float* x, float* mean, float* var, int64_t n, int64_t channels,
                        int64_t inner) override;
  void batch_norm_apply(const float* x, const float* mean, const float* rstd, const float* gamma,
                        const float* beta, float* y, int64_t n, int64_t channels, int64_t inner) override;
  void batch_norm_backward(const float* x, const float* mean, const float* rstd, const float* gamma,
                           const float* gy, float* gx, float* ggamma, float* gbeta, int64_t n, int64_t channels,
                           int64_t inner, bool batch_stats) override;

  void index_select(const float* x, float* y, int64_t outer, int64_t axis_size, int64_t inner,
                    const int64_t* host_index, int64_t count) override;
  void index_add(const float* gy, float* gx, int64_t outer, int64_t axis_size, int64_t inner,
                 const int64_t* host_index, int64_t count) override;

  void topk_adjacency(const float* s, float* a, int64_t batch, int64_t n, int64_t k) override;
  void dropout_mask(float* mask, int64_t count, float p, uint64_t seed, uint64_t offset) override;
  void adamw(float* param, const float* grad, float* exp_avg, float* exp_avg_sq, int64_t count,
             const AdamWStep& step) override;

 private:
  // Training allocates the same activation sizes every step: reusing freed blocks spares the
  // page faults and zeroing of fresh memory (a tenth of a training step when every buffer was new).
  CachingAllocator cache_;
};

Backend& cpu_backend();

namespace cpu {

// y = op(x) and gx = gy * op'(x, y) for n contiguous floats on the calling thread: the loops of
// CpuBackend::unary and ::unary_backward for one chunk, and the GEMM's epilogue for one row of a tile.
void map_unary(UnaryOp op, float alpha, const float* x, float* y, int64_t n);
void map_unary_backward(UnaryOp op, float alpha, const float* x, const float* y, const float* gy, float* gx, int64_t n);
// y = op(x) and g *= op'(x) in one pass (GemmArgs::derivative_at with ::activated), for ops whose
// derivative reads only x and y.
void map_unary_and_backward(UnaryOp op, const float* x, float* y, float* g, int64_t n);

// Softmax and its backward over `rows` rows of length `cols` on the calling thread; y may be x, gx
// may be gy.
void softmax_serial(const float* x, float* y, int64_t rows, int64_t cols);
void softmax_backward_serial(const float* y, const float* gy, float* gx, int64_t rows, int64_t cols);

// Attention over sequences of at most kShortSequence tokens, kAttentionLanes products at a time
// (attention_lanes.cpp), on CPUs where that fits the vector registers (attention_in_lanes_fits:
// AVX-512); longer ones, and all on other CPUs, go one product at a time (attention.cpp). The two
// keep the weights for the backward in different layouts: a backward takes the path its forward took.
constexpr int64_t kShortSequence = 32;
constexpr int64_t kAttentionLanes = 16;
bool attention_in_lanes_fits();
// Product i of `g` (ordered outer group, inner group, head: the order of attention_blocks) starts
// this far into an operand with strides `s`.
inline int64_t attention_product_offset(const AttentionGroups& g, const AttentionStrides& s, int64_t i) {
  const int64_t h = i % g.heads, group = i / g.heads;
  return h * s.head + (group % g.inner) * s.inner + (group / g.inner) * s.outer;
}
void attention_in_lanes(const AttentionArgs& a);
void attention_backward_in_lanes(const AttentionArgs& a, const float* g_out, float* g_q, float* g_k, float* g_v);
void attention_per_product(const AttentionArgs& a);
void attention_backward_per_product(const AttentionArgs& a, const float* g_out, float* g_q, float* g_k, float* g_v);
// The calling thread's scratch of at least `count` floats for the attention kernels, reused from call
// to call.
float* attention_scratch(int64_t count);

}  // namespace cpu

}  // namespace kasf

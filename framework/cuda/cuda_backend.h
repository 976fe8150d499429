// The CUDA backend: own kernels (framework/cuda/kernels/) for everything but GEMM (cuBLAS) and
// softmax (cuDNN), a caching device allocator, and one stream on which every kernel is enqueued
// asynchronously; the host waits only in download().
//
// The same source builds twice: with nvcc as kasf::gpu::CudaBackend (Device::CUDA), and with the
// host compiler as kasf::emulated::CudaBackend (Device::EmulatedCuda), whose kernels run on the
// launch emulator so that CI can check them against the CPU backend. See docs/cuda.md.
#pragma once
#include "framework/backend.h"
#include "framework/caching_allocator.h"
#include "framework/cuda/device_runtime.h"

namespace kasf::KASF_CUDA_NS {

class CudaBackend final : public Backend {
 public:
  CudaBackend();
  Device device() const override;

  float* allocate(size_t count) override;
  MemoryUse memory_use() const override {
    return {allocator_.bytes_in_use(), allocator_.peak_bytes_in_use(), allocator_.cached_bytes()};
  }
  void reset_peak_memory() override { allocator_.reset_peak(); }
  void free_cached_memory() override { allocator_.free_cached(); }
  void deallocate(float* ptr, size_t count) override;
  void upload(float* dst, const float* host_src, size_t count) override;
  void download(float* host_dst, const float* src, size_t count) override;
  void synchronize() override;

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
  // Per-channel sums of x viewed as (n, channels, inner), into sums[channels].
  void channel_sums(const float* x, float* sums, int64_t n, int64_t channels, int64_t inner);
  // A device copy of a host index list, valid until the returned block goes out of scope.
  CachedBlock device_index(const int64_t* host_index, int64_t count, const char* op);

  DeviceRuntime runtime_;
  CachingAllocator allocator_;
};

}  // namespace kasf::KASF_CUDA_NS

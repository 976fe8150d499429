// CudaBackend: elementwise kernels, strided copies and the fused AdamW update.
#include "framework/cuda/cuda_backend.h"
#include "framework/cuda/kernels/adamw.cuh"
#include "framework/cuda/kernels/elementwise.cuh"
#include "framework/cuda/launch.h"

namespace kasf::KASF_CUDA_NS {

namespace {

// A view whose elements are contiguous in row-major order becomes rank 1, so its kernel offsets
// cost no index arithmetic (the common case: only broadcast or permuted operands keep their rank).
Layout flattened(const Layout& view) {
  int64_t expected = 1;
  for (int d = view.rank - 1; d >= 0; --d) {
    if (view.shape[d] != 1 && view.strides[d] != expected) return view;
    expected *= view.shape[d];
  }
  Layout flat;
  flat.rank = 1;
  flat.shape[0] = view.numel();
  flat.strides[0] = 1;
  return flat;
}

}  // namespace

void CudaBackend::fill(float* dst, int64_t count, float value) {
  KASF_RUN_KERNEL(fill_kernel, blocks_for_threads(count), "fill", dst, count, value);
}

void CudaBackend::copy(const float* src, const Layout& src_layout, float* dst, const Layout& dst_layout) {
  const int64_t count = dst_layout.numel();
  KASF_RUN_KERNEL(copy_kernel, blocks_for_threads(count), "copy", src, flattened(src_layout), dst,
                  flattened(dst_layout), count);
}

void CudaBackend::binary(BinaryOp op, const float* a, const Layout& a_layout, const float* b,
                         const Layout& b_layout, float* out, const Layout& out_layout) {
  const int64_t count = out_layout.numel();
  KASF_RUN_KERNEL(binary_kernel, blocks_for_threads(count), "binary", op, a, flattened(a_layout), b,
                  flattened(b_layout), out, count);
}

void CudaBackend::select(const float* cond, const Layout& cond_layout, const float* a, const Layout& a_layout,
                         const float* b, const Layout& b_layout, float* out, const Layout& out_layout) {
  const int64_t count = out_layout.numel();
  KASF_RUN_KERNEL(select_kernel, blocks_for_threads(count), "select", cond, flattened(cond_layout), a,
                  flattened(a_layout), b, flattened(b_layout), out, count);
}

void CudaBackend::multiply_add(const float* a, const Layout& a_layout, const float* b, const Layout& b_layout,
                               const float* c, const Layout& c_layout, float* out, const Layout& out_layout) {
  const int64_t count = out_layout.numel();
  KASF_RUN_KERNEL(multiply_add_kernel, blocks_for_threads(count), "multiply_add", a, flattened(a_layout), b,
                  flattened(b_layout), c, flattened(c_layout), out, count);
}

void CudaBackend::unary(UnaryOp op, float alpha, const float* x, float* y, int64_t count) {
  KASF_RUN_KERNEL(unary_kernel, blocks_for_threads(count), "unary", op, alpha, x, y, count);
}

void CudaBackend::unary_backward(UnaryOp op, float alpha, const float* x, const float* y, const float* gy,
                                 float* gx, int64_t count) {
  KASF_RUN_KERNEL(unary_backward_kernel, blocks_for_threads(count), "unary_backward", op, alpha, x, y, gy, gx,
                  count);
}

void CudaBackend::adamw(float* param, const float* grad, float* exp_avg, float* exp_avg_sq, int64_t count,
                        const AdamWStep& step) {
  const AdamWConstants k = adamw_constants(step);
  KASF_RUN_KERNEL(adamw_kernel, blocks_for_threads(count), "adamw", param, grad, exp_avg, exp_avg_sq, count, k);
}

}  // namespace kasf::KASF_CUDA_NS

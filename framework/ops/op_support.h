// Helpers shared by the op implementations (not part of the public API).
#pragma once
#include "framework/autograd.h"
#include "framework/tensor.h"

namespace kasf::detail {

// The geometry of `t` read as a tensor of shape `out` under NumPy broadcasting (stride 0 where broadcast).
Layout broadcast_layout(const Tensor& t, const Shape& out);

// A contiguous tensor holding `t`'s values, outside the graph (for kernels that need dense input).
inline Tensor dense(const Tensor& t) { return t.is_contiguous() ? t.detach() : t.detach().contiguous(); }

inline float* data_or_null(const Tensor& t) { return t.defined() ? t.data() : nullptr; }

// y (rows x out) = x (rows x in) W^T + b on dense buffers, W (out, in) and b (out) dense; `bias`
// may be undefined. The GEMM adds the bias in its epilogue: no separate pass. With `activated`,
// that epilogue also writes activation(y) there (rows x out; it may be y itself).
void linear_rows(const float* x, const Tensor& weight, const Tensor& bias, float* y, int64_t rows,
                 float* activated = nullptr, UnaryOp activation = UnaryOp::Gelu);
// The gradients of linear_rows for gy (rows x out): gx = gy W, gw = gy^T x, gb = column sums of
// gy; each output may be null when not needed.
void linear_rows_backward(const float* x, const Tensor& weight, const float* gy, float* gx, float* gw, float* gb,
                          int64_t rows);
// The same for a layer whose input x = activation(pre) (rows x in) was not kept: gx is carried on
// through the activation, gx = (gy W) * activation'(pre), and x is recomputed into `x` (a buffer
// to fill) by that GEMM's epilogue, one evaluation of the activation for both, before gw reads it.
void activated_linear_rows_backward(const float* pre, UnaryOp activation, float* x, const Tensor& weight,
                                    const float* gy, float* gx, float* gw, float* gb, int64_t rows);

// Throws unless all defined tensors live on the same device.
void check_same_device(const char* op, std::initializer_list<const Tensor*> tensors);

}  // namespace kasf::detail

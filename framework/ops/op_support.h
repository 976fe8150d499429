// Helpers shared by the op implementations (not part of the public API).
#pragma once
#include "framework/autograd.h"
#include "framework/tensor.h"

namespace kasf::detail {

// The geometry of `t` read as a tensor of shape `out` under NumPy broadcasting (stride 0 where broadcast).
Layout broadcast_layout(const Tensor& t, const Shape& out);

// A contiguous tensor holding `t`'s values, outside the graph (for kernels that need dense input).
inline Tensor dense(const Tensor& t) { return t.is_contiguous() ? t.detach() : t.detach().contiguous(); }

// Throws unless all defined tensors live on the same device.
void check_same_device(const char* op, std::initializer_list<const Tensor*> tensors);

}  // namespace kasf::detail

// The op test table: every op's forward against a direct host reference and its backward against
// central finite differences, run for every backend that exists. Each op family contributes its
// cases from its own file through an add_*_cases() function listed in op_table.cpp.
#pragma once
#include <functional>
#include <string>
#include <vector>

#include "framework/ops.h"

namespace kasf::test {

using HostValues = std::vector<float>;

struct OpCase {
  std::string name;                      // test name, unique: "add_broadcast"
  std::vector<Shape> input_shapes;       // inputs are drawn uniformly from [low, high)
  // The op under test, on tensors of the backend being tested.
  std::function<Tensor(const std::vector<Tensor>& inputs)> op;
  // An independent, direct host implementation: writes the expected output shape and values.
  std::function<void(const std::vector<HostValues>& inputs, Shape& out_shape, HostValues& out)> reference;
  float low = -1.0f, high = 1.0f;
  // Optional: reshapes the drawn inputs (keep denominators away from 0, break ties, ...).
  std::function<void(std::vector<HostValues>& inputs)> prepare;
  // Optional: elements whose finite difference straddles a kink (ReLU at 0) are not checked.
  std::function<bool(size_t input, size_t element, const std::vector<HostValues>& inputs)> near_kink;
  std::vector<bool> differentiable;  // per input; empty = all (no gradient check if the op has none)
  bool has_gradient = true;
  float forward_rtol = 1e-5f, forward_atol = 1e-5f;
  float fd_epsilon = 1e-3f;
  float grad_rtol = 1e-2f, grad_atol = 2e-3f;
};

// One registration function per op family; each appends its cases.
void add_elementwise_cases(std::vector<OpCase>& table);
void add_shape_cases(std::vector<OpCase>& table);
void add_reduction_cases(std::vector<OpCase>& table);
void add_linalg_cases(std::vector<OpCase>& table);
void add_nn_cases(std::vector<OpCase>& table);
void add_fused_cases(std::vector<OpCase>& table);

// Reference helpers shared by case files.
// Index of `out_index` of a row-major shape `out` inside a broadcast input of shape `in`.
size_t broadcast_source(const Shape& out, const Shape& in, size_t out_index);

}  // namespace kasf::test

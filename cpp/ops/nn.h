// trueno.nn: validation, layout and dispatch for the ML operations
// (kernels/simd_nn.*). Inputs must be real floating-point arrays.
#pragma once
#include <optional>
#include <vector>

#include "core/array.h"
#include "kernels/simd_nn.h"
#include "kernels/simd_norm.h"

namespace trueno {

Array nn_activation(simd::nn::Activation f, const Array& x, const char* func);
Array nn_softmax(const Array& x, int64_t axis, bool log, const char* func);
// axes: normalised, no repeats (nullopt: all axes); see ops/norm.h.
Array nn_norm(simd::norm::Kind k, const Array& x, const std::optional<std::vector<int>>& axes, bool keepdims,
              const char* func);
// Broadcasts a, b, c together; promotes their float dtypes.
Array nn_ternary(simd::nn::Ternary k, const Array& a, const Array& b, const Array& c, const char* func);

}  // namespace trueno

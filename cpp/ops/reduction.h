// Reductions (statistical, all/any, argmax/argmin/count_nonzero) and
// cumulative sums/products: validation, the spec's dtype rules, output
// shape, and dispatch to the loops of kernels/reduction.h.
#pragma once
#include <cstdint>
#include <optional>
#include <vector>

#include "core/array.h"

namespace trueno {

enum class Reduction : uint8_t {
  Sum, Prod, Max, Min, Mean, Var, Std, All, Any, CountNonzero, ArgMax, ArgMin
};
const char* reduction_name(Reduction r);

// Reduces `x` over `axes` (normalised, distinct; nullopt = every axis).
// `dtype` is honoured by Sum and Prod only; `correction` by Var and Std.
Array reduce(Reduction r, const Array& x, const std::optional<std::vector<int>>& axes,
             bool keepdims, std::optional<DType> dtype = std::nullopt, double correction = 0.0);

// cumulative_sum / cumulative_prod. axis may be omitted for 1-D input only.
Array cumulative(bool prod, const Array& x, std::optional<int64_t> axis,
                 std::optional<DType> dtype, bool include_initial);

}  // namespace trueno

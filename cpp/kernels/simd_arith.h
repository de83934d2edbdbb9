// SIMD loops (Highway, dispatched at run time) that replace the generic loop
// of a (functor, dtype) pair in the elementwise table.
#pragma once
#include "kernels/scalar_math.h"
#include "kernels/simd_overrides.h"

namespace trueno::simd {

template <> StridedLoop binary_override<math::Add, float>();
template <> StridedLoop binary_override<math::Add, double>();
template <> StridedLoop binary_override<math::Subtract, float>();
template <> StridedLoop binary_override<math::Subtract, double>();
template <> StridedLoop binary_override<math::Multiply, float>();
template <> StridedLoop binary_override<math::Multiply, double>();
template <> StridedLoop binary_override<math::Divide, float>();
template <> StridedLoop binary_override<math::Divide, double>();

}  // namespace trueno::simd

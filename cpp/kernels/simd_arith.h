// SIMD loops (Highway, dispatched at run time) that replace the generic loop
// of a (functor, dtype) pair in the elementwise table.
#pragma once
#include "core/iteration.h"
#include "kernels/scalar_math.h"

namespace trueno::simd {

// The SIMD loop for Op on T, or null to keep the generic loop.
template <class Op, class T> inline StridedLoop binary_override() { return nullptr; }
template <> StridedLoop binary_override<math::Add, float>();
template <> StridedLoop binary_override<math::Add, double>();
template <> StridedLoop binary_override<math::Subtract, float>();
template <> StridedLoop binary_override<math::Subtract, double>();
template <> StridedLoop binary_override<math::Multiply, float>();
template <> StridedLoop binary_override<math::Multiply, double>();
template <> StridedLoop binary_override<math::Divide, float>();
template <> StridedLoop binary_override<math::Divide, double>();

}  // namespace trueno::simd

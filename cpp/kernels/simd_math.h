// SIMD unary functions (Highway, dispatched at run time; kernels/simd_math.cpp):
// specialisations of simd::unary_override for float32 and float64.
#pragma once
#include "kernels/scalar_math.h"
#include "kernels/simd_overrides.h"

namespace trueno::simd {

template <> StridedLoop unary_override<math::Exp, float>();
template <> StridedLoop unary_override<math::Exp, double>();
template <> StridedLoop unary_override<math::Expm1, float>();
template <> StridedLoop unary_override<math::Expm1, double>();
template <> StridedLoop unary_override<math::Tanh, float>();
template <> StridedLoop unary_override<math::Tanh, double>();
template <> StridedLoop unary_override<math::Sinh, float>();
template <> StridedLoop unary_override<math::Sinh, double>();
template <> StridedLoop unary_override<math::Cosh, float>();
template <> StridedLoop unary_override<math::Cosh, double>();
template <> StridedLoop unary_override<math::Tan, float>();
template <> StridedLoop unary_override<math::Tan, double>();
template <> StridedLoop unary_override<math::Log, float>();
template <> StridedLoop unary_override<math::Log, double>();
template <> StridedLoop unary_override<math::Log2, float>();
template <> StridedLoop unary_override<math::Log2, double>();
template <> StridedLoop unary_override<math::Log10, float>();
template <> StridedLoop unary_override<math::Log10, double>();
template <> StridedLoop unary_override<math::Log1p, float>();
template <> StridedLoop unary_override<math::Log1p, double>();
template <> StridedLoop unary_override<math::Sin, float>();
template <> StridedLoop unary_override<math::Sin, double>();
template <> StridedLoop unary_override<math::Cos, float>();
template <> StridedLoop unary_override<math::Cos, double>();
template <> StridedLoop unary_override<math::Asin, float>();
template <> StridedLoop unary_override<math::Asin, double>();
template <> StridedLoop unary_override<math::Acos, float>();
template <> StridedLoop unary_override<math::Acos, double>();
template <> StridedLoop unary_override<math::Atan, float>();
template <> StridedLoop unary_override<math::Atan, double>();
template <> StridedLoop unary_override<math::Asinh, float>();
template <> StridedLoop unary_override<math::Asinh, double>();
template <> StridedLoop unary_override<math::Acosh, float>();
template <> StridedLoop unary_override<math::Acosh, double>();
template <> StridedLoop unary_override<math::Atanh, float>();
template <> StridedLoop unary_override<math::Atanh, double>();
template <> StridedLoop unary_override<math::Sqrt, float>();
template <> StridedLoop unary_override<math::Sqrt, double>();
template <> StridedLoop unary_override<math::Abs, float>();
template <> StridedLoop unary_override<math::Abs, double>();
template <> StridedLoop unary_override<math::Negative, float>();
template <> StridedLoop unary_override<math::Negative, double>();
template <> StridedLoop unary_override<math::Square, float>();
template <> StridedLoop unary_override<math::Square, double>();
template <> StridedLoop unary_override<math::Reciprocal, float>();
template <> StridedLoop unary_override<math::Reciprocal, double>();
template <> StridedLoop unary_override<math::Floor, float>();
template <> StridedLoop unary_override<math::Floor, double>();
template <> StridedLoop unary_override<math::Ceil, float>();
template <> StridedLoop unary_override<math::Ceil, double>();
template <> StridedLoop unary_override<math::Trunc, float>();
template <> StridedLoop unary_override<math::Trunc, double>();
template <> StridedLoop unary_override<math::Round, float>();
template <> StridedLoop unary_override<math::Round, double>();
template <> StridedLoop unary_override<math::Sign, float>();
template <> StridedLoop unary_override<math::Sign, double>();

}  // namespace trueno::simd

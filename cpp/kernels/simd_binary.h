// SIMD binary functions (Highway, dispatched at run time; kernels/simd_binary.cpp):
// specialisations of simd::binary_override for the real dtypes.
//   float32/float64: copysign, maximum, minimum (exact), hypot, logaddexp,
//     atan2 (approximations; non-finite and other special lanes use the functor);
//   float32/float64: pow (float32 in float64 lanes, float64 with a
//     double-double log);
//   every integer dtype: maximum, minimum;
//   float and integer dtypes: equal, not_equal, less, less_equal, greater,
//     greater_equal (bool out).
#pragma once
#include "kernels/scalar_math.h"
#include "kernels/simd_overrides.h"

namespace trueno::simd {

#define TRUENO_DECLARE_BINARY_OVERRIDE(OP, T) template <> StridedLoop binary_override<math::OP, T>();
#define TRUENO_FOR_FLOATS(X, OP) X(OP, float) X(OP, double)
#define TRUENO_FOR_INTS(X, OP)                                                               \
  X(OP, int8_t) X(OP, int16_t) X(OP, int32_t) X(OP, int64_t) X(OP, uint8_t) X(OP, uint16_t)  \
  X(OP, uint32_t) X(OP, uint64_t)
#define TRUENO_FOR_REALS(X, OP) TRUENO_FOR_FLOATS(X, OP) TRUENO_FOR_INTS(X, OP)

TRUENO_FOR_FLOATS(TRUENO_DECLARE_BINARY_OVERRIDE, Copysign)
TRUENO_FOR_FLOATS(TRUENO_DECLARE_BINARY_OVERRIDE, Hypot)
TRUENO_FOR_FLOATS(TRUENO_DECLARE_BINARY_OVERRIDE, Logaddexp)
TRUENO_FOR_FLOATS(TRUENO_DECLARE_BINARY_OVERRIDE, Atan2)
TRUENO_DECLARE_BINARY_OVERRIDE(Pow, float)
TRUENO_DECLARE_BINARY_OVERRIDE(Pow, double)
TRUENO_FOR_REALS(TRUENO_DECLARE_BINARY_OVERRIDE, Maximum)
TRUENO_FOR_REALS(TRUENO_DECLARE_BINARY_OVERRIDE, Minimum)
TRUENO_FOR_REALS(TRUENO_DECLARE_BINARY_OVERRIDE, Equal)
TRUENO_FOR_REALS(TRUENO_DECLARE_BINARY_OVERRIDE, NotEqual)
TRUENO_FOR_REALS(TRUENO_DECLARE_BINARY_OVERRIDE, Less)
TRUENO_FOR_REALS(TRUENO_DECLARE_BINARY_OVERRIDE, LessEqual)
TRUENO_FOR_REALS(TRUENO_DECLARE_BINARY_OVERRIDE, Greater)
TRUENO_FOR_REALS(TRUENO_DECLARE_BINARY_OVERRIDE, GreaterEqual)

}  // namespace trueno::simd

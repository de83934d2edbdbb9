// The hook by which SIMD loops replace the generic loop of a (functor, dtype)
// pair in the elementwise table: a specialisation of unary_override or
// binary_override returning the SIMD loop. Each SIMD family declares its
// specialisations in its own header, included below.
#pragma once
#include "core/iteration.h"

namespace trueno::simd {

// The SIMD loop for Op on T, or null to keep the generic loop.
template <class Op, class T> inline StridedLoop unary_override() { return nullptr; }
template <class Op, class T> inline StridedLoop binary_override() { return nullptr; }

}  // namespace trueno::simd

#include "kernels/simd_arith.h"  // add, subtract, multiply, divide
#include "kernels/simd_math.h"   // transcendental and other unary functions
#include "kernels/simd_binary.h"  // copysign, hypot, logaddexp, maximum/minimum, comparisons

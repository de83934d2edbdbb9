// trueno.fft: one-dimensional transforms along one axis of an array of any
// rank and layout (ops/fft.cpp), with plans cached; src/trueno/fft.py
// validates the arguments, composes the n-dimensional transforms and picks
// the norm's scale. The loops are in kernels/fft.*.
//
// Precision: float32/complex64 inputs compute in float and give
// complex64/float32, float64/complex128 in double. The result is a new
// C-contiguous array; the input's axis is truncated or zero-padded to the
// transform's length. The caller validates: axis in range, n >= 1, and the
// input dtypes named below.
#pragma once
#include <cstddef>
#include <cstdint>

#include "core/array.h"

namespace trueno {

// X_k = scale * sum_j x_j exp(-+2 pi i j k / n) (the + for inverse), length n.
// x: float32, float64, complex64 or complex128 (real input has zero imaginary parts).
Array fft_complex(const Array& x, int axis, int64_t n, bool inverse, double scale);
// The n/2 + 1 non-negative-frequency terms of the forward transform of real
// x (float32 or float64), times scale; conjugated with `conjugate` (ihfft).
Array fft_real_forward(const Array& x, int axis, int64_t n, bool conjugate, double scale);
// The real sequence of length n whose transform has the Hermitian terms
// x[0..n/2] (zero-padded or truncated to n/2 + 1): scale * the unnormalised
// inverse transform (x conjugated first with `conjugate`: hfft). x: complex or
// real floating.
Array fft_real_inverse(const Array& x, int axis, int64_t n, bool conjugate, double scale);

// The plan cache: bytes held, and emptied (tests).
size_t fft_plan_cache_bytes();
void fft_clear_plan_cache();

}  // namespace trueno

// Vector-norm kernels (Highway, every target, dispatched at run time;
// kernels/simd_norm.cpp) behind trueno.linalg.vector_norm / matrix_norm and
// trueno.nn.norm_*. ops/norm.cpp walks the axes and layouts and calls these on
// contiguous runs. Every sum is accumulated in float64 lanes (float32 input is
// widened as it is loaded), so float32 results are rounded once.
#pragma once
#include <cstddef>
#include <cstdint>

namespace trueno::simd::norm {

// What a norm makes of the absolute values |x_i| of a vector.
enum class Kind : int {
  Sum,     // ord 1: sum |x|
  Euclid,  // ord 2: sqrt(sum x^2), overflow- and underflow-free where the result is representable
  Max,     // ord inf: max |x|; 0 for an empty vector (NumPy's)
  Min,     // ord -inf: min |x| (callers refuse empty vectors)
  Count,   // ord 0: how many x_i != 0 (NaN counts)
  Power,   // any other p: (sum |x|^p)^(1/p), each |x| scaled first (see simd_norm.cpp)
};

// out[r] = the norm of the `len` contiguous elements at in + r * row_stride
// (in elements), for r < rows. p is the order of Kind::Power (ignored otherwise).
void rows(Kind k, double p, const float* in, int64_t row_stride, size_t rows, size_t len, float* out);
void rows(Kind k, double p, const double* in, int64_t row_stride, size_t rows, size_t len, double* out);

// Column form, for reductions that keep the innermost axis: acc[j] combines
// element j (j < len) of each of the `nrows` contiguous rows at
// in + r * row_stride (elements) into what earlier calls left, or starts
// afresh when `init` (then nrows >= 1). Sum, Euclid (the sum of squares,
// unscaled: the caller takes the root and redoes the columns that left the
// safe range), Max, Min, Count; the caller rounds acc into the result dtype.
void accumulate(Kind k, const float* in, int64_t row_stride, size_t nrows, size_t len, double* acc, bool init);
void accumulate(Kind k, const double* in, int64_t row_stride, size_t nrows, size_t len, double* acc, bool init);

// A float64 sum of squares at or above this, and finite, lost nothing to
// underflow (each square's error is below 2^-1075, so n of them stay below
// n 2^-115 relative for n < 2^60): no rescaled second pass needed.
constexpr double kEuclidSafeMin = 0x1p-960;

}  // namespace trueno::simd::norm

// Highway SIMD reduction kernels (every target, chosen at run time; core/isa.h
// pins the target) for contiguous float32/float64 data. kernels/reduction.cpp
// calls them for contiguous runs; ops/reduction.cpp calls the row kernels
// for reductions over axes that leave the innermost (contiguous) axis.
#pragma once
#include <cstddef>
#include <cstdint>

namespace trueno::simd {

// Max (is_max) or min of x[0..n), n >= 1. Sets *nan (and returns NaN) when
// x holds a NaN.
float ExtremumF32(const float* x, size_t n, bool is_max, bool* nan);
double ExtremumF64(const double* x, size_t n, bool is_max, bool* nan);

// Index of the first maximum (is_max) or minimum of x[0..n), n >= 1; a NaN
// counts as the extremum (so the first NaN wins).
int64_t ArgExtremumF32(const float* x, size_t n, bool is_max);
int64_t ArgExtremumF64(const double* x, size_t n, bool is_max);

// The same for integers (the overloads are the fixed-width types).
#define TRUENO_INT_EXT(T)                                                  \
  T Extremum(const T* x, size_t n, bool is_max);                           \
  int64_t ArgExtremum(const T* x, size_t n, bool is_max);                 \
  /* RowReduce's Max/Min for integers */                                   \
  void RowExtremum(bool is_max, T* out, const char* in, size_t len, size_t nrows, \
                   int64_t row_stride, bool init);
TRUENO_INT_EXT(int8_t)
TRUENO_INT_EXT(int16_t)
TRUENO_INT_EXT(int32_t)
TRUENO_INT_EXT(int64_t)
TRUENO_INT_EXT(uint8_t)
TRUENO_INT_EXT(uint16_t)
TRUENO_INT_EXT(uint32_t)
TRUENO_INT_EXT(uint64_t)
#undef TRUENO_INT_EXT

// Pairwise sum of x[0..n) (n >= 0): vector accumulators per block, blocks
// combined pairwise.
float SumF32(const float* x, size_t n);
double SumF64(const double* x, size_t n);
// Product of x[0..n) (n >= 0), in vector lanes; float32 is multiplied in
// float64 (the caller rounds once).
double ProdWideF32(const float* x, size_t n);
double ProdF64(const double* x, size_t n);

// What RowReduce combines rows with.
enum class RowOp : int { Sum = 0, Prod = 1, Max = 2, Min = 3 };
// out[j] = op over r < nrows of row_r[j], row_r = in + r * row_stride (bytes),
// for j < len; each row is contiguous. With init, out's old contents are
// ignored (nrows >= 1); without, they are combined too. Max/min propagate NaN.
void RowReduceF32(RowOp op, float* out, const char* in, size_t len, size_t nrows,
                  int64_t row_stride, bool init);
void RowReduceF64(RowOp op, double* out, const char* in, size_t len, size_t nrows,
                  int64_t row_stride, bool init);

// RowReduce's Prod for float32 rows into float64 out (rounded by the
// caller), the rows multiplied in order.
void RowProdWideF32(double* out, const char* in, size_t len, size_t nrows, int64_t row_stride, bool init);

// out[j] (+)= sum over r < nrows of (row_r[j] - mean[j])^2, pairwise over
// rows; with init, out's old contents are ignored.
void RowSqDevF32(const float* mean, float* out, const char* in, size_t len, size_t nrows,
                 int64_t row_stride, bool init);
void RowSqDevF64(const double* mean, double* out, const char* in, size_t len, size_t nrows,
                 int64_t row_stride, bool init);

// out[j] = the row r < nrows of the first maximum (is_max) or minimum of
// row_r[j] (first NaN wins), for j < len; nrows >= 1. float32: nrows < 2^31.
void RowArgF32(bool is_max, int64_t* out, const char* in, size_t len, size_t nrows, int64_t row_stride);
void RowArgF64(bool is_max, int64_t* out, const char* in, size_t len, size_t nrows, int64_t row_stride);

}  // namespace trueno::simd

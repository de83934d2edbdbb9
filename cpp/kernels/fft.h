// FFT loops: the passes of a mixed-radix Stockham transform, the pointwise
// steps of Bluestein's algorithm and the pre/post-processing that turns a
// half-length complex transform into a real one (kernels/fft.cpp). The
// plans these loops read (factorisation, twiddles, chirps) are built and
// cached by ops/fft.cpp; nothing here allocates.
//
// Data are interleaved complex numbers (re, im), the memory of complex64 /
// complex128. Every loop is templated on the precision T (float, double) and
// computes in it.
#pragma once
#include <cstdint>

#include "core/dtype.h"

namespace trueno::fft {

template <class T> struct Complex {
  T re, im;
};

// One radix-p pass of the Stockham autosort transform of length n
// (decimation in time). With lstar = product of the radices of the earlier
// passes, L = lstar * p and r = n / L, the input holds Y[k1][j'] at
// k1 * (r p) + j' (k1 < lstar, j' < r p) and the output Y'[k][j] at k r + j
// (k < L, j < r):
//   Y'[k1 + lstar k2][j] = sum_v w_p^(v k2) (w_L^(v k1) Y[k1][j + v r])
// with w_m = exp(-2 pi i / m) (the forward sign; `inverse` conjugates).
// Y before the first pass is the input sequence; after the last it is its
// transform, in order.
template <class T> struct Pass {
  int radix;
  int64_t lstar, r;
  // twiddles[k1 * (p - 1) + v - 1] = w_L^(v k1), forward sign.
  const Complex<T>* twiddles;
  // Radix above 5 only: roots[m] = w_p^m, m < p, forward sign.
  const Complex<T>* roots;
};

// The largest prime computed by a direct O(p^2) butterfly; a length with a
// larger prime factor goes through Bluestein.
constexpr int kLargestDirectRadix = 31;

template <class T> void run_pass(const Pass<T>& pass, const Complex<T>* in, Complex<T>* out, bool inverse);

// out[i] = a[i] * b[i] (conj(a[i]) * b[i] with conj_a), i < n.
template <class T>
void multiply(const Complex<T>* a, const Complex<T>* b, Complex<T>* out, int64_t n, bool conj_a, bool conj_out);
// out[i] = x[i] * s (conj(x[i]) * s with conj), i < n; out may be x.
template <class T> void scale(const Complex<T>* x, Complex<T>* out, int64_t n, T s, bool conj);

// Lines in and out of contiguous scratch. `stride` is in bytes; `dt` the
// array's dtype (float32, float64, complex64 or complex128 for complex
// loads, float32 or float64 for real ones). Loads read `count` elements and
// fill the rest up to `n` with zeros (count <= n).
template <class T>
void load_complex(const char* src, int64_t stride, DType dt, int64_t count, Complex<T>* dst, int64_t n);
template <class T> void load_real(const char* src, int64_t stride, DType dt, int64_t count, T* dst, int64_t n);
// `lines` neighbouring lines (line b starts at src + b * line_stride,
// elements `stride` apart) into a tile: element m of line b at
// dst[b * line_step + m * elem_step], zeros for count <= m < n. Reading the
// lines' m-th elements together touches each cache line once when the
// transform runs along a strided axis. Two layouts: rows (line_step = n,
// elem_step = 1), one transform after another, and interleaved (line_step =
// 1, elem_step = lines), where a row of the tile is one copy when the lines
// are adjacent complex numbers of T's precision.
template <class T>
void load_complex_tile(const char* src, int64_t stride, int64_t line_stride, int64_t lines, DType dt,
                       int64_t count, Complex<T>* dst, int64_t n, int64_t line_step, int64_t elem_step);
// The reverse for results: n elements of each line of the tile into lines
// of an array of T's precision.
template <class T>
void store_complex_tile(const Complex<T>* src, int64_t n, int64_t lines, char* dst, int64_t stride,
                        int64_t line_stride, int64_t line_step, int64_t elem_step);
// Stores into an array of T's precision (complex64 / float32 for float).
template <class T> void store_complex(const Complex<T>* src, int64_t n, char* dst, int64_t stride);
template <class T> void store_real(const T* src, int64_t n, char* dst, int64_t stride);
// dst[i] = src[i].re * s.
template <class T> void real_parts(const Complex<T>* src, int64_t n, T* dst, T s);
// y (length n) = the Hermitian extension of x[0..n/2]: y_k = x_k for
// k <= n/2, y_(n-k) = conj(x_k).
template <class T> void hermitian_extend(const Complex<T>* x, Complex<T>* y, int64_t n);

// Real transform of even length n = 2h from the complex transform Z of the
// h pairs z_j = x_2j + i x_2j+1: X_k for k <= h (h + 1 outputs),
// w[k] = w_n^k (k < h, forward sign). Out and z may not overlap.
template <class T> void real_forward_post(const Complex<T>* z, Complex<T>* out, int64_t h, const Complex<T>* w);
// The inverse: from X_0..X_h (the imaginary parts of X_0 and X_h ignored, as
// in a Hermitian extension), the z whose unnormalised inverse complex
// transform of length h is the pairs (x_2j, x_2j+1) of the unnormalised
// inverse real transform x_m = sum_(k<n) X_k w_n^(-m k).
template <class T> void real_inverse_pre(const Complex<T>* x, Complex<T>* z, int64_t h, const Complex<T>* w);

}  // namespace trueno::fft

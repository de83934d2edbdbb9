// Highway passes of the Stockham FFT (kernels/simd_fft.cpp), every target,
// dispatched at run time; kernels/fft.cpp calls them first and runs its
// portable loop where they decline.
#pragma once
#include "kernels/fft.h"

namespace trueno::simd::fft {

// One pass (see trueno::fft::Pass) with vectors of interleaved complex
// numbers along j, for radices 2, 3, 4, 5, 8 and odd primes up to
// kLargestDirectRadix; false (nothing written) for
// other radices and on the SCALAR target.
bool run_pass(const trueno::fft::Pass<float>& pass, const trueno::fft::Complex<float>* in,
              trueno::fft::Complex<float>* out, bool inverse);
bool run_pass(const trueno::fft::Pass<double>& pass, const trueno::fft::Complex<double>* in,
              trueno::fft::Complex<double>* out, bool inverse);

// trueno::fft::multiply a vector at a time; returns the first i not done (0 on SCALAR).
int64_t multiply(const trueno::fft::Complex<float>* a, const trueno::fft::Complex<float>* b,
                 trueno::fft::Complex<float>* out, int64_t n, bool conj_a, bool conj_out);
int64_t multiply(const trueno::fft::Complex<double>* a, const trueno::fft::Complex<double>* b,
                 trueno::fft::Complex<double>* out, int64_t n, bool conj_a, bool conj_out);
// The loops of trueno::fft::real_forward_post / real_inverse_pre for k from 1
// on, a vector at a time; they return the first k not done (1 on SCALAR).
int64_t real_forward_post(const trueno::fft::Complex<float>* z, trueno::fft::Complex<float>* out, int64_t h,
                          const trueno::fft::Complex<float>* w);
int64_t real_forward_post(const trueno::fft::Complex<double>* z, trueno::fft::Complex<double>* out, int64_t h,
                          const trueno::fft::Complex<double>* w);
int64_t real_inverse_pre(const trueno::fft::Complex<float>* x, trueno::fft::Complex<float>* z, int64_t h,
                         const trueno::fft::Complex<float>* w);
int64_t real_inverse_pre(const trueno::fft::Complex<double>* x, trueno::fft::Complex<double>* z, int64_t h,
                         const trueno::fft::Complex<double>* w);

}  // namespace trueno::simd::fft

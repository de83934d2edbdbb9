// Highway passes of the Stockham FFT (kernels/simd_fft.cpp), every target,
// dispatched at run time; kernels/fft.cpp calls them first and runs its
// portable loop where they decline.
#pragma once
#include "kernels/fft.h"

namespace trueno::simd::fft {

// One pass (see trueno::fft::Pass) with vectors of interleaved complex
// numbers along j, for radices 2, 3, 4, 5 and 8; false (nothing written) for
// other radices and on the SCALAR target.
bool run_pass(const trueno::fft::Pass<float>& pass, const trueno::fft::Complex<float>* in,
              trueno::fft::Complex<float>* out, bool inverse);
bool run_pass(const trueno::fft::Pass<double>& pass, const trueno::fft::Complex<double>* in,
              trueno::fft::Complex<double>* out, bool inverse);

}  // namespace trueno::simd::fft

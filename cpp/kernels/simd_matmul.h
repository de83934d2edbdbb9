// Highway SIMD kernels for batches of tiny matrix products (every target, chosen at
// run time; core/isa.h pins the target). kernels/matmul.cpp calls them for the
// batches it does not hand to BLAS one matrix at a time.
#pragma once
#include <cstddef>

namespace trueno::simd {

// out[i] = a[i] @ b[i] for `batch` C-contiguous 4x4 matrices: each output row is
// sum_p a[r][p] * b[p][:], a vector of 4 (or two of 2) per row, products rounded
// before each addition and summed from +0 in p order (matmul_one's order), so
// every target gives the bits of the scalar loop.
void MatmulSquare4F32(const float* a, const float* b, float* out, size_t batch);
void MatmulSquare4F64(const double* a, const double* b, double* out, size_t batch);

}  // namespace trueno::simd

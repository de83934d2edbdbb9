// Batched C-contiguous matrix product: out[b] = a[b] (m x k) @ b[b] (k x n).
#pragma once
#include <cstdint>

#include "core/dtype.h"

namespace trueno::kernels {
// One operand as BLAS sees it: matrix i of a batch starts at data +
// i * batch_stride (bytes); rows are `ld` elements apart, or, when
// `transposed`, the memory holds the operand's transpose row by row (a
// transposed view, e.g. W.T, goes to BLAS without a copy).
struct MatrixOperand {
  const char* data;
  int64_t batch_stride;
  int64_t ld;
  bool transposed;
};

// out (m x n, C-contiguous) = a (m x k) @ b (k x n) through BLAS for float
// dtypes; false (nothing written) when BLAS cannot take it.
bool matmul_strided_blas(DType dtype, const MatrixOperand& a, const MatrixOperand& b, char* out,
                         int64_t m, int64_t k, int64_t n);

void matmul_batched(DType dtype, const char* a, const char* b, char* out, int64_t batch, int64_t m,
                    int64_t k, int64_t n);
}

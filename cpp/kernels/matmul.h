// Batched C-contiguous matrix product: out[b] = a[b] (m x k) @ b[b] (k x n).
#pragma once
#include <cstdint>

#include "core/dtype.h"

namespace trueno::kernels {
void matmul_batched(DType dtype, const char* a, const char* b, char* out, int64_t batch, int64_t m,
                    int64_t k, int64_t n);
}

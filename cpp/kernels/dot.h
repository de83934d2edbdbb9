// Dot products of strided vectors, conjugating the first for complex types:
// out[i] = sum_k conj(a[i][k]) * b[i][k]. The StridedLoop runs over the
// batch; each element reduces a vector described by DotContext.
#pragma once
#include <cstdint>

#include "core/dtype.h"
#include "core/iteration.h"

namespace trueno::kernels {

struct DotContext {
  int64_t length;    // elements per vector
  int64_t stride_a;  // bytes between elements of a vector of x1
  int64_t stride_b;
};

// Loop over (x1 vector, x2 vector, out element) triples; ctx is a DotContext.
StridedLoop dot_loop(DType dtype);

}  // namespace trueno::kernels

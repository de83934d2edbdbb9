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

// Cross products of 3-vectors, out = a x b, each component as trueno's elementwise
// ops compute a1 * b2 - a2 * b1 (integers wrap). Loop over (x1 vector, x2 vector,
// out vector) triples; ctx: const int64_t[3], the bytes between the components of
// a vector of x1, of x2 and of out.
StridedLoop cross_loop(DType dtype);

}  // namespace trueno::kernels

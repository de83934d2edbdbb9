// Broadcasting and strided iteration: every elementwise-shaped operation
// reduces to "call a 1-D loop over the innermost run, for every outer index".
#pragma once
#include <cstdint>
#include <vector>

#include "core/array.h"

namespace trueno {

// A 1-D loop over n elements of `nops` operands; data[k] advances by
// strides[k] bytes per element. ctx carries per-call state (e.g. a scalar).
using StridedLoop = void (*)(char** data, const int64_t* strides, int64_t n, const void* ctx);

Shape broadcast_shapes(const Shape& a, const Shape& b, const char* func);
// Byte strides that view `a` as `shape` (0 along new and stretched axes).
// ValueError if `a` cannot be broadcast to `shape`.
Shape broadcast_strides(const Array& a, const Shape& shape, const char* func);
Array broadcast_to(const Array& a, const Shape& shape, const char* func);

// Calls `loop` over every element of `shape` for nops operands (at most 8).
// Merges axes that are contiguous for all operands first, so most calls
// become one flat loop.
void for_each_strided(StridedLoop loop, const void* ctx, int nops, char* const* data,
                      const Shape* const* strides, const Shape& shape);

// for_each_strided split over num_threads() threads when the shape holds at
// least 2 * grain elements. Only for loops whose calls are independent (each
// writes only its own elements, ctx read-only): every element is computed by
// the same loop code as in the serial call, so results are identical.
void for_each_strided_parallel(StridedLoop loop, const void* ctx, int nops, char* const* data,
                               const Shape* const* strides, const Shape& shape, int64_t grain);

// `x` with its axes in the order `perm` (a view).
Array permuted(const Array& x, const std::vector<int>& perm);

// Calls f(offset) for every index of the nd-dimensional block, in C order
// (offset: the sum of index * stride, in the strides' unit); nd == 0 is one
// call with offset 0. For the blocks reductions walk themselves.
template <class F>
void for_each_offset(int nd, const int64_t* shape, const int64_t* strides, F&& f) {
  int64_t counter[kMaxDims] = {0};
  int64_t off = 0;
  for (;;) {
    f(off);
    int ax = nd - 1;
    for (; ax >= 0; --ax) {
      off += strides[ax];
      if (++counter[ax] < shape[ax]) break;
      off -= strides[ax] * shape[ax];
      counter[ax] = 0;
    }
    if (ax < 0) return;
  }
}

}  // namespace trueno

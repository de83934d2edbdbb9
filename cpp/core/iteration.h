// Broadcasting and strided iteration: every elementwise-shaped operation
// reduces to "call a 1-D loop over the innermost run, for every outer index".
#pragma once
#include <cstdint>

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

}  // namespace trueno

// sort and argsort along one axis: stable always, ascending with NaNs last
// (NumPy's order); descending is the reverse order, equal elements keeping
// their original order (so NaNs come first). Complex numbers sort
// lexicographically (real, then imaginary part), as NumPy does.
#pragma once
#include <cstdint>

#include "core/array.h"

namespace trueno {

Array sort(const Array& x, int64_t axis, bool descending, bool stable);
Array argsort(const Array& x, int64_t axis, bool descending, bool stable);

// The dtype two arrays are compared in by searchsorted and isin: their
// promoted dtype, or (where the spec has no promotion, e.g. int64 with
// uint64, or bool with int) float64 / complex128, comparing by value as NumPy does.
DType ordering_dtype(DType a, DType b);
// `a` as a C-contiguous array of `dtype` (a itself when it already is one,
// unless `force`).
Array contiguous_as(const Array& a, DType dtype, const char* func, bool force = false);

}  // namespace trueno

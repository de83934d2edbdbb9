// Typed loops for sorting, searching and set functions. Ops validate and lay
// out the data (contiguous copies, scratch space); these only loop.
//
// Order: ascending by value with NaNs last, as NumPy sorts. Complex numbers
// order lexicographically (real part, then imaginary), NaN parts last, also
// as NumPy does. Signed zeros compare equal (stability keeps their order).
#pragma once
#include <cstdint>

#include "core/dtype.h"
#include "core/iteration.h"

namespace trueno::kernels {

// Context of sort_loop / argsort_loop: each call of the StridedLoop receives
// two operands (input lane start, output lane start) and sorts n lanes of
// `length` elements each, the lane's elements `in_stride` / `out_stride`
// bytes apart. `scratch` holds `length` elements of the dtype and `perm`
// `length` int64 (argsort only).
struct SortLanes {
  int64_t length;
  int64_t in_stride;
  int64_t out_stride;
  bool descending;
  void* scratch;
  int64_t* perm;
};
StridedLoop sort_loop(DType d);     // writes sorted values (same dtype)
StridedLoop argsort_loop(DType d);  // writes int64 positions along the lane

// where: operands (out, condition as bool, x1, x2), all of itemsize bytes
// except the condition.
StridedLoop where_loop(size_t itemsize);

// Unique elements of n contiguous values (NaNs distinct). Writes k values
// to `values` and, when not null, first indices / counts (k each) and the
// inverse (n). `perm` is n int64 of scratch, needed when any of indices,
// inverse or counts is asked for. Returns k.
int64_t unique(DType d, const void* in, int64_t n, void* values, int64_t* first_indices,
               int64_t* inverse, int64_t* counts, int64_t* perm);

// out[i] = (x1[i] is among x2) != invert. x2 (n2 contiguous) is sorted in place.
void isin(DType d, const void* x1, int64_t n1, void* x2, int64_t n2, bool invert, bool* out);

// out[i] = insertion point of x2[i] into sorted x1 (contiguous, n1).
void searchsorted(DType d, const void* x1, int64_t n1, const void* x2, int64_t n2, bool right,
                  int64_t* out);

}  // namespace trueno::kernels

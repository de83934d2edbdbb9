// where and searchsorted (nonzero is in indexing.h; argmax, argmin and
// count_nonzero are reductions).
#pragma once
#include "core/array.h"

namespace trueno {

// Elements of x1 where condition is true, else of x2; all three broadcast.
// The result dtype is the promotion of x1's and x2's (TypeError if none);
// a non-bool condition counts as its truth value, as in NumPy.
Array where(const Array& condition, const Array& x1, const Array& x2);
// Insertion points of x2's elements into the 1-D x1 (sorted ascending, or
// in the order given by `sorter`), in the order sort() uses (NaNs last).
Array searchsorted(const Array& x1, const Array& x2, bool right, const Array* sorter);

}  // namespace trueno

// Set functions: unique_* (of the flattened input, values sorted as sort()
// sorts them, each NaN a value of its own, -0 and +0 one value) and isin.
#pragma once
#include "core/array.h"

namespace trueno {

struct UniqueResult {
  Array values;
  Array indices;          // first occurrences; only when asked for
  Array inverse_indices;  // x's shape; only when asked for
  Array counts;           // only when asked for
};
UniqueResult unique(const Array& x, bool indices, bool inverse_indices, bool counts, const char* func);

// x1's shape; whether each element of x1 equals some element of x2 (negated
// by invert). Compared in ordering_dtype(x1, x2).
Array isin(const Array& x1, const Array& x2, bool invert);

}  // namespace trueno

// clip: each element of x clamped to [min, max], in x's dtype, one pass.
#pragma once
#include <optional>

#include "core/array.h"
#include "ops/elementwise.h"

namespace trueno {

// A bound as the caller gave it: absent (None), a Python scalar, or an array.
struct ClipBound {
  std::optional<Scalar> scalar;
  const Array* array = nullptr;
};

// x must be real-valued (TypeError for complex). Scalar bounds take x's dtype
// (an int bound is clamped to an integer x's range; a float bound with an
// integer x, or any scalar with a bool x, is a TypeError). Array bounds must
// be of x's kind (bool, integer or real floating; TypeError otherwise) and
// broadcast to x's shape, which is the result's (ValueError otherwise).
// Results are NumPy's: a NaN in x or in a bound gives NaN; min > max gives max.
Array clip(const Array& x, const ClipBound& min, const ClipBound& max);

}  // namespace trueno

// Loops for clip: out = minimum(maximum(x, lo), hi) in x's dtype, as NumPy
// computes it (a NaN anywhere gives NaN; lo > hi gives hi).
#pragma once
#include "core/dtype.h"
#include "core/iteration.h"

namespace trueno::kernels {

// The 4-operand loop (out, x, lo, hi), all of dtype `d` (real or bool).
// Contiguous float32/float64 x and out with broadcast-scalar bounds take a
// Highway SIMD loop; everything else a generic strided loop.
StridedLoop clip_loop(DType d);
// The 2-operand loop (out, in) converting integer `from` to integer `to`,
// saturating at `to`'s range. Null unless both are integer dtypes.
StridedLoop saturate_int_loop(DType from, DType to);

}  // namespace trueno::kernels

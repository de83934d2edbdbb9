// SIMD unary functions (Highway, dispatched at run time): specialisations of
// simd::unary_override. (None yet: the generic loops serve every function.)
#pragma once
#include "kernels/scalar_math.h"
#include "kernels/simd_overrides.h"

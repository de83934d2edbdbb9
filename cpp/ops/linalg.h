// matmul (the linear algebra of the main namespace; tensordot and vecdot are
// compositions in Python).
#pragma once
#include "core/array.h"

namespace trueno {

Array matmul(const Array& a, const Array& b);
// sum(conj(x1) * x2, axis): the vector axis counts from the end (a
// non-negative one only when both arrays have the same rank); the other
// axes broadcast, the vector axis does not.
Array vecdot(const Array& x1, const Array& x2, int64_t axis);

}  // namespace trueno

// matmul and vecdot (the main namespace; tensordot is a composition in Python), and
// the cheap functions of trueno.linalg: cross, outer, trace, matrix_power.
#pragma once
#include <optional>
#include <vector>

#include "core/array.h"

namespace trueno {

Array matmul(const Array& a, const Array& b);
// sum(conj(x1) * x2, axis): the vector axis counts from the end (a
// non-negative one only when both arrays have the same rank); the other
// axes broadcast, the vector axis does not.
Array vecdot(const Array& x1, const Array& x2, int64_t axis);

// linalg.cross: 3-vectors along `axis` (negative, already checked against both
// ranks), the other axes broadcast; the promoted dtype; C-contiguous result.
Array cross(const Array& x1, const Array& x2, int64_t axis);
// linalg.outer of two 1-D arrays: x1[i] * x2[j] by trueno's multiply.
Array outer(const Array& x1, const Array& x2);

// linalg.matrix_power: x (a stack of square matrices; integers computed in
// float64) to the power (negative ? -1 : 1) * n, n's binary digits lowest first
// (none: n == 0, identities). NumPy's order of products: repeated squaring from
// the lowest bit; a negative power inverts first. Never x's memory.
Array matrix_power(const Array& x, bool negative, const std::vector<bool>& bits);

// linalg.trace: the sum of the `offset` diagonal of each matrix, in `dtype`
// (default: x's dtype, integers and bool in int64 / uint64), each sum exactly
// as `sum` computes it; a complex x summed into a real dtype sums its real parts.
Array trace(const Array& x, int64_t offset, std::optional<DType> dtype);

}  // namespace trueno

// Array creation that computes values (the rest are allocation + copy).
#pragma once
#include "core/array.h"
#include "ops/elementwise.h"

namespace trueno {

Array full(const Shape& shape, const Array& fill_value, DType dtype, const char* func);
// Integer arange when all three are integral (exact), float64 otherwise.
Array arange_int(int64_t start, int64_t stop, int64_t step, DType dtype);
Array arange_float(double start, double stop, double step, DType dtype);
Array linspace(complex128 start, complex128 stop, int64_t num, bool endpoint, DType dtype);
Array eye(int64_t rows, int64_t cols, int64_t k, DType dtype);
// tril/triu: zero the elements above (tril) / below (triu) diagonal k of the
// last two axes.
Array tri_mask(const Array& x, int64_t k, bool lower);

}  // namespace trueno

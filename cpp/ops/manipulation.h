// Shape manipulation: views where NumPy gives views, copies otherwise.
#pragma once
#include <optional>
#include <vector>

#include "core/array.h"

namespace trueno {

Array permute_dims(const Array& a, const std::vector<int>& axes);
Array matrix_transpose(const Array& a);
// A read-only view of the `offset` diagonal of each matrix (the last two axes),
// as NumPy's diagonal: above the main one for offset > 0, below for < 0; an
// offset at or past the matrix's edge gives an empty diagonal.
Array matrix_diagonal(const Array& a, int64_t offset, const char* func);
// A view when the strides allow, else a copy (copy=false forbids the copy:
// ValueError). One -1 in `shape` is inferred.
Array reshape(const Array& a, Shape shape, std::optional<bool> copy);
Array expand_dims(const Array& a, const std::vector<int64_t>& axes);
Array squeeze(const Array& a, const std::vector<int>& axes);
Array flip(const Array& a, const std::optional<std::vector<int>>& axes);
Array concat(const std::vector<Array>& arrays, std::optional<int64_t> axis, const char* func);
Array stack(const std::vector<Array>& arrays, int64_t axis);
Array moveaxis(const Array& a, const std::vector<int64_t>& source, const std::vector<int64_t>& dest);

}  // namespace trueno

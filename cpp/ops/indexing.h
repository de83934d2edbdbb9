// __getitem__ / __setitem__ / take: NumPy's indexing semantics (which the
// spec's are a subset of): integers, slices, ellipsis, newaxis, boolean and
// integer arrays. Basic indices give views; array indices gather or scatter.
#pragma once
#include <optional>
#include <vector>

#include "core/array.h"

namespace trueno {

struct IndexItem {
  enum Kind { Integer, Slice, Ellipsis, NewAxis, Tensor } kind;
  int64_t integer = 0;
  std::optional<int64_t> start, stop, step;  // Slice
  Array tensor;  // Tensor: integer or boolean array
};

// func names the caller in messages ("__getitem__", "take").
Array get_item(const Array& a, const std::vector<IndexItem>& index, const char* func = "__getitem__");
void set_item(const Array& a, const std::vector<IndexItem>& index, const Array& value);

// Indices of the nonzero elements, one int64 array per dimension.
std::vector<Array> nonzero(const Array& a);
// take(x, indices, axis): indices 1-D (or 0-D) integer array; negative
// indices wrap; out of range raises IndexError.
Array take(const Array& x, const Array& indices, int axis);
// Python's slice.indices(): normalised (start, stop, step, length).
struct SliceBounds { int64_t start, stop, step, length; };
SliceBounds slice_bounds(std::optional<int64_t> start, std::optional<int64_t> stop,
                         std::optional<int64_t> step, int64_t dim, const char* func = "__getitem__");

}  // namespace trueno

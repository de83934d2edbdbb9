#include "ops/searching.h"

#include <string>

#include "core/errors.h"
#include "core/iteration.h"
#include "kernels/sort.h"
#include "ops/copy.h"
#include "ops/indexing.h"
#include "ops/sorting.h"

namespace trueno {

Array where(const Array& condition, const Array& x1, const Array& x2) {
  const DType dt = promote_or_throw(x1.dtype, x2.dtype, "where");
  const Shape shape = broadcast_shapes(broadcast_shapes(condition.shape, x1.shape, "where"), x2.shape, "where");
  Array c = condition.dtype == DType::Bool ? condition : astype_copy(condition, DType::Bool, "where");
  Array a = cast_if_needed(x1, dt, "where");
  Array b = cast_if_needed(x2, dt, "where");
  Array out = make_empty(shape, dt, "where");
  Shape sc = broadcast_strides(c, shape, "where");
  Shape sa = broadcast_strides(a, shape, "where");
  Shape sb = broadcast_strides(b, shape, "where");
  char* data[4] = {out.data, c.data, a.data, b.data};
  const Shape* strides[4] = {&out.strides, &sc, &sa, &sb};
  for_each_strided(kernels::where_loop(out.itemsize()), nullptr, 4, data, strides, shape);
  return out;
}

Array searchsorted(const Array& x1, const Array& x2, bool right, const Array* sorter) {
  if (x1.ndim() != 1)
    throw ValueError("searchsorted(): x1 must be a one-dimensional array, got " +
                     std::to_string(x1.ndim()) + " dimensions");
  Array sorted = x1;
  if (sorter) {
    if (!in_category(sorter->dtype, kInteger))
      throw TypeError("searchsorted(): sorter must have an integer data type, got " +
                      std::string(dtype_name(sorter->dtype)));
    if (sorter->shape != x1.shape)
      throw ValueError("searchsorted(): sorter must have the same shape as x1, got " +
                       shape_str(sorter->shape) + " and " + shape_str(x1.shape));
    sorted = take(x1, *sorter, 0);  // IndexError for positions out of range
  }
  const DType dt = ordering_dtype(x1.dtype, x2.dtype);
  Array a = contiguous_as(sorted, dt, "searchsorted");
  Array b = contiguous_as(x2, dt, "searchsorted");
  Array out = make_empty(x2.shape, kDefaultIndex, "searchsorted");
  kernels::searchsorted(dt, a.data, a.size(), b.data, b.size(), right, reinterpret_cast<int64_t*>(out.data));
  return out;
}

}  // namespace trueno

#include "ops/sorting.h"

#include <memory>
#include <string>

#include "core/errors.h"
#include "core/iteration.h"
#include "core/threading.h"
#include "kernels/sort.h"
#include "ops/copy.h"

namespace trueno {

DType ordering_dtype(DType a, DType b) {
  if (auto p = promote_types(a, b)) return *p;
  if (in_category(a, kComplexFloat) || in_category(b, kComplexFloat)) return DType::Complex128;
  return DType::Float64;
}

Array contiguous_as(const Array& a, DType dtype, const char* func, bool force) {
  if (a.dtype != dtype) return astype_copy(a, dtype, func);
  // The sort keys of bools are their bytes: a copy makes them 0 or 1.
  return as_contiguous(a, force || dtype == DType::Bool, func);
}

namespace {

Array sort_along(const Array& x, int64_t axis, bool descending, bool indices, const char* func) {
  if (x.ndim() == 0)
    throw ValueError(std::string(func) + "(): x must have at least one dimension (axis " +
                     std::to_string(axis) + " is out of bounds for a 0-D array)");
  const int ax = normalize_axis(axis, x.ndim(), func);
  Array out = make_empty(x.shape, indices ? kDefaultIndex : x.dtype, func);
  if (out.size() == 0) return out;
  LongKernelScope without_gil(x.size());

  // Iterate over every axis but `ax`; each step of the loop sorts one lane.
  Shape outer = x.shape, in_strides = x.strides, out_strides = out.strides;
  outer.erase(outer.begin() + ax);
  in_strides.erase(in_strides.begin() + ax);
  out_strides.erase(out_strides.begin() + ax);

  const int64_t length = x.shape[ax];
  std::unique_ptr<complex128[]> scratch(new complex128[(length * x.itemsize() + 15) / 16]);
  std::unique_ptr<int64_t[]> perm(indices ? new int64_t[length] : nullptr);
  kernels::SortLanes ctx{length, x.strides[ax], out.strides[ax], descending, scratch.get(), perm.get()};
  char* data[2] = {x.data, out.data};
  const Shape* strides[2] = {&in_strides, &out_strides};
  StridedLoop loop = indices ? kernels::argsort_loop(x.dtype) : kernels::sort_loop(x.dtype);
  for_each_strided(loop, &ctx, 2, data, strides, outer);
  return out;
}

}  // namespace

// `stable` is accepted and ignored: every sort here is stable.
Array sort(const Array& x, int64_t axis, bool descending, bool) {
  return sort_along(x, axis, descending, false, "sort");
}

Array argsort(const Array& x, int64_t axis, bool descending, bool) {
  return sort_along(x, axis, descending, true, "argsort");
}

}  // namespace trueno

#include "ops/set.h"

#include <cstring>
#include <memory>

#include "core/errors.h"
#include "kernels/sort.h"
#include "ops/sorting.h"

namespace trueno {

namespace {
// The first k elements of a 1-D C-contiguous array, in memory of their own.
Array shrink(const Array& a, int64_t k, const char* func) {
  if (k == a.shape[0]) return a;
  Array out = make_empty({k}, a.dtype, func);
  if (k) std::memcpy(out.data, a.data, static_cast<size_t>(k) * a.itemsize());
  return out;
}
}  // namespace

UniqueResult unique(const Array& x, bool indices, bool inverse_indices, bool counts, const char* func) {
  Array flat = contiguous_as(x, x.dtype, func);
  const int64_t n = flat.size();
  UniqueResult r;
  r.values = make_empty({n}, x.dtype, func);
  if (indices) r.indices = make_empty({n}, kDefaultIndex, func);
  if (counts) r.counts = make_empty({n}, kDefaultIndex, func);
  if (inverse_indices) r.inverse_indices = make_empty(x.shape, kDefaultIndex, func);
  std::unique_ptr<int64_t[]> perm;
  if (indices || inverse_indices || counts) perm.reset(new int64_t[n > 0 ? n : 1]);
  auto p = [](const Array& a, bool want) { return want ? reinterpret_cast<int64_t*>(a.data) : nullptr; };
  const int64_t k = kernels::unique(x.dtype, flat.data, n, r.values.data, p(r.indices, indices),
                                    p(r.inverse_indices, inverse_indices), p(r.counts, counts), perm.get());
  r.values = shrink(r.values, k, func);
  if (indices) r.indices = shrink(r.indices, k, func);
  if (counts) r.counts = shrink(r.counts, k, func);
  return r;
}

Array isin(const Array& x1, const Array& x2, bool invert) {
  const DType dt = ordering_dtype(x1.dtype, x2.dtype);
  Array a = contiguous_as(x1, dt, "isin");
  Array b = contiguous_as(x2, dt, "isin", /*force=*/true);  // sorted in place
  Array out = make_empty(x1.shape, DType::Bool, "isin");
  kernels::isin(dt, a.data, a.size(), b.data, b.size(), invert, reinterpret_cast<bool*>(out.data));
  return out;
}

}  // namespace trueno

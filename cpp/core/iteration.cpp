#include "core/iteration.h"

#include <algorithm>

#include "core/errors.h"

namespace trueno {

Shape broadcast_shapes(const Shape& a, const Shape& b, const char* func) {
  size_t n = std::max(a.size(), b.size());
  Shape r(n);
  for (size_t i = 0; i < n; ++i) {
    int64_t da = i < n - a.size() ? 1 : a[i - (n - a.size())];
    int64_t db = i < n - b.size() ? 1 : b[i - (n - b.size())];
    if (da == db || db == 1)
      r[i] = da;
    else if (da == 1)
      r[i] = db;
    else
      throw ValueError(std::string(func) + "(): shapes " + shape_str(a) + " and " +
                       shape_str(b) + " cannot be broadcast together");
  }
  return r;
}

Shape broadcast_strides(const Array& a, const Shape& shape, const char* func) {
  if (a.shape.size() > shape.size())
    throw ValueError(std::string(func) + "(): cannot broadcast shape " + shape_str(a.shape) +
                     " to " + shape_str(shape));
  size_t lead = shape.size() - a.shape.size();
  Shape s(shape.size(), 0);
  for (size_t i = 0; i < a.shape.size(); ++i) {
    int64_t d = a.shape[i];
    if (d == shape[lead + i])
      s[lead + i] = d == 1 ? 0 : a.strides[i];
    else if (d == 1)
      s[lead + i] = 0;
    else
      throw ValueError(std::string(func) + "(): cannot broadcast shape " +
                       shape_str(a.shape) + " to " + shape_str(shape));
  }
  return s;
}

Array broadcast_to(const Array& a, const Shape& shape, const char* func) {
  checked_size(shape, func);
  // Read-only, as NumPy's: writing through a stride-0 axis would hit one
  // element many times (and in-place operators would compound).
  Array v = a.view(shape, broadcast_strides(a, shape, func), a.data);
  v.readonly = true;
  return v;
}

void for_each_strided(StridedLoop loop, const void* ctx, int nops, char* const* data,
                      const Shape* const* strides, const Shape& shape) {
  constexpr int kMaxOps = 8;
  for (int64_t d : shape)
    if (d == 0) return;
  // Collect axes of length > 1, then merge neighbours that are contiguous
  // for every operand (outer stride == inner stride * inner length).
  int64_t dims[kMaxDims];
  int64_t st[kMaxDims][kMaxOps];
  int nd = 0;
  for (size_t i = 0; i < shape.size(); ++i) {
    if (shape[i] == 1) continue;
    if (nd > 0) {
      bool mergeable = true;
      for (int k = 0; k < nops; ++k)
        if (st[nd - 1][k] != (*strides[k])[i] * shape[i]) { mergeable = false; break; }
      if (mergeable) {
        dims[nd - 1] *= shape[i];
        for (int k = 0; k < nops; ++k) st[nd - 1][k] = (*strides[k])[i];
        continue;
      }
    }
    dims[nd] = shape[i];
    for (int k = 0; k < nops; ++k) st[nd][k] = (*strides[k])[i];
    ++nd;
  }
  char* ptr[kMaxOps];
  for (int k = 0; k < nops; ++k) ptr[k] = data[k];
  if (nd == 0) {
    int64_t zero[kMaxOps] = {0};
    loop(ptr, zero, 1, ctx);
    return;
  }
  const int inner = nd - 1;
  const int64_t n = dims[inner];
  const int64_t* inner_strides = st[inner];
  int64_t counter[kMaxDims] = {0};
  for (;;) {
    loop(ptr, inner_strides, n, ctx);
    int ax = inner - 1;
    for (; ax >= 0; --ax) {
      for (int k = 0; k < nops; ++k) ptr[k] += st[ax][k];
      if (++counter[ax] < dims[ax]) break;
      for (int k = 0; k < nops; ++k) ptr[k] -= st[ax][k] * dims[ax];
      counter[ax] = 0;
    }
    if (ax < 0) return;
  }
}

}  // namespace trueno

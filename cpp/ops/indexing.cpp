#include "ops/indexing.h"

#include <algorithm>
#include <cstring>
#include <string>

#include "core/errors.h"
#include "core/iteration.h"
#include "kernels/gather.h"
#include "ops/copy.h"

namespace trueno {

SliceBounds slice_bounds(std::optional<int64_t> start, std::optional<int64_t> stop,
                         std::optional<int64_t> step, int64_t dim, const char* func) {
  int64_t st = step.value_or(1);
  if (st == 0) throw ValueError(std::string(func) + "(): slice step cannot be zero");
  if (st < -INT64_MAX) st = -INT64_MAX;  // as PySlice_Unpack: -st must not overflow
  int64_t lo, hi;
  auto clamp = [&](std::optional<int64_t> v, int64_t dflt) {
    if (!v) return dflt;
    int64_t x = *v;
    if (x < 0) {
      x += dim;
      if (x < 0) x = st < 0 ? -1 : 0;
    } else if (x >= dim) {
      x = st < 0 ? dim - 1 : dim;
    }
    return x;
  };
  if (st > 0) {
    lo = clamp(start, 0);
    hi = clamp(stop, dim);
  } else {
    lo = clamp(start, dim - 1);
    hi = clamp(stop, -1);
  }
  // CPython's PySlice_AdjustIndices: no overflow for steps near INT64_MAX.
  int64_t len = 0;
  if (st > 0 && hi > lo) len = (hi - lo - 1) / st + 1;
  if (st < 0 && lo > hi) len = (lo - hi - 1) / (-st) + 1;
  return {lo, hi, st, len};
}

namespace {

int64_t checked_index(int64_t i, int64_t dim, int axis, const char* func) {
  if (i < -dim || i >= dim)
    throw IndexError(std::string(func) + "(): index " + std::to_string(i) + " is out of bounds for axis " +
                     std::to_string(axis) + " with size " + std::to_string(dim));
  return i < 0 ? i + dim : i;
}

struct Expanded {
  // The view after basic indexing (advanced positions kept whole) ...
  Array view;
  // ... and for each advanced index, the axis of `view` it applies to.
  std::vector<int> adv_axes;
  std::vector<Array> adv_arrays;
};

int consumed_dims(const IndexItem& it) {
  switch (it.kind) {
    case IndexItem::Integer:
    case IndexItem::Slice: return 1;
    case IndexItem::Tensor: return it.tensor.dtype == DType::Bool ? it.tensor.ndim() : 1;
    default: return 0;
  }
}

Array int64_scalar(int64_t v) {
  Array a = make_empty({}, DType::Int64);
  *reinterpret_cast<int64_t*>(a.data) = v;
  return a;
}

Expanded expand(const Array& a, const std::vector<IndexItem>& index, const char* func) {
  // (formed only for a message: a string built on every call cost ~30 ns of a ~180 ns x[3])
  auto f = [func] { return std::string(func) + "(): "; };
  int used = 0, ellipses = 0;
  bool any_tensor = false;
  for (const auto& it : index) {
    used += consumed_dims(it);
    if (it.kind == IndexItem::Ellipsis) ++ellipses;
    if (it.kind == IndexItem::Tensor) any_tensor = true;
  }
  if (ellipses > 1) throw IndexError(f() + "an index can only have a single ellipsis ('...')");
  if (used > a.ndim())
    throw IndexError(f() + "too many indices for array: array is " + std::to_string(a.ndim()) +
                     "-dimensional, but " + std::to_string(used) + " were indexed");
  Expanded e;
  Shape shape, strides;
  char* data = a.data;
  int src = 0;  // next axis of `a`
  auto take_whole = [&]() {
    shape.push_back(a.shape[src]);
    strides.push_back(a.strides[src]);
    ++src;
  };
  for (const auto& it : index) {
    switch (it.kind) {
      case IndexItem::Ellipsis:
        for (int k = 0; k < a.ndim() - used; ++k) take_whole();
        break;
      case IndexItem::NewAxis:
        shape.push_back(1);
        strides.push_back(0);
        break;
      case IndexItem::Integer:
        if (any_tensor) {
          // Mixed with arrays, an integer is a 0-D array index (NumPy).
          checked_index(it.integer, a.shape[src], src, func);
          e.adv_axes.push_back(static_cast<int>(shape.size()));
          e.adv_arrays.push_back(int64_scalar(it.integer));
          take_whole();
        } else {
          data += checked_index(it.integer, a.shape[src], src, func) * a.strides[src];
          ++src;
        }
        break;
      case IndexItem::Slice: {
        SliceBounds b = slice_bounds(it.start, it.stop, it.step, a.shape[src], func);
        if (b.length > 0) data += b.start * a.strides[src];
        shape.push_back(b.length);
        // A slice of length 0 or 1 never steps, and its step may be as big as
        // 2**63 - 1: multiplying would overflow (UBSan found x[0:10:2**63-1]).
        strides.push_back(b.length > 1 ? a.strides[src] * b.step : a.strides[src]);
        ++src;
        break;
      }
      case IndexItem::Tensor:
        if (it.tensor.dtype == DType::Bool) {
          const Array& m = it.tensor;
          // As NumPy: a mask axis of length 0 matches any axis (it selects nothing).
          for (int k = 0; k < m.ndim(); ++k)
            if (m.shape[k] != a.shape[src + k] && m.shape[k] != 0)
              throw IndexError(f() + "boolean index of shape " + shape_str(m.shape) +
                               " does not match the indexed array's dimensions starting at axis " +
                               std::to_string(src));
          if (m.ndim() == 0) {
            // x[True] adds an axis of length 1, x[False] one of length 0.
            shape.push_back(1);
            strides.push_back(0);
            e.adv_axes.push_back(static_cast<int>(shape.size()) - 1);
            Array idx = make_empty({read_element<bool>(m.data) ? 1 : 0}, DType::Int64);
            if (idx.size()) *reinterpret_cast<int64_t*>(idx.data) = 0;
            e.adv_arrays.push_back(idx);
            break;
          }
          std::vector<Array> nz = nonzero(m);
          for (int k = 0; k < m.ndim(); ++k) {
            e.adv_axes.push_back(static_cast<int>(shape.size()));
            e.adv_arrays.push_back(nz[k]);
            take_whole();
          }
        } else {
          if (!in_category(it.tensor.dtype, kInteger))
            throw IndexError(f() + "arrays used as indices must be of integer or boolean type, got " +
                             std::string(dtype_name(it.tensor.dtype)));
          e.adv_axes.push_back(static_cast<int>(shape.size()));
          e.adv_arrays.push_back(it.tensor);
          take_whole();
        }
        break;
    }
  }
  while (src < a.ndim()) take_whole();
  e.view = a.view(shape, strides, data);
  return e;
}

// Geometry of an advanced-index operation on `e.view`.
struct Gather {
  Shape index_shape;           // broadcast shape of the index arrays
  std::vector<Array> indices;  // int64, C-contiguous, of index_shape
  Shape rest_shape, rest_strides;  // the view's non-indexed axes, in order
  int insert_at;               // where index_shape goes in the result
};

Gather plan(const Expanded& e, const char* func) {
  Gather g;
  for (const auto& arr : e.adv_arrays) g.index_shape = broadcast_shapes(g.index_shape, arr.shape, func);
  int64_t n_index = checked_size(g.index_shape, func);
  for (size_t k = 0; k < e.adv_arrays.size(); ++k) {
    Array idx = make_empty(g.index_shape, DType::Int64, func);
    copy_into(idx, e.adv_arrays[k], func);
    int axis = e.adv_axes[k];
    int64_t dim = e.view.shape[axis];
    auto* p = reinterpret_cast<int64_t*>(idx.data);
    bool in_range = true;  // the common case, checked without branches first
    for (int64_t i = 0; i < n_index; ++i) in_range &= static_cast<uint64_t>(p[i]) < static_cast<uint64_t>(dim);
    if (!in_range)
      for (int64_t i = 0; i < n_index; ++i) p[i] = checked_index(p[i], dim, axis, func);
    g.indices.push_back(idx);
  }
  bool consecutive = true;
  for (size_t k = 1; k < e.adv_axes.size(); ++k)
    if (e.adv_axes[k] != e.adv_axes[k - 1] + 1) consecutive = false;
  std::vector<bool> is_adv(e.view.ndim(), false);
  for (int ax : e.adv_axes) is_adv[ax] = true;
  g.insert_at = 0;
  for (int ax = 0; ax < e.view.ndim(); ++ax) {
    if (is_adv[ax]) continue;
    if (consecutive && ax < e.adv_axes.front()) ++g.insert_at;
    g.rest_shape.push_back(e.view.shape[ax]);
    g.rest_strides.push_back(e.view.strides[ax]);
  }
  return g;
}

// For every index position b, calls f(b, pointer into the view).
template <class F>
void for_each_index(const Expanded& e, const Gather& g, F&& f) {
  int64_t n = 1;
  for (int64_t d : g.index_shape) n *= d;
  for (int64_t b = 0; b < n; ++b) {
    char* p = e.view.data;
    for (size_t k = 0; k < g.indices.size(); ++k)
      p += reinterpret_cast<const int64_t*>(g.indices[k].data)[b] * e.view.strides[e.adv_axes[k]];
    f(b, p);
  }
}

// The result (or value) laid out as index dims first, then the rest.
Shape index_first_shape(const Gather& g) {
  Shape s = g.index_shape;
  s.insert(s.end(), g.rest_shape.begin(), g.rest_shape.end());
  return s;
}

// Where each axis of the NumPy result order sits in the index-first layout:
// the rest's axes before the insertion point, the index axes, the other rest.
std::vector<int> result_order_axes(const Gather& g) {
  const int ni = static_cast<int>(g.index_shape.size());
  const int nd = ni + static_cast<int>(g.rest_shape.size());
  std::vector<int> axes;
  for (int k = 0; k < g.insert_at; ++k) axes.push_back(ni + k);
  for (int k = 0; k < ni; ++k) axes.push_back(k);
  for (int k = ni + g.insert_at; k < nd; ++k) axes.push_back(k);
  return axes;
}

// A permutation view of `a` (index-first layout) into the NumPy result order.
Array to_result_order(const Array& a, const Gather& g) {
  Shape shape, strides;
  for (int k : result_order_axes(g)) {
    shape.push_back(a.shape[k]);
    strides.push_back(a.strides[k]);
  }
  return a.view(shape, strides, a.data);
}

Shape result_order_shape(const Gather& g) {
  const Shape first = index_first_shape(g);
  Shape shape;
  for (int k : result_order_axes(g)) shape.push_back(first[k]);
  return shape;
}

// The inverse: a view of `a` (result order) in index-first layout.
Array to_index_first(const Array& a, const Gather& g) {
  int ni = static_cast<int>(g.index_shape.size());
  Shape shape, strides;
  for (int k = 0; k < ni; ++k) {
    shape.push_back(a.shape[g.insert_at + k]);
    strides.push_back(a.strides[g.insert_at + k]);
  }
  for (int k = 0; k < a.ndim(); ++k) {
    if (k >= g.insert_at && k < g.insert_at + ni) continue;
    shape.push_back(a.shape[k]);
    strides.push_back(a.strides[k]);
  }
  return a.view(shape, strides, a.data);
}

}  // namespace

Array get_item(const Array& a, const std::vector<IndexItem>& index, const char* func) {
  Expanded e = expand(a, index, func);
  if (e.adv_arrays.empty()) return e.view;
  Gather g = plan(e, func);
  Array out = make_empty(index_first_shape(g), a.dtype, func);
  int64_t block = 1;
  for (int64_t d : g.rest_shape) block *= d;
  size_t isz = a.itemsize();
  if (g.rest_shape.empty() && g.indices.size() == 1) {
    int64_t n = out.size();
    kernels::gather(isz, e.view.data, e.view.strides[e.adv_axes[0]],
                    reinterpret_cast<const int64_t*>(g.indices[0].data), n, out.data);
  } else if (g.rest_shape.empty()) {
    for_each_index(e, g, [&](int64_t b, char* p) { std::memcpy(out.data + b * isz, p, isz); });
  } else {
    Shape rest_c = c_strides(g.rest_shape, isz);
    for_each_index(e, g, [&](int64_t b, char* p) {
      copy_into(out.view(g.rest_shape, rest_c, out.data + b * block * isz),
                e.view.view(g.rest_shape, g.rest_strides, p), func);
    });
  }
  return to_result_order(out, g);
}

void set_item(const Array& a, const std::vector<IndexItem>& index, const Array& value) {
  if (a.readonly) throw ValueError("__setitem__(): assignment destination is read-only");
  Expanded e = expand(a, index, "__setitem__");
  if (e.adv_arrays.empty()) {
    copy_into(e.view, value, "__setitem__");
    return;
  }
  Gather g = plan(e, "__setitem__");
  // Broadcast the value to the result's shape, then read it index-first.
  const Shape result_shape = result_order_shape(g);
  Array v = value;
  if (may_overlap(a, value)) v = as_contiguous(value, true, "__setitem__");
  Array vb = to_index_first(broadcast_to(v, result_shape, "__setitem__"), g);
  int ni = static_cast<int>(g.index_shape.size());
  Shape idx_strides(vb.strides.begin(), vb.strides.begin() + ni);
  Shape rest_vstrides(vb.strides.begin() + ni, vb.strides.end());
  for_each_index(e, g, [&](int64_t b, char* p) {
    int64_t off = 0, rem = b;
    for (int k = ni - 1; k >= 0; --k) {
      off += (rem % g.index_shape[k]) * idx_strides[k];
      rem /= g.index_shape[k];
    }
    copy_into(e.view.view(g.rest_shape, g.rest_strides, p),
              vb.view(g.rest_shape, rest_vstrides, vb.data + off), "__setitem__");
  });
}

std::vector<Array> nonzero(const Array& a) {
  if (a.ndim() == 0) throw ValueError("nonzero(): x must have at least one dimension");
  Array flag = make_empty(a.shape, DType::Bool, "nonzero");
  copy_into(flag, a, "nonzero");
  // Bytes, not bool: an imported bool buffer may hold values other than 0/1.
  const uint8_t* f = reinterpret_cast<const uint8_t*>(flag.data);
  int64_t n = flag.size(), count = 0;
  for (int64_t i = 0; i < n; ++i) count += f[i] != 0;
  std::vector<Array> out;
  std::vector<int64_t*> dst;
  for (int k = 0; k < a.ndim(); ++k) {
    out.push_back(make_empty({count}, DType::Int64, "nonzero"));
    dst.push_back(reinterpret_cast<int64_t*>(out.back().data));
  }
  int64_t j = 0;
  for (int64_t i = 0; i < n; ++i) {
    if (!f[i]) continue;
    int64_t rem = i;
    for (int k = a.ndim() - 1; k >= 0; --k) {
      dst[k][j] = rem % a.shape[k];
      rem /= a.shape[k];
    }
    ++j;
  }
  return out;
}

Array take(const Array& x, const Array& indices, int axis) {
  if (!in_category(indices.dtype, kInteger))
    throw TypeError("take(): indices must have an integer data type, got " +
                    std::string(dtype_name(indices.dtype)));
  if (indices.ndim() > 1) throw ValueError("take(): indices must be 0-D or 1-D");
  if (x.ndim() == 1 && indices.ndim() == 1 && indices.dtype == DType::Int64 && indices.is_c_contiguous()) {
    // The common case without the general indexing machinery (and its copy of
    // the indices): gather block by block, each block checked first so no read
    // strays. A negative or out-of-range index takes the general path below.
    const auto* idx = reinterpret_cast<const int64_t*>(indices.data);
    const int64_t n = indices.shape[0];
    const auto dim = static_cast<uint64_t>(x.shape[0]);
    const size_t isz = x.itemsize();
    Array out = make_empty({n}, x.dtype, "take");
    constexpr int64_t kBlock = 2048;  // indices checked while still in L1
    bool in_range = true;
    for (int64_t b0 = 0; b0 < n && in_range; b0 += kBlock) {
      const int64_t m = std::min(kBlock, n - b0);
      for (int64_t i = 0; i < m; ++i) in_range &= static_cast<uint64_t>(idx[b0 + i]) < dim;
      if (in_range) kernels::gather(isz, x.data, x.strides[0], idx + b0, m, out.data + b0 * static_cast<int64_t>(isz));
    }
    if (in_range) return out;
  }
  std::vector<IndexItem> index;
  for (int k = 0; k < axis; ++k) index.push_back(IndexItem{IndexItem::Slice});
  IndexItem t{IndexItem::Tensor};
  t.tensor = indices;
  index.push_back(t);
  return get_item(x, index, "take");
}

}  // namespace trueno

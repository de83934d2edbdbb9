#include "ops/manipulation.h"

#include <algorithm>
#include <string>

#include "core/errors.h"
#include "ops/copy.h"

namespace trueno {

Array permute_dims(const Array& a, const std::vector<int>& axes) {
  if (static_cast<int>(axes.size()) != a.ndim())
    throw ValueError("permute_dims(): axes must have one entry per dimension (" +
                     std::to_string(a.ndim()) + "), got " + std::to_string(axes.size()));
  std::vector<bool> seen(a.ndim(), false);
  Shape shape, strides;
  for (int ax : axes) {
    int k = normalize_axis(ax, a.ndim(), "permute_dims", "axes");
    if (seen[k]) throw ValueError("permute_dims(): repeated axis in axes");
    seen[k] = true;
    shape.push_back(a.shape[k]);
    strides.push_back(a.strides[k]);
  }
  return a.view(shape, strides, a.data);
}

Array matrix_transpose(const Array& a) {
  if (a.ndim() < 2)
    throw ValueError("matrix_transpose(): x must have at least 2 dimensions, got " +
                     std::to_string(a.ndim()));
  Shape shape = a.shape, strides = a.strides;
  std::swap(shape[a.ndim() - 1], shape[a.ndim() - 2]);
  std::swap(strides[a.ndim() - 1], strides[a.ndim() - 2]);
  return a.view(shape, strides, a.data);
}

Array matrix_diagonal(const Array& a, int64_t offset, const char* func) {
  const int nd = a.ndim();
  if (nd < 2)
    throw ValueError(std::string(func) + "(): x must have at least 2 dimensions, got " + std::to_string(nd));
  const int64_t rows = a.shape[nd - 2], cols = a.shape[nd - 1];
  // Within the matrix, |offset| < rows or cols <= INT64_MAX: no sum below wraps.
  const bool inside = offset >= 0 ? offset < cols : offset > -rows;
  const int64_t row0 = inside && offset < 0 ? -offset : 0, col0 = inside && offset > 0 ? offset : 0;
  const int64_t length = inside ? std::min(rows - row0, cols - col0) : 0;
  Shape shape(a.shape.begin(), a.shape.end() - 2), strides(a.strides.begin(), a.strides.end() - 2);
  shape.push_back(length);
  // A step of one row and one column; with two or more elements it stays
  // inside the matrix, whose byte offsets fit in int64, so only a diagonal of
  // at most one element can have a step that wraps (and never takes it).
  int64_t step;
  if (__builtin_add_overflow(a.strides[nd - 2], a.strides[nd - 1], &step)) step = 0;
  strides.push_back(step);
  char* data = length ? a.data + row0 * a.strides[nd - 2] + col0 * a.strides[nd - 1] : a.data;
  Array v = a.view(shape, strides, data);
  v.readonly = true;
  return v;
}

namespace {
// Strides for viewing `a` as `shape` without copying, if possible (NumPy's
// _attempt_nocopy_reshape: match groups of old and new axes with equal products).
std::optional<Shape> nocopy_strides(const Array& a, const Shape& shape) {
  Shape old_shape, old_strides;
  for (int i = 0; i < a.ndim(); ++i)
    if (a.shape[i] != 1) {
      old_shape.push_back(a.shape[i]);
      old_strides.push_back(a.strides[i]);
    }
  Shape strides(shape.size(), 0);
  size_t oi = 0, oj = 1, ni = 0, nj = 1;
  size_t on = old_shape.size(), nn = shape.size();
  while (ni < nn && oi < on) {
    int64_t np_ = shape[ni], op = old_shape[oi];
    while (np_ != op) {
      if (np_ < op) np_ *= shape[nj++];
      else op *= old_shape[oj++];
    }
    for (size_t k = oi; k + 1 < oj; ++k)
      if (old_strides[k] != old_shape[k + 1] * old_strides[k + 1]) return std::nullopt;
    strides[nj - 1] = old_strides[oj - 1];
    for (size_t k = nj - 1; k > ni; --k) strides[k - 1] = strides[k] * shape[k];
    ni = nj++;
    oi = oj++;
  }
  int64_t last = ni > 0 ? strides[ni - 1] : static_cast<int64_t>(a.itemsize());
  for (size_t k = ni; k < nn; ++k) strides[k] = last;
  return strides;
}
}  // namespace

Array reshape(const Array& a, Shape shape, std::optional<bool> copy) {
  int infer = -1;
  int64_t known = 1;
  for (size_t i = 0; i < shape.size(); ++i) {
    if (shape[i] == -1) {
      if (infer >= 0) throw ValueError("reshape(): can only specify one unknown dimension");
      infer = static_cast<int>(i);
    } else if (shape[i] < 0) {
      throw ValueError("reshape(): negative dimension " + std::to_string(shape[i]));
    } else if (__builtin_mul_overflow(known, shape[i], &known)) {
      throw ValueError("reshape(): shape is too large");
    }
  }
  if (infer >= 0) {
    if (known == 0 || a.size() % known != 0)
      throw ValueError("reshape(): cannot reshape array of size " + std::to_string(a.size()) +
                       " into shape " + shape_str(shape));
    shape[infer] = a.size() / known;
  }
  if (checked_size(shape, "reshape") != a.size())
    throw ValueError("reshape(): cannot reshape array of size " + std::to_string(a.size()) +
                     " into shape " + shape_str(shape));
  if (!copy.value_or(false)) {
    if (a.size() == 0 || a.is_c_contiguous()) return a.view(shape, c_strides(shape, a.itemsize()), a.data);
    if (auto st = nocopy_strides(a, shape)) return a.view(shape, *st, a.data);
    if (copy.has_value())
      throw ValueError("reshape(): cannot reshape without copying and copy=False");
  }
  Array c = as_contiguous(a, true, "reshape");
  return c.view(shape, c_strides(shape, a.itemsize()), c.data);
}

Array expand_dims(const Array& a, const std::vector<int64_t>& axes) {
  int out_nd = a.ndim() + static_cast<int>(axes.size());
  if (out_nd > kMaxDims)
    throw ValueError("expand_dims(): the result would have " + std::to_string(out_nd) +
                     " dimensions; at most " + std::to_string(kMaxDims) + " are supported");
  std::vector<bool> is_new(out_nd, false);
  for (int64_t ax : axes) {
    int k = normalize_axis(ax, out_nd, "expand_dims");
    if (is_new[k]) throw ValueError("expand_dims(): repeated axis");
    is_new[k] = true;
  }
  Shape shape, strides;
  int src = 0;
  for (int k = 0; k < out_nd; ++k) {
    if (is_new[k]) {
      shape.push_back(1);
      strides.push_back(0);
    } else {
      shape.push_back(a.shape[src]);
      strides.push_back(a.strides[src]);
      ++src;
    }
  }
  return a.view(shape, strides, a.data);
}

Array squeeze(const Array& a, const std::vector<int>& axes) {
  std::vector<bool> drop(a.ndim(), false);
  for (int ax : axes) {
    if (a.shape[ax] != 1)
      throw ValueError("squeeze(): cannot remove axis " + std::to_string(ax) + " of size " +
                       std::to_string(a.shape[ax]));
    drop[ax] = true;
  }
  Shape shape, strides;
  for (int k = 0; k < a.ndim(); ++k)
    if (!drop[k]) {
      shape.push_back(a.shape[k]);
      strides.push_back(a.strides[k]);
    }
  return a.view(shape, strides, a.data);
}

Array flip(const Array& a, const std::optional<std::vector<int>>& axes) {
  Shape strides = a.strides;
  char* data = a.data;
  auto flip_axis = [&](int k) {
    if (a.shape[k] > 0) data += (a.shape[k] - 1) * strides[k];
    strides[k] = -strides[k];
  };
  if (axes) {
    for (int k : *axes) flip_axis(k);
  } else {
    for (int k = 0; k < a.ndim(); ++k) flip_axis(k);
  }
  return a.view(a.shape, strides, data);
}

Array concat(const std::vector<Array>& arrays, std::optional<int64_t> axis, const char* func) {
  if (arrays.empty()) throw ValueError(std::string(func) + "(): need at least one array");
  DType dtype = arrays[0].dtype;
  for (const auto& x : arrays) dtype = promote_or_throw(dtype, x.dtype, func);
  // Lengths add up with a check: a sum that wraps would allocate a small result
  // and copy the whole of every input into it.
  const auto add_length = [func](int64_t total, int64_t length) {
    if (__builtin_add_overflow(total, length, &total))
      throw ValueError(std::string(func) + "(): the result would have more elements than fit in int64");
    return total;
  };
  if (!axis) {
    int64_t total = 0;
    for (const auto& x : arrays) total = add_length(total, x.size());
    Array out = make_empty({total}, dtype, func);
    int64_t off = 0;
    for (const auto& x : arrays) {
      Array flat = reshape(x, {x.size()}, std::nullopt);
      copy_into(out.view({x.size()}, {static_cast<int64_t>(out.itemsize())},
                         out.data + off * out.itemsize()), flat, func);
      off += x.size();
    }
    return out;
  }
  const Array& first = arrays[0];
  if (first.ndim() == 0) throw ValueError(std::string(func) + "(): zero-dimensional arrays cannot be concatenated");
  int ax = normalize_axis(*axis, first.ndim(), func);
  Shape shape = first.shape;
  shape[ax] = 0;
  for (const auto& x : arrays) {
    if (x.ndim() != first.ndim())
      throw ValueError(std::string(func) + "(): all arrays must have the same number of dimensions");
    for (int k = 0; k < x.ndim(); ++k)
      if (k != ax && x.shape[k] != first.shape[k])
        throw ValueError(std::string(func) + "(): array shapes " + shape_str(first.shape) + " and " +
                         shape_str(x.shape) + " differ outside the concatenation axis");
    shape[ax] = add_length(shape[ax], x.shape[ax]);
  }
  Array out = make_empty(shape, dtype, func);
  int64_t off = 0;
  for (const auto& x : arrays) {
    Shape s = out.shape;
    s[ax] = x.shape[ax];
    copy_into(out.view(s, out.strides, out.data + off * out.strides[ax]), x, func);
    off += x.shape[ax];
  }
  return out;
}

Array stack(const std::vector<Array>& arrays, int64_t axis) {
  if (arrays.empty()) throw ValueError("stack(): need at least one array");
  int ax = normalize_axis(axis, arrays[0].ndim() + 1, "stack");
  std::vector<Array> expanded;
  for (const auto& x : arrays) {
    if (x.shape != arrays[0].shape) throw ValueError("stack(): all arrays must have the same shape");
    expanded.push_back(expand_dims(x, {ax}));
  }
  return concat(expanded, ax, "stack");
}

Array moveaxis(const Array& a, const std::vector<int64_t>& source, const std::vector<int64_t>& dest) {
  if (source.size() != dest.size())
    throw ValueError("moveaxis(): source and destination must have the same number of elements");
  std::vector<int> src, dst;
  for (int64_t s : source) src.push_back(normalize_axis(s, a.ndim(), "moveaxis", "source"));
  for (int64_t d : dest) dst.push_back(normalize_axis(d, a.ndim(), "moveaxis", "destination"));
  for (size_t i = 0; i < src.size(); ++i)
    for (size_t j = i + 1; j < src.size(); ++j)
      if (src[i] == src[j] || dst[i] == dst[j]) throw ValueError("moveaxis(): repeated axis");
  std::vector<int> order;
  for (int k = 0; k < a.ndim(); ++k)
    if (std::find(src.begin(), src.end(), k) == src.end()) order.push_back(k);
  std::vector<std::pair<int, int>> pairs;
  for (size_t i = 0; i < src.size(); ++i) pairs.emplace_back(dst[i], src[i]);
  std::sort(pairs.begin(), pairs.end());
  for (auto [d, s] : pairs) order.insert(order.begin() + d, s);
  return permute_dims(a, order);
}

}  // namespace trueno

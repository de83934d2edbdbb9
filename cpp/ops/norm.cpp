#include "ops/norm.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <string>
#include <type_traits>

#include "core/errors.h"
#include "core/iteration.h"
#include "core/threading.h"
#include "ops/copy.h"
#include "ops/lapack.h"
#include "ops/elementwise.h"
#include "ops/lapack.h"
#include "ops/reduction.h"

namespace trueno {

namespace {

using simd::norm::Kind;

template <class F>
void visit_float(DType d, F&& f) {
  if (d == DType::Float32) f(float{});
  else f(double{});
}

struct Dim {
  int64_t n, stride;  // stride in elements
};

// Neighbouring dims that are one run in memory become one dim.
void merge_dims(std::vector<Dim>& dims) {
  size_t k = 0;
  for (size_t i = 0; i < dims.size(); ++i) {
    if (k > 0 && dims[k - 1].stride == dims[i].stride * dims[i].n) {
      dims[k - 1] = {dims[k - 1].n * dims[i].n, dims[i].stride};
    } else {
      dims[k++] = dims[i];
    }
  }
  dims.resize(k);
}

// Columns of the column form handled per pass over the reduced rows: their
// float64 accumulators (8 KiB) stay in L1 while the rows stream by.
constexpr int64_t kColumnBlock = 1024;

// The norm of element `col` of every reduced row, gathered into one vector
// (the column form's rare second pass: a float64 2-norm that left the safe range).
template <class T>
T gathered_column_norm(Kind kind, const T* base, const std::vector<Dim>& red) {
  std::vector<int64_t> shape, strides;
  for (const Dim& d : red) {
    shape.push_back(d.n);
    strides.push_back(d.stride);
  }
  std::vector<T> column;
  for_each_offset(static_cast<int>(shape.size()), shape.data(), strides.data(),
                  [&](int64_t off) { column.push_back(base[off]); });
  T result;
  simd::norm::rows(kind, 0.0, column.data(), 0, 1, column.size(), &result);
  return result;
}

template <class T>
void norm_t(Kind kind, double p, const Array& x, const std::vector<bool>& reduced, int64_t count, Array& out,
            const char* func) {
  const int64_t isz = sizeof(T);
  std::vector<Dim> red, kept;
  bool element_strides = true;
  for (int i = 0; i < x.ndim(); ++i) {
    if (x.shape[i] == 1) continue;
    element_strides = element_strides && x.strides[i] % isz == 0;
    (reduced[i] ? red : kept).push_back({x.shape[i], x.strides[i] / isz});
  }
  // The order of the reduced elements does not change a norm: walk them in
  // memory order, so that a transposed block reads as one run.
  std::stable_sort(red.begin(), red.end(),
                   [](const Dim& a, const Dim& b) { return std::abs(a.stride) > std::abs(b.stride); });
  merge_dims(red);
  merge_dims(kept);
  const T* base = reinterpret_cast<const T*>(x.data);
  T* o = reinterpret_cast<T*>(out.data);

  // Rows form: each output's elements are one contiguous run.
  auto rows = [&](const T* in, int64_t nrows, int64_t row_stride, int64_t len, T* dst) {
    // Rows are independent: any split over threads gives the same results.
    parallel_for(nrows, std::max<int64_t>(1, kParallelGrain / std::max<int64_t>(1, len)),
                 [&](int64_t r0, int64_t r1) {
      simd::norm::rows(kind, p, in + r0 * row_stride, row_stride, size_t(r1 - r0), size_t(len), dst + r0);
    });
  };
  if (element_strides && red.size() <= 1 && (red.empty() || red[0].stride == 1)) {
    if (kept.empty()) return rows(base, 1, 0, count, o);
    const Dim inner = kept.back();
    std::vector<int64_t> oshape, ostrides;
    for (size_t i = 0; i + 1 < kept.size(); ++i) {
      oshape.push_back(kept[i].n);
      ostrides.push_back(kept[i].stride);
    }
    for_each_offset(static_cast<int>(oshape.size()), oshape.data(), ostrides.data(), [&](int64_t off) {
      rows(base + off, inner.n, inner.stride, count, o);
      o += inner.n;
    });
    return;
  }

  // Column form: the innermost kept axis is contiguous, so whole rows of it
  // are combined into float64 accumulators by the vector kernel.
  if (element_strides && !red.empty() && !kept.empty() && kept.back().stride == 1 && kind != Kind::Power) {
    const Dim cols = kept.back(), rin = red.back();
    std::vector<int64_t> oshape, ostrides, rshape, rstrides;
    for (size_t i = 0; i + 1 < kept.size(); ++i) {
      oshape.push_back(kept[i].n);
      ostrides.push_back(kept[i].stride);
    }
    for (size_t i = 0; i + 1 < red.size(); ++i) {
      rshape.push_back(red[i].n);
      rstrides.push_back(red[i].stride);
    }
    const bool rescue = std::is_same_v<T, double> && kind == Kind::Euclid;
    for_each_offset(static_cast<int>(oshape.size()), oshape.data(), ostrides.data(), [&](int64_t off) {
      // Columns are independent: any split over threads gives the same results.
      parallel_for(cols.n, std::max<int64_t>(kChunkAlign, kParallelGrain / count), [&](int64_t c0, int64_t c1) {
        alignas(64) double acc[kColumnBlock];
        for (int64_t b0 = c0; b0 < c1; b0 += kColumnBlock) {
          const int64_t width = std::min(kColumnBlock, c1 - b0);
          bool init = true;
          for_each_offset(static_cast<int>(rshape.size()), rshape.data(), rstrides.data(), [&](int64_t roff) {
            simd::norm::accumulate(kind, base + off + roff + b0, rin.stride, size_t(rin.n), size_t(width), acc, init);
            init = false;
          });
          for (int64_t j = 0; j < width; ++j) {
            double v = acc[j];
            if (kind == Kind::Euclid) {
              if (rescue && !(v >= simd::norm::kEuclidSafeMin && v <= std::numeric_limits<double>::max()) &&
                  !std::isnan(v)) {
                o[b0 + j] = gathered_column_norm(kind, base + off + b0 + j, red);
                continue;
              }
              v = std::sqrt(v);
            }
            o[b0 + j] = static_cast<T>(v);
          }
        }
      }, kChunkAlign);
      o += cols.n;
    });
    return;
  }

  // Any other layout: a copy with the kept axes first and the reduced ones last.
  std::vector<int> perm;
  for (int i = 0; i < x.ndim(); ++i)
    if (!reduced[i]) perm.push_back(i);
  for (int i = 0; i < x.ndim(); ++i)
    if (reduced[i]) perm.push_back(i);
  const Array c = as_contiguous(permuted(x, perm), false, func);
  rows(reinterpret_cast<const T*>(c.data), out.size(), count, count, o);
}

// What vector_norm's ord asks of the kernels.
std::pair<Kind, double> vector_order(double ord) {
  if (ord == 1) return {Kind::Sum, 1};
  if (ord == 2) return {Kind::Euclid, 2};
  if (ord == 0) return {Kind::Count, 0};
  if (ord == std::numeric_limits<double>::infinity()) return {Kind::Max, ord};
  if (ord == -std::numeric_limits<double>::infinity()) return {Kind::Min, ord};
  return {Kind::Power, ord};
}

// x as float32/float64 data for the kernels: integers as float64, complex as |z|.
Array real_operand(const Array& x, const char* func) {
  if (x.dtype == DType::Bool)
    throw TypeError(std::string(func) + "(): x must have a floating-point data type, got bool");
  if (in_category(x.dtype, kComplexFloat)) {
    static const ElementwiseFunction& abs_fn = elementwise_function("abs");
    return apply_unary(abs_fn, x);  // hypot: no overflow
  }
  if (!in_category(x.dtype, kRealFloat)) return astype_copy(x, DType::Float64, func);
  return x;
}

Array with_trailing_ones(const Array& a, int ones) {
  Shape shape = a.shape;
  for (int i = 0; i < ones; ++i) shape.push_back(1);
  return a.view(shape, c_strides(shape, a.itemsize()), a.data);
}

}  // namespace

Array norm_over_axes(Kind kind, double p, const Array& x, const std::optional<std::vector<int>>& axes, bool keepdims,
                     const char* func) {
  const int nd = x.ndim();
  std::vector<bool> reduced(nd, !axes.has_value());
  if (axes)
    for (int a : *axes) reduced[a] = true;
  Shape kept_shape, final_shape;
  int64_t count = 1;
  bool empty = false;
  for (int i = 0; i < nd; ++i) {
    if (!reduced[i]) {
      kept_shape.push_back(x.shape[i]);
      final_shape.push_back(x.shape[i]);
      continue;
    }
    if (keepdims) final_shape.push_back(1);
    if (x.shape[i] == 0) empty = true;
    else count *= x.shape[i];
  }
  if (empty) count = 0;
  if (count == 0 && kind == Kind::Min)
    throw ValueError(std::string(func) + "(): zero-size array to reduction operation minimum which has no identity");
  Array out = make_empty(kept_shape, x.dtype, func);
  if (out.size() > 0 && count == 0) {
    // Every output is the norm of no elements (0, or inf for a negative p).
    visit_float(x.dtype, [&](auto tag) {
      using T = decltype(tag);
      T value;
      simd::norm::rows(kind, p, static_cast<const T*>(nullptr), 0, 1, 0, &value);
      std::fill_n(reinterpret_cast<T*>(out.data), out.size(), value);
    });
  } else if (out.size() > 0) {
    LongKernelScope without_gil(x.size());
    visit_float(x.dtype, [&](auto tag) { norm_t<decltype(tag)>(kind, p, x, reduced, count, out, func); });
  }
  if (keepdims) out = out.view(final_shape, c_strides(final_shape, out.itemsize()), out.data);
  return out;
}

Array linalg_vector_norm(const Array& x, double ord, const std::optional<std::vector<int>>& axes, bool keepdims) {
  const char* func = "linalg.vector_norm";
  const auto [kind, p] = vector_order(ord);
  if (kind == Kind::Euclid && in_category(x.dtype, kComplexFloat)) {
    // |z|^2 = re^2 + im^2: the 2-norm of the real view with a trailing axis
    // of the two parts, reduced too (no |z| array; the kernel's scaling
    // keeps it overflow-free).
    Shape shape = x.shape, strides = x.strides;
    const int64_t part = int64_t(x.itemsize() / 2);
    shape.push_back(2);
    strides.push_back(part);
    Array parts = x.view(shape, strides, x.data);
    parts.dtype = real_dtype(x.dtype);
    std::optional<std::vector<int>> all = axes;
    if (all) all->push_back(x.ndim());
    Array r = norm_over_axes(kind, p, parts, all, keepdims, func);
    if (!keepdims) return r;
    Shape final_shape(r.shape.begin(), r.shape.end() - 1);
    return r.view(final_shape, c_strides(final_shape, r.itemsize()), r.data);
  }
  return norm_over_axes(kind, p, real_operand(x, func), axes, keepdims, func);
}

Array linalg_matrix_norm(const Array& x, MatrixOrd ord, bool keepdims) {
  const char* func = "linalg.matrix_norm";
  float_dtype(x.dtype, func, "x");  // (bool refused; each ord's kernel picks its own working dtype)
  require_matrix(x, func, "x", /*square=*/false);
  const int nd = x.ndim();
  Array r;
  switch (ord) {
    case MatrixOrd::Fro:
      return linalg_vector_norm(x, 2, std::vector<int>{nd - 2, nd - 1}, keepdims);
    case MatrixOrd::Two: case MatrixOrd::MinusTwo: case MatrixOrd::Nuc: {
      // Singular values, descending: the largest, the smallest, their sum.
      const Array s = std::get<1>(linalg_svd(x, false, false, func));
      const Kind k = ord == MatrixOrd::Two ? Kind::Max : ord == MatrixOrd::Nuc ? Kind::Sum : Kind::Min;
      r = norm_over_axes(k, 0, s, std::vector<int>{s.ndim() - 1}, false, func);
      break;
    }
    default: {
      // Column (ord 1) or row (ord inf) sums of |x|, then their max or min.
      const bool columns = ord == MatrixOrd::One || ord == MatrixOrd::MinusOne;
      const bool largest = ord == MatrixOrd::One || ord == MatrixOrd::Inf;
      const Array a = real_operand(x, func);
      const Array sums = norm_over_axes(Kind::Sum, 1, a, std::vector<int>{columns ? nd - 2 : nd - 1}, false, func);
      r = norm_over_axes(largest ? Kind::Max : Kind::Min, 0, sums, std::vector<int>{sums.ndim() - 1}, false, func);
      break;
    }
  }
  return keepdims ? with_trailing_ones(r, 2) : r;
}

}  // namespace trueno

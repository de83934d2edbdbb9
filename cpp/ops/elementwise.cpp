#include "ops/elementwise.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <limits>
#include <string>

#include "core/errors.h"
#include "core/threading.h"
#include "ops/copy.h"

namespace trueno {

namespace {

const char* category_words(unsigned accepts) {
  switch (accepts) {
    case kNumeric: return "a numeric";
    case kRealNumeric: return "a real-valued numeric";
    case kInteger: return "an integer";
    case kIntegerOrBool: return "an integer or boolean";
    case kFloating: return "a floating-point";
    case kBool: return "a boolean";
    default: return "a supported";
  }
}

template <class T>
Array zero_d(DType dtype, T value) {
  Array a = make_empty({}, dtype);
  visit_dtype(dtype, [&](auto tag) {
    using U = decltype(tag);
    *reinterpret_cast<U*>(a.data) = cast_value<U>(value);
  });
  return a;
}

// The work of a long flat loop over contiguous operands: without the GIL,
// and in aligned pieces over the threads (each element meets the same code).
[[gnu::noinline]] void run_contiguous_long(StridedLoop loop, int nops, char* const* data,
                                           const int64_t* strides, int64_t n) {
  LongKernelScope without_gil(n);
  parallel_for(n, kParallelGrain, [&](int64_t begin, int64_t end) {
    char* piece[3];
    for (int k = 0; k < nops; ++k) piece[k] = data[k] + begin * strides[k];
    loop(piece, strides, end - begin, nullptr);
  }, kChunkAlign);
}

// One flat loop over n contiguous elements; small n pays one comparison.
inline void run_contiguous(StridedLoop loop, int nops, char** data, const int64_t* strides, int64_t n) {
  if (__builtin_expect(n < kLongKernelElements, 1)) {
    if (n > 0) loop(data, strides, n, nullptr);
    return;
  }
  run_contiguous_long(loop, nops, data, strides, n);
}

}  // namespace

bool scalar_fits(const Scalar& s, DType dtype) {
  if (!in_category(dtype, kInteger) || (s.kind != Scalar::Int && s.kind != Scalar::Float)) return true;
  if (s.kind == Scalar::Float && !std::isfinite(s.f)) return false;
  const double t = std::trunc(s.f);
  return visit_dtype(dtype, [&](auto tag) {
    using U = decltype(tag);
    if constexpr (std::is_integral_v<U> && !std::is_same_v<U, bool>) {
      constexpr auto lo = std::numeric_limits<U>::min();
      constexpr auto hi = std::numeric_limits<U>::max();
      // lo and hi + 1 are powers of two (or 0): exact in double, where a wide
      // hi itself rounds up to hi + 1.
      if (s.kind == Scalar::Float) return t >= static_cast<double>(lo) && t < static_cast<double>(hi) + 1.0;
      if (s.int_is_unsigned) return static_cast<uint64_t>(s.i) <= static_cast<uint64_t>(hi);
      if (s.i < 0) return std::is_signed_v<U> && s.i >= static_cast<int64_t>(lo);
      return static_cast<uint64_t>(s.i) <= static_cast<uint64_t>(hi);
    }
    return true;
  });
}

std::string scalar_repr(const Scalar& s) {
  switch (s.kind) {
    case Scalar::Bool: return s.b ? "True" : "False";
    case Scalar::Int:
      return s.int_is_unsigned ? std::to_string(static_cast<uint64_t>(s.i)) : std::to_string(s.i);
    case Scalar::Float: {
      if (std::isnan(s.f)) return "nan";
      if (std::isinf(s.f)) return s.f > 0 ? "inf" : "-inf";
      // Python's repr: the shortest digits that read back, with a point.
      char buf[32];
      auto [end, ec] = std::to_chars(buf, buf + sizeof buf, s.f);
      std::string r(buf, ec == std::errc() ? end : buf);
      if (r.find_first_of(".e") == std::string::npos) r += ".0";
      return r;
    }
    default: return "complex";
  }
}

void check_scalar_fits(const Scalar& s, DType dtype, const char* func) {
  if (scalar_fits(s, dtype)) return;
  // NumPy's kinds: int(nan) is a ValueError, int(inf) and a value beyond
  // the dtype an OverflowError.
  if (s.kind == Scalar::Float && std::isnan(s.f))
    throw ValueError(std::string(func) + "(): cannot convert float NaN to " + dtype_name(dtype));
  if (s.kind == Scalar::Float && std::isinf(s.f))
    throw OverflowError(std::string(func) + "(): cannot convert float infinity to " + dtype_name(dtype));
  throw OverflowError(std::string(func) + "(): Python " + (s.kind == Scalar::Float ? "float " : "integer ") +
                      scalar_repr(s) + " out of bounds for " + dtype_name(dtype));
}

Array scalar_to_array_default(const Scalar& s) {
  switch (s.kind) {
    case Scalar::Bool: return zero_d(DType::Bool, s.b);
    case Scalar::Int:
      if (s.int_is_unsigned) return zero_d(DType::UInt64, static_cast<uint64_t>(s.i));
      return zero_d(kDefaultInt, s.i);
    case Scalar::Float: return zero_d(kDefaultFloat, s.f);
    default: return zero_d(kDefaultComplex, complex128(s.f, s.imag));
  }
}

Array scalar_to_array(const Scalar& s, DType other, const char* func) {
  Category cat = category_of(other);
  switch (s.kind) {
    case Scalar::Bool:
      return zero_d(other, s.b);
    case Scalar::Int:
      if (cat == kBool) return scalar_to_array_default(s);
      check_scalar_fits(s, other, func);
      if (s.int_is_unsigned) return zero_d(other, static_cast<uint64_t>(s.i));
      return zero_d(other, s.i);
    case Scalar::Float:
      if (cat & kFloating) return zero_d(other, s.f);
      return zero_d(kDefaultFloat, s.f);
    default:
      if (cat == kComplexFloat) return zero_d(other, complex128(s.f, s.imag));
      if (cat == kRealFloat) return zero_d(complex_dtype(other), complex128(s.f, s.imag));
      return zero_d(kDefaultComplex, complex128(s.f, s.imag));
  }
}

Array align_with_scalar(const Array& array_side, const Array& scalar_side, const char* func) {
  if (promote_types(array_side.dtype, scalar_side.dtype)) return array_side;
  return astype_copy(array_side, scalar_side.dtype, func);
}

DType compute_dtype(const ElementwiseFunction& f, DType in, const char* argname) {
  if (f.rule == ResultRule::AsBool) return DType::Bool;
  if (!in_category(in, f.accepts))
    throw TypeError(std::string(f.name) + "(): " + argname + " must have " +
                    category_words(f.accepts) + " data type, got " + dtype_name(in));
  if (f.rule == ResultRule::ToFloat && !in_category(in, kFloating)) return kDefaultFloat;
  return in;
}

DType result_dtype(const ElementwiseFunction& f, DType compute) {
  switch (f.rule) {
    case ResultRule::Bool:
    case ResultRule::AsBool: return DType::Bool;
    case ResultRule::ToReal: return real_dtype(compute);
    default: return compute;
  }
}

Array apply_unary(const ElementwiseFunction& f, const Array& x) {
  DType compute = compute_dtype(f, x.dtype, "x");
  if (x.dtype == compute && x.is_c_contiguous()) {
    Array out = make_empty_shaped_like(x, result_dtype(f, compute), f.name);
    char* data[2] = {x.data, out.data};
    const int64_t strides[2] = {static_cast<int64_t>(x.itemsize()), static_cast<int64_t>(out.itemsize())};
    run_contiguous(f.loops[static_cast<int>(compute)], 2, data, strides, out.size());
    return out;
  }
  LongKernelScope without_gil(x.size());
  Array in = cast_if_needed(x, compute, f.name);
  Array out = make_empty_in_layout_of(in, result_dtype(f, compute), f.name);
  char* data[2] = {in.data, out.data};
  const Shape* strides[2] = {&in.strides, &out.strides};
  for_each_strided_parallel(f.loops[static_cast<int>(compute)], nullptr, 2, data, strides, out.shape,
                            kParallelGrain);
  return out;
}

namespace {

DType binary_compute_dtype(const ElementwiseFunction& f, DType a, DType b) {
  if (f.rule == ResultRule::AsBool) return DType::Bool;
  // Equal dtypes promote to themselves: one check says all three would.
  if (a == b) return compute_dtype(f, a, "x1");
  compute_dtype(f, a, "x1");
  compute_dtype(f, b, "x2");
  return compute_dtype(f, promote_or_throw(a, b, f.name), "x1");
}

// An operand in another dtype than the computation is converted a block of
// leading rows at a time, as NumPy's buffered loops do: converting it whole
// first cost an allocation of its size in the wider dtype and a pass through
// memory (float32 (4096, 4096) - float64 (4096, 1): 39 -> 25 ms, NumPy 45 ms).
// One thread only (the whole-array path splits over threads), and never when
// a converted operand shares memory with the output: all of it must be read
// before any of the output is written.
bool run_binary_cast_blocks(const ElementwiseFunction& f, DType compute, const Array& a, const Array& b,
                            const Array& out) {
  if (out.ndim() == 0 || out.shape[0] < 2 || out.size() < 2 * kCastBlockElements || num_threads() > 1)
    return false;
  if ((a.dtype != compute && may_overlap(a, out)) || (b.dtype != compute && may_overlap(b, out))) return false;
  const Array wide_a = broadcast_to(a, out.shape, f.name), wide_b = broadcast_to(b, out.shape, f.name);
  const int64_t step = std::max<int64_t>(1, kCastBlockElements / (out.size() / out.shape[0]));
  Shape shape = out.shape;
  for (int64_t start = 0; start < out.shape[0]; start += step) {
    shape[0] = std::min(step, out.shape[0] - start);
    const auto rows = [&](const Array& x) { return x.view(shape, x.strides, x.data + start * x.strides[0]); };
    const Array ca = cast_if_needed(rows(wide_a), compute, f.name), cb = cast_if_needed(rows(wide_b), compute, f.name);
    const Array o = rows(out);
    char* data[3] = {ca.data, cb.data, o.data};
    const Shape* strides[3] = {&ca.strides, &cb.strides, &o.strides};
    for_each_strided(f.loops[static_cast<int>(compute)], nullptr, 3, data, strides, shape);
  }
  return true;
}

void run_binary(const ElementwiseFunction& f, DType compute, const Array& a, const Array& b,
                const Array& out) {
  LongKernelScope without_gil(out.size());
  if ((a.dtype != compute || b.dtype != compute) && run_binary_cast_blocks(f, compute, a, b, out)) return;
  Array ca = cast_if_needed(a, compute, f.name);
  Array cb = cast_if_needed(b, compute, f.name);
  Shape sa = broadcast_strides(ca, out.shape, f.name);
  Shape sb = broadcast_strides(cb, out.shape, f.name);
  char* data[3] = {ca.data, cb.data, out.data};
  const Shape* strides[3] = {&sa, &sb, &out.strides};
  for_each_strided_parallel(f.loops[static_cast<int>(compute)], nullptr, 3, data, strides, out.shape,
                            kParallelGrain);
}

}  // namespace

Array apply_binary(const ElementwiseFunction& f, const Array& a, const Array& b) {
  DType compute = binary_compute_dtype(f, a.dtype, b.dtype);
  // The common case, kept free of per-call allocations beyond the result:
  // same dtype, same shape, both contiguous -> one flat loop.
  if (a.dtype == compute && b.dtype == compute && a.shape == b.shape && a.is_c_contiguous() &&
      b.is_c_contiguous()) {
    Array out = make_empty_shaped_like(a, result_dtype(f, compute), f.name);
    char* data[3] = {a.data, b.data, out.data};
    const int64_t strides[3] = {static_cast<int64_t>(a.itemsize()), static_cast<int64_t>(b.itemsize()),
                                static_cast<int64_t>(out.itemsize())};
    run_contiguous(f.loops[static_cast<int>(compute)], 3, data, strides, out.size());
    return out;
  }
  // An array and a single element of the same dtype (x * 2.5 after the
  // scalar took x's dtype): one flat loop with a zero stride, which the SIMD
  // loops take as a broadcast operand.
  const auto is_single = [&](const Array& s, const Array& x) {
    return s.dtype == compute && s.size() == 1 && s.ndim() <= x.ndim();
  };
  if (a.dtype == compute && b.dtype == compute && (is_single(b, a) || is_single(a, b))) {
    const bool b_single = is_single(b, a);
    const Array& array_side = b_single ? a : b;
    if (array_side.is_c_contiguous()) {
      Array out = make_empty_shaped_like(array_side, result_dtype(f, compute), f.name);
      char* data[3] = {a.data, b.data, out.data};
      const int64_t item = static_cast<int64_t>(a.itemsize());
      const int64_t strides[3] = {b_single ? item : 0, b_single ? 0 : item,
                                  static_cast<int64_t>(out.itemsize())};
      run_contiguous(f.loops[static_cast<int>(compute)], 3, data, strides, out.size());
      return out;
    }
  }
  Shape shape = broadcast_shapes(a.shape, b.shape, f.name);
  // The result takes the layout of an operand that spans it, when the other
  // agrees (same strides) or is a single element, as NumPy's does.
  auto spans_alone = [&](const Array& x, const Array& y) {
    return x.shape == shape && (y.size() == 1 || (y.shape == shape && y.strides == x.strides));
  };
  const DType result = result_dtype(f, compute);
  Array out = spans_alone(a, b)   ? make_empty_in_layout_of(a, result, f.name)
              : spans_alone(b, a) ? make_empty_in_layout_of(b, result, f.name)
                                  : make_empty(shape, result, f.name);
  run_binary(f, compute, a, b, out);
  return out;
}

namespace {

// Whether `in` shares memory with `out` other than element for element: an
// elementwise kernel writing `out` would then read values it already wrote.
bool overlaps_partly(const Array& in, const Array& out) {
  const bool same_elements = in.data == out.data && in.strides == out.strides && in.shape == out.shape;
  return may_overlap(in, out) && !same_elements;
}

}  // namespace

bool apply_binary_over_operand(const ElementwiseFunction& f, const Array& a, const Array& b,
                               const Array& operand) {
  const Array& other = &operand == &a ? b : a;
  if (operand.readonly || !operand.is_c_contiguous()) return false;
  const DType compute = binary_compute_dtype(f, a.dtype, b.dtype);
  if (result_dtype(f, compute) != operand.dtype || operand.dtype != compute) return false;
  if (broadcast_shapes(a.shape, b.shape, f.name) != operand.shape) return false;
  if (overlaps_partly(other, operand)) return false;
  // Each element is read before it is written, at the same place.
  run_binary(f, compute, a, b, operand);
  return true;
}

void apply_binary_inplace(const ElementwiseFunction& f, const Array& a, const Array& b) {
  DType compute = binary_compute_dtype(f, a.dtype, b.dtype);
  DType result = result_dtype(f, compute);
  if (result != a.dtype)
    throw TypeError(std::string(f.name) + "(): in-place operation would change the dtype of the "
                    "left operand from " + dtype_name(a.dtype) + " to " + dtype_name(result));
  Shape shape = broadcast_shapes(a.shape, b.shape, f.name);
  if (shape != a.shape)
    throw ValueError(std::string(f.name) + "(): in-place operation would change the shape of "
                     "the left operand from " + shape_str(a.shape) + " to " + shape_str(shape));
  if (a.readonly) throw ValueError(std::string(f.name) + "(): the left operand is read-only");
  // Writing into `a` while reading `b` from overlapping memory (x += x[::-1])
  // would read already-updated values: compute into fresh memory first.
  if (overlaps_partly(b, a)) {
    Array tmp = make_empty(shape, result, f.name);
    run_binary(f, compute, a, b, tmp);
    copy_into(a, tmp, f.name);
    return;
  }
  run_binary(f, compute, a, b, a);
}

}  // namespace trueno

#include "ops/clip.h"

#include <cstdint>
#include <limits>
#include <string>
#include <type_traits>

#include "core/errors.h"
#include "core/iteration.h"
#include "kernels/clip.h"
#include "ops/copy.h"

namespace trueno {

namespace {

// A 0-D array of dtype d holding v.
template <class T>
Array scalar_array(T v, DType d) {
  Array a = make_empty(Shape{}, d, "clip");
  *reinterpret_cast<T*>(a.data) = v;
  return a;
}

// The lowest (is_min) or highest value of x's dtype: what an absent bound is.
Array open_bound(DType d, bool is_min) {
  return visit_dtype(d, [&](auto t) {
    using T = decltype(t);
    if constexpr (is_complex_v<T>) {
      return Array{};
    } else if constexpr (std::is_floating_point_v<T>) {
      constexpr T inf = std::numeric_limits<T>::infinity();
      return scalar_array<T>(is_min ? -inf : inf, d);
    } else {
      return scalar_array<T>(is_min ? std::numeric_limits<T>::lowest() : std::numeric_limits<T>::max(), d);
    }
  });
}

Array scalar_bound(const Scalar& s, DType d, const char* name) {
  const std::string n = name;
  if (s.kind != Scalar::Int && s.kind != Scalar::Float)
    throw TypeError("clip(): " + n + " must be an array or a real Python scalar");
  if (d == DType::Bool)
    throw TypeError("clip(): " + n + " must have a real-valued dtype of the same kind as x");
  return visit_dtype(d, [&](auto t) {
    using T = decltype(t);
    if constexpr (is_complex_v<T> || std::is_same_v<T, bool>) {
      return Array{};
    } else if constexpr (std::is_floating_point_v<T>) {
      double v = s.kind == Scalar::Float ? s.f
                 : s.int_is_unsigned      ? static_cast<double>(static_cast<uint64_t>(s.i))
                                          : static_cast<double>(s.i);
      return scalar_array<T>(static_cast<T>(v), d);
    } else {
      if (s.kind == Scalar::Float) throw TypeError("clip(): a float " + n + " needs a floating-point x");
      using L = std::numeric_limits<T>;
      T v;
      if (s.int_is_unsigned) {  // above INT64_MAX
        v = std::is_same_v<T, uint64_t> ? static_cast<T>(static_cast<uint64_t>(s.i)) : L::max();
      } else if (s.i < 0) {
        v = std::is_signed_v<T> && s.i >= static_cast<int64_t>(L::min()) ? static_cast<T>(s.i) : L::min();
      } else {
        v = static_cast<uint64_t>(s.i) <= static_cast<uint64_t>(L::max()) ? static_cast<T>(s.i) : L::max();
      }
      return scalar_array<T>(v, d);
    }
  });
}

Array array_bound(const Array& b, DType d, const char* name) {
  const std::string n = name;
  const Category kx = category_of(d), kb = category_of(b.dtype);
  const bool same_kind = (kx == kb) || (in_category(d, kInteger) && in_category(b.dtype, kInteger));
  if (!same_kind) throw TypeError("clip(): " + n + " must have a real-valued dtype of the same kind as x");
  if (b.dtype == d) return b;
  if (in_category(d, kInteger)) {
    // The array API leaves int8 with uint64 (and the like) undefined; so do we.
    promote_or_throw(d, b.dtype, "clip");
    Array out = make_empty(b.shape, d, "clip");
    char* data[2] = {out.data, b.data};
    const Shape* strides[2] = {&out.strides, &b.strides};
    for_each_strided(kernels::saturate_int_loop(b.dtype, d), nullptr, 2, data, strides, b.shape);
    return out;
  }
  // Real floats: rounding the bound to x's precision first is exact, as
  // rounding is monotonic and x is already representable.
  return astype_copy(b, d, "clip");
}

Array bound_array(const ClipBound& b, DType d, bool is_min) {
  const char* name = is_min ? "min" : "max";
  if (b.array) return array_bound(*b.array, d, name);
  if (b.scalar) return scalar_bound(*b.scalar, d, name);
  return open_bound(d, is_min);
}

}  // namespace

Array clip(const Array& x, const ClipBound& min, const ClipBound& max) {
  if (in_category(x.dtype, kComplexFloat)) throw TypeError("clip(): x must have a real-valued dtype");
  const DType d = x.dtype;
  Array lo = bound_array(min, d, true);
  Array hi = bound_array(max, d, false);
  // The result has the broadcast shape of all three, as NumPy's (a bound may be
  // larger than x: clip(0-D x, max=bounds) gives one element per bound).
  const Shape shape = broadcast_shapes(broadcast_shapes(x.shape, lo.shape, "clip"), hi.shape, "clip");
  Shape sx = broadcast_strides(x, shape, "clip");
  Shape slo = broadcast_strides(lo, shape, "clip");
  Shape shi = broadcast_strides(hi, shape, "clip");
  Array out = make_empty(shape, d, "clip");
  char* data[4] = {out.data, x.data, lo.data, hi.data};
  const Shape* strides[4] = {&out.strides, &sx, &slo, &shi};
  for_each_strided(kernels::clip_loop(d), nullptr, 4, data, strides, shape);
  return out;
}

}  // namespace trueno

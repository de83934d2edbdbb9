// clip's loops: a Highway SIMD loop for contiguous float32/float64 with
// scalar bounds (every target, chosen at run time), generic loops otherwise.
#undef HWY_TARGET_INCLUDE
#define HWY_TARGET_INCLUDE "kernels/clip.cpp"
#include "hwy/foreach_target.h"  // IWYU pragma: keep
#include "hwy/highway.h"

HWY_BEFORE_NAMESPACE();
namespace trueno::kernels {
namespace HWY_NAMESPACE {
namespace hn = hwy::HWY_NAMESPACE;

// lo and hi are not NaN (the caller fills NaN itself). Compare-and-select
// rather than Min/Max, whose NaN result differs between targets: a NaN x
// fails both comparisons and passes through.
template <class T>
HWY_INLINE void ClipScalarBounds(const T* HWY_RESTRICT x, T lo, T hi, T* HWY_RESTRICT out, size_t n) {
  // At most 256-bit vectors: memory-bound, and 512-bit streams ran ~15%
  // slower than AVX2's on L2-resident arrays here (see simd_math-inl.h).
  const hn::CappedTag<T, 32 / sizeof(T)> d;
  const size_t N = hn::Lanes(d);
  const auto vlo = hn::Set(d, lo);
  const auto vhi = hn::Set(d, hi);
  size_t i = 0;
  for (; i + 2 * N <= n; i += 2 * N) {
    auto a = hn::LoadU(d, x + i);
    auto b = hn::LoadU(d, x + i + N);
    a = hn::IfThenElse(hn::Lt(a, vlo), vlo, a);
    b = hn::IfThenElse(hn::Lt(b, vlo), vlo, b);
    a = hn::IfThenElse(hn::Gt(a, vhi), vhi, a);
    b = hn::IfThenElse(hn::Gt(b, vhi), vhi, b);
    hn::StoreU(a, d, out + i);
    hn::StoreU(b, d, out + i + N);
  }
  for (; i + N <= n; i += N) {
    auto a = hn::LoadU(d, x + i);
    a = hn::IfThenElse(hn::Lt(a, vlo), vlo, a);
    a = hn::IfThenElse(hn::Gt(a, vhi), vhi, a);
    hn::StoreU(a, d, out + i);
  }
  for (; i < n; ++i) {
    T v = x[i];
    v = v < lo ? lo : v;
    out[i] = v > hi ? hi : v;
  }
}

void ClipF32(const float* x, float lo, float hi, float* out, size_t n) { ClipScalarBounds(x, lo, hi, out, n); }
void ClipF64(const double* x, double lo, double hi, double* out, size_t n) { ClipScalarBounds(x, lo, hi, out, n); }

}  // namespace HWY_NAMESPACE
}  // namespace trueno::kernels
HWY_AFTER_NAMESPACE();

#if HWY_ONCE
#include <cmath>
#include <limits>
#include <type_traits>

#include "kernels/clip.h"

namespace trueno::kernels {

HWY_EXPORT(ClipF32);
HWY_EXPORT(ClipF64);

namespace {

template <class T>
inline T clip_one(T x, T lo, T hi) {
  T r = (x < lo || lo != lo) ? lo : x;  // maximum: NaN in either wins
  return (r > hi || hi != hi) ? hi : r;  // minimum
}

template <class T>
void clip_generic(char** data, const int64_t* s, int64_t n, const void*) {
  char* o = data[0];
  const char* x = data[1];
  const char* lo = data[2];
  const char* hi = data[3];
  if (s[0] == sizeof(T) && s[1] == sizeof(T) && s[2] == 0 && s[3] == 0) {
    const T l = *reinterpret_cast<const T*>(lo), h = *reinterpret_cast<const T*>(hi);
    const T* xp = reinterpret_cast<const T*>(x);
    T* op = reinterpret_cast<T*>(o);
    for (int64_t i = 0; i < n; ++i) op[i] = clip_one(xp[i], l, h);
    return;
  }
  for (int64_t i = 0; i < n; ++i, o += s[0], x += s[1], lo += s[2], hi += s[3])
    *reinterpret_cast<T*>(o) = clip_one(*reinterpret_cast<const T*>(x), *reinterpret_cast<const T*>(lo),
                                        *reinterpret_cast<const T*>(hi));
}

#define TRUENO_CLIP_SIMD(T, KERNEL)                                                             \
  void KERNEL##Loop(char** data, const int64_t* s, int64_t n, const void* ctx) {               \
    if (s[0] == sizeof(T) && s[1] == sizeof(T) && s[2] == 0 && s[3] == 0) {                    \
      const T lo = *reinterpret_cast<const T*>(data[2]), hi = *reinterpret_cast<const T*>(data[3]); \
      T* out = reinterpret_cast<T*>(data[0]);                                                  \
      if (std::isnan(lo) || std::isnan(hi)) {                                                  \
        for (int64_t i = 0; i < n; ++i) out[i] = std::numeric_limits<T>::quiet_NaN();          \
        return;                                                                                \
      }                                                                                        \
      HWY_DYNAMIC_DISPATCH(KERNEL)(reinterpret_cast<const T*>(data[1]), lo, hi, out,           \
                                   static_cast<size_t>(n));                                    \
      return;                                                                                  \
    }                                                                                          \
    clip_generic<T>(data, s, n, ctx);                                                          \
  }
TRUENO_CLIP_SIMD(float, ClipF32)
TRUENO_CLIP_SIMD(double, ClipF64)
#undef TRUENO_CLIP_SIMD

template <class To, class From>
void saturate_loop(char** data, const int64_t* s, int64_t n, const void*) {
  using L = std::numeric_limits<To>;
  char* o = data[0];
  const char* in = data[1];
  for (int64_t i = 0; i < n; ++i, o += s[0], in += s[1]) {
    const From v = *reinterpret_cast<const From*>(in);
    To r;
    if constexpr (std::is_signed_v<From> && std::is_unsigned_v<To>) {
      r = v < 0 ? To(0) : static_cast<uint64_t>(v) > static_cast<uint64_t>(L::max()) ? L::max() : To(v);
    } else if constexpr (std::is_unsigned_v<From> && std::is_signed_v<To>) {
      r = static_cast<uint64_t>(v) > static_cast<uint64_t>(L::max()) ? L::max() : To(v);
    } else {  // same signedness: compare in the wider of the two
      using W = std::conditional_t<std::is_signed_v<From>, int64_t, uint64_t>;
      r = W(v) < W(L::min()) ? L::min() : W(v) > W(L::max()) ? L::max() : To(v);
    }
    *reinterpret_cast<To*>(o) = r;
  }
}

}  // namespace

StridedLoop clip_loop(DType d) {
  if (d == DType::Float32) return &ClipF32Loop;
  if (d == DType::Float64) return &ClipF64Loop;
  return visit_dtype(d, [](auto t) -> StridedLoop {
    using T = decltype(t);
    if constexpr (is_complex_v<T> || std::is_floating_point_v<T>) return nullptr;
    else return &clip_generic<T>;
  });
}

StridedLoop saturate_int_loop(DType from, DType to) {
  return visit_dtype(to, [&](auto t) -> StridedLoop {
    using To = decltype(t);
    return visit_dtype(from, [](auto f) -> StridedLoop {
      using From = decltype(f);
      if constexpr (std::is_integral_v<To> && std::is_integral_v<From> && !std::is_same_v<To, bool> &&
                    !std::is_same_v<From, bool>)
        return &saturate_loop<To, From>;
      else
        return nullptr;
    });
  });
}

}  // namespace trueno::kernels
#endif  // HWY_ONCE

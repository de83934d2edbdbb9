// SIMD kernels of trueno.nn for float32 and float64 on every Highway target,
// chosen at run time (core/isa.h pins the target).
//
// Numerics (why each formula):
// - sigmoid(x) = 1 / (1 + e) for x >= 0 and e / (1 + e) for x < 0, with
//   e = exp(-|x|) <= 1 (ExpFast): never overflows; sigmoid(+inf) = 1, sigmoid(-inf) = 0.
// - silu(x) = x sigmoid(x); silu(-inf) = -0 (the limit; x * 0 would be NaN).
// - gelu, tanh form: 0.5 x (1 + tanh(y)) = x sigmoid(2y),
//   y = sqrt(2/pi) (x + 0.044715 x^3): the sigmoid form avoids the
//   cancellation of 1 + tanh(y) for x << 0. gelu(-inf) = -0.
// - gelu, erf form: 0.5 x erfc(-x / sqrt(2)) (erfc: no cancellation for
//   x << 0), with the vectorised float64 erfc of kernels/simd_math-inl.h
//   (ErfcF64: e^(-z^2) times a fitted rational, 0.22 ULP fit) fed the exact
//   z^2 = x^2 / 2, so the rounding of x / sqrt(2) only reaches the rational
//   factor (the scalar erfc it replaces amplified it 2 z^2 times). float32 is
//   computed in float64 lanes and rounded once.
// - softmax: max, then exp(x - max) and its sum, then a multiply by 1/sum;
//   x - max is taken exactly (ExpOfDifference), so entries far below the max
//   keep ~3 ULP (benchmarks/ulp.py); log_softmax: (x - max) - log(sum). A row holding NaN or +inf, or only
//   -inf, gives NaN throughout (as the NumPy/SciPy max-subtracted composite);
//   -inf elements of other rows give 0 (log_softmax: -inf).
// - Highway's Exp returns 0 for NaN: kernels re-insert NaN with masks.
// - fma: one rounding (hardware FMA on AVX2/AVX3; std::fma on targets
//   without FMA instructions).
#include <cmath>
#include <cstring>
#include <limits>

#undef HWY_TARGET_INCLUDE
#define HWY_TARGET_INCLUDE "kernels/simd_nn.cpp"
#include "hwy/foreach_target.h"  // IWYU pragma: keep
#include "hwy/highway.h"
#include "hwy/contrib/math/math-inl.h"
#include "kernels/simd_math-inl.h"

HWY_BEFORE_NAMESPACE();
namespace trueno::simd::nn {
namespace HWY_NAMESPACE {
namespace hn = hwy::HWY_NAMESPACE;
namespace shared = trueno::simd::HWY_NAMESPACE;

template <class D> using V = hn::Vec<D>;
template <class D> HWY_INLINE V<D> C(D d, double c) { return hn::Set(d, static_cast<hn::TFromD<D>>(c)); }

// exp(t) for t <= 0, -inf -> 0, NaN -> NaN.
template <class D> HWY_INLINE V<D> ExpNonPositive(D d, V<D> t) {
  using T = hn::TFromD<D>;
  const V<D> lowest = hn::Set(d, std::numeric_limits<T>::lowest());
  const V<D> r = hn::Exp(d, hn::IfThenElse(hn::Lt(t, lowest), lowest, t));
  return hn::IfThenElse(hn::IsNaN(t), t, r);
}
// exp(t) for t <= 0 (-inf -> 0, NaN -> NaN): ExpFast where the whole
// vector is in its range. Highway's Exp erred by ~32 ULP in float64 for t
// near -40 (softmax's small entries).
template <class D> HWY_INLINE V<D> ExpNonPositiveFast(D d, V<D> t) {
  if (HWY_LIKELY(hn::AllTrue(d, hn::Gt(t, hn::Neg(shared::ExpFastLimit(d)))))) return shared::ExpFast(d, t);
  return ExpNonPositive(d, t);
}
// exp(x - m) for x <= m, x - m taken exactly as dh + dl (TwoSum):
// e^dh (1 + dl). x - m rounds when x and m differ in sign, and the rounding
// (up to half an ULP of |x - m|, ~40 for softmax's small entries) came out
// as a relative error of 32 ULP. A non-finite dh leaves dl NaN: no correction.
template <class D> HWY_INLINE V<D> ExpOfDifference(D d, V<D> x, V<D> m) {
  V<D> dl;
  const V<D> dh = shared::TwoSum<D>(x, hn::Neg(m), dl);
  const V<D> e = ExpNonPositiveFast(d, dh);
  return hn::MulAdd(e, hn::IfThenElse(hn::IsNaN(dl), hn::Zero(d), dl), e);
}
// e = exp(-|x|): ExpFast where the whole vector is in its range (Highway's
// float64 Exp demotes q to int32 and back and scales by two multiplies,
// which kept float64 sigmoid and silu under 2x NumPy), else the guarded Exp.
template <class D> HWY_INLINE V<D> Sigmoid(D d, V<D> x) {
  const V<D> ax = hn::Abs(x);
  const V<D> e = HWY_LIKELY(hn::AllTrue(d, hn::Lt(ax, shared::ExpFastLimit(d))))
                     ? shared::ExpFast(d, hn::Neg(ax))
                     : ExpNonPositive(d, hn::Neg(ax));
  const V<D> p = hn::Div(C(d, 1.0), hn::Add(C(d, 1.0), e));
  return hn::IfThenElse(hn::Lt(x, hn::Zero(d)), hn::Mul(e, p), p);
}
// x * s where s = sigmoid(...) of something with x's sign: s == 0 gives a
// signed zero (x = -inf would give NaN).
template <class D> HWY_INLINE V<D> TimesGate(D d, V<D> x, V<D> s) {
  return hn::IfThenElse(hn::Eq(s, hn::Zero(d)), hn::CopySign(hn::Zero(d), x), hn::Mul(x, s));
}

struct ReluK {
  static constexpr bool kMemoryBound = true;
  static constexpr bool kFallback = false;
  template <class D> HWY_INLINE V<D> operator()(D d, V<D> x) const {
    return hn::IfThenElse(hn::Lt(x, hn::Zero(d)), hn::Zero(d), x);  // NaN stays
  }
};
struct SigmoidK {
  static constexpr bool kFallback = false;
  template <class D> HWY_INLINE V<D> operator()(D d, V<D> x) const { return Sigmoid(d, x); }
};
struct SiluK {
  static constexpr bool kFallback = false;
  template <class D> HWY_INLINE V<D> operator()(D d, V<D> x) const { return TimesGate(d, x, Sigmoid(d, x)); }
};
// gelu, tanh form: x sigmoid(2y), 2y = x (c0 + c1 x^2), c0 = 2 sqrt(2/pi),
// c1 = 0.044715 c0. exp amplifies the rounding of 2y |2y| times (x = -10:
// |2y| ~ 23, and the plain form erred by 47-70 ULP), so 2y is carried as
// hi + lo (constants in two parts, error-free products and sums) and the
// exponential corrected by (1 + lo).
struct GeluTanhK {
  static constexpr bool kFallback = false;
  template <class D> HWY_INLINE V<D> operator()(D d, V<D> x) const {
    using T = hn::TFromD<D>;
    constexpr long double c0 = 1.5957691216057307117597842397375L;
    constexpr long double c1 = c0 * 0.044715L;
    const V<D> c0h = hn::Set(d, T(c0)), c0l = hn::Set(d, T(c0 - (long double)T(c0)));
    const V<D> c1h = hn::Set(d, T(c1)), c1l = hn::Set(d, T(c1 - (long double)T(c1)));
    V<D> x2l, pl, sl, yl;
    const V<D> x2h = shared::TwoProd(d, x, x, x2l);
    const V<D> ph = shared::TwoProd(d, c1h, x2h, pl);
    const V<D> ih = shared::TwoSum<D>(ph, c0h, sl);  // c0 + c1 x^2 = ih + il
    const V<D> il = hn::Add(hn::Add(sl, pl), hn::MulAdd(c1h, x2l, hn::MulAdd(c1l, x2h, c0l)));
    const V<D> yh = shared::TwoProd(d, x, ih, yl);
    const V<D> lo = hn::MulAdd(x, il, yl);  // 2y = yh + lo
    // sigmoid(yh + lo): e = exp(-|yh + lo|) = exp(-|yh|) (1 -+ lo)
    const V<D> ax = hn::Abs(yh);
    const V<D> e0 = HWY_LIKELY(hn::AllTrue(d, hn::Lt(ax, shared::ExpFastLimit(d))))
                        ? shared::ExpFast(d, hn::Neg(ax))
                        : ExpNonPositive(d, hn::Neg(ax));
    const V<D> negative = hn::VecFromMask(d, hn::Lt(yh, hn::Zero(d)));
    const V<D> t = hn::IfThenElse(hn::MaskFromVec(negative), lo, hn::Neg(lo));
    const V<D> e = hn::IfThenElse(hn::IsFinite(t), hn::MulAdd(e0, t, e0), e0);
    const V<D> p = hn::Div(C(d, 1.0), hn::Add(C(d, 1.0), e));
    const V<D> s = hn::IfThenElse(hn::MaskFromVec(negative), hn::Mul(e, p), p);
    return TimesGate(d, x, s);
  }
};

// gelu, erf form, of float64 lanes: 0.5 x erfc(-x / sqrt(2)).
// kCompensated: see ErfcF64 (float64 results need it for 4 ULP).
template <bool kCompensated, class D> HWY_INLINE V<D> GeluErfF64(D d, V<D> x) {
  const V<D> ax = hn::Min(hn::Abs(x), C(d, 40.0));  // erfc(-40 / sqrt(2)) = 0
  V<D> hi, lo;
  hi = shared::TwoProd(d, ax, ax, lo);  // x^2 exactly
  const V<D> half = C(d, 0.5);
  // |z| = |x| / sqrt(2) as az + az_lo (1/sqrt(2) in two parts).
  V<D> az_lo;
  const V<D> az = shared::TwoProd(d, ax, C(d, 0.7071067811865476), az_lo);
  az_lo = hn::MulAdd(ax, C(d, -4.833646656726457e-17), az_lo);
  const V<D> g = shared::ErfcF64<kCompensated>(d, az, az_lo,
                                 hn::Mul(hi, half), hn::Mul(lo, half), hn::Gt(x, hn::Zero(d)),
                                 hn::Mul(half, hn::CopySign(ax, x)));
  // x >= 40: erfc(-x / sqrt(2)) is 2 in float64, gelu(x) = x (also +inf).
  // Underflow: the zero has x's sign.
  const V<D> r = hn::IfThenElse(hn::Ge(x, C(d, 40.0)), x,
                                hn::IfThenElse(hn::Eq(g, hn::Zero(d)), hn::CopySign(hn::Zero(d), x), g));
  return hn::IfThenElse(hn::IsNaN(x), x, r);
}

void GeluErfLoop(const double* in, double* out, size_t n) {
  const hn::ScalableTag<double> d;
  const size_t N = hn::Lanes(d);
  size_t i = 0;
  for (; i + N <= n; i += N) hn::StoreU(GeluErfF64<true>(d, hn::LoadU(d, in + i)), d, out + i);
  if (i < n) {
    HWY_ALIGN double buf[64 / sizeof(double)] = {};
    for (size_t j = 0; j < n - i; ++j) buf[j] = in[i + j];
    hn::Store(GeluErfF64<true>(d, hn::Load(d, buf)), d, buf);
    for (size_t j = 0; j < n - i; ++j) out[i + j] = buf[j];
  }
}
// float32: widened to float64 lanes, rounded once at the end. |gelu(x)| <=
// |x|, so only x = +inf reaches the range limit, which Highway's scalar
// DemoteTo clamps to FLT_MAX: it is passed through.
template <class DF> HWY_INLINE hn::Vec<DF> GeluErfF32(DF df, hn::Vec<DF> x) {
  const hn::Rebind<double, DF> d;
  const hn::Vec<DF> r = hn::DemoteTo(df, GeluErfF64<false>(d, hn::PromoteTo(d, x)));
  return hn::IfThenElse(hn::Eq(x, hn::Set(df, std::numeric_limits<float>::infinity())), x, r);
}
void GeluErfLoop(const float* in, float* out, size_t n) {
  const hn::ScalableTag<double> d;
  const hn::Rebind<float, decltype(d)> df;
  const size_t N = hn::Lanes(d);
  size_t i = 0;
  for (; i + N <= n; i += N) hn::StoreU(GeluErfF32(df, hn::LoadU(df, in + i)), df, out + i);
  if (i < n) {
    HWY_ALIGN float buf[64 / sizeof(double)] = {};
    for (size_t j = 0; j < n - i; ++j) buf[j] = in[i + j];
    hn::Store(GeluErfF32(df, hn::Load(df, buf)), df, buf);
    for (size_t j = 0; j < n - i; ++j) out[i + j] = buf[j];
  }
}

template <class T>
void Activation(int f, const T* in, T* out, size_t n) {
  switch (f) {
    case 0: shared::UnaryContiguous<T, ReluK>(in, out, n); break;
    case 1: shared::UnaryContiguous<T, SigmoidK>(in, out, n); break;
    case 2: shared::UnaryContiguous<T, SiluK>(in, out, n); break;
    case 3: shared::UnaryContiguous<T, GeluTanhK>(in, out, n); break;
    default: GeluErfLoop(in, out, n); break;
  }
}

template <class T>
void SoftmaxRow(const T* x, T* y, size_t len, bool log) {
  const hn::ScalableTag<T> d;
  const size_t N = hn::Lanes(d);
  constexpr T kInf = std::numeric_limits<T>::infinity();
  // 1. max (a NaN is carried by the exp pass, so Max's NaN rule is moot).
  V<decltype(d)> vmax = hn::Set(d, -kInf);
  size_t i = 0;
  for (; i + N <= len; i += N) vmax = hn::Max(vmax, hn::LoadU(d, x + i));
  T m = hn::GetLane(hn::MaxOfLanes(d, vmax));
  for (size_t j = i; j < len; ++j) m = x[j] > m ? x[j] : m;
  // 2. e = exp(x - m) (stored for softmax) and its sum. log_softmax sums
  // the terms other than the maxima (each exactly 1) and counts those: log(s)
  // of s = 1 + tiny rounds to 0 where log1p(tiny) does not, which left the
  // largest entries ~1e4 ULP off. (A non-finite m masks nothing: NaN never equals.)
  const auto vm = hn::Set(d, m);
  const auto vmask = hn::Set(d, log && std::isfinite(m) ? m : std::numeric_limits<T>::quiet_NaN());
  auto acc0 = hn::Zero(d), acc1 = hn::Zero(d);
  size_t maxima = 0;
  auto accumulate = [&](auto& acc, auto xv, auto e) {
    if (log) {
      const auto at_max = hn::Eq(xv, vmask);
      maxima += hn::CountTrue(d, at_max);
      e = hn::IfThenZeroElse(at_max, e);
    }
    acc = hn::Add(acc, e);
  };
  i = 0;
  for (; i + 2 * N <= len; i += 2 * N) {
    const auto x0 = hn::LoadU(d, x + i), x1 = hn::LoadU(d, x + i + N);
    const auto e0 = ExpOfDifference(d, x0, vm);
    const auto e1 = ExpOfDifference(d, x1, vm);
    if (!log) {
      hn::StoreU(e0, d, y + i);
      hn::StoreU(e1, d, y + i + N);
    }
    accumulate(acc0, x0, e0);
    accumulate(acc1, x1, e1);
  }
  for (; i < len; i += N) {
    HWY_ALIGN T buf[64 / sizeof(T)];
    const size_t rem = len - i < N ? len - i : N;
    for (size_t j = 0; j < N; ++j) buf[j] = j < rem ? x[i + j] : -kInf;
    const auto xv = hn::Load(d, buf);
    const auto e = ExpOfDifference(d, xv, vm);
    hn::Store(e, d, buf);
    if (!log)
      for (size_t j = 0; j < rem; ++j) y[i + j] = buf[j];
    accumulate(acc0, xv, e);
  }
  const T s = hn::GetLane(hn::SumOfLanes(d, hn::Add(acc0, acc1)));
  // 3. scale (softmax) or shift (log_softmax).
  if (!log) {
    const auto inv = hn::Set(d, T(1) / s);
    i = 0;
    for (; i + N <= len; i += N) hn::StoreU(hn::Mul(hn::LoadU(d, y + i), inv), d, y + i);
    for (; i < len; ++i) y[i] = y[i] * (T(1) / s);
  } else {
    const T ls = maxima > 0 ? std::log1p(T(maxima - 1) + s) : std::log(s);
    const auto vls = hn::Set(d, ls);
    i = 0;
    for (; i + N <= len; i += N) hn::StoreU(hn::Sub(hn::Sub(hn::LoadU(d, x + i), vm), vls), d, y + i);
    for (; i < len; ++i) y[i] = (x[i] - m) - ls;
  }
}

template <class T>
void Softmax(const T* in, T* out, size_t rows, size_t len, bool log) {
  for (size_t r = 0; r < rows; ++r) SoftmaxRow(in + r * len, out + r * len, len, log);
}

template <class T>
void TernaryLoop(int k, const T* a, const T* b, const T* c, T* out, size_t n) {
  const shared::StreamTag<T> d;  // memory-bound: see MemoryBound
  const size_t N = hn::Lanes(d);
  size_t i = 0;
  if (k == 0) {
    const auto half = C(d, 0.5), one = C(d, 1.0);
    for (; i + N <= n; i += N) {
      const auto va = hn::LoadU(d, a + i), vb = hn::LoadU(d, b + i), vt = hn::LoadU(d, c + i);
      const auto diff = hn::Sub(vb, va);
      // a + t (b - a) for |t| < 0.5, b - (b - a)(1 - t) otherwise: exact at t = 0 and 1.
      const auto lo = hn::MulAdd(vt, diff, va);
      const auto hi = hn::NegMulAdd(diff, hn::Sub(one, vt), vb);
      hn::StoreU(hn::IfThenElse(hn::Lt(hn::Abs(vt), half), lo, hi), d, out + i);
    }
    for (; i < n; ++i) {
      const T diff = b[i] - a[i], t = c[i];
      out[i] = std::fabs(t) < T(0.5) ? a[i] + t * diff : b[i] - diff * (T(1) - t);
    }
    return;
  }
#if HWY_NATIVE_FMA
  for (; i + N <= n; i += N)
    hn::StoreU(hn::MulAdd(hn::LoadU(d, a + i), hn::LoadU(d, b + i), hn::LoadU(d, c + i)), d, out + i);
#else
  (void)N;
#endif
  for (; i < n; ++i) out[i] = std::fma(a[i], b[i], c[i]);
}

#define TRUENO_NN_KERNELS(T, S)                                                            \
  void Activation##S(int f, const T* in, T* out, size_t n) { Activation<T>(f, in, out, n); } \
  void Softmax##S(const T* in, T* out, size_t rows, size_t len, bool log) {                 \
    Softmax<T>(in, out, rows, len, log);                                                    \
  }                                                                                         \
  void Ternary##S(int k, const T* a, const T* b, const T* c, T* out, size_t n) {            \
    TernaryLoop<T>(k, a, b, c, out, n);                                                     \
  }
TRUENO_NN_KERNELS(float, F32)
TRUENO_NN_KERNELS(double, F64)
#undef TRUENO_NN_KERNELS

}  // namespace HWY_NAMESPACE
}  // namespace trueno::simd::nn
HWY_AFTER_NAMESPACE();

#if HWY_ONCE
#include "kernels/simd_nn.h"

namespace trueno::simd::nn {

HWY_EXPORT(ActivationF32);
HWY_EXPORT(ActivationF64);
HWY_EXPORT(SoftmaxF32);
HWY_EXPORT(SoftmaxF64);
HWY_EXPORT(TernaryF32);
HWY_EXPORT(TernaryF64);

void activation(Activation f, const float* in, float* out, size_t n) {
  HWY_DYNAMIC_DISPATCH(ActivationF32)(static_cast<int>(f), in, out, n);
}
void activation(Activation f, const double* in, double* out, size_t n) {
  HWY_DYNAMIC_DISPATCH(ActivationF64)(static_cast<int>(f), in, out, n);
}
void softmax_rows(const float* in, float* out, size_t rows, size_t len, bool log) {
  HWY_DYNAMIC_DISPATCH(SoftmaxF32)(in, out, rows, len, log);
}
void softmax_rows(const double* in, double* out, size_t rows, size_t len, bool log) {
  HWY_DYNAMIC_DISPATCH(SoftmaxF64)(in, out, rows, len, log);
}
void ternary(Ternary k, const float* a, const float* b, const float* c, float* out, size_t n) {
  HWY_DYNAMIC_DISPATCH(TernaryF32)(static_cast<int>(k), a, b, c, out, n);
}
void ternary(Ternary k, const double* a, const double* b, const double* c, double* out,
                                 size_t n) {
  HWY_DYNAMIC_DISPATCH(TernaryF64)(static_cast<int>(k), a, b, c, out, n);
}

}  // namespace trueno::simd::nn
#endif  // HWY_ONCE

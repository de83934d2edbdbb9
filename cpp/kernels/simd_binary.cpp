// SIMD binary functions for every Highway target, chosen at run time
// (core/isa.h pins the target); the list is in kernels/simd_binary.h.
//
// Exact kernels (copysign, maximum, minimum, comparisons) give the bits of
// the scalar functors of kernels/scalar_math.h. The approximations compute
// ordinary lanes in SIMD and recompute special lanes (NaN, infinities, and
// the cases named at each kernel) with the functor, so the spec's special
// cases hold exactly:
// - hypot(a, b) = m sqrt(1 + (s/m)^2), m = max(|a|, |b|), s = min(|a|, |b|):
//   no overflow or underflow in the square; special lanes: non-finite, m = 0.
// - atan2 and pow: at their kernels below.
// - logaddexp(a, b) = max(a, b) + log1p(exp(-|a - b|)), with a - b kept
//   exact as a two-sum; special lanes: a - b non-finite (so any NaN or
//   infinity), a == b.
// Measured max error against NumPy's long double result (the sweep of
// tests/test_simd_binary.py with 100k random pairs, worst over all targets),
// in ULP, float32 / float64: hypot 1.85 / 1.88, atan2 1.75 / 1.82, pow
// 0.50 / 1.45 (float64: also results 1e-304..1e304 and bases near 1 with
// |b| up to 7e5, against long double), logaddexp 2.42 / 2.51 (in
// ULP of the larger of max(a, b) and the log1p term: they cancel when of
// opposite signs, in the scalar formula too).
// Operands strided other than contiguous or broadcast are staged through
// contiguous buffers, so results do not depend on the layout.
#include <cstdint>
#include <cstring>

#include "kernels/scalar_math.h"

#undef HWY_TARGET_INCLUDE
#define HWY_TARGET_INCLUDE "kernels/simd_binary.cpp"
#include "hwy/foreach_target.h"  // IWYU pragma: keep
#include "hwy/highway.h"
#include "hwy/contrib/math/math-inl.h"
#include "kernels/simd_math-inl.h"

HWY_BEFORE_NAMESPACE();
namespace trueno::simd {
namespace HWY_NAMESPACE {
namespace hn = hwy::HWY_NAMESPACE;

struct CopysignK {
  static constexpr bool kMemoryBound = true;
  using Op = math::Copysign;
  static constexpr bool kFallback = false;
  template <class D> HWY_INLINE V<D> operator()(D, V<D> a, V<D> b) const { return hn::CopySign(a, b); }
};
// a > b ? a : b (so max(+0, -0) = -0, as the functor); NaN in either -> NaN.
struct MaximumK {
  static constexpr bool kMemoryBound = true;
  using Op = math::Maximum;
  static constexpr bool kFallback = false;
  template <class D> HWY_INLINE V<D> operator()(D d, V<D> a, V<D> b) const {
    const V<D> r = hn::IfThenElse(hn::Gt(a, b), a, b);
    return hn::IfThenElse(hn::Or(hn::IsNaN(a), hn::IsNaN(b)), QNaN(d), r);
  }
};
struct MinimumK {
  static constexpr bool kMemoryBound = true;
  using Op = math::Minimum;
  static constexpr bool kFallback = false;
  template <class D> HWY_INLINE V<D> operator()(D d, V<D> a, V<D> b) const {
    const V<D> r = hn::IfThenElse(hn::Lt(a, b), a, b);
    return hn::IfThenElse(hn::Or(hn::IsNaN(a), hn::IsNaN(b)), QNaN(d), r);
  }
};
struct HypotK {
  using Op = math::Hypot;
  static constexpr bool kFallback = true;
  template <class D> HWY_INLINE V<D> operator()(D d, V<D> a, V<D> b) const {
    const V<D> aa = hn::Abs(a), ab = hn::Abs(b);
    const V<D> m = hn::Max(aa, ab), s = hn::Min(aa, ab);
    const V<D> r = hn::Div(s, m);
    return hn::Mul(m, hn::Sqrt(hn::MulAdd(r, r, C(d, 1.0))));
  }
  template <class D> HWY_INLINE M<D> Fallback(D d, V<D> a, V<D> b) const {
    const M<D> finite = hn::And(hn::IsFinite(a), hn::IsFinite(b));
    return hn::Or(hn::Not(finite), hn::And(hn::Eq(a, hn::Zero(d)), hn::Eq(b, hn::Zero(d))));
  }
};
struct LogaddexpK {
  using Op = math::Logaddexp;
  static constexpr bool kFallback = true;
  template <class D> HWY_INLINE V<D> operator()(D d, V<D> a, V<D> b) const {
    const V<D> m = hn::Max(a, b);
    // -|a - b| = t + t_lo exactly (Knuth's two-sum): the rounding of a - b
    // would reach e^(-|a - b|) as |a - b| ULP (8 ULP at |a - b| = 12).
    const V<D> diff = hn::Sub(a, b);
    const V<D> bv = hn::Sub(diff, a);
    const V<D> diff_lo = hn::Sub(hn::Sub(a, hn::Sub(diff, bv)), hn::Add(b, bv));
    const M<D> positive = hn::Ge(diff, hn::Zero(d));
    const V<D> t = hn::Neg(hn::Abs(diff));
    const V<D> t_lo = hn::IfThenElse(positive, hn::Neg(diff_lo), diff_lo);
    const V<D> e0 = ExpNonPositiveAny(d, t);
    const V<D> e = hn::MulAdd(e0, t_lo, e0);  // e^(t + t_lo)
    // log1p(e) rounds to e below 2^-26 (float32) / 2^-55 (float64), where
    // Highway's Log1p is off by more than an ULP of e.
    const V<D> tiny = IsF32(d) ? C(d, 1.4901161193847656e-08) : C(d, 2.7755575615628914e-17);
    return hn::Add(m, hn::IfThenElse(hn::Lt(e, tiny), e, hn::Log1p(d, e)));
  }
  template <class D> HWY_INLINE M<D> Fallback(D, V<D> a, V<D> b) const {
    // a - b overflowing (its two-sum error would be NaN) counts as non-finite.
    return hn::Or(hn::Not(hn::IsFinite(hn::Sub(a, b))), hn::Eq(a, b));
  }
};

// atan2(y, x) for finite nonzero y and x: t = min(|y|, |x|) / max(|y|, |x|)
// <= 1, a = atan(t) (Highway), then pi/2 - a when |y| > |x|, pi - a when
// x < 0 (pi and pi/2 as two parts, so the constants add no error), with
// y's sign. Zeros, infinities and NaN go to the functor (the spec's table).
struct Atan2K {
  using Op = math::Atan2;
  static constexpr bool kFallback = true;
  template <class D> HWY_INLINE V<D> operator()(D d, V<D> y, V<D> x) const {
    const V<D> ay = hn::Abs(y), ax = hn::Abs(x);
    const M<D> steep = hn::Gt(ay, ax);
    const V<D> t = hn::Div(hn::Min(ay, ax), hn::Max(ay, ax));
    V<D> a = hn::Atan(d, t);
    const V<D> half_pi_hi = C(d, IsF32(d) ? 1.57079637050628662109375 : 1.5707963267948965579989817);
    const V<D> half_pi_lo = C(d, IsF32(d) ? -4.37113900018624283e-8 : 6.123233995736766036e-17);
    a = hn::IfThenElse(steep, hn::Add(hn::Sub(half_pi_hi, a), half_pi_lo), a);
    const V<D> pi_hi = hn::Add(half_pi_hi, half_pi_hi), pi_lo = hn::Add(half_pi_lo, half_pi_lo);
    a = hn::IfThenElse(hn::Lt(x, hn::Zero(d)), hn::Add(hn::Sub(pi_hi, a), pi_lo), a);
    return hn::CopySign(a, y);
  }
  template <class D> HWY_INLINE M<D> Fallback(D d, V<D> y, V<D> x) const {
    const M<D> finite = hn::And(hn::IsFinite(y), hn::IsFinite(x));
    return hn::Or(hn::Not(finite), hn::Or(hn::Eq(y, hn::Zero(d)), hn::Eq(x, hn::Zero(d))));
  }
};

// An upper bound of |log a| for float64 lanes a > 0 normal: (|k| + 1) ln 2,
// k = a's exponent, from its bits (cheaper than a second log for the
// fallback test; lanes it sends to the functor needlessly are only those
// with |b log a| near the limit).
template <class D> HWY_INLINE V<D> AbsLogBound(D d, V<D> a) {
  const hn::RebindToUnsigned<D> du;
  const V<D> k = hn::Sub(hn::BitCast(d, hn::Or(hn::ShiftRight<52>(hn::BitCast(du, a)),
                                               hn::Set(du, 0x4330000000000000ull))),
                         C(d, 4503599627371519.0));  // 2^52 + 1023
  return hn::Mul(hn::Add(hn::Abs(k), C(d, 1.0)), C(d, 0.69314718055994530942));
}

// b = 1, 2, 1/2, -1: a, a a, sqrt(a), 1/a, correctly rounded as libm's pow
// gives them (users compare x**2 with x*x); r elsewhere.
template <class D> HWY_INLINE V<D> PowExactCases(D d, V<D> a, V<D> b, V<D> r) {
  r = hn::IfThenElse(hn::Eq(b, C(d, 1.0)), a, r);
  r = hn::IfThenElse(hn::Eq(b, C(d, 2.0)), hn::Mul(a, a), r);
  // sqrt and division cost as much as the rest: only for vectors that need them.
  const M<D> half = hn::Eq(b, C(d, 0.5)), minus_one = hn::Eq(b, C(d, -1.0));
  if (HWY_UNLIKELY(!hn::AllFalse(d, hn::Or(half, minus_one)))) {
    r = hn::IfThenElse(half, hn::Sqrt(a), r);
    r = hn::IfThenElse(minus_one, hn::Div(C(d, 1.0), a), r);
  }
  return r;
}

// float32 pow in float64 lanes: exp(b log a) there has relative error
// ~2^-52 |b log a| <= 2e-14, far below float32's ULP, so the result rounded
// to float32 is within 0.5 ULP + 2e-7 ULP (measured worst: see the header).
// Lanes other than a > 0 finite, b finite and |b log a| <= 87 (a normal
// float32 result; tested on an upper bound of |log a|) go to the functor: negative bases, zeros, infinities,
// NaN, overflow and underflow, and so every special case of the spec.
struct PowViaF64K {
  using Op = math::Pow;
  template <class D> HWY_INLINE V<D> operator()(D d, V<D> a, V<D> b) const {
    // ExpFast whenever |b log a| < 708; the exact cases rounded once to float32
    // (53 >= 2 * 24 + 2 bits: no double-rounding error for a a, sqrt, 1/a).
    return PowExactCases(d, a, b, ExpNonPositiveAny(d, hn::Mul(b, hn::Log(d, a))));
  }
  template <class D> HWY_INLINE M<D> Fallback(D d, V<D> a, V<D> b) const {
    // a is a float32 widened: every a > 0 is a normal float64.
    const M<D> ordinary = hn::And(hn::And(hn::Gt(a, hn::Zero(d)), hn::IsFinite(a)), hn::IsFinite(b));
    const V<D> bound = hn::Mul(hn::Abs(b), AbsLogBound(d, hn::IfThenElse(ordinary, a, C(d, 1.0))));
    return hn::Or(hn::Not(ordinary), hn::Not(hn::Le(bound, C(d, 87.0))));
  }
};

// float32 in float64 lanes: promote, compute, round once; lanes of
// K::Fallback through the float32 functor.
template <class K>
HWY_INLINE void BinaryF32ViaF64Block(const float* a, size_t a_step, const float* b, size_t b_step, float* out) {
  const hn::ScalableTag<double> d;
  const hn::Rebind<float, decltype(d)> df;
  const K k;
  const V<decltype(d)> va = hn::PromoteTo(d, a_step ? hn::LoadU(df, a) : hn::Set(df, a[0]));
  const V<decltype(d)> vb = hn::PromoteTo(d, b_step ? hn::LoadU(df, b) : hn::Set(df, b[0]));
  StoreF32WithFallback(d, df, hn::DemoteTo(df, k(d, va, vb)), k.Fallback(d, va, vb), out, [&](size_t j) {
    return K::Op::template apply<float>(a[j * a_step], b[j * b_step]);
  });
}
template <class K>
HWY_INLINE void BinaryF32ViaF64(const float* a, size_t a_step, const float* b, size_t b_step, float* out, size_t n) {
  const size_t N = hn::Lanes(hn::ScalableTag<double>());
  size_t i = 0;
  for (; i + N <= n; i += N) BinaryF32ViaF64Block<K>(a + i * a_step, a_step, b + i * b_step, b_step, out + i);
  if (i < n) {
    HWY_ALIGN float xs[8], ys[8], rs[8];
    for (size_t j = 0; j < 8; ++j) xs[j] = ys[j] = 1.0f;
    for (size_t j = 0; j < n - i; ++j) {
      xs[j] = a[(i + j) * a_step];
      ys[j] = b[(i + j) * b_step];
    }
    BinaryF32ViaF64Block<K>(xs, 1, ys, 1, rs);
    for (size_t j = 0; j < n - i; ++j) out[i + j] = rs[j];
  }
}
// x ** 2, the most common power, has a broadcast exponent of 2, and a a is
// pow(a, 2) for every a (NaN, infinities, signed zeros and overflow included):
// one multiply instead of log and exp, which sent every negative base to the
// scalar functor (16x NumPy's time on a standardised array).
template <class T>
HWY_INLINE bool SquareIfExponentIsTwo(const T* a, size_t a_step, const T* b, size_t b_step, T* out, size_t n) {
  if (b_step != 0 || a_step != 1 || !(b[0] == T(2))) return false;
  const hn::ScalableTag<T> d;
  const size_t N = hn::Lanes(d);
  size_t i = 0;
  for (; i + N <= n; i += N) {
    const V<decltype(d)> v = hn::LoadU(d, a + i);
    hn::StoreU(hn::Mul(v, v), d, out + i);
  }
  for (; i < n; ++i) out[i] = a[i] * a[i];
  return true;
}

void PowF32(const float* a, size_t a_step, const float* b, size_t b_step, float* out, size_t n) {
  if (SquareIfExponentIsTwo(a, a_step, b, b_step, out, n)) return;
  BinaryF32ViaF64<PowViaF64K>(a, a_step, b, b_step, out, n);
}

// x y - round(x y), exactly: one FMA, or Dekker's splitting without FMA.
template <class D> HWY_INLINE V<D> TwoProdLo(D d, V<D> x, V<D> y, V<D> p) {
#if HWY_NATIVE_FMA
  (void)d;
  return hn::MulSub(x, y, p);
#else
  const V<D> split = C(d, 134217729.0);  // 2^27 + 1
  const V<D> cx = hn::Mul(x, split), cy = hn::Mul(y, split);
  const V<D> xh = hn::Sub(cx, hn::Sub(cx, x)), xl = hn::Sub(x, xh);
  const V<D> yh = hn::Sub(cy, hn::Sub(cy, y)), yl = hn::Sub(y, yh);
  return hn::Add(hn::Add(hn::Add(hn::Sub(hn::Mul(xh, yh), p), hn::Mul(xh, yl)), hn::Mul(xl, yh)), hn::Mul(xl, yl));
#endif
}

// float64 pow(a, b) = exp(b log a) with log a in double-double: a = 2^k m,
// m in [sqrt(1/2), sqrt(2)), log m = 2 atanh(s), s = (m - 1) / (m + 1),
// |s| <= 0.1716: 2s and (2/3) s^3 in double-double, 2 s^5 (1/5 + s^2/7 +
// ... + s^20/25) (Taylor, truncation < 2^-64) in double; k ln 2 with ln 2 in
// two parts. b log a = p + p_lo (FMA), result e^p (1 + p_lo) with ExpFast.
// Log error ~2^-64 relative, so |b log a| <= 700 adds < 0.1 ULP. Lanes
// other than a > 0 normal finite, |b| < 1e300, |b log a| < 700 (tested on
// an upper bound of |log a|) go to libm.
struct PowF64K {
  using Op = math::Pow;
  static constexpr bool kFallback = true;
  template <class D> HWY_INLINE void LogDD(D d, V<D> a, V<D>& hi, V<D>& lo) const {
    const hn::RebindToUnsigned<D> du;
    // k and m: the exponent after adding 1 - 0x3fe6a09e667f3bcd (sqrt(1/2)'s bits).
    const auto u = hn::Add(hn::BitCast(du, a), hn::Set(du, 0x3ff0000000000000ull - 0x3fe6a09e667f3bcdull));
    const V<D> m = hn::BitCast(d, hn::Add(hn::And(u, hn::Set(du, 0x000fffffffffffffull)),
                                          hn::Set(du, 0x3fe6a09e667f3bcdull)));
    // k as a double without an int64 conversion: 2^52 + (u >> 52) - (2^52 + 1023).
    const V<D> k = hn::Sub(hn::BitCast(d, hn::Or(hn::ShiftRight<52>(u), hn::Set(du, 0x4330000000000000ull))),
                           C(d, 4503599627371519.0));
    const V<D> f = hn::Sub(m, C(d, 1.0));  // exact (Sterbenz)
    const V<D> den = hn::Add(C(d, 2.0), f);
    const V<D> den_lo = hn::Add(hn::Sub(C(d, 2.0), den), f);  // exact: |2| >= |f|
    const V<D> sh = hn::Div(f, den);
    const V<D> sd = hn::Mul(sh, den);
    const V<D> rem = hn::Sub(hn::Sub(f, sd), TwoProdLo(d, sh, den, sd));  // f - sh den, exactly
    const V<D> sl = hn::Div(hn::Sub(rem, hn::Mul(sh, den_lo)), den);
    // (2/3) s^3 in double-double.
    const V<D> qh = hn::Mul(sh, sh);
    const V<D> ql = TwoProdLo(d, sh, sh, qh);
    const V<D> ch = hn::Mul(qh, sh);
    const V<D> cl = hn::MulAdd(hn::Mul(C(d, 3.0), qh), sl, hn::MulAdd(ql, sh, TwoProdLo(d, qh, sh, ch)));
    const V<D> two_thirds = C(d, 0.66666666666666663), two_thirds_lo = C(d, 3.700743415417188e-17);
    const V<D> c3h = hn::Mul(two_thirds, ch);
    const V<D> c3l = hn::MulAdd(two_thirds_lo, ch, hn::MulAdd(two_thirds, cl, TwoProdLo(d, two_thirds, ch, c3h)));
    // 2 s^5 (1/5 + s^2/7 + ...).
    V<D> t = C(d, 1.0 / 25.0);
    for (int j = 11; j >= 2; --j) t = hn::MulAdd(t, qh, C(d, 1.0 / (2 * j + 1)));
    const V<D> tail = hn::Mul(hn::Mul(hn::Add(sh, sh), hn::Mul(qh, qh)), t);
    // k ln2_hi (exact: ln2_hi has 32 bits) + 2 s_h + c3h as exact sums, the rest in the low part.
    const V<D> kh = hn::Mul(k, C(d, 6.93147180369123816490e-01));
    const V<D> s2 = hn::Add(sh, sh);
    const V<D> a1 = hn::Add(kh, s2);
    const V<D> bv1 = hn::Sub(a1, kh);
    const V<D> e1 = hn::Add(hn::Sub(kh, hn::Sub(a1, bv1)), hn::Sub(s2, bv1));
    const V<D> a2 = hn::Add(a1, c3h);
    const V<D> bv2 = hn::Sub(a2, a1);
    const V<D> e2 = hn::Add(hn::Sub(a1, hn::Sub(a2, bv2)), hn::Sub(c3h, bv2));
    const V<D> low = hn::Add(hn::Add(hn::Add(e1, e2), hn::Add(hn::Add(sl, sl), c3l)),
                             hn::MulAdd(k, C(d, 1.90821492927058770002e-10), tail));
    hi = hn::Add(a2, low);
    lo = hn::Sub(low, hn::Sub(hi, a2));
  }
  template <class D> HWY_INLINE V<D> Product(D d, V<D> a, V<D> b, V<D>& p_lo) const {
    V<D> lh, ll;
    LogDD(d, a, lh, ll);
    const V<D> p = hn::Mul(b, lh);
    p_lo = hn::MulAdd(b, ll, TwoProdLo(d, b, lh, p));
    return p;
  }
  template <class D> HWY_INLINE V<D> operator()(D d, V<D> a, V<D> b) const {
    V<D> p_lo;
    const V<D> p = Product(d, a, b, p_lo);
    const V<D> e = ExpFast(d, hn::Min(hn::Max(p, C(d, -700.0)), C(d, 700.0)));
    return PowExactCases(d, a, b, hn::MulAdd(e, p_lo, e));
  }
  template <class D> HWY_INLINE M<D> Fallback(D d, V<D> a, V<D> b) const {
    // |b| < 1e300: Dekker's split of b (targets without FMA) stays finite.
    const M<D> ordinary = hn::And(hn::And(hn::Ge(a, C(d, 2.2250738585072014e-308)), hn::IsFinite(a)),
                                  hn::Lt(hn::Abs(b), C(d, 1e300)));
    const V<D> bound = hn::Mul(hn::Abs(b), AbsLogBound(d, hn::IfThenElse(ordinary, a, C(d, 1.0))));
    return hn::Or(hn::Not(ordinary), hn::Not(hn::Lt(bound, C(d, 700.0))));
  }
};
// Integer maximum/minimum: one instruction (or Highway's emulation).
struct IntMaxK {
  static constexpr bool kMemoryBound = true;
  static constexpr bool kFallback = false;
  template <class D> HWY_INLINE V<D> operator()(D, V<D> a, V<D> b) const { return hn::Max(a, b); }
};
struct IntMinK {
  static constexpr bool kMemoryBound = true;
  static constexpr bool kFallback = false;
  template <class D> HWY_INLINE V<D> operator()(D, V<D> a, V<D> b) const { return hn::Min(a, b); }
};

// One vector of a and b (each contiguous, or a broadcast scalar when its
// step is 0) into out; special lanes through the functor.
template <class D, class K>
HWY_INLINE void BinaryBlock(D d, const K& k, const hn::TFromD<D>* a, size_t a_step,
                            const hn::TFromD<D>* b, size_t b_step, hn::TFromD<D>* out) {
  using T = hn::TFromD<D>;
  const V<D> va = a_step ? hn::LoadU(d, a) : hn::Set(d, a[0]);
  const V<D> vb = b_step ? hn::LoadU(d, b) : hn::Set(d, b[0]);
  if constexpr (K::kFallback) {
    const M<D> m = k.Fallback(d, va, vb);
    if (HWY_UNLIKELY(!hn::AllFalse(d, m))) {
      constexpr size_t kMax = 64 / sizeof(T);
      HWY_ALIGN T xs[kMax], ys[kMax], rs[kMax], ms[kMax];
      const size_t N = hn::Lanes(d);
      hn::Store(va, d, xs);
      hn::Store(vb, d, ys);
      hn::Store(k(d, va, vb), d, rs);
      hn::Store(hn::VecFromMask(d, m), d, ms);
      for (size_t j = 0; j < N; ++j) {
        T mj;
        std::memcpy(&mj, &ms[j], sizeof(T));
        out[j] = (mj != T(0) || std::isnan(mj)) ? K::Op::template apply<T>(xs[j], ys[j]) : rs[j];
      }
      return;
    }
  }
  hn::StoreU(k(d, va, vb), d, out);
}

template <class T, class K>
HWY_INLINE void BinaryContiguous(const T* a, size_t a_step, const T* b, size_t b_step, T* out, size_t n) {
  const KernelTag<T, K> d;
  const size_t N = hn::Lanes(d);
  const K k;
  size_t i = 0;
  for (; i + N <= n; i += N) BinaryBlock(d, k, a + i * a_step, a_step, b + i * b_step, b_step, out + i);
  if (i < n) {  // the tail through padded buffers: the same lanes as the body
    constexpr size_t kMax = 64 / sizeof(T);
    HWY_ALIGN T xs[kMax], ys[kMax], rs[kMax];
    for (size_t j = 0; j < kMax; ++j) xs[j] = ys[j] = T(1);
    const size_t rem = n - i;
    for (size_t j = 0; j < rem; ++j) {
      xs[j] = a[(i + j) * a_step];
      ys[j] = b[(i + j) * b_step];
    }
    BinaryBlock(d, k, xs, 1, ys, 1, rs);
    for (size_t j = 0; j < rem; ++j) out[i + j] = rs[j];
  }
}

// Comparisons: the mask's bits, one bool byte per lane through a table.
struct ExpandBits {
  uint64_t bytes[256];
  constexpr ExpandBits() : bytes() {
    for (int v = 0; v < 256; ++v) {
      uint64_t r = 0;
      for (int j = 0; j < 8; ++j) r |= static_cast<uint64_t>((v >> j) & 1) << (8 * j);
      bytes[v] = r;
    }
  }
};
static constexpr ExpandBits kExpandBits{};

struct EqC { template <class D> HWY_INLINE M<D> operator()(V<D> a, V<D> b) const { return hn::Eq(a, b); } };
// Not Eq: Highway's Ne is an ordered compare on x86 (false for NaN), C++'s != is true.
struct NeC { template <class D> HWY_INLINE M<D> operator()(V<D> a, V<D> b) const { return hn::Not(hn::Eq(a, b)); } };
struct LtC { template <class D> HWY_INLINE M<D> operator()(V<D> a, V<D> b) const { return hn::Lt(a, b); } };
// Highway 1.0.3 has Le/Ge for floats only; for integers (no NaN) they are
// the negations of Gt/Lt.
struct LeC {
  template <class D> HWY_INLINE M<D> operator()(V<D> a, V<D> b) const {
    if constexpr (hwy::IsFloat<hn::TFromD<D>>()) return hn::Le(a, b);
    else return hn::Not(hn::Gt(a, b));
  }
};
struct GtC { template <class D> HWY_INLINE M<D> operator()(V<D> a, V<D> b) const { return hn::Gt(a, b); } };
struct GeC {
  template <class D> HWY_INLINE M<D> operator()(V<D> a, V<D> b) const {
    if constexpr (hwy::IsFloat<hn::TFromD<D>>()) return hn::Ge(a, b);
    else return hn::Not(hn::Lt(a, b));
  }
};

template <class T, class Cmp, class Op>
HWY_INLINE void CompareContiguous(const T* a, size_t a_step, const T* b, size_t b_step, bool* out, size_t n) {
  const StreamTag<T> d;  // memory-bound: see MemoryBound
  const size_t N = hn::Lanes(d);
  const Cmp cmp;
  size_t i = 0;
  for (; i + N <= n; i += N) {
    const V<decltype(d)> va = a_step ? hn::LoadU(d, a + i) : hn::Set(d, a[0]);
    const V<decltype(d)> vb = b_step ? hn::LoadU(d, b + i) : hn::Set(d, b[0]);
    uint8_t bits[8] = {};
    hn::StoreMaskBits(d, cmp.template operator()<decltype(d)>(va, vb), bits);
    for (size_t j = 0; j < N; j += 8) {
      const uint64_t bytes = kExpandBits.bytes[bits[j / 8]];
      std::memcpy(out + i + j, &bytes, N - j < 8 ? N - j : 8);
    }
  }
  for (; i < n; ++i) out[i] = Op::apply(a[i * a_step], b[i * b_step]);
}

#define TRUENO_BINARY_KERNEL(NAME, T, K)                                                    \
  void NAME(const T* a, size_t a_step, const T* b, size_t b_step, T* out, size_t n) {       \
    BinaryContiguous<T, K>(a, a_step, b, b_step, out, n);                                    \
  }
#define TRUENO_COMPARE_KERNEL(NAME, T, CMP, OP)                                             \
  void NAME(const T* a, size_t a_step, const T* b, size_t b_step, bool* out, size_t n) {    \
    CompareContiguous<T, CMP, math::OP>(a, a_step, b, b_step, out, n);                       \
  }
#define TRUENO_FLOAT_KERNELS(X)                                                             \
  X(Copysign, CopysignK) X(Maximum, MaximumK) X(Minimum, MinimumK) X(Hypot, HypotK)         \
  X(Logaddexp, LogaddexpK) X(Atan2, Atan2K)
#define TRUENO_COMPARISONS(X)                                                               \
  X(Equal, EqC) X(NotEqual, NeC) X(Less, LtC) X(LessEqual, LeC) X(Greater, GtC)             \
  X(GreaterEqual, GeC)
#define TRUENO_REAL_TYPES(X, A, B)                                                          \
  X(A, B, float, F32) X(A, B, double, F64) X(A, B, int8_t, I8) X(A, B, int16_t, I16)        \
  X(A, B, int32_t, I32) X(A, B, int64_t, I64) X(A, B, uint8_t, U8) X(A, B, uint16_t, U16)   \
  X(A, B, uint32_t, U32) X(A, B, uint64_t, U64)
#define TRUENO_INT_TYPES(X, A, B)                                                           \
  X(A, B, int8_t, I8) X(A, B, int16_t, I16) X(A, B, int32_t, I32) X(A, B, int64_t, I64)     \
  X(A, B, uint8_t, U8) X(A, B, uint16_t, U16) X(A, B, uint32_t, U32) X(A, B, uint64_t, U64)

#define TRUENO_FLOAT_KERNEL(OP, K)                                                          \
  TRUENO_BINARY_KERNEL(OP##F32, float, K) TRUENO_BINARY_KERNEL(OP##F64, double, K)
TRUENO_FLOAT_KERNELS(TRUENO_FLOAT_KERNEL)
void PowF64(const double* a, size_t a_step, const double* b, size_t b_step, double* out, size_t n) {
  if (SquareIfExponentIsTwo(a, a_step, b, b_step, out, n)) return;
  BinaryContiguous<double, PowF64K>(a, a_step, b, b_step, out, n);
}
#define TRUENO_INT_KERNEL(OP, K, T, S) TRUENO_BINARY_KERNEL(OP##S, T, K)
TRUENO_INT_TYPES(TRUENO_INT_KERNEL, Maximum, IntMaxK)
TRUENO_INT_TYPES(TRUENO_INT_KERNEL, Minimum, IntMinK)
#define TRUENO_CMP_KERNEL(OP, CMP, T, S) TRUENO_COMPARE_KERNEL(OP##S, T, CMP, OP)
#define TRUENO_CMP_ALL_TYPES(OP, CMP) TRUENO_REAL_TYPES(TRUENO_CMP_KERNEL, OP, CMP)
TRUENO_COMPARISONS(TRUENO_CMP_ALL_TYPES)

}  // namespace HWY_NAMESPACE
}  // namespace trueno::simd
HWY_AFTER_NAMESPACE();

#if HWY_ONCE
#include "kernels/elementwise_loops.h"
#include "kernels/simd_binary.h"

namespace trueno::simd {

#define TRUENO_EXPORT_FLOAT(OP, K) HWY_EXPORT(OP##F32); HWY_EXPORT(OP##F64);
TRUENO_FLOAT_KERNELS(TRUENO_EXPORT_FLOAT)
HWY_EXPORT(PowF32);
HWY_EXPORT(PowF64);
#define TRUENO_EXPORT_TYPED(OP, K, T, S) HWY_EXPORT(OP##S);
TRUENO_INT_TYPES(TRUENO_EXPORT_TYPED, Maximum, IntMaxK)
TRUENO_INT_TYPES(TRUENO_EXPORT_TYPED, Minimum, IntMinK)
#define TRUENO_EXPORT_CMP(OP, CMP) TRUENO_REAL_TYPES(TRUENO_EXPORT_TYPED, OP, CMP)
TRUENO_COMPARISONS(TRUENO_EXPORT_CMP)

namespace {

// Step (0 = broadcast, 1 = contiguous) of an operand, or -1 for any other stride.
inline int64_t step_of(int64_t stride, int64_t size) { return stride == size ? 1 : stride == 0 ? 0 : -1; }

// Contiguous or broadcast operands and a contiguous output: the kernel.
// Other layouts are staged through contiguous buffers in chunks.
template <class T, class Out, class Kernel>
void staged_binary(Kernel kernel, char** data, const int64_t* s, int64_t n) {
  const int64_t sa = step_of(s[0], sizeof(T)), sb = step_of(s[1], sizeof(T));
  if (sa >= 0 && sb >= 0 && s[2] == static_cast<int64_t>(sizeof(Out))) {
    kernel(reinterpret_cast<const T*>(data[0]), static_cast<size_t>(sa),
           reinterpret_cast<const T*>(data[1]), static_cast<size_t>(sb), reinterpret_cast<Out*>(data[2]),
           static_cast<size_t>(n));
    return;
  }
  constexpr int64_t kChunk = 256;
  alignas(64) T abuf[kChunk], bbuf[kChunk];
  alignas(64) Out obuf[kChunk];
  const char* a = data[0];
  const char* b = data[1];
  char* o = data[2];
  for (int64_t i = 0; i < n; i += kChunk) {
    const int64_t m = n - i < kChunk ? n - i : kChunk;
    for (int64_t j = 0; j < m; ++j, a += s[0], b += s[1]) {
      std::memcpy(&abuf[j], a, sizeof(T));
      std::memcpy(&bbuf[j], b, sizeof(T));
    }
    kernel(abuf, 1, bbuf, 1, obuf, static_cast<size_t>(m));
    for (int64_t j = 0; j < m; ++j, o += s[2]) std::memcpy(o, &obuf[j], sizeof(Out));
  }
}

}  // namespace

#define TRUENO_LOOP(OP, T, S, OUT)                                                          \
  static void OP##S##Loop(char** data, const int64_t* s, int64_t n, const void*) {          \
    staged_binary<T, OUT>(HWY_DYNAMIC_DISPATCH(OP##S), data, s, n);                         \
  }                                                                                         \
  template <> StridedLoop binary_override<math::OP, T>() { return &OP##S##Loop; }
#define TRUENO_FLOAT_LOOP(OP, K) TRUENO_LOOP(OP, float, F32, float) TRUENO_LOOP(OP, double, F64, double)
TRUENO_FLOAT_KERNELS(TRUENO_FLOAT_LOOP)
TRUENO_LOOP(Pow, float, F32, float)
TRUENO_LOOP(Pow, double, F64, double)
#define TRUENO_INT_LOOP(OP, K, T, S) TRUENO_LOOP(OP, T, S, T)
TRUENO_INT_TYPES(TRUENO_INT_LOOP, Maximum, IntMaxK)
TRUENO_INT_TYPES(TRUENO_INT_LOOP, Minimum, IntMinK)
#define TRUENO_CMP_LOOP(OP, CMP, T, S) TRUENO_LOOP(OP, T, S, bool)
#define TRUENO_CMP_LOOPS(OP, CMP) TRUENO_REAL_TYPES(TRUENO_CMP_LOOP, OP, CMP)
TRUENO_COMPARISONS(TRUENO_CMP_LOOPS)

}  // namespace trueno::simd
#endif  // HWY_ONCE

// SIMD unary functions for float32 and float64 on every Highway target,
// chosen at run time (core/isa.h pins the target). Each kernel wraps the
// hwy::contrib approximation (or a single instruction) in masks that give
// the special cases of the scalar functors in kernels/scalar_math.h: NaN in
// -> NaN out, +-inf, signed zeros, overflow to inf, underflow to 0, domain
// errors -> NaN. Lanes outside an approximation's valid range (sin/cos of
// |x| > 8192 or non-finite, sinh of |x| > 88 / 709) are recomputed with the
// scalar functor.
// Strided operands are staged through a contiguous buffer, so results do not
// depend on the layout.
//
// exp: ExpFast below; tanh float32: TanhF32 below.
// Measured max error (tests/test_simd_math.py sweep: 100k linear + 2x100k
// log-spaced points per function, both signs, worst over all five targets),
// in ULP: float32 against NumPy's float64 result (the exact value, not
// rounded), float64 against NumPy's libm result.
//   function  float32 float64        function  float32 float64
//   exp        0.95    1             asin       2.32    2
//   expm1      1.44    2             acos       1.24    1
//   tanh       1.76    2             atan       2.13    2
//   sinh       2.76    3             asinh      2.45    2
//   log        0.76    1             acosh      2.09    2
//   log2       1.53    1             atanh      2.77    2
//   log10      1.74    2             sin        1.96    2
//   log1p      2.21    2             cos        2.13    3
//   cosh       1.80    2             tan        0.50    1.14
//   sqrt, abs, negative, square, reciprocal, floor, ceil, trunc, round
//   (half to even), sign: correctly rounded / exact (bit-equal to NumPy).
// cosh: CoshK below; tan: TanF64 below (float32 in float64 lanes); its
// float64 figure is against 50-digit mpmath, near multiples of pi/2 included.
#include <cstring>

#include "kernels/scalar_math.h"

#undef HWY_TARGET_INCLUDE
#define HWY_TARGET_INCLUDE "kernels/simd_math.cpp"
#include "hwy/foreach_target.h"  // IWYU pragma: keep
#include "hwy/highway.h"
#include "hwy/contrib/math/math-inl.h"
#include "kernels/simd_math-inl.h"

HWY_BEFORE_NAMESPACE();
namespace trueno::simd {
namespace HWY_NAMESPACE {
namespace hn = hwy::HWY_NAMESPACE;

// Kernel functors: Op is the scalar functor defining the results; kFallback
// says whether Fallback(d, x) names lanes to recompute with it.
struct ExpK {
  using Op = math::Exp;
  static constexpr bool kFallback = false;
  template <class D> HWY_INLINE V<D> operator()(D d, V<D> x) const {
    if (HWY_LIKELY(hn::AllTrue(d, hn::Lt(hn::Abs(x), ExpFastLimit(d))))) return ExpFast(d, x);
    // Highway's Exp: 0 for NaN, garbage above the overflow threshold.
    V<D> r = hn::Exp(d, hn::Min(x, ExpMax(d)));
    r = hn::IfThenElse(hn::Gt(x, ExpMax(d)), PosInf(d), r);
    return hn::IfThenElse(hn::IsNaN(x), x, r);
  }
};
// expm1 for x in [-60, ExpMax]: Highway's reduction and polynomial, but the
// reconstruction 2^q (y + (1 - 2^-q)) instead of Highway's 2^q (y + 1) - 1,
// which rounds y + 1 and so loses up to 2 ULP for x just above ln2/2 (4 ULP
// in all, measured, float64).
template <class D> HWY_INLINE V<D> Expm1Core(D d, V<D> x) {
  using T = hn::TFromD<D>;
  hn::impl::ExpImpl<T> impl;
  const V<D> one = C(d, 1.0);
  const auto q = impl.ToInt32(
      d, hn::MulAdd(x, C(d, 1.442695040888963407359924681), hn::Or(C(d, 0.5), hn::And(x, C(d, -0.0)))));
  const V<D> y = impl.ExpPoly(d, impl.ExpReduce(d, x, q));
  const V<D> c = hn::Sub(one, impl.LoadExpShortRange(d, one, hn::Neg(q)));  // 1 - 2^-q
  const V<D> big = impl.LoadExpShortRange(d, hn::Add(y, c), q);
  return hn::IfThenElse(hn::Lt(hn::Abs(x), C(d, 0.346573590279972654708616)), y, big);
}
struct Expm1K {
  using Op = math::Expm1;
  static constexpr bool kFallback = false;
  template <class D> HWY_INLINE V<D> operator()(D d, V<D> x) const {
    // Below -60, expm1 is -1 in both precisions.
    V<D> r = Expm1Core(d, hn::Min(hn::Max(x, C(d, -60.0)), ExpMax(d)));
    r = hn::IfThenElse(hn::Gt(x, ExpMax(d)), PosInf(d), r);
    // +-0 and NaN pass through (the polynomial turns -0 into +0).
    return hn::IfThenElse(hn::Or(hn::IsNaN(x), hn::Eq(x, hn::Zero(d))), x, r);
  }
};
// float32 tanh without expm1 (whose 2^-q correction costs as much as the
// rest): |x| < 0.625: x + x^3 P(x^2), P fitted (weighted least squares,
// Lawson iterations) for relative error 4.4e-9 on [0, 0.625]; above:
// (1 - e) / (1 + e), e = 2^(-2|x| log2 e) with |x| clamped to 9 (tanh
// rounds to 1 there) and 2^f, |f| <= 1/2, a fitted degree-5 polynomial
// (relative error 9.2e-8; tanh amplifies it by 2e/(1 - e^2) <= 0.63).
// A NaN fails |x| >= 0.625 and so passes through the polynomial.
template <class D> HWY_INLINE V<D> TanhF32(D d, V<D> x) {
  const hn::RebindToSigned<D> di;
  const V<D> ax = hn::Abs(x);
  const V<D> t = hn::Mul(ax, ax);
  V<D> p = C(d, -0.005704888142645359);
  p = hn::MulAdd(p, t, C(d, 0.020639004185795784));
  p = hn::MulAdd(p, t, C(d, -0.05373969301581383));
  p = hn::MulAdd(p, t, C(d, 0.13331441581249237));
  p = hn::MulAdd(p, t, C(d, -0.3333328068256378));
  const V<D> small = hn::MulAdd(hn::Mul(ax, t), p, ax);
  // y = -2|x| / ln2 in [-26, 0]; 2^y = 2^f 2^n, n = round(y) via the 1.5 * 2^23 shift.
  const V<D> y = hn::Mul(hn::Min(ax, C(d, 9.0)), C(d, -2.885390081777926814719849362));
  const V<D> shift = C(d, 12582912.0);
  const V<D> z = hn::Add(y, shift);
  const V<D> f = hn::Sub(y, hn::Sub(z, shift));
  V<D> e = C(d, 0.0013264670269563794);
  e = hn::MulAdd(e, f, C(d, 0.009671499952673912));
  e = hn::MulAdd(e, f, C(d, 0.05550733581185341));
  e = hn::MulAdd(e, f, C(d, 0.24022242426872253));
  e = hn::MulAdd(e, f, C(d, 0.6931470036506653));
  e = hn::MulAdd(e, f, C(d, 1.0));
  const auto scale = hn::ShiftLeft<23>(hn::Add(hn::BitCast(di, z), hn::Set(di, 127 - 0x4B400000)));
  e = hn::Mul(e, hn::BitCast(d, scale));
  const V<D> big = hn::Div(hn::Sub(C(d, 1.0), e), hn::Add(C(d, 1.0), e));
  // Computed on |x| and signed last: x + x^3 P turns -0 into +0.
  return hn::CopySignToAbs(hn::IfThenElse(hn::Ge(ax, C(d, 0.625)), big, small), x);
}
// float64 tanh, the same split: |x| < 0.625: x + x^3 P(x^2), P of degree 10
// fitted (50-digit least squares, Lawson) to relative error 1.0e-17 (0.09
// ULP); above: (1 - e) / (1 + e), e = ExpFast(-2 min(|x|, 20)) (tanh rounds
// to 1 from 19.1). It replaces y / (y + 2), y = expm1(2|x|), whose float64
// reconstruction (int32 demotions, two 2^q multiplies) made tanh slower
// than NumPy.
template <class D> HWY_INLINE V<D> TanhF64(D d, V<D> x) {
  static constexpr double kP[] = {-0.33333333333332854, 0.13333333333262123, -0.05396825393128098,
                                  0.02186948757637659, -0.0088632210060932, 0.0035919892002053387,
                                  -0.0014549590068361538, 0.0005863169438336843, -0.00022856499488074577,
                                  7.71452262908932e-05, -1.607297657389834e-05};
  const V<D> ax = hn::Abs(x);
  const V<D> t = hn::Mul(ax, ax);
  V<D> p = C(d, kP[10]);
  for (int k = 9; k >= 0; --k) p = hn::MulAdd(p, t, C(d, kP[k]));
  const V<D> small = hn::MulAdd(hn::Mul(ax, t), p, ax);
  const V<D> e = ExpFast(d, hn::Mul(hn::Min(ax, C(d, 20.0)), C(d, -2.0)));
  const V<D> big = hn::Div(hn::Sub(C(d, 1.0), e), hn::Add(C(d, 1.0), e));
  return hn::CopySignToAbs(hn::IfThenElse(hn::Ge(ax, C(d, 0.625)), big, small), x);
}
struct TanhK {
  using Op = math::Tanh;
  static constexpr bool kFallback = false;
  template <class D> HWY_INLINE V<D> operator()(D d, V<D> x) const {
    if constexpr (IsF32(D())) return TanhF32(d, x);
    else return TanhF64(d, x);
  }
};
struct SinhK {
  using Op = math::Sinh;
  static constexpr bool kFallback = true;
  template <class D> HWY_INLINE V<D> operator()(D d, V<D> x) const {
    // sinh|x| = (y + 2) / (y + 1) * y / 2, y = expm1(|x|), as Highway's Sinh
    // but with the better expm1 above.
    const V<D> y = Expm1Core(d, hn::Min(hn::Abs(x), ExpMax(d)));
    const V<D> z = hn::Mul(hn::Div(hn::Add(y, C(d, 2.0)), hn::Add(y, C(d, 1.0))), hn::Mul(y, C(d, 0.5)));
    V<D> r = hn::CopySign(z, x);
    return hn::IfThenElse(hn::Or(hn::IsNaN(x), hn::Eq(x, hn::Zero(d))), x, r);
  }
  // Near and past overflow (Expm1 of |x| is out of range) and infinities.
  template <class D> HWY_INLINE M<D> Fallback(D d, V<D> x) const {
    return hn::Gt(hn::Abs(x), IsF32(d) ? C(d, 88.0) : C(d, 709.0));
  }
};

// cosh|x| = (e + 1/e) / 2, e = e^|x| by ExpFast (cosh(+-0) = 1 exactly);
// |x| past ExpFast's range (near overflow, where e^|x| / 2 must be formed
// as e^(|x| - ln 2)), infinities and NaN go to the scalar functor.
struct CoshK {
  using Op = math::Cosh;
  static constexpr bool kFallback = true;
  template <class D> HWY_INLINE V<D> operator()(D d, V<D> x) const {
    const V<D> e = ExpFast(d, hn::Min(hn::Abs(x), ExpFastLimit(d)));
    return hn::Mul(hn::Add(e, hn::Div(C(d, 1.0), e)), C(d, 0.5));
  }
  template <class D> HWY_INLINE M<D> Fallback(D d, V<D> x) const {
    return hn::Not(hn::Lt(hn::Abs(x), ExpFastLimit(d)));  // also NaN
  }
};

// log-family guard: x > 0 finite computes; 0 -> -inf, +inf -> +inf,
// negative and NaN -> NaN.
template <class D> HWY_INLINE V<D> LogSpecial(D d, V<D> x, V<D> r) {
  const M<D> ok = hn::And(hn::Gt(x, hn::Zero(d)), hn::Lt(x, PosInf(d)));
  const V<D> special = hn::IfThenElse(
      hn::Eq(x, hn::Zero(d)), hn::Neg(PosInf(d)), hn::IfThenElse(hn::Eq(x, PosInf(d)), x, QNaN(d)));
  return hn::IfThenElse(ok, r, special);
}
struct LogK {
  using Op = math::Log;
  static constexpr bool kFallback = false;
  template <class D> HWY_INLINE V<D> operator()(D d, V<D> x) const {
    return LogSpecial(d, x, hn::Log(d, x));
  }
};
struct Log2K {
  using Op = math::Log2;
  static constexpr bool kFallback = false;
  template <class D> HWY_INLINE V<D> operator()(D d, V<D> x) const {
    return LogSpecial(d, x, hn::Log2(d, x));
  }
};
struct Log10K {
  using Op = math::Log10;
  static constexpr bool kFallback = false;
  template <class D> HWY_INLINE V<D> operator()(D d, V<D> x) const {
    return LogSpecial(d, x, hn::Log10(d, x));
  }
};
struct Log1pK {
  using Op = math::Log1p;
  static constexpr bool kFallback = false;
  template <class D> HWY_INLINE V<D> operator()(D d, V<D> x) const {
    const V<D> one = C(d, 1.0);
    const V<D> r = hn::Log1p(d, x);
    const M<D> ok = hn::And(hn::Gt(x, hn::Neg(one)), hn::Lt(x, PosInf(d)));
    const V<D> special = hn::IfThenElse(
        hn::Eq(x, hn::Neg(one)), hn::Neg(PosInf(d)), hn::IfThenElse(hn::Eq(x, PosInf(d)), x, QNaN(d)));
    return hn::IfThenElse(ok, r, special);
  }
};

// sin/cos: Highway reduces the argument with a 4-part pi, exact enough for
// |x| <= 8192; larger (and non-finite) arguments go to the scalar functor.
template <class D> HWY_INLINE M<D> TrigFallback(D d, V<D> x) {
  return hn::Not(hn::Le(hn::Abs(x), C(d, 8192.0)));  // also NaN
}
struct SinK {
  using Op = math::Sin;
  static constexpr bool kFallback = true;
  template <class D> HWY_INLINE V<D> operator()(D d, V<D> x) const {
    const V<D> r = hn::Sin(d, x);
    return hn::IfThenElse(hn::Eq(x, hn::Zero(d)), x, r);  // sin(-0) = -0
  }
  template <class D> HWY_INLINE M<D> Fallback(D d, V<D> x) const { return TrigFallback(d, x); }
};
struct CosK {
  using Op = math::Cos;
  static constexpr bool kFallback = true;
  template <class D> HWY_INLINE V<D> operator()(D d, V<D> x) const {
    const V<D> r = hn::Cos(d, x);
    return hn::IfThenElse(hn::Eq(x, hn::Zero(d)), C(d, 1.0), r);  // the spec: cos(+-0) = 1 exactly
  }
  template <class D> HWY_INLINE M<D> Fallback(D d, V<D> x) const { return TrigFallback(d, x); }
};

struct AsinK {
  using Op = math::Asin;
  static constexpr bool kFallback = false;
  template <class D> HWY_INLINE V<D> operator()(D d, V<D> x) const {
    const V<D> r = hn::Asin(d, x);
    return hn::IfThenElse(hn::Le(hn::Abs(x), C(d, 1.0)), r, QNaN(d));
  }
};
struct AcosK {
  using Op = math::Acos;
  static constexpr bool kFallback = false;
  template <class D> HWY_INLINE V<D> operator()(D d, V<D> x) const {
    const V<D> r = hn::Acos(d, x);
    return hn::IfThenElse(hn::Le(hn::Abs(x), C(d, 1.0)), r, QNaN(d));
  }
};
struct AtanK {
  using Op = math::Atan;
  static constexpr bool kFallback = false;
  template <class D> HWY_INLINE V<D> operator()(D d, V<D> x) const {
    const V<D> r = hn::Atan(d, x);
    return hn::IfThenElse(hn::IsNaN(x), x, r);
  }
};
struct AsinhK {
  using Op = math::Asinh;
  static constexpr bool kFallback = false;
  template <class D> HWY_INLINE V<D> operator()(D d, V<D> x) const {
    const V<D> r = hn::Asinh(d, x);
    return hn::IfThenElse(hn::Or(hn::IsNaN(x), hn::IsInf(x)), x, r);
  }
};
struct AcoshK {
  using Op = math::Acosh;
  static constexpr bool kFallback = false;
  template <class D> HWY_INLINE V<D> operator()(D d, V<D> x) const {
    const V<D> r = hn::Acosh(d, x);
    const M<D> ok = hn::And(hn::Ge(x, C(d, 1.0)), hn::Lt(x, PosInf(d)));
    return hn::IfThenElse(ok, r, hn::IfThenElse(hn::Eq(x, PosInf(d)), x, QNaN(d)));
  }
};
struct AtanhK {
  using Op = math::Atanh;
  static constexpr bool kFallback = false;
  template <class D> HWY_INLINE V<D> operator()(D d, V<D> x) const {
    const V<D> one = C(d, 1.0);
    const V<D> ax = hn::Abs(x);
    const V<D> r = hn::Atanh(d, x);
    const V<D> pole = hn::CopySign(PosInf(d), x);
    return hn::IfThenElse(hn::Lt(ax, one), r, hn::IfThenElse(hn::Eq(ax, one), pole, QNaN(d)));
  }
};

// Exact operations: one instruction each (rounding keeps the sign of zero).
struct SqrtK {
  using Op = math::Sqrt;
  static constexpr bool kFallback = false;
  template <class D> HWY_INLINE V<D> operator()(D, V<D> x) const { return hn::Sqrt(x); }
};
struct AbsK {
  static constexpr bool kMemoryBound = true;
  using Op = math::Abs;
  static constexpr bool kFallback = false;
  template <class D> HWY_INLINE V<D> operator()(D, V<D> x) const { return hn::Abs(x); }
};
struct NegK {
  static constexpr bool kMemoryBound = true;
  using Op = math::Negative;
  static constexpr bool kFallback = false;
  template <class D> HWY_INLINE V<D> operator()(D, V<D> x) const { return hn::Neg(x); }
};
struct SquareK {
  static constexpr bool kMemoryBound = true;
  static constexpr size_t kStreamBytes = 16;  // a multiply: see StreamBytes
  using Op = math::Square;
  static constexpr bool kFallback = false;
  template <class D> HWY_INLINE V<D> operator()(D, V<D> x) const { return hn::Mul(x, x); }
};
struct ReciprocalK {
  using Op = math::Reciprocal;
  static constexpr bool kFallback = false;
  template <class D> HWY_INLINE V<D> operator()(D d, V<D> x) const { return hn::Div(C(d, 1.0), x); }
};
// Rounding: the result has the sign of x (SSSE3 emulation loses -0).
#define TRUENO_ROUNDING_KERNEL(NAME, OP, HWYOP)                                        \
  struct NAME {                                                                        \
    static constexpr bool kMemoryBound = true;                                         \
    using Op = math::OP;                                                               \
    static constexpr bool kFallback = false;                                           \
    template <class D> HWY_INLINE V<D> operator()(D, V<D> x) const {                   \
      const V<D> r = hn::CopySign(hn::HWYOP(x), x);                                    \
      return hn::IfThenElse(hn::IsNaN(x), x, r);                                       \
    }                                                                                  \
  };
TRUENO_ROUNDING_KERNEL(FloorK, Floor, Floor)
TRUENO_ROUNDING_KERNEL(CeilK, Ceil, Ceil)
TRUENO_ROUNDING_KERNEL(TruncK, Trunc, Trunc)
TRUENO_ROUNDING_KERNEL(RoundK, Round, Round)  // ties to even
#undef TRUENO_ROUNDING_KERNEL
struct SignK {
  using Op = math::Sign;
  static constexpr bool kFallback = false;
  template <class D> HWY_INLINE V<D> operator()(D d, V<D> x) const {
    const V<D> z = hn::Zero(d);
    const V<D> r = hn::IfThenElse(hn::Gt(x, z), C(d, 1.0), hn::IfThenElse(hn::Lt(x, z), C(d, -1.0), z));
    return hn::IfThenElse(hn::IsNaN(x), x, r);
  }
};

// tan in float64 lanes, for |x| <= 2^20 (beyond, and for non-finite x, the
// scalar functor). Reduction: n = round(x 2/pi), r = x - n pi/2 with pi/2 =
// C1 + C2 + C3 + C4, C1..C3 of 33 bits each, so n C1..n C3 are exact for
// |n| < 2^20 (with or without FMA) and x - n C1 is exact; the two further
// subtractions are error-free (TwoSum), so r = rh + rl carries ~150 bits of
// pi/2 and its relative error stays far below 2^-53 even where x is close
// to a multiple of pi/2. On [-pi/4, pi/4]: tan r = r G(r^2) / (K - r^2),
// K = pi^2/4 rounded, G a degree-7 polynomial fitted (50-digit weighted
// least squares, Lawson) to (K - s) tan(sqrt s) / sqrt s, relative error
// 1.8e-17 with the coefficients rounded; dividing by K - s takes out tan's
// pole at pi/2, which a plain polynomial would need twice the terms for.
// tan r is formed as the double-double r + r u (u below), odd quadrants as
// -1 / (r + r u) corrected to first order; rl enters through the derivative
// (1 + tan^2, 1 + cot^2). Two divisions: one for both parities,
// -(K - s) / (r G), erred by 2.8 ULP.
template <bool kAccurate, class D> HWY_INLINE V<D> TanF64(D d, V<D> x) {
  const hn::RebindToSigned<D> di;
  const V<D> shift = C(d, 6755399441055744.0);  // 1.5 * 2^52: z's low bits hold n
  const V<D> z = hn::MulAdd(x, C(d, 0.6366197723675814), shift);
  const V<D> n = hn::Sub(z, shift);
  const V<D> t1 = hn::Sub(x, hn::Mul(n, C(d, 0x1.921fb544p+0)));
  auto two_sum = [&](V<D> a, V<D> b, V<D>& err) {
    const V<D> s = hn::Add(a, b);
    const V<D> bb = hn::Sub(s, a);
    err = hn::Add(hn::Sub(a, hn::Sub(s, bb)), hn::Sub(b, bb));
    return s;
  };
  V<D> e2, e3;
  const V<D> s2 = two_sum(t1, hn::Mul(n, C(d, -0x1.0b4611a6p-34)), e2);
  const V<D> s3 = two_sum(s2, hn::Mul(n, C(d, -0x1.3198a2ep-69)), e3);
  const V<D> tail = hn::MulAdd(n, C(d, -0x1.b839a252049c1p-104), hn::Add(e2, e3));
  const V<D> rh = hn::Add(s3, tail);
  const V<D> rl = hn::Sub(tail, hn::Sub(rh, s3));
  static constexpr double kG[] = {2.4674011002723395, -0.17753296657589146, -0.0043465199635319175,
                                  -0.0001720041142943224, -7.45387907848151e-06, -3.3148106553234713e-07,
                                  -1.4778269036993095e-08, -7.47782666095196e-10};
  const V<D> s = hn::Mul(rh, rh);
  const auto odd = hn::RebindMask(
      d, hn::Ne(hn::And(hn::BitCast(di, z), hn::Set(di, 1)), hn::Zero(di)));
  V<D> r;
  if constexpr (kAccurate) {
    // tan r = r + r u, u = s P(s) / (K - s), P(s) = (G(s) - K + s) / s: the
    // small term u (<= 0.28) carries the rounding of P, s and the division,
    // so r + r u = th + tl lands within ~1 ULP.
    V<D> p = C(d, kG[7]);
    for (int k = 6; k >= 2; --k) p = hn::MulAdd(p, s, C(d, kG[k]));
    p = hn::MulAdd(p, s, C(d, kG[1] + 1.0));
    const V<D> u = hn::Div(hn::Mul(s, p), hn::Sub(C(d, kG[0]), s));
    const V<D> ru = hn::Mul(rh, u);
    const V<D> th = hn::Add(rh, ru);
    const V<D> tl = hn::Sub(ru, hn::Sub(th, rh));
    // Even: tan(rh + rl) = th + tl + rl (1 + th^2). Odd: -cot(rh + rl) =
    // q + (tl + rl) q^2 + rl with q = -1/th (-1/(th + tl) = q + tl q^2).
    const V<D> even_r = hn::Add(th, hn::Add(tl, hn::MulAdd(hn::Mul(rl, th), th, rl)));
    const V<D> q = hn::Div(C(d, -1.0), th);
    const V<D> odd_r = hn::Add(q, hn::MulAdd(hn::Mul(hn::Add(tl, rl), q), q, rl));
    r = hn::IfThenElse(odd, odd_r, even_r);
  } else {
    // One division for both parities: tan r = r G / (K - s), -cot r =
    // -(K - s) / (r G); 2.8 float64 ULP, plenty for float32 results.
    V<D> g = C(d, kG[7]);
    for (int k = 6; k >= 0; --k) g = hn::MulAdd(g, s, C(d, kG[k]));
    const V<D> num = hn::Mul(rh, g);
    const V<D> den = hn::Sub(C(d, kG[0]), s);
    const V<D> q = hn::Div(hn::IfThenElse(odd, hn::Neg(den), num), hn::IfThenElse(odd, num, den));
    r = hn::MulAdd(rl, hn::MulAdd(q, q, C(d, 1.0)), q);
  }
  return hn::IfThenElse(hn::Eq(x, hn::Zero(d)), x, r);  // tan(-0) = -0
}
template <class D> HWY_INLINE M<D> TanFallback(D d, V<D> x) {
  return hn::Not(hn::Le(hn::Abs(x), C(d, 1048576.0)));  // also NaN
}
struct TanK {
  using Op = math::Tan;
  static constexpr bool kFallback = true;
  template <class D> HWY_INLINE V<D> operator()(D d, V<D> x) const { return TanF64<true>(d, x); }
  template <class D> HWY_INLINE M<D> Fallback(D d, V<D> x) const { return TanFallback(d, x); }
};
void TanKF64(const double* in, double* out, size_t n) { UnaryContiguous<double, TanK>(in, out, n); }

// float32 tan in float64 lanes (TanF64's one-division form, 2.8 float64
// ULP: far below float32's), rounded once. |x| > 2^20 and non-finite lanes go to the functor.
void TanKF32(const float* in, float* out, size_t n) {
  const hn::ScalableTag<double> d;
  const hn::Rebind<float, decltype(d)> df;
  const size_t N = hn::Lanes(d);
  auto block = [&](const float* src, float* dst) {
    const V<decltype(d)> x = hn::PromoteTo(d, hn::LoadU(df, src));
    StoreF32WithFallback(d, df, hn::DemoteTo(df, TanF64<false>(d, x)), TanFallback(d, x), dst,
                         [&](size_t j) { return math::Tan::apply<float>(src[j]); });
  };
  size_t i = 0;
  for (; i + N <= n; i += N) block(in + i, out + i);
  if (i < n) {
    HWY_ALIGN float buf[8] = {};
    for (size_t j = 0; j < n - i; ++j) buf[j] = in[i + j];
    block(buf, buf);
    for (size_t j = 0; j < n - i; ++j) out[i + j] = buf[j];
  }
}

#define TRUENO_SIMD_UNARY(KERNEL)                                                         \
  void KERNEL##F32(const float* in, float* out, size_t n) {                               \
    UnaryContiguous<float, KERNEL>(in, out, n);                                           \
  }                                                                                       \
  void KERNEL##F64(const double* in, double* out, size_t n) {                             \
    UnaryContiguous<double, KERNEL>(in, out, n);                                          \
  }
#define TRUENO_SIMD_MATH_KERNELS(X)                                                       \
  X(ExpK) X(Expm1K) X(TanhK) X(SinhK) X(CoshK) X(LogK) X(Log2K) X(Log10K) X(Log1pK) X(SinK)        \
  X(CosK) X(AsinK) X(AcosK) X(AtanK) X(AsinhK) X(AcoshK) X(AtanhK) X(SqrtK) X(AbsK)       \
  X(NegK) X(SquareK) X(ReciprocalK) X(FloorK) X(CeilK) X(TruncK) X(RoundK) X(SignK)
TRUENO_SIMD_MATH_KERNELS(TRUENO_SIMD_UNARY)
#undef TRUENO_SIMD_UNARY

}  // namespace HWY_NAMESPACE
}  // namespace trueno::simd
HWY_AFTER_NAMESPACE();

#if HWY_ONCE
#include "kernels/simd_math.h"

namespace trueno::simd {

HWY_EXPORT(TanKF32);
HWY_EXPORT(TanKF64);
#define TRUENO_EXPORT(KERNEL) HWY_EXPORT(KERNEL##F32); HWY_EXPORT(KERNEL##F64);
TRUENO_SIMD_MATH_KERNELS(TRUENO_EXPORT)
#undef TRUENO_EXPORT

// Contiguous: the SIMD kernel. Strided: staged through a contiguous buffer
// in chunks, so every layout gets the same results.
#define TRUENO_SIMD_LOOP(OP, T, KERNEL)                                                   \
  static void KERNEL##Loop(char** data, const int64_t* s, int64_t n, const void*) {       \
    if (s[0] == sizeof(T) && s[1] == sizeof(T)) {                                         \
      HWY_DYNAMIC_DISPATCH(KERNEL)(reinterpret_cast<const T*>(data[0]),                   \
                                   reinterpret_cast<T*>(data[1]), static_cast<size_t>(n)); \
      return;                                                                             \
    }                                                                                     \
    constexpr int64_t kChunk = 512;                                                       \
    alignas(64) T buf[kChunk];                                                            \
    const char* x = data[0];                                                              \
    char* y = data[1];                                                                    \
    for (int64_t i = 0; i < n; i += kChunk) {                                             \
      const int64_t m = n - i < kChunk ? n - i : kChunk;                                  \
      for (int64_t j = 0; j < m; ++j, x += s[0]) std::memcpy(&buf[j], x, sizeof(T));      \
      HWY_DYNAMIC_DISPATCH(KERNEL)(buf, buf, static_cast<size_t>(m));                     \
      for (int64_t j = 0; j < m; ++j, y += s[1]) std::memcpy(y, &buf[j], sizeof(T));      \
    }                                                                                     \
  }                                                                                       \
  template <> StridedLoop unary_override<math::OP, T>() { return &KERNEL##Loop; }
#define TRUENO_SIMD_LOOPS(OP, KERNEL)                                                     \
  TRUENO_SIMD_LOOP(OP, float, KERNEL##F32)                                                \
  TRUENO_SIMD_LOOP(OP, double, KERNEL##F64)
TRUENO_SIMD_LOOPS(Exp, ExpK)
TRUENO_SIMD_LOOPS(Expm1, Expm1K)
TRUENO_SIMD_LOOPS(Tanh, TanhK)
TRUENO_SIMD_LOOPS(Sinh, SinhK)
TRUENO_SIMD_LOOPS(Cosh, CoshK)
TRUENO_SIMD_LOOPS(Log, LogK)
TRUENO_SIMD_LOOPS(Log2, Log2K)
TRUENO_SIMD_LOOPS(Log10, Log10K)
TRUENO_SIMD_LOOPS(Log1p, Log1pK)
TRUENO_SIMD_LOOPS(Sin, SinK)
TRUENO_SIMD_LOOPS(Cos, CosK)
TRUENO_SIMD_LOOPS(Asin, AsinK)
TRUENO_SIMD_LOOPS(Acos, AcosK)
TRUENO_SIMD_LOOPS(Atan, AtanK)
TRUENO_SIMD_LOOPS(Asinh, AsinhK)
TRUENO_SIMD_LOOPS(Acosh, AcoshK)
TRUENO_SIMD_LOOPS(Atanh, AtanhK)
TRUENO_SIMD_LOOPS(Sqrt, SqrtK)
TRUENO_SIMD_LOOPS(Abs, AbsK)
TRUENO_SIMD_LOOPS(Negative, NegK)
TRUENO_SIMD_LOOPS(Square, SquareK)
TRUENO_SIMD_LOOPS(Reciprocal, ReciprocalK)
TRUENO_SIMD_LOOPS(Floor, FloorK)
TRUENO_SIMD_LOOPS(Ceil, CeilK)
TRUENO_SIMD_LOOPS(Trunc, TruncK)
TRUENO_SIMD_LOOPS(Round, RoundK)
TRUENO_SIMD_LOOPS(Sign, SignK)
TRUENO_SIMD_LOOP(Tan, float, TanKF32)
TRUENO_SIMD_LOOP(Tan, double, TanKF64)
#undef TRUENO_SIMD_LOOPS
#undef TRUENO_SIMD_LOOP

}  // namespace trueno::simd
#endif  // HWY_ONCE

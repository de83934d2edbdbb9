// Per-target SIMD helpers shared by the kernels of simd_math.cpp and
// simd_nn.cpp (Highway's -inl.h idiom: included once per target after
// foreach_target.h, so no ordinary include guard).
#if defined(TRUENO_KERNELS_SIMD_MATH_INL_H_) == defined(HWY_TARGET_TOGGLE)
#ifdef TRUENO_KERNELS_SIMD_MATH_INL_H_
#undef TRUENO_KERNELS_SIMD_MATH_INL_H_
#else
#define TRUENO_KERNELS_SIMD_MATH_INL_H_
#endif

#include <cmath>
#include <cstdint>
#include <cstring>
#include <type_traits>
#include <limits>

#include "hwy/highway.h"
#include "hwy/contrib/math/math-inl.h"

HWY_BEFORE_NAMESPACE();
namespace trueno::simd {
namespace HWY_NAMESPACE {
namespace hn = hwy::HWY_NAMESPACE;

template <class D> using V = hn::Vec<D>;
template <class D> using M = hn::Mask<D>;
template <class D> HWY_INLINE V<D> PosInf(D d) { return hn::Set(d, std::numeric_limits<hn::TFromD<D>>::infinity()); }
template <class D> HWY_INLINE V<D> QNaN(D d) { return hn::Set(d, std::numeric_limits<hn::TFromD<D>>::quiet_NaN()); }
template <class D> HWY_INLINE V<D> C(D d, double c) { return hn::Set(d, static_cast<hn::TFromD<D>>(c)); }
template <class D> constexpr bool IsF32(D) { return sizeof(hn::TFromD<D>) == 4; }

// Largest x with finite exp(x): float32 0x42B17217, float64 0x40862E42FEFA39EF.
template <class D> HWY_INLINE V<D> ExpMax(D d) {
  return IsF32(d) ? C(d, 88.72283172607421875) : C(d, 709.782712893383973096);
}

// e^x for |x| below ExpFastLimit, where 2^q stays a normal number: q =
// round(x / ln2) by adding 1.5 * 2^(mantissa bits) (the integer lands in the
// low bits, no float->int conversion), Highway's reduction and polynomial,
// and one exact multiply by 2^q built from q's bits. Highway's own Exp
// scales by two multiplies and, in float64, demotes q to int32 and promotes
// it back, which made it 1.6x slower than NumPy.
template <class D> HWY_INLINE V<D> ExpFastLimit(D d) { return IsF32(d) ? C(d, 87.0) : C(d, 708.0); }
template <class D> HWY_INLINE V<D> ExpFast(D d, V<D> x) {
  using T = hn::TFromD<D>;
  using TI = hwy::MakeSigned<T>;
  const hn::RebindToSigned<D> di;
  constexpr int kMantissaBits = IsF32(D()) ? 23 : 52;
  const V<D> shift = C(d, 1.5 * static_cast<double>(TI{1} << kMantissaBits));
  const V<D> z = hn::MulAdd(x, C(d, 1.442695040888963407359924681), shift);
  const V<D> qf = hn::Sub(z, shift);
  V<D> r;
  if constexpr (IsF32(D())) {
    r = hn::MulAdd(qf, C(d, -0.693145751953125), x);
    r = hn::MulAdd(qf, C(d, -1.428606765330187045e-6), r);
  } else {
    r = hn::MulAdd(qf, C(d, -0.6931471805596629565116018), x);
    r = hn::MulAdd(qf, C(d, -0.28235290563031577122588448175e-12), r);
  }
  hn::impl::ExpImpl<T> impl;
  const V<D> p = hn::Add(impl.ExpPoly(d, r), C(d, 1.0));
  TI shift_bits;
  const T shift_value = static_cast<T>(1.5 * static_cast<double>(TI{1} << kMantissaBits));
  std::memcpy(&shift_bits, &shift_value, sizeof(T));
  const TI bias = (TI{1} << (sizeof(T) * 8 - kMantissaBits - 2)) - 1;  // 127 or 1023
  const auto q_biased = hn::Add(hn::BitCast(di, z), hn::Set(di, static_cast<TI>(bias - shift_bits)));
  return hn::Mul(p, hn::BitCast(d, hn::ShiftLeft<kMantissaBits>(q_biased)));
}


// e^x for any x: ExpFast where the whole vector allows it, else Highway's
// Exp (which gives 0 for NaN and garbage above the overflow threshold;
// callers here pass x <= 0).
template <class D> HWY_INLINE V<D> ExpNonPositiveAny(D d, V<D> x) {
  if (HWY_LIKELY(hn::AllTrue(d, hn::Lt(hn::Abs(x), ExpFastLimit(d))))) return ExpFast(d, x);
  return hn::Exp(d, x);
}

// The exact product a b as hi + lo (FMA, or Dekker's split without it).
template <class D> HWY_INLINE V<D> TwoProd(D d, V<D> a, V<D> b, V<D>& lo) {
  const V<D> hi = hn::Mul(a, b);
#if HWY_NATIVE_FMA
  (void)d;
  lo = hn::MulSub(a, b, hi);
#else
  // 2^(ceil(mantissa/2)) + 1: 2^27 + 1 for float64, 2^12 + 1 for float32
  const V<D> split = C(d, sizeof(hn::TFromD<D>) == 8 ? 134217729.0 : 4097.0);
  const V<D> ca = hn::Mul(a, split), cb = hn::Mul(b, split);
  const V<D> ah = hn::Sub(ca, hn::Sub(ca, a)), al = hn::Sub(a, ah);
  const V<D> bh = hn::Sub(cb, hn::Sub(cb, b)), bl = hn::Sub(b, bh);
  lo = hn::MulAdd(al, bl, hn::MulAdd(al, bh, hn::MulAdd(ah, bl, hn::MulAdd(ah, bh, hn::Neg(hi)))));
#endif
  return hi;
}
// The exact sum a + b as hi + lo (Knuth's TwoSum: any order of magnitudes).
template <class D> HWY_INLINE V<D> TwoSum(V<D> a, V<D> b, V<D>& lo) {
  const V<D> s = hn::Add(a, b);
  const V<D> bb = hn::Sub(s, a);
  lo = hn::Add(hn::Sub(a, hn::Sub(s, bb)), hn::Sub(b, bb));
  return s;
}
// Compensated Horner (Graillat, Langlois, Louvet): sum c[k] a^k for k <=
// kDeg as hi + lo, as accurate as Horner in twice the precision. Plain
// Horner of ErfcF64's degree-10 rationals erred by up to 9 ULP.
template <int kDeg, class D> HWY_INLINE V<D> CompensatedHorner(D d, const double* c, V<D> a, V<D>& lo) {
  V<D> hi = C(d, c[kDeg]);
  lo = hn::Zero(d);
  for (int k = kDeg - 1; k >= 0; --k) {
    V<D> prod_err, sum_err;
    const V<D> prod = TwoProd(d, hi, a, prod_err);
    hi = TwoSum<D>(prod, C(d, c[k]), sum_err);
    lo = hn::MulAdd(lo, a, hn::Add(prod_err, sum_err));
  }
  return hi;
}

// erfc(z) for float64 lanes, given |z| and z^2 = hi + lo exactly (so the
// caller can form z^2 without the rounding of z: gelu passes z = -x/sqrt(2),
// z^2 = x^2/2), |z| = az + az_lo (az_lo used only when kCompensated). erfc|z| = e^(-z^2) R(|z|), R = P/Q a rational of degree
// (10, 10) fitted to erfcx on [0, 27.5] (linearised least squares with Lawson
// reweighting in 50-digit arithmetic; relative error 2.7e-17 = 0.22 ULP over
// a dense check); e^(-hi - lo) = e^(-hi) (1 - lo). P and Q are evaluated by
// compensated Horner and divided in double-double, and the correction for lo
// joins R's low part, so only the products with the factor and e^(-hi) and
// e^(-hi) itself round. Beyond |z| = 27.5 erfc underflows to 0. Measured
// (benchmarks/ulp.py and tests/test_simd_erf.py, gelu against 40/50-digit
// mpmath): float64 at most 2.5 ULP on every target (6.8 with plain Horner).
// Returns factor * erfc(z) for z of sign `negative`; the
// factor multiplies R before e^(-z^2), so a subnormal result is rounded once.
// kCompensated = false: plain Horner and one division (float32 results,
// where 9 float64 ULP are far below float32's rounding).
template <bool kCompensated, class D>
HWY_INLINE V<D> ErfcF64(D d, V<D> az, V<D> az_lo, V<D> hi, V<D> lo, hn::Mask<D> negative, V<D> factor) {
  static constexpr double kP[] = {1.0, 2.1643412823417933, 2.320721268583564, 1.5811586149898675,
                                  0.7466270731834708, 0.2522807592909902, 0.060972718660886514,
                                  0.010194991493072052, 0.0010776744717107569, 5.5606718272998034e-05,
                                  1.2741580680557926e-17};
  static constexpr double kQ[] = {1.0, 3.2927204494372986, 5.036158426798319, 4.723387194601972,
                                  3.017198460433033, 1.3764425039358046, 0.456141806829006,
                                  0.10902639377123946, 0.018119432114555415, 0.0019101282671406161,
                                  9.856034194282958e-05};
  const V<D> a = hn::Min(az, C(d, 27.5));
  V<D> r;
  if constexpr (kCompensated) {
    V<D> p_lo, q_lo;
    const V<D> p = CompensatedHorner<10>(d, kP, a, p_lo);
    const V<D> q = CompensatedHorner<10>(d, kQ, a, q_lo);
    // (p + p_lo) / (q + q_lo) = ratio + (p - ratio q + p_lo - ratio q_lo) / q,
    // p - ratio q exact (TwoProd, then a Sterbenz subtraction).
    const V<D> ratio = hn::Div(p, q);
    V<D> m_lo;
    const V<D> m = TwoProd(d, ratio, q, m_lo);
    const V<D> residual = hn::Add(hn::Sub(hn::Sub(p, m), m_lo), hn::NegMulAdd(ratio, q_lo, p_lo));
    const V<D> ratio_lo = hn::Div(residual, q);
    // R(az + az_lo) = R + az_lo R', R' = 2 az R - 2/sqrt(pi) (R is erfcx):
    // without it the rounding of z costs up to 1 ULP (R ~ 1/z).
    const V<D> slope = hn::MulSub(hn::Add(a, a), ratio, C(d, 1.1283791670955126));
    const V<D> tail = hn::MulAdd(hn::IfThenElse(hn::Lt(az, C(d, 27.5)), az_lo, hn::Zero(d)), slope, ratio_lo);
    // R (1 - lo) = ratio + (tail - ratio lo), rounded once.
    r = hn::Add(ratio, hn::NegMulAdd(ratio, lo, tail));
  } else {
    V<D> p = C(d, kP[10]), q = C(d, kQ[10]);
    for (int k = 9; k >= 0; --k) {
      p = hn::MulAdd(p, a, C(d, kP[k]));
      q = hn::MulAdd(q, a, C(d, kQ[k]));
    }
    const V<D> ratio = hn::Div(p, q);
    r = hn::NegMulAdd(ratio, lo, ratio);
  }
  const V<D> h = hn::Min(hi, C(d, 800.0));
  V<D> below, e;
  if (HWY_LIKELY(hn::AllTrue(d, hn::Lt(h, ExpFastLimit(d))))) {
    e = ExpFast(d, hn::Neg(h));
    // (factor r) e with factor r exact as fr + fr_lo: one rounding fewer.
    V<D> fr_lo;
    const V<D> fr = TwoProd(d, factor, r, fr_lo);
    below = hn::MulAdd(fr, e, hn::Mul(fr_lo, e));
  } else {
    // e^(-h) may be subnormal: as (e^(-h/2))^2, the result rounded once.
    const V<D> e_half = hn::Exp(d, hn::Mul(h, C(d, -0.5)));
    e = hn::Mul(e_half, e_half);
    below = hn::Mul(hn::Mul(hn::Mul(factor, r), e_half), e_half);
  }
  const V<D> above = hn::Mul(factor, hn::NegMulAdd(r, e, C(d, 2.0)));
  return hn::IfThenElse(negative, above, below);
}

// Unary kernels are functors K with operator()(d, x) -> vector and
// kFallback; when kFallback, K::Fallback(d, x) names lanes to recompute
// with the scalar functor K::Op (kernels/scalar_math.h).
// One vector from src to dst (which may be the same memory).
template <class D, class K>
HWY_INLINE void Block(D d, const K& k, const hn::TFromD<D>* src, hn::TFromD<D>* dst) {
  using T = hn::TFromD<D>;
  const V<D> x = hn::LoadU(d, src);
  if constexpr (K::kFallback) {
    const M<D> m = k.Fallback(d, x);
    if (HWY_UNLIKELY(!hn::AllFalse(d, m))) {
      constexpr size_t kMax = 64 / sizeof(T);
      HWY_ALIGN T xs[kMax], rs[kMax], ms[kMax];
      const size_t N = hn::Lanes(d);
      hn::Store(x, d, xs);
      hn::Store(k(d, x), d, rs);
      hn::Store(hn::VecFromMask(d, m), d, ms);
      for (size_t j = 0; j < N; ++j) {
        T mj;
        std::memcpy(&mj, &ms[j], sizeof(T));
        dst[j] = (mj != T(0) || std::isnan(mj)) ? K::Op::template apply<T>(xs[j]) : rs[j];
      }
      return;
    }
  }
  hn::StoreU(k(d, x), d, dst);
}

// Stores float32 results `r` computed in the float64 lanes of `d` (rounded
// once), except the lanes of `fallback`, which take scalar(j): the float32
// functor on lane j's own inputs.
template <class D, class DF, class Scalar>
HWY_INLINE void StoreF32WithFallback(D d, DF df, V<DF> r, M<D> fallback, float* out, Scalar&& scalar) {
  if (HWY_LIKELY(hn::AllFalse(d, fallback))) {
    hn::StoreU(r, df, out);
    return;
  }
  HWY_ALIGN float rs[8];
  HWY_ALIGN double ms[8];
  hn::Store(r, df, rs);
  hn::Store(hn::VecFromMask(d, fallback), d, ms);
  for (size_t j = 0; j < hn::Lanes(d); ++j) {
    uint64_t bits;
    std::memcpy(&bits, &ms[j], sizeof(bits));
    out[j] = bits ? scalar(j) : rs[j];
  }
}

// A kernel with `static constexpr bool kMemoryBound = true` (one cheap
// instruction an element) runs at most 256-bit vectors: on this Xeon 512-bit
// loads and stores streamed L2-resident arrays ~15% slower than AVX2's.
template <class K, class = void>
struct MemoryBound : std::false_type {};
template <class K>
struct MemoryBound<K, std::enable_if_t<K::kMemoryBound>> : std::true_type {};

// A memory-bound kernel whose instruction is a floating-point multiply
// sets `static constexpr size_t kStreamBytes = 16`: see MulV in
// simd_arith.cpp (wide multiplies streamed ~35% slower on this Xeon).
template <class K, class = void>
struct StreamBytes : std::integral_constant<size_t, 32> {};
template <class K>
struct StreamBytes<K, std::void_t<decltype(K::kStreamBytes)>>
    : std::integral_constant<size_t, K::kStreamBytes> {};

template <class T, size_t kBytes = 32>
using StreamTag = hn::CappedTag<T, kBytes / sizeof(T)>;
template <class T, class K>
using KernelTag = std::conditional_t<MemoryBound<K>::value, StreamTag<T, StreamBytes<K>::value>,
                                     hn::ScalableTag<T>>;

template <class T, class K>
HWY_INLINE void UnaryContiguous(const T* in, T* out, size_t n) {
  const KernelTag<T, K> d;
  const size_t N = hn::Lanes(d);
  const K k;
  size_t i = 0;
  for (; i + N <= n; i += N) Block(d, k, in + i, out + i);
  if (i < n) {
    constexpr size_t kMax = 64 / sizeof(T);
    HWY_ALIGN T buf[kMax] = {};
    const size_t rem = n - i;
    for (size_t j = 0; j < rem; ++j) buf[j] = in[i + j];
    Block(d, k, buf, buf);
    for (size_t j = 0; j < rem; ++j) out[i + j] = buf[j];
  }
}

}  // namespace HWY_NAMESPACE
}  // namespace trueno::simd
HWY_AFTER_NAMESPACE();

#endif  // TRUENO_KERNELS_SIMD_MATH_INL_H_

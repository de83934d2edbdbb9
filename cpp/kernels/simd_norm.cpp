// Vector-norm kernels for float32 and float64 on every Highway target, chosen
// at run time (core/isa.h pins the target). See simd_norm.h for the contract.
//
// Numerics (why each formula):
// - Sums (ord 1, 2, 0, p) accumulate in float64 lanes. float32 input is
//   widened as loaded: its squares cannot overflow (3.4e38^2 = 1.2e77) nor
//   underflow (the smallest subnormal, 2^-149, squares to a normal 2^-298), so
//   one pass is exact up to float64 rounding and the float32 result is
//   rounded once; widening costs one convert per 1-8 elements, which the
//   L1/L2-bound loop hides (float32 vector_norm at 100K: ~3.5x NumPy's sdot).
// - float64 ord 2: one fast pass of x^2 sums; only when that sum is +inf with
//   no infinite input, or below kEuclidSafeMin (where squares may have
//   underflowed), the row is summed again with every element multiplied by
//   2^-e, e the binary exponent of max |x| (two multiplies by powers of two,
//   each exact, so that 2^-e is reachable for subnormal maxima too): the
//   scaled squares lie in [0, 4), nothing overflows, and those that underflow
//   are below 2^-1022 of a sum >= 1. The result is 2^e sqrt(sum), which
//   overflows only when the norm itself does. Why not Blue's algorithm or
//   dnrm2's three accumulators: they classify every element (a compare and
//   a select per element on top of the FMA), paid on every call to guard a
//   case that, here, costs a second pass only when it happens.
// - Rows are summed in blocks of 512 elements: four accumulators of Lanes
//   lanes each take 512 / (4 Lanes) additions (16 on AVX3, 128 on SCALAR),
//   and block totals are added with Neumaier's compensation, so the error
//   does not grow with the length (NumPy's pairwise add.reduce: ~16 +
//   log2(n/128) additions deep; its ddot/sdot for ord 2: n / accumulators).
//   Columns (the column form) add row after row, as NumPy's add.reduce
//   along a non-contiguous axis does.
// - ord p: the first pass finds max |x| (p > 0) or min |x| (p < 0): the term
//   that dominates the sum. Every |x| is scaled by 2^-e of it (exact), so the
//   dominant term is in [1, 2)^p and no term overflows; the root is scaled
//   back with ldexp. Zero, infinite and NaN extremes give their limits
//   directly (p > 0: max 0 -> 0, inf -> inf; p < 0: a zero -> 0, all
//   infinite -> inf), as NumPy's unscaled formula does.
// - Count: not (x == 0), since x86's ordered != says NaN == 0.
// - Max/min of |x| propagate NaN (a mask in rows, a select in columns:
//   Highway's Max/Min leave NaN order to the target).
#include <cmath>
#include <cstring>
#include <limits>

#include "kernels/simd_norm.h"

#undef HWY_TARGET_INCLUDE
#define HWY_TARGET_INCLUDE "kernels/simd_norm.cpp"
#include "hwy/foreach_target.h"  // IWYU pragma: keep
#include "hwy/highway.h"

HWY_BEFORE_NAMESPACE();
namespace trueno::simd::norm {
namespace HWY_NAMESPACE {
namespace hn = hwy::HWY_NAMESPACE;

using DD = hn::ScalableTag<double>;

// Lanes(DD) elements of x, as float64.
template <class T>
HWY_INLINE hn::Vec<DD> LoadWide(DD dd, const T* HWY_RESTRICT x) {
  if constexpr (sizeof(T) == 8) {
    return hn::LoadU(dd, x);
  } else {
    const hn::Rebind<float, DD> df;
    return hn::PromoteTo(dd, hn::LoadU(df, x));
  }
}

// Rows shorter than this are summed in scalar code: the vector path's lane
// sums cost more than the row (matrix_norm(ord=inf) of 10000 4x4 float32:
// 838 -> 85 us, NumPy 900 us).
constexpr size_t kShortRow = 16;

// sum over i of f(x_i), f(v, acc) = acc + term(v) on float64 lanes (see the
// note on blocks at the top); f1 is f on one float64.
template <class T, class F, class F1>
double SumRow(const T* HWY_RESTRICT x, size_t len, F f, F1 f1) {
  if (len < kShortRow) {
    double acc = 0;
    for (size_t i = 0; i < len; ++i) acc = f1(double(x[i]), acc);
    return acc;
  }
  const DD dd;
  const size_t N = hn::Lanes(dd);
  constexpr size_t kBlock = 512;  // elements (see the note on blocks at the top)
  auto a0 = hn::Zero(dd), a1 = hn::Zero(dd), a2 = hn::Zero(dd), a3 = hn::Zero(dd);
  auto four = [&](size_t i) {
    a0 = f(LoadWide(dd, x + i), a0);
    a1 = f(LoadWide(dd, x + i + N), a1);
    a2 = f(LoadWide(dd, x + i + 2 * N), a2);
    a3 = f(LoadWide(dd, x + i + 3 * N), a3);
  };
  size_t i = 0;
  double h = 0, l = 0;  // the compensated total of the whole blocks
  if (len > kBlock) {  // (one block needs no compensation: the per-row cost of short rows)
    auto hi = hn::Zero(dd), lo = hn::Zero(dd);
    for (; i + kBlock <= len; i += kBlock) {
      a0 = a1 = a2 = a3 = hn::Zero(dd);
      for (size_t j = i; j < i + kBlock; j += 4 * N) four(j);
      const auto b = hn::Add(hn::Add(a0, a1), hn::Add(a2, a3));
      const auto t = hn::Add(hi, b);  // Neumaier: lo gathers what t lost
      const auto big = hn::Ge(hn::Abs(hi), hn::Abs(b));
      lo = hn::Add(lo, hn::IfThenElse(big, hn::Add(hn::Sub(hi, t), b), hn::Add(hn::Sub(b, t), hi)));
      hi = t;
    }
    a0 = a1 = a2 = a3 = hn::Zero(dd);
    h = hn::GetLane(hn::SumOfLanes(dd, hi));
    l = hn::GetLane(hn::SumOfLanes(dd, lo));
  }
  for (; i + 4 * N <= len; i += 4 * N) four(i);
  for (; i + N <= len; i += N) a0 = f(LoadWide(dd, x + i), a0);
  double r = hn::GetLane(hn::SumOfLanes(dd, hn::Add(hn::Add(a0, a1), hn::Add(a2, a3))));
  // (a scalar tail: a zero-padded copy to load stalls on store forwarding,
  // ~15% of a 100-element row)
  for (; i < len; ++i) r = f1(double(x[i]), r);
  // An infinite block total leaves inf - inf = NaN in the compensation: not a term.
  if (!std::isfinite(h)) return h + r;
  return h + (l + r);
}

// max |x| (is_max; 0 for len 0) or min |x| (+inf for len 0) in T lanes; NaN if x holds one.
template <bool is_max, class T>
T ExtremumRow(const T* HWY_RESTRICT x, size_t len) {
  const hn::ScalableTag<T> d;
  const size_t N = hn::Lanes(d);
  const T start = is_max ? T(0) : std::numeric_limits<T>::infinity();
  T best = start;
  bool has_nan = false;
  size_t i = 0;
  if (len >= 2 * N) {  // (shorter rows: the lane reductions would cost more than the row)
    auto acc0 = hn::Set(d, start), acc1 = acc0;
    auto nan = hn::Lt(acc0, acc0);  // all false
    for (; i + 2 * N <= len; i += 2 * N) {
      const auto v0 = hn::LoadU(d, x + i), v1 = hn::LoadU(d, x + i + N);
      nan = hn::Or(nan, hn::Or(hn::IsNaN(v0), hn::IsNaN(v1)));
      if constexpr (is_max) {
        acc0 = hn::Max(acc0, hn::Abs(v0));
        acc1 = hn::Max(acc1, hn::Abs(v1));
      } else {
        acc0 = hn::Min(acc0, hn::Abs(v0));
        acc1 = hn::Min(acc1, hn::Abs(v1));
      }
    }
    if constexpr (is_max) best = hn::GetLane(hn::MaxOfLanes(d, hn::Max(acc0, acc1)));
    else best = hn::GetLane(hn::MinOfLanes(d, hn::Min(acc0, acc1)));
    has_nan = !hn::AllFalse(d, nan);
  }
  for (; i < len; ++i) {
    const T a = std::fabs(x[i]);
    has_nan |= std::isnan(a);
    best = is_max ? (a > best ? a : best) : (a < best ? a : best);
  }
  return has_nan ? std::numeric_limits<T>::quiet_NaN() : best;
}

template <class T>
double SumAbs(const T* x, size_t len) {
  return SumRow(x, len, [](auto v, auto acc) { return hn::Add(acc, hn::Abs(v)); },
                [](double v, double acc) { return acc + std::fabs(v); });
}

template <class T>
double SumSquares(const T* x, size_t len) {
  return SumRow(x, len, [](auto v, auto acc) { return hn::MulAdd(v, v, acc); },
                [](double v, double acc) { return acc + v * v; });
}

template <class T>
double CountNonzero(const T* x, size_t len) {
  const DD dd;
  const auto one = hn::Set(dd, 1.0), zero = hn::Zero(dd);
  return SumRow(x, len,
                [&](auto v, auto acc) { return hn::Add(acc, hn::IfThenElseZero(hn::Not(hn::Eq(v, zero)), one)); },
                [](double v, double acc) { return acc + (v != 0 ? 1.0 : 0.0); });
}

// The second pass of a float64 2-norm whose sum of squares `s` left the
// safe range (kept out of line: inlined, its set-up slowed every short row ~3x).
HWY_NOINLINE double EuclidRescaled(const double* x, size_t len, double s) {
  if (std::isnan(s)) return s;
  const double m = ExtremumRow<true>(x, len);
  if (m == 0 || std::isinf(m)) return m;  // all zero; an infinite element
  const int e = std::ilogb(m);
  const double s1 = std::ldexp(1.0, -e / 2), s2 = std::ldexp(1.0, -e - (-e / 2));
  const DD dd;
  const auto c1 = hn::Set(dd, s1), c2 = hn::Set(dd, s2);
  const double scaled = SumRow(
      x, len,
      [&](auto v, auto acc) {
        const auto w = hn::Mul(hn::Mul(v, c1), c2);
        return hn::MulAdd(w, w, acc);
      },
      [&](double v, double acc) {
        const double w = v * s1 * s2;
        return acc + w * w;
      });
  return std::ldexp(std::sqrt(scaled), e);
}

template <class T>
double Euclid(const T* x, size_t len) {
  const double s = SumSquares(x, len);
  if constexpr (sizeof(T) == 4) {
    return std::sqrt(s);  // float64 squares of float32: always in range
  } else {
    if (s >= kEuclidSafeMin && s <= std::numeric_limits<double>::max()) return std::sqrt(s);
    return EuclidRescaled(x, len, s);
  }
}

template <class T>
double PowerNorm(const T* x, size_t len, double p) {
  if (std::isnan(p)) return p;
  if (len == 0) return p > 0 ? 0.0 : std::numeric_limits<double>::infinity();
  const double m = p > 0 ? ExtremumRow<true>(x, len) : ExtremumRow<false>(x, len);
  if (std::isnan(m) || m == 0 || std::isinf(m)) return m;
  const int e = std::ilogb(m);
  double sum = 0, comp = 0;  // Neumaier (the pow calls cost far more)
  for (size_t i = 0; i < len; ++i) {
    const double term = std::pow(std::ldexp(std::fabs(double(x[i])), -e), p);
    const double t = sum + term;
    comp += std::fabs(sum) >= std::fabs(term) ? (sum - t) + term : (term - t) + sum;
    sum = t;
  }
  return std::ldexp(std::pow(sum + comp, 1.0 / p), e);
}

template <class T>
void Rows(int k, double p, const T* in, int64_t row_stride, size_t rows, size_t len, T* out) {
  for (size_t r = 0; r < rows; ++r, in += row_stride) {
    double v;
    switch (static_cast<Kind>(k)) {
      case Kind::Sum: v = SumAbs(in, len); break;
      case Kind::Euclid: v = Euclid(in, len); break;
      case Kind::Max: out[r] = ExtremumRow<true>(in, len); continue;
      case Kind::Min: out[r] = ExtremumRow<false>(in, len); continue;
      case Kind::Count: v = CountNonzero(in, len); break;
      default: v = PowerNorm(in, len, p); break;
    }
    out[r] = static_cast<T>(v);
  }
}

// acc[j] (+)= over r < nrows of f(row_r[j]): each column's accumulator stays
// in a register while the rows pass.
template <Kind kind, class T>
void AccumulateKind(const T* HWY_RESTRICT in, int64_t row_stride, size_t nrows, size_t len,
                    double* HWY_RESTRICT acc, bool init) {
  const DD dd;
  const size_t N = hn::Lanes(dd);
  const auto zero = hn::Zero(dd), one = hn::Set(dd, 1.0);
  auto combine = [&](hn::Vec<DD> v, hn::Vec<DD> a) {
    if constexpr (kind == Kind::Sum) return hn::Add(a, hn::Abs(v));
    else if constexpr (kind == Kind::Euclid) return hn::MulAdd(v, v, a);
    else if constexpr (kind == Kind::Count) return hn::Add(a, hn::IfThenElseZero(hn::Not(hn::Eq(v, zero)), one));
    else if constexpr (kind == Kind::Max)  // NaN wins either way round
      return hn::IfThenElse(hn::Or(hn::Lt(a, hn::Abs(v)), hn::IsNaN(v)), hn::Abs(v), a);
    else
      return hn::IfThenElse(hn::Or(hn::Gt(a, hn::Abs(v)), hn::IsNaN(v)), hn::Abs(v), a);
  };
  auto combine1 = [](double v, double o) {
    const double a = std::fabs(v);
    if constexpr (kind == Kind::Sum) return o + a;
    else if constexpr (kind == Kind::Euclid) return std::fma(v, v, o);
    else if constexpr (kind == Kind::Count) return o + (v != 0 ? 1.0 : 0.0);
    else if constexpr (kind == Kind::Max) return o < a || std::isnan(a) ? a : o;
    else return o > a || std::isnan(a) ? a : o;
  };
  constexpr bool extremum = kind == Kind::Max || kind == Kind::Min;
  size_t j = 0;
  for (; j + N <= len; j += N) {
    const T* p = in + j;
    size_t r = 0;
    auto a = hn::LoadU(dd, acc + j);
    if (init) {
      const auto v = LoadWide(dd, p);
      a = extremum ? hn::Abs(v) : combine(v, zero);
      p += row_stride;
      r = 1;
    }
    for (; r < nrows; ++r, p += row_stride) a = combine(LoadWide(dd, p), a);
    hn::StoreU(a, dd, acc + j);
  }
  for (; j < len; ++j) {
    const T* p = in + j;
    size_t r = 0;
    double a = acc[j];
    if (init) {
      a = extremum ? std::fabs(double(*p)) : combine1(double(*p), 0.0);
      p += row_stride;
      r = 1;
    }
    for (; r < nrows; ++r, p += row_stride) a = combine1(double(*p), a);
    acc[j] = a;
  }
}

template <class T>
void Accumulate(int k, const T* in, int64_t row_stride, size_t nrows, size_t len, double* acc, bool init) {
  switch (static_cast<Kind>(k)) {
    case Kind::Sum: return AccumulateKind<Kind::Sum>(in, row_stride, nrows, len, acc, init);
    case Kind::Euclid: return AccumulateKind<Kind::Euclid>(in, row_stride, nrows, len, acc, init);
    case Kind::Count: return AccumulateKind<Kind::Count>(in, row_stride, nrows, len, acc, init);
    case Kind::Max: return AccumulateKind<Kind::Max>(in, row_stride, nrows, len, acc, init);
    default: return AccumulateKind<Kind::Min>(in, row_stride, nrows, len, acc, init);
  }
}

#define TRUENO_NORM_KERNELS(T, S)                                                                 \
  void Rows##S(int k, double p, const T* in, int64_t row_stride, size_t rows, size_t len, T* out) { \
    Rows<T>(k, p, in, row_stride, rows, len, out);                                                \
  }                                                                                               \
  void Accumulate##S(int k, const T* in, int64_t row_stride, size_t nrows, size_t len, double* acc, \
                     bool init) {                                                                 \
    Accumulate<T>(k, in, row_stride, nrows, len, acc, init);                                      \
  }
TRUENO_NORM_KERNELS(float, F32)
TRUENO_NORM_KERNELS(double, F64)
#undef TRUENO_NORM_KERNELS

}  // namespace HWY_NAMESPACE
}  // namespace trueno::simd::norm
HWY_AFTER_NAMESPACE();

#if HWY_ONCE
namespace trueno::simd::norm {

HWY_EXPORT(RowsF32);
HWY_EXPORT(RowsF64);
HWY_EXPORT(AccumulateF32);
HWY_EXPORT(AccumulateF64);

void rows(Kind k, double p, const float* in, int64_t row_stride, size_t rows, size_t len, float* out) {
  HWY_DYNAMIC_DISPATCH(RowsF32)(static_cast<int>(k), p, in, row_stride, rows, len, out);
}
void rows(Kind k, double p, const double* in, int64_t row_stride, size_t rows, size_t len, double* out) {
  HWY_DYNAMIC_DISPATCH(RowsF64)(static_cast<int>(k), p, in, row_stride, rows, len, out);
}
void accumulate(Kind k, const float* in, int64_t row_stride, size_t nrows, size_t len, double* acc, bool init) {
  HWY_DYNAMIC_DISPATCH(AccumulateF32)(static_cast<int>(k), in, row_stride, nrows, len, acc, init);
}
void accumulate(Kind k, const double* in, int64_t row_stride, size_t nrows, size_t len, double* acc, bool init) {
  HWY_DYNAMIC_DISPATCH(AccumulateF64)(static_cast<int>(k), in, row_stride, nrows, len, acc, init);
}

}  // namespace trueno::simd::norm
#endif  // HWY_ONCE

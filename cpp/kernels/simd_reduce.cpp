// SIMD reductions for float32 and float64 on every Highway target (see
// kernels/simd_reduce.h). Max/min/argmax/argmin work in blocks: a vector
// pass finds the block's extremum and whether it holds a NaN; argmax/argmin
// then look for the first lane equal to it only in blocks that improve on
// the best so far (rare for most data). Sums keep NumPy-like pairwise
// accuracy: leaves of up to 8 vectors of lanes accumulate in vectors, leaves
// are added pairwise as vectors, and the lanes are summed at the end.
#include <cstring>
#include <limits>
#include <type_traits>

// The integer types with SIMD extremum kernels: one list for the per-target
// definitions and the dispatch entry points below.
#ifndef TRUENO_FOR_EACH_INT
#define TRUENO_FOR_EACH_INT(X) \
  X(int8_t, I8) X(int16_t, I16) X(int32_t, I32) X(int64_t, I64) \
  X(uint8_t, U8) X(uint16_t, U16) X(uint32_t, U32) X(uint64_t, U64)
#endif

#undef HWY_TARGET_INCLUDE
#define HWY_TARGET_INCLUDE "kernels/simd_reduce.cpp"
#include "hwy/foreach_target.h"  // IWYU pragma: keep
#include "hwy/highway.h"

#include "kernels/simd_reduce.h"

HWY_BEFORE_NAMESPACE();
namespace trueno::simd {
namespace HWY_NAMESPACE {
namespace hn = hwy::HWY_NAMESPACE;

template <bool IsMax, class V> HWY_INLINE V Pick(V a, V b) {
  if constexpr (IsMax) return hn::Max(a, b);
  else return hn::Min(a, b);
}
template <bool IsMax, class T> HWY_INLINE T PickS(T a, T b) {
  if constexpr (IsMax) return b > a ? b : a;
  else return b < a ? b : a;
}

// Extremum of x[0..n), n >= 1, into *out; false (and *out untouched) when
// x holds a NaN (floating T only).
template <bool IsMax, class T>
HWY_INLINE bool BlockExt(const T* HWY_RESTRICT x, size_t n, T* out) {
  constexpr bool kFloat = hwy::IsFloat<T>();
  const hn::ScalableTag<T> d;
  const size_t N = hn::Lanes(d);
  size_t i;
  T best;
  // SCALAR target, 8/16-bit integers: GCC's auto-vectorisation of the
  // 4-accumulator loop below gave wrong maxima for n % 64 in 1..3 (measured),
  // so that target uses the plain loop at the end for integers.
  constexpr bool kVector = kFloat || HWY_TARGET != HWY_SCALAR;
  if (kVector && n >= N) {
    auto a0 = hn::LoadU(d, x);
    auto a1 = a0, a2 = a0, a3 = a0;
    // A NaN anywhere makes this running sum NaN: four adds a step instead
    // of four NaN compares and three mask ORs, which on AVX3 queue on the
    // one mask port (min of 100K float32, interleaved runs: AVX3 6.5-7.4 ->
    // 4.6-5.1 us, AVX2 6.3-6.8 -> 5.5-5.8). A NaN sum without a NaN
    // (inf - inf, or an overflow) is rare and rechecked exactly below.
    [[maybe_unused]] auto poison = a0;
    i = N;
    for (; i + 4 * N <= n; i += 4 * N) {
      const auto v0 = hn::LoadU(d, x + i), v1 = hn::LoadU(d, x + i + N);
      const auto v2 = hn::LoadU(d, x + i + 2 * N), v3 = hn::LoadU(d, x + i + 3 * N);
      if constexpr (kFloat) poison = hn::Add(poison, hn::Add(hn::Add(v0, v1), hn::Add(v2, v3)));
      a0 = Pick<IsMax>(a0, v0);
      a1 = Pick<IsMax>(a1, v1);
      a2 = Pick<IsMax>(a2, v2);
      a3 = Pick<IsMax>(a3, v3);
    }
    for (; i + N <= n; i += N) {
      const auto v = hn::LoadU(d, x + i);
      if constexpr (kFloat) poison = hn::Add(poison, v);
      a0 = Pick<IsMax>(a0, v);
    }
    if constexpr (kFloat) {
      if (!hn::AllFalse(d, hn::IsNaN(poison))) {
        size_t k = 0;
        for (; k + N <= i; k += N)
          if (!hn::AllFalse(d, hn::IsNaN(hn::LoadU(d, x + k)))) return false;
      }
    }
    a0 = Pick<IsMax>(Pick<IsMax>(a0, a1), Pick<IsMax>(a2, a3));
    if constexpr (kFloat) {
      best = hn::GetLane(IsMax ? hn::MaxOfLanes(d, a0) : hn::MinOfLanes(d, a0));
    } else {  // MaxOfLanes is missing for some integer types in Highway 1.0.3
      HWY_ALIGN T lanes[hn::MaxLanes(d)];
      hn::Store(a0, d, lanes);
      best = lanes[0];
      for (size_t k = 1; k < N; ++k) best = PickS<IsMax>(best, lanes[k]);
    }
  } else {
    best = x[0];
    if (best != best) return false;
    i = 1;
  }
  for (; i < n; ++i) {
    const T v = x[i];
    if (v != v) return false;
    best = PickS<IsMax>(best, v);
  }
  *out = best;
  return true;
}

// First index k < n with x[k] == e (or, when e is NaN, x[k] a NaN); n if none.
template <class T>
HWY_INLINE size_t FindFirst(const T* HWY_RESTRICT x, size_t n, T e) {
  const hn::ScalableTag<T> d;
  const size_t N = hn::Lanes(d);
  size_t i = 0;
  if (e == e) {
    const auto ve = hn::Set(d, e);
    for (; i + N <= n; i += N) {
      const auto m = hn::Eq(hn::LoadU(d, x + i), ve);
      if (!hn::AllFalse(d, m)) return i + static_cast<size_t>(hn::FindFirstTrue(d, m));
    }
    for (; i < n; ++i)
      if (x[i] == e) return i;
  } else if constexpr (hwy::IsFloat<T>()) {
    for (; i + N <= n; i += N) {
      const auto m = hn::IsNaN(hn::LoadU(d, x + i));
      if (!hn::AllFalse(d, m)) return i + static_cast<size_t>(hn::FindFirstTrue(d, m));
    }
    for (; i < n; ++i)
      if (x[i] != x[i]) return i;
  }
  return n;
}

template <bool IsMax, class T>
HWY_INLINE T Extremum(const T* HWY_RESTRICT x, size_t n, bool* nan) {
  constexpr size_t B = 8192;  // NaN ends the scan at the end of its block
  T best = x[0];
  for (size_t c = 0; c < n; c += B) {
    const size_t m = n - c < B ? n - c : B;
    T e;
    if (!BlockExt<IsMax>(x + c, m, &e)) {
      *nan = true;
      return x[c];  // unused: the caller returns NaN (floating T only)
    }
    best = PickS<IsMax>(best, e);
  }
  return best;
}

template <bool IsMax, class T>
HWY_INLINE int64_t ArgExtremum(const T* HWY_RESTRICT x, size_t n) {
  constexpr size_t B = 2048;
  T best = x[0];
  size_t where = 0;
  for (size_t c = 0; c < n; c += B) {
    const size_t m = n - c < B ? n - c : B;
    T e;
    if (!BlockExt<IsMax>(x + c, m, &e)) {
      if constexpr (hwy::IsFloat<T>())
        return static_cast<int64_t>(c + FindFirst(x + c, m, std::numeric_limits<T>::quiet_NaN()));
    }
    if (IsMax ? e > best : e < best) {
      best = e;
      where = c + FindFirst(x + c, m, e);
    }
  }
  return static_cast<int64_t>(where);
}

// Pairwise sum as a vector: n a multiple of N, n >= N.
template <class D>
HWY_NOINLINE hn::Vec<D> SumVec(D d, const hn::TFromD<D>* HWY_RESTRICT x, size_t n) {
  const size_t N = hn::Lanes(d);
  if (n <= 32 * N) {  // a leaf: 4 vector accumulators, each lane 8 adds deep
    auto a0 = hn::Zero(d), a1 = hn::Zero(d), a2 = hn::Zero(d), a3 = hn::Zero(d);
    size_t i = 0;
    for (; i + 4 * N <= n; i += 4 * N) {
      a0 = hn::Add(a0, hn::LoadU(d, x + i));
      a1 = hn::Add(a1, hn::LoadU(d, x + i + N));
      a2 = hn::Add(a2, hn::LoadU(d, x + i + 2 * N));
      a3 = hn::Add(a3, hn::LoadU(d, x + i + 3 * N));
    }
    for (; i < n; i += N) a0 = hn::Add(a0, hn::LoadU(d, x + i));
    return hn::Add(hn::Add(a0, a1), hn::Add(a2, a3));
  }
  size_t n2 = n / 2;
  n2 -= n2 % N;
  return hn::Add(SumVec(d, x, n2), SumVec(d, x + n2, n - n2));
}

template <class T>
HWY_INLINE T Sum(const T* HWY_RESTRICT x, size_t n) {
  const hn::ScalableTag<T> d;
  const size_t N = hn::Lanes(d);
  const size_t nv = n - n % N;
  T tail = T(0);
  for (size_t i = nv; i < n; ++i) tail += x[i];
  if (nv == 0) return tail;
  return hn::GetLane(hn::SumOfLanes(d, SumVec(d, x, nv))) + tail;
}

// Product of x[0..n): 4 vector accumulators, then the lanes in order.
template <class T>
HWY_INLINE T Prod(const T* HWY_RESTRICT x, size_t n) {
  const hn::ScalableTag<T> d;
  const size_t N = hn::Lanes(d);
  size_t i = 0;
  T r = T(1);
  if (n >= 4 * N) {
    auto a0 = hn::Set(d, T(1)), a1 = a0, a2 = a0, a3 = a0;
    for (; i + 4 * N <= n; i += 4 * N) {
      a0 = hn::Mul(a0, hn::LoadU(d, x + i));
      a1 = hn::Mul(a1, hn::LoadU(d, x + i + N));
      a2 = hn::Mul(a2, hn::LoadU(d, x + i + 2 * N));
      a3 = hn::Mul(a3, hn::LoadU(d, x + i + 3 * N));
    }
    HWY_ALIGN T lanes[hn::MaxLanes(d)];
    hn::Store(hn::Mul(hn::Mul(a0, a1), hn::Mul(a2, a3)), d, lanes);
    for (size_t k = 0; k < N; ++k) r *= lanes[k];
  }
  for (; i < n; ++i) r *= x[i];
  return r;
}

// Product of float32 x[0..n) in float64 lanes, for the caller to round once:
// float32 products leave float32's range after two extreme factors, and
// then the order of the multiplications decided between inf and a finite
// answer; in float64 it takes more than eight.
HWY_INLINE double ProdWide(const float* HWY_RESTRICT x, size_t n) {
  const hn::ScalableTag<double> d;
  const hn::Rebind<float, decltype(d)> df;
  const size_t N = hn::Lanes(d);
  size_t i = 0;
  double r = 1.0;
  if (n >= 4 * N) {
    auto a0 = hn::Set(d, 1.0), a1 = a0, a2 = a0, a3 = a0;
    for (; i + 4 * N <= n; i += 4 * N) {
      a0 = hn::Mul(a0, hn::PromoteTo(d, hn::LoadU(df, x + i)));
      a1 = hn::Mul(a1, hn::PromoteTo(d, hn::LoadU(df, x + i + N)));
      a2 = hn::Mul(a2, hn::PromoteTo(d, hn::LoadU(df, x + i + 2 * N)));
      a3 = hn::Mul(a3, hn::PromoteTo(d, hn::LoadU(df, x + i + 3 * N)));
    }
    HWY_ALIGN double lanes[hn::MaxLanes(d)];
    hn::Store(hn::Mul(hn::Mul(a0, a1), hn::Mul(a2, a3)), d, lanes);
    for (size_t k = 0; k < N; ++k) r *= lanes[k];
  }
  for (; i < n; ++i) r *= static_cast<double>(x[i]);
  return r;
}

// The product of rows r .. r + k - 1 at column j, in float64 (k = 1 or 4).
template <size_t K, class D>
HWY_INLINE hn::Vec<D> RowsProduct(D d, const char* in, int64_t rs, size_t r, size_t j) {
  const hn::Rebind<float, D> df;
  auto row = [&](size_t i) {
    return hn::PromoteTo(d, hn::LoadU(df, reinterpret_cast<const float*>(in + static_cast<int64_t>(r + i) * rs) + j));
  };
  if constexpr (K == 1) return row(0);
  else return hn::Mul(hn::Mul(row(0), row(1)), hn::Mul(row(2), row(3)));
}

// out[j] (*)= product over rows of row_r[j] in float64 (see ProdWide), four
// rows at a time; out in tiles of 1024 columns, which stay in L1.
HWY_INLINE void RowProdWide(double* HWY_RESTRICT out, const char* in, size_t len, size_t nrows, int64_t rs,
                            bool init) {
  const hn::ScalableTag<double> d;
  const hn::CappedTag<double, 1> d1;
  const size_t N = hn::Lanes(d);
  constexpr size_t kTile = 1024;
  auto step = [&](auto k, double* o, const char* p, size_t r, size_t m, bool first) {
    size_t j = 0;
    for (; j + N <= m; j += N) {
      const auto v = RowsProduct<decltype(k)::value>(d, p, rs, r, j);
      hn::StoreU(first ? v : hn::Mul(hn::LoadU(d, o + j), v), d, o + j);
    }
    for (; j < m; ++j) {
      const auto v = RowsProduct<decltype(k)::value>(d1, p, rs, r, j);
      hn::StoreU(first ? v : hn::Mul(hn::LoadU(d1, o + j), v), d1, o + j);
    }
  };
  for (size_t j0 = 0; j0 < len; j0 += kTile) {
    const size_t m = len - j0 < kTile ? len - j0 : kTile;
    const char* p = in + j0 * sizeof(float);
    size_t r = 0;
    for (; r + 4 <= nrows; r += 4) step(std::integral_constant<size_t, 4>(), out + j0, p, r, m, init && r == 0);
    for (; r < nrows; ++r) step(std::integral_constant<size_t, 1>(), out + j0, p, r, m, init && r == 0);
  }
}

template <int Op, class V> HWY_INLINE V Combine(V a, V b) {
  if constexpr (Op == 0) return hn::Add(a, b);
  else if constexpr (Op == 1) return hn::Mul(a, b);
  else if constexpr (!hwy::IsFloat<hn::TFromV<V>>()) {
    return Op == 2 ? hn::Max(a, b) : hn::Min(a, b);
  } else {
    const auto any_nan = hn::Or(hn::IsNaN(a), hn::IsNaN(b));
    const auto r = Op == 2 ? hn::Max(a, b) : hn::Min(a, b);
    return hn::IfThenElse(any_nan, hn::Add(a, b), r);
  }
}

// A row's lanes as combined: Op 4 (sum of squared deviations) loads
// (x - mean)^2, every other op x itself.
template <int Op, class D, class T>
HWY_INLINE hn::Vec<D> Ld(D d, const T* p, const T* mean, size_t j) {
  if constexpr (Op == 4) {
    const auto dv = hn::Sub(hn::LoadU(d, p + j), hn::LoadU(d, mean + j));
    return hn::Mul(dv, dv);
  } else {
    (void)mean;
    return hn::LoadU(d, p + j);
  }
}

// out[0..len) op= rows; len <= a tile, so out stays in L1.
template <int Op, class T>
HWY_INLINE void RowTile(T* HWY_RESTRICT out, const char* in, size_t len, size_t nrows,
                        int64_t rs, const T* mean) {
  constexpr int C = Op == 4 ? 0 : Op;  // how rows combine
  const hn::ScalableTag<T> d;
  const size_t N = hn::Lanes(d);
  const hn::CappedTag<T, 1> d1;
  auto row = [&](size_t r) { return reinterpret_cast<const T*>(in + static_cast<int64_t>(r) * rs); };
  size_t r = 0;
  for (; r + 4 <= nrows; r += 4) {
    const T *p0 = row(r), *p1 = row(r + 1), *p2 = row(r + 2), *p3 = row(r + 3);
    size_t j = 0;
    for (; j + N <= len; j += N) {
      const auto v = Combine<C>(Combine<C>(Ld<Op>(d, p0, mean, j), Ld<Op>(d, p1, mean, j)),
                                Combine<C>(Ld<Op>(d, p2, mean, j), Ld<Op>(d, p3, mean, j)));
      hn::StoreU(Combine<C>(hn::LoadU(d, out + j), v), d, out + j);
    }
    for (; j < len; ++j) {
      const auto v = Combine<C>(Combine<C>(Ld<Op>(d1, p0, mean, j), Ld<Op>(d1, p1, mean, j)),
                                Combine<C>(Ld<Op>(d1, p2, mean, j), Ld<Op>(d1, p3, mean, j)));
      hn::StoreU(Combine<C>(hn::LoadU(d1, out + j), v), d1, out + j);
    }
  }
  for (; r < nrows; ++r) {
    const T* p = row(r);
    size_t j = 0;
    for (; j + N <= len; j += N)
      hn::StoreU(Combine<C>(hn::LoadU(d, out + j), Ld<Op>(d, p, mean, j)), d, out + j);
    for (; j < len; ++j)
      hn::StoreU(Combine<C>(hn::LoadU(d1, out + j), Ld<Op>(d1, p, mean, j)), d1, out + j);
  }
}

constexpr size_t kTileBytes = 8192;

// Sums of rows (Op 0) or of squared deviations from mean (Op 4), pairwise
// over leaves of 128 rows (the pairwise accuracy of NumPy's contiguous sums,
// which NumPy's own axis-0 sums do not have).
template <int Op, class T>
void SumRowsPairwise(T* HWY_RESTRICT out, const char* in, size_t len, size_t nrows, int64_t rs,
                     bool init, const T* mean) {
  if (nrows <= 128) {
    size_t r0 = 0;
    if (init && Op == 0) {
      std::memcpy(out, in, len * sizeof(T));
      r0 = 1;
    } else if (init) {
      for (size_t j = 0; j < len; ++j) out[j] = T(0);
    }
    RowTile<Op, T>(out, in + static_cast<int64_t>(r0) * rs, len, nrows - r0, rs, mean);
    return;
  }
  const size_t h = nrows / 2;
  SumRowsPairwise<Op, T>(out, in, len, h, rs, init, mean);
  HWY_ALIGN T tmp[kTileBytes / sizeof(T)];
  SumRowsPairwise<Op, T>(tmp, in + static_cast<int64_t>(h) * rs, len, nrows - h, rs, true, mean);
  RowTile<0, T>(out, reinterpret_cast<const char*>(tmp), len, 1, 0, nullptr);
}

template <int Op, class T>
HWY_INLINE void RowReduceT(T* HWY_RESTRICT out, const char* in, size_t len, size_t nrows,
                           int64_t rs, bool init, const T* mean = nullptr) {
  constexpr size_t kTile = kTileBytes / sizeof(T);
  for (size_t j0 = 0; j0 < len; j0 += kTile) {
    const size_t m = len - j0 < kTile ? len - j0 : kTile;
    const char* p = in + j0 * sizeof(T);
    if constexpr (Op == 0 || Op == 4) {
      SumRowsPairwise<Op, T>(out + j0, p, m, nrows, rs, init, mean ? mean + j0 : nullptr);
      continue;
    }
    size_t r0 = 0;
    if (init) {
      std::memcpy(out + j0, p, m * sizeof(T));
      r0 = 1;
    }
    RowTile<Op, T>(out + j0, p + static_cast<int64_t>(r0) * rs, m, nrows - r0, rs, nullptr);
  }
}

// Argmax/argmin over rows for one column tile (len <= kArgTile): the best
// value and its row per column, in vectors (row index as a same-width
// integer; the caller keeps nrows below 2^31). First occurrence; the first
// NaN wins.
constexpr size_t kArgTile = 1024;

template <bool IsMax, class D>
HWY_INLINE void ArgStep(D d, const hn::TFromD<D>* p, hn::TFromD<D>* best,
                        hwy::MakeSigned<hn::TFromD<D>>* idx, size_t j, size_t r) {
  const hn::RebindToSigned<D> di;
  using I = hwy::MakeSigned<hn::TFromD<D>>;
  const auto v = hn::LoadU(d, p + j);
  const auto b = hn::LoadU(d, best + j);
  const auto better = IsMax ? hn::Gt(v, b) : hn::Lt(v, b);
  const auto upd = hn::AndNot(hn::IsNaN(b), hn::Or(hn::IsNaN(v), better));
  hn::StoreU(hn::IfThenElse(upd, v, b), d, best + j);
  hn::StoreU(hn::IfThenElse(hn::RebindMask(di, upd), hn::Set(di, static_cast<I>(r)), hn::LoadU(di, idx + j)),
             di, idx + j);
}

template <bool IsMax, class T>
HWY_INLINE void RowArgT(int64_t* out, const char* in, size_t len, size_t nrows, int64_t rs) {
  using I = hwy::MakeSigned<T>;
  const hn::ScalableTag<T> d;
  const hn::CappedTag<T, 1> d1;
  const size_t N = hn::Lanes(d);
  HWY_ALIGN T best[kArgTile];
  HWY_ALIGN I idx[kArgTile];
  for (size_t j0 = 0; j0 < len; j0 += kArgTile) {
    const size_t m = len - j0 < kArgTile ? len - j0 : kArgTile;
    const char* p0 = in + j0 * sizeof(T);
    std::memcpy(best, p0, m * sizeof(T));
    for (size_t j = 0; j < m; ++j) idx[j] = 0;
    for (size_t r = 1; r < nrows; ++r) {
      const T* p = reinterpret_cast<const T*>(p0 + static_cast<int64_t>(r) * rs);
      size_t j = 0;
      for (; j + N <= m; j += N) ArgStep<IsMax>(d, p, best, idx, j, r);
      for (; j < m; ++j) ArgStep<IsMax>(d1, p, best, idx, j, r);
    }
    for (size_t j = 0; j < m; ++j) out[j0 + j] = idx[j];
  }
}

template <class T>
HWY_INLINE void RowReduce(RowOp op, T* out, const char* in, size_t len, size_t nrows, int64_t rs,
                          bool init) {
  switch (op) {
    case RowOp::Sum: return RowReduceT<0, T>(out, in, len, nrows, rs, init);
    case RowOp::Prod: return RowReduceT<1, T>(out, in, len, nrows, rs, init);
    case RowOp::Max: return RowReduceT<2, T>(out, in, len, nrows, rs, init);
    case RowOp::Min: return RowReduceT<3, T>(out, in, len, nrows, rs, init);
  }
}

void RowSqDevKF32(const float* mean, float* out, const char* in, size_t len, size_t nrows, int64_t rs,
                  bool init) {
  RowReduceT<4, float>(out, in, len, nrows, rs, init, mean);
}
void RowSqDevKF64(const double* mean, double* out, const char* in, size_t len, size_t nrows,
                  int64_t rs, bool init) {
  RowReduceT<4, double>(out, in, len, nrows, rs, init, mean);
}
void RowArgKF32(bool is_max, int64_t* out, const char* in, size_t len, size_t nrows, int64_t rs) {
  if (is_max) RowArgT<true, float>(out, in, len, nrows, rs);
  else RowArgT<false, float>(out, in, len, nrows, rs);
}
void RowArgKF64(bool is_max, int64_t* out, const char* in, size_t len, size_t nrows, int64_t rs) {
  if (is_max) RowArgT<true, double>(out, in, len, nrows, rs);
  else RowArgT<false, double>(out, in, len, nrows, rs);
}

#define TRUENO_INT_EXT(T, NAME)                                                          \
  T ExtK##NAME(const T* x, size_t n, bool is_max) {                                      \
    bool nan = false;                                                                    \
    return is_max ? Extremum<true>(x, n, &nan) : Extremum<false>(x, n, &nan);            \
  }                                                                                      \
  int64_t ArgK##NAME(const T* x, size_t n, bool is_max) {                                \
    return is_max ? ArgExtremum<true>(x, n) : ArgExtremum<false>(x, n);                  \
  }                                                                                      \
  void RowExtK##NAME(bool is_max, T* out, const char* in, size_t len, size_t nrows,      \
                     int64_t rs, bool init) {                                            \
    if (is_max) RowReduceT<2, T>(out, in, len, nrows, rs, init);                         \
    else RowReduceT<3, T>(out, in, len, nrows, rs, init);                                \
  }
TRUENO_FOR_EACH_INT(TRUENO_INT_EXT)
#undef TRUENO_INT_EXT

float ExtF32(const float* x, size_t n, bool is_max, bool* nan) {
  return is_max ? Extremum<true>(x, n, nan) : Extremum<false>(x, n, nan);
}
double ExtF64(const double* x, size_t n, bool is_max, bool* nan) {
  return is_max ? Extremum<true>(x, n, nan) : Extremum<false>(x, n, nan);
}
int64_t ArgF32(const float* x, size_t n, bool is_max) {
  return is_max ? ArgExtremum<true>(x, n) : ArgExtremum<false>(x, n);
}
int64_t ArgF64(const double* x, size_t n, bool is_max) {
  return is_max ? ArgExtremum<true>(x, n) : ArgExtremum<false>(x, n);
}
float SumKF32(const float* x, size_t n) { return Sum(x, n); }
double SumKF64(const double* x, size_t n) { return Sum(x, n); }
double ProdWideKF32(const float* x, size_t n) { return ProdWide(x, n); }
void RowProdWideKF32(double* out, const char* in, size_t len, size_t nrows, int64_t rs, bool init) {
  RowProdWide(out, in, len, nrows, rs, init);
}
double ProdKF64(const double* x, size_t n) { return Prod(x, n); }
void RowF32(RowOp op, float* out, const char* in, size_t len, size_t nrows, int64_t rs, bool init) {
  RowReduce(op, out, in, len, nrows, rs, init);
}
void RowF64(RowOp op, double* out, const char* in, size_t len, size_t nrows, int64_t rs, bool init) {
  RowReduce(op, out, in, len, nrows, rs, init);
}

}  // namespace HWY_NAMESPACE
}  // namespace trueno::simd
HWY_AFTER_NAMESPACE();

#if HWY_ONCE
namespace trueno::simd {

#define TRUENO_INT_EXT(T, NAME)                                                          \
  HWY_EXPORT(ExtK##NAME);                                                                \
  HWY_EXPORT(ArgK##NAME);                                                                \
  T Extremum(const T* x, size_t n, bool is_max) {                                        \
    return HWY_DYNAMIC_DISPATCH(ExtK##NAME)(x, n, is_max);                               \
  }                                                                                      \
  int64_t ArgExtremum(const T* x, size_t n, bool is_max) {                               \
    return HWY_DYNAMIC_DISPATCH(ArgK##NAME)(x, n, is_max);                               \
  }                                                                                      \
  HWY_EXPORT(RowExtK##NAME);                                                             \
  void RowExtremum(bool is_max, T* out, const char* in, size_t len, size_t nrows,        \
                   int64_t row_stride, bool init) {                                      \
    HWY_DYNAMIC_DISPATCH(RowExtK##NAME)(is_max, out, in, len, nrows, row_stride, init);  \
  }
TRUENO_FOR_EACH_INT(TRUENO_INT_EXT)
#undef TRUENO_INT_EXT

HWY_EXPORT(ExtF32);
HWY_EXPORT(ExtF64);
HWY_EXPORT(ArgF32);
HWY_EXPORT(ArgF64);
HWY_EXPORT(SumKF32);
HWY_EXPORT(SumKF64);
HWY_EXPORT(ProdWideKF32);
HWY_EXPORT(RowProdWideKF32);
HWY_EXPORT(ProdKF64);
HWY_EXPORT(RowF32);
HWY_EXPORT(RowF64);
HWY_EXPORT(RowArgKF32);
HWY_EXPORT(RowSqDevKF32);
HWY_EXPORT(RowSqDevKF64);

void RowSqDevF32(const float* mean, float* out, const char* in, size_t len, size_t nrows,
                 int64_t row_stride, bool init) {
  HWY_DYNAMIC_DISPATCH(RowSqDevKF32)(mean, out, in, len, nrows, row_stride, init);
}
void RowSqDevF64(const double* mean, double* out, const char* in, size_t len, size_t nrows,
                 int64_t row_stride, bool init) {
  HWY_DYNAMIC_DISPATCH(RowSqDevKF64)(mean, out, in, len, nrows, row_stride, init);
}
HWY_EXPORT(RowArgKF64);

void RowArgF32(bool is_max, int64_t* out, const char* in, size_t len, size_t nrows, int64_t rs) {
  HWY_DYNAMIC_DISPATCH(RowArgKF32)(is_max, out, in, len, nrows, rs);
}
void RowArgF64(bool is_max, int64_t* out, const char* in, size_t len, size_t nrows, int64_t rs) {
  HWY_DYNAMIC_DISPATCH(RowArgKF64)(is_max, out, in, len, nrows, rs);
}

float ExtremumF32(const float* x, size_t n, bool is_max, bool* nan) {
  return HWY_DYNAMIC_DISPATCH(ExtF32)(x, n, is_max, nan);
}
double ExtremumF64(const double* x, size_t n, bool is_max, bool* nan) {
  return HWY_DYNAMIC_DISPATCH(ExtF64)(x, n, is_max, nan);
}
int64_t ArgExtremumF32(const float* x, size_t n, bool is_max) {
  return HWY_DYNAMIC_DISPATCH(ArgF32)(x, n, is_max);
}
int64_t ArgExtremumF64(const double* x, size_t n, bool is_max) {
  return HWY_DYNAMIC_DISPATCH(ArgF64)(x, n, is_max);
}
float SumF32(const float* x, size_t n) { return HWY_DYNAMIC_DISPATCH(SumKF32)(x, n); }
double SumF64(const double* x, size_t n) { return HWY_DYNAMIC_DISPATCH(SumKF64)(x, n); }
double ProdWideF32(const float* x, size_t n) { return HWY_DYNAMIC_DISPATCH(ProdWideKF32)(x, n); }
void RowProdWideF32(double* out, const char* in, size_t len, size_t nrows, int64_t row_stride, bool init) {
  HWY_DYNAMIC_DISPATCH(RowProdWideKF32)(out, in, len, nrows, row_stride, init);
}
double ProdF64(const double* x, size_t n) { return HWY_DYNAMIC_DISPATCH(ProdKF64)(x, n); }
void RowReduceF32(RowOp op, float* out, const char* in, size_t len, size_t nrows,
                  int64_t row_stride, bool init) {
  HWY_DYNAMIC_DISPATCH(RowF32)(op, out, in, len, nrows, row_stride, init);
}
void RowReduceF64(RowOp op, double* out, const char* in, size_t len, size_t nrows,
                  int64_t row_stride, bool init) {
  HWY_DYNAMIC_DISPATCH(RowF64)(op, out, in, len, nrows, row_stride, init);
}

}  // namespace trueno::simd
#endif  // HWY_ONCE

// Reduction and scan loops (see kernels/reduction.h). One template per kind,
// specialised by `if constexpr` on the element type; the table of loops is
// generated from the ReduceKind enumeration, not written out by hand.
//
// Float sums are pairwise (blocks of 128 with 8 accumulators, as NumPy), in
// the input's own precision, so float32 sums are as accurate as NumPy's.
// Contiguous float32/float64 runs go to the Highway kernels of
// kernels/simd_reduce.h (sum, max/min, argmax/argmin), chosen at run time.
#include "kernels/reduction.h"

#include <cmath>
#include <complex>
#include <limits>
#include <type_traits>
#include <utility>

#include "kernels/scalar_math.h"
#include "kernels/simd_reduce.h"

namespace trueno::kernels {
namespace {

template <class T> constexpr bool is_float_v = std::is_floating_point_v<T> || is_complex_v<T>;
template <class T> constexpr bool is_int_v = std::is_integral_v<T> && !std::is_same_v<T, bool>;

template <class T> inline T load(const char* p) { return read_element<T>(p); }

// float32/float64: the types with Highway kernels.
template <class T> constexpr bool has_simd_v = std::is_same_v<T, float> || std::is_same_v<T, double>;

template <class T> inline T simd_sum(const char* p, int64_t n) {
  if constexpr (std::is_same_v<T, float>) return simd::SumF32(reinterpret_cast<const float*>(p), size_t(n));
  else return simd::SumF64(reinterpret_cast<const double*>(p), size_t(n));
}
// The type float32 and complex64 products accumulate in (see ProdWide in
// kernels/simd_reduce.cpp); other types multiply in their own.
template <class T> struct wide_product { using type = T; };
template <> struct wide_product<float> { using type = double; };
template <> struct wide_product<complex64> { using type = complex128; };
template <class T> using wide_product_t = typename wide_product<T>::type;

template <class T> inline wide_product_t<T> simd_prod(const char* p, int64_t n) {
  if constexpr (std::is_same_v<T, float>) return simd::ProdWideF32(reinterpret_cast<const float*>(p), size_t(n));
  else return simd::ProdF64(reinterpret_cast<const double*>(p), size_t(n));
}
// Max/min/argmax/argmin kernels also exist for the integer types.
template <class T> constexpr bool has_simd_ext_v = has_simd_v<T> || is_int_v<T>;

template <bool IsMax, class T> inline T simd_extremum(const char* p, int64_t n, bool* nan) {
  if constexpr (std::is_same_v<T, float>)
    return simd::ExtremumF32(reinterpret_cast<const float*>(p), size_t(n), IsMax, nan);
  else if constexpr (std::is_same_v<T, double>)
    return simd::ExtremumF64(reinterpret_cast<const double*>(p), size_t(n), IsMax, nan);
  else return simd::Extremum(reinterpret_cast<const T*>(p), size_t(n), IsMax);
}
template <bool IsMax, class T> inline int64_t simd_arg(const char* p, int64_t n) {
  if constexpr (std::is_same_v<T, float>)
    return simd::ArgExtremumF32(reinterpret_cast<const float*>(p), size_t(n), IsMax);
  else if constexpr (std::is_same_v<T, double>)
    return simd::ArgExtremumF64(reinterpret_cast<const double*>(p), size_t(n), IsMax);
  else return simd::ArgExtremum(reinterpret_cast<const T*>(p), size_t(n), IsMax);
}

// Calls f(run_ptr, n, stride, run_index) for each innermost run of the block;
// f returns true to stop early. Runs all have shape[nd - 1] elements.
template <class F>
inline void for_each_run(const char* p, int nd, const int64_t* shape, const int64_t* strides, F&& f) {
  if (nd == 0) {
    f(p, int64_t(1), int64_t(0), int64_t(0));
    return;
  }
  for (int k = 0; k < nd; ++k)
    if (shape[k] == 0) return;
  const int64_t n = shape[nd - 1], s = strides[nd - 1];
  if (nd == 1) {  // one run: skip zeroing the counters, half the time of a 3-element sum
    f(p, n, s, int64_t(0));
    return;
  }
  int64_t counter[64] = {0};
  int64_t run = 0;
  for (;;) {
    if (f(p, n, s, run++)) return;
    int ax = nd - 2;
    for (; ax >= 0; --ax) {
      p += strides[ax];
      if (++counter[ax] < shape[ax]) break;
      p -= strides[ax] * shape[ax];
      counter[ax] = 0;
    }
    if (ax < 0) return;
  }
}

inline int64_t block_count(int nd, const int64_t* shape) {
  int64_t c = 1;
  for (int k = 0; k < nd; ++k) c *= shape[k];
  return c;
}

// Pairwise sum of f(x[i]) for i < n (n >= 1); Contig means s == sizeof(T).
template <class Acc, bool Contig, class T, class F>
Acc pairwise_impl(const char* p, int64_t n, int64_t s, const F& f) {
  auto at = [&](int64_t i) -> T {
    if constexpr (Contig) return read_element(reinterpret_cast<const T*>(p) + i);
    else return load<T>(p + i * s);
  };
  if (n < 8) {
    Acc r = Acc(0);  // NumPy's sum of [-0.0] is 0.0
    for (int64_t i = 0; i < n; ++i) r += f(at(i));
    return r;
  }
  if (n <= 128) {
    Acc r[8];
    for (int j = 0; j < 8; ++j) r[j] = f(at(j));
    int64_t i = 8;
    for (; i + 8 <= n; i += 8)
      for (int j = 0; j < 8; ++j) r[j] += f(at(i + j));
    Acc res = ((r[0] + r[1]) + (r[2] + r[3])) + ((r[4] + r[5]) + (r[6] + r[7]));
    for (; i < n; ++i) res += f(at(i));
    return res;
  }
  int64_t n2 = n / 2;
  n2 -= n2 % 8;
  return pairwise_impl<Acc, Contig, T>(p, n2, s, f) +
         pairwise_impl<Acc, Contig, T>(p + n2 * s, n - n2, s, f);
}

template <class Acc, class T, class F>
inline Acc pairwise(const char* p, int64_t n, int64_t s, const F& f) {
  if (s == int64_t(sizeof(T))) return pairwise_impl<Acc, true, T>(p, n, s, f);
  return pairwise_impl<Acc, false, T>(p, n, s, f);
}

struct Identity {
  template <class T> T operator()(T v) const { return v; }
};

// Sum of the block in T (floating: pairwise per run; integers wrap; bool: or).
template <class T>
T block_sum(const char* in, int nd, const int64_t* shape, const int64_t* strides) {
  T acc = T(0);
  bool first = true;
  for_each_run(in, nd, shape, strides, [&](const char* p, int64_t n, int64_t s, int64_t) {
    if constexpr (is_float_v<T>) {
      T part;
      if constexpr (has_simd_v<T>) {
        part = s == int64_t(sizeof(T)) ? simd_sum<T>(p, n) : pairwise<T, T>(p, n, s, Identity{});
      } else {
        part = pairwise<T, T>(p, n, s, Identity{});
      }
      acc = first ? part : acc + part;
      first = false;
    } else if constexpr (std::is_same_v<T, bool>) {
      for (int64_t i = 0; i < n && !acc; ++i) acc = load<bool>(p + i * s);
    } else {
      using U = std::make_unsigned_t<T>;
      U a = U(acc);
      if (s == int64_t(sizeof(T))) {
        const T* __restrict x = reinterpret_cast<const T*>(p);
        for (int64_t i = 0; i < n; ++i) a += U(read_element(x + i));
      } else {
        for (int64_t i = 0; i < n; ++i) a += U(load<T>(p + i * s));
      }
      acc = T(a);
    }
    return false;
  });
  return acc;
}

template <ReduceKind K, class T>
constexpr bool defined() {
  switch (K) {
    case ReduceKind::SumWide:
      return std::is_integral_v<T>;
    case ReduceKind::ProdWide:
      return std::is_same_v<T, float> || std::is_same_v<T, complex64>;
    case ReduceKind::Max: case ReduceKind::Min: case ReduceKind::ArgMax: case ReduceKind::ArgMin:
      return !is_complex_v<T>;
    case ReduceKind::Mean: case ReduceKind::Var:
      return is_float_v<T>;
    default:
      return true;
  }
}

template <bool IsMax, class T> inline T better(T v, T b) {
  if constexpr (IsMax) return v > b ? v : b;
  else return v < b ? v : b;
}

// Max/min of a run, 16 independent lanes so the compiler vectorises it. NaN
// is detected with v * 0 (NaN for NaN and infinities; infinities are told
// apart by a rescan, a rare path). Sets *nan when the run holds a NaN.
template <bool IsMax, class T>
T run_extremum(const char* p, int64_t n, int64_t s, T best, bool* nan) {
  if constexpr (has_simd_ext_v<T>)
    if (s == int64_t(sizeof(T)) && n > 0) return better<IsMax>(simd_extremum<IsMax, T>(p, n, nan), best);
  int64_t i = 0;
  if (s == int64_t(sizeof(T))) {
    const T* __restrict x = reinterpret_cast<const T*>(p);
    constexpr int W = 16;
    if (n >= W) {
      T acc[W], nz[W];
      for (int j = 0; j < W; ++j) {
        acc[j] = read_element(x + j);
        nz[j] = T(0);
      }
      for (i = W; i + W <= n; i += W)
        for (int j = 0; j < W; ++j) {
          acc[j] = better<IsMax>(read_element(x + i + j), acc[j]);
          if constexpr (std::is_floating_point_v<T>) nz[j] += x[i + j] * T(0);
        }
      bool flagged = false;
      for (int j = 0; j < W; ++j) {
        best = better<IsMax>(acc[j], best);
        if constexpr (std::is_floating_point_v<T>) flagged |= (nz[j] != nz[j]) || (x[j] != x[j]);
      }
      if (flagged)
        for (int64_t k = 0; k < i && !*nan; ++k) *nan = x[k] != x[k];
    }
  }
  for (; i < n; ++i) {
    T v = load<T>(p + i * s);
    if constexpr (std::is_floating_point_v<T>) *nan |= (v != v);
    best = better<IsMax>(v, best);
  }
  return best;
}

template <bool IsMax, class T>
T block_extremum(const char* in, int nd, const int64_t* shape, const int64_t* strides) {
  T best = load<T>(in);  // the caller guarantees a non-empty block
  bool nan = false;
  for_each_run(in, nd, shape, strides, [&](const char* p, int64_t n, int64_t s, int64_t) {
    best = run_extremum<IsMax, T>(p, n, s, best, &nan);
    return nan;
  });
  if constexpr (std::is_floating_point_v<T>)
    if (nan) return std::numeric_limits<T>::quiet_NaN();
  return best;
}

template <bool IsMax, class T>
int64_t block_arg(const char* in, int nd, const int64_t* shape, const int64_t* strides) {
  T best = load<T>(in);
  int64_t where = 0;
  constexpr int64_t kChunk = 256;
  for_each_run(in, nd, shape, strides, [&](const char* p, int64_t n, int64_t s, int64_t run) {
    if constexpr (has_simd_ext_v<T>) {
      if (s == int64_t(sizeof(T))) {
        const int64_t k = simd_arg<IsMax, T>(p, n);
        const T v = load<T>(p + k * s);
        if (v != v) {
          where = run * n + k;
          return true;
        }
        if (IsMax ? v > best : v < best) {
          best = v;
          where = run * n + k;
        }
        return false;
      }
    }
    for (int64_t c = 0; c < n; c += kChunk) {
      const int64_t m = n - c < kChunk ? n - c : kChunk;
      const char* q = p + c * s;
      bool nan = false;
      T e = run_extremum<IsMax, T>(q, m, s, load<T>(q), &nan);
      if (!nan && !(IsMax ? e > best : e < best)) continue;
      for (int64_t i = 0; i < m; ++i) {
        T v = load<T>(q + i * s);
        if constexpr (std::is_floating_point_v<T>) {
          if (v != v) {
            where = run * n + c + i;
            return true;
          }
        }
        if (IsMax ? v > best : v < best) {
          best = v;
          where = run * n + c + i;
        }
      }
    }
    return false;
  });
  return where;
}

template <ReduceKind K, class T>
void reduce_impl(const char* in, int nd, const int64_t* shape, const int64_t* strides, char* out,
                 const void* ctx) {
  using R = real_of_t<T>;
  if constexpr (K == ReduceKind::Sum) {
    *reinterpret_cast<T*>(out) = block_sum<T>(in, nd, shape, strides);
  } else if constexpr (K == ReduceKind::SumWide) {
    using W = std::conditional_t<std::is_signed_v<T> || std::is_same_v<T, bool>, int64_t, uint64_t>;
    uint64_t a = 0;
    for_each_run(in, nd, shape, strides, [&](const char* p, int64_t n, int64_t s, int64_t) {
      if (s == int64_t(sizeof(T))) {
        const T* __restrict x = reinterpret_cast<const T*>(p);
        for (int64_t i = 0; i < n; ++i) a += uint64_t(W(read_element(x + i)));
      } else {
        for (int64_t i = 0; i < n; ++i) a += uint64_t(W(load<T>(p + i * s)));
      }
      return false;
    });
    *reinterpret_cast<W*>(out) = W(a);
  } else if constexpr (K == ReduceKind::Prod || K == ReduceKind::ProdWide) {
    // Prod of float32/complex64 rounds the wide product once; ProdWide
    // leaves it wide (for partial products that are multiplied on).
    using A = wide_product_t<T>;
    A acc = A(1);
    for_each_run(in, nd, shape, strides, [&](const char* p, int64_t n, int64_t s, int64_t) {
      if constexpr (has_simd_v<T>) {
        if (s == int64_t(sizeof(T))) {
          acc *= simd_prod<T>(p, n);
          return false;
        }
      }
      for (int64_t i = 0; i < n; ++i) {
        T v = load<T>(p + i * s);
        if constexpr (std::is_same_v<T, bool>) acc = acc && v;
        else if constexpr (is_int_v<T>) acc = math::wrap_mul(acc, v);
        else acc = acc * static_cast<A>(v);
      }
      return false;
    });
    if constexpr (K == ReduceKind::ProdWide) *reinterpret_cast<A*>(out) = acc;
    else *reinterpret_cast<T*>(out) = static_cast<T>(acc);
  } else if constexpr (K == ReduceKind::Max || K == ReduceKind::Min) {
    *reinterpret_cast<T*>(out) = block_extremum<K == ReduceKind::Max, T>(in, nd, shape, strides);
  } else if constexpr (K == ReduceKind::ArgMax || K == ReduceKind::ArgMin) {
    *reinterpret_cast<int64_t*>(out) = block_arg<K == ReduceKind::ArgMax, T>(in, nd, shape, strides);
  } else if constexpr (K == ReduceKind::Mean) {
    int64_t count = block_count(nd, shape);
    *reinterpret_cast<T*>(out) = block_sum<T>(in, nd, shape, strides) / R(count);
  } else if constexpr (K == ReduceKind::Var) {
    const double correction = ctx ? *static_cast<const double*>(ctx) : 0.0;
    const int64_t count = block_count(nd, shape);
    const double dof = double(count) - correction;
    if (count == 0 || !(dof > 0)) {
      *reinterpret_cast<R*>(out) = std::numeric_limits<R>::quiet_NaN();
      return;
    }
    const T mean = block_sum<T>(in, nd, shape, strides) / R(count);
    R ss = R(0);
    bool first = true;
    auto sq = [mean](T v) -> R {
      T d = v - mean;
      if constexpr (is_complex_v<T>) return d.real() * d.real() + d.imag() * d.imag();
      else return d * d;
    };
    for_each_run(in, nd, shape, strides, [&](const char* p, int64_t n, int64_t s, int64_t) {
      R part = pairwise<R, T>(p, n, s, sq);
      ss = first ? part : ss + part;
      first = false;
      return false;
    });
    *reinterpret_cast<R*>(out) = ss / R(dof);
  } else if constexpr (K == ReduceKind::All || K == ReduceKind::Any) {
    constexpr bool want = K == ReduceKind::Any;  // the value that decides early
    bool result = !want;
    for_each_run(in, nd, shape, strides, [&](const char* p, int64_t n, int64_t s, int64_t) {
      for (int64_t i = 0; i < n; ++i)
        if ((load<T>(p + i * s) != T(0)) == want) {
          result = want;
          return true;
        }
      return false;
    });
    *reinterpret_cast<bool*>(out) = result;
  } else if constexpr (K == ReduceKind::CountNonzero) {
    int64_t c = 0;
    for_each_run(in, nd, shape, strides, [&](const char* p, int64_t n, int64_t s, int64_t) {
      for (int64_t i = 0; i < n; ++i) c += load<T>(p + i * s) != T(0);
      return false;
    });
    *reinterpret_cast<int64_t*>(out) = c;
  }
}

template <ReduceKind K, class T>
constexpr ReduceLoop entry() {
  if constexpr (defined<K, T>()) return &reduce_impl<K, T>;
  else return nullptr;
}

template <class T, size_t... K>
ReduceLoop pick(ReduceKind k, std::index_sequence<K...>) {
  constexpr ReduceLoop table[] = {entry<static_cast<ReduceKind>(K), T>()...};
  return table[static_cast<size_t>(k)];
}

template <ScanKind K, class T>
void scan_impl(const char* in, int64_t n, int64_t is, char* out, int64_t os, bool include_initial) {
  // Products as prod's (wide, each output rounded once); sums in T, as NumPy's.
  using A = std::conditional_t<K == ScanKind::Prod, wide_product_t<T>, T>;
  A acc = K == ScanKind::Sum ? A(0) : A(1);
  if (include_initial) {
    *reinterpret_cast<T*>(out) = static_cast<T>(acc);
    out += os;
  }
  if constexpr (!std::is_same_v<A, T>) {
    // The running product is one chain of dependent multiplications, and
    // float64's are slower than float32's: four factors are multiplied
    // together off the chain, which then takes one step per four elements
    // (a plain float64 chain was 45% slower than the float32 one; this is
    // as fast). The wide products go through a block, rounded in a loop of
    // their own.
    constexpr int64_t kBlock = 256;
    A wide[kBlock];
    auto next = [&] {
      const A v = static_cast<A>(load<T>(in));
      in += is;
      return v;
    };
    for (int64_t i0 = 0; i0 < n; i0 += kBlock) {
      const int64_t m = n - i0 < kBlock ? n - i0 : kBlock;
      int64_t i = 0;
      for (; i + 4 <= m; i += 4) {
        const A x0 = next(), p1 = x0 * next(), p2 = p1 * next(), p3 = p2 * next();
        wide[i] = acc * x0;
        wide[i + 1] = acc * p1;
        wide[i + 2] = acc * p2;
        wide[i + 3] = acc = acc * p3;
      }
      for (; i < m; ++i) wide[i] = acc = acc * next();
      for (i = 0; i < m; ++i, out += os) *reinterpret_cast<T*>(out) = static_cast<T>(wide[i]);
    }
  } else {
    for (int64_t i = 0; i < n; ++i, in += is, out += os) {
      T v = load<T>(in);
      if constexpr (std::is_same_v<T, bool>) acc = K == ScanKind::Sum ? (acc || v) : (acc && v);
      else if constexpr (is_int_v<T>) acc = K == ScanKind::Sum ? math::wrap_add(acc, v) : math::wrap_mul(acc, v);
      else acc = K == ScanKind::Sum ? acc + v : acc * v;
      *reinterpret_cast<T*>(out) = acc;
    }
  }
}

template <ReduceKind K, class T>
void block_sum_impl(char** data, const int64_t* strides, int64_t n, const void* ctx) {
  const int64_t* block = static_cast<const int64_t*>(ctx);
  const char* in = data[0];
  char* out = data[1];
  for (int64_t i = 0; i < n; ++i, in += strides[0], out += strides[1])
    reduce_impl<K, T>(in, 1, block, block + 1, out, nullptr);
}

}  // namespace

BlockSumLoop block_sum_loop(ReduceKind kind, DType d) {
  return visit_dtype(d, [kind](auto v) -> BlockSumLoop {
    using T = decltype(v);
    if constexpr (std::is_integral_v<T>)
      if (kind == ReduceKind::SumWide) return &block_sum_impl<ReduceKind::SumWide, T>;
    return kind == ReduceKind::Sum ? &block_sum_impl<ReduceKind::Sum, T> : nullptr;
  });
}

ReduceLoop reduce_loop(ReduceKind kind, DType d) {
  return visit_dtype(d, [kind](auto v) -> ReduceLoop {
    return pick<decltype(v)>(kind, std::make_index_sequence<kNumReduceKinds>());
  });
}

ScanLoop scan_loop(ScanKind kind, DType d) {
  return visit_dtype(d, [kind](auto v) -> ScanLoop {
    using T = decltype(v);
    return kind == ScanKind::Sum ? &scan_impl<ScanKind::Sum, T> : &scan_impl<ScanKind::Prod, T>;
  });
}

}  // namespace trueno::kernels

#include "kernels/sort.h"
#include "core/isa.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <numeric>
#include <optional>
#include <memory>
#include <type_traits>

#include <hwy/base.h>
#include <hwy/contrib/sort/vqsort.h>

// One small per-target function, so that asking which target is dispatched
// costs an indirect call: hwy::SupportedTargets() runs CPUID every time
// (~30 us in a VM).
#undef HWY_TARGET_INCLUDE
#define HWY_TARGET_INCLUDE "kernels/sort.cpp"
#include "hwy/foreach_target.h"  // IWYU pragma: keep
#include "hwy/highway.h"

HWY_BEFORE_NAMESPACE();
namespace trueno::kernels {
namespace HWY_NAMESPACE {
// Highway's vectorised quicksort is not built for SCALAR (nor EMU128): there
// it aborts on 128-bit keys and falls back to a heap sort otherwise.
bool TargetHasVqsort() { return HWY_TARGET != HWY_SCALAR && HWY_TARGET != HWY_EMU128; }

namespace hn = hwy::HWY_NAMESPACE;

// out[i] = cond[i] ? a[i] : b[i] on T-sized bit patterns, cond as bytes
// (0 or 1); a and b step 1 (contiguous) or 0 (one broadcast value).
template <class T>
HWY_INLINE void WhereDense(T* HWY_RESTRICT out, const uint8_t* HWY_RESTRICT cond, const T* a,
                           int64_t a_step, const T* b, int64_t b_step, int64_t n) {
  const hn::ScalableTag<T> d;
  const hn::Rebind<uint8_t, decltype(d)> d8;
  const int64_t N = static_cast<int64_t>(hn::Lanes(d));
  const auto a_value = hn::Set(d, a[0]), b_value = hn::Set(d, b[0]);
  int64_t i = 0;
  for (; i + N <= n; i += N) {
    const auto bytes = hn::LoadU(d8, cond + i);
    hn::Mask<decltype(d)> keep_a;
    if constexpr (sizeof(T) == 1) {
      keep_a = hn::Ne(bytes, hn::Zero(d8));
    } else if constexpr (sizeof(T) == 8) {  // no byte -> 64-bit promotion in Highway 1.0.3
      const hn::Rebind<uint32_t, decltype(d)> d32;
      keep_a = hn::Ne(hn::PromoteTo(d, hn::PromoteTo(d32, bytes)), hn::Zero(d));
    } else {
      keep_a = hn::Ne(hn::PromoteTo(d, bytes), hn::Zero(d));
    }
    const auto x = a_step ? hn::LoadU(d, a + i) : a_value;
    const auto y = b_step ? hn::LoadU(d, b + i) : b_value;
    hn::StoreU(hn::IfThenElse(keep_a, x, y), d, out + i);
  }
  for (; i < n; ++i) out[i] = cond[i] ? a[i * a_step] : b[i * b_step];
}
#define TRUENO_WHERE_DENSE(T, NAME)                                                                   \
  void NAME(T* out, const uint8_t* cond, const T* a, int64_t a_step, const T* b, int64_t b_step, \
            int64_t n) {                                                                          \
    WhereDense(out, cond, a, a_step, b, b_step, n);                                               \
  }
TRUENO_WHERE_DENSE(uint8_t, WhereDense1)
TRUENO_WHERE_DENSE(uint16_t, WhereDense2)
TRUENO_WHERE_DENSE(uint32_t, WhereDense4)
TRUENO_WHERE_DENSE(uint64_t, WhereDense8)
#undef TRUENO_WHERE_DENSE
}  // namespace HWY_NAMESPACE
}  // namespace trueno::kernels
HWY_AFTER_NAMESPACE();

#if HWY_ONCE

namespace trueno::kernels {
HWY_EXPORT(TargetHasVqsort);
HWY_EXPORT(WhereDense1);
HWY_EXPORT(WhereDense2);
HWY_EXPORT(WhereDense4);
HWY_EXPORT(WhereDense8);
namespace {

// Strict weak order "a before b" (ascending, NaN last).
template <class T> inline bool less(const T& a, const T& b) {
  if constexpr (is_complex_v<T>) {
    // NumPy's CLT: lexicographic with NaN parts sorting last.
    auto ar = a.real(), ai = a.imag(), br = b.real(), bi = b.imag();
    if (ar < br) return ai == ai || bi != bi;
    if (ar > br) return bi != bi && ai == ai;
    if (ar == br || (ar != ar && br != br)) return ai < bi || (bi != bi && ai == ai);
    return br != br;
  } else if constexpr (std::is_floating_point_v<T>) {
    return a < b || (b != b && a == a);
  } else {
    return a < b;
  }
}

template <class T> inline bool is_nan(const T& v) {
  if constexpr (std::is_floating_point_v<T>) return v != v;
  else return false;
}

// Stable sort of [first, last) by key(i) (values themselves or positions into
// a value array), NaN last ascending and first descending. Real floats split
// off NaNs first so the sort proper uses plain comparisons.
template <class T, class It, class Key>
void stable_sort_by(It first, It last, Key key, bool descending) {
  if constexpr (std::is_floating_point_v<T>) {
    if (descending) {
      It mid = std::stable_partition(first, last, [&](const auto& e) { return is_nan(key(e)); });
      std::stable_sort(mid, last, [&](const auto& a, const auto& b) { return key(b) < key(a); });
    } else {
      It mid = std::stable_partition(first, last, [&](const auto& e) { return !is_nan(key(e)); });
      std::stable_sort(first, mid, [&](const auto& a, const auto& b) { return key(a) < key(b); });
    }
  } else if constexpr (std::is_integral_v<T>) {
    // Equal integers are indistinguishable as values, but not as positions.
    if (descending)
      std::stable_sort(first, last, [&](const auto& a, const auto& b) { return key(b) < key(a); });
    else
      std::stable_sort(first, last, [&](const auto& a, const auto& b) { return key(a) < key(b); });
  } else {
    if (descending)
      std::stable_sort(first, last, [&](const auto& a, const auto& b) { return less(key(b), key(a)); });
    else
      std::stable_sort(first, last, [&](const auto& a, const auto& b) { return less(key(a), key(b)); });
  }
}

// Below this many elements std::sort wins over Highway's vectorised quicksort
// (its setup and sorting networks only pay off beyond a few dozen keys).
constexpr int64_t kVqsortMin = 64;

bool vqsort_usable() { return HWY_DYNAMIC_DISPATCH(TargetHasVqsort)(); }

// Making a Sorter costs ~25 us (an allocation and a random seed): one per thread.
const hwy::Sorter& thread_sorter() {
  static thread_local hwy::Sorter sorter;
  return sorter;
}

// The integer dtypes Highway's Sorter takes (no 8-bit keys). Floats go through
// integer keys: its float sort in Highway 1.0.3 turns +inf into the largest
// finite value.
template <class T>
constexpr bool kVqsortable = std::is_integral_v<T> && !std::is_same_v<T, bool> && sizeof(T) >= 2;

// A bijection of the non-NaN floats onto unsigned integers of their width
// that keeps their order (-0 before +0), and its inverse.
template <class T> using float_bits_t = std::conditional_t<sizeof(T) == 4, uint32_t, uint64_t>;
// Branch-free: the signs of real data are random, and a branch on them
// mispredicts every other element.
template <class T> float_bits_t<T> float_to_ordered(T v) {
  using U = float_bits_t<T>;
  constexpr int kTop = 8 * sizeof(T) - 1;
  U bits;
  std::memcpy(&bits, &v, sizeof bits);
  const U negative = U(0) - (bits >> kTop);        // all ones for a negative value
  return bits ^ (negative | (U(1) << kTop));       // negative: ~bits; else: bits | sign
}
template <class T> T ordered_to_float(float_bits_t<T> key) {
  using U = float_bits_t<T>;
  constexpr int kTop = 8 * sizeof(T) - 1;
  const U negative = U(0) - ((key >> kTop) ^ U(1));  // all ones where the value was negative
  const U bits = key ^ (negative | (U(1) << kTop));
  T v;
  std::memcpy(&v, &bits, sizeof v);
  return v;
}

// Ascending sort of n values holding no NaN (the order of equal values, -0
// and +0 included, is unspecified).
template <class T> void sort_plain(T* v, int64_t n) {
  std::optional<SameTargetScope> same_target;  // the Sorter dispatches again, inside
  if (n >= kVqsortMin) same_target.emplace();
  if (n >= kVqsortMin && vqsort_usable()) {
    if constexpr (kVqsortable<T>) {
      const hwy::Sorter& sorter = thread_sorter();
      sorter(v, static_cast<size_t>(n), hwy::SortAscending());
      return;
    } else if constexpr (std::is_floating_point_v<T>) {
      using U = float_bits_t<T>;
      static_assert(sizeof(U) == sizeof(T));
      U* keys = reinterpret_cast<U*>(v);  // in place: every element is read before its key is written
      for (int64_t i = 0; i < n; ++i) {
        const U k = float_to_ordered(v[i]);
        std::memcpy(&keys[i], &k, sizeof k);
      }
      const hwy::Sorter& sorter = thread_sorter();
      sorter(keys, static_cast<size_t>(n), hwy::SortAscending());
      for (int64_t i = 0; i < n; ++i) {
        U k;
        std::memcpy(&k, &keys[i], sizeof k);
        const T x = ordered_to_float<T>(k);
        std::memcpy(&v[i], &x, sizeof x);
      }
      return;
    }
  }
  std::sort(v, v + n);
}

// Copies n real values to out, sorted ascending with the NaNs after them in
// their input order; returns how many are not NaN.
template <class T> int64_t copy_sorted_nan_last(const T* in, int64_t n, T* out) {
  int64_t numbers = n;
  if constexpr (std::is_floating_point_v<T>) {
    int64_t nans = 0;
    for (int64_t i = 0; i < n; ++i) nans += in[i] != in[i];
    numbers = n - nans;
    if (nans == 0) {
      std::copy(in, in + n, out);
    } else {
      int64_t a = 0, b = numbers;
      for (int64_t i = 0; i < n; ++i) {
        if (in[i] == in[i]) out[a++] = in[i];
        else out[b++] = in[i];
      }
    }
  } else {
    std::copy(in, in + n, out);
  }
  sort_plain(out, numbers);
  return numbers;
}

// An unsigned key whose order is `less` for real T, with -0 equal to +0 and
// every NaN equal and last.
template <class T> auto order_key(T v) {
  if constexpr (std::is_same_v<T, bool>) {
    return static_cast<uint8_t>(v);
  } else if constexpr (std::is_unsigned_v<T>) {
    return v;
  } else if constexpr (std::is_integral_v<T>) {
    using U = std::make_unsigned_t<T>;
    return static_cast<U>(static_cast<U>(v) ^ (U(1) << (8 * sizeof(T) - 1)));
  } else {
    using U = float_bits_t<T>;
    if (v != v) return static_cast<U>(~U(0));
    return float_to_ordered(v == T(0) ? T(0) : v);  // -0 as +0
  }
}

// perm = 0..n-1 in the order stable_sort_by gives (NaN last ascending, first
// descending, ties by position), found by one vectorised sort of (key,
// position) pairs: unique pairs make an unstable sort stable, and sorting
// pairs in place beats std::stable_sort through an index several times.
// Returns false (perm untouched) where this does not apply.
template <class T> bool stable_argsort_packed(const T* in, int64_t n, int64_t* perm, bool descending) {
  if constexpr (is_complex_v<T>) {
    return false;
  } else {
    if (n < kVqsortMin) return false;
    SameTargetScope same_target;  // the Sorter dispatches again, inside
    if (!vqsort_usable()) return false;
    auto key = [&](int64_t i) {
      auto k = order_key(in[i]);
      return descending ? static_cast<decltype(k)>(~k) : k;
    };
    const hwy::Sorter& sorter = thread_sorter();
    if constexpr (sizeof(T) <= 4) {
      if (n > INT64_C(0xFFFFFFFF)) return false;  // positions must fit the low 32 bits
      std::unique_ptr<uint64_t[]> pairs(new uint64_t[static_cast<size_t>(n)]);
      for (int64_t i = 0; i < n; ++i) pairs[i] = (static_cast<uint64_t>(key(i)) << 32) | static_cast<uint64_t>(i);
      sorter(pairs.get(), static_cast<size_t>(n), hwy::SortAscending());
      for (int64_t i = 0; i < n; ++i) perm[i] = static_cast<int64_t>(pairs[i] & 0xFFFFFFFFu);
    } else {
      std::unique_ptr<hwy::uint128_t[]> pairs(new hwy::uint128_t[static_cast<size_t>(n)]);
      for (int64_t i = 0; i < n; ++i) {
        pairs[i].hi = static_cast<uint64_t>(key(i));
        pairs[i].lo = static_cast<uint64_t>(i);
      }
      sorter(pairs.get(), static_cast<size_t>(n), hwy::SortAscending());
      for (int64_t i = 0; i < n; ++i) perm[i] = static_cast<int64_t>(pairs[i].lo);
    }
    return true;
  }
}

template <class T>
void stable_argsort(const T* in, int64_t n, int64_t* perm, bool descending) {
  if (stable_argsort_packed(in, n, perm, descending)) return;
  std::iota(perm, perm + n, int64_t(0));
  stable_sort_by<T>(perm, perm + n, [in](int64_t p) -> const T& { return in[p]; }, descending);
}

// Sorts n real values of `lane` as stable_sort_by does, through an unstable
// sort: values that compare equal have equal bits except -0/+0 and NaNs, so
// stability shows only in the zeros' signs and the NaNs' order, restored
// here from the input. `spare` holds n values.
template <class T> void sort_values_stably(T* lane, int64_t n, bool descending, T* spare) {
  const int64_t numbers = copy_sorted_nan_last(lane, n, spare);
  if (descending) std::reverse(spare, spare + numbers);
  if constexpr (std::is_floating_point_v<T>) {
    T* zeros = std::lower_bound(spare, spare + numbers, T(0), [descending](T a, T b) {
      return descending ? b < a : a < b;
    });
    T* z = zeros;
    for (int64_t i = 0; i < n && z != spare + numbers && *z == T(0); ++i)
      if (lane[i] == T(0)) *z++ = lane[i];  // the zeros' signs in input order
  }
  T* out = lane;
  if (descending) out = std::copy(spare + numbers, spare + n, out);  // NaNs first
  out = std::copy(spare, spare + numbers, out);
  if (!descending) std::copy(spare + numbers, spare + n, out);
}

// Copies a lane of `length` values `stride` bytes apart to `buf`; bools
// as 0 or 1 (see read_element), the bytes their order is taken from.
template <class T> void stage_lane(const char* in, int64_t stride, int64_t length, T* buf) {
  if constexpr (std::is_same_v<T, bool>)
    for (int64_t k = 0; k < length; ++k) buf[k] = read_element<bool>(in + k * stride);
  else if (stride == static_cast<int64_t>(sizeof(T))) std::memcpy(buf, in, length * sizeof(T));
  else for (int64_t k = 0; k < length; ++k) std::memcpy(&buf[k], in + k * stride, sizeof(T));
}

template <class T>
void sort_lanes(char** data, const int64_t* strides, int64_t n, const void* ctx) {
  const auto& c = *static_cast<const SortLanes*>(ctx);
  T* buf = static_cast<T*>(c.scratch);
  std::unique_ptr<T[]> spare;
  if constexpr (!is_complex_v<T>) spare.reset(new T[static_cast<size_t>(c.length > 0 ? c.length : 1)]);
  for (int64_t i = 0; i < n; ++i) {
    const char* in = data[0] + i * strides[0];
    char* out = data[1] + i * strides[1];
    stage_lane(in, c.in_stride, c.length, buf);
    if constexpr (is_complex_v<T>) {
      stable_sort_by<T>(buf, buf + c.length, [](const T& v) -> const T& { return v; }, c.descending);
    } else {
      sort_values_stably(buf, c.length, c.descending, spare.get());
    }
    if (c.out_stride == static_cast<int64_t>(sizeof(T))) std::memcpy(out, buf, c.length * sizeof(T));
    else for (int64_t k = 0; k < c.length; ++k) std::memcpy(out + k * c.out_stride, &buf[k], sizeof(T));
  }
}

template <class T>
void argsort_lanes(char** data, const int64_t* strides, int64_t n, const void* ctx) {
  const auto& c = *static_cast<const SortLanes*>(ctx);
  T* buf = static_cast<T*>(c.scratch);
  int64_t* perm = c.perm;
  for (int64_t i = 0; i < n; ++i) {
    const char* in = data[0] + i * strides[0];
    char* out = data[1] + i * strides[1];
    stage_lane(in, c.in_stride, c.length, buf);
    stable_argsort(buf, c.length, perm, c.descending);
    for (int64_t k = 0; k < c.length; ++k) std::memcpy(out + k * c.out_stride, &perm[k], sizeof(int64_t));
  }
}

template <size_t N>
void where_bytes(char** data, const int64_t* strides, int64_t n, const void*) {
  char* out = data[0];
  const char* cond = data[1];
  const char* a = data[2];
  const char* b = data[3];
  // contiguous output and condition, each value operand contiguous or one
  // broadcast value: a vector select (~4x the general loop below)
  const int64_t sa = strides[2], sb = strides[3], size = static_cast<int64_t>(N);
  if constexpr (N <= 8) {
    if (strides[0] == size && strides[1] == 1 && (sa == 0 || sa == size) && (sb == 0 || sb == size)) {
      using T = std::conditional_t<N == 1, uint8_t, std::conditional_t<N == 2, uint16_t,
                std::conditional_t<N == 4, uint32_t, uint64_t>>>;
      const auto* c = reinterpret_cast<const uint8_t*>(cond);
      auto* o = reinterpret_cast<T*>(out);
      const auto* x = reinterpret_cast<const T*>(a);
      const auto* y = reinterpret_cast<const T*>(b);
      if constexpr (N == 1) HWY_DYNAMIC_DISPATCH(WhereDense1)(o, c, x, sa ? 1 : 0, y, sb ? 1 : 0, n);
      else if constexpr (N == 2) HWY_DYNAMIC_DISPATCH(WhereDense2)(o, c, x, sa ? 1 : 0, y, sb ? 1 : 0, n);
      else if constexpr (N == 4) HWY_DYNAMIC_DISPATCH(WhereDense4)(o, c, x, sa ? 1 : 0, y, sb ? 1 : 0, n);
      else HWY_DYNAMIC_DISPATCH(WhereDense8)(o, c, x, sa ? 1 : 0, y, sb ? 1 : 0, n);
      return;
    }
  }
  for (int64_t i = 0; i < n; ++i) {
    std::memcpy(out, read_element<bool>(cond) ? a : b, N);
    out += strides[0]; cond += strides[1]; a += strides[2]; b += strides[3];
  }
}

template <class T>
int64_t unique_typed(const T* in, int64_t n, T* values, int64_t* first, int64_t* inverse,
                     int64_t* counts, int64_t* perm) {
  if (n == 0) return 0;
  if constexpr (!is_complex_v<T>) {
    if (!first && !inverse) {
      // Values and counts need no positions: sort the values themselves.
      const int64_t numbers = copy_sorted_nan_last(in, n, values);
      // == keeps NaNs apart and merges -0 with +0, as the spec asks.
      int64_t k = 0;
      for (int64_t i = 0; i < numbers; ++i) {
        if (k == 0 || !(values[i] == values[k - 1])) {
          values[k] = values[i];
          if (counts) counts[k] = 0;
          ++k;
        }
        if (counts) ++counts[k - 1];
      }
      if constexpr (std::is_floating_point_v<T>) {
        // The zero kept is the first in input order, as a stable sort keeps it.
        const T* zero = std::lower_bound(values, values + k, T(0));
        if (zero != values + k && *zero == T(0))
          values[zero - values] = *std::find(in, in + n, T(0));
      }
      for (int64_t i = numbers; i < n; ++i, ++k) {
        values[k] = values[i];
        if (counts) counts[k] = 1;
      }
      return k;
    }
  }
  if (!perm) {
    std::copy(in, in + n, values);
    stable_sort_by<T>(values, values + n, [](const T& v) -> const T& { return v; }, false);
    int64_t k = 1;
    for (int64_t i = 1; i < n; ++i)
      if (!(values[i] == values[k - 1])) values[k++] = values[i];
    return k;
  }
  stable_argsort(in, n, perm, false);
  int64_t g = -1;
  for (int64_t i = 0; i < n; ++i) {
    const T& v = in[perm[i]];
    if (g < 0 || !(v == values[g])) {
      ++g;
      values[g] = v;  // the first occurrence (the sort is stable)
      if (first) first[g] = perm[i];
      if (counts) counts[g] = 0;
    }
    if (counts) ++counts[g];
    if (inverse) inverse[perm[i]] = g;
  }
  return g + 1;
}

template <class T>
void isin_typed(const T* x1, int64_t n1, T* x2, int64_t n2, bool invert, bool* out) {
  if constexpr (is_complex_v<T>) {
    stable_sort_by<T>(x2, x2 + n2, [](const T& v) -> const T& { return v; }, false);
  } else {
    // Membership ignores the order of equal values, so any sort does.
    std::unique_ptr<T[]> sorted(new T[static_cast<size_t>(n2 > 0 ? n2 : 1)]);
    copy_sorted_nan_last(x2, n2, sorted.get());
    std::copy(sorted.get(), sorted.get() + n2, x2);
  }
  for (int64_t i = 0; i < n1; ++i) {
    const T& v = x1[i];
    const T* p = std::lower_bound(x2, x2 + n2, v, [](const T& a, const T& b) { return less(a, b); });
    bool found = p != x2 + n2 && *p == v;  // NaN never equals anything
    out[i] = found != invert;
  }
}

// Insertion points of n2 keys into sorted x1[0, n1) by `before(element, key)`
// (true for a prefix of x1): a branch-free binary search, kLanes keys in
// lockstep. Every key halves the same length at every step, and the keys'
// independent loads overlap their cache misses, where a branchy search
// mispredicts about every other step.
template <class T, class Before>
void search_lockstep(const T* x1, int64_t n1, const T* x2, int64_t n2, Before before, int64_t* out) {
  if (n1 == 0) {
    std::fill(out, out + n2, int64_t(0));
    return;
  }
  constexpr int64_t kLanes = 16;
  int64_t base[kLanes];
  for (int64_t i0 = 0; i0 < n2; i0 += kLanes) {
    const int64_t m = std::min(kLanes, n2 - i0);
    const T* key = x2 + i0;
    for (int64_t j = 0; j < m; ++j) base[j] = 0;
    for (int64_t len = n1; len > 1;) {
      const int64_t half = len / 2;
      for (int64_t j = 0; j < m; ++j)
        base[j] += half & -static_cast<int64_t>(before(x1[base[j] + half], key[j]));
      len -= half;
    }
    for (int64_t j = 0; j < m; ++j) out[i0 + j] = base[j] + static_cast<int64_t>(before(x1[base[j]], key[j]));
  }
}

template <class T>
void searchsorted_typed(const T* x1, int64_t n1, const T* x2, int64_t n2, bool right, int64_t* out) {
  if constexpr (std::is_floating_point_v<T>) {
    // NaNs sort last: search the numbers before them with plain comparisons
    // (a NaN key compares false and is placed afterwards).
    int64_t numbers = n1;
    while (numbers > 0 && x1[numbers - 1] != x1[numbers - 1]) --numbers;
    if (right) search_lockstep(x1, numbers, x2, n2, [](T e, T v) { return e <= v; }, out);
    else search_lockstep(x1, numbers, x2, n2, [](T e, T v) { return e < v; }, out);
    // A NaN key goes after every number (left) or after everything (right).
    for (int64_t i = 0; i < n2; ++i)
      if (x2[i] != x2[i]) out[i] = right ? n1 : numbers;
  } else if (right) {
    search_lockstep(x1, n1, x2, n2, [](const T& e, const T& v) { return !less(v, e); }, out);
  } else {
    search_lockstep(x1, n1, x2, n2, [](const T& e, const T& v) { return less(e, v); }, out);
  }
}

}  // namespace

StridedLoop sort_loop(DType d) {
  return visit_dtype(d, [](auto t) -> StridedLoop { return &sort_lanes<decltype(t)>; });
}
StridedLoop argsort_loop(DType d) {
  return visit_dtype(d, [](auto t) -> StridedLoop { return &argsort_lanes<decltype(t)>; });
}

StridedLoop where_loop(size_t itemsize) {
  switch (itemsize) {
    case 1: return &where_bytes<1>;
    case 2: return &where_bytes<2>;
    case 4: return &where_bytes<4>;
    case 8: return &where_bytes<8>;
    default: return &where_bytes<16>;
  }
}

int64_t unique(DType d, const void* in, int64_t n, void* values, int64_t* first_indices,
               int64_t* inverse, int64_t* counts, int64_t* perm) {
  return visit_dtype(d, [&](auto t) {
    using T = decltype(t);
    return unique_typed<T>(static_cast<const T*>(in), n, static_cast<T*>(values), first_indices, inverse,
                           counts, perm);
  });
}

void isin(DType d, const void* x1, int64_t n1, void* x2, int64_t n2, bool invert, bool* out) {
  visit_dtype(d, [&](auto t) {
    using T = decltype(t);
    isin_typed<T>(static_cast<const T*>(x1), n1, static_cast<T*>(x2), n2, invert, out);
  });
}

void searchsorted(DType d, const void* x1, int64_t n1, const void* x2, int64_t n2, bool right,
                  int64_t* out) {
  visit_dtype(d, [&](auto t) {
    using T = decltype(t);
    searchsorted_typed<T>(static_cast<const T*>(x1), n1, static_cast<const T*>(x2), n2, right, out);
  });
}

}  // namespace trueno::kernels
#endif  // HWY_ONCE

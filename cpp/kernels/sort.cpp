#include "kernels/sort.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <numeric>
#include <type_traits>

namespace trueno::kernels {
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

template <class T>
void sort_lanes(char** data, const int64_t* strides, int64_t n, const void* ctx) {
  const auto& c = *static_cast<const SortLanes*>(ctx);
  T* buf = static_cast<T*>(c.scratch);
  for (int64_t i = 0; i < n; ++i) {
    const char* in = data[0] + i * strides[0];
    char* out = data[1] + i * strides[1];
    for (int64_t k = 0; k < c.length; ++k) std::memcpy(&buf[k], in + k * c.in_stride, sizeof(T));
    if constexpr (std::is_integral_v<T>) {
      // Values only: stability is unobservable, so the faster unstable sort.
      if (c.descending) std::sort(buf, buf + c.length, [](T a, T b) { return b < a; });
      else std::sort(buf, buf + c.length);
    } else {
      stable_sort_by<T>(buf, buf + c.length, [](const T& v) -> const T& { return v; }, c.descending);
    }
    for (int64_t k = 0; k < c.length; ++k) std::memcpy(out + k * c.out_stride, &buf[k], sizeof(T));
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
    for (int64_t k = 0; k < c.length; ++k) std::memcpy(&buf[k], in + k * c.in_stride, sizeof(T));
    std::iota(perm, perm + c.length, int64_t(0));
    stable_sort_by<T>(perm, perm + c.length, [buf](int64_t p) -> const T& { return buf[p]; }, c.descending);
    for (int64_t k = 0; k < c.length; ++k) std::memcpy(out + k * c.out_stride, &perm[k], sizeof(int64_t));
  }
}

template <size_t N>
void where_bytes(char** data, const int64_t* strides, int64_t n, const void*) {
  char* out = data[0];
  const char* cond = data[1];
  const char* a = data[2];
  const char* b = data[3];
  for (int64_t i = 0; i < n; ++i) {
    std::memcpy(out, *reinterpret_cast<const bool*>(cond) ? a : b, N);
    out += strides[0]; cond += strides[1]; a += strides[2]; b += strides[3];
  }
}

template <class T>
int64_t unique_typed(const T* in, int64_t n, T* values, int64_t* first, int64_t* inverse,
                     int64_t* counts, int64_t* perm) {
  if (n == 0) return 0;
  if (!perm) {
    std::copy(in, in + n, values);
    stable_sort_by<T>(values, values + n, [](const T& v) -> const T& { return v; }, false);
    // == keeps NaNs apart and merges -0 with +0, as the spec asks.
    int64_t k = 1;
    for (int64_t i = 1; i < n; ++i)
      if (!(values[i] == values[k - 1])) values[k++] = values[i];
    return k;
  }
  std::iota(perm, perm + n, int64_t(0));
  stable_sort_by<T>(perm, perm + n, [in](int64_t p) -> const T& { return in[p]; }, false);
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
  stable_sort_by<T>(x2, x2 + n2, [](const T& v) -> const T& { return v; }, false);
  for (int64_t i = 0; i < n1; ++i) {
    const T& v = x1[i];
    const T* p = std::lower_bound(x2, x2 + n2, v, [](const T& a, const T& b) { return less(a, b); });
    bool found = p != x2 + n2 && *p == v;  // NaN never equals anything
    out[i] = found != invert;
  }
}

template <class T>
void searchsorted_typed(const T* x1, int64_t n1, const T* x2, int64_t n2, bool right, int64_t* out) {
  auto cmp = [](const T& a, const T& b) { return less(a, b); };
  for (int64_t i = 0; i < n2; ++i) {
    const T* p = right ? std::upper_bound(x1, x1 + n1, x2[i], cmp) : std::lower_bound(x1, x1 + n1, x2[i], cmp);
    out[i] = p - x1;
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

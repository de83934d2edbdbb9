// Copying with casting and broadcasting: the primitive behind astype,
// __setitem__, concat, stack and every "materialise this view".
#pragma once
#include <limits>
#include <type_traits>

#include "core/array.h"
#include "core/iteration.h"

namespace trueno {

// dst[...] = src, broadcasting src to dst's shape and casting to dst.dtype.
// Safe when dst and src overlap (the source is copied first).
void copy_into(const Array& dst, const Array& src, const char* func = "copy");
// The 1-D loop converting `from` elements to `to` elements.
StridedLoop cast_loop(DType from, DType to);
// A copy of `a` as `dtype` (C-contiguous, always new memory).
Array astype_copy(const Array& a, DType dtype, const char* func);
// `a` itself when it already has `dtype`, else astype_copy: an operand in the dtype an op computes in.
Array cast_if_needed(const Array& a, DType dtype, const char* func);
// Elements an operation converts at a time when it computes in another dtype
// than an operand's: they and their conversion stay in cache, and at most
// 64 KiB is under glibc's smallest mmap threshold, so each block is heap
// memory even in Dask's workers (MALLOC_TRIM_THRESHOLD_ fixes the threshold at
// 128 KiB, and blocks of 512 KiB made every one a fresh mapping: 4x slower).
constexpr int64_t kCastBlockElements = int64_t{1} << 13;
// True when the memory spans of the two arrays intersect.
bool may_overlap(const Array& a, const Array& b);

// Conversions of single values, defined (never UB) for every pair of types.
// A float becomes an integer type's value truncated toward zero when the
// type holds that; else, when int64 holds it, its low bits (two's
// complement wrap, as NumPy's casts through a wider integer give for 8- and
// 16-bit types); else (NaN, infinities, |v| >= 2**63) the type's minimum, as
// x86's conversion gives for int64. Plain C++ in every build, so it is the
// same on every ISA target; astype's docstring and the README state it.
// Python scalars never get here unchecked (check_scalar_fits raises).
template <class To, class From>
inline To cast_value(From v) {
  if constexpr (std::is_same_v<To, From>) {
    return v;
  } else if constexpr (std::is_same_v<To, bool>) {
    return v != From(0);
  } else if constexpr (is_complex_v<From>) {
    if constexpr (is_complex_v<To>)
      return To(static_cast<real_of_t<To>>(v.real()), static_cast<real_of_t<To>>(v.imag()));
    else
      return cast_value<To>(v.real());
  } else if constexpr (is_complex_v<To>) {
    return To(static_cast<real_of_t<To>>(v), 0);
  } else if constexpr (std::is_floating_point_v<From> && std::is_integral_v<To>) {
    // [lo, hi) in From's precision; 2^63 etc. are exact in float and double.
    constexpr From lo = static_cast<From>(std::numeric_limits<To>::min());
    constexpr From hi = static_cast<From>(std::numeric_limits<To>::max()) + From(1);
    if (v >= lo && v < hi) return static_cast<To>(v);
    if (v >= From(-0x1p63) && v < From(0x1p63)) return static_cast<To>(static_cast<int64_t>(v));
    return std::numeric_limits<To>::min();
  } else {
    return static_cast<To>(v);
  }
}

}  // namespace trueno

// Per-element math for every elementwise function: one functor each, with a
// static `apply` templated on the compute type. These define the results
// (spec special cases included); SIMD loops must agree with them.
//
// Integer arithmetic wraps (done in the unsigned type: signed overflow is UB
// in C++). Division by zero of integers gives 0, as NumPy does.
#pragma once
#include <cmath>
#include <complex>
#include <cstdint>
#include <limits>
#include <type_traits>

#include "core/dtype.h"

namespace trueno::math {

template <class T> constexpr bool is_int_v = std::is_integral_v<T> && !std::is_same_v<T, bool>;
template <class T> using unsigned_of = std::make_unsigned_t<T>;

template <class T> inline T wrap_add(T a, T b) { return T(unsigned_of<T>(a) + unsigned_of<T>(b)); }
template <class T> inline T wrap_sub(T a, T b) { return T(unsigned_of<T>(a) - unsigned_of<T>(b)); }
template <class T> inline T wrap_mul(T a, T b) {
  // uint16 * uint16 promotes to int and can overflow int: widen explicitly.
  using W = std::conditional_t<(sizeof(T) < sizeof(unsigned)), unsigned, unsigned_of<T>>;
  return T(W(unsigned_of<T>(a)) * W(unsigned_of<T>(b)));
}

template <class C> inline bool cisnan(C z) { return std::isnan(z.real()) || std::isnan(z.imag()); }

// ---- unary ---------------------------------------------------------------

struct Abs {
  template <class T> static auto apply(T x) {
    if constexpr (is_complex_v<T>) return std::abs(x);  // hypot: no overflow
    else if constexpr (std::is_floating_point_v<T>) return std::fabs(x);
    else if constexpr (std::is_signed_v<T>) return x < 0 ? wrap_sub(T(0), x) : x;
    else return x;
  }
};
struct Negative {
  template <class T> static T apply(T x) {
    if constexpr (is_int_v<T>) return wrap_sub(T(0), x);
    else return -x;
  }
};
struct Positive { template <class T> static T apply(T x) { return x; } };
struct Square {
  template <class T> static T apply(T x) {
    if constexpr (is_int_v<T>) return wrap_mul(x, x);
    else return x * x;
  }
};
struct Divide;
// The spec: complex special cases "as if implemented as 1.0 / x".
struct Reciprocal { template <class T> static T apply(T x); };
struct Sqrt { template <class T> static T apply(T x) { return std::sqrt(x); } };
struct Exp { template <class T> static T apply(T x) { return std::exp(x); } };
struct Log { template <class T> static T apply(T x) { return std::log(x); } };
struct Log2 {
  template <class T> static T apply(T x) {
    if constexpr (is_complex_v<T>) return std::log(x) / real_of_t<T>(0.693147180559945309417232121458176568L);
    else return std::log2(x);
  }
};
struct Log10 { template <class T> static T apply(T x) { return std::log10(x); } };
struct Sin { template <class T> static T apply(T x) { return std::sin(x); } };
struct Cos { template <class T> static T apply(T x) { return std::cos(x); } };
struct Tan { template <class T> static T apply(T x) { return std::tan(x); } };
struct Asin { template <class T> static T apply(T x) { return std::asin(x); } };
struct Acos { template <class T> static T apply(T x) { return std::acos(x); } };
struct Atan { template <class T> static T apply(T x) { return std::atan(x); } };
struct Sinh { template <class T> static T apply(T x) { return std::sinh(x); } };
struct Cosh { template <class T> static T apply(T x) { return std::cosh(x); } };
struct Tanh {
  template <class T> static T apply(T x) {
    if constexpr (is_complex_v<T>) {
      // The spec: tanh(+-inf + bj) = +-1 + 0j with the sign of b; C99 gives
      // 0 * sin(2b), whose sign follows sin(2b) for huge b.
      using R = real_of_t<T>;
      if (std::isinf(x.real()) && std::isfinite(x.imag()))
        return T(std::copysign(R(1), x.real()), std::copysign(R(0), x.imag()));
    }
    return std::tanh(x);
  }
};
struct Asinh { template <class T> static T apply(T x) { return std::asinh(x); } };
struct Acosh { template <class T> static T apply(T x) { return std::acosh(x); } };
struct Atanh { template <class T> static T apply(T x) { return std::atanh(x); } };

struct Expm1 {
  template <class T> static T apply(T z) {
    if constexpr (!is_complex_v<T>) {
      return std::expm1(z);
    } else {
      using R = real_of_t<T>;
      R x = z.real(), y = z.imag();
      // Non-finite parts: exp's C99 Annex G cases minus one give the spec's.
      if (!std::isfinite(x) || !std::isfinite(y)) {
        T e = std::exp(z);
        return T(e.real() - R(1), e.imag());
      }
      // exp(x)cos(y) - 1 = expm1(x)cos(y) - 2 sin^2(y/2), without cancellation.
      R s = std::sin(y / 2);
      // (+ 0: the spec wants expm1(-0 + 0j) = +0 + 0j.)
      return T(std::expm1(x) * std::cos(y) - 2 * s * s + R(0), std::exp(x) * std::sin(y));
    }
  }
};
struct Log1p {
  template <class T> static T apply(T z) {
    if constexpr (!is_complex_v<T>) {
      return std::log1p(z);
    } else {
      using R = real_of_t<T>;
      R x = z.real(), y = z.imag();
      if (std::isfinite(x) && std::isfinite(y) && std::fabs(x) < R(0.5) && std::fabs(y) < R(0.5)) {
        // |1+z|^2 - 1 = x(2+x) + y^2, accurate for small z.
        return T(R(0.5) * std::log1p(x * (2 + x) + y * y), std::atan2(y, 1 + x));
      }
      return std::log(T(1 + x, y));
    }
  }
};

struct Ceil {
  template <class T> static T apply(T x) {
    if constexpr (std::is_floating_point_v<T>) return std::ceil(x); else return x;
  }
};
struct Floor {
  template <class T> static T apply(T x) {
    if constexpr (std::is_floating_point_v<T>) return std::floor(x); else return x;
  }
};
struct Trunc {
  template <class T> static T apply(T x) {
    if constexpr (std::is_floating_point_v<T>) return std::trunc(x); else return x;
  }
};
struct Round {
  // Half to even, as the spec requires (nearbyint in the default mode).
  template <class T> static T apply(T x) {
    if constexpr (is_complex_v<T>) return T(std::nearbyint(x.real()), std::nearbyint(x.imag()));
    else if constexpr (std::is_floating_point_v<T>) return std::nearbyint(x);
    else return x;
  }
};
struct Sign {
  template <class T> static T apply(T x) {
    if constexpr (is_complex_v<T>) {
      using R = real_of_t<T>;
      if (cisnan(x)) return T(std::numeric_limits<R>::quiet_NaN(), std::numeric_limits<R>::quiet_NaN());
      if (x == T(0)) return T(0);
      if (std::isinf(x.real()) || std::isinf(x.imag())) {
        // Direction of an infinite value: the infinite parts as +-1.
        R re = std::isinf(x.real()) ? std::copysign(R(1), x.real()) : R(0);
        R im = std::isinf(x.imag()) ? std::copysign(R(1), x.imag()) : R(0);
        return T(re, im) / std::abs(T(re, im));
      }
      return x / std::abs(x);
    } else if constexpr (std::is_floating_point_v<T>) {
      if (std::isnan(x)) return x;
      return x > 0 ? T(1) : x < 0 ? T(-1) : T(0);
    } else if constexpr (std::is_signed_v<T>) {
      return T((x > 0) - (x < 0));
    } else {
      return T(x > 0);
    }
  }
};
struct Signbit {
  template <class T> static bool apply(T x) {
    if constexpr (std::is_floating_point_v<T>) return std::signbit(x);
    else if constexpr (std::is_signed_v<T>) return x < 0;
    else return false;
  }
};
struct Isnan {
  template <class T> static bool apply(T x) {
    if constexpr (is_complex_v<T>) return cisnan(x);
    else if constexpr (std::is_floating_point_v<T>) return std::isnan(x);
    else return false;
  }
};
struct Isinf {
  template <class T> static bool apply(T x) {
    if constexpr (is_complex_v<T>) return std::isinf(x.real()) || std::isinf(x.imag());
    else if constexpr (std::is_floating_point_v<T>) return std::isinf(x);
    else return false;
  }
};
struct Isfinite {
  template <class T> static bool apply(T x) {
    if constexpr (is_complex_v<T>) return std::isfinite(x.real()) && std::isfinite(x.imag());
    else if constexpr (std::is_floating_point_v<T>) return std::isfinite(x);
    else return true;
  }
};
struct Real {
  template <class T> static auto apply(T x) {
    if constexpr (is_complex_v<T>) return x.real(); else return x;
  }
};
struct Imag {
  template <class T> static auto apply(T x) {
    if constexpr (is_complex_v<T>) return x.imag(); else return T(0);
  }
};
struct Conj {
  template <class T> static T apply(T x) {
    if constexpr (is_complex_v<T>) return std::conj(x); else return x;
  }
};
struct BitwiseInvert {
  template <class T> static T apply(T x) {
    if constexpr (std::is_same_v<T, bool>) return !x; else return T(~x);
  }
};
struct LogicalNot { template <class T> static bool apply(T x) { return !x; } };

// ---- binary --------------------------------------------------------------

struct Add {
  template <class T> static T apply(T a, T b) {
    if constexpr (is_int_v<T>) return wrap_add(a, b); else return a + b;
  }
};
struct Subtract {
  template <class T> static T apply(T a, T b) {
    if constexpr (is_int_v<T>) return wrap_sub(a, b); else return a - b;
  }
};
struct Multiply {
  template <class T> static T apply(T a, T b) {
    if constexpr (is_int_v<T>) return wrap_mul(a, b); else return a * b;
  }
};
struct Divide {
  template <class T> static T apply(T a, T b) {
    if constexpr (is_complex_v<T>) return complex_divide(a, b);
    else return a / b;
  }
  // Smith's algorithm, exactly as NumPy's loops do it: no overflow for
  // large parts, and x / (+-0 + 0j) gives a complex inf/nan like NumPy.
  template <class C> static C complex_divide(C a, C b) {
    using R = real_of_t<C>;
    R ar = a.real(), ai = a.imag(), br = b.real(), bi = b.imag();
    R abs_br = std::fabs(br), abs_bi = std::fabs(bi);
    if (abs_br >= abs_bi) {
      if (abs_br == 0 && abs_bi == 0) return C(ar / abs_br, ai / abs_br);
      R rat = bi / br, scl = R(1) / (br + bi * rat);
      return C((ar + ai * rat) * scl, (ai - ar * rat) * scl);
    }
    R rat = br / bi, scl = R(1) / (bi + br * rat);
    return C((ar * rat + ai) * scl, (ai * rat - ar) * scl);
  }
};
template <class T> T Reciprocal::apply(T x) { return Divide::apply(T(1), x); }

struct FloorDivide {
  template <class T> static T apply(T a, T b) {
    if constexpr (std::is_floating_point_v<T>) {
      if (b == 0 || !std::isfinite(a) || !std::isfinite(b)) return std::floor(a / b);
      // Python's float floor division: exact, and consistent with remainder.
      T mod = std::fmod(a, b);
      T div = (a - mod) / b;
      if (mod != 0 && ((b < 0) != (mod < 0))) div -= 1;
      if (div == 0) return std::copysign(T(0), a / b);
      T fl = std::floor(div);
      if (div - fl > T(0.5)) fl += 1;
      return fl;
    } else {
      if (b == 0) return T(0);
      if constexpr (std::is_signed_v<T>) {
        if (b == T(-1)) return wrap_sub(T(0), a);  // MIN / -1 wraps
        T q = a / b;
        if ((a % b != 0) && ((a < 0) != (b < 0))) --q;
        return q;
      } else {
        return a / b;
      }
    }
  }
};
struct Remainder {
  template <class T> static T apply(T a, T b) {
    if constexpr (std::is_floating_point_v<T>) {
      T r = std::fmod(a, b);
      if (r != 0) {
        if ((b < 0) != (r < 0)) r += b;
      } else {
        r = std::copysign(T(0), b);
      }
      return r;
    } else {
      if (b == 0) return T(0);
      if constexpr (std::is_signed_v<T>) {
        if (b == T(-1)) return T(0);
        T r = a % b;
        if (r != 0 && ((r < 0) != (b < 0))) r += b;
        return r;
      } else {
        return a % b;
      }
    }
  }
};
struct Pow {
  template <class T> static T apply(T a, T b) {
    if constexpr (is_int_v<T>) {
      if constexpr (std::is_signed_v<T>) {
        if (b < 0) return a == 1 ? T(1) : a == -1 ? ((b & 1) ? T(-1) : T(1)) : T(0);
      }
      T result = 1, base = a;
      for (auto e = b; e > 0; e >>= 1) {
        if (e & 1) result = wrap_mul(result, base);
        base = wrap_mul(base, base);
      }
      return result;
    } else if constexpr (is_complex_v<T>) {
      if (b == T(0)) return T(1);
      if (a == T(0)) {
        // 0 ** z is 0 when Re z > 0; otherwise the four complex zeros make it
        // ill-defined: NaN. (NumPy's choices; the spec leaves them open.)
        if (b.real() > 0) return T(0);
        using R = real_of_t<T>;
        return T(std::numeric_limits<R>::quiet_NaN(), std::numeric_limits<R>::quiet_NaN());
      }
      // Small integer exponents by repeated squaring, as NumPy does: exact
      // where exp(b log a) leaves rounding noise (e.g. (-115+0j)**1).
      if (b.imag() == 0 && b.real() == std::trunc(b.real()) && std::fabs(b.real()) <= 100) {
        int n = static_cast<int>(std::fabs(b.real()));
        T result(1), base = a;
        for (; n > 0; n >>= 1) {
          if (n & 1) result *= base;
          base *= base;
        }
        return b.real() < 0 ? Divide::apply(T(1), result) : result;
      }
      return std::pow(a, b);
    } else {
      // a a is correctly rounded, glibc's pow(a, 2) is not always (-6.82439800366226
      // squared is 1 ULP off): every path gives x ** 2 the bits of x * x.
      if (b == T(2)) return a * a;
      return std::pow(a, b);
    }
  }
};
struct Atan2 { template <class T> static T apply(T a, T b) { return std::atan2(a, b); } };
struct Hypot { template <class T> static T apply(T a, T b) { return std::hypot(a, b); } };
struct Copysign { template <class T> static T apply(T a, T b) { return std::copysign(a, b); } };
struct Nextafter { template <class T> static T apply(T a, T b) { return std::nextafter(a, b); } };
struct Logaddexp {
  template <class T> static T apply(T a, T b) {
    if (std::isnan(a) || std::isnan(b)) return std::numeric_limits<T>::quiet_NaN();
    if (a == b) return a + T(0.693147180559945309417232121458176568L);  // also +-inf
    T m = a > b ? a : b;
    return m + std::log1p(std::exp(-std::fabs(a - b)));
  }
};
struct Maximum {
  template <class T> static T apply(T a, T b) {
    if constexpr (std::is_floating_point_v<T>) {
      if (std::isnan(a) || std::isnan(b)) return std::numeric_limits<T>::quiet_NaN();
    }
    return a > b ? a : b;
  }
};
struct Minimum {
  template <class T> static T apply(T a, T b) {
    if constexpr (std::is_floating_point_v<T>) {
      if (std::isnan(a) || std::isnan(b)) return std::numeric_limits<T>::quiet_NaN();
    }
    return a < b ? a : b;
  }
};
struct Equal { template <class T> static bool apply(T a, T b) { return a == b; } };
struct NotEqual { template <class T> static bool apply(T a, T b) { return a != b; } };
struct Less { template <class T> static bool apply(T a, T b) { return a < b; } };
struct LessEqual { template <class T> static bool apply(T a, T b) { return a <= b; } };
struct Greater { template <class T> static bool apply(T a, T b) { return a > b; } };
struct GreaterEqual { template <class T> static bool apply(T a, T b) { return a >= b; } };
struct LogicalAnd { template <class T> static bool apply(T a, T b) { return bool(a) && bool(b); } };
struct LogicalOr { template <class T> static bool apply(T a, T b) { return bool(a) || bool(b); } };
struct LogicalXor { template <class T> static bool apply(T a, T b) { return bool(a) != bool(b); } };
struct BitwiseAnd { template <class T> static T apply(T a, T b) { return T(a & b); } };
struct BitwiseOr { template <class T> static T apply(T a, T b) { return T(a | b); } };
struct BitwiseXor { template <class T> static T apply(T a, T b) { return T(a ^ b); } };
struct BitwiseLeftShift {
  template <class T> static T apply(T a, T b) {
    if (b < 0 || static_cast<uint64_t>(b) >= sizeof(T) * 8) return T(0);
    return T(unsigned_of<T>(a) << b);
  }
};
struct BitwiseRightShift {
  template <class T> static T apply(T a, T b) {
    if (b < 0 || static_cast<uint64_t>(b) >= sizeof(T) * 8) return a < 0 ? T(-1) : T(0);
    return T(a >> b);  // arithmetic for signed types (C++20, and GCC always)
  }
};

}  // namespace trueno::math

// Generic 1-D loops that apply a scalar functor (kernels/scalar_math.h).
// The contiguous and scalar-broadcast cases are written out so the compiler
// vectorises them; everything else is a plain strided loop.
#pragma once
#include <cstdint>

#include "core/dtype.h"

namespace trueno::kernels {

template <class Op, class In, class Out>
void unary_loop(char** data, const int64_t* strides, int64_t n, const void*) {
  if (strides[0] == sizeof(In) && strides[1] == sizeof(Out)) {
    const In* __restrict x = reinterpret_cast<const In*>(data[0]);
    Out* __restrict y = reinterpret_cast<Out*>(data[1]);
    for (int64_t i = 0; i < n; ++i) y[i] = static_cast<Out>(Op::apply(read_element(x + i)));
    return;
  }
  const char* x = data[0];
  char* y = data[1];
  for (int64_t i = 0; i < n; ++i, x += strides[0], y += strides[1])
    *reinterpret_cast<Out*>(y) = static_cast<Out>(Op::apply(read_element<In>(x)));
}

template <class Op, class In, class Out>
void binary_loop(char** data, const int64_t* strides, int64_t n, const void*) {
  const int64_t sa = strides[0], sb = strides[1], so = strides[2];
  if (so == sizeof(Out)) {
    Out* __restrict out = reinterpret_cast<Out*>(data[2]);
    if (sa == sizeof(In) && sb == sizeof(In)) {
      const In* __restrict a = reinterpret_cast<const In*>(data[0]);
      const In* __restrict b = reinterpret_cast<const In*>(data[1]);
      for (int64_t i = 0; i < n; ++i)
        out[i] = static_cast<Out>(Op::apply(read_element(a + i), read_element(b + i)));
      return;
    }
    if (sa == sizeof(In) && sb == 0) {
      const In* __restrict a = reinterpret_cast<const In*>(data[0]);
      const In b = read_element<In>(data[1]);
      for (int64_t i = 0; i < n; ++i) out[i] = static_cast<Out>(Op::apply(read_element(a + i), b));
      return;
    }
    if (sa == 0 && sb == sizeof(In)) {
      const In a = read_element<In>(data[0]);
      const In* __restrict b = reinterpret_cast<const In*>(data[1]);
      for (int64_t i = 0; i < n; ++i) out[i] = static_cast<Out>(Op::apply(a, read_element(b + i)));
      return;
    }
  }
  const char* a = data[0];
  const char* b = data[1];
  char* out = data[2];
  for (int64_t i = 0; i < n; ++i, a += sa, b += sb, out += so)
    *reinterpret_cast<Out*>(out) = static_cast<Out>(
        Op::apply(read_element<In>(a), read_element<In>(b)));
}

}  // namespace trueno::kernels

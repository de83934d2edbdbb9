#include "ops/nn.h"

#include <algorithm>
#include <cstring>
#include <string>

#include "core/errors.h"
#include "core/iteration.h"
#include "core/threading.h"
#include "ops/copy.h"
#include "ops/norm.h"

namespace trueno {

namespace {

void require_float(const Array& x, const char* func, const char* argname) {
  if (x.dtype != DType::Float32 && x.dtype != DType::Float64)
    throw TypeError(std::string(func) + "(): " + argname + " must have a real floating-point data type, got " +
                    dtype_name(x.dtype));
}

template <class F>
void visit_float(DType d, F&& f) {
  if (d == DType::Float32) f(float{});
  else f(double{});
}

}  // namespace

Array nn_activation(simd::nn::Activation f, const Array& x, const char* func) {
  require_float(x, func, "x");
  LongKernelScope without_gil(x.size());
  Array in = as_contiguous(x, false, func);
  Array out = make_empty(x.shape, x.dtype, func);
  visit_float(x.dtype, [&](auto tag) {
    using T = decltype(tag);
    const T* src = reinterpret_cast<const T*>(in.data);
    T* dst = reinterpret_cast<T*>(out.data);
    // Aligned pieces: each element meets the same vector code as unsplit.
    parallel_for(out.size(), kParallelGrain, [&](int64_t begin, int64_t end) {
      simd::nn::activation(f, src + begin, dst + begin, static_cast<size_t>(end - begin));
    }, kChunkAlign);
  });
  return out;
}

Array nn_softmax(const Array& x, int64_t axis_arg, bool log, const char* func) {
  require_float(x, func, "x");
  Array out = make_empty(x.shape, x.dtype, func);
  if (x.ndim() == 0) {  // one row of length 1, as PyTorch
    normalize_axis(axis_arg, 1, func);
    visit_float(x.dtype, [&](auto tag) {
      using T = decltype(tag);
      simd::nn::softmax_rows(reinterpret_cast<const T*>(x.data), reinterpret_cast<T*>(out.data), 1, 1, log);
    });
    return out;
  }
  const int axis = normalize_axis(axis_arg, x.ndim(), func);
  if (out.size() == 0) return out;
  LongKernelScope without_gil(x.size());
  std::vector<int> perm;
  for (int i = 0; i < x.ndim(); ++i)
    if (i != axis) perm.push_back(i);
  perm.push_back(axis);
  const bool last = axis == x.ndim() - 1;
  Array in = last ? as_contiguous(x, false, func) : as_contiguous(permuted(x, perm), true, func);
  Array tmp = last ? out : make_empty(in.shape, x.dtype, func);
  const size_t len = static_cast<size_t>(x.shape[axis]);
  const size_t rows = static_cast<size_t>(out.size()) / len;
  visit_float(x.dtype, [&](auto tag) {
    using T = decltype(tag);
    const T* src = reinterpret_cast<const T*>(in.data);
    T* dst = reinterpret_cast<T*>(tmp.data);
    // Rows are independent: any split over threads gives the same results.
    parallel_for(static_cast<int64_t>(rows), std::max<int64_t>(1, kParallelGrain / static_cast<int64_t>(len)),
                 [&](int64_t r0, int64_t r1) {
      simd::nn::softmax_rows(src + r0 * len, dst + r0 * len, static_cast<size_t>(r1 - r0), len, log);
    });
  });
  if (!last) copy_into(permuted(out, perm), tmp, func);
  return out;
}

Array nn_norm(simd::norm::Kind k, const Array& x, const std::optional<std::vector<int>>& axes, bool keepdims,
              const char* func) {
  require_float(x, func, "x");
  return norm_over_axes(k, 0.0, x, axes, keepdims, func);
}

namespace {

// Contiguous runs go straight to the kernel; others are staged through
// buffers, so results do not depend on the layout.
template <class T>
void ternary_loop(char** data, const int64_t* s, int64_t n, const void* ctx) {
  const auto k = *static_cast<const simd::nn::Ternary*>(ctx);
  constexpr int64_t z = sizeof(T);
  if (s[0] == z && s[1] == z && s[2] == z && s[3] == z) {
    simd::nn::ternary(k, reinterpret_cast<const T*>(data[0]), reinterpret_cast<const T*>(data[1]),
                      reinterpret_cast<const T*>(data[2]), reinterpret_cast<T*>(data[3]), static_cast<size_t>(n));
    return;
  }
  constexpr int64_t kChunk = 256;
  alignas(64) T buf[4][kChunk];
  const char* p[3] = {data[0], data[1], data[2]};
  char* y = data[3];
  for (int64_t i = 0; i < n; i += kChunk) {
    const int64_t m = n - i < kChunk ? n - i : kChunk;
    for (int o = 0; o < 3; ++o)
      for (int64_t j = 0; j < m; ++j, p[o] += s[o]) std::memcpy(&buf[o][j], p[o], sizeof(T));
    simd::nn::ternary(k, buf[0], buf[1], buf[2], buf[3], static_cast<size_t>(m));
    for (int64_t j = 0; j < m; ++j, y += s[3]) std::memcpy(y, &buf[3][j], sizeof(T));
  }
}

}  // namespace

Array nn_ternary(simd::nn::Ternary k, const Array& a, const Array& b, const Array& c, const char* func) {
  const bool lerp = k == simd::nn::Ternary::Lerp;
  require_float(a, func, "a");
  require_float(b, func, "b");
  require_float(c, func, lerp ? "t" : "c");
  const DType dt = promote_or_throw(promote_or_throw(a.dtype, b.dtype, func), c.dtype, func);
  const Shape shape = broadcast_shapes(broadcast_shapes(a.shape, b.shape, func), c.shape, func);
  Array out = make_empty(shape, dt, func);
  if (out.size() == 0) return out;
  LongKernelScope without_gil(out.size());
  Array ca = cast_if_needed(a, dt, func);
  Array cb = cast_if_needed(b, dt, func);
  Array cc = cast_if_needed(c, dt, func);
  Shape sa = broadcast_strides(ca, shape, func), sb = broadcast_strides(cb, shape, func),
        sc = broadcast_strides(cc, shape, func);
  char* data[4] = {ca.data, cb.data, cc.data, out.data};
  const Shape* strides[4] = {&sa, &sb, &sc, &out.strides};
  StridedLoop loop = dt == DType::Float32 ? &ternary_loop<float> : &ternary_loop<double>;
  for_each_strided_parallel(loop, &k, 4, data, strides, shape, kParallelGrain);
  return out;
}

}  // namespace trueno

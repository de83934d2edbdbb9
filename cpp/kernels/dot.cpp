// Vector dot products: Highway SIMD for contiguous float32/float64 vectors
// (four accumulators, fused multiply-add), a scalar loop otherwise.
#undef HWY_TARGET_INCLUDE
#define HWY_TARGET_INCLUDE "kernels/dot.cpp"
#include "hwy/foreach_target.h"  // IWYU pragma: keep
#include "hwy/highway.h"

HWY_BEFORE_NAMESPACE();
namespace trueno::kernels {
namespace HWY_NAMESPACE {
namespace hn = hwy::HWY_NAMESPACE;

template <class T>
HWY_INLINE T DotContiguous(const T* HWY_RESTRICT a, const T* HWY_RESTRICT b, size_t n) {
  const hn::ScalableTag<T> d;
  const size_t N = hn::Lanes(d);
  auto s0 = hn::Zero(d), s1 = hn::Zero(d), s2 = hn::Zero(d), s3 = hn::Zero(d);
  size_t i = 0;
  for (; i + 4 * N <= n; i += 4 * N) {
    s0 = hn::MulAdd(hn::LoadU(d, a + i), hn::LoadU(d, b + i), s0);
    s1 = hn::MulAdd(hn::LoadU(d, a + i + N), hn::LoadU(d, b + i + N), s1);
    s2 = hn::MulAdd(hn::LoadU(d, a + i + 2 * N), hn::LoadU(d, b + i + 2 * N), s2);
    s3 = hn::MulAdd(hn::LoadU(d, a + i + 3 * N), hn::LoadU(d, b + i + 3 * N), s3);
  }
  for (; i + N <= n; i += N) s0 = hn::MulAdd(hn::LoadU(d, a + i), hn::LoadU(d, b + i), s0);
  // Vectors shorter than a vector (vecdot over 10K x 3) skip summing the zero lanes
  // (+0 either way), a third of their time; the tail below is the same for both.
  T total = i == 0 ? T(0) : hn::GetLane(hn::SumOfLanes(d, hn::Add(hn::Add(s0, s1), hn::Add(s2, s3))));
  for (; i < n; ++i) total += a[i] * b[i];
  return total;
}
// `count` dot products of contiguous vectors whose starts are `step_*` bytes apart:
// the batch loop inside the target, so short vectors (vecdot over a 10K x 3 batch)
// pay one dispatch per batch, not one per vector; the same DotContiguous, the same sums.
template <class T>
void DotBatch(const char* a, int64_t step_a, const char* b, int64_t step_b, char* out, int64_t step_out,
              size_t count, size_t n) {
  for (size_t i = 0; i < count; ++i, a += step_a, b += step_b, out += step_out) {
    const T r = DotContiguous(reinterpret_cast<const T*>(a), reinterpret_cast<const T*>(b), n);
    hwy::CopyBytes<sizeof(T)>(&r, out);
  }
}
float DotF32(const float* a, const float* b, size_t n) { return DotContiguous(a, b, n); }
double DotF64(const double* a, const double* b, size_t n) { return DotContiguous(a, b, n); }
void DotBatchF32(const char* a, int64_t sa, const char* b, int64_t sb, char* out, int64_t so, size_t count,
                 size_t n) {
  DotBatch<float>(a, sa, b, sb, out, so, count, n);
}
void DotBatchF64(const char* a, int64_t sa, const char* b, int64_t sb, char* out, int64_t so, size_t count,
                 size_t n) {
  DotBatch<double>(a, sa, b, sb, out, so, count, n);
}

}  // namespace HWY_NAMESPACE
}  // namespace trueno::kernels
HWY_AFTER_NAMESPACE();

#if HWY_ONCE
#include <cstring>

#include "kernels/dot.h"
#include "kernels/scalar_math.h"

namespace trueno::kernels {

HWY_EXPORT(DotF32);
HWY_EXPORT(DotF64);
HWY_EXPORT(DotBatchF32);
HWY_EXPORT(DotBatchF64);

namespace {

template <class T>
T dot_strided(const char* a, int64_t sa, const char* b, int64_t sb, int64_t n) {
  if constexpr (std::is_same_v<T, float>) {
    if (sa == sizeof(T) && sb == sizeof(T))
      return HWY_DYNAMIC_DISPATCH(DotF32)(reinterpret_cast<const float*>(a),
                                          reinterpret_cast<const float*>(b), static_cast<size_t>(n));
  } else if constexpr (std::is_same_v<T, double>) {
    if (sa == sizeof(T) && sb == sizeof(T))
      return HWY_DYNAMIC_DISPATCH(DotF64)(reinterpret_cast<const double*>(a),
                                          reinterpret_cast<const double*>(b), static_cast<size_t>(n));
  }
  T total(0);
  for (int64_t i = 0; i < n; ++i, a += sa, b += sb) {
    T x, y;
    std::memcpy(&x, a, sizeof(T));
    std::memcpy(&y, b, sizeof(T));
    total = math::Add::apply(total, math::Multiply::apply(math::Conj::apply(x), y));
  }
  return total;
}

template <class T>
void dot_batch(char** data, const int64_t* strides, int64_t n, const void* ctx) {
  const auto& c = *static_cast<const DotContext*>(ctx);
  if constexpr (std::is_same_v<T, float> || std::is_same_v<T, double>) {
    if (c.stride_a == sizeof(T) && c.stride_b == sizeof(T)) {
      if constexpr (std::is_same_v<T, float>)
        HWY_DYNAMIC_DISPATCH(DotBatchF32)(data[0], strides[0], data[1], strides[1], data[2], strides[2],
                                          static_cast<size_t>(n), static_cast<size_t>(c.length));
      else
        HWY_DYNAMIC_DISPATCH(DotBatchF64)(data[0], strides[0], data[1], strides[1], data[2], strides[2],
                                          static_cast<size_t>(n), static_cast<size_t>(c.length));
      return;
    }
  }
  const char* a = data[0];
  const char* b = data[1];
  char* out = data[2];
  for (int64_t i = 0; i < n; ++i, a += strides[0], b += strides[1], out += strides[2]) {
    T r = dot_strided<T>(a, c.stride_a, b, c.stride_b, c.length);
    std::memcpy(out, &r, sizeof(T));
  }
}

}  // namespace

StridedLoop dot_loop(DType dtype) {
  return visit_dtype(dtype, [](auto tag) -> StridedLoop {
    using T = decltype(tag);
    if constexpr (std::is_same_v<T, bool>) return nullptr;
    else return &dot_batch<T>;
  });
}

namespace {
template <class T>
void cross_batch(char** data, const int64_t* strides, int64_t n, const void* ctx) {
  const int64_t* step = static_cast<const int64_t*>(ctx);
  const char* a = data[0];
  const char* b = data[1];
  char* out = data[2];
  for (int64_t i = 0; i < n; ++i, a += strides[0], b += strides[1], out += strides[2]) {
    const T a0 = read_element<T>(a), a1 = read_element<T>(a + step[0]), a2 = read_element<T>(a + 2 * step[0]);
    const T b0 = read_element<T>(b), b1 = read_element<T>(b + step[1]), b2 = read_element<T>(b + 2 * step[1]);
    // (each product rounded before the subtraction: no FMA, as the elementwise ops)
    const T c0 = math::Subtract::apply(math::Multiply::apply(a1, b2), math::Multiply::apply(a2, b1));
    const T c1 = math::Subtract::apply(math::Multiply::apply(a2, b0), math::Multiply::apply(a0, b2));
    const T c2 = math::Subtract::apply(math::Multiply::apply(a0, b1), math::Multiply::apply(a1, b0));
    std::memcpy(out, &c0, sizeof(T));
    std::memcpy(out + step[2], &c1, sizeof(T));
    std::memcpy(out + 2 * step[2], &c2, sizeof(T));
  }
}
}  // namespace

StridedLoop cross_loop(DType dtype) {
  return visit_dtype(dtype, [](auto tag) -> StridedLoop {
    using T = decltype(tag);
    if constexpr (std::is_same_v<T, bool>) return nullptr;
    else return &cross_batch<T>;
  });
}

}  // namespace trueno::kernels
#endif  // HWY_ONCE

// Batches of 4x4 products, one output row a vector: 10,000 float64 4x4 products
// took ~17 ns each as the compiler's SSE2 scalar code (2x NumPy), ~6 ns as these.
#undef HWY_TARGET_INCLUDE
#define HWY_TARGET_INCLUDE "kernels/simd_matmul.cpp"
#include "hwy/foreach_target.h"  // IWYU pragma: keep
#include "hwy/highway.h"

// Mul and Add stay apart (no fused multiply-add), as the scalar loop has them.
#pragma GCC optimize("fp-contract=off")

HWY_BEFORE_NAMESPACE();
namespace trueno::simd {
namespace HWY_NAMESPACE {
namespace hn = hwy::HWY_NAMESPACE;

template <class T>
void Square4(const T* HWY_RESTRICT a, const T* HWY_RESTRICT b, T* HWY_RESTRICT out, size_t batch) {
  const hn::CappedTag<T, 4> d;
  const size_t N = hn::Lanes(d);  // 4, or 2 (128-bit float64), or 1 (SCALAR)
  for (size_t m = 0; m < batch; ++m, a += 16, b += 16, out += 16) {
    for (size_t c = 0; c < 4; c += N) {
      const auto b0 = hn::LoadU(d, b + c), b1 = hn::LoadU(d, b + 4 + c);
      const auto b2 = hn::LoadU(d, b + 8 + c), b3 = hn::LoadU(d, b + 12 + c);
      for (size_t r = 0; r < 4; ++r) {
        auto acc = hn::Add(hn::Zero(d), hn::Mul(hn::Set(d, a[4 * r]), b0));
        acc = hn::Add(acc, hn::Mul(hn::Set(d, a[4 * r + 1]), b1));
        acc = hn::Add(acc, hn::Mul(hn::Set(d, a[4 * r + 2]), b2));
        acc = hn::Add(acc, hn::Mul(hn::Set(d, a[4 * r + 3]), b3));
        hn::StoreU(acc, d, out + 4 * r + c);
      }
    }
  }
}
void Square4F32(const float* a, const float* b, float* out, size_t batch) { Square4(a, b, out, batch); }
void Square4F64(const double* a, const double* b, double* out, size_t batch) { Square4(a, b, out, batch); }

}  // namespace HWY_NAMESPACE
}  // namespace trueno::simd
HWY_AFTER_NAMESPACE();

#if HWY_ONCE
#include "kernels/simd_matmul.h"

namespace trueno::simd {

HWY_EXPORT(Square4F32);
HWY_EXPORT(Square4F64);

void MatmulSquare4F32(const float* a, const float* b, float* out, size_t batch) {
  HWY_DYNAMIC_DISPATCH(Square4F32)(a, b, out, batch);
}
void MatmulSquare4F64(const double* a, const double* b, double* out, size_t batch) {
  HWY_DYNAMIC_DISPATCH(Square4F64)(a, b, out, batch);
}

}  // namespace trueno::simd
#endif  // HWY_ONCE

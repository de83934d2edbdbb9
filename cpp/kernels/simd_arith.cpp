// Contiguous float32/float64 add, subtract, multiply, divide for every
// Highway target, chosen at run time (core/isa.h pins the target).
#undef HWY_TARGET_INCLUDE
#define HWY_TARGET_INCLUDE "kernels/simd_arith.cpp"
#include "hwy/foreach_target.h"  // IWYU pragma: keep
#include "hwy/highway.h"

HWY_BEFORE_NAMESPACE();
namespace trueno::simd {
namespace HWY_NAMESPACE {
namespace hn = hwy::HWY_NAMESPACE;

struct AddV { static constexpr size_t kStreamBytes = 32; template <class V> V operator()(V a, V b) const { return hn::Add(a, b); } };
struct SubV { static constexpr size_t kStreamBytes = 32; template <class V> V operator()(V a, V b) const { return hn::Sub(a, b); } };
// Multiply at 16 bytes a vector: on this Xeon 256- and 512-bit multiplies
// streamed L2-resident arrays ~35% slower than 128-bit ones or than the
// same loop adding (xp.multiply on 10K float32: 1.51 us at 256 bits, 1.10
// at 128, xp.add 1.04 at either): wide multiplies, unlike wide adds, seem
// to move the core to a slower frequency license. Memory, not the
// multiplier, bounds these loops, so the narrow vectors cost nothing.
struct MulV { static constexpr size_t kStreamBytes = 16; template <class V> V operator()(V a, V b) const { return hn::Mul(a, b); } };
struct DivV { static constexpr size_t kStreamBytes = 32; template <class V> V operator()(V a, V b) const { return hn::Div(a, b); } };

// b_step is 0 when b is a broadcast scalar, 1 when contiguous.
template <class T, class VOp>
HWY_INLINE void BinaryContiguous(const T* HWY_RESTRICT a, const T* HWY_RESTRICT b, size_t b_step,
                                 T* HWY_RESTRICT out, size_t n) {
  // At most 256-bit vectors: these loops are bound by memory, and on this
  // Xeon 512-bit loads and stores streamed L2-resident arrays (10K-100K
  // floats) ~15-25% slower than AVX2's; AVX3 still runs them as 256-bit VL
  // instructions. Multiply streams 128-bit vectors (see MulV).
  const hn::CappedTag<T, VOp::kStreamBytes / sizeof(T)> d;
  const size_t N = hn::Lanes(d);
  const VOp op;
  size_t i = 0;
  if (b_step == 0) {
    const auto vb = hn::Set(d, b[0]);
    for (; i + N <= n; i += N) hn::StoreU(op(hn::LoadU(d, a + i), vb), d, out + i);
  } else {
    // Four vectors a step: fewer loop branches per byte moved.
    for (; i + 4 * N <= n; i += 4 * N) {
      const auto r0 = op(hn::LoadU(d, a + i), hn::LoadU(d, b + i));
      const auto r1 = op(hn::LoadU(d, a + i + N), hn::LoadU(d, b + i + N));
      const auto r2 = op(hn::LoadU(d, a + i + 2 * N), hn::LoadU(d, b + i + 2 * N));
      const auto r3 = op(hn::LoadU(d, a + i + 3 * N), hn::LoadU(d, b + i + 3 * N));
      hn::StoreU(r0, d, out + i);
      hn::StoreU(r1, d, out + i + N);
      hn::StoreU(r2, d, out + i + 2 * N);
      hn::StoreU(r3, d, out + i + 3 * N);
    }
    for (; i + N <= n; i += N) hn::StoreU(op(hn::LoadU(d, a + i), hn::LoadU(d, b + i)), d, out + i);
  }
  const hn::CappedTag<T, 1> d1;
  for (; i < n; ++i)
    hn::StoreU(op(hn::LoadU(d1, a + i), hn::LoadU(d1, b + i * b_step)), d1, out + i);
}

#define TRUENO_SIMD_BINARY(NAME, T, VOP)                                                  \
  void NAME(const T* a, const T* b, size_t b_step, T* out, size_t n) {                    \
    BinaryContiguous<T, VOP>(a, b, b_step, out, n);                                       \
  }
TRUENO_SIMD_BINARY(AddF32, float, AddV)
TRUENO_SIMD_BINARY(AddF64, double, AddV)
TRUENO_SIMD_BINARY(SubF32, float, SubV)
TRUENO_SIMD_BINARY(SubF64, double, SubV)
TRUENO_SIMD_BINARY(MulF32, float, MulV)
TRUENO_SIMD_BINARY(MulF64, double, MulV)
TRUENO_SIMD_BINARY(DivF32, float, DivV)
TRUENO_SIMD_BINARY(DivF64, double, DivV)
#undef TRUENO_SIMD_BINARY

}  // namespace HWY_NAMESPACE
}  // namespace trueno::simd
HWY_AFTER_NAMESPACE();

#if HWY_ONCE
#include "kernels/elementwise_loops.h"
#include "kernels/simd_arith.h"

namespace trueno::simd {

HWY_EXPORT(AddF32);
HWY_EXPORT(AddF64);
HWY_EXPORT(SubF32);
HWY_EXPORT(SubF64);
HWY_EXPORT(MulF32);
HWY_EXPORT(MulF64);
HWY_EXPORT(DivF32);
HWY_EXPORT(DivF64);

// Contiguous output and first operand, second operand contiguous or a
// broadcast scalar: SIMD. Anything else: the generic strided loop.
#define TRUENO_SIMD_LOOP(OP, T, KERNEL)                                                    \
  static void KERNEL##Loop(char** data, const int64_t* s, int64_t n, const void* ctx) {           \
    if (s[0] == sizeof(T) && s[2] == sizeof(T) && (s[1] == sizeof(T) || s[1] == 0)) {      \
      HWY_DYNAMIC_DISPATCH(KERNEL)(reinterpret_cast<const T*>(data[0]),                    \
                                   reinterpret_cast<const T*>(data[1]), s[1] ? 1 : 0,       \
                                   reinterpret_cast<T*>(data[2]), static_cast<size_t>(n)); \
      return;                                                                              \
    }                                                                                      \
    kernels::binary_loop<math::OP, T, T>(data, s, n, ctx);                                 \
  }                                                                                        \
  template <> StridedLoop binary_override<math::OP, T>() { return &KERNEL##Loop; }
TRUENO_SIMD_LOOP(Add, float, AddF32)
TRUENO_SIMD_LOOP(Add, double, AddF64)
TRUENO_SIMD_LOOP(Subtract, float, SubF32)
TRUENO_SIMD_LOOP(Subtract, double, SubF64)
TRUENO_SIMD_LOOP(Multiply, float, MulF32)
TRUENO_SIMD_LOOP(Multiply, double, MulF64)
TRUENO_SIMD_LOOP(Divide, float, DivF32)
TRUENO_SIMD_LOOP(Divide, double, DivF64)
#undef TRUENO_SIMD_LOOP

}  // namespace trueno::simd
#endif  // HWY_ONCE

// ggml block formats on every Highway target (see kernels/quant.h).
//
// Block decoders follow ggml's reference dequantization (ggml-quants.c) value
// for value; they are plain loops over a block's 32 or 256 values, which the
// compiler vectorises for each target (the per-target pragma of
// HWY_BEFORE_NAMESPACE applies). F16/BF16 rows and the dot products are
// Highway code. quant_linear decodes a tile of weight rows into scratch (at
// most 256 KiB, L2-resident) and takes the dot products of every x row with
// the tile, four weight rows at a time so each x load feeds four FMAs.
#include <algorithm>
#include <cstring>

#undef HWY_TARGET_INCLUDE
#define HWY_TARGET_INCLUDE "kernels/quant.cpp"
#include "hwy/foreach_target.h"  // IWYU pragma: keep
#include "hwy/cache_control.h"
#include "hwy/highway.h"

#include "kernels/quant.h"

#ifndef TRUENO_QUANT_SHARED_ONCE
#define TRUENO_QUANT_SHARED_ONCE
namespace trueno::kernels::quant_detail {

// IEEE binary16 -> binary32, exact for every input (NaN payloads kept).
inline float HalfToFloat(uint16_t h) {
  const uint32_t sign = static_cast<uint32_t>(h & 0x8000u) << 16;
  const uint32_t exponent = (h >> 10) & 0x1Fu;
  const uint32_t mantissa = h & 0x3FFu;
  uint32_t bits;
  if (exponent == 0) {
    // zero or subnormal: mantissa * 2^-24, exact in float32
    float f = static_cast<float>(mantissa) * (1.0f / 16777216.0f);
    return sign ? -f : f;
  } else if (exponent == 31) {
    bits = sign | 0x7F800000u | (mantissa << 13);
  } else {
    bits = sign | ((exponent + 112) << 23) | (mantissa << 13);
  }
  float f;
  std::memcpy(&f, &bits, sizeof f);
  return f;
}

inline float LoadHalf(const uint8_t* p) {
  uint16_t h;
  std::memcpy(&h, p, sizeof h);
  return HalfToFloat(h);
}

// kBitOf[j] = 1 << j, as int32 (bit 31 is INT32_MIN): lane masks for Q5's fifth bits.
constexpr int32_t kBitOf[32] = {
    1 << 0,  1 << 1,  1 << 2,  1 << 3,  1 << 4,  1 << 5,  1 << 6,  1 << 7,
    1 << 8,  1 << 9,  1 << 10, 1 << 11, 1 << 12, 1 << 13, 1 << 14, 1 << 15,
    1 << 16, 1 << 17, 1 << 18, 1 << 19, 1 << 20, 1 << 21, 1 << 22, 1 << 23,
    1 << 24, 1 << 25, 1 << 26, 1 << 27, 1 << 28, 1 << 29, 1 << 30, INT32_MIN};

constexpr int64_t kLinearTileFloats = 65536;  // 256 KiB of decoded weight rows
// From this many x rows on, decoded tiles go to OpenBLAS's sgemm (where
// built with it), in tiles of up to 1 MiB so its packing pays off.
constexpr int64_t kGemmMinRows = 8;  // measured: sgemm loses below ~8 rows
// Up to this many x rows, Q8_0/Q4_K weights take the fused kernel once per x
// row (re-decoding is cheaper than storing and re-reading a decoded tile).
constexpr int64_t kFusedMaxRows = 4;
inline bool HasFusedDot(QuantType type) {
  return type == QuantType::Q8_0 || type == QuantType::Q4_K || type == QuantType::Q5_K ||
         type == QuantType::Q6_K;
}
constexpr int64_t kGemmTileFloats = 262144;

}  // namespace trueno::kernels::quant_detail
#endif

HWY_BEFORE_NAMESPACE();
namespace trueno::kernels {
namespace HWY_NAMESPACE {
namespace hn = hwy::HWY_NAMESPACE;
using namespace quant_detail;

// A block's f16 scale: F16C's one instruction where the target has it.
HWY_INLINE float BlockScale(const uint8_t* p) {
#if HWY_ARCH_X86 && HWY_TARGET <= HWY_AVX2
  uint16_t h;
  std::memcpy(&h, p, sizeof h);
  return _cvtsh_ss(h);
#else
  return LoadHalf(p);
#endif
}

// ---- block decoders: one block at `b` -> its values at `out` -------------

HWY_INLINE void DecodeQ8_0(const uint8_t* HWY_RESTRICT b, float* HWY_RESTRICT out) {
  const hn::ScalableTag<float> df;
  const hn::RebindToSigned<decltype(df)> di;
  const hn::Rebind<int8_t, decltype(di)> di8;
  const auto d = hn::Set(df, BlockScale(b));
  const int8_t* qs = reinterpret_cast<const int8_t*>(b + 2);
  constexpr size_t N = hn::MaxLanes(df) < 32 ? hn::MaxLanes(df) : 32;
  for (size_t j = 0; j < 32; j += N)
    hn::StoreU(hn::Mul(d, hn::ConvertTo(df, hn::PromoteTo(di, hn::LoadU(di8, qs + j)))), df, out + j);
}

// Q4_0/Q4_1/Q5_0/Q5_1: 16 bytes of nibbles (value j low, value j + 16 high),
// Q5's fifth bits in a 32-bit word (bit j for value j); value = (q + offset) * d + m.
template <bool kHighBits>
HWY_INLINE void Decode32(const uint8_t* HWY_RESTRICT qs, uint32_t qh, int offset, float d, float m,
                         float* HWY_RESTRICT out) {
  const hn::CappedTag<float, 16> df;
  const hn::RebindToSigned<decltype(df)> di;
  const hn::Rebind<uint8_t, decltype(di)> du8;
  const size_t N = hn::Lanes(df);
  const auto vd = hn::Set(df, d), vm = hn::Set(df, m);
  const auto voffset = hn::Set(di, offset);
  const auto low_mask = hn::Set(di, 0xF);
  for (size_t j = 0; j < 16; j += N) {
    const auto bytes = hn::PromoteTo(di, hn::LoadU(du8, qs + j));
    auto low = hn::And(bytes, low_mask);
    auto high = hn::ShiftRight<4>(bytes);
    if constexpr (kHighBits) {
      const auto bits = hn::Set(di, static_cast<int32_t>(qh));
      const auto sixteen = hn::Set(di, 16);
      low = hn::Or(low, hn::IfThenElseZero(hn::TestBit(bits, hn::LoadU(di, kBitOf + j)), sixteen));
      high = hn::Or(high, hn::IfThenElseZero(hn::TestBit(bits, hn::LoadU(di, kBitOf + 16 + j)), sixteen));
    }
    hn::StoreU(hn::MulAdd(hn::ConvertTo(df, hn::Add(low, voffset)), vd, vm), df, out + j);
    hn::StoreU(hn::MulAdd(hn::ConvertTo(df, hn::Add(high, voffset)), vd, vm), df, out + 16 + j);
  }
}

HWY_INLINE uint32_t LoadWord(const uint8_t* p) {
  uint32_t w;
  std::memcpy(&w, p, sizeof w);
  return w;
}

HWY_INLINE void DecodeQ4_0(const uint8_t* HWY_RESTRICT b, float* HWY_RESTRICT out) {
  Decode32<false>(b + 2, 0, -8, BlockScale(b), 0.0f, out);
}
HWY_INLINE void DecodeQ4_1(const uint8_t* HWY_RESTRICT b, float* HWY_RESTRICT out) {
  Decode32<false>(b + 4, 0, 0, BlockScale(b), BlockScale(b + 2), out);
}
HWY_INLINE void DecodeQ5_0(const uint8_t* HWY_RESTRICT b, float* HWY_RESTRICT out) {
  Decode32<true>(b + 6, LoadWord(b + 2), -16, BlockScale(b), 0.0f, out);
}
HWY_INLINE void DecodeQ5_1(const uint8_t* HWY_RESTRICT b, float* HWY_RESTRICT out) {
  Decode32<true>(b + 8, LoadWord(b + 4), 0, BlockScale(b), BlockScale(b + 2), out);
}

// The 8 scales then the 8 mins of a Q4_K/Q5_K block as floats (times d, dmin).
HWY_INLINE void ScalesMinsK4(const uint8_t* HWY_RESTRICT b, float* HWY_RESTRICT out) {
  const hn::ScalableTag<float> df;
  const hn::RebindToSigned<decltype(df)> di;
  const hn::Rebind<uint8_t, decltype(di)> du8;
  constexpr size_t N = hn::MaxLanes(df) < 16 ? hn::MaxLanes(df) : 16;
  uint32_t packed[3], unpacked[4];
  std::memcpy(packed, b + 4, sizeof packed);
  unpacked[0] = packed[0] & 0x3F3F3F3Fu;
  unpacked[1] = (packed[2] & 0x0F0F0F0Fu) | ((packed[0] >> 2) & 0x30303030u);
  unpacked[2] = packed[1] & 0x3F3F3F3Fu;
  unpacked[3] = ((packed[2] >> 4) & 0x0F0F0F0Fu) | ((packed[1] >> 2) & 0x30303030u);
  uint8_t bytes[16];
  std::memcpy(bytes, unpacked, sizeof bytes);
  const auto d = hn::Set(df, BlockScale(b)), dmin = hn::Set(df, BlockScale(b + 2));
  for (size_t i = 0; i < 16; i += N) {
    const auto factor = hn::IfThenElse(hn::FirstN(df, i < 8 ? 8 - i : 0), d, dmin);
    const auto values = hn::ConvertTo(df, hn::PromoteTo(di, hn::LoadU(du8, bytes + i)));
    hn::StoreU(hn::Mul(values, factor), df, out + i);
  }
}

HWY_INLINE void DecodeQ4_K(const uint8_t* HWY_RESTRICT b, float* HWY_RESTRICT out) {
  const hn::ScalableTag<float> df;
  const hn::RebindToSigned<decltype(df)> di;
  const hn::Rebind<uint8_t, decltype(di)> du8;
  constexpr size_t N = hn::MaxLanes(df) < 32 ? hn::MaxLanes(df) : 32;
  HWY_ALIGN float scales_mins[16];
  ScalesMinsK4(b, scales_mins);
  const float* scale = scales_mins;
  const float* min = scales_mins + 8;
  const uint8_t* q = b + 16;
  const auto low_mask = hn::Set(di, 0xF);
  for (int sub = 0; sub < 8; sub += 2, q += 32, out += 64) {
    const auto d1 = hn::Set(df, scale[sub]), m1 = hn::Set(df, min[sub]);
    const auto d2 = hn::Set(df, scale[sub + 1]), m2 = hn::Set(df, min[sub + 1]);
    for (size_t l = 0; l < 32; l += N) {
      const auto bytes = hn::PromoteTo(di, hn::LoadU(du8, q + l));
      const auto low = hn::ConvertTo(df, hn::And(bytes, low_mask));
      const auto high = hn::ConvertTo(df, hn::ShiftRight<4>(bytes));
      hn::StoreU(hn::MulSub(d1, low, m1), df, out + l);
      hn::StoreU(hn::MulSub(d2, high, m2), df, out + 32 + l);
    }
  }
}

HWY_INLINE void DecodeQ5_K(const uint8_t* HWY_RESTRICT b, float* HWY_RESTRICT out) {
  const hn::ScalableTag<float> df;
  const hn::RebindToSigned<decltype(df)> di;
  const hn::Rebind<uint8_t, decltype(di)> du8;
  constexpr size_t N = hn::MaxLanes(df) < 32 ? hn::MaxLanes(df) : 32;
  HWY_ALIGN float scales_mins[16];
  ScalesMinsK4(b, scales_mins);
  const uint8_t* qh = b + 16;
  const uint8_t* ql = b + 48;
  const auto low_mask = hn::Set(di, 0xF), one = hn::Set(di, 1);
  for (int sub = 0; sub < 8; sub += 2, ql += 32, out += 64) {
    const auto d1 = hn::Set(df, scales_mins[sub]), m1 = hn::Set(df, scales_mins[8 + sub]);
    const auto d2 = hn::Set(df, scales_mins[sub + 1]), m2 = hn::Set(df, scales_mins[9 + sub]);
    for (size_t l = 0; l < 32; l += N) {
      const auto bytes = hn::PromoteTo(di, hn::LoadU(du8, ql + l));
      const auto high_bits = hn::PromoteTo(di, hn::LoadU(du8, qh + l));
      const auto low = hn::Or(hn::And(bytes, low_mask),
                              hn::ShiftLeft<4>(hn::And(hn::ShiftRightSame(high_bits, sub), one)));
      const auto high = hn::Or(hn::ShiftRight<4>(bytes),
                               hn::ShiftLeft<4>(hn::And(hn::ShiftRightSame(high_bits, sub + 1), one)));
      hn::StoreU(hn::MulSub(d1, hn::ConvertTo(df, low), m1), df, out + l);
      hn::StoreU(hn::MulSub(d2, hn::ConvertTo(df, high), m2), df, out + 32 + l);
    }
  }
}

HWY_INLINE void DecodeQ6_K(const uint8_t* HWY_RESTRICT b, float* HWY_RESTRICT out) {
  // at most 16 lanes, so each vector of a 32-run lies under one scale
  const hn::CappedTag<float, 16> df;
  const hn::RebindToSigned<decltype(df)> di;
  const hn::Rebind<uint8_t, decltype(di)> du8;
  const size_t N = hn::Lanes(df);
  const uint8_t* ql = b;
  const uint8_t* qh = b + 128;
  const int8_t* sc = reinterpret_cast<const int8_t*>(b + 192);
  const float d = BlockScale(b + 208);
  const auto low_mask = hn::Set(di, 0xF), three = hn::Set(di, 3), bias = hn::Set(di, 32);
  for (int half = 0; half < 2; ++half, ql += 64, qh += 32, sc += 8, out += 128) {
    for (size_t l = 0; l < 32; l += N) {
      const int is = static_cast<int>(l / 16);
      const auto a = hn::PromoteTo(di, hn::LoadU(du8, ql + l));
      const auto c = hn::PromoteTo(di, hn::LoadU(du8, ql + 32 + l));
      const auto h = hn::PromoteTo(di, hn::LoadU(du8, qh + l));
      const auto q1 = hn::Sub(hn::Or(hn::And(a, low_mask), hn::ShiftLeft<4>(hn::And(h, three))), bias);
      const auto q2 = hn::Sub(hn::Or(hn::And(c, low_mask), hn::ShiftLeft<4>(hn::And(hn::ShiftRight<2>(h), three))),
                              bias);
      const auto q3 = hn::Sub(hn::Or(hn::ShiftRight<4>(a), hn::ShiftLeft<4>(hn::And(hn::ShiftRight<4>(h), three))),
                              bias);
      const auto q4 = hn::Sub(hn::Or(hn::ShiftRight<4>(c), hn::ShiftLeft<4>(hn::ShiftRight<6>(h))), bias);
      hn::StoreU(hn::Mul(hn::Set(df, d * static_cast<float>(sc[is])), hn::ConvertTo(df, q1)), df, out + l);
      hn::StoreU(hn::Mul(hn::Set(df, d * static_cast<float>(sc[is + 2])), hn::ConvertTo(df, q2)), df, out + 32 + l);
      hn::StoreU(hn::Mul(hn::Set(df, d * static_cast<float>(sc[is + 4])), hn::ConvertTo(df, q3)), df, out + 64 + l);
      hn::StoreU(hn::Mul(hn::Set(df, d * static_cast<float>(sc[is + 6])), hn::ConvertTo(df, q4)), df, out + 96 + l);
    }
  }
}

// ---- rows ----------------------------------------------------------------

template <void (*Decode)(const uint8_t*, float*), int64_t kValues, int64_t kBytes>
HWY_INLINE void DecodeBlocks(const uint8_t* HWY_RESTRICT src, int64_t cols, float* HWY_RESTRICT out) {
  const int64_t blocks = cols / kValues;
  for (int64_t i = 0; i < blocks; ++i) Decode(src + i * kBytes, out + i * kValues);
}

// Highway 1.0.3 emulates f16 -> f32 below AVX2 without infinities or NaN
// (measured: inf came out as 65536), so only F16C targets use PromoteTo.
HWY_INLINE void DecodeF16(const uint8_t* HWY_RESTRICT src, int64_t cols, float* HWY_RESTRICT out) {
#if !(HWY_ARCH_X86 && HWY_TARGET <= HWY_AVX2)
  for (int64_t i = 0; i < cols; ++i) out[i] = LoadHalf(src + 2 * i);
#else
  const hn::ScalableTag<float> df;
  const hn::Rebind<hwy::float16_t, decltype(df)> dh;
  const int64_t N = static_cast<int64_t>(hn::Lanes(df));
  int64_t i = 0;
  for (; i + N <= cols; i += N) {
    hwy::float16_t lanes[hn::MaxLanes(df)];  // src may be unaligned for float16_t
    std::memcpy(lanes, src + 2 * i, static_cast<size_t>(N) * 2);
    hn::StoreU(hn::PromoteTo(df, hn::LoadU(dh, lanes)), df, out + i);
  }
  for (; i < cols; ++i) out[i] = LoadHalf(src + 2 * i);
#endif
}

HWY_INLINE void DecodeBF16(const uint8_t* HWY_RESTRICT src, int64_t cols, float* HWY_RESTRICT out) {
  const hn::ScalableTag<float> df;
  const hn::RebindToUnsigned<decltype(df)> du;
  const hn::Rebind<uint16_t, decltype(df)> du16;
  const int64_t N = static_cast<int64_t>(hn::Lanes(df));
  int64_t i = 0;
  for (; i + N <= cols; i += N) {
    uint16_t lanes[hn::MaxLanes(df)];
    std::memcpy(lanes, src + 2 * i, static_cast<size_t>(N) * 2);
    const auto wide = hn::ShiftLeft<16>(hn::PromoteTo(du, hn::LoadU(du16, lanes)));
    hn::StoreU(hn::BitCast(df, wide), df, out + i);
  }
  for (; i < cols; ++i) {
    uint16_t h;
    std::memcpy(&h, src + 2 * i, 2);
    const uint32_t bits = static_cast<uint32_t>(h) << 16;
    std::memcpy(out + i, &bits, 4);
  }
}

HWY_INLINE void DecodeRow(QuantType type, const uint8_t* src, int64_t cols, float* out) {
  switch (type) {
    case QuantType::F16: return DecodeF16(src, cols, out);
    case QuantType::BF16: return DecodeBF16(src, cols, out);
    case QuantType::Q8_0: return DecodeBlocks<DecodeQ8_0, 32, 34>(src, cols, out);
    case QuantType::Q4_0: return DecodeBlocks<DecodeQ4_0, 32, 18>(src, cols, out);
    case QuantType::Q4_1: return DecodeBlocks<DecodeQ4_1, 32, 20>(src, cols, out);
    case QuantType::Q5_0: return DecodeBlocks<DecodeQ5_0, 32, 22>(src, cols, out);
    case QuantType::Q5_1: return DecodeBlocks<DecodeQ5_1, 32, 24>(src, cols, out);
    case QuantType::Q4_K: return DecodeBlocks<DecodeQ4_K, 256, 144>(src, cols, out);
    case QuantType::Q5_K: return DecodeBlocks<DecodeQ5_K, 256, 176>(src, cols, out);
    case QuantType::Q6_K: return DecodeBlocks<DecodeQ6_K, 256, 210>(src, cols, out);
  }
}

void DequantizeRows(QuantType type, const uint8_t* data, int64_t row_bytes, int64_t rows,
                    int64_t cols, float* out) {
  for (int64_t r = 0; r < rows; ++r) DecodeRow(type, data + r * row_bytes, cols, out + r * cols);
}

// ---- fused: dot(quantized row, x) without storing the decoded values ------

// Q8_0: sum over blocks of d * (sum_j q_j x_j).
HWY_INLINE float DotRowQ8_0(const uint8_t* HWY_RESTRICT row, int64_t cols, const float* HWY_RESTRICT x) {
  const hn::ScalableTag<float> df;
  const hn::RebindToSigned<decltype(df)> di;
  const hn::Rebind<int8_t, decltype(di)> di8;
  constexpr size_t N = hn::MaxLanes(df) < 32 ? hn::MaxLanes(df) : 32;
  auto acc0 = hn::Zero(df), acc1 = hn::Zero(df);
  const int64_t blocks = cols / 32;
  int64_t i = 0;
  // two blocks per iteration: two independent accumulation chains
  for (; i + 2 <= blocks; i += 2, row += 68, x += 64) {
    hwy::Prefetch(row + 8 * 68);
    const int8_t* q0 = reinterpret_cast<const int8_t*>(row + 2);
    const int8_t* q1 = reinterpret_cast<const int8_t*>(row + 36);
    auto s0 = hn::Zero(df), s1 = hn::Zero(df);
    for (size_t j = 0; j < 32; j += N) {
      s0 = hn::MulAdd(hn::ConvertTo(df, hn::PromoteTo(di, hn::LoadU(di8, q0 + j))), hn::LoadU(df, x + j), s0);
      s1 = hn::MulAdd(hn::ConvertTo(df, hn::PromoteTo(di, hn::LoadU(di8, q1 + j))), hn::LoadU(df, x + 32 + j),
                      s1);
    }
    acc0 = hn::MulAdd(hn::Set(df, BlockScale(row)), s0, acc0);
    acc1 = hn::MulAdd(hn::Set(df, BlockScale(row + 34)), s1, acc1);
  }
  for (; i < blocks; ++i, row += 34, x += 32) {
    const int8_t* q0 = reinterpret_cast<const int8_t*>(row + 2);
    auto s0 = hn::Zero(df);
    for (size_t j = 0; j < 32; j += N)
      s0 = hn::MulAdd(hn::ConvertTo(df, hn::PromoteTo(di, hn::LoadU(di8, q0 + j))), hn::LoadU(df, x + j), s0);
    acc0 = hn::MulAdd(hn::Set(df, BlockScale(row)), s0, acc0);
  }
  return hn::GetLane(hn::SumOfLanes(df, hn::Add(acc0, acc1)));
}

// x's sums over each run of 32 values: the min terms of Q4_K rows need them.
HWY_INLINE void SumsOf32(const float* HWY_RESTRICT x, int64_t cols, float* HWY_RESTRICT sums) {
  const hn::ScalableTag<float> df;
  constexpr size_t N = hn::MaxLanes(df) < 32 ? hn::MaxLanes(df) : 32;
  for (int64_t k = 0; k < cols / 32; ++k, x += 32) {
    auto s = hn::Zero(df);
    for (size_t l = 0; l < 32; l += N) s = hn::Add(s, hn::LoadU(df, x + l));
    sums[k] = hn::GetLane(hn::SumOfLanes(df, s));
  }
}

// Q4_K/Q5_K: per sub-block of 32, scale * (sum q x) - min * (sum x); the
// sums of x come precomputed (x_sums, from SumsOf32). Q5_K adds a fifth bit
// per value from its qh bytes (bit `sub` of qh[l] for value l of sub-block sub).
template <bool kQ5>
HWY_INLINE float DotRowK4(const uint8_t* HWY_RESTRICT row, int64_t cols, const float* HWY_RESTRICT x,
                          const float* HWY_RESTRICT x_sums) {
  const hn::ScalableTag<float> df;
  const hn::RebindToSigned<decltype(df)> di;
  const hn::Rebind<uint8_t, decltype(di)> du8;
  const hn::CappedTag<float, 8> d8;
  constexpr size_t N = hn::MaxLanes(df) < 32 ? hn::MaxLanes(df) : 32;
  constexpr int64_t kBlockBytes = kQ5 ? 176 : 144;
  const auto low_mask = hn::Set(di, 0xF), one = hn::Set(di, 1);
  auto acc_low = hn::Zero(df), acc_high = hn::Zero(df);
  auto acc_min = hn::Zero(d8);
  HWY_ALIGN float scales_mins[16];
  for (int64_t blk = 0; blk < cols / 256; ++blk, row += kBlockBytes, x_sums += 8) {
    hwy::Prefetch(row + 4 * kBlockBytes);
    ScalesMinsK4(row, scales_mins);
    for (size_t k = 0; k < 8; k += hn::Lanes(d8))
      acc_min = hn::MulAdd(hn::LoadU(d8, scales_mins + 8 + k), hn::LoadU(d8, x_sums + k), acc_min);
    const uint8_t* qh = row + 16;
    const uint8_t* q = row + (kQ5 ? 48 : 16);
    for (int sub = 0; sub < 8; sub += 2, q += 32, x += 64) {
      auto sq_low = hn::Zero(df), sq_high = hn::Zero(df);
      for (size_t l = 0; l < 32; l += N) {
        const auto bytes = hn::PromoteTo(di, hn::LoadU(du8, q + l));
        auto low = hn::And(bytes, low_mask);
        auto high = hn::ShiftRight<4>(bytes);
        if constexpr (kQ5) {
          const auto bits = hn::PromoteTo(di, hn::LoadU(du8, qh + l));
          low = hn::Or(low, hn::ShiftLeft<4>(hn::And(hn::ShiftRightSame(bits, sub), one)));
          high = hn::Or(high, hn::ShiftLeft<4>(hn::And(hn::ShiftRightSame(bits, sub + 1), one)));
        }
        sq_low = hn::MulAdd(hn::ConvertTo(df, low), hn::LoadU(df, x + l), sq_low);
        sq_high = hn::MulAdd(hn::ConvertTo(df, high), hn::LoadU(df, x + 32 + l), sq_high);
      }
      acc_low = hn::MulAdd(hn::Set(df, scales_mins[sub]), sq_low, acc_low);
      acc_high = hn::MulAdd(hn::Set(df, scales_mins[sub + 1]), sq_high, acc_high);
    }
  }
  return hn::GetLane(hn::SumOfLanes(df, hn::Add(acc_low, acc_high))) -
         hn::GetLane(hn::SumOfLanes(d8, acc_min));
}

// Q6_K: d * scale[16-run] * (q - 32), accumulated per vector (each vector of
// at most 16 lanes lies under one scale).
HWY_INLINE float DotRowQ6_K(const uint8_t* HWY_RESTRICT row, int64_t cols, const float* HWY_RESTRICT x) {
  const hn::CappedTag<float, 16> df;
  const hn::RebindToSigned<decltype(df)> di;
  const hn::Rebind<uint8_t, decltype(di)> du8;
  const size_t N = hn::Lanes(df);
  const auto low_mask = hn::Set(di, 0xF), three = hn::Set(di, 3), bias = hn::Set(di, 32);
  auto acc0 = hn::Zero(df), acc1 = hn::Zero(df), acc2 = hn::Zero(df), acc3 = hn::Zero(df);
  for (int64_t blk = 0; blk < cols / 256; ++blk, row += 210) {
    hwy::Prefetch(row + 4 * 210);
    const uint8_t* ql = row;
    const uint8_t* qh = row + 128;
    const int8_t* sc = reinterpret_cast<const int8_t*>(row + 192);
    const float d = BlockScale(row + 208);
    for (int half = 0; half < 2; ++half, ql += 64, qh += 32, sc += 8, x += 128) {
      for (size_t l = 0; l < 32; l += N) {
        const int is = static_cast<int>(l / 16);
        const auto a = hn::PromoteTo(di, hn::LoadU(du8, ql + l));
        const auto c = hn::PromoteTo(di, hn::LoadU(du8, ql + 32 + l));
        const auto h = hn::PromoteTo(di, hn::LoadU(du8, qh + l));
        const auto q1 = hn::Sub(hn::Or(hn::And(a, low_mask), hn::ShiftLeft<4>(hn::And(h, three))), bias);
        const auto q2 = hn::Sub(
            hn::Or(hn::And(c, low_mask), hn::ShiftLeft<4>(hn::And(hn::ShiftRight<2>(h), three))), bias);
        const auto q3 = hn::Sub(
            hn::Or(hn::ShiftRight<4>(a), hn::ShiftLeft<4>(hn::And(hn::ShiftRight<4>(h), three))), bias);
        const auto q4 = hn::Sub(hn::Or(hn::ShiftRight<4>(c), hn::ShiftLeft<4>(hn::ShiftRight<6>(h))), bias);
        acc0 = hn::MulAdd(hn::Set(df, d * static_cast<float>(sc[is])),
                          hn::Mul(hn::ConvertTo(df, q1), hn::LoadU(df, x + l)), acc0);
        acc1 = hn::MulAdd(hn::Set(df, d * static_cast<float>(sc[is + 2])),
                          hn::Mul(hn::ConvertTo(df, q2), hn::LoadU(df, x + 32 + l)), acc1);
        acc2 = hn::MulAdd(hn::Set(df, d * static_cast<float>(sc[is + 4])),
                          hn::Mul(hn::ConvertTo(df, q3), hn::LoadU(df, x + 64 + l)), acc2);
        acc3 = hn::MulAdd(hn::Set(df, d * static_cast<float>(sc[is + 6])),
                          hn::Mul(hn::ConvertTo(df, q4), hn::LoadU(df, x + 96 + l)), acc3);
      }
    }
  }
  return hn::GetLane(hn::SumOfLanes(df, hn::Add(hn::Add(acc0, acc1), hn::Add(acc2, acc3))));
}

// out[j] = dot(w + j * cols, x) for j < nw: four weight rows share each x load.
HWY_INLINE void DotRows(const float* HWY_RESTRICT w, int64_t nw, int64_t cols,
                        const float* HWY_RESTRICT x, float* HWY_RESTRICT out) {
  const hn::ScalableTag<float> d;
  const int64_t N = static_cast<int64_t>(hn::Lanes(d));
  int64_t j = 0;
  for (; j + 4 <= nw; j += 4) {
    const float* w0 = w + j * cols;
    const float* w1 = w0 + cols;
    const float* w2 = w1 + cols;
    const float* w3 = w2 + cols;
    auto s0 = hn::Zero(d), s1 = hn::Zero(d), s2 = hn::Zero(d), s3 = hn::Zero(d);
    int64_t k = 0;
    for (; k + N <= cols; k += N) {
      const auto xv = hn::LoadU(d, x + k);
      s0 = hn::MulAdd(hn::LoadU(d, w0 + k), xv, s0);
      s1 = hn::MulAdd(hn::LoadU(d, w1 + k), xv, s1);
      s2 = hn::MulAdd(hn::LoadU(d, w2 + k), xv, s2);
      s3 = hn::MulAdd(hn::LoadU(d, w3 + k), xv, s3);
    }
    float t0 = hn::GetLane(hn::SumOfLanes(d, s0)), t1 = hn::GetLane(hn::SumOfLanes(d, s1));
    float t2 = hn::GetLane(hn::SumOfLanes(d, s2)), t3 = hn::GetLane(hn::SumOfLanes(d, s3));
    for (; k < cols; ++k) {
      t0 += w0[k] * x[k];
      t1 += w1[k] * x[k];
      t2 += w2[k] * x[k];
      t3 += w3[k] * x[k];
    }
    out[j] = t0;
    out[j + 1] = t1;
    out[j + 2] = t2;
    out[j + 3] = t3;
  }
  for (; j < nw; ++j) {
    const float* wr = w + j * cols;
    auto s0 = hn::Zero(d), s1 = hn::Zero(d);
    int64_t k = 0;
    for (; k + 2 * N <= cols; k += 2 * N) {
      s0 = hn::MulAdd(hn::LoadU(d, wr + k), hn::LoadU(d, x + k), s0);
      s1 = hn::MulAdd(hn::LoadU(d, wr + k + N), hn::LoadU(d, x + k + N), s1);
    }
    for (; k + N <= cols; k += N) s0 = hn::MulAdd(hn::LoadU(d, wr + k), hn::LoadU(d, x + k), s0);
    float t = hn::GetLane(hn::SumOfLanes(d, hn::Add(s0, s1)));
    for (; k < cols; ++k) t += wr[k] * x[k];
    out[j] = t;
  }
}

void Linear(QuantType type, const uint8_t* weight, int64_t row_bytes, int64_t rows, int64_t cols,
            const float* x, int64_t n, float* y, float* scratch) {
  // A decode step (one x row): the fused kernels read each weight byte once
  // and store nothing; more rows amortise decoding a tile over all of them.
  // Weight row outer: its bytes come from memory once and from L1 for the other x rows.
  if (n <= kFusedMaxRows && HasFusedDot(type)) {
    const int64_t sums_per_row = cols / 32;
    const bool k4 = type == QuantType::Q4_K || type == QuantType::Q5_K;
    if (k4)
      for (int64_t i = 0; i < n; ++i) SumsOf32(x + i * cols, cols, scratch + i * sums_per_row);
    for (int64_t r = 0; r < rows; ++r) {
      const uint8_t* w = weight + r * row_bytes;
      for (int64_t i = 0; i < n; ++i) {
        const float* xi = x + i * cols;
        const float* sums = scratch + i * sums_per_row;
        float v;
        switch (type) {
          case QuantType::Q8_0: v = DotRowQ8_0(w, cols, xi); break;
          case QuantType::Q4_K: v = DotRowK4<false>(w, cols, xi, sums); break;
          case QuantType::Q5_K: v = DotRowK4<true>(w, cols, xi, sums); break;
          default: v = DotRowQ6_K(w, cols, xi); break;
        }
        y[i * rows + r] = v;
      }
    }
    return;
  }
  const int64_t tile_rows = cols > 0 ? std::max<int64_t>(1, kLinearTileFloats / cols) : rows;
  float partial[4];
  for (int64_t r0 = 0; r0 < rows; r0 += tile_rows) {
    const int64_t nr = std::min(tile_rows, rows - r0);
    DequantizeRows(type, weight + r0 * row_bytes, row_bytes, nr, cols, scratch);
    for (int64_t i = 0; i < n; ++i) {
      float* yi = y + i * rows + r0;
      const float* xi = x + i * cols;
      for (int64_t j = 0; j < nr; j += 4) {
        const int64_t m = std::min<int64_t>(4, nr - j);
        DotRows(scratch + j * cols, m, cols, xi, partial);
        for (int64_t t = 0; t < m; ++t) yi[j + t] = partial[t];
      }
    }
  }
}

}  // namespace HWY_NAMESPACE
}  // namespace trueno::kernels
HWY_AFTER_NAMESPACE();

#if HWY_ONCE
#ifdef TRUENO_HAVE_OPENBLAS
#include <cblas.h>
#endif

namespace trueno::kernels {

HWY_EXPORT(DequantizeRows);
HWY_EXPORT(Linear);

namespace {
constexpr QuantBlockFormat kFormats[] = {
    {"F16", 1, 2},        {"Q4_0", 32, 18},   {"Q4_1", 32, 20},   {"Q5_0", 32, 22},
    {"Q5_1", 32, 24},     {"Q8_0", 32, 34},   {"Q4_K", 256, 144}, {"Q5_K", 256, 176},
    {"Q6_K", 256, 210},   {"BF16", 1, 2},
};
constexpr int32_t kFormatIds[] = {1, 2, 3, 6, 7, 8, 12, 13, 14, 30};

int64_t row_bytes_of(QuantType type, int64_t cols) {
  const QuantBlockFormat* f = quant_block_format(static_cast<int32_t>(type));
  return cols / f->values * f->bytes;
}

bool use_gemm(int64_t n, int64_t rows, int64_t cols) {
#ifdef TRUENO_HAVE_OPENBLAS
  return n >= quant_detail::kGemmMinRows && n <= INT32_MAX && rows <= INT32_MAX && cols <= INT32_MAX &&
         cols > 0;
#else
  (void)n, (void)rows, (void)cols;
  return false;
#endif
}

int64_t tile_rows_of(int64_t n, int64_t rows, int64_t cols) {
  const int64_t tile_floats = use_gemm(n, rows, cols) ? quant_detail::kGemmTileFloats
                                                      : quant_detail::kLinearTileFloats;
  return std::min(std::max<int64_t>(rows, 1), cols > 0 ? std::max<int64_t>(1, tile_floats / cols) : 1);
}
}  // namespace

const QuantBlockFormat* quant_block_format(int32_t type_id) {
  for (size_t i = 0; i < sizeof kFormatIds / sizeof kFormatIds[0]; ++i)
    if (kFormatIds[i] == type_id) return &kFormats[i];
  return nullptr;
}

void quant_dequantize_rows(QuantType type, const uint8_t* data, int64_t rows, int64_t cols,
                           float* out) {
  HWY_DYNAMIC_DISPATCH(DequantizeRows)(type, data, row_bytes_of(type, cols), rows, cols, out);
}

int64_t quant_linear_scratch_floats(QuantType type, int64_t n, int64_t rows, int64_t cols) {
  // The fused kernels need only x's sums of 32 (Q4_K/Q5_K), one per 32 values of each x row.
  if (n <= quant_detail::kFusedMaxRows && quant_detail::HasFusedDot(type))
    return std::max<int64_t>(1, n * (cols / 32));
  return std::max<int64_t>(1, tile_rows_of(n, rows, cols) * cols);
}

void quant_linear(QuantType type, const uint8_t* weight, int64_t rows, int64_t cols,
                  const float* x, int64_t n, float* y, float* scratch) {
  const int64_t row_bytes = row_bytes_of(type, cols);
#ifdef TRUENO_HAVE_OPENBLAS
  if (use_gemm(n, rows, cols)) {
    const int64_t tile_rows = tile_rows_of(n, rows, cols);
    for (int64_t r0 = 0; r0 < rows; r0 += tile_rows) {
      const int64_t nr = std::min(tile_rows, rows - r0);
      HWY_DYNAMIC_DISPATCH(DequantizeRows)(type, weight + r0 * row_bytes, row_bytes, nr, cols, scratch);
      // y[:, r0:r0+nr] = x @ tile.T
      scipy_cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, static_cast<blasint>(n),
                        static_cast<blasint>(nr), static_cast<blasint>(cols), 1.0f, x,
                        static_cast<blasint>(cols), scratch, static_cast<blasint>(cols), 0.0f, y + r0,
                        static_cast<blasint>(rows));
    }
    return;
  }
#endif
  HWY_DYNAMIC_DISPATCH(Linear)(type, weight, row_bytes, rows, cols, x, n, y, scratch);
}

}  // namespace trueno::kernels
#endif  // HWY_ONCE

// ggml block formats on every Highway target (see kernels/quant.h).
//
// Block decoders follow ggml's reference dequantization (ggml-quants.c) value
// for value; they are plain loops over a block's 32 or 256 values, which the
// compiler vectorises for each target (the per-target pragma of
// HWY_BEFORE_NAMESPACE applies). F16/BF16 rows and the dot products are
// Highway code. For a few x rows, Q8_0/Q4_0/Q4_1/Q5_0/Q5_1 rows are dotted
// with float x as they are decoded, and K-quant rows with x rounded to int8 (integer dot products:
// pmaddubsw on AVX2/AVX3, Highway's int16 ReorderWidenMulAccumulate
// elsewhere). Many x rows meet K-quant weights as int8 too on AVX2/AVX3
// (LinearIntBatched: four weight rows decoded once to bytes, then 512- or
// 256-bit integer products with every x row; with AVX-512 VNNI, 16 rows
// interleaved for vpdpbusd from 16 x rows on). Otherwise quant_linear decodes
// a tile of weight rows into scratch (at most 256 KiB, L2-resident) and
// takes the dot products of every x row with the tile, four weight rows at a
// time so each x load feeds four FMAs (or hands the tile to sgemm).
#include <algorithm>
#include <atomic>
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
// Up to this many x rows, block-quantized weights take the fused kernel once per x
// row (re-decoding is cheaper than storing and re-reading a decoded tile).
constexpr int64_t kFusedMaxRows = 4;
// A batched K-quant pass multiplies each decoded weight block with this
// many bytes of x's int8 blocks at a time (L2-resident; decoding is then
// amortised over >= 100 x rows up to rows of 4096 values).
constexpr int64_t kIntBatchBytes = 512 * 1024;
// From this many x rows on, AVX-512 VNNI's kernel (16 weight rows per
// decoded tile) beats the others: at 16 rows 1.3x pmaddubsw's for Q4_K and
// 2-3x sgemm's for Q8_0, but 0.7x for Q6_K (16 runs a block), which breaks
// even near 24; 1.6-2.8x for all from 128 rows.
constexpr int64_t kVnniMinRows = 16;
constexpr int64_t kVnniMinRowsQ6_K = 32;
inline bool HasFusedDot(QuantType type) {
  return type == QuantType::Q8_0 || type == QuantType::Q4_0 || type == QuantType::Q4_1 ||
         type == QuantType::Q5_0 || type == QuantType::Q5_1 || type == QuantType::Q4_K ||
         type == QuantType::Q5_K || type == QuantType::Q6_K;
}
// Q4_1 and Q5_1 add a min per block: their fused dots need x's sums of 32.
inline bool NeedsSumsOf32(QuantType type) {
  return type == QuantType::Q4_1 || type == QuantType::Q5_1;
}
constexpr int64_t kGemmTileFloats = 262144;
// How far ahead of the row being multiplied the fused kernels prefetch
// weight bytes (measured on a 768-wide model: 2 KiB beat 0.5, 4, 8 and 16 KiB).
constexpr int64_t kLinearPrefetchBytes = 2048;

// One x row's 256 values rounded to int8 for the K-quant dot products, as
// ggml's block_q8_K: x[k] ~ d * q[k], |q| <= 127, and the sums of each run of
// 16 q (the min and offset terms of Q4_K/Q5_K/Q6_K need only those sums).
struct ActivationBlock {
  alignas(64) int8_t q[256];  // first: vector loads stay within cache lines
  float d;
  int16_t sums16[16];
  int16_t sums32[8];
  float sums16f[16];  // the same sums as floats, for the VNNI kernel's offsets
  float sums32f[8];
  float d32[8];  // per-run scales where x was rounded in runs of 32 (then d = 1)
};
static_assert(sizeof(ActivationBlock) % sizeof(float) == 0, "lives in float scratch");
constexpr float kTinyRunMax = 1e-30f;  // below this, 127 / max may overflow float32
constexpr int64_t kActivationBlockFloats = sizeof(ActivationBlock) / sizeof(float);

// A K-quant block decoded once for integer dot products with many x rows
// (a batched pass): its 256 unsigned values in x's order, the scale of
// each run of 16 values and of each pair of values (pmaddwd's lanes), the
// Q4_K/Q5_K mins of each run of 32, and the block's float factors.
struct IntBlock {
  alignas(64) uint8_t values[256];
  alignas(64) int16_t pair_scales[128];
  int16_t run_scales[16];
  int16_t mins[8];
  float d, dmin;
};
static_assert(sizeof(IntBlock) % 64 == 0, "IntBlocks tile 64-byte aligned scratch");

// 16 weight rows x one K-quant block laid out for vpdpbusd (AVX-512 VNNI),
// whose int32 lanes then hold 16 rows: values four at a time, row-major
// within each group, and each run's per-row factors as vectors.
// A run (16 values for Q6_K, 32 for the others) of row r holds values
// scale * v + offset with v its unsigned byte: the dot with x is
// scale * sum(v x) + offset * sum(x).
struct VnniTile {
  alignas(64) uint8_t groups[64][64];     // [g][4 * row + j]: the row's byte 4 * g + j
  alignas(64) float run_scales[16][16];   // [run][row]
  alignas(64) float run_offsets[16][16];  // [run][row]
};
static_assert(sizeof(VnniTile) % 64 == 0, "VnniTiles tile 64-byte aligned scratch");

// Whether AVX3 code may use VNNI (the CPU has it and no test turned it off).
inline std::atomic<bool>& VnniEnabled() {
  static std::atomic<bool> enabled{__builtin_cpu_supports("avx512vnni") != 0};
  return enabled;
}

inline bool HasInt8Dot(QuantType type) {
  return type == QuantType::Q4_K || type == QuantType::Q5_K || type == QuantType::Q6_K;
}

// Formats of 32-value blocks whose values are a byte times a scale plus an
// offset: the VNNI kernel takes them too, 8 blocks to a tile.
inline bool IsBlock32Int(QuantType type) {
  return type == QuantType::Q8_0 || type == QuantType::Q4_0 || type == QuantType::Q4_1 ||
         type == QuantType::Q5_0 || type == QuantType::Q5_1;
}

// Whether `n` x rows of width `cols` take the VNNI kernel, on a target and
// CPU that have it (`vnni`).
inline bool UsesVnniBatch(bool vnni, QuantType type, int64_t n, int64_t cols) {
  return vnni && n >= (type == QuantType::Q6_K ? kVnniMinRowsQ6_K : kVnniMinRows) && cols >= 256 &&
         cols % 256 == 0 &&
         (HasInt8Dot(type) || IsBlock32Int(type));
}

// x rows a batched K-quant pass rounds to int8 and multiplies at a time
// (kIntBatchBytes of activation blocks, at least 16 rows).
inline int64_t IntBatchRows(int64_t cols) {
  return std::max<int64_t>(16, kIntBatchBytes / (std::max<int64_t>(cols / 256, 1) *
                                                 static_cast<int64_t>(sizeof(ActivationBlock))));
}

// Floats of scratch the decoded weight rows of a batched integer pass take
// (4 IntBlocks or a VnniTile per 256 values; 0 for a decode step).
inline int64_t IntBatchedDecodedFloats(QuantType type, int64_t n, int64_t cols) {
  return n > kFusedMaxRows && (HasInt8Dot(type) || IsBlock32Int(type))
             ? (cols / 256) * static_cast<int64_t>(std::max(4 * sizeof(IntBlock), sizeof(VnniTile)) /
                                                    sizeof(float))
             : 0;
}

// The 6-bit scales of the 8 sub-blocks, then their mins, of a Q4_K/Q5_K
// block as bytes, from its 12 packed bytes (ggml's get_scale_min_k4, four
// bytes at a time).
inline void UnpackScalesMinsK4(const uint8_t* packed, uint8_t* out) {
  uint32_t words[3], unpacked[4];
  std::memcpy(words, packed, sizeof words);
  unpacked[0] = words[0] & 0x3F3F3F3Fu;
  unpacked[1] = (words[2] & 0x0F0F0F0Fu) | ((words[0] >> 2) & 0x30303030u);
  unpacked[2] = words[1] & 0x3F3F3F3Fu;
  unpacked[3] = ((words[2] >> 4) & 0x0F0F0F0Fu) | ((words[1] >> 2) & 0x30303030u);
  std::memcpy(out, unpacked, sizeof unpacked);
}

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

// x's sums over each run of 32 values: the min terms of Q4_1/Q5_1 rows need them.
HWY_INLINE void SumsOf32(const float* HWY_RESTRICT x, int64_t cols, float* HWY_RESTRICT sums) {
  const hn::CappedTag<float, 16> df;
  const size_t N = hn::Lanes(df);
  for (int64_t k = 0; k < cols / 32; ++k, x += 32) {
    auto s = hn::Zero(df);
    for (size_t l = 0; l < 32; l += N) s = hn::Add(s, hn::LoadU(df, x + l));
    sums[k] = hn::GetLane(hn::SumOfLanes(df, s));
  }
}

// Q4_0/Q4_1/Q5_0/Q5_1 (see Decode32): per block d * sum((q + offset) x) + m * sum(x),
// the integers q + offset exact in float32.
template <QuantType kType>
HWY_INLINE float DotRow32(const uint8_t* HWY_RESTRICT row, int64_t cols, const float* HWY_RESTRICT x,
                          const float* HWY_RESTRICT x_sums) {
  constexpr bool kHighBits = kType == QuantType::Q5_0 || kType == QuantType::Q5_1;
  constexpr bool kMin = kType == QuantType::Q4_1 || kType == QuantType::Q5_1;
  constexpr int64_t kBytes = kType == QuantType::Q4_0 ? 18 : kType == QuantType::Q4_1 ? 20
                           : kType == QuantType::Q5_0 ? 22 : 24;
  constexpr int64_t kQsAt = kBytes - 16;
  const hn::CappedTag<float, 16> df;
  const hn::RebindToSigned<decltype(df)> di;
  const hn::Rebind<uint8_t, decltype(di)> du8;
  const size_t N = hn::Lanes(df);
  const auto voffset = hn::Set(di, kHighBits ? (kMin ? 0 : -16) : (kMin ? 0 : -8));
  const auto low_mask = hn::Set(di, 0xF), sixteen = hn::Set(di, 16);
  auto acc = hn::Zero(df);
  float min_sum = 0.0f;
  for (int64_t b = 0; b < cols / 32; ++b, row += kBytes, x += 32) {
    const uint8_t* qs = row + kQsAt;
    const auto bits = hn::Set(di, kHighBits ? static_cast<int32_t>(LoadWord(row + (kMin ? 4 : 2))) : 0);
    auto s_low = hn::Zero(df), s_high = hn::Zero(df);
    for (size_t j = 0; j < 16; j += N) {
      const auto bytes = hn::PromoteTo(di, hn::LoadU(du8, qs + j));
      auto low = hn::And(bytes, low_mask);
      auto high = hn::ShiftRight<4>(bytes);
      if constexpr (kHighBits) {
        low = hn::Or(low, hn::IfThenElseZero(hn::TestBit(bits, hn::LoadU(di, kBitOf + j)), sixteen));
        high = hn::Or(high, hn::IfThenElseZero(hn::TestBit(bits, hn::LoadU(di, kBitOf + 16 + j)), sixteen));
      }
      s_low = hn::MulAdd(hn::ConvertTo(df, hn::Add(low, voffset)), hn::LoadU(df, x + j), s_low);
      s_high = hn::MulAdd(hn::ConvertTo(df, hn::Add(high, voffset)), hn::LoadU(df, x + 16 + j), s_high);
    }
    acc = hn::MulAdd(hn::Set(df, BlockScale(row)), hn::Add(s_low, s_high), acc);
    if constexpr (kMin) min_sum += BlockScale(row + 2) * x_sums[b];
  }
  return hn::GetLane(hn::SumOfLanes(df, acc)) + min_sum;
}

// ---- K-quants times int8 activations (a decode step) ----------------------
// As llama.cpp does: x is rounded to int8 once per call (ActivationBlock),
// then each weight block takes exact integer dot products; only the block's
// float scales multiply the integer sums. The integers are the same on every
// target and the floats are combined in one order, so all targets agree bit
// for bit.

// x[0, len) -> q with x ~ d * q: d = max|x| / 127, q = rint(x / d), and
// the sums of each 16 q; returns d (0 for an all-zero run, NaN when the run
// holds inf or NaN: then q = 0 and the run's products come out NaN, as float
// arithmetic would). len is 32 or 256.
HWY_INLINE float QuantizeRun(const float* HWY_RESTRICT x, size_t len, int8_t* HWY_RESTRICT q,
                             int16_t* HWY_RESTRICT sums16) {
  const hn::CappedTag<float, 16> df;
  const hn::RebindToSigned<decltype(df)> di;
  const hn::Rebind<int8_t, decltype(di)> d8;
  const size_t N = hn::Lanes(df);
  auto vmax = hn::Zero(df);
  auto finite = hn::Zero(df);  // stays 0 unless some x is inf or NaN (then NaN)
  for (size_t k = 0; k < len; k += N) {
    const auto v = hn::LoadU(df, x + k);
    vmax = hn::Max(vmax, hn::Abs(v));
    finite = hn::Add(finite, hn::Mul(v, hn::Zero(df)));
  }
  const float amax = hn::GetLane(hn::MaxOfLanes(df, vmax));
  const float poison = hn::GetLane(hn::SumOfLanes(df, finite));
  if (poison != 0.0f || amax == 0.0f) {
    std::memset(q, 0, len);
    std::memset(sums16, 0, len / 16 * sizeof(int16_t));
    return poison != 0.0f ? poison : 0.0f;
  }
  // 127 / max overflows for a run of subnormal-sized values: such runs are
  // first scaled up by 2^64, exactly (a power of two, nothing overflows).
  // |x| <= max, so the rounded values lie in [-127, 127].
  const float scale_up = amax < kTinyRunMax ? 0x1p64f : 1.0f;
  const auto vscale_up = hn::Set(df, scale_up), vinverse = hn::Set(df, 127.0f / (amax * scale_up));
  for (size_t g = 0; g < len / 16; ++g) {
    auto sum = hn::Zero(di);
    for (size_t k = 16 * g; k < 16 * g + 16; k += N) {
      const auto r = hn::NearestInt(hn::Mul(hn::Mul(hn::LoadU(df, x + k), vscale_up), vinverse));
      hn::StoreU(hn::DemoteTo(d8, r), d8, q + k);
      sum = hn::Add(sum, r);
    }
    sums16[g] = static_cast<int16_t>(hn::GetLane(hn::SumOfLanes(di, sum)));
  }
  return amax / 127.0f;
}

// x[0, cols) -> cols / 256 activation blocks. kRun 256: one scale a block
// (d; ggml's Q8_K, for K-quant weights); kRun 32: one a run of 32 (d32, and
// d = 1; ggml's Q8_0, for weights of 32-value blocks).
template <size_t kRun = 256>
HWY_INLINE void QuantizeActivations(const float* HWY_RESTRICT x, int64_t cols,
                                    ActivationBlock* HWY_RESTRICT out) {
  for (int64_t b = 0; b < cols / 256; ++b, x += 256, ++out) {
    if constexpr (kRun == 256) {
      out->d = QuantizeRun(x, 256, out->q, out->sums16);
    } else {
      out->d = 1.0f;
      for (int j = 0; j < 8; ++j)
        out->d32[j] = QuantizeRun(x + 32 * j, 32, out->q + 32 * j, out->sums16 + 2 * j);
    }
    for (int g = 0; g < 16; ++g) out->sums16f[g] = out->sums16[g];
    for (int j = 0; j < 8; ++j) {
      out->sums32[j] = static_cast<int16_t>(out->sums16[2 * j] + out->sums16[2 * j + 1]);
      out->sums32f[j] = out->sums32[j];
    }
  }
}


template <bool kQ5>
HWY_INLINE void DecodeIntBlockK4(const uint8_t* HWY_RESTRICT block, IntBlock* HWY_RESTRICT out) {
  HWY_ALIGN uint8_t scales_mins[16];
  UnpackScalesMinsK4(block + 4, scales_mins);
  const uint8_t* q = block + (kQ5 ? 48 : 16);
  const uint8_t* qh = block + 16;
  for (int j = 0; j < 4; ++j, q += 32) {
    for (int l = 0; l < 32; ++l) {
      int low = q[l] & 0xF, high = q[l] >> 4;
      if constexpr (kQ5) {
        low |= ((qh[l] >> (2 * j)) & 1) << 4;
        high |= ((qh[l] >> (2 * j + 1)) & 1) << 4;
      }
      out->values[64 * j + l] = static_cast<uint8_t>(low);
      out->values[64 * j + 32 + l] = static_cast<uint8_t>(high);
    }
  }
  for (int g = 0; g < 16; ++g) out->run_scales[g] = scales_mins[g / 2];
  for (int j = 0; j < 8; ++j) out->mins[j] = scales_mins[8 + j];
  out->d = BlockScale(block);
  out->dmin = BlockScale(block + 2);
}

HWY_INLINE void DecodeIntBlockQ6_K(const uint8_t* HWY_RESTRICT block, IntBlock* HWY_RESTRICT out) {
  for (int half = 0; half < 2; ++half) {
    const uint8_t* ql = block + 64 * half;
    const uint8_t* qh = block + 128 + 32 * half;
    uint8_t* v = out->values + 128 * half;
    for (int l = 0; l < 32; ++l) {
      v[l] = static_cast<uint8_t>((ql[l] & 0xF) | ((qh[l] & 3) << 4));
      v[l + 32] = static_cast<uint8_t>((ql[l + 32] & 0xF) | (((qh[l] >> 2) & 3) << 4));
      v[l + 64] = static_cast<uint8_t>((ql[l] >> 4) | (((qh[l] >> 4) & 3) << 4));
      v[l + 96] = static_cast<uint8_t>((ql[l + 32] >> 4) | (((qh[l] >> 6) & 3) << 4));
    }
  }
  const int8_t* sc = reinterpret_cast<const int8_t*>(block + 192);
  for (int g = 0; g < 16; ++g) out->run_scales[g] = sc[g];
  out->d = BlockScale(block + 208);
  out->dmin = 0.0f;
}

// One block's share of a row's dot product, from the exact integer sums:
// the fused (decode step) and batched kernels both add exactly this, in
// block order, so a position's logits do not depend on the batch size.
HWY_INLINE float BlockTermK4(float d, float dmin, float xd, int32_t dot, int32_t min_sum) {
  return (d * xd) * static_cast<float>(dot) - (dmin * xd) * static_cast<float>(min_sum);
}
HWY_INLINE float BlockTermQ6_K(float d, float xd, int32_t dot) {
  return (d * xd) * static_cast<float>(dot);
}

#if HWY_TARGET == HWY_AVX2 || HWY_TARGET == HWY_AVX3
// x86 with AVX2 (AVX3 is a superset): pmaddubsw multiplies the unsigned
// weight values (< 64) by the int8 activations without overflow, pmaddwd
// applies a scale per 16 values. Zen 4 runs 512-bit integer ops at half
// rate, so 256 bits are as fast on AVX3 for a decode step, which waits on memory anyway.
HWY_INLINE int32_t HorizontalSum(__m256i v) {
  __m128i s = _mm_add_epi32(_mm256_castsi256_si128(v), _mm256_extracti128_si256(v, 1));
  s = _mm_add_epi32(s, _mm_shuffle_epi32(s, _MM_SHUFFLE(1, 0, 3, 2)));
  s = _mm_add_epi32(s, _mm_shuffle_epi32(s, _MM_SHUFFLE(2, 3, 0, 1)));
  return _mm_cvtsi128_si32(s);
}

// sum over sub-blocks s of scale[s] * sum(q * x) for Q4_K (kQ5: Q5_K) values.
template <bool kQ5>
HWY_INLINE int32_t IntDotK4(const uint8_t* HWY_RESTRICT block, const uint8_t* HWY_RESTRICT scale,
                            const int8_t* HWY_RESTRICT xq) {
  const __m256i low_mask = _mm256_set1_epi8(0xF), one = _mm256_set1_epi8(1);
  // the 8 scales as int16 in both 128-bit halves; pshufb broadcasts one
  const __m256i scales16 = _mm256_broadcastsi128_si256(
      _mm_cvtepu8_epi16(_mm_loadl_epi64(reinterpret_cast<const __m128i*>(scale))));
  const uint8_t* q = block + (kQ5 ? 48 : 16);
  __m256i high_bits = kQ5 ? _mm256_loadu_si256(reinterpret_cast<const __m256i*>(block + 16))
                          : _mm256_setzero_si256();
  __m256i sum = _mm256_setzero_si256();
  for (int j = 0; j < 4; ++j, q += 32, xq += 64) {
    const __m256i bytes = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(q));
    __m256i low = _mm256_and_si256(bytes, low_mask);
    __m256i high = _mm256_and_si256(_mm256_srli_epi16(bytes, 4), low_mask);
    if constexpr (kQ5) {
      low = _mm256_or_si256(low, _mm256_slli_epi16(_mm256_and_si256(high_bits, one), 4));
      high = _mm256_or_si256(
          high, _mm256_slli_epi16(_mm256_and_si256(_mm256_srli_epi16(high_bits, 1), one), 4));
      high_bits = _mm256_srli_epi16(high_bits, 2);
    }
    const __m256i x_low = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(xq));
    const __m256i x_high = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(xq + 32));
    const __m256i scale_low = _mm256_shuffle_epi8(scales16, _mm256_set1_epi16(static_cast<int16_t>(0x0100 + 0x0202 * 2 * j)));
    const __m256i scale_high = _mm256_shuffle_epi8(scales16, _mm256_set1_epi16(static_cast<int16_t>(0x0100 + 0x0202 * (2 * j + 1))));
    const __m256i p_low = _mm256_madd_epi16(_mm256_maddubs_epi16(low, x_low), scale_low);
    const __m256i p_high = _mm256_madd_epi16(_mm256_maddubs_epi16(high, x_high), scale_high);
    sum = _mm256_add_epi32(sum, _mm256_add_epi32(p_low, p_high));
  }
  return HorizontalSum(sum);
}

// sum over runs g of 16 of scales[g] * sum(q * x) for Q6_K's unsigned 6-bit q.
HWY_INLINE int32_t IntDotQ6_K(const uint8_t* HWY_RESTRICT block, const int8_t* HWY_RESTRICT xq) {
  const __m256i low_mask = _mm256_set1_epi8(0xF), bits45 = _mm256_set1_epi8(0x30);
  __m256i sum = _mm256_setzero_si256();
  const int8_t* scales = reinterpret_cast<const int8_t*>(block + 192);
  for (int half = 0; half < 2; ++half, xq += 128, scales += 8) {
    const uint8_t* ql = block + 64 * half;
    const __m256i l0 = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(ql));
    const __m256i l1 = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(ql + 32));
    const __m256i h = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(block + 128 + 32 * half));
    const __m256i q[4] = {
        _mm256_or_si256(_mm256_and_si256(l0, low_mask), _mm256_and_si256(_mm256_slli_epi16(h, 4), bits45)),
        _mm256_or_si256(_mm256_and_si256(l1, low_mask), _mm256_and_si256(_mm256_slli_epi16(h, 2), bits45)),
        _mm256_or_si256(_mm256_and_si256(_mm256_srli_epi16(l0, 4), low_mask), _mm256_and_si256(h, bits45)),
        _mm256_or_si256(_mm256_and_si256(_mm256_srli_epi16(l1, 4), low_mask),
                        _mm256_and_si256(_mm256_srli_epi16(h, 2), bits45))};
    for (int k = 0; k < 4; ++k) {
      const __m256i x = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(xq + 32 * k));
      // pmaddubsw's 16 lanes: the first 8 hold values 0-15 of the run of 32, the last 8 values 16-31
      const __m256i run_scales = _mm256_set_m128i(_mm_set1_epi16(scales[2 * k + 1]), _mm_set1_epi16(scales[2 * k]));
      sum = _mm256_add_epi32(sum, _mm256_madd_epi16(_mm256_maddubs_epi16(q[k], x), run_scales));
    }
  }
  return HorizontalSum(sum);
}

// The batched kernel's vectors: 512 bits on AVX3 (a batched pass is
// compute-bound: twice the products per instruction), 256 on AVX2.
#if HWY_TARGET == HWY_AVX3
using IntVec = __m512i;
using FloatVec = __m512;
constexpr int kIntVecBytes = 64;
HWY_INLINE IntVec LoadInts(const void* p) { return _mm512_loadu_si512(p); }
HWY_INLINE IntVec ScaledProducts(IntVec values, IntVec x, IntVec pair_scales) {
  return _mm512_madd_epi16(_mm512_maddubs_epi16(values, x), pair_scales);
}
HWY_INLINE IntVec AddInts(IntVec a, IntVec b) { return _mm512_add_epi32(a, b); }
HWY_INLINE IntVec ZeroInts() { return _mm512_setzero_si512(); }
HWY_INLINE FloatVec ZeroFloats() { return _mm512_setzero_ps(); }
HWY_INLINE FloatVec MulAddInts(IntVec v, float factor, FloatVec acc) {
  return _mm512_fmadd_ps(_mm512_cvtepi32_ps(v), _mm512_set1_ps(factor), acc);
}
HWY_INLINE float SumOf(FloatVec v) { return _mm512_reduce_add_ps(v); }
#else
using IntVec = __m256i;
using FloatVec = __m256;
constexpr int kIntVecBytes = 32;
HWY_INLINE IntVec LoadInts(const void* p) { return _mm256_loadu_si256(static_cast<const __m256i*>(p)); }
HWY_INLINE IntVec ScaledProducts(IntVec values, IntVec x, IntVec pair_scales) {
  return _mm256_madd_epi16(_mm256_maddubs_epi16(values, x), pair_scales);
}
HWY_INLINE IntVec AddInts(IntVec a, IntVec b) { return _mm256_add_epi32(a, b); }
HWY_INLINE IntVec ZeroInts() { return _mm256_setzero_si256(); }
HWY_INLINE FloatVec ZeroFloats() { return _mm256_setzero_ps(); }
HWY_INLINE FloatVec MulAddInts(IntVec v, float factor, FloatVec acc) {
  return _mm256_fmadd_ps(_mm256_cvtepi32_ps(v), _mm256_set1_ps(factor), acc);
}
HWY_INLINE float SumOf(FloatVec v) {
  __m128 s = _mm_add_ps(_mm256_castps256_ps128(v), _mm256_extractf128_ps(v, 1));
  s = _mm_add_ps(s, _mm_movehl_ps(s, s));
  return _mm_cvtss_f32(_mm_add_ss(s, _mm_movehdup_ps(s)));
}
#endif

// pmaddwd's scale of each pair of values: the run's, 8 pairs a run.
HWY_INLINE void FillPairScales(IntBlock* HWY_RESTRICT block) {
  for (int g = 0; g < 16; ++g)
    _mm_store_si128(reinterpret_cast<__m128i*>(block->pair_scales + 8 * g),
                    _mm_set1_epi16(block->run_scales[g]));
}

// out[t] = dot(weight row t, x row) for four weight rows decoded as
// `blocks` IntBlocks each (w[t * blocks + b]) and one x row of activation
// blocks. Each x load feeds four rows' products; every lane's integer sum
// is exact (< 2^24) and meets its block's float factor once, the min (or
// Q6_K offset) terms in 128 bits beside; one horizontal sum per row at the end.
template <bool kQ6>
HWY_INLINE void IntRowDots4(const IntBlock* HWY_RESTRICT w, int64_t blocks,
                            const ActivationBlock* HWY_RESTRICT x, float* HWY_RESTRICT out) {
  FloatVec acc[4] = {ZeroFloats(), ZeroFloats(), ZeroFloats(), ZeroFloats()};
  __m128 side[4] = {_mm_setzero_ps(), _mm_setzero_ps(), _mm_setzero_ps(), _mm_setzero_ps()};
  for (int64_t b = 0; b < blocks; ++b, ++x) {
    IntVec sums[4] = {ZeroInts(), ZeroInts(), ZeroInts(), ZeroInts()};
    for (int k = 0; k < 256; k += kIntVecBytes) {
      const IntVec xv = LoadInts(x->q + k);
      for (int t = 0; t < 4; ++t) {
        const IntBlock& wb = w[t * blocks + b];
        sums[t] = AddInts(sums[t], ScaledProducts(LoadInts(wb.values + k), xv,
                                                  LoadInts(wb.pair_scales + k / 2)));
      }
    }
    for (int t = 0; t < 4; ++t) {
      const IntBlock& wb = w[t * blocks + b];
      acc[t] = MulAddInts(sums[t], wb.d * x->d, acc[t]);
      __m128i side_sums;
      float side_factor;
      if constexpr (kQ6) {  // -32 * sum over runs of scale * (sum of x's q)
        const __m256i p = _mm256_madd_epi16(
            _mm256_loadu_si256(reinterpret_cast<const __m256i*>(wb.run_scales)),
            _mm256_loadu_si256(reinterpret_cast<const __m256i*>(x->sums16)));
        side_sums = _mm_add_epi32(_mm256_castsi256_si128(p), _mm256_extracti128_si256(p, 1));
        side_factor = -32.0f * (wb.d * x->d);
      } else {  // - sum over sub-blocks of min * (sum of x's q)
        side_sums = _mm_madd_epi16(_mm_loadu_si128(reinterpret_cast<const __m128i*>(wb.mins)),
                                   _mm_loadu_si128(reinterpret_cast<const __m128i*>(x->sums32)));
        side_factor = -(wb.dmin * x->d);
      }
      side[t] = _mm_fmadd_ps(_mm_cvtepi32_ps(side_sums), _mm_set1_ps(side_factor), side[t]);
    }
  }
  for (int t = 0; t < 4; ++t) {
    __m128 s = _mm_add_ps(side[t], _mm_movehl_ps(side[t], side[t]));
    s = _mm_add_ss(s, _mm_movehdup_ps(s));
    out[t] = SumOf(acc[t]) + _mm_cvtss_f32(s);
  }
}

#if HWY_TARGET == HWY_AVX3
// ---- AVX-512 VNNI (Ice Lake, Sapphire Rapids, Zen 4): vpdpbusd ------------
// One instruction multiplies 64 unsigned weight bytes by 64 signed x bytes
// and adds each four products into an int32 lane: half the uops of
// pmaddubsw + pmaddwd, the bound of the kernel above. Scales change every
// 16 or 32 values, so the lanes hold 16 weight rows rather than positions
// of one: tiles interleave the rows' values four at a time (VnniTile), x's
// four values of a group are broadcast, and each run's int32 sums meet the
// 16 rows' float scales in one FMA. AVX3 is Highway's Skylake target, so
// this is its own function with VNNI enabled, chosen when the CPU has it.

// One 32-value block of a Q8_0/Q4_0/Q4_1/Q5_0/Q5_1 row as 32 unsigned bytes
// v with value = scale * v + offset (Q8_0's signed q become q + 128).
HWY_INLINE void DecodeBlock32Bytes(QuantType type, const uint8_t* HWY_RESTRICT b,
                                   uint8_t* HWY_RESTRICT values, float* scale, float* offset) {
  const float d = BlockScale(b);
  *scale = d;
  if (type == QuantType::Q8_0) {
    for (int j = 0; j < 32; ++j) values[j] = static_cast<uint8_t>(b[2 + j] ^ 0x80);
    *offset = -128.0f * d;
    return;
  }
  const bool has_min = type == QuantType::Q4_1 || type == QuantType::Q5_1;
  const bool five_bits = type == QuantType::Q5_0 || type == QuantType::Q5_1;
  const uint8_t* qs = b + 2 + (has_min ? 2 : 0) + (five_bits ? 4 : 0);
  const uint32_t qh = five_bits ? LoadWord(b + (has_min ? 4 : 2)) : 0;
  for (int j = 0; j < 16; ++j) {
    values[j] = static_cast<uint8_t>((qs[j] & 0xF) | (((qh >> j) & 1) << 4));
    values[j + 16] = static_cast<uint8_t>((qs[j] >> 4) | (((qh >> (j + 16)) & 1) << 4));
  }
  *offset = has_min ? BlockScale(b + 2) : (five_bits ? -16.0f : -8.0f) * d;
}

// tiles[c] = rows r0 .. r0 + 15 of the row's 256-value chunk c (past the
// last row: the last row again), as VnniTile lays them out.
// 16 x 16 uint32 transpose: out[j] lane t = in[t] lane j (three shuffle
// stages: 32-bit and 64-bit unpacks within 128-bit lanes, then the lanes).
HWY_INLINE void Transpose16x16(const __m512i in[16], __m512i out[16]) {
  __m512i t[16], u[16];
  for (int i = 0; i < 8; ++i) {
    t[2 * i] = _mm512_unpacklo_epi32(in[2 * i], in[2 * i + 1]);
    t[2 * i + 1] = _mm512_unpackhi_epi32(in[2 * i], in[2 * i + 1]);
  }
  // u[4a + k], 128-bit lane L: rows 4a..4a+3 at column 4L + k
  for (int a = 0; a < 4; ++a) {
    u[4 * a] = _mm512_unpacklo_epi64(t[4 * a], t[4 * a + 2]);
    u[4 * a + 1] = _mm512_unpackhi_epi64(t[4 * a], t[4 * a + 2]);
    u[4 * a + 2] = _mm512_unpacklo_epi64(t[4 * a + 1], t[4 * a + 3]);
    u[4 * a + 3] = _mm512_unpackhi_epi64(t[4 * a + 1], t[4 * a + 3]);
  }
  for (int k = 0; k < 4; ++k) {
    const __m512i v0 = _mm512_shuffle_i32x4(u[k], u[4 + k], 0x44);
    const __m512i v1 = _mm512_shuffle_i32x4(u[k], u[4 + k], 0xEE);
    const __m512i v2 = _mm512_shuffle_i32x4(u[8 + k], u[12 + k], 0x44);
    const __m512i v3 = _mm512_shuffle_i32x4(u[8 + k], u[12 + k], 0xEE);
    out[k] = _mm512_shuffle_i32x4(v0, v2, 0x88);       // column k (lane 0)
    out[4 + k] = _mm512_shuffle_i32x4(v0, v2, 0xDD);   // column 4 + k
    out[8 + k] = _mm512_shuffle_i32x4(v1, v3, 0x88);
    out[12 + k] = _mm512_shuffle_i32x4(v1, v3, 0xDD);
  }
}

// tiles[c] = rows r0 .. r0 + 15 of the row's 256-value chunk c (past the
// last row: the last row again), as VnniTile lays them out: each chunk's
// 16 rows are decoded to bytes, then their groups of four transposed.
HWY_NOINLINE void DecodeVnniTiles(QuantType type, const uint8_t* HWY_RESTRICT weight, int64_t row_bytes,
                                  int64_t rows, int64_t r0, int64_t chunks, VnniTile* HWY_RESTRICT tiles) {
  const int64_t chunk_bytes = row_bytes / chunks;
  IntBlock decoded[16];
  for (int64_t c = 0; c < chunks; ++c) {
    VnniTile& tile = tiles[c];
    for (int t = 0; t < 16; ++t) {
      const uint8_t* chunk = weight + std::min<int64_t>(r0 + t, rows - 1) * row_bytes + c * chunk_bytes;
      IntBlock& row = decoded[t];
      switch (type) {
        case QuantType::Q4_K:
        case QuantType::Q5_K:
          if (type == QuantType::Q4_K)
            DecodeIntBlockK4<false>(chunk, &row);
          else
            DecodeIntBlockK4<true>(chunk, &row);
          for (int j = 0; j < 8; ++j) {
            tile.run_scales[j][t] = row.d * static_cast<float>(row.run_scales[2 * j]);
            tile.run_offsets[j][t] = -row.dmin * static_cast<float>(row.mins[j]);
          }
          break;
        case QuantType::Q6_K:
          DecodeIntBlockQ6_K(chunk, &row);
          for (int g = 0; g < 16; ++g) {  // values are q - 32
            tile.run_scales[g][t] = row.d * static_cast<float>(row.run_scales[g]);
            tile.run_offsets[g][t] = -32.0f * tile.run_scales[g][t];
          }
          break;
        default:
          for (int j = 0; j < 8; ++j)
            DecodeBlock32Bytes(type, chunk + j * (chunk_bytes / 8), row.values + 32 * j,
                               &tile.run_scales[j][t], &tile.run_offsets[j][t]);
          break;
      }
    }
    // groups[g] lane t = row t's bytes 4g..4g+3: 16 groups (64 bytes) at a time
    for (int q = 0; q < 4; ++q) {
      __m512i in[16], out[16];
      for (int t = 0; t < 16; ++t) in[t] = _mm512_load_si512(decoded[t].values + 64 * q);
      Transpose16x16(in, out);
      for (int j = 0; j < 16; ++j) _mm512_store_si512(tile.groups[16 * q + j], out[j]);
    }
  }
}

// y[j, :m] = the 16 tile rows' dots with x row j (at x + j * chunks) for
// j < kXRows: each tile load feeds kXRows products (loads, not products,
// bound one x row at a time). kRuns: 16 runs of 16 values (Q6_K) or 8 of 32.
template <int kRuns, bool kRunScaled, int kXRows>
__attribute__((target("avx512f,avx512bw,avx512dq,avx512vl,avx512vnni,avx2,fma,f16c"))) HWY_INLINE void
VnniRows16(const VnniTile* HWY_RESTRICT tiles, int64_t chunks, const ActivationBlock* HWY_RESTRICT x,
           float* HWY_RESTRICT y, int64_t y_stride, __mmask16 valid) {
  constexpr int kGroupsPerRun = 64 / kRuns;
  __m512 acc[kXRows];
  for (int j = 0; j < kXRows; ++j) acc[j] = _mm512_setzero_ps();
  for (int64_t c = 0; c < chunks; ++c) {
    const VnniTile& tile = tiles[c];
    const ActivationBlock* xb[kXRows];
    __m512 chunk[kXRows];
    for (int j = 0; j < kXRows; ++j) xb[j] = x + j * chunks + c, chunk[j] = _mm512_setzero_ps();
    for (int run = 0; run < kRuns; ++run) {
      __m512i sums[kXRows];
      for (int j = 0; j < kXRows; ++j) sums[j] = _mm512_setzero_si512();
      for (int g = run * kGroupsPerRun; g < (run + 1) * kGroupsPerRun; ++g) {
        const __m512i values = _mm512_load_si512(tile.groups[g]);
        for (int j = 0; j < kXRows; ++j) {
          int32_t four;
          std::memcpy(&four, xb[j]->q + 4 * g, 4);
          sums[j] = _mm512_dpbusd_epi32(sums[j], values, _mm512_set1_epi32(four));
        }
      }
      const __m512 scales = _mm512_load_ps(tile.run_scales[run]);
      const __m512 offsets = _mm512_load_ps(tile.run_offsets[run]);
      for (int j = 0; j < kXRows; ++j) {
        const float x_sum = kRuns == 16 ? xb[j]->sums16f[run] : xb[j]->sums32f[run];
        if constexpr (kRunScaled) {  // x's own scale for each run of 32
          const __m512 run_dot = _mm512_fmadd_ps(_mm512_cvtepi32_ps(sums[j]), scales,
                                                 _mm512_mul_ps(offsets, _mm512_set1_ps(x_sum)));
          chunk[j] = _mm512_fmadd_ps(run_dot, _mm512_set1_ps(xb[j]->d32[run]), chunk[j]);
        } else {
          chunk[j] = _mm512_fmadd_ps(_mm512_cvtepi32_ps(sums[j]), scales, chunk[j]);
          chunk[j] = _mm512_fmadd_ps(offsets, _mm512_set1_ps(x_sum), chunk[j]);
        }
      }
    }
    for (int j = 0; j < kXRows; ++j) acc[j] = _mm512_fmadd_ps(chunk[j], _mm512_set1_ps(xb[j]->d), acc[j]);
  }
  for (int j = 0; j < kXRows; ++j) _mm512_mask_storeu_ps(y + j * y_stride, valid, acc[j]);
}

// All nx x rows against one decoded tile of 16 weight rows (m of them real).
template <int kRuns, bool kRunScaled>
__attribute__((target("avx512f,avx512bw,avx512dq,avx512vl,avx512vnni,avx2,fma,f16c"))) HWY_NOINLINE void
VnniTileRows(const VnniTile* HWY_RESTRICT tiles, int64_t chunks, const ActivationBlock* HWY_RESTRICT x,
             int64_t nx, float* HWY_RESTRICT y, int64_t y_stride, int m) {
  const __mmask16 valid = static_cast<__mmask16>(m >= 16 ? 0xFFFF : (1u << m) - 1);
  int64_t i = 0;
  for (; i + 4 <= nx; i += 4)
    VnniRows16<kRuns, kRunScaled, 4>(tiles, chunks, x + i * chunks, y + i * y_stride, y_stride, valid);
  for (; i < nx; ++i)
    VnniRows16<kRuns, kRunScaled, 1>(tiles, chunks, x + i * chunks, y + i * y_stride, y_stride, valid);
}

// y = x @ W.T through the VNNI kernel (UsesVnniBatch): x rounded to int8
// a run of IntBatchRows rows at a time, each 16-row tile of W decoded once a run.
HWY_INLINE void LinearVnni(QuantType type, const uint8_t* HWY_RESTRICT weight, int64_t row_bytes,
                           int64_t rows, int64_t cols, const float* HWY_RESTRICT x_float, int64_t n,
                           float* HWY_RESTRICT y, int64_t y_stride, VnniTile* HWY_RESTRICT tiles,
                           ActivationBlock* HWY_RESTRICT x) {
  const int64_t chunks = cols / 256;
  const int64_t batch = IntBatchRows(cols);
  const bool block32 = IsBlock32Int(type);
  for (int64_t i0 = 0; i0 < n; i0 += batch) {
    const int64_t nx = std::min(n, i0 + batch) - i0;
    // x rounded as llama.cpp rounds it for these weights: runs of 256 for
    // K-quants (Q8_K), of 32 for the 32-value block formats (Q8_0)
    for (int64_t i = 0; i < nx; ++i) {
      if (block32)
        QuantizeActivations<32>(x_float + (i0 + i) * cols, cols, x + i * chunks);
      else
        QuantizeActivations(x_float + (i0 + i) * cols, cols, x + i * chunks);
    }
    for (int64_t r0 = 0; r0 < rows; r0 += 16) {
      DecodeVnniTiles(type, weight, row_bytes, rows, r0, chunks, tiles);
      // The next tile's 16 rows, from memory while this one is multiplied:
      // a prompt reads each weight byte once, and decoding waited on DRAM
      // at every tile (~13% of a prompt's time).
      const uint8_t* next = weight + std::min(r0 + 16, rows) * row_bytes;
      const uint8_t* next_end = weight + std::min(r0 + 32, rows) * row_bytes;
      for (; next < next_end; next += 64) hwy::Prefetch(next);
      const int m = static_cast<int>(std::min<int64_t>(16, rows - r0));
      float* out = y + i0 * y_stride + r0;
      if (type == QuantType::Q6_K)
        VnniTileRows<16, false>(tiles, chunks, x, nx, out, y_stride, m);
      else if (block32)
        VnniTileRows<8, true>(tiles, chunks, x, nx, out, y_stride, m);
      else
        VnniTileRows<8, false>(tiles, chunks, x, nx, out, y_stride, m);
    }
  }
}
#endif  // HWY_AVX3

#else
// Other targets: the block's values as bytes in value order, then int16
// products summed pairwise into int32 (pmaddwd where there is one).
HWY_INLINE int32_t IntDotRuns(const uint8_t* HWY_RESTRICT values, const int16_t* HWY_RESTRICT scales,
                              const int8_t* HWY_RESTRICT xq) {
  const hn::CappedTag<int16_t, 16> d16;
  const hn::Repartition<int32_t, decltype(d16)> d32;
  const hn::Rebind<uint8_t, decltype(d16)> du8;
  const hn::Rebind<int8_t, decltype(d16)> di8;
  const size_t N = hn::Lanes(d16);
  auto sum0 = hn::Zero(d32), sum1 = hn::Zero(d32);
  for (int g = 0; g < 16; ++g) {
    const auto scale = hn::Set(d16, scales[g]);
    for (size_t l = 16 * g; l < 16 * static_cast<size_t>(g) + 16; l += N) {
      const auto q = hn::Mul(hn::PromoteTo(d16, hn::LoadU(du8, values + l)), scale);
      sum0 = hn::ReorderWidenMulAccumulate(d32, q, hn::PromoteTo(d16, hn::LoadU(di8, xq + l)), sum0, sum1);
    }
  }
  return hn::GetLane(hn::SumOfLanes(d32, hn::Add(sum0, sum1)));
}

template <bool kQ5>
HWY_INLINE int32_t IntDotK4(const uint8_t* HWY_RESTRICT block, const uint8_t* HWY_RESTRICT,
                            const int8_t* HWY_RESTRICT xq) {
  IntBlock decoded;
  DecodeIntBlockK4<kQ5>(block, &decoded);
  return IntDotRuns(decoded.values, decoded.run_scales, xq);
}

HWY_INLINE int32_t IntDotQ6_K(const uint8_t* HWY_RESTRICT block, const int8_t* HWY_RESTRICT xq) {
  IntBlock decoded;
  DecodeIntBlockQ6_K(block, &decoded);
  return IntDotRuns(decoded.values, decoded.run_scales, xq);
}

HWY_INLINE void FillPairScales(IntBlock*) {}  // IntDotRuns scales runs itself

template <bool kQ6>
HWY_INLINE void IntRowDots4(const IntBlock* HWY_RESTRICT w, int64_t blocks,
                            const ActivationBlock* HWY_RESTRICT x, float* HWY_RESTRICT out) {
  for (int t = 0; t < 4; ++t) {
    float sum = 0.0f;
    for (int64_t b = 0; b < blocks; ++b) {
      const IntBlock& wb = w[t * blocks + b];
      const ActivationBlock& xb = x[b];
      const int32_t dot = IntDotRuns(wb.values, wb.run_scales, xb.q);
      int32_t side = 0;
      if constexpr (kQ6) {
        for (int g = 0; g < 16; ++g) side += wb.run_scales[g] * xb.sums16[g];
        sum += BlockTermQ6_K(wb.d, xb.d, dot - 32 * side);
      } else {
        for (int j = 0; j < 8; ++j) side += wb.mins[j] * xb.sums32[j];
        sum += BlockTermK4(wb.d, wb.dmin, xb.d, dot, side);
      }
    }
    out[t] = sum;
  }
}
#endif

// dot(quantized row, x) with x as activation blocks: per block
// (d_w d_x) * sum(scale q x) - (dmin_w d_x) * sum(min * sums of x's q).
template <bool kQ5>
HWY_INLINE float DotRowK4Int8(const uint8_t* HWY_RESTRICT row, int64_t blocks,
                              const ActivationBlock* HWY_RESTRICT x) {
  constexpr int64_t kBlockBytes = kQ5 ? 176 : 144;
  float sum = 0.0f;
  HWY_ALIGN uint8_t scales_mins[16];
  for (int64_t b = 0; b < blocks; ++b, row += kBlockBytes, ++x) {
    UnpackScalesMinsK4(row + 4, scales_mins);
    int32_t min_sum = 0;
    for (int j = 0; j < 8; ++j) min_sum += scales_mins[8 + j] * x->sums32[j];
    const int32_t dot = IntDotK4<kQ5>(row, scales_mins, x->q);
    sum += BlockTermK4(BlockScale(row), BlockScale(row + 2), x->d, dot, min_sum);
  }
  return sum;
}

// Q6_K: d_w d_x * sum over runs g of scale_g * (sum(q x) - 32 * sum(x's q)).
HWY_INLINE float DotRowQ6_KInt8(const uint8_t* HWY_RESTRICT row, int64_t blocks,
                                const ActivationBlock* HWY_RESTRICT x) {
  float sum = 0.0f;
  for (int64_t b = 0; b < blocks; ++b, row += 210, ++x) {
    const int8_t* sc = reinterpret_cast<const int8_t*>(row + 192);
    int32_t offset = 0;
    for (int g = 0; g < 16; ++g) offset += sc[g] * x->sums16[g];
    const int32_t dot = IntDotQ6_K(row, x->q) - 32 * offset;
    sum += BlockTermQ6_K(BlockScale(row + 208), x->d, dot);
  }
  return sum;
}

// Where pmaddubsw is (AVX2, AVX3), K-quant weights meet x rounded to int8
// at every batch size, as in llama.cpp: exact integer products, faster
// than float32 sgemm of decoded tiles at 128 rows and ~1.5x at 8. Other
// targets take the integer path for a decode step only.
#if HWY_TARGET == HWY_AVX2 || HWY_TARGET == HWY_AVX3
constexpr bool kIntBatched = true;
#else
constexpr bool kIntBatched = false;
#endif
bool UsesIntBatched() { return kIntBatched; }
// Whether this target has the VNNI kernel (used where the CPU has VNNI).
bool HasVnniKernel() { return HWY_TARGET == HWY_AVX3; }

// y = x @ W.T for K-quant W and many x rows, already activation blocks:
// four weight rows at a time are decoded once into `decoded` (4 * blocks
// IntBlocks) and multiplied with a run of IntBatchRows x rows at a time,
// rounded to int8 into `activations` run by run (bounded scratch).
HWY_INLINE void LinearIntBatched(QuantType type, const uint8_t* HWY_RESTRICT weight, int64_t row_bytes,
                                 int64_t rows, int64_t cols, const float* HWY_RESTRICT x_float,
                                 int64_t n, float* HWY_RESTRICT y, int64_t y_stride,
                                 IntBlock* HWY_RESTRICT decoded,
                                 ActivationBlock* HWY_RESTRICT x) {
  const int64_t blocks = cols / 256;
  const int64_t block_bytes = row_bytes / std::max<int64_t>(blocks, 1);
  const int64_t batch = IntBatchRows(cols);
  for (int64_t i0 = 0; i0 < n; i0 += batch) {
    const int64_t nx = std::min(n, i0 + batch) - i0;
    for (int64_t i = 0; i < nx; ++i) QuantizeActivations(x_float + (i0 + i) * cols, cols, x + i * blocks);
    for (int64_t r0 = 0; r0 < rows; r0 += 4) {
      const int64_t m = std::min<int64_t>(4, rows - r0);
      for (int64_t t = 0; t < 4; ++t) {  // a short tile repeats its last row
        const uint8_t* row = weight + std::min(r0 + t, rows - 1) * row_bytes;
        for (int64_t b = 0; b < blocks; ++b) {
          IntBlock* out = decoded + t * blocks + b;
          switch (type) {
            case QuantType::Q4_K: DecodeIntBlockK4<false>(row + b * block_bytes, out); break;
            case QuantType::Q5_K: DecodeIntBlockK4<true>(row + b * block_bytes, out); break;
            default: DecodeIntBlockQ6_K(row + b * block_bytes, out); break;
          }
          FillPairScales(out);
        }
      }
      for (int64_t i = 0; i < nx; ++i) {
        float dots[4];
        if (type == QuantType::Q6_K)
          IntRowDots4<true>(decoded, blocks, x + i * blocks, dots);
        else
          IntRowDots4<false>(decoded, blocks, x + i * blocks, dots);
        for (int64_t t = 0; t < m; ++t) y[(i0 + i) * y_stride + r0 + t] = dots[t];
      }
    }
  }
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

void Linear(bool vnni, QuantType type, const uint8_t* weight, int64_t row_bytes, int64_t rows, int64_t cols,
            const float* x, int64_t n, float* y, int64_t y_stride, float* scratch) {
  // A decode step (one x row): the fused kernels read each weight byte once
  // and store nothing; more rows amortise decoding a tile over all of them.
  // Weight row outer: its bytes come from memory once and from L1 for the other x rows.
  const int64_t blocks = cols / 256;
  // scratch: the decoded weight blocks of a batched pass (64-byte aligned), then x's int8 blocks
  IntBlock* decoded = reinterpret_cast<IntBlock*>(scratch);
  const auto activations_at = [&] {  // only where quant_linear_scratch_floats made room
    return reinterpret_cast<ActivationBlock*>(scratch + IntBatchedDecodedFloats(type, n, cols));
  };
#if HWY_TARGET == HWY_AVX3
  if (UsesVnniBatch(vnni, type, n, cols)) {
    LinearVnni(type, weight, row_bytes, rows, cols, x, n, y, y_stride, reinterpret_cast<VnniTile*>(decoded),
               activations_at());
    return;
  }
#else
  (void)vnni;
#endif
  if (HasInt8Dot(type) && n > kFusedMaxRows && kIntBatched) {
    LinearIntBatched(type, weight, row_bytes, rows, cols, x, n, y, y_stride, decoded, activations_at());
    return;
  }
  ActivationBlock* activations = nullptr;
  if (HasInt8Dot(type) && n <= kFusedMaxRows) {
    activations = activations_at();
    for (int64_t i = 0; i < n; ++i) QuantizeActivations(x + i * cols, cols, activations + i * blocks);
  }
  if (n <= kFusedMaxRows && HasFusedDot(type)) {
    float* x_sums = scratch;  // Q4_1/Q5_1 only, cols / 32 a row
    if (NeedsSumsOf32(type))
      for (int64_t i = 0; i < n; ++i) SumsOf32(x + i * cols, cols, x_sums + i * (cols / 32));
    // Weight rows are a few hundred bytes: the hardware prefetcher, which
    // stops at 4 KiB pages, leaves the loop waiting on DRAM at every new
    // page. Asking for the lines kLinearPrefetchBytes ahead measured 1.1x
    // (Q8_0) to 1.5x (Q4_K) faster streaming from a model file.
    const uint8_t* weight_end = weight + rows * row_bytes;
    const uint8_t* prefetched = weight;
    for (int64_t r = 0; r < rows; ++r) {
      const uint8_t* w = weight + r * row_bytes;
      const uint8_t* wanted = std::min(weight_end, w + row_bytes + kLinearPrefetchBytes);
      for (; prefetched < wanted; prefetched += 64) hwy::Prefetch(prefetched);
      for (int64_t i = 0; i < n; ++i) {
        const ActivationBlock* xq = activations ? activations + i * blocks : nullptr;
        const float* xi = x + i * cols;
        const float* sums = x_sums + i * (cols / 32);
        float v;
        switch (type) {
          case QuantType::Q8_0: v = DotRowQ8_0(w, cols, xi); break;
          case QuantType::Q4_0: v = DotRow32<QuantType::Q4_0>(w, cols, xi, sums); break;
          case QuantType::Q4_1: v = DotRow32<QuantType::Q4_1>(w, cols, xi, sums); break;
          case QuantType::Q5_0: v = DotRow32<QuantType::Q5_0>(w, cols, xi, sums); break;
          case QuantType::Q5_1: v = DotRow32<QuantType::Q5_1>(w, cols, xi, sums); break;
          case QuantType::Q4_K: v = DotRowK4Int8<false>(w, blocks, xq); break;
          case QuantType::Q5_K: v = DotRowK4Int8<true>(w, blocks, xq); break;
          default: v = DotRowQ6_KInt8(w, blocks, xq); break;
        }
        y[i * y_stride + r] = v;
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
      float* yi = y + i * y_stride + r0;
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
HWY_EXPORT(UsesIntBatched);
HWY_EXPORT(HasVnniKernel);

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

bool use_gemm(const QuantKernelChoice& choice, QuantType type, int64_t n, int64_t rows, int64_t cols) {
#ifdef TRUENO_HAVE_OPENBLAS
  return !quant_rounds_activations(choice, type, n, cols) && n >= quant_detail::kGemmMinRows && n <= INT32_MAX && rows <= INT32_MAX && cols <= INT32_MAX &&
         cols > 0;
#else
  (void)choice, (void)type, (void)n, (void)rows, (void)cols;
  return false;
#endif
}

int64_t tile_rows_of(const QuantKernelChoice& choice, QuantType type, int64_t n, int64_t rows, int64_t cols) {
  const int64_t tile_floats = use_gemm(choice, type, n, rows, cols) ? quant_detail::kGemmTileFloats
                                                      : quant_detail::kLinearTileFloats;
  return std::min(std::max<int64_t>(rows, 1), cols > 0 ? std::max<int64_t>(1, tile_floats / cols) : 1);
}
// The index Highway's dispatch uses now. Index 0 of a table chooses before
// calling; a choice made with it would not be fixed, so make the chosen
// target current first.
size_t chosen_target_index() {
  hwy::ChosenTarget& chosen = hwy::GetChosenTarget();
  if (!chosen.IsInitialized()) chosen.Update(hwy::SupportedTargets());
  return chosen.GetIndex();
}
}  // namespace

QuantKernelChoice quant_kernel_choice() {
  const size_t index = chosen_target_index();
  return {index, HWY_DISPATCH_TABLE(UsesIntBatched)[index](),
          HWY_DISPATCH_TABLE(HasVnniKernel)[index]() && quant_detail::VnniEnabled().load()};
}

bool quant_use_vnni(int enable) {
  static const bool available = quant_detail::VnniEnabled().load();
  const bool before = quant_detail::VnniEnabled().load();
  if (enable >= 0) quant_detail::VnniEnabled().store(enable > 0 && available);
  return before;
}

bool quant_rounds_activations(const QuantKernelChoice& choice, QuantType type, int64_t n, int64_t cols) {
  return (quant_detail::HasInt8Dot(type) && (n <= quant_detail::kFusedMaxRows || choice.int_batched)) ||
         quant_detail::UsesVnniBatch(choice.vnni, type, n, cols);
}

const QuantBlockFormat* quant_block_format(int32_t type_id) {
  for (size_t i = 0; i < sizeof kFormatIds / sizeof kFormatIds[0]; ++i)
    if (kFormatIds[i] == type_id) return &kFormats[i];
  return nullptr;
}

void quant_dequantize_rows(QuantType type, const uint8_t* data, int64_t rows, int64_t cols,
                           float* out) {
  HWY_DYNAMIC_DISPATCH(DequantizeRows)(type, data, row_bytes_of(type, cols), rows, cols, out);
}

int64_t quant_linear_scratch_floats(const QuantKernelChoice& choice, QuantType type, int64_t n,
                                    int64_t rows, int64_t cols) {
  // K-quants need x rounded to int8, the other fused kernels x's sums of 32 (Q4_1/Q5_1).
  if (quant_rounds_activations(choice, type, n, cols))
    return std::max<int64_t>(1, quant_detail::IntBatchedDecodedFloats(type, n, cols) +
                                    std::min(n, quant_detail::IntBatchRows(cols)) * (cols / 256) *
                                        quant_detail::kActivationBlockFloats);
  if (n <= quant_detail::kFusedMaxRows && quant_detail::HasFusedDot(type))
    return std::max<int64_t>(1, quant_detail::NeedsSumsOf32(type) ? n * (cols / 32) : 0);
  return std::max<int64_t>(1, tile_rows_of(choice, type, n, rows, cols) * cols);
}

bool quant_linear_uses_sgemm(const QuantKernelChoice& choice, QuantType type, int64_t n, int64_t rows,
                             int64_t cols) {
  return use_gemm(choice, type, n, rows, cols);
}

int64_t quant_linear_min_x_band(const QuantKernelChoice& choice, QuantType type, int64_t n, int64_t cols) {
  if (n <= quant_detail::kFusedMaxRows || !quant_rounds_activations(choice, type, n, cols)) return 0;
  if (quant_detail::UsesVnniBatch(choice.vnni, type, n, cols))
    return type == QuantType::Q6_K ? quant_detail::kVnniMinRowsQ6_K : quant_detail::kVnniMinRows;
  return quant_detail::kFusedMaxRows + 1;  // pmaddubsw's batched kernel
}

void quant_linear(const QuantKernelChoice& choice, QuantType type, const uint8_t* weight, int64_t rows,
                  int64_t cols, const float* x, int64_t n, float* y, int64_t y_stride, float* scratch) {
  const int64_t row_bytes = row_bytes_of(type, cols);
#ifdef TRUENO_HAVE_OPENBLAS
  if (use_gemm(choice, type, n, rows, cols) && y_stride <= INT32_MAX) {
    const int64_t tile_rows = tile_rows_of(choice, type, n, rows, cols);
    for (int64_t r0 = 0; r0 < rows; r0 += tile_rows) {
      const int64_t nr = std::min(tile_rows, rows - r0);
      HWY_DISPATCH_TABLE(DequantizeRows)[choice.target_index](type, weight + r0 * row_bytes, row_bytes, nr,
                                                              cols, scratch);
      // y[:, r0:r0+nr] = x @ tile.T
      scipy_cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, static_cast<blasint>(n),
                        static_cast<blasint>(nr), static_cast<blasint>(cols), 1.0f, x,
                        static_cast<blasint>(cols), scratch, static_cast<blasint>(cols), 0.0f, y + r0,
                        static_cast<blasint>(y_stride));
    }
    return;
  }
#endif
  HWY_DISPATCH_TABLE(Linear)[choice.target_index](choice.vnni, type, weight, row_bytes, rows, cols, x, n, y,
                                                  y_stride, scratch);
}

}  // namespace trueno::kernels
#endif  // HWY_ONCE

// ggml's block-quantized weight formats (the tensors of GGUF files):
// dequantization of rows to float32 and y = x @ W.T with W quantized,
// dequantizing W a few rows at a time so that no float32 copy of the whole
// weight is ever made. The activations x stay float32, except for K-quant
// weights (Q4_K, Q5_K, Q6_K; see quant_rounds_activations): there x is rounded to int8
// blocks of 256 (ggml's Q8_K) and the dot products are exact integer sums,
// as llama.cpp computes them, because decoding those formats to float cost
// more than reading them from memory.
#pragma once
#include <cstddef>
#include <cstdint>

namespace trueno::kernels {

// The ggml type ids of the formats with kernels (values as in ggml.h).
enum class QuantType : int32_t {
  F16 = 1, Q4_0 = 2, Q4_1 = 3, Q5_0 = 6, Q5_1 = 7, Q8_0 = 8,
  Q4_K = 12, Q5_K = 13, Q6_K = 14, BF16 = 30,
};

// A row is a whole number of blocks, each `values` values in `bytes` bytes.
struct QuantBlockFormat {
  const char* name;
  int64_t values;
  int64_t bytes;
};

// The format of ggml type `type_id`, or nullptr when no kernel handles it.
const QuantBlockFormat* quant_block_format(int32_t type_id);

// out[r, :] = the `cols` values of row r, for `rows` consecutive rows of
// `data` (cols a multiple of the block's values; rows * cols floats in out).
void quant_dequantize_rows(QuantType type, const uint8_t* data, int64_t rows, int64_t cols,
                           float* out);

// Which kernels quant_linear may take, fixed once per call: the target
// Highway dispatches to and whether that target's kernels may use AVX-512
// VNNI. Sizing scratch and running the kernel from one choice is what keeps
// another thread's set_isa() or use_vnni() from handing a kernel scratch
// sized for a different one.
struct QuantKernelChoice {
  size_t target_index;  // into the HWY_EXPORT tables
  bool int_batched;     // pmaddubsw's integer kernels at every batch size (AVX2, AVX3)
  bool vnni;            // AVX3 on a CPU with VNNI, not turned off by quant_use_vnni
};
QuantKernelChoice quant_kernel_choice();

// Whether quant_linear of `n` x rows of `cols` values with `type` weights
// rounds x to int8 blocks of 256 (K-quants: for a few rows on every target,
// for any number on AVX2/AVX3; Q8_0, Q4_0, Q4_1, Q5_0, Q5_1: from 16 rows
// of a multiple of 256 values where AVX3 has AVX-512 VNNI).
bool quant_rounds_activations(const QuantKernelChoice& choice, QuantType type, int64_t n, int64_t cols);

// Whether the AVX3 kernels may use AVX-512 VNNI, which the CPU has (false
// when it has not); `enable` turns that off and on again, for tests and
// benchmarks of the kernel without it. Returns the setting before the call.
bool quant_use_vnni(int enable /* -1: leave as is, 0: off, 1: on */);

// Floats of scratch space quant_linear needs for these sizes.
int64_t quant_linear_scratch_floats(const QuantKernelChoice& choice, QuantType type, int64_t n,
                                    int64_t rows, int64_t cols);

// y[i * y_stride + r] = sum_k x[i, k] * W[r, k] for i < n, r < rows; W is
// `rows` quantized rows of `cols` values, x C-contiguous float32 [n, cols]
// (y_stride >= rows: a caller may compute a band of a wider y's columns).
// Up to 4 x rows: fused decode-and-dot (Q8_0, Q4_0, Q4_1, Q5_0, Q5_1 with
// float x; Q4_K, Q5_K, Q6_K with int8 x) or, for F16/BF16, decoded tiles and SIMD dots;
// several: int8 x where quant_rounds_activations says so (pmaddubsw, or
// vpdpbusd where the CPU has AVX-512 VNNI), otherwise decoded tiles
// multiplied by OpenBLAS's sgemm where trueno has it. Each y value is the
// same whatever band of rows it is computed in, except on the sgemm path.
// `scratch` holds quant_linear_scratch_floats(choice, ...) floats.
void quant_linear(const QuantKernelChoice& choice, QuantType type, const uint8_t* weight, int64_t rows,
                  int64_t cols, const float* x, int64_t n, float* y, int64_t y_stride, float* scratch);

// Whether quant_linear of these sizes hands decoded tiles to sgemm.
bool quant_linear_uses_sgemm(const QuantKernelChoice& choice, QuantType type, int64_t n, int64_t rows,
                             int64_t cols);

// The fewest x rows a band of these `n` may have and still take the same
// kernel as all n (the integer kernels, which round x to int8 themselves:
// a caller splitting x rather than W rounds each x row once); 0 when x is
// not to be split.
int64_t quant_linear_min_x_band(const QuantKernelChoice& choice, QuantType type, int64_t n, int64_t cols);

}  // namespace trueno::kernels

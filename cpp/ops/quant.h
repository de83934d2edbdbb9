// Quantized weights in ggml's block formats (GGUF tensors): validation of
// the raw bytes against the format, then the kernels of kernels/quant.
#pragma once
#include <cstdint>

#include "core/array.h"

namespace trueno {

// The float32 values, shape [rows, cols], of `rows` rows of `cols` values of
// ggml type `type_id` stored in `data` (a 1-D uint8 array of exactly the
// rows' bytes). TypeError for a non-uint8 `data`; ValueError for a negative
// size, cols not a multiple of the format's block, or a byte count that does
// not match; NotImplementedError for a type without a kernel.
Array quant_dequantize(const Array& data, int64_t type_id, int64_t rows, int64_t cols);

// x @ W.T as float32 [n, rows] for a float32 x of shape [n, cols] and W as in
// quant_dequantize. W is decoded a tile of rows at a time, never whole.
Array quant_linear(const Array& x, const Array& data, int64_t type_id, int64_t rows, int64_t cols);

}  // namespace trueno

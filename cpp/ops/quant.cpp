#include "ops/quant.h"

#include <algorithm>
#include <memory>
#include <string>

#include "core/errors.h"
#include "core/threading.h"
#include "kernels/quant.h"

namespace trueno {

namespace {

using kernels::QuantBlockFormat;

// Threads split a product of at least this many multiply-adds (~50 us on
// one core), in bands of at least kBandRows weight rows.
constexpr double kParallelMacs = 1 << 20;
constexpr int64_t kBandRows = 16;
using kernels::QuantType;

// Checks `data` against the format of `type_id` and `rows` x `cols`; returns the format.
const QuantBlockFormat& check_quantized(const Array& data, int64_t type_id, int64_t rows,
                                        int64_t cols, const char* func) {
  const QuantBlockFormat* format =
      type_id >= INT32_MIN && type_id <= INT32_MAX ? kernels::quant_block_format(static_cast<int32_t>(type_id))
                                                   : nullptr;
  if (!format)
    throw NotImplementedError(std::string(func) + "(): no kernel for ggml tensor type " +
                              std::to_string(type_id));
  if (data.dtype != DType::UInt8)
    throw TypeError(std::string(func) + "(): data must be a uint8 array of the raw blocks, got " +
                    dtype_name(data.dtype));
  if (data.ndim() != 1)
    throw ValueError(std::string(func) + "(): data must be 1-D, got " + std::to_string(data.ndim()) +
                     " dimensions");
  if (rows < 0 || cols < 0)
    throw ValueError(std::string(func) + "(): rows and cols must be >= 0, got " + std::to_string(rows) +
                     " and " + std::to_string(cols));
  if (cols % format->values != 0)
    throw ValueError(std::string(func) + "(): cols " + std::to_string(cols) + " is not a multiple of the " +
                     format->name + " block size " + std::to_string(format->values));
  const int64_t row_bytes = cols / format->values * format->bytes;
  // rows * row_bytes must equal data's length; compare by division so it cannot overflow.
  const int64_t length = data.shape[0];
  const bool matches = row_bytes == 0 ? length == 0
                                      : (length % row_bytes == 0 && length / row_bytes == rows);
  if (!matches)
    throw ValueError(std::string(func) + "(): data holds " + std::to_string(length) + " bytes, but " +
                     std::to_string(rows) + " rows of " + std::to_string(cols) + " " + format->name +
                     " values take " + std::to_string(row_bytes) + " bytes each");
  checked_size(Shape{rows, cols}, func);
  return *format;
}

}  // namespace

Array quant_dequantize(const Array& data, int64_t type_id, int64_t rows, int64_t cols) {
  const char* func = "dequantize";
  check_quantized(data, type_id, rows, cols, func);
  Array out = make_empty(Shape{rows, cols}, DType::Float32, func);
  if (rows == 0 || cols == 0) return out;
  Array blocks = as_contiguous(data, false, func);
  kernels::quant_dequantize_rows(static_cast<QuantType>(type_id),
                                 reinterpret_cast<const uint8_t*>(blocks.data), rows, cols,
                                 reinterpret_cast<float*>(out.data));
  return out;
}

Array quant_linear(const Array& x, const Array& data, int64_t type_id, int64_t rows, int64_t cols) {
  const char* func = "linear";
  const QuantBlockFormat& format = check_quantized(data, type_id, rows, cols, func);
  if (x.dtype != DType::Float32)
    throw TypeError(std::string(func) + "(): x must be float32, got " + dtype_name(x.dtype));
  if (x.ndim() != 2 || x.shape[1] != cols)
    throw ValueError(std::string(func) + "(): x must have shape [n, " + std::to_string(cols) + "], got " +
                     shape_str(x.shape));
  const int64_t n = x.shape[0];
  Array out = make_empty(Shape{n, rows}, DType::Float32, func);
  if (n == 0 || rows == 0) return out;
  float* y = reinterpret_cast<float*>(out.data);
  if (cols == 0) {
    for (int64_t i = 0; i < n * rows; ++i) y[i] = 0.0f;
    return out;
  }
  Array xc = as_contiguous(x, false, func);
  Array blocks = as_contiguous(data, false, func);
  const auto type = static_cast<QuantType>(type_id);
  const auto* weight = reinterpret_cast<const uint8_t*>(blocks.data);
  const auto* xs = reinterpret_cast<const float*>(xc.data);
  const int64_t row_bytes = cols / format.values * format.bytes;
  const kernels::QuantKernelChoice choice = kernels::quant_kernel_choice();
  // y[i0:i1, r0:r1] from x rows i0..i1 and weight rows r0..r1, with its own scratch
  const auto block = [&](int64_t i0, int64_t i1, int64_t r0, int64_t r1) {
    Array scratch = make_empty(
        Shape{kernels::quant_linear_scratch_floats(choice, type, i1 - i0, r1 - r0, cols)}, DType::Float32, func);
    kernels::quant_linear(choice, type, weight + r0 * row_bytes, r1 - r0, cols, xs + i0 * cols, i1 - i0,
                          y + i0 * rows + r0, rows, reinterpret_cast<float*>(scratch.data));
  };
  const double macs = static_cast<double>(n) * static_cast<double>(rows) * static_cast<double>(cols);
  LongKernelScope without_gil(macs >= static_cast<double>(kLongKernelElements) ? kLongKernelElements : 0);
  // With threads, blocks of y run side by side. A value is the same in any
  // block, so results do not depend on the thread count: many x rows (the
  // integer kernels) split into one band of x rows a thread, each rounding
  // only its own rows to int8, of at least as many rows as keep the kernel;
  // otherwise bands of weight rows (multiples of 16, the widest tile). sgemm's
  // tiles are not split (OpenBLAS may block a narrower product differently).
  const int threads = num_threads();
  const int64_t min_x_band = kernels::quant_linear_min_x_band(choice, type, n, cols);
  if (threads > 1 && macs >= kParallelMacs && min_x_band > 0 && n >= 2 * min_x_band)
    parallel_for(n, std::max(min_x_band, (n + threads - 1) / threads),
                 [&](int64_t i0, int64_t i1) { block(i0, i1, 0, rows); });
  else if (threads > 1 && macs >= kParallelMacs && !kernels::quant_linear_uses_sgemm(choice, type, n, rows, cols))
    parallel_for(rows, kBandRows, [&](int64_t r0, int64_t r1) { block(0, n, r0, r1); }, kBandRows);
  else
    block(0, n, 0, rows);
  return out;
}

}  // namespace trueno

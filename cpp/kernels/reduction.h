// Reduction and scan loops, one template per kind, instantiated per dtype in
// kernels/reduction.cpp (built -O3). ops/reduction.cpp does the validation,
// the casting to the compute dtype and the iteration over output elements.
#pragma once
#include <cstdint>

#include "core/dtype.h"

namespace trueno::kernels {

// What a reduction computes; the output element type is noted.
enum class ReduceKind : uint8_t {
  Sum,           // T (bool: logical or)
  Prod,          // T (bool: logical and)
  Max,           // T, NaN propagates
  Min,           // T, NaN propagates
  Mean,          // T (floating T only)
  Var,           // real_of_t<T> (floating T only); ctx: const double* correction
  All,           // bool
  Any,           // bool
  CountNonzero,  // int64
  ArgMax,        // int64, first occurrence, NaN counts as the maximum
  ArgMin,        // int64, first occurrence, NaN counts as the minimum
  SumWide,       // integer/bool T summed into int64 (uint64 for unsigned T)
  ProdWide,      // float32/complex64 T multiplied in, and written as, float64/complex128
                 // (Prod of those types multiplies in them too and rounds once)
};
constexpr int kNumReduceKinds = 13;

// Reduces the nd-dimensional block at `in` (shape/strides in bytes, C order;
// nd == 0 is a single element) into the one element at `out`.
using ReduceLoop = void (*)(const char* in, int nd, const int64_t* shape, const int64_t* strides,
                            char* out, const void* ctx);
// The loop of `kind` for input dtype `d`; null where the pair is undefined.
ReduceLoop reduce_loop(ReduceKind kind, DType d);

// Sum or SumWide of one 1-D block per element of a strided loop (ops'
// for_each_strided signature): data[0] the blocks' starts, data[1] the outputs;
// ctx: const int64_t[2] {block length, step in bytes}. reduce_loop's results,
// without its indirect call per block (trace's batches of 3-element diagonals).
using BlockSumLoop = void (*)(char** data, const int64_t* strides, int64_t n, const void* ctx);
BlockSumLoop block_sum_loop(ReduceKind kind, DType d);

enum class ScanKind : uint8_t { Sum, Prod };
// out[i] = in[0] op ... op in[i] (shifted by one after an identity element
// when include_initial; out then has n + 1 elements). Strides in bytes.
// Products of float32/complex64 run in float64/complex128, each output
// rounded once (as ProdWide).
using ScanLoop = void (*)(const char* in, int64_t n, int64_t in_stride, char* out,
                          int64_t out_stride, bool include_initial);
ScanLoop scan_loop(ScanKind kind, DType d);

}  // namespace trueno::kernels

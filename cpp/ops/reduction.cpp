#include "ops/reduction.h"

#include <algorithm>
#include <cstdlib>
#include <memory>
#include <optional>
#include <string>
#include <type_traits>
#include <vector>

#include "core/errors.h"
#include "core/iteration.h"
#include "core/threading.h"
#include "kernels/reduction.h"
#include "kernels/simd_reduce.h"
#include "ops/copy.h"
#include "ops/elementwise.h"

namespace trueno {
namespace {

using kernels::ReduceKind;

struct ReductionInfo {
  const char* name;
  ReduceKind kind;
  unsigned accepts;     // dtype categories of x
  bool needs_nonempty;  // zero-size along the reduced axes is a ValueError
};

// One row per Reduction, in enumeration order.
const ReductionInfo kInfo[] = {
    {"sum", ReduceKind::Sum, kAny, false},
    {"prod", ReduceKind::Prod, kAny, false},
    {"max", ReduceKind::Max, kRealNumeric | kBool, true},
    {"min", ReduceKind::Min, kRealNumeric | kBool, true},
    {"mean", ReduceKind::Mean, kAny, false},
    {"var", ReduceKind::Var, kAny, false},
    {"std", ReduceKind::Var, kAny, false},
    {"all", ReduceKind::All, kAny, false},
    {"any", ReduceKind::Any, kAny, false},
    {"count_nonzero", ReduceKind::CountNonzero, kAny, false},
    {"argmax", ReduceKind::ArgMax, kRealNumeric | kBool, true},
    {"argmin", ReduceKind::ArgMin, kRealNumeric | kBool, true},
};

// The accumulation dtype of sum/prod/cumulative_*: the spec's default
// integer (or uint64) for integers and bool, the input's dtype otherwise.
DType sum_dtype(DType in, std::optional<DType> requested, const char* func) {
  if (requested) {
    if (in_category(in, kComplexFloat) && !in_category(*requested, kComplexFloat))
      throw TypeError(std::string(func) + "(): cannot compute a complex array in " +
                      dtype_name(*requested));
    return *requested;
  }
  if (in_category(in, kUnsignedInt)) return DType::UInt64;
  if (in_category(in, kSignedInt | kBool)) return kDefaultInt;
  return in;
}

struct OuterCtx {
  kernels::ReduceLoop fn;
  int nd;
  int64_t shape[kMaxDims];
  int64_t strides[kMaxDims];
  const void* kctx;
};

void outer_loop(char** data, const int64_t* strides, int64_t n, const void* c) {
  const OuterCtx* ctx = static_cast<const OuterCtx*>(c);
  const char* in = data[0];
  char* out = data[1];
  for (int64_t i = 0; i < n; ++i, in += strides[0], out += strides[1])
    ctx->fn(in, ctx->nd, ctx->shape, ctx->strides, out, ctx->kctx);
}

struct ScanCtx {
  kernels::ScanLoop fn;
  int64_t n, in_stride, out_stride;
  bool include_initial;
};

void scan_outer(char** data, const int64_t* strides, int64_t n, const void* c) {
  const ScanCtx* ctx = static_cast<const ScanCtx*>(c);
  const char* in = data[0];
  char* out = data[1];
  for (int64_t i = 0; i < n; ++i, in += strides[0], out += strides[1])
    ctx->fn(in, ctx->n, ctx->in_stride, out, ctx->out_stride, ctx->include_initial);
}

// The row loops of reduce_rows for element type T (float or double).
// Columns [first, last) of the output rows: columns are independent in
// every row kernel, so any split of them gives the same results.
template <class T>
void reduce_rows_t(ReduceKind kind, simd::RowOp op, const Array& in, const OuterCtx& ctx,
                   int64_t count, int ond, const int64_t* oshape, const int64_t* ostrides,
                   int64_t len, int64_t first, int64_t last, Array& out) {
  constexpr bool f32 = std::is_same_v<T, float>;
  const size_t n = size_t(last - first);
  const char* in_data = in.data + first * int64_t(sizeof(T));
  // The innermost reduced axis goes to the kernels; the others are iterated here.
  const int rnd = ctx.nd - 1;
  const size_t nrows = size_t(ctx.shape[rnd]);
  const int64_t rs = ctx.strides[rnd];
  auto row_reduce = [&](simd::RowOp o, T* dst, const char* p, bool init) {
    if constexpr (f32) simd::RowReduceF32(o, dst, p, n, nrows, rs, init);
    else simd::RowReduceF64(o, dst, p, n, nrows, rs, init);
  };
  const bool var = kind == ReduceKind::Var;
  const bool arg = kind == ReduceKind::ArgMax || kind == ReduceKind::ArgMin;
  const double dof = var ? double(count) - *static_cast<const double*>(ctx.kctx) : 0.0;
  std::vector<T> mean(var ? n : 0);
  // float32 products run in float64 rows, rounded once (see ProdWide).
  std::vector<double> wide(f32 && kind == ReduceKind::Prod ? n : 0);
  char* orow = out.data + first * int64_t(out.itemsize());
  const int64_t orow_bytes = len * int64_t(out.itemsize());
  for_each_offset(ond, oshape, ostrides, [&](int64_t base) {
    auto each = [&](auto&& f) {  // f(first row of a reduced block, init)
      bool init = true;
      for_each_offset(rnd, ctx.shape, ctx.strides, [&](int64_t roff) {
        f(in_data + base + roff, init);
        init = false;
      });
    };
    T* o = reinterpret_cast<T*>(orow);
    if (arg) {
      int64_t* oi = reinterpret_cast<int64_t*>(orow);
      const bool mx = kind == ReduceKind::ArgMax;
      each([&](const char* p, bool) {
        if constexpr (f32) simd::RowArgF32(mx, oi, p, n, nrows, rs);
        else simd::RowArgF64(mx, oi, p, n, nrows, rs);
      });
    } else if (var) {
      each([&](const char* p, bool init) { row_reduce(simd::RowOp::Sum, mean.data(), p, init); });
      for (size_t j = 0; j < n; ++j) mean[j] /= T(count);
      each([&](const char* p, bool init) {
        if constexpr (f32) simd::RowSqDevF32(mean.data(), o, p, n, nrows, rs, init);
        else simd::RowSqDevF64(mean.data(), o, p, n, nrows, rs, init);
      });
      for (size_t j = 0; j < n; ++j) o[j] /= T(dof);
    } else if (f32 && kind == ReduceKind::Prod) {
      each([&](const char* p, bool init) { simd::RowProdWideF32(wide.data(), p, n, nrows, rs, init); });
      for (size_t j = 0; j < n; ++j) o[j] = static_cast<T>(wide[j]);
    } else {
      each([&](const char* p, bool init) { row_reduce(op, o, p, init); });
      if (kind == ReduceKind::Mean)
        for (size_t j = 0; j < n; ++j) o[j] /= T(count);
    }
    orow += orow_bytes;
  });
}

// The kept axes other than the last (each output row is one position of
// them): their lengths and input strides; returns how many there are.
int output_rows(const Array& in, const std::vector<bool>& reduced, int64_t* shape, int64_t* strides) {
  int n = 0;
  for (int k = 0; k < in.ndim() - 1; ++k)
    if (!reduced[k] && in.shape[k] != 1) {
      shape[n] = in.shape[k];
      strides[n] = in.strides[k];
      ++n;
    }
  return n;
}

// Max/min rows of integer type T (see reduce_rows).
template <class T>
void reduce_rows_int(bool is_max, const Array& in, const OuterCtx& ctx, int ond, const int64_t* oshape,
                     const int64_t* ostrides, int64_t len, int64_t first, int64_t last, Array& out) {
  const size_t n = size_t(last - first);
  const char* in_data = in.data + first * int64_t(sizeof(T));
  const int rnd = ctx.nd - 1;
  const size_t nrows = size_t(ctx.shape[rnd]);
  const int64_t rs = ctx.strides[rnd];
  T* orow = reinterpret_cast<T*>(out.data) + first;
  for_each_offset(ond, oshape, ostrides, [&](int64_t base) {
    bool init = true;
    for_each_offset(rnd, ctx.shape, ctx.strides, [&](int64_t roff) {
      simd::RowExtremum(is_max, orow, in_data + base + roff, n, nrows, rs, init);
      init = false;
    });
    orow += len;
  });
}

// Splits the output columns over the threads (aligned, so that vector tiles
// stay whole), with enough reduced elements per task to be worth a thread.
template <class F>
void for_column_ranges(int64_t len, int64_t elements_per_column, F&& f) {
  const int64_t grain = std::max<int64_t>(kChunkAlign, kParallelGrain / std::max<int64_t>(1, elements_per_column));
  parallel_for(len, grain, f, kChunkAlign);
}

// Sum/prod/max/min/mean/var/argmax/argmin of float32/float64 over axes that keep the last axis,
// when that axis is contiguous: whole rows are combined into output rows by
// the SIMD row kernels instead of one strided loop per output element.
// Returns false when the case does not apply. `out` is C-contiguous.
bool reduce_rows(ReduceKind kind, const Array& in, const std::vector<bool>& reduced,
                 const OuterCtx& ctx, int64_t count, Array& out) {
  const int nd = in.ndim();
  if (nd < 2 || reduced[nd - 1] || ctx.nd == 0 || count == 0 || out.size() == 0) return false;
  const int64_t isz = int64_t(in.itemsize());
  if (in.strides[nd - 1] != isz) return false;
  const int64_t len = in.shape[nd - 1];
  int64_t oshape[kMaxDims], ostrides[kMaxDims];
  const int ond = output_rows(in, reduced, oshape, ostrides);
  const int64_t per_column = count * (out.size() / len);
  if (in_category(in.dtype, kInteger)) {
    // Integers: max/min rows only (sums wrap or widen; indices need 64 bits).
    if (kind != ReduceKind::Max && kind != ReduceKind::Min) return false;
    return visit_dtype(in.dtype, [&](auto v) {
      using T = decltype(v);
      if constexpr (std::is_integral_v<T> && !std::is_same_v<T, bool>) {
        for_column_ranges(len, per_column, [&](int64_t first, int64_t last) {
          reduce_rows_int<T>(kind == ReduceKind::Max, in, ctx, ond, oshape, ostrides, len, first, last, out);
        });
        return true;
      } else {
        return false;
      }
    });
  }
  if (in.dtype != DType::Float32 && in.dtype != DType::Float64) return false;
  simd::RowOp op = simd::RowOp::Sum;
  const bool arg = kind == ReduceKind::ArgMax || kind == ReduceKind::ArgMin;
  if (arg) {
    // One reduced axis (after merging), so the row number is the index.
    if (ctx.nd != 1 || ctx.shape[0] >= (int64_t(1) << 31)) return false;
  } else switch (kind) {
    case ReduceKind::Sum: case ReduceKind::Mean: op = simd::RowOp::Sum; break;
    case ReduceKind::Prod: op = simd::RowOp::Prod; break;
    case ReduceKind::Max: op = simd::RowOp::Max; break;
    case ReduceKind::Min: op = simd::RowOp::Min; break;
    case ReduceKind::Var: break;  // real float: result dtype == input dtype
    default: return false;
  }
  if (kind == ReduceKind::Var && !(double(count) - *static_cast<const double*>(ctx.kctx) > 0))
    return false;
  for_column_ranges(len, per_column, [&](int64_t first, int64_t last) {
    if (in.dtype == DType::Float32)
      reduce_rows_t<float>(kind, op, in, ctx, count, ond, oshape, ostrides, len, first, last, out);
    else
      reduce_rows_t<double>(kind, op, in, ctx, count, ond, oshape, ostrides, len, first, last, out);
  });
  return true;
}

// Whole-block reductions of many elements are cut into chunks of about this
// many elements, whose partial results are combined in a fixed order. The
// cut depends only on the block, never on the number of threads, so a
// result is bitwise the same for any thread count.
constexpr int64_t kReduceChunk = int64_t(1) << 17;

// The address of element `flat` (C order) of an nd-dimensional block.
const char* element_at(const char* block, int nd, const int64_t* shape, const int64_t* strides, int64_t flat) {
  for (int ax = nd - 1; ax >= 0; --ax) {
    block += (flat % shape[ax]) * strides[ax];
    flat /= shape[ax];
  }
  return block;
}

template <class T>
T pairwise_total(const T* part, int64_t n) {
  if (n == 1) return part[0];
  const int64_t half = n / 2;
  return pairwise_total(part, half) + pairwise_total(part + half, n - half);
}

// Where a block is cut: along its outermost axis, rows_per_chunk at a time.
struct ChunkPlan {
  int64_t rows_per_chunk, chunks, elements_per_chunk;
};

// Combines the chunks' partial results (in chunk order) into *out.
template <class T>
void combine_partials(ReduceKind kind, const char* partials, const ChunkPlan& plan, const char* block,
                      const OuterCtx& ctx, int64_t count, char* out) {
  const int64_t n = plan.chunks;
  const T* part = reinterpret_cast<const T*>(partials);
  auto is_nan = [](T v) {
    if constexpr (std::is_floating_point_v<T>) return v != v;
    else return false;
  };
  switch (kind) {
    case ReduceKind::Sum:
    case ReduceKind::Mean: {
      T total;
      if constexpr (std::is_same_v<T, bool>) {
        total = std::any_of(part, part + n, [](bool b) { return b; });
      } else if constexpr (std::is_integral_v<T>) {
        uint64_t acc = 0;
        for (int64_t c = 0; c < n; ++c) acc += uint64_t(part[c]);
        total = T(acc);
      } else {
        total = pairwise_total(part, n);
        if (kind == ReduceKind::Mean) total = total / real_of_t<T>(count);
      }
      *reinterpret_cast<T*>(out) = total;
      return;
    }
    case ReduceKind::Prod: {
      T total = part[0];
      for (int64_t c = 1; c < n; ++c) {
        if constexpr (std::is_same_v<T, bool>) total = total && part[c];
        else if constexpr (std::is_integral_v<T>) total = T(uint64_t(total) * uint64_t(part[c]));
        else total = total * part[c];
      }
      *reinterpret_cast<T*>(out) = total;
      return;
    }
    case ReduceKind::Max:
    case ReduceKind::Min:
      if constexpr (!is_complex_v<T>) {
        const bool is_max = kind == ReduceKind::Max;
        T best = part[0];
        for (int64_t c = 1; c < n && !is_nan(best); ++c)
          if (is_nan(part[c]) || (is_max ? part[c] > best : part[c] < best)) best = part[c];
        *reinterpret_cast<T*>(out) = best;
      }
      return;
    case ReduceKind::ArgMax:
    case ReduceKind::ArgMin:
      if constexpr (!is_complex_v<T>) {
        const bool is_max = kind == ReduceKind::ArgMax;
        const int64_t* index = reinterpret_cast<const int64_t*>(partials);
        int64_t shape[kMaxDims];
        std::copy(ctx.shape, ctx.shape + ctx.nd, shape);
        int64_t where = 0;
        T best{};
        for (int64_t c = 0; c < n; ++c) {
          const int64_t r0 = c * plan.rows_per_chunk;
          shape[0] = std::min(plan.rows_per_chunk, ctx.shape[0] - r0);
          const T v = *reinterpret_cast<const T*>(
              element_at(block + r0 * ctx.strides[0], ctx.nd, shape, ctx.strides, index[c]));
          if (c == 0 || is_nan(v) || (is_max ? v > best : v < best)) {
            best = v;
            where = c * plan.elements_per_chunk + index[c];
          }
          if (is_nan(v)) break;  // the first NaN is the answer
        }
        *reinterpret_cast<int64_t*>(out) = where;
      }
      return;
    default:
      return;
  }
}

// Wide partial products (W) multiplied in chunk order, rounded once to T.
template <class W, class T>
void combine_wide_products(const char* partials, int64_t n, char* out) {
  const W* part = reinterpret_cast<const W*>(partials);
  W total = part[0];
  for (int64_t c = 1; c < n; ++c) total *= part[c];
  *reinterpret_cast<T*>(out) = static_cast<T>(total);
}

// Partial results of another type than the input's: widened sums (int64 or
// uint64, added as uint64), counts (int64) and all/any (bool).
void combine_other_partials(ReduceKind kind, const char* partials, int64_t n, char* out) {
  if (kind == ReduceKind::All || kind == ReduceKind::Any) {
    const bool* part = reinterpret_cast<const bool*>(partials);
    const bool any = kind == ReduceKind::Any;
    bool result = !any;
    for (int64_t c = 0; c < n; ++c)
      if (part[c] == any) result = any;
    *reinterpret_cast<bool*>(out) = result;
    return;
  }
  uint64_t total = 0;  // SumWide and CountNonzero: integer sums, any order is exact
  for (int64_t c = 0; c < n; ++c) total += reinterpret_cast<const uint64_t*>(partials)[c];
  *reinterpret_cast<uint64_t*>(out) = total;
}

// Reductions whose blocks are large: each block in chunks (see
// kReduceChunk), the chunks of a block over the threads. Returns false when
// the case does not apply (small blocks, var/std).
bool reduce_chunked(ReduceKind kind, DType compute, const Array& in, const OuterCtx& ctx, int64_t count,
                    const Shape& kept_shape, const Shape& kept_strides, Array& out, const char* func) {
  if (kind == ReduceKind::Var || count < 2 * kReduceChunk || ctx.nd == 0 || out.size() == 0) return false;
  ChunkPlan plan;
  const int64_t inner = count / ctx.shape[0];
  plan.rows_per_chunk = std::max<int64_t>(1, kReduceChunk / inner);
  plan.chunks = (ctx.shape[0] + plan.rows_per_chunk - 1) / plan.rows_per_chunk;
  plan.elements_per_chunk = plan.rows_per_chunk * inner;
  if (plan.chunks < 2) return false;
  // A mean's chunks are sums; the division comes once, at the end. The
  // chunks of a float32/complex64 product stay wide until the last
  // multiplication (see ProdWide).
  const bool wide_prod = kind == ReduceKind::Prod && (compute == DType::Float32 || compute == DType::Complex64);
  const kernels::ReduceLoop part_loop = kernels::reduce_loop(
      kind == ReduceKind::Mean ? ReduceKind::Sum : wide_prod ? ReduceKind::ProdWide : kind, compute);
  const size_t part_size = kind == ReduceKind::Mean ? itemsize(compute)
                           : wide_prod              ? 2 * itemsize(compute)
                                                    : out.itemsize();
  // One partial per chunk: a zero-stride view of 2**62 elements has more
  // chunks than memory holds. (A malloc-backed Buffer, not new[]: a failed
  // new[] aborts under AddressSanitizer instead of throwing.)
  std::shared_ptr<Buffer> storage;
  try {
    storage = Buffer::allocate(static_cast<size_t>(plan.chunks) * part_size);
  } catch (const std::bad_alloc&) {
    throw MemoryError(std::string(func) + "(): cannot allocate the partial results of " + std::to_string(count) +
                      " elements (" + std::to_string(plan.chunks) + " chunks)");
  }
  char* partials = storage->data();
  const bool same_type = part_size == itemsize(compute) && kind != ReduceKind::SumWide &&
                         kind != ReduceKind::CountNonzero && kind != ReduceKind::All &&
                         kind != ReduceKind::Any && kind != ReduceKind::ArgMax && kind != ReduceKind::ArgMin;
  char* o = out.data;
  for_each_offset(static_cast<int>(kept_shape.size()), kept_shape.data(), kept_strides.data(), [&](int64_t base) {
    const char* block = in.data + base;
    parallel_for(plan.chunks, 1, [&](int64_t c0, int64_t c1) {
      int64_t shape[kMaxDims];
      std::copy(ctx.shape, ctx.shape + ctx.nd, shape);
      for (int64_t c = c0; c < c1; ++c) {
        const int64_t r0 = c * plan.rows_per_chunk;
        shape[0] = std::min(plan.rows_per_chunk, ctx.shape[0] - r0);
        part_loop(block + r0 * ctx.strides[0], ctx.nd, shape, ctx.strides, partials + c * part_size, ctx.kctx);
      }
    });
    const bool arg = kind == ReduceKind::ArgMax || kind == ReduceKind::ArgMin;
    if (same_type || arg)
      visit_dtype(compute, [&](auto tag) {
        combine_partials<decltype(tag)>(kind, partials, plan, block, ctx, count, o);
      });
    else if (wide_prod && compute == DType::Float32)
      combine_wide_products<double, float>(partials, plan.chunks, o);
    else if (wide_prod)
      combine_wide_products<complex128, complex64>(partials, plan.chunks, o);
    else
      combine_other_partials(kind, partials, plan.chunks, o);
    o += out.itemsize();
  });
  return true;
}

// x in blocks of leading rows when its first axis is kept (a reduction along
// rows, as Cubed's mean and var and Dask's std make per chunk), each converted
// to `compute` and reduced on its own: converting all of x first cost an
// allocation of x's size in the wider dtype and a pass through memory
// (mean(float32 (8192, 4096), axis=1, dtype=float64): 54 -> 26 ms, NumPy 19 ms).
// Output elements are independent, so each block reduces what it reduced
// before. Empty when the first axis is reduced or too short to split.
std::optional<Array> reduce_cast_blocks(Reduction r, const Array& x, const std::vector<bool>& reduced,
                                        const std::optional<std::vector<int>>& axes, bool keepdims,
                                        std::optional<DType> dtype, double correction, DType compute) {
  const int axis = 0;
  if (x.ndim() < 2 || reduced[axis] || x.size() < 2 * kCastBlockElements) return std::nullopt;
  const int64_t length = x.shape[axis];
  const int64_t step = std::max<int64_t>(1, kCastBlockElements / (x.size() / length));
  if (step >= length) return std::nullopt;
  LongKernelScope without_gil(x.size());  // each block alone is too short to release it
  std::optional<Array> out;
  Shape block_shape = x.shape;
  for (int64_t start = 0; start < length; start += step) {
    block_shape[axis] = std::min(step, length - start);
    const Array block = x.view(block_shape, x.strides, x.data + start * x.strides[axis]);
    const Array part = reduce(r, astype_copy(block, compute, reduction_name(r)), axes, /*keepdims=*/true, dtype, correction);
    if (!out) {
      Shape out_shape = part.shape;
      out_shape[axis] = length;
      out = make_empty(out_shape, part.dtype, kInfo[static_cast<int>(r)].name);
    }
    copy_into(out->view(part.shape, out->strides, out->data + start * out->strides[axis]), part);
  }
  if (keepdims) return out;
  Shape final_shape;
  for (int k = 0; k < x.ndim(); ++k)
    if (!reduced[k]) final_shape.push_back(x.shape[k]);
  return out->view(final_shape, c_strides(final_shape, out->itemsize()), out->data);
}

}  // namespace

const char* reduction_name(Reduction r) { return kInfo[static_cast<int>(r)].name; }

Array reduce(Reduction r, const Array& x, const std::optional<std::vector<int>>& axes,
             bool keepdims, std::optional<DType> dtype, double correction) {
  const ReductionInfo& info = kInfo[static_cast<int>(r)];
  const char* func = info.name;
  if (!in_category(x.dtype, info.accepts))
    throw TypeError(std::string(func) + "(): not defined for arrays of dtype " + dtype_name(x.dtype));

  // Compute and result dtypes.
  DType compute = x.dtype, result = x.dtype;
  switch (r) {
    case Reduction::Sum: case Reduction::Prod:
      compute = result = sum_dtype(x.dtype, dtype, func);
      break;
    case Reduction::Mean:
      // Integers are accepted leniently (NumPy does), computing in float64;
      // a floating dtype= (NumPy's, which Cubed passes) is computed in.
      compute = result = dtype && in_category(*dtype, kFloating) ? *dtype
                         : in_category(x.dtype, kFloating)       ? x.dtype
                                                                 : kDefaultFloat;
      break;
    case Reduction::Var: case Reduction::Std:
      compute = in_category(x.dtype, kFloating) ? x.dtype : kDefaultFloat;
      result = real_dtype(compute);
      break;
    case Reduction::All: case Reduction::Any:
      result = DType::Bool;
      break;
    case Reduction::CountNonzero: case Reduction::ArgMax: case Reduction::ArgMin:
      result = kDefaultIndex;
      break;
    default:
      break;
  }
  ReduceKind kind = info.kind;
  if (r == Reduction::Sum && compute != x.dtype && in_category(x.dtype, kIntegerOrBool) &&
      compute == sum_dtype(x.dtype, std::nullopt, func)) {
    kind = ReduceKind::SumWide;  // widen while summing: no int64 copy of x
    compute = x.dtype;
  }
  kernels::ReduceLoop fn = kernels::reduce_loop(kind, compute);
  if (!fn)
    throw TypeError(std::string(func) + "(): not defined for arrays of dtype " + dtype_name(compute));

  const int nd = x.ndim();
  std::vector<bool> reduced(nd, !axes.has_value());
  if (axes)
    for (int a : *axes) reduced[normalize_axis(a, nd, func)] = true;

  if (compute != x.dtype)
    if (auto blocked = reduce_cast_blocks(r, x, reduced, axes, keepdims, dtype, correction, compute))
      return *blocked;
  LongKernelScope without_gil(x.size());
  Array in = compute == x.dtype ? x : astype_copy(x, compute, func);
  Shape kept_shape, kept_strides, final_shape;
  OuterCtx ctx{fn, 0, {}, {}, nullptr};
  int64_t count = 1;
  bool empty_block = false;
  std::vector<std::pair<int64_t, int64_t>> block_axes;  // (length, stride) of reduced axes
  for (int k = 0; k < nd; ++k) {
    if (!reduced[k]) {
      kept_shape.push_back(in.shape[k]);
      kept_strides.push_back(in.strides[k]);
      final_shape.push_back(in.shape[k]);
      continue;
    }
    if (keepdims) final_shape.push_back(1);
    int64_t n = in.shape[k];
    count *= n;
    if (n == 0) empty_block = true;
    if (n > 1) block_axes.emplace_back(n, in.strides[k]);
  }
  // Walk the block in memory order (a transposed input reads as one run),
  // except for argmax/argmin, whose flat index needs C order.
  if (kind != ReduceKind::ArgMax && kind != ReduceKind::ArgMin)
    std::stable_sort(block_axes.begin(), block_axes.end(), [](const auto& a, const auto& b) {
      return std::abs(a.second) > std::abs(b.second);
    });
  for (auto [n, s] : block_axes) {
    // Merge with the previous reduced axis when they are contiguous.
    if (ctx.nd > 0 && ctx.strides[ctx.nd - 1] == s * n) {
      ctx.shape[ctx.nd - 1] *= n;
      ctx.strides[ctx.nd - 1] = s;
    } else {
      ctx.shape[ctx.nd] = n;
      ctx.strides[ctx.nd] = s;
      ++ctx.nd;
    }
  }
  if (empty_block) {
    ctx.nd = 1;
    ctx.shape[0] = 0;
    ctx.strides[0] = 0;
  }

  Array out = make_empty(kept_shape, result, func);
  if (count == 0 && info.needs_nonempty && out.size() > 0)
    throw ValueError(std::string(func) + "(): cannot reduce a zero-size array (along the reduced axes): "
                     "the operation has no identity");
  ctx.kctx = &correction;

  if (!reduce_rows(kind, in, reduced, ctx, count, out) &&
      !reduce_chunked(kind, compute, in, ctx, count, kept_shape, kept_strides, out, func)) {
    // Output elements are independent: any split over threads is exact.
    char* data[2] = {in.data, out.data};
    const Shape* strides[2] = {&kept_strides, &out.strides};
    for_each_strided_parallel(&outer_loop, &ctx, 2, data, strides, kept_shape,
                              std::max<int64_t>(1, kParallelGrain / std::max<int64_t>(1, count)));
  }

  if (r == Reduction::Std) {
    static const ElementwiseFunction& sqrt_fn = elementwise_function("sqrt");
    out = apply_unary(sqrt_fn, out);
  }
  if (keepdims) out = out.view(final_shape, c_strides(final_shape, out.itemsize()), out.data);
  return out;
}

Array cumulative(bool prod, const Array& x, std::optional<int64_t> axis,
                 std::optional<DType> dtype, bool include_initial) {
  const char* func = prod ? "cumulative_prod" : "cumulative_sum";
  const int nd = x.ndim();
  if (nd == 0) throw ValueError(std::string(func) + "(): x must have at least one dimension");
  int ax;
  if (!axis) {
    if (nd != 1)
      throw ValueError(std::string(func) + "(): axis must be given for arrays of more than one dimension");
    ax = 0;
  } else {
    ax = normalize_axis(*axis, nd, func);
  }
  DType compute = sum_dtype(x.dtype, dtype, func);
  LongKernelScope without_gil(x.size());
  Array in = compute == x.dtype ? x : astype_copy(x, compute, func);

  Shape out_shape = in.shape;
  out_shape[ax] += include_initial ? 1 : 0;
  Array out = make_empty(out_shape, compute, func);

  Shape outer, in_strides, out_strides;
  for (int k = 0; k < nd; ++k) {
    if (k == ax) continue;
    outer.push_back(in.shape[k]);
    in_strides.push_back(in.strides[k]);
    out_strides.push_back(out.strides[k]);
  }
  ScanCtx ctx{kernels::scan_loop(prod ? kernels::ScanKind::Prod : kernels::ScanKind::Sum, compute),
              in.shape[ax], in.strides[ax], out.strides[ax], include_initial};
  char* data[2] = {in.data, out.data};
  const Shape* strides[2] = {&in_strides, &out_strides};
  // Lanes are independent: any split over threads gives the same results.
  for_each_strided_parallel(&scan_outer, &ctx, 2, data, strides, outer,
                            std::max<int64_t>(1, kParallelGrain / std::max<int64_t>(1, in.shape[ax])));
  return out;
}

}  // namespace trueno

#include "core/iteration.h"

#include <algorithm>

#include "core/errors.h"
#include "core/threading.h"

namespace trueno {

Shape broadcast_shapes(const Shape& a, const Shape& b, const char* func) {
  size_t n = std::max(a.size(), b.size());
  Shape r(n);
  for (size_t i = 0; i < n; ++i) {
    int64_t da = i < n - a.size() ? 1 : a[i - (n - a.size())];
    int64_t db = i < n - b.size() ? 1 : b[i - (n - b.size())];
    if (da == db || db == 1)
      r[i] = da;
    else if (da == 1)
      r[i] = db;
    else
      throw ValueError(std::string(func) + "(): shapes " + shape_str(a) + " and " +
                       shape_str(b) + " cannot be broadcast together");
  }
  return r;
}

Shape broadcast_strides(const Array& a, const Shape& shape, const char* func) {
  if (a.shape.size() > shape.size())
    throw ValueError(std::string(func) + "(): cannot broadcast shape " + shape_str(a.shape) +
                     " to " + shape_str(shape));
  size_t lead = shape.size() - a.shape.size();
  Shape s(shape.size(), 0);
  for (size_t i = 0; i < a.shape.size(); ++i) {
    int64_t d = a.shape[i];
    if (d == shape[lead + i])
      s[lead + i] = d == 1 ? 0 : a.strides[i];
    else if (d == 1)
      s[lead + i] = 0;
    else
      throw ValueError(std::string(func) + "(): cannot broadcast shape " +
                       shape_str(a.shape) + " to " + shape_str(shape));
  }
  return s;
}

Array broadcast_to(const Array& a, const Shape& shape, const char* func) {
  checked_bytes(shape, a.dtype, func);
  // Read-only, as NumPy's: writing through a stride-0 axis would hit one
  // element many times (and in-place operators would compound).
  Array v = a.view(shape, broadcast_strides(a, shape, func), a.data);
  v.readonly = true;
  return v;
}

namespace {

constexpr int kMaxOps = 8;

// The iteration space of for_each_strided: axes of length > 1, with
// neighbours that are contiguous for every operand merged into one.
struct MergedAxes {
  int nd = 0;
  int64_t dims[kMaxDims];
  int64_t strides[kMaxDims][kMaxOps];
};

// Axis a belongs inside axis b (nearer the innermost loop) when every
// operand that moves along both moves less along a, and one strictly less.
bool belongs_inside(int nops, const Shape* const* strides, size_t a, size_t b) {
  bool less = false;
  for (int k = 0; k < nops; ++k) {
    int64_t sa = (*strides[k])[a], sb = (*strides[k])[b];
    sa = sa < 0 ? -sa : sa;
    sb = sb < 0 ? -sb : sb;
    if (sa == 0 || sb == 0) continue;
    if (sa > sb) return false;
    less |= sa < sb;
  }
  return less;
}

// The axes, outermost first, in C order unless the operands agree on another
// memory order (all transposed alike): an insertion sort, so ambiguous pairs
// keep their C order.
void memory_order(int nops, const Shape* const* strides, size_t nd, int* order) {
  for (size_t i = 0; i < nd; ++i) {
    size_t j = i;
    while (j > 0 && belongs_inside(nops, strides, size_t(order[j - 1]), i)) {
      order[j] = order[j - 1];
      --j;
    }
    order[j] = int(i);
  }
}

// `order` lists the axes outermost first; null means C order.
MergedAxes merge_axes(int nops, const Shape* const* strides, const Shape& shape, const int* order = nullptr) {
  MergedAxes m;
  for (size_t pos = 0; pos < shape.size(); ++pos) {
    const size_t i = order ? size_t(order[pos]) : pos;
    if (shape[i] == 1) continue;
    if (m.nd > 0) {
      bool mergeable = true;
      for (int k = 0; k < nops; ++k)
        if (m.strides[m.nd - 1][k] != (*strides[k])[i] * shape[i]) { mergeable = false; break; }
      if (mergeable) {
        m.dims[m.nd - 1] *= shape[i];
        for (int k = 0; k < nops; ++k) m.strides[m.nd - 1][k] = (*strides[k])[i];
        continue;
      }
    }
    m.dims[m.nd] = shape[i];
    for (int k = 0; k < nops; ++k) m.strides[m.nd][k] = (*strides[k])[i];
    ++m.nd;
  }
  return m;
}

// Calls `loop` on elements [first, last) of the innermost axis, for the
// outer positions (rows, in C order) [row_begin, row_end). m.nd >= 1.
void run_rows(StridedLoop loop, const void* ctx, int nops, char* const* data, const MergedAxes& m,
              int64_t row_begin, int64_t row_end, int64_t first, int64_t last) {
  const int inner = m.nd - 1;
  char* ptr[kMaxOps];
  for (int k = 0; k < nops; ++k) ptr[k] = data[k] + first * m.strides[inner][k];
  int64_t counter[kMaxDims] = {0};
  int64_t rest = row_begin;
  for (int ax = inner - 1; ax >= 0 && rest > 0; --ax) {
    counter[ax] = rest % m.dims[ax];
    rest /= m.dims[ax];
    for (int k = 0; k < nops; ++k) ptr[k] += counter[ax] * m.strides[ax][k];
  }
  for (int64_t row = row_begin;;) {
    loop(ptr, m.strides[inner], last - first, ctx);
    if (++row == row_end) return;
    for (int ax = inner - 1; ax >= 0; --ax) {
      for (int k = 0; k < nops; ++k) ptr[k] += m.strides[ax][k];
      if (++counter[ax] < m.dims[ax]) break;
      for (int k = 0; k < nops; ++k) ptr[k] -= m.strides[ax][k] * m.dims[ax];
      counter[ax] = 0;
    }
  }
}

void run_single(StridedLoop loop, const void* ctx, int nops, char* const* data) {
  char* ptr[kMaxOps];
  for (int k = 0; k < nops; ++k) ptr[k] = data[k];
  int64_t zero[kMaxOps] = {0};
  loop(ptr, zero, 1, ctx);
}

int64_t outer_rows(const MergedAxes& m) {
  int64_t rows = 1;
  for (int ax = 0; ax < m.nd - 1; ++ax) rows *= m.dims[ax];
  return rows;
}

// Operands that disagree on the innermost axis (m + m.T): some operand moves
// less along the next-outer axis than along the innermost.
bool inner_axes_disagree(int nops, const MergedAxes& m) {
  if (m.nd < 2) return false;
  for (int k = 0; k < nops; ++k) {
    int64_t inner = m.strides[m.nd - 1][k], outer = m.strides[m.nd - 2][k];
    inner = inner < 0 ? -inner : inner;
    outer = outer < 0 ? -outer : outer;
    if (inner != 0 && outer != 0 && outer < inner) return true;
  }
  return false;
}

// Such operands walk the last two axes in square tiles, so the one read
// across its rows reuses every cache line it touches within a tile.
constexpr int64_t kTile = 64;

struct Tiling {
  int64_t rows, cols;               // the last two axes' lengths
  int64_t tile_rows, tile_cols;     // tiles along each
  int64_t per_plane, total;         // tiles per position of the other axes, and in all
};

Tiling tiling_of(const MergedAxes& m) {
  Tiling t;
  t.rows = m.dims[m.nd - 2];
  t.cols = m.dims[m.nd - 1];
  t.tile_rows = (t.rows + kTile - 1) / kTile;
  t.tile_cols = (t.cols + kTile - 1) / kTile;
  t.per_plane = t.tile_rows * t.tile_cols;
  int64_t planes = 1;
  for (int ax = 0; ax < m.nd - 2; ++ax) planes *= m.dims[ax];
  t.total = planes * t.per_plane;
  return t;
}

// Tiles [first, last), numbered in C order over (other axes, tile row, tile column).
void run_tiles(StridedLoop loop, const void* ctx, int nops, char* const* data, const MergedAxes& m,
               const Tiling& t, int64_t first, int64_t last) {
  const int r_ax = m.nd - 2, c_ax = m.nd - 1;
  for (int64_t tile = first; tile < last; ++tile) {
    int64_t plane = tile / t.per_plane, within = tile % t.per_plane;
    const int64_t r0 = within / t.tile_cols * kTile, c0 = within % t.tile_cols * kTile;
    char* base[kMaxOps];
    for (int k = 0; k < nops; ++k) base[k] = data[k] + r0 * m.strides[r_ax][k] + c0 * m.strides[c_ax][k];
    for (int ax = r_ax - 1; ax >= 0 && plane > 0; --ax) {
      const int64_t index = plane % m.dims[ax];
      plane /= m.dims[ax];
      for (int k = 0; k < nops; ++k) base[k] += index * m.strides[ax][k];
    }
    const int64_t rows = std::min(kTile, t.rows - r0), cols = std::min(kTile, t.cols - c0);
    char* ptr[kMaxOps];
    for (int64_t i = 0; i < rows; ++i) {
      for (int k = 0; k < nops; ++k) ptr[k] = base[k] + i * m.strides[r_ax][k];
      loop(ptr, m.strides[c_ax], cols, ctx);
    }
  }
}

}  // namespace

void for_each_strided(StridedLoop loop, const void* ctx, int nops, char* const* data,
                      const Shape* const* strides, const Shape& shape) {
  for (int64_t d : shape)
    if (d == 0) return;
  const MergedAxes m = merge_axes(nops, strides, shape);
  if (m.nd == 0) return run_single(loop, ctx, nops, data);
  run_rows(loop, ctx, nops, data, m, 0, outer_rows(m), 0, m.dims[m.nd - 1]);
}

void for_each_strided_parallel(StridedLoop loop, const void* ctx, int nops, char* const* data,
                               const Shape* const* strides, const Shape& shape, int64_t grain) {
  int64_t total = 1;
  for (int64_t d : shape) total *= d;
  if (total == 0) return;
  // Independent calls: any order of axes gives the same elements, so walk
  // memory in order (a transposed operand then merges into one flat run).
  int order[kMaxDims];
  memory_order(nops, strides, shape.size(), order);
  const MergedAxes m = merge_axes(nops, strides, shape, order);
  if (m.nd == 0) return run_single(loop, ctx, nops, data);
  const int threads = num_threads();
  if (inner_axes_disagree(nops, m)) {
    const Tiling t = tiling_of(m);
    if (threads <= 1 || total < 2 * grain) return run_tiles(loop, ctx, nops, data, m, t, 0, t.total);
    parallel_for(t.total, std::max<int64_t>(1, grain / (kTile * kTile)),
                 [&](int64_t t0, int64_t t1) { run_tiles(loop, ctx, nops, data, m, t, t0, t1); });
    return;
  }
  if (threads <= 1 || total < 2 * grain) return run_rows(loop, ctx, nops, data, m, 0, outer_rows(m), 0, m.dims[m.nd - 1]);
  const int64_t n = m.dims[m.nd - 1], rows = outer_rows(m);
  const int64_t most_parts = int64_t(kPartsPerThread) * threads;
  const int64_t parts = total / grain < most_parts ? total / grain : most_parts;
  const int64_t target = (total + parts - 1) / parts;
  if (n < target) {
    // Whole rows per task.
    parallel_for(rows, (grain + n - 1) / n, [&](int64_t r0, int64_t r1) {
      run_rows(loop, ctx, nops, data, m, r0, r1, 0, n);
    });
    return;
  }
  // Long rows: pieces of rows, cut at multiples of kChunkAlign from the row
  // start so each element meets the same vector code as in one call.
  const int64_t pieces_wanted = (n + target - 1) / target;
  int64_t piece = (n + pieces_wanted - 1) / pieces_wanted;
  piece = (piece + kChunkAlign - 1) / kChunkAlign * kChunkAlign;
  const int64_t pieces = (n + piece - 1) / piece;
  parallel_for(rows * pieces, 1, [&](int64_t u0, int64_t u1) {
    for (int64_t u = u0; u < u1; ++u) {
      const int64_t row = u / pieces, first = (u % pieces) * piece;
      run_rows(loop, ctx, nops, data, m, row, row + 1, first, std::min(n, first + piece));
    }
  });
}

Array permuted(const Array& x, const std::vector<int>& perm) {
  Shape shape, strides;
  for (int p : perm) {
    shape.push_back(x.shape[p]);
    strides.push_back(x.strides[p]);
  }
  return x.view(shape, strides, x.data);
}

}  // namespace trueno

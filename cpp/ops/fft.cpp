// trueno.fft's driver: plans (factorisation, twiddles, Bluestein chirps),
// their cache, and the walk over the lines of an array (ops/fft.h).
//
// Algorithms:
// - A length whose prime factors are all <= kLargestDirectRadix (31) is a
//   mixed-radix Stockham transform (kernels/fft.h: Pass): passes of radix 8, 4,
//   then 2, then odd primes, ping-ponging between the output and a scratch
//   line; no bit reversal.
// - A length with a larger prime factor uses Bluestein's algorithm: with the
//   chirp c_j = exp(-i pi j^2 / n), X_k = c_k sum_j (x_j c_j) conj(c_(k-j)),
//   a convolution computed by transforms of a length m >= 2n - 1 made of
//   2, 3 and 5 (so a prime length costs O(n log n)). The transform of the
//   chirp kernel (divided by m) is part of the plan, computed in double for
//   both precisions.
// - Real transforms of even length n run a complex transform of length n/2
//   on the pairs (x_2j, x_2j+1) plus an O(n) pre/post-processing step; odd
//   lengths run the complex transform of length n on the real sequence (or
//   of the Hermitian extension, for the inverse).
// - Along a strided axis, neighbouring lines are copied a block at a time
//   into a tile with their elements interleaved, and the Stockham passes run
//   over the block as over one transform with longer runs (run_passes).
// Twiddles and chirps are computed in long double and rounded once; the
// chirp's angle uses j^2 mod 2n exactly (128-bit), so long prime lengths keep
// their accuracy.
//
// Plans live in one cache shared by all threads, keyed by (kind, precision,
// length), bounded by kPlanCacheBytes (least recently used out first); a plan
// in use stays alive through its shared_ptr after eviction. Building happens
// outside the lock.
#include "ops/fft.h"

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <list>
#include <memory>
#include <mutex>
#include <new>
#include <vector>

#include "core/buffer.h"
#include "core/errors.h"
#include "core/threading.h"
#include "kernels/fft.h"

namespace trueno {
namespace {

using fft::Complex;

constexpr size_t kPlanCacheBytes = size_t(64) << 20;
// Lengths beyond this need plans (and scratch) of more memory than any machine
// has: refuse them before computing sizes that could overflow.
constexpr int64_t kLargestLength = int64_t(1) << 40;

// Lengths of the buffers carved out of one block of scratch, rounded up to
// 8 complex numbers (64 bytes of complex64) so that every buffer starts on a
// cache line, as the block does: a buffer 16 bytes off it split every vector
// access of the passes in two (rfft of 32768 float64 with its half-length
// transform written 16 bytes off: 105 us, aligned: 75 us; fft of 16384 into
// an aligned result: 50 us).
constexpr int64_t aligned_length(int64_t n) { return (n + 7) / 8 * 8; }

template <class T> struct ComplexPlan {
  int64_t n = 0;
  std::vector<fft::Pass<T>> passes;
  std::vector<Complex<T>> twiddles, roots;
  // Bluestein (m > 0): the direct plan of length m, the chirp (n) and the
  // transformed kernel (m).
  int64_t m = 0;
  std::shared_ptr<const ComplexPlan<T>> sub;
  std::vector<Complex<T>> chirp, kernel;
  int64_t scratch = 0;  // complex elements execute() needs beside in and out
  size_t bytes = 0;
};

template <class T> struct RealPlan {
  int64_t n = 0;
  std::shared_ptr<const ComplexPlan<T>> complex;  // length n/2 (even n) or n (odd)
  std::vector<Complex<T>> w;                      // even n: w_n^k, k < n/2
  size_t bytes = 0;
};

// ------------------------------------------------------------------ the cache

enum PlanKind { kComplexFloat, kComplexDouble, kRealFloat, kRealDouble };

struct CacheEntry {
  int kind;
  int64_t n;
  std::shared_ptr<const void> plan;
  size_t bytes;
};

std::mutex g_cache_mutex;
std::list<CacheEntry> g_cache;  // most recently used first
size_t g_cache_bytes = 0;

std::shared_ptr<const void> cache_find(int kind, int64_t n) {
  std::lock_guard<std::mutex> lock(g_cache_mutex);
  for (auto it = g_cache.begin(); it != g_cache.end(); ++it) {
    if (it->kind == kind && it->n == n) {
      g_cache.splice(g_cache.begin(), g_cache, it);
      return it->plan;
    }
  }
  return nullptr;
}

// Inserts (or returns the plan another thread inserted meanwhile).
std::shared_ptr<const void> cache_insert(int kind, int64_t n, std::shared_ptr<const void> plan, size_t bytes) {
  std::lock_guard<std::mutex> lock(g_cache_mutex);
  for (auto it = g_cache.begin(); it != g_cache.end(); ++it)
    if (it->kind == kind && it->n == n) return it->plan;
  if (bytes > kPlanCacheBytes) return plan;  // used once, not kept
  g_cache.push_front({kind, n, plan, bytes});
  g_cache_bytes += bytes;
  while (g_cache_bytes > kPlanCacheBytes) {
    g_cache_bytes -= g_cache.back().bytes;
    g_cache.pop_back();
  }
  return plan;
}

template <class Plan, class Build> std::shared_ptr<const Plan> cached(int kind, int64_t n, Build build) {
  if (auto p = cache_find(kind, n)) return std::static_pointer_cast<const Plan>(p);
  if (n > kLargestLength)  // (checked only where a transform is computed: an empty batch needs no plan)
    throw MemoryError("fft: a transform of length " + std::to_string(n) + " needs more memory than can be allocated");
  std::shared_ptr<Plan> plan;
  try {
    plan = build(n);
  } catch (const std::bad_alloc&) {
    throw MemoryError("fft: not enough memory for the plan of a transform of length " + std::to_string(n));
  } catch (const std::length_error&) {
    throw MemoryError("fft: not enough memory for the plan of a transform of length " + std::to_string(n));
  }
  return std::static_pointer_cast<const Plan>(cache_insert(kind, n, plan, plan->bytes));
}

// ------------------------------------------------------------- building plans

constexpr long double kPi = 3.141592653589793238462643383279502884L;

// exp(-2 pi i num / den), rounded once from long double.
template <class T> Complex<T> unit_root(int64_t num, int64_t den) {
  const long double a = 2 * kPi * static_cast<long double>(num % den) / static_cast<long double>(den);
  return {static_cast<T>(std::cos(a)), static_cast<T>(-std::sin(a))};
}

// The radices of n in pass order (8s, 4s, a 2, then odd primes), or false when
// n has a prime factor above kLargestDirectRadix.
bool factorize(int64_t n, std::vector<int>& radices) {
  int twos = 0;
  while (n % 2 == 0) ++twos, n /= 2;
  // 2^twos as 8s and at most two 4s, never a lone 2 beside an 8 (8 8 8 2 ran
  // slower than 8 8 4 4 for 1024: the radix-2 pass moves as much memory).
  int eights = twos / 3, fours = 0;
  if (twos % 3 == 2) fours = 1;
  if (twos % 3 == 1) {
    if (eights > 0) --eights, fours = 2;
    else radices.push_back(2);
  }
  for (int i = 0; i < eights; ++i) radices.push_back(8);
  for (int i = 0; i < fours; ++i) radices.push_back(4);
  for (int p = 3; p <= fft::kLargestDirectRadix && n > 1; p += 2)
    while (n % p == 0) radices.push_back(p), n /= p;
  return n == 1;
}

// The least m >= target whose prime factors are 2, 3 and 5.
int64_t smooth_length(int64_t target) {
  int64_t best = 1;
  while (best < target) best *= 2;
  for (int64_t f5 = 1; f5 < best; f5 *= 5)
    for (int64_t f35 = f5; f35 < best; f35 *= 3) {
      int64_t x = f35;
      while (x < target) x *= 2;
      best = std::min(best, x);
    }
  return best;
}

template <class T> std::shared_ptr<const ComplexPlan<T>> complex_plan(int64_t n);

template <class T>
void execute(const ComplexPlan<T>& p, const Complex<T>* in, Complex<T>* out, bool inverse, Complex<T>* scratch);
template <class T>
void run_passes(const ComplexPlan<T>& p, const Complex<T>* in, Complex<T>* out, int64_t batch, bool inverse,
                Complex<T>* scratch);

template <class T> std::shared_ptr<ComplexPlan<T>> build_complex_plan(int64_t n) {
  auto plan = std::make_shared<ComplexPlan<T>>();
  plan->n = n;
  std::vector<int> radices;
  if (factorize(n, radices)) {
    size_t tw = 0, roots = 0;
    int64_t lstar = 1;
    for (int p : radices) {
      tw += size_t(p - 1) * size_t(lstar);
      if (p > 5) roots += size_t(p);
      lstar *= p;
    }
    plan->twiddles.resize(tw);
    plan->roots.resize(roots);
    tw = roots = 0;
    lstar = 1;
    for (int p : radices) {
      const int64_t big_l = lstar * p;
      fft::Pass<T> pass{p, lstar, n / big_l, plan->twiddles.data() + tw, nullptr};
      for (int64_t k1 = 0; k1 < lstar; ++k1)
        for (int v = 1; v < p; ++v) plan->twiddles[tw + size_t(k1) * (p - 1) + v - 1] = unit_root<T>(v * k1, big_l);
      tw += size_t(p - 1) * size_t(lstar);
      if (p > 5) {
        pass.roots = plan->roots.data() + roots;
        for (int mm = 0; mm < p; ++mm) plan->roots[roots + mm] = unit_root<T>(mm, p);
        roots += size_t(p);
      }
      plan->passes.push_back(pass);
      lstar = big_l;
    }
    plan->scratch = n;
    plan->bytes = sizeof(ComplexPlan<T>) + (plan->twiddles.size() + plan->roots.size()) * sizeof(Complex<T>);
    return plan;
  }
  // Bluestein.
  const int64_t m = smooth_length(2 * n - 1);
  plan->m = m;
  plan->sub = complex_plan<T>(m);
  plan->chirp.resize(size_t(n));
  for (int64_t j = 0; j < n; ++j) {
    // exp(-i pi j^2 / n) = exp(-2 pi i (j^2 mod 2n) / 2n)
    const int64_t q = static_cast<int64_t>((unsigned __int128)(j) * (unsigned __int128)(j) % (unsigned __int128)(2 * n));
    plan->chirp[size_t(j)] = unit_root<T>(q, 2 * n);
  }
  // The kernel conj(c_j) at j and m - j, transformed in double, over m.
  std::vector<Complex<double>> b(size_t(m), Complex<double>{0, 0});
  std::vector<Complex<double>> bt(static_cast<size_t>(m));
  for (int64_t j = 0; j < n; ++j) {
    const int64_t q = static_cast<int64_t>((unsigned __int128)(j) * (unsigned __int128)(j) % (unsigned __int128)(2 * n));
    const Complex<double> c = unit_root<double>(q, 2 * n);
    b[size_t(j)] = {c.re, -c.im};
    if (j) b[size_t(m - j)] = {c.re, -c.im};
  }
  auto dplan = complex_plan<double>(m);
  std::vector<Complex<double>> work(size_t(dplan->scratch));
  execute<double>(*dplan, b.data(), bt.data(), false, work.data());
  plan->kernel.resize(size_t(m));
  const double inv_m = 1.0 / static_cast<double>(m);
  for (int64_t k = 0; k < m; ++k)
    plan->kernel[size_t(k)] = {static_cast<T>(bt[size_t(k)].re * inv_m), static_cast<T>(bt[size_t(k)].im * inv_m)};
  plan->scratch = 2 * aligned_length(m) + plan->sub->scratch;
  plan->bytes = sizeof(ComplexPlan<T>) + (plan->chirp.size() + plan->kernel.size()) * sizeof(Complex<T>);
  return plan;
}

template <class T> std::shared_ptr<const ComplexPlan<T>> complex_plan(int64_t n) {
  return cached<ComplexPlan<T>>(std::is_same<T, float>::value ? kComplexFloat : kComplexDouble, n,
                                build_complex_plan<T>);
}

template <class T> std::shared_ptr<RealPlan<T>> build_real_plan(int64_t n) {
  auto plan = std::make_shared<RealPlan<T>>();
  plan->n = n;
  if (n % 2 == 0) {
    const int64_t h = n / 2;
    plan->complex = complex_plan<T>(h);
    plan->w.resize(size_t(h));
    for (int64_t k = 0; k < h; ++k) plan->w[size_t(k)] = unit_root<T>(k, n);
  } else {
    plan->complex = complex_plan<T>(n);
  }
  plan->bytes = sizeof(RealPlan<T>) + plan->w.size() * sizeof(Complex<T>);
  return plan;
}

template <class T> std::shared_ptr<const RealPlan<T>> real_plan(int64_t n) {
  return cached<RealPlan<T>>(std::is_same<T, float>::value ? kRealFloat : kRealDouble, n, build_real_plan<T>);
}

// ----------------------------------------------------------- executing plans

// in -> out (distinct; neither may be scratch). Unnormalised.
template <class T>
void execute(const ComplexPlan<T>& p, const Complex<T>* in, Complex<T>* out, bool inverse, Complex<T>* scratch) {
  if (p.m) {
    const int64_t n = p.n, m = p.m;
    Complex<T>* a = scratch;
    Complex<T>* b = scratch + aligned_length(m);
    Complex<T>* rest = b + aligned_length(m);
    fft::multiply(in, p.chirp.data(), a, n, inverse, false);  // the inverse is conj(F(conj x))
    std::memset(static_cast<void*>(a + n), 0, size_t(m - n) * sizeof(Complex<T>));
    execute(*p.sub, a, b, false, rest);
    fft::multiply(b, p.kernel.data(), a, m, false, false);
    execute(*p.sub, a, b, true, rest);
    fft::multiply(b, p.chirp.data(), out, n, false, inverse);
    return;
  }
  run_passes(p, in, out, 1, inverse, scratch);
}

// The passes of a direct plan (p.m == 0) over `batch` interleaved transforms:
// element m of transform b at in[m * batch + b], the same in out. A pass
// reads Y[k1][j] at k1 r P + j and writes Y'[k][j] at k r + j, with twiddles
// that depend on k1 alone (kernels/fft.h), so interleaving b into j (j' =
// j batch + b) makes the batch one transform whose runs are `batch` times
// longer: pass.r -> pass.r * batch. Scratch holds n * batch elements.
template <class T>
void run_passes(const ComplexPlan<T>& p, const Complex<T>* in, Complex<T>* out, int64_t batch, bool inverse,
                Complex<T>* scratch) {
  const size_t s = p.passes.size();
  if (s == 0) {  // n == 1
    std::memcpy(static_cast<void*>(out), in, size_t(batch) * sizeof(Complex<T>));
    return;
  }
  // The last pass must write `out`: the first writes out or scratch by parity.
  const Complex<T>* src = in;
  for (size_t i = 0; i < s; ++i) {
    Complex<T>* dst = (s - 1 - i) % 2 == 0 ? out : scratch;
    fft::Pass<T> pass = p.passes[i];
    pass.r *= batch;
    fft::run_pass(pass, src, dst, inverse);
    src = dst;
  }
}

// ------------------------------------------------------------- the lines

// The lines of x along `axis` and the matching lines of out: their start
// pointers by line number (row-major over the other axes).
struct Lines {
  Shape shape, in_strides, out_strides;
  int64_t count = 1;
  // Along the axis (set by the blocked walk): elements read, byte strides.
  int64_t take = 0, axis_in_stride = 0, axis_out_stride = 0;
  const char* in;
  char* out;
  Lines(const Array& x, const Array& o, int axis) : in(x.data), out(o.data) {
    for (int d = 0; d < x.ndim(); ++d) {
      if (d == axis) continue;
      shape.push_back(x.shape[size_t(d)]);
      in_strides.push_back(x.strides[size_t(d)]);
      out_strides.push_back(o.strides[size_t(d)]);
      count *= x.shape[size_t(d)];
    }
  }
  void at(int64_t line, const char*& i, char*& o) const {
    int64_t off_in = 0, off_out = 0;
    for (size_t d = shape.size(); d-- > 0;) {
      const int64_t q = line % shape[d];
      line /= shape[d];
      off_in += q * in_strides[d];
      off_out += q * out_strides[d];
    }
    i = in + off_in;
    o = out + off_out;
  }
};

template <class T> constexpr DType complex_of() { return std::is_same<T, float>::value ? DType::Complex64 : DType::Complex128; }
template <class T> constexpr DType real_of() { return std::is_same<T, float>::value ? DType::Float32 : DType::Float64; }

bool is_single(DType d) { return d == DType::Float32 || d == DType::Complex64; }

// Scratch memory, kept per thread between calls up to kKeptScratchBytes: a
// fresh zero-filled std::vector per call cost more than the transform
// (4096 complex64: 96 KiB of memset and, above malloc's mmap threshold,
// page faults on every call). Larger scratch is an array Buffer: its large
// blocks are on huge pages and a freed one serves the next call of the same
// size (core/buffer.cpp), where a fresh block paid a page fault per 4 KiB on
// every call (rfft of 2^20 float64: 11.5 ms, 2.3 times its half-length
// complex transform).
constexpr size_t kKeptScratchBytes = size_t(8) << 20;

struct FreeDeleter {
  void operator()(void* p) const { std::free(p); }
};
using Memory = std::unique_ptr<void, FreeDeleter>;

void* allocate(size_t bytes) {
  void* p = std::aligned_alloc(64, (bytes + 63) / 64 * 64);
  if (!p) throw std::bad_alloc();
  return p;
}

// `bytes` of scratch for this thread: its kept buffer, or (larger) `big`.
void* scratch_memory(size_t bytes, std::shared_ptr<Buffer>& big) {
  thread_local Memory kept;
  thread_local size_t kept_bytes = 0;
  if (bytes > kKeptScratchBytes) {
    big = Buffer::allocate(bytes);
    return big->data();
  }
  if (kept_bytes < bytes) {
    kept.reset();
    kept_bytes = 0;
    kept.reset(allocate(bytes));
    kept_bytes = bytes;
  }
  return kept.get();
}

// Runs fn(in_line, out_line, buffers) over all lines, split over threads
// (lines are independent: the result does not depend on the split); each
// worker gets its own `buffer_elems` complex elements of scratch.
template <class T, class Fn> void for_each_line(const Lines& lines, int64_t n, size_t buffer_elems, Fn fn) {
  LongKernelScope without_gil(lines.count * n);
  parallel_for(lines.count, std::max<int64_t>(1, kParallelGrain / n), [&](int64_t begin, int64_t end) {
    std::shared_ptr<Buffer> big;
    Complex<T>* buf = static_cast<Complex<T>*>(scratch_memory(buffer_elems * sizeof(Complex<T>), big));
    for (int64_t line = begin; line < end; ++line) {
      const char* i;
      char* o;
      lines.at(line, i, o);
      fn(i, o, buf);
    }
  });
}

// Transforms along a strided axis (or of short lines, see complex_transform),
// neighbouring lines (along the innermost other axis) a block at a time: the block is copied into a tile with the
// lines interleaved (tile[m * lines + b]: row m of the tile is a contiguous
// run of the array when the lines are adjacent), transformed together by
// run_passes, whose runs are then long enough for full vectors in every pass,
// and copied back the same way. Blocks of kMinLineBlock lines at least, more
// while the tile, its result and the passes' scratch fit in kTileBytes.
// (512 x 512 along axis 0 before, eight lines transposed into rows and
// transformed one by one: complex128 1.2 ms, complex64 0.95 ms, twice the
// time along axis 1.)
// Bluestein plans keep the transposed rows: their chirp products are per line.
constexpr int64_t kMinLineBlock = 8, kMaxLineBlock = 64;
constexpr size_t kTileBytes = size_t(768) << 10;

template <class T>
void complex_transform_blocked(const Array& x, const Lines& lines, const ComplexPlan<T>& plan,
                               int64_t n, bool inverse, T s) {
  const bool interleave = plan.m == 0;
  int64_t block = kMinLineBlock;
  while (interleave && block < kMaxLineBlock && 3 * size_t(2 * block) * size_t(n) * sizeof(Complex<T>) <= kTileBytes)
    block *= 2;
  const int64_t inner = lines.shape.back();
  block = std::min(block, inner);
  const int64_t in_elem = lines.in_strides.back(), out_elem = lines.out_strides.back();
  const int64_t rows = lines.count / inner, per_row = (inner + block - 1) / block;
  const int64_t tile = aligned_length(block * n);
  const size_t elems = 2 * size_t(tile) + std::max(size_t(plan.scratch), size_t(block) * size_t(n));
  LongKernelScope without_gil(lines.count * n);
  parallel_for(rows * per_row, std::max<int64_t>(1, kParallelGrain / (n * block)), [&](int64_t begin, int64_t end) {
    std::shared_ptr<Buffer> big;
    Complex<T>* buf = static_cast<Complex<T>*>(scratch_memory(elems * sizeof(Complex<T>), big));
    Complex<T>* tile_in = buf;
    Complex<T>* tile_out = buf + tile;
    Complex<T>* scratch = buf + 2 * tile;
    for (int64_t b = begin; b < end; ++b) {
      const int64_t row = b / per_row, first = (b % per_row) * block;
      const int64_t count = std::min(block, inner - first);
      const char* i;
      char* o;
      lines.at(row * inner + first, i, o);
      // interleaved: element m of line l at m * count + l; else line after line
      const int64_t line_step = interleave ? 1 : n, elem_step = interleave ? count : 1;
      fft::load_complex_tile(i, lines.axis_in_stride, in_elem, count, x.dtype, lines.take, tile_in, n, line_step,
                             elem_step);
      if (interleave) {
        run_passes(plan, tile_in, tile_out, count, inverse, scratch);
      } else {
        for (int64_t l = 0; l < count; ++l) execute(plan, tile_in + l * n, tile_out + l * n, inverse, scratch);
      }
      if (s != T(1)) fft::scale(tile_out, tile_out, n * count, s, false);
      fft::store_complex_tile(tile_out, n, count, o, lines.axis_out_stride, out_elem, line_step, elem_step);
    }
  });
}

template <class T> Array complex_transform(const Array& x, int axis, int64_t n, bool inverse, double scale) {
  Shape shape = x.shape;
  shape[size_t(axis)] = n;
  Array out = make_empty(shape, complex_of<T>(), "fft");
  Lines lines(x, out, axis);
  if (lines.count == 0) return out;
  const auto plan = complex_plan<T>(n);
  const int64_t take = std::min(x.shape[size_t(axis)], n);
  const int64_t in_stride = x.strides[size_t(axis)], out_stride = out.strides[size_t(axis)];
  const bool direct_in = x.dtype == complex_of<T>() && in_stride == int64_t(sizeof(Complex<T>)) && take == n;
  const bool direct_out = out_stride == int64_t(sizeof(Complex<T>));
  const T s = static_cast<T>(scale);
  // Short lines along the last axis go the same way (the tile then transposes
  // rows): alone, their last passes run a vector or less. 2^18 elements in
  // lines of n, avx3, line by line -> in blocks: complex64 n = 16 1.26 ->
  // 0.37 ms, 32 0.95 -> 0.46, 64 0.53 -> 0.48, 128 0.61 -> 0.92 (worse);
  // complex128 n = 16 1.00 -> 0.75, 32 0.71 -> 0.80 (worse).
  const int64_t short_line = std::is_same<T, float>::value ? 64 : 16;
  const bool short_rows = direct_out && n <= short_line && plan->m == 0 && lines.shape.size() &&
                          lines.shape.back() >= kMinLineBlock;
  if ((!direct_out && lines.shape.size() && lines.shape.back() > 1) || short_rows) {
    lines.take = take;
    lines.axis_in_stride = in_stride;
    lines.axis_out_stride = out_stride;
    complex_transform_blocked<T>(x, lines, *plan, n, inverse, s);
    return out;
  }
  const int64_t step = aligned_length(n);
  const size_t elems = 2 * size_t(step) + size_t(plan->scratch);
  for_each_line<T>(lines, n, elems, [&](const char* in_line, char* out_line, Complex<T>* buf) {
    Complex<T>* in_buf = buf;
    Complex<T>* out_buf = buf + step;
    Complex<T>* scratch = buf + 2 * step;
    const Complex<T>* src = reinterpret_cast<const Complex<T>*>(in_line);
    if (!direct_in) {
      fft::load_complex(in_line, in_stride, x.dtype, take, in_buf, n);
      src = in_buf;
    }
    Complex<T>* dst = direct_out ? reinterpret_cast<Complex<T>*>(out_line) : out_buf;
    execute(*plan, src, dst, inverse, scratch);
    if (s != T(1)) fft::scale(dst, dst, n, s, false);
    if (!direct_out) fft::store_complex(dst, n, out_line, out_stride);
  });
  return out;
}

// The walk of the real transforms: the output (x's shape with `out_len`
// along the axis, of `out_dtype`), the plan of length n, and
// fn(plan, walk, in_line, out_line, buffers) over the lines, with three
// buffers of n + 1 complex elements and the plan's scratch after them. walk.take: the elements read of each line (at
// most in_len, the length the transform reads).
struct RealWalk {
  int64_t take, in_stride, out_stride;
};

template <class T, class Fn>
Array real_transform(const Array& x, int axis, int64_t n, int64_t in_len, int64_t out_len, DType out_dtype,
                     const char* name, Fn fn) {
  Shape shape = x.shape;
  shape[size_t(axis)] = out_len;
  Array out = make_empty(shape, out_dtype, name);
  Lines lines(x, out, axis);
  if (lines.count == 0) return out;
  const auto plan = real_plan<T>(n);
  const RealWalk walk{std::min(x.shape[size_t(axis)], in_len), x.strides[size_t(axis)], out.strides[size_t(axis)]};
  const int64_t step = aligned_length(n + 1);
  const size_t elems = 3 * size_t(step) + size_t(plan->complex->scratch);
  for_each_line<T>(lines, n, elems, [&](const char* in_line, char* out_line, Complex<T>* buf) {
    fn(*plan, walk, in_line, out_line, buf, buf + step, buf + 2 * step, buf + 3 * step);
  });
  return out;
}

template <class T> Array real_forward(const Array& x, int axis, int64_t n, bool conjugate, double scale) {
  const int64_t nout = n / 2 + 1;
  const bool even = n % 2 == 0;
  const T s = static_cast<T>(scale);
  return real_transform<T>(x, axis, n, n, nout, complex_of<T>(), "rfft",
                           [&](const RealPlan<T>& plan, const RealWalk& walk, const char* in_line, char* out_line,
                               Complex<T>* in_buf, Complex<T>* tmp, Complex<T>* out_buf, Complex<T>* scratch) {
    const bool direct_in = even && x.dtype == real_of<T>() && walk.in_stride == int64_t(sizeof(T)) && walk.take == n;
    const bool direct_out = walk.out_stride == int64_t(sizeof(Complex<T>));
    Complex<T>* dst = direct_out ? reinterpret_cast<Complex<T>*>(out_line) : out_buf;
    if (even) {
      const Complex<T>* pairs = reinterpret_cast<const Complex<T>*>(in_line);
      if (!direct_in) {
        fft::load_real(in_line, walk.in_stride, x.dtype, walk.take, reinterpret_cast<T*>(in_buf), n);
        pairs = in_buf;
      }
      execute(*plan.complex, pairs, tmp, false, scratch);
      fft::real_forward_post(tmp, dst, n / 2, plan.w.data());
    } else {
      fft::load_complex(in_line, walk.in_stride, x.dtype, walk.take, in_buf, n);
      execute(*plan.complex, in_buf, tmp, false, scratch);
      std::memcpy(static_cast<void*>(dst), tmp, size_t(nout) * sizeof(Complex<T>));
    }
    if (s != T(1) || conjugate) fft::scale(dst, dst, nout, s, conjugate);
    if (!direct_out) fft::store_complex(dst, nout, out_line, walk.out_stride);
  });
}

template <class T> Array real_inverse(const Array& x, int axis, int64_t n, bool conjugate, double scale) {
  const int64_t nin = n / 2 + 1;
  const bool even = n % 2 == 0;
  const T s = static_cast<T>(scale);
  return real_transform<T>(x, axis, n, nin, n, real_of<T>(), "irfft",
                           [&](const RealPlan<T>& plan, const RealWalk& walk, const char* in_line, char* out_line,
                               Complex<T>* spectrum, Complex<T>* tmp, Complex<T>* out_buf, Complex<T>* scratch) {
    const bool direct_out = walk.out_stride == int64_t(sizeof(T));
    // (the even step reads the spectrum where it is when nothing changes it first)
    const bool direct_in = even && !conjugate && x.dtype == complex_of<T>() &&
                           walk.in_stride == int64_t(sizeof(Complex<T>)) && walk.take == nin;
    const Complex<T>* in = direct_in ? reinterpret_cast<const Complex<T>*>(in_line) : spectrum;
    if (!direct_in) fft::load_complex(in_line, walk.in_stride, x.dtype, walk.take, spectrum, nin);
    if (conjugate) fft::scale(spectrum, spectrum, nin, T(1), true);
    T* dst = direct_out ? reinterpret_cast<T*>(out_line) : reinterpret_cast<T*>(out_buf);
    if (even) {
      const int64_t h = n / 2;
      fft::real_inverse_pre(in, tmp, h, plan.w.data());
      Complex<T>* pairs = reinterpret_cast<Complex<T>*>(dst);
      execute(*plan.complex, tmp, pairs, true, scratch);
      if (s != T(1)) fft::scale(pairs, pairs, h, s, false);
    } else {
      fft::hermitian_extend(spectrum, tmp, n);
      execute(*plan.complex, tmp, out_buf, true, scratch);
      if (!direct_out) dst = reinterpret_cast<T*>(spectrum);  // free again
      fft::real_parts(out_buf, n, dst, s);
    }
    if (!direct_out) fft::store_real(dst, n, out_line, walk.out_stride);
  });
}

// The Python layer validates; these keep a wrong call from reaching memory.
void check_call(const Array& x, int axis, int64_t n, bool real_input) {
  if (axis < 0 || axis >= x.ndim()) throw AxisError("fft: axis out of range");
  const bool real = x.dtype == DType::Float32 || x.dtype == DType::Float64;
  const bool complex = x.dtype == DType::Complex64 || x.dtype == DType::Complex128;
  if (!(real || (complex && !real_input)))
    throw TypeError(std::string("fft: unsupported dtype ") + dtype_name(x.dtype));
  if (x.device.kind != Device::CPU) throw ValueError("fft: only CPU arrays compute here");
  if (n < 1) throw ValueError("fft: the transform's length must be at least 1, got " + std::to_string(n));
}

}  // namespace

Array fft_complex(const Array& x, int axis, int64_t n, bool inverse, double scale) {
  check_call(x, axis, n, false);
  return is_single(x.dtype) ? complex_transform<float>(x, axis, n, inverse, scale)
                            : complex_transform<double>(x, axis, n, inverse, scale);
}

Array fft_real_forward(const Array& x, int axis, int64_t n, bool conjugate, double scale) {
  check_call(x, axis, n, true);
  return is_single(x.dtype) ? real_forward<float>(x, axis, n, conjugate, scale)
                            : real_forward<double>(x, axis, n, conjugate, scale);
}

Array fft_real_inverse(const Array& x, int axis, int64_t n, bool conjugate, double scale) {
  check_call(x, axis, n, false);
  return is_single(x.dtype) ? real_inverse<float>(x, axis, n, conjugate, scale)
                            : real_inverse<double>(x, axis, n, conjugate, scale);
}

size_t fft_plan_cache_bytes() {
  std::lock_guard<std::mutex> lock(g_cache_mutex);
  return g_cache_bytes;
}

void fft_clear_plan_cache() {
  std::lock_guard<std::mutex> lock(g_cache_mutex);
  g_cache.clear();
  g_cache_bytes = 0;
}

}  // namespace trueno

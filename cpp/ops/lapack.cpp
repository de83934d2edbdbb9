#include "ops/lapack.h"

#include <algorithm>
#include <climits>
#include <cmath>
#include <cstring>
#include <limits>
#include <string>
#include <type_traits>
#include <vector>

#include "core/errors.h"
#include "core/iteration.h"
#include "core/threading.h"
#include "kernels/lapack.h"
#include "ops/copy.h"

namespace trueno {

namespace {
namespace lk = kernels::lapack;

std::string prefix(const char* func) { return std::string(func) + "(): "; }

[[noreturn]] void linalg_failure(const char* func, const char* reason) {
  throw LinAlgError(prefix(func) + reason);
}

// LAPACK's INFO: > 0 is the routine's failure, worded by the caller; < 0 is
// an argument LAPACK refused, a bug here.
void check_info(int info, const char* func, const char* failure) {
  if (info > 0) linalg_failure(func, failure);
  if (info < 0) throw std::runtime_error(prefix(func) + "LAPACK refused argument " + std::to_string(-info));
}

void require_lapack(const char* func) {
  if (!lk::available())
    throw NotImplementedError(prefix(func) +
                              "this trueno was built without LAPACK (TRUENO_USE_OPENBLAS=OFF, or "
                              "scipy-openblas32 missing at build time); rebuild with scipy-openblas32 installed");
}

// A matrix dimension as LAPACK's 32-bit integer.
int lapack_dim(int64_t n, const char* func) {
  if (n > INT_MAX)
    throw ValueError(prefix(func) + "a matrix dimension of " + std::to_string(n) +
                     " is beyond LAPACK's 32-bit interface (at most 2**31 - 1)");
  return static_cast<int>(n);
}

// Elements of a scratch buffer (at least 1: LAPACK takes no null arrays),
// MemoryError when the product overflows.
size_t scratch(const char* func, int64_t a, int64_t b = 1) {
  a = std::max<int64_t>(a, 1);
  b = std::max<int64_t>(b, 1);
  if (a > std::numeric_limits<int64_t>::max() / 16 / b)
    throw MemoryError(prefix(func) + "the matrices are too large for a scratch buffer");
  return static_cast<size_t>(a * b);
}

// A workspace size LAPACK returned from a query (lwork = -1), as a float.
int workspace(double query, const char* func) {
  if (!(query <= double(INT_MAX)))
    throw MemoryError(prefix(func) + "LAPACK asked for a workspace beyond its 32-bit interface");
  return std::max(1, static_cast<int>(std::ceil(query)));
}

Shape batch_of(const Array& x) { return Shape(x.shape.begin(), x.shape.end() - 2); }
Shape with(Shape s, std::initializer_list<int64_t> tail) {
  s.insert(s.end(), tail);
  return s;
}

// The matrices of a stack, broadcast to `batch`: matrix i starts at at(i).
struct Matrices {
  const char* data;
  Shape batch, strides;  // batch byte strides (0 where broadcast)
  int64_t rows, cols, rs, cs;
  const char* at(int64_t i) const {
    const char* p = data;
    for (size_t d = batch.size(); d-- > 0;) {
      p += (i % batch[d]) * strides[d];
      i /= batch[d];
    }
    return p;
  }
};

Matrices matrices(const Array& x, const Shape& batch, const char* func) {
  const int nd = x.ndim();
  Array batch_view = x.view(batch_of(x), Shape(x.strides.begin(), x.strides.end() - 2), x.data);
  return {x.data, batch, broadcast_strides(batch_view, batch, func),
          x.shape[nd - 2], x.shape[nd - 1], x.strides[nd - 2], x.strides[nd - 1]};
}

// Matrix i of x into dst, column-major with leading dimension ld.
template <class T>
void load(const Matrices& x, int64_t i, T* dst, int64_t ld) {
  const char* src = x.at(i);
  for (int64_t c = 0; c < x.cols; ++c) {
    const char* col = src + c * x.cs;
    T* d = dst + c * ld;
    for (int64_t r = 0; r < x.rows; ++r) std::memcpy(d + r, col + r * x.rs, sizeof(T));
  }
}

// A column-major rows x cols matrix (leading dimension ld) into C order.
template <class T>
void store(const T* src, int64_t ld, int64_t rows, int64_t cols, T* dst) {
  for (int64_t r = 0; r < rows; ++r)
    for (int64_t c = 0; c < cols; ++c) dst[r * cols + c] = src[r + c * ld];
}

template <class T>
T* matrix_out(const Array& out, int64_t i, int64_t elements) {
  return reinterpret_cast<T*>(out.data) + i * elements;
}

template <class T>
bool all_finite(const T* p, size_t n) {
  for (size_t i = 0; i < n; ++i) {
    if constexpr (is_complex_v<T>) {
      if (!std::isfinite(p[i].real()) || !std::isfinite(p[i].imag())) return false;
    } else if (!std::isfinite(p[i])) {
      return false;
    }
  }
  return true;
}

// Calls fn(begin, end) over the batch, split over trueno's threads in ranges
// of at least ~1e5 multiply-adds; every matrix is computed alone, so results
// do not depend on the split. Big work runs without the interpreter lock.
template <class F>
void for_each_matrix(int64_t count, int64_t n, F&& fn) {
  const double per_matrix = double(n) * double(n) * double(n) + 1;
  const double work = per_matrix * double(count);
  LongKernelScope without_gil(work > 1e18 ? int64_t(1e18) : int64_t(work));
  const int64_t grain = std::max<int64_t>(1, int64_t(1e5 / per_matrix));
  parallel_for(count, grain, fn);
}

// The four dtypes LAPACK computes in.
template <class F>
void visit_lapack(DType d, F&& f) {
  switch (d) {
    case DType::Float32: f(float{}); break;
    case DType::Float64: f(double{}); break;
    case DType::Complex64: f(complex64{}); break;
    default: f(complex128{}); break;
  }
}

// Prologue shared by the one-matrix functions: checks, the dtype, the cast
// input, its batch, and its m x n matrices as LAPACK is handed them.
struct MatrixInput {
  Array x;
  DType dtype;
  Shape batch;
  int64_t count, m, n;
  int M, N;  // m and n as LAPACK's 32-bit integers
  Matrices mx;
};
MatrixInput matrix_input(const Array& x, const char* func, bool square = true) {
  DType dtype = float_dtype(x.dtype, func, "x");
  require_matrix(x, func, "x", square);
  require_lapack(func);
  Shape batch = batch_of(x);
  const int64_t m = x.shape[x.ndim() - 2], n = x.shape[x.ndim() - 1];
  const int M = lapack_dim(m, func), N = lapack_dim(n, func);
  Array cast = cast_if_needed(x, dtype, func);
  const Matrices mx = matrices(cast, batch, func);
  return {cast, dtype, batch, checked_size(batch, func), m, n, M, N, mx};
}

// Calls fn(tag, begin, end) over ranges of the batch (for_each_matrix, with
// `size` for its grain), tag a value of the type LAPACK computes in.
template <class F>
void for_each_batch(const MatrixInput& in, int64_t size, F&& fn) {
  visit_lapack(in.dtype, [&](auto tag) {
    for_each_matrix(in.count, size, [&](int64_t begin, int64_t end) { fn(tag, begin, end); });
  });
}

// The determinant from an LU factorisation, as a product kept in mantissa and
// binary exponent, so that no partial product overflows or underflows when
// the determinant itself does not (NumPy's exp(sum of logs) loses ~|log det|
// ulps instead).
template <class T>
T det_from_lu(const T* lu, const int* ipiv, int n) {
  using R = real_of_t<T>;
  T acc = T(1);
  int64_t exponent = 0;
  bool negate = false;
  for (int i = 0; i < n; ++i) {
    negate ^= ipiv[i] != i + 1;
    acc *= lu[i + int64_t(i) * n];
    int e = 0;
    if constexpr (is_complex_v<T>) {
      const R big = std::max(std::abs(acc.real()), std::abs(acc.imag()));
      if (big == 0 || !std::isfinite(big)) continue;
      std::frexp(big, &e);
      acc = T(std::ldexp(acc.real(), -e), std::ldexp(acc.imag(), -e));
    } else {
      if (acc == 0 || !std::isfinite(acc)) continue;
      acc = std::frexp(acc, &e);
    }
    exponent += e;
  }
  const int e = static_cast<int>(std::clamp<int64_t>(exponent, -100000, 100000));
  if constexpr (is_complex_v<T>) acc = T(std::ldexp(acc.real(), e), std::ldexp(acc.imag(), e));
  else acc = std::ldexp(acc, e);
  return negate ? -acc : acc;
}

// LU of an n x n column-major matrix (lda n), and the solve with it: trueno's
// own loops (kernels::lapack::small_getrf) up to kSmallLU, LAPACK's getrf /
// gesv above. Measured per matrix on batches (one thread, this 2-core Xeon,
// float64): det at n = 3 took 34 ns by the own loop against 76 ns through
// getrf (NumPy: 85 ns), at n = 16 663 ns against 1134 ns (NumPy 1274); solve
// with one right-hand side the same. With many right-hand sides (inv: n of
// them) the own substitution loses to gesv's blocked kernels beyond n ~ 8.
constexpr int kSmallLU = 16;
// Singular values (no vectors) of matrices up to this size come from
// kernels' one-sided Jacobi instead of gesdd, whose per-call cost dominated
// batches of tiny matrices. Measured per n x n matrix on batches of 2000
// (one thread), Jacobi against NumPy's gesdd: float32 (Jacobi in float64)
// n = 2: 124 / 480 ns, 4: 807 / 1598, 6: 2375 / 2815, 8: 4762 / 4240;
// float64 (Jacobi in long double: in double it was ~2x faster but 3-5 eps
// * max sigma off, where gesdd is ~1.5) n = 2: 322 / 470, 3: 953 / 1069
// (complex128: 1591 / 1435), 4: 1867 / 1616.
constexpr int64_t kSmallSVD = 6;    // float32, complex64
constexpr int64_t kSmallSVD64 = 2;  // float64, complex128
constexpr int kSmallLUManyRhs = 8;
// Batches of small real matrices: kernels' Jacobi (lk::small_eigh,
// small_svd), lk::kSmallLanes matrices at a time as a vector's lanes, where
// LAPACK's per-call cost dominated. Groups are fixed by the index (matrices
// 8g .. 8g + 7), so which path a matrix takes never depends on the threads'
// split; a group of fewer than kMinGroup matrices (a batch's tail, a single
// matrix) costs the lanes of a whole one and goes to LAPACK, except where one
// matrix alone still wins (the *Single sizes). Measured per matrix (one
// thread, this 2-core Xeon, AVX3, float32 / float64, Jacobi against LAPACK;
// batches of 1000, or 200 above n = 10):
//   eigh      n = 3: 0.18 / 0.87 us, 8: 1.5 / 4.9, 12: 4.2 / 11.6, 16: 9.4 / 20.3 (float64)
//   eigvalsh  n = 3: 0.17 / 0.54, 8: 1.27 / 2.8, 12: 3.8 / 4.6 (float32), 15: 6.8 / 6.8 (float32)
//   svd       n = 3: 0.27 / 1.9, 8: 2.2 / 9.5, 16: 19 / 35 (float64); alone n = 5: 5.3 / 6.7, 6: 7.9 / 7.5
//   svdvals   n = 3: 0.24 / 0.48 (float32's jacobi_values) and 1.1 (float64's gesdd), 16: 10.8 / 13 (float32)
// A matrix alone: eigh n = 3: 1.9 / 2.2, 4: 2.7 / 2.5 (LAPACK wins from 4, and
// its n = 3 gain is noise): LAPACK.
constexpr int64_t kSmallEigh = 16, kSmallEigvalsh = 12, kSmallSvdLanes = 16, kSmallSvdSingle = 5;
constexpr int kMinGroup = 4;
// Real Cholesky up to this size: kernels' own loop (lk::small_potrf), without
// potrf's per-call cost. Measured per matrix (one thread, float32 / float64,
// own against potrf), batches of 200: n = 3: 0.03 / 0.09 us and 0.03 / 0.07,
// 8: 0.18 / 0.29 and 0.19 / 0.24, 12: 0.46 / 0.50 and 0.44 / 0.52, 16: 0.87 /
// 0.83 and 0.84 / 0.82, 24: 2.2 / 1.3 (float32).
constexpr int64_t kSmallCholesky = 12;
// Real QR of matrices up to this size (max(m, n)): kernels' own Householder
// loops (lk::small_geqrf / small_orgqr), without geqrf's and orgqr's per-call
// costs. Measured per n x n matrix (one thread, own against LAPACK), batches
// of 200, float32 / float64: n = 4: 0.23 / 0.58 and 0.19 / 0.55 us, 16: 4.2 /
// 5.2 and 2.5 / 5.1, 24: 10.5 / 10.9 and 6.7 / 9.7, 32: 22.7 / 19.5 and 14.3 /
// 17.2, 48: 74 / 41 and 42 / 39 (float32 pays its conversions to float64).
constexpr int64_t kSmallQR32 = 16, kSmallQR64 = 32;
int64_t small_eigh_max(bool vectors) { return vectors ? kSmallEigh : kSmallEigvalsh; }

// for_each_matrix over whole groups of lk::kSmallLanes consecutive matrices
// (see above): fn(begin, end) with begin a multiple of kSmallLanes.
template <class F>
void for_each_group(int64_t count, int64_t n, F&& fn) {
  constexpr int64_t G = lk::kSmallLanes;
  // (a group's work: 8 n^3 = (2n)^3)
  for_each_matrix((count + G - 1) / G, 2 * n, [&](int64_t gb, int64_t ge) { fn(gb * G, std::min(ge * G, count)); });
}

template <class T>
int lu_factor(int n, T* a, int* ipiv) {
  return n <= kSmallLU ? lk::small_getrf(n, a, ipiv) : lk::getrf(n, n, a, n, ipiv);
}
template <class T>
int lu_solve(int n, int nrhs, T* a, int* ipiv, T* b) {
  if (n > kSmallLU || (nrhs > 4 && n > kSmallLUManyRhs)) return lk::gesv(n, nrhs, a, n, ipiv, b, n);
  const int info = lk::small_getrf(n, a, ipiv);
  if (info == 0) lk::small_getrs(n, nrhs, a, ipiv, b);
  return info;
}

}  // namespace

// The dtype a floating-only function computes x in: floats and complex keep
// theirs, integers promote to float64 (NumPy's leniency), bool is refused.
DType float_dtype(DType d, const char* func, const char* argname) {
  if (d == DType::Bool)
    throw TypeError(prefix(func) + argname + " must have a floating-point data type, got bool");
  return in_category(d, kFloating) ? d : DType::Float64;
}

void require_matrix(const Array& x, const char* func, const char* argname, bool square) {
  if (x.ndim() < 2)
    throw ValueError(prefix(func) + argname + " must have at least two dimensions, got shape " + shape_str(x.shape));
  if (square && x.shape[x.ndim() - 1] != x.shape[x.ndim() - 2])
    throw ValueError(prefix(func) + "the last two dimensions must be square, got shape " + shape_str(x.shape));
}

Array linalg_solve(const Array& x1, const Array& x2) {
  const char* func = "linalg.solve";
  DType dtype = promote_or_throw(x1.dtype, x2.dtype, func);
  if (dtype == DType::Bool) throw TypeError(prefix(func) + "x1 and x2 must have floating-point data types, got bool");
  if (!in_category(dtype, kFloating)) dtype = DType::Float64;
  require_matrix(x1, func, "x1", true);
  const int64_t m = x1.shape[x1.ndim() - 1];
  if (x2.ndim() == 0) throw ValueError(prefix(func) + "x2 must have at least one dimension");
  const bool vector = x2.ndim() == 1;  // one right-hand side for every matrix (NumPy 2)
  Shape batch = batch_of(x1);
  int64_t k = 1;
  if (vector) {
    if (x2.shape[0] != m)
      throw ValueError(prefix(func) + "x2 has shape " + shape_str(x2.shape) + ", expected (" + std::to_string(m) + ",)");
  } else {
    if (x2.shape[x2.ndim() - 2] != m)
      throw ValueError(prefix(func) + "x2 has shape " + shape_str(x2.shape) + ", expected (..., " +
                       std::to_string(m) + ", K)");
    try {
      batch = broadcast_shapes(batch, batch_of(x2), func);
    } catch (const ValueError&) {
      throw ValueError(prefix(func) + "batch shapes " + shape_str(batch_of(x1)) + " and " +
                       shape_str(batch_of(x2)) + " cannot be broadcast");
    }
    k = x2.shape[x2.ndim() - 1];
  }
  require_lapack(func);
  const int M = lapack_dim(m, func), K = lapack_dim(k, func);
  Array a = cast_if_needed(x1, dtype, func), b = cast_if_needed(x2, dtype, func);
  Array out = make_empty(vector ? with(batch, {m}) : with(batch, {m, k}), dtype, func);
  const int64_t count = checked_size(batch, func);
  if (count == 0 || m == 0 || k == 0) return out;
  const Matrices ma = matrices(a, batch, func);
  const Matrices mb = vector ? Matrices{b.data, batch, Shape(batch.size(), 0), m, 1, b.strides[0], 0}
                             : matrices(b, batch, func);
  visit_lapack(dtype, [&](auto tag) {
    using T = decltype(tag);
    for_each_matrix(count, m, [&](int64_t begin, int64_t end) {
      std::vector<T> A(scratch(func, m, m)), B(scratch(func, m, k));
      std::vector<int> ipiv(scratch(func, m));
      for (int64_t i = begin; i < end; ++i) {
        load(ma, i, A.data(), m);
        load(mb, i, B.data(), m);
        check_info(lu_solve(M, K, A.data(), ipiv.data(), B.data()), func, "x1 is singular");
        store(B.data(), m, m, k, matrix_out<T>(out, i, m * k));
      }
    });
  });
  return out;
}

Array linalg_inv(const Array& x, const char* func) {
  MatrixInput in = matrix_input(x, func);
  const int64_t n = in.n;
  Array out = make_empty(in.x.shape, in.dtype, func);
  if (in.count == 0 || n == 0) return out;
  for_each_batch(in, n, [&](auto tag, int64_t begin, int64_t end) {
    using T = decltype(tag);
    std::vector<T> A(scratch(func, n, n)), B(scratch(func, n, n));
    std::vector<int> ipiv(scratch(func, n));
    for (int64_t i = begin; i < end; ++i) {
      load(in.mx, i, A.data(), n);
      // solved on the identity, as NumPy's inv (getri would differ in the last bits)
      std::fill(B.begin(), B.end(), T(0));
      for (int64_t d = 0; d < n; ++d) B[d * (n + 1)] = T(1);
      check_info(lu_solve(in.N, in.N, A.data(), ipiv.data(), B.data()), func, "x is singular");
      store(B.data(), n, n, n, matrix_out<T>(out, i, n * n));
    }
  });
  return out;
}

Array linalg_det(const Array& x) {
  const char* func = "linalg.det";
  MatrixInput in = matrix_input(x, func);
  const int64_t n = in.n;
  Array out = make_empty(in.batch, in.dtype, func);
  for_each_batch(in, n, [&](auto tag, int64_t begin, int64_t end) {
    using T = decltype(tag);
    std::vector<T> A(scratch(func, n, n));
    std::vector<int> ipiv(scratch(func, n));
    for (int64_t i = begin; i < end; ++i) {
      T det = T(1);  // (of a 0 x 0 matrix too)
      if (n > 0) {
        load(in.mx, i, A.data(), n);
        const int info = lu_factor(in.N, A.data(), ipiv.data());
        check_info(std::min(info, 0), func, "");
        det = info > 0 ? T(0) : det_from_lu(A.data(), ipiv.data(), in.N);
      }
      *matrix_out<T>(out, i, 1) = det;
    }
  });
  return out;
}

std::pair<Array, Array> linalg_slogdet(const Array& x) {
  const char* func = "linalg.slogdet";
  MatrixInput in = matrix_input(x, func);
  const int64_t n = in.n;
  Array sign = make_empty(in.batch, in.dtype, func);
  Array logabsdet = make_empty(in.batch, real_dtype(in.dtype), func);
  for_each_batch(in, n, [&](auto tag, int64_t begin, int64_t end) {
    using T = decltype(tag);
    using R = real_of_t<T>;
    std::vector<T> A(scratch(func, n, n));
    std::vector<int> ipiv(scratch(func, n));
    for (int64_t i = begin; i < end; ++i) {
      T s = T(1);
      R logdet = 0;
      if (n > 0) {
        load(in.mx, i, A.data(), n);
        const int info = lu_factor(in.N, A.data(), ipiv.data());
        check_info(std::min(info, 0), func, "");
        if (info > 0) {  // an exact zero pivot, as NumPy words it
          s = T(0);
          logdet = -std::numeric_limits<R>::infinity();
        } else {
          // NumPy's sums and products, in the input's precision
          for (int d = 0; d < in.N; ++d) {
            if (ipiv[d] != d + 1) s = -s;
            const T v = A[d + int64_t(d) * n];
            const R magnitude = std::abs(v);
            if constexpr (is_complex_v<T>) s *= v / magnitude;
            else if (v < 0) s = -s;
            logdet += std::log(magnitude);
          }
        }
      }
      *matrix_out<T>(sign, i, 1) = s;
      *matrix_out<R>(logabsdet, i, 1) = logdet;
    }
  });
  return {sign, logabsdet};
}

Array linalg_cholesky(const Array& x, bool upper) {
  const char* func = "linalg.cholesky";
  MatrixInput in = matrix_input(x, func);
  const int64_t n = in.n;
  Array out = make_empty(in.x.shape, in.dtype, func);
  if (in.count == 0 || n == 0) return out;
  for_each_batch(in, n, [&](auto tag, int64_t begin, int64_t end) {
    using T = decltype(tag);
    std::vector<T> A(scratch(func, n, n));
    for (int64_t i = begin; i < end; ++i) {
      load(in.mx, i, A.data(), n);
      int info;
      if constexpr (is_complex_v<T>) info = lk::potrf(upper ? 'U' : 'L', in.N, A.data(), in.N);
      else info = n <= kSmallCholesky ? lk::small_potrf(upper ? 'U' : 'L', in.N, A.data())
                                      : lk::potrf(upper ? 'U' : 'L', in.N, A.data(), in.N);
      check_info(info, func, "x is not positive definite");
      T* o = matrix_out<T>(out, i, n * n);
      for (int64_t r = 0; r < n; ++r)
        for (int64_t c = 0; c < n; ++c) o[r * n + c] = (upper ? c >= r : c <= r) ? A[r + c * n] : T(0);
    }
  });
  return out;
}

std::pair<Array, Array> linalg_eigh(const Array& x, bool vectors) {
  const char* func = vectors ? "linalg.eigh" : "linalg.eigvalsh";
  MatrixInput in = matrix_input(x, func);
  const int64_t n = in.n;
  Array w = make_empty(with(in.batch, {n}), real_dtype(in.dtype), func);
  Array v = make_empty(vectors ? in.x.shape : Shape{0}, in.dtype, func);
  if (in.count == 0 || n == 0) return {w, v};
  const char jobz = vectors ? 'V' : 'N';
  visit_lapack(in.dtype, [&](auto tag) {
   for_each_group(in.count, n, [&](int64_t begin, int64_t end) {
    using T = decltype(tag);
    using R = real_of_t<T>;
    std::vector<T> A(scratch(func, n, n));
    std::vector<R> W(scratch(func, n));
    T work_query = T(0);
    R rwork_query = 0;
    int iwork_query = 0;
    check_info(
        lk::heevd(jobz, 'L', in.N, A.data(), in.N, W.data(), &work_query, -1, &rwork_query, -1, &iwork_query, -1),
        func, "");
    std::vector<T> work(workspace(std::real(work_query), func));
    std::vector<R> rwork(is_complex_v<T> ? workspace(rwork_query, func) : 1);
    std::vector<int> iwork(std::max(1, iwork_query));
    auto lapack_one = [&](int64_t i) {
      load(in.mx, i, A.data(), n);
      check_info(lk::heevd(jobz, 'L', in.N, A.data(), in.N, W.data(), work.data(), int(work.size()), rwork.data(),
                           int(rwork.size()), iwork.data(), int(iwork.size())),
                 func, "eigenvalues did not converge");
      std::copy(W.begin(), W.begin() + n, matrix_out<R>(w, i, n));
      if (vectors) store(A.data(), n, n, n, matrix_out<T>(v, i, n * n));
    };
    // Small real matrices: kernels' Jacobi (kSmallEigh, above); LAPACK for
    // complex ones, and for NaN or infinity (its answer stays the answer there).
    const bool small = !is_complex_v<T> && n <= small_eigh_max(vectors);
    constexpr int group = lk::kSmallLanes;
    std::vector<double> jacobi(small ? scratch(func, 2 * group * n, n) : 0);
    std::vector<T> block(small ? scratch(func, group * n, n) : 0), V(small && vectors ? scratch(func, group * n, n) : 0);
    for (int64_t i = begin; i < end; i += group) {
      const int count = int(std::min<int64_t>(group, end - i));
      if (!small || count < kMinGroup) {
        for (int l = 0; l < count; ++l) lapack_one(i + l);
        continue;
      }
      if constexpr (!is_complex_v<T>) {
        for (int l = 0; l < count; ++l) load(in.mx, i + l, block.data() + l * n * n, n);
        const unsigned bad = lk::small_eigh(in.N, count, block.data(), jacobi.data(), matrix_out<R>(w, i, n),
                                            vectors ? V.data() : nullptr);
        for (int l = 0; l < count; ++l) {
          if (bad >> l & 1) lapack_one(i + l);
          else if (vectors) store(V.data() + l * n * n, n, n, n, matrix_out<T>(v, i + l, n * n));
        }
      }
    }
   });
  });
  return {w, v};
}

std::pair<Array, Array> linalg_eig(const Array& x, bool vectors) {
  const char* func = vectors ? "linalg.eig" : "linalg.eigvals";
  MatrixInput in = matrix_input(x, func);
  const int64_t n = in.n;
  const DType cdtype = in.dtype == DType::Float32 ? DType::Complex64
                       : in.dtype == DType::Float64 ? DType::Complex128 : in.dtype;
  Array w = make_empty(with(in.batch, {n}), cdtype, func);
  Array v = make_empty(vectors ? in.x.shape : Shape{0}, cdtype, func);
  if (in.count == 0 || n == 0) return {w, v};
  const char jobvr = vectors ? 'V' : 'N';
  const int ldvr = vectors ? in.N : 1;
  for_each_batch(in, n, [&](auto tag, int64_t begin, int64_t end) {
    using T = decltype(tag);
    using R = real_of_t<T>;
    using C = std::complex<R>;
    std::vector<T> A(scratch(func, n, n)), VR(scratch(func, vectors ? n : 1, vectors ? n : 1));
    std::vector<T> W1(scratch(func, n)), W2(scratch(func, n));  // (wr, wi) or (w, -)
    std::vector<R> rwork(scratch(func, 2 * n));
    T work_query = T(0);
    if constexpr (is_complex_v<T>)
      check_info(lk::geev(jobvr, in.N, A.data(), in.N, W1.data(), VR.data(), ldvr, &work_query, -1, rwork.data()),
                 func, "");
    else
      check_info(lk::geev(jobvr, in.N, A.data(), in.N, W1.data(), W2.data(), VR.data(), ldvr, &work_query, -1),
                 func, "");
    std::vector<T> work(workspace(std::real(work_query), func));
    const int lwork = int(work.size());
    for (int64_t i = begin; i < end; ++i) {
      load(in.mx, i, A.data(), n);
      // LAPACK's geev loops or returns garbage on them; NumPy refuses them too.
      if (!all_finite(A.data(), size_t(n * n)))
        linalg_failure(func, "x must not contain infinities or NaNs");
      C* wo = matrix_out<C>(w, i, n);
      C* vo = vectors ? matrix_out<C>(v, i, n * n) : nullptr;
      if constexpr (is_complex_v<T>) {
        check_info(lk::geev(jobvr, in.N, A.data(), in.N, W1.data(), VR.data(), ldvr, work.data(), lwork, rwork.data()),
                   func, "eigenvalues did not converge");
        std::copy(W1.begin(), W1.begin() + n, wo);
        if (vectors) store(VR.data(), n, n, n, vo);
      } else {
        check_info(lk::geev(jobvr, in.N, A.data(), in.N, W1.data(), W2.data(), VR.data(), ldvr, work.data(), lwork),
                   func, "eigenvalues did not converge");
        for (int64_t j = 0; j < n; ++j) wo[j] = C(W1[j], W2[j]);
        if (!vectors) continue;
        // A complex pair's vectors are columns j (real part) and j + 1
        // (imaginary part) of VR: v_j = re + i im, v_j+1 = re - i im.
        for (int64_t j = 0; j < n; ++j) {
          const T* re = VR.data() + j * n;
          if (W2[j] == 0 || j + 1 == n) {
            for (int64_t r = 0; r < n; ++r) vo[r * n + j] = C(re[r], 0);
            continue;
          }
          const T* im = re + n;
          for (int64_t r = 0; r < n; ++r) {
            vo[r * n + j] = C(re[r], im[r]);
            vo[r * n + j + 1] = C(re[r], -im[r]);
          }
          ++j;
        }
      }
    }
  });
  return {w, v};
}

std::tuple<Array, Array, Array> linalg_svd(const Array& x, bool full_matrices, bool vectors, const char* func) {
  MatrixInput in = matrix_input(x, func, /*square=*/false);
  const int64_t m = in.m, n = in.n, k = std::min(m, n);
  const int M = in.M, N = in.N;
  const int64_t ucols = full_matrices ? m : k, vtrows = full_matrices ? n : k;
  Array s = make_empty(with(in.batch, {k}), real_dtype(in.dtype), func);
  Array u = make_empty(vectors ? with(in.batch, {m, ucols}) : Shape{0}, in.dtype, func);
  Array vh = make_empty(vectors ? with(in.batch, {vtrows, n}) : Shape{0}, in.dtype, func);
  if (in.count == 0) return {u, s, vh};
  const char jobz = !vectors ? 'N' : full_matrices ? 'A' : 'S';
  visit_lapack(in.dtype, [&](auto tag) {
    using T = decltype(tag);
    using R = real_of_t<T>;
    if (k == 0) {  // no singular values; full matrices are identities, as NumPy's
      if (!vectors) return;
      auto identity = [](T* p, int64_t rows, int64_t cols) {
        for (int64_t r = 0; r < rows; ++r)
          for (int64_t c = 0; c < cols; ++c) p[r * cols + c] = T(r == c ? 1 : 0);
      };
      for (int64_t i = 0; i < in.count; ++i) {
        identity(matrix_out<T>(u, i, m * ucols), m, ucols);
        identity(matrix_out<T>(vh, i, vtrows * n), vtrows, n);
      }
      return;
    }
    // Square real matrices: kernels' one-sided Jacobi in lanes (kSmallSvdLanes,
    // above); values only: float64 ones above kSmallSVD64 (jacobi_values'
    // long double stays below), float32 ones in groups (alone, jacobi_values).
    const bool lanes = !is_complex_v<T> && m == n && n <= kSmallSvdLanes && (std::is_same_v<T, float> || n > kSmallSVD64);
    if (!vectors && !(lanes && in.count >= kMinGroup) && std::max(m, n) <= (std::is_same_v<R, float> ? kSmallSVD : kSmallSVD64)) {
      // Values only of tiny matrices: one-sided Jacobi (kernels/lapack.h);
      // a wide matrix as its transpose (the same singular values).
      Matrices tall = in.mx;
      if (m < n) {
        std::swap(tall.rows, tall.cols);
        std::swap(tall.rs, tall.cs);
      }
      const int64_t rows = std::max(m, n);
      using Wide = std::conditional_t<std::is_same_v<R, float>, double, long double>;
      using W = std::conditional_t<is_complex_v<T>, std::complex<Wide>, Wide>;
      for_each_matrix(in.count, rows, [&](int64_t begin, int64_t end) {
        std::vector<T> A(scratch(func, rows, k));
        std::vector<W> work(scratch(func, rows, k));
        for (int64_t i = begin; i < end; ++i) {
          load(tall, i, A.data(), rows);
          R* si = matrix_out<R>(s, i, k);
          if (lk::small_singular_values(int(rows), int(k), A.data(), work.data(), si) < 0)
            linalg_failure(func, "SVD did not converge (x contains NaN)");
          std::sort(si, si + k, [](R a, R b) { return a > b; });  // (NaNs only all together)
        }
      });
      return;
    }
    for_each_group(in.count, std::max(m, n), [&](int64_t begin, int64_t end) {
      const int ldu = std::max(1, M), ldvt = vectors ? std::max<int>(1, int(vtrows)) : 1;
      std::vector<T> A(scratch(func, m, n)), U(scratch(func, vectors ? m : 1, vectors ? ucols : 1)),
          VT(scratch(func, vectors ? vtrows : 1, vectors ? n : 1));
      std::vector<R> S(scratch(func, k));
      std::vector<int> iwork(scratch(func, 8, k));
      // NumPy's rwork sizes for the complex routines
      const int64_t big = std::max(m, n);
      std::vector<R> rwork(is_complex_v<T> ? (jobz == 'N' ? scratch(func, 7, k)
                                                          : scratch(func, std::max(5 * k * k + 5 * k, 2 * big * k + 2 * k * k + k)))
                                           : 1);
      T work_query = T(0);
      check_info(lk::gesdd(jobz, M, N, A.data(), ldu, S.data(), U.data(), ldu, VT.data(), ldvt, &work_query, -1,
                           rwork.data(), iwork.data()),
                 func, "");
      std::vector<T> work(workspace(std::real(work_query), func));
      auto lapack_one = [&](int64_t i) {
        load(in.mx, i, A.data(), m);
        // gesdd can loop forever on an infinity (found by tests/fuzz): refuse them, as before.
        if (vectors && !all_finite(A.data(), size_t(m * n)))
          throw ValueError(prefix(func) + "x must not contain infinities or NaNs");
        const int info = lk::gesdd(jobz, M, N, A.data(), ldu, S.data(), U.data(), ldu, VT.data(), ldvt,
                                   work.data(), int(work.size()), rwork.data(), iwork.data());
        // LAPACK >= 3.10 answers -4 (the argument A) for a NaN in A; NumPy's
        // svd said "SVD did not converge" there, as for info > 0.
        if (info == -4) linalg_failure(func, "SVD did not converge (x contains NaN)");
        check_info(info, func, "SVD did not converge");
        std::copy(S.begin(), S.begin() + k, matrix_out<R>(s, i, k));
        if (vectors) {
          store(U.data(), ldu, m, ucols, matrix_out<T>(u, i, m * ucols));
          store(VT.data(), ldvt, vtrows, n, matrix_out<T>(vh, i, vtrows * n));
        }
      };
      constexpr int group = lk::kSmallLanes;
      std::vector<double> jacobi(lanes ? scratch(func, 2 * group * n, n) : 0);
      std::vector<T> block(lanes ? scratch(func, group * n, n) : 0), UB(lanes && vectors ? scratch(func, group * n, n) : 0),
          VB(lanes && vectors ? scratch(func, group * n, n) : 0);
      for (int64_t i = begin; i < end; i += group) {
        const int count = int(std::min<int64_t>(group, end - i));
        if (!lanes || (count < kMinGroup && !(vectors && n <= kSmallSvdSingle))) {
          for (int l = 0; l < count; ++l) lapack_one(i + l);
          continue;
        }
        if constexpr (!is_complex_v<T>) {
          for (int l = 0; l < count; ++l) load(in.mx, i + l, block.data() + l * n * n, n);
          const unsigned bad = lk::small_svd(N, count, block.data(), jacobi.data(), matrix_out<R>(s, i, k),
                                             vectors ? UB.data() : nullptr, vectors ? VB.data() : nullptr);
          for (int l = 0; l < count; ++l) {
            if (bad >> l & 1) {
              lapack_one(i + l);
            } else if (vectors) {
              store(UB.data() + l * n * n, n, n, n, matrix_out<T>(u, i + l, n * n));
              store(VB.data() + l * n * n, n, n, n, matrix_out<T>(vh, i + l, n * n));
            }
          }
        }
      }
    });
  });
  return {u, s, vh};
}

std::pair<Array, Array> linalg_qr(const Array& x, bool complete) {
  const char* func = "linalg.qr";
  MatrixInput in = matrix_input(x, func, /*square=*/false);
  const int64_t m = in.m, n = in.n, k = std::min(m, n);
  const int M = in.M, N = in.N;
  const int64_t mc = complete && m > n ? m : k;  // columns of Q, rows of R (NumPy's)
  Array q = make_empty(with(in.batch, {m, mc}), in.dtype, func);
  Array r = make_empty(with(in.batch, {mc, n}), in.dtype, func);
  if (in.count == 0 || m == 0) return {q, r};
  visit_lapack(in.dtype, [&](auto tag) {
    using T = decltype(tag);
    for_each_matrix(in.count, std::max(m, n), [&](int64_t begin, int64_t end) {
      std::vector<T> A(scratch(func, m, std::max(n, mc))), tau(scratch(func, k));
      T query1 = T(0), query2 = T(0);
      check_info(lk::geqrf(M, N, A.data(), M, tau.data(), &query1, -1), func, "");
      if (mc > 0) check_info(lk::orgqr(M, int(mc), int(k), A.data(), M, tau.data(), &query2, -1), func, "");
      std::vector<T> work(std::max(workspace(std::real(query1), func), workspace(std::real(query2), func)));
      const int lwork = int(work.size());
      for (int64_t i = begin; i < end; ++i) {
        load(in.mx, i, A.data(), m);
        const bool own = !is_complex_v<T> && std::max(m, n) <= (std::is_same_v<T, float> ? kSmallQR32 : kSmallQR64);
        if constexpr (!is_complex_v<T>) {
          if (own) lk::small_geqrf(M, N, A.data(), tau.data());
        }
        if (!own) check_info(lk::geqrf(M, N, A.data(), M, tau.data(), work.data(), lwork), func, "");
        T* ro = matrix_out<T>(r, i, mc * n);
        for (int64_t row = 0; row < mc; ++row)
          for (int64_t c = 0; c < n; ++c) ro[row * n + c] = c >= row ? A[row + c * m] : T(0);
        if (mc == 0) continue;
        if constexpr (!is_complex_v<T>) {
          if (own) {
            lk::small_orgqr(M, int(mc), int(k), A.data(), tau.data());
            store(A.data(), m, m, mc, matrix_out<T>(q, i, m * mc));
            continue;
          }
        }
        check_info(lk::orgqr(M, int(mc), int(k), A.data(), M, tau.data(), work.data(), lwork), func, "");
        store(A.data(), m, m, mc, matrix_out<T>(q, i, m * mc));
      }
    });
  });
  return {q, r};
}

}  // namespace trueno

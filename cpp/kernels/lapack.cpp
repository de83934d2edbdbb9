#include "kernels/lapack.h"

#include "kernels/simd_jacobi.h"

#include <algorithm>
#include <cmath>
#include <complex>
#include <limits>
#include <utility>

#ifdef TRUENO_HAVE_OPENBLAS
#include <complex>
// The wheel's symbols carry a scipy_ prefix; its lapack.h names them through
// LAPACK_GLOBAL, and its scipy_LAPACK_<name>(...) macros append the hidden
// Fortran string lengths.
#define LAPACK_GLOBAL(lcname, UCNAME) scipy_##lcname##_
#define lapack_complex_float std::complex<float>
#define lapack_complex_double std::complex<double>
#include <lapack.h>
#endif

namespace trueno::kernels::lapack {

#ifdef TRUENO_HAVE_OPENBLAS

bool available() { return true; }

int getrf(int m, int n, float* a, int lda, int* ipiv) {
  int info = 0;
  LAPACK_sgetrf(&m, &n, a, &lda, ipiv, &info);
  return info;
}
int getrf(int m, int n, double* a, int lda, int* ipiv) {
  int info = 0;
  LAPACK_dgetrf(&m, &n, a, &lda, ipiv, &info);
  return info;
}
int getrf(int m, int n, complex64* a, int lda, int* ipiv) {
  int info = 0;
  LAPACK_cgetrf(&m, &n, a, &lda, ipiv, &info);
  return info;
}
int getrf(int m, int n, complex128* a, int lda, int* ipiv) {
  int info = 0;
  LAPACK_zgetrf(&m, &n, a, &lda, ipiv, &info);
  return info;
}

int gesv(int n, int nrhs, float* a, int lda, int* ipiv, float* b, int ldb) {
  int info = 0;
  LAPACK_sgesv(&n, &nrhs, a, &lda, ipiv, b, &ldb, &info);
  return info;
}
int gesv(int n, int nrhs, double* a, int lda, int* ipiv, double* b, int ldb) {
  int info = 0;
  LAPACK_dgesv(&n, &nrhs, a, &lda, ipiv, b, &ldb, &info);
  return info;
}
int gesv(int n, int nrhs, complex64* a, int lda, int* ipiv, complex64* b, int ldb) {
  int info = 0;
  LAPACK_cgesv(&n, &nrhs, a, &lda, ipiv, b, &ldb, &info);
  return info;
}
int gesv(int n, int nrhs, complex128* a, int lda, int* ipiv, complex128* b, int ldb) {
  int info = 0;
  LAPACK_zgesv(&n, &nrhs, a, &lda, ipiv, b, &ldb, &info);
  return info;
}

int potrf(char uplo, int n, float* a, int lda) {
  int info = 0;
  scipy_LAPACK_spotrf(&uplo, &n, a, &lda, &info);
  return info;
}
int potrf(char uplo, int n, double* a, int lda) {
  int info = 0;
  scipy_LAPACK_dpotrf(&uplo, &n, a, &lda, &info);
  return info;
}
int potrf(char uplo, int n, complex64* a, int lda) {
  int info = 0;
  scipy_LAPACK_cpotrf(&uplo, &n, a, &lda, &info);
  return info;
}
int potrf(char uplo, int n, complex128* a, int lda) {
  int info = 0;
  scipy_LAPACK_zpotrf(&uplo, &n, a, &lda, &info);
  return info;
}

int heevd(char jobz, char uplo, int n, float* a, int lda, float* w, float* work, int lwork, float*, int,
          int* iwork, int liwork) {
  int info = 0;
  scipy_LAPACK_ssyevd(&jobz, &uplo, &n, a, &lda, w, work, &lwork, iwork, &liwork, &info);
  return info;
}
int heevd(char jobz, char uplo, int n, double* a, int lda, double* w, double* work, int lwork, double*, int,
          int* iwork, int liwork) {
  int info = 0;
  scipy_LAPACK_dsyevd(&jobz, &uplo, &n, a, &lda, w, work, &lwork, iwork, &liwork, &info);
  return info;
}
int heevd(char jobz, char uplo, int n, complex64* a, int lda, float* w, complex64* work, int lwork,
          float* rwork, int lrwork, int* iwork, int liwork) {
  int info = 0;
  scipy_LAPACK_cheevd(&jobz, &uplo, &n, a, &lda, w, work, &lwork, rwork, &lrwork, iwork, &liwork, &info);
  return info;
}
int heevd(char jobz, char uplo, int n, complex128* a, int lda, double* w, complex128* work, int lwork,
          double* rwork, int lrwork, int* iwork, int liwork) {
  int info = 0;
  scipy_LAPACK_zheevd(&jobz, &uplo, &n, a, &lda, w, work, &lwork, rwork, &lrwork, iwork, &liwork, &info);
  return info;
}

// Left vectors are never computed: jobvl 'N' with a dummy (ldvl = 1).
int geev(char jobvr, int n, float* a, int lda, float* wr, float* wi, float* vr, int ldvr, float* work,
         int lwork) {
  int info = 0, one = 1;
  char no = 'N';
  float vl = 0;
  scipy_LAPACK_sgeev(&no, &jobvr, &n, a, &lda, wr, wi, &vl, &one, vr, &ldvr, work, &lwork, &info);
  return info;
}
int geev(char jobvr, int n, double* a, int lda, double* wr, double* wi, double* vr, int ldvr, double* work,
         int lwork) {
  int info = 0, one = 1;
  char no = 'N';
  double vl = 0;
  scipy_LAPACK_dgeev(&no, &jobvr, &n, a, &lda, wr, wi, &vl, &one, vr, &ldvr, work, &lwork, &info);
  return info;
}
int geev(char jobvr, int n, complex64* a, int lda, complex64* w, complex64* vr, int ldvr, complex64* work,
         int lwork, float* rwork) {
  int info = 0, one = 1;
  char no = 'N';
  complex64 vl = 0;
  scipy_LAPACK_cgeev(&no, &jobvr, &n, a, &lda, w, &vl, &one, vr, &ldvr, work, &lwork, rwork, &info);
  return info;
}
int geev(char jobvr, int n, complex128* a, int lda, complex128* w, complex128* vr, int ldvr,
         complex128* work, int lwork, double* rwork) {
  int info = 0, one = 1;
  char no = 'N';
  complex128 vl = 0;
  scipy_LAPACK_zgeev(&no, &jobvr, &n, a, &lda, w, &vl, &one, vr, &ldvr, work, &lwork, rwork, &info);
  return info;
}

int gesdd(char jobz, int m, int n, float* a, int lda, float* s, float* u, int ldu, float* vt, int ldvt,
          float* work, int lwork, float*, int* iwork) {
  int info = 0;
  scipy_LAPACK_sgesdd(&jobz, &m, &n, a, &lda, s, u, &ldu, vt, &ldvt, work, &lwork, iwork, &info);
  return info;
}
int gesdd(char jobz, int m, int n, double* a, int lda, double* s, double* u, int ldu, double* vt, int ldvt,
          double* work, int lwork, double*, int* iwork) {
  int info = 0;
  scipy_LAPACK_dgesdd(&jobz, &m, &n, a, &lda, s, u, &ldu, vt, &ldvt, work, &lwork, iwork, &info);
  return info;
}
int gesdd(char jobz, int m, int n, complex64* a, int lda, float* s, complex64* u, int ldu, complex64* vt,
          int ldvt, complex64* work, int lwork, float* rwork, int* iwork) {
  int info = 0;
  scipy_LAPACK_cgesdd(&jobz, &m, &n, a, &lda, s, u, &ldu, vt, &ldvt, work, &lwork, rwork, iwork, &info);
  return info;
}
int gesdd(char jobz, int m, int n, complex128* a, int lda, double* s, complex128* u, int ldu, complex128* vt,
          int ldvt, complex128* work, int lwork, double* rwork, int* iwork) {
  int info = 0;
  scipy_LAPACK_zgesdd(&jobz, &m, &n, a, &lda, s, u, &ldu, vt, &ldvt, work, &lwork, rwork, iwork, &info);
  return info;
}

int geqrf(int m, int n, float* a, int lda, float* tau, float* work, int lwork) {
  int info = 0;
  LAPACK_sgeqrf(&m, &n, a, &lda, tau, work, &lwork, &info);
  return info;
}
int geqrf(int m, int n, double* a, int lda, double* tau, double* work, int lwork) {
  int info = 0;
  LAPACK_dgeqrf(&m, &n, a, &lda, tau, work, &lwork, &info);
  return info;
}
int geqrf(int m, int n, complex64* a, int lda, complex64* tau, complex64* work, int lwork) {
  int info = 0;
  LAPACK_cgeqrf(&m, &n, a, &lda, tau, work, &lwork, &info);
  return info;
}
int geqrf(int m, int n, complex128* a, int lda, complex128* tau, complex128* work, int lwork) {
  int info = 0;
  LAPACK_zgeqrf(&m, &n, a, &lda, tau, work, &lwork, &info);
  return info;
}
int orgqr(int m, int n, int k, float* a, int lda, const float* tau, float* work, int lwork) {
  int info = 0;
  LAPACK_sorgqr(&m, &n, &k, a, &lda, tau, work, &lwork, &info);
  return info;
}
int orgqr(int m, int n, int k, double* a, int lda, const double* tau, double* work, int lwork) {
  int info = 0;
  LAPACK_dorgqr(&m, &n, &k, a, &lda, tau, work, &lwork, &info);
  return info;
}
int orgqr(int m, int n, int k, complex64* a, int lda, const complex64* tau, complex64* work, int lwork) {
  int info = 0;
  LAPACK_cungqr(&m, &n, &k, a, &lda, tau, work, &lwork, &info);
  return info;
}
int orgqr(int m, int n, int k, complex128* a, int lda, const complex128* tau, complex128* work, int lwork) {
  int info = 0;
  LAPACK_zungqr(&m, &n, &k, a, &lda, tau, work, &lwork, &info);
  return info;
}

#else  // built without OpenBLAS: ops/lapack.cpp checks available() first

bool available() { return false; }

#define TRUENO_NO_LAPACK(T, R)                                                                  \
  int getrf(int, int, T*, int, int*) { return kUnavailable; }                                      \
  int gesv(int, int, T*, int, int*, T*, int) { return kUnavailable; }                              \
  int potrf(char, int, T*, int) { return kUnavailable; }                                           \
  int heevd(char, char, int, T*, int, R*, T*, int, R*, int, int*, int) { return kUnavailable; }    \
  int gesdd(char, int, int, T*, int, R*, T*, int, T*, int, T*, int, R*, int*) { return kUnavailable; } \
  int geqrf(int, int, T*, int, T*, T*, int) { return kUnavailable; }                               \
  int orgqr(int, int, int, T*, int, const T*, T*, int) { return kUnavailable; }
TRUENO_NO_LAPACK(float, float)
TRUENO_NO_LAPACK(double, double)
TRUENO_NO_LAPACK(complex64, float)
TRUENO_NO_LAPACK(complex128, double)
#undef TRUENO_NO_LAPACK
int geev(char, int, float*, int, float*, float*, float*, int, float*, int) { return kUnavailable; }
int geev(char, int, double*, int, double*, double*, double*, int, double*, int) { return kUnavailable; }
int geev(char, int, complex64*, int, complex64*, complex64*, int, complex64*, int, float*) { return kUnavailable; }
int geev(char, int, complex128*, int, complex128*, complex128*, int, complex128*, int, double*) {
  return kUnavailable;
}

#endif

namespace {
template <class T>
inline auto abs1(T v) {
  if constexpr (is_complex_v<T>) return std::abs(v.real()) + std::abs(v.imag());
  else return std::abs(v);
}

template <class T>
int lu_in_place(int n, T* a, int* ipiv) {
  int info = 0;
  for (int j = 0; j < n; ++j) {
    T* col = a + int64_t(j) * n;
    int p = j;
    auto best = abs1(col[j]);
    for (int i = j + 1; i < n; ++i) {
      const auto v = abs1(col[i]);
      if (v > best) best = v, p = i;  // (NaN never wins, as in i?amax)
    }
    ipiv[j] = p + 1;
    if (col[p] != T(0)) {
      if (p != j)
        for (int c = 0; c < n; ++c) std::swap(a[j + int64_t(c) * n], a[p + int64_t(c) * n]);
      if (std::abs(col[j]) >= std::numeric_limits<real_of_t<T>>::min()) {
        const T r = T(1) / col[j];
        for (int i = j + 1; i < n; ++i) col[i] *= r;
      } else {  // a subnormal pivot's reciprocal overflows
        for (int i = j + 1; i < n; ++i) col[i] /= col[j];
      }
    } else if (info == 0) {
      info = j + 1;
    }
    for (int c = j + 1; c < n; ++c) {
      T* dst = a + int64_t(c) * n;
      const T f = dst[j];
      for (int i = j + 1; i < n; ++i) dst[i] -= col[i] * f;
    }
  }
  return info;
}

template <class T>
void lu_solve(int n, int nrhs, const T* lu, const int* ipiv, T* b) {
  for (int k = 0; k < nrhs; ++k) {
    T* x = b + int64_t(k) * n;
    for (int j = 0; j < n; ++j)
      if (ipiv[j] - 1 != j) std::swap(x[j], x[ipiv[j] - 1]);
    for (int j = 0; j < n; ++j)  // L: unit lower
      for (int i = j + 1; i < n; ++i) x[i] -= lu[i + int64_t(j) * n] * x[j];
    for (int j = n; j-- > 0;) {  // U
      x[j] /= lu[j + int64_t(j) * n];
      for (int i = 0; i < j; ++i) x[i] -= lu[i + int64_t(j) * n] * x[j];
    }
  }
}

template <class W>
W conj_of(W x) {
  if constexpr (is_complex_v<W>) return std::conj(x);
  else return x;
}

constexpr int kSmallSvdMax = 64;  // the most columns small_singular_values takes

template <class T, class W, class R>
int jacobi_values(int m, int n, const T* a, W* w, R* s) {
  using F = decltype(std::abs(W{}));  // double, or long double for float64 input
  const int64_t size = int64_t(m) * n;
  double peak = 0;
  bool nan = false;
  for (int64_t k = 0; k < size; ++k) {
    const double v = std::max(std::fabs(double(std::real(a[k]))), std::fabs(double(std::imag(a[k]))));
    nan |= std::isnan(v);
    peak = v > peak ? v : peak;
  }
  if (nan) return -1;
  if (std::isinf(peak)) {
    for (int j = 0; j < n; ++j) s[j] = std::numeric_limits<R>::quiet_NaN();
    return 0;
  }
  if (peak == 0) {
    for (int j = 0; j < n; ++j) s[j] = R(0);
    return 0;
  }
  // 2^-e, in two exact steps (2^1074 is beyond double): the largest |entry| in [1, 2).
  const int e = std::ilogb(peak);
  const double c1 = std::ldexp(1.0, -e / 2), c2 = std::ldexp(1.0, -e - (-e / 2));
  for (int64_t k = 0; k < size; ++k) w[k] = W(a[k]) * F(c1) * F(c2);
  // Pairs count as orthogonal at |w_p . w_q| <= tol |w_p| |w_q| (float32's
  // epsilon there left float32 results 8 ulp off; float64's keeps them < 1).
  constexpr F tol = std::numeric_limits<F>::epsilon();
  auto norm2 = [m](const W* x) {
    F t = 0;
    for (int k = 0; k < m; ++k) t += std::norm(x[k]);
    return t;
  };
  F d[kSmallSvdMax];  // squared column norms, updated with each rotation
  for (int sweep = 0; sweep < 64; ++sweep) {  // (quadratic convergence: ~6 sweeps)
    for (int j = 0; j < n; ++j) d[j] = norm2(w + int64_t(j) * m);
    bool rotated = false;
    for (int p = 0; p + 1 < n; ++p) {
      for (int q = p + 1; q < n; ++q) {
        W* wp = w + int64_t(p) * m;
        W* wq = w + int64_t(q) * m;
        const F alpha = d[p], beta = d[q];
        W gamma = W(0);
        for (int k = 0; k < m; ++k) gamma += conj_of(wp[k]) * wq[k];
        const F g2 = std::norm(gamma);
        if (!(g2 > tol * tol * alpha * beta)) continue;
        rotated = true;
        // w_q times conj(gamma / g) makes the pair's product g, real; then
        // the rotation by t = tan(theta) that zeroes it (the smaller root).
        const F g = std::sqrt(g2);
        const W phase = conj_of(W(gamma / g));
        const F zeta = (beta - alpha) / (2 * g);
        const F t = (zeta >= 0 ? F(1) : F(-1)) / (std::fabs(zeta) + std::sqrt(1 + zeta * zeta));
        const F c = 1 / std::sqrt(1 + t * t), sn = c * t;
        for (int k = 0; k < m; ++k) {
          const W x = wp[k], y = wq[k] * phase;
          wp[k] = c * x - sn * y;
          wq[k] = sn * x + c * y;
        }
        d[p] = alpha - t * g;
        d[q] = beta + t * g;
      }
    }
    if (!rotated) break;
  }
  // The column norms, each scaled by its own largest entry: a column far
  // below the largest (diag(1e300, 3)) would lose its squares to underflow.
  for (int j = 0; j < n; ++j) {
    const W* x = w + int64_t(j) * m;
    F top = 0;
    for (int k = 0; k < m; ++k) top = std::max(top, std::abs(x[k]));
    F norm = 0;
    if (top > 0) {
      const int f = std::ilogb(top);
      const F d1 = std::ldexp(F(1), -f / 2), d2 = std::ldexp(F(1), -f - (-f / 2));
      F t = 0;
      for (int k = 0; k < m; ++k) t += std::norm(x[k] * d1 * d2);
      norm = std::ldexp(std::sqrt(t), f);
    }
    s[j] = R(std::ldexp(norm, e));
  }
  return 0;
}

// Cholesky, column by column (LAPACK's ?potf2, left-looking), in float64
// for either input; the factor in the triangle `uplo`, the other untouched.
// INFO j + 1 where the j-th pivot is not positive (or NaN), as ?potrf.
template <class T>
int cholesky_in_place(char uplo, int n, T* a) {
  const bool upper = uplo == 'U';
  // element (i, j), i >= j, of L: A's lower triangle, or the transpose of its upper one
  auto at = [&](int i, int j) -> T& { return upper ? a[j + int64_t(i) * n] : a[i + int64_t(j) * n]; };
  for (int j = 0; j < n; ++j) {
    double d = double(at(j, j));
    for (int k = 0; k < j; ++k) d -= double(at(j, k)) * double(at(j, k));
    if (!(d > 0)) {
      at(j, j) = T(d);
      return j + 1;
    }
    const double ljj = std::sqrt(d);
    at(j, j) = T(ljj);
    for (int i = j + 1; i < n; ++i) {
      double x = double(at(i, j));
      for (int k = 0; k < j; ++k) x -= double(at(i, k)) * double(at(j, k));
      at(i, j) = T(x / ljj);
    }
  }
  return 0;
}

// Householder QR as LAPACK's ?geqr2 / ?org2r (?larfg's reflectors: beta =
// -sign(alpha) ||(alpha, x)||, tau = (beta - alpha) / beta, v = x / (alpha -
// beta); tau = 0 where x is zero), each dot product and update in float64.
template <class T>
void householder_qr(int m, int n, T* a, T* tau) {
  const int k = std::min(m, n);
  for (int j = 0; j < k; ++j) {
    T* col = a + int64_t(j) * m;
    double top = 0;  // the norm of x = col[j+1:], scaled by its largest |entry|
    for (int i = j + 1; i < m; ++i) top = std::max(top, std::fabs(double(col[i])));
    double xnorm = 0;
    if (top > 0) {
      for (int i = j + 1; i < m; ++i) xnorm += (double(col[i]) / top) * (double(col[i]) / top);
      xnorm = std::sqrt(xnorm) * top;
    }
    const double alpha = double(col[j]);
    if (xnorm == 0) {
      tau[j] = T(0);
      continue;
    }
    const double beta = -std::copysign(std::hypot(alpha, xnorm), alpha);
    const double t = (beta - alpha) / beta, scale = 1 / (alpha - beta);
    for (int i = j + 1; i < m; ++i) col[i] = T(double(col[i]) * scale);
    tau[j] = T(t);
    col[j] = T(beta);
    for (int c = j + 1; c < n; ++c) {  // H = I - tau v v^T on the columns right of j
      T* y = a + int64_t(c) * m;
      double w = double(y[j]);
      for (int i = j + 1; i < m; ++i) w += double(col[i]) * double(y[i]);
      w *= double(tau[j]);
      y[j] = T(double(y[j]) - w);
      for (int i = j + 1; i < m; ++i) y[i] = T(double(y[i]) - w * double(col[i]));
    }
  }
}

template <class T>
void householder_q(int m, int n, int k, T* a, const T* tau) {
  for (int j = k; j < n; ++j) {
    T* col = a + int64_t(j) * m;
    for (int i = 0; i < m; ++i) col[i] = T(i == j ? 1 : 0);
  }
  for (int j = k; j-- > 0;) {
    T* v = a + int64_t(j) * m;
    const double t = double(tau[j]);
    if (j < n - 1) {
      v[j] = T(1);
      for (int c = j + 1; c < n; ++c) {
        T* y = a + int64_t(c) * m;
        double w = 0;
        for (int i = j; i < m; ++i) w += double(v[i]) * double(y[i]);
        w *= t;
        for (int i = j; i < m; ++i) y[i] = T(double(y[i]) - w * double(v[i]));
      }
    }
    for (int i = j + 1; i < m; ++i) v[i] = T(-t * double(v[i]));
    v[j] = T(1 - t);
    for (int i = 0; i < j; ++i) v[i] = T(0);
  }
}

namespace jac = trueno::simd::jacobi;
constexpr int L = jac::kLanes;
static_assert(L == kSmallLanes);

// Scales matrix l of `count` consecutive n x n ones (column-major; `lower`:
// only the lower triangle read, mirrored) into lane l of the SoA block
// (simd_jacobi.h) by a power of two, its largest |entry| into [1, 2): no
// square or difference overflows there. Lanes past count, and matrices with
// NaN or infinity (their bits in the returned mask), hold zeros. e[l]: the
// exponent to scale results back by.
template <class T>
unsigned load_lanes(int n, int count, const T* a, bool lower, double* block, int* e) {
  const int64_t nn = int64_t(n) * n;
  unsigned bad = 0;
  for (int l = 0; l < L; ++l) {
    double peak = 0;
    if (l < count)
      for (int c = 0; c < n; ++c)
        for (int r = lower ? c : 0; r < n; ++r) {
          const double x = std::fabs(double(a[l * nn + r + int64_t(c) * n]));
          if (!(x <= std::numeric_limits<double>::max())) bad |= 1u << l;
          peak = x > peak ? x : peak;
        }
    const bool live = l < count && !(bad >> l & 1);
    e[l] = live && peak > 0 ? std::ilogb(peak) : 0;
    const double c1 = std::ldexp(1.0, -e[l] / 2), c2 = std::ldexp(1.0, -e[l] - (-e[l] / 2));
    for (int c = 0; c < n; ++c)
      for (int r = lower ? c : 0; r < n; ++r) {
        const double x = live ? double(a[l * nn + r + int64_t(c) * n]) * c1 * c2 : 0.0;
        block[(r + int64_t(c) * n) * L + l] = x;
        if (lower) block[(c + int64_t(r) * n) * L + l] = x;
      }
  }
  return bad;
}

void identity_lanes(int n, double* v) {
  for (int64_t k = 0; k < int64_t(n) * n; ++k)
    for (int l = 0; l < L; ++l) v[k * L + l] = k % (n + 1) == 0 ? 1.0 : 0.0;
}

// Eigenvalues sorted ascending, their vectors permuted along.
template <class T>
unsigned jacobi_eigh(int n, int count, const T* a, double* A, double* V, real_of_t<T>* w, T* v) {
  using R = real_of_t<T>;
  const int64_t nn = int64_t(n) * n;
  int e[L];
  const unsigned bad = load_lanes(n, count, a, /*lower=*/true, A, e);
  if (v) identity_lanes(n, V);
  jac::eigh_sweeps(n, A, v ? V : nullptr);
  for (int l = 0; l < count; ++l) {
    if (bad >> l & 1) continue;
    int order[kSmallSvdMax];
    for (int j = 0; j < n; ++j) order[j] = j;
    auto diag = [&](int j) { return A[int64_t(j) * (n + 1) * L + l]; };
    std::stable_sort(order, order + n, [&](int i, int j) { return diag(i) < diag(j); });
    for (int j = 0; j < n; ++j) {
      const int o = order[j];
      w[l * n + j] = R(std::ldexp(diag(o), e[l]));
      if (v)
        for (int r = 0; r < n; ++r) v[l * nn + r + int64_t(j) * n] = T(V[(r + int64_t(o) * n) * L + l]);
    }
  }
  return bad;
}

// Singular values and vectors by one-sided Jacobi (svd_sweeps): after
// convergence the columns of A V are U diag(s), orthogonal to eps relative to
// their norms. A column whose norm vanished (rank deficiency down to
// underflow) gets a unit vector orthogonalised against the others (twice)
// instead. Values sorted descending, vectors permuted along.
template <class T>
unsigned jacobi_svd(int n, int count, const T* a, double* Wk, double* V, real_of_t<T>* s, T* u, T* vt) {
  using R = real_of_t<T>;
  const int64_t nn = int64_t(n) * n;
  const bool vectors = u != nullptr;
  int e[L];
  const unsigned bad = load_lanes(n, count, a, /*lower=*/false, Wk, e);
  if (vectors) identity_lanes(n, V);
  jac::svd_sweeps(n, Wk, vectors ? V : nullptr);
  constexpr double tol = std::numeric_limits<double>::epsilon();
  const double tiny = std::numeric_limits<double>::min() / tol;
  auto dot = [n](const double* x, const double* y) {
    double t = 0;
    for (int k = 0; k < n; ++k) t += x[k] * y[k];
    return t;
  };
  for (int l = 0; l < count; ++l) {
    if (bad >> l & 1) continue;
    auto at = [&](int r, int c) { return Wk[(r + int64_t(c) * n) * L + l]; };
    double norm[kSmallSvdMax];
    int order[kSmallSvdMax];
    for (int j = 0; j < n; ++j) {
      double top = 0;
      for (int k = 0; k < n; ++k) top = std::max(top, std::fabs(at(k, j)));
      double t = 0;
      if (top > 0) {  // scaled by the column's own largest entry: no underflow of small columns
        const int f = std::ilogb(top);
        for (int k = 0; k < n; ++k) {
          const double y = std::ldexp(at(k, j), -f);
          t += y * y;
        }
        t = std::ldexp(std::sqrt(t), f);
      }
      norm[j] = t;
      order[j] = j;
    }
    std::stable_sort(order, order + n, [&](int i, int j) { return norm[i] > norm[j]; });
    double U[kSmallSvdMax * kSmallSvdMax];
    for (int j = 0; j < n; ++j) {
      const int o = order[j];
      s[l * n + j] = R(std::ldexp(norm[o], e[l]));
      if (!vectors) continue;
      double* uj = U + int64_t(j) * n;
      if (norm[o] > tiny) {
        for (int k = 0; k < n; ++k) uj[k] = at(k, o) / norm[o];
      } else {  // the unit vector least in the span of the columns before, orthogonalised twice
        int best = 0;
        double best_rest = -1;
        for (int i = 0; i < n; ++i) {
          double rest = 1;
          for (int c = 0; c < j; ++c) rest -= U[i + int64_t(c) * n] * U[i + int64_t(c) * n];
          if (rest > best_rest) best_rest = rest, best = i;
        }
        for (int k = 0; k < n; ++k) uj[k] = k == best ? 1.0 : 0.0;
        for (int pass = 0; pass < 2; ++pass) {
          for (int c = 0; c < j; ++c) {
            const double* uc = U + int64_t(c) * n;
            const double h = dot(uc, uj);
            for (int k = 0; k < n; ++k) uj[k] -= h * uc[k];
          }
          const double len = std::sqrt(dot(uj, uj));
          for (int k = 0; k < n; ++k) uj[k] /= len;
        }
      }
      for (int k = 0; k < n; ++k) {
        u[l * nn + k + int64_t(j) * n] = T(uj[k]);
        vt[l * nn + j + int64_t(k) * n] = T(V[(k + int64_t(o) * n) * L + l]);  // row j of V^T
      }
    }
  }
  return bad;
}

}  // namespace

unsigned small_eigh(int n, int count, const float* a, double* work, float* w, float* v) {
  return jacobi_eigh(n, count, a, work, work + int64_t(n) * n * kSmallLanes, w, v);
}
unsigned small_eigh(int n, int count, const double* a, double* work, double* w, double* v) {
  return jacobi_eigh(n, count, a, work, work + int64_t(n) * n * kSmallLanes, w, v);
}
unsigned small_svd(int n, int count, const float* a, double* work, float* s, float* u, float* vt) {
  return jacobi_svd(n, count, a, work, work + int64_t(n) * n * kSmallLanes, s, u, vt);
}
unsigned small_svd(int n, int count, const double* a, double* work, double* s, double* u, double* vt) {
  return jacobi_svd(n, count, a, work, work + int64_t(n) * n * kSmallLanes, s, u, vt);
}

int small_singular_values(int m, int n, const float* a, double* work, float* s) {
  return jacobi_values(m, n, a, work, s);
}
int small_singular_values(int m, int n, const double* a, long double* work, double* s) {
  return jacobi_values(m, n, a, work, s);
}
int small_singular_values(int m, int n, const complex64* a, complex128* work, float* s) {
  return jacobi_values(m, n, a, work, s);
}
int small_singular_values(int m, int n, const complex128* a, std::complex<long double>* work, double* s) {
  return jacobi_values(m, n, a, work, s);
}

void small_geqrf(int m, int n, float* a, float* tau) { householder_qr(m, n, a, tau); }
void small_geqrf(int m, int n, double* a, double* tau) { householder_qr(m, n, a, tau); }
void small_orgqr(int m, int n, int k, float* a, const float* tau) { householder_q(m, n, k, a, tau); }
void small_orgqr(int m, int n, int k, double* a, const double* tau) { householder_q(m, n, k, a, tau); }
int small_potrf(char uplo, int n, float* a) { return cholesky_in_place(uplo, n, a); }
int small_potrf(char uplo, int n, double* a) { return cholesky_in_place(uplo, n, a); }

int small_getrf(int n, float* a, int* ipiv) { return lu_in_place(n, a, ipiv); }
int small_getrf(int n, double* a, int* ipiv) { return lu_in_place(n, a, ipiv); }
int small_getrf(int n, complex64* a, int* ipiv) { return lu_in_place(n, a, ipiv); }
int small_getrf(int n, complex128* a, int* ipiv) { return lu_in_place(n, a, ipiv); }
void small_getrs(int n, int nrhs, const float* lu, const int* ipiv, float* b) { lu_solve(n, nrhs, lu, ipiv, b); }
void small_getrs(int n, int nrhs, const double* lu, const int* ipiv, double* b) { lu_solve(n, nrhs, lu, ipiv, b); }
void small_getrs(int n, int nrhs, const complex64* lu, const int* ipiv, complex64* b) {
  lu_solve(n, nrhs, lu, ipiv, b);
}
void small_getrs(int n, int nrhs, const complex128* lu, const int* ipiv, complex128* b) {
  lu_solve(n, nrhs, lu, ipiv, b);
}

}  // namespace trueno::kernels::lapack

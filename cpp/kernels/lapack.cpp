#include "kernels/lapack.h"

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
}  // namespace

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

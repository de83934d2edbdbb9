// LAPACK from the scipy-openblas32 wheel (symbols prefixed scipy_), one
// overload per element type: float, double, complex64, complex128. Each call
// factors ONE column-major matrix; ops/lapack.cpp validates, copies the
// matrices of a batch in and out, and loops. The routines are the ones NumPy's
// umath_linalg calls, so results agree with NumPy's (usually bit for bit).
//
// Every function returns LAPACK's INFO (0: success, < 0: a bad argument, a bug
// here; > 0: the routine's failure: singular, not positive definite, no
// convergence). With lwork == -1 a routine only writes its optimal workspace
// sizes into work[0] (and rwork[0], iwork[0] where it takes them).
//
// Built without OpenBLAS, available() is false and every call returns
// kUnavailable without touching its arguments.
#pragma once
#include <cstdint>

#include "core/dtype.h"

namespace trueno::kernels::lapack {

using lapack_int = int32_t;  // scipy-openblas32: the 32-bit LAPACK interface
constexpr int kUnavailable = -1000;
bool available();

// LU with partial pivoting of an m x n matrix (det, slogdet).
int getrf(int m, int n, float* a, int lda, int* ipiv);
int getrf(int m, int n, double* a, int lda, int* ipiv);
int getrf(int m, int n, complex64* a, int lda, int* ipiv);
int getrf(int m, int n, complex128* a, int lda, int* ipiv);

// Solves A X = B (A: n x n, overwritten by its LU; B: n x nrhs, by X).
int gesv(int n, int nrhs, float* a, int lda, int* ipiv, float* b, int ldb);
int gesv(int n, int nrhs, double* a, int lda, int* ipiv, double* b, int ldb);
int gesv(int n, int nrhs, complex64* a, int lda, int* ipiv, complex64* b, int ldb);
int gesv(int n, int nrhs, complex128* a, int lda, int* ipiv, complex128* b, int ldb);

// Cholesky factor in the triangle `uplo` ('L' or 'U'); the other one is left as it was.
int potrf(char uplo, int n, float* a, int lda);
int potrf(char uplo, int n, double* a, int lda);
int potrf(char uplo, int n, complex64* a, int lda);
int potrf(char uplo, int n, complex128* a, int lda);

// Symmetric / Hermitian eigenvalues (ascending) and, with jobz 'V', vectors in
// a (divide and conquer: ?syevd, ?heevd). rwork/lrwork only for complex types.
int heevd(char jobz, char uplo, int n, float* a, int lda, float* w, float* work, int lwork, float* rwork,
          int lrwork, int* iwork, int liwork);
int heevd(char jobz, char uplo, int n, double* a, int lda, double* w, double* work, int lwork, double* rwork,
          int lrwork, int* iwork, int liwork);
int heevd(char jobz, char uplo, int n, complex64* a, int lda, float* w, complex64* work, int lwork,
          float* rwork, int lrwork, int* iwork, int liwork);
int heevd(char jobz, char uplo, int n, complex128* a, int lda, double* w, complex128* work, int lwork,
          double* rwork, int lrwork, int* iwork, int liwork);

// General eigenproblem, right vectors only (jobvr 'V' or 'N'). Real types give
// eigenvalues as wr + i wi and conjugate pairs of vectors as two real columns;
// complex types give w and vr directly (rwork: 2n).
int geev(char jobvr, int n, float* a, int lda, float* wr, float* wi, float* vr, int ldvr, float* work,
         int lwork);
int geev(char jobvr, int n, double* a, int lda, double* wr, double* wi, double* vr, int ldvr, double* work,
         int lwork);
int geev(char jobvr, int n, complex64* a, int lda, complex64* w, complex64* vr, int ldvr, complex64* work,
         int lwork, float* rwork);
int geev(char jobvr, int n, complex128* a, int lda, complex128* w, complex128* vr, int ldvr,
         complex128* work, int lwork, double* rwork);

// Singular values (descending) and, with jobz 'A' or 'S', vectors (divide and
// conquer, ?gesdd). iwork: 8 min(m, n); rwork only for complex types.
int gesdd(char jobz, int m, int n, float* a, int lda, float* s, float* u, int ldu, float* vt, int ldvt,
          float* work, int lwork, float* rwork, int* iwork);
int gesdd(char jobz, int m, int n, double* a, int lda, double* s, double* u, int ldu, double* vt, int ldvt,
          double* work, int lwork, double* rwork, int* iwork);
int gesdd(char jobz, int m, int n, complex64* a, int lda, float* s, complex64* u, int ldu, complex64* vt,
          int ldvt, complex64* work, int lwork, float* rwork, int* iwork);
int gesdd(char jobz, int m, int n, complex128* a, int lda, double* s, complex128* u, int ldu, complex128* vt,
          int ldvt, complex128* work, int lwork, double* rwork, int* iwork);

// QR: ?geqrf (R above the diagonal, reflectors below, tau) and ?orgqr/?ungqr
// (the first n columns of Q from k reflectors).
int geqrf(int m, int n, float* a, int lda, float* tau, float* work, int lwork);
int geqrf(int m, int n, double* a, int lda, double* tau, double* work, int lwork);
int geqrf(int m, int n, complex64* a, int lda, complex64* tau, complex64* work, int lwork);
int geqrf(int m, int n, complex128* a, int lda, complex128* tau, complex128* work, int lwork);
int orgqr(int m, int n, int k, float* a, int lda, const float* tau, float* work, int lwork);
int orgqr(int m, int n, int k, double* a, int lda, const double* tau, double* work, int lwork);
int orgqr(int m, int n, int k, complex64* a, int lda, const complex64* tau, complex64* work, int lwork);
int orgqr(int m, int n, int k, complex128* a, int lda, const complex128* tau, complex128* work, int lwork);

// Small matrices: LU with partial pivoting written here, the right-looking
// algorithm of LAPACK's ?getf2 (pivot: the first largest |re| + |im|, the
// column scaled by the pivot's reciprocal), without the library's per-call
// cost, which dominated batches of tiny matrices (ops/lapack.cpp uses these
// up to its kSmallLU, with the measurement that chose it). Same INFO as getrf.
int small_getrf(int n, float* a, int* ipiv);
int small_getrf(int n, double* a, int* ipiv);
int small_getrf(int n, complex64* a, int* ipiv);
int small_getrf(int n, complex128* a, int* ipiv);
// Small matrices: Cholesky written here (?potf2's column order, in float64),
// without potrf's per-call cost (ops/lapack.cpp's kSmallCholesky). Same
// arguments (lda n) and INFO as potrf.
int small_potrf(char uplo, int n, float* a);
int small_potrf(char uplo, int n, double* a);
// Small matrices: QR written here, ?geqr2's Householder reflectors and
// ?org2r's Q (the conventions of geqrf / orgqr: R's diagonal may be negative),
// each dot product in float64 (ops/lapack.cpp's kSmallQR). lda m.
void small_geqrf(int m, int n, float* a, float* tau);
void small_geqrf(int m, int n, double* a, double* tau);
void small_orgqr(int m, int n, int k, float* a, const float* tau);
void small_orgqr(int m, int n, int k, double* a, const double* tau);
// Solves with such a factorisation (lda = ldb = n): b (n x nrhs) becomes X.
void small_getrs(int n, int nrhs, const float* lu, const int* ipiv, float* b);
void small_getrs(int n, int nrhs, const double* lu, const int* ipiv, double* b);
void small_getrs(int n, int nrhs, const complex64* lu, const int* ipiv, complex64* b);
void small_getrs(int n, int nrhs, const complex128* lu, const int* ipiv, complex128* b);

// Singular values of a small m x n matrix (m >= n, n <= 64; column-major, lda m),
// unsorted, by one-sided Jacobi (Hestenes): column pairs rotated until every
// pair is orthogonal to double precision; s_j is then the norm of column j.
// For batches of tiny matrices, where gesdd's per-call cost dominated
// (ops/lapack.cpp uses it up to kSmallSVD, with the measurement that chose
// it). Computed in `work` (m * n elements; float64 for float32 input, x87
// long double for float64: rounding in double left results ~3-5 eps * max sigma
// off against mpmath where gesdd is ~1.5) on a copy scaled by a power of
// two, so no square overflows.
// Returns 0; -1 when a holds NaN (s untouched); an infinity gives NaNs, as gesdd.
int small_singular_values(int m, int n, const float* a, double* work, float* s);
int small_singular_values(int m, int n, const double* a, long double* work, double* s);
int small_singular_values(int m, int n, const complex64* a, complex128* work, float* s);
int small_singular_values(int m, int n, const complex128* a, std::complex<long double>* work, double* s);

// Batches of small real matrices by Jacobi, kSmallLanes matrices at a time in
// lockstep (kernels/simd_jacobi.*: the matrices are a vector's lanes), in
// float64: for batches of small matrices, where LAPACK's per-call cost
// dominated (ops/lapack.cpp chooses the sizes, with the measurements). Input:
// `count` <= kSmallLanes consecutive n x n column-major matrices (n <= 64).
// work: 2 n * n * kSmallLanes. Each returns a mask of the matrices holding NaN
// or infinity (bit l: matrix l), for which nothing is written: the caller
// takes LAPACK's path, and its answer.
constexpr int kSmallLanes = 8;  // simd::jacobi::kLanes

// Eigenvalues (ascending; w: count * n) and, where v is not null, orthonormal
// eigenvectors (columns; v: count * n * n) of the symmetric matrices in the
// lower triangles, by cyclic two-sided Jacobi. Eigenvalues within a few
// eps ||A|| of LAPACK's.
unsigned small_eigh(int n, int count, const float* a, double* work, float* w, float* v);
unsigned small_eigh(int n, int count, const double* a, double* work, double* w, double* v);

// Singular values (descending; s: count * n) and, where u is not null, vectors
// (u and vt = V^T: count * n * n, column-major) of square matrices, by
// one-sided Jacobi with V accumulated. Values within ~5 eps ||A|| for float64
// (jacobi_values' long double path: ~1.5, ~3x slower).
unsigned small_svd(int n, int count, const float* a, double* work, float* s, float* u, float* vt);
unsigned small_svd(int n, int count, const double* a, double* work, double* s, double* u, double* vt);

}  // namespace trueno::kernels::lapack

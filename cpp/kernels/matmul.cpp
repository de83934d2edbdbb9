#include "kernels/matmul.h"

#include <climits>
#include <cstring>

#include "kernels/scalar_math.h"
#include "kernels/simd_matmul.h"
#ifdef TRUENO_HAVE_OPENBLAS
#include <cblas.h>
#endif

namespace trueno::kernels {

namespace {
// i-k-j order: the inner loop streams rows of b and out, which vectorises.
// Integer products wrap like every integer operation.
template <class T>
void matmul_one(const T* a, const T* b, T* out, int64_t m, int64_t k, int64_t n) {
  for (int64_t i = 0; i < m * n; ++i) out[i] = T(0);
  for (int64_t i = 0; i < m; ++i) {
    T* row = out + i * n;
    for (int64_t p = 0; p < k; ++p) {
      const T aip = a[i * k + p];
      const T* brow = b + p * n;
      for (int64_t j = 0; j < n; ++j) row[j] = math::Add::apply(row[j], math::Multiply::apply(aip, brow[j]));
    }
  }
}

// A batch of S x S products with the sizes known: matmul_one unrolled, no BLAS
// call per matrix (10,000 sgemm calls on 3x3 matrices cost ~35 ns each, 4x the
// arithmetic).
// Sums in matmul_one's order, into registers (no aliasing checks between out and
// the operands: they made the 4x4 loop 4x slower than the 3x3 one).
template <class T, int64_t S>
void matmul_square_batch(const char* a, const char* b, char* out, int64_t batch) {
  constexpr int64_t kSize = S * S * int64_t(sizeof(T));
  for (int64_t i = 0; i < batch; ++i, a += kSize, b += kSize, out += kSize) {
    T x[S * S], y[S * S], acc[S * S];
    std::memcpy(x, a, kSize);
    std::memcpy(y, b, kSize);
    for (int64_t e = 0; e < S * S; ++e) acc[e] = T(0);
    for (int64_t r = 0; r < S; ++r)
      for (int64_t p = 0; p < S; ++p)
        for (int64_t c = 0; c < S; ++c)
          acc[r * S + c] = math::Add::apply(acc[r * S + c], math::Multiply::apply(x[r * S + p], y[p * S + c]));
    std::memcpy(out, acc, kSize);
  }
}
}  // namespace

#ifdef TRUENO_HAVE_OPENBLAS
namespace {
// One BLAS thread: trueno's threading is opt-in and off by default.
const bool kBlasSingleThreaded = [] {
  scipy_openblas_set_num_threads(1);
  return true;
}();

// Row-major C = A B through ?gemm, for each batch; false when BLAS cannot
// take it (integer dtypes, dimensions beyond the 32-bit BLAS interface).
bool blas_matmul(DType dtype, const MatrixOperand& a, const MatrixOperand& b, char* out, int64_t batch,
                 int64_t m, int64_t k, int64_t n) {
  if (m > INT_MAX || k > INT_MAX || n > INT_MAX || m == 0 || n == 0 || k == 0) return false;
  if (a.ld > INT_MAX || b.ld > INT_MAX) return false;
  const blasint M = static_cast<blasint>(m), N = static_cast<blasint>(n), K = static_cast<blasint>(k);
  const blasint lda = static_cast<blasint>(a.ld), ldb = static_cast<blasint>(b.ld);
  const CBLAS_TRANSPOSE ta = a.transposed ? CblasTrans : CblasNoTrans;
  const CBLAS_TRANSPOSE tb = b.transposed ? CblasTrans : CblasNoTrans;
  const size_t isz = itemsize(dtype);
  for (int64_t i = 0; i < batch; ++i) {
    const void* A = a.data + i * a.batch_stride;
    const void* B = b.data + i * b.batch_stride;
    void* C = out + i * m * n * isz;
    switch (dtype) {
      case DType::Float32:
        scipy_cblas_sgemm(CblasRowMajor, ta, tb, M, N, K, 1.0f, static_cast<const float*>(A), lda,
                          static_cast<const float*>(B), ldb, 0.0f, static_cast<float*>(C), N);
        break;
      case DType::Float64:
        scipy_cblas_dgemm(CblasRowMajor, ta, tb, M, N, K, 1.0, static_cast<const double*>(A), lda,
                          static_cast<const double*>(B), ldb, 0.0, static_cast<double*>(C), N);
        break;
      case DType::Complex64: {
        const complex64 one(1), zero(0);
        scipy_cblas_cgemm(CblasRowMajor, ta, tb, M, N, K, &one, A, lda, B, ldb, &zero, C, N);
        break;
      }
      case DType::Complex128: {
        const complex128 one(1), zero(0);
        scipy_cblas_zgemm(CblasRowMajor, ta, tb, M, N, K, &one, A, lda, B, ldb, &zero, C, N);
        break;
      }
      default:
        return false;
    }
  }
  return true;
}
}  // namespace
#endif

bool matmul_strided_blas(DType dtype, const MatrixOperand& a, const MatrixOperand& b, char* out,
                         int64_t m, int64_t k, int64_t n) {
#ifdef TRUENO_HAVE_OPENBLAS
  return in_category(dtype, kFloating) && blas_matmul(dtype, a, b, out, 1, m, k, n);
#else
  (void)dtype, (void)a, (void)b, (void)out, (void)m, (void)k, (void)n;
  return false;
#endif
}

void matmul_batched(DType dtype, const char* a, const char* b, char* out, int64_t batch, int64_t m,
                    int64_t k, int64_t n) {
  if (batch > 1 && m == k && k == n && (m == 2 || m == 3 || m == 4) &&
      (dtype == DType::Float32 || dtype == DType::Float64)) {
    auto run = [&](auto tag) {
      using T = decltype(tag);
      if (m == 2) {
        matmul_square_batch<T, 2>(a, b, out, batch);
      } else if (m == 3) {
        matmul_square_batch<T, 3>(a, b, out, batch);
      } else if constexpr (std::is_same_v<T, float>) {
        simd::MatmulSquare4F32(reinterpret_cast<const float*>(a), reinterpret_cast<const float*>(b),
                               reinterpret_cast<float*>(out), static_cast<size_t>(batch));
      } else {
        simd::MatmulSquare4F64(reinterpret_cast<const double*>(a), reinterpret_cast<const double*>(b),
                               reinterpret_cast<double*>(out), static_cast<size_t>(batch));
      }
    };
    if (dtype == DType::Float32) run(float{});
    else run(double{});
    return;
  }
#ifdef TRUENO_HAVE_OPENBLAS
  (void)kBlasSingleThreaded;
  const MatrixOperand ma{a, m * k * int64_t(itemsize(dtype)), k, false};
  const MatrixOperand mb{b, k * n * int64_t(itemsize(dtype)), n, false};
  if (in_category(dtype, kFloating) && blas_matmul(dtype, ma, mb, out, batch, m, k, n)) return;
#endif
  visit_dtype(dtype, [&](auto tag) {
    using T = decltype(tag);
    if constexpr (!std::is_same_v<T, bool>) {
      for (int64_t i = 0; i < batch; ++i)
        matmul_one(reinterpret_cast<const T*>(a) + i * m * k, reinterpret_cast<const T*>(b) + i * k * n,
                   reinterpret_cast<T*>(out) + i * m * n, m, k, n);
    }
  });
}

}  // namespace trueno::kernels

#include "kernels/matmul.h"

#include <cstring>

#include "kernels/scalar_math.h"

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
}  // namespace

void matmul_batched(DType dtype, const char* a, const char* b, char* out, int64_t batch, int64_t m,
                    int64_t k, int64_t n) {
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

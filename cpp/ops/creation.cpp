#include "ops/creation.h"

#include <cmath>
#include <cstring>
#include <string>

#include "core/errors.h"
#include "ops/copy.h"

namespace trueno {

Array full(const Shape& shape, const Array& fill_value, DType dtype, const char* func) {
  Array out = make_empty(shape, dtype, func);
  copy_into(out, fill_value, func);
  return out;
}

namespace {
// Every value of arange lies between its first and its last, so an integer
// dtype holds them all when it holds those two. (NumPy 2 checks the first
// only, and wraps the rest: arange(0, 300, 100, dtype=int8) ends in -56.)
void check_ends_fit(const Scalar& first, const Scalar& last, DType dtype) {
  if (scalar_fits(first, dtype) && scalar_fits(last, dtype)) return;
  throw OverflowError("arange(): the values run from " + scalar_repr(first) + " to " + scalar_repr(last) +
                      ", beyond the range of " + dtype_name(dtype));
}
}  // namespace

Array arange_int(int64_t start, int64_t stop, int64_t step, DType dtype) {
  if (step == 0) throw ValueError("arange(): step must not be zero");
  __int128 span = static_cast<__int128>(stop) - start;
  // ceil(span / step), and 0 when the range runs the other way.
  __int128 n = 0;
  if (step > 0 && span > 0) n = (span + step - 1) / step;
  if (step < 0 && span < 0) n = (span + step + 1) / step;
  if (n > (static_cast<__int128>(1) << 62)) throw ValueError("arange(): too many elements");
  if (n > 0) {
    // (within int64: the last value lies between start and stop)
    const int64_t last = static_cast<int64_t>(start + (n - 1) * static_cast<__int128>(step));
    check_ends_fit(Scalar{Scalar::Int, false, start}, Scalar{Scalar::Int, false, last}, dtype);
  }
  Array out = make_empty({static_cast<int64_t>(n)}, dtype, "arange");
  visit_dtype(dtype, [&](auto tag) {
    using T = decltype(tag);
    T* p = reinterpret_cast<T*>(out.data);
    for (int64_t i = 0; i < static_cast<int64_t>(n); ++i)
      p[i] = cast_value<T>(static_cast<int64_t>(start + static_cast<__int128>(i) * step));
  });
  return out;
}

Array arange_float(double start, double stop, double step, DType dtype) {
  if (step == 0) throw ValueError("arange(): step must not be zero");
  if (!std::isfinite(start) || !std::isfinite(stop) || !std::isfinite(step))
    throw ValueError("arange(): start, stop and step must be finite");
  double len = std::ceil((stop - start) / step);
  if (!(len > 0)) len = 0;
  if (len > 9.2e18) throw ValueError("arange(): too many elements");
  if (len > 0) {
    Scalar first{Scalar::Float}, last{Scalar::Float};
    first.f = start;
    last.f = start + (static_cast<int64_t>(len) - 1) * step;  // as the loop below computes it
    check_ends_fit(first, last, dtype);
  }
  Array out = make_empty({static_cast<int64_t>(len)}, dtype, "arange");
  visit_dtype(dtype, [&](auto tag) {
    using T = decltype(tag);
    T* p = reinterpret_cast<T*>(out.data);
    for (int64_t i = 0; i < static_cast<int64_t>(len); ++i) p[i] = cast_value<T>(start + i * step);
  });
  return out;
}

Array linspace(complex128 start, complex128 stop, int64_t num, bool endpoint, DType dtype) {
  if (num < 0) throw ValueError("linspace(): num must be non-negative, got " + std::to_string(num));
  Array out = make_empty({num}, dtype, "linspace");
  int64_t div = endpoint ? num - 1 : num;
  complex128 step = div > 0 ? (stop - start) / static_cast<double>(div) : complex128(0);
  visit_dtype(dtype, [&](auto tag) {
    using T = decltype(tag);
    T* p = reinterpret_cast<T*>(out.data);
    for (int64_t i = 0; i < num; ++i) {
      complex128 v = start + step * static_cast<double>(i);
      if constexpr (is_complex_v<T>) p[i] = cast_value<T>(v);
      else p[i] = cast_value<T>(v.real());
    }
    if (endpoint && num > 1) {
      if constexpr (is_complex_v<T>) p[num - 1] = cast_value<T>(stop);
      else p[num - 1] = cast_value<T>(stop.real());
    }
  });
  return out;
}

Array eye(int64_t rows, int64_t cols, int64_t k, DType dtype) {
  Array out = make_empty({rows, cols}, dtype, "eye");
  std::memset(out.data, 0, out.nbytes());
  visit_dtype(dtype, [&](auto tag) {
    using T = decltype(tag);
    T* p = reinterpret_cast<T*>(out.data);
    // Only the rows the diagonal crosses: eye(2**40, 0) looped 2**40 times.
    // (Neither -k nor i + k may overflow: k is any int64.)
    int64_t first = k >= 0 ? 0 : (k < -rows ? rows : -k);
    for (int64_t i = first; i < rows && k < cols - i; ++i) {
      int64_t j = i + k;
      p[i * cols + j] = cast_value<T>(1);
    }
  });
  return out;
}

Array tri_mask(const Array& x, int64_t k, bool lower) {
  const char* func = lower ? "tril" : "triu";
  if (x.ndim() < 2) throw ValueError(std::string(func) + "(): x must have at least 2 dimensions");
  Array out = as_contiguous(x, true, func);
  int64_t rows = x.shape[x.ndim() - 2], cols = x.shape[x.ndim() - 1];
  int64_t batch = rows * cols == 0 ? 0 : out.size() / (rows * cols);
  size_t isz = out.itemsize();
  for (int64_t b = 0; b < batch; ++b)
    for (int64_t i = 0; i < rows; ++i)
      for (int64_t j = 0; j < cols; ++j) {
        bool keep = lower ? (j - i <= k) : (j - i >= k);
        if (!keep) std::memset(out.data + ((b * rows + i) * cols + j) * isz, 0, isz);
      }
  return out;
}

}  // namespace trueno

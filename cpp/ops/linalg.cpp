#include "ops/linalg.h"

#include <algorithm>
#include <string>
#include <vector>

#include "core/errors.h"
#include "core/iteration.h"
#include "core/threading.h"
#include "kernels/dot.h"
#include "kernels/matmul.h"
#include "kernels/reduction.h"
#include "ops/copy.h"
#include "ops/creation.h"
#include "ops/elementwise.h"
#include "ops/lapack.h"
#include "ops/manipulation.h"
#include "ops/reduction.h"

namespace trueno {

Array matmul(const Array& x1, const Array& x2) {
  if (x1.ndim() == 0 || x2.ndim() == 0)
    throw ValueError("matmul(): operands must have at least one dimension");
  DType dtype = promote_or_throw(x1.dtype, x2.dtype, "matmul");
  if (!in_category(dtype, kNumeric))
    throw TypeError("matmul(): operands must have numeric data types, got " +
                    std::string(dtype_name(dtype)));
  // 1-D operands become matrices, and the added axis is dropped afterwards.
  Array a = x1.ndim() == 1 ? expand_dims(x1, {0}) : x1;
  Array b = x2.ndim() == 1 ? expand_dims(x2, {-1}) : x2;
  int64_t m = a.shape[a.ndim() - 2], k = a.shape[a.ndim() - 1];
  int64_t k2 = b.shape[b.ndim() - 2], n = b.shape[b.ndim() - 1];
  if (k != k2)
    throw ValueError("matmul(): contracted dimensions differ: " + shape_str(x1.shape) + " @ " +
                     shape_str(x2.shape));
  Shape batch = broadcast_shapes(Shape(a.shape.begin(), a.shape.end() - 2),
                                 Shape(b.shape.begin(), b.shape.end() - 2), "matmul");
  Shape sa = batch, sb = batch, so = batch;
  sa.insert(sa.end(), {m, k});
  sb.insert(sb.end(), {k, n});
  so.insert(so.end(), {m, n});
  // 1-D operands lose the axis they gained.
  auto finish = [&](const Array& out) {
    if (x1.ndim() != 1 && x2.ndim() != 1) return out;
    Shape final_shape = batch;
    if (x1.ndim() != 1) final_shape.push_back(m);
    if (x2.ndim() != 1) final_shape.push_back(n);
    return reshape(out, final_shape, std::nullopt);
  };
  // The kernels take C-contiguous operands of the full batch shape; copy
  // (and cast, and broadcast) only when an operand is not one already.
  int64_t nbatch = 1;
  for (int64_t d : batch) nbatch *= d;
  // Multiply-adds, as the measure of the work (they saturate: it is a threshold).
  const double work = double(nbatch) * double(m) * double(n) * double(std::max<int64_t>(k, 1));
  LongKernelScope without_gil(work > 1e18 ? int64_t(1e18) : int64_t(work));
  // A single matrix whose rows or columns are unit-stride (a slice, or a
  // transposed view such as W.T) goes to BLAS as it lies: copying W.T first
  // cost 20x the product itself.
  auto blas_operand = [&](const Array& x, int64_t rows, int64_t cols, kernels::MatrixOperand* op) {
    if (x.dtype != dtype || x.ndim() != 2) return false;
    const int64_t isz = static_cast<int64_t>(itemsize(dtype));
    const int64_t rs = x.shape[0] == 1 ? std::max<int64_t>(cols, 1) * isz : x.strides[0];
    const int64_t cs = x.shape[1] == 1 ? std::max<int64_t>(rows, 1) * isz : x.strides[1];
    if (cs == isz && rs > 0 && rs % isz == 0 && rs / isz >= std::max<int64_t>(cols, 1)) {
      *op = {x.data, 0, rs / isz, false};
      return true;
    }
    if (rs == isz && cs > 0 && cs % isz == 0 && cs / isz >= std::max<int64_t>(rows, 1)) {
      *op = {x.data, 0, cs / isz, true};
      return true;
    }
    return false;
  };
  if (nbatch == 1 && a.ndim() == 2 && b.ndim() == 2) {
    kernels::MatrixOperand oa{}, ob{};
    if (blas_operand(a, m, k, &oa) && blas_operand(b, k, n, &ob)) {
      Array out = make_empty(so, dtype, "matmul");
      if (kernels::matmul_strided_blas(dtype, oa, ob, out.data, m, k, n)) return finish(out);
    }
  }
  // A batch of such matrices (attention's scores against a transposed key
  // cache, q.T @ k): BLAS per matrix at its own offset, no packed copies.
  auto is_packed = [&](const Array& x, const Shape& full) {
    return x.dtype == dtype && x.shape == full && x.is_c_contiguous();
  };
  if (nbatch > 1 && a.dtype == dtype && b.dtype == dtype && !(is_packed(a, sa) && is_packed(b, sb))) {
    auto matrix = [](const Array& x) {
      const int nd = x.ndim();
      return x.view(Shape{x.shape[nd - 2], x.shape[nd - 1]}, Shape{x.strides[nd - 2], x.strides[nd - 1]}, x.data);
    };
    kernels::MatrixOperand oa{}, ob{};
    if (blas_operand(matrix(a), m, k, &oa) && blas_operand(matrix(b), k, n, &ob)) {
      auto batch_strides = [&](const Array& x) {
        Array batch_view = x.view(Shape(x.shape.begin(), x.shape.end() - 2),
                                  Shape(x.strides.begin(), x.strides.end() - 2), x.data);
        return broadcast_strides(batch_view, batch, "matmul");
      };
      const Shape stride_a = batch_strides(a), stride_b = batch_strides(b);
      Array out = make_empty(so, dtype, "matmul");
      const int64_t out_step = m * n * static_cast<int64_t>(itemsize(dtype));
      std::vector<int64_t> index(batch.size(), 0);
      bool done = true;
      for (int64_t i = 0; i < nbatch && done; ++i) {
        kernels::MatrixOperand ai = oa, bi = ob;
        for (size_t d = 0; d < batch.size(); ++d) {
          ai.data += index[d] * stride_a[d];
          bi.data += index[d] * stride_b[d];
        }
        done = kernels::matmul_strided_blas(dtype, ai, bi, out.data + i * out_step, m, k, n);
        for (size_t d = batch.size(); d-- > 0;) {
          if (++index[d] < batch[d]) break;
          index[d] = 0;
        }
      }
      if (done) return finish(out);  // (BLAS refuses all or none: the dtype and sizes decide)
    }
  }
  auto packed = [&](const Array& x, const Shape& full) {
    if (is_packed(x, full)) return x;
    Array c = make_empty(full, dtype, "matmul");
    copy_into(c, x, "matmul");
    return c;
  };
  Array ca = packed(a, sa);
  Array cb = packed(b, sb);
  Array out = make_empty(so, dtype, "matmul");
  kernels::matmul_batched(dtype, ca.data, cb.data, out.data, nbatch, m, k, n);
  return finish(out);
}

namespace {
// s without its entry ax (the vector axis of vecdot and cross: the rest is the batch).
Shape without(const Shape& s, int ax) {
  Shape r;
  for (int i = 0; i < static_cast<int>(s.size()); ++i)
    if (i != ax) r.push_back(s[i]);
  return r;
}
}  // namespace

Array vecdot(const Array& x1, const Array& x2, int64_t axis) {
  DType dtype = promote_or_throw(x1.dtype, x2.dtype, "vecdot");
  if (!in_category(x1.dtype, kNumeric) || !in_category(x2.dtype, kNumeric))
    throw TypeError("vecdot(): x1 and x2 must have numeric data types, got " +
                    std::string(dtype_name(x1.dtype)) + " and " + dtype_name(x2.dtype));
  if (x1.ndim() == 0 || x2.ndim() == 0)
    throw ValueError("vecdot(): x1 and x2 must have at least one dimension");
  if (axis >= 0) {
    if (x1.ndim() != x2.ndim() || axis >= x1.ndim())
      throw ValueError("vecdot(): axis " + std::to_string(axis) + " is invalid for arrays with " +
                       std::to_string(x1.ndim()) + " and " + std::to_string(x2.ndim()) +
                       " dimensions (use a negative axis)");
    axis -= x1.ndim();
  } else if (axis < -std::min(x1.ndim(), x2.ndim())) {
    throw AxisError("vecdot(): axis " + std::to_string(axis) + " is out of bounds for arrays with " +
                    std::to_string(x1.ndim()) + " and " + std::to_string(x2.ndim()) + " dimensions");
  }
  int a1 = x1.ndim() + static_cast<int>(axis), a2 = x2.ndim() + static_cast<int>(axis);
  int64_t k = x1.shape[a1];
  if (x2.shape[a2] != k)
    throw ValueError("vecdot(): the contracted axis has size " + std::to_string(k) + " in x1 but " +
                     std::to_string(x2.shape[a2]) + " in x2");
  LongKernelScope without_gil(std::max(x1.size(), x2.size()));
  Array c1 = cast_if_needed(x1, dtype, "vecdot");
  Array c2 = cast_if_needed(x2, dtype, "vecdot");
  // The batch: every axis but the vector axis, broadcast together.
  Array b1 = c1.view(without(c1.shape, a1), without(c1.strides, a1), c1.data);
  Array b2 = c2.view(without(c2.shape, a2), without(c2.strides, a2), c2.data);
  Shape batch = broadcast_shapes(b1.shape, b2.shape, "vecdot");
  Array out = make_empty(batch, dtype, "vecdot");
  kernels::DotContext ctx{k, c1.strides[a1], c2.strides[a2]};
  Shape s1 = broadcast_strides(b1, batch, "vecdot"), s2 = broadcast_strides(b2, batch, "vecdot");
  char* data[3] = {b1.data, b2.data, out.data};
  const Shape* strides[3] = {&s1, &s2, &out.strides};
  for_each_strided(kernels::dot_loop(dtype), &ctx, 3, data, strides, batch);
  return out;
}

namespace {
// Runs f, renaming the function at the head of its errors' messages to func:
// "sum(): cannot allocate ..." would send the user looking for a call they never wrote.
template <class F> Array reporting_as(const char* func, F&& f) {
  auto renamed = [func](const std::exception& e) {
    std::string m = e.what();
    size_t head = m.find("(): ");
    return std::string(func) + "(): " + (head == std::string::npos ? m : m.substr(head + 4));
  };
  try {
    return f();
  } catch (const AxisError& e) {
    throw AxisError(renamed(e));
  } catch (const ValueError& e) {
    throw ValueError(renamed(e));
  } catch (const MemoryError& e) {
    throw MemoryError(renamed(e));
  } catch (const OverflowError& e) {
    throw OverflowError(renamed(e));
  } catch (const IndexError& e) {
    throw IndexError(renamed(e));
  }
}
}  // namespace

Array trace(const Array& x, int64_t offset, std::optional<DType> dtype) {
  const char* func = "linalg.trace";
  require_matrix(x, func, "x", /*square=*/false);
  Array d = matrix_diagonal(x, offset, func);
  const DType result = dtype                                   ? *dtype
                       : in_category(x.dtype, kUnsignedInt)    ? DType::UInt64
                       : in_category(x.dtype, kSignedInt | kBool) ? kDefaultInt
                                                                : x.dtype;
  if (in_category(d.dtype, kComplexFloat) && !in_category(result, kComplexFloat))
    d = reporting_as(func, [&] { return apply_unary(elementwise_function("real"), d); });
  // Same dtype, or integers widened while summed (as `sum` does): the loop
  // straight over the diagonal view, without sum's axis and cast machinery.
  kernels::ReduceKind kind = kernels::ReduceKind::Sum;
  if (d.dtype != result) {
    const bool widen = (in_category(d.dtype, kSignedInt | kBool) && result == kDefaultInt) ||
                       (in_category(d.dtype, kUnsignedInt) && result == DType::UInt64);
    if (!widen)  // (sum casts block by block)
      return reporting_as(func, [&] { return reduce(Reduction::Sum, d, std::vector<int>{d.ndim() - 1}, false, result); });
    kind = kernels::ReduceKind::SumWide;
  }
  const int64_t block[2] = {d.shape.back(), d.strides.back()};
  Shape batch(d.shape.begin(), d.shape.end() - 1), in_strides(d.strides.begin(), d.strides.end() - 1);
  Array out = make_empty(batch, result, func);
  int64_t count = 1;
  for (int64_t n : batch) count *= n;
  LongKernelScope without_gil(count * std::max<int64_t>(block[0], 1));
  char* data[2] = {d.data, out.data};
  const Shape* strides[2] = {&in_strides, &out.strides};
  for_each_strided(kernels::block_sum_loop(kind, d.dtype), block, 2, data, strides, batch);
  return out;
}

Array cross(const Array& x1, const Array& x2, int64_t axis) {
  const char* func = "linalg.cross";
  auto promoted = promote_types(x1.dtype, x2.dtype);
  if (!promoted)
    throw TypeError(std::string(func) + "(): no type promotion between " + dtype_name(x1.dtype) + " and " +
                    dtype_name(x2.dtype));
  const DType dtype = *promoted;
  if (dtype == DType::Bool) throw TypeError("linalg.cross(): x1 and x2 must have numeric data types, got bool");
  const int a1 = x1.ndim() + static_cast<int>(axis), a2 = x2.ndim() + static_cast<int>(axis);
  if (x1.shape[a1] != 3 || x2.shape[a2] != 3)
    throw ValueError("linalg.cross(): the axis must have size 3 in both arrays, got " +
                     std::to_string(x1.shape[a1]) + " and " + std::to_string(x2.shape[a2]));
  Shape full;
  try {
    full = broadcast_shapes(x1.shape, x2.shape, func);
  } catch (const ValueError&) {
    throw ValueError("linalg.cross(): shapes " + shape_str(x1.shape) + " and " + shape_str(x2.shape) +
                     " cannot be broadcast");
  }
  return reporting_as(func, [&] {
    Array c1 = cast_if_needed(x1, dtype, func);
    Array c2 = cast_if_needed(x2, dtype, func);
    Array out = make_empty(full, dtype, func);
    const int ao = out.ndim() + static_cast<int>(axis);
    // The batch: every axis but the vector axis, broadcast together.
    Array b1 = c1.view(without(c1.shape, a1), without(c1.strides, a1), c1.data);
    Array b2 = c2.view(without(c2.shape, a2), without(c2.strides, a2), c2.data);
    Shape batch = without(out.shape, ao), so = without(out.strides, ao);
    Shape s1 = broadcast_strides(b1, batch, func), s2 = broadcast_strides(b2, batch, func);
    const int64_t step[3] = {c1.strides[a1], c2.strides[a2], out.strides[ao]};
    LongKernelScope without_gil(out.size());
    char* data[3] = {b1.data, b2.data, out.data};
    const Shape* strides[3] = {&s1, &s2, &so};
    for_each_strided(kernels::cross_loop(dtype), step, 3, data, strides, batch);
    return out;
  });
}

Array outer(const Array& x1, const Array& x2) {
  if (x1.ndim() != 1 || x2.ndim() != 1)
    throw ValueError("linalg.outer(): x1 and x2 must be 1-D, got " + std::to_string(x1.ndim()) + "-D and " +
                     std::to_string(x2.ndim()) + "-D");
  if (x1.dtype == DType::Bool) throw TypeError("linalg.outer(): x1 must have a numeric data type, got bool");
  if (x2.dtype == DType::Bool) throw TypeError("linalg.outer(): x2 must have a numeric data type, got bool");
  Array column = x1.view(Shape{x1.shape[0], 1}, Shape{x1.strides[0], 0}, x1.data);
  Array row = x2.view(Shape{1, x2.shape[0]}, Shape{0, x2.strides[0]}, x2.data);
  return apply_binary(elementwise_function("multiply"), column, row);
}

Array matrix_power(const Array& x, bool negative, const std::vector<bool>& bits) {
  const char* func = "linalg.matrix_power";
  const DType dtype = float_dtype(x.dtype, func, "x");
  require_matrix(x, func, "x", /*square=*/true);
  const int64_t m = x.shape[x.ndim() - 1];
  if (bits.empty()) {  // identities
    Array out = make_empty(x.shape, dtype, func);
    copy_into(out, eye(m, m, 0, dtype), func);
    return out;
  }
  Array a = cast_if_needed(x, dtype, func);
  if (negative) a = linalg_inv(a, func);
  if (bits.size() == 1) return a.data == x.data ? astype_copy(x, dtype, func) : a;
  std::optional<Array> z, result;
  for (bool bit : bits) {
    z = z ? matmul(*z, *z) : a;
    if (bit) result = result ? matmul(*result, *z) : *z;
  }
  return *result;  // (the highest bit is set: never x itself, a product)
}

}  // namespace trueno

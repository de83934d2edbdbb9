#include "ops/linalg.h"

#include <string>

#include "core/errors.h"
#include "core/iteration.h"
#include "kernels/matmul.h"
#include "ops/copy.h"
#include "ops/manipulation.h"

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
  // The kernels take C-contiguous operands of the full batch shape; copy
  // (and cast, and broadcast) only when an operand is not one already.
  auto packed = [&](const Array& x, const Shape& full) {
    if (x.dtype == dtype && x.shape == full && x.is_c_contiguous()) return x;
    Array c = make_empty(full, dtype, "matmul");
    copy_into(c, x, "matmul");
    return c;
  };
  Array ca = packed(a, sa);
  Array cb = packed(b, sb);
  Array out = make_empty(so, dtype, "matmul");
  int64_t nbatch = 1;
  for (int64_t d : batch) nbatch *= d;
  kernels::matmul_batched(dtype, ca.data, cb.data, out.data, nbatch, m, k, n);
  if (x1.ndim() == 1 || x2.ndim() == 1) {
    Shape final_shape = batch;
    if (x1.ndim() != 1) final_shape.push_back(m);
    if (x2.ndim() != 1) final_shape.push_back(n);
    return reshape(out, final_shape, std::nullopt);
  }
  return out;
}

}  // namespace trueno

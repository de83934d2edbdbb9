#include "core/array.h"

#include <algorithm>
#include <new>

#include "core/errors.h"
#include "ops/copy.h"

namespace trueno {

std::string Device::name() const {
  switch (kind) {
    case CPU: return "cpu";
    case CUDA: return "cuda:" + std::to_string(index);
    default: return "test:" + std::to_string(index);
  }
}

int64_t Array::size() const {
  int64_t n = 1;
  for (int64_t d : shape) n *= d;
  return n;
}

bool Array::is_c_contiguous() const {
  int64_t expected = static_cast<int64_t>(itemsize());
  for (int i = ndim() - 1; i >= 0; --i) {
    if (shape[i] == 0) return true;
    if (shape[i] != 1 && strides[i] != expected) return false;
    expected *= shape[i];
  }
  return true;
}

Array Array::view(Shape new_shape, Shape new_strides, char* new_data) const {
  // Iteration keeps per-dimension state in fixed arrays of kMaxDims entries.
  if (new_shape.size() > static_cast<size_t>(kMaxDims))
    throw ValueError("an array may have at most " + std::to_string(kMaxDims) + " dimensions, got " +
                     std::to_string(new_shape.size()));
  // Every array, a view too, has a byte count within int64, as NumPy's ("array
  // is too big"): nbytes, the buffer protocol and every size formed from it rely on it.
  checked_bytes(new_shape, dtype, "view");
  Array v;
  v.buffer = buffer;
  v.data = new_data;
  v.shape = std::move(new_shape);
  v.strides = std::move(new_strides);
  v.dtype = dtype;
  v.device = device;
  v.readonly = readonly;
  return v;
}

int64_t checked_size(const Shape& shape, const char* func) {
  if (shape.size() > static_cast<size_t>(kMaxDims))
    throw ValueError(std::string(func) + "(): at most " + std::to_string(kMaxDims) +
                     " dimensions are supported, got " + std::to_string(shape.size()));
  int64_t n = 1;
  bool zero = false;
  for (int64_t d : shape) {
    if (d < 0)
      throw ValueError(std::string(func) + "(): negative dimension " + std::to_string(d) +
                       " in shape " + shape_str(shape));
    if (d == 0) zero = true;
  }
  // A zero-size array's other dimensions must multiply within int64 too
  // (NumPy's rule): its strides are computed from them.
  for (int64_t d : shape) {
    if (__builtin_mul_overflow(n, d == 0 ? 1 : d, &n))
      throw ValueError(std::string(func) + "(): shape " + shape_str(shape) +
                       " has more elements than fit in int64");
  }
  return zero ? 0 : n;
}

Shape c_strides(const Shape& shape, size_t itemsize) {
  Shape s(shape.size());
  int64_t acc = static_cast<int64_t>(itemsize);
  for (int i = static_cast<int>(shape.size()) - 1; i >= 0; --i) {
    s[i] = acc;
    acc *= shape[i] > 0 ? shape[i] : 1;
  }
  return s;
}

int64_t checked_bytes(const Shape& shape, DType dtype, const char* func) {
  int64_t n = checked_size(shape, func);
  const int64_t isz = static_cast<int64_t>(trueno::itemsize(dtype));
  int64_t bytes;
  int64_t span = 1;  // the outermost stride's reach, zero-size arrays included
  for (int64_t d : shape) span *= d == 0 ? 1 : d;  // within int64: checked_size
  if (__builtin_mul_overflow(n, isz, &bytes) || __builtin_mul_overflow(span, isz, &span))
    throw ValueError(std::string(func) + "(): shape " + shape_str(shape) + " of " + dtype_name(dtype) +
                     " needs more bytes than fit in int64");
  return bytes;
}

Array make_empty(const Shape& shape, DType dtype, const char* func) {
  const int64_t bytes = checked_bytes(shape, dtype, func);
  const size_t isz = trueno::itemsize(dtype);
  Array a;
  try {
    a.buffer = Buffer::allocate(static_cast<size_t>(bytes));
  } catch (const std::bad_alloc&) {
    throw MemoryError(std::string(func) + "(): cannot allocate " + std::to_string(bytes) +
                      " bytes for an array of shape " + shape_str(shape) + " and dtype " + dtype_name(dtype));
  }
  a.data = a.buffer->data();
  a.shape = shape;
  a.strides = c_strides(shape, isz);
  a.dtype = dtype;
  return a;
}

Array make_empty_shaped_like(const Array& like, DType dtype, const char* func) {
  // `like` exists, so its shape already passed checked_size and its bytes
  // fit; a result with no wider elements fits too: skip the checks.
  size_t isz = trueno::itemsize(dtype);
  if (isz > like.itemsize()) return make_empty(like.shape, dtype, func);
  size_t bytes = static_cast<size_t>(like.size()) * isz;
  Array a;
  try {
    a.buffer = Buffer::allocate(bytes);
  } catch (const std::bad_alloc&) {
    throw MemoryError(std::string(func) + "(): cannot allocate " + std::to_string(bytes) +
                      " bytes for an array of shape " + shape_str(like.shape) + " and dtype " + dtype_name(dtype));
  }
  a.data = a.buffer->data();
  a.shape = like.shape;
  a.strides = c_strides(like.shape, isz);
  a.dtype = dtype;
  return a;
}

Array make_empty_in_layout_of(const Array& like, DType dtype, const char* func) {
  Array out = make_empty(like.shape, dtype, func);
  const int nd = like.ndim();
  if (nd < 2 || like.is_c_contiguous() || out.size() == 0) return out;
  // Axes from the outermost in memory to the innermost; dense when each
  // stride is exactly the span of the axes inside it.
  int order[kMaxDims];
  for (int i = 0; i < nd; ++i) order[i] = i;
  std::stable_sort(order, order + nd, [&](int a, int b) { return like.strides[a] > like.strides[b]; });
  int64_t span = static_cast<int64_t>(like.itemsize());
  for (int i = nd - 1; i >= 0; --i) {
    const int axis = order[i];
    if (like.shape[axis] != 1 && like.strides[axis] != span) return out;
    span *= like.shape[axis];
  }
  int64_t stride = static_cast<int64_t>(out.itemsize());
  for (int i = nd - 1; i >= 0; --i) {
    out.strides[order[i]] = stride;
    stride *= like.shape[order[i]];
  }
  return out;
}

Array as_contiguous(const Array& a, bool force, const char* func) {
  if (!force && a.is_c_contiguous()) return a;
  Array out = make_empty(a.shape, a.dtype, func);
  copy_into(out, a, func);
  return out;
}

int normalize_axis(int64_t axis, int ndim, const char* func, const char* argname) {
  if (axis < -ndim || axis >= ndim)
    throw AxisError(std::string(func) + "(): " + argname + " " + std::to_string(axis) +
                     " is out of bounds for an array of " + std::to_string(ndim) +
                     " dimension" + (ndim == 1 ? "" : "s"));
  return static_cast<int>(axis < 0 ? axis + ndim : axis);
}

std::string shape_str(const Shape& s) {
  std::string r = "(";
  for (size_t i = 0; i < s.size(); ++i) {
    if (i) r += ", ";
    r += std::to_string(s[i]);
  }
  if (s.size() == 1) r += ",";
  return r + ")";
}

}  // namespace trueno

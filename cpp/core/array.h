// The array: a view (shape, byte strides, data pointer) onto a shared Buffer.
//
// Strides are in BYTES, as in NumPy and the buffer protocol, so that views
// of foreign memory and zero-copy export need no conversion. They may be
// negative or zero (broadcast). `data` points at element [0, 0, ..., 0].
#pragma once
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "core/buffer.h"
#include "core/dtype.h"
#include "core/shape.h"

namespace trueno {

constexpr int kMaxDims = 64;

// Where an array lives. Only the CPU computes in C++; other kinds are routed
// to a backend registered for them (the GPU issue).
struct Device {
  enum Kind : int32_t { CPU = 0, CUDA = 1, Test = 2 };
  int32_t kind = CPU;
  int32_t index = 0;
  bool operator==(const Device& o) const { return kind == o.kind && index == o.index; }
  bool operator!=(const Device& o) const { return !(*this == o); }
  std::string name() const;
};

struct Array {
  std::shared_ptr<Buffer> buffer;
  char* data = nullptr;
  Shape shape;
  Shape strides;  // bytes
  DType dtype = DType::Float64;
  Device device;
  bool readonly = false;

  int ndim() const { return static_cast<int>(shape.size()); }
  int64_t size() const;
  size_t itemsize() const { return trueno::itemsize(dtype); }
  size_t nbytes() const { return static_cast<size_t>(size()) * itemsize(); }
  bool is_c_contiguous() const;
  // A view sharing the buffer, with new geometry.
  Array view(Shape new_shape, Shape new_strides, char* new_data) const;
};

// Number of elements of `shape`; ValueError on a negative dimension or a
// product that overflows int64 (or exceeds what memory could ever hold).
int64_t checked_size(const Shape& shape, const char* func);
// checked_size, and the bytes of such an array of `dtype`, within int64 too.
int64_t checked_bytes(const Shape& shape, DType dtype, const char* func);
Shape c_strides(const Shape& shape, size_t itemsize);
// A new C-contiguous array, uninitialised. MemoryError when it cannot be had.
Array make_empty(const Shape& shape, DType dtype, const char* func = "empty");
// The same, shaped as the existing array `like`: the per-call path of small
// elementwise calls, which skips make_empty's shape checks when `dtype` is no
// wider than like's (they cannot fail then).
Array make_empty_shaped_like(const Array& like, DType dtype, const char* func);
// A new array shaped as `like` whose axes lie in memory in the order of
// like's when `like` is a dense permutation of a C-contiguous array (a
// transpose: x.T, x.mT, permute_dims); C-contiguous otherwise. Elementwise
// results take their input's layout this way, as NumPy's do, so a transposed
// input runs as one flat loop.
Array make_empty_in_layout_of(const Array& like, DType dtype, const char* func);
// A C-contiguous copy of `a` (or `a` itself when it already is one and
// `force` is false).
Array as_contiguous(const Array& a, bool force, const char* func);

// Normalises `axis` into [0, ndim). Out of range raises AxisError.
int normalize_axis(int64_t axis, int ndim, const char* func, const char* argname = "axis");

std::string shape_str(const Shape& s);

}  // namespace trueno

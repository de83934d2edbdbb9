#include "bindings/convert.h"

#include <nanobind/ndarray.h>
#include <nanobind/stl/string.h>

#include <cstring>
#include <limits>

#include "core/errors.h"
#include "ops/copy.h"

namespace trueno::py {

namespace {
// Borrowed: the module's attributes own the dtype objects, so nothing here
// outlives the interpreter.
nb::handle g_dtype_objects[kNumDTypes];
}

void register_dtype_object(DType d, nb::handle obj) { g_dtype_objects[static_cast<int>(d)] = obj; }
nb::object dtype_object(DType d) { return nb::borrow(g_dtype_objects[static_cast<int>(d)]); }

std::optional<DType> to_optional_dtype(nb::handle h, const char* func, const char* argname) {
  if (h.is_none()) return std::nullopt;
  for (int i = 0; i < kNumDTypes; ++i)
    if (h.is(g_dtype_objects[i])) return static_cast<DType>(i);
  // The Python types bool/int/float/complex mean the default dtypes.
  if (h.is(nb::handle(reinterpret_cast<PyObject*>(&PyBool_Type)))) return DType::Bool;
  if (h.is(nb::handle(reinterpret_cast<PyObject*>(&PyLong_Type)))) return kDefaultInt;
  if (h.is(nb::handle(reinterpret_cast<PyObject*>(&PyFloat_Type)))) return kDefaultFloat;
  if (h.is(nb::handle(reinterpret_cast<PyObject*>(&PyComplex_Type)))) return kDefaultComplex;
  auto refuse = [&](const std::string& what) -> TypeError {
    return TypeError(std::string(func) + "(): " + argname + " must be a dtype trueno supports, got " + what);
  };
  // numpy.dtype() would read an array's .dtype: an array is not a dtype.
  if (is_array(h)) throw refuse("an array");
  // Every other dtype-like NumPy reads ("float32", "f4", numpy.float32, a
  // dtype NumPy made elsewhere) reads as NumPy reads it.
  static nb::handle numpy_dtype = nb::object(nb::module_::import_("numpy").attr("dtype")).release();
  PyObject* parsed = PyObject_CallOneArg(numpy_dtype.ptr(), h.ptr());
  if (!parsed) {
    if (!PyErr_ExceptionMatches(PyExc_TypeError)) throw nb::python_error();
    PyErr_Clear();
    throw refuse(nb::cast<std::string>(nb::repr(h)));
  }
  nb::object dt = nb::steal(parsed);
  for (int i = 0; i < kNumDTypes; ++i)
    if (dt.is(g_dtype_objects[i])) return static_cast<DType>(i);
  // Equal to one of ours but not it: 'q' beside 'l' (both int64), or an explicit
  // byte order; only the native order is ours.
  if (nb::cast<bool>(dt.attr("isnative")))
    if (auto d = dtype_from_name(nb::cast<std::string>(dt.attr("name")))) return d;
  throw refuse(nb::cast<std::string>(nb::repr(dt)) + " (" +
               (nb::cast<bool>(dt.attr("isnative")) ? "not one of the array API's dtypes"
                                                    : "a non-native byte order") + ")");
}

DType to_dtype(nb::handle h, const char* func, const char* argname) {
  auto d = to_optional_dtype(h, func, argname);
  if (!d) throw TypeError(std::string(func) + "(): " + argname + " must be a dtype, not None");
  return *d;
}

PyObject* route_exception = nullptr;

namespace {
Device g_default_device;
}

void set_default_device(const Device& d) { g_default_device = d; }

Device parse_device(nb::handle h, const char* func) {
  if (h.is_none()) return g_default_device;
  if (nb::isinstance<Device>(h)) return nb::cast<Device>(h);
  if (nb::isinstance<nb::str>(h) && nb::cast<std::string>(h) == "cpu") return Device{};
  // Everything else (devices of other kinds, bad strings) is rare: Python
  // knows which backends are present and words the errors.
  nb::object d = nb::module_::import_("trueno._devices").attr("parse_device")(h, func);
  return nb::cast<Device>(d);
}

Device to_device(nb::handle h, const char* func) {
  Device d = parse_device(h, func);
  if (d.kind != Device::CPU) throw RouteToDevice{};
  return d;
}

std::string python_type_name(nb::handle h) {
  return nb::cast<std::string>(nb::handle(reinterpret_cast<PyObject*>(Py_TYPE(h.ptr()))).attr("__name__"));
}

nb::object device_object(const Device& d) { return nb::cast(d); }

int64_t to_int(nb::handle h, const char* func, const char* argname) {
  if (PyBool_Check(h.ptr()) || !PyIndex_Check(h.ptr()))
    throw TypeError(std::string(func) + "(): " + argname + " must be an integer, got " +
                    python_type_name(h));
  nb::object idx = nb::steal(PyNumber_Index(h.ptr()));
  if (!idx.is_valid()) {
    // A NumPy (or trueno) array has __index__ but refuses unless it is one
    // integer, with its own words ("only integer scalar arrays can be converted
    // to a scalar index"); say it as the other wrong types are said.
    if (!PyErr_ExceptionMatches(PyExc_TypeError)) throw nb::python_error();
    PyErr_Clear();
    throw TypeError(std::string(func) + "(): " + argname + " must be an integer, got " + python_type_name(h));
  }
  int overflow = 0;
  long long v = PyLong_AsLongLongAndOverflow(idx.ptr(), &overflow);
  if (overflow)
    throw ValueError(std::string(func) + "(): " + argname + " is too large for int64");
  return v;
}

double to_double(nb::handle h, const char* func, const char* argname) {
  double v = PyFloat_AsDouble(h.ptr());
  if (v == -1.0 && PyErr_Occurred()) {
    bool overflow = PyErr_ExceptionMatches(PyExc_OverflowError);
    PyErr_Clear();
    if (overflow) throw OverflowError(std::string(func) + "(): " + argname + " is too large for a float");
    throw TypeError(std::string(func) + "(): " + argname + " must be a real number, got " + python_type_name(h));
  }
  return v;
}

bool to_bool(nb::handle h, const char* func, const char* argname) {
  if (!PyBool_Check(h.ptr()))
    throw TypeError(std::string(func) + "(): " + argname + " must be a bool, got " + python_type_name(h));
  return h.ptr() == Py_True;
}

std::optional<bool> to_optional_bool(nb::handle h, const char* func, const char* argname) {
  if (h.is_none()) return std::nullopt;
  return to_bool(h, func, argname);
}

Shape to_shape(nb::handle h, const char* func, const char* argname) {
  Shape s;
  if (PyIndex_Check(h.ptr()) && !PyBool_Check(h.ptr())) {
    s.push_back(to_int(h, func, argname));
  } else if (nb::isinstance<nb::tuple>(h) || nb::isinstance<nb::list>(h)) {
    for (nb::handle item : h) s.push_back(to_int(item, func, argname));
  } else {
    throw TypeError(std::string(func) + "(): " + argname +
                    " must be an int or a tuple of ints, got " + nb::cast<std::string>(nb::repr(h)));
  }
  checked_size(s, func);
  return s;
}

std::optional<std::vector<int>> to_axes(nb::handle h, int ndim, const char* func) {
  if (h.is_none()) return std::nullopt;
  std::vector<int> axes;
  if (nb::isinstance<nb::tuple>(h) || nb::isinstance<nb::list>(h)) {
    for (nb::handle item : h) axes.push_back(normalize_axis(to_int(item, func, "axis"), ndim, func));
  } else {
    axes.push_back(normalize_axis(to_int(h, func, "axis"), ndim, func));
  }
  std::vector<bool> seen(ndim, false);
  for (int a : axes) {
    if (seen[a]) throw ValueError(std::string(func) + "(): repeated axis " + std::to_string(a));
    seen[a] = true;
  }
  return axes;
}

// Ready instances only: Array.__new__(Array) makes one with no C++ object.
bool is_array(nb::handle h) { return nb::isinstance<Array>(h) && nb::inst_ready(h); }
Array& as_array(nb::handle h) {
  Array& a = *nb::inst_ptr<Array>(h);
  if (a.device.kind != Device::CPU) [[unlikely]] throw RouteToDevice{};
  return a;
}

Array& require_array(nb::handle h, const char* func, const char* argname) {
  if (!is_array(h))
    throw TypeError(std::string(func) + "(): " + argname + " must be a trueno array, got " +
                    python_type_name(h));
  return as_array(h);
}

std::optional<Scalar> to_scalar(nb::handle h, const char* func, const char* argname) {
  PyObject* o = h.ptr();
  Scalar s{};
  if (PyBool_Check(o)) {
    s.kind = Scalar::Bool;
    s.b = o == Py_True;
  } else if (PyLong_Check(o)) {
    s.kind = Scalar::Int;
    int overflow = 0;
    s.i = PyLong_AsLongLongAndOverflow(o, &overflow);
    if (overflow > 0) {
      unsigned long long u = PyLong_AsUnsignedLongLong(o);
      if (PyErr_Occurred()) {
        PyErr_Clear();
        throw OverflowError(std::string(func) + "(): " + argname + " is the Python integer " +
                            nb::cast<std::string>(nb::str(h)) + ", too large for any integer dtype");
      }
      s.i = static_cast<int64_t>(u);
      s.int_is_unsigned = true;
    } else if (overflow < 0) {
      throw OverflowError(std::string(func) + "(): " + argname + " is the Python integer " +
                          nb::cast<std::string>(nb::str(h)) + ", too small for any integer dtype");
    }
  } else if (PyFloat_Check(o)) {
    s.kind = Scalar::Float;
    s.f = PyFloat_AS_DOUBLE(o);
  } else if (PyComplex_Check(o)) {
    s.kind = Scalar::Complex;
    s.f = PyComplex_RealAsDouble(o);
    s.imag = PyComplex_ImagAsDouble(o);
  } else {
    return std::nullopt;
  }
  return s;
}

namespace {
// numpy.ndarray and numpy.generic (NumPy's scalars), set once NumPy is imported.
PyTypeObject* g_numpy_ndarray = nullptr;
PyTypeObject* g_numpy_generic = nullptr;
}  // namespace

void register_numpy_types(nb::handle numpy) {
  g_numpy_ndarray = reinterpret_cast<PyTypeObject*>(numpy.attr("ndarray").ptr());
  g_numpy_generic = reinterpret_cast<PyTypeObject*>(numpy.attr("generic").ptr());
}

bool is_numpy_array(nb::handle h) { return g_numpy_ndarray && PyObject_TypeCheck(h.ptr(), g_numpy_ndarray); }

bool is_numpy_value(nb::handle h) {
  return g_numpy_ndarray &&
         (PyObject_TypeCheck(h.ptr(), g_numpy_ndarray) || PyObject_TypeCheck(h.ptr(), g_numpy_generic));
}

Array numpy_value_to_array(nb::handle h, const char* func, const char* argname) {
  // A NumPy scalar becomes the 0-D array NumPy itself would make of it.
  nb::object source = PyObject_TypeCheck(h.ptr(), g_numpy_generic)
                          ? nb::module_::import_("numpy").attr("asarray")(h)
                          : nb::borrow(h);
  if (auto a = from_foreign(source, func, true, argname)) return *a;
  // (nb::str of an attribute accessor would cast the dtype to str, not convert it)
  const nb::object dtype = source.attr("dtype");
  throw TypeError(std::string(func) + "(): " + argname + " is a NumPy value of dtype " +
                  nb::cast<std::string>(nb::str(dtype)) + ", which trueno does not support");
}

Array operand(nb::handle h, const Array* other, const char* func, const char* argname) {
  if (is_array(h)) return as_array(h);
  // Before Python scalars: numpy.float64 is a float, but NEP 50 types it strongly.
  if (is_numpy_value(h)) return numpy_value_to_array(h, func, argname);
  if (auto s = to_scalar(h, func, argname)) {
    if (other) return scalar_to_array(*s, other->dtype, func);
    return scalar_to_array_default(*s);
  }
  throw TypeError(std::string(func) + "(): " + argname + " must be an array or a Python scalar, got " +
                  python_type_name(h));
}

nb::object wrap(Array a) { return nb::cast(std::move(a)); }

// ---- nested sequences -----------------------------------------------------

namespace {

enum Kind { KBool = 0, KInt = 1, KFloat = 2, KComplex = 3 };

struct NestedInfo {
  Shape shape;
  int kind = -1;
  std::optional<DType> array_dtype;  // promoted dtype of arrays met inside
  bool shape_known = false;
};

// Exact lists and tuples only: their length and items cannot change between
// the scan and the fill (no Python code runs in between). Subclasses, whose
// __len__/__iter__ may disagree, are copied into plain lists first.
bool is_sequence(nb::handle h) { return PyList_CheckExact(h.ptr()) || PyTuple_CheckExact(h.ptr()); }

bool is_sequence_like(nb::handle h) { return PyList_Check(h.ptr()) || PyTuple_Check(h.ptr()); }

// `h` with every list/tuple subclass inside replaced by a plain list.
nb::object plain_nested(nb::handle h, size_t depth, const char* func) {
  if (depth > static_cast<size_t>(kMaxDims))
    throw ValueError(std::string(func) + "(): nesting is deeper than " + std::to_string(kMaxDims));
  if (!is_sequence_like(h)) return nb::borrow(h);
  nb::object seq = is_sequence(h) ? nb::borrow(h) : nb::steal(PySequence_List(h.ptr()));
  if (!seq.is_valid()) throw nb::python_error();
  nb::list items;
  bool changed = !is_sequence(h);
  for (nb::handle item : seq) {
    nb::object plain = plain_nested(item, depth + 1, func);
    changed |= !plain.is(item);
    items.append(plain);
  }
  return changed ? nb::object(items) : seq;
}

void scan(nb::handle h, size_t depth, NestedInfo& info, const char* func) {
  if (depth > static_cast<size_t>(kMaxDims))
    throw ValueError(std::string(func) + "(): nesting is deeper than " + std::to_string(kMaxDims));
  if (is_sequence(h)) {
    size_t n = nb::len(h);
    if (!info.shape_known) {
      if (info.shape.size() == depth) info.shape.push_back(static_cast<int64_t>(n));
    }
    if (info.shape.size() <= depth || info.shape[depth] != static_cast<int64_t>(n))
      throw ValueError(std::string(func) + "(): nested sequences have inhomogeneous lengths");
    if (n == 0) {
      info.shape_known = true;
      return;
    }
    for (nb::handle item : h) scan(item, depth + 1, info, func);
    info.shape_known = true;
    return;
  }
  // A leaf: it must sit at the full depth.
  Shape leaf_shape;
  if (is_array(h)) {
    Array& a = as_array(h);
    leaf_shape = a.shape;
    info.array_dtype = info.array_dtype ? promote_or_throw(*info.array_dtype, a.dtype, func) : a.dtype;
  } else if (auto s = to_scalar(h, func, "an element of obj")) {
    info.kind = std::max(info.kind, static_cast<int>(s->kind));
  } else {
    throw TypeError(std::string(func) + "(): cannot convert an object of type " +
                    python_type_name(h) +
                    " to an array element");
  }
  if (!info.shape_known) {
    if (info.shape.size() != depth)
      throw ValueError(std::string(func) + "(): nested sequences have inhomogeneous depth");
    for (int64_t d : leaf_shape) info.shape.push_back(d);
    info.shape_known = true;
  } else {
    bool ok = info.shape.size() == depth + leaf_shape.size();
    for (size_t i = 0; ok && i < leaf_shape.size(); ++i) ok = info.shape[depth + i] == leaf_shape[i];
    if (!ok) throw ValueError(std::string(func) + "(): nested sequences have inhomogeneous shapes");
  }
}

template <class T>
void store_scalar(char* p, const Scalar& s, const char* func) {
  // A Python int or float that the element type cannot hold raises, as a
  // lone scalar does, instead of wrapping (asarray([2**63]) gave -2**63,
  // asarray([nan], dtype=int64) gave -2**63 too).
  check_scalar_fits(s, dtype_of<T>::value, func);
  T v;
  switch (s.kind) {
    case Scalar::Bool: v = cast_value<T>(s.b); break;
    case Scalar::Int:
      v = s.int_is_unsigned ? cast_value<T>(static_cast<uint64_t>(s.i)) : cast_value<T>(s.i);
      break;
    case Scalar::Float: v = cast_value<T>(s.f); break;
    default: v = cast_value<T>(complex128(s.f, s.imag)); break;
  }
  std::memcpy(p, &v, sizeof(T));
}

void fill(nb::handle h, const Array& out, char* p, size_t depth, const char* func) {
  if (is_sequence(h)) {
    // scan() established the shape; re-check it rather than trust it.
    if (depth >= static_cast<size_t>(out.ndim()) ||
        static_cast<int64_t>(nb::len(h)) != out.shape[depth])
      throw ValueError(std::string(func) + "(): nested sequences changed while being converted");
    int64_t stride = out.strides[depth];
    for (nb::handle item : h) {
      fill(item, out, p, depth + 1, func);
      p += stride;
    }
    return;
  }
  if (is_array(h)) {
    Array& a = as_array(h);
    Shape sub_shape(out.shape.begin() + depth, out.shape.end());
    Shape sub_strides(out.strides.begin() + depth, out.strides.end());
    copy_into(out.view(sub_shape, sub_strides, p), a, func);
    return;
  }
  Scalar s = *to_scalar(h, func, "an element of obj");
  visit_dtype(out.dtype, [&](auto tag) { store_scalar<decltype(tag)>(p, s, func); });
}

DType default_for_kind(int kind) {
  switch (kind) {
    case KBool: return DType::Bool;
    case KInt: return kDefaultInt;
    case KFloat: return kDefaultFloat;
    default: return kDefaultComplex;
  }
}

// May run on a thread without the GIL (a DLPack consumer freeing our export).
void release_ndarray(void* ctx) {
  if (!Py_IsInitialized()) return;  // interpreter gone: nothing left to release into
  PyGILState_STATE state = PyGILState_Ensure();
  delete static_cast<nb::ndarray<nb::ro>*>(ctx);
  PyGILState_Release(state);
}

std::optional<DType> dtype_from_dlpack(nb::dlpack::dtype dt) {
  using nb::dlpack::dtype_code;
  if (dt.lanes != 1) return std::nullopt;
  switch (static_cast<dtype_code>(dt.code)) {
    case dtype_code::Bool: if (dt.bits == 8) return DType::Bool; break;
    case dtype_code::Int:
      if (dt.bits == 8) return DType::Int8;
      if (dt.bits == 16) return DType::Int16;
      if (dt.bits == 32) return DType::Int32;
      if (dt.bits == 64) return DType::Int64;
      break;
    case dtype_code::UInt:
      if (dt.bits == 8) return DType::UInt8;
      if (dt.bits == 16) return DType::UInt16;
      if (dt.bits == 32) return DType::UInt32;
      if (dt.bits == 64) return DType::UInt64;
      break;
    case dtype_code::Float:
      if (dt.bits == 32) return DType::Float32;
      if (dt.bits == 64) return DType::Float64;
      break;
    case dtype_code::Complex:
      if (dt.bits == 64) return DType::Complex64;
      if (dt.bits == 128) return DType::Complex128;
      break;
    default: break;
  }
  return std::nullopt;
}

}  // namespace

namespace {

// The two capsule layouts of the DLPack standard (legacy "dltensor", and
// "dltensor_versioned" from 1.0), for reading a producer's tensor before
// nanobind does.
struct ManagedTensor {
  nb::dlpack::dltensor tensor;
  void* manager_ctx;
  void (*deleter)(ManagedTensor*);
};
struct ManagedTensorVersioned {
  uint32_t major, minor;
  void* manager_ctx;
  void (*deleter)(ManagedTensorVersioned*);
  uint64_t flags;
  nb::dlpack::dltensor tensor;
};

// nanobind trusts a DLTensor's shape and strides: a NULL shape crashed it, and
// negative or overflowing shapes became arrays that crashed later. The shape
// must be there, no dimension negative, and the elements and the bytes the
// strides reach must fit in int64, as for every trueno array.
void check_dltensor(const nb::dlpack::dltensor& t, const char* func) {
  const std::string f = std::string(func) + "(): the DLPack tensor ";
  if (t.ndim < 0 || t.ndim > kMaxDims)
    throw ValueError(f + "has " + std::to_string(t.ndim) + " dimensions (0 to " + std::to_string(kMaxDims) +
                     " are supported)");
  if (t.ndim > 0 && t.shape == nullptr) throw ValueError(f + "has no shape");
  const int64_t item = (int64_t{t.dtype.bits} * t.dtype.lanes + 7) / 8;
  int64_t elements = 1, reach = 0;
  for (int32_t i = 0; i < t.ndim; ++i) {
    const int64_t n = t.shape[i];
    if (n < 0) throw ValueError(f + "has a negative dimension " + std::to_string(n));
    const int64_t step = t.strides ? t.strides[i] : 0;
    int64_t span;
    if (__builtin_mul_overflow(elements, n == 0 ? 1 : n, &elements) ||
        (t.strides && (step == std::numeric_limits<int64_t>::min() ||
                       __builtin_mul_overflow(step < 0 ? -step : step, n == 0 ? 0 : n - 1, &span) ||
                       __builtin_mul_overflow(span, item, &span) || __builtin_add_overflow(reach, span, &reach))))
      throw ValueError(f + "has a shape or strides whose size overflows int64");
  }
  int64_t bytes;
  if (__builtin_mul_overflow(elements, item, &bytes))
    throw ValueError(f + "needs more bytes than fit in int64");
  if (t.data == nullptr && elements > 0) throw ValueError(f + "has elements but no data (a NULL pointer)");
}

// The capsule of a producer other than NumPy, checked; NumPy's own exports
// are left to nanobind (its hot path: asarray of a NumPy array). Sets
// *readonly where a versioned producer marks its memory read-only (nanobind
// would import it as writable).
nb::object checked_dlpack_capsule(nb::handle h, const char* func, bool* readonly) {
  constexpr uint64_t kReadOnlyFlag = 1;  // DLPACK_FLAG_BITMASK_READ_ONLY
  nb::object capsule;
  if (PyCapsule_CheckExact(h.ptr())) {
    capsule = nb::borrow(h);
  } else {
    try {
      capsule = h.attr("__dlpack__")(nb::arg("max_version") = nb::make_tuple(1, 0));
    } catch (nb::python_error& e) {
      if (!e.matches(PyExc_TypeError)) throw;   // a producer from before max_version
      capsule = h.attr("__dlpack__")();
    }
    if (!PyCapsule_CheckExact(capsule.ptr()))
      throw TypeError(std::string(func) + "(): __dlpack__ returned " + python_type_name(capsule) +
                      ", not a capsule");
  }
  const char* name = PyCapsule_GetName(capsule.ptr());
  if (!name) throw nb::python_error();
  if (std::strcmp(name, "dltensor") == 0) {
    auto* m = static_cast<ManagedTensor*>(PyCapsule_GetPointer(capsule.ptr(), name));
    if (!m) throw nb::python_error();
    check_dltensor(m->tensor, func);
  } else if (std::strcmp(name, "dltensor_versioned") == 0) {
    auto* m = static_cast<ManagedTensorVersioned*>(PyCapsule_GetPointer(capsule.ptr(), name));
    if (!m) throw nb::python_error();
    if (m->major != 1) throw ValueError(std::string(func) + "(): DLPack version " + std::to_string(m->major) +
                                        " is not supported (1 is)");
    check_dltensor(m->tensor, func);
    *readonly = (m->flags & kReadOnlyFlag) != 0;
  } else {
    throw ValueError(std::string(func) + "(): the DLPack capsule is named '" + name +
                     "' (already consumed, or not a DLPack tensor)");
  }
  return capsule;
}

}  // namespace

namespace {

// NumPy's view of a buffer whose elements are stored in the other byte order
// ('>f8' here), or an invalid object for anything else. Only asked once
// nanobind has refused the buffer, so NumPy input in native order pays nothing.
nb::object byte_swapped_numpy(nb::handle h) {
  if (!is_numpy_array(h) && !PyObject_CheckBuffer(h.ptr())) return {};
  nb::object numpy_array;
  try {
    numpy_array = is_numpy_array(h) ? nb::borrow(h) : nb::module_::import_("numpy").attr("asarray")(h);
  } catch (nb::python_error&) {
    return {};  // a buffer NumPy cannot read either: not a byte-order question
  }
  nb::object dtype = numpy_array.attr("dtype");
  if (nb::cast<bool>(dtype.attr("isnative")) || nb::cast<bool>(dtype.attr("hasobject"))) return {};
  return numpy_array;
}

size_t element_alignment(DType d) { return in_category(d, kComplexFloat) ? itemsize(d) / 2 : itemsize(d); }

// Whether every element of `a` starts at a multiple of its alignment.
bool elements_aligned(const Array& a) {
  if (a.size() == 0) return true;
  const auto align = static_cast<int64_t>(element_alignment(a.dtype));
  if (reinterpret_cast<uintptr_t>(a.data) % align != 0) return false;
  for (int i = 0; i < a.ndim(); ++i)
    if (a.shape[i] > 1 && a.strides[i] % align != 0) return false;
  return true;
}

}  // namespace

// A zero-copy view of a buffer-protocol or DLPack object, or nullopt. A NumPy
// array (or buffer) in the other byte order cannot be viewed: it becomes a
// copy in native order, as NumPy's own asarray makes, where copy_allowed, and
// a ValueError naming func and argname otherwise.
std::optional<Array> from_foreign(nb::handle h, const char* func, bool copy_allowed, const char* argname) {
  nb::object capsule;
  bool producer_readonly = false;
  if (!is_numpy_array(h) && !PyObject_CheckBuffer(h.ptr()) &&
      (PyCapsule_CheckExact(h.ptr()) || nb::hasattr(h, "__dlpack__"))) {
    capsule = checked_dlpack_capsule(h, func, &producer_readonly);
    h = capsule;
  }
  // Writable memory first; read-only sources (bytes, a non-writeable NumPy
  // array) are accepted as read-only arrays, never written through.
  nb::ndarray<nb::ro> nd;
  bool readonly = false;
  nb::ndarray<> writable;
  // (nanobind's import raises a cast error, instead of answering no, for a
  // NumPy array in the other byte order: that one is asked about below)
  auto viewed = [&](auto& target) {
    try {
      return nb::try_cast(h, target, false);
    } catch (const nb::cast_error&) {
      return false;
    }
  };
  if (!producer_readonly && viewed(writable)) {
    nd = nb::ndarray<nb::ro>(writable);
  } else if (viewed(nd)) {
    readonly = true;
  } else if (nb::object swapped = byte_swapped_numpy(h); swapped.is_valid()) {
    const nb::object numpy_dtype = swapped.attr("dtype");
    const std::string dtype = nb::cast<std::string>(nb::str(numpy_dtype));
    if (!copy_allowed)
      throw ValueError(std::string(func) + "(): " + argname + " is stored in non-native byte order (dtype '" +
                       dtype + "'), which only a copy in native order can hold, and copy=False forbids a copy");
    nb::object native = swapped.attr("astype")(numpy_dtype.attr("newbyteorder")("="));
    return from_foreign(native, func, false, argname);
  } else {
    return std::nullopt;
  }
  if (nd.device_type() == nb::device::cuda::value) throw RouteToDevice{};  // CuPy, PyTorch on a GPU
  if (nd.device_type() != nb::device::cpu::value)
    throw ValueError(std::string(func) + "(): only CPU and CUDA memory can be imported");
  if (nd.ndim() > static_cast<size_t>(kMaxDims))
    throw ValueError(std::string(func) + "(): the imported array has more than " +
                     std::to_string(kMaxDims) + " dimensions");
  auto dt = dtype_from_dlpack(nd.dtype());
  if (!dt) throw TypeError(std::string(func) + "(): unsupported element type in the imported buffer");
  Array a;
  a.dtype = *dt;
  a.readonly = readonly;
  size_t isz = itemsize(*dt);
  for (size_t i = 0; i < nd.ndim(); ++i) {
    a.shape.push_back(static_cast<int64_t>(nd.shape(i)));
    a.strides.push_back(nd.stride(i) * static_cast<int64_t>(isz));
  }
  a.data = static_cast<char*>(const_cast<void*>(nd.data()));
  auto* keep = new nb::ndarray<nb::ro>(nd);
  a.buffer = Buffer::borrow(a.data, a.nbytes(), keep, &release_ndarray);
  if (!elements_aligned(a)) {
    // C++ reads elements as their type, and the compiler may vectorise on
    // the assumption that they are aligned: unaligned memory (Dask's and
    // pickle's in-band frames, offset views of raw bytes) is copied, as
    // NumPy's own loops copy it into aligned buffers.
    if (!copy_allowed)
      throw ValueError(std::string(func) + "(): " + argname + " is not aligned to its " +
                       std::to_string(element_alignment(a.dtype)) +
                       "-byte elements, which only a copy can align, and copy=False forbids a copy");
    return as_contiguous(a, true, func);  // the copy moves bytes, whatever their alignment
  }
  return a;
}

Array to_array_like(nb::handle h, std::optional<DType> dtype, const char* func, const char* argname) {
  if (is_array(h)) {
    Array& a = as_array(h);
    return dtype && *dtype != a.dtype ? astype_copy(a, *dtype, func) : a;
  }
  auto complex_to_real = [&](bool complex_input) {
    if (complex_input && dtype && !in_category(*dtype, kComplexFloat))
      throw TypeError(std::string(func) + "(): cannot convert complex values to " + dtype_name(*dtype));
  };
  if (auto s = to_scalar(h, func, argname)) {
    complex_to_real(s->kind == Scalar::Complex);
    if (dtype) check_scalar_fits(*s, *dtype, func);
    Array a = scalar_to_array_default(*s);
    if (dtype && *dtype != a.dtype) {
      if (s->kind == Scalar::Int && in_category(*dtype, kInteger))
        return scalar_to_array(*s, *dtype, func);  // exact, not through float64
      return astype_copy(a, *dtype, func);
    }
    return a;
  }
  if (is_sequence_like(h)) {
    nb::object plain = plain_nested(h, 0, func);
    NestedInfo info;
    scan(plain, 0, info, func);
    complex_to_real(info.kind == KComplex);
    DType d;
    if (dtype) {
      d = *dtype;
    } else if (info.array_dtype) {
      d = *info.array_dtype;
      if (info.kind >= 0 && info.kind > static_cast<int>(category_of(d) == kBool ? KBool
                                                       : in_category(d, kInteger) ? KInt
                                                       : in_category(d, kRealFloat) ? KFloat : KComplex))
        d = default_for_kind(info.kind);
    } else {
      d = default_for_kind(info.kind < 0 ? KFloat : info.kind);
    }
    Array out = make_empty(info.shape, d, func);
    if (out.size() > 0) fill(plain, out, out.data, 0, func);
    return out;
  }
  if (auto a = from_foreign(h, func, true, argname)) {
    return dtype && *dtype != a->dtype ? astype_copy(*a, *dtype, func) : *a;
  }
  throw TypeError(std::string(func) + "(): cannot convert " + argname + " of type " + python_type_name(h) +
                  " to an array");
}

}  // namespace trueno::py

// The Array class: attributes, operators, conversions, indexing, DLPack and
// the buffer protocol. Operators call the same elementwise table as the
// namespace functions.
#include <nanobind/stl/pair.h>
#include <nanobind/stl/string.h>
#include <nanobind/stl/vector.h>

#include <cstring>

#include "bindings/bind.h"
#include "bindings/convert.h"
#include "bindings/dlpack.h"
#include "core/errors.h"
#include "ops/copy.h"
#include "ops/elementwise.h"
#include "ops/indexing.h"
#include "ops/linalg.h"
#include "ops/manipulation.h"

namespace trueno::py {

using namespace nb::literals;

namespace {

nb::tuple shape_tuple(const Shape& s) {
  nb::list l;
  for (int64_t d : s) l.append(d);
  return nb::tuple(l);
}

nb::object element_to_python(DType dtype, const char* p) {
  return visit_dtype(dtype, [&](auto tag) -> nb::object {
    using T = decltype(tag);
    T v;
    if constexpr (std::is_same_v<T, bool>) v = read_element<bool>(p);  // any nonzero byte
    else std::memcpy(&v, p, sizeof(T));  // p may be unaligned
    if constexpr (std::is_same_v<T, bool>) return nb::bool_(v);
    else if constexpr (std::is_integral_v<T>) return nb::int_(v);
    else if constexpr (is_complex_v<T>)
      return nb::steal(PyComplex_FromDoubles(static_cast<double>(v.real()), static_cast<double>(v.imag())));
    else return nb::float_(static_cast<double>(v));
  });
}

const Array& single_element(const Array& a, const char* func) {
  if (a.size() != 1)
    throw TypeError(std::string(func) + "(): only arrays with one element can be converted to a "
                    "Python scalar, got shape " + shape_str(a.shape));
  return a;
}

nb::object python_scalar(const Array& a, const char* func) {
  single_element(a, func);
  return element_to_python(a.dtype, a.data);
}

// ---- indexing keys --------------------------------------------------------

// Slice bounds saturate (x[:10**30] is x[:], as in Python); steps too.
std::optional<int64_t> slice_part(PyObject* o, const char* func) {
  if (o == Py_None) return std::nullopt;
  nb::object index;
  if (!PyBool_Check(o) && PyIndex_Check(o)) index = nb::steal(PyNumber_Index(o));
  if (!index.is_valid()) {
    // (a NumPy array has __index__ but refuses, in its own words)
    if (PyErr_Occurred() && !PyErr_ExceptionMatches(PyExc_TypeError)) throw nb::python_error();
    PyErr_Clear();
    throw TypeError(std::string(func) + "(): slice indices must be integers or None, got " +
                    python_type_name(nb::handle(o)));
  }
  int overflow = 0;
  long long v = PyLong_AsLongLongAndOverflow(index.ptr(), &overflow);
  if (overflow) return overflow > 0 ? INT64_MAX : INT64_MIN;
  return v;
}

// An integer index; one beyond int64 is out of bounds of any array (IndexError, as NumPy).
int64_t index_int(nb::handle h, const char* func) {
  nb::object idx = nb::steal(PyNumber_Index(h.ptr()));
  if (!idx.is_valid()) throw nb::python_error();
  int overflow = 0;
  long long v = PyLong_AsLongLongAndOverflow(idx.ptr(), &overflow);
  if (overflow)
    throw IndexError(std::string(func) + "(): index " + nb::cast<std::string>(nb::str(idx)) +
                     " is out of bounds (beyond int64)");
  return v;
}

IndexItem to_index_item(nb::handle h, const char* func) {
  PyObject* o = h.ptr();
  if (o == Py_Ellipsis) return IndexItem{IndexItem::Ellipsis};
  if (o == Py_None) return IndexItem{IndexItem::NewAxis};
  if (PySlice_Check(o)) {
    auto* s = reinterpret_cast<PySliceObject*>(o);
    IndexItem it{IndexItem::Slice};
    it.start = slice_part(s->start, func);
    it.stop = slice_part(s->stop, func);
    it.step = slice_part(s->step, func);
    return it;
  }
  if (PyBool_Check(o)) {
    IndexItem it{IndexItem::Tensor};
    it.tensor = scalar_to_array_default(*to_scalar(h, func, "key"));
    return it;
  }
  if (is_numpy_array(h) || (is_numpy_value(h) && !PyIndex_Check(o))) {
    // NumPy's index arrays and booleans (numpy.bool_ is no int; its integer
    // scalars have __index__ and take the integer path below; so do its
    // arrays, where only a 0-D integer array may use it)
    Array a = numpy_value_to_array(h, func, "key");
    IndexItem it{a.ndim() == 0 && in_category(a.dtype, kInteger) ? IndexItem::Integer : IndexItem::Tensor};
    if (it.kind == IndexItem::Integer) it.integer = index_int(python_scalar(a, func), func);
    else it.tensor = a;
    return it;
  }
  if (PyLong_Check(o) || (!is_array(h) && PyIndex_Check(o))) {
    IndexItem it{IndexItem::Integer};
    it.integer = index_int(h, func);
    return it;
  }
  if (is_array(h)) {
    Array& a = as_array(h);
    if (a.ndim() == 0 && in_category(a.dtype, kInteger)) {
      // A 0-D integer array indexes like an integer (NumPy, and the spec's __index__).
      IndexItem it{IndexItem::Integer};
      it.integer = index_int(python_scalar(a, func), func);
      return it;
    }
    IndexItem it{IndexItem::Tensor};
    it.tensor = a;
    return it;
  }
  if (nb::isinstance<nb::list>(h)) {
    IndexItem it{IndexItem::Tensor};
    it.tensor = to_array_like(h, std::nullopt, func, "key");
    if (it.tensor.size() == 0) it.tensor = astype_copy(it.tensor, DType::Int64, func);
    return it;
  }
  throw IndexError(std::string(func) + "(): only integers, slices (':'), ellipsis ('...'), None and "
                   "integer or boolean arrays are valid indices, got " + python_type_name(h));
}

std::vector<IndexItem> to_index(nb::handle key, const char* func) {
  std::vector<IndexItem> index;
  if (nb::isinstance<nb::tuple>(key)) {
    for (nb::handle item : key) index.push_back(to_index_item(item, func));
  } else {
    index.push_back(to_index_item(key, func));
  }
  return index;
}

// ---- operators ------------------------------------------------------------

nb::object not_implemented() { return nb::borrow(Py_NotImplemented); }

bool is_operand(nb::handle h) {
  return is_array(h) || is_numpy_value(h) || PyBool_Check(h.ptr()) || PyLong_Check(h.ptr()) || PyFloat_Check(h.ptr()) ||
         PyComplex_Check(h.ptr());
}

// Whether Python, told NotImplemented by `array * other`, would repeat the
// sequence `other` by the array's __index__ instead: 'abc' * xp.asarray(3)
// gave 'abcabcabc', [1, 2] * it a longer list, and a 0-D array of 5e17 a
// MemoryError with no message. A type with a multiplication of its own
// (a list subclass with __rmul__) is left its turn.
bool would_repeat(nb::handle other) {
  const PyTypeObject* t = Py_TYPE(other.ptr());
  return t->tp_as_sequence && t->tp_as_sequence->sq_repeat && !(t->tp_as_number && t->tp_as_number->nb_multiply);
}

template <bool Reflected>
nb::object binary_operator(const ElementwiseFunction& f, const Array& self, nb::handle other) {
  if (is_array(other))
    return wrap(Reflected ? apply_binary(f, as_array(other), self) : apply_binary(f, self, as_array(other)));
  if (!is_operand(other)) {
    if (std::strcmp(f.name, "multiply") == 0 && would_repeat(other)) {
      const std::string them = "'" + python_type_name(other) + "'";
      throw TypeError("unsupported operand type(s) for *: " +
                      (Reflected ? them + " and 'Array'" : "'Array' and " + them));
    }
    return not_implemented();
  }
  Array o = operand(other, &self, f.name, "other");
  Array s = is_array(other) ? self : align_with_scalar(self, o, f.name);
  return wrap(Reflected ? apply_binary(f, o, s) : apply_binary(f, s, o));
}

}  // namespace

const std::vector<ArrayOperator>& array_operators() {
  static const std::vector<ArrayOperator> operators = {
      {"__add__", "__radd__", "__iadd__", "add"},
      {"__sub__", "__rsub__", "__isub__", "subtract"},
      {"__mul__", "__rmul__", "__imul__", "multiply"},
      {"__truediv__", "__rtruediv__", "__itruediv__", "divide"},
      {"__floordiv__", "__rfloordiv__", "__ifloordiv__", "floor_divide"},
      {"__mod__", "__rmod__", "__imod__", "remainder"},
      {"__pow__", "__rpow__", "__ipow__", "pow"},
      {"__and__", "__rand__", "__iand__", "bitwise_and"},
      {"__or__", "__ror__", "__ior__", "bitwise_or"},
      {"__xor__", "__rxor__", "__ixor__", "bitwise_xor"},
      {"__lshift__", "__rlshift__", "__ilshift__", "bitwise_left_shift"},
      {"__rshift__", "__rrshift__", "__irshift__", "bitwise_right_shift"},
      {"__lt__", nullptr, nullptr, "less"},
      {"__le__", nullptr, nullptr, "less_equal"},
      {"__gt__", nullptr, nullptr, "greater"},
      {"__ge__", nullptr, nullptr, "greater_equal"},
      {"__eq__", nullptr, nullptr, "equal"},
      {"__ne__", nullptr, nullptr, "not_equal"},
      {"__neg__", nullptr, nullptr, "negative"},
      {"__pos__", nullptr, nullptr, "positive"},
      {"__abs__", nullptr, nullptr, "abs"},
      {"__invert__", nullptr, nullptr, "bitwise_invert"},
  };
  return operators;
}

namespace {

// Arrays on other devices override every operator (trueno._route.DeviceArray),
// so when a CPU operator meets one (RouteToDevice) the call mixes devices.
[[noreturn]] void mixed_devices(const char* func, nb::handle other) {
  nb::object device = other.attr("device");
  nb::object where = nb::steal(PyObject_Str(device.ptr()));
  if (!where.is_valid()) throw nb::python_error();
  throw ValueError(std::string(func) + "(): arrays are on different devices: cpu and " +
                   nb::cast<std::string>(where));
}

nb::object inplace_operator(const ElementwiseFunction& f, nb::handle self, nb::handle other) {
  if (!is_operand(other)) return not_implemented();
  Array& a = as_array(self);
  apply_binary_inplace(f, a, operand(other, &a, f.name, "other"));
  return nb::borrow(self);
}

// ---- buffer protocol ------------------------------------------------------

struct BufferInfo {
  std::vector<Py_ssize_t> shape, strides;
};

const char* buffer_format(DType d) {
  static constexpr const char* formats[kNumDTypes] = {"?", "b", "h", "i", "q", "B", "H", "I", "Q",
                                                      "f", "d", "Zf", "Zd"};
  return formats[static_cast<int>(d)];
}

bool is_f_contiguous(const Array& a) {
  int64_t expected = static_cast<int64_t>(a.itemsize());
  for (int i = 0; i < a.ndim(); ++i) {
    if (a.shape[i] == 0) return true;
    if (a.shape[i] != 1 && a.strides[i] != expected) return false;
    expected *= a.shape[i];
  }
  return true;
}

// A C slot: nothing may throw through it.
int get_buffer(PyObject* self, Py_buffer* view, int flags) noexcept {
  if (!nb::inst_ready(self)) {
    PyErr_SetString(PyExc_BufferError, "the array is not initialised");
    return -1;
  }
  Array& a = *nb::inst_ptr<Array>(self);
  if (a.device.kind != Device::CPU) {  // its memory is the backend's, maybe not even host memory
    PyErr_SetString(PyExc_BufferError, "the array is not on the CPU: call x.to_device('cpu') first");
    return -1;
  }
  if ((flags & PyBUF_WRITABLE) && a.readonly) {
    PyErr_SetString(PyExc_BufferError, "the array is read-only");
    return -1;
  }
  bool c = a.is_c_contiguous(), f = is_f_contiguous(a);
  const char* refusal = nullptr;
  if ((flags & PyBUF_C_CONTIGUOUS) == PyBUF_C_CONTIGUOUS && !c) refusal = "the array is not C-contiguous";
  else if ((flags & PyBUF_F_CONTIGUOUS) == PyBUF_F_CONTIGUOUS && !f) refusal = "the array is not Fortran-contiguous";
  else if ((flags & PyBUF_ANY_CONTIGUOUS) == PyBUF_ANY_CONTIGUOUS && !c && !f) refusal = "the array is not contiguous";
  else if (!(flags & PyBUF_STRIDES) && !c) refusal = "the array is not C-contiguous; request strides";
  if (refusal) {
    PyErr_SetString(PyExc_BufferError, refusal);
    return -1;
  }
  BufferInfo* info;
  try {
    info = new BufferInfo;
    for (int i = 0; i < a.ndim(); ++i) {
      info->shape.push_back(a.shape[i]);
      info->strides.push_back(a.strides[i]);
    }
  } catch (...) {
    PyErr_NoMemory();
    return -1;
  }
  view->buf = a.data;
  view->obj = self;
  Py_INCREF(self);
  view->len = static_cast<Py_ssize_t>(a.nbytes());
  view->itemsize = static_cast<Py_ssize_t>(a.itemsize());
  view->readonly = a.readonly;
  view->ndim = a.ndim();
  view->format = (flags & PyBUF_FORMAT) ? const_cast<char*>(buffer_format(a.dtype)) : nullptr;
  view->shape = (flags & PyBUF_ND) ? info->shape.data() : nullptr;
  view->strides = (flags & PyBUF_STRIDES) ? info->strides.data() : nullptr;
  view->suboffsets = nullptr;
  view->internal = info;
  return 0;
}

void release_buffer(PyObject*, Py_buffer* view) { delete static_cast<BufferInfo*>(view->internal); }

PyType_Slot array_slots[] = {{Py_bf_getbuffer, reinterpret_cast<void*>(&get_buffer)},
                             {Py_bf_releasebuffer, reinterpret_cast<void*>(&release_buffer)},
                             {0, nullptr}};

// ---- DLPack -----------------------------------------------------------------

struct DLPackContext {
  Array array;  // keeps the buffer alive
  std::vector<int64_t> shape, strides;
};

dlpack::DataType dl_dtype(DType d) {
  uint8_t bits = static_cast<uint8_t>(itemsize(d) * 8);
  switch (category_of(d)) {
    case kBool: return {dlpack::kBool, 8, 1};
    case kSignedInt: return {dlpack::kInt, bits, 1};
    case kUnsignedInt: return {dlpack::kUInt, bits, 1};
    case kRealFloat: return {dlpack::kFloat, bits, 1};
    default: return {dlpack::kComplex, bits, 1};
  }
}

template <class Managed>
Managed* make_managed(const Array& a) {
  auto* ctx = new DLPackContext{a, {}, {}};
  for (int i = 0; i < a.ndim(); ++i) {
    ctx->shape.push_back(a.shape[i]);
    ctx->strides.push_back(a.strides[i] / static_cast<int64_t>(a.itemsize()));
  }
  auto* m = new Managed{};
  m->manager_ctx = ctx;
  // Consumers may free the export on any thread: take the GIL, since the
  // context holds an Array whose buffer may be a Python object.
  m->deleter = [](Managed* self) {
    if (!Py_IsInitialized()) return;  // at exit: leak rather than touch a dead interpreter
    PyGILState_STATE gil = PyGILState_Ensure();
    delete static_cast<DLPackContext*>(self->manager_ctx);
    delete self;
    PyGILState_Release(gil);
  };
  m->dl_tensor.data = a.data;
  m->dl_tensor.device = {dlpack::kCPU, 0};
  m->dl_tensor.ndim = a.ndim();
  m->dl_tensor.dtype = dl_dtype(a.dtype);
  m->dl_tensor.shape = ctx->shape.data();
  m->dl_tensor.strides = ctx->strides.data();
  m->dl_tensor.byte_offset = 0;
  return m;
}

// A (major, minor) or (device_type, device_id) pair of ints; TypeError naming argname.
std::pair<int, int> int_pair(nb::handle h, const char* argname) {
  std::pair<int, int> out;
  if (!nb::isinstance<nb::tuple>(h) || !nb::try_cast(h, out))
    throw TypeError(std::string("__dlpack__(): ") + argname + " must be a tuple of two ints, got " +
                    nb::cast<std::string>(nb::repr(h)));
  return out;
}

nb::object to_dlpack(const Array& self, nb::handle stream, nb::handle max_version,
                     nb::handle dl_device, nb::handle copy) {
  if (!stream.is_none())
    throw ValueError("__dlpack__(): stream must be None for CPU arrays");
  if (!dl_device.is_none()) {
    auto dev = int_pair(dl_device, "dl_device");
    if (dev.first != dlpack::kCPU) {
      PyErr_SetString(PyExc_BufferError, "__dlpack__(): cannot export a CPU array to that device");
      throw nb::python_error();
    }
  }
  bool want_copy = to_optional_bool(copy, "__dlpack__", "copy").value_or(false);
  Array a = want_copy ? as_contiguous(self, true, "__dlpack__") : self;
  bool versioned = !max_version.is_none() && int_pair(max_version, "max_version").first >= 1;
  if (versioned) {
    auto* m = make_managed<dlpack::ManagedTensorVersioned>(a);
    m->version = {1, 0};
    m->flags = (a.readonly ? dlpack::kFlagReadOnly : 0) | (want_copy ? dlpack::kFlagIsCopied : 0);
    PyObject* capsule = PyCapsule_New(m, "dltensor_versioned", [](PyObject* cap) {
      if (PyCapsule_IsValid(cap, "dltensor_versioned")) {
        auto* t = static_cast<dlpack::ManagedTensorVersioned*>(PyCapsule_GetPointer(cap, "dltensor_versioned"));
        t->deleter(t);
      }
    });
    if (!capsule) {
      m->deleter(m);
      throw nb::python_error();
    }
    return nb::steal(capsule);
  }
  if (a.readonly) {
    // The unversioned protocol cannot say "read-only": refuse, as NumPy does.
    PyErr_SetString(PyExc_BufferError, "__dlpack__(): a read-only array needs max_version >= (1, 0)");
    throw nb::python_error();
  }
  auto* m = make_managed<dlpack::ManagedTensor>(a);
  PyObject* capsule = PyCapsule_New(m, "dltensor", [](PyObject* cap) {
    if (PyCapsule_IsValid(cap, "dltensor")) {
      auto* t = static_cast<dlpack::ManagedTensor*>(PyCapsule_GetPointer(cap, "dltensor"));
      t->deleter(t);
    }
  });
  if (!capsule) {
    m->deleter(m);
    throw nb::python_error();
  }
  return nb::steal(capsule);
}

// What sys.getsizeof reports, and so what Dask and distributed count to keep
// workers within their memory bound: the object and the elements it spans,
// a broadcast (stride 0) dimension counted once, as Dask counts NumPy arrays.
// A device array's elements are not in this process's memory.
size_t sizeof_array(nb::handle self) {
  size_t bytes = static_cast<size_t>(Py_TYPE(self.ptr())->tp_basicsize);
  const Array& a = *nb::inst_ptr<Array>(self);
  if (a.device.kind != Device::CPU) return bytes;
  size_t elements = 1;
  for (int i = 0; i < a.ndim(); ++i)
    if (a.strides[i] != 0) elements *= static_cast<size_t>(a.shape[i]);
  return bytes + elements * a.itemsize();
}

nb::object call_python(const char* module, const char* func, nb::handle self) {
  return nb::module_::import_(module).attr(func)(self);
}

}  // namespace

void bind_array(nb::module_& m) {
  auto cls = nb::class_<Array>(m, "Array", nb::type_slots(array_slots),
                               "An n-dimensional array of the array API standard.");
  cls.def_prop_ro("dtype", [](const Array& a) { return dtype_object(a.dtype); })
      .def_prop_ro("device", [](const Array& a) { return device_object(a.device); })
      .def_prop_ro("ndim", &Array::ndim)
      .def_prop_ro("shape", [](const Array& a) { return shape_tuple(a.shape); })
      .def_prop_ro("size", &Array::size)
      .def_prop_ro("itemsize", &Array::itemsize)
      .def_prop_ro("nbytes", &Array::nbytes)
      .def_prop_ro("strides", [](const Array& a) { return shape_tuple(a.strides); })
      .def_prop_ro("T", [](const Array& a) {
        // The spec defines .T for 2-D arrays; NumPy reverses all axes.
        std::vector<int> axes(a.ndim());
        for (int i = 0; i < a.ndim(); ++i) axes[i] = a.ndim() - 1 - i;
        return wrap(permute_dims(a, axes));
      })
      .def_prop_ro("mT", [](const Array& a) { return wrap(matrix_transpose(a)); });

  // Operators, from the elementwise table.
  for (const ArrayOperator& op : array_operators()) {
    const ElementwiseFunction* f = &elementwise_function(op.function);
    const char* dunder = op.dunder;
    if (f->arity == 1) {
      cls.def(dunder, [f](const Array& a) { return wrap(apply_unary(*f, a)); });
      continue;
    }
    cls.def(dunder, [f, dunder](const Array& a, nb::handle o) {
      try { return binary_operator<false>(*f, a, o); } catch (const RouteToDevice&) { mixed_devices(dunder, o); }
    }, nb::arg("other").none());
    if (op.reflected)
      cls.def(op.reflected, [f, r = op.reflected](const Array& a, nb::handle o) {
        try { return binary_operator<true>(*f, a, o); } catch (const RouteToDevice&) { mixed_devices(r, o); }
      }, nb::arg("other").none());
    if (op.inplace)
      cls.def(op.inplace, [f, i = op.inplace](nb::handle a, nb::handle o) {
        try { return inplace_operator(*f, a, o); } catch (const RouteToDevice&) { mixed_devices(i, o); }
      }, nb::arg("other").none());
  }
  cls.def("__matmul__", [](const Array& a, nb::handle o) -> nb::object {
       if (!is_array(o)) return not_implemented();
       try { return wrap(matmul(a, as_array(o))); } catch (const RouteToDevice&) { mixed_devices("__matmul__", o); }
     })
      .def("__rmatmul__", [](const Array& a, nb::handle o) -> nb::object {
        if (!is_array(o)) return not_implemented();
        try { return wrap(matmul(as_array(o), a)); } catch (const RouteToDevice&) { mixed_devices("__rmatmul__", o); }
      })
      .def("__imatmul__", [](nb::handle self, nb::handle o) -> nb::object {
        if (!is_array(o)) return not_implemented();
        Array& a = as_array(self);
        Array r;
        try { r = matmul(a, as_array(o)); } catch (const RouteToDevice&) { mixed_devices("__imatmul__", o); }
        if (r.shape != a.shape || r.dtype != a.dtype)
          throw ValueError("__imatmul__(): the result's shape or dtype differs from the left operand's");
        copy_into(a, r, "__imatmul__");
        return nb::borrow(self);
      });

  // Python scalars.
  cls.def("__bool__", [](const Array& a) {
       // Python's truth of the element: the spec's rule (NaN and infinities true, +-0 false).
       int truth = PyObject_IsTrue(python_scalar(a, "__bool__").ptr());
       if (truth < 0) throw nb::python_error();
       return truth != 0;
     })
      .def("__int__", [](const Array& a) {
        if (category_of(a.dtype) == kComplexFloat) throw TypeError("__int__(): cannot convert a complex array to int");
        return nb::int_(python_scalar(a, "__int__"));
      })
      .def("__index__", [](const Array& a) {
        if (!in_category(a.dtype, kInteger))
          throw TypeError("__index__(): only integer arrays can be used as an index, got " +
                          std::string(dtype_name(a.dtype)));
        return python_scalar(a, "__index__");
      })
      .def("__float__", [](const Array& a) {
        if (category_of(a.dtype) == kComplexFloat) throw TypeError("__float__(): cannot convert a complex array to float");
        return nb::float_(python_scalar(a, "__float__"));
      })
      .def("__complex__", [](const Array& a) {
        nb::object v = python_scalar(a, "__complex__");
        return nb::steal(PyObject_CallOneArg(reinterpret_cast<PyObject*>(&PyComplex_Type), v.ptr()));
      })
      .def("item", [](const Array& a) { return python_scalar(a, "item"); })
      .def("tolist", [](nb::handle self) { return call_python("trueno._formatting", "tolist", self); });

  // Sequence behaviour NumPy users expect.
  cls.def("__len__", [](const Array& a) {
       if (a.ndim() == 0) throw TypeError("len() of a 0-D array");
       return a.shape[0];
     })
      .def("__iter__", [](const Array& a) {
        if (a.ndim() == 0) throw TypeError("iteration over a 0-D array");
        nb::list items;
        for (int64_t i = 0; i < a.shape[0]; ++i) {
          IndexItem it{IndexItem::Integer};
          it.integer = i;
          items.append(wrap(get_item(a, {it})));
        }
        return nb::iter(items);
      })
      .def("__getitem__", [](const Array& a, nb::handle key) { return wrap(get_item(a, to_index(key, "__getitem__"))); },
           nb::arg("key").none())
      .def("__setitem__", [](const Array& a, nb::handle key, nb::handle value) {
        Array v;
        if (is_array(value)) {
          v = as_array(value);  // an array value is cast (astype's rule), not checked
        } else if (auto s = to_scalar(value, "__setitem__", "value")) {
          check_scalar_fits(*s, a.dtype, "__setitem__");
          v = operand(value, &a, "__setitem__", "value");
        } else if (is_numpy_value(value) && !is_numpy_array(value)) {
          // NumPy checks its own scalars as it checks Python's (np.int64(300)
          // into int8 raises there), so trueno does too.
          if (in_category(a.dtype, kInteger))
            if (auto s = to_scalar(nb::object(value.attr("item")()), "__setitem__", "value"))
              check_scalar_fits(*s, a.dtype, "__setitem__");
          v = operand(value, &a, "__setitem__", "value");
        } else {
          // A list becomes an array of a's dtype, its Python scalars checked
          // as above ([nan] into int64 stored -2**63 through a float64 array).
          const bool listed = PyList_Check(value.ptr()) || PyTuple_Check(value.ptr());
          v = to_array_like(value, listed ? std::optional<DType>(a.dtype) : std::nullopt, "__setitem__",
                           "value");
        }
        if (PyComplex_Check(value.ptr()) && category_of(a.dtype) != kComplexFloat)
          throw TypeError("__setitem__(): cannot assign a complex value to an array of dtype " +
                          std::string(dtype_name(a.dtype)));
        if (!is_array(value) && a.dtype == DType::Bool && v.dtype != DType::Bool && to_scalar(value, "__setitem__", "value"))
          v = astype_copy(v, DType::Bool, "__setitem__");
        set_item(a, to_index(key, "__setitem__"), v);
      }, nb::arg("key").none(), nb::arg("value").none());

  // The namespace, devices, interop.
  cls.def("__array_namespace__", [](const Array&, nb::handle api_version) {
       if (!api_version.is_none()) {
         static const char* known[] = {"2021.12", "2022.12", "2023.12", "2024.12", "2025.12"};
         bool ok = false;
         if (nb::isinstance<nb::str>(api_version))
           for (const char* k : known) ok |= nb::cast<std::string>(api_version) == k;
         if (!ok) throw ValueError("__array_namespace__(): unsupported api_version " +
                                   nb::cast<std::string>(nb::repr(api_version)));
       }
       return nb::module_::import_("trueno");
     }, nb::kw_only(), nb::arg("api_version").none() = nb::none())
      .def("to_device", [](nb::handle self, nb::handle device, nb::handle) {
        Device d = to_device(device, "to_device");  // another device: trueno._route moves it
        if (d != as_array(self).device) throw ValueError("to_device(): cannot move to " + d.name());
        return nb::borrow(self);
      }, nb::arg("device").none(), nb::kw_only(), nb::arg("stream").none() = nb::none())
      .def("__dlpack__", &to_dlpack, nb::kw_only(), nb::arg("stream").none() = nb::none(),
           nb::arg("max_version").none() = nb::none(), nb::arg("dl_device").none() = nb::none(),
           nb::arg("copy").none() = nb::none())
      .def("__dlpack_device__", [](const Array&) { return nb::make_tuple(int(dlpack::kCPU), 0); })
      .def("__array__", [](nb::handle self, nb::handle dtype, nb::handle copy) {
        nb::module_ np = nb::module_::import_("numpy");
        nb::object view = nb::steal(PyMemoryView_FromObject(self.ptr()));
        if (!view.is_valid()) throw nb::python_error();
        nb::object arr = np.attr("asarray")(view);
        if (!dtype.is_none()) arr = arr.attr("astype")(dtype, "copy"_a = false);
        if (to_optional_bool(copy, "__array__", "copy").value_or(false)) arr = arr.attr("copy")();
        return arr;
      }, nb::arg("dtype").none() = nb::none(), nb::kw_only(), nb::arg("copy").none() = nb::none())
      .def("__repr__", [](nb::handle self) { return call_python("trueno._formatting", "array_repr", self); })
      .def("__str__", [](nb::handle self) { return call_python("trueno._formatting", "array_str", self); })
      .def("__reduce__", [](nb::handle self) { return call_python("trueno._formatting", "reduce", self); })
      .def("__reduce_ex__", [](nb::handle self, int protocol) {
        return nb::module_::import_("trueno._formatting").attr("reduce_ex")(self, protocol);
      }, nb::arg("protocol"))
      .def("__sizeof__", [](nb::handle self) { return sizeof_array(self); })
      .def("__copy__", [](const Array& a) { return wrap(as_contiguous(a, true, "__copy__")); })
      .def("__deepcopy__", [](const Array& a, nb::handle) { return wrap(as_contiguous(a, true, "__deepcopy__")); }, nb::arg("memo").none());
  cls.attr("__hash__") = nb::none();

  // The device route (trueno/_route.py): an array on another device is a
  // trueno.Array whose C++ part holds only its shape, dtype and device (no
  // data; as_array refuses it), and whose Python part holds the backend's array.
  m.def("_init_device_array", [](nb::handle obj, nb::handle shape, nb::handle dtype, nb::handle device) {
    if (!nb::isinstance<Array>(obj) || nb::inst_ready(obj))
      throw TypeError("_init_device_array(): obj must be a new, uninitialised trueno array");
    Device d = parse_device(device, "_init_device_array");
    if (d.kind == Device::CPU) throw ValueError("_init_device_array(): device must not be the CPU");
    Array meta;
    meta.shape = to_shape(shape, "_init_device_array");
    meta.dtype = to_dtype(dtype, "_init_device_array");
    meta.strides = c_strides(meta.shape, itemsize(meta.dtype));
    meta.device = d;
    new (nb::inst_ptr<Array>(obj)) Array(std::move(meta));
    nb::inst_mark_ready(obj);
  });
  m.def("_make_device", [](int kind, int index) {
    if (kind < Device::CPU || kind > Device::Test || index < 0)
      throw ValueError("_make_device(): bad device kind or index");
    return Device{kind, kind == Device::CPU ? 0 : index};
  });
  m.def("_set_default_device", [](nb::handle device) { set_default_device(parse_device(device, "_set_default_device")); });
  m.def("_default_device", []() { return parse_device(nb::none(), "_default_device"); });
}

}  // namespace trueno::py

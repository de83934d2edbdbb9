// trueno.Function: a thin callable around a nanobind function that gives it
// a real signature. nanobind's functions cannot be introspected
// (inspect.signature and help() fail on them), and the array API's
// consumers and conformance suite introspect signatures. Calls go straight
// through with vectorcall (~10 ns); the signature is parsed once, lazily, from
// nanobind's own __nb_signature__ (trueno/_signatures.py).
#include <dlfcn.h>
#include <execinfo.h>
#include <nanobind/nanobind.h>
#include <nanobind/stl/string.h>
#include <structmember.h>

#include <cstring>

#include "bindings/bind.h"
#include "bindings/convert.h"
#include "ops/elementwise.h"

namespace nb = nanobind;

namespace trueno::py {

namespace {

struct Function {
  PyObject_HEAD
  PyObject* wrapped;
  PyObject* signature;  // cached inspect.Signature, or null
  PyObject* module;     // str
  vectorcallfunc vectorcall;
  // Set once a positional device array has sent a call of this function to
  // the route: later such calls go there directly (see function_vectorcall).
  bool routes_positional_device_array;
  // The table row of an elementwise function, for its direct path; else null.
  const ElementwiseFunction* elementwise;
  bool reflected;  // an operator's reflected form (__radd__): operands swap
  bool operator_method;  // an array operator (__add__, ...): may reuse a temporary
};

// trueno._route.DeviceArray, registered at import (borrowed: the class lives
// as long as the module that holds it).
PyTypeObject* g_device_array_type = nullptr;

// `module.name`, imported on first use (a strong reference for the process's life).
PyObject* python_helper(PyObject*& cache, const char* module, const char* name) {
  if (!cache) {
    PyObject* mod = PyImport_ImportModule(module);
    if (!mod) return nullptr;
    cache = PyObject_GetAttrString(mod, name);
    Py_DECREF(mod);
  }
  return cache;
}

// helper(first, args, kwargs), with the arguments of a vectorcall exactly as the
// caller passed them.
PyObject* call_with_arguments(PyObject* helper, PyObject* first, PyObject* const* args, size_t nargsf,
                              PyObject* kwnames) {
  Py_ssize_t nargs = PyVectorcall_NARGS(nargsf);
  PyObject* positional = PyTuple_New(nargs);
  if (!positional) return nullptr;
  for (Py_ssize_t i = 0; i < nargs; ++i) PyTuple_SET_ITEM(positional, i, Py_NewRef(args[i]));
  PyObject* keywords = PyDict_New();
  if (!keywords) {
    Py_DECREF(positional);
    return nullptr;
  }
  Py_ssize_t nkw = kwnames ? PyTuple_GET_SIZE(kwnames) : 0;
  for (Py_ssize_t i = 0; i < nkw; ++i) {
    if (PyDict_SetItem(keywords, PyTuple_GET_ITEM(kwnames, i), args[nargs + i]) < 0) {
      Py_DECREF(positional);
      Py_DECREF(keywords);
      return nullptr;
    }
  }
  PyObject* result = PyObject_CallFunctionObjArgs(helper, first, positional, keywords, nullptr);
  Py_DECREF(positional);
  Py_DECREF(keywords);
  return result;
}

// Hands a call that met another device to trueno._route.route_native(function,
// args, kwargs).
PyObject* route_to_device(PyObject* self, PyObject* const* args, size_t nargsf, PyObject* kwnames) {
  static PyObject* router = nullptr;
  if (!python_helper(router, "trueno._route", "route_native")) return nullptr;
  return call_with_arguments(router, self, args, nargsf, kwnames);
}

// nanobind refuses arguments it cannot match (an unknown keyword, a missing or
// extra argument, None for a parameter that does not take it, a wrong type for
// a `bool` or `str` parameter) with a TypeError that lists its overloads and the
// argument types, and no parameter's name. Such an error is replaced by
// trueno._signatures.incompatible_arguments's message, which names the
// function and the argument as trueno's own errors do; so is the bare message
// a failed nanobind cast becomes (types.cpp), which names no function. Only on
// the error path, and only for these two messages.
void reword_incompatible_arguments(PyObject* wrapped, PyObject* const* args, size_t nargsf, PyObject* kwnames) {
  if (!PyErr_ExceptionMatches(PyExc_TypeError)) return;
  PyObject *type, *value, *traceback;
  PyErr_Fetch(&type, &value, &traceback);
  PyErr_NormalizeException(&type, &value, &traceback);
  static PyObject* dump = PyUnicode_InternFromString("incompatible function arguments");
  static PyObject* cast_failure = PyUnicode_InternFromString(kCastFailureMessage);
  static PyObject* helper = nullptr;
  PyObject* text = value ? PyObject_Str(value) : nullptr;
  PyObject* message = nullptr;
  if (text && dump && PyUnicode_Contains(text, dump) == 1 &&
      python_helper(helper, "trueno._signatures", "incompatible_arguments")) {
    message = call_with_arguments(helper, wrapped, args, nargsf, kwnames);
  } else if (text && cast_failure && PyUnicode_Compare(text, cast_failure) == 0) {
    PyObject* name = PyObject_GetAttrString(wrapped, "__name__");
    if (name) message = PyUnicode_FromFormat("%U(): %U", name, text);
    Py_XDECREF(name);
  }
  Py_XDECREF(text);
  if (message && PyUnicode_Check(message)) {
    PyErr_SetObject(PyExc_TypeError, message);
    Py_XDECREF(type);
    Py_XDECREF(value);
    Py_XDECREF(traceback);
  } else {
    PyErr_Clear();  // (the helper's own failure, if any: nanobind's error stands)
    PyErr_Restore(type, value, traceback);
  }
  Py_XDECREF(message);
}

PyObject* function_vectorcall(PyObject* self, PyObject* const* args, size_t nargsf, PyObject* kwnames) {
  auto* f = reinterpret_cast<Function*>(self);
  const Py_ssize_t nargs = PyVectorcall_NARGS(nargsf);
  bool positional_device_array = false;
  for (Py_ssize_t i = 0; i < nargs && !positional_device_array; ++i)
    positional_device_array = Py_TYPE(args[i]) == g_device_array_type;
  // Argument conversion finds a device array by throwing RouteToDevice, and
  // the throw, its translation and the Python exception cost ~3 us a call,
  // more than the route itself. A function that has routed a positional
  // device array once routes such calls every time, skipping the attempt.
  if (positional_device_array && f->routes_positional_device_array) [[unlikely]]
    return route_to_device(self, args, nargsf, kwnames);
  PyObject* result = PyObject_Vectorcall(f->wrapped, args, nargsf, kwnames);
  if (result == nullptr) [[unlikely]] {
    if (PyErr_ExceptionMatches(route_exception)) {
      PyErr_Clear();
      if (positional_device_array) f->routes_positional_device_array = true;
      return route_to_device(self, args, nargsf, kwnames);
    }
    reword_incompatible_arguments(f->wrapped, args, nargsf, kwnames);
  }
  return result;
}

// trueno.Array itself (not DeviceArray), set when the functions are wrapped.
PyTypeObject* g_array_type = nullptr;

Array* plain_cpu_array(PyObject* o) {
  // (Array.__new__ alone makes an instance with no array in it yet)
  if (Py_TYPE(o) != g_array_type || !nb::inst_ready(nb::handle(o))) return nullptr;
  Array* a = nb::inst_ptr<Array>(nb::handle(o));
  return a->device.kind == Device::CPU ? a : nullptr;
}

// ---- temporaries --------------------------------------------------------
// NumPy's temporary elision (numpy/_core/src/multiarray/temp_elide.c): in
// `a * b + c` the product is a temporary that only the interpreter's stack
// holds, so the sum may be written over it instead of into fresh memory:
// one buffer less to fault in and to pull through the caches (a large
// `a * b + c` ~15% faster, as NumPy's). Only for big arrays (the check costs
// ~1-2 us), for operators, and only when the interpreter itself made the
// call: C code can hold a borrowed reference to an object whose count is 1,
// so every frame between here and the interpreter's loop must be the
// interpreter's or trueno's own.
constexpr size_t kMinTemporaryBytes = 256 * 1024;

// What a return address on the C stack belongs to, as dladdr tells (slow:
// ~1 us a frame); remembered for the few addresses a program's operators
// are called from.
enum class FrameOwner : uint8_t { Unknown, Interpreter, InterpreterLoop, Trueno, Other };

FrameOwner frame_owner(void* address) {
  static const void* python_base = nullptr;
  static const void* trueno_base = nullptr;
  static bool bases_known = false;
  if (!bases_known) {
    Dl_info python{}, own{};
    if (dladdr(reinterpret_cast<void*>(&PyNumber_Add), &python)) python_base = python.dli_fbase;
    if (dladdr(reinterpret_cast<void*>(&frame_owner), &own)) trueno_base = own.dli_fbase;
    bases_known = true;
  }
  struct Seen {
    void* address;
    FrameOwner owner;
  };
  static Seen seen[256];  // open addressing; full: look up anew
  const size_t start = (reinterpret_cast<uintptr_t>(address) >> 4) % 256;
  for (size_t probe = 0; probe < 256; ++probe) {
    Seen& slot = seen[(start + probe) % 256];
    if (slot.address == address) return slot.owner;
    if (slot.address != nullptr) continue;
    Dl_info info{};
    FrameOwner owner = FrameOwner::Other;
    if (!python_base || !trueno_base || !dladdr(address, &info)) owner = FrameOwner::Unknown;
    else if (info.dli_fbase == trueno_base) owner = FrameOwner::Trueno;
    else if (info.dli_fbase == python_base)
      owner = info.dli_sname && std::strcmp(info.dli_sname, "_PyEval_EvalFrameDefault") == 0
                  ? FrameOwner::InterpreterLoop
                  : FrameOwner::Interpreter;
    slot = {address, owner};
    return owner;
  }
  return FrameOwner::Unknown;
}

bool called_by_the_interpreter() {
  void* frames[12];
  const int count = backtrace(frames, 12);
  for (int i = 0; i < count; ++i) {
    switch (frame_owner(frames[i])) {
      case FrameOwner::InterpreterLoop: return true;
      case FrameOwner::Interpreter:
      case FrameOwner::Trueno: continue;
      default: return false;  // C code of someone else's in between, or unknown
    }
  }
  return false;
}

// Whether `o` (holding `a`) is a temporary whose memory the result may take.
bool is_temporary(PyObject* o, const Array& a) {
  return Py_REFCNT(o) == 1 && a.buffer && a.buffer.use_count() == 1 && !a.buffer->is_borrowed() &&
         !a.readonly && a.nbytes() >= kMinTemporaryBytes && a.is_c_contiguous();
}

// x <op> y over whichever of the two operands is a temporary; null if none is.
PyObject* over_temporary(const ElementwiseFunction& e, PyObject* x_object, const Array& x,
                         PyObject* y_object, const Array& y) {
  const bool x_temporary = x_object && is_temporary(x_object, x);
  const bool y_temporary = y_object && is_temporary(y_object, y);
  if (!(x_temporary || y_temporary) || !called_by_the_interpreter()) return nullptr;
  if (x_temporary && apply_binary_over_operand(e, x, y, x)) return Py_NewRef(x_object);
  if (y_temporary && apply_binary_over_operand(e, x, y, y)) return Py_NewRef(y_object);
  return nullptr;
}

// A Python int, float or bool operand of an operator, as the full call takes it.
bool is_python_scalar(PyObject* o) {
  return PyFloat_CheckExact(o) || PyLong_CheckExact(o) || PyBool_Check(o);
}

// Elementwise calls (and the array's operators) on CPU arrays given
// positionally, the small-array hot path: the table row runs directly, skipping nanobind's argument dispatch
// (~80 ns of a ~300 ns xp.add on 100 floats); operators with a Python scalar too.
// Anything else, and any error, takes the full call, which raises the error
// with its proper type and words.
PyObject* elementwise_vectorcall(PyObject* self, PyObject* const* args, size_t nargsf, PyObject* kwnames) {
  auto* f = reinterpret_cast<Function*>(self);
  const ElementwiseFunction& e = *f->elementwise;
  if (kwnames == nullptr && PyVectorcall_NARGS(nargsf) == e.arity) {
    Array* a = plain_cpu_array(args[0]);
    Array* b = e.arity == 2 && a ? plain_cpu_array(args[1]) : a;
    if (a && b) {
      try {
        if (e.arity == 1) return nb::cast(apply_unary(e, *a)).release().ptr();
        // the expression is x <op> y; a reflected operator (__radd__) is called on y
        PyObject* x_object = f->reflected ? args[1] : args[0];
        PyObject* y_object = f->reflected ? args[0] : args[1];
        const Array& x = f->reflected ? *b : *a;
        const Array& y = f->reflected ? *a : *b;
        if (f->operator_method)
          if (PyObject* result = over_temporary(e, x_object, x, y_object, y)) return result;
        return nb::cast(apply_binary(e, x, y)).release().ptr();
      } catch (...) {
        PyErr_Clear();  // (a failed cast sets one)
      }
    } else if (a && e.arity == 2 && f->operator_method && is_python_scalar(args[1])) {
      try {  // as the full call: the scalar takes the array's dtype (align_with_scalar)
        const Array s = operand(nb::handle(args[1]), a, e.name, "other");
        Array aligned = align_with_scalar(*a, s, e.name);
        // unchanged: the array itself (and no second hold on its buffer, which
        // would hide that it is a temporary)
        const bool unchanged = aligned.data == a->data && aligned.dtype == a->dtype;
        if (unchanged) aligned = Array();
        const Array& array_side = unchanged ? *a : aligned;
        PyObject* array_object = unchanged ? args[0] : nullptr;
        if (f->reflected) {
          if (PyObject* result = over_temporary(e, nullptr, s, array_object, array_side)) return result;
          return nb::cast(apply_binary(e, s, array_side)).release().ptr();
        }
        if (PyObject* result = over_temporary(e, array_object, array_side, nullptr, s)) return result;
        return nb::cast(apply_binary(e, array_side, s)).release().ptr();
      } catch (...) {
        PyErr_Clear();
      }
    }
  }
  return function_vectorcall(self, args, nargsf, kwnames);
}

bool holds_device_array(PyObject* o) {
  PyTypeObject* t = Py_TYPE(o);
  if (t == g_device_array_type) return true;
  if (t == &PyList_Type || t == &PyTuple_Type) {
    // Only reads item types: no Python code runs, so the sequence cannot change meanwhile.
    Py_ssize_t n = PySequence_Fast_GET_SIZE(o);
    PyObject** items = PySequence_Fast_ITEMS(o);
    for (Py_ssize_t i = 0; i < n; ++i)
      if (Py_TYPE(items[i]) == g_device_array_type) return true;
  }
  return false;
}

// None, 'cpu' and the CPU Device stay on the CPU path; anything else (other
// devices, bad values) goes to the route, which words the errors.
bool names_cpu(PyObject* v) {
  if (v == Py_None) return true;
  if (PyUnicode_Check(v)) return PyUnicode_CompareWithASCIIString(v, "cpu") == 0;
  nb::handle h(v);
  return nb::isinstance<Device>(h) && nb::inst_ready(h) && nb::inst_ptr<Device>(h)->kind == Device::CPU;
}

// For functions written in Python (linalg, fft, composed namespace functions):
// they would meet device arrays only in the native calls inside them, too
// late to route the whole call, so the arguments are looked at first. A scan
// of types in C costs a few ns, where a Python wrapper cost hundreds.
PyObject* scanning_vectorcall(PyObject* self, PyObject* const* args, size_t nargsf, PyObject* kwnames) {
  Py_ssize_t nargs = PyVectorcall_NARGS(nargsf);
  bool route = false;
  for (Py_ssize_t i = 0; i < nargs && !route; ++i) route = holds_device_array(args[i]);
  Py_ssize_t nkw = kwnames ? PyTuple_GET_SIZE(kwnames) : 0;
  for (Py_ssize_t i = 0; i < nkw && !route; ++i) {
    PyObject* value = args[nargs + i];
    route = holds_device_array(value) ||
            (PyUnicode_CompareWithASCIIString(PyTuple_GET_ITEM(kwnames, i), "device") == 0 && !names_cpu(value));
  }
  if (route) [[unlikely]] return route_to_device(self, args, nargsf, kwnames);
  return PyObject_Vectorcall(reinterpret_cast<Function*>(self)->wrapped, args, nargsf, kwnames);
}

void function_dealloc(PyObject* self) {
  auto* f = reinterpret_cast<Function*>(self);
  PyObject_GC_UnTrack(self);
  Py_CLEAR(f->wrapped);
  Py_CLEAR(f->signature);
  Py_CLEAR(f->module);
  PyTypeObject* tp = Py_TYPE(self);
  tp->tp_free(self);
  Py_DECREF(tp);
}

int function_traverse(PyObject* self, visitproc visit, void* arg) {
  auto* f = reinterpret_cast<Function*>(self);
  Py_VISIT(f->wrapped);
  Py_VISIT(f->signature);
  Py_VISIT(Py_TYPE(self));
  return 0;
}

PyObject* get_signature(PyObject* self, void*) {
  auto* f = reinterpret_cast<Function*>(self);
  if (!f->signature) {
    try {
      nb::object sig = PyFunction_Check(f->wrapped)
                           ? nb::module_::import_("inspect").attr("signature")(nb::handle(f->wrapped))
                           : nb::module_::import_("trueno._signatures").attr("from_nanobind")(nb::handle(f->wrapped));
      if (!f->signature) f->signature = sig.release().ptr();  // (a re-entrant call may have set it)
    } catch (nb::python_error& e) {
      e.restore();
      return nullptr;
    } catch (const std::exception& e) {  // a C slot: nothing may escape
      PyErr_SetString(PyExc_RuntimeError, e.what());
      return nullptr;
    }
  }
  return Py_NewRef(f->signature);
}

PyObject* get_wrapped_attr(PyObject* self, const char* name) {
  return PyObject_GetAttrString(reinterpret_cast<Function*>(self)->wrapped, name);
}
// The signature line and a one-line summary, composed in Python
// (trueno/_signatures.py holds the table of summaries).
PyObject* get_doc(PyObject* self, void*) {
  try {
    nb::handle wrapped(reinterpret_cast<Function*>(self)->wrapped);
    if (PyFunction_Check(wrapped.ptr())) {  // a routed Python function: the signature line, then its own docstring
      nb::object signature = nb::steal(get_signature(self, nullptr));
      if (!signature.is_valid()) return nullptr;
      return nb::module_::import_("trueno._signatures").attr("python_function_doc")(wrapped, signature)
          .release().ptr();
    }
    return nb::module_::import_("trueno._signatures").attr("function_doc")(nb::handle(self)).release().ptr();
  } catch (nb::python_error& e) {
    e.restore();
    return nullptr;
  } catch (const std::exception& e) {  // a C slot: nothing may escape
    PyErr_SetString(PyExc_RuntimeError, e.what());
    return nullptr;
  }
}
PyObject* get_name(PyObject* self, void*) { return get_wrapped_attr(self, "__name__"); }
PyObject* get_qualname(PyObject* self, void*) { return get_wrapped_attr(self, "__qualname__"); }

// Each function's module is its own (trueno, trueno.nn, trueno.linalg, ...),
// while the type's __module__ must stay the string "trueno": a getset named
// __module__ would shadow the type's entry (type(f).__module__ became the
// descriptor, which Cubed reads), so the instance attribute is answered here.
PyObject* function_getattro(PyObject* self, PyObject* name) {
  if (PyUnicode_Check(name) && PyUnicode_CompareWithASCIIString(name, "__module__") == 0)
    return Py_NewRef(reinterpret_cast<Function*>(self)->module);
  return PyObject_GenericGetAttr(self, name);
}

// Pickled by reference, as Python functions are: the name under its module
// (pickle resolves a dotted qualname such as "Array.sum" and checks that it
// finds this very object), so a function travels to another process, e.g.
// Cubed's and Dask's workers, and unpickles to the same object.
PyObject* function_reduce(PyObject* self, PyObject*) { return get_qualname(self, nullptr); }

PyMethodDef function_methods[] = {
    {"__reduce__", function_reduce, METH_NOARGS, nullptr},
    {nullptr, nullptr, 0, nullptr},
};

PyObject* function_repr(PyObject* self) {
  auto* f = reinterpret_cast<Function*>(self);
  nb::object name = nb::steal(PyObject_GetAttrString(f->wrapped, "__name__"));
  if (!name.is_valid()) return nullptr;
  return PyUnicode_FromFormat("<function %U.%U>", f->module, name.ptr());
}

// As a class attribute it binds like a Python function (and, being a method
// descriptor, without allocating a bound method on each call).
PyObject* function_descr_get(PyObject* self, PyObject* obj, PyObject*) {
  if (obj == nullptr || obj == Py_None) return Py_NewRef(self);
  return PyMethod_New(self, obj);
}

PyGetSetDef function_getset[] = {
    {"__signature__", get_signature, nullptr, nullptr, nullptr},
    {"__doc__", get_doc, nullptr, nullptr, nullptr},
    {"__name__", get_name, nullptr, nullptr, nullptr},
    {"__qualname__", get_qualname, nullptr, nullptr, nullptr},
    {nullptr, nullptr, nullptr, nullptr, nullptr},
};

PyMemberDef function_members[] = {
    {"__vectorcalloffset__", T_PYSSIZET, offsetof(Function, vectorcall), READONLY, nullptr},
    {nullptr, 0, 0, 0, nullptr},
};

PyType_Slot function_slots[] = {
    {Py_tp_dealloc, reinterpret_cast<void*>(&function_dealloc)},
    {Py_tp_traverse, reinterpret_cast<void*>(&function_traverse)},
    {Py_tp_call, reinterpret_cast<void*>(&PyVectorcall_Call)},
    {Py_tp_repr, reinterpret_cast<void*>(&function_repr)},
    {Py_tp_descr_get, reinterpret_cast<void*>(&function_descr_get)},
    {Py_tp_getset, function_getset},
    {Py_tp_members, function_members},
    {Py_tp_methods, function_methods},
    {Py_tp_getattro, reinterpret_cast<void*>(&function_getattro)},
    {0, nullptr},
};

PyType_Spec function_spec = {
    "trueno.Function", sizeof(Function), 0,
    Py_TPFLAGS_DEFAULT | Py_TPFLAGS_HAVE_GC | Py_TPFLAGS_HAVE_VECTORCALL | Py_TPFLAGS_METHOD_DESCRIPTOR,
    function_slots,
};

PyTypeObject* function_type = nullptr;

nb::object make_function(nb::handle wrapped, const char* module, vectorcallfunc call = &function_vectorcall) {
  auto* f = PyObject_GC_New(Function, function_type);
  if (!f) throw nb::python_error();
  f->wrapped = Py_NewRef(wrapped.ptr());
  f->signature = nullptr;
  f->module = PyUnicode_FromString(module);
  if (!f->module) {
    Py_DECREF(reinterpret_cast<PyObject*>(f));
    throw nb::python_error();
  }
  f->vectorcall = call;
  f->routes_positional_device_array = false;
  f->elementwise = nullptr;
  f->reflected = false;
  f->operator_method = false;
  PyObject_GC_Track(reinterpret_cast<PyObject*>(f));
  return nb::steal(reinterpret_cast<PyObject*>(f));
}

}  // namespace

namespace {
void wrap_module_functions(nb::handle module, nb::handle nb_func_type, const char* public_name,
                           bool elementwise_table = false) {
  for (auto [name, value] : nb::dict(nb::borrow<nb::dict>(module.attr("__dict__")))) {
    std::string key = nb::cast<std::string>(name);
    if (key.empty() || key[0] == '_' || !value.type().is(nb_func_type)) continue;
    const ElementwiseFunction* row = elementwise_table ? find_elementwise_function(key) : nullptr;
    nb::object function = make_function(value, public_name, row ? &elementwise_vectorcall : &function_vectorcall);
    reinterpret_cast<Function*>(function.ptr())->elementwise = row;
    nb::setattr(module, key.c_str(), function);
  }
}
}  // namespace

void wrap_public_functions(nb::module_& m) {
  function_type = reinterpret_cast<PyTypeObject*>(PyType_FromSpec(&function_spec));
  if (!function_type) throw nb::python_error();
  m.attr("Function") = nb::handle(reinterpret_cast<PyObject*>(function_type));
  nb::handle nb_func_type = nb::handle(reinterpret_cast<PyObject*>(Py_TYPE(m.attr("asarray").ptr())));
  g_array_type = reinterpret_cast<PyTypeObject*>(nb::type<Array>().ptr());
  wrap_module_functions(m, nb_func_type, "trueno", /*elementwise_table=*/true);
  if (nb::hasattr(m, "nn")) wrap_module_functions(m.attr("nn"), nb_func_type, "trueno.nn");
  // Every method of the array too, for its signature and docstring (an operator
  // still goes through its type slot, which now finds the Function).
  m.def("_routed_function", [](nb::handle func, const std::string& module) {
    if (!PyFunction_Check(func.ptr())) throw nb::type_error("_routed_function(): func must be a Python function");
    return make_function(func, module.c_str(), &scanning_vectorcall);
  });
  // Whether this process can tell who called it (see called_by_the_interpreter;
  // not under a sanitizer's runtime, say): operators reuse temporaries only then.
  m.def("_sees_its_callers", [] { return called_by_the_interpreter(); });
  m.def("_register_device_array_type", [](nb::handle cls) {
    if (!PyType_Check(cls.ptr())) throw nb::type_error("_register_device_array_type(): cls must be a class");
    g_device_array_type = reinterpret_cast<PyTypeObject*>(cls.ptr());
  });
  nb::object array_type = m.attr("Array");
  nb::handle nb_method_type = nb::handle(reinterpret_cast<PyObject*>(Py_TYPE(array_type.attr("item").ptr())));
  std::vector<std::string> methods;
  for (nb::handle item : array_type.attr("__dict__").attr("items")()) {  // (a mappingproxy)
    nb::tuple name_value = nb::borrow<nb::tuple>(item);
    if (name_value[1].type().is(nb_method_type)) methods.push_back(nb::cast<std::string>(name_value[0]));
  }
  for (const std::string& method : methods) {
    const ElementwiseFunction* row = nullptr;
    bool reflected = false;
    for (const ArrayOperator& op : array_operators()) {
      reflected = op.reflected && method == op.reflected;
      if (method == op.dunder || reflected) {
        row = find_elementwise_function(op.function);
        break;
      }
    }
    nb::object function = make_function(array_type.attr(method.c_str()), "trueno",
                                         row ? &elementwise_vectorcall : &function_vectorcall);
    reinterpret_cast<Function*>(function.ptr())->elementwise = row;
    reinterpret_cast<Function*>(function.ptr())->reflected = reflected;
    reinterpret_cast<Function*>(function.ptr())->operator_method = row != nullptr;
    nb::setattr(array_type, method.c_str(), function);
  }
}

}  // namespace trueno::py

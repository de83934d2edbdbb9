// dtype and device objects, error translation, ISA control.
#include <nanobind/stl/string.h>
#include <nanobind/stl/vector.h>

#include <cstdlib>

#include "bindings/bind.h"
#include "bindings/convert.h"
#include "core/errors.h"
#include "core/isa.h"

namespace trueno::py {

void bind_types(nb::module_& m) {
  // Functions referenced from Python-level caches at interpreter exit make
  // nanobind report false "leaks"; leaks are tested by RSS instead.
  nb::set_leak_warnings(false);
  static PyObject* axis_error = PyErr_NewExceptionWithDoc(
      "trueno.AxisError", "An axis argument out of range (both a ValueError and an IndexError).",
      nb::make_tuple(nb::handle(PyExc_ValueError), nb::handle(PyExc_IndexError)).ptr(), nullptr);
  if (!axis_error) throw nb::python_error();
  m.attr("AxisError") = nb::handle(axis_error);
  route_exception = PyErr_NewExceptionWithDoc(
      "trueno._core._RouteToDevice", "Internal: the call involves another device (caught by trueno.Function).",
      nullptr, nullptr);
  if (!route_exception) throw nb::python_error();
  m.attr("_RouteToDevice") = nb::handle(route_exception);
  // trueno.linalg.LinAlgError is a Python class (a subclass of NumPy's), which
  // trueno.linalg registers here when it is imported.
  static PyObject* linalg_error = nullptr;
  m.def("_register_linalg_error", [](nb::handle cls) {
    if (!PyType_Check(cls.ptr()) || !PyType_IsSubtype(reinterpret_cast<PyTypeObject*>(cls.ptr()),
                                                       reinterpret_cast<PyTypeObject*>(PyExc_ValueError)))
      throw nb::type_error("_register_linalg_error(): cls must be a subclass of ValueError");
    Py_XSETREF(linalg_error, Py_NewRef(cls.ptr()));
  });
  nb::register_exception_translator([](const std::exception_ptr& p, void*) {
    try {
      std::rethrow_exception(p);
    } catch (const RouteToDevice&) {
      PyErr_SetString(route_exception, "this call involves an array or a device other than the CPU");
    } catch (const LinAlgError& e) {
      PyErr_SetString(linalg_error ? linalg_error : PyExc_ValueError, e.what());
    } catch (const AxisError& e) {
      PyErr_SetString(axis_error, e.what());
    } catch (const TypeError& e) {
      PyErr_SetString(PyExc_TypeError, e.what());
    } catch (const ValueError& e) {
      PyErr_SetString(PyExc_ValueError, e.what());
    } catch (const IndexError& e) {
      PyErr_SetString(PyExc_IndexError, e.what());
    } catch (const OverflowError& e) {
      PyErr_SetString(PyExc_OverflowError, e.what());
    } catch (const MemoryError& e) {
      PyErr_SetString(PyExc_MemoryError, e.what());
    } catch (const NotImplementedError& e) {
      PyErr_SetString(PyExc_NotImplementedError, e.what());
    } catch (const nb::cast_error&) {
      // A Python object nanobind could not convert: a wrong argument type, never a RuntimeError.
      PyErr_SetString(PyExc_TypeError, kCastFailureMessage);
    }
  });

  // The dtypes are NumPy's own dtype instances (as CuPy's and JAX's are): NumPy,
  // Dask, Cubed and xarray read, compare and hash them as theirs. NumPy's
  // built-in dtypes are immortal singletons, so the borrowed table in
  // convert.cpp stays valid and `x.dtype is xp.float32` holds.
  nb::module_ numpy = nb::module_::import_("numpy");
  register_numpy_types(numpy);
  nb::object numpy_dtype = numpy.attr("dtype");
  m.attr("DType") = numpy_dtype;
  for (int i = 0; i < kNumDTypes; ++i) {
    DType d = static_cast<DType>(i);
    nb::object obj = numpy_dtype(dtype_name(d));
    register_dtype_object(d, obj);
    m.attr(dtype_name(d)) = obj;
  }

  nb::class_<Device>(m, "Device", "Where an array lives: 'cpu', 'cuda:N' (with trueno[cuda]) or the test-only 'test:0'.")
      .def("__init__", [](Device* self, nb::handle spec) { new (self) Device(parse_device(spec, "Device")); })
      .def_prop_ro("type", [](const Device& d) {
        std::string n = d.name();
        return n.substr(0, n.find(':'));
      })
      .def_ro("index", &Device::index)
      .def("__repr__", [](const Device& d) { return "Device('" + d.name() + "')"; })
      .def("__str__", &Device::name)
      .def("__eq__", [](const Device& a, nb::handle b) {
        if (nb::isinstance<Device>(b)) return a == nb::cast<const Device&>(b);
        if (nb::isinstance<nb::str>(b)) return a.name() == nb::cast<std::string>(b);
        return false;
      }, nb::arg("other").none())
      .def("__ne__", [](const Device& a, nb::handle b) {
        if (nb::isinstance<Device>(b)) return a != nb::cast<const Device&>(b);
        if (nb::isinstance<nb::str>(b)) return a.name() != nb::cast<std::string>(b);
        return true;
      }, nb::arg("other").none())
      .def("__hash__", [](const Device& d) { return d.kind * 1000 + d.index; })
      .def("__reduce__", [](const Device& d) {
        return nb::make_tuple(nb::module_::import_("trueno._core").attr("Device"),
                              nb::make_tuple(d.name()));
      });
  m.attr("CPU_DEVICE") = nb::cast(Device{});

  m.def("available_isas", &available_isas,
        "Names of the SIMD targets compiled in and supported by this CPU, best first.");
  m.def("compiled_isas", &compiled_isas, "Every SIMD target compiled in, supported here or not.");
  m.def("_kernel_build_info", &kernel_build_info);
  m.def("get_isa", &active_isa, "The SIMD target the kernels dispatch to now.");
  m.def("set_isa", [](nb::handle name) {
    if (!PyUnicode_Check(name.ptr()))
      throw TypeError("set_isa(): name must be a str, got " + std::string(Py_TYPE(name.ptr())->tp_name));
    set_isa(nb::cast<std::string>(name));
  }, nb::arg("name"), "Pin the SIMD target ('avx3', 'avx2', 'sse4', 'ssse3', 'scalar'), or 'best' to unpin.");
  // An empty TRUENO_ISA is unset (shells make it easily); set_isa('') is an error.
  if (const char* env = std::getenv("TRUENO_ISA"); env && *env) set_isa(env);
}

}  // namespace trueno::py

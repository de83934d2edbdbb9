// clip(x, /, min=None, max=None): converts the bounds; the work is in ops/clip.
#include "bindings/bind.h"
#include "bindings/convert.h"
#include "core/errors.h"
#include "ops/clip.h"

namespace trueno::py {

using namespace nb::literals;

namespace {

ClipBound to_bound(nb::handle h, const Array& x, const char* name) {
  ClipBound b;
  if (h.is_none()) return b;
  if (is_array(h)) {
    b.array = &as_array(h);
    return b;
  }
  PyObject* o = h.ptr();
  if (PyBool_Check(o) || !(PyLong_Check(o) || PyFloat_Check(o)))
    throw TypeError(std::string("clip(): ") + name + " must be an array or a real Python scalar");
  if (PyLong_Check(o) && in_category(x.dtype, kInteger)) {
    // Beyond int64/uint64: clamped to x's range like any other int bound.
    int overflow = 0;
    PyLong_AsLongLongAndOverflow(o, &overflow);
    if (overflow != 0 && (overflow < 0 || (PyLong_AsUnsignedLongLong(o), PyErr_Occurred()))) {
      PyErr_Clear();
      Scalar s{};
      s.kind = Scalar::Int;
      s.i = overflow < 0 ? INT64_MIN : -1;
      s.int_is_unsigned = overflow > 0;
      b.scalar = s;
      return b;
    }
  }
  b.scalar = to_scalar(h, "clip", name);
  return b;
}

}  // namespace

void bind_clip(nb::module_& m) {
  m.def("clip", [](nb::handle x, nb::handle min, nb::handle max) {
    if (!is_array(x)) throw TypeError("clip(): x must be a trueno array, got " + python_type_name(x));
    const Array& a = as_array(x);
    return wrap(clip(a, to_bound(min, a, "min"), to_bound(max, a, "max")));
  }, nb::sig("def clip(x, /, min=None, max=None)"), "x"_a.none(), "min"_a.none() = nb::none(),
        "max"_a.none() = nb::none());
}

}  // namespace trueno::py

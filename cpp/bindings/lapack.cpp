// trueno._core's private entries for the decompositions, solvers and norms
// of trueno.linalg (the Python functions there check keyword arguments and
// build the spec's named tuples); the work is in ops/lapack.cpp and ops/norm.cpp.
#include <string>

#include "bindings/bind.h"
#include "bindings/convert.h"
#include "core/errors.h"
#include "ops/lapack.h"
#include "ops/norm.h"

namespace trueno::py {

using namespace nb::literals;

void bind_lapack(nb::module_& m) {
  m.def("_linalg_solve", [](nb::handle x1, nb::handle x2) {
    return wrap(linalg_solve(require_array(x1, "linalg.solve", "x1"), require_array(x2, "linalg.solve", "x2")));
  }, "x1"_a.none(), "x2"_a.none());
  // func: the public function in messages (matrix_power inverts through here)
  m.def("_linalg_inv", [](nb::handle x, const char* func) {
    return wrap(linalg_inv(require_array(x, func), func));
  }, "x"_a.none(), "func"_a);
  m.def("_linalg_det", [](nb::handle x) { return wrap(linalg_det(require_array(x, "linalg.det"))); }, "x"_a.none());
  m.def("_linalg_slogdet", [](nb::handle x) {
    auto [sign, logabsdet] = linalg_slogdet(require_array(x, "linalg.slogdet"));
    return nb::make_tuple(wrap(sign), wrap(logabsdet));
  }, "x"_a.none());
  m.def("_linalg_cholesky", [](nb::handle x, bool upper) {
    return wrap(linalg_cholesky(require_array(x, "linalg.cholesky"), upper));
  }, "x"_a.none(), "upper"_a);
  m.def("_linalg_eigh", [](nb::handle x) {
    auto [w, v] = linalg_eigh(require_array(x, "linalg.eigh"), true);
    return nb::make_tuple(wrap(w), wrap(v));
  }, "x"_a.none());
  m.def("_linalg_eigvalsh", [](nb::handle x) {
    return wrap(linalg_eigh(require_array(x, "linalg.eigvalsh"), false).first);
  }, "x"_a.none());
  m.def("_linalg_eig", [](nb::handle x) {
    auto [w, v] = linalg_eig(require_array(x, "linalg.eig"), true);
    return nb::make_tuple(wrap(w), wrap(v));
  }, "x"_a.none());
  m.def("_linalg_eigvals", [](nb::handle x) {
    return wrap(linalg_eig(require_array(x, "linalg.eigvals"), false).first);
  }, "x"_a.none());
  // func: the public function in messages (pinv and matrix_rank compose on these)
  m.def("_linalg_svd", [](nb::handle x, bool full_matrices, const char* func) {
    auto [u, s, vh] = linalg_svd(require_array(x, func), full_matrices, true, func);
    return nb::make_tuple(wrap(u), wrap(s), wrap(vh));
  }, "x"_a.none(), "full_matrices"_a, "func"_a);
  m.def("_linalg_svdvals", [](nb::handle x, const char* func) {
    return wrap(std::get<1>(linalg_svd(require_array(x, func), false, false, func)));
  }, "x"_a.none(), "func"_a);
  // vector_norm checks all but a non-bool keepdims here, in the order the
  // Python function did: ord, keepdims, x, axis.
  m.def("_linalg_vector_norm", [](nb::handle x, nb::handle axis, nb::handle keepdims, nb::handle ord) {
    const char* func = "linalg.vector_norm";
    PyObject* o = ord.ptr();
    double p;
    if (PyFloat_Check(o)) {
      p = PyFloat_AS_DOUBLE(o);
    } else if (PyLong_Check(o) && !PyBool_Check(o)) {
      int overflow = 0;
      const long long v = PyLong_AsLongLongAndOverflow(o, &overflow);
      if (overflow)  // (NumPy makes an object array of such an ord and fails in its own words)
        throw ValueError(std::string(func) + "(): ord " + nb::str(ord).c_str() + " is too large; give a float or inf");
      p = double(v);
    } else {
      throw ValueError(std::string(func) + "(): ord must be an int or a float, got " + nb::repr(ord).c_str());
    }
    const bool kd = to_bool(keepdims, func, "keepdims");
    const Array& a = require_array(x, func);
    return wrap(linalg_vector_norm(a, p, to_axes(axis, a.ndim(), func), kd));
  }, "x"_a.none(), "axis"_a.none(), "keepdims"_a.none(), "ord"_a.none());
  // ord: the index of MatrixOrd, from linalg.matrix_norm's table
  m.def("_linalg_matrix_norm", [](nb::handle x, nb::handle keepdims, int ord) {
    const bool kd = to_bool(keepdims, "linalg.matrix_norm", "keepdims");
    return wrap(linalg_matrix_norm(require_array(x, "linalg.matrix_norm"), static_cast<MatrixOrd>(ord), kd));
  }, "x"_a.none(), "keepdims"_a.none(), "ord"_a);
  m.def("_linalg_qr", [](nb::handle x, bool complete) {
    auto [q, r] = linalg_qr(require_array(x, "linalg.qr"), complete);
    return nb::make_tuple(wrap(q), wrap(r));
  }, "x"_a.none(), "complete"_a);
}

}  // namespace trueno::py

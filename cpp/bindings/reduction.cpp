// Reductions: statistical, utility (all/any) and argmax/argmin/count_nonzero.
// Argument conversion only; the work is in ops/reduction.cpp.
#include <string>

#include "bindings/bind.h"
#include "bindings/convert.h"
#include "core/errors.h"
#include "ops/copy.h"
#include "ops/reduction.h"

namespace trueno::py {

using namespace nb::literals;

namespace {

double to_correction(nb::handle h, const char* func) {
  if (PyBool_Check(h.ptr()) || !(PyLong_Check(h.ptr()) || PyFloat_Check(h.ptr())))
    throw TypeError(std::string(func) + "(): correction must be an int or float, got " + python_type_name(h));
  return to_double(h, func, "correction");
}

// sum(x, /, *, axis=None, dtype=None, keepdims=False) and the like.
void def_reduction(nb::module_& m, Reduction r, bool with_dtype) {
  const char* name = reduction_name(r);
  if (with_dtype) {
    m.def(name, [r, name](nb::handle x, nb::handle axis, nb::handle dtype, nb::handle keepdims) {
      Array& a = require_array(x, name);
      return wrap(reduce(r, a, to_axes(axis, a.ndim(), name), to_bool(keepdims, name, "keepdims"),
                         to_optional_dtype(dtype, name)));
    }, "x"_a.none(), nb::kw_only(), "axis"_a.none() = nb::none(), "dtype"_a.none() = nb::none(),
       "keepdims"_a.none() = false);
  } else {
    m.def(name, [r, name](nb::handle x, nb::handle axis, nb::handle keepdims) {
      Array& a = require_array(x, name);
      return wrap(reduce(r, a, to_axes(axis, a.ndim(), name), to_bool(keepdims, name, "keepdims")));
    }, "x"_a.none(), nb::kw_only(), "axis"_a.none() = nb::none(), "keepdims"_a.none() = false);
  }
}

void def_var(nb::module_& m, Reduction r) {
  const char* name = reduction_name(r);
  m.def(name, [r, name](nb::handle x, nb::handle axis, nb::handle correction, nb::handle keepdims) {
    Array& a = require_array(x, name);
    return wrap(reduce(r, a, to_axes(axis, a.ndim(), name), to_bool(keepdims, name, "keepdims"),
                       std::nullopt, to_correction(correction, name)));
  }, "x"_a.none(), nb::kw_only(), "axis"_a.none() = nb::none(), "correction"_a.none() = 0.0, "keepdims"_a.none() = false);
}

// argmax(x, /, *, axis=None, keepdims=False): axis is a single int.
void def_arg(nb::module_& m, Reduction r) {
  const char* name = reduction_name(r);
  m.def(name, [r, name](nb::handle x, nb::handle axis, nb::handle keepdims) {
    Array& a = require_array(x, name);
    std::optional<std::vector<int>> axes;
    if (!axis.is_none()) axes = std::vector<int>{normalize_axis(to_int(axis, name, "axis"), a.ndim(), name)};
    return wrap(reduce(r, a, axes, to_bool(keepdims, name, "keepdims")));
  }, "x"_a.none(), nb::kw_only(), "axis"_a.none() = nb::none(), "keepdims"_a.none() = false);
}

void def_cumulative(nb::module_& m, bool prod) {
  const char* name = prod ? "cumulative_prod" : "cumulative_sum";
  m.def(name, [prod, name](nb::handle x, nb::handle axis, nb::handle dtype, nb::handle include_initial) {
    Array& a = require_array(x, name);
    std::optional<int64_t> ax;
    if (!axis.is_none()) ax = to_int(axis, name, "axis");
    return wrap(cumulative(prod, a, ax, to_optional_dtype(dtype, name),
                           to_bool(include_initial, name, "include_initial")));
  }, "x"_a.none(), nb::kw_only(), "axis"_a.none() = nb::none(), "dtype"_a.none() = nb::none(),
     "include_initial"_a.none() = false);
}

}  // namespace

void bind_reduction(nb::module_& m) {
  def_reduction(m, Reduction::Sum, true);
  def_reduction(m, Reduction::Prod, true);
  def_reduction(m, Reduction::Max, false);
  def_reduction(m, Reduction::Min, false);
  // mean(x, /, *, axis=None, keepdims=False), and dtype=, which NumPy, JAX and
  // PyTorch accept and Cubed passes: the mean computed in that dtype.
  m.def("mean", [](nb::handle x, nb::handle axis, nb::handle keepdims, nb::handle dtype) {
    Array& a = require_array(x, "mean");
    auto in_dtype = to_optional_dtype(dtype, "mean");
    auto axes = to_axes(axis, a.ndim(), "mean");
    const bool flag = to_bool(keepdims, "mean", "keepdims");
    // A floating dtype is the reduction's own (it converts in blocks); any other
    // is a conversion of x first, as NumPy's mean(x.astype(dtype)).
    if (in_dtype && *in_dtype != a.dtype && !in_category(*in_dtype, kFloating))
      return wrap(reduce(Reduction::Mean, astype_copy(a, *in_dtype, "mean"), axes, flag));
    return wrap(reduce(Reduction::Mean, a, axes, flag, in_dtype));
  }, "x"_a.none(), nb::kw_only(), "axis"_a.none() = nb::none(), "keepdims"_a.none() = false, "dtype"_a.none() = nb::none());
  def_reduction(m, Reduction::All, false);
  def_reduction(m, Reduction::Any, false);
  def_reduction(m, Reduction::CountNonzero, false);
  def_var(m, Reduction::Var);
  def_var(m, Reduction::Std);
  def_arg(m, Reduction::ArgMax);
  def_arg(m, Reduction::ArgMin);
  def_cumulative(m, false);
  def_cumulative(m, true);
}

}  // namespace trueno::py

// trueno._core.nn: the ML operations (src/trueno/nn.py re-exports them).
// A submodule, so that the namespace trueno stays the array API's; its
// functions are plain nanobind functions (wrap_public_functions covers
// trueno._core only).
#include <nanobind/stl/string.h>

#include "bindings/bind.h"
#include "bindings/convert.h"
#include "core/errors.h"
#include "ops/nn.h"

namespace trueno::py {

using namespace nb::literals;
using simd::nn::Activation;
using simd::nn::Ternary;

namespace {

// Three operands, arrays or Python scalars (at least one array); scalars
// take their dtype from the first array.
nb::object ternary(Ternary k, nb::handle a, nb::handle b, nb::handle c, const char* func,
                   const char* cname) {
  const Array* first = is_array(a) ? &as_array(a) : is_array(b) ? &as_array(b) : is_array(c) ? &as_array(c)
                                                                                                : nullptr;
  if (!first) throw TypeError(std::string(func) + "(): at least one argument must be a trueno array");
  Array aa = operand(a, first, func, "a");
  Array bb = operand(b, first, func, "b");
  Array cc = operand(c, first, func, cname);
  return wrap(nn_ternary(k, aa, bb, cc, func));
}

}  // namespace

void bind_nn(nb::module_& m) {
  nb::module_ nn = m.def_submodule("nn", "ML operations (see trueno.nn)");
  nn.def("relu", [](nb::handle x) { return wrap(nn_activation(Activation::Relu, require_array(x, "relu"), "relu")); },
         "x"_a.none());
  nn.def("sigmoid",
         [](nb::handle x) { return wrap(nn_activation(Activation::Sigmoid, require_array(x, "sigmoid"), "sigmoid")); },
         "x"_a.none());
  nn.def("silu", [](nb::handle x) { return wrap(nn_activation(Activation::Silu, require_array(x, "silu"), "silu")); },
         "x"_a.none());
  nn.def("swish",
         [](nb::handle x) { return wrap(nn_activation(Activation::Silu, require_array(x, "swish"), "swish")); },
         "x"_a.none());
  nn.def("gelu", [](nb::handle x, nb::handle approximate_arg) {
    if (!PyUnicode_Check(approximate_arg.ptr()))
      throw TypeError("gelu(): approximate must be 'none' or 'tanh', got " + python_type_name(approximate_arg));
    const std::string approximate = nb::cast<std::string>(approximate_arg);
    Activation f;
    if (approximate == "none") f = Activation::GeluErf;
    else if (approximate == "tanh") f = Activation::GeluTanh;
    else throw ValueError("gelu(): approximate must be 'none' or 'tanh', got '" + approximate + "'");
    return wrap(nn_activation(f, require_array(x, "gelu"), "gelu"));
  }, "x"_a.none(), "approximate"_a.none() = "none");
  nn.def("softmax", [](nb::handle x, nb::handle axis) {
    return wrap(nn_softmax(require_array(x, "softmax"), to_int(axis, "softmax", "axis"), false, "softmax"));
  }, "x"_a.none(), "axis"_a.none() = -1);
  nn.def("log_softmax", [](nb::handle x, nb::handle axis) {
    return wrap(nn_softmax(require_array(x, "log_softmax"), to_int(axis, "log_softmax", "axis"), true,
                           "log_softmax"));
  }, "x"_a.none(), "axis"_a.none() = -1);
  auto norm = [&nn](const char* name, simd::norm::Kind k) {
    nn.def(name, [name, k](nb::handle x, nb::handle axis, nb::handle keepdims) {
      Array& a = require_array(x, name);
      return wrap(nn_norm(k, a, to_axes(axis, a.ndim(), name), to_bool(keepdims, name, "keepdims"), name));
    }, "x"_a.none(), "axis"_a.none() = nb::none(), "keepdims"_a.none() = false);
  };
  norm("norm_l1", simd::norm::Kind::Sum);
  norm("norm_l2", simd::norm::Kind::Euclid);
  norm("norm_linf", simd::norm::Kind::Max);
  nn.def("lerp", [](nb::handle a, nb::handle b, nb::handle t) { return ternary(Ternary::Lerp, a, b, t, "lerp", "t"); },
         "a"_a.none(), "b"_a.none(), "t"_a.none());
  nn.def("fma", [](nb::handle a, nb::handle b, nb::handle c) { return ternary(Ternary::Fma, a, b, c, "fma", "c"); },
         "a"_a.none(), "b"_a.none(), "c"_a.none());
}

}  // namespace trueno::py

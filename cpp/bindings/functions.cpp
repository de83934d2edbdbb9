// Namespace functions whose work is in ops/: elementwise (from the table),
// creation, manipulation, indexing and matmul.
#include <nanobind/stl/optional.h>
#include <nanobind/stl/string.h>
#include <nanobind/stl/vector.h>

#include "bindings/bind.h"
#include "bindings/convert.h"
#include "core/errors.h"
#include "core/iteration.h"
#include "ops/copy.h"
#include "ops/creation.h"
#include "ops/elementwise.h"
#include "ops/indexing.h"
#include "ops/lapack.h"
#include "ops/linalg.h"
#include "ops/manipulation.h"

namespace trueno::py {

using namespace nb::literals;

void bind_elementwise(nb::module_& m) {
  int count = 0;
  const ElementwiseFunction* fns = elementwise_functions(&count);
  for (int i = 0; i < count; ++i) {
    const ElementwiseFunction* f = &fns[i];
    if (f->arity == 1) {
      m.def(f->name, [f](nb::handle x) { return wrap(apply_unary(*f, require_array(x, f->name))); },
            nb::arg("x").none());
    } else {
      m.def(f->name, [f](nb::handle x1, nb::handle x2) {
        // Python scalars take their dtype from the array operand (spec 2024.12).
        bool a1 = is_array(x1), a2 = is_array(x2);
        if (a1 && a2) return wrap(apply_binary(*f, as_array(x1), as_array(x2)));
        if (!a1 && !a2)
          throw TypeError(std::string(f->name) + "(): at least one of x1, x2 must be an array");
        Array a = a1 ? as_array(x1) : operand(x1, &as_array(x2), f->name, "x1");
        Array b = a2 ? as_array(x2) : operand(x2, &a, f->name, "x2");
        if (!a1) b = align_with_scalar(b, a, f->name);
        if (!a2) a = align_with_scalar(a, b, f->name);
        return wrap(apply_binary(*f, a, b));
      }, nb::arg("x1").none(), nb::arg("x2").none());
    }
  }
  // The table itself, for the docstrings (trueno/_docstrings.py): each function's
  // accepted dtypes and result rule are documented from the row that enforces them.
  m.def("_elementwise_table", [] {
    static const char* const kRules[] = {"same", "bool", "to_real", "to_float", "as_bool"};
    int count = 0;
    const ElementwiseFunction* fns = elementwise_functions(&count);
    nb::list rows;
    for (int i = 0; i < count; ++i)
      rows.append(nb::make_tuple(fns[i].name, fns[i].arity, fns[i].accepts,
                                 kRules[static_cast<int>(fns[i].rule)]));
    return rows;
  });
}

namespace {

DType default_dtype_of(const Array& fill) { return fill.dtype; }

Array fill_array(nb::handle fill_value, std::optional<DType> dtype, const char* func) {
  if (is_array(fill_value)) {
    Array& f = as_array(fill_value);
    if (f.ndim() != 0) throw ValueError(std::string(func) + "(): fill_value must be a scalar or a 0-D array");
    return f;
  }
  auto s = to_scalar(fill_value, func, "fill_value");
  if (!s) throw TypeError(std::string(func) + "(): fill_value must be bool, int, float or complex, got " +
                          python_type_name(fill_value));
  if (dtype) {
    if (s->kind == Scalar::Int && in_category(*dtype, kInteger)) return scalar_to_array(*s, *dtype, func);
    if (s->kind == Scalar::Complex && !in_category(*dtype, kComplexFloat))
      throw TypeError(std::string(func) + "(): a complex fill_value needs a complex dtype");
    if (s->kind == Scalar::Float && in_category(*dtype, kIntegerOrBool))
      throw TypeError(std::string(func) + "(): a float fill_value needs a floating-point dtype");
    return astype_copy(scalar_to_array_default(*s), *dtype, func);
  }
  return scalar_to_array_default(*s);
}

Array zeros_or_ones(nb::handle shape, nb::handle dtype, nb::handle device, int value, const char* func) {
  to_device(device, func);
  DType d = to_optional_dtype(dtype, func).value_or(kDefaultFloat);
  Array out = make_empty(to_shape(shape, func), d, func);
  Array v = astype_copy(scalar_to_array_default(Scalar{Scalar::Int, false, value}), d, func);
  copy_into(out, v, func);
  return out;
}

Array like(nb::handle x, nb::handle dtype, nb::handle device, const char* func) {
  Array& a = require_array(x, func);
  to_device(device, func);
  return make_empty(a.shape, to_optional_dtype(dtype, func).value_or(a.dtype), func);
}

bool is_integral_number(nb::handle h) { return PyLong_Check(h.ptr()); }

std::vector<Array> array_list(nb::handle arrays, const char* func) {
  std::vector<Array> out;
  if (!nb::isinstance<nb::tuple>(arrays) && !nb::isinstance<nb::list>(arrays))
    throw TypeError(std::string(func) + "(): arrays must be a tuple or list of arrays");
  for (nb::handle h : arrays) out.push_back(require_array(h, func, "arrays"));
  return out;
}

std::vector<int64_t> int_list(nb::handle h, const char* func, const char* argname) {
  std::vector<int64_t> out;
  if (nb::isinstance<nb::tuple>(h) || nb::isinstance<nb::list>(h)) {
    for (nb::handle item : h) out.push_back(to_int(item, func, argname));
  } else {
    out.push_back(to_int(h, func, argname));
  }
  return out;
}

}  // namespace

void bind_creation(nb::module_& m) {
  m.def("asarray", [](nb::handle obj, nb::handle dtype, nb::handle device, nb::handle copy) {
    to_device(device, "asarray");
    std::optional<DType> d = to_optional_dtype(dtype, "asarray");
    std::optional<bool> c = to_optional_bool(copy, "asarray", "copy");
    if (is_array(obj)) {
      Array& a = as_array(obj);
      bool needs_cast = d && *d != a.dtype;
      if (c == false && needs_cast)
        throw ValueError("asarray(): copy=False but casting to " + std::string(dtype_name(*d)) + " needs a copy");
      if (c == true || needs_cast) return wrap(astype_copy(a, d.value_or(a.dtype), "asarray"));
      return nb::borrow(obj);
    }
    if (c == false) {
      if (auto a = from_foreign(obj, "asarray", /*copy_allowed=*/false)) {
        if (d && *d != a->dtype)
          throw ValueError("asarray(): copy=False but casting needs a copy");
        return wrap(*a);
      }
      throw ValueError("asarray(): copy=False but the input has to be copied into a new array");
    }
    Array a = to_array_like(obj, d, "asarray");
    if (c == true && a.buffer->is_borrowed()) a = as_contiguous(a, true, "asarray");  // a view of foreign memory
    return wrap(a);
  }, "obj"_a.none(), nb::kw_only(), "dtype"_a.none() = nb::none(),
     "device"_a.none() = nb::none(), "copy"_a.none() = nb::none());

  m.def("from_dlpack", [](nb::handle x, nb::handle device, nb::handle copy) {
    to_device(device, "from_dlpack");
    const std::optional<bool> copy_arg = to_optional_bool(copy, "from_dlpack", "copy");
    const bool want_copy = copy_arg.value_or(false);
    if (!nb::hasattr(x, "__dlpack__"))
      throw TypeError("from_dlpack(): x must implement __dlpack__, got " + python_type_name(x));
    if (is_array(x)) {
      Array& a = as_array(x);
      if (want_copy) return wrap(as_contiguous(a, true, "from_dlpack"));
      return wrap(a);
    }
    auto a = from_foreign(x, "from_dlpack", /*copy_allowed=*/copy_arg != false, "x");
    if (!a) throw TypeError("from_dlpack(): cannot import from " + python_type_name(x));
    if (want_copy) return wrap(as_contiguous(*a, true, "from_dlpack"));
    return wrap(*a);
  }, "x"_a.none(), nb::kw_only(), "device"_a.none() = nb::none(), "copy"_a.none() = nb::none());

  m.def("empty", [](nb::handle shape, nb::handle dtype, nb::handle device) {
    to_device(device, "empty");
    return wrap(make_empty(to_shape(shape, "empty"),
                           to_optional_dtype(dtype, "empty").value_or(kDefaultFloat), "empty"));
  }, "shape"_a.none(), nb::kw_only(), "dtype"_a.none() = nb::none(), "device"_a.none() = nb::none());
  m.def("zeros", [](nb::handle shape, nb::handle dtype, nb::handle device) {
    return wrap(zeros_or_ones(shape, dtype, device, 0, "zeros"));
  }, "shape"_a.none(), nb::kw_only(), "dtype"_a.none() = nb::none(), "device"_a.none() = nb::none());
  m.def("ones", [](nb::handle shape, nb::handle dtype, nb::handle device) {
    return wrap(zeros_or_ones(shape, dtype, device, 1, "ones"));
  }, "shape"_a.none(), nb::kw_only(), "dtype"_a.none() = nb::none(), "device"_a.none() = nb::none());
  m.def("full", [](nb::handle shape, nb::handle fill_value, nb::handle dtype, nb::handle device) {
    to_device(device, "full");
    std::optional<DType> d = to_optional_dtype(dtype, "full");
    Array f = fill_array(fill_value, d, "full");
    return wrap(full(to_shape(shape, "full"), f, d.value_or(default_dtype_of(f)), "full"));
  }, "shape"_a.none(), "fill_value"_a.none(), nb::kw_only(), "dtype"_a.none() = nb::none(), "device"_a.none() = nb::none());

  m.def("empty_like", [](nb::handle x, nb::handle dtype, nb::handle device) {
    return wrap(like(x, dtype, device, "empty_like"));
  }, "x"_a.none(), nb::kw_only(), "dtype"_a.none() = nb::none(), "device"_a.none() = nb::none());
  m.def("zeros_like", [](nb::handle x, nb::handle dtype, nb::handle device) {
    Array out = like(x, dtype, device, "zeros_like");
    copy_into(out, scalar_to_array_default(Scalar{Scalar::Int, false, 0}), "zeros_like");
    return wrap(out);
  }, "x"_a.none(), nb::kw_only(), "dtype"_a.none() = nb::none(), "device"_a.none() = nb::none());
  m.def("ones_like", [](nb::handle x, nb::handle dtype, nb::handle device) {
    Array out = like(x, dtype, device, "ones_like");
    copy_into(out, scalar_to_array_default(Scalar{Scalar::Int, false, 1}), "ones_like");
    return wrap(out);
  }, "x"_a.none(), nb::kw_only(), "dtype"_a.none() = nb::none(), "device"_a.none() = nb::none());
  m.def("full_like", [](nb::handle x, nb::handle fill_value, nb::handle dtype, nb::handle device) {
    Array out = like(x, dtype, device, "full_like");
    copy_into(out, fill_array(fill_value, out.dtype, "full_like"), "full_like");
    return wrap(out);
  }, "x"_a.none(), "fill_value"_a.none(), nb::kw_only(), "dtype"_a.none() = nb::none(),
     "device"_a.none() = nb::none());

  m.def("arange", [](nb::handle start, nb::handle stop, nb::handle step, nb::handle dtype, nb::handle device) {
    to_device(device, "arange");
    std::optional<DType> d = to_optional_dtype(dtype, "arange");
    nb::handle lo = start, hi = stop;
    nb::object zero = nb::int_(0);
    if (stop.is_none()) { lo = zero; hi = start; }
    for (nb::handle h : {lo, hi, step})
      if (!PyLong_Check(h.ptr()) && !PyFloat_Check(h.ptr()))
        throw TypeError("arange(): start, stop and step must be int or float, got " + python_type_name(h));
    if (d && *d == DType::Bool) throw TypeError("arange(): dtype must be a numeric dtype, got bool");
    bool ints = is_integral_number(lo) && is_integral_number(hi) && is_integral_number(step);
    if (ints && (!d || in_category(*d, kInteger)))
      return wrap(arange_int(to_int(lo, "arange", "start"), to_int(hi, "arange", "stop"),
                             to_int(step, "arange", "step"), d.value_or(kDefaultInt)));
    return wrap(arange_float(to_double(lo, "arange", "start"), to_double(hi, "arange", "stop"),
                             to_double(step, "arange", "step"),
                             d.value_or(kDefaultFloat)));
  }, "start"_a, "stop"_a.none() = nb::none(), "step"_a = 1, nb::kw_only(),
     "dtype"_a.none() = nb::none(), "device"_a.none() = nb::none());

  m.def("linspace", [](nb::handle start, nb::handle stop, nb::handle num, nb::handle dtype,
                       nb::handle device, nb::handle endpoint) {
    to_device(device, "linspace");
    auto s0 = to_scalar(start, "linspace", "start"), s1 = to_scalar(stop, "linspace", "stop");
    if (!s0 || !s1) throw TypeError("linspace(): start and stop must be Python numbers");
    bool cplx = s0->kind == Scalar::Complex || s1->kind == Scalar::Complex;
    auto to_c = [](const Scalar& s) {
      switch (s.kind) {
        case Scalar::Bool: return complex128(s.b, 0);
        case Scalar::Int:  // 2**63 <= s < 2**64 arrives as uint64 bits in s.i
          return complex128(s.int_is_unsigned ? static_cast<double>(static_cast<uint64_t>(s.i))
                                              : static_cast<double>(s.i), 0);
        case Scalar::Float: return complex128(s.f, 0);
        default: return complex128(s.f, s.imag);
      }
    };
    DType d = to_optional_dtype(dtype, "linspace").value_or(cplx ? kDefaultComplex : kDefaultFloat);
    if (cplx && !in_category(d, kComplexFloat))
      throw TypeError("linspace(): complex start or stop needs a complex dtype");
    // The values lie between start and stop: an integer dtype holds them all
    // when it holds those (NumPy wraps: linspace(0, 300, 4, dtype=int8) ends in 44).
    check_scalar_fits(*s0, d, "linspace");
    check_scalar_fits(*s1, d, "linspace");
    return wrap(linspace(to_c(*s0), to_c(*s1), to_int(num, "linspace", "num"),
                         to_bool(endpoint, "linspace", "endpoint"), d));
  }, "start"_a.none(), "stop"_a.none(), "num"_a.none(), nb::kw_only(), "dtype"_a.none() = nb::none(),
     "device"_a.none() = nb::none(), "endpoint"_a.none() = true);

  m.def("eye", [](nb::handle n_rows, nb::handle n_cols, nb::handle k, nb::handle dtype, nb::handle device) {
    to_device(device, "eye");
    int64_t rows = to_int(n_rows, "eye", "n_rows");
    int64_t cols = n_cols.is_none() ? rows : to_int(n_cols, "eye", "n_cols");
    return wrap(eye(rows, cols, to_int(k, "eye", "k"), to_optional_dtype(dtype, "eye").value_or(kDefaultFloat)));
  }, "n_rows"_a.none(), "n_cols"_a.none() = nb::none(), nb::kw_only(), "k"_a.none() = 0,
     "dtype"_a.none() = nb::none(), "device"_a.none() = nb::none());

  m.def("tril", [](nb::handle x, nb::handle k) {
    return wrap(tri_mask(require_array(x, "tril"), to_int(k, "tril", "k"), true));
  }, "x"_a.none(), nb::kw_only(), "k"_a.none() = 0);
  m.def("triu", [](nb::handle x, nb::handle k) {
    return wrap(tri_mask(require_array(x, "triu"), to_int(k, "triu", "k"), false));
  }, "x"_a.none(), nb::kw_only(), "k"_a.none() = 0);

  m.def("astype", [](nb::handle x, nb::handle dtype, nb::handle copy_arg, nb::handle device) {
    Array& a = require_array(x, "astype");
    const bool copy = to_bool(copy_arg, "astype", "copy");
    to_device(device, "astype");
    DType d = to_dtype(dtype, "astype");
    if (category_of(a.dtype) == kComplexFloat && !in_category(d, kComplexFloat))
      throw TypeError("astype(): casting a complex array to " + std::string(dtype_name(d)) +
                      " would discard the imaginary part; take real() first");
    if (!copy && d == a.dtype) return nb::borrow(x);
    return wrap(astype_copy(a, d, "astype"));
  }, "x"_a.none(), "dtype"_a.none(), nb::kw_only(), "copy"_a.none() = true, "device"_a.none() = nb::none());
}

void bind_manipulation(nb::module_& m) {
  m.def("reshape", [](nb::handle x, nb::handle shape, nb::handle copy) {
    Array& a = require_array(x, "reshape");
    Shape s;
    for (int64_t d : int_list(shape, "reshape", "shape")) s.push_back(d);
    std::optional<bool> c = to_optional_bool(copy, "reshape", "copy");
    return wrap(reshape(a, s, c));
  }, "x"_a.none(), "shape"_a.none(), nb::kw_only(), "copy"_a.none() = nb::none());
  m.def("permute_dims", [](nb::handle x, nb::handle axes) {
    Array& a = require_array(x, "permute_dims");
    std::vector<int> ax;
    // (normalised while still int64: a cast to int turned 2**40 into 0, "repeated axis")
    for (int64_t v : int_list(axes, "permute_dims", "axes")) ax.push_back(normalize_axis(v, a.ndim(), "permute_dims", "axes"));
    return wrap(permute_dims(a, ax));
  }, "x"_a.none(), "axes"_a.none());
  m.def("matrix_transpose", [](nb::handle x) { return wrap(matrix_transpose(require_array(x, "matrix_transpose"))); },
        "x"_a.none());
  m.def("expand_dims", [](nb::handle x, nb::handle axis) {
    return wrap(expand_dims(require_array(x, "expand_dims"), int_list(axis, "expand_dims", "axis")));
  }, "x"_a.none(), "axis"_a.none() = 0);
  m.def("squeeze", [](nb::handle x, nb::handle axis) {
    Array& a = require_array(x, "squeeze");
    std::vector<int> axes;
    if (axis.is_none()) {
      for (int k = 0; k < a.ndim(); ++k)
        if (a.shape[k] == 1) axes.push_back(k);
    } else {
      axes = *to_axes(axis, a.ndim(), "squeeze");
    }
    return wrap(squeeze(a, axes));
  }, "x"_a.none(), "axis"_a.none());
  m.def("flip", [](nb::handle x, nb::handle axis) {
    Array& a = require_array(x, "flip");
    return wrap(flip(a, to_axes(axis, a.ndim(), "flip")));
  }, "x"_a.none(), nb::kw_only(), "axis"_a.none() = nb::none());
  m.def("broadcast_to", [](nb::handle x, nb::handle shape) {
    return wrap(broadcast_to(require_array(x, "broadcast_to"), to_shape(shape, "broadcast_to"), "broadcast_to"));
  }, "x"_a.none(), "shape"_a.none());
  m.def("concat", [](nb::handle arrays, nb::handle axis) {
    std::optional<int64_t> ax = axis.is_none() ? std::nullopt : std::optional<int64_t>(to_int(axis, "concat", "axis"));
    return wrap(concat(array_list(arrays, "concat"), ax, "concat"));
  }, "arrays"_a.none(), "axis"_a.none() = 0);
  m.def("stack", [](nb::handle arrays, nb::handle axis) {
    return wrap(stack(array_list(arrays, "stack"), to_int(axis, "stack", "axis")));
  }, "arrays"_a.none(), "axis"_a.none() = 0);
  m.def("moveaxis", [](nb::handle x, nb::handle source, nb::handle destination) {
    return wrap(moveaxis(require_array(x, "moveaxis"), int_list(source, "moveaxis", "source"),
                         int_list(destination, "moveaxis", "destination")));
  }, "x"_a.none(), "source"_a.none(), "destination"_a.none());
}

void bind_indexing(nb::module_& m) {
  m.def("take", [](nb::handle x, nb::handle indices, nb::handle axis) {
    Array& a = require_array(x, "take");
    // A Python (or NumPy) integer index, as NumPy, JAX and Cubed's calls have it:
    // that position along axis, the axis dropped.
    const bool integer_index = !is_array(indices) && !PyBool_Check(indices.ptr()) &&
                               !is_numpy_array(indices) && PyIndex_Check(indices.ptr());
    Array idx;  // (checked before axis, as the spec's argument order has it)
    if (!integer_index)
      idx = is_numpy_array(indices) ? numpy_value_to_array(indices, "take", "indices")
                                    : require_array(indices, "take", "indices");
    int ax;
    if (axis.is_none()) {
      if (a.ndim() != 1) throw ValueError("take(): axis is required for arrays of more than one dimension");
      ax = 0;
    } else {
      ax = normalize_axis(to_int(axis, "take", "axis"), a.ndim(), "take");
    }
    if (integer_index) {
      std::vector<IndexItem> index(ax, IndexItem{IndexItem::Slice});
      IndexItem position{IndexItem::Integer};
      position.integer = to_int(indices, "take", "indices");
      index.push_back(position);
      return wrap(as_contiguous(get_item(a, index, "take"), true, "take"));
    }
    return wrap(take(a, idx, ax));
  }, "x"_a.none(), "indices"_a.none(), nb::kw_only(), "axis"_a.none() = nb::none());
  m.def("nonzero", [](nb::handle x) {
    nb::list out;
    for (auto& a : nonzero(require_array(x, "nonzero"))) out.append(wrap(a));
    return nb::tuple(out);
  }, "x"_a.none());
}

namespace {
// A diagonal's offset: an integer (TypeError naming func's offset otherwise),
// clamped to int64, since any offset past a matrix's edge selects an empty diagonal.
int64_t diagonal_offset(nb::handle h, const char* func) {
  if (PyLong_CheckExact(h.ptr())) {
    int overflow = 0;
    long long v = PyLong_AsLongLongAndOverflow(h.ptr(), &overflow);
    if (!overflow) return v;
    return overflow > 0 ? INT64_MAX : INT64_MIN + 1;
  }
  if (PyBool_Check(h.ptr()) || !PyIndex_Check(h.ptr())) return to_int(h, func, "offset");  // raises
  nb::object idx = nb::steal(PyNumber_Index(h.ptr()));
  if (!idx.is_valid()) {
    PyErr_Clear();
    return to_int(h, func, "offset");  // raises TypeError in its words
  }
  return diagonal_offset(idx, func);
}
// The negative form of the vector axis shared by x1 and x2, as
// src/trueno/_validation.py's vector_axis: a non-negative axis only when both
// ranks agree; an integer of any size.
int64_t vector_axis(nb::handle axis, const Array& x1, const Array& x2, const char* func) {
  if (!PyLong_CheckExact(axis.ptr())) (void)to_int(axis, func, "axis");  // its TypeErrors: bool, not an integer
  nb::object idx = nb::steal(PyNumber_Index(axis.ptr()));
  if (!idx.is_valid()) throw nb::python_error();
  int overflow = 0;
  const int64_t v = PyLong_AsLongLongAndOverflow(idx.ptr(), &overflow);
  const std::string text = nb::str(idx).c_str();
  if (x1.ndim() == 0 || x2.ndim() == 0)
    throw ValueError(std::string(func) + "(): x1 and x2 must have at least one dimension");
  const int64_t low = std::min(x1.ndim(), x2.ndim());
  if (overflow > 0 || (!overflow && v >= 0)) {
    if (overflow || x1.ndim() != x2.ndim() || v >= x1.ndim())
      throw ValueError(std::string(func) + "(): axis " + text + " is invalid for arrays with " +
                       std::to_string(x1.ndim()) + " and " + std::to_string(x2.ndim()) +
                       " dimensions (use a negative axis)");
    return v - x1.ndim();
  }
  if (overflow || v < -low)
    throw AxisError(std::string(func) + "(): axis " + text + " is out of bounds for arrays with " +
                    std::to_string(x1.ndim()) + " and " + std::to_string(x2.ndim()) + " dimensions");
  return v;
}
}  // namespace

void bind_linalg(nb::module_& m) {
  // linalg.diagonal and linalg.trace whole (the Python functions only carry
  // the signatures and docstrings): the checks in their order, then the op.
  m.def("_linalg_diagonal", [](nb::handle x, nb::handle offset) {
    const Array& a = require_array(x, "linalg.diagonal");
    int64_t k = diagonal_offset(offset, "linalg.diagonal");
    require_matrix(a, "linalg.diagonal", "x", /*square=*/false);
    return wrap(matrix_diagonal(a, k, "linalg.diagonal"));
  }, nb::arg("x").none(), nb::arg("offset").none());
  m.def("_linalg_outer", [](nb::handle x1, nb::handle x2) {
    const Array& a = require_array(x1, "linalg.outer", "x1");
    return wrap(outer(a, require_array(x2, "linalg.outer", "x2")));
  }, nb::arg("x1").none(), nb::arg("x2").none());
  // linalg.cross whole, its checks in the order of the Python it replaced.
  m.def("_linalg_cross", [](nb::handle x1, nb::handle x2, nb::handle axis) {
    const char* func = "linalg.cross";
    const Array& a = require_array(x1, func, "x1");
    const Array& b = require_array(x2, func, "x2");
    auto promoted = promote_types(a.dtype, b.dtype);
    if (!promoted)
      throw TypeError(std::string(func) + "(): no type promotion between " + dtype_name(a.dtype) + " and " +
                      dtype_name(b.dtype));
    if (*promoted == DType::Bool) throw TypeError("linalg.cross(): x1 and x2 must have numeric data types, got bool");
    return wrap(cross(a, b, vector_axis(axis, a, b, func)));
  }, nb::arg("x1").none(), nb::arg("x2").none(), nb::arg("axis").none());
  // linalg.matrix_power whole: n (an integer of any size) checked first, as before.
  m.def("_linalg_matrix_power", [](nb::handle x, nb::handle n) {
    const char* func = "linalg.matrix_power";
    nb::object idx;
    if (!PyBool_Check(n.ptr()) && PyIndex_Check(n.ptr())) {
      idx = nb::steal(PyNumber_Index(n.ptr()));
      if (!idx.is_valid()) PyErr_Clear();
    }
    if (!idx.is_valid()) (void)to_int(n, func, "n");  // raises its TypeError
    const Array& a = require_array(x, func);
    int overflow = 0;
    const long long v = PyLong_AsLongLongAndOverflow(idx.ptr(), &overflow);
    std::vector<bool> bits;
    const bool negative = overflow ? overflow < 0 : v < 0;
    if (!overflow) {
      for (unsigned long long u = v < 0 ? 0ULL - static_cast<unsigned long long>(v) : v; u; u >>= 1)
        bits.push_back(u & 1);
    } else {  // beyond int64: the digits of |n| in base 2 ("0b1...")
      nb::object magnitude = nb::steal(PyNumber_Absolute(idx.ptr()));
      nb::str digits = nb::steal<nb::str>(PyNumber_ToBase(magnitude.ptr(), 2));
      std::string text = digits.c_str();
      for (size_t i = text.size(); i-- > 2;) bits.push_back(text[i] == '1');
    }
    return wrap(matrix_power(a, negative, bits));
  }, nb::arg("x").none(), nb::arg("n").none());
  m.def("_linalg_trace", [](nb::handle x, nb::handle offset, nb::handle dtype) {
    const Array& a = require_array(x, "linalg.trace");
    int64_t k = diagonal_offset(offset, "linalg.trace");
    std::optional<DType> d;
    if (!dtype.is_none()) d = to_dtype(dtype, "linalg.trace", "dtype");
    return wrap(trace(a, k, d));
  }, nb::arg("x").none(), nb::arg("offset").none(), nb::arg("dtype").none());
  m.def("matmul", [](nb::handle x1, nb::handle x2) {
    return wrap(matmul(require_array(x1, "matmul", "x1"), require_array(x2, "matmul", "x2")));
  }, "x1"_a.none(), "x2"_a.none());
  m.def("_matrix_diagonal", [](nb::handle x, int64_t offset, const char* func) {
    return wrap(matrix_diagonal(require_array(x, func), offset, func));
  }, nb::arg("x").none(), nb::arg("offset"), nb::arg("func"));
  m.def("vecdot", [](nb::handle x1, nb::handle x2, nb::handle axis) {
    return wrap(vecdot(require_array(x1, "vecdot", "x1"), require_array(x2, "vecdot", "x2"),
                       to_int(axis, "vecdot", "axis")));
  }, "x1"_a.none(), "x2"_a.none(), nb::kw_only(), "axis"_a.none() = -1);
  // A dtype-like (a dtype, "float32", numpy.float32, ...) as trueno's dtype object;
  // TypeError naming func's argument otherwise. For the functions written in Python.
  m.def("_dtype", [](nb::handle dtype, const char* func, const char* argname) {
    return dtype_object(to_dtype(dtype, func, argname));
  }, "dtype"_a.none(), "func"_a, "argname"_a);
  m.def("_promote_types", [](nb::handle a, nb::handle b) -> nb::object {
    auto r = promote_types(to_dtype(a, "result_type"), to_dtype(b, "result_type"));
    return r ? dtype_object(*r) : nb::none();
  });
}

}  // namespace trueno::py

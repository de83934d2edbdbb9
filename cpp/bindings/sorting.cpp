// Sorting, searching (where, searchsorted) and set functions.
#include <nanobind/stl/string.h>

#include <string>

#include "bindings/bind.h"
#include "bindings/convert.h"
#include "core/errors.h"
#include "ops/searching.h"
#include "ops/set.h"
#include "ops/sorting.h"

namespace trueno::py {

using namespace nb::literals;

namespace {

// Two operands of which at least one must be an array; a Python scalar takes
// its dtype from the array beside it.
std::pair<Array, Array> array_pair(nb::handle x1, nb::handle x2, const char* func) {
  bool a1 = is_array(x1), a2 = is_array(x2);
  if (!a1 && !a2) throw TypeError(std::string(func) + "(): at least one of x1, x2 must be an array");
  Array a = a1 ? as_array(x1) : operand(x1, &as_array(x2), func, "x1");
  Array b = a2 ? as_array(x2) : operand(x2, &a, func, "x2");
  return {a, b};
}

}  // namespace

void bind_sorting(nb::module_& m) {
  m.def("sort", [](nb::handle x, nb::handle axis, nb::handle descending, nb::handle stable) {
    return wrap(sort(require_array(x, "sort"), to_int(axis, "sort", "axis"),
                     to_bool(descending, "sort", "descending"), to_bool(stable, "sort", "stable")));
  }, "x"_a.none(), nb::kw_only(), "axis"_a.none() = -1, "descending"_a.none() = false, "stable"_a.none() = true);
  m.def("argsort", [](nb::handle x, nb::handle axis, nb::handle descending, nb::handle stable) {
    return wrap(argsort(require_array(x, "argsort"), to_int(axis, "argsort", "axis"),
                        to_bool(descending, "argsort", "descending"), to_bool(stable, "argsort", "stable")));
  }, "x"_a.none(), nb::kw_only(), "axis"_a.none() = -1, "descending"_a.none() = false, "stable"_a.none() = true);

  m.def("where", [](nb::handle condition, nb::handle x1, nb::handle x2) {
    Array& c = require_array(condition, "where", "condition");
    auto [a, b] = array_pair(x1, x2, "where");
    return wrap(where(c, a, b));
  }, "condition"_a.none(), "x1"_a.none(), "x2"_a.none());

  m.def("searchsorted", [](nb::handle x1, nb::handle x2, nb::handle side, nb::handle sorter) {
    Array& a = require_array(x1, "searchsorted", "x1");
    Array b = operand(x2, &a, "searchsorted", "x2");
    if (!nb::isinstance<nb::str>(side))
      throw TypeError("searchsorted(): side must be 'left' or 'right', got " + python_type_name(side));
    std::string s = nb::cast<std::string>(side);
    if (s != "left" && s != "right")
      throw ValueError("searchsorted(): side must be 'left' or 'right', got '" + s + "'");
    const Array* srt = sorter.is_none() ? nullptr : &require_array(sorter, "searchsorted", "sorter");
    return wrap(searchsorted(a, b, s == "right", srt));
  }, "x1"_a.none(), "x2"_a.none(), nb::kw_only(), "side"_a.none() = "left", "sorter"_a.none() = nb::none());

  // unique_all, unique_counts and unique_inverse return plain tuples here;
  // trueno._set packs them into the spec's namedtuples.
  m.def("_unique_all", [](nb::handle x) {
    UniqueResult r = unique(require_array(x, "unique_all"), true, true, true, "unique_all");
    return nb::make_tuple(wrap(r.values), wrap(r.indices), wrap(r.inverse_indices), wrap(r.counts));
  }, "x"_a.none());
  m.def("_unique_counts", [](nb::handle x) {
    UniqueResult r = unique(require_array(x, "unique_counts"), false, false, true, "unique_counts");
    return nb::make_tuple(wrap(r.values), wrap(r.counts));
  }, "x"_a.none());
  m.def("_unique_inverse", [](nb::handle x) {
    UniqueResult r = unique(require_array(x, "unique_inverse"), false, true, false, "unique_inverse");
    return nb::make_tuple(wrap(r.values), wrap(r.inverse_indices));
  }, "x"_a.none());
  m.def("unique_values", [](nb::handle x) {
    return wrap(unique(require_array(x, "unique_values"), false, false, false, "unique_values").values);
  }, "x"_a.none());

  m.def("isin", [](nb::handle x1, nb::handle x2, nb::handle invert) {
    bool inv = to_bool(invert, "isin", "invert");
    bool a1 = is_array(x1), a2 = is_array(x2);
    if (!a1 && !a2) throw TypeError("isin(): at least one of x1, x2 must be an array");
    // A scalar that does not fit the array's dtype is simply not among its
    // values: compare it at its own default dtype rather than overflow.
    auto convert = [](nb::handle h, const Array& other, const char* argname) {
      try {
        return operand(h, &other, "isin", argname);
      } catch (const OverflowError&) {
        return operand(h, nullptr, "isin", argname);
      }
    };
    Array a = a1 ? as_array(x1) : convert(x1, as_array(x2), "x1");
    Array b = a2 ? as_array(x2) : convert(x2, a, "x2");
    return wrap(isin(a, b, inv));
  }, "x1"_a.none(), "x2"_a.none(), nb::kw_only(), "invert"_a.none() = false);
}

}  // namespace trueno::py

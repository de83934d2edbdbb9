#pragma once
#include <nanobind/nanobind.h>

#include <vector>

namespace trueno::py {
void bind_types(nanobind::module_& m);
void bind_array(nanobind::module_& m);
void bind_elementwise(nanobind::module_& m);
void bind_clip(nanobind::module_& m);
void bind_creation(nanobind::module_& m);
void bind_manipulation(nanobind::module_& m);
void bind_indexing(nanobind::module_& m);
void bind_reduction(nanobind::module_& m);
void bind_sorting(nanobind::module_& m);
void bind_linalg(nanobind::module_& m);
void bind_nn(nanobind::module_& m);
void bind_threading(nanobind::module_& m);
void bind_quant(nanobind::module_& m);
// Replaces every public function of `m` (and every Array method) by a
// trueno.Function, which forwards calls and has an introspectable signature.
void wrap_public_functions(nanobind::module_& m);
}  // namespace trueno::py

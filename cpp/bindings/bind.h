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
void bind_lapack(nanobind::module_& m);
void bind_nn(nanobind::module_& m);
void bind_fft(nanobind::module_& m);
void bind_threading(nanobind::module_& m);
void bind_quant(nanobind::module_& m);
// The array's operators, each computing one elementwise function: the
// operator, its reflected and in-place forms (null where Python has none or
// the operator is unary), and the function's name in the elementwise table.
struct ArrayOperator {
  const char* dunder;
  const char* reflected;
  const char* inplace;
  const char* function;
};
const std::vector<ArrayOperator>& array_operators();
// Replaces every public function of `m` (and every Array method) by a
// trueno.Function, which forwards calls and has an introspectable signature.
void wrap_public_functions(nanobind::module_& m);
}  // namespace trueno::py

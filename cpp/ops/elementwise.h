// Elementwise functions: validation, type promotion and dispatch to the loop
// of the compute dtype. The functions themselves are rows of elementwise.def.
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "core/array.h"
#include "core/iteration.h"

namespace trueno {

enum class ResultRule : uint8_t { Same, Bool, ToReal, ToFloat, AsBool };

struct ElementwiseFunction {
  const char* name;
  int arity;  // 1 or 2
  unsigned accepts;  // Category bits
  ResultRule rule;
  StridedLoop loops[kNumDTypes];  // by compute dtype; null where undefined
};

// Every row of elementwise.def, in table order (built by kernels/).
const ElementwiseFunction* elementwise_functions(int* count);
const ElementwiseFunction& elementwise_function(std::string_view name);
// The same, or null when no row has that name.
const ElementwiseFunction* find_elementwise_function(std::string_view name);

// A Python scalar operand, before it takes a dtype from the array beside it.
struct Scalar {
  enum Kind : uint8_t { Bool, Int, Float, Complex } kind;
  bool b = false;
  int64_t i = 0;
  bool int_is_unsigned = false;  // i holds a uint64 bit pattern above INT64_MAX
  double f = 0;
  double imag = 0;
};
// Whether an integer dtype holds a Python int or float (truncated toward
// zero, as int(v) does; never NaN or an infinity); true for other dtypes
// and kinds, whose conversions are defined for every value.
bool scalar_fits(const Scalar& s, DType dtype);
// The scalar as Python's repr writes it (300, 3.4e+38, 256.0, nan).
std::string scalar_repr(const Scalar& s);
// Raises where scalar_fits is false, as NumPy raises for a Python scalar:
// NaN a ValueError, infinities and out-of-range values an OverflowError,
// prefixed with func.
void check_scalar_fits(const Scalar& s, DType dtype, const char* func);
// The 0-D array a scalar becomes next to an array of dtype `other`
// (spec 2024.12 rules, extended as NumPy does where the spec is silent).
Array scalar_to_array(const Scalar& s, DType other, const char* func);
Array scalar_to_array_default(const Scalar& s);
// Where a scalar's kind outranks the array's (int array * 1.5), NumPy
// computes in the scalar's default dtype; the spec leaves it open. Returns
// the array side cast accordingly (unchanged in every case the spec defines).
Array align_with_scalar(const Array& array_side, const Array& scalar_side, const char* func);

// The dtype a function computes in and the dtype it returns, for inputs of
// dtype `in` (already promoted for binary functions); TypeError if refused.
DType compute_dtype(const ElementwiseFunction& f, DType in, const char* argname);
DType result_dtype(const ElementwiseFunction& f, DType compute);

Array apply_unary(const ElementwiseFunction& f, const Array& x);
Array apply_binary(const ElementwiseFunction& f, const Array& a, const Array& b);
// a <op>= b: the result must keep a's dtype and shape (the spec's in-place rule).
void apply_binary_inplace(const ElementwiseFunction& f, const Array& a, const Array& b);
// a <op> b written over `operand`, which is a or b itself (a temporary the
// caller knows nobody else sees), when the result has exactly its dtype and
// shape and the other operand does not partly overlap it; false, with
// nothing done, otherwise.
bool apply_binary_over_operand(const ElementwiseFunction& f, const Array& a, const Array& b,
                               const Array& operand);

}  // namespace trueno

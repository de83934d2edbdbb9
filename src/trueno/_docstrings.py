"""numpydoc sections of the native functions' docstrings, composed from tables.

A native function (trueno.Function) has no docstring of its own: its __doc__
is composed on each read by _signatures.function_doc, as NumPy composes its
ufuncs' docstrings from generate_umath's table:

    <signature line>            (PEP 257, for functions help() cannot introspect)
    <summary>                   (_signatures.SUMMARIES)
    Parameters / Returns / Raises / Examples   (sections(), from the tables here)

The tables, from the general to the particular:

- PARAMETERS: what a parameter means, by name, shared by every function that
  takes it (``axis`` reads the same in every reduction).
- the families: elementwise functions are documented from the kernel table
  itself (_core._elementwise_table(): the dtypes each row accepts and its
  result rule, the very data that validates the call), reductions, creation
  functions and the array's operators from one template each.
- DOCS: what a function says beyond its family (its own parameters, return
  value, errors); EXAMPLES: a doctest per function, which
  tests/test_api_examples.py runs (``xp`` is ``import trueno as xp``).

Every Raises entry was checked by calling the function with the bad input.
"""
from __future__ import annotations

import inspect
import textwrap

from ._signatures import ARITHMETIC_OPERATORS, COMPARISON_OPERATORS

# -- parameters, by name ------------------------------------------------------------
# name -> (type, description)

PARAMETERS = {
    "x": ("Array", "Input array."),
    "x1": ("Array or scalar",
           "First operand. A Python scalar (bool, int, float, complex) takes its dtype from "
           "the other operand; at least one of x1 and x2 must be an array."),
    "x2": ("Array or scalar", "Second operand, broadcast against x1."),
    "axis": ("int or tuple of int, optional",
             "Axis or axes to reduce over (negative values count from the last); None, the "
             "default, reduces over all axes."),
    "keepdims": ("bool, optional",
                 "If True, the reduced axes stay in the result as axes of size one, so that "
                 "it broadcasts against x. Default False."),
    "dtype": ("dtype, optional",
              "Data type of the result; None, the default, chooses it from the inputs "
              "(float64 for floating-point values, int64 for integers)."),
    "device": ("Device or str, optional",
               "Where the result lives: 'cpu', a GPU such as 'cuda:0' (with trueno[cuda]) or a "
               "Device; None, the default, is the default device ('cpu' unless "
               "TRUENO_DEFAULT_DEVICE says otherwise)."),
    "shape": ("int or tuple of int", "Shape of the result."),
    "copy": ("bool, optional",
             "True always copies; False never copies (and raises ValueError where a copy is "
             "needed); None copies only where needed."),
    "fill_value": ("bool, int, float, complex or 0-D Array", "The value of every element."),
    "correction": ("float, optional",
                   "Degrees of freedom removed from the count N: the divisor is N - correction "
                   "(0, the default, for the population statistic; 1 for the sample one)."),
    "include_initial": ("bool, optional",
                        "If True, the result starts with the operation's identity (0 for a "
                        "sum, 1 for a product), so it is one longer along axis. Default False."),
    "descending": ("bool, optional", "Sort in descending order. Default False."),
    "stable": ("bool, optional",
               "Keep equal elements in their original order (the default, True); trueno's "
               "sorts are always stable."),
    "k": ("int, optional",
          "Diagonal offset: 0 (the default) is the main diagonal, k > 0 above it, k < 0 below."),
}

_NOT_AN_ARRAY = ("TypeError", "If x is not a trueno array.")
_BAD_DTYPE = ("TypeError", "If dtype is not a data type trueno supports.")
_BAD_DEVICE = ("ValueError", "If device is not a known device.")

# -- elementwise functions, from the kernel table -------------------------------------
# Category bits of cpp/core/dtype.h (kBool, kSignedInt, kUnsignedInt, kRealFloat,
# kComplexFloat) and the words the C++ errors use for their unions.
_CATEGORY_WORDS = {
    30: "numeric (integer, floating-point or complex)",
    14: "real-valued numeric (integer or real floating-point)",
    6: "integer",
    7: "integer or boolean",
    31: "any (boolean, integer, floating-point or complex)",
}

_RESULTS = {  # rule -> (unary, binary) description of the result
    "same": ("An array of x's dtype.", "An array of the dtype x1 and x2 promote to."),
    "bool": ("A boolean array.", "A boolean array of the broadcast shape."),
    "to_real": ("A real-valued array: float32 for complex64, float64 for complex128, else x's dtype.",
                ""),
    "to_float": ("A floating-point array: x's dtype when it is floating-point; integer and "
                 "boolean inputs are computed in float64 (the standard requires floating-point "
                 "input; trueno accepts these as NumPy does).",
                 "A floating-point array of the dtype x1 and x2 promote to; integer inputs are "
                 "computed in float64."),
    "as_bool": ("A boolean array; x is read as truth values (non-zero is True).",
                "A boolean array of the broadcast shape; the operands are read as truth "
                "values (non-zero is True)."),
}


def _elementwise_sections(name: str, arity: int, accepts: int, rule: str) -> dict:
    kind = _CATEGORY_WORDS[accepts]
    if arity == 1:
        return {
            "parameters": [("x", "Array", f"Input array, of {kind} data type.")],
            "returns": ("Array", _RESULTS[rule][0]),
            "raises": [("TypeError", f"If x is not a trueno array, or its dtype is not {kind}.")],
        }
    return {
        "parameters": [
            ("x1", "Array or scalar",
             f"First operand, of {kind} data type. A Python scalar takes its dtype from x2 "
             "(a float or complex scalar beside an integer array gives float64 or "
             "complex128); at least one of x1 and x2 must be an array."),
            ("x2", "Array or scalar", "Second operand, broadcast against x1 (as x1)."),
        ],
        "returns": ("Array", _RESULTS[rule][1]),
        "raises": [
            ("TypeError", f"If neither x1 nor x2 is an array, an operand's dtype is not {kind}, "
                          "or the two dtypes have no promotion in the standard (int64 with "
                          "float32, uint64 with int64, ...)."),
            ("ValueError", "If the shapes of x1 and x2 cannot be broadcast together."),
            ("OverflowError", "If a Python int operand does not fit the array's integer dtype."),
        ],
    }


def _elementwise_table() -> dict:
    from . import _core
    return {row[0]: row for row in _core._elementwise_table()}


# -- reductions and creation functions ----------------------------------------------------

def _reduction(*, returns: str, zero_size: bool = False, dtypes: str = "") -> dict:
    raises = [
        ("TypeError", "If x is not a trueno array" + (f", {dtypes}" if dtypes else "")
         + ", or axis is not an int or tuple of ints."),
        ("AxisError", "If an axis is out of bounds for x (AxisError is both a ValueError "
                      "and an IndexError)."),
        ("ValueError", "If axis repeats an axis."
         + (" If the reduced axes have zero size (the operation has no identity)."
            if zero_size else "")),
    ]
    return {"returns": ("Array", returns), "raises": raises}


def _filled(*, like: bool) -> dict:
    raises = [_BAD_DTYPE, _BAD_DEVICE]
    if like:
        raises.insert(0, _NOT_AN_ARRAY)
    else:
        raises.insert(0, ("ValueError", "If a dimension of shape is negative."))
    return {"returns": ("Array", "A new array" + (" of x's shape." if like else " of the given shape.")),
            "raises": raises}


_CUMULATIVE = {
    "parameters": [("axis", "int, optional",
                    "Axis along which to accumulate; may be None only for a 0-D or 1-D x.")],
    "raises": [
        ("TypeError", "If x is not a trueno array."),
        ("ValueError", "If axis is None and x has more than one dimension."),
        ("AxisError", "If axis is out of bounds for x."),
    ],
}

DOCS = {
    # Reductions.
    "sum": _reduction(returns="The sums: of dtype when given, else x's dtype widened as the "
                              "standard says (int64 for signed integers and bool, uint64 for "
                              "unsigned ones)."),
    "prod": _reduction(returns="The products, of dtype when given, else x's dtype widened as "
                               "for sum."),
    "mean": _reduction(returns="The means, of x's floating-point dtype (float64 for integer "
                               "and boolean x)."),
    "std": _reduction(returns="The standard deviations, of x's real floating-point dtype "
                              "(float64 for integer x, float32 for complex64)."),
    "var": _reduction(returns="The variances, of x's real floating-point dtype (float64 for "
                              "integer x, float32 for complex64)."),
    "max": _reduction(returns="The largest elements, of x's dtype.", zero_size=True,
                      dtypes="x is complex (complex numbers have no order)"),
    "min": _reduction(returns="The smallest elements, of x's dtype.", zero_size=True,
                      dtypes="x is complex (complex numbers have no order)"),
    "argmax": _reduction(returns="int64 indices into the reduced axis.", zero_size=True,
                         dtypes="x is complex (complex numbers have no order)"),
    "argmin": _reduction(returns="int64 indices into the reduced axis.", zero_size=True,
                         dtypes="x is complex (complex numbers have no order)"),
    "all": _reduction(returns="A boolean array: whether every element reduced is non-zero "
                              "(True over zero elements)."),
    "any": _reduction(returns="A boolean array: whether some element reduced is non-zero "
                              "(False over zero elements)."),
    "count_nonzero": _reduction(returns="int64 counts of the non-zero elements."),
    "cumulative_sum": dict(_CUMULATIVE, returns=("Array", "The running sums, of x's shape "
                                                 "(one longer along axis with include_initial), "
                                                 "of dtype when given, else widened as for sum.")),
    "cumulative_prod": dict(_CUMULATIVE, returns=("Array", "The running products, of x's shape "
                                                  "(one longer along axis with include_initial), "
                                                  "of dtype when given, else widened as for prod.")),
    # Creation.
    "empty": _filled(like=False),
    "zeros": _filled(like=False),
    "ones": _filled(like=False),
    "full": {
        "returns": ("Array", "A new array of the given shape; its dtype is dtype, or "
                             "fill_value's (bool, int64, float64 or complex128)."),
        "raises": [("ValueError", "If a dimension of shape is negative, or fill_value is an "
                                  "array that is not 0-D."),
                   ("TypeError", "If fill_value is not a bool, int, float, complex or 0-D array, "
                                 "or dtype is not a data type trueno supports."),
                   ("OverflowError", "If an int fill_value does not fit an integer dtype."),
                   _BAD_DEVICE],
    },
    "empty_like": _filled(like=True),
    "zeros_like": _filled(like=True),
    "ones_like": _filled(like=True),
    "full_like": {
        "returns": ("Array", "A new array of x's shape, of dtype or x's dtype."),
        "raises": [_NOT_AN_ARRAY,
                   ("TypeError", "If fill_value is not a bool, int, float, complex or 0-D array."),
                   ("OverflowError", "If an int fill_value does not fit an integer dtype."),
                   _BAD_DEVICE],
    },
    "arange": {
        "parameters": [
            ("start", "int or float", "First value; with stop None, the end of the range "
                                      "(which then starts at 0)."),
            ("stop", "int or float, optional", "End of the range, not included."),
            ("step", "int or float, optional", "Spacing between values (default 1)."),
        ],
        "returns": ("Array", "A 1-D array of ceil((stop - start) / step) values, int64 when "
                             "every argument is an int, else float64 (or dtype)."),
        "raises": [("TypeError", "If start, stop or step is not an int or a float, or dtype "
                                 "is not a data type trueno supports."),
                   ("ValueError", "If step is zero, or device is not a known device.")],
    },
    "linspace": {
        "parameters": [
            ("start", "int, float or complex", "First value."),
            ("stop", "int, float or complex", "Last value (included when endpoint is True)."),
            ("num", "int", "Number of values (non-negative)."),
            ("endpoint", "bool, optional", "Whether stop is the last value. Default True."),
        ],
        "returns": ("Array", "A 1-D array of num values, float64 (complex128 for complex "
                             "bounds) unless dtype says otherwise."),
        "raises": [("ValueError", "If num is negative, or device is not a known device."),
                   _BAD_DTYPE],
    },
    "asarray": {
        "parameters": [
            ("obj", "Array, scalar, nested sequence or buffer",
             "What to convert: an array, a Python bool/int/float/complex, a (nested) list or "
             "tuple of them, or an object with the buffer protocol or DLPack (a NumPy array)."),
        ],
        "returns": ("Array", "The array; obj itself (or a view of its memory) where no copy "
                             "was needed."),
        "raises": [("TypeError", "If obj (or an element of it) cannot be converted, or dtype is "
                                 "not a data type trueno supports."),
                   ("ValueError", "If nested sequences have inhomogeneous lengths, copy is False "
                                  "and a copy is needed, or device is not a known device."),
                   ("OverflowError", "If a Python int does not fit the requested integer dtype.")],
    },
    "from_dlpack": {
        "parameters": [("x", "object", "Any object with __dlpack__ and __dlpack_device__ "
                                       "(a NumPy, CuPy or PyTorch array, ...).")],
        "returns": ("Array", "An array sharing x's memory (or a copy, with copy=True)."),
        "raises": [("TypeError", "If x does not implement the DLPack protocol."),
                   ("ValueError", "If copy is False and a copy is needed, or device is not a "
                                  "known device.")],
    },
    "tril": {
        "parameters": [("x", "Array", "Input array of at least two dimensions (a stack of "
                                      "matrices in its last two).")],
        "returns": ("Array", "A new array of x's shape and dtype."),
        "raises": [_NOT_AN_ARRAY, ("ValueError", "If x has fewer than two dimensions.")],
    },
    # Data types, manipulation, linear algebra.
    "astype": {
        "parameters": [("dtype", "dtype", "The data type to convert to."),
                       ("copy", "bool, optional",
                        "True (the default) always copies; False returns x itself when it "
                        "already has dtype (and device).")],
        "returns": ("Array", "x converted to dtype."),
        "raises": [("TypeError", "If x is not a trueno array, dtype is not a data type trueno "
                                 "supports, or a complex x is cast to a real dtype (take "
                                 "real() first)."),
                   _BAD_DEVICE],
    },
    "broadcast_to": {
        "parameters": [("shape", "tuple of int", "The shape to broadcast to.")],
        "returns": ("Array", "A read-only view of x with the given shape."),
        "raises": [_NOT_AN_ARRAY, ("ValueError", "If x's shape cannot be broadcast to shape.")],
    },
    "flip": {
        "parameters": [("axis", "int or tuple of int, optional",
                        "Axis or axes to reverse; None, the default, reverses all.")],
        "returns": ("Array", "A view of x with the elements reversed along axis."),
        "raises": [_NOT_AN_ARRAY, ("AxisError", "If an axis is out of bounds for x.")],
    },
    "permute_dims": {
        "parameters": [("axes", "tuple of int", "A permutation of (0, 1, ..., x.ndim - 1).")],
        "returns": ("Array", "A view of x whose axis i is x's axis axes[i]."),
        "raises": [_NOT_AN_ARRAY,
                   ("ValueError", "If axes does not have one entry per dimension or repeats "
                                  "an axis."),
                   ("AxisError", "If an entry of axes is out of bounds for x.")],
    },
    "reshape": {
        "parameters": [("shape", "int or tuple of int",
                        "The new shape; one dimension may be -1, inferred from the size."),
                       ("copy", "bool, optional",
                        "True always copies; False never copies (raises where a view cannot "
                        "be made); None, the default, gives a view where it can.")],
        "returns": ("Array", "x with the new shape: a view where x's strides allow one."),
        "raises": [_NOT_AN_ARRAY,
                   ("ValueError", "If the new shape has a different size, or copy is False and "
                                  "the reshape needs a copy.")],
    },
    "stack": {
        "parameters": [("arrays", "sequence of Array", "Arrays of one shape (and promotable "
                                                       "dtypes)."),
                       ("axis", "int, optional", "Position of the new axis in the result "
                                                 "(default 0).")],
        "returns": ("Array", "An array of one more dimension, of the dtype the arrays promote to."),
        "raises": [("ValueError", "If arrays is empty or the arrays' shapes differ."),
                   ("AxisError", "If axis is out of bounds for the result."),
                   ("TypeError", "If an element of arrays is not a trueno array, or the dtypes "
                                 "have no promotion.")],
    },
    "take": {
        "parameters": [("indices", "Array", "Integer indices (negative ones count from the end)."),
                       ("axis", "int, optional",
                        "Axis to take along; may be None only for a 1-D x.")],
        "returns": ("Array", "x's elements at indices along axis, of x's dtype."),
        "raises": [("TypeError", "If x is not a trueno array or indices are not integers."),
                   ("ValueError", "If axis is None and x has more than one dimension."),
                   ("IndexError", "If an index is out of bounds.")],
    },
    "matrix_transpose": {
        "returns": ("Array", "A view of x with its last two axes swapped."),
        "raises": [_NOT_AN_ARRAY, ("ValueError", "If x has fewer than two dimensions.")],
    },
    "matmul": {
        "parameters": [("x1", "Array", "First operand, of at least one dimension."),
                       ("x2", "Array", "Second operand, of at least one dimension.")],
        "returns": ("Array", "The matrix product, of the promoted dtype (1-D operands lose "
                             "their contracted axis, as in the standard)."),
        "raises": [("TypeError", "If an operand is not a trueno array or their dtypes have no "
                                 "promotion."),
                   ("ValueError", "If an operand is 0-D, the contracted dimensions differ, or "
                                  "the leading (batch) axes do not broadcast.")],
    },
    "vecdot": {
        "parameters": [("x1", "Array", "First vectors (conjugated when complex)."),
                       ("x2", "Array", "Second vectors, broadcast against x1."),
                       ("axis", "int, optional", "The axis of the vectors (default -1).")],
        "returns": ("Array", "The dot products, with axis removed."),
        "raises": [("TypeError", "If an operand is not a trueno array or their dtypes have no "
                                 "promotion."),
                   ("ValueError", "If the vectors' lengths differ or the other axes do not "
                                  "broadcast.")],
    },
    # Searching, sorting, sets.
    "argsort": {
        "returns": ("Array", "int64 indices of x's shape that sort x along axis."),
        "raises": [_NOT_AN_ARRAY, ("AxisError", "If axis is out of bounds for x."),
                   ("ValueError", "If x is 0-D.")],
    },
    "sort": {
        "returns": ("Array", "A new array of x's shape and dtype, sorted along axis (NaNs "
                             "last; complex numbers by real, then imaginary part)."),
        "raises": [_NOT_AN_ARRAY, ("AxisError", "If axis is out of bounds for x."),
                   ("ValueError", "If x is 0-D.")],
    },
    "nonzero": {
        "returns": ("tuple of Array", "One int64 array of indices per axis of x."),
        "raises": [_NOT_AN_ARRAY, ("ValueError", "If x is 0-D.")],
    },
    "searchsorted": {
        "parameters": [("x1", "Array", "A 1-D array, sorted ascending (unless sorter is given)."),
                       ("x2", "Array", "The values to find places for."),
                       ("side", "{'left', 'right'}, optional",
                        "For a value equal to an element: 'left' (the default) gives the "
                        "first suitable index, 'right' the last."),
                       ("sorter", "Array, optional",
                        "int64 indices that sort x1 (argsort(x1)), when x1 is not sorted.")],
        "returns": ("Array", "int64 insertion indices, of x2's shape."),
        "raises": [("TypeError", "If x1 or x2 is not a trueno array."),
                   ("ValueError", "If x1 is not 1-D or side is not 'left' or 'right'.")],
    },
    "where": {
        "parameters": [("condition", "Array", "Boolean array (other dtypes are read as truth "
                                              "values)."),
                       ("x1", "Array or scalar", "Values where condition is True."),
                       ("x2", "Array or scalar", "Values where condition is False.")],
        "returns": ("Array", "An array of the broadcast shape, of the dtype x1 and x2 promote to."),
        "raises": [("TypeError", "If an argument is not an array or Python scalar, or the dtypes "
                                 "have no promotion."),
                   ("ValueError", "If the shapes cannot be broadcast together.")],
    },
    "isin": {
        "parameters": [("x1", "Array or scalar", "The elements to look for."),
                       ("x2", "Array or scalar", "The elements to look in."),
                       ("invert", "bool, optional", "If True, whether each element is NOT in "
                                                    "x2. Default False.")],
        "returns": ("Array", "A boolean array of x1's shape."),
        "raises": [("TypeError", "If x1 or x2 is neither an array nor a Python scalar.")],
    },
    "unique_values": {
        "returns": ("Array", "A 1-D array of the distinct elements of x, sorted (NaNs are "
                             "each distinct)."),
        "raises": [_NOT_AN_ARRAY],
    },
    "clip": {
        "parameters": [("x", "Array", "Input array, of real-valued dtype."),
                       ("min", "Array or scalar, optional",
                        "Lower bound (None: no lower bound), broadcast against x."),
                       ("max", "Array or scalar, optional",
                        "Upper bound (None: no upper bound), broadcast against x.")],
        "returns": ("Array", "An array of x's dtype and the broadcast shape."),
        "raises": [("TypeError", "If x is complex, or a bound is neither an array nor a real "
                                 "Python scalar, or an array bound's dtype is of another kind "
                                 "than x's."),
                   ("ValueError", "If the shapes cannot be broadcast together.")],
    },
    # SIMD targets and threads.
    "available_isas": {"returns": ("list of str", "Names of the ISAs set_isa accepts here, "
                                                  "best first (always ending with 'scalar').")},
    "compiled_isas": {"returns": ("list of str", "Names of the compiled ISAs, best first.")},
    "get_isa": {"returns": ("str", "The name of the current ISA ('avx3', 'avx2', 'sse4', "
                                   "'ssse3' or 'scalar').")},
    "set_isa": {
        "parameters": [("name", "str", "An ISA from available_isas(), or 'best'.")],
        "returns": ("None", ""),
        "raises": [("ValueError", "If name is not an ISA this CPU can run.")],
    },
    "get_num_threads": {"returns": ("int", "The number of threads (1 to 256).")},
    "set_num_threads": {
        "parameters": [("n", "int", "Number of threads, 1 to 256.")],
        "returns": ("None", ""),
        "raises": [("TypeError", "If n is not an int."),
                   ("ValueError", "If n is outside 1 to 256.")],
    },
}

# The same words for functions of one kind.
DOCS["triu"] = DOCS["tril"]

# trueno.nn: real floating-point functions (cpp/ops/nn.cpp).
_NN_X = ("x", "Array", "Input array, of real floating-point dtype.")
_NN_DTYPE = ("TypeError", "If x is not a trueno array of real floating-point dtype.")
for _name in ("relu", "sigmoid", "silu", "swish"):
    DOCS[f"nn.{_name}"] = {"parameters": [_NN_X],
                           "returns": ("Array", "An array of x's shape and dtype."),
                           "raises": [_NN_DTYPE]}
DOCS["nn.gelu"] = {
    "parameters": [_NN_X, ("approximate", "{'none', 'tanh'}, optional",
                           "'none' (the default) computes x * Phi(x) with erf; 'tanh' the "
                           "tanh approximation.")],
    "returns": ("Array", "An array of x's shape and dtype."),
    "raises": [_NN_DTYPE, ("ValueError", "If approximate is not 'none' or 'tanh'.")],
}
for _name in ("softmax", "log_softmax"):
    DOCS[f"nn.{_name}"] = {
        "parameters": [_NN_X, ("axis", "int, optional", "The axis to normalise along "
                                                        "(default -1).")],
        "returns": ("Array", "An array of x's shape and dtype."),
        "raises": [_NN_DTYPE, ("AxisError", "If axis is out of bounds for x.")],
    }
for _name in ("norm_l1", "norm_l2", "norm_linf"):
    DOCS[f"nn.{_name}"] = {
        "parameters": [_NN_X],
        "returns": ("Array", "The norms, of x's dtype."),
        "raises": [_NN_DTYPE, ("AxisError", "If an axis is out of bounds for x."),
                   ("ValueError", "If axis repeats an axis.")],
    }
DOCS["nn.lerp"] = {
    "parameters": [("a", "Array", "Start values, real floating-point."),
                   ("b", "Array", "End values, broadcast against a."),
                   ("t", "Array or float", "Weights, broadcast against a and b.")],
    "returns": ("Array", "An array of the broadcast shape."),
    "raises": [("TypeError", "If an operand is not of real floating-point dtype."),
               ("ValueError", "If the shapes cannot be broadcast together.")],
}
DOCS["nn.fma"] = {
    "parameters": [("a", "Array", "First factor, real floating-point."),
                   ("b", "Array", "Second factor."), ("c", "Array", "Addend.")],
    "returns": ("Array", "An array of the broadcast shape."),
    "raises": [("TypeError", "If an operand is not of real floating-point dtype."),
               ("ValueError", "If the shapes cannot be broadcast together.")],
}
del _name

# -- the array's methods ------------------------------------------------------------------
def _operator_docs() -> dict:
    docs = {}
    other = [("other", "Array or scalar", "The other operand, broadcast against self; a Python "
                                          "scalar takes self's dtype.")]
    for stem, symbol, function in ARITHMETIC_OPERATORS + COMPARISON_OPERATORS:
        see = f"As trueno.{function}, which lists the dtypes it accepts."
        raises = [("TypeError", f"Where trueno.{function} raises it (an operand's dtype, no "
                                "promotion)."),
                  ("ValueError", "If the shapes cannot be broadcast together.")]
        docs[f"Array.__{stem}__"] = {"parameters": other, "returns": ("Array", see),
                                     "raises": raises}
        if (stem, symbol, function) in COMPARISON_OPERATORS:
            continue
        docs[f"Array.__r{stem}__"] = {"parameters": other, "returns": ("Array", see),
                                      "raises": raises}
        docs[f"Array.__i{stem}__"] = {
            "parameters": other,
            "returns": ("Array", "self, with the result written into it."),
            "raises": [
                ("TypeError", f"Where trueno.{function} raises it, or if the result's dtype "
                              "is not self's (an int array += a float)."),
                ("ValueError", "If the result's shape is not self's (other does not broadcast "
                               "to it).")],
        }
    for name in ("__matmul__", "__rmatmul__", "__imatmul__"):
        docs[f"Array.{name}"] = {"parameters": [("arg", "Array", "The other matrix operand.")],
                                 "returns": ("Array", "As trueno.matmul."),
                                 "raises": DOCS["matmul"]["raises"]}
    for name, raises in [("__neg__", "negative"), ("__pos__", "positive"), ("__abs__", "abs"),
                         ("__invert__", "bitwise_invert")]:
        docs[f"Array.{name}"] = {"returns": ("Array", f"As trueno.{raises}."),
                                 "raises": [("TypeError", f"Where trueno.{raises} raises it "
                                                          "(self's dtype).")]}
    for name, result in [("__bool__", "bool"), ("__int__", "int"), ("__float__", "float"),
                         ("__complex__", "complex"), ("__index__", "int")]:
        why = "If self has more than one element" + (
            ", or is not of an integer dtype." if name == "__index__" else ".")
        docs[f"Array.{name}"] = {"returns": (result, "The single element."),
                                 "raises": [("TypeError", why)]}
    return docs


DOCS.update(_operator_docs())
DOCS.update({
    "Array.item": {"returns": ("bool, int, float or complex", "The single element."),
                   "raises": [("TypeError", "If self has more than one element.")]},
    "Array.tolist": {"returns": ("list or scalar", "Nested lists, self.ndim deep (a scalar "
                                                   "for a 0-D array).")},
    "Array.__len__": {"returns": ("int", "self.shape[0]."),
                      "raises": [("TypeError", "If self is 0-D.")]},
    "Array.__iter__": {"returns": ("iterator of Array", "Views of self[0], self[1], ..."),
                       "raises": [("TypeError", "If self is 0-D.")]},
    "Array.__getitem__": {
        "parameters": [("key", "int, slice, ellipsis, None, Array or tuple of them",
                        "The selection: integers, slices, ..., None (a new axis), and integer "
                        "or boolean arrays.")],
        "returns": ("Array", "The selected elements: a view for basic indexing, a copy for "
                             "integer-array and boolean indexing."),
        "raises": [("IndexError", "If an index is out of bounds or key holds an object that "
                                  "is not a valid index.")],
    },
    "Array.__setitem__": {
        "parameters": [("key", "int, slice, ellipsis, None, Array or tuple of them",
                        "The selection, as for __getitem__."),
                       ("value", "Array or scalar", "The values, broadcast to the selection and "
                                                    "cast to self's dtype.")],
        "returns": ("None", ""),
        "raises": [("IndexError", "If an index is out of bounds or not a valid index."),
                   ("ValueError", "If value does not broadcast to the selection.")],
    },
    "Array.__array_namespace__": {
        "parameters": [("api_version", "str, optional", "The standard's version wanted "
                                                        "(None: the latest, 2025.12).")],
        "returns": ("module", "The trueno module."),
    },
    "Array.to_device": {
        "parameters": [("device", "Device or str", "The target device ('cpu', 'cuda:0', ...)."),
                       ("stream", "object, optional", "A stream of the target device (unused "
                                                      "on the CPU).")],
        "returns": ("Array", "self if it is already on device, else a copy there."),
        "raises": [("ValueError", "If device is not a known device.")],
    },
    "Array.__dlpack__": {
        "parameters": [("stream", "int, optional", "The consumer's stream (GPU arrays)."),
                       ("max_version", "tuple of int, optional",
                        "The highest DLPack version the consumer reads."),
                       ("dl_device", "tuple of int, optional", "The device the consumer wants."),
                       ("copy", "bool, optional", "Whether the producer must (True) or must not "
                                                  "(False) copy.")],
        "returns": ("PyCapsule", "A DLPack capsule."),
    },
    "Array.__dlpack_device__": {"returns": ("tuple of int", "(device type, device id): (1, 0) "
                                                            "for the CPU.")},
    "Array.__array__": {
        "parameters": [("dtype", "dtype, optional", "The dtype NumPy asks for (a copy when it "
                                                    "differs)."),
                       ("copy", "bool, optional", "NumPy's copy request.")],
        "returns": ("numpy.ndarray", "A view of self's memory where possible."),
    },
    "Array.__repr__": {"returns": ("str", "The repr, e.g. ``Array([1, 2], dtype=int64)``.")},
    "Array.__str__": {"returns": ("str", "The elements, e.g. ``[1 2]``.")},
    "Array.__reduce__": {"returns": ("tuple", "What pickle needs to rebuild the array.")},
    "Array.__reduce_ex__": {"parameters": [("protocol", "int", "The pickle protocol.")],
                            "returns": ("tuple", "What pickle needs to rebuild the array.")},
    "Array.__sizeof__": {"returns": ("int", "Size in bytes.")},
    "Array.__copy__": {"returns": ("Array", "A contiguous copy.")},
    "Array.__deepcopy__": {"parameters": [("memo", "dict", "copy.deepcopy's memo.")],
                           "returns": ("Array", "A contiguous copy.")},
})


# -- examples -----------------------------------------------------------------------
# Run by tests/test_api_examples.py after ``import trueno as xp`` (added to each
# docstring). Outputs are as printed on every SIMD target (8 significant digits).

EXAMPLES = {
    'abs': '''\
>>> xp.abs(xp.asarray([-1.5, 0.0, 2.0]))
Array([1.5, 0. , 2. ], dtype=float64)
''',
    'acos': '''\
>>> xp.acos(xp.asarray([1.0, 0.0]))
Array([0.        , 1.57079633], dtype=float64)
''',
    'acosh': '''\
>>> xp.acosh(xp.asarray([1.0, 2.0]))
Array([0.       , 1.3169579], dtype=float64)
''',
    'add': '''\
>>> xp.add(xp.asarray([1, 2]), 3)
Array([4, 5], dtype=int64)
>>> xp.add(xp.asarray([[1.0], [2.0]]), xp.asarray([10.0, 20.0]))
Array([[11., 21.],
       [12., 22.]], dtype=float64)
''',
    'asin': '''\
>>> xp.asin(xp.asarray([0.0, 1.0]))
Array([0.        , 1.57079633], dtype=float64)
''',
    'asinh': '''\
>>> xp.asinh(xp.asarray([0.0, 1.0]))
Array([0.        , 0.88137359], dtype=float64)
''',
    'atan': '''\
>>> xp.atan(xp.asarray([0.0, 1.0]))
Array([0.        , 0.78539816], dtype=float64)
''',
    'atan2': '''\
>>> xp.atan2(xp.asarray([1.0, -1.0]), xp.asarray([-1.0, -1.0]))
Array([ 2.35619449, -2.35619449], dtype=float64)
''',
    'atanh': '''\
>>> xp.atanh(xp.asarray([0.0, 0.5]))
Array([0.        , 0.54930614], dtype=float64)
''',
    'bitwise_and': '''\
>>> xp.bitwise_and(xp.asarray([12, 10]), 6)
Array([4, 2], dtype=int64)
''',
    'bitwise_invert': '''\
>>> xp.bitwise_invert(xp.asarray([0, 5], dtype=xp.uint8))
Array([255, 250], dtype=uint8)
''',
    'bitwise_left_shift': '''\
>>> xp.bitwise_left_shift(xp.asarray([1, 3]), 2)
Array([ 4, 12], dtype=int64)
''',
    'bitwise_or': '''\
>>> xp.bitwise_or(xp.asarray([12, 10]), 6)
Array([14, 14], dtype=int64)
''',
    'bitwise_right_shift': '''\
>>> xp.bitwise_right_shift(xp.asarray([16, -16]), 2)
Array([ 4, -4], dtype=int64)
''',
    'bitwise_xor': '''\
>>> xp.bitwise_xor(xp.asarray([12, 10]), 6)
Array([10, 12], dtype=int64)
''',
    'ceil': '''\
>>> xp.ceil(xp.asarray([-1.5, 0.2, 2.0]))
Array([-1.,  1.,  2.], dtype=float64)
''',
    'clip': '''\
>>> xp.clip(xp.asarray([1, 5, 9]), 2, 6)
Array([2, 5, 6], dtype=int64)
>>> xp.clip(xp.asarray([1.0, 5.0]), max=3.0)
Array([1., 3.], dtype=float64)
''',
    'conj': '''\
>>> xp.conj(xp.asarray([1 + 2j, 3 - 1j]))
Array([1.-2.j, 3.+1.j], dtype=complex128)
''',
    'copysign': '''\
>>> xp.copysign(xp.asarray([1.0, 2.0]), xp.asarray([-0.0, 3.0]))
Array([-1.,  2.], dtype=float64)
''',
    'cos': '''\
>>> xp.cos(xp.asarray([0.0, xp.pi]))
Array([ 1., -1.], dtype=float64)
''',
    'cosh': '''\
>>> xp.cosh(xp.asarray([0.0, 1.0]))
Array([1.        , 1.54308063], dtype=float64)
''',
    'divide': '''\
>>> xp.divide(xp.asarray([1, 3]), 2)
Array([0.5, 1.5], dtype=float64)
''',
    'equal': '''\
>>> xp.equal(xp.asarray([1, 2, 3]), 2)
Array([False,  True, False], dtype=bool)
''',
    'exp': '''\
>>> xp.exp(xp.asarray([0.0, 1.0]))
Array([1.        , 2.71828183], dtype=float64)
''',
    'expm1': '''\
>>> xp.expm1(xp.asarray([1e-10, 1.0]))
Array([1.00000000e-10, 1.71828183e+00], dtype=float64)
''',
    'floor': '''\
>>> xp.floor(xp.asarray([-1.5, 0.2, 2.0]))
Array([-2.,  0.,  2.], dtype=float64)
''',
    'floor_divide': '''\
>>> xp.floor_divide(xp.asarray([7, -7]), 2)
Array([ 3, -4], dtype=int64)
''',
    'greater': '''\
>>> xp.greater(xp.asarray([1, 2, 3]), 2)
Array([False, False,  True], dtype=bool)
''',
    'greater_equal': '''\
>>> xp.greater_equal(xp.asarray([1, 2, 3]), 2)
Array([False,  True,  True], dtype=bool)
''',
    'hypot': '''\
>>> xp.hypot(xp.asarray([3.0, 5.0]), xp.asarray([4.0, 12.0]))
Array([ 5., 13.], dtype=float64)
''',
    'imag': '''\
>>> xp.imag(xp.asarray([1 + 2j, 3 - 1j]))
Array([ 2., -1.], dtype=float64)
''',
    'isfinite': '''\
>>> xp.isfinite(xp.asarray([1.0, xp.inf, xp.nan]))
Array([ True, False, False], dtype=bool)
''',
    'isinf': '''\
>>> xp.isinf(xp.asarray([1.0, -xp.inf, xp.nan]))
Array([False,  True, False], dtype=bool)
''',
    'isnan': '''\
>>> xp.isnan(xp.asarray([1.0, xp.inf, xp.nan]))
Array([False, False,  True], dtype=bool)
''',
    'less': '''\
>>> xp.less(xp.asarray([1, 2, 3]), 2)
Array([ True, False, False], dtype=bool)
''',
    'less_equal': '''\
>>> xp.less_equal(xp.asarray([1, 2, 3]), 2)
Array([ True,  True, False], dtype=bool)
''',
    'log': '''\
>>> xp.log(xp.asarray([1.0, xp.e]))
Array([0., 1.], dtype=float64)
''',
    'log10': '''\
>>> xp.log10(xp.asarray([1.0, 1000.0]))
Array([0., 3.], dtype=float64)
''',
    'log1p': '''\
>>> xp.log1p(xp.asarray([1e-10, 1.0]))
Array([1.00000000e-10, 6.93147181e-01], dtype=float64)
''',
    'log2': '''\
>>> xp.log2(xp.asarray([1.0, 8.0]))
Array([0., 3.], dtype=float64)
''',
    'logaddexp': '''\
>>> xp.logaddexp(xp.asarray([0.0, 1000.0]), xp.asarray([0.0, 1000.0]))
Array([6.93147181e-01, 1.00069315e+03], dtype=float64)
''',
    'logical_and': '''\
>>> xp.logical_and(xp.asarray([True, True, False]), xp.asarray([True, False, False]))
Array([ True, False, False], dtype=bool)
''',
    'logical_not': '''\
>>> xp.logical_not(xp.asarray([True, False]))
Array([False,  True], dtype=bool)
''',
    'logical_or': '''\
>>> xp.logical_or(xp.asarray([True, True, False]), xp.asarray([True, False, False]))
Array([ True,  True, False], dtype=bool)
''',
    'logical_xor': '''\
>>> xp.logical_xor(xp.asarray([True, True, False]), xp.asarray([True, False, False]))
Array([False,  True, False], dtype=bool)
''',
    'maximum': '''\
>>> xp.maximum(xp.asarray([1.0, 5.0, xp.nan]), xp.asarray([3.0, 2.0, 0.0]))
Array([ 3.,  5., nan], dtype=float64)
''',
    'minimum': '''\
>>> xp.minimum(xp.asarray([1.0, 5.0, xp.nan]), xp.asarray([3.0, 2.0, 0.0]))
Array([ 1.,  2., nan], dtype=float64)
''',
    'multiply': '''\
>>> xp.multiply(xp.asarray([1, 2]), xp.asarray([3, 4]))
Array([3, 8], dtype=int64)
''',
    'negative': '''\
>>> xp.negative(xp.asarray([1, -2]))
Array([-1,  2], dtype=int64)
''',
    'nextafter': '''\
>>> xp.nextafter(xp.asarray([1.0], dtype=xp.float32), 2.0)
Array([1.0000001], dtype=float32)
''',
    'not_equal': '''\
>>> xp.not_equal(xp.asarray([1, 2, 3]), 2)
Array([ True, False,  True], dtype=bool)
''',
    'positive': '''\
>>> xp.positive(xp.asarray([1, -2]))
Array([ 1, -2], dtype=int64)
''',
    'pow': '''\
>>> xp.pow(xp.asarray([1, 2, 3]), 2)
Array([1, 4, 9], dtype=int64)
>>> xp.pow(2.0, xp.asarray([0.5, -1.0]))
Array([1.41421356, 0.5       ], dtype=float64)
''',
    'real': '''\
>>> xp.real(xp.asarray([1 + 2j, 3 - 1j]))
Array([1., 3.], dtype=float64)
''',
    'reciprocal': '''\
>>> xp.reciprocal(xp.asarray([2.0, 4.0]))
Array([0.5 , 0.25], dtype=float64)
''',
    'remainder': '''\
>>> xp.remainder(xp.asarray([7, -7]), 3)
Array([1, 2], dtype=int64)
''',
    'round': '''\
>>> xp.round(xp.asarray([0.5, 1.5, 2.6]))
Array([0., 2., 3.], dtype=float64)
''',
    'sign': '''\
>>> xp.sign(xp.asarray([-3.0, 0.0, 2.0]))
Array([-1.,  0.,  1.], dtype=float64)
''',
    'signbit': '''\
>>> xp.signbit(xp.asarray([-0.0, 0.0, -1.0]))
Array([ True, False,  True], dtype=bool)
''',
    'sin': '''\
>>> xp.sin(xp.asarray([0.0, xp.pi / 2]))
Array([0., 1.], dtype=float64)
''',
    'sinh': '''\
>>> xp.sinh(xp.asarray([0.0, 1.0]))
Array([0.        , 1.17520119], dtype=float64)
''',
    'sqrt': '''\
>>> xp.sqrt(xp.asarray([4.0, 9.0]))
Array([2., 3.], dtype=float64)
''',
    'square': '''\
>>> xp.square(xp.asarray([2, -3]))
Array([4, 9], dtype=int64)
''',
    'subtract': '''\
>>> xp.subtract(xp.asarray([5, 7]), 2)
Array([3, 5], dtype=int64)
''',
    'tan': '''\
>>> xp.tan(xp.asarray([0.0, xp.pi / 4]))
Array([0., 1.], dtype=float64)
''',
    'tanh': '''\
>>> xp.tanh(xp.asarray([0.0, 1.0]))
Array([0.        , 0.76159416], dtype=float64)
''',
    'trunc': '''\
>>> xp.trunc(xp.asarray([-1.7, 1.7]))
Array([-1.,  1.], dtype=float64)
''',
    'arange': '''\
>>> xp.arange(5)
Array([0, 1, 2, 3, 4], dtype=int64)
>>> xp.arange(1.0, 2.0, 0.25)
Array([1.  , 1.25, 1.5 , 1.75], dtype=float64)
''',
    'asarray': '''\
>>> xp.asarray([[1, 2], [3, 4]])
Array([[1, 2],
       [3, 4]], dtype=int64)
>>> xp.asarray([1, 2], dtype=xp.float32)
Array([1., 2.], dtype=float32)
''',
    'empty': '''\
>>> xp.empty((2, 3)).shape
(2, 3)
''',
    'empty_like': '''\
>>> xp.empty_like(xp.asarray([1, 2, 3])).dtype
dtype('int64')
''',
    'from_dlpack': '''\
>>> import numpy as np
>>> xp.from_dlpack(np.arange(3))
Array([0, 1, 2], dtype=int64)
''',
    'full': '''\
>>> xp.full((2, 2), 7)
Array([[7, 7],
       [7, 7]], dtype=int64)
''',
    'full_like': '''\
>>> xp.full_like(xp.asarray([1.0, 2.0]), 0.5)
Array([0.5, 0.5], dtype=float64)
''',
    'linspace': '''\
>>> xp.linspace(0, 1, 5)
Array([0.  , 0.25, 0.5 , 0.75, 1.  ], dtype=float64)
>>> xp.linspace(0, 1, 4, endpoint=False)
Array([0.  , 0.25, 0.5 , 0.75], dtype=float64)
''',
    'ones': '''\
>>> xp.ones(3, dtype=xp.int32)
Array([1, 1, 1], dtype=int32)
''',
    'ones_like': '''\
>>> xp.ones_like(xp.asarray([[1, 2]]))
Array([[1, 1]], dtype=int64)
''',
    'tril': '''\
>>> xp.tril(xp.ones((3, 3), dtype=xp.int64))
Array([[1, 0, 0],
       [1, 1, 0],
       [1, 1, 1]], dtype=int64)
''',
    'triu': '''\
>>> xp.triu(xp.ones((3, 3), dtype=xp.int64), k=1)
Array([[0, 1, 1],
       [0, 0, 1],
       [0, 0, 0]], dtype=int64)
''',
    'zeros': '''\
>>> xp.zeros((2, 2))
Array([[0., 0.],
       [0., 0.]], dtype=float64)
''',
    'zeros_like': '''\
>>> xp.zeros_like(xp.asarray([1, 2, 3]))
Array([0, 0, 0], dtype=int64)
''',
    'astype': '''\
>>> xp.astype(xp.asarray([1.7, -1.7]), xp.int32)
Array([ 1, -1], dtype=int32)
''',
    'broadcast_to': '''\
>>> xp.broadcast_to(xp.asarray([1, 2, 3]), (2, 3))
Array([[1, 2, 3],
       [1, 2, 3]], dtype=int64)
''',
    'flip': '''\
>>> xp.flip(xp.asarray([[1, 2], [3, 4]]))
Array([[4, 3],
       [2, 1]], dtype=int64)
>>> xp.flip(xp.asarray([[1, 2], [3, 4]]), axis=1)
Array([[2, 1],
       [4, 3]], dtype=int64)
''',
    'permute_dims': '''\
>>> xp.permute_dims(xp.zeros((2, 3, 4)), (2, 0, 1)).shape
(4, 2, 3)
''',
    'reshape': '''\
>>> xp.reshape(xp.arange(6), (2, 3))
Array([[0, 1, 2],
       [3, 4, 5]], dtype=int64)
''',
    'stack': '''\
>>> xp.stack([xp.asarray([1, 2]), xp.asarray([3, 4])], axis=1)
Array([[1, 3],
       [2, 4]], dtype=int64)
''',
    'take': '''\
>>> xp.take(xp.asarray([10, 20, 30]), xp.asarray([2, 0]))
Array([30, 10], dtype=int64)
''',
    'matrix_transpose': '''\
>>> xp.matrix_transpose(xp.asarray([[1, 2, 3], [4, 5, 6]]))
Array([[1, 4],
       [2, 5],
       [3, 6]], dtype=int64)
''',
    'matmul': '''\
>>> xp.matmul(xp.asarray([[1, 2], [3, 4]]), xp.asarray([[5], [6]]))
Array([[17],
       [39]], dtype=int64)
''',
    'vecdot': '''\
>>> xp.vecdot(xp.asarray([1.0, 2.0, 3.0]), xp.asarray([4.0, 5.0, 6.0]))
Array(32., dtype=float64)
''',
    'argmax': '''\
>>> xp.argmax(xp.asarray([[1, 9], [7, 3]]), axis=1)
Array([1, 0], dtype=int64)
''',
    'argmin': '''\
>>> xp.argmin(xp.asarray([[1, 9], [7, 3]]), axis=1)
Array([0, 1], dtype=int64)
''',
    'argsort': '''\
>>> xp.argsort(xp.asarray([3, 1, 2]))
Array([1, 2, 0], dtype=int64)
''',
    'count_nonzero': '''\
>>> xp.count_nonzero(xp.asarray([[0, 1], [2, 3]]), axis=0)
Array([1, 2], dtype=int64)
''',
    'nonzero': '''\
>>> xp.nonzero(xp.asarray([[0, 1], [2, 0]]))
(Array([0, 1], dtype=int64), Array([1, 0], dtype=int64))
''',
    'searchsorted': '''\
>>> xp.searchsorted(xp.asarray([1, 3, 5]), xp.asarray([0, 3, 6]))
Array([0, 1, 3], dtype=int64)
>>> xp.searchsorted(xp.asarray([1, 3, 5]), xp.asarray([3]), side='right')
Array([2], dtype=int64)
''',
    'sort': '''\
>>> xp.sort(xp.asarray([3, 1, 2]))
Array([1, 2, 3], dtype=int64)
>>> xp.sort(xp.asarray([3, 1, 2]), descending=True)
Array([3, 2, 1], dtype=int64)
''',
    'where': '''\
>>> xp.where(xp.asarray([True, False, True]), xp.asarray([1, 2, 3]), 0)
Array([1, 0, 3], dtype=int64)
''',
    'isin': '''\
>>> xp.isin(xp.asarray([1, 2, 3]), xp.asarray([2, 5]))
Array([False,  True, False], dtype=bool)
''',
    'unique_values': '''\
>>> xp.unique_values(xp.asarray([3, 1, 3, 2, 1]))
Array([1, 2, 3], dtype=int64)
''',
    'all': '''\
>>> xp.all(xp.asarray([[True, False], [True, True]]), axis=1)
Array([False,  True], dtype=bool)
''',
    'any': '''\
>>> xp.any(xp.asarray([[True, False], [False, False]]), axis=1)
Array([ True, False], dtype=bool)
''',
    'cumulative_prod': '''\
>>> xp.cumulative_prod(xp.asarray([1, 2, 3, 4]))
Array([ 1,  2,  6, 24], dtype=int64)
''',
    'cumulative_sum': '''\
>>> xp.cumulative_sum(xp.asarray([1, 2, 3, 4]))
Array([ 1,  3,  6, 10], dtype=int64)
>>> xp.cumulative_sum(xp.asarray([1, 2, 3]), include_initial=True)
Array([0, 1, 3, 6], dtype=int64)
''',
    'max': '''\
>>> xp.max(xp.asarray([[1, 5], [7, 2]]), axis=0)
Array([7, 5], dtype=int64)
''',
    'mean': '''\
>>> xp.mean(xp.asarray([[1.0, 2.0], [3.0, 4.0]]), axis=1)
Array([1.5, 3.5], dtype=float64)
''',
    'min': '''\
>>> xp.min(xp.asarray([[1, 5], [7, 2]]), axis=0)
Array([1, 2], dtype=int64)
''',
    'prod': '''\
>>> xp.prod(xp.asarray([1, 2, 3, 4]))
Array(24, dtype=int64)
''',
    'std': '''\
>>> xp.std(xp.asarray([1.0, 2.0, 3.0, 4.0]))
Array(1.11803399, dtype=float64)
>>> xp.std(xp.asarray([1.0, 2.0, 3.0, 4.0]), correction=1)
Array(1.29099445, dtype=float64)
''',
    'sum': '''\
>>> xp.sum(xp.asarray([[1, 2], [3, 4]]))
Array(10, dtype=int64)
>>> xp.sum(xp.asarray([[1, 2], [3, 4]]), axis=0, keepdims=True)
Array([[4, 6]], dtype=int64)
''',
    'var': '''\
>>> xp.var(xp.asarray([1.0, 2.0, 3.0, 4.0]))
Array(1.25, dtype=float64)
''',
    'available_isas': '''\
>>> 'scalar' in xp.available_isas()
True
''',
    'compiled_isas': '''\
>>> 'scalar' in xp.compiled_isas()
True
''',
    'get_isa': '''\
>>> xp.get_isa() in xp.available_isas()
True
''',
    'set_isa': '''\
>>> xp.set_isa('scalar')
>>> xp.get_isa()
'scalar'
>>> xp.set_isa('best')
''',
    'get_num_threads': '''\
>>> xp.get_num_threads()
1
''',
    'set_num_threads': '''\
>>> xp.set_num_threads(2)
>>> xp.get_num_threads()
2
>>> xp.set_num_threads(1)
''',
    'nn.relu': '''\
>>> xp.nn.relu(xp.asarray([-1.0, 0.5]))
Array([0. , 0.5], dtype=float64)
''',
    'nn.sigmoid': '''\
>>> xp.nn.sigmoid(xp.asarray([0.0, 2.0]))
Array([0.5       , 0.88079708], dtype=float64)
''',
    'nn.silu': '''\
>>> xp.nn.silu(xp.asarray([0.0, 2.0]))
Array([0.        , 1.76159416], dtype=float64)
''',
    'nn.swish': '''\
>>> xp.nn.swish(xp.asarray([0.0, 2.0]))
Array([0.        , 1.76159416], dtype=float64)
''',
    'nn.gelu': '''\
>>> xp.nn.gelu(xp.asarray([-1.0, 0.0, 1.0]))
Array([-0.15865525,  0.        ,  0.84134475], dtype=float64)
>>> xp.nn.gelu(xp.asarray([-1.0, 0.0, 1.0]), approximate='tanh')
Array([-0.15880801,  0.        ,  0.84119199], dtype=float64)
''',
    'nn.softmax': '''\
>>> xp.nn.softmax(xp.asarray([1.0, 2.0, 3.0]))
Array([0.09003057, 0.24472847, 0.66524096], dtype=float64)
''',
    'nn.log_softmax': '''\
>>> xp.nn.log_softmax(xp.asarray([1.0, 2.0, 3.0]))
Array([-2.40760596, -1.40760596, -0.40760596], dtype=float64)
''',
    'nn.lerp': '''\
>>> xp.nn.lerp(xp.asarray([0.0, 10.0]), xp.asarray([1.0, 20.0]), 0.25)
Array([ 0.25, 12.5 ], dtype=float64)
''',
    'nn.fma': '''\
>>> xp.nn.fma(xp.asarray([2.0]), xp.asarray([3.0]), xp.asarray([1.0]))
Array([7.], dtype=float64)
''',
    'nn.norm_l1': '''\
>>> xp.nn.norm_l1(xp.asarray([[3.0, -4.0], [1.0, 1.0]]), axis=1)
Array([7., 2.], dtype=float64)
''',
    'nn.norm_l2': '''\
>>> xp.nn.norm_l2(xp.asarray([[3.0, -4.0], [1.0, 1.0]]), axis=1)
Array([5.        , 1.41421356], dtype=float64)
''',
    'nn.norm_linf': '''\
>>> xp.nn.norm_linf(xp.asarray([[3.0, -4.0], [1.0, 1.0]]), axis=1)
Array([4., 1.], dtype=float64)
''',
    'Array.__add__': '''\
>>> x = xp.asarray([6, 3])
>>> x + 2
Array([8, 5], dtype=int64)
''',
    'Array.__radd__': '''\
>>> x = xp.asarray([6, 3])
>>> 2 + x
Array([8, 5], dtype=int64)
''',
    'Array.__iadd__': '''\
>>> x = xp.asarray([6, 3])
>>> x += 2
>>> x
Array([8, 5], dtype=int64)
''',
    'Array.__sub__': '''\
>>> x = xp.asarray([6, 3])
>>> x - 2
Array([4, 1], dtype=int64)
''',
    'Array.__rsub__': '''\
>>> x = xp.asarray([6, 3])
>>> 2 - x
Array([-4, -1], dtype=int64)
''',
    'Array.__isub__': '''\
>>> x = xp.asarray([6, 3])
>>> x -= 2
>>> x
Array([4, 1], dtype=int64)
''',
    'Array.__mul__': '''\
>>> x = xp.asarray([6, 3])
>>> x * 2
Array([12,  6], dtype=int64)
''',
    'Array.__rmul__': '''\
>>> x = xp.asarray([6, 3])
>>> 2 * x
Array([12,  6], dtype=int64)
''',
    'Array.__imul__': '''\
>>> x = xp.asarray([6, 3])
>>> x *= 2
>>> x
Array([12,  6], dtype=int64)
''',
    'Array.__truediv__': '''\
>>> x = xp.asarray([6, 3])
>>> x / 2
Array([3. , 1.5], dtype=float64)
''',
    'Array.__rtruediv__': '''\
>>> x = xp.asarray([6, 3])
>>> 2 / x
Array([0.33333333, 0.66666667], dtype=float64)
''',
    'Array.__itruediv__': '''\
>>> x = xp.asarray([6.0, 3.0])
>>> x /= 2
>>> x
Array([3. , 1.5], dtype=float64)
''',
    'Array.__floordiv__': '''\
>>> x = xp.asarray([6, 3])
>>> x // 2
Array([3, 1], dtype=int64)
''',
    'Array.__rfloordiv__': '''\
>>> x = xp.asarray([6, 3])
>>> 2 // x
Array([0, 0], dtype=int64)
''',
    'Array.__ifloordiv__': '''\
>>> x = xp.asarray([6, 3])
>>> x //= 2
>>> x
Array([3, 1], dtype=int64)
''',
    'Array.__mod__': '''\
>>> x = xp.asarray([6, 3])
>>> x % 2
Array([0, 1], dtype=int64)
''',
    'Array.__rmod__': '''\
>>> x = xp.asarray([6, 3])
>>> 2 % x
Array([2, 2], dtype=int64)
''',
    'Array.__imod__': '''\
>>> x = xp.asarray([6, 3])
>>> x %= 2
>>> x
Array([0, 1], dtype=int64)
''',
    'Array.__pow__': '''\
>>> x = xp.asarray([6, 3])
>>> x ** 2
Array([36,  9], dtype=int64)
''',
    'Array.__rpow__': '''\
>>> x = xp.asarray([6, 3])
>>> 2 ** x
Array([64,  8], dtype=int64)
''',
    'Array.__ipow__': '''\
>>> x = xp.asarray([6, 3])
>>> x **= 2
>>> x
Array([36,  9], dtype=int64)
''',
    'Array.__and__': '''\
>>> x = xp.asarray([6, 3])
>>> x & 2
Array([2, 2], dtype=int64)
''',
    'Array.__rand__': '''\
>>> x = xp.asarray([6, 3])
>>> 2 & x
Array([2, 2], dtype=int64)
''',
    'Array.__iand__': '''\
>>> x = xp.asarray([6, 3])
>>> x &= 2
>>> x
Array([2, 2], dtype=int64)
''',
    'Array.__or__': '''\
>>> x = xp.asarray([6, 3])
>>> x | 2
Array([6, 3], dtype=int64)
''',
    'Array.__ror__': '''\
>>> x = xp.asarray([6, 3])
>>> 2 | x
Array([6, 3], dtype=int64)
''',
    'Array.__ior__': '''\
>>> x = xp.asarray([6, 3])
>>> x |= 2
>>> x
Array([6, 3], dtype=int64)
''',
    'Array.__xor__': '''\
>>> x = xp.asarray([6, 3])
>>> x ^ 2
Array([4, 1], dtype=int64)
''',
    'Array.__rxor__': '''\
>>> x = xp.asarray([6, 3])
>>> 2 ^ x
Array([4, 1], dtype=int64)
''',
    'Array.__ixor__': '''\
>>> x = xp.asarray([6, 3])
>>> x ^= 2
>>> x
Array([4, 1], dtype=int64)
''',
    'Array.__lshift__': '''\
>>> x = xp.asarray([6, 3])
>>> x << 2
Array([24, 12], dtype=int64)
''',
    'Array.__rlshift__': '''\
>>> x = xp.asarray([6, 3])
>>> 2 << x
Array([128,  16], dtype=int64)
''',
    'Array.__ilshift__': '''\
>>> x = xp.asarray([6, 3])
>>> x <<= 2
>>> x
Array([24, 12], dtype=int64)
''',
    'Array.__rshift__': '''\
>>> x = xp.asarray([6, 3])
>>> x >> 2
Array([1, 0], dtype=int64)
''',
    'Array.__rrshift__': '''\
>>> x = xp.asarray([6, 3])
>>> 2 >> x
Array([0, 0], dtype=int64)
''',
    'Array.__irshift__': '''\
>>> x = xp.asarray([6, 3])
>>> x >>= 2
>>> x
Array([1, 0], dtype=int64)
''',
    'Array.__lt__': '''\
>>> x = xp.asarray([1, 2, 3])
>>> x < 2
Array([ True, False, False], dtype=bool)
''',
    'Array.__le__': '''\
>>> x = xp.asarray([1, 2, 3])
>>> x <= 2
Array([ True,  True, False], dtype=bool)
''',
    'Array.__gt__': '''\
>>> x = xp.asarray([1, 2, 3])
>>> x > 2
Array([False, False,  True], dtype=bool)
''',
    'Array.__ge__': '''\
>>> x = xp.asarray([1, 2, 3])
>>> x >= 2
Array([False,  True,  True], dtype=bool)
''',
    'Array.__eq__': '''\
>>> x = xp.asarray([1, 2, 3])
>>> x == 2
Array([False,  True, False], dtype=bool)
''',
    'Array.__ne__': '''\
>>> x = xp.asarray([1, 2, 3])
>>> x != 2
Array([ True, False,  True], dtype=bool)
''',
    'Array.__matmul__': '''\
>>> a = xp.asarray([[1, 2], [3, 4]])
>>> a @ xp.asarray([1, 1])
Array([3, 7], dtype=int64)
''',
    'Array.__rmatmul__': '''\
>>> a = xp.asarray([[1, 2], [3, 4]])
>>> xp.asarray([1, 1]) @ a
Array([4, 6], dtype=int64)
''',
    'Array.__imatmul__': '''\
>>> a = xp.asarray([[1, 2], [3, 4]])
>>> a @= xp.asarray([[0, 1], [1, 0]])
>>> a
Array([[2, 1],
       [4, 3]], dtype=int64)
''',
    'Array.__neg__': '''\
>>> -xp.asarray([1, -2])
Array([-1,  2], dtype=int64)
''',
    'Array.__pos__': '''\
>>> +xp.asarray([1, -2])
Array([ 1, -2], dtype=int64)
''',
    'Array.__abs__': '''\
>>> abs(xp.asarray([1, -2]))
Array([1, 2], dtype=int64)
''',
    'Array.__invert__': '''\
>>> ~xp.asarray([True, False])
Array([False,  True], dtype=bool)
''',
    'Array.__bool__': '''\
>>> bool(xp.asarray([0.5]))
True
''',
    'Array.__int__': '''\
>>> int(xp.asarray(2.7))
2
''',
    'Array.__float__': '''\
>>> float(xp.asarray(2))
2.0
''',
    'Array.__complex__': '''\
>>> complex(xp.asarray(2.0))
(2+0j)
''',
    'Array.__index__': '''\
>>> [10, 20, 30][xp.asarray(1)]
20
''',
    'Array.item': '''\
>>> xp.asarray([[5]]).item()
5
''',
    'Array.tolist': '''\
>>> xp.asarray([[1, 2], [3, 4]]).tolist()
[[1, 2], [3, 4]]
''',
    'Array.__len__': '''\
>>> len(xp.zeros((4, 2)))
4
''',
    'Array.__iter__': '''\
>>> [row.tolist() for row in xp.asarray([[1, 2], [3, 4]])]
[[1, 2], [3, 4]]
''',
    'Array.__getitem__': '''\
>>> x = xp.arange(6)
>>> x[1:4]
Array([1, 2, 3], dtype=int64)
>>> x[x % 2 == 0]
Array([0, 2, 4], dtype=int64)
>>> xp.reshape(x, (2, 3))[:, 1]
Array([1, 4], dtype=int64)
''',
    'Array.__setitem__': '''\
>>> x = xp.zeros(4)
>>> x[1:3] = 5
>>> x
Array([0., 5., 5., 0.], dtype=float64)
''',
    'Array.__array_namespace__': '''\
>>> xp.asarray([1]).__array_namespace__() is xp
True
''',
    'Array.to_device': '''\
>>> x = xp.asarray([1, 2])
>>> x.to_device('cpu') is x
True
''',
    'Array.__dlpack__': '''\
>>> import numpy as np
>>> np.from_dlpack(xp.asarray([1, 2]))
array([1, 2])
''',
    'Array.__dlpack_device__': '''\
>>> xp.asarray([1]).__dlpack_device__()
(1, 0)
''',
    'Array.__array__': '''\
>>> import numpy as np
>>> np.asarray(xp.asarray([1.0, 2.0]))
array([1., 2.])
''',
    'Array.__repr__': '''\
>>> xp.asarray([1, 2])
Array([1, 2], dtype=int64)
''',
    'Array.__str__': '''\
>>> print(xp.asarray([[1, 2], [3, 4]]))
[[1 2]
 [3 4]]
''',
    'Array.__reduce__': '''\
>>> import pickle
>>> pickle.loads(pickle.dumps(xp.asarray([1, 2])))
Array([1, 2], dtype=int64)
''',
    'Array.__reduce_ex__': '''\
>>> import pickle
>>> pickle.loads(pickle.dumps(xp.asarray([1, 2]), protocol=5))
Array([1, 2], dtype=int64)
''',
    'Array.__sizeof__': '''\
>>> import sys
>>> sys.getsizeof(xp.zeros(1000)) >= 8000
True
''',
    'Array.__copy__': '''\
>>> import copy
>>> x = xp.asarray([1, 2])
>>> y = copy.copy(x)
>>> y[0] = 9
>>> x
Array([1, 2], dtype=int64)
''',
    'Array.__deepcopy__': '''\
>>> import copy
>>> copy.deepcopy(xp.asarray([[1, 2]]))
Array([[1, 2]], dtype=int64)
''',
}


# -- the array's attributes and the native classes ----------------------------------
# Their docstrings are set once at import (install(), from trueno/__init__.py): a
# nanobind property or class carries only the text the binding gave it.

ARRAY_PROPERTIES = {  # name -> (type, description, example statement, its output)
    "T": ("Array", "The transpose of a 2-D array (the axes reversed).",
          "xp.zeros((2, 3)).T.shape", "(3, 2)"),
    "mT": ("Array", "The transpose of each matrix (the last two axes swapped), a view.",
           "xp.zeros((4, 2, 3)).mT.shape", "(4, 3, 2)"),
    "device": ("Device", "Where the array's memory lives.", "xp.asarray([1]).device",
               "Device('cpu')"),
    "dtype": ("dtype", "The data type of the elements.", "xp.asarray([1.5]).dtype",
              "dtype('float64')"),
    "ndim": ("int", "The number of axes.", "xp.zeros((2, 3)).ndim", "2"),
    "shape": ("tuple of int", "The length of each axis.", "xp.zeros((2, 3)).shape", "(2, 3)"),
    "size": ("int", "The number of elements.", "xp.zeros((2, 3)).size", "6"),
    "itemsize": ("int", "Bytes per element (an extension, as ndarray.itemsize).",
                 "xp.zeros(2, dtype=xp.float32).itemsize", "4"),
    "nbytes": ("int", "Bytes the elements take (size * itemsize; an extension).",
               "xp.zeros((2, 3)).nbytes", "48"),
    "strides": ("tuple of int", "Bytes between consecutive elements along each axis "
                                "(an extension, as ndarray.strides).",
                "xp.zeros((2, 3)).strides", "(24, 8)"),
    "real": ("Array", "The real part (the array itself when it is real; an extension, as "
                      "ndarray.real).", "xp.asarray([1 + 2j]).real", "Array([1.], dtype=float64)"),
    "imag": ("Array", "The imaginary part (zeros when real; an extension, as ndarray.imag).",
             "xp.asarray([1 + 2j]).imag", "Array([2.], dtype=float64)"),
}

CLASS_DOCS = {
    "Array": """An n-dimensional array of the array API standard.

Arrays are made by the creation functions (asarray, zeros, arange, ...), not by
calling Array. Operators call the namespace functions (``x + y`` is add), basic
indexing gives views, and NumPy reads an Array without a copy (buffer protocol,
DLPack).

Examples
--------
>>> import trueno as xp
>>> x = xp.asarray([[1, 2], [3, 4]])
>>> x.shape, x.dtype
((2, 2), dtype('int64'))
>>> (x + 1)[0]
Array([2, 3], dtype=int64)
""",
    "Device": """Where an array lives: 'cpu', 'cuda:N' (with trueno[cuda]) or the test-only 'test:0'.

Parameters
----------
name : str
    The device's name.

Raises
------
ValueError
    If name is not a known device.

Examples
--------
>>> import trueno as xp
>>> xp.Device("cpu") == xp.asarray([1]).device
True
""",
    "AxisError": """An axis argument out of range (both a ValueError and an IndexError).

Examples
--------
>>> import trueno as xp
>>> try:
...     xp.sum(xp.zeros(2), axis=1)
... except xp.AxisError as e:
...     print(e)
sum(): axis 1 is out of bounds for an array of 1 dimension
""",
}

DEVICE_PROPERTIES = {
    "type": ("str", "The kind of device: 'cpu', 'cuda' or 'test'.",
             "xp.asarray([1]).device.type", "'cpu'"),
    "index": ("int", "The device's number among those of its kind (0 for the CPU).",
              "xp.asarray([1]).device.index", "0"),
}


def _property_doc(kind: str, text: str, statement: str, output: str) -> str:
    return (f"{text}\n\nReturns\n-------\n{kind}\n\nExamples\n--------\n"
            f">>> import trueno as xp\n>>> {statement}\n{output}\n")


def install(core) -> None:
    """Sets the docstrings of the native classes and the array's properties."""
    for name, text in CLASS_DOCS.items():
        getattr(core, name).__doc__ = text
    for cls, table in ((core.Array, ARRAY_PROPERTIES), (core.Device, DEVICE_PROPERTIES)):
        for name, entry in table.items():
            vars(cls)[name].__doc__ = _property_doc(*entry)


# -- Python functions that share sections --------------------------------------------

def with_sections(sections: str):
    """A decorator: the function's docstring, then ``sections`` (numpydoc text), for
    Python functions of one family that share their parameters and errors
    (trueno.fft's transforms, trueno.linalg's decompositions)."""
    def document(func):
        func.__doc__ = f"{inspect.cleandoc(func.__doc__)}\n\n{inspect.cleandoc(sections)}\n"
        return func
    return document


# -- composition ----------------------------------------------------------------------

def _section(title: str, body: str) -> str:
    return f"{title}\n{'-' * len(title)}\n{body.rstrip()}\n"


def _entries(items) -> str:
    lines = []
    for name, kind, text in items:
        lines.append(f"{name} : {kind}" if name and kind else name or kind)
        if text:
            lines.append(textwrap.indent(textwrap.fill(text, 76), "    "))
    return "\n".join(lines)


def _parameter(name: str, given: dict):
    """(name, type, description); a parameter no table describes keeps its bare name
    (tests/test_docstrings.py fails on it)."""
    if name in given:
        return given[name]
    kind, text = PARAMETERS.get(name, ("", ""))
    return (name, kind, text)


def _sections_of(key: str) -> dict:
    doc = dict(DOCS.get(key, {}))
    if "." not in key:
        row = _elementwise_table().get(key)
        if row is not None:
            doc = {**_elementwise_sections(*row), **doc}
    return doc


def sections(key: str, signature) -> str:
    """The numpydoc sections of the native function ``key`` (a SUMMARIES key)."""
    doc = _sections_of(key)
    given = {p[0]: p for p in doc.get("parameters", [])}
    params = [_parameter(name, given) for name in signature.parameters if name != "self"]
    parts = []
    if params:
        parts.append(_section("Parameters", _entries(params)))
    if "returns" in doc:
        kind, text = doc["returns"]
        parts.append(_section("Returns", _entries([(None, kind, text)])))
    if doc.get("raises"):
        parts.append(_section("Raises", _entries([(None, kind, text) for kind, text in doc["raises"]])))
    example = EXAMPLES.get(key)
    if example:
        parts.append(_section("Examples", ">>> import trueno as xp\n" + example))
    return "\n".join(parts)


# -- the ndarray methods (trueno._numpy_protocols) -------------------------------------
# NumPy's ndarray methods that NumPy code and engines (Dask, xarray) call on a chunk,
# each computed by a trueno function. A method's docstring is composed from its row
# here and the parameters it shares with the others, described once by name.

_UNSUPPORTED = "Not supported: giving it raises TypeError."
NDARRAY_PARAMETERS = {  # name -> (type, description)
    "axis": ("int, tuple of int or None", "Axis or axes to work along; None: the whole "
             "array (flattened), as NumPy."),
    "dtype": ("dtype or None", "Data type of the result, and of the computation; None: "
              "NumPy's default for the method."),
    "out": ("Array, numpy.ndarray or None", "An array to write the result into (cast "
            "under the 'same_kind' rule), which is returned; None: a new array."),
    "keepdims": ("bool", "Keep the reduced axes, with length 1."),
    "initial": ("scalar, optional", _UNSUPPORTED),
    "where": ("array_like of bool, optional", _UNSUPPORTED),
    "mean": ("array_like, optional", _UNSUPPORTED),
    "ddof": ("int or float, default 0", "Delta degrees of freedom: the sum of squares is "
             "divided by N - ddof."),
    "correction": ("int or float, optional", "The array API's name for ddof (wins over it)."),
    "order": ("str", "The memory layout NumPy would use: accepted and ignored (trueno's "
              "results are C-ordered)."),
    "casting": ("str", "Accepted and ignored: the cast is astype's."),
    "subok": ("bool", "Accepted and ignored (there are no Array subclasses)."),
    "decimals": ("int, default 0", "Only 0 is supported (other values raise TypeError)."),
    "kwargs": ("dict", "Any other keyword argument of NumPy's method: not supported "
               "(TypeError)."),
}

_SORT_PARAMETERS = [
    ("kind", "str or None", "'stable' asks for a stable sort; other names are accepted."),
    ("order", "None", "Field names (structured arrays): " + _UNSUPPORTED.lower()),
    ("stable", "bool or None", "True asks for a stable sort.")]
_EMPTY_REDUCTION = [("ValueError", "If a reduced axis is empty (no identity).")]

NDARRAY_METHOD_DOCS = {
    # name -> {"summary", "function" (what computes it), "returns": (type, text),
    #          "parameters": [(name, type, text)] for its own, "raises": [...], "example"}
    "astype": dict(summary="A copy of the array cast to dtype.", function="astype",
                   returns=("Array", "The cast array."),
                   parameters=[("dtype", "dtype", "The data type to cast to."),
                               ("copy", "bool, default True",
                                "False returns the array itself when it already has dtype.")],
                   raises=[("TypeError", "If dtype is not a data type trueno supports.")],
                   example=">>> x.astype(xp.int32)\nArray([[1, 2],\n       [3, 4]], dtype=int32)"),
    "reshape": dict(summary="The array with a new shape, a view where possible.",
                    function="reshape", returns=("Array", "The reshaped array."),
                    parameters=[("shape", "int or tuple of int", "The new shape, as one "
                                 "tuple or as separate ints; one entry may be -1."),
                                ("order", "{'C'}", "Only 'C' is supported (TypeError "
                                 "otherwise)."),
                                ("copy", "bool or None", "None: a view where possible, else a "
                                 "copy; True: always a copy; False: never.")],
                    raises=[("ValueError", "If the new shape does not hold the same number "
                             "of elements, or copy is False and a copy is needed.")],
                    example=">>> x.reshape(4)\nArray([1., 2., 3., 4.], dtype=float64)"),
    "transpose": dict(summary="The array with its axes permuted (reversed by default), a view.",
                      function="permute_dims", returns=("Array", "A view of the array."),
                      parameters=[("axes", "None, tuple of int or ints", "The new order of "
                                   "the axes, as one tuple or as separate ints.")],
                      raises=[("ValueError", "If axes is not a permutation of the axes.")],
                      example=">>> x.transpose()\nArray([[1., 3.],\n       [2., 4.]], dtype=float64)"),
    "copy": dict(summary="A copy of the array.", function="asarray",
                 returns=("Array", "A new array with the same values."),
                 example=">>> x.copy()[0]\nArray([1., 2.], dtype=float64)"),
    "squeeze": dict(summary="The array without axes of length 1 (all of them by default).",
                    function="squeeze", returns=("Array", "A view of the array."),
                    raises=[("ValueError", "If an axis given has a length other than 1.")],
                    example=">>> xp.zeros((1, 3, 1)).squeeze().shape\n(3,)"),
    "ravel": dict(summary="The array flattened to 1-D, a view where possible.",
                  function="reshape", returns=("Array", "1-D."),
                  parameters=[("order", "{'C', 'A', 'K'}", "'F' is not supported "
                               "(TypeError).")],
                  example=">>> x.ravel()\nArray([1., 2., 3., 4.], dtype=float64)"),
    "flatten": dict(summary="A 1-D copy of the array.", function="reshape",
                    returns=("Array", "1-D, always a copy."),
                    example=">>> x.flatten()\nArray([1., 2., 3., 4.], dtype=float64)"),
    "sum": dict(summary="The sum of the elements.", function="sum",
                returns=("Array", "The sums (0-D for the whole array)."),
                example=">>> x.sum(axis=0)\nArray([4., 6.], dtype=float64)"),
    "prod": dict(summary="The product of the elements.", function="prod",
                 returns=("Array", "The products (0-D for the whole array)."),
                 example=">>> x.prod()\nArray(24., dtype=float64)"),
    "mean": dict(summary="The arithmetic mean (float64 for integer and boolean arrays, as NumPy).",
                 function="mean", returns=("Array", "The means."),
                 example=">>> x.mean(axis=1)\nArray([1.5, 3.5], dtype=float64)"),
    "std": dict(summary="The standard deviation (float64 for integer and boolean arrays).",
                function="std", returns=("Array", "The standard deviations."),
                example=">>> round(float(x.std(ddof=1)), 4)\n1.291"),
    "var": dict(summary="The variance (float64 for integer and boolean arrays).",
                function="var", returns=("Array", "The variances."),
                example=">>> x.var(axis=0)\nArray([1., 1.], dtype=float64)"),
    "min": dict(summary="The smallest element.", function="min",
                returns=("Array", "The minima."), raises=_EMPTY_REDUCTION,
                example=">>> x.min(axis=1)\nArray([1., 3.], dtype=float64)"),
    "max": dict(summary="The largest element.", function="max",
                returns=("Array", "The maxima."), raises=_EMPTY_REDUCTION,
                example=">>> x.max()\nArray(4., dtype=float64)"),
    "any": dict(summary="Whether any element is true (nonzero).", function="any",
                returns=("Array", "bool."),
                example=">>> (x > 3).any()\nArray(True, dtype=bool)"),
    "all": dict(summary="Whether every element is true (nonzero).", function="all",
                returns=("Array", "bool."),
                example=">>> (x > 0).all(axis=0)\nArray([ True,  True], dtype=bool)"),
    "argmax": dict(summary="The index of the largest element (of the flattened array by default).",
                   function="argmax", returns=("Array", "int64 indices."),
                   raises=_EMPTY_REDUCTION,
                   example=">>> x.argmax()\nArray(3, dtype=int64)"),
    "argmin": dict(summary="The index of the smallest element (of the flattened array by default).",
                   function="argmin", returns=("Array", "int64 indices."),
                   raises=_EMPTY_REDUCTION,
                   example=">>> x.argmin(axis=0)\nArray([0, 0], dtype=int64)"),
    "cumsum": dict(summary="The cumulative sum (of the flattened array by default).",
                   function="cumulative_sum", returns=("Array", "The running sums."),
                   example=">>> x.cumsum()\nArray([ 1.,  3.,  6., 10.], dtype=float64)"),
    "cumprod": dict(summary="The cumulative product (of the flattened array by default).",
                    function="cumulative_prod", returns=("Array", "The running products."),
                    example=">>> x.cumprod(axis=1)\nArray([[ 1.,  2.],\n       [ 3., 12.]], dtype=float64)"),
    "clip": dict(summary="The elements limited to [min, max].", function="clip",
                 returns=("Array", "The clipped values."),
                 parameters=[("a_min", "scalar, Array or None", "The lower bound (None: none)."),
                             ("a_max", "scalar, Array or None", "The upper bound (None: none)."),
                             ("min", "scalar, Array or None", "NumPy 2's name for a_min."),
                             ("max", "scalar, Array or None", "NumPy 2's name for a_max.")],
                 example=">>> x.clip(2, 3)\nArray([[2., 2.],\n       [3., 3.]], dtype=float64)"),
    "round": dict(summary="The elements rounded to the nearest integer (halves to even).",
                  function="round", returns=("Array", "Of the array's dtype."),
                  example=">>> xp.asarray([0.4, 1.5, 2.5]).round()\nArray([0., 2., 2.], dtype=float64)"),
    "conj": dict(summary="The complex conjugate.", function="conj",
                 returns=("Array", "The conjugates."),
                 example=">>> xp.asarray([1 + 2j]).conj()\nArray([1.-2.j], dtype=complex128)"),
    "conjugate": dict(summary="The complex conjugate (the same as conj).", function="conj",
                      returns=("Array", "The conjugates."),
                      example=">>> xp.asarray([1 + 2j]).conjugate()\nArray([1.-2.j], dtype=complex128)"),
    "dot": dict(summary="The dot product with b: matmul for 1-D and 2-D operands, a product "
                        "for 0-D ones.", function="matmul",
                returns=("Array", "The product."),
                parameters=[("b", "Array or array_like", "The other operand.")],
                raises=[("ValueError", "If the contracted dimensions differ.")],
                example=">>> x.dot(x)\nArray([[ 7., 10.],\n       [15., 22.]], dtype=float64)"),
    "nonzero": dict(summary="The indices of the nonzero elements, one array per axis.",
                    function="nonzero", returns=("tuple of Array", "int64 indices."),
                    example=">>> xp.asarray([0, 5, 0, 7]).nonzero()\n(Array([1, 3], dtype=int64),)"),
    "fill": dict(summary="Sets every element to value, in place.", function="setitem",
                 returns=("None", ""),
                 parameters=[("value", "scalar", "The value (cast to the array's dtype).")],
                 example=">>> y = xp.zeros(3)\n>>> y.fill(7)\n>>> y\nArray([7., 7., 7.], dtype=float64)"),
    "swapaxes": dict(summary="The array with two axes swapped, a view.", function="permute_dims",
                     returns=("Array", "A view of the array."),
                     parameters=[("axis1", "int", "The first axis."),
                                 ("axis2", "int", "The second axis.")],
                     example=">>> xp.zeros((2, 3, 4)).swapaxes(0, 2).shape\n(4, 3, 2)"),
    "take": dict(summary="Elements at the given indices along an axis.", function="take",
                 returns=("Array", "The selected elements."),
                 parameters=[("indices", "int or array_like of int", "The indices."),
                             ("mode", "{'raise'}", "Only 'raise' is supported (TypeError "
                              "otherwise).")],
                 raises=[("IndexError", "If an index is out of range.")],
                 example=">>> x.take([1, 0], axis=1)\nArray([[2., 1.],\n       [4., 3.]], dtype=float64)"),
    "sort": dict(summary="Sorts the array in place along an axis (the last by default).",
                 function="sort", returns=("None", ""),
                 parameters=_SORT_PARAMETERS,
                 example=">>> y = xp.asarray([3, 1, 2])\n>>> y.sort()\n>>> y\n"
                         "Array([1, 2, 3], dtype=int64)"),
    "argsort": dict(summary="The indices that sort the array along an axis (the last by default).",
                    function="argsort", returns=("Array", "int64 indices."),
                    parameters=_SORT_PARAMETERS,
                    example=">>> xp.asarray([3, 1, 2]).argsort()\nArray([1, 2, 0], dtype=int64)"),
    "searchsorted": dict(summary="Where to insert v to keep the (1-D, sorted) array sorted.",
                         function="searchsorted", returns=("Array", "int64 indices."),
                         parameters=[("v", "scalar or array_like", "The values to insert."),
                                     ("side", "{'left', 'right'}", "Which of equal elements "
                                      "to insert before ('left') or after."),
                                     ("sorter", "array_like of int or None", "Indices that "
                                      "sort the array, if it is not sorted.")],
                         example=">>> xp.asarray([1, 3, 5]).searchsorted(4)\nArray(2, dtype=int64)"),
    "repeat": dict(summary="Each element repeated (of the flattened array by default).",
                   function="repeat", returns=("Array", "The repeated elements."),
                   parameters=[("repeats", "int or array_like of int", "How often each "
                                "element is repeated.")],
                   example=">>> xp.asarray([1, 2]).repeat(2)\nArray([1, 1, 2, 2], dtype=int64)"),
}

_NDARRAY_RAISES = [("TypeError", "If an argument is one trueno does not support (see "
                                  "Parameters) or of the wrong type.")]
_AXIS_RAISES = [("AxisError", "If axis is out of range for the array.")]


def ndarray_method_doc(name: str, signature: inspect.Signature) -> str:
    """The docstring of the ndarray method ``Array.<name>`` (whose signature starts at self)."""
    row = NDARRAY_METHOD_DOCS[name]
    own = {p[0]: p for p in row.get("parameters", [])}
    params = []
    for param in list(signature.parameters.values())[1:]:
        shown = {param.VAR_POSITIONAL: "*", param.VAR_KEYWORD: "**"}.get(param.kind, "")
        if param.name in own:
            entry = own[param.name]
        else:
            kind, text = NDARRAY_PARAMETERS[param.name]
            entry = (param.name, kind, text)
        params.append((shown + entry[0], entry[1], entry[2]))
    raises = list(row.get("raises", []))
    if "axis" in signature.parameters or "axis1" in signature.parameters:
        raises = _AXIS_RAISES + raises
    function = row["function"]
    computed = ("item assignment (``x[...] = value``)" if function == "setitem"
                else f"trueno's :func:`~trueno.{function}`")
    parts = [f"{row['summary']}\n\nNumPy's ``ndarray.{name}``, computed by {computed}: an "
             "extension for NumPy code and engines such as Dask, not part of the array API "
             "standard.\n"]
    if params:
        parts.append(_section("Parameters", _entries(params)))
    kind, text = row["returns"]
    parts.append(_section("Returns", _entries([(None, kind, text)])))
    parts.append(_section("Raises", _entries([(None, k, t) for k, t in _NDARRAY_RAISES + raises])))
    parts.append(_section("Examples", ">>> import trueno as xp\n"
                          ">>> x = xp.asarray([[1.0, 2.0], [3.0, 4.0]])\n" + row["example"]))
    return "\n".join(parts)

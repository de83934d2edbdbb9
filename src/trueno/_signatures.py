"""inspect.Signature objects for trueno's native functions, built from the
signature text nanobind records (``__nb_signature__``)."""
from __future__ import annotations

import inspect
import re


def _parameter_texts(func) -> list[str]:
    """The parameters of a nanobind function's signature text, annotations included."""
    text = func.__nb_signature__[0][0]
    header = text[text.index("(") + 1: text.rindex(")")]
    params = []
    depth, current = 0, ""
    for ch in header + ",":
        if ch in "([{":
            depth += 1
        elif ch in ")]}":
            depth -= 1
        if ch == "," and depth == 0:
            params.append(current.strip())
            current = ""
        else:
            current += ch
    return [p for p in params if p]


def from_nanobind(func) -> inspect.Signature:
    """The signature of a nanobind function, with its real default values."""
    defaults = func.__nb_signature__[0][2]
    # Drop annotations ("x: object | None = \0" -> "x=\0"), keep names, '*' and defaults.
    parameters = []
    kind = inspect.Parameter.POSITIONAL_OR_KEYWORD
    for p in _parameter_texts(func):
        if p == "*":
            kind = inspect.Parameter.KEYWORD_ONLY
            continue
        if p == "/":
            for i, q in enumerate(parameters):
                parameters[i] = q.replace(kind=inspect.Parameter.POSITIONAL_ONLY)
            continue
        if p.startswith("*"):
            continue
        name = re.match(r"\w+", p).group(0)
        default = inspect.Parameter.empty
        m = re.search(r"=\s*\\(\d+)\s*$", p)
        if m:
            default = defaults[int(m.group(1))]
        elif "=" in p:
            default = eval(p.split("=", 1)[1].strip(), {})
        parameters.append(inspect.Parameter(name, kind, default=default))
    return inspect.Signature(parameters)


# -- arguments nanobind could not match ------------------------------------------
# nanobind answers a call it cannot match (an unknown keyword, a missing or extra
# argument, None where the binding does not take it, a non-bool for a `bool`
# parameter) with a dump of its overloads and the argument types. trueno.Function
# hands such a call here, on the error path only, for a message worded as the
# others are: the function, the argument, what it must be.

# Annotations nanobind writes for typed parameters: (accepts, words).
_TYPED = {
    "bool": (lambda v: type(v).__name__ in ("bool", "bool_"), "a bool"),
    "str": (lambda v: isinstance(v, str), "a str"),
    "int": (lambda v: not isinstance(v, bool) and hasattr(type(v), "__index__"), "an integer"),
    "float": (lambda v: isinstance(v, (int, float)) and not isinstance(v, bool), "a real number"),
}
# What a handle parameter that refuses None takes, judged by its default.
_BY_DEFAULT = {bool: "a bool", int: "an integer", float: "a real number", str: "a str"}


def incompatible_arguments(func, args: tuple, kwargs: dict) -> str | None:
    """Why nanobind refused ``func(*args, **kwargs)``, or None when this cannot tell."""
    name = func.__name__
    signature = from_nanobind(func)
    for key in kwargs:  # reported first, as Python's own functions do
        p = signature.parameters.get(key)
        if p is None or p.kind is p.POSITIONAL_ONLY:
            return f"{name}(): got an unexpected keyword argument '{key}'"
    try:
        bound = signature.bind(*args, **kwargs)
    except TypeError as e:  # "missing a required argument: 'x'", "too many positional arguments", ...
        return f"{name}(): {e}"
    annotations = {}
    for p in _parameter_texts(func):
        m = re.match(r"(\w+)\s*(?::\s*([^=]*))?", p)
        if m and m.group(1):
            # (no annotation: a signature written by hand, nb::sig; None only where it is the default)
            unannotated = "object | None" if re.search(r"=\s*None\s*$", p) else "object"
            annotations[m.group(1)] = {t.strip() for t in (m.group(2) or unannotated).split("|")}
    for pname, value in bound.arguments.items():
        types = annotations.get(pname, {"object", "None"})
        default = signature.parameters[pname].default
        typed = [_TYPED[t] for t in types if t in _TYPED]
        if value is None:
            if "None" in types:
                continue
            words = typed[0][1] if typed else _BY_DEFAULT.get(type(default))
            return f"{name}(): {pname} must be {words}, got None" if words else f"{name}(): {pname} must not be None"
        if typed and not any(accepts(value) for accepts, _ in typed):
            return f"{name}(): {pname} must be {typed[0][1]}, got {type(value).__name__}"
        if "int" in types and isinstance(value, int) and not -2**31 <= value < 2**31:
            return f"{name}(): {pname} is out of range, got {value}"  # (a C int parameter)
    return None


# -- docstrings of native functions ---------------------------------------------
# C functions cannot be introspected by help() the way Python functions can, so
# their docstring is a signature line and then a summary from this table (PEP
# 257's convention for C functions). Keys: "name" in the namespace,
# "nn.name", "Array.method". trueno.Function.__doc__ calls function_doc.

SUMMARIES = {
    # Element-wise functions (cpp/ops/elementwise.def, clip.cpp).
    "abs": "Absolute value of each element (the modulus for complex numbers).",
    "acos": "Inverse cosine of each element, in radians.",
    "acosh": "Inverse hyperbolic cosine of each element.",
    "add": "Sum x1 + x2 of each pair of broadcast elements.",
    "asin": "Inverse sine of each element, in radians.",
    "asinh": "Inverse hyperbolic sine of each element.",
    "atan": "Inverse tangent of each element, in radians.",
    "atan2": "Angle of the point (x2, x1) for each pair of elements, in radians, quadrant-aware.",
    "atanh": "Inverse hyperbolic tangent of each element.",
    "bitwise_and": "Bitwise AND of each pair of integer or boolean elements.",
    "bitwise_invert": "Bitwise NOT of each integer or boolean element.",
    "bitwise_left_shift": "x1 shifted left by x2 bits, element-wise (x2 >= 0).",
    "bitwise_or": "Bitwise OR of each pair of integer or boolean elements.",
    "bitwise_right_shift": "x1 shifted right by x2 bits (arithmetic for signed types), element-wise.",
    "bitwise_xor": "Bitwise XOR of each pair of integer or boolean elements.",
    "ceil": "Smallest integer not less than each element (same dtype).",
    "clip": "Each element of x limited to [min, max] (either bound may be None).",
    "conj": "Complex conjugate of each element.",
    "copysign": "Magnitude of x1 with the sign of x2, element-wise.",
    "cos": "Cosine of each element (radians).",
    "cosh": "Hyperbolic cosine of each element.",
    "divide": "True division x1 / x2 of each pair of elements (a floating-point result).",
    "equal": "x1 == x2 for each pair of elements, as a boolean array.",
    "exp": "e raised to each element.",
    "expm1": "exp(x) - 1 of each element, accurate near 0.",
    "floor": "Largest integer not greater than each element (same dtype).",
    "floor_divide": "x1 / x2 rounded toward negative infinity, element-wise.",
    "greater": "x1 > x2 for each pair of elements, as a boolean array.",
    "greater_equal": "x1 >= x2 for each pair of elements, as a boolean array.",
    "hypot": "sqrt(x1**2 + x2**2) for each pair of elements, without overflow.",
    "imag": "Imaginary part of each complex element.",
    "isfinite": "Whether each element is finite (not NaN or infinite).",
    "isinf": "Whether each element is positive or negative infinity.",
    "isnan": "Whether each element is NaN.",
    "less": "x1 < x2 for each pair of elements, as a boolean array.",
    "less_equal": "x1 <= x2 for each pair of elements, as a boolean array.",
    "log": "Natural logarithm of each element.",
    "log10": "Base-10 logarithm of each element.",
    "log1p": "log(1 + x) of each element, accurate near 0.",
    "log2": "Base-2 logarithm of each element.",
    "logaddexp": "log(exp(x1) + exp(x2)) for each pair of elements, without overflow.",
    "logical_and": "Logical AND of each pair of boolean elements.",
    "logical_not": "Logical NOT of each boolean element.",
    "logical_or": "Logical OR of each pair of boolean elements.",
    "logical_xor": "Logical XOR of each pair of boolean elements.",
    "maximum": "Larger of each pair of elements (NaN if either is NaN).",
    "minimum": "Smaller of each pair of elements (NaN if either is NaN).",
    "multiply": "Product x1 * x2 of each pair of broadcast elements.",
    "negative": "-x for each element.",
    "nextafter": "The next representable floating-point value after x1 toward x2, element-wise.",
    "not_equal": "x1 != x2 for each pair of elements, as a boolean array.",
    "positive": "+x for each element (a copy).",
    "pow": "x1 raised to the power x2, element-wise.",
    "real": "Real part of each complex element.",
    "reciprocal": "1 / x for each element.",
    "remainder": "x1 - floor_divide(x1, x2) * x2 element-wise (the sign of x2, as Python's %).",
    "round": "Each element rounded to the nearest integer, ties to even.",
    "sign": "Sign of each element: -1, 0 or 1 (``x / |x|`` for complex).",
    "signbit": "Whether the sign bit of each element is set (True for -0.0).",
    "sin": "Sine of each element (radians).",
    "sinh": "Hyperbolic sine of each element.",
    "sqrt": "Square root of each element.",
    "square": "x * x for each element.",
    "subtract": "Difference x1 - x2 of each pair of broadcast elements.",
    "tan": "Tangent of each element (radians).",
    "tanh": "Hyperbolic tangent of each element.",
    "trunc": "Each element rounded toward zero (same dtype).",
    # Creation functions.
    "arange": "Evenly spaced values in [start, stop) with spacing step, as a 1-D array.",
    "asarray": "An array from an array, Python scalar, nested sequence or buffer (copy: True/False/None).",
    "empty": "A new array of the given shape whose contents are unspecified.",
    "empty_like": "A new uninitialised array with the shape (and by default dtype and device) of x.",
    "from_dlpack": "An array sharing the memory of any object implementing the DLPack protocol.",
    "full": "A new array of the given shape filled with fill_value.",
    "full_like": "A new array with the shape of x filled with fill_value.",
    "linspace": "num evenly spaced values from start to stop (stop included when endpoint is True).",
    "ones": "A new array of the given shape filled with ones.",
    "ones_like": "A new array with the shape of x filled with ones.",
    "tril": "The lower triangle of each matrix in x (elements above diagonal k set to zero).",
    "triu": "The upper triangle of each matrix in x (elements below diagonal k set to zero).",
    "zeros": "A new array of the given shape filled with zeros.",
    "zeros_like": "A new array with the shape of x filled with zeros.",
    # Data types, manipulation, indexing.
    "astype": ("x converted to dtype (a copy unless copy=False allows x itself).\n\n"
               "Floats to an integer dtype (the spec leaves values it cannot hold to the "
               "implementation): each is truncated toward zero; a value the dtype cannot "
               "hold keeps its low bits (wraps) where int64 holds it, and NaN, infinities "
               "and ``|v| >= 2**63`` become the dtype's minimum (0 for unsigned). The same "
               "holds for every cast of arrays (asarray(x, dtype=), x[...] = array) and on "
               "every SIMD target; Python scalars are checked instead, and raise."),
    "broadcast_to": "A read-only view of x broadcast to shape.",
    "flip": "x with the order of elements reversed along axis (all axes for None).",
    "permute_dims": "A view of x with its axes reordered as axes.",
    "reshape": "x with a new shape and the same elements (a view where possible; copy=False insists).",
    "stack": "The arrays joined along a new axis.",
    "take": "Elements of x at the integer indices along axis.",
    "matrix_transpose": "The transpose of each matrix in x (the last two axes swapped).",
    "matmul": "Matrix product of x1 and x2, broadcast over leading axes.",
    "vecdot": "Dot product of vectors along axis (the first argument conjugated).",
    # Searching, sorting, sets.
    "argmax": "Index of the largest element along axis (the first one on ties).",
    "argmin": "Index of the smallest element along axis (the first one on ties).",
    "argsort": "Indices that sort x along axis.",
    "count_nonzero": "Number of non-zero elements along axis.",
    "nonzero": "The indices of the non-zero elements, one array per axis.",
    "searchsorted": "Indices at which to insert x2 into the sorted 1-D x1 to keep it sorted.",
    "sort": "x sorted along axis.",
    "where": "Elements of x1 where condition is True and of x2 elsewhere.",
    "isin": "Whether each element of x1 is in x2 (or not in it, with invert=True).",
    "unique_values": "The unique elements of x, sorted.",
    # Statistical and utility functions.
    "all": "Whether every element along axis is true (non-zero).",
    "any": "Whether any element along axis is true (non-zero).",
    "cumulative_prod": ("Cumulative product of the elements along axis (float32 and complex64 "
                        "in float64 and complex128, each result rounded once, as prod)."),
    "cumulative_sum": "Cumulative sum of the elements along axis.",
    "max": "Largest element along axis (NaN if any is NaN).",
    "mean": "Arithmetic mean of the elements along axis.",
    "min": "Smallest element along axis (NaN if any is NaN).",
    "prod": ("Product of the elements along axis.\n\n"
             "float32 and complex64 elements are multiplied in float64 and complex128 and the "
             "product rounded once, so it does not leave float32's range part-way (NumPy "
             "multiplies in float32, in order). float64 products are multiplied in vector "
             "lanes, not in NumPy's order: where a product overflows part-way, the two may "
             "differ in being finite."),
    "std": "Standard deviation along axis, with `correction` degrees of freedom removed.",
    "sum": "Sum of the elements along axis.",
    "var": "Variance along axis, with `correction` degrees of freedom removed.",
    # trueno's own: SIMD target control.
    "available_isas": "The SIMD instruction sets this CPU can run, best first.",
    "compiled_isas": "The SIMD instruction sets trueno's kernels were compiled for.",
    "get_isa": "The SIMD instruction set the kernels dispatch to now.",
    "set_isa": "Pins the kernels to one SIMD instruction set ('best' restores the default).",
    # trueno's own: threads (cpp/core/threading.h).
    "get_num_threads": "How many threads the kernels may use (1 unless set).",
    "set_num_threads": "Lets the kernels use n threads (1-256); results do not depend on n.",
    # trueno.nn (cpp/ops/nn.cpp; accuracy in trueno.nn's module docstring).
    "nn.relu": "max(x, 0) element-wise.",
    "nn.sigmoid": "1 / (1 + exp(-x)) element-wise, without overflow.",
    "nn.silu": "x * sigmoid(x) element-wise.",
    "nn.swish": "x * sigmoid(x) element-wise (an alias of silu).",
    "nn.gelu": "Gaussian error linear unit, exact (erf) or tanh-approximated.",
    "nn.softmax": "exp(x - max) / sum(exp(x - max)) along axis.",
    "nn.log_softmax": "(x - max) - log(sum(exp(x - max))) along axis.",
    "nn.lerp": "Linear interpolation a + t (b - a), exact at t = 0 and t = 1.",
    "nn.fma": "a * b + c rounded once, element-wise.",
    "nn.norm_l1": "Sum of absolute values along axis.",
    "nn.norm_l2": "Euclidean norm sqrt(sum(x**2)) along axis.",
    "nn.norm_linf": "Largest absolute value along axis.",
    # The array object.
    "Array.__abs__": "abs(self): absolute value of each element.",
    "Array.__neg__": "-self: negation of each element.",
    "Array.__pos__": "+self: a copy of the array.",
    "Array.__invert__": "~self: bitwise NOT of each integer or boolean element.",
    "Array.__matmul__": "self @ other: matrix product.",
    "Array.__rmatmul__": "other @ self: matrix product with self on the right.",
    "Array.__imatmul__": "self @= other: matrix product written into self (same shape and dtype).",
    "Array.__bool__": "bool(self) of a one-element array.",
    "Array.__int__": "int(self) of a one-element array.",
    "Array.__index__": "operator.index(self) of a one-element integer array.",
    "Array.__float__": "float(self) of a one-element array.",
    "Array.__complex__": "complex(self) of a one-element array.",
    "Array.item": "The single element of a one-element array as a Python scalar.",
    "Array.tolist": "The array as nested Python lists of Python scalars.",
    "Array.__len__": "len(self): the length of the first axis.",
    "Array.__iter__": "Iterates over the first axis, one sub-array (a view) at a time.",
    "Array.__getitem__": "self[key]: basic indexing gives a view; integer-array and boolean indexing copy.",
    "Array.__setitem__": "self[key] = value: writes value (broadcast and cast) into the selected elements.",
    "Array.__array_namespace__": "The array API namespace of this array: the trueno module.",
    "Array.to_device": "The array on device (self when it is already there).",
    "Array.__dlpack__": "A DLPack capsule sharing this array's memory.",
    "Array.__dlpack_device__": "(device type, device id) of this array's memory in DLPack's terms.",
    "Array.__array__": "A NumPy array sharing this array's memory (NumPy's conversion protocol).",
    "Array.__repr__": "repr(self): NumPy's repr layout, under the name Array, with the dtype.",
    "Array.__str__": "str(self): the elements as NumPy prints them.",
    "Array.__reduce__": "Pickling support: the array's elements, dtype and shape.",
    "Array.__reduce_ex__": ("Pickling support; from protocol 5 on the elements travel as a buffer, "
                            "out of band when the pickler takes buffers (no copy)."),
    "Array.__sizeof__": "sys.getsizeof(self): the object and the elements it spans (a broadcast axis once).",
    "Array.__copy__": "copy.copy(self): a new contiguous array with the same elements.",
    "Array.__deepcopy__": "copy.deepcopy(self): a new contiguous array with the same elements.",
}

# Operators: (method stem, symbol, the namespace function each one computes);
# an arithmetic one gives __op__, __rop__ and __iop__ (_docstrings reads these too).
ARITHMETIC_OPERATORS = [
    ("add", "+", "add"), ("sub", "-", "subtract"), ("mul", "*", "multiply"),
    ("truediv", "/", "divide"), ("floordiv", "//", "floor_divide"), ("mod", "%", "remainder"),
    ("pow", "**", "pow"), ("and", "&", "bitwise_and"), ("or", "|", "bitwise_or"),
    ("xor", "^", "bitwise_xor"), ("lshift", "<<", "bitwise_left_shift"),
    ("rshift", ">>", "bitwise_right_shift"),
]
COMPARISON_OPERATORS = [
    ("lt", "<", "less"), ("le", "<=", "less_equal"), ("gt", ">", "greater"),
    ("ge", ">=", "greater_equal"), ("eq", "==", "equal"), ("ne", "!=", "not_equal"),
]
# (The expressions are rst literals: the reference renders these summaries.)
for _op, _symbol, _function in ARITHMETIC_OPERATORS:
    SUMMARIES[f"Array.__{_op}__"] = f"``self {_symbol} other``, element-wise (trueno.{_function})."
    SUMMARIES[f"Array.__r{_op}__"] = f"``other {_symbol} self``, element-wise (trueno.{_function})."
    SUMMARIES[f"Array.__i{_op}__"] = (f"``self {_symbol}= other``, in place: the result must keep "
                                      f"self's shape and dtype (trueno.{_function}).")
for _op, _symbol, _function in COMPARISON_OPERATORS:
    SUMMARIES[f"Array.__{_op}__"] = (f"``self {_symbol} other``, element-wise, as a boolean array "
                                     f"(trueno.{_function}).")
del _op, _symbol, _function


def summary_key(func) -> str:
    """The SUMMARIES key of a native function: its name within trueno."""
    module = func.__module__.removeprefix("trueno").lstrip(".")
    return f"{module}.{func.__qualname__}" if module else func.__qualname__


def function_doc(func) -> str:
    """The docstring of a native function: its signature line, its summary, then
    the numpydoc sections (Parameters, Returns, Raises, Examples) of _docstrings."""
    from . import _docstrings

    key = summary_key(func)
    signature = func.__signature__
    summary = SUMMARIES.get(key, "")
    return f"{func.__name__}{signature}\n\n{summary}\n\n{_docstrings.sections(key, signature)}"


def python_function_doc(func, signature) -> str:
    """The docstring of a routed Python function (a trueno.Function around it): the
    signature line, then its own docstring dedented (as inspect.getdoc would; left
    as written, its indented sections would sit under an unindented first line)."""
    return f"{func.__name__}{signature}\n\n{inspect.cleandoc(func.__doc__ or '')}\n"

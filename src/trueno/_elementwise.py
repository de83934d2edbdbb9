"""Element-wise functions (spec section "Element-wise Functions").

All but ``clip`` are rows of cpp/ops/elementwise.def, bound directly from C++.
"""
from __future__ import annotations

from ._core import (
    abs, acos, acosh, add, asin, asinh, atan, atan2, atanh, bitwise_and, bitwise_invert,
    bitwise_left_shift, bitwise_or, bitwise_right_shift, bitwise_xor, ceil, conj, copysign,
    cos, cosh, divide, equal, exp, expm1, floor, floor_divide, greater, greater_equal, hypot,
    imag, isfinite, isinf, isnan, less, less_equal, log, log1p, log2, log10, logaddexp,
    logical_and, logical_not, logical_or, logical_xor, maximum, minimum, multiply, negative,
    nextafter, not_equal, positive, pow, real, reciprocal, remainder, round, sign, signbit,
    sin, sinh, sqrt, square, subtract, tan, tanh, trunc, Array, asarray, astype,
)

__all__ = [
    "abs", "acos", "acosh", "add", "asin", "asinh", "atan", "atan2", "atanh", "bitwise_and",
    "bitwise_invert", "bitwise_left_shift", "bitwise_or", "bitwise_right_shift", "bitwise_xor",
    "ceil", "clip", "conj", "copysign", "cos", "cosh", "divide", "equal", "exp", "expm1", "floor",
    "floor_divide", "greater", "greater_equal", "hypot", "imag", "isfinite", "isinf", "isnan",
    "less", "less_equal", "log", "log1p", "log2", "log10", "logaddexp", "logical_and",
    "logical_not", "logical_or", "logical_xor", "maximum", "minimum", "multiply", "negative",
    "nextafter", "not_equal", "positive", "pow", "real", "reciprocal", "remainder", "round",
    "sign", "signbit", "sin", "sinh", "sqrt", "square", "subtract", "tan", "tanh", "trunc",
]


def clip(x, /, min=None, max=None):
    """Clamp each element of ``x`` to [min, max]; the result keeps ``x``'s dtype."""
    if not isinstance(x, Array):
        raise TypeError(f"clip(): x must be a trueno array, got {type(x).__name__}")
    from ._data_type import isdtype, iinfo

    if isdtype(x.dtype, "complex floating"):
        raise TypeError("clip(): x must have a real-valued dtype")
    out = x
    for bound, op, name in ((min, maximum, "min"), (max, minimum, "max")):
        if bound is None:
            continue
        if isinstance(bound, Array):
            if isdtype(bound.dtype, "complex floating") or isdtype(bound.dtype, "bool") != isdtype(x.dtype, "bool"):
                raise TypeError(f"clip(): {name} must have a real-valued dtype of the same kind as x")
        elif isinstance(bound, (int, float)) and not isinstance(bound, type(True)):
            if isdtype(x.dtype, "integral"):
                if isinstance(bound, float):
                    raise TypeError(f"clip(): a float {name} needs a floating-point x")
                info = iinfo(x.dtype)
                bound = info.min if bound < info.min else info.max if bound > info.max else bound
        else:
            raise TypeError(f"clip(): {name} must be an array or a real Python scalar")
        result = op(out, bound)
        out = result if result.dtype == x.dtype else astype(result, x.dtype)
    if out is x:
        out = asarray(x, copy=True)
    return out

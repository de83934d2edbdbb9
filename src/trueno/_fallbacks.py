"""Where a backend deviates from the spec or lacks a function, the route's fix, in terms of the backend.

Everything here is written against the array API as the backend's namespace
``xb`` provides it (NumPy and CuPy both do), so a fix serves every backend.
``call`` is the one place the route invokes a backend function: the spec's
treatment of Python scalars first, then the backend's function, else a
fallback from ``FALLBACKS``.
"""
from __future__ import annotations

import builtins
import functools
import math

import numpy

BINARY_ELEMENTWISE = frozenset({
    "add", "atan2", "bitwise_and", "bitwise_left_shift", "bitwise_or", "bitwise_right_shift",
    "bitwise_xor", "copysign", "divide", "equal", "floor_divide", "greater", "greater_equal",
    "hypot", "less", "less_equal", "logaddexp", "logical_and", "logical_or", "logical_xor",
    "maximum", "minimum", "multiply", "nextafter", "not_equal", "pow", "remainder", "subtract",
})

_BINARY_OPERATORS = {
    "add": "add", "sub": "subtract", "mul": "multiply", "truediv": "divide", "floordiv": "floor_divide",
    "mod": "remainder", "pow": "pow", "and": "bitwise_and", "or": "bitwise_or", "xor": "bitwise_xor",
    "lshift": "bitwise_left_shift", "rshift": "bitwise_right_shift", "matmul": "matmul",
}
_COMPARISONS = ("lt", "le", "gt", "ge", "eq", "ne")
IN_PLACE = frozenset(f"__i{op}__" for op in _BINARY_OPERATORS)
# Every binary operator dunder: these take an array or a Python scalar (else NotImplemented).
OPERATOR_FUNCTIONS = frozenset(
    [f"__{op}__" for op in _BINARY_OPERATORS] + [f"__r{op}__" for op in _BINARY_OPERATORS]
    + list(IN_PLACE) + [f"__{op}__" for op in _COMPARISONS]
)

_PYTHON_KINDS = {builtins.bool: 0, builtins.int: 1, builtins.float: 2, builtins.complex: 3}


def _kind_of_dtype(xb, dtype) -> int:
    """0 bool, 1 integer, 2 real floating, 3 complex. NumPy and CuPy arrays both
    carry NumPy dtypes, so this needs nothing from the backend (older CuPy has no isdtype)."""
    return {"b": 0, "i": 1, "u": 1, "f": 2, "c": 3}[numpy.dtype(dtype).kind]


def _scalar_beside(xb, scalar, array):
    """A Python scalar as the spec treats it beside an array: an array of the array's dtype.

    Backends differ here (value-based casting, weak scalars, 64-bit scalars);
    the spec's rule is that the scalar takes the array's dtype when its kind
    fits. Other kinds are left to the backend.
    """
    kind = _PYTHON_KINDS.get(type(scalar))
    if kind is None or not hasattr(array, "dtype"):
        return scalar
    array_kind = _kind_of_dtype(xb, array.dtype)
    if kind == 0 and array_kind != 0:
        return scalar
    if kind > array_kind:
        return scalar
    if kind == 1 and array_kind == 1:
        info = xb.iinfo(array.dtype)
        if not info.min <= scalar <= info.max:
            raise OverflowError(f"Python integer {scalar} is out of bounds for {array.dtype}")
    # A NumPy scalar of the array's dtype (NumPy's and CuPy's arrays carry NumPy dtypes): it
    # promotes as a 0-D array of that dtype would, and a GPU gets it as a kernel argument
    # instead of a copy to device memory.
    return numpy.dtype(array.dtype).type(scalar)


def _with_array_scalars(xb, args: tuple) -> tuple:
    if len(args) < 2:
        return args
    first, second = args[0], args[1]
    if type(first) in _PYTHON_KINDS and type(second) not in _PYTHON_KINDS:
        first = _scalar_beside(xb, first, second)
    elif type(second) in _PYTHON_KINDS and type(first) not in _PYTHON_KINDS:
        second = _scalar_beside(xb, second, first)
    return (first, second) + tuple(args[2:])


def call(backend, name: str, args: tuple, kwargs: dict, device):
    """``name(*args, **kwargs)`` on ``backend`` (arguments already the backend's)."""
    if name in BINARY_ELEMENTWISE:
        args = _with_array_scalars(backend.namespace, args)
    return resolve(backend, name, device)(*args, **kwargs)


def resolve(backend, name: str, device):
    """The callable that computes ``name`` on ``backend`` for arguments that are already the
    backend's and hold no Python scalars: the backend's function, its fix, or trueno's fallback."""
    xb = backend.namespace
    function = backend.function(name)
    if function is None:
        fallback = FALLBACKS.get(name) or NN_FUNCTIONS.get(name)
        if fallback is None:
            raise NotImplementedError(f"{name}() is not available on device {device}")
        function = functools.partial(fallback, xb)
    fix = FIXES.get(name)
    if fix is not None:
        return functools.partial(fix, xb, function)
    return function


def call_method(backend, name: str, data, args: tuple, kwargs: dict, dtype):
    """The backend array's own method ``name``, with the spec's Python-scalar rule for operators
    and the fixes of the operator's function."""
    xb = backend.namespace
    if name in OPERATOR_FUNCTIONS and args and type(args[0]) in _PYTHON_KINDS:
        args = (_scalar_beside(xb, args[0], data),) + tuple(args[1:])
    if len(args) == 1 and not kwargs:
        return resolve_method(backend, name)(data, args[0])
    return getattr(data, name)(*args, **kwargs)


def resolve_method(backend, name: str):
    """The callable ``(data, other)`` that computes the binary operator ``name`` on backend arrays
    (a converted scalar for ``other``): the fix of the operator's function, or the array's own method."""
    operator = name.strip("_")
    reflected = operator.startswith("r") and operator[1:] in _BINARY_OPERATORS
    in_place = operator.startswith("i") and operator[1:] in _BINARY_OPERATORS
    function_name = _BINARY_OPERATORS.get(operator[1:] if reflected or in_place else operator)
    if function_name in FIXES:
        fix, xb, function = FIXES[function_name], backend.namespace, backend.function(function_name)
        if reflected:
            return lambda data, other: fix(xb, function, other, data)
        return lambda data, other: fix(xb, function, data, other)
    return lambda data, other: getattr(data, name)(other)


# ---- fixes: the backend has the function, with another signature or result ----
# Each takes (xb, the backend's function, the call's arguments).

def _sort_fix(xb, function, x, /, *, axis=-1, descending=False, stable=True):
    """NumPy's and CuPy's sort have no ``descending``."""
    if not descending:
        return function(x, axis=axis)
    return xb.flip(function(x, axis=axis), axis=axis)


def _argsort_fix(xb, function, x, /, *, axis=-1, descending=False, stable=True):
    """NumPy's and CuPy's argsort have no ``descending``: a stable descending order from an ascending one."""
    if not descending:
        return function(x, axis=axis, kind="stable")
    n = x.shape[axis]
    # Ascending sort of the reversed array keeps equal elements in reversed
    # order; reversing back restores their original order.
    return (n - 1) - xb.flip(function(xb.flip(x, axis=axis), axis=axis, kind="stable"), axis=axis)


def _diff_fix(xb, function, x, /, *, axis=-1, n=1, prepend=None, append=None):
    """NumPy's diff takes no None for ``prepend``/``append``."""
    edges = {key: value for key, value in (("prepend", prepend), ("append", append)) if value is not None}
    return function(x, axis=axis, n=n, **edges)


def _frequency_fix(xb, function, n, /, *, d=1.0, dtype=None, device=None):
    """NumPy's and CuPy's fftfreq take no ``dtype`` (the spec's default is the default float)."""
    result = function(n, d=d)
    return result.astype(dtype if dtype is not None else xb.float64)


def _complex_result_fix(xb, function, x, /):
    """The spec's eig/eigvals always return complex; NumPy returns real when it can."""
    complex_type = xb.complex64 if x.dtype in (xb.float32, xb.complex64) else xb.complex128

    def as_complex(a):
        return a.astype(complex_type)

    result = function(x)
    if isinstance(result, tuple):
        return type(result)(*(as_complex(a) for a in result))
    return as_complex(result)


def _asarray_fix(xb, function, obj, /, *, dtype=None, device=None, copy=None):
    """CuPy's asarray takes no ``copy``: copy=True becomes ``array(..., copy=True)``."""
    keywords = {"dtype": dtype} if device is None else {"dtype": dtype, "device": device}
    if copy is None:
        return function(obj, **keywords)
    try:
        return function(obj, copy=copy, **keywords)
    except TypeError:
        if copy:
            return xb.array(obj, dtype=dtype, copy=True)
        return function(obj, **keywords)


def _complex_from_parts(xb, real, imag):
    """A complex array from its parts (``real + 1j * imag`` would turn an infinite part into NaN)."""
    complex_type = xb.complex64 if real.dtype == xb.float32 else xb.complex128
    out = xb.zeros(real.shape, dtype=complex_type)
    out.real[...] = real  # NumPy's and CuPy's writable views of the parts
    out.imag[...] = imag
    return out


def _floor_divide_fix(xb, function, x1, x2, /):
    """Floats: infinities and zero divisors as floor(x1 / x2), the spec's special cases (NumPy's
    floor_divide, exact for finite operands, returns NaN there)."""
    result = function(x1, x2)
    if _kind_of_dtype(xb, result.dtype) != 2:
        return result
    x1, x2 = xb.asarray(x1), xb.asarray(x2)
    special = xb.logical_or(xb.equal(x2, 0), xb.logical_not(xb.logical_and(xb.isfinite(x1), xb.isfinite(x2))))
    # (No early exit when nothing is special: asking would make a GPU wait.)
    return xb.where(special, xb.floor(xb.divide(x1, x2)), result)


def _expm1_fix(xb, function, x, /):
    """Complex: exp(x)cos(y) - 1 computed as expm1(x)cos(y) - 2 sin^2(y/2), and the spec's special
    cases from exp's (as the CPU's functor does)."""
    if _kind_of_dtype(xb, x.dtype) != 3:
        return function(x)
    re, im = xb.real(x), xb.imag(x)
    finite = xb.logical_and(xb.isfinite(re), xb.isfinite(im))
    e = xb.exp(x)
    half_sine = xb.sin(im / 2)
    real = xb.where(finite, xb.expm1(re) * xb.cos(im) - 2 * half_sine * half_sine + 0, xb.real(e) - 1)
    imag = xb.where(finite, xb.exp(re) * xb.sin(im), xb.imag(e))
    return _complex_from_parts(xb, real, imag)


def _tanh_fix(xb, function, x, /):
    """Complex: tanh(+-inf + bj) = +-1 + 0j with the sign of b, as the spec says."""
    result = function(x)
    if _kind_of_dtype(xb, x.dtype) != 3:
        return result
    re, im = xb.real(x), xb.imag(x)
    edge = xb.logical_and(xb.isinf(re), xb.isfinite(im))
    one = xb.ones_like(re)
    zero = xb.zeros_like(im)
    real = xb.where(edge, xb.copysign(one, re), xb.real(result))
    imag = xb.where(edge, xb.copysign(zero, im), xb.imag(result))
    return _complex_from_parts(xb, real, imag)


def _astype_fix(xb, function, x, /, *args, **kwargs):
    """NumPy's astype takes ``dtype`` positionally only; the spec's also by keyword. Without
    ``device=`` the array's own astype serves (NumPy's function adds ~0.4 us of checks)."""
    if not args and "dtype" in kwargs:
        kwargs = dict(kwargs)
        args = (kwargs.pop("dtype"),)
    if len(args) == 1 and kwargs.keys() <= {"copy"}:
        return x.astype(args[0], copy=kwargs.get("copy", True))
    return function(x, *args, **kwargs)


FIXES = {
    "asarray": _asarray_fix,
    "astype": _astype_fix,
    "floor_divide": _floor_divide_fix,
    "expm1": _expm1_fix,
    "tanh": _tanh_fix,
    "sort": _sort_fix,
    "argsort": _argsort_fix,
    "diff": _diff_fix,
    "fft.fftfreq": _frequency_fix,
    "fft.rfftfreq": _frequency_fix,
    "linalg.eig": _complex_result_fix,
    "linalg.eigvals": _complex_result_fix,
}


# ---- spec-level fallbacks ----------------------------------------------------

def isin(xb, x1, x2, /, *, invert=False):
    x1 = x1 if hasattr(x1, "dtype") else xb.asarray(x1)
    x2 = x2 if hasattr(x2, "dtype") else xb.asarray(x2)
    hits = xb.any(xb.equal(xb.expand_dims(x1, axis=-1), xb.reshape(x2, (-1,))), axis=-1)
    return xb.logical_not(hits) if invert else hits


def take_along_axis(xb, x, indices, /, *, axis=-1):
    if not -x.ndim <= axis < x.ndim:
        raise IndexError(f"take_along_axis(): axis {axis} is out of bounds for an array of {x.ndim} dimensions")
    if indices.ndim != x.ndim:
        raise ValueError("take_along_axis(): x and indices must have the same number of dimensions")
    axis = axis % x.ndim
    n = x.shape[axis]
    values = xb.moveaxis(x, axis, -1)
    positions = xb.moveaxis(indices, axis, -1)
    batch = tuple(xb.broadcast_shapes(values.shape[:-1], positions.shape[:-1])) if hasattr(xb, "broadcast_shapes") \
        else tuple(xb.broadcast_arrays(xb.empty(values.shape[:-1]), xb.empty(positions.shape[:-1]))[0].shape)
    m = positions.shape[-1]
    values = xb.broadcast_to(values, batch + (n,))
    positions = xb.broadcast_to(positions, batch + (m,))
    rows = math.prod(batch)
    positions = xb.where(positions < 0, positions + n, positions)
    offsets = xb.reshape(xb.arange(rows, dtype=positions.dtype) * n, (rows, 1))
    linear = xb.reshape(xb.reshape(positions, (rows, m)) + offsets, (rows * m,))
    flat = xb.take(xb.reshape(values, (rows * n,)), linear)
    return xb.moveaxis(xb.reshape(flat, batch + (m,)), -1, axis)


def nextafter(xb, x1, x2, /):
    dtype = xb.result_type(x1, x2)
    x1, x2 = xb.broadcast_arrays(xb.asarray(x1).astype(dtype), xb.asarray(x2).astype(dtype))
    bits_type = xb.int32 if dtype == xb.float32 else xb.int64
    # Adjacent floats of one sign have adjacent bit patterns (a backend's
    # ndarray.view, which NumPy and CuPy both have, reinterprets them).
    bits = x1.view(bits_type)
    one = xb.asarray(1, dtype=bits_type)
    step = xb.where(xb.equal(xb.greater(x2, x1), xb.greater(x1, 0)), one, -one)
    moved = (bits + step).view(dtype)
    smallest = one.view(dtype)
    from_zero = xb.where(xb.greater(x2, x1), smallest, -smallest)
    out = xb.where(xb.equal(x1, 0), from_zero, moved)
    out = xb.where(xb.equal(x1, x2), x2, out)
    return xb.where(xb.logical_or(xb.isnan(x1), xb.isnan(x2)), xb.asarray(math.nan, dtype=dtype), out)


def astype(xb, x, dtype, /, *, copy=True, device=None):
    return x.astype(dtype, copy=copy)


def matrix_transpose(xb, x, /):
    if x.ndim < 2:
        raise ValueError("matrix_transpose(): x must have at least two dimensions")
    return xb.swapaxes(x, -1, -2)


def _cumulative(xb, step_name, x, axis, dtype, include_initial, initial):
    if axis is None:
        if x.ndim > 1:
            raise ValueError("axis must be given for arrays of more than one dimension")
        axis = 0
    result = getattr(xb, step_name)(x, axis=axis, dtype=dtype)
    if include_initial:
        shape = list(result.shape)
        shape[axis] = 1
        result = xb.concatenate([xb.full(tuple(shape), initial, dtype=result.dtype), result], axis=axis)
    return result


def cumulative_sum(xb, x, /, *, axis=None, dtype=None, include_initial=False):
    return _cumulative(xb, "cumsum", x, axis, dtype, include_initial, 0)


def cumulative_prod(xb, x, /, *, axis=None, dtype=None, include_initial=False):
    return _cumulative(xb, "cumprod", x, axis, dtype, include_initial, 1)


def unique_values(xb, x, /):
    return xb.unique(xb.reshape(x, (-1,)))


def unstack(xb, x, /, *, axis=0):
    return tuple(xb.moveaxis(x, axis, 0)[i] for i in range(x.shape[axis]))


def vecdot(xb, x1, x2, /, *, axis=-1):
    product = xb.multiply(xb.conj(x1), x2) if _kind_of_dtype(xb, x1.dtype) == 3 else xb.multiply(x1, x2)
    return xb.sum(product, axis=axis)


def reciprocal(xb, x, /):
    return xb.divide(xb.asarray(1, dtype=x.dtype), x)


FALLBACKS = {
    "astype": astype,
    "matrix_transpose": matrix_transpose,
    "cumulative_sum": cumulative_sum,
    "cumulative_prod": cumulative_prod,
    "unique_values": unique_values,
    "unstack": unstack,
    "vecdot": vecdot,
    "reciprocal": reciprocal,
    "isin": isin,
    "take_along_axis": take_along_axis,
    "nextafter": nextafter,
}


# ---- trueno.nn in array-API terms -------------------------------------------
# The CPU computes trueno.nn in fused C++ kernels; on another device the route
# computes each function here, with the backend's namespace, to the CPU's
# special values (nn.py's docstring). The route asks the CPU first (stand-ins
# of the same dtypes and ranks), so arguments are validated, and errors
# worded, by the CPU's own checks: these functions see only accepted calls.

def _erfc(xb, x):
    """erfc, which the array API lacks: CuPy's from cupyx.scipy.special; elsewhere (the NumPy
    test backend) the C library's, element by element, as the CPU's gelu uses it."""
    if getattr(xb, "__name__", "") == "cupy":
        from cupyx.scipy.special import erfc

        return erfc(x)
    return xb.asarray(numpy.frompyfunc(math.erfc, 1, 1)(x), dtype=x.dtype)


def _limit_at_minus_infinity(xb, x, values):
    """x * (something tending to 0) at x = -inf is -0 (the limit), where the product is NaN."""
    return xb.where(x == -math.inf, xb.asarray(-0.0, dtype=x.dtype), values)


def _sigmoid(xb, x):
    # e = exp(-|x|) never overflows; 1/(1+e) for x >= 0 and e/(1+e) below, as the CPU's kernel.
    e = xb.exp(-xb.abs(x))
    one = xb.asarray(1, dtype=x.dtype)
    return xb.where(x >= 0, one / (one + e), e / (one + e))


def nn_relu(xb, x, /):
    # (maximum would turn -0 into 0 where the CPU keeps it; NaN < 0 is false, so NaN stays)
    return xb.where(x < 0, xb.asarray(0, dtype=x.dtype), x)


def nn_sigmoid(xb, x, /):
    return _sigmoid(xb, x)


def nn_silu(xb, x, /):
    return _limit_at_minus_infinity(xb, x, x * _sigmoid(xb, x))


_SQRT_2_OVER_PI = math.sqrt(2 / math.pi)


def nn_gelu(xb, x, /, approximate="none"):
    if approximate == "tanh":
        # 0.5 x (1 + tanh(u)) = x sigmoid(2u): the same value without the cancellation for x << 0.
        inner = (2 * _SQRT_2_OVER_PI) * (x + 0.044715 * (x * x * x))
        return _limit_at_minus_infinity(xb, x, x * _sigmoid(xb, inner))
    # 0.5 x erfc(-x / sqrt 2) in float64 (no cancellation for x << 0), rounded once to x's dtype.
    wide = x.astype(xb.float64)
    values = (0.5 * wide * _erfc(xb, -wide / math.sqrt(2))).astype(x.dtype)
    return _limit_at_minus_infinity(xb, x, values)


def _as_row(xb, x, axis):
    """A 0-D input is one row of length 1 (the CPU's and PyTorch's rule)."""
    return (xb.reshape(x, (1,)), -1) if x.ndim == 0 else (x, axis)


def _shifted(xb, x, axis):
    # Subtracting the row's maximum keeps exp from overflowing; a row holding NaN or +inf,
    # or only -inf, becomes NaN throughout (inf - inf), as on the CPU.
    return x - xb.max(x, axis=axis, keepdims=True)


def nn_softmax(xb, x, /, axis=-1):
    if x.size == 0:
        return xb.empty_like(x)
    row, axis = _as_row(xb, x, axis)
    e = xb.exp(_shifted(xb, row, axis))
    return xb.reshape(e / xb.sum(e, axis=axis, keepdims=True), x.shape)


def nn_log_softmax(xb, x, /, axis=-1):
    if x.size == 0:
        return xb.empty_like(x)
    row, axis = _as_row(xb, x, axis)
    shifted = _shifted(xb, row, axis)
    return xb.reshape(shifted - xb.log(xb.sum(xb.exp(shifted), axis=axis, keepdims=True)), x.shape)


def _operands(xb, name, *operands):
    """Python scalars take the dtype of the first array among the operands (the CPU's rule); shapes
    that do not broadcast raise the CPU's error (its checks, asked first, saw one-element stand-ins)."""
    first = next(o for o in operands if hasattr(o, "dtype"))
    shape = ()
    for operand in operands:
        other = tuple(getattr(operand, "shape", ()))
        try:
            shape = numpy.broadcast_shapes(shape, other)
        except ValueError:
            raise ValueError(f"{name}(): shapes {shape} and {other} cannot be broadcast together") from None
    return [o if hasattr(o, "dtype") else xb.asarray(o, dtype=first.dtype) for o in operands]


def nn_lerp(xb, a, b, t, /):
    a, b, t = _operands(xb, "lerp", a, b, t)
    difference = b - a
    # PyTorch's two forms: exact at t = 0 (a) and at t = 1 (b).
    return xb.where(xb.abs(t) < 0.5, a + t * difference, b - difference * (1 - t))


def _two_sum(s, a, b):
    """The rounding error of s = a + b (Knuth's TwoSum)."""
    b_virtual = s - a
    return (a - (s - b_virtual)) + (b - b_virtual)


def _two_product_error(xb, a, b, p):
    """The rounding error of p = a * b, by Veltkamp's split (Dekker's TwoProduct; float64)."""
    def split(v):
        c = 134217729.0 * v  # 2**27 + 1
        high = c - (c - v)
        return high, v - high

    a_high, a_low = split(a)
    b_high, b_low = split(b)
    return ((a_high * b_high - p) + a_high * b_low + a_low * b_high) + a_low * b_low


def nn_fma(xb, a, b, c, /):
    a, b, c = _operands(xb, "fma", a, b, c)
    dtype = xb.result_type(a, b, c)
    if dtype == xb.float32:
        # The float64 product of two float32 values is exact: one rounding to float64, one to float32.
        wide = [v.astype(xb.float64) for v in (a, b, c)]
        return (wide[0] * wide[1] + wide[2]).astype(xb.float32)
    a, b, c = (v.astype(dtype) for v in (a, b, c))
    p = a * b
    s = p + c
    # a * b + c with the product's and the sum's rounding errors added back: the exactly rounded
    # result but for rare double roundings (the array API has no fma).
    compensated = s + (_two_product_error(xb, a, b, p) + _two_sum(s, p, c))
    finite = xb.logical_and(xb.isfinite(a), xb.isfinite(b))
    # Where a split or a sum overflowed the plain form serves; an infinite c beside a finite
    # product is the exact result (the product itself cannot overflow inside an fma).
    result = xb.where(xb.isfinite(compensated), compensated, s)
    return xb.where(xb.logical_and(finite, xb.isinf(c)), c, result)


def _norm_axis(axis):
    return tuple(axis) if isinstance(axis, list) else axis


def nn_norm_l1(xb, x, /, axis=None, keepdims=False):
    return xb.sum(xb.abs(x), axis=_norm_axis(axis), keepdims=keepdims)


def nn_norm_l2(xb, x, /, axis=None, keepdims=False):
    return xb.sqrt(xb.sum(x * x, axis=_norm_axis(axis), keepdims=keepdims))


def nn_norm_linf(xb, x, /, axis=None, keepdims=False):
    if x.size == 0:  # an empty reduction is 0 (max has no identity; the sum of nothing is 0)
        return xb.sum(xb.abs(x), axis=_norm_axis(axis), keepdims=keepdims)
    return xb.max(xb.abs(x), axis=_norm_axis(axis), keepdims=keepdims)  # max keeps NaN


NN_FUNCTIONS = {
    "nn.relu": nn_relu, "nn.sigmoid": nn_sigmoid, "nn.silu": nn_silu, "nn.swish": nn_silu,
    "nn.gelu": nn_gelu, "nn.softmax": nn_softmax, "nn.log_softmax": nn_log_softmax,
    "nn.lerp": nn_lerp, "nn.fma": nn_fma,
    "nn.norm_l1": nn_norm_l1, "nn.norm_l2": nn_norm_l2, "nn.norm_linf": nn_norm_linf,
}

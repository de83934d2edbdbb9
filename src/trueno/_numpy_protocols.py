"""trueno at NumPy's boundary: NumPy's protocols and the ndarray methods engines call.

NumPy hands a call that involves a trueno array to trueno (NEP 13's
``__array_ufunc__`` for ufuncs, NEP 18's ``__array_function__`` for its other
functions), so ``np.exp(t)``, ``np.sum(t, axis=0)`` or ``np_array += t`` are
computed by trueno's kernels and give trueno arrays, as Dask's and xarray's
chunk functions expect. Three kinds of answer, one table each:

- ``UFUNCS`` / ``REDUCTIONS`` / ``ACCUMULATIONS``: NumPy ufuncs (and their
  methods) trueno computes; NumPy resolves the dtypes first, so results have
  the dtype NumPy would give (NEP 50: a NumPy scalar is typed, a Python
  scalar takes the array's type).
- ``FUNCTIONS``: NumPy functions trueno computes, each an adapter from
  NumPy's signature to the array API's.
- ``NUMPY_FALLBACKS``: NumPy functions trueno has no kernel for, computed by
  NumPy on zero-copy views of the trueno arrays, with array results turned
  back into trueno arrays. This is the one list of them: count it, shrink it.

Anything else raises NumPy's TypeError ("no implementation found"): never a
silent change of array type. Arrays on another device go through trueno's
device route where trueno computes, and the NumPy fallbacks refuse them.
"""
from __future__ import annotations

import builtins
import inspect
import operator
import re

import numpy as np

from . import _core, _docstrings
from ._core import CPU_DEVICE, Array

_xp = None  # the trueno namespace, bound by install() (this module is imported while it loads)


# ---- conversions -------------------------------------------------------------

def _trueno_dtype(dtype) -> bool:
    """Whether a NumPy dtype is one of trueno's."""
    try:
        _core._dtype(dtype, "", "")
    except TypeError:
        return False
    return True


def _as_trueno(x):
    """A NumPy array or scalar as a trueno array (zero-copy for arrays); anything else as it is."""
    if isinstance(x, (np.ndarray, np.generic)):
        return _xp.asarray(x)
    return x


def _tree(x, leaf):
    """``leaf`` applied to every item of nested lists, tuples and dicts."""
    if type(x) is list or type(x) is tuple:
        return type(x)(_tree(item, leaf) for item in x)
    if type(x) is dict:
        return {k: _tree(v, leaf) for k, v in x.items()}
    return leaf(x)


def _numpy_view(x, what: str):
    """A trueno array as a zero-copy NumPy array (writes reach the trueno array)."""
    if not isinstance(x, Array):
        return x
    if x.device != CPU_DEVICE:
        raise TypeError(f"{what} is computed by NumPy, which cannot read an array on device "
                        f"{x.device}: move it with x.to_device('cpu') first")
    return np.asarray(x)


def _back_to_trueno(result):
    """NumPy's array results (and NumPy scalars, NumPy's 0-D results) as trueno arrays; Python
    values (np.allclose's bool) stay as they are."""
    if isinstance(result, (np.ndarray, np.generic)):
        if not _trueno_dtype(result.dtype):
            raise TypeError(f"NumPy returned an array of dtype {result.dtype}, which trueno does not support")
        return _xp.asarray(result)
    if type(result) is list or type(result) is tuple:
        return type(result)(_back_to_trueno(item) for item in result)
    if isinstance(result, tuple) and hasattr(result, "_fields"):  # a named tuple (np.linalg results)
        return type(result)(*[_back_to_trueno(item) for item in result])
    return result


def _computed_by_numpy(function, args: tuple, kwargs: dict, what: str):
    """``function`` run by NumPy on views of the trueno arrays; outputs given as trueno arrays are
    written in place (through the views) and returned as they were given."""
    to_numpy = lambda x: _numpy_view(x, what)  # noqa: E731
    np_args = _tree(args, to_numpy)
    np_kwargs = _tree(kwargs, to_numpy)
    result = function(*np_args, **np_kwargs)
    out = kwargs.get("out")
    if out is not None:
        return out if not (type(out) is tuple and len(out) == 1) else out[0]
    return _back_to_trueno(result)


def _deliver(result, out):
    """``result`` written into ``out`` (a trueno or NumPy array, or a 1-tuple of one) when given."""
    if out is None:
        return result
    if type(out) is tuple:
        if len(out) != 1:
            raise TypeError(f"out must hold one array here, got {len(out)}")
        out = out[0]
    if isinstance(out, np.ndarray):
        np.copyto(out, np.asarray(result), casting="same_kind")
        return out
    if not isinstance(out, Array):
        raise TypeError(f"out must be a trueno or NumPy array, got {type(out).__name__}")
    result = _as_trueno(result)
    if isinstance(result, Array) and result.dtype != out.dtype:
        if not np.can_cast(result.dtype, out.dtype, casting="same_kind"):
            raise TypeError(f"cannot cast the result of dtype {result.dtype} to out's dtype {out.dtype} "
                            "under the rule 'same_kind'")
        result = _xp.astype(result, out.dtype)
    out[...] = result
    return out


# ---- NEP 13: ufuncs ------------------------------------------------------------

# NumPy ufunc name -> trueno function name, where trueno computes it.
UFUNCS = {
    **{name: name for name in (
        "add", "subtract", "multiply", "divide", "floor_divide", "remainder", "negative", "positive",
        "exp", "expm1", "log", "log1p", "log2", "log10", "logaddexp", "sqrt", "square", "sign",
        "sin", "cos", "tan", "sinh", "cosh", "tanh", "ceil", "floor", "trunc", "hypot", "copysign",
        "nextafter", "signbit", "isnan", "isinf", "isfinite", "equal", "not_equal", "less",
        "less_equal", "greater", "greater_equal", "logical_and", "logical_or", "logical_xor",
        "logical_not", "maximum", "minimum", "bitwise_and", "bitwise_or", "bitwise_xor",
        "reciprocal", "matmul", "vecdot")},
    "absolute": "abs", "arccos": "acos", "arccosh": "acosh", "arcsin": "asin", "arcsinh": "asinh",
    "arctan": "atan", "arctan2": "atan2", "arctanh": "atanh", "invert": "bitwise_invert",
    "left_shift": "bitwise_left_shift", "right_shift": "bitwise_right_shift", "power": "pow",
    "conjugate": "conj", "rint": "round",
}
# ufunc.reduce / ufunc.accumulate that trueno computes.
REDUCTIONS = {"add": "sum", "multiply": "prod", "maximum": "max", "minimum": "min",
              "logical_and": "all", "logical_or": "any"}
ACCUMULATIONS = {"add": "cumulative_sum", "multiply": "cumulative_prod"}


def _numpy_dtype_of(x):
    """What NumPy's type resolution sees for an operand: a dtype, or a Python scalar's type (weak)."""
    if isinstance(x, (Array, np.ndarray, np.generic)):
        return x.dtype
    if type(x) in (builtins.bool, int, float, complex):
        return type(x)
    return np.asarray(x).dtype


def _cast_operands(ufunc, inputs, dtype):
    """The operands cast to the loop NumPy would choose; the loop's output dtypes beside them."""
    signature = tuple(_numpy_dtype_of(x) for x in inputs) + (dtype,) + (None,) * (ufunc.nout - 1)
    try:
        loop = ufunc.resolve_dtypes(signature)
    except TypeError:
        raise
    except Exception:  # a gufunc or a signature resolve_dtypes cannot take: trueno's own rules
        return inputs, None
    cast = []
    for x, wanted in zip(inputs, loop[:ufunc.nin]):
        if isinstance(x, Array):
            cast.append(x if x.dtype == wanted else _xp.astype(x, wanted))
        elif isinstance(x, (np.ndarray, np.generic)) or type(x) not in (builtins.bool, int, float, complex):
            cast.append(_xp.asarray(np.asarray(x, dtype=wanted)))
        else:
            cast.append(x)  # a Python scalar: trueno gives it the array's dtype, as NumPy does
    return cast, loop[ufunc.nin:]


def _ufunc_call(ufunc, inputs, kwargs):
    name = UFUNCS.get(ufunc.__name__)
    out = kwargs.pop("out", None)
    where = kwargs.pop("where", True)
    dtype = kwargs.pop("dtype", None)
    casting = kwargs.pop("casting", "same_kind")
    kwargs.pop("subok", None)
    order = kwargs.pop("order", "K")
    if name is None or kwargs or order not in ("K", "C", "A") or ufunc.nout != 1 or (
            where is not True and out is None):
        return NotImplemented
    if not all(_trueno_dtype(_numpy_dtype_of(x)) or type(x) in (builtins.bool, int, float, complex)
               for x in inputs):
        return NotImplemented
    cast, out_dtypes = _cast_operands(ufunc, inputs, dtype)
    function = getattr(_xp, name)
    try:
        result = function(*cast)
    except TypeError:
        if out_dtypes is None:
            raise
        return NotImplemented  # NumPy accepts what the standard leaves out (reciprocal of integers)
    if out_dtypes is not None and isinstance(result, Array) and result.dtype != out_dtypes[0]:
        result = _xp.astype(result, out_dtypes[0])
    if out is None:
        return result
    target = out[0] if type(out) is tuple else out
    if where is not True:
        result = _xp.where(_as_trueno(where), result, _as_trueno(target))
    if casting != "same_kind" and not np.can_cast(result.dtype, target.dtype, casting=casting):
        raise TypeError(f"{ufunc.__name__}: cannot cast the result from {result.dtype} to {target.dtype} "
                        f"with casting rule {casting!r}")
    return _deliver(result, out)


def _ufunc_reduce(ufunc, inputs, kwargs):
    name = REDUCTIONS.get(ufunc.__name__)
    (array,) = inputs
    axis = kwargs.pop("axis", 0)
    dtype = kwargs.pop("dtype", None)
    out = kwargs.pop("out", None)
    keepdims = kwargs.pop("keepdims", False)
    if name is None or kwargs or not isinstance(array, Array):
        return NotImplemented
    if name in ("sum", "prod"):
        if dtype is None and array.dtype.kind in "biu" and array.dtype.itemsize < 8:
            dtype = np.dtype("uint64") if array.dtype.kind == "u" else np.dtype("int64")
        result = getattr(_xp, name)(array, axis=axis, dtype=dtype, keepdims=keepdims)
    else:
        result = getattr(_xp, name)(array, axis=axis, keepdims=keepdims)
        if dtype is not None:
            result = _xp.astype(result, dtype)
    return _deliver(result, out)


def _ufunc_accumulate(ufunc, inputs, kwargs):
    name = ACCUMULATIONS.get(ufunc.__name__)
    (array,) = inputs
    axis = kwargs.pop("axis", 0)
    dtype = kwargs.pop("dtype", None)
    out = kwargs.pop("out", None)
    if name is None or kwargs or not isinstance(array, Array):
        return NotImplemented
    return _deliver(getattr(_xp, name)(array, axis=axis, dtype=dtype), out)


def _ufunc_outer(ufunc, inputs, kwargs):
    a, b = (_as_trueno(x) for x in inputs)
    if not (isinstance(a, Array) and isinstance(b, Array)) or ufunc.nin != 2:
        return NotImplemented
    a = _xp.reshape(a, a.shape + (1,) * b.ndim)
    return _ufunc_call(ufunc, (a, b), kwargs)


_UFUNC_METHODS = {"__call__": _ufunc_call, "reduce": _ufunc_reduce, "accumulate": _ufunc_accumulate,
                  "outer": _ufunc_outer}


def _foreign(x) -> bool:
    """An operand neither trueno, NumPy nor a Python scalar (a Dask or xarray object): its own
    protocol answers, not ours."""
    return (hasattr(x, "__array_ufunc__") and not isinstance(x, (Array, np.ndarray, np.generic)))


def array_ufunc(self, ufunc, method, *inputs, **kwargs):
    """NEP 13: a NumPy ufunc (or one of its methods) called with a trueno array among its operands.

    NumPy calls it; code calls the ufunc (``np.exp(x)``). Ufuncs trueno has a
    kernel for (``UFUNCS``, ``REDUCTIONS``, ``ACCUMULATIONS``) are computed by
    trueno with the dtypes NumPy resolves; the rest (and options trueno lacks)
    by NumPy on zero-copy views, the array results turned back into trueno
    arrays.

    Parameters
    ----------
    ufunc : numpy.ufunc
        The ufunc called.
    method : str
        ``"__call__"``, ``"reduce"``, ``"accumulate"``, ``"outer"``, ``"at"``
        or ``"reduceat"``.
    *inputs : Array, numpy.ndarray or scalar
        The ufunc's operands.
    **kwargs : dict
        The ufunc's keyword arguments (``out``, ``dtype``, ``axis``, ...).

    Returns
    -------
    Array, tuple of Array or NotImplemented
        The result (written to and returned as ``out`` when given);
        NotImplemented when an operand is another library's array (a Dask
        or xarray object), whose own protocol then answers.

    Raises
    ------
    TypeError, ValueError
        As trueno's function (or NumPy's ufunc) raises them for the operands.

    Examples
    --------
    >>> import numpy as np
    >>> import trueno as xp
    >>> x = xp.asarray([1.0, 4.0])
    >>> np.sqrt(x)
    Array([1., 2.], dtype=float64)
    >>> np.add.reduce(x)
    Array(5., dtype=float64)
    >>> np.frexp(x)                     # no trueno kernel: NumPy computes it
    (Array([0.5, 0.5], dtype=float64), Array([1, 3], dtype=int32))
    """
    out = kwargs.get("out")
    if any(_foreign(x) for x in inputs + (out if type(out) is tuple else (out,))):
        return NotImplemented
    inputs = tuple(_as_trueno(x) for x in inputs)
    handler = _UFUNC_METHODS.get(method)
    result = NotImplemented
    if handler is not None:
        result = handler(ufunc, inputs, dict(kwargs))
    if result is NotImplemented:
        # NumPy computes what trueno does not (ufuncs trueno lacks, at/reduceat, where= without
        # out=, other kwargs), on views of the trueno arrays.
        function = ufunc if method == "__call__" else getattr(ufunc, method)
        return _computed_by_numpy(function, inputs, kwargs, f"numpy.{ufunc.__name__}.{method}")
    return result


# ---- NEP 18: functions -------------------------------------------------------------

def _sum(a, axis=None, dtype=None, out=None, keepdims=False, initial=np._NoValue, where=np._NoValue):
    if initial is not np._NoValue or where is not np._NoValue:
        return NotImplemented
    return _deliver(_xp.sum(_as_trueno(a), axis=axis, dtype=dtype, keepdims=keepdims), out)


def _prod(a, axis=None, dtype=None, out=None, keepdims=False, initial=np._NoValue, where=np._NoValue):
    if initial is not np._NoValue or where is not np._NoValue:
        return NotImplemented
    return _deliver(_xp.prod(_as_trueno(a), axis=axis, dtype=dtype, keepdims=keepdims), out)


def _floating(a, dtype):
    """NumPy's statistics of integers and booleans are float64; so are trueno's here."""
    a = _as_trueno(a)
    if dtype is not None:
        return _xp.astype(a, dtype)
    if a.dtype.kind in "biu":
        return _xp.astype(a, _xp.float64)
    return a


def _mean(a, axis=None, dtype=None, out=None, keepdims=False, *, where=np._NoValue):
    if where is not np._NoValue:
        return NotImplemented
    return _deliver(_xp.mean(_floating(a, dtype), axis=axis, keepdims=keepdims), out)


def _spread(function):
    def spread(a, axis=None, dtype=None, out=None, ddof=0, keepdims=False, *, where=np._NoValue,
               mean=np._NoValue, correction=np._NoValue):
        if where is not np._NoValue or mean is not np._NoValue:
            return NotImplemented
        if correction is not np._NoValue:
            ddof = correction
        return _deliver(function(_floating(a, dtype), axis=axis, correction=ddof, keepdims=keepdims), out)
    return spread


def _extremum(function):
    def extremum(a, axis=None, out=None, keepdims=False, initial=np._NoValue, where=np._NoValue):
        if initial is not np._NoValue or where is not np._NoValue:
            return NotImplemented
        return _deliver(function(_as_trueno(a), axis=axis, keepdims=keepdims), out)
    return extremum


def _truth(function):
    def truth(a, axis=None, out=None, keepdims=False, *, where=np._NoValue):
        if where is not np._NoValue:
            return NotImplemented
        return _deliver(function(_as_trueno(a), axis=axis, keepdims=keepdims), out)
    return truth


def _arg_extremum(function):
    def arg_extremum(a, axis=None, out=None, *, keepdims=False):
        return _deliver(function(_as_trueno(a), axis=axis, keepdims=keepdims), out)
    return arg_extremum


def _cumulative(function):
    def cumulative(a, axis=None, dtype=None, out=None):
        a = _as_trueno(a)
        if axis is None:
            a, axis = _xp.reshape(a, (-1,)), 0
        return _deliver(function(a, axis=axis, dtype=dtype), out)
    return cumulative


def _concatenate(arrays, axis=0, out=None, *, dtype=None, casting="same_kind"):
    arrays = [_as_trueno(x) for x in arrays]
    if dtype is not None:
        arrays = [_xp.astype(x, dtype) for x in arrays]
    return _deliver(_xp.concat(arrays, axis=axis), out)


def _stack(arrays, axis=0, out=None, *, dtype=None, casting="same_kind"):
    arrays = [_as_trueno(x) for x in arrays]
    if dtype is not None:
        arrays = [_xp.astype(x, dtype) for x in arrays]
    return _deliver(_xp.stack(arrays, axis=axis), out)


def _where(condition, x=np._NoValue, y=np._NoValue):
    if x is np._NoValue and y is np._NoValue:
        return _xp.nonzero(_as_trueno(condition))
    if x is np._NoValue or y is np._NoValue:
        raise ValueError("either both or neither of x and y should be given")
    return _xp.where(_as_trueno(condition), _as_trueno(x), _as_trueno(y))


def _reshape(a, /, shape=None, order="C", *, newshape=None, copy=None):
    if order != "C":
        return NotImplemented
    shape = newshape if shape is None else shape
    return _xp.reshape(_as_trueno(a), (shape,) if isinstance(shape, int) else tuple(shape), copy=copy)


def _transpose(a, axes=None):
    a = _as_trueno(a)
    return _xp.permute_dims(a, tuple(range(a.ndim))[::-1] if axes is None else tuple(axes))


def _squeeze(a, axis=None):
    a = _as_trueno(a)
    if axis is None:
        axis = tuple(i for i, n in enumerate(a.shape) if n == 1)
    return _xp.squeeze(a, axis=axis)


def _ravel(a, order="C"):
    if order not in ("C", "A", "K"):
        return NotImplemented
    return _xp.reshape(_as_trueno(a), (-1,))


def _swapaxes(a, axis1, axis2):
    a = _as_trueno(a)
    axes = list(range(a.ndim))
    axis1, axis2 = (_axis_index(v, a.ndim, "swapaxes", what) for v, what in ((axis1, "axis1"), (axis2, "axis2")))
    axes[axis1], axes[axis2] = axes[axis2], axes[axis1]
    return _xp.permute_dims(a, tuple(axes))


def _axis_index(axis, ndim: int, func: str, what: str) -> int:
    """``axis`` as an index into a list of ``ndim`` axes (not Python's list-index errors)."""
    if isinstance(axis, builtins.bool) or not isinstance(axis, (int, np.integer)):
        raise TypeError(f"{func}(): {what} must be an integer, got {type(axis).__name__}")
    if not -ndim <= axis < ndim:
        raise _core.AxisError(f"{func}(): {what} {axis} is out of bounds for an array of {ndim} dimensions")
    return int(axis) % ndim


def _clip(a, a_min=np._NoValue, a_max=np._NoValue, out=None, *, min=np._NoValue, max=np._NoValue, **kwargs):
    if kwargs:
        return NotImplemented
    low = min if min is not np._NoValue else (None if a_min is np._NoValue else a_min)
    high = max if max is not np._NoValue else (None if a_max is np._NoValue else a_max)
    return _deliver(_xp.clip(_as_trueno(a), _as_trueno(low), _as_trueno(high)), out)


def _like(function):
    def like(a, dtype=None, order="K", subok=True, shape=None, *, device=None):
        a = _as_trueno(a)
        if shape is not None:
            return getattr(_xp, function.__name__.replace("_like", ""))(shape, dtype=dtype or a.dtype,
                                                                        device=device or a.device)
        return function(a, dtype=dtype, device=device)
    return like


def _full_like(a, fill_value, dtype=None, order="K", subok=True, shape=None, *, device=None):
    a = _as_trueno(a)
    fill_value = fill_value.item() if isinstance(fill_value, (np.generic, np.ndarray)) else fill_value
    if shape is not None:
        return _xp.full(shape, fill_value, dtype=dtype or a.dtype, device=device or a.device)
    return _xp.full_like(a, fill_value, dtype=dtype, device=device)


def _copy(a, order="K", subok=False):
    return _xp.asarray(_as_trueno(a), copy=True)


def _take(a, indices, axis=None, out=None, mode="raise"):
    if mode != "raise":
        return NotImplemented
    a = _as_trueno(a)
    if axis is None:
        a, axis = _xp.reshape(a, (-1,)), 0
    if isinstance(indices, (int, np.integer)):
        return _deliver(a[(slice(None),) * (axis % a.ndim) + (int(indices),)], out)
    indices = _xp.asarray(_as_trueno(indices))
    if indices.ndim == 1:
        return _deliver(_xp.take(a, indices, axis=axis), out)
    flat = _xp.take(a, _xp.reshape(indices, (-1,)), axis=axis)
    axis %= a.ndim
    return _deliver(_xp.reshape(flat, a.shape[:axis] + indices.shape + a.shape[axis + 1:]), out)


def _sort(function):
    def sort(a, axis=-1, kind=None, order=None, *, stable=None):
        if order is not None:
            return NotImplemented
        a = _as_trueno(a)
        if axis is None:
            a, axis = _xp.reshape(a, (-1,)), -1
        return function(a, axis=axis, stable=bool(stable) or kind == "stable")
    return sort


def _diff(a, n=1, axis=-1, prepend=np._NoValue, append=np._NoValue):
    keywords = {}
    if prepend is not np._NoValue:
        keywords["prepend"] = _as_trueno(prepend)
    if append is not np._NoValue:
        keywords["append"] = _as_trueno(append)
    return _xp.diff(_as_trueno(a), axis=axis, n=n, **keywords)


def _norm(x, ord=None, axis=None, keepdims=False):
    x = _as_trueno(x)
    if x.dtype.kind in "biu":
        x = _xp.astype(x, _xp.float64)
    if axis is None:
        if ord is None:
            return _xp.linalg.vector_norm(x, axis=None, keepdims=keepdims)
        axis = tuple(range(x.ndim))
    if isinstance(axis, (int, np.integer)) or len(axis) == 1:
        return _xp.linalg.vector_norm(x, axis=axis, keepdims=keepdims, ord=2 if ord is None else ord)
    if len(axis) != 2:
        raise ValueError("Improper number of dimensions to norm.")
    moved = _xp.moveaxis(x, tuple(axis), (-2, -1))
    result = _xp.linalg.matrix_norm(moved, keepdims=keepdims, ord="fro" if ord is None else ord)
    if keepdims:
        result = _xp.moveaxis(result, (-2, -1), tuple(axis))
    return result


def _dot(a, b, out=None):
    a, b = _as_trueno(a), _as_trueno(b)
    if not (isinstance(a, Array) and isinstance(b, Array)) or a.ndim == 0 or b.ndim == 0:
        return _deliver(_xp.multiply(a, b), out)
    if b.ndim <= 2:
        return _deliver(_xp.matmul(a, b), out)
    return _deliver(_xp.tensordot(a, b, axes=([-1], [-2])), out)


def _tensordot(a, b, axes=2):
    return _xp.tensordot(_as_trueno(a), _as_trueno(b), axes=axes)


def _expand_dims(a, axis):
    return _xp.expand_dims(_as_trueno(a), axis=axis)


def _round(a, decimals=0, out=None):
    if decimals != 0:
        return NotImplemented
    return _deliver(_xp.round(_as_trueno(a)), out)


def _astype(x, dtype, /, *, copy=True, device=None):
    return _xp.astype(_as_trueno(x), dtype, copy=copy, device=device)


def _result_type(*arrays_and_dtypes):
    # NumPy's rules, as the caller asked NumPy: with dtypes only, NumPy does not dispatch again.
    return np.result_type(*[x.dtype if isinstance(x, Array) else x for x in arrays_and_dtypes])


def _linalg(name):
    def adapter(*args, **kwargs):
        return getattr(_xp.linalg, name)(*[_as_trueno(a) for a in args], **kwargs)
    adapter.__name__ = name
    return adapter


def _fft(name):
    def adapter(a, n=None, axis=-1, norm=None, out=None):
        keywords = {"axis": axis, "norm": "backward" if norm is None else norm}
        if n is not None:
            keywords["n"] = n
        return _deliver(getattr(_xp.fft, name)(_as_trueno(a), **keywords), out)
    return adapter


def _fftn(name, default_axes=None):
    """numpy.fft's n-d transforms (fft2, fftn, ...) and shifts, in trueno.fft's keywords: NumPy's
    ``s`` without ``axes`` means the last ``len(s)`` axes, and its 2-D forms default to the last two."""
    def adapter(a, s=None, axes=None, norm=None, out=None):
        if axes is None and s is not None:
            axes = default_axes or tuple(range(-len(s), 0))
        keywords = {"axes": default_axes if axes is None else axes, "norm": "backward" if norm is None else norm}
        if s is not None:
            keywords["s"] = s
        return _deliver(getattr(_xp.fft, name)(_as_trueno(a), **keywords), out)
    return adapter


def _fftshift(name):
    def adapter(x, axes=None):
        return getattr(_xp.fft, name)(_as_trueno(x), axes=axes)
    return adapter


# NEP 35: creation functions called with like=<trueno array> create trueno arrays.

def _array(object, dtype=None, *, copy=True, order="K", subok=False, ndmin=0, like=None):
    result = _xp.asarray(_as_trueno(object), dtype=dtype, copy=True if copy else None)
    if result.ndim < ndmin:
        result = _xp.reshape(result, (1,) * (ndmin - result.ndim) + result.shape)
    return result


def _asarray(a, dtype=None, order=None, *, device=None, copy=None, like=None):
    return _xp.asarray(_as_trueno(a), dtype=dtype, copy=copy, device=device)


def _ascontiguousarray(a, dtype=None, *, like=None):
    result = _xp.asarray(_as_trueno(a), dtype=dtype)
    if result.ndim == 0:
        return _xp.reshape(result, (1,))
    contiguous, stride = True, result.itemsize
    for n, s in zip(reversed(result.shape), reversed(result.strides)):
        contiguous &= n == 1 or s == stride
        stride *= n
    return result if contiguous else _xp.asarray(result, copy=True)


def _filled(function):
    def filled(shape, dtype=None, order="C", *, device=None, like=None):
        return function(shape, dtype=_xp.float64 if dtype is None else dtype, device=device)
    return filled


def _full(shape, fill_value, dtype=None, order="C", *, device=None, like=None):
    fill_value = _as_trueno(fill_value)
    if dtype is None and not isinstance(fill_value, Array):
        dtype = np.asarray(fill_value).dtype
    return _xp.full(shape, fill_value, dtype=dtype, device=device)


def _arange(start_or_stop, /, stop=None, step=1, dtype=None, *, device=None, like=None):
    if dtype is None:
        values = (start_or_stop, stop, step) if stop is not None else (start_or_stop, step)
        dtype = np.result_type(*[np.asarray(v) for v in values])
    return _xp.arange(start_or_stop, stop, step, dtype=dtype, device=device)


def _eye(N, M=None, k=0, dtype=float, order="C", *, device=None, like=None):
    return _xp.eye(N, M, k=k, dtype=dtype, device=device)


def _identity(n, dtype=None, *, like=None):
    return _xp.eye(n, dtype=_xp.float64 if dtype is None else dtype)


def _functions() -> dict:
    """NumPy function -> adapter that computes it with trueno."""
    xp = _xp
    table = {
        np.sum: _sum, np.prod: _prod, np.mean: _mean, np.std: _spread(xp.std), np.var: _spread(xp.var),
        np.min: _extremum(xp.min), np.max: _extremum(xp.max), np.amin: _extremum(xp.min),
        np.amax: _extremum(xp.max), np.any: _truth(xp.any), np.all: _truth(xp.all),
        np.argmax: _arg_extremum(xp.argmax), np.argmin: _arg_extremum(xp.argmin),
        np.cumsum: _cumulative(xp.cumulative_sum), np.cumprod: _cumulative(xp.cumulative_prod),
        np.concatenate: _concatenate, np.stack: _stack, np.where: _where, np.reshape: _reshape,
        np.transpose: _transpose, np.squeeze: _squeeze, np.ravel: _ravel, np.swapaxes: _swapaxes,
        np.expand_dims: _expand_dims, np.clip: _clip, np.copy: _copy, np.take: _take,
        np.sort: _sort(xp.sort), np.argsort: _sort(xp.argsort), np.diff: _diff,
        np.zeros_like: _like(xp.zeros_like), np.ones_like: _like(xp.ones_like),
        np.empty_like: _like(xp.empty_like), np.full_like: _full_like,
        np.round: _round, np.around: _round, np.dot: _dot, np.tensordot: _tensordot,
        np.result_type: _result_type, np.linalg.norm: _norm,
        np.array: _array, np.asarray: _asarray, np.asanyarray: _asarray,
        np.ascontiguousarray: _ascontiguousarray, np.empty: _filled(xp.empty), np.zeros: _filled(xp.zeros),
        np.ones: _filled(xp.ones), np.full: _full, np.arange: _arange, np.eye: _eye, np.identity: _identity,
        np.shape: lambda a: _as_trueno(a).shape, np.ndim: lambda a: _as_trueno(a).ndim,
        np.size: lambda a, axis=None: _as_trueno(a).size if axis is None else _as_trueno(a).shape[axis],
        np.broadcast_to: lambda array, shape, subok=False: xp.broadcast_to(_as_trueno(array), shape),
        np.broadcast_arrays: lambda *args, subok=False: tuple(xp.broadcast_arrays(*map(_as_trueno, args))),
        np.moveaxis: lambda a, source, destination: xp.moveaxis(_as_trueno(a), source, destination),
        np.flip: lambda m, axis=None: xp.flip(_as_trueno(m), axis=axis),
        np.roll: lambda a, shift, axis=None: xp.roll(_as_trueno(a), shift, axis=axis),
        np.tile: lambda A, reps: xp.tile(_as_trueno(A), (reps,) if isinstance(reps, int) else tuple(reps)),
        np.nonzero: lambda a: xp.nonzero(_as_trueno(a)),
        np.count_nonzero: lambda a, axis=None, *, keepdims=False: xp.count_nonzero(
            _as_trueno(a), axis=axis, keepdims=keepdims),
        np.take_along_axis: lambda arr, indices, axis: xp.take_along_axis(
            _as_trueno(arr), _as_trueno(indices), axis=axis),
        np.searchsorted: lambda a, v, side="left", sorter=None: xp.searchsorted(
            _as_trueno(a), _as_trueno(v), side=side, sorter=_as_trueno(sorter)),
        np.isin: lambda element, test_elements, assume_unique=False, invert=False, *, kind=None: xp.isin(
            _as_trueno(element), _as_trueno(test_elements), invert=invert),
        np.tril: lambda m, k=0: xp.tril(_as_trueno(m), k=k),
        np.triu: lambda m, k=0: xp.triu(_as_trueno(m), k=k),
        np.real: lambda val: xp.real(_as_trueno(val)) if _as_trueno(val).dtype.kind == "c" else _as_trueno(val),
        np.imag: lambda val: xp.imag(_as_trueno(val)) if _as_trueno(val).dtype.kind == "c" else xp.zeros_like(
            _as_trueno(val)),
    }
    if hasattr(np, "astype"):
        table[np.astype] = _astype
    for name in ("inv", "det", "solve", "cholesky", "eigh", "eigvalsh", "qr", "slogdet", "svd",
                 "pinv", "matrix_rank", "matrix_power", "eig", "eigvals", "outer", "cross", "svdvals",
                 "matrix_norm", "vector_norm", "diagonal", "trace", "matrix_transpose", "vecdot",
                 "tensordot", "matmul"):
        numpy_function = getattr(np.linalg, name, None)
        if numpy_function is not None and hasattr(numpy_function, "_implementation"):
            table[numpy_function] = _linalg(name)
    for name in ("fft", "ifft", "rfft", "irfft", "hfft", "ihfft"):
        numpy_function = _resolve("fft." + name)
        if numpy_function is not None:
            table[numpy_function] = _fft(name)
    for name in ("fftn", "ifftn", "rfftn", "irfftn"):
        for numpy_name, default_axes in ((name, None), (name[:-1] + "2", (-2, -1))):
            numpy_function = _resolve("fft." + numpy_name)
            if numpy_function is not None:
                table[numpy_function] = _fftn(name, default_axes)
    for name in ("fftshift", "ifftshift"):
        numpy_function = _resolve("fft." + name)
        if numpy_function is not None:
            table[numpy_function] = _fftshift(name)
    return table


# NumPy functions outside the standard that trueno has no kernel for: NumPy computes them on
# zero-copy views and their array results come back as trueno arrays. Those that only read
# (may_share_memory, shares_memory, array_equal, ...) answer for trueno's memory exactly.
NUMPY_FALLBACKS = (
    "allclose", "isclose", "array_equal", "array_equiv", "may_share_memory", "shares_memory",
    "percentile", "quantile", "median", "average", "ptp", "histogram", "bincount", "digitize",
    "nansum", "nanprod", "nanmean", "nanstd", "nanvar", "nanmin", "nanmax", "nanargmin",
    "nanargmax", "nancumsum", "nancumprod", "nanmedian", "nanpercentile", "nanquantile",
    "nan_to_num", "unique", "einsum", "outer", "inner", "kron", "cross", "trace", "diagonal",
    "diag", "interp", "convolve", "correlate", "cov", "corrcoef", "gradient", "pad", "append",
    "insert", "delete", "split", "array_split", "vstack", "hstack", "dstack", "column_stack",
    "block", "atleast_1d", "atleast_2d", "atleast_3d", "meshgrid", "repeat", "select",
    "piecewise", "vdot", "argwhere", "flatnonzero", "lexsort", "partition", "argpartition",
    "ravel_multi_index", "unravel_index", "fix", "sinc", "i0", "angle", "iscomplexobj",
    "isrealobj", "iscomplex", "isreal", "linalg.lstsq", "linalg.cond", "linalg.multi_dot",
    "linalg.tensorinv", "linalg.tensorsolve", "einsum_path", "apply_along_axis", "apply_over_axes", "rot90", "fliplr", "flipud",
    "tril_indices_from", "triu_indices_from", "diag_indices_from", "put", "put_along_axis", "place",
    "putmask", "copyto", "fill_diagonal", "trapezoid", "cumulative_sum", "cumulative_prod",
    "matrix_transpose", "unstack", "logspace", "geomspace", "polyval", "polyfit", "ediff1d",
    "intersect1d", "union1d", "setdiff1d", "setxor1d", "in1d", "unique_all", "unique_counts",
    "unique_inverse", "unique_values", "sort_complex", "msort", "round_",
    "can_cast", "min_scalar_type", "common_type",
)


def _resolve(dotted: str):
    """``numpy.<dotted>``, or None where NumPy lacks it or cannot give it: trueno's own
    functions never need NumPy's (tests/test_fft_native.py imports trueno with a
    numpy.fft whose every attribute raises), so interop is only left out then."""
    target = np
    for part in dotted.split("."):
        try:
            target = getattr(target, part, None)
        except Exception:
            return None
        if target is None:
            return None
    return target


_FUNCTIONS: dict = {}
NDARRAY_METHODS: tuple = ()  # the ndarray methods install() gave trueno.Array
_FALLBACK_FUNCTIONS: frozenset = frozenset()


def array_function(self, func, types, args, kwargs):
    """NEP 18: a NumPy function called with a trueno array among its arguments.

    NumPy calls it; code calls the function (``np.concatenate([x, y])``).
    Functions of ``FUNCTIONS`` are computed by trueno (adapted from NumPy's
    signature to the array API's), those of ``NUMPY_FALLBACKS`` by NumPy on
    zero-copy views, the array results turned back into trueno arrays; for
    any other NumPy raises its TypeError ("no implementation found").

    Parameters
    ----------
    func : callable
        The NumPy function called.
    types : collection of type
        The types of the arguments that implement ``__array_function__``.
    args : tuple
        The function's positional arguments.
    kwargs : dict
        The function's keyword arguments.

    Returns
    -------
    object or NotImplemented
        The function's result (trueno arrays where NumPy gives arrays);
        NotImplemented for a function trueno does not compute, or when
        another library's array (Dask, xarray) is among the arguments.

    Raises
    ------
    TypeError, ValueError
        As trueno's function (or NumPy's) raises them for the arguments.

    Examples
    --------
    >>> import numpy as np
    >>> import trueno as xp
    >>> x = xp.asarray([1.0, 4.0])
    >>> np.concatenate([x, x])
    Array([1., 4., 1., 4.], dtype=float64)
    >>> np.median(x)                    # a fallback: NumPy computes it
    Array(2.5, dtype=float64)
    >>> np.trim_zeros(x)
    Traceback (most recent call last):
    ...
    TypeError: no implementation found for 'numpy.trim_zeros' on types that implement __array_function__: [<class 'trueno._core.Array'>]
    """
    for t in types:
        if not (issubclass(t, Array) or issubclass(t, np.ndarray)):
            return NotImplemented  # a Dask or xarray object among them: its protocol answers
    adapter = _FUNCTIONS.get(func)
    kwargs.pop("like", None)  # (NEP 35: the array that chose trueno)
    if adapter is not None:
        result = adapter(*args, **kwargs)
        if result is not NotImplemented:
            return result
        return _computed_by_numpy(func, args, kwargs, f"numpy.{func.__name__}")
    if func in _FALLBACK_FUNCTIONS:
        return _computed_by_numpy(func, args, kwargs, f"numpy.{func.__name__}")
    return NotImplemented


# ---- ndarray methods that NumPy code and engines call ---------------------------------

def _method_reshape(self, *shape, order="C", copy=None):
    if len(shape) == 1 and not isinstance(shape[0], (int, np.integer)):
        shape = tuple(shape[0])
    return _reshape(self, shape, order=order, copy=copy)


def _method_transpose(self, *axes):
    if len(axes) == 1 and (axes[0] is None or not isinstance(axes[0], (int, np.integer))):
        axes = axes[0]
    return _transpose(self, axes or None)


def _method_astype(self, dtype, order="K", casting="unsafe", subok=True, copy=True):
    return _xp.astype(self, dtype, copy=copy)


def _method_fill(self, value):
    self[...] = value


def _method_sort(self, axis=-1, kind=None, order=None, *, stable=None):
    result = _sort(_xp.sort)(self, axis=axis, kind=kind, order=order, stable=stable)
    if result is NotImplemented:  # (order=, for structured arrays)
        return result
    self[...] = result


def _method_nonzero(self):
    return _xp.nonzero(self)


def _methods() -> dict:
    extremum_max, extremum_min = _extremum(_xp.max), _extremum(_xp.min)
    return {
        "astype": _method_astype, "reshape": _method_reshape, "transpose": _method_transpose,
        "copy": lambda self, order="C": _copy(self), "squeeze": _squeeze, "ravel": _ravel,
        "flatten": lambda self, order="C": _xp.reshape(self, (-1,), copy=True),
        "sum": _sum, "prod": _prod, "mean": _mean, "std": _spread(_xp.std), "var": _spread(_xp.var),
        "min": extremum_min, "max": extremum_max, "any": _truth(_xp.any), "all": _truth(_xp.all),
        "argmax": _arg_extremum(_xp.argmax), "argmin": _arg_extremum(_xp.argmin),
        "cumsum": _cumulative(_xp.cumulative_sum), "cumprod": _cumulative(_xp.cumulative_prod),
        "clip": _clip, "round": _round, "conj": lambda self: _xp.conj(self),
        "conjugate": lambda self: _xp.conj(self), "dot": _dot, "nonzero": _method_nonzero,
        "fill": _method_fill, "swapaxes": _swapaxes, "take": _take, "sort": _method_sort,
        "argsort": _sort(_xp.argsort), "searchsorted": lambda self, v, side="left", sorter=None:
            _xp.searchsorted(self, _as_trueno(v), side=side, sorter=_as_trueno(sorter)),
        "repeat": lambda self, repeats, axis=None: _xp.repeat(self, _as_trueno(repeats), axis=axis),
    }


def install(namespace) -> None:
    """Binds the protocols and ndarray methods to trueno.Array (after the namespace is loaded)."""
    global _xp, _FUNCTIONS, _FALLBACK_FUNCTIONS, NDARRAY_METHODS
    _xp = namespace
    _FUNCTIONS = _functions()
    _FALLBACK_FUNCTIONS = frozenset(f for f in map(_resolve, NUMPY_FALLBACKS) if f is not None)
    Array.__array_ufunc__ = array_ufunc
    Array.__array_function__ = array_function
    # NumPy defers to a higher priority in mixed operations that have no ufunc
    # (and Dask reads it to choose the chunk type of a mixed result).
    Array.__array_priority__ = 20.0
    installed = []
    for name, method in _methods().items():
        if hasattr(Array, name):
            continue  # the standard's own (e.g. a future Array.sum) wins
        setattr(Array, name, _as_method(name, method))
        installed.append(name)
    NDARRAY_METHODS = tuple(installed)
    Array.real = property(lambda self: _xp.real(self) if self.dtype.kind == "c" else self,
                          doc="The real part (the array itself when it is real), as ndarray.real.")
    Array.imag = property(lambda self: _xp.imag(self) if self.dtype.kind == "c" else _xp.zeros_like(self),
                          doc="The imaginary part (zeros when real), as ndarray.imag.")


_NAMED = re.compile(r"^[\w.]+\(\)")


def _named(error: Exception, name: str, function) -> Exception:
    """``error`` (from an ndarray method's adapter) with a message that names ``Array.<name>``.

    Python words a call that does not fit the adapter after the adapter
    (``_spread.<locals>.spread() got an unexpected keyword argument``), and the
    adapters' own checks (``out must be ...``) and NumPy's (``list index out of
    range``) name no function; a message that already starts with one
    (``cumulative_sum(): axis ...``) is left as it is. Only the built-in kinds
    are reworded (a subclass may take other constructor arguments)."""
    message = str(error)
    code = getattr(function, "__code__", None)
    for prefix in (getattr(code, "co_qualname", None), getattr(code, "co_name", None)):
        if prefix and message.startswith(prefix + "() "):
            return type(error)(f"Array.{name}(){message[len(prefix) + 2:]}")
    if type(error) in (TypeError, ValueError, IndexError) and not _NAMED.match(message):
        return type(error)(f"Array.{name}(): {message}")
    return error


def _as_method(name: str, function):
    """``function`` renamed as ``Array.<name>``, so that it pickles by reference (trueno.Array.<name>)."""
    import functools

    @functools.wraps(function)
    def method(self, *args, **kwargs):
        try:
            result = function(self, *args, **kwargs)
        except (TypeError, ValueError, IndexError) as e:
            raise _named(e, name, function) from None
        if result is NotImplemented:
            given = [repr(a) for a in args] + [f"{k}={v!r}" for k, v in kwargs.items()]
            raise TypeError(f"Array.{name}(): trueno does not support these arguments: {', '.join(given)}")
        return result

    method.__name__ = name
    # the adapter's signature, its first parameter (the array) named self
    signature = inspect.signature(function)
    first, *rest = signature.parameters.values()
    method.__signature__ = signature.replace(parameters=[first.replace(name="self"), *rest])
    method.__doc__ = _docstrings.ndarray_method_doc(name, method.__signature__)
    method.__qualname__ = f"Array.{name}"
    method.__module__ = "trueno"
    return method

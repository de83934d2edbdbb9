"""Argument checks and result wrapping shared by the Python-level modules.

``func`` is always the function's full name as it appears in messages
(``"vecdot"``, ``"linalg.cross"``, ``"fft.rfft"``); each message starts with
``f"{func}(): "``.
"""
from __future__ import annotations

import builtins
import functools
import operator
import re

import numpy as _np

from . import _core
from ._core import Array, AxisError


_LEADING_NAME = re.compile(r"^[\w.]+\(\): ")


def reports_as(func: str):
    """Decorate a function composed of other public functions so that the
    errors they raise name ``func``, the function the user called: ``tile``
    builds its result with ``broadcast_to`` and ``reshape``, and
    "broadcast_to(): shape ... has more elements than fit in int64" would
    send the user looking for a call they never wrote. The error keeps its
    type and the rest of its message; the success path costs one call.
    """
    def decorate(f):
        @functools.wraps(f)
        def wrapper(*args, **kwargs):
            try:
                return f(*args, **kwargs)
            except (ValueError, MemoryError, OverflowError, IndexError) as exc:
                message = str(exc) if len(exc.args) == 1 else None
                if message is None or message.startswith(func + "(): "):
                    raise
                renamed = _LEADING_NAME.sub(func + "(): ", message, count=1)
                if renamed == message:
                    renamed = f"{func}(): {message}"
                try:
                    replacement = type(exc)(renamed)
                except Exception:  # an exception type with another constructor
                    raise exc from None
                raise replacement.with_traceback(exc.__traceback__) from None
        return wrapper
    return decorate


def require_array(x, func: str, argname: str = "x") -> None:
    """Raise ``TypeError`` naming ``argname`` unless ``x`` is a trueno array."""
    if not isinstance(x, Array):
        raise TypeError(f"{func}(): {argname} must be a trueno array, got {type(x).__name__}")


def as_int(value, func: str, what: str) -> int:
    """``operator.index(value)``, rejecting bool; ``TypeError`` naming ``what`` otherwise."""
    if isinstance(value, builtins.bool):
        raise TypeError(f"{func}(): {what} must be an integer, got bool")
    try:
        return operator.index(value)
    except TypeError:
        raise TypeError(f"{func}(): {what} must be an integer, got {type(value).__name__}") from None


def as_bool(value, func: str, what: str) -> bool:
    """A bool (Python's or NumPy's); ``TypeError`` naming ``what`` otherwise (as the native
    functions' ``to_bool``: 1 or an array is no bool)."""
    if isinstance(value, (builtins.bool, _np.bool_)):
        return builtins.bool(value)
    raise TypeError(f"{func}(): {what} must be a bool, got {type(value).__name__}")


def from_numpy(a, dtype_name: str) -> Array:
    """A trueno array holding ``a`` (NumPy array or scalar) as ``dtype_name``."""
    a = _np.asarray(a)
    if a.dtype.name != dtype_name:
        a = a.astype(dtype_name)
    if not a.flags.c_contiguous:
        a = _np.ascontiguousarray(a)  # (never applied to 0-d arrays, which it would make 1-d)
    return _core.asarray(a)


def vector_axis(axis, x1: Array, x2: Array, func: str) -> int:
    """The negative form of the vector ``axis`` shared by ``x1`` and ``x2`` (``vecdot``, ``cross``).

    The spec requires a negative axis in ``[-min(x1.ndim, x2.ndim), -1]``; a
    non-negative axis is accepted only when both arrays have the same rank.
    Both arrays must have at least one dimension.
    """
    axis = as_int(axis, func, "axis")
    if x1.ndim == 0 or x2.ndim == 0:
        raise ValueError(f"{func}(): x1 and x2 must have at least one dimension")
    if axis >= 0:
        if x1.ndim != x2.ndim or axis >= x1.ndim:
            raise ValueError(
                f"{func}(): axis {axis} is invalid for arrays with {x1.ndim} and {x2.ndim} dimensions "
                "(use a negative axis)"
            )
        return axis - x1.ndim
    if axis < -builtins.min(x1.ndim, x2.ndim):
        raise AxisError(
            f"{func}(): axis {axis} is out of bounds for arrays with {x1.ndim} and {x2.ndim} dimensions"
        )
    return axis

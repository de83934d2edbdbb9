"""Utility Functions (spec section "Utility Functions").

all and any are native functions; diff is composed in Python from slicing,
subtract and concat.
"""
from __future__ import annotations

from ._core import AxisError

from ._core import Array as _Array
from ._core import all, any
from ._core import asarray as _asarray
from ._core import broadcast_to as _broadcast_to
from ._core import concat as _concat
from ._core import not_equal as _not_equal
from ._core import subtract as _subtract
from ._validation import as_int as _as_int
from ._validation import reports_as as _reports_as

__all__ = ["all", "any", "diff"]


def _as_edge(value, x, axis, name):
    """prepend/append as an array matching x on every axis but `axis`."""
    if not isinstance(value, _Array):
        if isinstance(value, (bool, int, float, complex)):
            try:
                value = _asarray(value, dtype=x.dtype) if not isinstance(value, complex) else _asarray(value)
            except OverflowError:
                raise OverflowError(f"diff(): {name} is the Python integer {value}, which cannot be "
                                    f"converted to x's dtype {x.dtype}") from None
        else:
            raise TypeError(f"diff(): {name} must be an array or a Python scalar, got {type(value).__name__}")
    if value.ndim == 0:
        shape = list(x.shape)
        shape[axis] = 1
        value = _broadcast_to(value, tuple(shape))
    return value


@_reports_as("diff")
def diff(x, /, n=1, axis=-1, *, prepend=None, append=None):
    """n-th discrete difference along `axis`: out[i] = x[i+1] - x[i].

    The spec's signature is ``diff(x, /, *, axis=-1, n=1, prepend=None,
    append=None)``; ``n`` and ``axis`` may also be given positionally, in
    NumPy's order (``diff(x, 2)``).

    Parameters
    ----------
    x : Array
        Input array.
    n : int, optional
        How many times to take differences (default 1).
    axis : int, optional
        The axis along which to take them (default -1).
    prepend, append : Array or scalar, optional
        Values joined to x along axis before differencing.

    Returns
    -------
    Array
        The n-th differences, n shorter along axis.

    Raises
    ------
    ValueError
        If n is negative.
    AxisError
        If axis is out of bounds for x.

    Examples
    --------
    >>> import trueno as xp
    >>> xp.diff(xp.asarray([1, 4, 9]))
    Array([3, 5], dtype=int64)
    """
    if not isinstance(x, _Array):
        raise TypeError(f"diff(): x must be a trueno array, got {type(x).__name__}")
    n = _as_int(n, "diff", "n")
    axis = _as_int(axis, "diff", "axis")
    if x.ndim == 0:
        raise ValueError("diff(): x must have at least one dimension")
    if not -x.ndim <= axis < x.ndim:
        raise AxisError(f"diff(): axis {axis} is out of bounds for an array of {x.ndim} dimensions")
    if axis < 0:
        axis += x.ndim
    if n < 0:
        raise ValueError(f"diff(): n must be non-negative, got {n}")
    if n == 0:
        return x
    if prepend is not None or append is not None:
        parts = []
        if prepend is not None:
            parts.append(_as_edge(prepend, x, axis, "prepend"))
        parts.append(x)
        if append is not None:
            parts.append(_as_edge(append, x, axis, "append"))
        x = _concat(parts, axis=axis)
    head = (slice(None),) * axis
    op = _not_equal if x.dtype == _asarray(True).dtype else _subtract
    for _ in range(n):
        if x.shape[axis] == 0:
            break
        x = op(x[head + (slice(1, None),)], x[head + (slice(None, -1),)])
    return x

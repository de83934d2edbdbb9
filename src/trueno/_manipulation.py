"""Manipulation functions (spec section "Manipulation Functions")."""
from __future__ import annotations

from ._core import AxisError

import builtins

from . import _core
from ._core import Array, broadcast_to, flip, permute_dims, reshape, stack, asarray
from ._validation import as_int, reports_as

__all__ = [
    "broadcast_arrays", "broadcast_shapes", "broadcast_to", "concat", "expand_dims", "flip",
    "moveaxis", "permute_dims", "repeat", "reshape", "roll", "squeeze", "stack", "tile", "unstack",
]


_INT64_MAX = 2**63 - 1


def _broadcast_shape(shapes, func) -> tuple:
    result: list = []
    for shape in shapes:
        shape = tuple(shape)
        for d in shape:
            if not isinstance(d, int) or isinstance(d, builtins.bool) or d < 0:
                if d is None:
                    raise ValueError(f"{func}(): unknown (None) dimensions are not supported")
                raise TypeError(f"{func}(): dimensions must be non-negative ints, got {d!r}")
        n = builtins.max(len(result), len(shape))
        a = [1] * (n - len(result)) + result
        b = [1] * (n - len(shape)) + list(shape)
        merged = []
        for da, db in zip(a, b):
            if da == db or db == 1:
                merged.append(da)
            elif da == 1:
                merged.append(db)
            else:
                raise ValueError(f"{func}(): shapes {tuple(a)} and {shape} cannot be broadcast together")
        result = merged
    # No array may have more elements than int64 holds; a zero-size one's
    # other dimensions count too (NumPy's rule: its strides come from them).
    size = 1
    for d in result:
        size *= builtins.max(d, 1)
    if size > _INT64_MAX:
        raise ValueError(f"{func}(): the shapes broadcast to {tuple(result)}, "
                         "which has more elements than fit in int64")
    return tuple(result)


def broadcast_shapes(*shapes) -> tuple:
    """The shape that ``shapes`` broadcast to (ValueError if they do not).

    Parameters
    ----------
    *shapes : tuple of int
        The shapes to broadcast.

    Returns
    -------
    tuple of int
        The broadcast shape.

    Raises
    ------
    ValueError
        If the shapes cannot be broadcast together.

    Examples
    --------
    >>> import trueno as xp
    >>> xp.broadcast_shapes((2, 1), (3,))
    (2, 3)
    """
    return _broadcast_shape(shapes, "broadcast_shapes")


def broadcast_arrays(*arrays) -> tuple:
    """Views of all arrays broadcast to one shape.

    Parameters
    ----------
    *arrays : Array
        The arrays to broadcast.

    Returns
    -------
    tuple of Array
        Read-only views of the arrays, all of the broadcast shape.

    Raises
    ------
    ValueError
        If the shapes cannot be broadcast together.

    Examples
    --------
    >>> import trueno as xp
    >>> a, b = xp.broadcast_arrays(xp.asarray([1, 2]), xp.asarray([[0], [1]]))
    >>> a.shape, b.shape
    ((2, 2), (2, 2))
    """
    for i, a in enumerate(arrays):
        if not isinstance(a, Array):
            raise TypeError(f"broadcast_arrays(): argument {i} must be a trueno array, got {type(a).__name__}")
    shape = _broadcast_shape([a.shape for a in arrays], "broadcast_arrays")
    size = 1
    for d in shape:
        size *= builtins.max(d, 1)
    for a in arrays:
        if size * a.dtype.itemsize > _INT64_MAX:
            raise ValueError(f"broadcast_arrays(): shape {shape} of {a.dtype} needs more bytes "
                             "than fit in int64")
    return tuple(broadcast_to(a, shape) for a in arrays)


def _int_tuple(value, func, name) -> tuple:
    """An int or a tuple/list of ints as a tuple; TypeError naming ``name`` otherwise."""
    items = tuple(value) if isinstance(value, (tuple, list)) else (value,)
    return tuple(as_int(v, func, name) for v in items)


def _axis_tuple(axis, ndim, func):
    if axis is None:
        return None
    out = []
    for a in _int_tuple(axis, func, "axis"):
        if not -ndim <= a < ndim:
            raise AxisError(f"{func}(): axis {a} is out of bounds for an array of {ndim} dimensions")
        out.append(a % ndim)
    return tuple(out)


def _one_axis(axis, ndim, func) -> int:
    """A single axis (an int, not a tuple), normalised."""
    axis = as_int(axis, func, "axis")
    if not -ndim <= axis < ndim:
        raise AxisError(f"{func}(): axis {axis} is out of bounds for an array of {ndim} dimensions")
    return axis % ndim


@reports_as("roll")
def roll(x, /, shift, *, axis=None):
    """Roll elements along ``axis`` (flattened when None) by ``shift``.

    Parameters
    ----------
    x : Array
        Input array.
    shift : int or tuple of int
        How far to roll (one per axis with a tuple of axes).
    axis : int or tuple of int, optional
        The axes to roll; None, the default, rolls the flattened array.

    Returns
    -------
    Array
        x rolled: elements leaving one end come back at the other.

    Raises
    ------
    AxisError
        If an axis is out of bounds for x.

    Examples
    --------
    >>> import trueno as xp
    >>> xp.roll(xp.asarray([1, 2, 3]), 1)
    Array([3, 1, 2], dtype=int64)
    """
    if not isinstance(x, Array):
        raise TypeError(f"roll(): x must be a trueno array, got {type(x).__name__}")
    if axis is None:
        return reshape(roll(reshape(x, (-1,)), shift, axis=0), x.shape)
    axes = _axis_tuple(axis, x.ndim, "roll")
    shifts = _int_tuple(shift, "roll", "shift")
    if not isinstance(shift, (tuple, list)):
        shifts *= len(axes)
    if len(shifts) != len(axes):
        raise ValueError("roll(): shift and axis must have the same length")
    out = x
    for s, ax in zip(shifts, axes):
        n = out.shape[ax]
        if n == 0:
            continue
        s %= n
        if s == 0:
            continue
        head = tuple(slice(None) if k != ax else slice(n - s, None) for k in range(out.ndim))
        tail = tuple(slice(None) if k != ax else slice(0, n - s) for k in range(out.ndim))
        out = concat([out[head], out[tail]], axis=ax)
    return out if out is not x else asarray(x, copy=True)


@reports_as("repeat")
def repeat(x, repeats, /, *, axis=None):
    """Repeat each element ``repeats`` times (an int or a 1-D integer array) along ``axis``.

    Parameters
    ----------
    x : Array
        Input array.
    repeats : int or Array
        How often each element repeats (one count, or one per element along axis).
    axis : int, optional
        The axis to repeat along; None, the default, flattens x first.

    Returns
    -------
    Array
        The repeated elements.

    Raises
    ------
    ValueError
        If a count is negative.

    Examples
    --------
    >>> import trueno as xp
    >>> xp.repeat(xp.asarray([1, 2]), 2)
    Array([1, 1, 2, 2], dtype=int64)
    """
    from ._core import arange, cumulative_sum, full, int64, max as amax, min as amin, searchsorted, take
    from ._data_type import isdtype

    if not isinstance(x, Array):
        raise TypeError(f"repeat(): x must be a trueno array, got {type(x).__name__}")
    if axis is None:
        x = reshape(x, (-1,))
        axis = 0
    axis = _one_axis(axis, x.ndim, "repeat")
    n = x.shape[axis]
    if isinstance(repeats, Array):
        if not isdtype(repeats.dtype, "integral"):
            raise TypeError("repeat(): repeats must have an integer dtype")
        if repeats.ndim > 1:
            raise ValueError("repeat(): repeats must be 0-D or 1-D")
        counts = repeats if repeats.ndim == 1 and repeats.shape[0] != 1 else broadcast_to(reshape(repeats, (-1,)), (n,))
    elif isinstance(repeats, int) and not isinstance(repeats, builtins.bool):
        if repeats > 2**63 - 1 or (n and repeats > (2**63 - 1) // n):
            raise ValueError("repeat(): the result would have more elements than fit in int64")
        if x.size == 0 and repeats >= 0:
            # nothing to take: no counts array as long as a (possibly huge) empty axis
            from ._core import empty
            shape = list(x.shape)
            shape[axis] = n * repeats
            return empty(tuple(shape), dtype=x.dtype, device=x.device)
        counts = full((n,), repeats, dtype=int64)
    else:
        raise TypeError("repeat(): repeats must be an int or an integer array")
    if counts.shape[0] != n:
        raise ValueError(f"repeat(): repeats has {counts.shape[0]} entries for an axis of length {n}")
    if n and int(amin(counts)) < 0:
        raise ValueError("repeat(): repeats must be non-negative")
    # Output position j takes input element searchsorted(ends, j, 'right'),
    # where ends are the running totals of the counts: all native, no Python loop.
    if n and int(amax(counts)) > (2**63 - 1) // n:
        # The running totals could wrap around in int64: add up exactly first.
        if builtins.sum(int(c) for c in counts) > 2**63 - 1:
            raise ValueError("repeat(): the result would have more elements than fit in int64")
    ends = cumulative_sum(counts, dtype=int64)
    total = int(ends[-1]) if n else 0
    index = searchsorted(ends, arange(total, dtype=int64), side="right")
    return take(x, index, axis=axis)


@reports_as("tile")
def tile(x, repetitions, /):
    """Construct an array by repeating ``x`` the number of times given by ``repetitions``.

    Parameters
    ----------
    x : Array
        Input array.
    repetitions : tuple of int
        Copies along each axis.

    Returns
    -------
    Array
        x repeated as a tile.

    Raises
    ------
    ValueError
        If a repetition is negative.

    Examples
    --------
    >>> import trueno as xp
    >>> xp.tile(xp.asarray([1, 2]), (2,))
    Array([1, 2, 1, 2], dtype=int64)
    """
    if not isinstance(x, Array):
        raise TypeError(f"tile(): x must be a trueno array, got {type(x).__name__}")
    if not isinstance(repetitions, (tuple, list)):
        raise TypeError(f"tile(): repetitions must be a tuple of ints, got {type(repetitions).__name__}")
    reps = []
    for r in repetitions:
        if isinstance(r, builtins.bool) or not hasattr(r, "__index__"):
            raise TypeError(f"tile(): repetitions must be ints, got {type(r).__name__}")
        r = r.__index__()
        if r < 0:
            raise ValueError("tile(): repetitions must be non-negative")
        reps.append(r)
    n = builtins.max(len(reps), x.ndim)
    reps = [1] * (n - len(reps)) + reps
    shape = (1,) * (n - x.ndim) + x.shape
    # (r0, d0, r1, d1, ...) broadcast view, then one copying reshape: sizes are
    # checked (ValueError / MemoryError) before anything is allocated.
    inter = tuple(v for d in shape for v in (1, d))
    target = tuple(v for r, d in zip(reps, shape) for v in (r, d))
    out = broadcast_to(reshape(x, inter), target)
    return reshape(out, tuple(r * d for r, d in zip(reps, shape)), copy=True)


def unstack(x, /, *, axis=0):
    """Split ``x`` into a tuple of arrays along ``axis``.

    Parameters
    ----------
    x : Array
        Input array.
    axis : int, optional
        The axis to split along (default 0).

    Returns
    -------
    tuple of Array
        Views of x, one per index along axis.

    Raises
    ------
    ValueError
        If x is 0-D.

    Examples
    --------
    >>> import trueno as xp
    >>> xp.unstack(xp.asarray([[1, 2], [3, 4]]))
    (Array([1, 2], dtype=int64), Array([3, 4], dtype=int64))
    """
    if not isinstance(x, Array):
        raise TypeError(f"unstack(): x must be a trueno array, got {type(x).__name__}")
    if x.ndim == 0:
        raise ValueError("unstack(): x must have at least one dimension")
    ax = _one_axis(axis, x.ndim, "unstack")
    return tuple(x[(slice(None),) * ax + (i,)] for i in range(x.shape[ax]))

# Functions defined in Python only to forward to the native one: nanobind
# functions are not introspectable (inspect.signature fails), and these
# rarely sit in hot loops, so their spec signature is worth ~0.1 us a call.


def concat(arrays, /, *, axis=0):
    """Join a sequence of arrays along an existing axis (flattened when axis is None).

    Parameters
    ----------
    arrays : sequence of Array
        The arrays, of one shape except along axis.
    axis : int or None, optional
        The axis to join along (default 0); None flattens the arrays first.

    Returns
    -------
    Array
        The joined array, of the dtype the arrays promote to.

    Raises
    ------
    ValueError
        If arrays is empty or the shapes differ outside axis.
    AxisError
        If axis is out of bounds.
    TypeError
        If an element is not a trueno array, or the dtypes have no promotion.

    Examples
    --------
    >>> import trueno as xp
    >>> xp.concat([xp.asarray([1, 2]), xp.asarray([3])])
    Array([1, 2, 3], dtype=int64)
    """
    return _core.concat(arrays, axis=axis)


def expand_dims(x, /, axis=0):
    """A view of ``x`` with size-1 axes inserted at ``axis`` (an int or tuple).

    Parameters
    ----------
    x : Array
        Input array.
    axis : int or tuple of int, optional
        Where the new axes of size one go in the result (default 0).

    Returns
    -------
    Array
        A view of x with the added axes.

    Raises
    ------
    AxisError
        If an axis is out of bounds for the result.

    Examples
    --------
    >>> import trueno as xp
    >>> xp.expand_dims(xp.zeros(2), axis=0).shape
    (1, 2)
    """
    return _core.expand_dims(x, axis=axis)


def moveaxis(x, source, destination, /):
    """A view of ``x`` with axes moved from ``source`` to ``destination``.

    Parameters
    ----------
    x : Array
        Input array.
    source : int or tuple of int
        The axes to move.
    destination : int or tuple of int
        Where they go.

    Returns
    -------
    Array
        A view of x with the axes moved.

    Raises
    ------
    AxisError
        If an axis is out of bounds for x.

    Examples
    --------
    >>> import trueno as xp
    >>> xp.moveaxis(xp.zeros((2, 3, 4)), 0, -1).shape
    (3, 4, 2)
    """
    return _core.moveaxis(x, source, destination)


def squeeze(x, /, axis=None):
    """A view of ``x`` without the size-1 axes ``axis`` (all of them when None, as NumPy).

    Parameters
    ----------
    x : Array
        Input array.
    axis : int or tuple of int
        The axes (each of size one) to remove.

    Returns
    -------
    Array
        A view of x without those axes.

    Raises
    ------
    ValueError
        If an axis does not have size one.
    AxisError
        If an axis is out of bounds for x.

    Examples
    --------
    >>> import trueno as xp
    >>> xp.squeeze(xp.zeros((1, 2)), axis=0).shape
    (2,)
    """
    return _core.squeeze(x, axis=axis)

"""Indexing functions (spec section "Indexing Functions")."""
from __future__ import annotations

from ._core import AxisError, take
from ._validation import as_int, require_array

__all__ = ["take", "take_along_axis"]


def take_along_axis(x, indices, /, *, axis=-1):
    """Pick values from ``x`` at ``indices`` along ``axis`` (shapes broadcast elsewhere).

    Parameters
    ----------
    x : Array
        Input array.
    indices : Array
        Integer indices, of x's number of dimensions (broadcast against x but along axis).
    axis : int, optional
        The axis to take along (default -1).

    Returns
    -------
    Array
        The elements of x at indices along axis.

    Raises
    ------
    IndexError
        If an index is out of bounds.

    Examples
    --------
    >>> import trueno as xp
    >>> xp.take_along_axis(xp.asarray([[3, 1], [2, 4]]), xp.asarray([[1], [0]]), axis=1)
    Array([[1],
           [2]], dtype=int64)
    """
    from ._core import arange, reshape, int64

    require_array(x, "take_along_axis", "x")
    require_array(indices, "take_along_axis", "indices")
    axis = as_int(axis, "take_along_axis", "axis")
    if x.ndim != indices.ndim:
        raise ValueError("take_along_axis(): x and indices must have the same number of dimensions")
    if not -x.ndim <= axis < x.ndim:
        raise AxisError(f"take_along_axis(): axis {axis} is out of bounds for an array of {x.ndim} dimensions")
    axis %= x.ndim
    index = []
    for k in range(x.ndim):
        if k == axis:
            index.append(indices)
        else:
            # arange over x's axis k, broadcast against indices: a size-1
            # indices axis spreads over all of x's, a size-1 x axis is repeated.
            shape = [1] * x.ndim
            shape[k] = x.shape[k]
            index.append(reshape(arange(x.shape[k], dtype=int64), tuple(shape)))
    return x[tuple(index)]

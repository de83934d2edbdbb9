"""Creation functions (spec section "Creation Functions")."""
from __future__ import annotations

from . import _core
from ._core import (
    arange, asarray, empty, empty_like, from_dlpack, full, full_like, linspace,
    ones, ones_like, tril, triu, zeros, zeros_like, Array, reshape,
)

__all__ = [
    "arange", "asarray", "empty", "empty_like", "eye", "from_dlpack", "full", "full_like",
    "linspace", "meshgrid", "ones", "ones_like", "tril", "triu", "zeros", "zeros_like",
]


def eye(n_rows, n_cols=None, /, *, k=0, dtype=None, device=None):
    """A 2-D array with ones on diagonal ``k`` and zeros elsewhere.

    Parameters
    ----------
    n_rows : int
        Number of rows.
    n_cols : int, optional
        Number of columns (n_rows when None).
    k : int, optional
        Which diagonal holds the ones: 0 (the default) the main one, > 0 above it.
    dtype : dtype, optional
        The result's dtype (default float64).
    device : Device or str, optional
        Where the result lives.

    Returns
    -------
    Array
        An (n_rows, n_cols) array, ones on diagonal k and zeros elsewhere.

    Raises
    ------
    ValueError
        If n_rows or n_cols is negative, or device is not a known device.
    TypeError
        If dtype is not a data type trueno supports.

    Examples
    --------
    >>> import trueno as xp
    >>> xp.eye(2, 3, k=1)
    Array([[0., 1., 0.],
           [0., 0., 1.]], dtype=float64)
    """
    if isinstance(k, int) and not isinstance(k, type(True)) and abs(k) > 2**62:
        k = 2**62 if k > 0 else -(2**62)  # any diagonal past the edges is all zeros
    return _core.eye(n_rows, n_cols, k=k, dtype=dtype, device=device)


def meshgrid(*arrays, indexing: str = "xy") -> tuple:
    """Coordinate matrices from 1-D coordinate arrays (``indexing`` 'xy' or 'ij').

    Parameters
    ----------
    *arrays : Array
        1-D coordinate arrays.
    indexing : {'xy', 'ij'}, optional
        'xy' (the default): Cartesian, the first two axes swapped; 'ij': matrix indexing.

    Returns
    -------
    tuple of Array
        One array per input, each of the grid's shape.

    Raises
    ------
    ValueError
        If an array is not 1-D, or indexing is not 'xy' or 'ij'.

    Examples
    --------
    >>> import trueno as xp
    >>> gx, gy = xp.meshgrid(xp.asarray([1, 2]), xp.asarray([3, 4, 5]))
    >>> gx.shape
    (3, 2)
    """
    from ._manipulation import broadcast_arrays

    if not isinstance(indexing, str):
        raise TypeError(f"meshgrid(): indexing must be 'xy' or 'ij', got {type(indexing).__name__}")
    if indexing not in ("xy", "ij"):
        raise ValueError(f"meshgrid(): indexing must be 'xy' or 'ij', got {indexing!r}")
    for i, a in enumerate(arrays):
        if not isinstance(a, Array):
            raise TypeError(f"meshgrid(): arrays[{i}] must be a trueno array, got {type(a).__name__}")
        if a.ndim != 1:
            raise ValueError(f"meshgrid(): arrays[{i}] must be 1-D, got shape {a.shape}")
    if len({a.dtype for a in arrays}) > 1:
        raise ValueError("meshgrid(): all arrays must have the same dtype")
    n = len(arrays)
    shaped = []
    for i, a in enumerate(arrays):
        shape = [1] * n
        axis = i
        if indexing == "xy" and n >= 2 and i < 2:
            axis = 1 - i
        shape[axis] = a.shape[0]
        shaped.append(reshape(a, tuple(shape)))
    return tuple(asarray(b, copy=True) for b in broadcast_arrays(*shaped))


def _from_pickle_buffer(buffer, dtype_name: str, shape: tuple):
    """Rebuilds an array pickled with protocol 5: a writable, aligned buffer (out
    of band, or the bytearray of an in-band one) is used in place; a read-only or
    unaligned one is copied, so an unpickled array is writable as before."""
    import numpy as _np

    view = memoryview(buffer)
    arr = _np.frombuffer(view, dtype=dtype_name).reshape(shape)
    # copy=None, not False: an in-band buffer may be unaligned, and asarray copies those
    return asarray(arr, copy=True if view.readonly else None)


def _from_bytes(data: bytes, dtype_name: str, shape: tuple):
    """Rebuilds a pickled array."""
    import numpy as _np

    arr = _np.frombuffer(data, dtype=dtype_name).reshape(shape)
    return asarray(arr, copy=True)

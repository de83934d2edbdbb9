"""Linear algebra functions of the main namespace (spec section "Linear Algebra Functions").

``vecdot`` is native; ``tensordot`` is composed from trueno's native primitives
(``permute_dims`` where the contracted axes must move, ``reshape`` and the native
``matmul``), so it keeps
trueno's type promotion rules (mixed-kind promotion raises ``TypeError``, boolean
operands raise ``TypeError``) and never goes through NumPy.
"""
from __future__ import annotations

from ._core import AxisError

import math

from ._core import matmul, matrix_transpose, permute_dims, reshape, vecdot
from ._validation import as_int, require_array

__all__ = ["matmul", "matrix_transpose", "tensordot", "vecdot"]


def _check_numeric(x, func: str, argname: str) -> None:
    if x.dtype.kind == "b":  # (not dtype.name: ~3 us a call)
        raise TypeError(f"{func}(): {argname} must have a numeric data type, got bool")


def _normalize_axes(axes, ndim: int, func: str, argname: str) -> list:
    out = []
    for a in axes:
        a = as_int(a, func, f"every entry of {argname}")
        if not -ndim <= a < ndim:
            raise AxisError(f"{func}(): axis {a} in {argname} is out of bounds for an array of {ndim} dimensions")
        a %= ndim
        if a in out:
            raise ValueError(f"{func}(): repeated axis {a} in {argname}")
        out.append(a)
    return out


def tensordot(x1, x2, /, *, axes=2):
    """Sum products over the given axes.

    ``axes`` is either an int ``N`` (contract the last ``N`` axes of ``x1`` with the
    first ``N`` axes of ``x2``) or a pair of sequences ``(x1_axes, x2_axes)``.
    The result holds the free axes of ``x1`` followed by the free axes of ``x2``;
    its dtype follows the type promotion rules.  Contracted axes are not broadcast.

    Parameters
    ----------
    x1 : Array
        First operand, numeric.
    x2 : Array
        Second operand, numeric.
    axes : int or tuple of two sequences of int, optional
        The axes to contract (default 2).

    Returns
    -------
    Array
        The contraction.

    Raises
    ------
    TypeError
        If x1 or x2 is not a trueno array or not numeric, or axes is not an integer
        or a pair of sequences.
    ValueError
        If the contracted dimensions differ.

    Examples
    --------
    >>> import trueno as xp
    >>> xp.tensordot(xp.ones((2, 3)), xp.ones((3, 4)), axes=1)
    Array([[3., 3., 3., 3.],
           [3., 3., 3., 3.]], dtype=float64)
    """
    require_array(x1, "tensordot", "x1")
    require_array(x2, "tensordot", "x2")
    _check_numeric(x1, "tensordot", "x1")
    _check_numeric(x2, "tensordot", "x2")
    if isinstance(axes, (tuple, list)):
        if len(axes) != 2:
            raise ValueError("tensordot(): axes must be an int or a pair (x1_axes, x2_axes)")
        a1, a2 = axes
        a1 = [a1] if not isinstance(a1, (tuple, list)) else list(a1)
        a2 = [a2] if not isinstance(a2, (tuple, list)) else list(a2)
        if len(a1) != len(a2):
            raise ValueError(
                f"tensordot(): x1_axes and x2_axes must have the same length, got {len(a1)} and {len(a2)}"
            )
        ax1 = _normalize_axes(a1, x1.ndim, "tensordot", "x1_axes")
        ax2 = _normalize_axes(a2, x2.ndim, "tensordot", "x2_axes")
    else:
        n = as_int(axes, "tensordot", "axes")
        if n < 0:
            raise ValueError(f"tensordot(): axes must be non-negative, got {n}")
        if n > x1.ndim or n > x2.ndim:
            raise ValueError(
                f"tensordot(): cannot contract {n} axes of arrays with {x1.ndim} and {x2.ndim} dimensions"
            )
        # The contracted axes are in place: no permutations, the shapes split by slicing
        # (a 4x4 tensordot was ~7 us, mostly this function's Python).
        s1, s2 = x1.shape, x2.shape
        free1, free2 = s1[:x1.ndim - n], s2[n:]
        if s1[x1.ndim - n:] != s2[:n]:
            for a, (d1, d2) in enumerate(zip(s1[x1.ndim - n:], s2[:n])):
                if d1 != d2:
                    raise ValueError(
                        f"tensordot(): contracted dimensions differ: axis {x1.ndim - n + a} of x1 has "
                        f"size {d1}, axis {a} of x2 has size {d2}"
                    )
        if x1.ndim == 2 and x2.ndim == 2 and n == 1:
            return matmul(x1, x2)
        k = math.prod(s2[:n])
        out = matmul(reshape(x1, (math.prod(free1), k)), reshape(x2, (k, math.prod(free2))))
        return reshape(out, free1 + free2)
    s1, s2 = x1.shape, x2.shape
    for a, b in zip(ax1, ax2):
        if s1[a] != s2[b]:
            raise ValueError(
                f"tensordot(): contracted dimensions differ: axis {a} of x1 has size {s1[a]}, "
                f"axis {b} of x2 has size {s2[b]}"
            )
    free1 = [i for i in range(x1.ndim) if i not in ax1]
    free2 = [i for i in range(x2.ndim) if i not in ax2]
    k = math.prod(s1[a] for a in ax1)
    m = math.prod(s1[i] for i in free1)
    n = math.prod(s2[i] for i in free2)
    a = reshape(permute_dims(x1, tuple(free1 + ax1)), (m, k))
    b = reshape(permute_dims(x2, tuple(ax2 + free2)), (k, n))
    out = matmul(a, b)
    return reshape(out, tuple(s1[i] for i in free1) + tuple(s2[i] for i in free2))

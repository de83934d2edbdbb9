"""Linear algebra functions of the main namespace (spec section "Linear Algebra Functions")."""
from __future__ import annotations

from ._core import Array, matmul, matrix_transpose

__all__ = ["matmul", "matrix_transpose", "tensordot", "vecdot"]


def tensordot(x1, x2, /, *, axes=2):
    """Sum products over the given axes (an int n: the last n of x1 and first n of x2)."""
    raise NotImplementedError("tensordot is not implemented yet")


def vecdot(x1, x2, /, *, axis=-1):
    """Dot product of vectors along ``axis`` (conjugating x1)."""
    raise NotImplementedError("vecdot is not implemented yet")

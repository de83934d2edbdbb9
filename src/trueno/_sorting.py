"""Sorting Functions (spec section "Sorting Functions").

Both sorts are stable whatever ``stable`` says. Ascending order puts NaNs
last (NumPy's order); ``descending=True`` is exactly the reverse order, with
equal elements keeping their original order, so NaNs come first. Complex
arrays sort lexicographically (real part, then imaginary part), as in NumPy.
"""
from __future__ import annotations

from ._core import argsort, sort

__all__ = ["argsort", "sort"]

"""Searching Functions (spec section "Searching Functions")."""
from __future__ import annotations

from ._core import nonzero, searchsorted, where

__all__ = ["argmax", "argmin", "count_nonzero", "nonzero", "searchsorted", "where"]

try:  # reductions, bound natively beside the statistical functions
    from ._core import argmax, argmin, count_nonzero
except ImportError:  # pragma: no cover - only until they are in _core
    __all__ = [n for n in __all__ if n not in ("argmax", "argmin", "count_nonzero")]

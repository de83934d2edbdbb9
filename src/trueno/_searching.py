"""Searching Functions (spec section "Searching Functions")."""
from __future__ import annotations

from . import _core
from ._core import nonzero, searchsorted

__all__ = ["argmax", "argmin", "count_nonzero", "nonzero", "searchsorted", "where"]

try:  # reductions, bound natively beside the statistical functions
    from ._core import argmax, argmin, count_nonzero
except ImportError:  # pragma: no cover - only until they are in _core
    __all__ = [n for n in __all__ if n not in ("argmax", "argmin", "count_nonzero")]

# Functions defined in Python only to forward to the native one: nanobind
# functions are not introspectable (inspect.signature fails), and these
# rarely sit in hot loops, so their spec signature is worth ~0.1 us a call.


def where(condition, x1, x2, /):
    """Elements of ``x1`` where ``condition`` is true, else of ``x2`` (broadcast together)."""
    return _core.where(condition, x1, x2)

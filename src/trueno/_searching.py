"""Searching Functions (spec section "Searching Functions")."""
from __future__ import annotations

from ._core import argmax, argmin, count_nonzero, nonzero, searchsorted, where

__all__ = ["argmax", "argmin", "count_nonzero", "nonzero", "searchsorted", "where"]

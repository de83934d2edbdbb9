"""Sorting Functions (spec section "Sorting Functions")."""
from __future__ import annotations

__all__: list = []

"""Searching Functions (spec section "Searching Functions")."""
from __future__ import annotations

__all__: list = []

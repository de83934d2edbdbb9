"""Utility Functions (spec section "Utility Functions")."""
from __future__ import annotations

__all__: list = []

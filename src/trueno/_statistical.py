"""Statistical Functions (spec section "Statistical Functions")."""
from __future__ import annotations

__all__: list = []

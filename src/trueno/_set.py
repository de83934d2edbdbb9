"""Set Functions (spec section "Set Functions")."""
from __future__ import annotations

__all__: list = []

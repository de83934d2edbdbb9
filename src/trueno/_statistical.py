"""Statistical Functions (spec section "Statistical Functions").

All are nanobind functions of the native module (validation in C++), so a
call costs no Python frame.
"""
from __future__ import annotations

from ._core import (
    cumulative_prod, cumulative_sum, max, mean, min, prod, std, sum, var,
)

__all__ = ["cumulative_prod", "cumulative_sum", "max", "mean", "min", "prod", "std", "sum", "var"]

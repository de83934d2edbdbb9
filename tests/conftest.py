"""Fixtures shared by the test files."""
from __future__ import annotations

import pytest

import trueno as xp


@pytest.fixture(params=xp.available_isas())
def isa(request):
    """Runs the test once per SIMD target this CPU supports, pinned; unpins after."""
    xp.set_isa(request.param)
    try:
        yield request.param
    finally:
        xp.set_isa("best")

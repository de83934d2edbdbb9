"""Test data shared by the linalg and fft test files."""
from __future__ import annotations

import numpy as np


def rand(shape, dtype, seed=0):
    """Standard normal values of `dtype` (complex: independent real and imaginary parts)."""
    rng = np.random.default_rng(seed)
    a = rng.standard_normal(shape)
    if dtype.startswith("complex"):
        a = a + 1j * rng.standard_normal(shape)
    return a.astype(dtype)

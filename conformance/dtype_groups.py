"""Dtype groups (by name) and dtype helpers shared by the differential tests.

conformance/ is not a package; pytest's default (prepend) import mode puts this
folder on sys.path, so the tests import it as ``from dtype_groups import ...``.
"""
from __future__ import annotations

import array_api_strict as strict

BOOL = ["bool"]
SIGNED = ["int8", "int16", "int32", "int64"]
UNSIGNED = ["uint8", "uint16", "uint32", "uint64"]
INT = SIGNED + UNSIGNED
REAL_FLOAT = ["float32", "float64"]
COMPLEX = ["complex64", "complex128"]
FLOAT = REAL_FLOAT + COMPLEX
REAL = INT + REAL_FLOAT
NUMERIC = REAL + COMPLEX
ANY = BOOL + NUMERIC


def promotable(d1, d2):
    """Whether the spec's type promotion rules (array-api-strict's) define d1 with d2."""
    try:
        strict.result_type(getattr(strict, d1), getattr(strict, d2))
        return True
    except TypeError:
        return False


# trueno extends the spec's promotion table in one place (cpp/core/dtype.cpp): an integer
# beside a floating dtype that holds all its values exactly promotes to that dtype, the result
# NumPy, JAX and PyTorch all give. result_type joins each kind by the spec's rules, then the
# integers' join with the floating one. The oracles below are array-api-strict plus that rule.
def extended_result_type(*dtype_names):
    """The dtype name trueno's result_type gives for dtypes (by name), or TypeError."""
    import numpy as np

    try:
        return np.dtype(strict.result_type(*[getattr(strict, d) for d in dtype_names])._np_dtype).name
    except TypeError:
        integers = [d for d in dtype_names if d in INT]
        inexact = [d for d in dtype_names if d in FLOAT]
        if not integers or not inexact or len(integers) + len(inexact) != len(dtype_names):
            raise
        joined_integers = extended_result_type(*integers)
        joined_inexact = extended_result_type(*inexact)
        if np.result_type(joined_integers, joined_inexact) != np.dtype(joined_inexact):
            raise
        return joined_inexact


def extended_promotable(d1, d2):
    try:
        extended_result_type(d1, d2)
        return True
    except TypeError:
        return False

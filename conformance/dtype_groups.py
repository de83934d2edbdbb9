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

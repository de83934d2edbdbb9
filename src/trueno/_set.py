"""Set Functions (spec section "Set Functions").

Unique values come out sorted (as ``sort`` orders them); each NaN is a value
of its own, and -0 and +0 are one value. The native functions return plain
tuples, packed here into the namedtuples the spec names.
"""
from __future__ import annotations

from typing import NamedTuple

from . import _core
from ._core import Array, isin, unique_values
from ._docstrings import with_sections

__all__ = ["isin", "unique_all", "unique_counts", "unique_inverse", "unique_values"]


class UniqueAllResult(NamedTuple):
    values: Array
    indices: Array
    inverse_indices: Array
    counts: Array


class UniqueCountsResult(NamedTuple):
    values: Array
    counts: Array


class UniqueInverseResult(NamedTuple):
    values: Array
    inverse_indices: Array


# The three share their sections: the fields of the result and an example differ.
_UNIQUE_SECTIONS = """
Parameters
----------
x : Array
    Input array.

Returns
-------
namedtuple
    {fields}: the sorted distinct values and int64 arrays.

Raises
------
TypeError
    If x is not a trueno array.

Examples
--------
>>> import trueno as xp
{example}
"""


def _unique_sections(fields: str, example: str):
    return with_sections(_UNIQUE_SECTIONS.format(fields=fields, example=example))


@_unique_sections("(values, indices, inverse_indices, counts)",
                  ">>> xp.unique_all(xp.asarray([3, 1, 3])).counts\nArray([1, 2], dtype=int64)")
def unique_all(x, /):
    """Unique values of ``x`` with first indices, inverse indices and counts."""
    return UniqueAllResult(*_core._unique_all(x))


@_unique_sections("(values, counts)",
                  ">>> xp.unique_counts(xp.asarray([3, 1, 3]))\nUniqueCountsResult(values=Array([1, 3], dtype=int64), "
                  "counts=Array([1, 2], dtype=int64))")
def unique_counts(x, /):
    """Unique values of ``x`` and how often each occurs."""
    return UniqueCountsResult(*_core._unique_counts(x))


@_unique_sections("(values, inverse_indices)",
                  ">>> xp.unique_inverse(xp.asarray([3, 1, 3])).inverse_indices\nArray([1, 0, 1], dtype=int64)")
def unique_inverse(x, /):
    """Unique values of ``x`` and the indices into them that rebuild ``x``."""
    return UniqueInverseResult(*_core._unique_inverse(x))

"""Bool bytes other than 0 and 1 (issue 15, item 6).

Memory trueno did not write can hold any byte in a bool array: NumPy views
of raw bytes, DLPack capsules, pickles, the buffer protocol. Imports that
share memory cannot normalise it, so every function reads a bool as its
byte and treats any nonzero byte as True, as NumPy does. Each case below is
computed from such an array and from the same values written as 0/1, on
every ISA target, and the two must agree.
"""
from __future__ import annotations

import pickle

import numpy as np
import pytest

import trueno as xp

PATTERN = bytes([0, 1, 2, 255, 0, 128, 3, 1] * 16)
OTHER = bytes([1, 0, 4, 0, 7, 0, 0, 1] * 16)


def foreign(raw: bytes):
    """A trueno bool array sharing NumPy's memory of `raw`, and the same values as 0/1."""
    shared = xp.asarray(np.frombuffer(raw, dtype=bool))
    canonical = xp.asarray(np.frombuffer(bytes(int(b != 0) for b in raw), dtype=bool))
    return shared, canonical


def grid(a):
    return xp.reshape(a, (16, 8))


CASES = {
    "count_nonzero": lambda a, b: xp.count_nonzero(a),
    "count_nonzero strided": lambda a, b: xp.count_nonzero(a[::3]),
    "count_nonzero axis": lambda a, b: xp.count_nonzero(grid(a), axis=0),
    "sum": lambda a, b: xp.sum(a),
    "sum strided": lambda a, b: xp.sum(a[::3]),
    "sum axis": lambda a, b: xp.sum(grid(a), axis=0),
    "sum int8": lambda a, b: xp.sum(a, dtype=xp.int8),
    "prod": lambda a, b: xp.prod(a),
    "cumulative_sum": lambda a, b: xp.cumulative_sum(a, include_initial=True),
    "any all": lambda a, b: xp.stack([xp.any(grid(a), axis=0), xp.all(grid(a), axis=0)]),
    "max argmax": lambda a, b: xp.stack([xp.max(grid(a), axis=1).astype(xp.int64),
                                         xp.argmax(grid(a), axis=1), xp.argmin(grid(a), axis=1)]),
    "logical_not": lambda a, b: xp.logical_not(a),
    "logical_not strided": lambda a, b: xp.logical_not(a[::3]),
    "logical and/or/xor": lambda a, b: xp.stack([xp.logical_and(a, b), xp.logical_or(a, b),
                                                 xp.logical_xor(a, b)]),
    "logical_and broadcast": lambda a, b: xp.logical_and(grid(a), grid(b)[0]),
    "bitwise & | ^ ~": lambda a, b: xp.stack([a & b, a | b, a ^ b, ~a]),
    "== != True": lambda a, b: xp.stack([a == True, a != True, a == b, a != b]),  # noqa: E712
    "== strided": lambda a, b: a[::3] == b[::3],
    "astype float": lambda a, b: a.astype(xp.float64),
    "astype int8 strided": lambda a, b: a[::3].astype(xp.int8),
    "astype complex": lambda a, b: a.astype(xp.complex64),
    "asarray int32": lambda a, b: xp.asarray(a, dtype=xp.int32),
    "where condition": lambda a, b: xp.where(a, xp.asarray(1.0), 2.0),
    "where values": lambda a, b: xp.where(b, a, b).astype(xp.int8),
    "nonzero": lambda a, b: xp.nonzero(grid(a))[1],
    "mask": lambda a, b: xp.arange(128)[a],
    "sort": lambda a, b: xp.stack([xp.sort(a), xp.sort(a, descending=True)]).astype(xp.int8),
    "argsort": lambda a, b: xp.argsort(grid(a), axis=0, descending=True),
    "searchsorted": lambda a, b: xp.searchsorted(xp.asarray([False, True]), a),
    "unique": lambda a, b: xp.concat([xp.unique_values(a).astype(xp.int64), xp.unique_counts(a)[1],
                                      xp.unique_inverse(a)[1]]),
    "isin": lambda a, b: xp.isin(xp.asarray([0, 1, 2]), a),
    "copies": lambda a, b: xp.stack([xp.concat([a, b])[:128], xp.take(a, xp.arange(128)),
                                     xp.flip(a), xp.roll(a, 3), a.astype(xp.bool, copy=True)]) == True,  # noqa: E712
    "scalars": lambda a, b: xp.asarray([[int(a[i]), float(a[i]), bool(a[i]), complex(a[i]).real]
                                        for i in range(8)]),
    "tolist": lambda a, b: xp.asarray(a.tolist()),
}


@pytest.mark.parametrize("name", list(CASES))
def test_any_nonzero_byte_is_true(isa, name):
    a, a01 = foreign(PATTERN)
    b, b01 = foreign(OTHER)
    got, expected = np.asarray(CASES[name](a, b)), np.asarray(CASES[name](a01, b01))
    assert got.shape == expected.shape and got.dtype == expected.dtype
    if got.dtype == bool:  # copies may keep the byte; what counts is the truth value
        got, expected = got.view(np.uint8) != 0, expected.view(np.uint8) != 0
    np.testing.assert_array_equal(got, expected)


def test_copies_of_foreign_bools_are_canonical():
    a, _ = foreign(PATTERN)
    copied = np.asarray(xp.asarray(a, copy=True)).view(np.uint8)
    assert set(np.unique(copied)) == {0, 1}


def test_bools_through_dlpack_and_pickle():
    raw = np.frombuffer(PATTERN, dtype=bool)
    from_capsule = xp.from_dlpack(raw)
    assert int(xp.sum(from_capsule)) == int(np.count_nonzero(raw))
    assert xp.all(xp.logical_not(xp.logical_not(from_capsule)) == (raw.view(np.uint8) != 0))
    # a pickle whose bool bytes were written by something other than trueno
    blob = pickle.dumps(xp.asarray(np.zeros(len(PATTERN), dtype=bool)), protocol=4)
    forged = blob.replace(bytes(len(PATTERN)), PATTERN)
    assert forged != blob
    loaded = pickle.loads(forged)
    assert int(xp.count_nonzero(loaded)) == int(xp.sum(loaded)) == int(np.count_nonzero(raw))
    assert xp.unique_values(loaded).shape == (2,)


def test_foreign_bytes_written_after_import_are_read_as_bools():
    backing = np.zeros(64, dtype=np.uint8)
    shared = xp.asarray(backing.view(bool))
    backing[::2] = 7
    assert int(xp.sum(shared)) == 32
    assert int(xp.sum(xp.logical_not(shared))) == 32
    assert xp.all(shared.astype(xp.float32)[::2] == 1.0)


def test_zero_dimensional_foreign_bool_as_mask_and_scalar():
    two = xp.asarray(np.frombuffer(bytes([2]), dtype=bool).reshape(()))
    assert xp.arange(3)[two].shape == (1, 3)
    assert bool(two) is True and int(two) == 1 and two.item() is True

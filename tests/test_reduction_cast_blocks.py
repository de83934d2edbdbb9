"""Reductions that compute in another dtype than x's (sum/prod/mean with dtype=,
mean/var/std of integers) convert x a block of leading rows at a time when its
first axis is kept (ops/reduction.cpp, reduce_cast_blocks). Each output element
reduces the same elements in the same order as on x converted whole, so the
results are the same bits."""
from __future__ import annotations

import numpy as np
import pytest

import trueno as xp

CASES = [  # (shape, axis)
    ((300, 1000), 1),
    ((300, 1000), (1,)),
    ((3, 70000), 1),              # a block is one row
    ((5, 200, 300), (1, 2)),
    ((5, 200, 300), 2),
    ((400, 3, 200), 1),
]
CALLS = {
    "sum f32->f64": (np.float32, lambda x, **k: xp.sum(x, dtype=xp.float64, **k), xp.float64),
    "sum f64->f32": (np.float64, lambda x, **k: xp.sum(x, dtype=xp.float32, **k), xp.float32),
    "sum i64->i32": (np.int64, lambda x, **k: xp.sum(x, dtype=xp.int32, **k), xp.int32),
    "prod f32->f64": (np.float32, lambda x, **k: xp.prod(x, dtype=xp.float64, **k), xp.float64),
    "mean f32->f64": (np.float32, lambda x, **k: xp.mean(x, dtype=xp.float64, **k), xp.float64),
    "mean of int32": (np.int32, lambda x, **k: xp.mean(x, **k), xp.float64),
    "var of int16": (np.int16, lambda x, **k: xp.var(x, correction=1, **k), xp.float64),
    "std of uint8": (np.uint8, lambda x, **k: xp.std(x, **k), xp.float64),
}


def values(shape, dtype):
    rng = np.random.default_rng(3)
    if np.dtype(dtype).kind == "f":
        return (1 + rng.standard_normal(shape) / 1000).astype(dtype)    # products stay finite
    return rng.integers(0, 100, shape).astype(dtype)


@pytest.mark.parametrize("keepdims", [False, True])
@pytest.mark.parametrize("case", CASES, ids=str)
@pytest.mark.parametrize("call", CALLS)
def test_same_bits_as_converting_whole(call, case, keepdims):
    dtype, fn, compute = CALLS[call]
    shape, axis = case
    x = xp.asarray(values(shape, dtype))
    got = fn(x, axis=axis, keepdims=keepdims)
    want = fn(xp.astype(x, compute), axis=axis, keepdims=keepdims)   # no conversion: one pass
    assert got.dtype == want.dtype and got.shape == want.shape
    np.testing.assert_array_equal(np.asarray(got), np.asarray(want))


def test_first_axis_reduced_converts_whole():
    x = xp.asarray(values((300, 1000), np.float32))
    got = xp.sum(x, axis=0, dtype=xp.float64)
    np.testing.assert_allclose(np.asarray(got), np.sum(np.asarray(x), axis=0, dtype=np.float64), rtol=1e-12)

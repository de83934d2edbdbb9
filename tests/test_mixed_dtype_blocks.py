"""Binary operations whose operands differ in dtype convert them a block of
rows at a time (ops/elementwise.cpp, run_binary_cast_blocks) once the result
has 16K elements or more: every shape, broadcast, dtype pair and thread count
gives NumPy's values, and an operand that shares memory with the output is
converted whole first."""
from __future__ import annotations

import numpy as np
import pytest

import trueno as xp

SHAPES = {
    "rows": ((300, 1000), (300, 1000)),
    "column": ((300, 1000), (300, 1)),
    "row": ((300, 1000), (1000,)),
    "0-D": ((300, 1000), ()),
    "long rows": ((3, 70000), (3, 70000)),     # a block is one row
    "1-D": ((131075,), (131075,)),
    "3-D": ((5, 200, 300), (200, 1)),
    "grow": ((300, 1), (1, 1000)),             # neither operand spans the result
}
PAIRS = [(np.float32, np.float64), (np.float64, np.float32), (np.int32, np.float64),
         (np.int8, np.float32), (np.uint8, np.int16), (np.complex64, np.float64)]
FUNCTIONS = ["subtract", "multiply", "divide", "less", "maximum"]


def values(shape, dtype, seed):
    rng = np.random.default_rng(seed)
    v = rng.standard_normal(shape) * 50
    if np.dtype(dtype).kind in "iu":
        info = np.iinfo(dtype)
        v = np.clip(np.round(v), info.min, info.max)
    if np.dtype(dtype).kind == "c":
        v = v + 1j * rng.standard_normal(shape)
    return np.asarray(v).astype(dtype)


@pytest.mark.parametrize("threads", [1, 2])
@pytest.mark.parametrize("shapes", SHAPES)
@pytest.mark.parametrize("pair", PAIRS, ids=lambda p: f"{np.dtype(p[0])}-{np.dtype(p[1])}")
@pytest.mark.parametrize("name", FUNCTIONS)
def test_matches_numpy(name, pair, shapes, threads):
    if name in ("less", "maximum") and any(np.dtype(d).kind == "c" for d in pair):
        pytest.skip("complex numbers have no order")
    a = values(SHAPES[shapes][0], pair[0], 1)
    b = values(SHAPES[shapes][1], pair[1], 2)
    previous = xp.get_num_threads()
    xp.set_num_threads(threads)
    try:
        for x, y in ((a, b), (b, a)):
            got = getattr(xp, name)(xp.asarray(x), xp.asarray(y))
            with np.errstate(all="ignore"):
                want = getattr(np, name)(x, y)
            assert got.dtype == want.dtype and got.shape == want.shape
            np.testing.assert_array_equal(np.asarray(got), want)
    finally:
        xp.set_num_threads(previous)


def test_operand_sharing_memory_with_the_output_is_converted_first():
    """x -= y where y's float32 elements lie in x's float64 memory."""
    memory = np.arange(1, 2 * 150_000 + 1, dtype=np.float64)
    x64 = memory[:150_000]
    y32 = memory.view(np.float32)[:150_000]          # the first 75_000 float64 of x, as float32 bits
    want = x64 - y32.astype(np.float64)
    x, y = xp.asarray(x64), xp.asarray(y32)
    assert np.shares_memory(np.asarray(x), np.asarray(y))
    x -= y
    np.testing.assert_array_equal(x64, want)

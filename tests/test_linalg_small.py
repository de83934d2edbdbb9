"""Differential tests (against NumPy) of the native paths of the cheap linalg functions:
trace, diagonal, cross, outer, on every dtype they take, batched, broadcast, strided,
transposed and zero-size, on every ISA target."""
import numpy as np
import pytest

import trueno as xp

DTYPES = ["bool", "int8", "int32", "int64", "uint8", "uint64", "float32", "float64", "complex64",
          "complex128"]
def _data(shape, dtype, seed=0):
    rng = np.random.default_rng(seed)
    a = rng.standard_normal(shape) * 10
    if np.dtype(dtype).kind == "c":
        a = a + 1j * rng.standard_normal(shape)
    if np.dtype(dtype).kind == "b":
        return a > 0
    if np.dtype(dtype).kind == "u":
        a = np.abs(a)
    return a.astype(dtype)


def _layouts(a):
    """(name, NumPy array) pairs: contiguous, transposed, strided."""
    yield "contiguous", a
    yield "transposed", np.swapaxes(a, -1, -2)
    yield "strided", a[..., ::2, :][..., ::-1]


def _same(got, expected):
    got = np.asarray(got)
    assert got.dtype == expected.dtype, (got.dtype, expected.dtype)
    assert got.shape == expected.shape, (got.shape, expected.shape)
    np.testing.assert_array_equal(got, expected)


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("shape", [(3, 3), (4, 4), (16, 16), (5, 3), (3, 9), (10, 3, 3), (7, 4, 4),
                                   (2, 3, 20, 20), (0, 3, 3), (3, 0), (0, 0)])
@pytest.mark.parametrize("offset", [0, 1, -2, 40, -(2**70)])
def test_trace_and_diagonal(isa, dtype, shape, offset):
    for _, a in _layouts(_data(shape, dtype)):
        d = np.diagonal(a, offset=max(-a.shape[-2], min(offset, a.shape[-1])), axis1=-2, axis2=-1)
        _same(xp.linalg.diagonal(xp.asarray(a), offset=offset), d)
        got = xp.linalg.trace(xp.asarray(a), offset=offset)
        expected = d.sum(-1, dtype=np.int64 if np.dtype(dtype).kind == "b" else None)
        if np.dtype(dtype).kind in "fc":
            np.testing.assert_allclose(np.asarray(got), expected, rtol=1e-5)
            # bit for bit what trueno's sum of the diagonal gives (the formula before)
            expected = np.asarray(xp.sum(xp.linalg.diagonal(xp.asarray(a), offset=offset), axis=-1))
        _same(got, np.asarray(expected))


@pytest.mark.parametrize("dtype,into", [("int8", "int32"), ("float32", "float64"),
                                        ("complex64", "float32"), ("complex128", "complex128"),
                                        ("float64", "complex128"), ("uint8", "int64"),
                                        ("int32", "int64"), ("bool", "bool")])
def test_trace_dtype(isa, dtype, into):
    a = _data((6, 5, 5), dtype)
    got = xp.linalg.trace(xp.asarray(a), dtype=getattr(xp, into))
    d = np.diagonal(a, axis1=-2, axis2=-1)
    if np.dtype(dtype).kind == "c" and np.dtype(into).kind != "c":
        d = d.real
    expected = d.astype(into).sum(-1, dtype=into)
    if np.dtype(into).kind in "fc":
        np.testing.assert_allclose(np.asarray(got), expected, rtol=1e-5)
        dd = xp.linalg.diagonal(xp.asarray(a))
        if np.dtype(dtype).kind == "c" and np.dtype(into).kind != "c":
            dd = xp.real(dd)
        expected = xp.sum(dd, axis=-1, dtype=getattr(xp, into))
    _same(got, np.asarray(expected))

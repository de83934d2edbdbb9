"""The SIMD reduction kernels (kernels/simd_reduce.cpp) on every ISA target,
against NumPy: every tail length, NaN at each position class, ties, blocks
that improve (ascending data), strided and reversed inputs, and reductions
over leading axes (whole-row kernels) with keepdims."""
import math

import numpy as np
import pytest

import trueno as xp

FLOATS = ["float32", "float64"]
VALUE_OPS = ["sum", "prod", "max", "min", "mean"]
ARG_OPS = ["argmax", "argmin"]



def data(dtype, shape, seed=0, kind="normal"):
    rng = np.random.default_rng(seed)
    if kind == "near1":  # products that neither overflow nor underflow
        a = rng.uniform(0.95, 1.05, shape)
    else:
        a = rng.standard_normal(shape)
    return np.asarray(a, dtype=dtype)


def compare(op, a, got, want):
    got = np.asarray(got)
    want = np.asarray(want)
    assert got.shape == want.shape, (op, got.shape, want.shape)
    assert got.dtype == want.dtype, (op, got.dtype, want.dtype)
    if op in ("max", "min") or op in ARG_OPS:
        np.testing.assert_array_equal(got, want)
        return
    eps = np.finfo(a.dtype).eps
    if op in ("sum", "mean"):
        scale = np.nansum(np.abs(a.astype(np.float64))) if a.size else 0.0
        atol = 8 * eps * scale + np.finfo(a.dtype).tiny
        np.testing.assert_allclose(got, want, rtol=8 * eps, atol=atol, equal_nan=True)
    else:
        np.testing.assert_allclose(got, want, rtol=64 * eps * max(a.size, 1) ** 0.5,
                                   equal_nan=True)


def run(op, a, **kw):
    got = getattr(xp, op)(xp.asarray(a), **kw)
    want = getattr(np, op)(a, **kw)
    compare(op, a, got, want)


@pytest.mark.parametrize("dtype", FLOATS)
def test_every_length(isa, dtype):
    for n in list(range(0, 68)) + [127, 128, 129, 255, 257, 1000, 2047, 2048, 2049, 4100, 8193, 20000]:
        a = data(dtype, n, seed=n)
        b = data(dtype, n, seed=n, kind="near1")
        for op in VALUE_OPS + ARG_OPS:
            if n == 0 and op in ("max", "min", "argmax", "argmin"):
                with pytest.raises(ValueError):
                    getattr(xp, op)(xp.asarray(a))
                continue
            if n == 0 and op == "mean":
                continue  # NumPy warns; covered by test_reductions
            run(op, b if op == "prod" else a)


def nan_positions(n):
    return sorted({0, 1, n // 2, n - 2, n - 1, max(n - 17, 0)} & set(range(n)))


@pytest.mark.parametrize("dtype", FLOATS)
def test_nan_every_position_class(isa, dtype):
    for n in [1, 2, 3, 7, 8, 15, 16, 17, 31, 33, 64, 67, 2049, 9000, 20000]:
        for pos in nan_positions(n):
            a = data(dtype, n, seed=pos)
            a[pos] = np.nan
            for op in ["max", "min", "argmax", "argmin", "sum"]:
                run(op, a)
            a[-1] = np.nan  # a second NaN: the first one wins for argmax/argmin
            run("argmax", a)
            run("argmin", a)


@pytest.mark.parametrize("dtype", FLOATS)
def test_infinities_and_overflow_without_nan(isa, dtype):
    # The kernels detect a NaN by a running sum of the block, which also
    # turns NaN for inf + (-inf) or for sums that overflow both ways: such
    # blocks are rechecked and hold no NaN, so max/min/argmax/argmin stay finite answers.
    huge = np.finfo(dtype).max / 2
    for n in [64, 67, 512, 2049, 9000]:
        both = data(dtype, n, seed=n)
        both[0], both[64 if n > 64 else n - 1] = np.inf, -np.inf   # one lane, every vector width
        both[1::16] = np.inf
        both[2::16] = -np.inf
        overflow = np.where(np.arange(n) < n // 2, huge, -huge).astype(dtype)
        overflow[n // 3] = huge * 1.5
        for a in (both, overflow, overflow[::-1].copy()):
            for op in ARG_OPS + ["max", "min"]:
                run(op, a)


@pytest.mark.parametrize("dtype", FLOATS)
def test_ties_infinities_and_monotone(isa, dtype):
    for n in [2, 5, 16, 17, 40, 67, 3000, 10000]:
        a = np.zeros(n, dtype)
        idx = np.unique(np.random.default_rng(n).integers(0, n, 4))
        a[idx] = 3
        a[idx[::-1][:1]] = -3 if len(idx) > 1 else 3
        for op in ARG_OPS + ["max", "min"]:
            run(op, a)
            run(op, -a)
        run("argmax", np.full(n, 7, dtype))
        run("argmin", np.full(n, 7, dtype))
        s = np.zeros(n, dtype)
        s[::2] = -0.0
        for op in ARG_OPS:
            run(op, s)
        inf = data(dtype, n, seed=1)
        inf[n // 3] = np.inf
        inf[n - 1] = -np.inf
        for op in ARG_OPS + ["max", "min", "sum"]:
            run(op, inf)
        up = np.arange(n, dtype=dtype)
        for op in ARG_OPS + ["max", "min"]:
            run(op, up)
            run(op, up[::-1].copy())


@pytest.mark.parametrize("dtype", FLOATS)
def test_strided_and_reversed(isa, dtype):
    for n in [1, 5, 33, 67, 3001]:
        base = data(dtype, 2 * n, seed=n)
        for a in [base[::2], base[::-1], base[1::2][::-1]]:
            for op in VALUE_OPS + ARG_OPS:
                run(op, a if op != "prod" else np.asarray(a * 0 + 1.01, dtype))


SHAPES_2D = [(1, 1), (3, 1), (1, 5), (2, 3), (7, 17), (33, 67), (300, 5), (5, 2100), (1000, 7), (129, 130)]
SHAPES_3D = [(2, 3, 4), (5, 1, 9), (4, 7, 33), (130, 2, 3), (3, 300, 17)]


def axes_for(nd):
    out = [None, 0, -1, 1 if nd > 1 else 0]
    if nd == 3:
        out += [(0, 1), (0, 2), (1, 2), (0, 1, 2), (1,)]
    else:
        out += [(0, 1), (0,)]
    return out


@pytest.mark.parametrize("dtype", FLOATS)
@pytest.mark.parametrize("shape", SHAPES_2D + SHAPES_3D)
def test_axes_keepdims(isa, dtype, shape):
    a = data(dtype, shape, seed=len(shape))
    b = data(dtype, shape, seed=1, kind="near1")
    for axis in axes_for(len(shape)):
        for keepdims in (False, True):
            for op in VALUE_OPS + ["var", "std"]:
                run(op, b if op == "prod" else a, axis=axis, keepdims=keepdims)
            if axis is None or isinstance(axis, int):
                for op in ARG_OPS:
                    run(op, a, axis=axis, keepdims=keepdims)


@pytest.mark.parametrize("dtype", FLOATS)
def test_axis0_nan_and_layouts(isa, dtype):
    a = data(dtype, (40, 37), seed=3)
    for r, c in [(0, 0), (39, 36), (17, 16), (5, 31)]:
        a[r, c] = np.nan
    for op in ["max", "min", "sum", "argmax", "argmin"]:
        run(op, a, axis=0)
        run(op, a[:, ::2], axis=0)     # non-contiguous rows
        run(op, a[::-1], axis=0)       # negative row stride
        run(op, a[::3, 1:], axis=0)
        run(op, a.T, axis=0)           # the reduced axis is the contiguous one
        run(op, a.T, axis=1)


@pytest.mark.parametrize("dtype", FLOATS)
def test_axis0_sum_accuracy(isa, dtype):
    # Many rows: the row kernel sums pairwise, close to the exact result.
    a = data(dtype, (100000, 3), seed=5) + np.asarray(1, dtype)
    got = np.asarray(xp.sum(xp.asarray(a), axis=0))
    exact = np.array([math.fsum(a[:, j].astype(np.float64)) for j in range(a.shape[1])])
    tol = 1e-6 if dtype == "float32" else 1e-13
    np.testing.assert_allclose(got, exact, rtol=tol)


@pytest.mark.parametrize("dtype", FLOATS)
@pytest.mark.parametrize("shape", [(40, 37), (300, 3), (3, 1030, 2), (6, 5, 1100)])
def test_arg_ties_along_every_axis(isa, dtype, shape):
    # Few distinct values: many ties, so first occurrence matters everywhere.
    a = np.round(data(dtype, shape, seed=7))
    a.flat[::97] = -0.0
    for axis in [None] + list(range(len(shape))) + [-1]:
        for op in ARG_OPS:
            run(op, a, axis=axis)
            run(op, a, axis=axis, keepdims=True)
    a.flat[5::131] = np.nan
    for axis in [None] + list(range(len(shape))):
        for op in ARG_OPS + ["max", "min"]:
            run(op, a, axis=axis)


@pytest.mark.parametrize("dtype", FLOATS)
def test_prod_long_and_special(isa, dtype):
    for n in [100, 1000, 20001]:
        run("prod", data(dtype, n, seed=n, kind="near1"))
        a = data(dtype, n, seed=n, kind="near1")
        a[n // 2] = np.inf
        run("prod", a)
        a[3] = np.nan
        run("prod", a)
        a = data(dtype, (n // 10, 10), seed=n, kind="near1")
        run("prod", a, axis=0)
        run("prod", a, axis=1)


@pytest.mark.parametrize("dtype", FLOATS)
@pytest.mark.parametrize("shape", [(1000, 7), (3, 2100), (130, 4, 9)])
def test_var_std_leading_axes(isa, dtype, shape):
    a = data(dtype, shape, seed=11) * 3 + 100  # a large mean: deviations matter
    axes = [0, (0,)] + ([(0, 1)] if len(shape) == 3 else [])
    for axis in axes:
        for correction in (0.0, 1.0, 2.5):
            for op in ("var", "std"):
                got = getattr(xp, op)(xp.asarray(a), axis=axis, correction=correction)
                want = getattr(np, op)(a, axis=axis, ddof=correction)
                np.testing.assert_allclose(np.asarray(got), want, rtol=200 * np.finfo(dtype).eps)
    # correction >= the count: NaN (NumPy gives inf or NaN)
    b = a[:2]
    assert np.isnan(np.asarray(xp.var(xp.asarray(b), axis=0, correction=2))).all()
    c = a.copy()
    c[-1, 1] = np.nan
    np.testing.assert_array_equal(np.isnan(np.asarray(xp.var(xp.asarray(c), axis=0))),
                                  np.isnan(np.var(c, axis=0)))


INTS = ["int8", "int16", "int32", "int64", "uint8", "uint16", "uint32", "uint64"]


@pytest.mark.parametrize("dtype", INTS)
def test_integer_extrema_every_length(isa, dtype):
    info = np.iinfo(dtype)
    for n in list(range(1, 68)) + [255, 2047, 2049, 5000, 9000]:
        rng = np.random.default_rng(n)
        a = rng.integers(max(info.min, -50), min(info.max, 50), n, endpoint=True).astype(dtype)
        for op in ["max", "min", "argmax", "argmin"]:
            run(op, a)
            run(op, a[::-1])
            run(op, a[::2])
        b = a.copy()
        b[n // 2] = info.max
        b[-1] = info.min
        for op in ["max", "min", "argmax", "argmin"]:
            run(op, b)
    a = np.asarray(np.random.default_rng(0).integers(0, 3, (40, 67)), dtype=dtype)
    for axis in (None, 0, 1):
        for op in ["max", "min", "argmax", "argmin"]:
            run(op, a, axis=axis)


@pytest.mark.parametrize("dtype", INTS)
@pytest.mark.parametrize("shape", [(2, 1), (7, 65), (130, 67), (5, 3000), (3, 4, 65), (9, 2, 130)])
def test_integer_rows(isa, dtype, shape):
    info = np.iinfo(dtype)
    a = np.random.default_rng(len(shape)).integers(info.min, info.max, shape, endpoint=True, dtype=dtype)
    axes = [0, (0,), -2] + ([(0, 1), 1] if len(shape) == 3 else [])
    for axis in axes:
        for keepdims in (False, True):
            for op in ["max", "min"]:
                run(op, a, axis=axis, keepdims=keepdims)
                run(op, a[::-1], axis=axis, keepdims=keepdims)

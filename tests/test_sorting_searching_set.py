"""sort, argsort, where, searchsorted, unique_* and isin against NumPy."""
from __future__ import annotations

import numpy as np
import pytest

import trueno as xp

REAL_DTYPES = ["bool", "int8", "int16", "int32", "int64", "uint8", "uint16", "uint32", "uint64",
               "float32", "float64"]
ALL_DTYPES = REAL_DTYPES + ["complex64", "complex128"]
FLOAT_DTYPES = ["float32", "float64"]


def sample(dtype, shape, seed=0):
    """Values with many ties (and NaN, -0 and inf for floats)."""
    rng = np.random.default_rng(seed)
    n = int(np.prod(shape))
    if dtype == "bool":
        return rng.integers(0, 2, n).astype(bool).reshape(shape)
    if dtype.startswith(("int", "uint")):
        info = np.iinfo(dtype)
        pool = np.array([info.min, info.max, 0, 1, 2, 3], dtype=dtype)
        v = np.where(rng.random(n) < 0.2, pool[rng.integers(0, len(pool), n)],
                     rng.integers(0, 5, n).astype(dtype))
        return v.astype(dtype).reshape(shape)
    pool = np.array([np.nan, -0.0, 0.0, np.inf, -np.inf, 1.5, -2.0])
    v = np.where(rng.random(n) < 0.4, pool[rng.integers(0, len(pool), n)], rng.integers(-3, 4, n))
    if dtype.startswith("complex"):
        w = np.where(rng.random(n) < 0.3, pool[rng.integers(0, len(pool), n)], rng.integers(-2, 3, n))
        c = np.empty(n, dtype=dtype)
        c.real, c.imag = v, w
        return c.reshape(shape)
    return v.astype(dtype).reshape(shape)


def as_np(a):
    return np.asarray(a)


def np_desc_argsort(x, axis):
    """Stable descending argsort, ties in original order, NaN first."""
    flipped = np.flip(x, axis=axis)
    idx = np.argsort(flipped, axis=axis, kind="stable")
    return x.shape[axis] - 1 - np.flip(idx, axis=axis)


def assert_same(actual, expected):
    a = as_np(actual)
    assert a.dtype == expected.dtype, (a.dtype, expected.dtype)
    assert a.shape == expected.shape, (a.shape, expected.shape)
    np.testing.assert_array_equal(a, expected)


# ---- sort / argsort ----------------------------------------------------------

SHAPES_AXES = [((17,), -1), ((17,), 0), ((4, 9), 0), ((4, 9), 1), ((3, 4, 5), 1), ((3, 4, 5), -3),
               ((2, 1, 6), 2), ((0, 5), 1), ((5, 0), 1), ((0,), 0), ((1,), 0)]


@pytest.mark.parametrize("dtype", ALL_DTYPES)
@pytest.mark.parametrize("shape,axis", SHAPES_AXES)
def test_sort_argsort_ascending(dtype, shape, axis):
    x = sample(dtype, shape)
    t = xp.asarray(x)
    assert_same(xp.argsort(t, axis=axis), np.argsort(x, axis=axis, kind="stable").astype(np.int64))
    assert_same(xp.sort(t, axis=axis), np.sort(x, axis=axis, kind="stable"))


@pytest.mark.parametrize("dtype", ALL_DTYPES)
@pytest.mark.parametrize("shape,axis", SHAPES_AXES)
def test_sort_argsort_descending_is_stable(dtype, shape, axis):
    x = sample(dtype, shape, seed=1)
    t = xp.asarray(x)
    expected = np_desc_argsort(x, axis).astype(np.int64)
    assert_same(xp.argsort(t, axis=axis, descending=True), expected)
    assert_same(xp.sort(t, axis=axis, descending=True), np.take_along_axis(x, expected, axis=axis))
    # stable=False is allowed any order of ties; ours is stable anyway.
    assert_same(xp.argsort(t, axis=axis, descending=True, stable=False), expected)


def test_descending_ties_keep_original_order():
    x = xp.asarray([1, 3, 1, 3, 2])
    assert as_np(xp.argsort(x, descending=True)).tolist() == [1, 3, 4, 0, 2]
    f = xp.asarray([np.nan, 1.0, np.nan, 2.0])
    assert as_np(xp.argsort(f, descending=True)).tolist() == [0, 2, 3, 1]
    assert as_np(xp.argsort(f)).tolist() == [1, 3, 0, 2]


def test_signed_zero_ties_are_stable():
    x = np.array([0.0, -0.0, 0.0, -0.0])
    s = as_np(xp.sort(xp.asarray(x)))
    np.testing.assert_array_equal(np.signbit(s), np.signbit(x))
    assert as_np(xp.argsort(xp.asarray(x))).tolist() == [0, 1, 2, 3]


@pytest.mark.parametrize("dtype", ["int32", "float64", "complex128", "uint8"])
def test_sort_strided_inputs(dtype):
    x = sample(dtype, (6, 10), seed=2)
    t = xp.asarray(x)
    views = [(t[::2, ::-3], x[::2, ::-3]), (xp.permute_dims(t, (1, 0)), x.T), (t[:, 1::2], x[:, 1::2])]
    for tv, nv in views:
        for axis in (0, 1):
            assert_same(xp.sort(tv, axis=axis), np.sort(nv, axis=axis, kind="stable"))
            assert_same(xp.argsort(tv, axis=axis), np.argsort(nv, axis=axis, kind="stable"))
            assert_same(xp.argsort(tv, axis=axis, descending=True), np_desc_argsort(nv, axis))
    b = xp.broadcast_to(xp.asarray(x[0]), (3, 10))
    assert_same(xp.sort(b), np.sort(np.broadcast_to(x[0], (3, 10)), kind="stable"))


def test_sort_returns_a_copy():
    t = xp.asarray([3, 1, 2])
    s = xp.sort(t)
    s[0] = 100
    assert as_np(t).tolist() == [3, 1, 2]


def test_sort_errors():
    with pytest.raises(ValueError, match="axis"):
        xp.sort(xp.asarray([1, 2]), axis=1)
    with pytest.raises(ValueError, match="axis"):
        xp.argsort(xp.ones((2, 2)), axis=-3)
    with pytest.raises(ValueError):
        xp.sort(xp.asarray(1.0))  # 0-D: no valid axis
    with pytest.raises(ValueError):
        xp.argsort(xp.asarray(1.0))
    with pytest.raises(TypeError, match="x"):
        xp.sort([3, 1, 2])
    with pytest.raises(TypeError, match="descending"):
        xp.sort(xp.asarray([1]), descending=1)
    with pytest.raises(TypeError):
        xp.sort(xp.asarray([1]), -1)  # axis is keyword-only


# ---- where -------------------------------------------------------------------

@pytest.mark.parametrize("dtype", ALL_DTYPES)
def test_where_broadcasts_all_three(dtype):
    rng = np.random.default_rng(3)
    c = rng.random((4, 1, 5)) < 0.5
    a = sample(dtype, (3, 5), seed=4)
    b = sample(dtype, (4, 3, 1), seed=5)
    assert_same(xp.where(xp.asarray(c), xp.asarray(a), xp.asarray(b)), np.where(c, a, b))


@pytest.mark.parametrize("dtype", ALL_DTYPES)
def test_where_dense_on_every_isa(isa, dtype):
    # contiguous operands (or one broadcast value) take a vector select per
    # element size; lengths leave every tail after the vectors, values keep
    # their bits (NaN payloads, -0.0)
    rng = np.random.default_rng(11)
    for n in [1, 7, 16, 33, 64, 100, 1031]:
        c = rng.random(n) < 0.5
        a = sample(dtype, (n,), seed=n)
        b = sample(dtype, (n,), seed=n + 1)
        if dtype.startswith("float"):
            a[::5] = -0.0
            b[::7] = np.nan
        ta, tb, tc = xp.asarray(a), xp.asarray(b), xp.asarray(c)
        assert_same(xp.where(tc, ta, tb), np.where(c, a, b))
        assert_same(xp.where(tc, ta, tb[:1]), np.where(c, a, b[:1]))
        assert_same(xp.where(tc, ta[:1], tb), np.where(c, a[:1], b))
        assert_same(xp.where(tc, ta[:1], tb[:1]), np.where(c, a[:1], b[:1]))
        rows = np.stack([c, ~c])
        assert_same(xp.where(xp.asarray(rows), ta, tb), np.where(rows, a, b))


@pytest.mark.parametrize("d1,d2", [("int8", "int32"), ("uint8", "int16"), ("float32", "float64"),
                                   ("float32", "complex64"), ("bool", "bool"), ("int64", "int64")])
def test_where_promotes(d1, d2):
    c = np.array([True, False, True, False])
    a = sample(d1, (4,), seed=6)
    b = sample(d2, (4,), seed=7)
    assert_same(xp.where(xp.asarray(c), xp.asarray(a), xp.asarray(b)), np.where(c, a, b))
    assert_same(xp.where(xp.asarray(c), xp.asarray(b), xp.asarray(a)), np.where(c, b, a))


def test_where_strided_and_zero_size():
    x = np.arange(24.0).reshape(4, 6)
    t = xp.asarray(x)
    c = x % 3 == 0
    assert_same(xp.where(xp.asarray(c)[::-1, ::2], t[::-1, ::2], t[:, ::2]), np.where(c[::-1, ::2], x[::-1, ::2], x[:, ::2]))
    z = xp.where(xp.asarray(np.zeros((0, 3), bool)), xp.ones((0, 3)), xp.zeros(3))
    assert z.shape == (0, 3) and z.dtype == xp.float64


def test_where_scalars_take_the_array_dtype():
    c = xp.asarray([True, False, True])
    r = xp.where(c, xp.asarray([1, 2, 3], dtype=xp.int8), 5)
    assert r.dtype == xp.int8 and as_np(r).tolist() == [1, 5, 3]
    r = xp.where(c, 0.5, xp.asarray([1.0, 2.0, 3.0], dtype=xp.float32))
    assert r.dtype == xp.float32 and as_np(r).tolist() == [0.5, 2.0, 0.5]
    r = xp.where(c, True, xp.asarray([False, False, False]))
    assert r.dtype == xp.bool and as_np(r).tolist() == [True, False, True]
    r = xp.where(c, 1j, xp.asarray([1.0, 2.0, 3.0]))
    assert r.dtype == xp.complex128 and as_np(r).tolist() == [1j, 2, 1j]
    r = xp.where(xp.asarray(True), xp.asarray(2.0), 3.0)
    assert r.shape == () and float(r) == 2.0


def test_where_non_bool_condition_counts_truth_value():
    r = xp.where(xp.asarray([0, 2, -1]), xp.asarray([1, 1, 1]), xp.asarray([0, 0, 0]))
    assert as_np(r).tolist() == [0, 1, 1]


def test_where_errors():
    c = xp.asarray([True, False])
    with pytest.raises(TypeError, match="at least one"):
        xp.where(c, 1, 2)
    with pytest.raises(TypeError, match="condition"):
        xp.where([True, False], xp.asarray([1, 2]), xp.asarray([3, 4]))
    with pytest.raises(TypeError):
        xp.where(c, xp.asarray([1, 2], dtype=xp.int64), xp.asarray([1, 2], dtype=xp.uint64))
    with pytest.raises(ValueError):
        xp.where(c, xp.ones(3), xp.ones(2))
    with pytest.raises(TypeError, match="x2"):
        xp.where(c, xp.ones(2), "a")


# ---- searchsorted ------------------------------------------------------------

@pytest.mark.parametrize("dtype", REAL_DTYPES)
@pytest.mark.parametrize("side", ["left", "right"])
def test_searchsorted(dtype, side):
    x1 = np.sort(sample(dtype, (20,), seed=8), kind="stable")
    x2 = sample(dtype, (3, 7), seed=9)
    out = xp.searchsorted(xp.asarray(x1), xp.asarray(x2), side=side)
    assert_same(out, np.searchsorted(x1, x2, side=side).astype(np.int64))


@pytest.mark.parametrize("side", ["left", "right"])
def test_searchsorted_sorter_and_strided(side):
    raw = sample("float64", (15,), seed=10)
    sorter = np.argsort(raw, kind="stable")
    x2 = sample("float64", (9,), seed=11)
    out = xp.searchsorted(xp.asarray(raw), xp.asarray(x2), side=side, sorter=xp.asarray(sorter))
    assert_same(out, np.searchsorted(raw, x2, side=side, sorter=sorter).astype(np.int64))
    base = np.sort(sample("int32", (30,), seed=12))
    t = xp.asarray(base)[::3]
    assert_same(xp.searchsorted(t, xp.asarray(base[::-2])), np.searchsorted(base[::3], base[::-2]))


def test_searchsorted_nan_and_scalars():
    x1 = np.array([1.0, 2.0, np.nan, np.nan])
    t = xp.asarray(x1)
    for side in ("left", "right"):
        assert_same(xp.searchsorted(t, xp.asarray([np.nan, 3.0, 2.0]), side=side),
                    np.searchsorted(x1, [np.nan, 3.0, 2.0], side=side))
    r = xp.searchsorted(t, 2.0, side="right")
    assert r.shape == () and r.dtype == xp.int64 and int(r) == 2
    r = xp.searchsorted(xp.asarray([1, 3, 5], dtype=xp.int8), 4)
    assert int(r) == 2
    assert int(xp.searchsorted(xp.asarray([1, 3, 5]), 2.5)) == 1
    assert as_np(xp.searchsorted(xp.asarray([], dtype=xp.float64), xp.asarray([1.0]))).tolist() == [0]
    assert xp.searchsorted(t, xp.ones((0, 2))).shape == (0, 2)


def test_searchsorted_errors():
    t = xp.asarray([1, 2, 3])
    with pytest.raises(ValueError, match="x1"):
        xp.searchsorted(xp.ones((2, 2)), xp.asarray([1.0]))
    with pytest.raises(ValueError, match="side"):
        xp.searchsorted(t, xp.asarray([1]), side="middle")
    with pytest.raises(TypeError, match="sorter"):
        xp.searchsorted(t, xp.asarray([1]), sorter=xp.asarray([0.0, 1.0, 2.0]))
    with pytest.raises(ValueError, match="sorter"):
        xp.searchsorted(t, xp.asarray([1]), sorter=xp.asarray([0, 1]))
    with pytest.raises(IndexError):
        xp.searchsorted(t, xp.asarray([1]), sorter=xp.asarray([0, 1, 7]))
    with pytest.raises(TypeError, match="x1"):
        xp.searchsorted([1, 2, 3], xp.asarray([1]))
    with pytest.raises(TypeError, match="x2"):
        xp.searchsorted(t, "a")


# ---- unique_* ----------------------------------------------------------------

def np_unique_all(x):
    """NumPy's unique_all with each NaN distinct (its equal_nan=False)."""
    r = np.unique_all(x)
    return r.values, r.indices, r.inverse_indices, r.counts


@pytest.mark.parametrize("dtype", ALL_DTYPES)
@pytest.mark.parametrize("shape", [(25,), (4, 6), (2, 3, 4), (0,), (3, 0), (), (1,)])
def test_unique_all(dtype, shape):
    x = sample(dtype, shape, seed=13)
    t = xp.asarray(x)
    values, indices, inverse, counts = np_unique_all(x)
    r = xp.unique_all(t)
    assert type(r).__name__ == "UniqueAllResult"
    assert r._fields == ("values", "indices", "inverse_indices", "counts")
    assert_same(r.values, values)
    assert_same(r.indices, indices.astype(np.int64))
    assert_same(r.inverse_indices, inverse.reshape(x.shape).astype(np.int64))
    assert_same(r.counts, counts.astype(np.int64))
    # inverse reconstructs x (up to the sign of zero)
    np.testing.assert_array_equal(as_np(r.values)[as_np(r.inverse_indices)], x)

    c = xp.unique_counts(t)
    assert c._fields == ("values", "counts")
    assert_same(c.values, values)
    assert_same(c.counts, counts.astype(np.int64))
    i = xp.unique_inverse(t)
    assert i._fields == ("values", "inverse_indices")
    assert_same(i.values, values)
    assert_same(i.inverse_indices, inverse.reshape(x.shape).astype(np.int64))
    assert_same(xp.unique_values(t), values)


def test_unique_nans_are_distinct_and_zeros_merge():
    t = xp.asarray([np.nan, 1.0, np.nan, -0.0, 0.0])
    r = xp.unique_all(t)
    v = as_np(r.values)
    assert v.shape == (4,) and v[0] == 0 and v[1] == 1 and np.isnan(v[2:]).all()
    assert as_np(r.counts).tolist() == [2, 1, 1, 1]
    assert as_np(r.indices).tolist() == [3, 1, 0, 2]
    assert as_np(r.inverse_indices).tolist() == [2, 1, 3, 0, 0]
    assert as_np(xp.unique_values(t)).shape == (4,)
    cz = xp.unique_counts(xp.asarray([complex(np.nan, 0), complex(np.nan, 0), 1j]))
    assert as_np(cz.counts).tolist() == [1, 1, 1]


def test_unique_strided():
    x = sample("int16", (8, 9), seed=14)
    t = xp.asarray(x)[::-2, 1::3]
    nv = x[::-2, 1::3]
    values, indices, inverse, counts = np_unique_all(nv)
    r = xp.unique_all(t)
    assert_same(r.values, values)
    assert_same(r.indices, indices.astype(np.int64))
    assert_same(r.inverse_indices, inverse.reshape(nv.shape).astype(np.int64))


def test_unique_errors():
    for f in (xp.unique_all, xp.unique_counts, xp.unique_inverse, xp.unique_values):
        with pytest.raises(TypeError, match="x"):
            f([1, 2])


# ---- isin --------------------------------------------------------------------

@pytest.mark.parametrize("dtype", ALL_DTYPES)
@pytest.mark.parametrize("invert", [False, True])
def test_isin(dtype, invert):
    x1 = sample(dtype, (5, 6), seed=15)
    x2 = sample(dtype, (2, 4), seed=16)
    out = xp.isin(xp.asarray(x1), xp.asarray(x2), invert=invert)
    # NaN is never in anything (value equality); np.isin agrees for NaN.
    assert_same(out, np.isin(x1, x2, invert=invert))


def test_isin_mixed_dtypes_scalars_and_layouts():
    a = np.array([1, 2, 3, 200], dtype=np.uint8)
    b = np.array([3, -1, 200, 7], dtype=np.int16)
    assert_same(xp.isin(xp.asarray(a), xp.asarray(b)), np.isin(a, b))
    u = np.array([2**63, 5], dtype=np.uint64)
    i = np.array([5, -1], dtype=np.int64)
    assert as_np(xp.isin(xp.asarray(u), xp.asarray(i))).tolist() == [False, True]
    assert as_np(xp.isin(xp.asarray([1.0, 2.5, np.nan]), xp.asarray([2.5, np.nan]))).tolist() == [False, True, False]
    assert as_np(xp.isin(xp.asarray([0.0, -0.0]), xp.asarray([-0.0]))).tolist() == [True, True]
    r = xp.isin(3, xp.asarray([1, 2, 3]))
    assert r.shape == () and r.dtype == xp.bool and bool(r)
    r = xp.isin(xp.asarray([1, 2, 3], dtype=xp.int8), 2)
    assert as_np(r).tolist() == [False, True, False]
    r = xp.isin(xp.asarray([1, 2, 3], dtype=xp.int8), 1000, invert=True)
    assert as_np(r).tolist() == [True, True, True]
    x = np.arange(20).reshape(4, 5)
    t = xp.asarray(x)[::-1, ::2]
    assert_same(xp.isin(t, xp.asarray(x)[1, ::2]), np.isin(x[::-1, ::2], x[1, ::2]))
    assert xp.isin(xp.ones((0, 3)), xp.ones(2)).shape == (0, 3)
    assert as_np(xp.isin(xp.ones(3), xp.ones(0))).tolist() == [False] * 3


def test_isin_errors():
    with pytest.raises(TypeError, match="at least one"):
        xp.isin(1, 2)
    with pytest.raises(TypeError, match="invert"):
        xp.isin(xp.ones(2), xp.ones(2), invert=None)
    with pytest.raises(TypeError, match="x2"):
        xp.isin(xp.ones(2), "a")


# ---- namespace ---------------------------------------------------------------

@pytest.mark.parametrize("name", ["sort", "argsort", "searchsorted", "isin", "unique_values"])
def test_functions_are_native(name):
    # A trueno.Function forwards straight to the nanobind function (no Python frame).
    assert type(getattr(xp, name)) is xp._core.Function

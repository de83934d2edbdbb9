"""clip (native, one pass) against numpy.clip on every ISA target."""
import math

import numpy as np
import pytest

import trueno as xp


REAL = ["int8", "int16", "int32", "int64", "uint8", "uint16", "uint32", "uint64", "float32", "float64"]
FLOATS = ["float32", "float64"]



def data(dtype, n=37, seed=0):
    rng = np.random.default_rng(seed)
    if dtype == "bool":
        return rng.integers(0, 2, n).astype(bool)
    if np.dtype(dtype).kind == "f":
        return (rng.standard_normal(n) * 10).astype(dtype)
    info = np.iinfo(dtype)
    lo, hi = max(int(info.min), -100), min(int(info.max), 100)
    return rng.integers(lo, hi + 1, n).astype(dtype)


def expect(a, lo, hi):
    """NumPy's clip, kept in a's dtype."""
    return np.clip(a, lo, hi).astype(a.dtype)


def check(got, want):
    got = np.asarray(got)
    assert got.dtype == want.dtype
    assert got.shape == want.shape
    np.testing.assert_array_equal(got, want)


@pytest.mark.parametrize("dtype", REAL)
@pytest.mark.parametrize("n", [0, 1, 3, 7, 8, 16, 17, 33, 100, 1001])
@pytest.mark.parametrize("bounds", [(-5, 5), (None, 5), (-5, None), (None, None), (5, -5), (0, 0)])
def test_scalar_bounds(isa, dtype, n, bounds):
    a = data(dtype, n)
    lo, hi = bounds
    if np.dtype(dtype).kind == "u":
        lo = None if lo is None else abs(lo)
        hi = None if hi is None else abs(hi) + 10
        if bounds == (5, -5):
            lo, hi = 50, 5
    want = a.copy() if lo is None and hi is None else expect(a, lo, hi)
    check(xp.clip(xp.asarray(a), min=lo, max=hi), want)
    if np.dtype(dtype).kind == "f":
        flo = None if lo is None else lo + 0.5
        fhi = None if hi is None else hi - 0.25
        want = a.copy() if flo is None and fhi is None else expect(a, flo, fhi)
        check(xp.clip(xp.asarray(a), flo, fhi), want)


def test_result_is_new_memory():
    a = xp.asarray([1.0, 2.0])
    r = xp.clip(a)
    assert r is not a
    r[0] = 9.0
    assert float(a[0]) == 1.0


@pytest.mark.parametrize("dtype", REAL)
def test_array_bounds_broadcast(isa, dtype):
    a = data(dtype, 24).reshape(2, 3, 4)
    lo = data(dtype, 4, seed=1)
    hi = (data(dtype, 3, seed=2).reshape(3, 1))
    check(xp.clip(xp.asarray(a), xp.asarray(lo), xp.asarray(hi)), expect(a, lo, hi))
    check(xp.clip(xp.asarray(a), min=xp.asarray(lo)), expect(a, lo, None))
    check(xp.clip(xp.asarray(a), max=xp.asarray(hi)), expect(a, None, hi))
    # same-shape and 0-D array bounds
    lo2 = data(dtype, 24, seed=3).reshape(2, 3, 4)
    check(xp.clip(xp.asarray(a), xp.asarray(lo2), xp.asarray(hi)), expect(a, lo2, hi))
    lo0 = data(dtype, 1, seed=4).reshape(())
    check(xp.clip(xp.asarray(a), xp.asarray(lo0), None), expect(a, lo0, None))


@pytest.mark.parametrize("dtype", REAL)
def test_result_has_the_broadcast_shape_of_all_three(dtype):
    """As NumPy's, and as the official suite checks: a bound may be larger than x."""
    a = data(dtype, 2)
    lo = data(dtype, 2, seed=1).reshape(2, 1)
    check(xp.clip(xp.asarray(a), xp.asarray(lo)), expect(a, lo, None))
    x0 = data(dtype, 1).reshape(())
    empty = np.zeros(0, dtype=dtype)
    check(xp.clip(xp.asarray(x0), max=xp.asarray(empty)), expect(x0, None, empty))
    hi = data(dtype, 6, seed=2).reshape(3, 1, 2)
    check(xp.clip(xp.asarray(a), xp.asarray(lo), xp.asarray(hi)), expect(a, lo, hi))


def test_bounds_that_do_not_broadcast_raise():
    x = xp.asarray([1.0, 2.0])
    with pytest.raises(ValueError, match="clip"):
        xp.clip(x, xp.asarray([0.0, 1.0, 2.0]))
    with pytest.raises(ValueError, match="clip"):
        xp.clip(x, None, xp.asarray([[0.0, 1.0, 2.0]]))


@pytest.mark.parametrize("dtype", FLOATS)
def test_nan(isa, dtype):
    a = data(dtype, 50)
    a[::3] = np.nan
    a[1] = np.inf
    a[2] = -np.inf
    check(xp.clip(xp.asarray(a), -1.0, 1.0), expect(a, -1.0, 1.0))
    check(xp.clip(xp.asarray(a), max=1.0), expect(a, None, 1.0))
    for lo, hi in [(math.nan, 1.0), (-1.0, math.nan), (math.nan, math.nan), (math.nan, None), (None, math.nan)]:
        want = expect(a, lo, hi)
        assert np.isnan(want).all()
        check(xp.clip(xp.asarray(a), lo, hi), want)
    lo = np.full(50, -1.0, dtype)
    lo[::4] = np.nan
    hi = np.full(50, 1.0, dtype)
    hi[1::5] = np.nan
    check(xp.clip(xp.asarray(a), xp.asarray(lo), xp.asarray(hi)), expect(a, lo, hi))


@pytest.mark.parametrize("dtype", FLOATS)
def test_min_greater_than_max(isa, dtype):
    a = data(dtype, 40)
    check(xp.clip(xp.asarray(a), 2.0, -2.0), expect(a, 2.0, -2.0))
    lo = np.full(40, 3.0, dtype)
    hi = np.full(40, -3.0, dtype)
    check(xp.clip(xp.asarray(a), xp.asarray(lo), xp.asarray(hi)), expect(a, lo, hi))


@pytest.mark.parametrize("dtype", REAL)
def test_strided(isa, dtype):
    base = data(dtype, 200).reshape(10, 20)
    x = xp.asarray(base)
    lo, hi = (5, 50) if np.dtype(dtype).kind == "u" else (-5, 5)
    for key in [(slice(None), slice(None, None, 2)), (slice(None, None, -1), slice(1, None, 3)), (slice(None), 3)]:
        check(xp.clip(x[key], lo, hi), expect(base[key], lo, hi))
    check(xp.clip(xp.permute_dims(x, (1, 0)), lo, hi), expect(base.T, lo, hi))
    blo = np.full(20, lo, dtype)
    check(xp.clip(x[:, ::2], xp.asarray(blo)[::2], hi), expect(base[:, ::2], blo[::2], hi))


@pytest.mark.parametrize("dtype", REAL + ["bool"])
def test_zero_d_and_empty(isa, dtype):
    a = data(dtype, 1).reshape(())
    lo = hi = None if dtype == "bool" else 1
    want = a.copy() if dtype == "bool" else expect(a, lo, hi)
    check(xp.clip(xp.asarray(a), lo, hi), want)
    for shape in [(0,), (3, 0), (0, 4)]:
        e = np.zeros(shape, dtype)
        r = xp.clip(xp.asarray(e), lo, hi)
        check(r, e)


def test_bool(isa):
    a = np.array([True, False, True, False])
    t, f = np.array(True), np.array(False)
    for lo, hi in [(t, None), (None, f), (t, f), (f, t)]:
        check(xp.clip(xp.asarray(a), None if lo is None else xp.asarray(lo), None if hi is None else xp.asarray(hi)),
              expect(a, lo, hi))
    check(xp.clip(xp.asarray(a)), a)


@pytest.mark.parametrize("dtype", ["int8", "uint8", "int16", "int32", "int64", "uint64"])
def test_int_scalar_bounds_are_clamped(dtype):
    a = data(dtype, 20)
    info = np.iinfo(dtype)
    # Out-of-range Python ints (even beyond 64 bits) clamp to x's range.
    for lo, hi in [(-(10 ** 30), 10 ** 30), (int(info.min) - 1, int(info.max) + 1), (-(2 ** 64), 2 ** 64)]:
        check(xp.clip(xp.asarray(a), lo, hi), a)
    check(xp.clip(xp.asarray(a), 10 ** 30), np.full(20, info.max, dtype))
    check(xp.clip(xp.asarray(a), None, -(10 ** 30)), np.full(20, info.min, dtype))


def test_int_array_bound_of_other_dtype():
    a = np.array([-5, 5, 100], np.int8)
    lo = np.array([-3, 200, -300], np.int16)
    check(xp.clip(xp.asarray(a), xp.asarray(lo)), np.array([-3, 127, 100], np.int8))
    hi = np.array([1, 2, 250], np.uint8)
    check(xp.clip(xp.asarray(a), None, xp.asarray(hi)), np.array([-5, 2, 100], np.int8))
    u = np.array([1, 7, 200], np.uint8)
    check(xp.clip(xp.asarray(u), xp.asarray(np.array([-5, 5, 300], np.int16))), np.array([1, 7, 255], np.uint8))


def test_float_array_bound_of_other_width(isa):
    a = data("float32", 30)
    lo = data("float64", 30, seed=5) / 7
    check(xp.clip(xp.asarray(a), xp.asarray(lo)), np.maximum(a, lo).astype(np.float32))
    b = data("float64", 30)
    lo32 = data("float32", 30, seed=6)
    check(xp.clip(xp.asarray(b), xp.asarray(lo32)), expect(b, lo32, None))


def test_keeps_dtype_with_int_bound_for_float_x():
    a = data("float32", 10)
    r = xp.clip(xp.asarray(a), -1, 1)
    assert r.dtype == xp.float32
    check(r, expect(a, -1, 1))


def test_errors():
    f = xp.asarray([1.0, 2.0])
    i = xp.asarray([1, 2])
    b = xp.asarray([True, False])
    with pytest.raises(TypeError, match="x must be a trueno array"):
        xp.clip([1.0, 2.0], 0.0)
    with pytest.raises(TypeError, match="real-valued dtype"):
        xp.clip(xp.asarray([1 + 1j]), 0.0)
    with pytest.raises(TypeError, match="real-valued dtype"):
        xp.clip(xp.asarray([1 + 1j]))
    with pytest.raises(TypeError, match="a float min needs a floating-point x"):
        xp.clip(i, 1.5)
    with pytest.raises(TypeError, match="a float max needs a floating-point x"):
        xp.clip(i, None, 1.5)
    for bad in ["a", 1j, True, [1.0], np.float64(1.0) if False else (1.0,)]:
        with pytest.raises(TypeError, match="min must be an array or a real Python scalar"):
            xp.clip(f, bad)
        with pytest.raises(TypeError, match="max must be an array or a real Python scalar"):
            xp.clip(f, None, bad)
    with pytest.raises(TypeError, match="same kind as x"):
        xp.clip(f, xp.asarray([1, 2]))
    with pytest.raises(TypeError, match="same kind as x"):
        xp.clip(i, xp.asarray([1.0, 2.0]))
    with pytest.raises(TypeError, match="same kind as x"):
        xp.clip(f, None, xp.asarray([1 + 0j]))
    with pytest.raises(TypeError, match="same kind as x"):
        xp.clip(i, b)
    with pytest.raises(TypeError, match="same kind as x"):
        xp.clip(b, i)
    with pytest.raises(TypeError, match="same kind as x"):
        xp.clip(b, 1)
    with pytest.raises(TypeError):
        xp.clip(xp.asarray([1], dtype=xp.int8), xp.asarray([1], dtype=xp.uint64))
    with pytest.raises(OverflowError):
        xp.clip(f, 10 ** 400)


def test_signature():
    import inspect

    params = list(inspect.signature(xp.clip).parameters.values())
    assert [p.name for p in params] == ["x", "min", "max"]
    assert params[0].kind is inspect.Parameter.POSITIONAL_ONLY
    assert params[1].default is None and params[2].default is None

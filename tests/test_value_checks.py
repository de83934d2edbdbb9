"""Values that must raise instead of being stored wrong (issue 15, items 7 and 8).

A Python scalar (bool, int, float; a NumPy scalar where NumPy treats it as
one) that an integer dtype cannot hold raises, as NumPy does: NaN is a
ValueError, infinities and out-of-range values an OverflowError. Casting
arrays of such values (astype, array-to-array setitem, asarray of an array)
is implementation-defined; what trueno stores is written down in
``astype``'s docstring and the README, and checked here on every ISA target.
"""
from __future__ import annotations

import math

import numpy as np
import pytest

import trueno as xp

nan, inf = float("nan"), float("inf")

INTEGER_DTYPES = ["int8", "int16", "int32", "int64", "uint8", "uint16", "uint32", "uint64"]

# Python floats no integer dtype holds: (value, exception NumPy raises for it).
UNHOLDABLE_FLOATS = [(nan, ValueError), (inf, OverflowError), (-inf, OverflowError),
                     (1e30, OverflowError), (-1e30, OverflowError), (3.4e38, OverflowError)]


def dt(name):
    return getattr(xp, name)


# ------------------------------------------------ Python scalars that raise

@pytest.mark.parametrize("dtype", INTEGER_DTYPES)
@pytest.mark.parametrize("value, error", UNHOLDABLE_FLOATS)
def test_setitem_of_an_unholdable_float_raises_and_leaves_the_array(dtype, value, error):
    x = xp.arange(3, dtype=dt(dtype))
    with pytest.raises(error, match=r"__setitem__\(\)"):
        x[0] = value
    with pytest.raises(error, match=r"__setitem__\(\)"):
        x[...] = value
    assert x.tolist() == [0, 1, 2]


@pytest.mark.parametrize("dtype", INTEGER_DTYPES)
def test_setitem_of_a_float_just_past_the_range_raises(dtype):
    info = np.iinfo(dtype)
    x = xp.zeros(2, dtype=dt(dtype))
    # int() of the float is what must fit (NumPy's rule): the bounds themselves
    # and fractions that truncate into range are fine.
    past = [float(info.max) * 2 + 2, float(info.min) * 2 - 2 if info.min else -1.5]
    for value in past:
        with pytest.raises(OverflowError, match=f"__setitem__.*{dtype}"):
            x[0] = value
    inside = [-0.5, 0.9, float(info.min), float(info.max) if info.bits <= 32 else 2.0**52]
    for value in inside:
        x[0] = value
        assert x[0] == math.trunc(value)


@pytest.mark.parametrize("dtype", ["int8", "uint8", "int16", "int64"])
def test_setitem_of_numpy_scalars_checks_them_as_numpy_does(dtype):
    x = xp.arange(3, dtype=dt(dtype))
    with pytest.raises(ValueError):
        x[0] = np.float64(nan)
    with pytest.raises(OverflowError):
        x[0] = np.float32(1e30)
    if dtype != "int64":
        with pytest.raises(OverflowError):
            x[0] = np.int64(300_000)
    x[0] = np.float32(2.5)
    x[1] = np.int64(7)
    assert x.tolist() == [2, 7, 2]


@pytest.mark.parametrize("dtype", ["int8", "uint8", "int64"])
def test_setitem_of_a_sequence_converts_it_to_the_target_dtype(dtype):
    # NumPy converts a list to x's dtype: [nan] raises, [300] into int8 raises
    # (trueno made a float64/int64 array of it and cast it, silently).
    x = xp.arange(3, dtype=dt(dtype))
    with pytest.raises(ValueError):
        x[:2] = [nan, 1.0]
    with pytest.raises(OverflowError):
        x[:2] = [1e30, 1.0]
    if dtype != "int64":
        with pytest.raises(OverflowError):
            x[:2] = [300, 1]
    x[:2] = [2.5, 1]
    assert x.tolist() == [2, 1, 2]


def test_setitem_of_python_ints_past_the_range_raises():
    x = xp.arange(3, dtype=xp.int8)
    for value in (300, -129, 2**63, -(2**63) - 1):
        with pytest.raises(OverflowError):
            x[0] = value
    assert x.tolist() == [0, 1, 2]


@pytest.mark.parametrize("dtype", INTEGER_DTYPES)
@pytest.mark.parametrize("value, error", UNHOLDABLE_FLOATS)
def test_asarray_of_an_unholdable_float_raises(dtype, value, error):
    for obj in (value, [value], [[1.0, value]], (0, value)):
        with pytest.raises(error, match=r"asarray\(\)"):
            xp.asarray(obj, dtype=dt(dtype))


def test_asarray_of_floats_truncates_them_as_int_does():
    assert xp.asarray([2.5, -0.5, 255.9], dtype=xp.uint8).tolist() == [2, 0, 255]
    assert xp.asarray(-2.9, dtype=xp.int8).tolist() == -2
    with pytest.raises(OverflowError):
        xp.asarray([-1.5], dtype=xp.uint8)
    with pytest.raises(OverflowError):
        xp.asarray([256.0], dtype=xp.uint8)
    with pytest.raises(OverflowError):
        xp.asarray(2.0**63, dtype=xp.int64)
    assert xp.asarray(2.0**63, dtype=xp.uint64).tolist() == 2**63


@pytest.mark.parametrize("make", [
    lambda v, d: xp.full(3, v, dtype=d),
    lambda v, d: xp.full_like(xp.zeros(3, dtype=d), v),
], ids=["full", "full_like"])
def test_fill_values_the_dtype_cannot_hold_raise(make):
    for value in (300, -129):
        with pytest.raises(OverflowError):
            make(value, xp.int8)
    for value in (nan, inf, 1e30, 2.5):
        with pytest.raises(TypeError):  # a float fill_value needs a floating dtype
            make(value, xp.int8)


def test_arithmetic_with_python_floats_still_promotes_integer_arrays():
    # The spec leaves int array (op) float to the implementation; trueno, as
    # NumPy, computes in float64: no value check may get in the way.
    x = xp.arange(3, dtype=xp.int8)
    assert (x + 1.5).dtype == xp.float64
    assert np.isnan(np.asarray(x * nan)).all()
    assert (x + 1e30).tolist() == [1e30, 1e30 + 1, 1e30 + 2]
    assert xp.where(x > 0, x, nan).dtype == xp.float64
    with pytest.raises(OverflowError):
        x + 300
    with pytest.raises(TypeError):
        x += 1.5


@pytest.mark.parametrize("dtype, start, stop, step", [
    ("int8", 250, 260, 1),     # NumPy 2: OverflowError (the start)
    ("int8", 0, 300, 100),     # the last value (200) wrapped to -56
    ("int8", -200, 0, 100),
    ("uint8", 0, 257, 1),
    ("uint8", 5, -2, -1),
    ("int16", 0.5, 50000.5, 10000.0),
    ("uint8", -1.5, 3.0, 1.0),
])
def test_arange_values_the_dtype_cannot_hold_raise(dtype, start, stop, step):
    with pytest.raises(OverflowError, match=rf"arange\(\).*{dtype}"):
        xp.arange(start, stop, step, dtype=dt(dtype))


def test_arange_up_to_the_edges_of_the_dtype():
    assert xp.arange(120, 128, dtype=xp.int8).tolist() == list(range(120, 128))
    assert xp.arange(-128, -125, dtype=xp.int8).tolist() == [-128, -127, -126]
    assert xp.arange(0, 256, 51, dtype=xp.uint8).tolist() == [0, 51, 102, 153, 204, 255]
    assert xp.arange(5, -1, -1, dtype=xp.uint8).tolist() == [5, 4, 3, 2, 1, 0]
    assert xp.arange(250, 240, 1, dtype=xp.int8).tolist() == []  # empty: nothing to hold
    assert xp.arange(0.5, 3.0, dtype=xp.int8).tolist() == [0, 1, 2]
    assert xp.arange(2**63 - 3, 2**63 - 1, dtype=xp.int64).tolist() == [2**63 - 3, 2**63 - 2]


def test_linspace_endpoints_the_integer_dtype_cannot_hold_raise():
    with pytest.raises(OverflowError, match=r"linspace\(\).*int8"):
        xp.linspace(0, 300, 4, dtype=xp.int8)
    with pytest.raises(OverflowError, match=r"linspace\(\).*uint8"):
        xp.linspace(-1, 5, 4, dtype=xp.uint8)
    with pytest.raises(ValueError, match=r"linspace\(\)"):
        xp.linspace(nan, 1, 3, dtype=xp.int64)
    with pytest.raises(OverflowError, match=r"linspace\(\)"):
        xp.linspace(0, inf, 3, dtype=xp.int64)
    assert xp.linspace(0, 120, 4, dtype=xp.int8).tolist() == [0, 40, 80, 120]
    assert xp.linspace(0, 1, 3, dtype=xp.float32).tolist() == [0.0, 0.5, 1.0]


# ------------------------------------------- array casts: what trueno stores

def documented_cast(v, dtype):
    """The integer trueno stores for the float v in an array cast to dtype
    (the rule in astype's docstring): v itself, truncated, where dtype holds
    it; else, where int64 holds it, its low bits (wrapped, as C's conversion
    through int64); else (NaN, infinities, |v| >= 2**63) dtype's minimum."""
    info = np.iinfo(dtype)
    if math.isnan(v) or math.isinf(v):
        return int(info.min)
    t = math.trunc(v)
    if info.min <= t <= info.max:
        return t
    if -(2**63) <= t < 2**63:
        t %= 2**info.bits
        return t - 2**info.bits if info.kind == "i" and t > info.max else t
    return int(info.min)


CAST_VALUES = [nan, inf, -inf, 1e30, -1e30, 3.4e38, 300.5, -1.5, -129.9, 65536.0 + 7, 3e9, -3e9,
               5e18, -5e18, 2.0**63, -(2.0**63), 1.8e19, 0.0, -0.0, 127.9]


@pytest.mark.parametrize("dtype", INTEGER_DTYPES)
@pytest.mark.parametrize("source", ["float64", "float32"])
def test_array_casts_store_the_documented_values_on_every_isa(isa, dtype, source):
    values = np.asarray(CAST_VALUES, dtype=source)
    want = [documented_cast(float(v), dtype) for v in values]
    x = xp.asarray(values)
    assert xp.astype(x, dt(dtype)).tolist() == want
    assert xp.asarray(x, dtype=dt(dtype)).tolist() == want
    y = xp.zeros(len(values), dtype=dt(dtype))
    y[...] = x  # array-to-array setitem: a cast, not a check
    assert y.tolist() == want
    # strided and in long runs (the vectorised loop) alike
    long = np.tile(values, 97)
    assert xp.astype(xp.asarray(long), dt(dtype)).tolist() == want * 97
    assert xp.astype(xp.asarray(long[::-1].copy())[::-1], dt(dtype)).tolist() == want * 97


def test_setitem_of_a_0d_array_is_an_array_cast():
    # The fuzzer's find: float64 3.4e38 into int16. As an array value it is a
    # cast (documented), as a Python float an error.
    x = xp.arange(3, dtype=xp.int16)
    x[0] = xp.asarray(3.4e38)
    assert x.tolist() == [documented_cast(3.4e38, "int16"), 1, 2]
    with pytest.raises(OverflowError):
        x[0] = 3.4e38


# ---------------------------------------------------------- broadcasting sizes

def test_broadcast_shapes_whose_size_overflows_raise():
    with pytest.raises(ValueError, match=r"broadcast_shapes\(\)"):
        xp.broadcast_shapes((2**62, 1), (1, 2**62))
    with pytest.raises(ValueError, match=r"broadcast_shapes\(\)"):
        xp.broadcast_shapes((2**32, 1, 1), (1, 2**32, 1), (2**32,))
    with pytest.raises(ValueError, match=r"broadcast_shapes\(\)"):
        xp.broadcast_shapes((0, 2**62, 1), (1, 1, 2**62))  # NumPy's rule for zero-size shapes
    assert xp.broadcast_shapes((2**62, 1), (1, 1)) == (2**62, 1)
    assert xp.broadcast_shapes((0, 2**31), (2**31, 1, 1)) == (2**31, 0, 2**31)


def test_broadcast_arrays_whose_size_or_bytes_overflow_raise_naming_it():
    one = xp.asarray(1, dtype=xp.int8)
    a = xp.broadcast_to(one, (2**62, 1))
    b = xp.broadcast_to(one, (1, 2**62))
    with pytest.raises(ValueError, match=r"broadcast_arrays\(\)"):
        xp.broadcast_arrays(a, b)
    c = xp.broadcast_to(one, (2**61, 1))
    d = xp.broadcast_to(xp.asarray(1.0), (1, 2))
    with pytest.raises(ValueError, match=r"broadcast_arrays\(\).*bytes"):
        xp.broadcast_arrays(c, d)  # 2**62 elements fit, their 2**65 bytes do not
    e, f = xp.broadcast_arrays(c, xp.reshape(one, (1, 1)))
    assert e.shape == f.shape == (2**61, 1)


# ------------------------------------------------------ operators and sequences

@pytest.mark.parametrize("other", ["abc", b"abc", [1, 2], (1,), bytearray(b"a")])
def test_multiplying_a_0d_integer_array_by_a_sequence_raises_type_error(other):
    # Python fell back to sequence repetition through __index__: a 0-D int64
    # of 591759705761907514 asked for a string that long (MemoryError with
    # no message), and a small one repeated the list instead of multiplying.
    kind = type(other).__name__
    for n in (xp.asarray(591759705761907514), xp.asarray(3), xp.asarray(-1)):
        with pytest.raises(TypeError, match=f"'Array' and '{kind}'"):
            n * other
        with pytest.raises(TypeError, match=f"'{kind}' and 'Array'"):
            other * n
        with pytest.raises(TypeError):
            y = n
            y *= other
        with pytest.raises(TypeError):
            s = other
            s *= n


def test_sequences_that_handle_arrays_themselves_still_get_the_call():
    class Scaled(list):
        def __rmul__(self, other):
            return ("rmul", int(other))

        __mul__ = __rmul__

    assert xp.asarray(3) * Scaled([1]) == ("rmul", 3)
    assert Scaled([1]) * xp.asarray(3) == ("rmul", 3)


# ------------------------------------------------------------ float32 products

def _float32(values):
    return np.asarray(values, dtype=np.float32)


# The fuzzer's find (seed 777, call 481396): a column whose float32 partial
# products leave float32's range in some orders (trueno's row kernel
# multiplied x3 * x4 = -2.8e46 first: -inf; NumPy's sequential order passes a
# subnormal and ends at -39.03). In float64 it is -30.296.., rounded once.
FUZZ_COLUMN = [1.7388957e-10, -5.0969418e-14, -1.2271808e-22, -2.5881048e19, 1.0762552e27]


def _exact(values):
    return np.float32(np.prod(np.asarray(values, dtype=np.float32).astype(np.float64)))


@pytest.mark.parametrize("layout", ["contiguous", "reversed", "rows", "columns", "transposed", "chunked",
                                    "cumulative"])
def test_float32_products_accumulate_in_float64_on_every_isa(isa, layout):
    column = _float32(FUZZ_COLUMN)
    bounce = _float32([1e30, 1e30, 1e-30, 1e-30, 3.0])  # float32 overflows in order, float64 does not
    for values in (column, bounce):
        want = _exact(values)
        if layout == "contiguous":
            got = xp.prod(xp.asarray(values))
        elif layout == "reversed":
            got = xp.prod(xp.asarray(values[::-1].copy())[::-1])
        elif layout == "rows":   # axis 0 of a matrix: the row kernels
            m = np.repeat(values[:, None], 37, axis=1)
            got = xp.prod(xp.asarray(m), axis=0)[36]
        elif layout == "transposed":  # a strided reduced axis, one loop per output element
            m = np.repeat(values[:, None], 37, axis=1)
            got = xp.prod(xp.asarray(m).T, axis=1)[36]
        elif layout == "columns":  # the replayed call's layout: (3, 5, 16), axis=1
            a = np.ones((3, len(values), 16), dtype=np.float32)
            a[1, :, 5] = values
            got = xp.prod(xp.asarray(a), axis=1)[1, 5]
        elif layout == "chunked":  # long enough to be cut into chunks
            a = np.ones(2**19 + 5, dtype=np.float32)
            a[:: 2**17][: len(values)] = values
            got = xp.prod(xp.asarray(a))
        else:
            got = xp.cumulative_prod(xp.asarray(values))[-1]
        assert float(got) == float(want), (layout, float(got), float(want))
    assert xp.prod(xp.asarray(column)).dtype == xp.float32


def test_complex64_products_accumulate_in_complex128():
    z = np.asarray([1e30 + 0j, 1e30 + 0j, 1e-30 + 0j, 1e-30j], dtype=np.complex64)
    got = complex(xp.prod(xp.asarray(z)))
    assert got == pytest.approx(1j, rel=1e-6)
    assert xp.prod(xp.asarray(z)).dtype == xp.complex64


# ---------------------------------------------- dot products with infinities

def _ieee_dot(a, b):
    """sum_k a[k] * b[k] in exact arithmetic where every finite product is
    small: NaN from inf * 0, NaN, or infinities of both signs; else the sign
    of the infinite terms; else the (finite) float64 sum."""
    terms = [float(x) * float(y) for x, y in zip(a, b)]
    if any(math.isnan(t) for t in terms):
        return nan
    infinite = {math.copysign(1, t) for t in terms if math.isinf(t)}
    if len(infinite) == 2:
        return nan
    if infinite:
        return infinite.pop() * inf
    return math.fsum(terms)


@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_infinities_in_dot_products_give_ieee_results_on_every_isa(isa, dtype):
    # No kernel may multiply an infinity by a padding zero (a NaN NumPy
    # would not give), on any length around the vector widths.
    rng = np.random.default_rng(15)
    for n in list(range(1, 40)) + [63, 64, 65, 129]:
        for case in range(4):
            a = rng.uniform(-2, 2, n).astype(dtype)
            b = rng.uniform(-2, 2, n).astype(dtype)
            a[rng.integers(n)] = [inf, -inf][case % 2]
            if case == 2:
                b[rng.integers(n)] = -inf
            if case == 3:
                b[rng.integers(n)] = 0.0
            want = _ieee_dot(a, b)
            ta, tb = xp.asarray(a), xp.asarray(b)
            for label, got in [("matmul", xp.matmul(ta, tb)), ("vecdot", xp.vecdot(ta, tb)),
                               ("tensordot", xp.tensordot(ta, tb, axes=1)),
                               ("matrix", xp.matmul(xp.reshape(ta, (1, n)), xp.reshape(tb, (n, 1)))[0, 0]),
                               ("reversed", xp.vecdot(ta[::-1], tb[::-1]))]:
                got = float(got)
                if math.isnan(want):
                    assert math.isnan(got), (label, n, case)
                elif math.isinf(want):
                    assert got == want, (label, n, case, got)

"""The SIMD binary kernels (cpp/kernels/simd_binary.cpp) on every ISA target.

copysign, maximum, minimum and the comparisons are exact: bit-equal to the
scalar functors (kernels/scalar_math.h) for every real dtype, NaN, signed
zeros and infinities included. hypot and logaddexp are within 4 ULP of the
exact value (against NumPy's long double result; logaddexp in ULP of its
larger term, as its formula cancels),
and give the reference's special values exactly. Every layout
(strided, reversed, broadcast either side, every tail length) gives the bits
of the contiguous call.
"""
from __future__ import annotations

import warnings

import numpy as np
import pytest

import trueno as xp

FLOATS = [np.float32, np.float64]
INTS = [np.int8, np.int16, np.int32, np.int64, np.uint8, np.uint16, np.uint32, np.uint64]
COMPARISONS = {"equal": np.equal, "not_equal": np.not_equal, "less": np.less,
               "less_equal": np.less_equal, "greater": np.greater, "greater_equal": np.greater_equal}
MAX_ULP = 4.0


def functor_max(a, b):  # a > b ? a : b, NaN in either -> NaN
    return np.where(np.isnan(a) | np.isnan(b), np.nan, np.where(a > b, a, b)).astype(a.dtype)


def functor_min(a, b):
    return np.where(np.isnan(a) | np.isnan(b), np.nan, np.where(a < b, a, b)).astype(a.dtype)


EXACT = {"copysign": np.copysign, "maximum": functor_max, "minimum": functor_min}
APPROX = {"hypot": np.hypot, "logaddexp": np.logaddexp, "atan2": np.arctan2,
          "pow": np.power}  # pow: float32 in SIMD, float64 through libm


def specials(dtype):
    fi = np.finfo(dtype)
    return np.array([np.nan, np.inf, -np.inf, 0.0, -0.0, 1.0, -1.0, 0.5, -2.5, fi.max, -fi.max,
                     fi.tiny, -fi.smallest_subnormal, 1e30 if dtype == np.float64 else 1e30, 88.0, -104.0],
                    dtype=dtype)


def all_pairs(dtype, extra=300, seed=0):
    s = specials(dtype)
    a, b = np.meshgrid(s, s)
    rng = np.random.default_rng(seed)
    mag = lambda: 10.0 ** rng.uniform(-30, 30, extra) * rng.choice([-1, 1], extra)  # noqa: E731
    a = np.concatenate([a.ravel(), mag(), rng.standard_normal(extra) * 5]).astype(dtype)
    b = np.concatenate([b.ravel(), mag(), rng.standard_normal(extra) * 5]).astype(dtype)
    return a, b


def call(name, a, b):
    return np.asarray(getattr(xp, name)(xp.asarray(a), xp.asarray(b)))


def same_bits(got, want):
    np.testing.assert_array_equal(got, want)
    if got.dtype.kind == "f":
        np.testing.assert_array_equal(np.signbit(got), np.signbit(want))


@pytest.mark.parametrize("dtype", FLOATS)
@pytest.mark.parametrize("name", sorted(EXACT))
def test_exact_float_functions_match_the_functor(isa, name, dtype):
    a, b = all_pairs(dtype)
    with np.errstate(all="ignore"):
        want = EXACT[name](a, b)
    same_bits(call(name, a, b), want)


@pytest.mark.parametrize("dtype", INTS)
@pytest.mark.parametrize("name", ["maximum", "minimum"])
def test_integer_maximum_minimum(isa, name, dtype):
    info = np.iinfo(dtype)
    rng = np.random.default_rng(1)
    a = rng.integers(info.min, info.max, 203, dtype=dtype, endpoint=True)
    b = rng.integers(info.min, info.max, 203, dtype=dtype, endpoint=True)
    a[:4] = [info.min, info.max, 0, info.max]
    b[:4] = [info.max, info.min, 0, info.max]
    same_bits(call(name, a, b), getattr(np, name)(a, b))


@pytest.mark.parametrize("dtype", FLOATS + INTS)
@pytest.mark.parametrize("name", sorted(COMPARISONS))
def test_comparisons_match_numpy(isa, name, dtype):
    if np.dtype(dtype).kind == "f":
        a, b = all_pairs(dtype, extra=100)
    else:
        info = np.iinfo(dtype)
        rng = np.random.default_rng(2)
        a = rng.integers(info.min, info.max, 300, dtype=dtype, endpoint=True)
        b = np.where(rng.random(300) < 0.3, a, rng.integers(info.min, info.max, 300, dtype=dtype, endpoint=True))
        b = b.astype(dtype)
    want = COMPARISONS[name](a, b)
    for n in range(0, 70):  # every tail length
        got = call(name, a[:n], b[:n])
        assert got.dtype == np.bool_
        np.testing.assert_array_equal(got, want[:n], err_msg=f"n={n}")
    # a broadcast scalar on either side
    np.testing.assert_array_equal(call(name, a, b[3:4]), COMPARISONS[name](a, b[3:4]))
    np.testing.assert_array_equal(call(name, a[5:6], b), COMPARISONS[name](a[5:6], b))


@pytest.mark.parametrize("dtype", FLOATS)
@pytest.mark.parametrize("name", sorted(APPROX))
def test_approximations_within_4_ulp_and_exact_special_values(isa, name, dtype):
    a, b = all_pairs(dtype, extra=20000)
    with warnings.catch_warnings(), np.errstate(all="ignore"):
        warnings.simplefilter("ignore")
        # long double: a - b is exact in it where exp(-|a - b|) matters
        ref = APPROX[name](a.astype(np.longdouble), b.astype(np.longdouble))
    got = call(name, a, b)
    with np.errstate(all="ignore"):
        rounded = ref.astype(dtype)
    np.testing.assert_array_equal(np.isnan(got), np.isnan(rounded))
    special = ~np.isnan(rounded) & (~np.isfinite(rounded) | (rounded == 0))
    same_bits(got[special], rounded[special])
    scale = np.abs(ref)
    if name == "logaddexp":
        # max(a, b) + log1p(exp(-|a - b|)) cancels where the two terms have
        # opposite signs (the scalar formula too): the error is measured in
        # ULP of the larger term there.
        m = np.maximum(a, b).astype(np.longdouble)
        with np.errstate(all="ignore"):
            scale = np.fmax(scale, np.fmax(np.abs(m), np.abs(ref - m)))
    with np.errstate(all="ignore"):
        unit = np.spacing(scale.astype(dtype)).astype(np.longdouble)
        err = np.abs(got.astype(np.longdouble) - ref) / unit
    finite = np.isfinite(rounded) & np.isfinite(got) & (rounded != 0) & np.isfinite(unit)
    worst = int(np.argmax(np.where(finite, err, 0)))
    assert err[worst] <= MAX_ULP, (isa, name, err[worst], a[worst], b[worst], got[worst], ref[worst])


@pytest.mark.parametrize("dtype", FLOATS)
@pytest.mark.parametrize("name", sorted(APPROX) + sorted(EXACT) + sorted(COMPARISONS))
def test_layouts_agree_with_contiguous(isa, name, dtype):
    a, b = all_pairs(dtype, extra=50, seed=3)
    a, b = a[:140], b[:140]
    for n in (0, 1, 7, 17, 33, 70, 140):
        want = call(name, a[:n], b[:n])
        big_a, big_b = xp.asarray(np.repeat(a, 2)), xp.asarray(np.repeat(b, 2))
        got = np.asarray(getattr(xp, name)(big_a[: 2 * n : 2], big_b[: 2 * n : 2]))
        same_bits(got, want)
        rev = np.asarray(getattr(xp, name)(xp.asarray(np.ascontiguousarray(a[:n][::-1]))[::-1], xp.asarray(b[:n])))
        same_bits(rev, want)
        if n:
            scalar_b = np.asarray(getattr(xp, name)(xp.asarray(a[:n]), xp.asarray(b[0])))
            same_bits(scalar_b, call(name, a[:n], np.full(n, b[0], dtype)))


@pytest.mark.parametrize("dtype", FLOATS)
def test_pow_small_exponents_are_correctly_rounded(isa, dtype):
    """x**1, x**2, x**0.5 and x**-1 as x, x*x, sqrt(x), 1/x (libm's pow is
    correctly rounded there, and users compare x**2 with x*x)."""
    x = np.concatenate([np.arange(1, 3000), np.geomspace(1e-30, 1e30, 3000)]).astype(dtype)
    for e, want in ((1.0, x), (2.0, x * x), (0.5, np.sqrt(x)), (-1.0, dtype(1) / x)):
        same_bits(call("pow", x, np.full_like(x, e)), want)


@pytest.mark.parametrize("dtype", FLOATS)
def test_square_power_is_the_product_for_every_base(isa, dtype):
    """x ** 2 (a broadcast exponent of 2) is computed as x * x: the same bits as
    libm's pow for negative bases, NaN, infinities, signed zeros, subnormals and
    overflow, in every spelling and tail length."""
    a, _ = all_pairs(dtype)
    with np.errstate(all="ignore"):
        want = np.power(a, dtype(2))
    for n in (0, 1, 7, 17, a.size):
        same_bits(np.asarray(xp.asarray(a[:n]) ** 2), want[:n])
        same_bits(np.asarray(xp.pow(xp.asarray(a[:n]), xp.asarray(2.0, dtype=a.dtype))), want[:n])
    same_bits(np.asarray(xp.asarray(a)[::-2] ** 2), want[::-2])            # strided: the general kernel
    base_two = call("pow", np.full(64, 2, dtype), a[:64])                 # a broadcast base of 2 is no square
    same_bits(np.asarray(2.0 ** xp.asarray(a[:64])), base_two)


def test_float64_pow_within_4_ulp_where_exp_amplifies_log_error(isa):
    """The double-double log matters where |b log a| is large: results from
    1e-304 to 1e304, and bases near 1 with huge exponents."""
    rng = np.random.default_rng(5)
    n = 20000
    a = 10.0 ** rng.uniform(-300, 300, n)
    b = rng.uniform(-700, 700, n) / np.log(a)
    a2, b2 = 1 + rng.uniform(-1e-3, 1e-3, n), rng.uniform(-7e5, 7e5, n)
    x, y = np.concatenate([a, a2]), np.concatenate([b, b2])
    got = call("pow", x, y)
    with np.errstate(all="ignore"):
        ref = np.power(x.astype(np.longdouble), y.astype(np.longdouble))
        rounded = ref.astype(np.float64)
        ok = np.isfinite(rounded) & (np.abs(rounded) > np.finfo(np.float64).tiny)
        err = np.abs(got[ok].astype(np.longdouble) - ref[ok]) / np.spacing(np.abs(rounded[ok])).astype(np.longdouble)
    assert ok.sum() > n and err.max() <= MAX_ULP, float(err.max())

"""Differential tests of every elementwise function against NumPy.

One table (ELEMENTWISE) drives hypothesis-generated inputs over each dtype a
function accepts, shapes including 0-D, zero-size and broadcast pairs,
contiguous and strided (negative-step) layouts, and every compiled ISA target.
Result dtypes are checked against array-api-strict (the spec's rules), values
against NumPy.
"""
from __future__ import annotations

import math
import warnings

import array_api_strict as strict
import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

import trueno as xp

from dtype_groups import ANY, BOOL, COMPLEX, FLOAT, INT, NUMERIC, REAL, REAL_FLOAT, SIGNED, UNSIGNED, promotable

# name -> (dtypes accepted by the spec, NumPy reference or None for np.<name>)
UNARY = {
    "abs": (NUMERIC, None), "acos": (FLOAT, np.arccos), "acosh": (FLOAT, np.arccosh),
    "asin": (FLOAT, np.arcsin), "asinh": (FLOAT, np.arcsinh), "atan": (FLOAT, np.arctan),
    "atanh": (FLOAT, np.arctanh), "bitwise_invert": (BOOL + INT, np.invert),
    "ceil": (REAL, None), "conj": (NUMERIC, None), "cos": (FLOAT, None), "cosh": (FLOAT, None),
    "exp": (FLOAT, None), "expm1": (REAL_FLOAT, None), "floor": (REAL, None),
    "imag": (COMPLEX, None), "isfinite": (NUMERIC, None), "isinf": (NUMERIC, None),
    "isnan": (NUMERIC, None), "log": (FLOAT, None), "log1p": (REAL_FLOAT, None),
    "log2": (FLOAT, None), "log10": (FLOAT, None), "logical_not": (BOOL, None),
    "negative": (NUMERIC, None), "positive": (NUMERIC, None), "real": (NUMERIC, None),
    "reciprocal": (FLOAT, lambda x: np.divide(np.ones((), x.dtype), x)),  # the spec: as 1.0 / x
    "round": (REAL, None), "sign": (REAL, None),
    "signbit": (REAL_FLOAT, None), "sin": (FLOAT, None), "sinh": (FLOAT, None),
    "square": (NUMERIC, None), "sqrt": (FLOAT, None), "tan": (FLOAT, None),
    "tanh": (FLOAT, None), "trunc": (REAL, None),
}
BINARY = {
    "add": (NUMERIC, None), "atan2": (REAL_FLOAT, np.arctan2),
    "bitwise_and": (BOOL + INT, None), "bitwise_or": (BOOL + INT, None),
    "bitwise_xor": (BOOL + INT, None), "bitwise_left_shift": (INT, None),
    "bitwise_right_shift": (INT, None), "copysign": (REAL_FLOAT, None),
    "divide": (FLOAT, None), "equal": (ANY, None), "floor_divide": (REAL, None),
    "greater": (REAL, None), "greater_equal": (REAL, None), "hypot": (REAL_FLOAT, None),
    "less": (REAL, None), "less_equal": (REAL, None), "logaddexp": (REAL_FLOAT, None),
    "logical_and": (BOOL, None), "logical_or": (BOOL, None), "logical_xor": (BOOL, None),
    "maximum": (REAL, None), "minimum": (REAL, None), "multiply": (NUMERIC, None),
    "nextafter": (REAL_FLOAT, None), "not_equal": (ANY, None), "pow": (FLOAT, np.power),
    "remainder": (REAL, None), "subtract": (NUMERIC, None),
}

ISAS = xp.available_isas()
SIMD_FUNCS = {"add", "subtract", "multiply", "divide"}
# Unary functions with float32/float64 SIMD loops (kernels/simd_math.cpp).
SIMD_FUNCS |= {"abs", "acos", "acosh", "asin", "asinh", "atan", "atanh", "ceil", "cos", "exp", "expm1",
               "floor", "log", "log1p", "log2", "log10", "negative", "reciprocal", "round", "sign", "sin",
               "sinh", "sqrt", "square", "tanh", "trunc", "cosh", "tan"}
# Binary functions with SIMD loops (kernels/simd_binary.cpp).
SIMD_FUNCS |= {"copysign", "maximum", "minimum", "hypot", "logaddexp", "atan2", "pow", "equal",
               "not_equal", "less", "less_equal", "greater", "greater_equal"}


def reference(name, table):
    ref = table[name][1]
    return ref if ref is not None else getattr(np, name)


def layouts(draw, arr):
    """The array as given, or a strided / reversed view of a larger one."""
    kind = draw(st.sampled_from(["contiguous", "reversed", "strided"]))
    if kind == "contiguous" or arr.ndim == 0:
        return arr
    if kind == "reversed":
        return np.flip(np.ascontiguousarray(np.flip(arr)))
    big = np.repeat(arr, 2, axis=-1)
    return big[..., ::2]


def to_trueno(a):
    return xp.asarray(a)


def assert_matches(got, expected, dtype_name):
    got_np = np.asarray(got)
    assert got.shape == expected.shape, (got.shape, expected.shape)
    if expected.dtype.kind in "fc":
        tol = 1e-5 if got_np.dtype in (np.float32, np.complex64) else 1e-12
        expected = expected.astype(got_np.dtype)
        if got_np.dtype.kind != "c":
            np.testing.assert_allclose(got_np, expected, rtol=tol, atol=tol, equal_nan=True)
            return
        # Complex: finite values within tol of the expected MAGNITUDE (a part
        # may cancel: 135*9.96e8 - 135*9.93e8); non-finite parts must agree.
        finite = np.isfinite(got_np) & np.isfinite(expected)
        err = np.abs(got_np - expected)[finite]
        assert np.all(err <= tol + tol * np.abs(expected)[finite]), (got_np, expected)
        # Complex inputs here are finite (elements_for), so a non-finite result
        # is an overflow, whose parts the spec leaves open: NumPy's pow by
        # repeated squaring makes inf - inf = nan where trueno keeps inf (found
        # by hypothesis: (4.4e12+1j)**4 in complex64). Both must overflow.
        np.testing.assert_array_equal(np.isfinite(got_np), np.isfinite(expected))
    else:
        np.testing.assert_array_equal(got_np, expected)


def strict_dtype(name, *dtype_names):
    args = [strict.asarray(np.zeros((), dtype=d)) for d in dtype_names]
    return getattr(strict, name)(*args).dtype._np_dtype.name


def elements_for(dtype_name):
    if dtype_name.startswith("float"):
        return {"allow_nan": True, "allow_infinity": True}
    if dtype_name.startswith("complex"):
        # Complex infinities: NumPy and C99 Annex G disagree and the spec
        # leaves most cases open; the official suite checks the ones it defines.
        # Moderate magnitudes too: near the overflow threshold NumPy computes
        # some complex products in wider precision.
        return {"allow_nan": False, "allow_infinity": False, "max_magnitude": 1e15}
    return None


@pytest.mark.parametrize("isa", ISAS)
@pytest.mark.parametrize("name", sorted(UNARY))
@settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck))
@given(data=st.data())
def test_unary_matches_numpy(name, isa, data):
    if isa != ISAS[0] and name not in SIMD_FUNCS:
        pytest.skip("only the SIMD functions differ between ISA targets")
    dtypes, _ = UNARY[name]
    dtype = data.draw(st.sampled_from(dtypes))
    shape = data.draw(hnp.array_shapes(min_dims=0, max_dims=3, min_side=0, max_side=5))
    arr = data.draw(hnp.arrays(np.dtype(dtype), shape, elements=elements_for(dtype)))
    arr = layouts(data.draw, arr)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        expected = np.asarray(reference(name, UNARY)(arr))
    xp.set_isa(isa)
    try:
        got = getattr(xp, name)(to_trueno(arr))
    finally:
        xp.set_isa("best")
    assert str(got.dtype) == strict_dtype(name, dtype)
    assert_matches(got, expected, dtype)


@pytest.mark.parametrize("isa", ISAS)
@pytest.mark.parametrize("name", sorted(BINARY))
@settings(max_examples=20, deadline=None, suppress_health_check=list(HealthCheck))
@given(data=st.data())
def test_binary_matches_numpy(name, isa, data):
    if isa != ISAS[0] and name not in SIMD_FUNCS:
        pytest.skip("only the SIMD functions differ between ISA targets")
    dtypes, _ = BINARY[name]
    d1 = data.draw(st.sampled_from(dtypes))
    d2 = data.draw(st.sampled_from([d for d in dtypes if promotable(d1, d)]))
    s1, s2 = data.draw(hnp.mutually_broadcastable_shapes(num_shapes=2, min_dims=0, max_dims=3, max_side=4)).input_shapes
    a = layouts(data.draw, data.draw(hnp.arrays(np.dtype(d1), s1, elements=elements_for(d1))))
    b = layouts(data.draw, data.draw(hnp.arrays(np.dtype(d2), s2, elements=elements_for(d2))))
    if name.startswith("bitwise_") and "shift" in name:
        bits = np.dtype(np.result_type(a, b)).itemsize * 8
        b = np.clip(b, 0, bits - 1).astype(b.dtype)
    result_dtype = strict_dtype(name, d1, d2)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        expected = np.asarray(reference(name, BINARY)(a.astype(result_dtype) if _is_arith(name) else a,
                                                      b.astype(result_dtype) if _is_arith(name) else b))
    if name in ("floor_divide", "remainder") and np.dtype(result_dtype).kind in "iu":
        expected = np.where(np.broadcast_to(b, expected.shape) == 0, 0, expected)
    if name == "floor_divide" and np.dtype(result_dtype).kind == "f":
        # The spec's first choice where an operand is infinite (NumPy takes the
        # "Python behaviour" the spec also allows): floor(x1 / x2), e.g. -1 // inf = -0.
        with np.errstate(all="ignore"):
            spec = np.floor(a.astype(result_dtype) / b.astype(result_dtype))
        infinite = np.broadcast_to(np.isinf(a) | np.isinf(b), expected.shape)
        expected = np.where(infinite, spec, expected)
    xp.set_isa(isa)
    try:
        got = getattr(xp, name)(to_trueno(a), to_trueno(b))
    finally:
        xp.set_isa("best")
    assert str(got.dtype) == result_dtype
    assert_matches(got, expected, result_dtype)


def _is_arith(name):
    return name not in ("equal", "not_equal", "greater", "greater_equal", "less", "less_equal",
                        "logical_and", "logical_or", "logical_xor")


SPECIAL = [math.nan, math.inf, -math.inf, 0.0, -0.0, 1.0, -1.0, 1e-300, 1e300]


@pytest.mark.parametrize("name", ["exp", "expm1", "log", "log1p", "sqrt", "tanh", "sin", "cos",
                                  "floor", "ceil", "trunc", "round", "sign", "abs"])
@pytest.mark.parametrize("dtype", REAL_FLOAT)
def test_unary_special_values(name, dtype):
    arr = np.array(SPECIAL, dtype=dtype)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        expected = reference(name, UNARY)(arr)
    got = np.asarray(getattr(xp, name)(xp.asarray(arr)))
    np.testing.assert_array_equal(np.signbit(got[~np.isnan(got)]), np.signbit(expected[~np.isnan(expected)]))
    assert_matches(xp.asarray(got), expected, dtype)


@pytest.mark.parametrize("dtype", SIGNED + UNSIGNED)
def test_integer_overflow_wraps(dtype):
    info = np.iinfo(dtype)
    a = np.array([info.max, info.min, info.max], dtype=dtype)
    b = np.array([1, -1 if info.min < 0 else 1, info.max], dtype=dtype)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for name in ("add", "subtract", "multiply"):
            np.testing.assert_array_equal(np.asarray(getattr(xp, name)(xp.asarray(a), xp.asarray(b))),
                                          getattr(np, name)(a, b))


@pytest.mark.parametrize("dtype", COMPLEX)
def test_complex_expm1_of_signed_zeros(dtype):
    got = np.asarray(xp.expm1(xp.asarray(np.array([complex(-0.0, 0.0), complex(0.0, 0.0)], dtype=dtype))))
    assert not np.signbit(got.real).any() and not np.signbit(got.imag).any()

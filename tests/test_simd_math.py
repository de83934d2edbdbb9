"""The SIMD unary kernels (cpp/kernels/simd_math.cpp) on every ISA target.

For each vectorised function, float32 and float64, on each target trueno can
run here: (a) the error over a dense sweep of the domain, in ULP of the
correctly rounded result, is at most 4 (float32 against NumPy's float64
result rounded; float64 against NumPy's libm result); (b) special values
(NaN, +-inf, +-0, subnormals, overflow thresholds, domain edges) give exactly
the reference's non-finite values and signed zeros; (c) strided, reversed,
unaligned and every tail length give the same bits as the contiguous call.
"""
from __future__ import annotations

import warnings

import numpy as np
import pytest

import trueno as xp

F32_MAX, F64_MAX = float(np.finfo(np.float32).max), float(np.finfo(np.float64).max)

# name -> (NumPy reference, float32 domain, float64 domain)
APPROX = {
    "exp": (np.exp, (-110, 90), (-760, 712)),
    "expm1": (np.expm1, (-110, 90), (-760, 712)),
    "tanh": (np.tanh, (-30, 30), (-30, 30)),
    "sinh": (np.sinh, (-91, 91), (-712, 712)),
    "cosh": (np.cosh, (-91, 91), (-712, 712)),
    "tan": (np.tan, (-1e7, 1e7), (-1e7, 1e7)),  # SIMD to 2^20, the scalar functor beyond
    "log": (np.log, (0, F32_MAX), (0, F64_MAX)),
    "log2": (np.log2, (0, F32_MAX), (0, F64_MAX)),
    "log10": (np.log10, (0, F32_MAX), (0, F64_MAX)),
    "log1p": (np.log1p, (-1, F32_MAX), (-1, F64_MAX)),
    "sin": (np.sin, (-1e6, 1e6), (-1e6, 1e6)),
    "cos": (np.cos, (-1e6, 1e6), (-1e6, 1e6)),
    "asin": (np.arcsin, (-1, 1), (-1, 1)),
    "acos": (np.arccos, (-1, 1), (-1, 1)),
    "atan": (np.arctan, (-F32_MAX, F32_MAX), (-F64_MAX, F64_MAX)),
    "asinh": (np.arcsinh, (-F32_MAX, F32_MAX), (-F64_MAX, F64_MAX)),
    "acosh": (np.arccosh, (1, F32_MAX), (1, F64_MAX)),
    "atanh": (np.arctanh, (-1, 1), (-1, 1)),
}


def _sign(x):
    # The scalar functor: NaN passes through, zeros give +0.
    return np.where(np.isnan(x), x, np.where(x > 0, 1, np.where(x < 0, -1, 0))).astype(x.dtype)


# Correctly rounded in hardware: bit-exact against NumPy.
EXACT = {
    "sqrt": np.sqrt, "abs": np.abs, "negative": np.negative, "square": np.square,
    "reciprocal": lambda x: np.divide(np.ones((), x.dtype), x), "floor": np.floor,
    "ceil": np.ceil, "trunc": np.trunc, "round": np.round, "sign": _sign,
}
MAX_ULP = 4.0



def sweep(lo, hi, dtype, n=100_000):
    """Linear points over [lo, hi] (capped at +-1e4) and log-spaced magnitudes
    from the smallest subnormal to the largest, both signs, inside [lo, hi]."""
    fi = np.finfo(dtype)
    top = min(max(abs(lo), abs(hi)), float(fi.max))
    with np.errstate(all="ignore"):
        mag = np.logspace(np.log10(float(fi.smallest_subnormal)), np.log10(top), n)
    x = np.concatenate([np.linspace(max(lo, -1e4), min(hi, 1e4), n), mag, -mag, [lo, hi]])
    x = x[(x >= lo) & (x <= hi)].astype(dtype)
    return x


def reference(f, x):
    with warnings.catch_warnings(), np.errstate(all="ignore"):
        warnings.simplefilter("ignore")
        return f(x.astype(np.float64))  # float32: the (nearly) exact value


def rounded_to(ref, dtype):
    with np.errstate(all="ignore"):
        return ref.astype(dtype)


def ulp_error(got, ref, dtype):
    """|got - ref| in ULP of ref rounded to dtype, where both are finite."""
    rounded = rounded_to(ref, dtype)
    both = np.isfinite(rounded) & np.isfinite(got)
    unit = np.spacing(np.abs(rounded[both])).astype(np.float64)
    return np.abs(got[both].astype(np.float64) - ref[both]) / unit


def run(name, x):
    return np.asarray(getattr(xp, name)(xp.asarray(x)))


def assert_same_specials(got, ref, dtype, x):
    rounded = rounded_to(ref, dtype)
    np.testing.assert_array_equal(np.isnan(got), np.isnan(rounded), err_msg=f"NaN at {x}")
    special = ~np.isnan(rounded) & (~np.isfinite(rounded) | (rounded == 0))
    np.testing.assert_array_equal(got[special], rounded[special], err_msg=f"inputs {x[special]}")
    np.testing.assert_array_equal(np.signbit(got[special]), np.signbit(rounded[special]),
                                  err_msg=f"sign of zero at {x[special]}")


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("name", sorted(APPROX))
def test_ulp_error_over_the_domain(isa, name, dtype):
    f, d32, d64 = APPROX[name]
    x = sweep(*(d32 if dtype == np.float32 else d64), dtype)
    got = run(name, x)
    ref = reference(f, x)
    assert_same_specials(got, ref, dtype, x)
    err = ulp_error(got, ref, dtype)
    worst = int(np.argmax(err))
    assert err[worst] <= MAX_ULP, (isa, name, x[np.isfinite(rounded_to(ref, dtype)) & np.isfinite(got)][worst], err[worst])


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("name", sorted(EXACT))
def test_exact_functions_are_bit_exact(isa, name, dtype):
    fi = np.finfo(dtype)
    x = sweep(-float(fi.max), float(fi.max), dtype)
    x = np.concatenate([x, np.arange(-8, 8.5, 0.5, dtype=dtype), special_inputs(dtype)])
    with np.errstate(all="ignore"):
        expected = EXACT[name](x)
    got = run(name, x)
    np.testing.assert_array_equal(got, expected)
    np.testing.assert_array_equal(np.signbit(got), np.signbit(expected))


def special_inputs(dtype):
    fi = np.finfo(dtype)
    t = dtype
    exp_max = t(88.72283172607421875) if t == np.float32 else t(709.782712893383973096)
    vals = [np.nan, np.inf, -np.inf, 0.0, -0.0, fi.smallest_subnormal, -fi.smallest_subnormal,
            fi.smallest_normal, -fi.smallest_normal, fi.eps, -fi.eps, fi.max, -fi.max,
            0.5, -0.5, 1.5, -1.5, 2.5, -2.5, 1.0, -1.0, 2.0, -2.0, 10.0, 0.1,
            np.nextafter(t(1), t(2)), np.nextafter(t(1), t(0)), np.nextafter(t(-1), t(-2)),
            np.nextafter(t(-1), t(0)), exp_max, np.nextafter(exp_max, t(np.inf)),
            np.nextafter(exp_max, t(0)), 89.0, -89.0, 89.5, -89.5, 710.0, -710.0, 750.0, -750.0,
            -103.0, -104.0, -105.0, -745.0, -746.0, 18.5, 19.0, 20.0, 21.0, -20.0, 40.0,
            8192.0, np.nextafter(t(8192), t(np.inf)), 39000.0, 1e5, -1e5, 1e10, 2.0**30 + 0.5,
            2.0**23 + 0.5, 2.0**52 + 0.5, 0.49999997, 0.5000001, 1e-30, -1e-30]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return np.array(vals, dtype=dtype)


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("name", sorted(APPROX))
def test_special_values(isa, name, dtype):
    x = special_inputs(dtype)
    got = run(name, x)
    ref = reference(APPROX[name][0], x)
    assert_same_specials(got, ref, dtype, x)
    assert np.all(ulp_error(got, ref, dtype) <= MAX_ULP), (x, got, ref)


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("name", sorted(APPROX) + sorted(EXACT))
def test_layouts_and_tails_agree_with_contiguous(isa, name, dtype):
    f, d32, d64 = APPROX.get(name, (None, (-50, 50), (-50, 50)))
    lo, hi = d32 if dtype == np.float32 else d64
    rng = np.random.default_rng(0)
    base = rng.uniform(max(lo, -50), min(hi, 50), 3 * 70 + 3).astype(dtype)
    base[::7] = special_inputs(dtype)[: len(base[::7])]
    big = xp.asarray(base)
    for n in range(68):
        x = base[1 : 1 + n]
        want = run(name, x)
        views = {
            "unaligned": big[1 : 1 + n],
            "strided": xp.asarray(np.repeat(base, 3))[3 : 3 + 3 * n : 3],
            "reversed": xp.asarray(np.ascontiguousarray(x[::-1]))[::-1],
        }
        for kind, v in views.items():
            got = np.asarray(getattr(xp, name)(v))
            np.testing.assert_array_equal(got, want, err_msg=f"{kind} n={n}")
            np.testing.assert_array_equal(np.signbit(got), np.signbit(want), err_msg=f"{kind} n={n}")
        if f is not None:
            assert_same_specials(want, reference(f, x), dtype, x)


EXACT_SPEC_VALUES = {  # the spec's finite special cases: exact, not merely within 4 ULP
    "exp": [(0.0, 1.0), (-0.0, 1.0)], "cos": [(0.0, 1.0), (-0.0, 1.0)], "cosh": [(0.0, 1.0), (-0.0, 1.0)],
    "log": [(1.0, 0.0)], "log2": [(1.0, 0.0)], "log10": [(1.0, 0.0)], "acos": [(1.0, 0.0)],
    "acosh": [(1.0, 0.0)], "sqrt": [(1.0, 1.0)], "expm1": [(0.0, 0.0)], "log1p": [(0.0, 0.0)],
    "tanh": [(0.0, 0.0)], "tan": [(0.0, 0.0)], "sin": [(0.0, 0.0)], "asin": [(0.0, 0.0)], "atan": [(0.0, 0.0)],
    "sinh": [(0.0, 0.0)], "asinh": [(0.0, 0.0)], "atanh": [(0.0, 0.0)],
}


@pytest.mark.parametrize("name", sorted(EXACT_SPEC_VALUES))
@pytest.mark.parametrize("dtype", ["float32", "float64"])
@pytest.mark.parametrize("n", [1, 37])  # the scalar tail and the vector body
def test_spec_special_values_are_exact(isa, name, dtype, n):
    for x, expected in EXACT_SPEC_VALUES[name]:
        got = np.asarray(getattr(xp, name)(xp.full((n,), x, dtype=getattr(xp, dtype))))
        assert np.all(got == expected), (name, x, got[0])
        assert np.all(np.signbit(got) == np.signbit(np.float64(expected) if expected else np.float64(x)))


EDGE_LANES = {  # input -> exact result, for the guards around the fast exp/tanh paths
    "exp": [(np.nan, np.nan), (np.inf, np.inf), (-np.inf, 0.0), (1000.0, np.inf), (-1000.0, 0.0)],
    "tanh": [(np.nan, np.nan), (np.inf, 1.0), (-np.inf, -1.0), (1000.0, 1.0), (-1000.0, -1.0),
             (-0.0, -0.0)],
}


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("name", sorted(EDGE_LANES))
def test_one_edge_lane_leaves_its_neighbours_alone(isa, name, dtype):
    """exp and tanh take a fast path for vectors of ordinary inputs; one NaN,
    infinite or overflowing lane anywhere in a vector must give its exact
    result and leave the other lanes' results as they are without it."""
    rng = np.random.default_rng(1)
    x = rng.uniform(-5, 5, 64).astype(dtype)
    plain = run(name, x)
    for value, expected in EDGE_LANES[name]:
        for lane in range(17):
            y = x.copy()
            y[lane] = value
            got = run(name, y)
            want = plain.copy()
            want[lane] = expected
            np.testing.assert_array_equal(got, want, err_msg=f"{value} at lane {lane}")
            assert np.signbit(got[lane]) == np.signbit(dtype(expected)), (value, lane)


def test_float64_tan_near_multiples_of_half_pi(isa):
    """tan's argument reduction (x - n pi/2 with pi/2 in three 33-bit parts and
    error-free subtractions) where it cancels most: the doubles nearest to
    k pi/2 for k up to 2^20 (the SIMD range), against 50-digit mpmath."""
    mpmath = pytest.importorskip("mpmath")
    rng = np.random.default_rng(3)
    ks = np.concatenate([np.arange(1, 40), rng.integers(40, 2**20 * 0.63, 300)])
    with mpmath.workdps(50):
        near = np.array([float(mpmath.mpf(int(k)) * mpmath.pi / 2) for k in ks])
        x = np.concatenate([near, np.nextafter(near, np.inf), np.nextafter(near, -np.inf), -near])
        exact = [mpmath.tan(mpmath.mpf(float(v))) for v in x]
    got = np.asarray(xp.tan(xp.asarray(x)))
    for v, g, e in zip(x, got, exact):
        err = float(abs(mpmath.mpf(float(g)) - e)) / float(np.spacing(abs(float(e))))
        assert err <= MAX_ULP, (isa, v, g, float(e), err)

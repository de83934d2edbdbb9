"""linalg.vector_norm and linalg.matrix_norm (native: cpp/ops/norm.cpp over
kernels/simd_norm.cpp) against NumPy on every SIMD target, every ord, axis
and layout, and against exact references where NumPy's unscaled formulas
overflow or underflow.
"""
from __future__ import annotations

import math
from fractions import Fraction

import numpy as np
import pytest

import trueno as xp
from trueno import linalg as la

from linalg_data import rand

INEXACT = ["float32", "float64", "complex64", "complex128"]
REAL_OF = {"float32": "float32", "float64": "float64", "complex64": "float32", "complex128": "float64"}
WIDE = {"float32": "float64", "float64": "float64", "complex64": "complex128", "complex128": "complex128"}
VECTOR_ORDS = [2, 1, math.inf, -math.inf, 0, 3, -1, -2, 0.5, 2.5]
MATRIX_ORDS = ["fro", "nuc", 1, -1, 2, -2, math.inf, -math.inf]
AXES = [None, 0, -1, 1, (0, 2), (2, 0), (0, 1, 2), (-1, -2)]


def rtol(dtype):
    return 2e-6 if REAL_OF[dtype] == "float32" else 1e-13


def check(got, expected, dtype, atol=0.0):
    assert isinstance(got, xp.Array)
    assert got.dtype == getattr(xp, REAL_OF[dtype])
    got = np.asarray(got)
    assert got.shape == np.shape(expected)
    np.testing.assert_allclose(got, expected, rtol=rtol(dtype), atol=atol)


def numpy_vector_norm(a, **kw):
    """NumPy's norm of `a` computed wide (the reference is more accurate than either)."""
    with np.errstate(all="ignore"):
        return np.linalg.vector_norm(a.astype(WIDE[a.dtype.name]), **kw)


def layouts(shape, dtype):
    """(name, NumPy array, trueno array holding the same values in that layout)."""
    a = rand(shape, dtype)
    yield "contiguous", a, xp.asarray(a)
    wide = rand(shape[:-1] + (2 * shape[-1],), dtype, 1) if shape else a
    if shape:
        yield "strided", wide[..., ::2], xp.asarray(wide)[..., ::2]
    b = rand(shape[::-1], dtype, 2)
    perm = tuple(range(len(shape)))[::-1]
    yield "transposed", np.transpose(b, perm), xp.permute_dims(xp.asarray(b), perm)
    if shape:
        yield "reversed", a[::-1], xp.asarray(a)[::-1]


# ------------------------------------------------------------------ vector_norm

@pytest.mark.parametrize("ord", VECTOR_ORDS)
@pytest.mark.parametrize("dtype", INEXACT)
def test_vector_norm_matches_numpy(isa, dtype, ord):
    for name, a, t in layouts((3, 4, 5), dtype):
        for axis in AXES:
            for keepdims in (False, True):
                expected = numpy_vector_norm(a, axis=axis, keepdims=keepdims, ord=ord)
                check(la.vector_norm(t, axis=axis, keepdims=keepdims, ord=ord), expected, dtype)


@pytest.mark.parametrize("ord", VECTOR_ORDS)
@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_vector_norm_lengths_cross_every_kernel_path(isa, dtype, ord):
    # rows shorter than the scalar cut (16), around the vector widths and
    # blocks (512 elements), and columns (the kept innermost axis) around the
    # column block (1024)
    for n in (1, 3, 15, 16, 17, 31, 33, 64, 100, 511, 513, 1000, 4099):
        a = rand((n,), dtype, n)
        check(la.vector_norm(xp.asarray(a), ord=ord), numpy_vector_norm(a, ord=ord), dtype)
    for shape, axis in (((7, 37), 0), ((3, 1030), 0), ((5, 9, 3), 1), ((4, 5, 6), (0, 1)), ((40, 2), 0)):
        a = rand(shape, dtype, 3)
        check(la.vector_norm(xp.asarray(a), axis=axis, ord=ord), numpy_vector_norm(a, axis=axis, ord=ord), dtype)


@pytest.mark.parametrize("ord", VECTOR_ORDS)
@pytest.mark.parametrize("dtype", INEXACT)
def test_vector_norm_nan_and_inf_propagate_as_numpy(isa, dtype, ord):
    for n in (5, 40):
        for special in (np.nan, np.inf, -np.inf):
            for where in (0, n - 1):
                a = rand((n,), dtype)
                a[where] = special
                for axis_shape in ((n,), (n // 5, 5)):
                    b = a.reshape(axis_shape)
                    for axis in (None, 0, -1):
                        check(la.vector_norm(xp.asarray(b), axis=axis, ord=ord),
                              numpy_vector_norm(b, axis=axis, ord=ord), dtype)
        a = rand((n,), dtype)
        a[1], a[-1] = np.nan, np.inf
        check(la.vector_norm(xp.asarray(a), ord=ord), numpy_vector_norm(a, ord=ord), dtype)


@pytest.mark.parametrize("ord", VECTOR_ORDS)
@pytest.mark.parametrize("dtype", INEXACT)
def test_vector_norm_zero_size_and_0d(isa, dtype, ord):
    for shape, axis in (((0,), None), ((0, 3), 0), ((0, 3), 1), ((0, 3), None), ((3, 0), 1), ((2, 0, 4), (0, 1))):
        a = np.zeros(shape, dtype)
        try:
            expected = numpy_vector_norm(a, axis=axis, ord=ord)
        except ValueError:
            with pytest.raises(ValueError, match="zero-size"):
                la.vector_norm(xp.asarray(a), axis=axis, ord=ord)
            continue
        check(la.vector_norm(xp.asarray(a), axis=axis, ord=ord), expected, dtype)
    for value in (0, -2.5, np.nan):
        a = np.asarray(value, dtype)
        check(la.vector_norm(xp.asarray(a), ord=ord), numpy_vector_norm(a, ord=ord), dtype)
        check(la.vector_norm(xp.asarray(a), ord=ord, keepdims=True), numpy_vector_norm(a, ord=ord), dtype)


def exact_euclid(values) -> float:
    """sqrt of the exact sum of squares, rounded twice (< 1 ulp)."""
    return math.sqrt(float(sum(Fraction(float(v)) ** 2 for v in values)))


# exponents where the squares overflow, underflow, or (float64 2^-1074) are subnormal
HUGE_AND_TINY = {"float64": [700, 1000, -600, -1000, -1074 + 4], "float32": [70, 120, -70, -120, -149 + 4]}


@pytest.mark.parametrize("dtype", INEXACT)
def test_vector_norm_two_never_overflows_or_underflows(isa, dtype):
    real = REAL_OF[dtype]
    tiny = float(np.finfo(real).smallest_subnormal)  # subnormal results are that coarse
    for k in HUGE_AND_TINY[real]:
        # 3, 4 -> 5, scaled by 2**k: exact answer 5 * 2**k
        if dtype.startswith("complex"):
            a = np.array([3 + 4j, 0, 0], dtype) * np.asarray(2.0 ** k, real)
        else:
            a = np.array([3, 0, 4, 0], dtype) * np.asarray(2.0 ** k, real)
        for n in (1, 40):
            b = np.tile(a, n)
            got = np.asarray(la.vector_norm(xp.asarray(b)))
            assert math.isclose(float(got), 5 * math.sqrt(n) * 2.0 ** k, rel_tol=4 * np.finfo(real).eps,
                                abs_tol=tiny), (k, n, got)
            # the column form too
            col = np.asarray(la.vector_norm(xp.asarray(b.reshape(-1, 1)), axis=0))
            assert math.isclose(float(col[0]), 5 * math.sqrt(n) * 2.0 ** k, rel_tol=4 * np.finfo(real).eps,
                                abs_tol=tiny), (k, n)
        # random values of every magnitude below the scale
        v = rand((257,), "float64", k & 0xFF)
        scaled = np.ldexp(v, k).astype(real) if k > -140 or real == "float64" else None
        if scaled is not None and np.all(np.isfinite(scaled)) and k > np.finfo(real).minexp + 30:
            expected = math.ldexp(exact_euclid(np.ldexp(scaled.astype(np.float64), -k)), k)
            got = float(np.asarray(la.vector_norm(xp.asarray(scaled))))
            assert math.isclose(got, expected, rel_tol=4 * np.finfo(real).eps), (k, got, expected)


@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_vector_norm_p_is_scaled(isa, dtype):
    # NumPy's sum(|x|**p)**(1/p) overflows (p > 0) or underflows (p < 0) here
    big = 1000 if dtype == "float64" else 120
    a = np.array([3, 4], dtype) * np.asarray(2.0 ** big, dtype)
    got = float(np.asarray(la.vector_norm(xp.asarray(a), ord=3)))
    assert math.isclose(got, 91 ** (1 / 3) * 2.0 ** big, rel_tol=8 * np.finfo(dtype).eps)
    small = -1000 if dtype == "float64" else -120
    a = np.array([3, 4], dtype) * np.asarray(2.0 ** small, dtype)
    got = float(np.asarray(la.vector_norm(xp.asarray(a), ord=-2)))
    assert math.isclose(got, 2.4 * 2.0 ** small, rel_tol=8 * np.finfo(dtype).eps)
    got = float(np.asarray(la.vector_norm(xp.asarray(a), ord=1)))
    assert got == 7 * 2.0 ** small


def test_vector_norm_dtypes():
    assert la.vector_norm(xp.asarray(np.array([3, 4], np.int32))).dtype == xp.float64
    assert float(la.vector_norm(xp.asarray(np.array([3, 4], np.int8)))) == 5.0
    assert la.vector_norm(xp.asarray(np.array([3, 4], np.uint64)), ord=0).dtype == xp.float64
    with pytest.raises(TypeError, match="floating-point"):
        la.vector_norm(xp.asarray(np.array([True])))
    with pytest.raises(TypeError, match="floating-point"):
        la.matrix_norm(xp.asarray(np.ones((2, 2), bool)))
    assert la.vector_norm(xp.asarray(np.ones(3, np.float32)), keepdims=np.bool_(True)).shape == (1,)


def test_vector_norm_accuracy_beats_numpy_float32():
    # float32 sums in float64: 1e6 values whose float32 running sum drifts
    a = np.full(1_000_000, 0.1, np.float32)
    exact = 0.1 * 1_000_000 * (float(np.float32(0.1)) / 0.1)
    assert abs(float(la.vector_norm(xp.asarray(a), ord=1)) - exact) <= exact * 2 ** -24
    exact2 = math.sqrt(1_000_000) * float(np.float32(0.1))
    assert abs(float(la.vector_norm(xp.asarray(a))) - exact2) <= exact2 * 2 ** -24


# ------------------------------------------------------------------ matrix_norm

MATRIX_SHAPES = [(4, 4), (3, 5), (5, 3), (2, 3, 4, 4), (1, 1), (20, 40)]


@pytest.mark.parametrize("ord", MATRIX_ORDS)
@pytest.mark.parametrize("dtype", INEXACT)
def test_matrix_norm_matches_numpy(isa, dtype, ord):
    for shape in MATRIX_SHAPES:
        for name, a, t in layouts(shape, dtype):
            for keepdims in (False, True):
                expected = np.linalg.matrix_norm(a.astype(WIDE[dtype]), keepdims=keepdims, ord=ord)
                # singular values are computed in x's precision: within eps * the largest
                atol = 8 * rtol(dtype) * np.max(np.linalg.matrix_norm(a.astype(WIDE[dtype]), ord=2))
                check(la.matrix_norm(t, keepdims=keepdims, ord=ord), expected, dtype,
                      atol=atol if ord in (-2, "nuc") else 0.0)


@pytest.mark.parametrize("ord", MATRIX_ORDS)
def test_matrix_norm_zero_size(ord):
    for shape in [(0, 0), (0, 3), (3, 0), (2, 0, 3)]:
        a = np.zeros(shape)
        try:
            expected = np.linalg.matrix_norm(a, ord=ord)
        except ValueError:
            with pytest.raises(ValueError):
                la.matrix_norm(xp.asarray(a), ord=ord)
            continue
        check(la.matrix_norm(xp.asarray(a), ord=ord), expected, "float64")


@pytest.mark.parametrize("ord", [1, -1, math.inf, -math.inf, "fro"])
def test_matrix_norm_nan_and_huge(isa, ord):
    a = rand((3, 4), "float64")
    a[1, 2] = np.nan
    check(la.matrix_norm(xp.asarray(a), ord=ord), np.linalg.matrix_norm(a, ord=ord), "float64")
    big = np.full((3, 3), 2.0 ** 1000)
    expected = {"fro": 3 * 2.0 ** 1000}.get(ord, 3 * 2.0 ** 1000)
    assert float(la.matrix_norm(xp.asarray(big), ord=ord)) == expected


def test_matrix_norm_ord_validation():
    m = xp.asarray(np.eye(2))
    with pytest.raises(ValueError, match="unsupported ord"):
        la.matrix_norm(m, ord=3)
    with pytest.raises(ValueError, match="unsupported ord"):
        la.matrix_norm(m, ord=float("nan"))
    with pytest.raises(TypeError, match="ord must be one of"):
        la.matrix_norm(m, ord=True)
    assert float(la.matrix_norm(m, ord=1.0)) == 1.0


# ------------------------------------------------------------------ nn norms share the kernels

def test_nn_norm_l2_no_longer_overflows_in_float32():
    a = np.full(4, 1e30, np.float32)
    assert float(xp.nn.norm_l2(xp.asarray(a))) == pytest.approx(2e30, rel=1e-6)


# ------------------------------------------------------------------ small singular values

@pytest.mark.parametrize("dtype", INEXACT)
def test_small_singular_values_by_jacobi(dtype):
    # up to 6 x 6 (float32, complex64) or 2 x 2 (float64, complex128) the
    # values come from kernels' one-sided Jacobi, not gesdd
    for shape in [(1, 1), (2, 2), (1, 2), (2, 1), (3, 3), (4, 6), (6, 4), (6, 6), (500, 2, 2), (50, 5, 3), (7, 8)]:
        a = rand(shape, dtype, sum(shape))
        ref = np.linalg.svd(a.astype(WIDE[dtype]), compute_uv=False)
        got = la.svdvals(xp.asarray(a))
        assert got.dtype == getattr(xp, REAL_OF[dtype])
        scale = np.max(ref, axis=-1, keepdims=True)
        assert np.all(np.abs(np.asarray(got) - ref) <= 8 * np.finfo(REAL_OF[dtype]).eps * scale), shape
        assert np.all(np.diff(np.asarray(got), axis=-1) <= 0)  # descending
        for o in (2, -2, "nuc"):
            check(la.matrix_norm(xp.asarray(a), ord=o), np.linalg.matrix_norm(a.astype(WIDE[dtype]), ord=o), dtype,
                  atol=8 * rtol(dtype) * float(np.max(scale)))
    real = REAL_OF[dtype]
    big, small = (2.0 ** 120, 2.0 ** -120) if real == "float32" else (2.0 ** 1000, 2.0 ** -1000)
    for values in ([big, 3], [3, small], [big, small], [0, 0], [5, 0]):
        got = np.asarray(la.svdvals(xp.asarray(np.diag(values).astype(dtype))))
        np.testing.assert_array_equal(got, np.sort(np.asarray(values, real))[::-1])
    with pytest.raises(la.LinAlgError, match="did not converge"):
        la.svdvals(xp.asarray(np.array([[np.nan, 1], [1, 1]], dtype)))
    assert np.all(np.isnan(np.asarray(la.svdvals(xp.asarray(np.array([[np.inf, 1], [1, 1]], dtype))))))


def test_norms_do_not_depend_on_the_thread_count():
    x = xp.asarray(rand((700, 500), "float64", 4))
    calls = [lambda: la.vector_norm(x), lambda: la.vector_norm(x, axis=0), lambda: la.vector_norm(x, axis=1, ord=1),
             lambda: la.vector_norm(x.mT, axis=1, ord=3), lambda: la.matrix_norm(x, ord=1)]
    one = [np.asarray(c()) for c in calls]
    before = xp.get_num_threads()
    xp.set_num_threads(2)
    try:
        two = [np.asarray(c()) for c in calls]
    finally:
        xp.set_num_threads(before)
    for a, b in zip(one, two):
        np.testing.assert_array_equal(a, b)

"""The decompositions and solvers that call LAPACK from trueno's C++ (cpp/ops/lapack.cpp).

Each is checked against NumPy (which calls the same LAPACK routines) on every
floating dtype, on batches, zero-size matrices and strided, transposed,
reversed and broadcast layouts; failures raise trueno.linalg.LinAlgError
naming the function; and, in a child process, every one of them runs with
numpy.linalg replaced by a module that raises.
"""
from __future__ import annotations

import subprocess
import sys
import textwrap

import numpy as np
import pytest

import trueno as xp
from trueno import linalg as la

from linalg_data import rand

INEXACT = ["float32", "float64", "complex64", "complex128"]
REAL_OF = {"float32": "float32", "float64": "float64", "complex64": "float32", "complex128": "float64"}
COMPLEX_OF = {"float32": "complex64", "float64": "complex128", "complex64": "complex64", "complex128": "complex128"}


def well_conditioned(shape, dtype, seed=0):
    return (rand(shape, dtype, seed) + 3 * np.eye(shape[-2], shape[-1])).astype(dtype)


def hermitian_pd(shape, dtype, seed=0):
    a = rand(shape, dtype, seed)
    h = a @ np.conj(np.swapaxes(a, -1, -2))
    return (h + shape[-1] * np.eye(shape[-1])).astype(dtype)


def N(x):
    assert isinstance(x, xp.Array), type(x)
    return np.asarray(x)


def assert_close(got, expected, dtype, scale=1.0):
    """Within a few hundred ulps of the result's magnitude (NumPy's OpenBLAS may be another build)."""
    got, expected = N(got), np.asarray(expected)
    assert got.shape == expected.shape, (got.shape, expected.shape)
    eps = np.finfo(REAL_OF[dtype]).eps
    size = max(1.0, float(np.abs(expected).max(initial=0.0)))
    np.testing.assert_allclose(got, expected, rtol=0, atol=300 * eps * size * scale)


# Layouts: each makes the operand from a C-contiguous NumPy array by the same
# view in NumPy and in trueno, so that C++ meets strided memory.
def contiguous(a, module):
    return a


def transposed(a, module):  # (..., m, n) viewed as the transpose of a contiguous (..., n, m)
    t = np.ascontiguousarray(np.swapaxes(a, -1, -2))
    t = module.asarray(t) if module is xp else t
    return xp.permute_dims(t, tuple(range(a.ndim - 2)) + (a.ndim - 1, a.ndim - 2)) if module is xp \
        else np.swapaxes(t, -1, -2)


def strided(a, module):  # every 2nd row and 3rd column of a larger matrix, rows reversed
    big = np.zeros(a.shape[:-2] + (2 * a.shape[-2], 3 * a.shape[-1]), a.dtype)
    big[..., 1::2, ::3] = a[..., ::-1, :]
    big = module.asarray(big) if module is xp else big
    return big[..., ::-2, ::3] if a.shape[-2] else big[..., ::2, ::3]


def batch_strided(a, module):  # every other matrix of a larger batch
    big = np.zeros((2 * a.shape[0],) + a.shape[1:], a.dtype)
    big[::2] = a
    big = module.asarray(big) if module is xp else big
    return big[::2]


LAYOUTS = {"contiguous": contiguous, "transposed": transposed, "strided": strided, "batch_strided": batch_strided}


def operands(a, layout):
    """(NumPy operand, trueno operand) holding the same values in the given layout."""
    if layout == "contiguous":
        return a, xp.asarray(a)
    n, t = LAYOUTS[layout](a, np), LAYOUTS[layout](a, xp)
    np.testing.assert_array_equal(N(t), n)
    np.testing.assert_array_equal(n, a)
    return n, t


SQUARE_SHAPES = [(4, 4), (3, 5, 5), (1, 1), (17, 17), (2, 0, 0), (0, 3, 3)]
GENERAL_SHAPES = [(5, 3), (3, 5), (2, 4, 4), (2, 3, 0), (2, 0, 3)]


def layouts_for(shape):
    return [lo for lo in LAYOUTS if lo != "batch_strided" or len(shape) == 3]


def cases(shapes):
    return [(s, lo) for s in shapes for lo in layouts_for(s)]


# ------------------------------------------------------------------ square matrices

@pytest.mark.parametrize("dtype", INEXACT)
@pytest.mark.parametrize("shape,layout", cases(SQUARE_SHAPES))
def test_det_slogdet_inv(dtype, shape, layout):
    a, t = operands(well_conditioned(shape, dtype), layout)
    n = shape[-1]
    det = la.det(t)
    assert det.dtype == getattr(xp, dtype) and det.shape == shape[:-2]
    assert_close(det, np.linalg.det(a), dtype, scale=n)
    sign, logabsdet = la.slogdet(t)
    esign, elog = np.linalg.slogdet(a)
    assert sign.dtype == getattr(xp, dtype) and logabsdet.dtype == getattr(xp, REAL_OF[dtype])
    assert_close(sign, esign, dtype)
    assert_close(logabsdet, elog, dtype, scale=n)
    inv = la.inv(t)
    assert inv.dtype == getattr(xp, dtype)
    assert_close(inv, np.linalg.inv(a), dtype, scale=n)


@pytest.mark.parametrize("dtype", INEXACT)
@pytest.mark.parametrize("shape,layout", cases(SQUARE_SHAPES))
def test_cholesky(dtype, shape, layout):
    a, t = operands(hermitian_pd(shape, dtype), layout)
    for upper in (False, True):
        got = la.cholesky(t, upper=upper)
        assert got.dtype == getattr(xp, dtype)
        assert_close(got, np.linalg.cholesky(a, upper=upper), dtype, scale=shape[-1])


@pytest.mark.parametrize("dtype", INEXACT)
@pytest.mark.parametrize("shape,layout", cases(SQUARE_SHAPES))
def test_eigh_eigvalsh(dtype, shape, layout):
    a, t = operands(hermitian_pd(shape, dtype), layout)
    n = shape[-1]
    w, v = la.eigh(t)
    ew, ev = np.linalg.eigh(a)
    assert w.dtype == getattr(xp, REAL_OF[dtype]) and v.dtype == getattr(xp, dtype)
    assert_close(w, ew, dtype, scale=n)
    # vectors up to a phase: A v = v diag(w), and v unitary
    v = N(v)
    assert_close(xp.asarray(a @ v), v * N(w)[..., None, :], dtype, scale=n * n)
    assert_close(xp.asarray(np.conj(np.swapaxes(v, -1, -2)) @ v), np.broadcast_to(np.eye(n), v.shape), dtype,
                 scale=n)
    assert_close(la.eigvalsh(t), np.linalg.eigvalsh(a), dtype, scale=n)


@pytest.mark.parametrize("dtype", INEXACT)
@pytest.mark.parametrize("shape,layout", cases(SQUARE_SHAPES))
def test_eig_eigvals(dtype, shape, layout):
    a, t = operands(rand(shape, dtype), layout)
    n = shape[-1]
    w, v = la.eig(t)
    cdt = COMPLEX_OF[dtype]
    assert w.dtype == getattr(xp, cdt) and v.dtype == getattr(xp, cdt)
    assert w.shape == shape[:-1] and v.shape == shape
    ew = np.linalg.eigvals(a)
    key = lambda z: np.sort_complex(np.asarray(z).reshape(-1, n)) if n else np.asarray(z)  # noqa: E731
    assert_close(xp.asarray(key(w)), key(ew), cdt, scale=10 * n)
    w, v = N(w), N(v)
    assert_close(xp.asarray(a @ v), v * w[..., None, :], cdt, scale=10 * n * n)
    if n:
        np.testing.assert_allclose(np.linalg.norm(v, axis=-2), 1, atol=1e-4)
    assert_close(xp.asarray(key(la.eigvals(t))), key(ew), cdt, scale=10 * n)


@pytest.mark.parametrize("dtype", INEXACT)
@pytest.mark.parametrize("shape,layout", cases(SQUARE_SHAPES))
def test_solve(dtype, shape, layout):
    a, t = operands(well_conditioned(shape, dtype), layout)
    m = shape[-1]
    # a stack of right-hand sides, one vector shared by the batch, a batch that broadcasts
    for bshape in [shape[:-1] + (2,), (m,), (4,) + shape[:-2] + (m, 3)]:
        b = rand(bshape, dtype, 1)
        got = la.solve(t, xp.asarray(b))
        assert got.dtype == getattr(xp, dtype)
        assert_close(got, np.linalg.solve(a, b), dtype, scale=m)


@pytest.mark.parametrize("dtype", INEXACT)
@pytest.mark.parametrize("n", [1, 2, 3, 5, 8, 9, 16, 17, 24])
def test_lu_on_both_sides_of_the_small_matrix_limit(dtype, n):
    # trueno's own LU up to 16 (8 for many right-hand sides), LAPACK's above;
    # a zero diagonal forces a pivot at every step
    a = rand((50, n, n), dtype, n) * (1 - np.eye(n))
    a[:, :, 0] += 2 * n
    b = rand((50, n, 3), dtype, n + 1)
    t = xp.asarray(a)
    assert_close(la.det(t), np.linalg.det(a), dtype, scale=10 * n)
    assert_close(la.slogdet(t).logabsdet, np.linalg.slogdet(a)[1], dtype, scale=10 * n)
    assert_close(la.slogdet(t).sign, np.linalg.slogdet(a)[0], dtype, scale=10 * n)
    assert_close(la.inv(t), np.linalg.inv(a), dtype, scale=100 * n)
    assert_close(la.solve(t, xp.asarray(b)), np.linalg.solve(a, b), dtype, scale=100 * n)
    singular = a.copy()
    singular[7, :, n - 1] = 0  # the last pivot is an exact zero
    with pytest.raises(la.LinAlgError, match=r"^linalg\.inv\(\): x is singular$"):
        la.inv(xp.asarray(singular))
    assert N(la.det(xp.asarray(singular[7]))) == 0
    assert N(la.slogdet(xp.asarray(singular[7])).sign) == 0
    assert N(la.slogdet(xp.asarray(singular[7])).logabsdet) == -np.inf


def test_solve_broadcasts_batches_and_transposed_right_hand_sides():
    a = well_conditioned((3, 1, 4, 4), "float64")
    b = rand((5, 3, 4), "float64", 2)  # (5, 4, 3) transposed: batch (5,) against (3, 1)
    tb = xp.permute_dims(xp.asarray(b), (0, 2, 1))
    got = la.solve(xp.asarray(a), tb)
    assert got.shape == (3, 5, 4, 3)
    assert_close(got, np.linalg.solve(a, np.swapaxes(b, -1, -2)), "float64", scale=4)
    shared = xp.broadcast_to(xp.asarray(a[0, 0]), (6, 4, 4))  # a broadcast (stride 0) batch
    rhs = np.swapaxes(b[0], -1, -2)
    assert_close(la.solve(shared, xp.asarray(rhs)), np.broadcast_to(np.linalg.solve(a[0, 0], rhs), (6, 4, 3)),
                 "float64", scale=4)


@pytest.mark.parametrize("dtype", INEXACT)
@pytest.mark.parametrize("n", [0, 1, 2, 3, 5, -1, -3])
def test_matrix_power(dtype, n):
    a = well_conditioned((2, 3, 3), dtype) / 3
    got = la.matrix_power(xp.asarray(a), n)
    assert got.dtype == getattr(xp, dtype)
    assert_close(got, np.linalg.matrix_power(a, n), dtype, scale=10)
    t = xp.asarray(a)
    assert not np.shares_memory(N(la.matrix_power(t, 1)), N(t))


# ------------------------------------------------------------------ general matrices

@pytest.mark.parametrize("dtype", INEXACT)
@pytest.mark.parametrize("shape,layout", cases(GENERAL_SHAPES + [(4, 4)]))
def test_qr(dtype, shape, layout):
    a, t = operands(rand(shape, dtype), layout)
    for mode in ("reduced", "complete"):
        q, r = la.qr(t, mode=mode)
        eq, er = np.linalg.qr(a, mode=mode)
        assert q.dtype == getattr(xp, dtype) and r.dtype == getattr(xp, dtype)
        # the same Householder reflections as NumPy's: the same signs
        assert_close(q, eq, dtype, scale=10)
        assert_close(r, er, dtype, scale=10)


@pytest.mark.parametrize("dtype", INEXACT)
@pytest.mark.parametrize("shape,layout", cases(GENERAL_SHAPES + [(4, 4), (1, 30, 7)]))
def test_svd_svdvals(dtype, shape, layout):
    a, t = operands(rand(shape, dtype), layout)
    k = min(shape[-2:])
    for full in (True, False):
        u, s, vh = la.svd(t, full_matrices=full)
        eu, es, evh = np.linalg.svd(a, full_matrices=full)
        assert u.shape == eu.shape and s.shape == es.shape and vh.shape == evh.shape
        assert u.dtype == getattr(xp, dtype) and s.dtype == getattr(xp, REAL_OF[dtype])
        assert_close(s, es, dtype, scale=10)
        recon = (N(u)[..., :, :k] * N(s)[..., None, :]) @ N(vh)[..., :k, :]
        assert_close(xp.asarray(recon), a, dtype, scale=10 * max(shape))
        if k == 0:
            np.testing.assert_array_equal(N(u), eu)
            np.testing.assert_array_equal(N(vh), evh)
    assert_close(la.svdvals(t), np.linalg.svd(a, compute_uv=False), dtype, scale=10)


@pytest.mark.parametrize("dtype", INEXACT)
@pytest.mark.parametrize("shape,layout", cases(GENERAL_SHAPES))
def test_pinv_matrix_rank(dtype, shape, layout):
    a, t = operands(rand(shape, dtype), layout)
    assert_close(la.pinv(t), np.linalg.pinv(a), dtype, scale=100)
    if shape[-1] >= 3 and shape[-2] >= 3:
        # rank deficient: a singular value near rounding, which the default
        # rtol drops (compared through A A+ A = A, since NumPy's last bits may
        # fall on the other side of the cut in float32)
        a = a.copy()
        a[..., :, 2] = a[..., :, 0] + a[..., :, 1]
        a, t = operands(a, layout)
        p = N(la.pinv(t))
        assert_close(xp.asarray(a @ p @ a), a, dtype, scale=100)
    rank = la.matrix_rank(t)
    assert rank.dtype == xp.int64
    np.testing.assert_array_equal(N(rank), np.linalg.matrix_rank(a))
    for rtol in (0.5, xp.asarray(np.full(shape[:-2], 0.5, REAL_OF[dtype]))):
        nrtol = rtol if isinstance(rtol, float) else N(rtol)
        np.testing.assert_array_equal(N(la.matrix_rank(t, rtol=rtol)), np.linalg.matrix_rank(a, rtol=nrtol))
        assert_close(la.pinv(t, rtol=rtol), np.linalg.pinv(a, rtol=nrtol), dtype, scale=100)


# ------------------------------------------------------------------ dtypes, errors

@pytest.mark.parametrize("func", ["det", "inv", "cholesky", "eigh", "eigvalsh", "eig", "eigvals", "qr", "svd",
                                  "svdvals", "slogdet", "pinv", "matrix_rank"])
def test_integer_input_computes_in_float64_and_bool_is_refused(func):
    ints = np.array([[5, 1, 0], [1, 4, 1], [0, 1, 3]], dtype=np.int32)
    got = getattr(la, func)(xp.asarray(ints))
    expected = getattr(la, func)(xp.asarray(ints.astype(np.float64)))
    for g, e in zip(got if isinstance(got, tuple) else [got], expected if isinstance(expected, tuple) else [expected]):
        assert g.dtype == e.dtype
        np.testing.assert_array_equal(N(g), N(e))
    with pytest.raises(TypeError, match=rf"^linalg\.{func}\(\): x must have a floating-point data type, got bool"):
        getattr(la, func)(xp.asarray(ints > 1))


SINGULAR = np.array([[1.0, 2.0], [2.0, 4.0]])


@pytest.mark.parametrize("dtype", INEXACT)
@pytest.mark.parametrize("call,pattern", [
    (lambda a: la.inv(a), r"^linalg\.inv\(\): x is singular$"),
    (lambda a: la.solve(a, xp.ones(2, dtype=a.dtype)), r"^linalg\.solve\(\): x1 is singular$"),
    (lambda a: la.solve(a, xp.ones((3, 2, 1), dtype=a.dtype)), r"^linalg\.solve\(\): x1 is singular$"),
    (lambda a: la.matrix_power(a, -2), r"^linalg\.matrix_power\(\): x is singular$"),
    (lambda a: la.cholesky(a), r"^linalg\.cholesky\(\): x is not positive definite$"),
    (lambda a: la.cholesky(a, upper=True), r"^linalg\.cholesky\(\): x is not positive definite$"),
])
def test_failures_raise_linalg_error_naming_the_function(dtype, call, pattern):
    # the bad matrix second in a batch: the whole call fails
    a = xp.asarray(np.stack([np.eye(2), SINGULAR, np.eye(2)]).astype(dtype))
    with pytest.raises(la.LinAlgError, match=pattern) as info:
        call(a)
    assert isinstance(info.value, np.linalg.LinAlgError) and isinstance(info.value, ValueError)


def test_singular_det_and_slogdet_do_not_raise():
    a = xp.asarray(np.stack([SINGULAR, np.zeros((2, 2)), np.eye(2)]))
    np.testing.assert_array_equal(N(la.det(a)), [0.0, 0.0, 1.0])
    sign, logabsdet = la.slogdet(a)
    np.testing.assert_array_equal(N(sign), [0.0, 0.0, 1.0])
    np.testing.assert_array_equal(N(logabsdet), [-np.inf, -np.inf, 0.0])


def test_det_of_extreme_scales_does_not_overflow_midway():
    # diagonal 1e200, 1e200, 1e-300: the partial product 1e400 overflows a double
    a = np.diag([1e200, 1e200, 1e-300])
    assert np.isclose(float(la.det(xp.asarray(a))), 1e100, rtol=1e-14)
    assert float(la.det(xp.asarray(np.diag([1e200, 1e200])))) == np.inf
    assert float(la.det(xp.asarray(np.diag([-1e-200, 1e-200])))) == -0.0


@pytest.mark.parametrize("value", [np.nan, np.inf])
def test_non_finite_input(value):
    a = np.array([[1.0, 2.0], [value, 4.0]])
    for func in ("svd", "pinv"):
        with pytest.raises(ValueError, match=rf"^linalg\.{func}\(\): x must not contain infinities or NaNs"):
            getattr(la, func)(xp.asarray(a))
    for func in ("eig", "eigvals"):
        with pytest.raises(la.LinAlgError, match=rf"^linalg\.{func}\(\): x must not contain infinities or NaNs"):
            getattr(la, func)(xp.asarray(a))
    if value != value:
        # LAPACK >= 3.10's gesdd refuses a NaN as a bad argument (INFO = -4): still
        # NumPy's "did not converge" LinAlgError, not a RuntimeError (tests/fuzz, seed 0 call 1422)
        for func in ("svdvals", "matrix_rank"):
            with pytest.raises(la.LinAlgError, match=rf"^linalg\.{func}\(\): SVD did not converge"):
                getattr(la, func)(xp.asarray(a))
    # the others propagate as NumPy does (LAPACK's own results)
    for func in ("det", "inv"):
        with np.errstate(invalid="ignore"):
            expected = getattr(np.linalg, func)(a)
        np.testing.assert_array_equal(N(getattr(la, func)(xp.asarray(a))), expected)


def test_shape_errors():
    with pytest.raises(ValueError, match=r"^linalg\.inv\(\): x must have at least two dimensions"):
        la.inv(xp.ones(3))
    with pytest.raises(ValueError, match=r"^linalg\.det\(\): the last two dimensions must be square"):
        la.det(xp.ones((2, 3)))
    with pytest.raises(ValueError, match=r"^linalg\.solve\(\): x2 has shape \(2,\), expected \(3,\)"):
        la.solve(xp.eye(3), xp.ones(2))
    with pytest.raises(ValueError, match=r"^linalg\.solve\(\): batch shapes \(2,\) and \(3,\) cannot be broadcast"):
        la.solve(xp.ones((2, 3, 3)), xp.ones((3, 3, 1)))
    with pytest.raises(TypeError, match=r"^linalg\.qr\(\): x must be a trueno array, got list"):
        la.qr([[1.0]])


def test_results_do_not_depend_on_the_thread_count():
    a = xp.asarray(well_conditioned((3000, 3, 3), "float64"))
    b = xp.asarray(rand((3000, 3, 2), "float64", 1))
    calls = [lambda: la.det(a), lambda: la.inv(a), lambda: la.solve(a, b), lambda: la.eigvalsh(a),
             lambda: la.svdvals(a)]
    one = [N(c()) for c in calls]
    before = xp.get_num_threads()
    xp.set_num_threads(2)
    try:
        two = [N(c()) for c in calls]
    finally:
        xp.set_num_threads(before)
    for x, y in zip(one, two):
        np.testing.assert_array_equal(x, y)


# ------------------------------------------------------------------ without numpy.linalg

def test_every_converted_function_runs_without_numpy_linalg():
    # A child process: numpy.linalg (the module and the attribute) replaced by
    # modules whose every attribute raises, after expected values are taken.
    code = textwrap.dedent("""
        import sys, types
        import numpy as np
        import trueno as xp
        from trueno import linalg as la

        rng = np.random.default_rng(0)
        a = rng.standard_normal((2, 4, 4)) + 4 * np.eye(4)
        spd = a @ np.swapaxes(a, -1, -2) + 4 * np.eye(4)
        b = rng.standard_normal((2, 4, 3))
        expected = {
            "cholesky": np.linalg.cholesky(spd), "det": np.linalg.det(a), "eigvalsh": np.linalg.eigvalsh(spd),
            "inv": np.linalg.inv(a), "matrix_power": np.linalg.matrix_power(a, 5),
            "matrix_rank": np.linalg.matrix_rank(a), "pinv": np.linalg.pinv(a),
            "slogdet": np.linalg.slogdet(a)[1], "solve": np.linalg.solve(a, b),
            "svdvals": np.linalg.svd(a, compute_uv=False),
        }
        norms = {("vector", o): np.linalg.vector_norm(a, ord=o, axis=(1, 2))
                 for o in (2, 1, np.inf, -np.inf, 0, 3, -1, 0.5)}
        norms.update({("matrix", o): np.linalg.matrix_norm(a, ord=o)
                      for o in ("fro", "nuc", 1, -1, 2, -2, np.inf, -np.inf)})

        class Raising(types.ModuleType):
            def __getattr__(self, name):
                raise AssertionError(f"numpy.linalg.{name} was used")

        for name in [m for m in sys.modules if m == "numpy.linalg" or m.startswith("numpy.linalg.")]:
            sys.modules[name] = Raising(name)
        np.linalg = sys.modules["numpy.linalg"]

        A, S, B = xp.asarray(a), xp.asarray(spd), xp.asarray(b)
        got = {
            "cholesky": la.cholesky(S), "det": la.det(A), "eigvalsh": la.eigvalsh(S), "inv": la.inv(A),
            "matrix_power": la.matrix_power(A, 5), "matrix_rank": la.matrix_rank(A), "pinv": la.pinv(A),
            "slogdet": la.slogdet(A).logabsdet, "solve": la.solve(A, B), "svdvals": la.svdvals(A),
        }
        for name, value in expected.items():
            assert np.allclose(np.asarray(got[name]), value, rtol=1e-9, atol=1e-9), name
        w, v = la.eigh(S)
        assert np.allclose(spd @ np.asarray(v), np.asarray(v) * np.asarray(w)[..., None, :])
        w, v = la.eig(A)
        assert np.allclose(a @ np.asarray(v), np.asarray(v) * np.asarray(w)[..., None, :])
        assert np.asarray(la.eigvals(A)).shape == (2, 4)
        q, r = la.qr(A)
        assert np.allclose(np.asarray(q) @ np.asarray(r), a)
        u, s, vh = la.svd(A)
        assert np.allclose((np.asarray(u) * np.asarray(s)[..., None, :]) @ np.asarray(vh), a)
        try:
            la.inv(xp.zeros((2, 2)))
        except la.LinAlgError as e:
            assert str(e) == "linalg.inv(): x is singular", e
        else:
            raise AssertionError("no LinAlgError")
        for (kind, o), value in norms.items():
            got = la.vector_norm(A, ord=o, axis=(1, 2)) if kind == "vector" else la.matrix_norm(A, ord=o)
            assert np.allclose(np.asarray(got), value, rtol=1e-12, atol=0), (kind, o)
            assert np.asarray(la.vector_norm(A, ord=o) if kind == "vector" else la.matrix_norm(A, ord=o,
                              keepdims=True)).size >= 1
        print("ok", len(expected) + 5, len(norms))
    """)
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert out.returncode == 0 and out.stdout.strip() == "ok 15 16", out.stdout + out.stderr

"""trueno's own kernels for small real matrices, where LAPACK's per-call cost
dominated: the Jacobi kernels behind eigh, eigvalsh, svd, svdvals (and pinv,
matrix_rank) for batches (kernels/simd_jacobi.cpp, kernels/lapack.cpp's
small_eigh / small_svd), and Cholesky and Householder QR loops (small_potrf,
small_geqrf / small_orgqr); ops/lapack.cpp chooses the sizes.

Differential, on every ISA target: each result is checked by what defines it
(A V = V diag(w), U S Vh = A, orthonormal vectors, ascending / descending values)
and against NumPy's LAPACK values, within a few eps ||A||, on batches of random,
ill-conditioned, rank-deficient, repeated-eigenvalue, zero and badly scaled
matrices; batches mixing NaN or infinity with finite matrices keep LAPACK's
answers for those. Batches are multiples of 8 (the kernels' group) unless a test
is about the tail.
"""
from __future__ import annotations

import numpy as np
import pytest

import trueno as xp
from trueno import linalg as la

SIZES = [2, 3, 4, 5, 8, 12, 16]
REAL = ["float32", "float64"]
EIGVALSH_MAX = 12  # ops/lapack.cpp's kSmallEigvalsh
KINDS = ["random", "ill", "rank", "repeated", "zero", "huge", "tiny"]


def orthogonal(n, rng):
    q, r = np.linalg.qr(rng.standard_normal((n, n)))
    return q * np.sign(np.diag(r))


def matrices(kind, n, dtype, symmetric, count=16, seed=0):
    """`count` n x n matrices of one kind, in float64 before the cast to dtype."""
    rng = np.random.default_rng(seed + 7 * n)
    out = []
    for i in range(count):
        if kind in ("random", "huge", "tiny"):
            a = rng.standard_normal((n, n))
            if kind != "random":
                a = a * (1e300 if kind == "huge" else 1e-300) if dtype == "float64" else a * (
                    1e30 if kind == "huge" else 1e-30)
        elif kind == "ill":  # condition ~1e12 (float64) / 1e6 (float32), values of both signs
            top = 12 if dtype == "float64" else 6
            d = np.logspace(0, -top, n) * rng.choice([-1.0, 1.0], n)
            a = (orthogonal(n, rng) * d) @ (orthogonal(n, rng) if not symmetric else np.eye(n))
        elif kind == "rank":  # rank n // 2 (at least 1)
            k = max(1, n // 2)
            a = rng.standard_normal((n, k)) @ rng.standard_normal((k, n))
        elif kind == "repeated":  # eigenvalues / singular values in pairs
            d = np.repeat(rng.standard_normal((n + 1) // 2), 2)[:n]
            q = orthogonal(n, rng)
            a = (q * d) @ q.T if symmetric else (q * np.abs(d)) @ orthogonal(n, rng)
        else:
            a = np.zeros((n, n))
        if symmetric and kind not in ("ill", "repeated"):
            a = (a + a.T) / 2
        elif symmetric and kind == "ill":
            q = orthogonal(n, rng)
            a = (q * d) @ q.T
            a = (a + a.T) / 2
        out.append(a)
    return np.array(out).astype(dtype)


def eps(dtype):
    return float(np.finfo(dtype).eps)


def scale_of(a):
    """||A||_2 per matrix, in float64 (1 for zero matrices)."""
    s = np.linalg.norm(a.astype(np.float64), 2, axis=(-2, -1))
    return np.where(s > 0, s, 1.0)


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("n", SIZES)
@pytest.mark.parametrize("dtype", REAL)
def test_eigh(isa, dtype, n, kind):
    a = matrices(kind, n, dtype, symmetric=True)
    w, v = la.eigh(xp.asarray(a))
    w, v = np.asarray(w), np.asarray(v)
    assert w.dtype == dtype and v.dtype == dtype
    assert np.all(np.diff(w, axis=-1) >= 0)
    tol = 4 * n * eps(dtype)
    norm = scale_of(a)[:, None, None]
    a64, v64, w64 = a.astype(np.float64), v.astype(np.float64), w.astype(np.float64)
    assert np.max(np.abs(a64 @ v64 - v64 * w64[:, None, :]) / norm) <= tol
    assert np.max(np.abs(np.swapaxes(v64, -1, -2) @ v64 - np.eye(n))) <= tol
    expected = np.linalg.eigvalsh(a64)
    assert np.max(np.abs(w64 - expected) / norm[:, :, 0]) <= tol
    values = np.asarray(la.eigvalsh(xp.asarray(a)))
    if n <= EIGVALSH_MAX:  # the sweeps never look at V: eigvalsh's values are eigh's, bit for bit
        np.testing.assert_array_equal(values, w)
    else:  # (LAPACK's)
        assert np.max(np.abs(values - expected) / norm[:, :, 0]) <= tol


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("n", SIZES)
@pytest.mark.parametrize("dtype", REAL)
def test_svd(isa, dtype, n, kind):
    a = matrices(kind, n, dtype, symmetric=False)
    u, s, vh = (np.asarray(r) for r in la.svd(xp.asarray(a)))
    assert u.dtype == dtype and s.dtype == dtype and vh.dtype == dtype
    assert np.all(np.diff(s, axis=-1) <= 0) and np.all(s >= 0)
    tol = 4 * n * eps(dtype)
    norm = scale_of(a)[:, None, None]
    a64, u64, s64, vh64 = (x.astype(np.float64) for x in (a, u, s, vh))
    assert np.max(np.abs((u64 * s64[:, None, :]) @ vh64 - a64) / norm) <= tol
    assert np.max(np.abs(np.swapaxes(u64, -1, -2) @ u64 - np.eye(n))) <= tol
    assert np.max(np.abs(vh64 @ np.swapaxes(vh64, -1, -2) - np.eye(n))) <= tol
    expected = np.linalg.svd(a64, compute_uv=False)
    assert np.max(np.abs(s64 - expected) / norm[:, :, 0]) <= tol
    values = np.asarray(la.svdvals(xp.asarray(a)))
    if dtype == "float32" or n > 2:  # (float64 2 x 2 values: jacobi_values' long double)
        np.testing.assert_array_equal(values, s)  # the sweeps never look at V
    else:
        assert np.max(np.abs(values - expected) / norm[:, :, 0]) <= tol


@pytest.mark.parametrize("n", [3, 4, 8])
@pytest.mark.parametrize("dtype", REAL)
def test_pinv_and_matrix_rank_of_batches(isa, dtype, n):
    a = np.concatenate([matrices("random", n, dtype, False, 8), matrices("rank", n, dtype, False, 8)])
    np.testing.assert_array_equal(np.asarray(la.matrix_rank(xp.asarray(a))), np.linalg.matrix_rank(a))
    p = np.asarray(la.pinv(xp.asarray(a)))
    assert p.dtype == dtype
    # (the full-rank half: a rank-deficient float32 matrix has float32-noise singular
    # values that a float64 reference would invert)
    p, expected = p[:8], np.linalg.pinv(a[:8].astype(np.float64))
    size = np.abs(expected).max(axis=(-2, -1))[:, None, None]
    assert np.max(np.abs(p - expected) / size) <= 1e3 * n * eps(dtype)


@pytest.mark.parametrize("func", ["eigh", "eigvalsh", "svd", "svdvals"])
def test_a_matrix_result_does_not_depend_on_its_place_in_the_batch(func):
    a = matrices("random", 4, "float64", symmetric=func.startswith("eig"), count=24)
    first = getattr(la, func)(xp.asarray(a))
    rolled = getattr(la, func)(xp.asarray(np.roll(a, 5, axis=0)))
    for x, y in zip(first if isinstance(first, tuple) else [first], rolled if isinstance(rolled, tuple) else [rolled]):
        np.testing.assert_array_equal(np.roll(np.asarray(x), 5, axis=0), np.asarray(y))


@pytest.mark.parametrize("func", ["eigh", "eigvalsh", "svd", "svdvals"])
@pytest.mark.parametrize("count", [1, 3, 4, 9, 13])
def test_short_groups_and_single_matrices(func, count):
    # a batch's tail of fewer than 4 goes to LAPACK: the same answers, within eps
    a = matrices("random", 5, "float64", symmetric=func.startswith("eig"), count=count)
    got = getattr(la, func)(xp.asarray(a))
    if func == "eigh":
        w, v = (np.asarray(r) for r in got)
        np.testing.assert_allclose(w, np.linalg.eigvalsh(a), atol=40 * eps("float64") * scale_of(a).max())
        np.testing.assert_allclose(a @ v, v * w[:, None, :], atol=40 * eps("float64") * scale_of(a).max())
    elif func == "svd":
        u, s, vh = (np.asarray(r) for r in got)
        np.testing.assert_allclose((u * s[:, None, :]) @ vh, a, atol=40 * eps("float64") * scale_of(a).max())
    else:
        ref = np.linalg.eigvalsh(a) if func == "eigvalsh" else np.linalg.svd(a, compute_uv=False)
        np.testing.assert_allclose(np.asarray(got), ref, atol=40 * eps("float64") * scale_of(a).max())


@pytest.mark.parametrize("value", [np.nan, np.inf])
def test_non_finite_matrices_in_a_batch_keep_lapacks_answers(value):
    a = matrices("random", 3, "float64", symmetric=True, count=8)
    a[5, 1, 0] = a[5, 0, 1] = value
    try:  # a single matrix: LAPACK's path, whose answer (or failure) the batch keeps
        alone = np.asarray(la.eigvalsh(xp.asarray(a[5])))
    except la.LinAlgError:
        with pytest.raises(la.LinAlgError, match=r"^linalg\.eigvalsh\(\): eigenvalues did not converge"):
            la.eigvalsh(xp.asarray(a))
    else:
        w = np.asarray(la.eigvalsh(xp.asarray(a)))
        np.testing.assert_array_equal(w[5], alone)
        finite = np.delete(np.arange(8), 5)
        np.testing.assert_allclose(w[finite], np.linalg.eigvalsh(a[finite]), atol=40 * eps("float64") * 10)
    with pytest.raises(ValueError, match=r"^linalg\.svd\(\): x must not contain infinities or NaNs"):
        la.svd(xp.asarray(a))
    if value != value:
        with pytest.raises(la.LinAlgError, match=r"^linalg\.svdvals\(\): SVD did not converge"):
            la.svdvals(xp.asarray(a))


@pytest.mark.parametrize("func", ["eigh", "eigvalsh", "svd", "svdvals"])
@pytest.mark.parametrize("n", [3, 4, 16])
def test_results_do_not_depend_on_the_thread_count(func, n):
    a = xp.asarray(matrices("random", n, "float32", symmetric=func.startswith("eig"), count=3003))
    one = getattr(la, func)(a)
    before = xp.get_num_threads()
    xp.set_num_threads(2)
    try:
        two = getattr(la, func)(a)
    finally:
        xp.set_num_threads(before)
    for x, y in zip(one if isinstance(one, tuple) else [one], two if isinstance(two, tuple) else [two]):
        np.testing.assert_array_equal(np.asarray(x), np.asarray(y))


# ------------------------------------------------------------------ Cholesky and QR

@pytest.mark.parametrize("upper", [False, True])
@pytest.mark.parametrize("n", [1, 2, 3, 4, 8, 12, 13])
@pytest.mark.parametrize("dtype", REAL)
def test_cholesky(dtype, n, upper):
    rng = np.random.default_rng(n)
    b = rng.standard_normal((16, n, n))
    d = np.logspace(0, -6 if dtype == "float64" else -3, n)  # (conditioned ~1e12 / 1e6)
    q = np.array([orthogonal(n, rng) for _ in range(16)])
    a = ((q * d) @ np.swapaxes(q, -1, -2)).astype(dtype)
    a[:4] = (b[:4] @ np.swapaxes(b[:4], -1, -2) + n * np.eye(n)).astype(dtype)
    junk = np.triu(np.full((n, n), 7.0), 1) if not upper else np.tril(np.full((n, n), 7.0), -1)
    a_read = a + junk.astype(dtype)  # the triangle not read holds junk
    f = np.asarray(la.cholesky(xp.asarray(a_read), upper=upper))
    assert f.dtype == dtype
    f64 = f.astype(np.float64)
    assert np.all((np.triu(f64, 1) if not upper else np.tril(f64, -1)) == 0)
    product = f64 @ np.swapaxes(f64, -1, -2) if not upper else np.swapaxes(f64, -1, -2) @ f64
    norm = scale_of(a)[:, None, None]
    assert np.max(np.abs(product - a.astype(np.float64)) / norm) <= 4 * n * eps(dtype)
    expected = np.linalg.cholesky(a.astype(np.float64), upper=upper)
    assert np.max(np.abs(f64 - expected) / np.sqrt(norm)) <= 1e3 * n * eps(dtype)  # (~cond^0.5 eps)


@pytest.mark.parametrize("dtype", REAL)
@pytest.mark.parametrize("a", [np.diag([1.0, -1.0, 2.0]), np.zeros((3, 3)), np.diag([1.0, np.nan, 2.0]),
                               np.array([[1.0, 2.0], [2.0, 1.0]])])
def test_cholesky_refuses_what_is_not_positive_definite(dtype, a):
    batch = np.array([np.eye(len(a)), a.copy(), np.eye(len(a))]).astype(dtype)
    with pytest.raises(la.LinAlgError, match=r"^linalg\.cholesky\(\): x is not positive definite"):
        la.cholesky(xp.asarray(batch))


@pytest.mark.parametrize("mode", ["reduced", "complete"])
@pytest.mark.parametrize("shape", [(1, 1), (3, 3), (4, 4), (5, 3), (3, 5), (4, 1), (1, 4), (16, 16), (20, 7),
                                   (32, 32), (40, 40)])
@pytest.mark.parametrize("dtype", REAL)
def test_qr(dtype, shape, mode):
    rng = np.random.default_rng(sum(shape))
    a = rng.standard_normal((12,) + shape)
    a[1] = 0  # a zero matrix
    a[2][:, 0] = 0  # a zero column (tau = 0)
    k = min(shape)
    a[3] = rng.standard_normal((shape[0], 1)) @ rng.standard_normal((1, shape[1]))  # rank 1
    a = a.astype(dtype)
    q, r = (np.asarray(x) for x in la.qr(xp.asarray(a), mode=mode))
    qn, rn = np.linalg.qr(a, mode=mode)
    assert q.dtype == dtype and r.dtype == dtype and q.shape == qn.shape and r.shape == rn.shape
    tol = 4 * max(shape) * eps(dtype)
    norm = scale_of(a)[:, None, None]
    q64, r64 = q.astype(np.float64), r.astype(np.float64)
    assert np.max(np.abs(q64 @ r64 - a.astype(np.float64)) / norm) <= tol
    assert np.max(np.abs(np.swapaxes(q64, -1, -2) @ q64 - np.eye(q.shape[-1]))) <= tol
    assert np.all(np.tril(r64, -1) == 0)
    # LAPACK's conventions (geqrf's reflectors: R's diagonal signs), so NumPy's Q and R
    # within a few eps where R is well determined (the first k columns of full-rank ones)
    full = [0] + list(range(4, 12))
    np.testing.assert_allclose(r64[full], rn[full].astype(np.float64), atol=tol * float(norm.max()), rtol=0)
    np.testing.assert_allclose(q64[full][..., :k], qn[full][..., :k].astype(np.float64), atol=100 * tol, rtol=0)

"""Third-party array API code, unchanged, on trueno: array-api-compat's
namespace detection, every public function of array-api-extra and einops'
array API entry points, SciPy's array API mode (special, stats), each compared
with the same call on NumPy, and two NumPy-style programs (tests/consumers/)
run on both libraries."""
from __future__ import annotations

import math
import sys
import warnings
from pathlib import Path

import numpy as np
import pytest

import trueno

array_api_compat = pytest.importorskip("array_api_compat")
xpx = pytest.importorskip("array_api_extra")

sys.path.insert(0, str(Path(__file__).parent))
from consumers import kmeans as kmeans_program  # noqa: E402
from consumers import mlp as mlp_program  # noqa: E402


def to_numpy(result):
    """A consumer's result as NumPy objects, so the two runs compare directly."""
    if isinstance(result, (tuple, list)):
        return type(result)(to_numpy(r) for r in result)
    if isinstance(result, trueno.Array):
        return np.asarray(result)
    if isinstance(result, type(trueno.float64)):
        return np.dtype(result.name)
    return result


def assert_same_result(got, expected, *, rtol=1e-12):
    """Same type of result, dtype, shape and values (NaN where NumPy has NaN)."""
    if isinstance(expected, (tuple, list)):
        assert isinstance(got, (tuple, list)) and len(got) == len(expected)
        for g, e in zip(got, expected):
            assert_same_result(g, e, rtol=rtol)
        return
    if isinstance(expected, np.ndarray) or isinstance(expected, np.generic):
        expected = np.asarray(expected)
        assert isinstance(got, trueno.Array), f"expected a trueno array, got {type(got).__name__}"
        got = np.asarray(got)
        assert got.dtype == expected.dtype, (got.dtype, expected.dtype)
        assert got.shape == expected.shape, (got.shape, expected.shape)
        if expected.dtype.kind in "fc":
            # The spec allows transcendentals a few ULP; in single precision
            # that is far above a float64-sized rtol (atan2(1, 1) 1 ULP off).
            ulp_bound = 4 * float(np.finfo(expected.dtype).eps)
            np.testing.assert_allclose(got, expected, rtol=max(rtol, ulp_bound), atol=0, equal_nan=True)
        else:
            np.testing.assert_array_equal(got, expected)
        return
    assert to_numpy(got) == expected


# -- array-api-compat ---------------------------------------------------------

def test_array_namespace_is_trueno():
    x = trueno.asarray([1.0, 2.0])
    assert array_api_compat.array_namespace(x) is trueno
    assert array_api_compat.array_namespace(x, x[:1]) is trueno
    # Python scalars and None mixed in (as consumers pass them) still resolve to trueno.
    assert array_api_compat.array_namespace(x, 2, 1.5, True, None) is trueno
    assert array_api_compat.array_namespace(1.0, x) is trueno


def test_array_namespace_rejects_mixing_libraries():
    with pytest.raises(TypeError):
        array_api_compat.array_namespace(trueno.asarray([1.0]), np.asarray([1.0]))


@pytest.mark.parametrize("make", [
    lambda: trueno.asarray(1.5),
    lambda: trueno.zeros((0, 3)),
    lambda: trueno.reshape(trueno.arange(6), (2, 3))[:, ::2],
])
def test_compat_helpers_recognise_trueno_arrays(make):
    x = make()
    assert array_api_compat.is_array_api_obj(x)
    assert not array_api_compat.is_numpy_array(x)
    assert array_api_compat.device(x) == x.device
    assert array_api_compat.size(x) == math.prod(x.shape)
    assert array_api_compat.is_writeable_array(x)
    assert not array_api_compat.is_lazy_array(x)
    assert not array_api_compat.is_array_api_obj([1, 2])


# -- array-api-extra ----------------------------------------------------------
# One row per call: (function name, call). ``call(xp)`` builds its inputs with
# ``xp.asarray`` from NumPy data, so the same row runs on NumPy and on trueno.

def _f64(*values):
    return np.asarray(values, dtype=np.float64)


NAN = float("nan")
INF = float("inf")
MATRIX = np.arange(12.0).reshape(3, 4) ** 1.5
WITH_NAN = np.asarray([[1.0, NAN, 3.0], [NAN, NAN, NAN], [-2.0, 5.0, NAN]])

XPX_CASES = [
    ("angle", lambda xp: xpx.angle(xp.asarray(np.asarray([1 + 1j, -1, 1j, -2 - 2j])))),
    ("angle", lambda xp: xpx.angle(xp.asarray(np.asarray([1 + 1j, -1j], dtype=np.complex64)), deg=True)),
    ("angle", lambda xp: xpx.angle(xp.asarray(_f64(1.0, -1.0, 0.0)))),
    ("apply_where", lambda xp: xpx.apply_where(
        xp.asarray(_f64(1, -1, 4, 0)) > 0, xp.asarray(_f64(1, -1, 4, 0)), xp.sqrt, fill_value=-1.0)),
    ("apply_where", lambda xp: xpx.apply_where(
        xp.asarray(_f64(1, -1, 4)) > 0, (xp.asarray(_f64(1, -1, 4)), xp.asarray(_f64(2, 2, 2))),
        lambda a, b: a * b, lambda a, b: a - b)),
    ("argpartition", lambda xp: xp.take(xp.asarray(np.asarray([5, 1, 4, 2, 3])),
                                        xpx.argpartition(xp.asarray(np.asarray([5, 1, 4, 2, 3])), 2)[2:3])),
    ("at", lambda xp: xpx.at(xp.asarray(np.arange(5.0)), xp.asarray(np.asarray([1, 3]))).add(10.0, copy=True)),
    ("at", lambda xp: xpx.at(xp.asarray(np.arange(6).reshape(2, 3)), (slice(None), 1)).set(-7, copy=True)),
    ("at", lambda xp: xpx.at(xp.asarray(np.arange(5.0)), xp.asarray(np.arange(5.0)) > 2).multiply(3.0)),
    ("at", lambda xp: xpx.at(xp.asarray(np.arange(5.0)), slice(1, 4)).divide(2.0)),
    ("at", lambda xp: xpx.at(xp.asarray(np.arange(5.0)), 2).subtract(1.0)),
    ("at", lambda xp: xpx.at(xp.asarray(np.arange(5.0)), slice(None)).power(2.0)),
    ("at", lambda xp: xpx.at(xp.asarray(np.arange(5.0)), slice(None, 3)).min(1.5)),
    ("at", lambda xp: xpx.at(xp.asarray(np.arange(5.0)), slice(None, 3)).max(1.5)),
    ("atleast_nd", lambda xp: xpx.atleast_nd(xp.asarray(_f64(1, 2)), ndim=3)),
    ("atleast_nd", lambda xp: xpx.atleast_nd(xp.asarray(7), ndim=2)),
    ("atleast_nd", lambda xp: xpx.atleast_nd(xp.asarray(np.ones((2, 2, 2))), ndim=1)),
    ("broadcast_shapes", lambda xp: xpx.broadcast_shapes((2, 1), (1, 3), (3,))),
    ("broadcast_shapes", lambda xp: xpx.broadcast_shapes((0, 1), (1,))),
    ("cov", lambda xp: xpx.cov(xp.asarray(MATRIX))),
    ("cov", lambda xp: xpx.cov(xp.asarray(MATRIX), axis=0, correction=0)),
    ("cov", lambda xp: xpx.cov(xp.asarray(MATRIX[0]))),
    ("cov", lambda xp: xpx.cov(xp.asarray(MATRIX), fweights=xp.asarray(np.asarray([1, 2, 1, 3])),
                               aweights=xp.asarray(_f64(0.5, 1, 2, 1)))),
    ("cov", lambda xp: xpx.cov(xp.asarray(MATRIX.astype(np.float32)))),
    ("create_diagonal", lambda xp: xpx.create_diagonal(xp.asarray(_f64(1, 2, 3)))),
    ("create_diagonal", lambda xp: xpx.create_diagonal(xp.asarray(np.arange(6).reshape(2, 3)), offset=-1)),
    ("default_dtype", lambda xp: xpx.default_dtype(xp)),
    ("default_dtype", lambda xp: xpx.default_dtype(xp, "integral")),
    ("default_dtype", lambda xp: xpx.default_dtype(xp, "complex floating")),
    ("default_dtype", lambda xp: xpx.default_dtype(xp, "indexing")),
    ("deg2rad", lambda xp: xpx.deg2rad(xp.asarray(_f64(0, 90, 180, -45)))),
    ("deg2rad", lambda xp: xpx.deg2rad(xp.asarray(np.asarray([30, 60], dtype=np.float32)))),
    ("diag_indices", lambda xp: xpx.diag_indices(3, xp=xp)),
    ("diag_indices", lambda xp: xpx.diag_indices(2, ndim=3, xp=xp)),
    ("expand_dims", lambda xp: xpx.expand_dims(xp.asarray(np.ones((2, 3))), axis=(0, -1))),
    ("expand_dims", lambda xp: xpx.expand_dims(xp.asarray(3.0))),
    ("isclose", lambda xp: xpx.isclose(xp.asarray(_f64(1, NAN, 3, INF)),
                                       xp.asarray(_f64(1 + 1e-9, NAN, 3.1, INF)), equal_nan=True)),
    ("isclose", lambda xp: xpx.isclose(xp.asarray(_f64(1, NAN)), 1.0, rtol=0.1)),
    ("isclose", lambda xp: xpx.isclose(xp.asarray(np.asarray([1, 2, 3])), xp.asarray(np.asarray([1, 3, 3])))),
    ("isin", lambda xp: xpx.isin(xp.asarray(np.asarray([1, 2, 3, 4])), xp.asarray(np.asarray([2, 4])))),
    ("isin", lambda xp: xpx.isin(xp.asarray(np.arange(6).reshape(2, 3)), xp.asarray(np.asarray([5, 0])),
                                 invert=True)),
    ("kron", lambda xp: xpx.kron(xp.asarray(np.arange(4.0).reshape(2, 2)), xp.asarray(np.ones((2, 3))))),
    ("kron", lambda xp: xpx.kron(xp.asarray(np.asarray([1, 2])), xp.asarray(np.asarray([[3], [4]])))),
    ("lazy_apply", lambda xp: xpx.lazy_apply(lambda x: x * 2, xp.asarray(np.arange(3.0)),
                                             shape=(3,), dtype=xp.float64)),
    ("lazy_apply", lambda xp: xpx.lazy_apply(lambda x: x + 1, xp.asarray(np.arange(3.0)), as_numpy=True)),
    ("nan_to_num", lambda xp: xpx.nan_to_num(xp.asarray(_f64(NAN, INF, -INF, 1)))),
    ("nan_to_num", lambda xp: xpx.nan_to_num(xp.asarray(np.asarray([NAN, 2], dtype=np.float32)), fill_value=7.0)),
    ("nan_to_num", lambda xp: xpx.nan_to_num(xp.asarray(np.asarray([complex(NAN, INF), 1j])))),
    ("nanmax", lambda xp: xpx.nanmax(xp.asarray(WITH_NAN), axis=0)),
    ("nanmax", lambda xp: xpx.nanmax(xp.asarray(WITH_NAN))),
    ("nanmean", lambda xp: xpx.nanmean(xp.asarray(WITH_NAN), axis=1)),
    ("nanmean", lambda xp: xpx.nanmean(xp.asarray(WITH_NAN))),
    ("nanmin", lambda xp: xpx.nanmin(xp.asarray(WITH_NAN), axis=(0, 1))),
    ("nanmin", lambda xp: xpx.nanmin(xp.asarray(WITH_NAN), axis=-1)),
    ("nansum", lambda xp: xpx.nansum(xp.asarray(WITH_NAN), axis=0)),
    ("nansum", lambda xp: xpx.nansum(xp.asarray(np.asarray([[1, 2], [3, 4]])))),
    ("nunique", lambda xp: xpx.nunique(xp.asarray(np.asarray([1, 2, 2, 3, 3, 3])))),
    ("nunique", lambda xp: xpx.nunique(xp.asarray(np.zeros((0,))))),
    ("one_hot", lambda xp: xpx.one_hot(xp.asarray(np.asarray([0, 2, 1])), 3)),
    ("one_hot", lambda xp: xpx.one_hot(xp.asarray(np.asarray([[0, 1], [1, 0]])), 2, dtype=xp.int8, axis=0)),
    ("pad", lambda xp: xpx.pad(xp.asarray(np.arange(6.0).reshape(2, 3)), 1, constant_values=-1)),
    ("pad", lambda xp: xpx.pad(xp.asarray(np.arange(6).reshape(2, 3)), ((0, 1), (2, 0)))),
    ("pad", lambda xp: xpx.pad(xp.asarray(np.arange(3.0)), (1, 2))),
    ("partition", lambda xp: xpx.partition(xp.asarray(np.asarray([5, 1, 4, 2, 3])), 2)[2]),
    ("partition", lambda xp: xpx.partition(xp.asarray(np.asarray([[5.0, 1, 4], [0, 9, 3]])), 0, axis=1)[:, 0]),
    ("rad2deg", lambda xp: xpx.rad2deg(xp.asarray(_f64(0, math.pi, -math.pi / 4)))),
    ("searchsorted", lambda xp: xpx.searchsorted(xp.asarray(np.asarray([1, 3, 5, 7])),
                                                 xp.asarray(np.asarray([0, 3, 8])), side="right")),
    ("searchsorted", lambda xp: xpx.searchsorted(xp.asarray(np.asarray([[1.0, 3, 5], [2, 4, 6]])),
                                                 xp.asarray(np.asarray([[3.0], [7.0]])))),
    ("setdiff1d", lambda xp: xpx.setdiff1d(xp.asarray(np.asarray([4, 1, 2, 3, 4])), xp.asarray(np.asarray([2, 4])))),
    ("setdiff1d", lambda xp: xpx.setdiff1d(xp.asarray(np.asarray([1, 3])), xp.asarray(np.asarray([2, 3])),
                                           assume_unique=True)),
    ("sinc", lambda xp: xpx.sinc(xp.asarray(_f64(0, 0.5, 1, -2.5)))),
    ("sinc", lambda xp: xpx.sinc(xp.asarray(np.asarray([0.0, 0.25], dtype=np.float32)))),
    ("sinc", lambda xp: xpx.sinc(xp.asarray(np.zeros((0, 2))))),
    ("tril_indices", lambda xp: xpx.tril_indices(3, xp=xp)),
    ("tril_indices", lambda xp: xpx.tril_indices(3, offset=-1, m=5, xp=xp)),
    ("triu_indices", lambda xp: xpx.triu_indices(3, offset=1, m=4, xp=xp)),
    ("triu_indices", lambda xp: xpx.triu_indices(0, xp=xp)),
    ("union1d", lambda xp: xpx.union1d(xp.asarray(np.asarray([3, 1, 3])), xp.asarray(np.asarray([2, 1])))),
    ("unravel_index", lambda xp: xpx.unravel_index(xp.asarray(np.asarray([0, 5, 7])), (2, 4))),
    ("unravel_index", lambda xp: xpx.unravel_index(xp.asarray(np.asarray([3, 0])), (2, 1, 2))),
]

# Not functions: the package version and its test helpers (for lazy backends).
XPX_NOT_FUNCTIONS = {"__version__", "testing"}


def test_every_array_api_extra_function_has_a_case():
    public = set(xpx.__all__) - XPX_NOT_FUNCTIONS
    covered = {name for name, _ in XPX_CASES}
    assert public <= covered, f"no case for {sorted(public - covered)}"
    assert covered <= public, f"cases for unknown functions {sorted(covered - public)}"


@pytest.mark.parametrize("name,call", XPX_CASES, ids=[f"{n}-{i}" for i, (n, _) in enumerate(XPX_CASES)])
def test_array_api_extra_matches_numpy(name, call):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)  # functions the standard now has
        warnings.simplefilter("ignore", RuntimeWarning)  # NumPy on all-NaN slices
        expected = to_numpy(call(np))
        got = call(trueno)
    assert_same_result(got, expected, rtol=1e-13)


class StridedInputs:
    """trueno's namespace, except that ``asarray`` makes every input a strided
    view (every other element of a larger array), so consumer code meets
    non-contiguous arrays throughout."""

    def __getattr__(self, name):
        return getattr(trueno, name)

    def asarray(self, data, **kwargs):
        data = np.asarray(data)
        if data.ndim == 0:
            return trueno.asarray(data, **kwargs)
        spread = np.repeat(data, 2, axis=-1)
        return trueno.asarray(spread, **kwargs)[..., ::2]


@pytest.mark.parametrize("name,call", XPX_CASES, ids=[f"{n}-{i}" for i, (n, _) in enumerate(XPX_CASES)])
def test_array_api_extra_on_strided_inputs_matches_numpy(name, call):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        warnings.simplefilter("ignore", RuntimeWarning)
        expected = to_numpy(call(np))
        got = call(StridedInputs())
    assert_same_result(got, expected, rtol=1e-13)


def test_array_api_extra_at_updates_in_place_like_numpy():
    for xp in (np, trueno):
        x = xp.asarray(np.arange(4.0))
        y = xpx.at(x, 1).set(9.0, copy=False)
        assert float(x[1]) == 9.0 and float(y[1]) == 9.0
        kept = xpx.at(x, 0).add(1.0, copy=True)
        assert float(x[0]) == 0.0 and float(kept[0]) == 1.0


@pytest.mark.xfail(raises=ValueError, strict=False, reason=(
    "array-api-compat's is_writeable_array knows only NumPy, JAX and sparse arrays and calls any "
    "other array writeable, so at() writes into trueno's read-only views (broadcast_to, read-only "
    "NumPy memory) instead of copying them; trueno has no way to tell it"))
def test_array_api_extra_at_copies_read_only_arrays():
    x = trueno.broadcast_to(trueno.asarray([1.0, 2.0]), (2, 2))
    y = xpx.at(x, (0, 0)).set(5.0)
    assert float(y[0, 0]) == 5.0 and float(x[0, 0]) == 1.0


# -- einops -------------------------------------------------------------------

einops_array_api = pytest.importorskip("einops.array_api")

IMAGES = np.arange(2 * 3 * 4 * 6, dtype=np.float32).reshape(2, 3, 4, 6) / 7.0

EINOPS_CASES = [
    ("rearrange", "b h w c -> b c h w", {}),
    ("rearrange", "b h w c -> (b h) w c", {}),
    ("rearrange", "b h (w2 w) c -> b (h w2) w c", {"w2": 2}),
    ("rearrange", "b h w (c1 c2) -> c2 b h w c1", {"c1": 3}),
    ("rearrange", "b ... c -> b c ...", {}),
    ("reduce-mean", "b h w c -> b c", {}),
    ("reduce-max", "b (h h2) (w w2) c -> b h w c", {"h2": 1, "w2": 2}),
    ("reduce-min", "b h w c -> h", {}),
    ("reduce-sum", "b h w c -> b () () c", {}),
    ("reduce-prod", "b h w c -> b w", {}),
    ("repeat", "b h w c -> b h w c r", {"r": 2}),
    ("repeat", "b h w c -> b (h 2) (w r) c", {"r": 3}),
    ("repeat", "b h w c -> (copy b) h w c", {"copy": 2}),
]


@pytest.mark.parametrize("operation,pattern,lengths", EINOPS_CASES, ids=[c[1] for c in EINOPS_CASES])
@pytest.mark.parametrize("layout", ["contiguous", "strided"])
def test_einops_array_api_matches_numpy(operation, pattern, lengths, layout):
    base = IMAGES if layout == "contiguous" else np.ascontiguousarray(np.repeat(IMAGES, 2, axis=2))[:, :, ::2]
    results = []
    for xp in (np, trueno):
        x = xp.asarray(base)
        if operation == "rearrange":
            results.append(einops_array_api.rearrange(x, pattern, **lengths))
        elif operation == "repeat":
            results.append(einops_array_api.repeat(x, pattern, **lengths))
        else:
            results.append(einops_array_api.reduce(x, pattern, operation.split("-")[1], **lengths))
    assert_same_result(results[1], results[0], rtol=1e-6)


def test_einops_pack_unpack_round_trip():
    a = trueno.asarray(IMAGES)
    b = trueno.asarray(IMAGES[:, :, :, :2])
    packed, shapes = einops_array_api.pack([a, b], "b h w *")
    assert packed.shape == (2, 3, 4, 8) and shapes == [(6,), (2,)]
    a_back, b_back = einops_array_api.unpack(packed, shapes, "b h w *")
    np.testing.assert_array_equal(np.asarray(a_back), IMAGES)
    np.testing.assert_array_equal(np.asarray(b_back), IMAGES[:, :, :, :2])
    np.testing.assert_array_equal(einops_array_api.asnumpy(a), IMAGES)


def test_einops_reports_bad_patterns_on_trueno_as_on_numpy():
    from einops import EinopsError

    for xp in (np, trueno):
        with pytest.raises(EinopsError):
            einops_array_api.rearrange(xp.asarray(IMAGES), "b h w -> b h w")


@pytest.mark.xfail(raises=RuntimeError, strict=False, reason=(
    "einops' framework API (einops.rearrange) dispatches only to the frameworks it has a backend "
    "for; any array API namespace goes through einops.array_api instead"))
def test_einops_framework_api_on_trueno():
    import einops

    assert einops.rearrange(trueno.asarray(IMAGES), "b h w c -> c b h w").shape == (6, 2, 3, 4)


# -- NumPy-style programs written against xp -----------------------------------

def _blobs(n_per_cluster=60, seed=0):
    rng = np.random.default_rng(seed)
    means = np.asarray([[4.0, 0.0, 1.0], [-4.0, 1.0, 0.0], [0.0, -3.0, 5.0]])
    return np.concatenate([m + rng.normal(size=(n_per_cluster, 3)) for m in means])


@pytest.mark.parametrize("dtype", ["float64", "float32"])
def test_kmeans_program_matches_numpy(dtype, isa):
    points = _blobs().astype(dtype)
    centers_np, labels_np, inertia_np = kmeans_program.kmeans(np, points, 3, 6)
    centers, labels, inertia = kmeans_program.kmeans(trueno, trueno.asarray(points), 3, 6)
    assert isinstance(centers, trueno.Array) and centers.dtype == getattr(trueno, dtype)
    np.testing.assert_array_equal(np.asarray(labels), labels_np)
    rtol = 1e-12 if dtype == "float64" else 1e-5
    np.testing.assert_allclose(np.asarray(centers), centers_np, rtol=rtol)
    np.testing.assert_allclose(float(inertia), float(inertia_np), rtol=rtol)
    # It did cluster: every blob got its own label.
    assert len(set(labels_np.tolist())) == 3


@pytest.mark.parametrize("dtype", ["float64", "float32"])
def test_mlp_program_matches_numpy(dtype, isa):
    rng = np.random.default_rng(1)
    n, d, hidden, classes = 96, 5, 16, 3
    inputs = rng.normal(size=(n, d)).astype(dtype)
    labels = np.argmax(inputs[:, :classes] + 0.1 * rng.normal(size=(n, classes)), axis=1)
    params = [rng.normal(scale=0.5, size=(d, hidden)), np.zeros(hidden),
              rng.normal(scale=0.5, size=(hidden, classes)), np.zeros(classes)]
    params = [p.astype(dtype) for p in params]

    logits_np, _ = mlp_program.forward(np, params, inputs)
    logits, _ = mlp_program.forward(trueno, [trueno.asarray(p) for p in params], trueno.asarray(inputs))
    rtol = 1e-12 if dtype == "float64" else 2e-5
    np.testing.assert_allclose(np.asarray(logits), logits_np, rtol=rtol, atol=rtol)
    np.testing.assert_allclose(float(mlp_program.cross_entropy(trueno, logits, trueno.asarray(labels))),
                               float(mlp_program.cross_entropy(np, logits_np, labels)), rtol=rtol)

    _, losses_np, accuracy_np = mlp_program.train(np, params, inputs, labels, classes, 20, 0.5)
    trained, losses, accuracy = mlp_program.train(
        trueno, [trueno.asarray(p) for p in params], trueno.asarray(inputs), trueno.asarray(labels),
        classes, 20, 0.5)
    assert all(isinstance(p, trueno.Array) and p.dtype == getattr(trueno, dtype) for p in trained)
    np.testing.assert_allclose(losses, losses_np, rtol=100 * rtol)
    assert float(accuracy) == pytest.approx(float(accuracy_np))
    assert losses_np[-1] < 0.5 * losses_np[0]  # it did learn


def run_consumer_script(module: str):
    """python -m tests.consumers.<module> from the repository root, in a fresh process:
    SciPy reads SCIPY_ARRAY_API at import (and scikit-learn's dispatch needs it)."""
    import os
    import subprocess

    root = Path(__file__).parent.parent
    env = dict(os.environ, SCIPY_ARRAY_API="1")
    result = subprocess.run([sys.executable, "-m", f"tests.consumers.{module}"], capture_output=True, text=True,
                            env=env, timeout=300, cwd=root)
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout


def test_scipy_array_api_mode_runs_on_trueno():
    pytest.importorskip("scipy")
    assert "SciPy calls match NumPy" in run_consumer_script("scipy_calls")


def test_scikit_learn_array_api_dispatch_runs_on_trueno():
    pytest.importorskip("sklearn")
    assert "scikit-learn calls match NumPy" in run_consumer_script("sklearn_calls")

"""Reductions compared with NumPy: dtypes, axes, keepdims, 0-D, zero-size,
strided inputs, NaN handling, dtype=, correction=, include_initial, errors."""
import itertools

import numpy as np
import pytest

import trueno as xp

ALL_DTYPES = ["bool", "int8", "int16", "int32", "int64", "uint8", "uint16", "uint32",
              "uint64", "float32", "float64", "complex64", "complex128"]
REAL_DTYPES = [d for d in ALL_DTYPES if not d.startswith("complex")]
FLOAT_DTYPES = ["float32", "float64", "complex64", "complex128"]


def make(dtype, shape, seed=0):
    rng = np.random.default_rng(seed)
    size = int(np.prod(shape)) if shape else 1
    if dtype == "bool":
        a = rng.integers(0, 2, size).astype(bool)
    elif dtype.startswith(("int", "uint")):
        a = rng.integers(0, 5, size).astype(dtype)
    elif dtype.startswith("float"):
        a = rng.standard_normal(size).astype(dtype)
    else:
        a = (rng.standard_normal(size) + 1j * rng.standard_normal(size)).astype(dtype)
    return a.reshape(shape)


def to_np(a):
    return np.asarray(a)


def check(got, want, rtol=None):
    got = to_np(got)
    want = np.asarray(want)
    assert got.shape == want.shape, (got.shape, want.shape)
    assert got.dtype == want.dtype, (got.dtype, want.dtype)
    if rtol is None:
        rtol = 1e-4 if want.dtype in (np.float32, np.complex64) else 1e-10
    if want.dtype.kind in "fc":
        np.testing.assert_allclose(got, want, rtol=rtol, atol=rtol, equal_nan=True)
    else:
        np.testing.assert_array_equal(got, want)


def sum_dtype(dtype):
    if dtype == "bool" or dtype.startswith("int"):
        return np.int64
    if dtype.startswith("uint"):
        return np.uint64
    return np.dtype(dtype)


AXES_3D = [None, 0, 1, 2, -1, -3, (0, 2), (1, 2), (0, 1, 2), (2, 0), ()]


# ---- sum / prod --------------------------------------------------------------

@pytest.mark.parametrize("dtype", ALL_DTYPES)
@pytest.mark.parametrize("axis", AXES_3D)
@pytest.mark.parametrize("keepdims", [False, True])
def test_sum_prod(dtype, axis, keepdims):
    a = make(dtype, (3, 4, 5))
    x = xp.asarray(a)
    check(xp.sum(x, axis=axis, keepdims=keepdims),
          np.sum(a, axis=axis, keepdims=keepdims, dtype=sum_dtype(dtype)))
    check(xp.prod(x, axis=axis, keepdims=keepdims),
          np.prod(a, axis=axis, keepdims=keepdims, dtype=sum_dtype(dtype)))


@pytest.mark.parametrize("dtype,req", [("int8", "int8"), ("int32", "float64"), ("float32", "float64"),
                                       ("float64", "float32"), ("bool", "int32"), ("uint8", "uint16"),
                                       ("float32", "complex128")])
def test_sum_prod_dtype_argument(dtype, req):
    a = make(dtype, (6, 7))
    x = xp.asarray(a)
    check(xp.sum(x, axis=1, dtype=getattr(xp, req)), np.sum(a, axis=1, dtype=req))
    check(xp.prod(x, axis=0, dtype=getattr(xp, req)), np.prod(a, axis=0, dtype=req))
    check(xp.sum(x, dtype=getattr(xp, req)), np.sum(a, dtype=req))


def test_sum_integer_wraps_like_numpy():
    a = np.array([2**62, 2**62, 2**62], dtype=np.int64)
    check(xp.sum(xp.asarray(a)), np.sum(a))
    b = np.array([200, 100], dtype=np.uint8)
    check(xp.sum(xp.asarray(b), dtype=xp.uint8), np.sum(b, dtype=np.uint8))


def test_float32_sum_is_pairwise_accurate():
    a = np.full(10**6, 0.1, dtype=np.float32)
    got = float(to_np(xp.sum(xp.asarray(a))))
    assert to_np(xp.sum(xp.asarray(a))).dtype == np.float32
    assert abs(got - 1e5) / 1e5 < 1e-5  # naive float32 accumulation is off by ~1%
    np.testing.assert_allclose(got, np.sum(a), rtol=1e-6)


def test_large_float_sum_strided_and_axes():
    a = np.random.default_rng(3).standard_normal((300, 517))
    x = xp.asarray(a)
    for ax in [None, 0, 1]:
        check(xp.sum(x, axis=ax), np.sum(a, axis=ax))
        check(xp.sum(x[::3, ::-2], axis=ax), np.sum(a[::3, ::-2], axis=ax))


# ---- max / min ---------------------------------------------------------------

@pytest.mark.parametrize("dtype", REAL_DTYPES)
@pytest.mark.parametrize("axis", AXES_3D)
@pytest.mark.parametrize("keepdims", [False, True])
def test_max_min(dtype, axis, keepdims):
    a = make(dtype, (3, 4, 5), seed=1)
    x = xp.asarray(a)
    check(xp.max(x, axis=axis, keepdims=keepdims), np.max(a, axis=axis, keepdims=keepdims))
    check(xp.min(x, axis=axis, keepdims=keepdims), np.min(a, axis=axis, keepdims=keepdims))


@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_max_min_propagate_nan(dtype):
    a = make(dtype, (4, 6))
    a[1, 3] = np.nan
    a[3, 0] = np.nan
    x = xp.asarray(a)
    for ax in [None, 0, 1]:
        check(xp.max(x, axis=ax), np.max(a, axis=ax))
        check(xp.min(x, axis=ax), np.min(a, axis=ax))


def test_max_min_zero_size_raises():
    x = xp.asarray(np.empty((0, 3)))
    with pytest.raises(ValueError):
        xp.max(x)
    with pytest.raises(ValueError):
        xp.min(x, axis=0)
    check(xp.max(x, axis=1), np.max(np.empty((0, 3)), axis=1))


def test_max_complex_is_type_error():
    with pytest.raises(TypeError):
        xp.max(xp.asarray([1 + 1j]))


# ---- mean / var / std ----------------------------------------------------------

@pytest.mark.parametrize("dtype", FLOAT_DTYPES)
@pytest.mark.parametrize("axis", AXES_3D)
@pytest.mark.parametrize("keepdims", [False, True])
def test_mean_var_std(dtype, axis, keepdims):
    a = make(dtype, (3, 4, 5), seed=2)
    x = xp.asarray(a)
    check(xp.mean(x, axis=axis, keepdims=keepdims), np.mean(a, axis=axis, keepdims=keepdims))
    if axis == ():
        return  # NumPy's var over no axes is 0 everywhere as well, but with ddof warnings
    check(xp.var(x, axis=axis, keepdims=keepdims), np.var(a, axis=axis, keepdims=keepdims))
    check(xp.std(x, axis=axis, keepdims=keepdims), np.std(a, axis=axis, keepdims=keepdims))


@pytest.mark.parametrize("correction", [0, 1, 0.5, 2.0])
@pytest.mark.parametrize("dtype", ["float32", "float64", "complex128"])
def test_var_std_correction(correction, dtype):
    a = make(dtype, (5, 6), seed=4)
    x = xp.asarray(a)
    for ax in [None, 0, 1]:
        check(xp.var(x, axis=ax, correction=correction), np.var(a, axis=ax, ddof=correction))
        check(xp.std(x, axis=ax, correction=correction), np.std(a, axis=ax, ddof=correction))


def test_var_nonpositive_degrees_of_freedom_is_nan():
    x = xp.asarray([1.0, 2.0])
    assert np.isnan(to_np(xp.var(x, correction=2)))
    assert np.isnan(to_np(xp.std(x, correction=3)))


@pytest.mark.parametrize("dtype", ["bool", "int8", "int64", "uint32"])
def test_mean_var_of_integers_compute_in_float64(dtype):
    a = make(dtype, (4, 5), seed=5)
    x = xp.asarray(a)
    check(xp.mean(x, axis=0), np.mean(a, axis=0))
    check(xp.var(x, axis=1), np.var(a, axis=1))
    check(xp.std(x), np.std(a))


def test_mean_zero_size_is_nan():
    got = to_np(xp.mean(xp.asarray(np.empty((0,)))))
    assert got.shape == () and np.isnan(got)
    got = to_np(xp.mean(xp.asarray(np.empty((3, 0))), axis=1))
    assert got.shape == (3,) and np.isnan(got).all()


# ---- all / any / count_nonzero -------------------------------------------------

@pytest.mark.parametrize("dtype", ALL_DTYPES)
@pytest.mark.parametrize("axis", AXES_3D)
@pytest.mark.parametrize("keepdims", [False, True])
def test_all_any_count_nonzero(dtype, axis, keepdims):
    a = make(dtype, (3, 4, 5), seed=6)
    if dtype != "bool":
        a = a * (make("bool", (3, 4, 5), seed=7)).astype(dtype)  # plenty of zeros
    x = xp.asarray(a)
    check(xp.all(x, axis=axis, keepdims=keepdims), np.all(a, axis=axis, keepdims=keepdims))
    check(xp.any(x, axis=axis, keepdims=keepdims), np.any(a, axis=axis, keepdims=keepdims))
    want = np.asarray(np.count_nonzero(a, axis=axis, keepdims=keepdims)).astype(np.int64)
    check(xp.count_nonzero(x, axis=axis, keepdims=keepdims), want)


def test_all_any_nan_is_true():
    a = np.array([np.nan, 0.0])
    check(xp.any(xp.asarray(a)), np.any(a))
    check(xp.all(xp.asarray(a[:1])), np.all(a[:1]))


# ---- argmax / argmin -------------------------------------------------------------

@pytest.mark.parametrize("dtype", REAL_DTYPES)
@pytest.mark.parametrize("axis", [None, 0, 1, -1])
@pytest.mark.parametrize("keepdims", [False, True])
def test_argmax_argmin(dtype, axis, keepdims):
    a = make(dtype, (5, 7), seed=8)  # small ints: many ties, first occurrence matters
    x = xp.asarray(a)
    for xa, na in [(x, a), (x.T, a.T), (x[::-1, ::2], a[::-1, ::2])]:
        check(xp.argmax(xa, axis=axis, keepdims=keepdims),
              np.argmax(na, axis=axis, keepdims=keepdims).astype(np.int64))
        check(xp.argmin(xa, axis=axis, keepdims=keepdims),
              np.argmin(na, axis=axis, keepdims=keepdims).astype(np.int64))


def test_argmax_nan_first_occurrence():
    a = np.array([[1.0, np.nan, 5.0, np.nan], [3.0, 2.0, 2.0, 0.0]])
    x = xp.asarray(a)
    for ax in [None, 0, 1]:
        check(xp.argmax(x, axis=ax), np.argmax(a, axis=ax).astype(np.int64))
        check(xp.argmin(x, axis=ax), np.argmin(a, axis=ax).astype(np.int64))


def test_argmax_3d_flat_index():
    a = make("int8", (3, 4, 5), seed=9)
    x = xp.asarray(a)
    check(xp.argmax(x), np.int64(np.argmax(a)))
    check(xp.argmin(xp.permute_dims(x, (2, 0, 1))), np.int64(np.argmin(a.transpose(2, 0, 1))))


def test_argmax_errors():
    with pytest.raises(ValueError):
        xp.argmax(xp.asarray(np.empty((0,))))
    with pytest.raises(ValueError):
        xp.argmin(xp.asarray(np.ones((2, 3))), axis=2)
    with pytest.raises(TypeError):
        xp.argmax(xp.asarray(np.ones((2, 3))), axis=(0, 1))


# ---- cumulative_sum / cumulative_prod ---------------------------------------------

def np_cumulative(a, prod, axis, dtype, include_initial):
    f = np.cumprod if prod else np.cumsum
    r = f(a, axis=axis, dtype=dtype)
    if include_initial:
        shape = list(a.shape)
        shape[axis] = 1
        r = np.concatenate([np.full(shape, 1 if prod else 0, dtype=r.dtype), r], axis=axis)
    return r


@pytest.mark.parametrize("dtype", ALL_DTYPES)
@pytest.mark.parametrize("axis", [0, 1, -1])
@pytest.mark.parametrize("include_initial", [False, True])
def test_cumulative(dtype, axis, include_initial):
    a = make(dtype, (4, 6), seed=10)
    x = xp.asarray(a)
    for xa, na in [(x, a), (x.T, a.T), (x[::-1, ::2], a[::-1, ::2])]:
        check(xp.cumulative_sum(xa, axis=axis, include_initial=include_initial),
              np_cumulative(na, False, axis, sum_dtype(dtype), include_initial))
        check(xp.cumulative_prod(xa, axis=axis, include_initial=include_initial),
              np_cumulative(na, True, axis, sum_dtype(dtype), include_initial))


def test_cumulative_1d_default_axis_and_dtype():
    a = np.arange(1, 9, dtype=np.int16)
    x = xp.asarray(a)
    check(xp.cumulative_sum(x), np.cumsum(a, dtype=np.int64))
    check(xp.cumulative_prod(x, dtype=xp.float32), np.cumprod(a, dtype=np.float32))
    check(xp.cumulative_sum(xp.asarray(np.empty(0)), include_initial=True), np.zeros(1))
    check(xp.cumulative_prod(xp.asarray(np.empty((2, 0))), axis=1, include_initial=True), np.ones((2, 1)))


def test_cumulative_errors():
    with pytest.raises(ValueError):
        xp.cumulative_sum(xp.asarray(np.ones((2, 3))))  # axis required for 2-D
    with pytest.raises(ValueError):
        xp.cumulative_sum(xp.asarray(np.ones(3)), axis=1)
    with pytest.raises(TypeError):
        xp.cumulative_sum([1, 2, 3])


# ---- 0-D, zero-size, strided --------------------------------------------------------

@pytest.mark.parametrize("name", ["sum", "prod", "max", "min", "mean", "var", "std", "all", "any"])
def test_zero_d(name):
    a = np.asarray(2.5)
    x = xp.asarray(a)
    check(getattr(xp, name)(x), getattr(np, name)(a))
    check(getattr(xp, name)(x, keepdims=True), getattr(np, name)(a, keepdims=True))
    check(getattr(xp, name)(x, axis=()), getattr(np, name)(a, axis=()))
    check(xp.argmax(x), np.int64(0))
    check(xp.count_nonzero(x), np.int64(1))


@pytest.mark.parametrize("shape,axis", [((0,), None), ((0, 3), 0), ((0, 3), 1), ((2, 0, 3), (0, 1)),
                                        ((2, 0, 3), None), ((2, 0, 3), 2)])
def test_zero_size(shape, axis):
    a = np.ones(shape, dtype=np.float32)
    x = xp.asarray(a)
    check(xp.sum(x, axis=axis), np.sum(a, axis=axis))
    check(xp.prod(x, axis=axis), np.prod(a, axis=axis))
    check(xp.all(x, axis=axis), np.all(a, axis=axis))
    check(xp.any(x, axis=axis), np.any(a, axis=axis))
    check(xp.sum(xp.asarray(np.ones(shape, dtype=np.int8)), axis=axis, keepdims=True),
          np.sum(np.ones(shape, dtype=np.int8), axis=axis, keepdims=True, dtype=np.int64))
    with np.errstate(all="ignore"):
        import warnings
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            check(xp.mean(x, axis=axis), np.mean(a, axis=axis))


@pytest.mark.parametrize("name", ["sum", "prod", "max", "min", "mean", "var", "std", "all", "any",
                                  "count_nonzero"])
def test_strided_and_transposed(name):
    a = np.random.default_rng(11).standard_normal((6, 8, 10))
    x = xp.asarray(a)
    np_f = {"count_nonzero": lambda v, axis=None: np.asarray(np.count_nonzero(v, axis=axis), np.int64)}
    nf = np_f.get(name, getattr(np, name))
    views = [(x[::2], a[::2]), (x[:, ::-3, 1::2], a[:, ::-3, 1::2]),
             (xp.permute_dims(x, (2, 0, 1)), a.transpose(2, 0, 1))]
    for (xv, av), ax in itertools.product(views, [None, 0, 2, (0, 2), (1, 0)]):
        check(getattr(xp, name)(xv, axis=ax), nf(av, axis=ax))


# ---- errors ------------------------------------------------------------------------

@pytest.mark.parametrize("name", ["sum", "prod", "max", "min", "mean", "var", "std", "all", "any",
                                  "count_nonzero"])
def test_axis_errors(name):
    f = getattr(xp, name)
    x = xp.asarray(np.ones((2, 3)))
    with pytest.raises(ValueError, match="axis"):
        f(x, axis=2)
    with pytest.raises(ValueError):
        f(x, axis=-3)
    with pytest.raises(ValueError):
        f(x, axis=(0, 0))
    with pytest.raises(ValueError):
        f(x, axis=(1, -1))
    with pytest.raises(TypeError):
        f(x, axis=1.0)
    with pytest.raises(TypeError):
        f([1, 2, 3])
    with pytest.raises(TypeError):
        f(x, 0)  # axis is keyword-only


def test_keyword_errors():
    x = xp.asarray([1.0, 2.0])
    with pytest.raises(TypeError):
        xp.var(x, correction="1")
    with pytest.raises(TypeError):
        xp.sum(x, dtype="not a dtype")
    with pytest.raises(TypeError):
        xp.sum(xp.asarray([1j]), dtype=xp.float64)


# ---- diff --------------------------------------------------------------------------

@pytest.mark.parametrize("dtype", ["int32", "float64", "complex64", "bool", "uint8"])
def test_diff(dtype):
    a = make(dtype, (4, 6), seed=12)
    x = xp.asarray(a)
    check(xp.diff(x), np.diff(a))
    check(xp.diff(x, axis=0), np.diff(a, axis=0))
    check(xp.diff(x, n=2, axis=1), np.diff(a, n=2, axis=1))
    check(xp.diff(x, 3), np.diff(a, 3))  # NumPy's positional n
    check(xp.diff(x, 1, 0), np.diff(a, 1, 0))
    check(xp.diff(x, n=0), a)
    check(xp.diff(x[::-1, ::2], axis=0), np.diff(a[::-1, ::2], axis=0))


def test_diff_prepend_append():
    a = np.arange(12.0).reshape(3, 4) ** 2
    x = xp.asarray(a)
    p = np.ones((3, 1))
    check(xp.diff(x, prepend=xp.asarray(p)), np.diff(a, prepend=p))
    check(xp.diff(x, axis=0, append=xp.asarray(np.zeros((2, 4)))), np.diff(a, axis=0, append=np.zeros((2, 4))))
    check(xp.diff(x, append=5.0, n=2), np.diff(a, append=5.0, n=2))
    with pytest.raises(ValueError):
        xp.diff(x, n=-1)
    with pytest.raises(ValueError):
        xp.diff(x, axis=2)
    with pytest.raises(TypeError):
        xp.diff([1, 2])


def test_namespaces():
    from trueno import _statistical, _utility
    assert sorted(_statistical.__all__) == ["cumulative_prod", "cumulative_sum", "max", "mean",
                                            "min", "prod", "std", "sum", "var"]
    assert _utility.__all__ == ["all", "any", "diff"]
    for name in ["argmax", "argmin", "count_nonzero"]:
        assert callable(getattr(xp._core, name))
    assert type(xp.sum) is xp._core.Function  # native: vectorcall into nanobind, no Python frame


@pytest.mark.parametrize("dtype", ["float32", "float64"])
@pytest.mark.parametrize("pos", [0, 5, 16, 700, 999])
def test_long_runs_nan_inf_and_ties(dtype, pos):
    """The vectorised lanes and argmax's chunks, with NaN/inf at the edges."""
    a = np.random.default_rng(pos).standard_normal(1000).astype(dtype)
    for special in [np.inf, -np.inf, np.nan]:
        b = a.copy()
        b[pos] = special
        b[(pos + 300) % 1000] = special
        x = xp.asarray(b)
        for f in ["max", "min", "argmax", "argmin"]:
            want = getattr(np, f)(b)
            check(getattr(xp, f)(x), want.astype(np.int64) if f.startswith("arg") else want)
        check(xp.max(x[::-1]), np.max(b[::-1]))
        check(xp.argmin(x[::-1]), np.int64(np.argmin(b[::-1])))
    ties = np.zeros(1000, dtype=dtype)
    ties[pos] = 1
    ties[-1] = 1
    check(xp.argmax(xp.asarray(ties)), np.int64(np.argmax(ties)))
    check(xp.argmin(xp.asarray(-ties)), np.int64(np.argmin(-ties)))


@pytest.mark.parametrize("dtype", ["int8", "uint8", "int32", "uint64", "bool"])
def test_long_integer_runs(dtype):
    a = make(dtype, (50, 333), seed=13)
    x = xp.asarray(a)
    for ax in [None, 0, 1]:
        check(xp.sum(x, axis=ax), np.sum(a, axis=ax, dtype=sum_dtype(dtype)))
        check(xp.max(x, axis=ax), np.max(a, axis=ax))
        check(xp.min(x, axis=ax), np.min(a, axis=ax))
        check(xp.argmax(x, axis=ax), np.argmax(a, axis=ax).astype(np.int64))

"""trueno in the NumPy ecosystem: NumPy's dtypes, functions that pickle, NumPy's protocols.

Each test here failed before trueno's dtypes became NumPy's and before
NEP 13/18 (issue 13): NumPy could not read trueno's dtypes, NumPy functions
turned trueno arrays into NumPy arrays, and functions did not pickle.
"""
from __future__ import annotations

import inspect
import pickle

import numpy as np
import pytest

import trueno as xp
from trueno import _devices, _numpy_protocols

DTYPE_NAMES = ["bool", "int8", "int16", "int32", "int64", "uint8", "uint16", "uint32", "uint64",
               "float32", "float64", "complex64", "complex128"]


# ---- dtypes ---------------------------------------------------------------------

@pytest.mark.parametrize("name", DTYPE_NAMES)
def test_dtypes_are_numpy_dtypes(name):
    d = getattr(xp, name)
    assert d is np.dtype(name)
    assert isinstance(d, np.dtype)
    assert np.dtype(d) is d
    assert d == getattr(np, name if name != "bool" else "bool_")
    assert {np.dtype(name): 1}[d] == 1 and {d: 1}[np.dtype(name)] == 1
    assert d.name == name and d.itemsize == np.dtype(name).itemsize
    assert (d.kind, d.char, d.type) == (np.dtype(name).kind, np.dtype(name).char, np.dtype(name).type)
    assert repr(d) == repr(np.dtype(name))
    x = xp.zeros(2, dtype=d)
    assert x.dtype is d and isinstance(x.dtype, np.dtype)
    assert pickle.loads(pickle.dumps(d)) == d  # (equal, not always the same object: NumPy's own pickling)
    assert pickle.loads(pickle.dumps(xp.zeros(2, dtype=d))).dtype is d


@pytest.mark.parametrize("spelling", [np.float32, np.dtype("float32"), "float32", "f4", np.dtype("<f4")])
def test_functions_take_numpy_dtype_likes(spelling):
    assert xp.zeros(3, dtype=spelling).dtype is xp.float32
    assert xp.astype(xp.ones(2), spelling).dtype is xp.float32
    assert xp.asarray([1, 2], dtype=spelling).dtype is xp.float32
    assert xp.isdtype(spelling, "real floating") and not xp.isdtype(spelling, "integral")
    assert xp.isdtype(xp.float32, spelling)
    assert xp.result_type(spelling, np.float64) is xp.float64
    assert xp.can_cast(spelling, np.float64) and not xp.can_cast(np.float64, spelling)
    assert xp.finfo(spelling).bits == 32 and xp.finfo(spelling).dtype is xp.float32
    assert xp.sum(xp.ones(3), dtype=spelling).dtype is xp.float32


def test_integer_info_takes_numpy_dtypes():
    assert xp.iinfo(np.int8).max == 127 and xp.iinfo("uint16").max == 65535
    assert xp.iinfo(np.dtype("int64")).dtype is xp.int64


def test_numpy_scalars_have_a_dtype_in_result_type():
    # NEP 50: a NumPy scalar is typed, a Python scalar takes the array's type
    assert xp.result_type(xp.ones(2, dtype=xp.float32), np.float64(1)) is xp.float64
    assert xp.result_type(xp.ones(2, dtype=xp.float32), 1.0) is xp.float32


def test_result_type_of_scalars_alone_is_a_type_error():
    # xarray's promotion catches TypeError only
    with pytest.raises(TypeError, match="at least one array or dtype"):
        xp.result_type(np.nan)


@pytest.mark.parametrize("bad, why", [
    (np.float16, "float16"), ("f2", "float16"), (np.dtype(">f8"), "byte order"), ("U3", "<U3"),
    (object, "dtype\\('O'\\)"), ("not a dtype", "not a dtype"),
])
def test_dtypes_trueno_lacks_are_refused_naming_the_argument(bad, why):
    with pytest.raises(TypeError, match=f"zeros\\(\\): dtype .*{why}"):
        xp.zeros(3, dtype=bad)
    with pytest.raises(TypeError, match="isdtype\\(\\): dtype"):
        xp.isdtype(bad, "numeric")


def test_an_array_is_no_dtype():
    with pytest.raises(TypeError, match="astype\\(\\): dtype .*an array"):
        xp.astype(xp.ones(2), xp.ones(2))


# ---- functions that travel ----------------------------------------------------------

def _public_functions():
    found = []
    for module, prefix in ((xp, "trueno"), (xp.linalg, "trueno.linalg"), (xp.fft, "trueno.fft"),
                           (xp.nn, "trueno.nn")):
        for name in sorted(getattr(module, "__all__", dir(module))):
            f = getattr(module, name, None)
            if isinstance(f, xp._core.Function) or (callable(f) and type(f).__name__ == "function"):
                found.append(pytest.param(f, id=f"{prefix}.{name}"))
    for name in ("__add__", "__getitem__", "to_device", "sum", "reshape", "astype"):
        found.append(pytest.param(getattr(xp.Array, name), id=f"Array.{name}"))
    return found


@pytest.mark.parametrize("f", _public_functions())
def test_public_functions_pickle_by_reference(f):
    assert pickle.loads(pickle.dumps(f)) is f
    assert isinstance(f.__module__, str)
    import cloudpickle

    assert cloudpickle.loads(cloudpickle.dumps(f)) is f


def test_function_type_module_is_a_string():
    assert type(xp.sum).__module__ == "trueno"
    assert xp.sum.__module__ == "trueno" and xp.nn.relu.__module__ == "trueno.nn"
    assert xp.linalg.solve.__module__ == "trueno.linalg"
    assert str(inspect.signature(xp.sum)).startswith("(x, *, axis=None")


def test_unpickling_a_function_that_does_not_exist_is_a_clear_error():
    data = pickle.dumps(xp.sum).replace(b"sum", b"smu")
    with pytest.raises(AttributeError, match="smu"):
        pickle.loads(data)


# ---- NEP 13: ufuncs --------------------------------------------------------------

def _values(x):
    return np.asarray(x).tolist()


@pytest.mark.parametrize("ufunc, args", [
    (np.exp, ([0.0, 1.0],)), (np.add, ([1.0, 2.0], 1)), (np.multiply, ([1, 2], [3, 4])),
    (np.arctan2, ([1.0, -1.0], [2.0, 2.0])), (np.absolute, ([-1, 2],)), (np.power, ([2.0, 3.0], 2)),
    (np.greater, ([1, 5], 3)), (np.isnan, ([np.nan, 1.0],)), (np.invert, ([True, False],)),
    (np.sin, ([1, 2],)),  # integers: NumPy computes sin in float64, so does trueno here
    (np.add, ([1, 2], [0.5, 1.5])),  # int64 + float64: NumPy's promotion
])
def test_ufuncs_give_trueno_arrays_computed_like_numpy(ufunc, args):
    t_args = [xp.asarray(a) if isinstance(a, list) else a for a in args]
    n_args = [np.asarray(a) if isinstance(a, list) else a for a in args]
    result = ufunc(*t_args)
    expected = ufunc(*n_args)
    assert type(result) is xp.Array
    assert result.dtype == expected.dtype
    np.testing.assert_allclose(np.asarray(result), expected)


def test_numpy_scalars_follow_nep50():
    f32 = xp.ones(3, dtype=xp.float32)
    assert (f32 * np.float64(2)).dtype is xp.float64
    assert (f32 * 2.0).dtype is xp.float32
    assert type(np.float32(2) * f32) is xp.Array and (np.float32(2) * f32).dtype is xp.float32
    assert (np.float64(2) * f32).dtype is xp.float64
    assert type(f32 * np.float32(2)) is xp.Array


def test_mixed_operands_give_trueno_arrays():
    t = xp.ones(3)
    for result in (t + np.ones(3), np.ones(3) + t, t * np.float32(2), np.ones(3) - t, t @ np.ones(3)):
        assert type(result) is xp.Array
    assert _values(np.arange(3.0) - t) == [-1.0, 0.0, 1.0]


def test_inplace_with_a_numpy_operand_stays_in_place():
    x = xp.zeros(3)
    before = id(x)
    x += np.ones(3)
    assert id(x) == before and type(x) is xp.Array and _values(x) == [1.0, 1.0, 1.0]
    x *= np.float64(3)
    assert id(x) == before and _values(x) == [3.0, 3.0, 3.0]


def test_numpy_array_inplace_with_trueno_writes_into_numpy():
    a = np.zeros(3)
    before = id(a)
    a += xp.asarray([1.0, 2.0, 3.0])
    assert id(a) == before and type(a) is np.ndarray and a.tolist() == [1.0, 2.0, 3.0]
    i = np.zeros(2, dtype=np.int64)
    with pytest.raises(TypeError):
        i += xp.asarray([0.5, 1.5])  # float into int: NumPy's same_kind rule refuses


def test_ufunc_out_writes_into_trueno_array():
    out = xp.zeros(3)
    result = np.add(xp.ones(3), 1, out=out)
    assert result is out and _values(out) == [2.0, 2.0, 2.0]
    np.multiply(xp.ones(3), 5, out=out, where=np.array([True, False, True]))
    assert _values(out) == [5.0, 2.0, 5.0]


def test_ufunc_methods():
    t = xp.asarray([[1.0, 2.0], [3.0, 4.0]])
    assert type(np.add.reduce(t)) is xp.Array and _values(np.add.reduce(t)) == [4.0, 6.0]
    assert _values(np.add.reduce(t, axis=None)) == 10.0
    assert _values(np.maximum.reduce(t, axis=1)) == [2.0, 4.0]
    assert _values(np.add.accumulate(t, axis=1)) == [[1.0, 3.0], [3.0, 7.0]]
    assert _values(np.multiply.outer(xp.asarray([1, 2]), xp.asarray([3, 4, 5]))) == [[3, 4, 5], [6, 8, 10]]
    assert np.add.reduce(xp.asarray([1, 2], dtype=xp.int8)).dtype == np.add.reduce(np.array([1, 2], np.int8)).dtype
    x = xp.zeros(4)
    np.add.at(x, np.array([0, 0, 2]), 1.0)
    assert _values(x) == [2.0, 0.0, 1.0, 0.0]


def test_ufunc_trueno_lacks_is_computed_by_numpy_and_returned_as_trueno():
    result = np.cbrt(xp.asarray([8.0, 27.0]))
    assert type(result) is xp.Array
    np.testing.assert_allclose(np.asarray(result), [2.0, 3.0])


# ---- NEP 18: functions ----------------------------------------------------------

def test_numpy_functions_give_trueno_arrays():
    t = xp.asarray([[1.0, 2.0], [3.0, 4.0]])
    n = np.asarray(t)
    checks = [
        (np.sum(t, axis=0), np.sum(n, axis=0)), (np.mean(t), np.mean(n)), (np.std(t, ddof=1), np.std(n, ddof=1)),
        (np.var(t, axis=1), np.var(n, axis=1)), (np.max(t, axis=1), np.max(n, axis=1)), (np.min(t), np.min(n)),
        (np.argmax(t, axis=0), np.argmax(n, axis=0)), (np.concatenate([t, t]), np.concatenate([n, n])),
        (np.stack([t, t], axis=1), np.stack([n, n], axis=1)), (np.where(t > 2, t, 0.0), np.where(n > 2, n, 0.0)),
        (np.linalg.norm(t), np.linalg.norm(n)), (np.linalg.norm(t, axis=1), np.linalg.norm(n, axis=1)),
        (np.linalg.norm(t, ord=1), np.linalg.norm(n, ord=1)), (np.reshape(t, (4,)), np.reshape(n, (4,))),
        (np.transpose(t), np.transpose(n)), (np.cumsum(t), np.cumsum(n)), (np.dot(t, t), np.dot(n, n)),
        (np.tensordot(t, t, axes=1), np.tensordot(n, n, axes=1)), (np.mean(xp.asarray([1, 2])), 1.5),
        (np.take(t, [1, 0], axis=1), np.take(n, [1, 0], axis=1)), (np.clip(t, 1.5, 3.5), np.clip(n, 1.5, 3.5)),
        (np.zeros_like(t), np.zeros_like(n)), (np.full_like(t, 7), np.full_like(n, 7)),
        (np.sort(-t, axis=None), np.sort(-n, axis=None)), (np.any(t > 3), np.any(n > 3)),
        (np.linalg.inv(t), np.linalg.inv(n)), (np.fft.fft(t), np.fft.fft(n)),
    ]
    for result, expected in checks:
        assert type(result) is xp.Array, result
        np.testing.assert_allclose(np.asarray(result), expected, rtol=1e-6)
        assert np.asarray(result).dtype == np.asarray(expected).dtype


def test_numpy_functions_that_inspect_answer_for_trueno():
    t = xp.ones((2, 3), dtype=xp.float32)
    assert np.shape(t) == (2, 3) and np.ndim(t) == 2 and np.size(t) == 6
    assert np.result_type(t, np.float64) == np.float64
    assert np.may_share_memory(t, t[0]) and not np.shares_memory(t, xp.ones(3))


def test_numpy_fallbacks_compute_on_views_and_return_trueno():
    t = xp.asarray([1.0, 2.0, 3.0, 4.0])
    assert np.allclose(t, t) is True
    p = np.percentile(t, [25, 75])
    assert type(p) is xp.Array and _values(p) == np.percentile(np.asarray(t), [25, 75]).tolist()
    # one list: no NumPy function is both computed by trueno and a fallback, and no name is twice
    assert not _numpy_protocols._FALLBACK_FUNCTIONS & set(_numpy_protocols._FUNCTIONS)
    assert len(set(_numpy_protocols.NUMPY_FALLBACKS)) == len(_numpy_protocols.NUMPY_FALLBACKS)


def test_numpy_function_without_trueno_or_fallback_raises():
    with pytest.raises(TypeError, match="no implementation found"):
        np.packbits(xp.asarray([1, 0, 1], dtype=xp.uint8))


def test_numpy_methods():
    t = xp.asarray([[1.0, 2.0], [3.0, 4.0]])
    assert t.astype(np.float32).dtype is xp.float32
    assert t.reshape(4).shape == (4,) and t.reshape(1, 4).shape == (1, 4) and t.reshape((4, 1)).shape == (4, 1)
    assert _values(t.sum(axis=0)) == [4.0, 6.0] and _values(t.mean()) == 2.5 and _values(t.max()) == 4.0
    assert _values(t.min(axis=1)) == [1.0, 3.0] and bool(t.any()) and bool(t.all())
    assert t.ravel().shape == (4,) and t.transpose().shape == (2, 2) and t.copy() is not t
    assert xp.ones((1, 3, 1)).squeeze().shape == (3,) and t.squeeze(axis=None).shape == (2, 2)
    assert _values(t.argmax(axis=1)) == [1, 1] and _values(t.cumsum()) == [1.0, 3.0, 6.0, 10.0]
    assert t.real is t and _values(t.imag) == [[0.0, 0.0], [0.0, 0.0]]
    assert t.sum.__qualname__ == "Array.sum" and pickle.loads(pickle.dumps(xp.Array.sum)) is xp.Array.sum
    c = xp.zeros(3)
    c.fill(2.0)
    assert _values(c) == [2.0, 2.0, 2.0]


# ---- indexing with NumPy values ------------------------------------------------------

def test_numpy_index_arrays_and_scalars():
    a = xp.arange(5)
    assert _values(a[np.array([0, 2])]) == [0, 2]
    assert _values(a[np.array([True, False, True, False, True])]) == [0, 2, 4]
    assert _values(a[np.int64(3)]) == 3 and _values(a[np.array(1)]) == 1
    m = xp.reshape(xp.arange(6), (2, 3))
    assert _values(m[np.int32(1), np.array([0, 2])]) == [3, 5]
    a[np.array([1, 3])] = 0
    assert _values(a) == [0, 0, 2, 0, 4]
    a[np.array([True, True, False, False, False])] = np.int64(9)
    assert _values(a) == [9, 9, 2, 0, 4]


# ---- other devices --------------------------------------------------------------

@pytest.fixture
def test_device():
    _devices.enable_test_backend()
    yield "test:0"
    _devices.enable_test_backend(False)


def test_protocols_route_to_the_arrays_device(test_device):
    t = xp.asarray([1.0, 2.0], device=test_device)
    for result in (np.exp(t), np.sum(t), np.add(t, 1.0), np.mean(t)):
        assert isinstance(result, xp.Array) and result.device == test_device
    with pytest.raises(TypeError, match="test:0"):
        np.percentile(t, 50)


NUMPY_FFT_ND = [
    # (numpy.fft function, trueno.fft function it must call, keywords)
    ("fft2", "fftn", {}), ("ifft2", "ifftn", {"norm": "ortho"}), ("rfft2", "rfftn", {"s": (3, 4)}),
    ("irfft2", "irfftn", {"axes": (0, 2)}), ("fftn", "fftn", {"s": (2, 5)}), ("ifftn", "ifftn", {"axes": (1,)}),
    ("rfftn", "rfftn", {"s": (4, 4), "axes": (-1, 0)}), ("irfftn", "irfftn", {}),
    ("fftshift", "fftshift", {"axes": 1}), ("ifftshift", "ifftshift", {}),
]


@pytest.mark.parametrize("numpy_name,trueno_name,keywords", NUMPY_FFT_ND, ids=[c[0] for c in NUMPY_FFT_ND])
def test_numpy_fft_nd_and_shifts_are_computed_by_trueno(monkeypatch, numpy_name, trueno_name, keywords):
    # numpy.fft's n-d transforms used to be NumPy fallbacks: computed by NumPy on a view.
    n = np.random.default_rng(3).standard_normal((4, 6, 8))
    calls = []
    own = getattr(xp.fft, trueno_name)
    monkeypatch.setattr(xp.fft, trueno_name, lambda *args, **kwargs: calls.append(kwargs) or own(*args, **kwargs))
    result = getattr(np.fft, numpy_name)(xp.asarray(n), **keywords)
    expected = getattr(np.fft, numpy_name)(n, **keywords)
    assert len(calls) == 1 and type(result) is xp.Array
    assert np.asarray(result).dtype == expected.dtype and np.asarray(result).shape == expected.shape
    np.testing.assert_allclose(np.asarray(result), expected, rtol=1e-10, atol=1e-10 * np.abs(expected).max())

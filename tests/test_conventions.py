"""Conventions NumPy users expect of an array: pickle and deepcopy round
trips, zero-copy numpy.asarray and memoryview on CPU, and NumPy's repr."""
from __future__ import annotations

import copy
import pickle
import sys

import numpy as np
import pytest

import trueno as xp

ALL_DTYPES = ["bool", "int8", "int16", "int32", "int64", "uint8", "uint16", "uint32", "uint64",
              "float32", "float64", "complex64", "complex128"]


def _data(dtype: str, shape) -> np.ndarray:
    n = int(np.prod(shape))
    values = np.arange(n) % 7 - 3
    if dtype.startswith("uint"):
        values = np.abs(values)
    data = values.astype(dtype).reshape(shape)
    if dtype.startswith(("float", "complex")) and n:
        data.flat[0] = np.nan  # NaN payloads must survive too
        data = data / 3
    if dtype.startswith("complex"):
        data = data * (1 - 2j)
    return np.array(data, dtype=dtype)  # arithmetic on 0-D gives a (read-only) NumPy scalar


# Each layout: numpy data -> the trueno array under test (views made on trueno's side).
LAYOUTS = {
    "0-D": lambda d: xp.asarray(_data(d, ())),
    "zero-size": lambda d: xp.asarray(_data(d, (0, 3))),
    "contiguous": lambda d: xp.asarray(_data(d, (3, 4))),
    "strided": lambda d: xp.asarray(_data(d, (3, 8)))[:, 1::3],
    "transposed": lambda d: xp.asarray(_data(d, (2, 3, 4))).mT,
    "reversed": lambda d: xp.asarray(_data(d, (9,)))[::-2],
}


def assert_identical(copied, original):
    assert isinstance(copied, xp.Array)
    assert copied.dtype == original.dtype and copied.shape == original.shape
    assert copied.device == original.device
    np.testing.assert_array_equal(np.asarray(copied), np.asarray(original))  # NaN == NaN here


@pytest.mark.parametrize("layout", LAYOUTS)
@pytest.mark.parametrize("dtype", ALL_DTYPES)
def test_pickle_round_trip(dtype, layout):
    original = LAYOUTS[layout](dtype)
    for protocol in range(2, pickle.HIGHEST_PROTOCOL + 1):
        copied = pickle.loads(pickle.dumps(original, protocol=protocol))
        assert_identical(copied, original)


@pytest.mark.parametrize("layout", LAYOUTS)
@pytest.mark.parametrize("dtype", ALL_DTYPES)
def test_deepcopy_round_trip_is_independent(dtype, layout):
    original = LAYOUTS[layout](dtype)
    copied = copy.deepcopy(original)
    assert_identical(copied, original)
    if original.size:
        assert not np.shares_memory(np.asarray(copied), np.asarray(original))


def test_deepcopy_inside_containers_keeps_sharing():
    a = xp.arange(4.0)
    box = {"first": a, "again": a, "list": [a[1:]]}
    copied = copy.deepcopy(box)
    assert copied["first"] is copied["again"]  # the memo is honoured
    copied["first"][0] = 100.0
    assert float(a[0]) == 0.0
    np.testing.assert_array_equal(np.asarray(copied["list"][0]), [1.0, 2.0, 3.0])


def test_pickled_array_does_not_keep_its_view_geometry():
    base = xp.reshape(xp.arange(24, dtype=xp.int32), (4, 6))
    view = base[1:3, ::2]
    restored = pickle.loads(pickle.dumps(view))
    restored[0, 0] = -1
    assert int(view[0, 0]) == 6  # a copy, not a view of the old base
    assert len(pickle.dumps(view)) < len(pickle.dumps(base))  # only the viewed elements travel


def test_protocol_5_hands_the_elements_over_out_of_band():
    """As NumPy's arrays (PEP 574): distributed and multiprocessing move the
    elements as a buffer beside the pickle, without copying them."""
    x = xp.reshape(xp.arange(12.0), (3, 4))
    buffers = []
    data = pickle.dumps(x, protocol=5, buffer_callback=buffers.append)
    assert len(buffers) == 1 and len(data) < 200
    restored = pickle.loads(data, buffers=buffers)
    assert_identical(restored, x)
    assert np.shares_memory(np.asarray(restored), np.asarray(x))
    # From read-only memory (a frame read from a socket) the array is a writable copy.
    frozen = pickle.loads(data, buffers=[memoryview(bytes(b)) for b in buffers])
    frozen[0, 0] = 7.0
    assert_identical(frozen[1:], x[1:]) and float(x[0, 0]) == 0.0
    # In band, the elements are one bytearray, used in place: a writable array.
    inband = pickle.loads(pickle.dumps(x, protocol=5))
    inband[0, 0] = 7.0
    assert float(x[0, 0]) == 0.0


def test_sizeof_counts_the_elements_it_spans():
    """sys.getsizeof is what Dask and distributed count against a worker's memory bound."""
    x = xp.zeros((1000, 100))
    assert x.nbytes <= sys.getsizeof(x) < x.nbytes + 1000
    assert sys.getsizeof(x[::2]) < x.nbytes // 2 + 1000
    assert sys.getsizeof(xp.broadcast_to(xp.asarray(1.0), (1000, 1000))) < 1000


@pytest.mark.parametrize("layout", ["0-D", "zero-size", "contiguous", "strided", "transposed", "reversed"])
@pytest.mark.parametrize("dtype", ALL_DTYPES)
def test_numpy_asarray_is_a_zero_copy_view(dtype, layout):
    x = LAYOUTS[layout](dtype)
    view = np.asarray(x)
    assert view.dtype == np.dtype(dtype) and view.shape == x.shape
    np.testing.assert_array_equal(view, np.asarray(memoryview(x)).reshape(x.shape))
    if x.size:
        # Writing through NumPy is seen by trueno: the same memory.
        fill = np.ones((), dtype=dtype)
        index = (0,) * x.ndim
        view[index] = fill
        assert xp.asarray(x[index]).item() == fill.item()
        assert np.shares_memory(view, np.asarray(x))


@pytest.mark.parametrize("layout", ["0-D", "zero-size", "contiguous", "strided", "reversed"])
@pytest.mark.parametrize("dtype", ["bool", "int8", "uint16", "int64", "float32", "float64", "complex128"])
def test_memoryview_exposes_the_buffer_without_copying(dtype, layout):
    x = LAYOUTS[layout](dtype)
    m = memoryview(x)
    reference = np.asarray(x)
    assert m.ndim == x.ndim and m.shape == x.shape
    assert m.itemsize == reference.itemsize and m.strides == reference.strides
    assert np.asarray(m).dtype == reference.dtype  # (complex is PEP 3118's "Zd", unknown to np.dtype)
    assert not m.readonly
    if x.size:
        through = np.asarray(m)
        index = (0,) * x.ndim
        through[index] = np.zeros((), dtype=dtype)
        assert xp.asarray(x[index]).item() == 0


def test_buffer_keeps_the_array_memory_alive():
    x = xp.arange(1000.0)
    m = memoryview(x[10:20])
    del x
    assert np.asarray(m).tolist() == [float(i) for i in range(10, 20)]


# -- repr ----------------------------------------------------------------------
# NumPy's repr with "array(" spelled "Array(" and the dtype always shown: for the
# dtypes NumPy itself names (every non-default one) the strings are identical.
NAMED_BY_NUMPY = ["int8", "int16", "int32", "uint8", "uint16", "uint32", "uint64", "float32", "complex64"]

REPR_SHAPES = [(), (0,), (0, 3), (5,), (2, 3), (2, 2, 2), (3000,), (40, 40), (1, 30)]


@pytest.mark.parametrize("shape", REPR_SHAPES, ids=str)
@pytest.mark.parametrize("dtype", NAMED_BY_NUMPY)
def test_repr_is_numpy_repr(dtype, shape):
    data = _data(dtype, shape)
    assert repr(xp.asarray(data)) == np.array_repr(data).replace("array(", "Array(", 1)
    assert str(xp.asarray(data)) == str(data)


@pytest.mark.parametrize("dtype", ["bool", "int64", "float64", "complex128"])
def test_repr_of_numpy_default_dtypes_names_the_dtype(dtype):
    data = _data(dtype, (2, 3))
    text = repr(xp.asarray(data))
    assert text == np.array_repr(data).replace("array(", "Array(", 1)[:-1] + f", dtype={dtype})"


def test_repr_follows_numpy_print_options():
    data = np.linspace(0, 1, 5)
    with np.printoptions(precision=2):
        assert repr(xp.asarray(data)) == "Array([0.  , 0.25, 0.5 , 0.75, 1.  ], dtype=float64)"
    with np.printoptions(threshold=3, edgeitems=1):
        assert repr(xp.asarray(data)) == "Array([0., ..., 1.], shape=(5,), dtype=float64)"


TRUTH_CASES = (
    [(v, d) for v in (0.0, -0.0, 2.5, float("nan"), float("inf"), -float("inf"))
     for d in ("float32", "float64", "complex128")]
    + [(v, d) for v in (0, -3, 5) for d in ("int8", "int64")]
    + [(0, "uint16"), (7, "uint16"), (False, "bool"), (True, "bool")]
    + [(v, d) for v in (0j, 1j, complex(0, float("nan"))) for d in ("complex64", "complex128")]
)


@pytest.mark.parametrize("value,dtype", TRUTH_CASES, ids=[f"{v!r}-{d}" for v, d in TRUTH_CASES])
def test_bool_of_a_one_element_array_is_its_truth(value, dtype):
    data = np.asarray(value, dtype=dtype)
    assert bool(xp.asarray(data)) is bool(data)  # NaN and infinities true, +-0 false
    assert bool(xp.reshape(xp.asarray(data), (1, 1))) is bool(data)

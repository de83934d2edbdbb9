"""Every public function against deliberately bad input.

One TABLE maps each public name (the section modules' ``__all__`` lists plus
``linalg.__all__`` and ``fft.__all__``) to a valid example call. Each test
mutates one argument of that call (a non-array where an array belongs, an
array of another dtype kind, a bad axis, a bad keyword value, a bad device)
and asserts that the call either succeeds or raises one of the exception
types the spec and NumPy use. Anything else (RuntimeError, SystemError,
AttributeError ...) fails; a crash fails the whole run (run this file under
``python -X faulthandler -m pytest`` to see where).
"""
from __future__ import annotations

import importlib
import inspect
import operator

import numpy as np
import pytest

import trueno as xp

ALLOWED = (TypeError, ValueError, IndexError, OverflowError, MemoryError)

SECTIONS = [
    "_creation", "_data_type", "_elementwise", "_indexing", "_info", "_linear_algebra",
    "_manipulation", "_searching", "_set", "_sorting", "_statistical", "_utility",
]


def _public_names():
    names = []
    for mod in SECTIONS:
        names += [n for n in importlib.import_module("trueno." + mod).__all__]
    names += ["linalg." + n for n in xp.linalg.__all__]
    names += ["fft." + n for n in xp.fft.__all__]
    return sorted(set(names))


def _resolve(name):
    obj = xp
    for part in name.split("."):
        obj = getattr(obj, part)
    return obj


# ---------------------------------------------------------------- valid calls

def f64(shape=(2, 3)):
    n = int(np.prod(shape))
    return xp.reshape(xp.arange(1, n + 1, dtype=xp.float64), shape)


def i64(shape=(2, 3)):
    n = int(np.prod(shape))
    return xp.reshape(xp.arange(n, dtype=xp.int64), shape)


def c128(shape=(4,)):
    return xp.astype(f64(shape), xp.complex128)


def b1(shape=(2, 3)):
    return xp.greater(i64(shape), 2)


def spd():
    return xp.asarray([[4.0, 1.0, 0.0], [1.0, 3.0, 0.5], [0.0, 0.5, 2.0]])


UNARY_FLOAT = [
    "abs", "acos", "acosh", "asin", "asinh", "atan", "atanh", "ceil", "conj", "cos", "cosh",
    "exp", "expm1", "floor", "imag", "isfinite", "isinf", "isnan", "log", "log1p", "log2",
    "log10", "negative", "positive", "real", "reciprocal", "round", "sign", "signbit", "sin",
    "sinh", "sqrt", "square", "tan", "tanh", "trunc",
]
BINARY_FLOAT = [
    "add", "atan2", "copysign", "divide", "equal", "floor_divide", "greater", "greater_equal",
    "hypot", "less", "less_equal", "logaddexp", "maximum", "minimum", "multiply", "nextafter",
    "not_equal", "pow", "remainder", "subtract",
]
BINARY_INT = ["bitwise_and", "bitwise_left_shift", "bitwise_or", "bitwise_right_shift", "bitwise_xor"]
BINARY_BOOL = ["logical_and", "logical_or", "logical_xor"]

# name -> callable returning (args, kwargs) of a valid call
TABLE = {}
for _n in UNARY_FLOAT:
    TABLE[_n] = lambda: ((f64(),), {})
for _n in BINARY_FLOAT:
    TABLE[_n] = lambda: ((f64(), f64((3,))), {})
for _n in BINARY_INT:
    TABLE[_n] = lambda: ((i64(), i64((3,))), {})
for _n in BINARY_BOOL:
    TABLE[_n] = lambda: ((b1(), b1((3,))), {})
TABLE.update({
    "bitwise_invert": lambda: ((i64(),), {}),
    "logical_not": lambda: ((b1(),), {}),
    "clip": lambda: ((f64(),), {"min": 1.0, "max": 4.0}),
    # creation
    "arange": lambda: ((0, 10, 2), {"dtype": xp.int64, "device": None}),
    "asarray": lambda: (([[1, 2], [3, 4]],), {"dtype": xp.float32, "device": None, "copy": None}),
    "empty": lambda: (((2, 3),), {"dtype": xp.float64, "device": None}),
    "zeros": lambda: (((2, 3),), {"dtype": xp.float64, "device": None}),
    "ones": lambda: (((2, 3),), {"dtype": xp.float64, "device": None}),
    "full": lambda: (((2, 3), 1.5), {"dtype": xp.float64, "device": None}),
    "empty_like": lambda: ((f64(),), {"dtype": xp.float32, "device": None}),
    "zeros_like": lambda: ((f64(),), {"dtype": xp.float32, "device": None}),
    "ones_like": lambda: ((f64(),), {"dtype": xp.float32, "device": None}),
    "full_like": lambda: ((f64(), 2.0), {"dtype": xp.float32, "device": None}),
    "eye": lambda: ((3, 4), {"k": 1, "dtype": xp.float64, "device": None}),
    "from_dlpack": lambda: ((f64(),), {"device": None, "copy": None}),
    "linspace": lambda: ((0.0, 1.0, 5), {"dtype": xp.float64, "device": None, "endpoint": True}),
    "meshgrid": lambda: ((f64((3,)), f64((2,))), {"indexing": "xy"}),
    "tril": lambda: ((f64((3, 3)),), {"k": 0}),
    "triu": lambda: ((f64((3, 3)),), {"k": 0}),
    # data types
    "astype": lambda: ((f64(), xp.float32), {"copy": True, "device": None}),
    "can_cast": lambda: ((xp.int8, xp.int16), {}),
    "finfo": lambda: ((xp.float32,), {}),
    "iinfo": lambda: ((xp.int16,), {}),
    "isdtype": lambda: ((xp.int16, "integral"), {}),
    "result_type": lambda: ((xp.int8, i64()), {}),
    # indexing
    "take": lambda: ((f64(), xp.asarray([0, 2])), {"axis": 1}),
    "take_along_axis": lambda: ((f64(), xp.asarray([[0], [2]])), {"axis": 1}),
    "__array_namespace_info__": lambda: ((), {}),
    # linear algebra (main namespace)
    "matmul": lambda: ((f64((2, 3)), f64((3, 2))), {}),
    "matrix_transpose": lambda: ((f64(),), {}),
    "tensordot": lambda: ((f64((2, 3)), f64((3, 2))), {"axes": 1}),
    "vecdot": lambda: ((f64(), f64()), {"axis": -1}),
    # manipulation
    "broadcast_arrays": lambda: ((f64(), f64((3,))), {}),
    "broadcast_shapes": lambda: (((2, 3), (3,)), {}),
    "broadcast_to": lambda: ((f64((3,)), (2, 3)), {}),
    "concat": lambda: (([f64(), f64()],), {"axis": 0}),
    "expand_dims": lambda: ((f64(),), {"axis": 0}),
    "flip": lambda: ((f64(),), {"axis": 1}),
    "moveaxis": lambda: ((f64(), 0, 1), {}),
    "permute_dims": lambda: ((f64(), (1, 0)), {}),
    "repeat": lambda: ((f64(), 2), {"axis": 0}),
    "reshape": lambda: ((f64(), (3, 2)), {"copy": None}),
    "roll": lambda: ((f64(), 1), {"axis": 1}),
    "squeeze": lambda: ((f64((1, 3)),), {"axis": 0}),
    "stack": lambda: (([f64(), f64()],), {"axis": 0}),
    "tile": lambda: ((f64(), (2, 1)), {}),
    "unstack": lambda: ((f64(),), {"axis": 0}),
    # searching
    "argmax": lambda: ((f64(),), {"axis": 1, "keepdims": False}),
    "argmin": lambda: ((f64(),), {"axis": 1, "keepdims": False}),
    "count_nonzero": lambda: ((f64(),), {"axis": 1, "keepdims": False}),
    "nonzero": lambda: ((f64(),), {}),
    "searchsorted": lambda: ((f64((6,)), f64((2,))), {"side": "left", "sorter": None}),
    "where": lambda: ((b1(), f64(), f64()), {}),
    # sets
    "isin": lambda: ((i64(), i64((3,))), {"invert": False}),
    "unique_all": lambda: ((f64(),), {}),
    "unique_counts": lambda: ((f64(),), {}),
    "unique_inverse": lambda: ((f64(),), {}),
    "unique_values": lambda: ((f64(),), {}),
    # sorting
    "argsort": lambda: ((f64(),), {"axis": -1, "descending": False, "stable": True}),
    "sort": lambda: ((f64(),), {"axis": -1, "descending": False, "stable": True}),
    # statistics
    "cumulative_prod": lambda: ((f64(),), {"axis": 1, "dtype": None, "include_initial": False}),
    "cumulative_sum": lambda: ((f64(),), {"axis": 1, "dtype": None, "include_initial": False}),
    "max": lambda: ((f64(),), {"axis": 1, "keepdims": False}),
    "min": lambda: ((f64(),), {"axis": 1, "keepdims": False}),
    "mean": lambda: ((f64(),), {"axis": 1, "keepdims": False}),
    "prod": lambda: ((f64(),), {"axis": 1, "dtype": None, "keepdims": False}),
    "sum": lambda: ((f64(),), {"axis": 1, "dtype": None, "keepdims": False}),
    "std": lambda: ((f64(),), {"axis": 1, "correction": 0.0, "keepdims": False}),
    "var": lambda: ((f64(),), {"axis": 1, "correction": 1, "keepdims": False}),
    # utility
    "all": lambda: ((b1(),), {"axis": 1, "keepdims": False}),
    "any": lambda: ((b1(),), {"axis": 1, "keepdims": False}),
    "diff": lambda: ((f64(),), {"axis": -1, "n": 1, "prepend": None, "append": None}),
    # linalg extension
    "linalg.cholesky": lambda: ((spd(),), {"upper": False}),
    "linalg.cross": lambda: ((f64((2, 3)), f64((2, 3))), {"axis": -1}),
    "linalg.det": lambda: ((spd(),), {}),
    "linalg.diagonal": lambda: ((f64((3, 3)),), {"offset": 0}),
    "linalg.eig": lambda: ((spd(),), {}),
    "linalg.eigh": lambda: ((spd(),), {}),
    "linalg.eigvals": lambda: ((spd(),), {}),
    "linalg.eigvalsh": lambda: ((spd(),), {}),
    "linalg.inv": lambda: ((spd(),), {}),
    "linalg.matmul": lambda: ((f64((2, 3)), f64((3, 2))), {}),
    "linalg.matrix_norm": lambda: ((spd(),), {"keepdims": False, "ord": "fro"}),
    "linalg.matrix_power": lambda: ((spd(), 2), {}),
    "linalg.matrix_rank": lambda: ((spd(),), {"rtol": None}),
    "linalg.matrix_transpose": lambda: ((f64(),), {}),
    "linalg.outer": lambda: ((f64((3,)), f64((2,))), {}),
    "linalg.pinv": lambda: ((spd(),), {"rtol": None}),
    "linalg.qr": lambda: ((spd(),), {"mode": "reduced"}),
    "linalg.slogdet": lambda: ((spd(),), {}),
    "linalg.solve": lambda: ((spd(), f64((3, 2))), {}),
    "linalg.svd": lambda: ((spd(),), {"full_matrices": True}),
    "linalg.svdvals": lambda: ((spd(),), {}),
    "linalg.tensordot": lambda: ((f64((2, 3)), f64((3, 2))), {"axes": 1}),
    "linalg.trace": lambda: ((spd(),), {"offset": 0, "dtype": None}),
    "linalg.vecdot": lambda: ((f64(), f64()), {"axis": -1}),
    "linalg.vector_norm": lambda: ((f64(),), {"axis": 1, "keepdims": False, "ord": 2}),
    # fft extension
    "fft.fft": lambda: ((c128(),), {"n": None, "axis": -1, "norm": "backward"}),
    "fft.ifft": lambda: ((c128(),), {"n": None, "axis": -1, "norm": "backward"}),
    "fft.hfft": lambda: ((c128(),), {"n": None, "axis": -1, "norm": "backward"}),
    "fft.irfft": lambda: ((c128(),), {"n": None, "axis": -1, "norm": "backward"}),
    "fft.rfft": lambda: ((f64((4,)),), {"n": None, "axis": -1, "norm": "backward"}),
    "fft.ihfft": lambda: ((f64((4,)),), {"n": None, "axis": -1, "norm": "backward"}),
    "fft.fftn": lambda: ((c128((2, 4)),), {"s": None, "axes": None, "norm": "backward"}),
    "fft.ifftn": lambda: ((c128((2, 4)),), {"s": None, "axes": None, "norm": "backward"}),
    "fft.irfftn": lambda: ((c128((2, 4)),), {"s": None, "axes": None, "norm": "backward"}),
    "fft.rfftn": lambda: ((f64((2, 4)),), {"s": None, "axes": None, "norm": "backward"}),
    "fft.fftfreq": lambda: ((8,), {"d": 1.0, "dtype": None, "device": None}),
    "fft.rfftfreq": lambda: ((8,), {"d": 1.0, "dtype": None, "device": None}),
    "fft.fftshift": lambda: ((f64(),), {"axes": None}),
    "fft.ifftshift": lambda: ((f64(),), {"axes": None}),
})

NAMES = _public_names()

# Positions that legitimately take something other than an array.
ARRAY_LIKE_OK = {"asarray": {0}}
# Binary element-wise functions accept a Python scalar for either operand.
SCALAR_OK = set(BINARY_FLOAT + BINARY_INT + BINARY_BOOL + ["where"])


def _call(fn, args, kwargs):
    """Call; return the exception (or None). Fail on a disallowed exception type."""
    try:
        result = fn(*args, **kwargs)
        # Touch the result so lazily-wrong objects show up here.
        if isinstance(result, xp.Array):
            repr(result.shape)
        return None
    except ALLOWED as exc:
        assert str(exc), f"empty message from {type(exc).__name__}"
        return exc


def _expect_all_raise(cases, allowed=ALLOWED):
    """Each callable must raise one of `allowed`; report every one that does not."""
    bad = []
    for case in cases:
        src = inspect.getsource(case).strip().rstrip(",")
        try:
            case()
        except allowed:
            continue
        except BaseException as exc:  # noqa: BLE001 - reported below
            bad.append(f"{src}: {type(exc).__name__}: {exc}")
            continue
        bad.append(f"{src}: did not raise")
    assert not bad, "\n".join(bad)


def test_table_covers_every_public_name():
    missing = [n for n in NAMES if n not in TABLE]
    assert not missing, f"no TABLE entry for {missing}"


@pytest.mark.parametrize("name", NAMES)
def test_valid_call_works(name):
    args, kwargs = TABLE[name]()
    _resolve(name)(*args, **kwargs)


NON_ARRAYS = {"list": [1.0, 2.0], "str": "abc", "None": None, "dict": {"a": 1}, "object": object()}


@pytest.mark.parametrize("what", sorted(NON_ARRAYS))
@pytest.mark.parametrize("name", NAMES)
def test_non_array_where_array_expected(name, what):
    fn = _resolve(name)
    args, kwargs = TABLE[name]()
    positions = [i for i, a in enumerate(args) if isinstance(a, xp.Array)]
    if name in ("concat", "stack"):
        positions = [0]
    if not positions:
        pytest.skip("no array argument")
    bad = NON_ARRAYS[what]
    for pos in positions:
        if pos in ARRAY_LIKE_OK.get(name, ()):
            continue
        call_args = list(args)
        call_args[pos] = bad
        exc = _call(fn, call_args, kwargs)
        if name == "result_type" and what == "str":
            continue  # a dtype name is accepted leniently
        if exc is None:
            # only a Python scalar may stand in for an array, where the spec says so
            assert False, f"{name}() accepted {what} as argument {pos}"
        if what in ("str", "None", "dict", "object"):
            assert isinstance(exc, (TypeError, ValueError)), repr(exc)


DTYPES = ["bool", "int8", "uint8", "int64", "uint64", "float32", "float64", "complex64", "complex128"]


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("name", NAMES)
def test_every_dtype_kind(name, dtype):
    """Arrays of each dtype in each array position: success or a clean error."""
    fn = _resolve(name)
    args, kwargs = TABLE[name]()
    positions = [i for i, a in enumerate(args) if isinstance(a, xp.Array)]
    if not positions:
        pytest.skip("no array argument")
    d = getattr(xp, dtype)
    for pos in positions:
        call_args = list(args)
        a = call_args[pos]
        call_args[pos] = xp.astype(xp.real(a) if a.dtype in (xp.complex64, xp.complex128) and dtype not in
                                   ("complex64", "complex128") else a, d)
        _call(fn, call_args, kwargs)
    # all array arguments at once
    call_args = [xp.astype(xp.real(a) if a.dtype in (xp.complex64, xp.complex128) and dtype not in
                           ("complex64", "complex128") else a, d)
                 if isinstance(a, xp.Array) else a for a in args]
    _call(fn, call_args, kwargs)


def test_mismatched_dtype_kinds_raise_type_error():
    with pytest.raises(TypeError):
        xp.add(xp.asarray([1, 2], dtype=xp.int32), xp.asarray([1.0, 2.0], dtype=xp.float32))
    with pytest.raises(TypeError):
        xp.bitwise_and(f64(), f64())
    with pytest.raises(TypeError):
        xp.logical_not(xp.asarray([1.0]))  if False else xp.bitwise_invert(f64())
    with pytest.raises(TypeError):
        xp.linalg.inv(xp.asarray([[True, False], [False, True]]))


BAD_KWARG_VALUES = {
    "str": "yes", "float": 1.5, "huge": 2**70, "negative": -(2**40), "object": object(),
    "list": [0, 0], "None": None,
}


def _kwarg_cases():
    for name in NAMES:
        _, kwargs = TABLE[name]()
        for kw in kwargs:
            for what in BAD_KWARG_VALUES:
                yield name, kw, what


@pytest.mark.parametrize("name,kw,what", list(_kwarg_cases()))
def test_bad_keyword_values(name, kw, what):
    fn = _resolve(name)
    args, kwargs = TABLE[name]()
    kwargs = dict(kwargs)
    kwargs[kw] = BAD_KWARG_VALUES[what]
    _call(fn, args, kwargs)


AXIS_FUNCS = [n for n in NAMES if "axis" in TABLE[n]()[1]]
BAD_AXES = {"too_large": 99, "too_small": -99, "non_int": 1.5, "str": "0", "duplicated": (0, 0),
            "huge": 2**64, "bool": True}


@pytest.mark.parametrize("what", sorted(BAD_AXES))
@pytest.mark.parametrize("name", AXIS_FUNCS)
def test_bad_axis(name, what):
    fn = _resolve(name)
    args, kwargs = TABLE[name]()
    kwargs = dict(kwargs)
    kwargs["axis"] = BAD_AXES[what]
    exc = _call(fn, args, kwargs)
    if what in ("too_large", "too_small", "huge"):
        assert exc is not None, f"{name}(axis={BAD_AXES[what]}) did not raise"


def test_axis_errors_are_value_and_index_errors():
    for call in (lambda: xp.sum(f64(), axis=5), lambda: xp.expand_dims(f64(), axis=5),
                 lambda: xp.sort(f64(), axis=2), lambda: xp.flip(f64(), axis=-3)):
        with pytest.raises(ValueError):
            call()
    with pytest.raises(ValueError):
        xp.sum(f64(), axis=(0, 0))
    with pytest.raises(ValueError):
        xp.squeeze(f64((1, 3)), axis=1)


DEVICE_FUNCS = [n for n in NAMES if "device" in TABLE[n]()[1]]


@pytest.mark.parametrize("device", ["gpu:7", "cuda", 7, object()])
@pytest.mark.parametrize("name", DEVICE_FUNCS)
def test_bad_device(name, device):
    fn = _resolve(name)
    args, kwargs = TABLE[name]()
    kwargs = dict(kwargs, device=device)
    with pytest.raises((ValueError, TypeError)) as info:
        fn(*args, **kwargs)
    if device == "gpu:7":
        assert info.type is ValueError or issubclass(info.type, ValueError)


def test_array_methods_bad_device():
    x = f64()
    with pytest.raises(ValueError):
        x.to_device("gpu:7")


def test_keepdims_must_be_bool():
    for fn in (xp.sum, xp.max, xp.mean, xp.argmax, xp.all, xp.count_nonzero):
        arg = b1() if fn is xp.all else f64()
        with pytest.raises(TypeError):
            fn(arg, keepdims="yes")


# ---------------------------------------------------------------- sizes

@pytest.mark.parametrize("fn", [xp.zeros, xp.ones, xp.empty])
def test_shape_product_overflow(fn):
    with pytest.raises(ValueError):
        fn((2**62, 2**62))
    with pytest.raises(ValueError):
        fn((2**32, 2**32, 2**32))


@pytest.mark.parametrize("fn", [xp.zeros, xp.ones, xp.empty, lambda s: xp.full(s, 1.0)])
def test_negative_sizes(fn):
    with pytest.raises(ValueError):
        fn(-1)
    with pytest.raises(ValueError):
        fn((2, -3))


def test_too_large_allocation():
    with pytest.raises(MemoryError):
        xp.empty((2**40,))
    with pytest.raises(MemoryError):
        xp.zeros((2**20, 2**20), dtype=xp.complex128)
    with pytest.raises((MemoryError, ValueError)):
        xp.empty((2**61,), dtype=xp.complex128)  # bytes overflow int64


def test_huge_sizes_elsewhere():
    with pytest.raises((ValueError, MemoryError, OverflowError)):
        xp.eye(2**40)
    with pytest.raises((ValueError, MemoryError, OverflowError)):
        xp.eye(2**62, 2**62)
    with pytest.raises((ValueError, MemoryError, OverflowError)):
        xp.arange(0, 2**62)
    with pytest.raises((ValueError, MemoryError, OverflowError)):
        xp.arange(0.0, 1e300, 1e-300)
    with pytest.raises((ValueError, MemoryError, OverflowError)):
        xp.linspace(0, 1, 2**62)
    with pytest.raises(ValueError):
        xp.linspace(0, 1, -1)
    with pytest.raises(ValueError):
        xp.eye(-1)
    with pytest.raises((ValueError, MemoryError)):
        xp.broadcast_to(f64((3,)), (2**62, 2**62, 3))
    with pytest.raises(ValueError):
        xp.broadcast_to(f64((3,)), (-1, 3))
    with pytest.raises((ValueError, MemoryError)):
        xp.reshape(f64((0,)), (2**62, 2**62, 0))
    with pytest.raises(ValueError):
        xp.reshape(f64(), (-1, -1))
    with pytest.raises(ValueError):
        xp.reshape(f64(), (-2, 3))
    with pytest.raises((ValueError, MemoryError, OverflowError)):
        xp.tile(f64(), (2**40, 2**40))
    with pytest.raises((ValueError, MemoryError, OverflowError)):
        xp.repeat(f64(), 2**62)
    with pytest.raises((ValueError, MemoryError, OverflowError)):
        xp.full((2**62, 4), 1.0)
    with pytest.raises(ValueError):
        xp.ones((1,) * 65)
    with pytest.raises((ValueError, MemoryError)):
        xp.expand_dims(xp.ones((1,) * 64), axis=0)
    with pytest.raises(ValueError):
        xp.arange(0, 10, 0)


# ---------------------------------------------------------------- indices

def test_out_of_bounds_integer_array_indices():
    x = f64((3, 4))
    for bad in ([3], [-4], [0, 10], [2**40]):
        with pytest.raises(IndexError):
            x[xp.asarray(bad)]
        with pytest.raises(IndexError):
            x[xp.asarray(bad)] = 1.0
        with pytest.raises(IndexError):
            xp.take(x, xp.asarray(bad), axis=0)
    with pytest.raises(IndexError):
        x[:, xp.asarray([4])]
    with pytest.raises(IndexError):
        xp.take_along_axis(x, xp.asarray([[0], [5], [1]]), axis=1)
    with pytest.raises(IndexError):
        x[3]
    with pytest.raises(IndexError):
        x[0, 0, 0]
    with pytest.raises(IndexError):
        x[0, 4] = 1.0
    with pytest.raises(IndexError):
        x[2**70]
    with pytest.raises(IndexError):
        x[xp.asarray([True, False])]  # boolean mask of the wrong length


def test_bad_index_types():
    x = f64((3, 4))
    for key in ("a", 1.5, None.__class__, {0: 1}, [0.5], xp.asarray([0.5]), object()):
        with pytest.raises((TypeError, IndexError)):
            x[key]
    with pytest.raises((TypeError, IndexError)):
        xp.take(x, xp.asarray([0.5]), axis=0)
    with pytest.raises((TypeError, IndexError, ValueError)):
        x[..., ...]
    with pytest.raises((TypeError, ValueError)):
        x[0] = "abc"
    with pytest.raises((TypeError, ValueError)):
        x[0] = xp.ones((5,))
    with pytest.raises((TypeError, ValueError, IndexError)):
        x[::0]


def test_searchsorted_bad_sorter():
    x = f64((6,))
    with pytest.raises((IndexError, ValueError)):
        xp.searchsorted(x, f64((2,)), sorter=xp.asarray([0, 1, 2, 3, 4, 99]))
    with pytest.raises((ValueError, TypeError)):
        xp.searchsorted(x, f64((2,)), sorter=xp.asarray([0, 1]))
    with pytest.raises((ValueError, TypeError)):
        xp.searchsorted(x, f64((2,)), side="middle")
    with pytest.raises(ValueError):
        xp.searchsorted(f64(), f64((2,)))


# ---------------------------------------------------------------- shapes

def test_mismatched_shapes():
    cases = [
        lambda: xp.add(f64((2, 3)), f64((4,))),
        lambda: xp.where(b1((2, 3)), f64((2,)), f64()),
        lambda: xp.matmul(f64((2, 3)), f64((2, 3))),
        lambda: xp.matmul(f64(()) if False else xp.asarray(1.0), f64()),
        lambda: xp.concat([f64((2, 3)), f64((2, 4))], axis=0),
        lambda: xp.concat([f64((2, 3)), f64((2,))]),
        lambda: xp.stack([f64((2, 3)), f64((3, 2))]),
        lambda: xp.concat([]),
        lambda: xp.stack([]),
        lambda: xp.reshape(f64(), (4, 2)),
        lambda: xp.broadcast_to(f64(), (3, 3)),
        lambda: xp.broadcast_arrays(f64(), f64((4,))),
        lambda: xp.broadcast_shapes((2, 3), (4,)),
        lambda: xp.permute_dims(f64(), (0,)),
        lambda: xp.permute_dims(f64(), (0, 0)),
        lambda: xp.moveaxis(f64(), (0, 1), (0,)),
        lambda: xp.moveaxis(f64(), 0, 5),
        lambda: xp.vecdot(f64((2, 3)), f64((2, 4))),
        lambda: xp.tensordot(f64((2, 3)), f64((2, 3)), axes=1),
        lambda: xp.linalg.solve(f64((3, 3)), f64((2,))),
        lambda: xp.linalg.inv(f64((2, 3))),
        lambda: xp.linalg.det(f64((3,))),
        lambda: xp.linalg.cross(f64((2, 3)), f64((2, 2))),
        lambda: xp.linalg.cross(f64((2, 4)), f64((2, 4))),
        lambda: xp.linalg.outer(f64(), f64((2,))),
        lambda: xp.take(f64((2, 3)), xp.asarray([0])),
        lambda: xp.take(f64((2, 3)), xp.asarray([[0]]), axis=0),
        lambda: xp.take_along_axis(f64((2, 3)), xp.asarray([0, 1]), axis=0),
        lambda: xp.searchsorted(f64((2, 3)), f64((2,))),
        lambda: xp.meshgrid(f64((2, 3)), f64((2,))),
        lambda: xp.unstack(xp.asarray(1.0)),
        lambda: xp.diff(xp.asarray(1.0)),
        lambda: xp.diff(f64(), prepend=f64((4, 4))),
        lambda: xp.repeat(f64((3,)), xp.asarray([1, 2])),
        lambda: xp.repeat(f64((3,)), -1),
        lambda: xp.tile(f64(), (-1,)),
        lambda: xp.roll(f64(), (1, 2), axis=0),
        lambda: xp.isin(f64(), xp.asarray([[[1.0]]])) if False else xp.clip(f64(), f64((4,))),
        lambda: xp.fft.fft(xp.asarray(1.0 + 0j)),
        lambda: xp.fft.fftn(c128((2, 4)), s=(4,), axes=(0, 1)),
        lambda: xp.fft.fft(c128(), n=0),
        lambda: xp.fft.fftfreq(-3),
        lambda: xp.linalg.matrix_power(f64(), 2),
        lambda: xp.linalg.vector_norm(f64(), axis=(0, 1, 0)),
        lambda: xp.linalg.matrix_norm(f64((3,))),
        lambda: xp.linalg.diagonal(f64((3,))),
        lambda: xp.linalg.trace(f64((3,))),
        lambda: xp.tril(f64((3,))),
        lambda: xp.matrix_transpose(f64((3,))),
        lambda: xp.squeeze(f64(), axis=0),
        lambda: xp.cumulative_sum(f64()),
    ]
    _expect_all_raise(cases)


def test_bad_argument_kinds_misc():
    cases = [
        lambda: xp.finfo(xp.int32),
        lambda: xp.iinfo(xp.float32),
        lambda: xp.finfo("nope"),
        lambda: xp.iinfo(None),
        lambda: xp.isdtype(xp.int8, "nonsense"),
        lambda: xp.isdtype("notadtype", "integral"),
        lambda: xp.isdtype(xp.int8, 5),
        lambda: xp.can_cast(None, xp.int8),
        lambda: xp.can_cast(xp.int8, "blah"),
        lambda: xp.result_type(),
        lambda: xp.result_type(None),
        lambda: xp.result_type(xp.int8, xp.uint64, xp.float16) if hasattr(xp, "float16") else xp.result_type(xp.int8, 1.5, "x"),
        lambda: xp.astype(f64(), "notadtype"),
        lambda: xp.astype(f64(), None),
        lambda: xp.asarray([1, "a"]),
        lambda: xp.asarray([[1, 2], [3]]),
        lambda: xp.asarray({1: 2}),
        lambda: xp.asarray([1, 2], dtype="float128"),
        lambda: xp.asarray(2**70),
        lambda: xp.asarray([2**70]),
        lambda: xp.asarray(-1, dtype=xp.uint8),
        lambda: xp.asarray(300, dtype=xp.int8),
        lambda: xp.asarray(f64(), copy=False, dtype=xp.float32),
        lambda: xp.asarray(1.5j, dtype=xp.float64),
        lambda: xp.full((2,), "a"),
        lambda: xp.full((2,), None),
        lambda: xp.full((2,), 1.5, dtype=xp.int32),
        lambda: xp.full((2,), 2**70),
        lambda: xp.full((2,), 300, dtype=xp.int8),
        lambda: xp.full_like(i64(), 1.5),
        lambda: xp.full_like(i64(), 2**70),
        lambda: xp.arange("a"),
        lambda: xp.arange(0, 5, dtype=xp.bool),
        lambda: xp.arange(2**70),
        lambda: xp.arange(0.0, 2**1100),
        lambda: xp.std(f64(), correction=2**1100),
        lambda: xp.linspace("a", 1, 3),
        lambda: xp.linspace(0, 1, 3.5),
        lambda: xp.eye(3.5),
        lambda: xp.eye(3, dtype=xp.complex128, k="a"),
        lambda: xp.add(f64(), 2**70),
        lambda: xp.add(i64(), 2**70),
        lambda: xp.add(xp.asarray([1], dtype=xp.int8), 300),
        lambda: xp.add(f64(), "a"),
        lambda: xp.add(1, 2),
        lambda: xp.add(None, None),
        lambda: xp.clip(f64(), "a"),
        lambda: xp.clip(i64(), 1.5),
        lambda: xp.clip(c128(), 1.0),
        lambda: xp.where(b1(), "a", 1),
        lambda: xp.where(b1(), None, None),
        lambda: xp.meshgrid(f64((2,)), indexing="zz"),
        lambda: xp.meshgrid([1, 2]),
        lambda: xp.take(f64(), xp.asarray([0]), axis="a"),
        lambda: xp.sort(c128(), axis=0.0),
        lambda: xp.roll(f64(), "a"),
        lambda: xp.roll(f64(), 1.5, axis=0),
        lambda: xp.repeat(f64(), 1.5),
        lambda: xp.repeat(f64(), f64((6,))),
        lambda: xp.tile(f64(), 2),
        lambda: xp.tile(f64(), (1.5,)),
        lambda: xp.broadcast_shapes(5),
        lambda: xp.broadcast_shapes((2, "a")),
        lambda: xp.broadcast_arrays(f64(), [1, 2, 3]),
        lambda: xp.diff(f64(), n=-1),
        lambda: xp.diff(f64(), n=1.5),
        lambda: xp.diff(f64(), prepend="a"),
        lambda: xp.reshape(f64(), "a"),
        lambda: xp.reshape(f64(), (2.0, 3.0)),
        lambda: xp.reshape(f64(), (3, 2), copy="no"),
        lambda: xp.permute_dims(f64(), "ab"),
        lambda: xp.expand_dims(f64(), axis=(0, 0)),
        lambda: xp.std(f64(), correction="a"),
        lambda: xp.var(f64(), correction=None),
        lambda: xp.sum(f64(), dtype="nope"),
        lambda: xp.sum(c128(), dtype=xp.float64),
        lambda: xp.cumulative_sum(f64(), axis=0, include_initial="x"),
        lambda: xp.sort(f64(), descending="yes"),
        lambda: xp.argsort(f64(), stable=None),
        lambda: xp.searchsorted(f64((6,)), f64((2,)), sorter=f64((6,))),
        lambda: xp.isin(f64(), f64(), invert="yes"),
        lambda: xp.linalg.matrix_power(spd(), 1.5),
        lambda: xp.linalg.matrix_power(i64((3, 3)), -1),
        lambda: xp.linalg.matrix_norm(spd(), ord="nope"),
        lambda: xp.linalg.vector_norm(f64(), ord="nope"),
        lambda: xp.linalg.qr(spd(), mode="nope"),
        lambda: xp.linalg.pinv(spd(), rtol="a"),
        lambda: xp.linalg.trace(spd(), dtype="nope"),
        lambda: xp.linalg.diagonal(spd(), offset=1.5),
        lambda: xp.linalg.cholesky(xp.asarray([[1.0, 2.0], [2.0, 1.0]])),
        lambda: xp.linalg.inv(xp.zeros((3, 3))),
        lambda: xp.linalg.solve(xp.zeros((3, 3)), f64((3,))),
        lambda: xp.fft.fft(c128(), norm="nope"),
        lambda: xp.fft.fft(c128(), n=1.5),
        lambda: xp.fft.fftn(c128((2, 4)), s=5),
        lambda: xp.fft.rfft(c128()),
        lambda: xp.fft.fftfreq(8, d="a"),
        lambda: xp.fft.fftfreq(8, dtype=xp.int32),
        lambda: xp.fft.fftfreq(8.5),
        lambda: xp.fft.fftshift(f64(), axes=5),
        lambda: xp.fft.fftshift(f64(), axes="a"),
        lambda: xp.__array_namespace_info__().dtypes(kind="nope"),
        lambda: xp.__array_namespace_info__().dtypes(device="gpu:7"),
        lambda: xp.__array_namespace_info__().default_dtypes(device="gpu:7"),
        lambda: xp.from_dlpack([1, 2]),
        lambda: xp.from_dlpack(f64(), device="gpu:7"),
        lambda: xp.from_dlpack(f64(), copy="yes"),
        lambda: xp.set_isa("nope"),
        lambda: xp.set_isa(None),
    ]
    _expect_all_raise(cases)


def test_array_object_bad_input():
    x = f64()
    cases = [
        lambda: x + "a",
        lambda: x + None,
        lambda: x + [1, 2],
        lambda: x @ x,
        lambda: x @ 2,
        lambda: x & x,
        lambda: ~x,
        lambda: x << 1,
        lambda: i64() << 1.5,
        lambda: x < "a",
        lambda: x.__array_namespace__(api_version="1999.01"),
        lambda: x.to_device("gpu:7"),
        lambda: x.to_device(None.__class__),
        lambda: x.__dlpack__(stream="x") if False else x.__dlpack__(max_version=(99, "a")),
        lambda: int(f64((2,))),
        lambda: float(f64((2,))),
        lambda: bool(f64((2,))),
        lambda: complex(f64((2,))),
        lambda: int(c128((1,))[0]),
        lambda: float(c128((1,))[0]),
        lambda: x.__index__(),
        lambda: int(xp.asarray(float("nan"))),
        lambda: int(xp.asarray(float("inf"))),
        lambda: x.__setitem__((0, 0), 1j),
        lambda: i64().__setitem__((0, 0), 2**70),
        lambda: xp.asarray([1], dtype=xp.int8).__setitem__(0, 300),
        lambda: x.__setitem__(xp.asarray([True]), 1.0),
        lambda: x.__iadd__(f64((3, 3))),
        lambda: i64().__iadd__(f64()),
        lambda: xp.asarray([1], dtype=xp.int8).__iadd__(xp.asarray([1], dtype=xp.int16)),
        lambda: f64((2, 1)).__iadd__(f64((2, 3))),
        lambda: operator.ipow(f64(), "a"),
        lambda: operator.iadd(f64(), None),
        lambda: x.__imatmul__(f64((2, 3))),
    ]
    _expect_all_raise(cases)


def test_len_and_iter_of_0d():
    with pytest.raises(TypeError):
        len(xp.asarray(1.0))
    with pytest.raises(TypeError):
        iter(xp.asarray(1.0))


# ---------------------------------------------------------------- aliasing

def _both(data, dtype=np.float64):
    a = np.asarray(data, dtype=dtype)
    return a.copy(), xp.asarray(a.copy())


def test_inplace_shifted_self_add():
    n, t = _both(np.arange(10.0))
    n[1:] += n[:-1]
    t[1:] += t[:-1]
    np.testing.assert_array_equal(np.asarray(t), n)
    n, t = _both(np.arange(10.0))
    n[:-1] += n[1:]
    t[:-1] += t[1:]
    np.testing.assert_array_equal(np.asarray(t), n)


def test_inplace_reversed_self_add():
    n, t = _both(np.arange(11.0))
    n += n[::-1]
    t += t[::-1]
    np.testing.assert_array_equal(np.asarray(t), n)
    n, t = _both(np.arange(12, dtype=np.int64).reshape(3, 4), np.int64)
    n *= n[::-1, ::-1]
    t *= t[::-1, ::-1]
    np.testing.assert_array_equal(np.asarray(t), n)


def test_setitem_transpose_of_self():
    n, t = _both(np.arange(16.0).reshape(4, 4))
    n[...] = n.T
    t[...] = t.T
    np.testing.assert_array_equal(np.asarray(t), n)
    n, t = _both(np.arange(9.0).reshape(3, 3))
    n[:] = n[::-1]
    t[:] = t[::-1]
    np.testing.assert_array_equal(np.asarray(t), n)
    n, t = _both(np.arange(10.0))
    n[2:] = n[:-2]
    t[2:] = t[:-2]
    np.testing.assert_array_equal(np.asarray(t), n)


def test_inplace_transpose_self_ops():
    n, t = _both(np.arange(16.0).reshape(4, 4))
    n += n.T
    t += t.mT
    np.testing.assert_array_equal(np.asarray(t), n)
    n, t = _both(np.arange(16.0).reshape(4, 4))
    n -= n.T
    t -= t.mT
    np.testing.assert_array_equal(np.asarray(t), n)


def test_inplace_matmul_alias():
    n, t = _both(np.arange(9.0).reshape(3, 3))
    n @= n
    t @= t
    np.testing.assert_array_equal(np.asarray(t), n)


def test_inplace_with_advanced_index_alias():
    n, t = _both(np.arange(10.0))
    idx = np.asarray([0, 2, 4])
    n[idx] = n[idx[::-1]]
    t[xp.asarray(idx)] = t[xp.asarray(idx[::-1])]
    np.testing.assert_array_equal(np.asarray(t), n)



@pytest.mark.parametrize("dtype", [None, "int8", "uint8", "int64"])
def test_nested_python_ints_out_of_range_raise_instead_of_wrapping(dtype):
    # Found by tests/fuzz: asarray([2**63]) gave int64 [-2**63] (and
    # asarray([300], dtype=int8) wrapped to 44) while asarray(2**63) is uint64.
    dt = getattr(xp, dtype) if dtype else None
    for bad in ([2**63], [1, 2**63], [[2**64 - 1]], [-(2**63) - 1]):
        with pytest.raises(OverflowError):
            xp.asarray(bad, dtype=dt)
    if dtype in ("int8", "uint8"):
        with pytest.raises(OverflowError):
            xp.asarray([1, 300], dtype=dt)
    assert xp.asarray([2**63], dtype=xp.uint64).tolist() == [2**63]
    assert xp.asarray([-(2**63)], dtype=dt).tolist() == [-(2**63)] if dtype in (None, "int64") else True


def test_linspace_with_python_ints_past_int64():
    # Found by tests/fuzz: a stop of 2**63 was read as int64 and wrapped to -2**63.
    got = np.asarray(xp.linspace(1e10, 2**63, 3))
    np.testing.assert_allclose(got, np.linspace(1e10, 2**63, 3), rtol=1e-15)
    assert np.asarray(xp.linspace(2**64 - 1, 0, 2))[0] == float(2**64 - 1)


def test_eye_with_a_huge_empty_side_returns_at_once():
    # Found by tests/fuzz: eye(2**40, 0) walked 2**40 rows (a hang).
    import subprocess
    import sys

    code = ("import trueno as xp\n"
            "print(xp.eye(2**40, 0, dtype=xp.int16).shape, xp.eye(0, 2**40).shape,"
            " xp.eye(3, 2**40, k=-2**62).shape)\n")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert out.stdout.split() == ["(1099511627776,", "0)", "(0,", "1099511627776)", "(3,", "1099511627776)"] \
        or "MemoryError" in out.stderr, out.stdout + out.stderr
    for k in (-2**63, -4, -1, 0, 2, 2**63 - 1):
        np.testing.assert_array_equal(np.asarray(xp.eye(3, 5, k=k)), np.eye(3, 5, k=max(-9, min(9, k))))

"""The device route, exercised on every run through the test-only backend.

``test:0`` is a fake device whose arrays are NumPy arrays: every call on
them goes through the same route as CUDA arrays (trueno._route), so mixed
devices, ``device=``, ``to_device``, the info tables and the spec-level
fallbacks are tested without a GPU. Each public function is called on
test:0 copies of the valid inputs of tests/test_bad_input.py's TABLE and
must give what the CPU gives, on test:0.
"""
from __future__ import annotations

import math
import pickle
import warnings

import numpy as np
import pytest

import trueno as xp
from trueno import _devices, _fallbacks
from trueno._route import DeviceArray

from test_bad_input import NAMES, TABLE, _resolve

TEST = "test:0"


@pytest.fixture(autouse=True)
def test_backend():
    _devices.enable_test_backend()
    yield
    _devices.enable_test_backend(False)


def on_test(obj):
    """``obj`` with every trueno array in it (also inside lists and tuples) moved to test:0."""
    if isinstance(obj, xp.Array):
        return obj.to_device(TEST)
    if type(obj) in (list, tuple):
        return type(obj)(on_test(item) for item in obj)
    return obj


def assert_same(device_result, cpu_result, *, values=True, where="", rtol=1e-12):
    if isinstance(cpu_result, xp.Array):
        assert isinstance(device_result, xp.Array), where
        assert device_result.device == TEST, where
        assert device_result.dtype == cpu_result.dtype, where
        assert device_result.shape == cpu_result.shape, where
        if values:
            got = device_result.to_device("cpu")
            np.testing.assert_allclose(np.asarray(got), np.asarray(cpu_result), rtol=rtol, atol=rtol,
                                       equal_nan=True, err_msg=where)
    elif isinstance(cpu_result, tuple):
        assert isinstance(device_result, tuple) and len(device_result) == len(cpu_result), where
        for i, (d, c) in enumerate(zip(device_result, cpu_result)):
            assert_same(d, c, values=values, where=f"{where}[{i}]", rtol=rtol)
    else:
        assert device_result == cpu_result, where


NOT_ON_DEVICES = {"can_cast", "finfo", "iinfo", "isdtype", "result_type", "__array_namespace_info__",
                  "broadcast_shapes"}  # they take dtypes or shapes, not arrays
UNINITIALISED = {"empty", "empty_like"}
# Functions whose results are defined up to order or sign.
LOOSE = {"linalg.eig", "linalg.eigh", "linalg.qr", "linalg.svd", "unique_all", "unique_inverse",
         "unique_counts", "unique_values", "argsort"}
DEVICE_NAMES = [n for n in NAMES if n not in NOT_ON_DEVICES]


@pytest.mark.parametrize("name", DEVICE_NAMES)
def test_function_on_test_device_matches_cpu(name):
    args, kwargs = TABLE[name]()
    function = _resolve(name)
    cpu_result = function(*args, **kwargs)
    device_args = on_test(args)
    device_kwargs = {k: (TEST if k == "device" else on_test(v)) for k, v in kwargs.items()}
    device_result = function(*device_args, **device_kwargs)
    if name in LOOSE:
        assert_same(device_result, cpu_result, values=False, where=name)
    else:
        assert_same(device_result, cpu_result, values=name not in UNINITIALISED, where=name)


CREATION = {
    "arange": lambda d: xp.arange(5, device=d),
    "asarray": lambda d: xp.asarray([1, 2], device=d),
    "empty": lambda d: xp.empty((2,), device=d),
    "zeros": lambda d: xp.zeros((2,), device=d),
    "ones": lambda d: xp.ones((2,), device=d),
    "full": lambda d: xp.full((2,), 3.0, device=d),
    "eye": lambda d: xp.eye(2, device=d),
    "linspace": lambda d: xp.linspace(0, 1, 3, device=d),
    "empty_like": lambda d: xp.empty_like(xp.ones(2), device=d),
    "zeros_like": lambda d: xp.zeros_like(xp.ones(2), device=d),
    "ones_like": lambda d: xp.ones_like(xp.ones(2), device=d),
    "full_like": lambda d: xp.full_like(xp.ones(2), 7, device=d),
    "from_dlpack": lambda d: xp.from_dlpack(xp.ones(2), device=d),
    "astype": lambda d: xp.astype(xp.ones(2), xp.int32, device=d),
    "fft.fftfreq": lambda d: xp.fft.fftfreq(4, device=d),
    "fft.rfftfreq": lambda d: xp.fft.rfftfreq(4, device=d),
}


@pytest.mark.parametrize("name", sorted(CREATION))
@pytest.mark.parametrize("device", ["cpu", TEST])
def test_creation_functions_honour_device(name, device):
    result = CREATION[name](device)
    assert result.device == device
    assert isinstance(result, DeviceArray) == (device == TEST)


def test_like_functions_stay_on_the_input_device():
    x = xp.ones((2, 3), device=TEST)
    for like in (xp.empty_like, xp.zeros_like, xp.ones_like):
        assert like(x).device == TEST
    assert xp.full_like(x, 2.0).device == TEST
    assert xp.asarray(x).device == TEST


def test_to_device_both_ways_keeps_values_and_dtype():
    cpu = xp.reshape(xp.arange(6, dtype=xp.int16), (2, 3))
    dev = cpu.to_device(TEST)
    assert isinstance(dev, xp.Array) and isinstance(dev._data, np.ndarray)
    assert dev.device == xp.Device(TEST) and dev.dtype == xp.int16 and dev.shape == (2, 3)
    back = dev.to_device("cpu")
    assert type(back) is xp.Array and back.device == "cpu"
    assert back.tolist() == cpu.tolist() == dev.tolist()
    assert dev.to_device(TEST) is dev


MIXED = [
    ("add", lambda c, d: xp.add(c, d)),
    ("add", lambda c, d: xp.add(d, c)),
    ("__add__", lambda c, d: d + c),
    ("__radd__", lambda c, d: c + d),
    ("__iadd__", lambda c, d: c.__iadd__(d)),
    ("__matmul__", lambda c, d: c @ d),
    ("where", lambda c, d: xp.where(xp.greater(d, 0), c, d)),
    ("concat", lambda c, d: xp.concat([c, d])),
    ("stack", lambda c, d: xp.stack([d, c])),
    ("linalg.vecdot", lambda c, d: xp.linalg.vecdot(c, d)),
    ("__getitem__", lambda c, d: c[xp.astype(d, xp.int64)]),
    ("zeros", lambda c, d: xp.sum(d, dtype=None) + xp.zeros(1)),
]


@pytest.mark.parametrize("func,call", MIXED, ids=[f"{n}-{i}" for i, (n, _) in enumerate(MIXED)])
def test_mixed_devices_raise_value_error_naming_both(func, call):
    cpu, dev = xp.ones(3), xp.ones(3, device=TEST)
    with pytest.raises(ValueError, match="different devices") as info:
        call(cpu, dev)
    assert "cpu" in str(info.value) and TEST in str(info.value)


def test_device_objects_compare_print_and_pickle():
    d = xp.Device(TEST)
    assert d == TEST and d == xp.Device("test:0") and d != "cpu" and d != xp.Device("cpu")
    assert str(d) == TEST and repr(d) == "Device('test:0')" and d.type == "test" and d.index == 0
    assert hash(d) == hash(xp.Device(TEST)) and hash(d) != hash(xp.Device("cpu"))
    assert pickle.loads(pickle.dumps(d)) == d


def test_device_arrays_pickle_onto_the_same_device():
    x = xp.asarray([1.5, -2.0], device=TEST)
    y = pickle.loads(pickle.dumps(x))
    assert y.device == TEST and y.tolist() == [1.5, -2.0]


def test_info_lists_devices_and_per_device_dtypes():
    info = xp.__array_namespace_info__()
    assert info.devices() == (xp.Device("cpu"), xp.Device(TEST))
    assert info.default_device() == "cpu"
    assert info.dtypes(device=TEST) == info.dtypes(device="cpu")
    assert set(info.dtypes(device=TEST, kind="real floating")) == {"float32", "float64"}
    _devices.enable_test_backend(False)
    assert TEST not in [str(d) for d in info.devices()]
    with pytest.raises(ValueError, match="valid devices"):
        info.dtypes(device=TEST)


def test_info_dtypes_follow_the_backend():
    class NoComplexBackend(_devices.NumPyTestBackend):
        def supported_dtypes(self):
            return tuple(n for n in super().supported_dtypes() if not n.startswith("complex"))

    _devices._test_backend = NoComplexBackend()
    info = xp.__array_namespace_info__()
    assert "complex64" not in info.dtypes(device=TEST) and "complex64" in info.dtypes(device="cpu")
    assert info.dtypes(device=TEST, kind="complex floating") == {}


BAD_DEVICES = [("foo", ValueError, "unknown device 'foo'.*valid devices: 'cpu', 'test:0'"),
               ("test:1", ValueError, "does not exist"),
               ("cpu:3", ValueError, "unknown device"),
               (3, ValueError, "device must be"),
               ("cuda:0", ImportError, r"trueno\[cuda\]")]


@pytest.mark.parametrize("spec,error,message", BAD_DEVICES)
def test_bad_device_errors(spec, error, message):
    if spec == "cuda:0":
        import importlib.util

        if importlib.util.find_spec("cupy") is not None:
            pytest.skip("CuPy is installed: 'cuda:0' does not raise ImportError here")
    for call in (lambda: xp.zeros(2, device=spec), lambda: xp.ones(2).to_device(spec),
                 lambda: xp.Device(spec), lambda: xp.fft.fftfreq(4, device=spec)):
        with pytest.raises(error, match=message):
            call()


def test_test_device_unknown_when_backend_disabled():
    _devices.enable_test_backend(False)
    with pytest.raises(ValueError, match="unknown device 'test:0'; valid devices: 'cpu'"):
        xp.zeros(2, device=TEST)


# ---- fallbacks: the backend lacks a function, trueno supplies it ------------

FALLBACK_CASES = {
    "isin": lambda: ((xp.asarray([[1, 5], [3, 2]]), xp.asarray([2, 3, 9])), {"invert": False}),
    "take_along_axis": lambda: ((xp.reshape(xp.arange(12.0), (3, 4)), xp.asarray([[3, -1], [0, 1], [2, 2]])),
                                {"axis": 1}),
    "nextafter": lambda: ((xp.asarray([0.0, -0.0, 1.0, -1.0, math.inf, math.nan, 2.0, 5e-324]),
                           xp.asarray([1.0, -1.0, 0.0, 2.0, 0.0, 1.0, 2.0, 0.0])), {}),
}


@pytest.mark.parametrize("lacking", [True, False], ids=["fallback", "backend"])
@pytest.mark.parametrize("name", sorted(FALLBACK_CASES))
def test_fallbacks_match_cpu(name, lacking):
    _devices.enable_test_backend(lacks={name} if lacking else ())
    assert (_devices._test_backend.function(name) is None) == lacking
    args, kwargs = FALLBACK_CASES[name]()
    cpu = getattr(xp, name)(*args, **kwargs)
    dev = getattr(xp, name)(*on_test(args), **kwargs)
    assert_same(dev, cpu, where=name)
    np.testing.assert_array_equal(np.asarray(dev.to_device("cpu")), np.asarray(cpu))


@pytest.mark.parametrize("name", sorted(set(_fallbacks.FALLBACKS) | set(_devices.OLD_NAMES)))
def test_backend_lacking_a_function_still_matches_cpu(name):
    """With the spec name (and its NumPy-1 name) hidden, the route's fallback or the old name serves."""
    hidden = {name} if name in _devices.OLD_NAMES else {name, _devices.OLD_NAMES.get(name, name)}
    _devices.enable_test_backend(lacks=hidden)
    assert _devices._test_backend.function(name) is None or name in _devices.OLD_NAMES
    args, kwargs = TABLE[name]()
    function = _resolve(name)
    assert_same(function(*on_test(args), **on_test(kwargs)), function(*args, **kwargs), where=name)


def test_nextafter_fallback_float32_and_invert_isin():
    _devices.enable_test_backend(lacks={"nextafter", "isin"})
    x = xp.asarray([1.0, 0.0, -3.5], dtype=xp.float32)
    y = xp.asarray([2.0, -1.0, -4.0], dtype=xp.float32)
    assert_same(xp.nextafter(x.to_device(TEST), y.to_device(TEST)), xp.nextafter(x, y))
    assert_same(xp.isin(x.to_device(TEST), y.to_device(TEST), invert=True), xp.isin(x, y, invert=True))


def test_unavailable_function_raises_not_implemented():
    _devices.enable_test_backend(lacks={"sort"})
    with pytest.raises(NotImplementedError, match=r"sort\(\) is not available on device test:0"):
        xp.sort(xp.ones(3, device=TEST))


def test_cached_plans_follow_dtypes_ranks_and_backend_changes():
    """A repeated call runs a cached plan: it must still answer per dtype and rank, as the CPU does,
    and a backend switched since must not be met by plans holding the old one's functions."""
    for dtype, other in ((xp.int8, xp.int16), (xp.float32, xp.float64), (xp.int8, xp.int16)):
        cpu = (xp.ones(3, dtype=dtype), xp.ones((2, 3), dtype=other))
        dev = on_test(cpu)
        for _ in range(2):
            assert_same(xp.add(*dev), xp.add(*cpu), where=f"add {dtype} {other}")
            assert_same(dev[0] * dev[1], cpu[0] * cpu[1], where=f"* {dtype} {other}")
            assert_same(-dev[1], -cpu[1], where=f"- {other}")
    boolean = xp.ones(3, dtype=xp.bool).to_device(TEST)
    for _ in range(2):  # the CPU refuses bool arithmetic; so does every repeated device call
        with pytest.raises(TypeError):
            xp.negative(boolean)
        with pytest.raises(TypeError):
            -boolean
    zeros = xp.zeros(3, device=TEST)
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # the backend computes under errstate(all='ignore'), plans too
        for _ in range(2):
            assert math.isnan(float(xp.divide(zeros, zeros)[0]))
    x = xp.ones(3, device=TEST)
    xp.sort(x)
    _devices.enable_test_backend(lacks={"sort"})
    with pytest.raises(NotImplementedError, match=r"sort\(\) is not available on device test:0"):
        xp.sort(xp.ones(3, device=TEST))


# ---- methods, operators, scalars, DLPack ----------------------------------

def test_operators_match_cpu_with_python_scalars():
    cpu = xp.asarray([1, 2, 3], dtype=xp.int8)
    dev = cpu.to_device(TEST)
    for op in (lambda a: a + 1, lambda a: 2 * a, lambda a: a - a, lambda a: -a, lambda a: a // 2,
               lambda a: a < 2, lambda a: a == 3, lambda a: a ** 2, lambda a: abs(a), lambda a: ~a,
               lambda a: a & 1, lambda a: a.T, lambda a: a[1:], lambda a: a[xp.asarray([True, False, True], device=a.device)]):
        assert_same(op(dev), op(cpu))
    f32 = xp.asarray([1.0, 2.0], dtype=xp.float32)
    assert_same(f32.to_device(TEST) * 2.5, f32 * 2.5)
    assert_same(xp.add(f32.to_device(TEST), 1), xp.add(f32, 1))
    m = xp.reshape(xp.arange(6.0), (2, 3))
    assert_same(m.to_device(TEST) @ m.to_device(TEST).mT, m @ m.mT)


def test_in_place_operators_and_setitem_keep_the_array():
    x = xp.zeros(3, dtype=xp.float32, device=TEST)
    alias = x
    x += 2
    x[0] = 7
    x *= xp.full(3, 2.0, dtype=xp.float32, device=TEST)
    assert x is alias and x.device == TEST and x.tolist() == [14.0, 4.0, 4.0]


def test_scalar_conversions_and_iteration():
    x = xp.asarray([3.5, 0.0], device=TEST)
    assert float(x[0]) == 3.5 and int(x[0]) == 3 and bool(x[0]) and not bool(x[1])
    assert complex(x[0]) == 3.5 + 0j and x[0].item() == 3.5
    assert [v.device == TEST for v in x] == [True, True] and len(x) == 2
    assert "synchronises" in DeviceArray.__bool__.__doc__
    assert repr(x) == "Array([3.5, 0. ], dtype=float64, device='test:0')"


def test_no_implicit_host_conversion():
    x = xp.ones(2, device=TEST)
    with pytest.raises(TypeError, match="to_device"):
        np.asarray(x)
    with pytest.raises(BufferError, match="not on the CPU"):
        memoryview(x)


def test_dlpack_round_trip():
    x = xp.asarray([1.0, 2.0], device=TEST)
    assert x.__dlpack_device__() == (1, 0)  # the fake device's memory is host memory
    y = xp.from_dlpack(x)
    assert y.device == TEST and y.tolist() == [1.0, 2.0]
    host = np.from_dlpack(x)
    assert host.tolist() == [1.0, 2.0]


def test_default_device_switch():
    _devices.set_default_device(TEST)
    try:
        info = xp.__array_namespace_info__()
        assert info.default_device() == TEST
        assert xp.zeros(2).device == TEST and xp.asarray([1, 2]).device == TEST
        assert xp.arange(3).device == TEST and xp.eye(2).device == TEST
        cpu = xp.zeros(2, device="cpu")
        assert cpu.device == "cpu" and xp.zeros_like(cpu).device == "cpu"
        assert xp.add(cpu, 1).device == "cpu"
    finally:
        _devices.set_default_device("cpu")
    assert xp.zeros(2).device == "cpu"


def test_default_device_from_environment():
    import subprocess
    import sys

    code = ("import trueno as xp; x = xp.ones(3); "
            "print(x.device, xp.__array_namespace_info__().default_device(), xp.sum(x).device)")
    env = {**__import__("os").environ, "TRUENO_TEST_BACKEND": "1", "TRUENO_DEFAULT_DEVICE": TEST}
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True)
    assert out.stdout.split() == [TEST, TEST, TEST]


SPECIAL = [math.inf, -math.inf, math.nan, 0.0, -0.0, 1.0, -2.5, 3.0, 1e300]


def test_floor_divide_special_cases_match_cpu():
    """NumPy's floor_divide gives NaN where the spec (and the CPU) give infinities and signed zeros."""
    x1 = xp.asarray([a for a in SPECIAL for _ in SPECIAL])
    x2 = xp.asarray([b for _ in SPECIAL for b in SPECIAL])
    d1, d2 = x1.to_device(TEST), x2.to_device(TEST)
    for device_result, cpu_result in [(xp.floor_divide(d1, d2), xp.floor_divide(x1, x2)),
                                      (d1 // d2, x1 // x2), (d1 // 2.0, x1 // 2.0), (3.0 // d2, 3.0 // x2)]:
        assert_same(device_result, cpu_result)
        assert np.array_equal(np.signbit(np.asarray(device_result.to_device("cpu"))), np.signbit(np.asarray(cpu_result)))
    d1 //= d2
    assert_same(d1, xp.floor_divide(x1, x2))
    zero_d = xp.asarray(1, dtype=xp.int8, device=TEST)  # NumPy's 0-D result is a scalar, not the array
    alias = zero_d
    zero_d //= -1
    assert zero_d is alias and int(zero_d) == -1


def test_complex_expm1_and_tanh_special_cases_match_cpu():
    z = xp.asarray([complex(a, b) for a in SPECIAL for b in SPECIAL if abs(a) < 1e300 and abs(b) < 1e300])
    for function in (xp.expm1, xp.tanh):
        got = np.asarray(function(z.to_device(TEST)).to_device("cpu"))
        want = np.asarray(function(z))
        np.testing.assert_allclose(got, want, rtol=1e-14, equal_nan=True)
        assert np.array_equal(np.signbit(got.real), np.signbit(want.real)) or function is xp.tanh


from test_bad_input import ALLOWED, DTYPES  # noqa: E402

# Known differences, each a place where the route does not yet ask the CPU.
DTYPE_RULES_DIFFER = {("nextafter", d) for d in ("int8", "uint8", "int64", "uint64")} | {
    ("take", "bool"), ("take_along_axis", "bool")}


def _as_dtype(a, dtype_name):
    if a.dtype in (xp.complex64, xp.complex128) and not dtype_name.startswith("complex"):
        a = xp.real(a)
    return xp.astype(a, getattr(xp, dtype_name))


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("name", DEVICE_NAMES)
def test_every_dtype_accepted_rejected_and_promoted_as_on_cpu(name, dtype):
    """The device takes, refuses (with an error of the spec's kinds) and promotes each dtype as the CPU does."""
    if (name, dtype) in DTYPE_RULES_DIFFER:
        pytest.skip("a known difference (see DTYPE_RULES_DIFFER)")
    args, kwargs = TABLE[name]()
    args = [_as_dtype(a, dtype) if isinstance(a, xp.Array) else a for a in args]
    function = _resolve(name)
    try:
        cpu_result, cpu_error = function(*args, **kwargs), None
    except ALLOWED as exc:
        cpu_result, cpu_error = None, exc
    device_kwargs = {k: (TEST if k == "device" else v) for k, v in kwargs.items()}
    try:
        device_result, device_error = function(*on_test(args), **device_kwargs), None
    except ALLOWED as exc:
        device_result, device_error = None, exc
    assert (cpu_error is None) == (device_error is None), f"cpu: {cpu_error!r}, device: {device_error!r}"
    if cpu_error is None:
        assert_same(device_result, cpu_result, values=False, where=name)


OPERATOR_CASES = [
    (lambda a, b: a + b, "bool"), (lambda a, b: a - b, "bool"), (lambda a, b: a * b, "bool"),
    (lambda a, b: -a, "bool"), (lambda a, b: a & b, "float64"), (lambda a, b: ~a, "float64"),
    (lambda a, b: a + 1, "int8"), (lambda a, b: a / b, "int64"), (lambda a, b: a ** b, "int16"),
    (lambda a, b: a < b, "complex128"), (lambda a, b: abs(a), "uint8"), (lambda a, b: 2.5 * a, "int32"),
]


@pytest.mark.parametrize("case", range(len(OPERATOR_CASES)))
def test_operators_accept_reject_and_promote_as_on_cpu(case):
    operator, dtype = OPERATOR_CASES[case]
    a = xp.astype(xp.asarray([1, 2, 3]), getattr(xp, dtype))
    b = xp.astype(xp.asarray([3, 2, 1]), getattr(xp, dtype))
    try:
        cpu_result, cpu_error = operator(a, b), None
    except ALLOWED as exc:
        cpu_result, cpu_error = None, exc
    try:
        device_result, device_error = operator(a.to_device(TEST), b.to_device(TEST)), None
    except ALLOWED as exc:
        device_result, device_error = None, exc
    assert (cpu_error is None) == (device_error is None), f"cpu: {cpu_error!r}, device: {device_error!r}"
    if cpu_error is None:
        assert_same(device_result, cpu_result, where=str(case))


# ---- trueno.nn on a device: the backend computes, the CPU's rules and values ----

NN_SPECIAL = [-math.inf, math.inf, math.nan, -0.0, 0.0, -30.0, -3.0, -1e-8, 1e-8, 0.5, 2.0, 30.0, 1e4]


def _nn_input(dtype, shape=(3, 5)):
    rng = np.random.default_rng(5)
    return xp.asarray((rng.standard_normal(shape) * 4).astype(dtype))


NN_CALLS = {
    "relu": lambda x: xp.nn.relu(x),
    "sigmoid": lambda x: xp.nn.sigmoid(x),
    "silu": lambda x: xp.nn.silu(x),
    "swish": lambda x: xp.nn.swish(x),
    "gelu": lambda x: xp.nn.gelu(x),
    "gelu_none": lambda x: xp.nn.gelu(x, approximate="none"),
    "gelu_tanh": lambda x: xp.nn.gelu(x, approximate="tanh"),
    "softmax": lambda x: xp.nn.softmax(x),
    "softmax_axis0": lambda x: xp.nn.softmax(x, axis=0),
    "softmax_positional_axis": lambda x: xp.nn.softmax(x, -2),
    "log_softmax": lambda x: xp.nn.log_softmax(x),
    "log_softmax_axis0": lambda x: xp.nn.log_softmax(x, axis=0),
    "lerp": lambda x: xp.nn.lerp(x, x * 2 + 1, xp.abs(x) / 8),
    "lerp_scalars": lambda x: xp.nn.lerp(x, 3.0, 0.75),
    "lerp_scalar_first": lambda x: xp.nn.lerp(-1.0, x, 0.25),
    "fma": lambda x: xp.nn.fma(x, x + 1, -x),
    "fma_scalars": lambda x: xp.nn.fma(x, 2.5, 1),
    "norm_l1": lambda x: xp.nn.norm_l1(x),
    "norm_l1_axis": lambda x: xp.nn.norm_l1(x, axis=1, keepdims=True),
    "norm_l2": lambda x: xp.nn.norm_l2(x),
    "norm_l2_axes": lambda x: xp.nn.norm_l2(x, axis=(0, 1)),
    "norm_l2_list_axis": lambda x: xp.nn.norm_l2(x, axis=[-1]),
    "norm_linf": lambda x: xp.nn.norm_linf(x),
    "norm_linf_axis": lambda x: xp.nn.norm_linf(x, axis=0, keepdims=False),
}


def _assert_nn_close(device_result, cpu_result, dtype, where):
    assert type(device_result) is DeviceArray and device_result.device == TEST, where
    assert device_result.dtype == cpu_result.dtype and device_result.shape == cpu_result.shape, where
    got, want = np.asarray(device_result.to_device("cpu")), np.asarray(cpu_result)
    tolerance = 1e-5 if dtype == np.float32 else 1e-12
    np.testing.assert_allclose(got, want, rtol=tolerance, atol=tolerance * 1e-3, equal_nan=True, err_msg=where)


@pytest.mark.parametrize("dtype", [np.float32, np.float64], ids=["float32", "float64"])
@pytest.mark.parametrize("name", sorted(NN_CALLS))
def test_nn_on_test_device_matches_cpu(name, dtype):
    cpu = _nn_input(dtype)
    for layout in (lambda a: a, lambda a: a.T, lambda a: a[::2, 1:]):
        x = layout(cpu)
        _assert_nn_close(NN_CALLS[name](x.to_device(TEST)), NN_CALLS[name](x), dtype, f"{name} {x.shape}")


@pytest.mark.parametrize("dtype", [np.float32, np.float64], ids=["float32", "float64"])
@pytest.mark.parametrize("name", sorted(NN_CALLS))
def test_nn_special_values_zero_d_and_empty_match_cpu(name, dtype):
    special = xp.asarray(np.array(NN_SPECIAL, dtype=dtype))
    for x in (special, xp.reshape(special[:12], (3, 4)), special[4], xp.ones((0, 3), dtype=special.dtype)):
        if name.endswith(("_axis0", "_positional_axis", "_axis", "_axes")) and x.ndim < 2:
            continue
        _assert_nn_close(NN_CALLS[name](x.to_device(TEST)), NN_CALLS[name](x), dtype, f"{name} {x.shape}")
        # Signed zeros too: relu(-0) is -0 and silu(-inf), gelu(-inf) are -0, as on the CPU.
        got = np.asarray(NN_CALLS[name](x.to_device(TEST)).to_device("cpu"))
        want = np.asarray(NN_CALLS[name](x))
        zeros = want == 0
        assert np.array_equal(np.signbit(got[zeros]), np.signbit(want[zeros])), name


def test_nn_softmax_rows_sum_to_one_on_the_device():
    x = _nn_input(np.float32, (4, 7)).to_device(TEST)
    total = xp.sum(xp.nn.softmax(x, axis=1), axis=1)
    assert total.device == TEST
    np.testing.assert_allclose(np.asarray(total.to_device("cpu")), 1.0, rtol=1e-6)


def test_nn_fma_rounds_once_like_the_cpu():
    # 1 + 2**-52 squared is 1 + 2**-51 + 2**-104: a * b + c with two roundings loses the last term.
    a = xp.asarray([1 + 2.0**-52, 1e308, 3.0])
    c = xp.asarray([-(1 + 2.0**-51), -math.inf, 0.1])
    b = xp.asarray([1 + 2.0**-52, 10.0, 1 / 3])
    got = np.asarray(xp.nn.fma(a.to_device(TEST), b.to_device(TEST), c.to_device(TEST)).to_device("cpu"))
    want = np.asarray(xp.nn.fma(a, b, c))
    assert got[0] == want[0] == 2.0**-104 and got[1] == want[1] == -math.inf
    np.testing.assert_allclose(got, want, rtol=1e-15)


NN_BAD = [
    ("relu int", lambda d: xp.nn.relu(xp.ones(3, dtype=xp.int32, device=d))),
    ("sigmoid bool", lambda d: xp.nn.sigmoid(xp.ones(3, dtype=xp.bool, device=d))),
    ("gelu complex", lambda d: xp.nn.gelu(xp.ones(3, dtype=xp.complex64, device=d))),
    ("gelu approximate", lambda d: xp.nn.gelu(xp.ones(3, device=d), approximate="fast")),
    ("gelu approximate type", lambda d: xp.nn.gelu(xp.ones(3, device=d), approximate=1)),
    ("softmax axis", lambda d: xp.nn.softmax(xp.ones((2, 3), device=d), axis=2)),
    ("softmax axis type", lambda d: xp.nn.softmax(xp.ones((2, 3), device=d), axis=1.0)),
    ("softmax axis bool", lambda d: xp.nn.softmax(xp.ones((2, 3), device=d), axis=True)),
    ("log_softmax axis", lambda d: xp.nn.log_softmax(xp.ones(3, device=d), axis=-2)),
    ("norm_l2 axis", lambda d: xp.nn.norm_l2(xp.ones((2, 3), device=d), axis=(0, 0))),
    ("norm_l1 axis range", lambda d: xp.nn.norm_l1(xp.ones((2, 3), device=d), axis=5)),
    ("norm_linf keepdims", lambda d: xp.nn.norm_linf(xp.ones(3, device=d), keepdims="yes")),
    ("lerp shapes", lambda d: xp.nn.lerp(xp.ones(2, device=d), xp.ones(3, device=d), 0.5)),
    ("lerp int", lambda d: xp.nn.lerp(xp.ones(2, dtype=xp.int64, device=d), 1, 0.5)),
    ("fma shapes", lambda d: xp.nn.fma(xp.ones(2, device=d), xp.ones(3, device=d), 1.0)),
    ("fma bad scalar", lambda d: xp.nn.fma(xp.ones(2, device=d), "two", 1.0)),
    ("relu list", lambda d: xp.nn.relu([xp.ones(2, device=d)])),
]


@pytest.mark.parametrize("case", range(len(NN_BAD)), ids=[name for name, _ in NN_BAD])
def test_nn_bad_arguments_raise_as_on_cpu(case):
    _, call = NN_BAD[case]
    with pytest.raises(Exception) as on_cpu:
        call("cpu")
    assert isinstance(on_cpu.value, (TypeError, ValueError, IndexError))
    for _ in range(2):  # the second time through the cached plan, if any
        with pytest.raises(type(on_cpu.value)) as on_device:
            call(TEST)
        assert str(on_device.value) == str(on_cpu.value)


@pytest.mark.parametrize("call", [
    lambda c, d: xp.nn.lerp(c, d, 0.5), lambda c, d: xp.nn.lerp(d, 1.0, c),
    lambda c, d: xp.nn.fma(d, c, c), lambda c, d: xp.nn.fma(1.0, c, d)])
def test_nn_mixed_devices_raise_value_error(call):
    cpu, dev = xp.ones(3), xp.ones(3, device=TEST)
    with pytest.raises(ValueError, match="different devices") as info:
        call(cpu, dev)
    assert "cpu" in str(info.value) and TEST in str(info.value)


# ---- layout: strides report the backend array's ----------------------------

LAYOUTS = {
    "contiguous": lambda a: a,
    "transposed": lambda a: a.T,
    "matrix transposed": lambda a: a.mT,
    "permuted": lambda a: xp.permute_dims(a, (1, 0, 2)),
    "sliced": lambda a: a[:, ::2, 1:],
    "reversed": lambda a: a[..., ::-1],
    "row": lambda a: a[1, 2],
    "0-D": lambda a: a[1, 2, 3],
}


@pytest.mark.parametrize("layout", sorted(LAYOUTS))
def test_device_strides_are_the_backends_layout(layout):
    cpu = xp.reshape(xp.arange(2 * 3 * 4, dtype=xp.float32), (2, 3, 4))
    view = LAYOUTS[layout](cpu.to_device(TEST))
    assert view.strides == view._data.strides == LAYOUTS[layout](cpu).strides
    if layout in ("transposed", "permuted", "sliced", "reversed"):
        assert view.strides != tuple(xp.empty(view.shape, dtype=xp.float32).strides)  # not C-contiguous


# ---- cached plans for calls with Python scalars and keywords -----------------

def _outcome(call):
    """(result, None) or (None, (error type, message)) of ``call()``."""
    try:
        return call(), None
    except (TypeError, ValueError, IndexError, OverflowError) as exc:
        return None, (type(exc), str(exc))


def _assert_same_outcome(device_call, cpu_call, where, *, backend_words_error=False):
    cpu_result, cpu_error = _outcome(cpu_call)
    first_error = None
    for attempt in range(3):  # the first call makes the plan; the later ones run it
        device_result, device_error = _outcome(device_call)
        if backend_words_error:  # the CPU and the backend word it differently; the plan as the dispatch
            first_error = first_error or device_error
            assert device_error == first_error and device_error[0] is cpu_error[0], where
            continue
        assert device_error == cpu_error, f"{where} (call {attempt}): cpu {cpu_error}, device {device_error}"
        if cpu_error is None:
            # (trueno.nn computes float32 in other steps on a device: within float32's tolerance)
            rtol = 1e-6 if device_result.dtype == xp.float32 else 1e-12
            assert_same(device_result, cpu_result, where=f"{where} (call {attempt})", rtol=rtol)


SCALARS = [True, 0, 3, -1, 127, 128, -129, 255, 2**63, 2**64, 1.5, -0.0, math.inf, 2j]
# Mixed kinds the spec leaves unspecified, where the backend (NumPy) and the CPU differ
# through the full dispatch as through the plans: bool arrays beside ints past int64.
SCALAR_CASES_DIFFER = {("bool", 2**63)}
SCALAR_DTYPES = ["bool", "int8", "uint8", "int64", "float32", "float64", "complex64"]


@pytest.mark.parametrize("dtype", SCALAR_DTYPES)
def test_scalar_calls_through_plans_match_cpu(dtype):
    """Plans key Python scalars by kind: every value of a kind must still give the CPU's result or error
    (an int out of the array dtype's range raises OverflowError even after in-range ints made the plan)."""
    cpu = xp.astype(xp.asarray([1, 0, 2]), getattr(xp, dtype))
    dev = cpu.to_device(TEST)
    for scalar in SCALARS:
        if (dtype, scalar) in SCALAR_CASES_DIFFER:
            continue
        for name, call in (("add", lambda a, s: xp.add(a, s)), ("multiply", lambda a, s: xp.multiply(s, a)),
                           ("less", lambda a, s: xp.less(a, s)), ("*", lambda a, s: a * s),
                           ("r-", lambda a, s: s - a), ("//", lambda a, s: a // s), ("==", lambda a, s: a == s),
                           ("&", lambda a, s: a & s), ("maximum", lambda a, s: xp.maximum(a, s))):
            _assert_same_outcome(lambda: call(dev, scalar), lambda: call(cpu, scalar), f"{name} {dtype} {scalar!r}")


def test_scalar_plans_do_not_cross_kinds():
    cpu = xp.asarray([1, 2, 3], dtype=xp.int16)
    dev = cpu.to_device(TEST)
    for scalar in (2, 2.0, True, 2j, 2, True):  # int, float, bool, complex plans interleaved
        assert_same(xp.add(dev, scalar), xp.add(cpu, scalar), where=repr(scalar))
        assert_same(dev * scalar, cpu * scalar, where=repr(scalar))


KEYWORD_CALLS = [
    ("sum axis", lambda x: xp.sum(x, axis=0)),
    ("sum other axis", lambda x: xp.sum(x, axis=1)),
    ("sum negative axis", lambda x: xp.sum(x, axis=-1, keepdims=True)),
    ("sum axis out of range", lambda x: xp.sum(x, axis=2)),
    ("sum bool axis", lambda x: xp.sum(x, axis=False)),
    ("sum float axis", lambda x: xp.sum(x, axis=0.0)),
    ("sum axes", lambda x: xp.sum(x, axis=(0, 1))),
    ("sum bool in axes", lambda x: xp.sum(x, axis=(False, 1))),
    ("sum dtype", lambda x: xp.sum(x, dtype=xp.float64)),
    ("sum keepdims first", lambda x: xp.sum(x, keepdims=True, axis=0)),
    ("mean keepdims", lambda x: xp.mean(x, axis=1, keepdims=True)),
    ("astype", lambda x: xp.astype(x, xp.float64, copy=False)),
    ("astype int", lambda x: xp.astype(x, xp.int32, copy=True)),
    ("astype keyword dtype", lambda x: xp.astype(x, dtype=xp.int8)),
    ("astype bad copy", lambda x: xp.astype(x, xp.float64, copy="no")),
    ("cumulative_sum", lambda x: xp.cumulative_sum(x, axis=1, include_initial=True)),
    ("argmax", lambda x: xp.argmax(x, axis=0, keepdims=False)),
    ("sort", lambda x: xp.sort(x, axis=0, descending=True)),
    ("concat", lambda x: xp.concat([x, x], axis=1)),
    ("concat axis 0", lambda x: xp.concat((x, x), axis=0)),
    ("stack", lambda x: xp.stack([x, x, x])),
    ("where scalar", lambda x: xp.where(x > 1, x, 0.0)),
    ("clip", lambda x: xp.clip(x, 1, 3)),
    ("clip keywords", lambda x: xp.clip(x, min=0.5)),
    ("full_like", lambda x: xp.full_like(x, 7)),
    ("full_like other", lambda x: xp.full_like(x, 9, dtype=xp.int64)),
    ("reshape", lambda x: xp.reshape(x, (4, 2))),
    ("reshape bad", lambda x: xp.reshape(x, (3, 2))),
    ("roll", lambda x: xp.roll(x, 1, axis=1)),
    ("softmax", lambda x: xp.nn.softmax(x, axis=0)),
    ("norm", lambda x: xp.nn.norm_l2(x, axis=(0, 1), keepdims=True)),
    ("gelu", lambda x: xp.nn.gelu(x, approximate="tanh")),
]


# Errors the route leaves to the backend (shapes, which the CPU's checks on stand-ins cannot see).
BACKEND_WORDS_ERROR = {"reshape bad"}


@pytest.mark.parametrize("dtype", ["float32", "int16"])
def test_keyword_calls_through_plans_match_cpu(dtype):
    cpu = xp.astype(xp.reshape(xp.asarray([3, 1, 4, 1, 5, 9, 2, 6]), (2, 4)), getattr(xp, dtype))
    dev = cpu.to_device(TEST)
    for _ in range(2):  # every call again, once all the plans exist
        for where, call in KEYWORD_CALLS:
            _assert_same_outcome(lambda: call(dev), lambda: call(cpu), f"{where} {dtype}",
                                 backend_words_error=where in BACKEND_WORDS_ERROR)


def test_repeated_scalar_and_keyword_calls_skip_the_full_dispatch(monkeypatch):
    from trueno import _route

    a = xp.ones((2, 3), dtype=xp.float32, device=TEST)
    calls = [lambda: xp.add(a, 1.0), lambda: xp.add(a, 1), lambda: a * 2, lambda: 2 * a, lambda: xp.sum(a, axis=0),
             lambda: xp.astype(a, xp.float64, copy=False), lambda: xp.sum(a, axis=(0, 1)),
             lambda: xp.concat([a, a]), lambda: xp.nn.softmax(a, axis=0), lambda: xp.nn.lerp(a, 1.0, 0.5)]
    expected = [call().tolist() for call in calls]

    def no_dispatch(*args, **kwargs):
        raise AssertionError("a planned call took the full dispatch")

    monkeypatch.setattr(_route, "dispatch", no_dispatch)
    monkeypatch.setattr(_route, "target_device", no_dispatch)
    assert [call().tolist() for call in calls] == expected
    # Outside the plan's int range: the full dispatch, for the CPU's error.
    with pytest.raises(AssertionError, match="full dispatch"):
        xp.add(a, 2**64)


def test_plans_with_device_arrays_as_keyword_values_and_nested_lists():
    cpu = xp.asarray([[3.0, 1.0], [2.0, 5.0]])
    dev = cpu.to_device(TEST)
    low = xp.asarray([2.0, 2.0])
    for _ in range(3):
        assert_same(xp.clip(dev, min=low.to_device(TEST)), xp.clip(cpu, min=low))
        assert_same(xp.stack((dev, [dev, dev][1]), axis=1), xp.stack((cpu, cpu), axis=1))
    with pytest.raises(ValueError, match="different devices"):
        xp.clip(dev, min=low)
    with pytest.raises(ValueError, match="different devices"):
        xp.concat([dev, cpu], axis=0)


# ---- the list: DLPack, copies, synchronising conversions -------------

@pytest.mark.parametrize("function,error", [(xp.from_dlpack, BufferError), (xp.asarray, ValueError)])
def test_copy_false_refuses_a_move_between_devices(function, error):
    dev, cpu = xp.asarray([1.0, 2.0], device=TEST), xp.asarray([1.0, 2.0])
    with pytest.raises(error, match="copy=False"):
        function(dev, device="cpu", copy=False)
    with pytest.raises(error, match="copy=False"):
        function(cpu, device=TEST, copy=False)
    assert function(dev, copy=False).device == TEST and function(dev, device=TEST, copy=False).device == TEST
    moved = function(dev, device="cpu")
    assert type(moved) is xp.Array and moved.tolist() == [1.0, 2.0]
    there = function(cpu, device=TEST, copy=True)
    assert there.device == TEST and there.tolist() == [1.0, 2.0]


def test_host_dlpack_of_a_device_array_is_a_copy_of_its_values():
    x = xp.asarray([[1.0, 2.0], [3.0, 4.0]], device=TEST).T
    host = np.from_dlpack(x)  # the test device's memory is host memory: (1, 0)
    assert host.tolist() == [[1.0, 3.0], [2.0, 4.0]] and host.strides == x.strides
    assert xp.from_dlpack(x, device="cpu").tolist() == [[1.0, 3.0], [2.0, 4.0]]


@pytest.mark.parametrize("name", ["__bool__", "__float__", "__int__", "__complex__", "__index__", "item",
                                  "tolist", "to_device"])
def test_host_conversions_say_they_synchronise(name):
    assert "synchronises" in getattr(DeviceArray, name).__doc__

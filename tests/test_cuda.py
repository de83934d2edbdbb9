"""The device route on a real GPU (CuPy on cuda:0). Skipped without CuPy or without a GPU.

The route's logic is tested on every run by tests/test_devices.py through the
test-only backend; these tests check what only CUDA has: CuPy arrays inside
trueno arrays, DLPack with device (2, id), zero-copy import of CuPy and
PyTorch CUDA tensors, and host copies.
"""
from __future__ import annotations

import importlib.util

import numpy as np
import pytest

import trueno as xp

if importlib.util.find_spec("cupy") is None:
    pytest.skip('CuPy is not installed (pip install "trueno[cuda]")', allow_module_level=True)

import cupy  # noqa: E402

try:
    _GPUS = cupy.cuda.runtime.getDeviceCount()
except Exception:  # CuPy raises its own error without a driver
    _GPUS = 0
if _GPUS == 0:
    pytest.skip("no CUDA GPU is present", allow_module_level=True)

GPU = "cuda:0"


def test_devices_lists_every_gpu():
    devices = [str(d) for d in xp.__array_namespace_info__().devices()]
    assert devices[:1] == ["cpu"] and [d for d in devices if d.startswith("cuda")] == [f"cuda:{i}" for i in range(_GPUS)]


def test_gpu_array_is_a_trueno_array_holding_cupy():
    x = xp.asarray([1.0, 2.0, 3.0], device=GPU)
    assert isinstance(x, xp.Array) and isinstance(x._data, cupy.ndarray)
    assert x.device == GPU and x.dtype == xp.float64 and x.shape == (3,)
    y = xp.sum(xp.exp(x) * 2 + 1)
    assert y.device == GPU
    assert float(y) == pytest.approx(float(xp.sum(xp.exp(xp.asarray([1.0, 2.0, 3.0])) * 2 + 1)))


def test_to_device_both_ways_and_mixed_devices():
    cpu = xp.reshape(xp.arange(6, dtype=xp.float32), (2, 3))
    gpu = cpu.to_device(GPU)
    assert gpu.device == GPU and gpu.to_device("cpu").tolist() == cpu.tolist()
    with pytest.raises(ValueError, match="different devices"):
        xp.add(cpu, gpu)


def test_dlpack_device_and_host_copy():
    x = xp.asarray([1.0, 2.0], device=GPU)
    assert x.__dlpack_device__() == (2, 0)

    class HostView:  # a producer that asks the GPU array for host memory
        def __dlpack__(self, **kwargs):
            return x.__dlpack__(dl_device=(1, 0), max_version=kwargs.get("max_version"))

        def __dlpack_device__(self):
            return (1, 0)

    assert np.from_dlpack(HostView()).tolist() == [1.0, 2.0]


def test_from_dlpack_of_cupy_is_zero_copy():
    c = cupy.arange(4, dtype=cupy.float32)
    x = xp.from_dlpack(c)
    assert x.device == GPU and x._data.data.ptr == c.data.ptr
    assert xp.from_dlpack(c, device="cpu").tolist() == [0.0, 1.0, 2.0, 3.0]


def test_from_dlpack_of_torch_cuda_is_zero_copy():
    torch = pytest.importorskip("torch")
    if not torch.cuda.is_available():
        pytest.skip("PyTorch has no CUDA here")
    t = torch.arange(4, dtype=torch.float32, device="cuda:0")
    x = xp.from_dlpack(t)
    assert x.device == GPU and x._data.data.ptr == t.data_ptr()


def test_missing_functions_fall_back():
    x = xp.asarray([1, 5, 3], device=GPU)
    assert xp.isin(x, xp.asarray([3, 4], device=GPU)).tolist() == [False, False, True]
    assert xp.take_along_axis(x, xp.asarray([2, 0], device=GPU), axis=0).tolist() == [3, 1]
    f = xp.asarray([1.0], device=GPU)
    assert float(xp.nextafter(f, xp.asarray([2.0], device=GPU))[0]) == np.nextafter(1.0, 2.0)


def test_bad_index_raises_value_error():
    with pytest.raises(ValueError, match="does not exist"):
        xp.zeros(2, device=f"cuda:{_GPUS}")


NN_CALLS = [
    lambda x: xp.nn.relu(x), lambda x: xp.nn.sigmoid(x), lambda x: xp.nn.silu(x),
    lambda x: xp.nn.gelu(x), lambda x: xp.nn.gelu(x, approximate="tanh"),
    lambda x: xp.nn.softmax(x, axis=0), lambda x: xp.nn.log_softmax(x),
    lambda x: xp.nn.lerp(x, 2.0, 0.25), lambda x: xp.nn.fma(x, x, 1.0),
    lambda x: xp.nn.norm_l1(x), lambda x: xp.nn.norm_l2(x, axis=1), lambda x: xp.nn.norm_linf(x, axis=0),
]


@pytest.mark.parametrize("dtype", [np.float32, np.float64], ids=["float32", "float64"])
@pytest.mark.parametrize("case", range(len(NN_CALLS)))
def test_nn_on_the_gpu_matches_cpu(case, dtype):
    cpu = xp.asarray((np.random.default_rng(1).standard_normal((4, 6)) * 3).astype(dtype))
    got = NN_CALLS[case](cpu.to_device(GPU))
    want = NN_CALLS[case](cpu)
    assert got.device == GPU and got.dtype == want.dtype and got.shape == want.shape
    tolerance = 1e-5 if dtype == np.float32 else 1e-12
    np.testing.assert_allclose(np.asarray(got.to_device("cpu")), np.asarray(want), rtol=tolerance, atol=tolerance)


def test_strides_follow_the_cupy_layout():
    x = xp.reshape(xp.arange(24, dtype=xp.float32), (2, 3, 4))
    for view in (lambda a: a.T, lambda a: a[:, ::2, 1:]):
        gpu = view(x.to_device(GPU))
        assert gpu.strides == gpu._data.strides == view(x).strides


def test_scalar_and_keyword_calls_repeat_through_plans():
    cpu = xp.reshape(xp.arange(6, dtype=xp.int16), (2, 3))
    gpu = cpu.to_device(GPU)
    for _ in range(3):
        assert xp.add(gpu, 2).tolist() == xp.add(cpu, 2).tolist()
        assert (gpu * 2.5).dtype == (cpu * 2.5).dtype
        assert xp.sum(gpu, axis=0).tolist() == xp.sum(cpu, axis=0).tolist()
        assert xp.astype(gpu, xp.float64, copy=False).dtype == xp.float64
    with pytest.raises(OverflowError):
        xp.add(gpu, 2**40)


def test_copy_false_cannot_leave_the_gpu():
    with pytest.raises(BufferError, match="copy=False"):
        xp.from_dlpack(xp.ones(2, device=GPU), device="cpu", copy=False)

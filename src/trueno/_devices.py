"""Devices and the backends that compute on them.

The CPU is trueno's own C++ code. Every other device belongs to a backend
that holds the arrays and does the arithmetic, while trueno keeps the array
type, the rules and the routing (``_route.py``):

- ``cuda:N``: CuPy (``pip install "trueno[cuda]"``), imported only when a CUDA
  device is first named, so ``import trueno`` never pays for it.
- ``test:0``: NumPy arrays on a fake device, enabled only on request
  (``enable_test_backend()`` or ``TRUENO_TEST_BACKEND=1``), so that CI runs the
  whole route on machines without a GPU. It can be told to lack functions,
  which sends those calls through the route's spec-level fallbacks, as
  happens with a CuPy that lacks a function of the newest standard.
"""
from __future__ import annotations

import contextlib
import os

from . import _core
from ._core import CPU_DEVICE, Device

_CUDA, _TEST = 1, 2

CUDA_INSTALL_HINT = 'install the GPU support with: pip install "trueno[cuda]"'

# What a CuPy from before the 2024.12/2025.12 standards lacks; the test
# backend lacks the same by default, so CI runs these fallbacks.
DEFAULT_TEST_LACKS = frozenset({"isin", "take_along_axis", "nextafter"})


# The spec's names that NumPy 1 (and CuPy before the 2024.12 standard) spell
# differently, with the same meaning.
OLD_NAMES = {
    "acos": "arccos", "acosh": "arccosh", "asin": "arcsin", "asinh": "arcsinh", "atan": "arctan",
    "atan2": "arctan2", "atanh": "arctanh", "bitwise_invert": "invert",
    "bitwise_left_shift": "left_shift", "bitwise_right_shift": "right_shift", "concat": "concatenate",
    "permute_dims": "transpose", "pow": "power",
}


_NO_CONTEXT = contextlib.nullcontext()


class Backend:
    """A library that computes on one kind of device, seen through its array API namespace."""

    kind: int = 0
    prefix: str = ""
    # Whether the backend's functions treat a Python scalar beside an array as the spec does
    # (as a value of the array's dtype when the kinds fit: NumPy 2's NEP 50 "weak" scalars), so
    # the route's cached plans may pass it as it is instead of converting it on every call.
    weak_python_scalars: bool = False

    def __init__(self, namespace, lacks=frozenset()):
        self.namespace = namespace
        self.lacks = frozenset(lacks)
        self._dtypes: dict = {}

    def function(self, name: str):
        """The backend's function ``name`` ('add', 'linalg.svd'), under its spec name or its
        NumPy-1 name (``concatenate`` for ``concat``), or None when it lacks it."""
        for candidate in (name, OLD_NAMES.get(name)):
            if candidate is None or candidate in self.lacks:
                continue
            obj = self.namespace
            for part in candidate.split("."):
                obj = getattr(obj, part, None)
                if obj is None:
                    break
            if obj is not None:
                return obj
        return None

    def dtype(self, dtype):
        """The backend's dtype for a trueno dtype."""
        found = self._dtypes.get(dtype)
        if found is None:
            found = self._dtypes[dtype] = (self.namespace.dtype(dtype.name) if hasattr(self.namespace, "dtype")
                                           else getattr(self.namespace, dtype.name))
        return found

    def is_array(self, obj) -> bool:
        raise NotImplementedError

    def from_host(self, host, device: Device):
        """A backend array on ``device`` holding a copy of the NumPy array ``host``."""
        raise NotImplementedError

    def to_host(self, array):
        """A NumPy array with the values of the backend array ``array`` (synchronises)."""
        raise NotImplementedError

    def device_keyword(self, device: Device):
        """What the backend's creation functions take as ``device=``, or None to leave it out."""
        return None

    def context(self, device: Device):
        """A context manager under which backend calls compute on ``device``."""
        return _NO_CONTEXT

    def enter(self, device: Device):
        """``with context(device)`` split in two for the route's cached plans: starts computing on
        ``device`` and returns what ``leave`` takes back."""
        context = self.context(device)
        context.__enter__()
        return context

    def leave(self, entered) -> None:
        entered.__exit__(None, None, None)

    def entry(self, device: Device):
        """(enter, leave) for a cached plan on ``device``: ``enter()`` starts computing there and
        returns what ``leave`` takes back. A backend may return C callables (no Python frames)."""
        return (lambda: self.enter(device)), self.leave

    def count(self) -> int:
        """How many devices of this kind there are."""
        raise NotImplementedError

    def supported_dtypes(self) -> tuple:
        """Names of the trueno dtypes this backend computes with."""
        from ._data_type import _ALL

        return tuple(d.name for d in _ALL)


class NumPyTestBackend(Backend):
    """The test-only backend: NumPy arrays on the fake device ``test:0``."""

    kind = _TEST
    prefix = "test"

    def __init__(self, lacks=DEFAULT_TEST_LACKS):
        import numpy

        super().__init__(numpy, lacks)
        self.weak_python_scalars = int(numpy.__version__.split(".")[0]) >= 2
        # np.errstate costs ~0.8 us a call, most of a routed call's overhead; setting the
        # context variable it sets costs ~0.1 us. Where this NumPy has none, errstate serves.
        try:
            from numpy._core._ufunc_config import _extobj_contextvar, _make_extobj

            self._errors_variable, self._ignore_errors = _extobj_contextvar, _make_extobj(all="ignore")
        except (ImportError, TypeError):
            self._errors_variable = None

    def is_array(self, obj) -> bool:
        return type(obj) is self.namespace.ndarray

    def from_host(self, host, device):
        return self.namespace.array(host, copy=True)

    def to_host(self, array):
        return array

    def device_keyword(self, device):
        return "cpu"

    def context(self, device):
        # trueno (like CuPy) raises no floating-point warnings; NumPy would.
        return self.namespace.errstate(all="ignore")

    def enter(self, device):
        if self._errors_variable is None:
            return super().enter(device)
        return self._errors_variable.set(self._ignore_errors)

    def leave(self, entered) -> None:
        if self._errors_variable is None:
            return super().leave(entered)
        self._errors_variable.reset(entered)

    def entry(self, device):
        if self._errors_variable is None:
            return super().entry(device)
        import functools

        return functools.partial(self._errors_variable.set, self._ignore_errors), self._errors_variable.reset

    def count(self) -> int:
        return 1


class CuPyBackend(Backend):
    """CUDA devices through CuPy (written against CuPy's documented API)."""

    kind = _CUDA
    prefix = "cuda"

    def __init__(self):
        try:
            import cupy
        except ImportError as exc:
            raise ImportError(f"CUDA devices need CuPy, which is not installed: {CUDA_INSTALL_HINT}") from exc
        super().__init__(cupy)

    def is_array(self, obj) -> bool:
        return isinstance(obj, self.namespace.ndarray)

    def from_host(self, host, device):
        with self.context(device):
            return self.namespace.asarray(host)

    def to_host(self, array):
        return self.namespace.asnumpy(array)

    def context(self, device):
        return self.namespace.cuda.Device(device.index)

    def count(self) -> int:
        try:
            return self.namespace.cuda.runtime.getDeviceCount()
        except Exception:  # no driver, no GPU: CuPy raises its own runtime error
            return 0


_test_backend: Backend | None = None
_cuda_backend: Backend | None = None


def enable_test_backend(enabled: bool = True, *, lacks=DEFAULT_TEST_LACKS) -> None:
    """Turn the test-only device ``test:0`` on (or off); ``lacks`` names functions it pretends not to have."""
    global _test_backend
    _test_backend = NumPyTestBackend(lacks) if enabled else None
    _forget_route_plans()


def _forget_route_plans() -> None:
    """The route's cached plans hold a backend's functions: a new backend must not meet old plans."""
    import sys

    route = sys.modules.get("trueno._route")
    if route is not None:
        route.forget_plans()


def test_backend_enabled() -> bool:
    return _test_backend is not None


def _cuda() -> Backend:
    global _cuda_backend
    if _cuda_backend is None:
        _cuda_backend = CuPyBackend()
    return _cuda_backend


def _cuda_count() -> int:
    """CUDA devices present, 0 without CuPy or without a GPU (never raises)."""
    try:
        return _cuda().count()
    except ImportError:
        return 0


def available_devices() -> tuple:
    """Every device this process can compute on: the CPU first."""
    devices = [CPU_DEVICE]
    devices += [_core._make_device(_CUDA, i) for i in range(_cuda_count())]
    if _test_backend is not None:
        devices.append(_core._make_device(_TEST, 0))
    return tuple(devices)


def backend_for(device: Device) -> Backend:
    """The backend computing on ``device`` (a non-CPU device that parse_device accepted)."""
    if device.type == "cuda":
        return _cuda()
    if device.type == "test" and _test_backend is not None:
        return _test_backend
    raise ValueError(f"no backend computes on device {str(device)!r}; valid devices: {_valid_names()}")


def _valid_names() -> str:
    return ", ".join(repr(str(d)) for d in available_devices())


def parse_device(spec, func: str = "device") -> Device:
    """A Device from a Device or a string ('cpu', 'cuda:N', 'test:0').

    Unknown names and indices that do not exist raise ValueError listing the
    valid devices; a CUDA device without CuPy raises ImportError naming ``trueno[cuda]``.
    """
    if isinstance(spec, Device):
        return spec
    if not isinstance(spec, str):
        raise ValueError(f"{func}(): device must be a trueno Device or a string such as 'cpu', got {spec!r}")
    name, _, index_text = spec.strip().partition(":")
    if name == "cpu" and index_text in ("", "0"):
        return CPU_DEVICE
    if name in ("cuda", "test") and index_text.isdigit():
        index = int(index_text)
        if name == "cuda":
            try:
                count = _cuda().count()
            except ImportError as exc:
                raise ImportError(f"{func}(): device {spec!r} needs CuPy, which is not installed: "
                                  f"{CUDA_INSTALL_HINT}") from exc
        else:
            count = 1 if _test_backend is not None else 0
        if index < count:
            return _core._make_device(_CUDA if name == "cuda" else _TEST, index)
        if count:
            raise ValueError(f"{func}(): device {spec!r} does not exist (there are {count} {name} devices); "
                             f"valid devices: {_valid_names()}")
    raise ValueError(f"{func}(): unknown device {spec!r}; valid devices: {_valid_names()}")


def default_device() -> Device:
    """The device that functions without array arguments and without ``device=`` create arrays on."""
    return _core._default_device()


def set_default_device(device) -> None:
    """Make ``device`` the namespace's default device (``TRUENO_DEFAULT_DEVICE`` does this at import)."""
    _core._set_default_device(parse_device(device, "set_default_device"))


def configure_from_environment() -> None:
    """Applies TRUENO_TEST_BACKEND=1 and TRUENO_DEFAULT_DEVICE, read once at import."""
    if os.environ.get("TRUENO_TEST_BACKEND", "") not in ("", "0"):
        enable_test_backend()
    default = os.environ.get("TRUENO_DEFAULT_DEVICE", "")
    if default:
        set_default_device(default)

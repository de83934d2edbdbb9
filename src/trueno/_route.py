"""The device route: one mechanism that sends every call on non-CPU arrays to their backend.

An array on another device (``cuda:N``, the test-only ``test:0``) is a
``DeviceArray``, a subclass of ``trueno.Array``: its C++ part holds shape,
dtype and device (so those attributes cost nothing) and no data; its
``_data`` holds the backend's array (a ``cupy.ndarray``, or a
``numpy.ndarray`` for the test device).

Calls reach ``dispatch`` three ways, and nothing is written per function:

- native functions (every public ``trueno.Function``): C++ raises
  RouteToDevice when argument conversion meets a non-CPU array or device, and
  the Function's vectorcall hands the untouched call to ``route_native``.
  The CPU path pays nothing.
- Python-level functions (linalg, fft, and the namespace functions written in
  Python) are wrapped in a trueno.Function that looks for device arrays (and
  ``device=``) among the arguments, in C, before the CPU code runs.
- methods and operators of a ``DeviceArray`` route to the backend array's own.

``dispatch`` checks that all arrays share one device (ValueError naming both
otherwise), converts arguments (arrays -> backend arrays, trueno dtypes ->
backend dtypes, ``device=``), calls the backend's function of the same name,
or trueno's spec-level fix or fallback (``_fallbacks``) where the backend
deviates from the spec or lacks the function, and wraps the results.
"""
from __future__ import annotations

import builtins

from . import _core, _devices, _fallbacks
from ._core import CPU_DEVICE, Array, Device, DType
from ._data_type import _ALL as _DTYPES

# Functions whose arrays move to the device named by ``device=`` (the spec's
# "create on this device"); anywhere else, arrays on two devices are an error.
_MOVES_TO_DEVICE = frozenset({
    "asarray", "from_dlpack", "astype", "empty_like", "zeros_like", "ones_like", "full_like",
})
# Native functions that take ``device=``, and so get ``device='cpu'`` spelled
# out when the route decides for the CPU (None would mean the default device).
_TAKES_DEVICE = _MOVES_TO_DEVICE | {"arange", "empty", "eye", "full", "linspace", "ones", "zeros",
                                    "fft.fftfreq", "fft.rfftfreq"}
# The classes of trueno's dtypes (NumPy's dtype instances, one class each): a
# dtype argument is part of a plan's key by value.
_DTYPE_CLASSES = frozenset(type(d) for d in _DTYPES)
_PYTHON_SCALARS = (builtins.bool, builtins.int, builtins.float, builtins.complex)


class DeviceArray(Array):
    """A trueno array on a device other than the CPU; its values live in ``_data`` (the backend's array).

    Converting it to a Python scalar (``bool()``, ``int()``, ``float()``,
    ``complex()``, ``item()``) or to host memory waits for the device to
    finish its queued work (synchronises).
    """

    __slots__ = ("_data", "_route_key")


# Starts every DeviceArray's _route_key, so that no other object's attribute of
# that name can pass for one in the plan cache.
_ROUTE_KEY_MARK = object()


def wrap(data, device: Device):
    """``data`` (a backend array, or a tuple/list/NamedTuple of them) as trueno arrays on ``device``."""
    backend = _devices.backend_for(device)
    return _wrap(data, device, backend)


# Backend dtype -> trueno dtype (NumPy computes dtype.name in Python, slowly).
_TRUENO_DTYPES: dict = {}


def _trueno_dtype(backend_dtype):
    """The trueno dtype of a backend dtype, or None for one trueno does not have (float16)."""
    try:
        return _TRUENO_DTYPES[backend_dtype]
    except KeyError:
        from ._data_type import _dtype_by_name

        try:
            dtype = _dtype_by_name(backend_dtype.name)
        except (KeyError, ValueError, TypeError):
            dtype = None
        _TRUENO_DTYPES[backend_dtype] = dtype
        return dtype


def _wrap(data, device, backend):
    if backend.is_array(data):
        dtype = _trueno_dtype(data.dtype)
        if dtype is None:
            raise TypeError(f"the backend of {device} returned an array of dtype {data.dtype}, which trueno does not have")
        out = Array.__new__(DeviceArray)
        shape = data.shape
        _core._init_device_array(out, shape, dtype, device)
        out._data = data
        # What a call's cached plan depends on (see route_native); read from a slot, it costs ~20 ns.
        out._route_key = (_ROUTE_KEY_MARK, dtype, len(shape), device)
        return out
    if type(data) in (tuple, list):
        return type(data)(_wrap(item, device, backend) for item in data)
    if isinstance(data, tuple) and hasattr(data, "_fields"):  # NamedTuple results
        return type(data)(*(_wrap(item, device, backend) for item in data))
    host = getattr(data, "dtype", None) is not None and hasattr(data, "shape")
    if host and not isinstance(data, Array):  # a NumPy scalar (NumPy returns those for 0-D results)
        return _wrap(backend.from_host(data, device), device, backend)
    return data


def _collect_devices(obj, found: list, depth: int = 0) -> None:
    if isinstance(obj, Array):
        device = obj.device
        if device not in found:
            found.append(device)
    elif type(obj) in (list, tuple) and depth < _MAX_NESTING:
        for item in obj:
            _collect_devices(item, found, depth + 1)


_MAX_NESTING = 64  # as deep as nested sequences may go in asarray


def _foreign_cuda_device(obj):
    """The CUDA device of a foreign DLPack producer (a CuPy array, a PyTorch CUDA tensor), or None."""
    if isinstance(obj, Array) or not hasattr(obj, "__dlpack_device__"):
        return None
    try:
        kind, index = obj.__dlpack_device__()
    except Exception:  # a producer that cannot say: leave it to the CPU path's error
        return None
    if kind == 2:  # kDLCUDA
        return _devices.parse_device(f"cuda:{index}")
    return None


def _foreign_to_host(obj):
    """A NumPy copy of a foreign CUDA array (imported without a copy through CuPy first)."""
    cuda = _devices.backend_for(_foreign_cuda_device(obj))
    return cuda.to_host(cuda.namespace.from_dlpack(obj))


def _mixed(name: str, first: Device, second: Device):
    return ValueError(f"{name}(): arrays are on different devices: {first} and {second}")


def target_device(name: str, args, kwargs) -> Device:
    """The one device the call computes on (ValueError when its arrays disagree)."""
    devices: list = []
    _collect_devices(args, devices)
    _collect_devices(tuple(kwargs.values()), devices)
    if len(devices) > 1:
        raise _mixed(name, devices[0], devices[1])
    requested = kwargs.get("device")
    if requested is not None:
        requested = _devices.parse_device(requested, name)
        if devices and devices[0] != requested and name not in _MOVES_TO_DEVICE:
            raise _mixed(name, devices[0], requested)
        return requested
    if devices:
        return devices[0]
    for obj in args[:1]:
        foreign = _foreign_cuda_device(obj)
        if foreign is not None:
            return foreign
    return _devices.default_device()


def to_host_array(x):
    """A NumPy array with the values of the trueno array ``x`` (a copy for device arrays; synchronises)."""
    import numpy

    if type(x) is DeviceArray:
        return numpy.asarray(_devices.backend_for(x.device).to_host(x._data))
    return numpy.asarray(x)


def move(x, device: Device):
    """The trueno array ``x`` on ``device`` (``x`` itself when it is there already)."""
    if x.device == device:
        return x
    if device == CPU_DEVICE:
        return _core.asarray(to_host_array(x), copy=True, device=CPU_DEVICE)
    backend = _devices.backend_for(device)
    return _wrap(backend.from_host(to_host_array(x), device), device, backend)


class _Converter:
    """Turns trueno arguments into the backend's: arrays, dtypes, and nested lists/tuples of them."""

    def __init__(self, backend, device: Device):
        self.backend, self.device = backend, device

    def __call__(self, obj):
        if type(obj) is DeviceArray:
            if obj.device != self.device:
                obj = move(obj, self.device)
            return obj._data
        if isinstance(obj, Array):  # on the CPU: only functions that move arrays get here
            return self.backend.from_host(to_host_array(obj), self.device)
        if isinstance(obj, DType):
            return self.backend.dtype(obj)
        if type(obj) in (list, tuple):
            return type(obj)(self(item) for item in obj)
        return obj


def dispatch(name: str, cpu_function, args: tuple, kwargs: dict):
    """Runs the call ``name(*args, **kwargs)`` on the device of its arrays."""
    device = target_device(name, args, kwargs)
    if name in ("asarray", "from_dlpack") and kwargs.get("copy") is False and args:
        _refuse_copy_free_move(name, args[0], device)
    if device == CPU_DEVICE:
        if name in ("asarray", "from_dlpack") and args and _foreign_cuda_device(args[0]) is not None:
            args = (_foreign_to_host(args[0]),) + tuple(args[1:])
        if name in _MOVES_TO_DEVICE:
            args = tuple(move(a, CPU_DEVICE) if type(a) is DeviceArray else a for a in args)
        if name in _TAKES_DEVICE:
            kwargs = {**kwargs, "device": CPU_DEVICE}
        return cpu_function(*args, **kwargs)
    backend = _devices.backend_for(device)
    convert = _Converter(backend, device)
    backend_args = tuple(convert(a) for a in args)
    backend_kwargs = {key: convert(value) for key, value in kwargs.items()}
    if "device" in backend_kwargs:
        keyword = backend.device_keyword(device)
        if keyword is None:
            del backend_kwargs["device"]
        else:
            backend_kwargs["device"] = keyword
    expected = _expected_dtypes(name, cpu_function, args, kwargs) if name in _ASK_THE_CPU else None
    if name.startswith("linalg.") and expected is not None:
        backend_args = _promote_integer_inputs(backend_args, expected, backend)
    with backend.context(device):
        result = _fallbacks.call(backend, name, backend_args, backend_kwargs, device)
        if expected is not None:
            result = _conform(result, expected, backend)
    return _wrap(result, device, backend)


def _refuse_copy_free_move(name: str, obj, device: Device) -> None:
    """copy=False forbids a copy; moving an array to another device is one (the spec: asarray
    raises ValueError, from_dlpack BufferError)."""
    source = obj.device if isinstance(obj, Array) else _foreign_cuda_device(obj)
    if source is not None and source != device:
        error = BufferError if name == "from_dlpack" else ValueError
        raise error(f"{name}(): copy=False, but the array is on {source} and device={device} needs a copy")


# Functions whose dtype rules, result dtypes and argument errors depend on the
# arrays' dtypes and ranks but not their sizes. Before the backend runs one,
# the route asks the CPU implementation on one-element stand-ins (same dtypes,
# same ranks, the same other arguments): its error, if any, is raised, and the
# backend's result is cast to its dtypes. So a device accepts, rejects and
# promotes exactly as the CPU does, whatever the backend's own rules (NumPy
# takes bool in arithmetic and gives float16 for log(int8), for instance).
# The answers are cached by (function, dtypes, ranks, other arguments).
_ASK_THE_CPU = frozenset(_fallbacks.BINARY_ELEMENTWISE | {
    "abs", "acos", "acosh", "asin", "asinh", "atan", "atanh", "bitwise_invert", "ceil", "clip", "conj",
    "cos", "cosh", "exp", "expm1", "floor", "imag", "isfinite", "isinf", "isnan", "log", "log1p", "log2",
    "log10", "logical_not", "negative", "positive", "real", "reciprocal", "round", "sign", "signbit",
    "sin", "sinh", "sqrt", "square", "tan", "tanh", "trunc",
    "sum", "prod", "max", "min", "mean", "std", "var", "argmax", "argmin", "count_nonzero", "all", "any",
    "cumulative_sum", "cumulative_prod", "sort", "argsort", "matmul", "vecdot", "tensordot",
    "matrix_transpose", "where", "astype",
    "linalg.matmul", "linalg.vecdot", "linalg.tensordot", "linalg.outer", "linalg.vector_norm",
    "linalg.matrix_norm", "linalg.det", "linalg.slogdet", "linalg.inv", "linalg.pinv", "linalg.svd",
    "linalg.svdvals", "linalg.qr", "linalg.eigh", "linalg.eigvalsh", "linalg.eig", "linalg.eigvals",
    "linalg.cholesky", "linalg.solve", "linalg.matrix_rank", "linalg.matrix_power", "linalg.trace",
    "linalg.diagonal", "linalg.matrix_transpose",
    "fft.fft", "fft.ifft", "fft.fftn", "fft.ifftn", "fft.rfft", "fft.rfftn", "fft.ihfft",
    "fft.hfft", "fft.irfft", "fft.irfftn",
} | _fallbacks.NN_FUNCTIONS.keys())
_expectations: dict = {}


def _stand_in(obj, size: int = 1):
    """A CPU array of ones with ``obj``'s dtype and rank (``size`` along each axis: an inverse
    real FFT of one element would have length 0)."""
    if isinstance(obj, Array):
        return _core.ones((size,) * obj.ndim, dtype=obj.dtype, device=CPU_DEVICE)
    if type(obj) in (list, tuple):
        return type(obj)(_stand_in(item, size) for item in obj)
    return obj


def _key_of(obj):
    if isinstance(obj, Array):
        return ("array", obj.dtype, obj.ndim)
    if type(obj) in (list, tuple):
        return (type(obj),) + tuple(_key_of(item) for item in obj)
    return (type(obj), obj)


def _dtypes_of(result):
    if isinstance(result, Array):
        return result.dtype
    if isinstance(result, tuple):
        return tuple(_dtypes_of(item) for item in result)
    return None


def _expected_dtypes(name: str, cpu_function, args: tuple, kwargs: dict):
    """The CPU's result dtypes for this call (raising the CPU's error for it)."""
    if cpu_function is None:
        return None
    kwargs = {key: value for key, value in kwargs.items() if key != "device"}
    try:
        key = (name, _key_of(args), _key_of(tuple(kwargs.items())))
        answer = _expectations.get(key)
    except TypeError:  # an unhashable argument: ask without caching
        key, answer = None, None
    if answer is None:
        try:
            size = 2 if name.startswith("fft.") else 1
            stand_ins = _stand_in(args, size)
            answer = (True, _dtypes_of(cpu_function(*stand_ins, **{k: _stand_in(v, size) for k, v in kwargs.items()})))
        except Exception as exc:  # the CPU rejects the call: so does the device
            answer = (False, exc)
        if key is not None:
            if len(_expectations) > 4096:
                _expectations.clear()
            _expectations[key] = answer
    accepted, value = answer
    if not accepted:
        raise type(value)(*value.args)
    return value


def _promote_integer_inputs(backend_args, expected, backend):
    """Integer matrices as the float dtype the CPU computes them in (trueno's linalg
    promotes them; NumPy's pinv, for one, fails on integers)."""
    first = expected[0] if isinstance(expected, tuple) else expected
    if not isinstance(first, DType) or first.name not in ("float32", "float64", "complex64", "complex128"):
        return backend_args
    real = backend.dtype(first) if first.name.startswith("float") else None
    if real is None:
        return backend_args
    return tuple(a.astype(real) if backend.is_array(a) and a.dtype.kind in "biu" else a for a in backend_args)


def _conform(result, expected, backend):
    """``result`` (the backend's) with the dtypes ``expected`` (the CPU's)."""
    if isinstance(expected, DType):
        if hasattr(result, "dtype") and _trueno_dtype(result.dtype) is not expected:
            return result.astype(backend.dtype(expected))
        return result
    if isinstance(expected, tuple) and isinstance(result, tuple) and len(expected) == len(result):
        items = [_conform(r, e, backend) for r, e in zip(result, expected)]
        return type(result)(*items) if hasattr(result, "_fields") else type(result)(items)
    return result


def _name_of(function) -> str:
    module = function.__module__
    return module[len("trueno."):] + "." + function.__name__ if module.startswith("trueno.") else function.__name__


# Cached plans: a repeated call unwraps the data, makes one backend call, fixes
# the dtype where the CPU's differs, and wraps, instead of the full dispatch.
# A plan is found in two steps, so the common calls pay one cheap key:
#
# - the quick key: the function, each positional argument's _route_key (dtype,
#   rank, device) for device arrays, dtypes as they are, the class of anything else, and each
#   keyword's (name, value) and value's class. It leads to the plan itself where the
#   call's outcome depends on nothing more: arrays, and Python scalars beside
#   arrays in elementwise functions, whose outcome depends on their kind
#   (bool, int, float, complex) only (for ints, within a range the plan checks).
# - otherwise the quick key leads to _BY_VALUE, and the exact key (every value,
#   with its type, so that 1, True and 1.0 differ; nested lists of arrays by
#   their _route_keys) leads to the plan: xp.astype(a, xp.float64), concat([a, b]),
#   xp.sum(a, axis=(0, 1)).
#
# A plan returns _NO_PLAN for a call it cannot answer as the full dispatch would
# (an int scalar out of its range): that call takes the full dispatch.
_plans: dict = {}
_MAX_PLANS = 4096
_BY_VALUE = object()
_NO_PLAN = object()


def _remember_plan(key, plan):
    """Caches ``plan`` under ``key``; a full cache starts over rather than grow without bound."""
    if len(_plans) >= _MAX_PLANS:
        _plans.clear()
    _plans[key] = plan
    return plan


def forget_plans() -> None:
    """Drops the cached plans (a backend was switched on, off or replaced)."""
    _plans.clear()


def route_native(function, args: tuple, kwargs: dict):
    """Entry from C++ (trueno.Function) for a call that met another device."""
    try:
        if kwargs and len(args) == 1:  # xp.sum(a, axis=0): the same key, without a list comprehension's frame
            a = args[0]
            plan = _plans[(function, a._route_key if a.__class__ is DeviceArray else a if a.__class__ in _DTYPE_CLASSES
                           else a.__class__, *kwargs.items(), *map(type, kwargs.values()))]
        elif kwargs:
            plan = _plans[(function, *[a._route_key if a.__class__ is DeviceArray else a if a.__class__ in _DTYPE_CLASSES
                                      else a.__class__ for a in args],
                           *kwargs.items(), *map(type, kwargs.values()))]
        else:
            plan = _plans[(function, *[a._route_key if a.__class__ is DeviceArray else a if a.__class__ in _DTYPE_CLASSES
                                      else a.__class__ for a in args])]
    except (KeyError, TypeError):  # no plan yet, or an unhashable keyword value (a device array)
        plan = _first_plan(function, args, kwargs)
    if plan is _BY_VALUE:
        try:
            plan = _plans[_exact_key(function, args, kwargs)]
        except (KeyError, TypeError):  # no plan yet, or an argument that gets none
            plan = _make_exact_plan(function, args, kwargs)
    if plan is not None:
        result = plan(args, kwargs)
        if result is not _NO_PLAN:
            return result
    name = _name_of(function)
    if name == "to_device":
        return _to_device(*args, **kwargs)
    return dispatch(name, function, args, kwargs)


# Functions whose Python scalar operands count by their kind alone (the spec's
# rule for scalars beside arrays); elsewhere a scalar's value is part of the plan's key.
_SCALARS_BY_KIND = _fallbacks.BINARY_ELEMENTWISE | {"nn.lerp", "nn.fma"}
_PYTHON_SCALAR_CLASSES = frozenset(_PYTHON_SCALARS)
_STATIC_CLASSES = _PYTHON_SCALAR_CLASSES | {str, type(None), Device} | _DTYPE_CLASSES


def _value_key(value):
    """``value`` as part of an exact key: its type beside it (1, True and 1.0 are equal dict keys),
    device arrays by _route_key, lists and tuples item by item. TypeError: no plan for this value."""
    cls = value.__class__
    if cls is DeviceArray:
        return value._route_key
    if cls is tuple or cls is list:
        return (cls, *[_value_key(item) for item in value])
    if cls in _STATIC_CLASSES:
        return (cls, value)
    raise TypeError("no plan for such an argument")


def _exact_key(function, args: tuple, kwargs: dict):
    return (function, _BY_VALUE, *[_value_key(a) for a in args],
            *[(k, _value_key(v)) for k, v in kwargs.items()])


def _quick_key(function, args: tuple, kwargs: dict):
    key = (function, *[a._route_key if a.__class__ is DeviceArray else a if a.__class__ in _DTYPE_CLASSES else a.__class__
                        for a in args])
    return key + (*kwargs.items(), *map(type, kwargs.values())) if kwargs else key


def _device_arrays(obj, found: list) -> bool:
    """Collects the device arrays in ``obj`` (and its nested lists/tuples) into ``found``;
    False where ``obj`` holds a trueno array that is not one (a CPU array: the call mixes devices)."""
    if obj.__class__ is DeviceArray:
        found.append(obj)
    elif isinstance(obj, Array):
        return False
    elif obj.__class__ in (list, tuple):
        return all(_device_arrays(item, found) for item in obj)
    return True


def _plan_device(name: str, args: tuple, kwargs: dict):
    """The one device a plan for this call computes on, or None where the call needs the full
    dispatch: no device array, a CPU array or two devices (dispatch words the error),
    ``device=``, ``to_device``."""
    found: list = []
    if not (_device_arrays(args, found) and _device_arrays(tuple(kwargs.values()), found)):
        return None
    if not found or "device" in kwargs or name == "to_device":
        return None
    device = found[0].device
    if any(a.device != device for a in found):
        return None
    return device


def _first_plan(function, args: tuple, kwargs: dict):
    """What the quick key of this call leads to, made and cached: a plan, _BY_VALUE, or None."""
    try:
        key = _quick_key(function, args, kwargs)
        hash(key)
    except TypeError:  # a device array as a keyword value: only an exact key can tell
        return _BY_VALUE
    name = _name_of(function)
    arrays_only = all(a.__class__ is DeviceArray for a in args)
    exact = (all(a.__class__ is DeviceArray or a.__class__ in _DTYPE_CLASSES for a in args)
             and all(v.__class__ in _STATIC_CLASSES for v in kwargs.values()))
    if exact and (kwargs or not arrays_only):
        # The quick key holds dtypes and keyword values with their types: it is exact
        # (xp.sum(a, axis=0), xp.astype(a, xp.float64, copy=False)).
        plan = _make_exact_plan(function, args, kwargs)
        return plan if plan is None else _remember_plan(key, plan)
    if kwargs or not arrays_only:
        scalars = [i for i, a in enumerate(args) if a.__class__ in _PYTHON_SCALAR_CLASSES]
        by_kind = (not kwargs and name in _SCALARS_BY_KIND and scalars
                   and all(a.__class__ is DeviceArray for i, a in enumerate(args) if i not in scalars))
        if not by_kind:
            return _remember_plan(key, _BY_VALUE)
        device = _plan_device(name, args, kwargs)
        if device is None:
            return None
        return _remember_plan(key, _make_scalar_plan(name, function, args, scalars, device))
    device = _plan_device(name, args, kwargs)
    if device is None:
        return None
    return _remember_plan(key, _make_array_plan(name, function, args, device))


def _wrapper(device, backend, expected):
    """The function that wraps a plan's result: directly where the one result's dtype is known."""
    array_type = backend.namespace.ndarray  # (is_array's test, inlined: ~0.1 us a call)
    new, init = Array.__new__, _core._init_device_array
    expected_backend_dtype = backend.dtype(expected) if isinstance(expected, DType) else None
    to_array = backend.namespace.asarray  # (a NumPy scalar is immutable: a 0-D array of it shares nothing)

    def wrap_result(result):
        if expected_backend_dtype is not None:
            if not isinstance(result, array_type) and hasattr(result, "dtype"):
                result = to_array(result)  # a NumPy scalar: NumPy's 0-D results (CuPy's are arrays)
            if isinstance(result, array_type):
                result_dtype = result.dtype  # (NumPy's built-in dtypes are singletons: `is` settles most)
                if result_dtype is not expected_backend_dtype and result_dtype != expected_backend_dtype:
                    result = result.astype(expected_backend_dtype)
                # _wrap, with the dtype known: the one array result of elementwise functions and reductions
                out = new(DeviceArray)
                shape = result.shape
                init(out, shape, expected, device)
                out._data = result
                out._route_key = (_ROUTE_KEY_MARK, expected, len(shape), device)
                return out
        if expected is not None:
            result = _conform(result, expected, backend)
        return _wrap(result, device, backend)

    return wrap_result


def _make_array_plan(name: str, function, args: tuple, device):
    """The plan for ``function(*args)`` with device arrays only."""
    backend = _devices.backend_for(device)
    # Raises the CPU's error for these dtypes and ranks: such a call gets no plan and raises each time.
    expected = _expected_dtypes(name, function, args, {}) if name in _ASK_THE_CPU else None
    promote = name.startswith("linalg.") and expected is not None
    compute = _fallbacks.resolve(backend, name, device)
    enter, leave = backend.entry(device)
    wrap_result = _wrapper(device, backend, expected)

    def plan(args, kwargs):
        data = [a._data for a in args]
        if promote:
            data = _promote_integer_inputs(data, expected, backend)
        entered = enter()
        try:
            return wrap_result(compute(*data))
        finally:
            leave(entered)

    return plan


_INT_SCALAR_RANGE = (-2**63, 2**64 - 1)  # the CPU takes no Python int outside any integer dtype


def _scalar_conversions(xb, args: tuple, scalars: list):
    """For each Python scalar position, what the spec's rule (``_fallbacks._scalar_beside``)
    makes of it beside the array: the array dtype's scalar type, or None to pass it as it is;
    and the range of ints for which the outcome is this plan's."""
    beside = args[1] if scalars == [0] else args[0]
    low, high = _INT_SCALAR_RANGE
    for a in args:
        if a.__class__ is DeviceArray and _fallbacks._kind_of_dtype(xb, a._data.dtype) == 1:
            info = xb.iinfo(a._data.dtype)
            low, high = max(low, int(info.min)), min(high, int(info.max))
    conversions = {}
    for i in scalars:
        converted = _fallbacks._scalar_beside(xb, args[i], beside._data) if len(args) == 2 else args[i]
        conversions[i] = None if converted.__class__ in _PYTHON_SCALAR_CLASSES else converted.__class__
    return conversions, (low, high)


def _passes_scalars_as_they_are(backend, conversions: dict) -> dict:
    """A backend with the spec's (NEP 50) scalar rule gets Python scalars as they are: the same
    values, without a conversion (~0.6 us for a NumPy scalar) on every call."""
    return {i: None for i in conversions} if backend.weak_python_scalars else conversions


def _make_scalar_plan(name: str, function, args: tuple, scalars: list, device):
    """The plan for an elementwise ``function(*args)`` of device arrays and Python scalars
    (xp.add(a, 1.0)), keyed by the scalars' kinds."""
    backend = _devices.backend_for(device)
    xb = backend.namespace
    # Raises the CPU's error for this call (an int out of bounds among them) before anything else.
    expected = _expected_dtypes(name, function, args, {}) if name in _ASK_THE_CPU else None
    with backend.context(device):
        conversions, (low, high) = _scalar_conversions(xb, args, scalars)
    conversions = _passes_scalars_as_they_are(backend, conversions)
    if any(args[i].__class__ is int and not low <= args[i] <= high for i in scalars):
        return None
    compute = _fallbacks.resolve(backend, name, device)
    enter, leave = backend.entry(device)
    wrap_result = _wrapper(device, backend, expected)
    ints = [i for i in scalars if args[i].__class__ is int]
    converted = [(i, conversions[i]) for i in scalars if conversions[i] is not None]

    def plan(args, kwargs):
        for i in ints:
            if not low <= args[i] <= high:
                return _NO_PLAN  # the full dispatch raises the CPU's OverflowError
        data = [a._data if a.__class__ is DeviceArray else a for a in args]
        entered = enter()
        try:
            for i, scalar_type in converted:
                data[i] = scalar_type(data[i])
            return wrap_result(compute(*data))
        finally:
            leave(entered)

    return plan


def _make_exact_plan(function, args: tuple, kwargs: dict):
    """The plan for a call whose exact key (every argument's value) decides its outcome, cached;
    None where it needs the full dispatch."""
    try:
        key = _exact_key(function, args, kwargs)
        hash(key)
    except TypeError:
        return None
    name = _name_of(function)
    device = _plan_device(name, args, kwargs)
    if device is None:
        return None
    backend = _devices.backend_for(device)
    expected = _expected_dtypes(name, function, args, kwargs) if name in _ASK_THE_CPU else None
    promote = name.startswith("linalg.") and expected is not None
    scalars_beside = name in _fallbacks.BINARY_ELEMENTWISE
    compute = _fallbacks.resolve(backend, name, device)
    enter, leave = backend.entry(device)
    wrap_result = _wrapper(device, backend, expected)
    convert = _Converter(backend, device)
    # What holds no device array is the same in every call with this key: converted once.
    static_args = [None if _holds_device_array(a) else convert(a) for a in args]
    dynamic_args = [i for i, a in enumerate(args) if _holds_device_array(a)]
    static_kwargs = {k: convert(v) for k, v in kwargs.items() if not _holds_device_array(v)}
    dynamic_kwargs = [k for k, v in kwargs.items() if _holds_device_array(v)]

    arrays_only = len(dynamic_args) == len(args) and all(a.__class__ is DeviceArray for a in args)
    if dynamic_args == [0] and args[0].__class__ is DeviceArray and not (dynamic_kwargs or promote or scalars_beside):
        # The common keyword call, one array first (xp.sum(a, axis=0), xp.astype(a, xp.float64, copy=False)).
        rest = static_args[1:]

        def plan(args, kwargs):
            entered = enter()
            try:
                return wrap_result(compute(args[0]._data, *rest, **static_kwargs))
            finally:
                leave(entered)

        return _remember_plan(key, plan)

    def plan(args, kwargs):
        if arrays_only:
            data = [args[0]._data] if len(args) == 1 else [a._data for a in args]
        else:
            data = static_args.copy()
            for i in dynamic_args:
                a = args[i]
                data[i] = a._data if a.__class__ is DeviceArray else convert(a)
        keywords = static_kwargs
        if dynamic_kwargs:
            keywords = {**static_kwargs, **{k: convert(kwargs[k]) for k in dynamic_kwargs}}
        if promote:
            data = _promote_integer_inputs(data, expected, backend)
        entered = enter()
        try:
            if scalars_beside:
                data = _fallbacks._with_array_scalars(backend.namespace, data)
            return wrap_result(compute(*data, **keywords))
        finally:
            leave(entered)

    return _remember_plan(key, plan)


def _holds_device_array(obj) -> bool:
    if obj.__class__ is DeviceArray:
        return True
    return obj.__class__ in (list, tuple) and any(_holds_device_array(item) for item in obj)


def route_python_functions(module, names) -> None:
    """Replaces each plain Python function ``names`` of ``module`` by a trueno.Function that
    looks for device arrays (and ``device=``) among its arguments before the CPU code runs."""
    import types

    for name in names:
        function = getattr(module, name)
        if isinstance(function, types.FunctionType):
            setattr(module, name, _core._routed_function(function, module.__name__))


# ---- methods of DeviceArray ------------------------------------------------

def _to_device(x, device, /, stream=None):
    """Copy of ``x`` on ``device`` (``x`` itself when it is there)."""
    if stream is not None and not (type(x) is DeviceArray and x.device.type == "cuda"):
        raise ValueError("to_device(): stream must be None for arrays that are not on a CUDA device")
    target = _devices.parse_device(device, "to_device") if device is not None else x.device
    return move(x, target)


def _cpu_operator(name: str):
    """The CPU array's operator ``name`` as a function of (self, *args)."""
    return lambda self, *args, **kwargs: getattr(self, name)(*args, **kwargs)


_UNARY_OPERATORS = frozenset({"__neg__", "__pos__", "__abs__", "__invert__"})


def _method(name: str, in_place: bool = False):
    ask_the_cpu = name in _fallbacks.OPERATOR_FUNCTIONS or name in _UNARY_OPERATORS

    plannable = ask_the_cpu and not in_place

    def method(self, *args, **kwargs):
        if plannable and not kwargs:
            try:
                plan = _plans[(name, self._route_key,
                               *[a._route_key if a.__class__ is DeviceArray else a.__class__ for a in args])]
            except (KeyError, TypeError):  # no plan yet
                plan = _make_operator_plan(name, self, args)
            if plan is not None:
                result = plan(self, args)
                if result is not _NO_PLAN:
                    return result
        other = args[0] if args else None
        if args and not isinstance(other, Array) and name in _fallbacks.OPERATOR_FUNCTIONS:
            if not isinstance(other, _PYTHON_SCALARS):
                return NotImplemented
        device = target_device(name, (self,) + args, kwargs)
        backend = _devices.backend_for(device)
        convert = _Converter(backend, device)
        backend_args = tuple(convert(a) for a in args)
        backend_kwargs = {key: convert(value) for key, value in kwargs.items()}
        # Operators follow the CPU's dtype rules too (see _ASK_THE_CPU): NumPy adds booleans, trueno refuses.
        expected = _expected_dtypes(name, _cpu_operator(name), (self,) + args, kwargs) if ask_the_cpu else None
        with backend.context(device):
            result = _fallbacks.call_method(backend, name, self._data, backend_args, backend_kwargs, self.dtype)
            if expected is not None and not in_place and result is not NotImplemented:
                result = _conform(result, expected, backend)
        if in_place:
            if result is NotImplemented:
                return result
            if result is not self._data:  # a fix computed a new array (NumPy: a scalar for 0-D)
                self._data[...] = result
            return self
        return _wrap(result, device, backend)

    method.__name__ = name
    method.__qualname__ = "DeviceArray." + name
    return method


def _make_operator_plan(name: str, self, args: tuple):
    """A cached plan for the operator ``self.name(*args)`` on device arrays of one device, or
    a device array and a Python scalar (keyed by its kind: see route_native), or None where
    the call needs the full method."""
    if len(args) > 1:  # (pow's modulo): the full method
        return None
    scalar = len(args) == 1 and args[0].__class__ in _PYTHON_SCALAR_CLASSES
    if not scalar and any(a.__class__ is not DeviceArray for a in args):
        return None
    device = self.device
    if any(a.device != device for a in args if not scalar):
        return None  # the full method words the mixed-device error
    key = (name, self._route_key, *[a._route_key if a.__class__ is DeviceArray else a.__class__ for a in args])
    backend = _devices.backend_for(device)
    xb = backend.namespace
    expected = _expected_dtypes(name, _cpu_operator(name), (self,) + args, {})
    low, high = _INT_SCALAR_RANGE
    scalar_type = None
    if scalar:
        if _fallbacks._kind_of_dtype(xb, self._data.dtype) == 1:
            info = xb.iinfo(self._data.dtype)
            low, high = max(low, int(info.min)), min(high, int(info.max))
        if args[0].__class__ is int and not low <= args[0] <= high:
            return None
        with backend.context(device):
            converted = _fallbacks._scalar_beside(xb, args[0], self._data)
        scalar_type = None if converted.__class__ in _PYTHON_SCALAR_CLASSES else converted.__class__
        scalar_type = _passes_scalars_as_they_are(backend, {0: scalar_type})[0]
    check_int = scalar and args[0].__class__ is int
    enter, leave = backend.entry(device)
    wrap_result = _wrapper(device, backend, expected)
    if args:
        compute = _fallbacks.resolve_method(backend, name)
    else:
        method = name  # a unary operator: the backend array's own

        def compute(data):
            return getattr(data, method)()

    def plan(self, args):
        if check_int and not low <= args[0] <= high:
            return _NO_PLAN  # the full method raises the CPU's OverflowError
        entered = enter()
        try:
            if scalar:
                result = compute(self._data, scalar_type(args[0]) if scalar_type is not None else args[0])
            elif args:
                result = compute(self._data, args[0]._data)
            else:
                result = compute(self._data)
            if result is NotImplemented:
                return result
            return wrap_result(result)
        finally:
            leave(entered)

    return _remember_plan(key, plan)


def _repr(self) -> str:
    import numpy

    body = numpy.array2string(to_host_array(self), separator=", ", prefix="Array(")
    return f"Array({body}, dtype={self.dtype.name}, device='{self.device}')"


def _str(self) -> str:
    import numpy

    return numpy.array2string(to_host_array(self))


def _reduce(self):
    return (_from_cpu, (move(self, CPU_DEVICE), str(self.device)))


def _from_cpu(array, device_name: str):
    """Rebuilds a pickled device array (on the same device, which must exist here)."""
    return move(array, _devices.parse_device(device_name, "unpickle"))


def _array(self, dtype=None, copy=None):
    raise TypeError(f"__array__(): the array is on {self.device}; implicit conversion to a NumPy array "
                    "is not allowed: call x.to_device('cpu') first")


def _dlpack(self, *, stream=None, max_version=None, dl_device=None, copy=None):
    """Exports the backend array through DLPack; ``dl_device=(1, 0)`` copies to host memory."""
    if dl_device is not None and tuple(dl_device)[0] == 1 and self.device.type == "cuda":
        if copy is False:
            raise BufferError("__dlpack__(): copy=False cannot move a CUDA array to the CPU")
        host = to_host_array(self)
        return host.__dlpack__(max_version=max_version) if max_version else host.__dlpack__()
    keywords = {key: value for key, value in (("stream", stream), ("max_version", max_version),
                                              ("dl_device", dl_device), ("copy", copy)) if value is not None}
    return self._data.__dlpack__(**keywords)


def _dlpack_device(self):
    return self._data.__dlpack_device__()


def _iter(self):
    if self.ndim == 0:
        raise TypeError("iteration over a 0-D array")
    return iter([self[i] for i in range(self.shape[0])])


def _len(self):
    if self.ndim == 0:
        raise TypeError("len() of a 0-D array")
    return self.shape[0]


def _tolist(self):
    return to_host_array(self).tolist()


def _install_methods() -> None:
    simple = [
        "__getitem__", "__setitem__", "__neg__", "__pos__", "__abs__", "__invert__",
        "__bool__", "__int__", "__float__", "__complex__", "__index__", "item",
        "__copy__", "__deepcopy__",
    ] + sorted(_fallbacks.OPERATOR_FUNCTIONS)
    for name in simple:
        setattr(DeviceArray, name, _method(name, in_place=name.startswith("__i") and name in _fallbacks.IN_PLACE))
    for name in ("__bool__", "__int__", "__float__", "__complex__", "__index__", "item"):
        getattr(DeviceArray, name).__doc__ = (
            f"{name}: the value as a Python scalar; waits for the device to finish its queued work (synchronises).")
    DeviceArray.T = property(lambda self: _wrap(self._data.T, self.device, _devices.backend_for(self.device)),
                             doc="The transpose (reverses all axes).")
    DeviceArray.mT = property(lambda self: dispatch("matrix_transpose", None, (self,), {}),
                              doc="The transpose of the last two axes.")
    # The C++ part of a device array holds C-contiguous strides for its shape; the backend's
    # array knows the real layout (a transpose, a slice), in bytes as the CPU array's strides.
    DeviceArray.strides = property(lambda self: tuple(self._data.strides),
                                   doc="Bytes to step in each dimension (the backend array's layout).")
    DeviceArray.to_device = _to_device
    DeviceArray.__repr__ = _repr
    DeviceArray.__str__ = _str
    DeviceArray.__reduce__ = _reduce
    DeviceArray.__reduce_ex__ = lambda self, protocol: _reduce(self)   # Array's would read host memory
    DeviceArray.__array__ = _array
    DeviceArray.__dlpack__ = _dlpack
    DeviceArray.__dlpack_device__ = _dlpack_device
    DeviceArray.__iter__ = _iter
    DeviceArray.__len__ = _len
    DeviceArray.tolist = _tolist
    _tolist.__doc__ = "The values as nested Python lists; copies to the host and synchronises."
    _to_device.__doc__ = ("Copy of ``x`` on ``device`` (``x`` itself when it is there); a copy to the CPU "
                          "waits for the device's queued work (synchronises).")
    DeviceArray.__hash__ = None


_install_methods()
_core._register_device_array_type(DeviceArray)

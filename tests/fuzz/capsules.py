"""DLPack capsules made with ctypes (issue 15, item 5): a producer whose
tensor may lie (negative, NULL or overflowing shapes and strides, any ndim,
any dtype code/bits/lanes, byte offsets, NULL data, other devices, DLPack
versions and flags, capsules with the wrong name, __dlpack__ that returns
junk or takes no keywords), handed to ``xp.from_dlpack`` or ``xp.asarray``.

Verdicts:
- a tensor trueno can hold (a supported dtype with one lane, a CPU device,
  non-negative dimensions, elements, bytes and the span of the strides
  within int64, a DLPack 1.x or legacy capsule named as the standard says)
  must come back as an array of that shape and dtype holding exactly what the
  producer's buffer holds there (read through NumPy's view of the same bytes;
  bools normalised to 0/1), read-only where the producer said so;
- anything else must raise TypeError, ValueError, BufferError, OverflowError
  or MemoryError with a message naming the function; a few things may go
  either way (misaligned data, NULL data with no elements);
- the producer's deleter runs at most once, and exactly once after the array
  is dropped.

A valid tensor's buffer covers every byte its shape and strides reach, so
reading it is always in bounds; an invalid one may point anywhere, since
trueno must not read it. Producers stay alive for the whole process (as
tests/hostile_dlpack.py keeps them): a consumer that kept a pointer after
refusing the capsule must not read freed memory.
"""
from __future__ import annotations

import ctypes
import gc
import importlib.util
import os

import numpy as np

import trueno as xp

from . import harness as h

TARGETS = ["dlpack:from_dlpack", "dlpack:asarray"]


def _abi():
    """tests/hostile_dlpack.py, the DLPack structures as ctypes declares them."""
    path = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "hostile_dlpack.py")
    spec = importlib.util.spec_from_file_location("_fuzz_hostile_dlpack", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


ABI = _abi()


class DLPackVersion(ctypes.Structure):
    _fields_ = [("major", ctypes.c_uint32), ("minor", ctypes.c_uint32)]


class DLManagedTensorVersioned(ctypes.Structure):
    pass


VERSIONED_DELETER = ctypes.CFUNCTYPE(None, ctypes.POINTER(DLManagedTensorVersioned))
DLManagedTensorVersioned._fields_ = [("version", DLPackVersion), ("manager_ctx", ctypes.c_void_p),
                                     ("deleter", VERSIONED_DELETER), ("flags", ctypes.c_uint64),
                                     ("dl_tensor", ABI.DLTensor)]
READ_ONLY, IS_COPIED = 1, 2

_capsule_new = ctypes.pythonapi.PyCapsule_New
_capsule_new.restype = ctypes.py_object
_capsule_new.argtypes = [ctypes.c_void_p, ctypes.c_char_p, ctypes.c_void_p]

_keep = []  # every producer, for the life of the process

# DLPack dtype codes: 0 int, 1 uint, 2 float, 3 opaque handle, 4 bfloat, 5 complex, 6 bool
SUPPORTED = {(0, 8): "int8", (0, 16): "int16", (0, 32): "int32", (0, 64): "int64",
             (1, 8): "uint8", (1, 16): "uint16", (1, 32): "uint32", (1, 64): "uint64",
             (2, 32): "float32", (2, 64): "float64", (5, 64): "complex64", (5, 128): "complex128",
             (6, 8): "bool"}
ODD_DTYPES = [(2, 16), (4, 16), (6, 1), (0, 1), (0, 0), (2, 8), (3, 64), (5, 32), (7, 8), (255, 64),
              (0, 128), (2, 80)]
INT64_MAX = 2**63 - 1
MAX_DIMS = 64


class Producer:
    """A hand-made tensor: `spec` (a dict, see random_spec) laid over a buffer."""

    def __init__(self, spec):
        self.spec = spec
        self.deleted = 0
        self.buffer = (ctypes.c_char * max(1, spec["buffer_bytes"]))()
        ctypes.memmove(self.buffer, spec["content"], len(spec["content"]))
        nd_room = max(1, min(len(spec["shape"]), 128))
        self.shape = (ctypes.c_int64 * nd_room)(*spec["shape"][:nd_room])
        self.strides = None if spec["strides"] is None else (ctypes.c_int64 * nd_room)(*spec["strides"][:nd_room])
        versioned = spec["version"] is not None
        m = DLManagedTensorVersioned() if versioned else ABI.DLManagedTensor()
        t = m.dl_tensor
        t.data = None if spec["null_data"] else ctypes.addressof(self.buffer) + spec["data_at"]
        t.device = ABI.DLDevice(*spec["device"])
        t.ndim = spec["ndim"]
        t.dtype = ABI.DLDataType(spec["code"], spec["bits"], spec["lanes"])
        t.shape = None if spec["null_shape"] else ctypes.cast(self.shape, ctypes.POINTER(ctypes.c_int64))
        t.strides = None if self.strides is None else ctypes.cast(self.strides, ctypes.POINTER(ctypes.c_int64))
        t.byte_offset = spec["byte_offset"]
        if versioned:
            m.version = DLPackVersion(*spec["version"])
            m.flags = spec["flags"]
        if spec["deleter"]:
            def deleter(_ptr):
                self.deleted += 1
            self.callback = (VERSIONED_DELETER if versioned else ABI.DELETER)(deleter)
        else:
            self.callback = (VERSIONED_DELETER if versioned else ABI.DELETER)(0)
        m.deleter = self.callback
        self.managed = m
        _keep.append(self)

    def __dlpack__(self, *args, **kwargs):
        behaviour = self.spec["behaviour"]
        if behaviour == "old" and kwargs:
            raise TypeError("__dlpack__() got an unexpected keyword argument 'max_version'")
        if behaviour == "raises":
            raise BufferError("this producer cannot export")
        if behaviour == "junk":
            return 42
        name = self.spec["capsule_name"]
        return _capsule_new(ctypes.addressof(self.managed), name, None)

    def __dlpack_device__(self):
        return tuple(self.spec["device"])


def random_spec(rng):
    g = rng.gen
    hostile = rng.chance(0.5)  # half the producers tell the truth
    if rng.chance(0.85) or not hostile:
        code, bits = rng.choice(list(SUPPORTED))
    else:
        code, bits = rng.choice(ODD_DTYPES)
    lanes = 1 if not hostile or rng.chance(0.8) else rng.choice([0, 2, 4, 65535])
    ndim = rng.choice([0, 1, 1, 2, 2, 3, 4])
    shape = [rng.choice([0, 1, 2, 3, 4, 5, 7]) for _ in range(ndim)]
    null_shape = False
    if hostile:
        r = rng.random()
        if r < 0.15 and ndim:
            shape[rng.randint(0, ndim - 1)] = rng.choice([-1, -5, -(2**63), 2**31, 2**32, 2**62, INT64_MAX])
        elif r < 0.25:
            ndim = rng.choice([-1, -(2**31), MAX_DIMS + 1, 100, 2**31 - 1])
            shape = [1] * max(0, min(ndim, 128))
        elif r < 0.3 and ndim:
            null_shape = True
        elif r < 0.35:
            ndim, shape = MAX_DIMS, [1] * MAX_DIMS
    item = max(1, (bits * lanes + 7) // 8)
    nd = len(shape)
    r = rng.random()
    if r < 0.35:
        strides = None  # compact row-major
    else:
        c = [1] * nd
        for i in range(nd - 2, -1, -1):
            c[i] = c[i + 1] * max(1, shape[i + 1])
        if r < 0.55:
            strides = c
        elif r < 0.7:
            strides = [s * rng.choice([1, 2, -1, -2, 0]) for s in c]
        elif r < 0.8:
            strides = list(reversed(c))  # column-major-ish, possibly overlapping
        else:
            strides = [rng.choice([0, 1, -1, 3, 2**62, -(2**63), INT64_MAX, 2**40]) if hostile else s
                       for s in c]
    byte_offset = 0
    if rng.chance(0.2):
        byte_offset = rng.choice([item, 2 * item, 1, 3]) if not hostile or rng.chance(0.7) else \
            rng.choice([2**63, 2**64 - 8])
    device = (1, 0)
    if hostile and rng.chance(0.1):
        device = rng.choice([(2, 0), (3, 0), (13, 0), (0, 0), (99, 7), (1, 5)])
    version = None
    flags = 0
    if rng.chance(0.5):
        version = (1, rng.choice([0, 0, 1, 3]))
        if hostile and rng.chance(0.2):
            version = (rng.choice([0, 2, 255]), 0)
        flags = rng.choice([0, 0, READ_ONLY, IS_COPIED, READ_ONLY | IS_COPIED])
    capsule_name = b"dltensor_versioned" if version else b"dltensor"
    if hostile and rng.chance(0.05):
        # (never the other standard name: a consumer cannot tell that lie from the truth)
        capsule_name = rng.choice([b"used_dltensor", b"", b"tensor"])
    behaviour = "normal"
    if rng.chance(0.1):
        behaviour = rng.choice(["old", "old", "raises", "junk"])
    # the bytes the strides reach, relative to data + byte_offset
    lo = hi = 0
    if nd and all(d > 0 for d in shape) and not null_shape:
        steps = strides if strides is not None else compact(shape)
        for d, st in zip(shape, steps):
            span = (d - 1) * st * item
            lo, hi = (lo + span, hi) if span < 0 else (lo, hi + span)
    reach = hi - lo + item
    small = reach <= 1 << 16 and byte_offset < 64
    data_at = -lo if small else 0
    buffer_bytes = (data_at + byte_offset + hi + item) if small else 64
    content = g.integers(0, 256, buffer_bytes, dtype=np.uint8).tobytes()
    null_data = hostile and rng.chance(0.05)
    return dict(code=code, bits=bits, lanes=lanes, ndim=ndim, shape=shape, null_shape=null_shape,
                strides=strides, byte_offset=byte_offset, device=device, version=version, flags=flags,
                capsule_name=capsule_name, behaviour=behaviour, data_at=data_at,
                buffer_bytes=buffer_bytes, content=content, null_data=null_data,
                deleter=rng.chance(0.7), reach_fits=small)


def compact(shape):
    out = [1] * len(shape)
    for i in range(len(shape) - 2, -1, -1):
        out[i] = out[i + 1] * max(1, shape[i + 1])
    return out


def expectation(spec):
    """("ok", why) when trueno must import it, ("raise", why) when it must
    refuse it, ("either", why) when both are acceptable."""
    if spec["behaviour"] in ("raises", "junk"):
        return "raise", f"__dlpack__ {spec['behaviour']}"
    name = spec["capsule_name"]
    if name not in (b"dltensor", b"dltensor_versioned"):
        return "raise", f"a capsule named {name!r}"
    if spec["version"] is not None and spec["version"][0] != 1:
        return "raise", f"DLPack version {spec['version']}"
    ndim = spec["ndim"]
    if not 0 <= ndim <= MAX_DIMS:
        return "raise", f"ndim {ndim}"
    if ndim and spec["null_shape"]:
        return "raise", "no shape"
    shape = spec["shape"][:ndim]
    if any(d < 0 for d in shape):
        return "raise", "a negative dimension"
    item = element_bytes(spec)
    elements = prod(shape)
    if prod([max(d, 1) for d in shape]) * item > INT64_MAX:
        return "raise", "more bytes than int64 holds"
    steps = spec["strides"]
    if steps is not None:
        # as trueno counts it (cpp/bindings/convert.cpp check_dltensor)
        reach = sum(abs(st) * max(d - 1, 0) * item for d, st in zip(shape, steps[:ndim]))
        if reach > INT64_MAX or any(st == -(2**63) for st in steps[:ndim]):
            return ("raise" if elements else "either"), "strides that reach beyond int64"
    if spec["device"][0] != 1:
        return ("either" if spec["device"][0] in (2, 3, 13) else "raise"), f"device {spec['device']}"
    if spec["lanes"] != 1 or (spec["code"], spec["bits"]) not in SUPPORTED:
        return "raise", f"dtype code {spec['code']} bits {spec['bits']} lanes {spec['lanes']}"
    if spec["null_data"]:
        return ("either" if elements == 0 else "raise"), "NULL data"
    if spec["byte_offset"] % item:
        return "either", "misaligned data"
    return "ok", "a valid tensor"


def element_bytes(spec):
    """Bytes of one element of the tensor the spec describes (bits x lanes, rounded up)."""
    return (spec["bits"] * spec["lanes"] + 7) // 8


def prod(values):
    out = 1
    for v in values:
        out *= v
    return out


def unbacked(spec):
    """A tensor that may be valid but reaches past the bytes this producer
    owns (huge strides or byte_offset): trueno cannot know, so it may import
    it, but nothing may read it (no copy, no comparison)."""
    shape = spec["shape"][:max(spec["ndim"], 0)]
    return not spec["reach_fits"] and prod(shape) > 0


def expected_values(p):
    """NumPy's view of the bytes the tensor describes."""
    spec = p.spec
    dtype = np.dtype(SUPPORTED[spec["code"], spec["bits"]])
    shape = tuple(spec["shape"][:spec["ndim"]])
    steps = spec["strides"][:spec["ndim"]] if spec["strides"] is not None else compact(shape)
    raw = np.frombuffer(p.buffer, dtype=np.uint8)
    start = spec["data_at"] + spec["byte_offset"]
    if prod(shape) == 0:
        return np.zeros(shape, np.bool_ if dtype == np.bool_ else dtype)
    # one element at data + byte_offset (possibly misaligned), then the producer's strides
    first = raw[start:start + dtype.itemsize].view(np.uint8 if dtype == np.bool_ else dtype)
    view = np.lib.stride_tricks.as_strided(first, shape=shape, strides=[s * dtype.itemsize if d > 1 else 0 for d, s in zip(shape, steps)])
    if view.size > COMPARE_ALL:
        return view  # a huge valid tensor repeats bytes (zero strides): compared at samples
    view = view.copy()
    return view != 0 if dtype == np.bool_ else view


COMPARE_ALL = 1 << 22  # elements: larger results are compared at samples
COPY_LIMIT = 1 << 32  # bytes: more than the fuzz worker may allocate


def copy_too_big(spec, copy):
    """A valid tensor whose copy (asked for, or forced by misaligned data)
    needs more memory than the worker has: MemoryError is the right answer."""
    item = element_bytes(spec)
    return copy is not False and prod(spec["shape"][:spec["ndim"]]) * item > COPY_LIMIT


def describe(spec):
    keys = ("code", "bits", "lanes", "ndim", "shape", "null_shape", "strides", "byte_offset", "device",
            "version", "flags", "capsule_name", "behaviour", "null_data", "deleter")
    return ", ".join(f"{k}={spec[k]!r}" for k in keys)


def plan(rng, target):
    """(the producer and the call, a function that runs and judges it)."""
    spec = random_spec(rng)
    p = Producer(spec)
    how = "xp.from_dlpack(p)" if target == "dlpack:from_dlpack" else "xp.asarray(p)"
    copy = rng.choice([None, None, True, False])
    if unbacked(spec):
        # a copy would read past the buffer: the producer's lie; misaligned
        # data is copied unless copy=False forbids it
        item = element_bytes(spec)
        copy = False if item and spec["byte_offset"] % item else rng.choice([None, False])
    call = how[:-1] + ("" if copy is None else f", copy={copy}") + ")"
    desc = f"p = Producer({describe(spec)}); {call}"
    return desc, lambda: judge(target, spec, p, copy, call)


def judge(target, spec, p, copy, call):
    kind, why = expectation(spec)
    names = ("from_dlpack",) if target == "dlpack:from_dlpack" else ("asarray",)
    try:
        with h.time_limit(10):
            got = (xp.from_dlpack(p, copy=copy) if target == "dlpack:from_dlpack" else xp.asarray(p, copy=copy))
    except h.TooSlow:
        return "slow", f"{call} took more than 10 s"
    except (*h.ALLOWED, BufferError) as exc:
        if p.deleted > 1:
            return "garbage", f"the deleter ran {p.deleted} times"
        if kind == "ok" and not (isinstance(exc, MemoryError) and copy_too_big(spec, copy)):
            return "mismatch", f"raised {type(exc).__name__}: {exc} for a valid tensor"
        if spec["behaviour"] == "raises" and isinstance(exc, BufferError):
            return "raised", "the producer's own BufferError"
        bad = h.message_names(exc, names)
        if bad:
            return "bad_exc", bad[:400]
        return "raised", f"{type(exc).__name__}: {exc}"
    except h.GAP as exc:
        return "gap", f"NotImplementedError: {exc}"
    except ImportError as exc:
        # a CUDA tensor goes to the CuPy route, which says how to install it
        if spec["device"][0] == 2 and "CuPy" in str(exc):
            return "raised", f"ImportError: {exc}"
        return "bad_exc", f"ImportError: {exc}"[:400]
    except BaseException as exc:  # noqa: BLE001
        if isinstance(exc, (KeyboardInterrupt, SystemExit)):
            raise
        return "bad_exc", f"{type(exc).__name__}: {exc}"[:400]
    if kind == "raise":
        return "mismatch", f"returned an array of shape {getattr(got, 'shape', '?')} for {why}"
    if not isinstance(got, xp.Array):
        return "garbage", f"returned {type(got).__name__}"
    if unbacked(spec):
        # accepted; its elements lie past the bytes this producer owns: read nothing
        verdict = ("ok", "") if got.ndim == spec["ndim"] else ("mismatch", f"ndim {got.ndim}")
        del got
        return verdict[0], verdict[1]
    dtype = SUPPORTED.get((spec["code"], spec["bits"]))
    shape = tuple(spec["shape"][:spec["ndim"]])
    if tuple(got.shape) != shape or h.dtype_name(got.dtype) != dtype:
        return "mismatch", f"shape {got.shape} dtype {h.dtype_name(got.dtype)}, producer {shape} {dtype}"
    if got.nbytes != got.size * got.itemsize:
        return "garbage", f"nbytes {got.nbytes} for {got.size} elements of {got.itemsize} bytes"
    want = expected_values(p)
    have = np.asarray(got)
    if dtype == "bool":
        have = have.view(np.uint8) != 0
    if have.size > COMPARE_ALL:
        # a few elements (first, last, and spread between) of both views
        if dtype == "bool":
            want = want.view(np.uint8) != 0
        at = sorted({0, have.size - 1, *range(0, have.size, max(1, have.size // 64))})
        pos = [np.unravel_index(i, have.shape) for i in at[:80]]
        have = np.array([have[i] for i in pos])
        want = np.array([want[i] for i in pos])
    if have.shape != want.shape or have.tobytes() != np.ascontiguousarray(want).tobytes():
        return "mismatch", f"values {have.ravel()[:6]}, the buffer holds {want.ravel()[:6]}"
    if spec["version"] is not None and spec["flags"] & READ_ONLY and copy is not True and have.size:
        try:
            got[(0,) * got.ndim] = got[(0,) * got.ndim]
        except ValueError:
            pass
        else:
            # a copy (unaligned memory is copied on import) may be writable
            start = ctypes.addressof(p.buffer)
            at = have.__array_interface__["data"][0]
            if start <= at < start + ctypes.sizeof(p.buffer):
                return "mismatch", "a read-only DLPack tensor was written through"
    del got, have
    gc.collect()
    if spec["deleter"] and p.deleted != 1 and spec["behaviour"] not in ("raises", "junk"):
        return "garbage", f"the deleter ran {p.deleted} times after the array was dropped"
    return "ok", ""

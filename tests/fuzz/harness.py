"""One fuzz call: pick a public function, build random (often wrong) arguments,
call trueno and an oracle, and judge the outcome.

Call ``i`` of seed ``s`` is fully determined by ``(s, i)`` (the generator's
state is set from them), so any finding or crash is replayed by
``python3 -m tests.fuzz --seed s --replay i``.

The oracle is array-api-strict (NumPy underneath, with the spec's dtype rules:
it raises where the spec leaves a call undefined) for the namespace, linalg,
fft and the operators; plain NumPy for indexing (trueno follows NumPy's
indexing beyond the spec) and small NumPy formulas for ``trueno.nn``.

Verdicts:
  ok        both returned and agree (values, dtype, shape), or trueno raised an
            allowed exception (TypeError, ValueError, IndexError, MemoryError,
            OverflowError; NotImplementedError for the few documented gaps)
  lenient   trueno returned where the oracle raised: counted, not a failure
            (trueno accepts some inputs the strict oracle refuses)
  mismatch  both returned, different results                      -> finding
  bad_exc   trueno raised something else (RuntimeError, SystemError,
            AttributeError, KeyError, ...)                        -> finding
  garbage   trueno returned an object that is not a well-formed result
                                                                  -> finding
A crash or a hang is judged by the supervisor (__main__.py), which runs this
in a child process.
"""
from __future__ import annotations

import contextlib
import importlib
import math
import operator
import signal
import threading
import warnings

import numpy as np

import trueno as xp

try:
    import array_api_strict as strict

    strict.set_array_api_strict_flags(api_version="2025.12")
    StrictArray = type(strict.asarray(0))
except Exception:  # pragma: no cover - the test extra installs it
    strict = None
    StrictArray = ()

ALLOWED = (TypeError, ValueError, IndexError, MemoryError, OverflowError)
# Raising NotImplementedError is a documented gap, not a crash; counted apart.
GAP = (NotImplementedError,)

DTYPE_NAMES = ["bool", "int8", "int16", "int32", "int64", "uint8", "uint16", "uint32", "uint64",
               "float32", "float64", "complex64", "complex128"]
INT_NAMES = DTYPE_NAMES[1:9]
REAL_FLOAT = ["float32", "float64"]
FLOAT_NAMES = ["float32", "float64", "complex64", "complex128"]
NUMERIC = DTYPE_NAMES[1:]

SECTIONS = ["_creation", "_data_type", "_elementwise", "_indexing", "_info", "_linear_algebra",
            "_manipulation", "_searching", "_set", "_sorting", "_statistical", "_utility"]


def public_names():
    """Every public function: the spec sections, linalg, fft and nn."""
    names = []
    for mod in SECTIONS:
        names += list(importlib.import_module("trueno." + mod).__all__)
    names += ["linalg." + n for n in xp.linalg.__all__]
    names += ["fft." + n for n in xp.fft.__all__]
    names += ["nn." + n for n in xp.nn.__all__]
    return sorted(set(names))


def resolve(module, name):
    obj = module
    for part in name.split("."):
        obj = getattr(obj, part)
    return obj


# ------------------------------------------------------------ random numbers

class Rng:
    """A numpy Generator whose state is set per call from (seed, index)."""

    MULT = 0x9E3779B97F4A7C15F39CC0605CEDC835

    def __init__(self):
        self.bitgen = np.random.PCG64(0)
        self.gen = np.random.Generator(self.bitgen)
        self._floats = []

    def reset(self, seed, index):
        state = ((seed * self.MULT) ^ (index * 0xBF58476D1CE4E5B9 + 0x632BE59BD9B4E019)) % (1 << 128)
        self.bitgen.state = {"bit_generator": "PCG64",
                             "state": {"state": state, "inc": 0xDA3E39CB94B95BDB | 1},
                             "has_uint32": 0, "uinteger": 0}
        self._floats = self.gen.random(64).tolist()

    def random(self):
        if not self._floats:
            self._floats = self.gen.random(64).tolist()
        return self._floats.pop()

    def chance(self, p):
        return self.random() < p

    def randint(self, lo, hi):
        """lo <= n <= hi."""
        return lo + int(self.random() * (hi - lo + 1))

    def choice(self, seq):
        return seq[int(self.random() * len(seq))]


# ------------------------------------------------------------------ operands

class Operand:
    """The same array as a trueno array (possibly a strided view) and as a
    NumPy array of the same layout and values."""

    __slots__ = ("tn", "np")

    def __init__(self, tn, npa):
        self.tn = tn
        self.np = npa


class DT:
    """A dtype argument, mapped to each library's object."""

    __slots__ = ("name",)

    def __init__(self, name):
        self.name = name

    def __repr__(self):
        return f"xp.{self.name}"


SPECIAL_FLOATS = [0.0, -0.0, 1.0, -1.0, 0.5, np.nan, np.inf, -np.inf, 1e-310, 1e308, -1e308,
                  3.4e38, 1e-45, 88.7, -88.7, 709.8, 1e4, -1e4, math.pi]


def random_values(rng, dtype, n, domain=None):
    g = rng.gen
    if dtype == "bool":
        return g.random(n) < 0.5
    npdt = np.dtype(dtype)
    if npdt.kind in "iu":
        info = np.iinfo(npdt)
        if rng.chance(0.2):
            vals = g.integers(info.min, info.max, size=n, endpoint=True, dtype=npdt)
        else:
            lo = max(info.min, -8)
            vals = g.integers(lo, 9, size=n, dtype=npdt)
        if n and rng.chance(0.2):
            vals[g.integers(0, n)] = rng.choice([info.min, info.max, 0])
        return vals
    real = np.dtype("float32" if dtype in ("float32", "complex64") else "float64")
    if domain == "unit":
        vals = g.uniform(-1.2, 1.2, n)
    elif domain == "positive":
        vals = g.uniform(0, 10, n)
    elif rng.chance(0.15):
        vals = g.standard_normal(n) * 10.0 ** g.integers(-30, 30, n)
    else:
        vals = g.standard_normal(n) * 4
    if n and rng.chance(0.3):
        k = rng.randint(1, max(1, n // 3))
        vals[g.integers(0, n, k)] = [rng.choice(SPECIAL_FLOATS) for _ in range(k)]
    with np.errstate(all="ignore"):
        vals = vals.astype(real)
    if npdt.kind == "c":
        imag = g.standard_normal(n).astype(real)
        if n and rng.chance(0.2):
            imag[g.integers(0, n)] = rng.choice(SPECIAL_FLOATS)
        vals = vals + 1j * imag.astype(npdt)
        vals = vals.astype(npdt)
    return vals


def random_shape(rng, ndim=None, max_dim=5):
    if ndim is None:
        ndim = rng.choice([0, 1, 1, 2, 2, 2, 3, 3, 4])
    shape = []
    for _ in range(ndim):
        r = rng.random()
        if r < 0.06:
            shape.append(0)
        elif r < 0.25:
            shape.append(1)
        elif r < 0.9:
            shape.append(rng.randint(2, max_dim))
        else:
            shape.append(rng.choice([7, 9, 16, 17, 33]))  # past SIMD widths
    # keep the element count modest
    while shape and int(np.prod(shape)) > 4096:
        shape[shape.index(max(shape))] //= 2
    return tuple(shape)


FOREIGN_P = 0.1   # share of operands whose memory trueno did not allocate (see foreign_import)


def make_operand(rng, shape, dtype, domain=None):
    """An array of `shape`: contiguous, or a view with steps, a reversed axis,
    or permuted axes (the same view taken in trueno and in NumPy). One operand
    in ten lives in foreign memory (`foreign_import`)."""
    foreign = rng.chance(FOREIGN_P)
    layout = rng.random()
    ndim = len(shape)
    if layout < 0.55 or ndim == 0:
        base_shape, view = shape, None
    elif layout < 0.85:
        steps = [rng.choice([1, 2, -1, -2, 3]) for _ in shape]
        base_shape = tuple(max(1, s * abs(st)) for s, st in zip(shape, steps))
        key = []
        for s, st in zip(shape, steps):
            if s == 0:
                key.append(slice(0, 0))
            elif st > 0:
                key.append(slice(0, s * st, st))
            else:
                key.append(slice(None, None, st))
        key = tuple(key)
        view = (lambda a: a[key], lambda a: a[key])
    else:
        axes = list(range(ndim))
        for i in range(ndim - 1, 0, -1):
            j = rng.randint(0, i)
            axes[i], axes[j] = axes[j], axes[i]
        axes = tuple(axes)
        base_shape = [0] * ndim
        for i, a in enumerate(axes):
            base_shape[a] = shape[i]
        base_shape = tuple(base_shape)
        view = (lambda a: xp.permute_dims(a, axes), lambda a: np.transpose(a, axes))
    n = int(np.prod(base_shape))
    if foreign:
        return foreign_import(rng, base_shape, dtype, domain, view)
    vals = random_values(rng, dtype, n, domain).reshape(base_shape)
    if view is None:
        return Operand(xp.asarray(vals), vals)
    return Operand(view[0](xp.asarray(vals)), view[1](vals))


class _RawPickle:
    """Unpickles as trueno's own protocol-5 reduce does, from whatever bytes
    it is given: a pickle can hand trueno any byte pattern."""

    def __init__(self, data, dtype_name, shape):
        self.args = (bytearray(data), dtype_name, shape)

    def __reduce__(self):
        from trueno._creation import _from_pickle_buffer
        return _from_pickle_buffer, self.args


FOREIGN_ROUTES = ("asarray", "asarray_nocopy", "dlpack", "buffer", "readonly", "pickle_oob",
                  "pickle_raw")


def foreign_import(rng, base_shape, dtype, domain, view):
    """An operand whose trueno array is memory trueno did not write: a NumPy
    array imported zero-copy (asarray, from_dlpack, the buffer protocol, a
    read-only buffer) or an array rebuilt from a pickle's buffer. A bool's
    bytes are random 0..255 (NumPy's frombuffer keeps them as they are);
    trueno must read any nonzero byte as True, so the oracle gets them
    normalised to 0/1. The view (steps, permutation) is taken in NumPy before
    the import or in trueno after it."""
    g = rng.gen
    n = int(np.prod(base_shape))
    if dtype == "bool":
        raw = np.where(g.random(n) < 0.5, 0, g.integers(1, 256, n)).astype(np.uint8)
        base = np.frombuffer(bytearray(raw.tobytes()), dtype=bool).reshape(base_shape)
    else:
        base = random_values(rng, dtype, n, domain).reshape(base_shape)
    route = rng.choice(FOREIGN_ROUTES)
    numpy_side_view = view is not None and route in ("asarray", "asarray_nocopy", "dlpack", "buffer") \
        and rng.chance(0.5)
    src = view[1](base) if numpy_side_view else base
    if route == "asarray":
        tn = xp.asarray(src)
    elif route == "asarray_nocopy":
        tn = xp.asarray(src, copy=False)
    elif route == "dlpack":
        tn = xp.from_dlpack(src)
    elif route == "buffer":
        tn = xp.asarray(memoryview(src))
    elif route == "readonly":
        src = np.frombuffer(base.tobytes(), dtype=base.dtype).reshape(base_shape)
        tn = xp.asarray(src)
    elif route == "pickle_oob":
        import pickle

        buffers = []
        data = pickle.dumps(xp.asarray(base), protocol=5, buffer_callback=buffers.append)
        tn = pickle.loads(data, buffers=buffers)
    else:
        import pickle

        tn = pickle.loads(pickle.dumps(_RawPickle(base.tobytes(), dtype, base_shape)))
    if view is not None and not numpy_side_view:
        tn = view[0](tn)
    want = view[1](base) if view is not None else base
    if dtype == "bool":
        want = np.asarray(want.view(np.uint8) != 0)  # 0-D: an array, not np.bool_
    return Operand(tn, want)


def broadcast_partner(rng, shape):
    """A shape that broadcasts with `shape` (mostly) or one that does not."""
    if rng.chance(0.08) and shape:
        bad = list(shape)
        i = rng.randint(0, len(bad) - 1)
        bad[i] = bad[i] + rng.randint(2, 3)
        return tuple(bad)
    r = rng.random()
    if r < 0.35:
        return shape
    if r < 0.5:
        return ()
    out = list(shape[rng.randint(0, len(shape)):]) if shape else []
    out = [1 if rng.chance(0.3) else s for s in out]
    if rng.chance(0.25):
        out = [rng.randint(1, 3)] + out
    return tuple(out)


# --------------------------------------------------------- wrong arguments

WRONG_VALUES = ["abc", None, object(), [1, [2]], {"a": 1}, 1.5, -1, 2**63, -(2**63) - 1, 2**62,
                float("nan"), float("inf"), b"\x00", (), True, 1j]
HUGE_SHAPES = [(2**62,), (2**31, 2**31), (2**40, 2**40, 2**40), (-1,), (3, -2), (2**63,), (2**64,),
               (2**33, 2**33), (1 << 61, 4)]


def wrong_value(rng):
    return rng.choice(WRONG_VALUES)


def bad_axis(rng, ndim):
    return rng.choice([ndim, ndim + 3, -ndim - 1, 2**63 - 1, -(2**63), 2**64, 1.0, "0", None,
                       (0, 0), (0, ndim), True, [0]])


def random_axis(rng, ndim, allow_none=True, allow_tuple=True):
    if allow_none and rng.chance(0.25):
        return None
    if ndim == 0:
        return rng.choice([0, -1, None]) if allow_none else rng.choice([0, -1])
    if allow_tuple and rng.chance(0.2):
        k = rng.randint(1, ndim)
        axes = list(range(ndim))
        picks = []
        for _ in range(k):
            picks.append(axes.pop(rng.randint(0, len(axes) - 1)))
        return tuple(a - ndim if rng.chance(0.3) else a for a in picks)
    a = rng.randint(0, ndim - 1)
    return a - ndim if rng.chance(0.3) else a


# ------------------------------------------------------------ call builders
# Each builder returns (args, kwargs, flags); flags is a dict of hints for
# the comparison (e.g. {"unordered": True}). Operands and DTs are mapped to
# each library afterwards.

def _dt(rng, names=DTYPE_NAMES):
    return rng.choice(names)


def operand(rng, dtypes=DTYPE_NAMES, shape=None, domain=None, ndim=None):
    if shape is None:
        shape = random_shape(rng, ndim)
    return make_operand(rng, shape, _dt(rng, dtypes), domain)


def b_unary(dtypes, domain=None):
    def build(rng):
        return (operand(rng, dtypes, domain=domain),), {}
    return build


def b_binary(dtypes, same_kind=True):
    def build(rng):
        x1 = operand(rng, dtypes)
        shape2 = broadcast_partner(rng, x1.np.shape)
        if same_kind and rng.chance(0.8):
            dt2 = x1.np.dtype.name if rng.chance(0.6) else _dt(rng, dtypes)
        else:
            dt2 = _dt(rng)
        x2 = make_operand(rng, shape2, dt2)
        if rng.chance(0.15):
            scalar = rng.choice([0, 1, -3, 2.5, -0.0, float("nan"), float("inf"), True, 7, 2**70, 1j])
            return ((x1, scalar) if rng.chance(0.5) else (scalar, x1)), {}
        return (x1, x2), {}
    return build


def b_reduction(dtypes, extra=None):
    def build(rng):
        x = operand(rng, dtypes)
        kw = {}
        if rng.chance(0.8):
            kw["axis"] = random_axis(rng, x.np.ndim)
        if rng.chance(0.5):
            kw["keepdims"] = rng.chance(0.5)
        if extra:
            extra(rng, kw, x)
        return (x,), kw
    return build


def _extra_dtype(rng, kw, x):
    if rng.chance(0.3):
        kw["dtype"] = DT(_dt(rng, NUMERIC))


def _extra_correction(rng, kw, x):
    if rng.chance(0.4):
        kw["correction"] = rng.choice([0, 1, 0.5, 2, 100])


def b_cumulative(rng):
    x = operand(rng, NUMERIC + ["bool"])
    kw = {}
    if x.np.ndim != 1 or rng.chance(0.7):
        kw["axis"] = random_axis(rng, x.np.ndim, allow_none=x.np.ndim <= 1, allow_tuple=False)
    if rng.chance(0.3):
        kw["include_initial"] = rng.chance(0.5)
    _extra_dtype(rng, kw, x)
    return (x,), kw


def b_creation_shape(with_fill=False):
    def build(rng):
        shape = random_shape(rng)
        if rng.chance(0.5):
            shape = shape[0] if len(shape) == 1 and rng.chance(0.5) else shape
        args = [shape]
        if with_fill:
            args.append(rng.choice([0, 1, -1, 2.5, float("nan"), float("inf"), True, 2**70, 1j, -0.0]))
        kw = {}
        if rng.chance(0.6):
            kw["dtype"] = DT(_dt(rng))
        return tuple(args), kw
    return build


def b_like(with_fill=False):
    def build(rng):
        args = [operand(rng)]
        if with_fill:
            args.append(rng.choice([0, 1, -1, 2.5, float("nan"), True, 2**70, 1j]))
        kw = {}
        if rng.chance(0.5):
            kw["dtype"] = DT(_dt(rng))
        return tuple(args), kw
    return build


def b_arange(rng):
    nums = [0, 1, -3, 5, 10, 2.5, -0.5, 0.1, 1e6]
    args = [rng.choice(nums)]
    if rng.chance(0.7):
        args.append(rng.choice(nums))
    if rng.chance(0.5):
        args.append(rng.choice([1, 2, -1, 0.5, -2.5, 3]))
    kw = {}
    if rng.chance(0.4):
        kw["dtype"] = DT(_dt(rng, NUMERIC))
    return tuple(args), kw


def b_linspace(rng):
    nums = [0, 1, -3, 5, 2.5, 1e10, -0.0]
    args = (rng.choice(nums), rng.choice(nums), rng.choice([0, 1, 2, 5, 17]))
    kw = {}
    if rng.chance(0.4):
        kw["endpoint"] = rng.chance(0.5)
    if rng.chance(0.3):
        kw["dtype"] = DT(_dt(rng, FLOAT_NAMES))
    return args, kw


def b_eye(rng):
    args = [rng.randint(0, 6)]
    if rng.chance(0.5):
        args.append(rng.randint(0, 6))
    kw = {}
    if rng.chance(0.5):
        kw["k"] = rng.randint(-7, 7)
    if rng.chance(0.4):
        kw["dtype"] = DT(_dt(rng))
    return tuple(args), kw


def b_asarray(rng):
    r = rng.random()
    if r < 0.4:
        obj = operand(rng)
    elif r < 0.7:
        obj = rng.choice([[1, 2, 3], [[1.5, 2], [3, 4]], 3, 2.5, True, [], [[]], [1j, 2], [True, False],
                          [[1, 2], [3]], [2**63], [2**64], [-(2**63)], [1, 2.5], 1e400])
    else:
        obj = [operand(rng, shape=(2,)), operand(rng, shape=(2,))]  # a list of arrays
    kw = {}
    if rng.chance(0.5):
        kw["dtype"] = DT(_dt(rng))
    if rng.chance(0.3):
        kw["copy"] = rng.choice([True, False, None])
    return (obj,), kw


def b_tri(rng):
    x = operand(rng, ndim=rng.choice([2, 2, 3]))
    kw = {"k": rng.randint(-4, 4)} if rng.chance(0.6) else {}
    return (x,), kw


def b_meshgrid(rng):
    n = rng.randint(0, 3)
    dt = _dt(rng, NUMERIC)
    arrays = tuple(make_operand(rng, (rng.randint(0, 4),), dt) for _ in range(n))
    kw = {"indexing": rng.choice(["xy", "ij"])} if rng.chance(0.6) else {}
    return arrays, kw


def b_astype(rng):
    x = operand(rng)
    kw = {}
    if rng.chance(0.3):
        kw["copy"] = rng.chance(0.5)
    return (x, DT(_dt(rng))), kw


def b_can_cast(rng):
    a = DT(_dt(rng)) if rng.chance(0.7) else operand(rng)
    return (a, DT(_dt(rng))), {}


def b_finfo(rng):
    return (DT(_dt(rng)) if rng.chance(0.8) else operand(rng, FLOAT_NAMES),), {}


def b_isdtype(rng):
    kinds = ["bool", "signed integer", "unsigned integer", "integral", "real floating",
             "complex floating", "numeric"]
    kind = rng.choice(kinds)
    if rng.chance(0.2):
        kind = (kind, DT(_dt(rng)))
    return (DT(_dt(rng)), kind), {}


def b_result_type(rng):
    items = []
    for _ in range(rng.randint(1, 3)):
        r = rng.random()
        if r < 0.5:
            items.append(DT(_dt(rng)))
        elif r < 0.8:
            items.append(operand(rng, shape=(2,)))
        else:
            items.append(rng.choice([1, 2.5, True, 1j]))
    return tuple(items), {}


def b_take(rng):
    x = operand(rng, ndim=rng.choice([1, 1, 2, 3]))
    kw = {}
    if x.np.ndim != 1 or rng.chance(0.5):
        kw["axis"] = random_axis(rng, x.np.ndim, allow_none=False, allow_tuple=False)
    axis_len = x.np.shape[kw.get("axis", 0)] if x.np.ndim else 1
    lo, hi = (-axis_len, axis_len - 1) if axis_len else (0, 0)
    if rng.chance(0.1):
        lo, hi = -axis_len - 3, axis_len + 3
    n = rng.randint(0, 6)
    idx = np.array([rng.randint(lo, hi) for _ in range(n)], dtype=rng.choice(["int64", "int32", "uint8", "int8"]) if lo >= 0 else rng.choice(["int64", "int32", "int8"]))
    return (x, Operand(xp.asarray(idx), idx)), kw


def b_take_along_axis(rng):
    x = operand(rng, ndim=rng.choice([1, 2, 3]))
    axis = random_axis(rng, x.np.ndim, allow_none=False, allow_tuple=False)
    shape = list(x.np.shape)
    n = shape[axis] if shape else 0
    shape[axis] = rng.randint(0, 4)
    idx = np.array([rng.randint(-n, n - 1) if n else 0 for _ in range(int(np.prod(shape)))],
                   dtype=np.int64).reshape(shape)
    if rng.chance(0.1):
        idx[...] = n + 5
    return (x, Operand(xp.asarray(idx), idx)), {"axis": axis}


def b_matmul(rng):
    dt = _dt(rng, NUMERIC if rng.chance(0.9) else DTYPE_NAMES)
    k = rng.randint(0, 5)
    s1 = rng.choice([(k,), (rng.randint(0, 4), k), (rng.randint(1, 3), rng.randint(0, 4), k)])
    s2 = rng.choice([(k,), (k, rng.randint(0, 4)), (rng.randint(1, 3), k, rng.randint(0, 4))])
    if rng.chance(0.1):
        s2 = random_shape(rng)
    return (make_operand(rng, s1, dt), make_operand(rng, s2, rng.choice([dt, dt, _dt(rng)]))), {}


def b_tensordot(rng):
    dt = _dt(rng, NUMERIC)
    a = rng.randint(1, 4)
    b = rng.randint(0, 4)
    x1 = make_operand(rng, (rng.randint(1, 3), a, b), dt)
    x2 = make_operand(rng, (a, b, rng.randint(1, 3)) if rng.chance(0.8) else (b, a), dt)
    axes = rng.choice([0, 1, 2, ((1, 2), (0, 1)), ((1,), (0,)), 3, -1])
    if axes == 1:
        x2 = make_operand(rng, (b, rng.randint(0, 3)), dt)
    return (x1, x2), {"axes": axes}


def b_vecdot(rng):
    dt = _dt(rng, NUMERIC)
    shape = random_shape(rng, rng.randint(1, 3))
    x1 = make_operand(rng, shape, dt)
    x2 = make_operand(rng, broadcast_partner(rng, shape) or shape[-1:], dt)
    kw = {"axis": rng.randint(-len(shape), -1)} if rng.chance(0.4) else {}
    return (x1, x2), kw


def b_matrix_transpose(rng):
    return (operand(rng, ndim=rng.choice([0, 1, 2, 3])),), {}


def b_broadcast_arrays(rng):
    x = operand(rng)
    others = [make_operand(rng, broadcast_partner(rng, x.np.shape), x.np.dtype.name)
              for _ in range(rng.randint(0, 2))]
    return (x, *others), {}


def b_broadcast_shapes(rng):
    s = random_shape(rng)
    return (s, broadcast_partner(rng, s)), {}


def b_broadcast_to(rng):
    x = operand(rng)
    target = list(x.np.shape)
    if rng.chance(0.5):
        target = [rng.randint(1, 3)] + target
    target = [rng.randint(2, 3) if s == 1 and rng.chance(0.5) else s for s in target]
    if rng.chance(0.1):
        target = list(random_shape(rng))
    return (x, tuple(target)), {}


def b_concat(rng, stack=False):
    dt = _dt(rng)
    shape = random_shape(rng, rng.randint(0 if not stack else 0, 3))
    n = rng.randint(1, 3)
    arrays = []
    for _ in range(n):
        s = list(shape)
        if s and not stack and rng.chance(0.5):
            s[0] = rng.randint(0, 3)
        arrays.append(make_operand(rng, tuple(s), dt if rng.chance(0.8) else _dt(rng)))
    kw = {}
    if rng.chance(0.6):
        kw["axis"] = rng.choice([0, -1, None, 1]) if not stack else rng.randint(-len(shape) - 1, len(shape))
    return (arrays,), kw


def b_expand_dims(rng):
    x = operand(rng)
    return (x,), {"axis": rng.randint(-x.np.ndim - 1, x.np.ndim)}


def b_flip(rng):
    x = operand(rng)
    return (x,), ({"axis": random_axis(rng, x.np.ndim)} if rng.chance(0.6) else {})


def b_moveaxis(rng):
    x = operand(rng, ndim=rng.randint(1, 4))
    n = x.np.ndim
    return (x, rng.randint(-n, n - 1), rng.randint(-n, n - 1)), {}


def b_permute_dims(rng):
    x = operand(rng)
    axes = list(range(x.np.ndim))
    for i in range(len(axes) - 1, 0, -1):
        j = rng.randint(0, i)
        axes[i], axes[j] = axes[j], axes[i]
    return (x, tuple(axes)), {}


def b_repeat(rng):
    x = operand(rng)
    kw = {}
    if rng.chance(0.6) and x.np.ndim:
        kw["axis"] = rng.randint(-x.np.ndim, x.np.ndim - 1)
    n = x.np.shape[kw["axis"]] if "axis" in kw else x.np.size
    if rng.chance(0.6):
        reps = rng.randint(0, 3)
    else:
        r = np.array([rng.randint(0, 3) for _ in range(n)], dtype=np.int64)
        reps = Operand(xp.asarray(r), r)
    return (x, reps), kw


def b_reshape(rng):
    x = operand(rng)
    n = x.np.size
    r = rng.random()
    if r < 0.3:
        shape = (n,)
    elif r < 0.5:
        shape = (-1,)
    elif r < 0.7 and n:
        d = rng.choice([k for k in range(1, n + 1) if n % k == 0])
        shape = (d, -1) if rng.chance(0.5) else (d, n // d)
    else:
        shape = random_shape(rng)
    kw = {"copy": rng.choice([None, True, False])} if rng.chance(0.3) else {}
    return (x, shape), kw


def b_roll(rng):
    x = operand(rng)
    kw = {}
    if rng.chance(0.6) and x.np.ndim:
        kw["axis"] = random_axis(rng, x.np.ndim, allow_none=False, allow_tuple=False)
    shift = rng.randint(-7, 7)
    if rng.chance(0.2):
        shift = 2**62 + 3
    return (x, shift), kw


def b_squeeze(rng):
    x = operand(rng)
    ones = [i for i, s in enumerate(x.np.shape) if s == 1]
    axis = rng.choice(ones) if ones and rng.chance(0.8) else random_axis(rng, x.np.ndim, allow_none=False)
    return (x,), {"axis": axis}


def b_tile(rng):
    x = operand(rng)
    reps = tuple(rng.randint(0, 3) for _ in range(rng.randint(0, 4)))
    return (x, reps), {}


def b_unstack(rng):
    x = operand(rng, ndim=rng.randint(1, 3))
    return (x,), ({"axis": rng.randint(-x.np.ndim, x.np.ndim - 1)} if rng.chance(0.6) else {})


def b_arg_reduction(rng):
    x = operand(rng, NUMERIC)
    kw = {}
    if rng.chance(0.7):
        kw["axis"] = random_axis(rng, x.np.ndim, allow_tuple=False)
    if rng.chance(0.4):
        kw["keepdims"] = rng.chance(0.5)
    return (x,), kw


def b_nonzero(rng):
    return (operand(rng, ndim=rng.randint(1, 3)),), {}


def b_searchsorted(rng):
    dt = _dt(rng, NUMERIC if rng.chance(0.9) else DTYPE_NAMES)
    n = rng.randint(0, 9)
    v = np.sort(random_values(rng, dt, n))
    x1 = Operand(xp.asarray(v), v)
    x2 = make_operand(rng, random_shape(rng), dt)
    kw = {"side": rng.choice(["left", "right"])} if rng.chance(0.5) else {}
    return (x1, x2), kw


def b_where(rng):
    x1 = operand(rng)
    c = make_operand(rng, broadcast_partner(rng, x1.np.shape), "bool")
    x2 = make_operand(rng, broadcast_partner(rng, x1.np.shape), x1.np.dtype.name)
    if rng.chance(0.15):
        x2 = rng.choice([0, 1.5, True])
    return (c, x1, x2), {}


def b_isin(rng):
    dt = _dt(rng, NUMERIC)
    x1 = make_operand(rng, random_shape(rng), dt)
    x2 = make_operand(rng, random_shape(rng), dt)
    kw = {"invert": rng.chance(0.5)} if rng.chance(0.4) else {}
    return (x1, x2), kw


def b_unique(rng):
    return (operand(rng),), {}


def b_sort(rng):
    x = operand(rng, NUMERIC + ["bool"])
    kw = {}
    if rng.chance(0.6) and x.np.ndim:
        kw["axis"] = rng.randint(-x.np.ndim, x.np.ndim - 1)
    if rng.chance(0.5):
        kw["descending"] = rng.chance(0.5)
    if rng.chance(0.3):
        kw["stable"] = rng.chance(0.5)
    return (x,), kw


def b_diff(rng):
    x = operand(rng, ndim=rng.randint(1, 3))
    kw = {}
    if rng.chance(0.5):
        kw["axis"] = rng.randint(-x.np.ndim, x.np.ndim - 1)
    if rng.chance(0.5):
        kw["n"] = rng.randint(0, 3)
    if rng.chance(0.2):
        shape = list(x.np.shape)
        shape[kw.get("axis", -1)] = rng.randint(0, 2)
        kw[rng.choice(["prepend", "append"])] = make_operand(rng, tuple(shape), x.np.dtype.name)
    return (x,), kw


def b_clip(rng):
    x = operand(rng, NUMERIC)
    kw = {}
    for key in ("min", "max"):
        if rng.chance(0.6):
            kw[key] = rng.choice([0, 1, -2.5, 3, float("nan")]) if rng.chance(0.6) else \
                make_operand(rng, broadcast_partner(rng, x.np.shape), x.np.dtype.name)
    return (x,), kw


def b_square_matrix(dtypes=("float32", "float64"), spd=False, batch=True):
    def build(rng):
        n = rng.randint(0, 4)
        shape = (n, n)
        if batch and rng.chance(0.3):
            shape = (rng.randint(0, 2),) + shape
        if rng.chance(0.08):
            shape = random_shape(rng)
        dt = _dt(rng, list(dtypes))
        if spd and len(shape) >= 2 and shape[-1] == shape[-2]:
            a = random_values(rng, dt, int(np.prod(shape))).reshape(shape)
            with np.errstate(all="ignore"):
                a = np.nan_to_num(a, nan=1.0, posinf=1.0, neginf=-1.0)
                a = np.clip(a.real if np.iscomplexobj(a) else a, -4, 4).astype(dt)
                a = (a @ np.swapaxes(a, -1, -2).conj() + 3 * np.eye(shape[-1], dtype=dt)).astype(dt)
            return (Operand(xp.asarray(a), a),), {}
        return (make_operand(rng, shape, dt),), {}
    return build


def with_kw(builder, **choices):
    def build(rng):
        args, kw = builder(rng)
        for key, values in choices.items():
            if rng.chance(0.5):
                kw[key] = rng.choice(values)
        return args, kw
    return build


def b_matrix_power(rng):
    (x,), _ = b_square_matrix()(rng)
    return (x, rng.randint(-2, 3)), {}


def b_solve(rng):
    (x,), _ = b_square_matrix(spd=True)(rng)
    n = x.np.shape[-1] if x.np.ndim else 0
    b = make_operand(rng, rng.choice([(n,), (n, rng.randint(0, 3))]), x.np.dtype.name)
    return (x, b), {}


def b_cross(rng):
    dt = _dt(rng, NUMERIC)
    shape = rng.choice([(3,), (2, 3), (3, 2), (4,)])
    x1 = make_operand(rng, shape, dt)
    x2 = make_operand(rng, shape if rng.chance(0.8) else (3,), dt)
    kw = {"axis": rng.choice([-1, 0, -2, 1])} if rng.chance(0.4) else {}
    return (x1, x2), kw


def b_outer(rng):
    dt = _dt(rng, NUMERIC)
    return (make_operand(rng, (rng.randint(0, 4),), dt), make_operand(rng, (rng.randint(0, 4),), dt)), {}


def b_trace(rng):
    x = operand(rng, NUMERIC, ndim=rng.choice([2, 2, 3]))
    kw = {}
    if rng.chance(0.5):
        kw["offset"] = rng.randint(-3, 3)
    return (x,), kw


def b_vector_norm(rng):
    x = operand(rng, FLOAT_NAMES)
    kw = {}
    if rng.chance(0.6):
        kw["axis"] = random_axis(rng, x.np.ndim)
    if rng.chance(0.5):
        kw["ord"] = rng.choice([1, 2, 3, 0, float("inf"), -float("inf"), -1, 0.5])
    if rng.chance(0.3):
        kw["keepdims"] = rng.chance(0.5)
    return (x,), kw


def b_fft(real_input):
    def build(rng):
        x = operand(rng, REAL_FLOAT if real_input else FLOAT_NAMES, ndim=rng.randint(1, 2))
        kw = {}
        if rng.chance(0.4):
            kw["n"] = rng.randint(1, 9)
        if rng.chance(0.3):
            kw["axis"] = rng.randint(-x.np.ndim, x.np.ndim - 1)
        if rng.chance(0.4):
            kw["norm"] = rng.choice(["backward", "ortho", "forward"])
        return (x,), kw
    return build


def b_fftn(real_input):
    def build(rng):
        x = operand(rng, REAL_FLOAT if real_input else FLOAT_NAMES, ndim=rng.randint(1, 3))
        kw = {}
        if rng.chance(0.4):
            k = rng.randint(1, x.np.ndim)
            kw["axes"] = tuple(range(x.np.ndim))[-k:]
            if rng.chance(0.5):
                kw["s"] = tuple(rng.randint(1, 6) for _ in range(k))
        if rng.chance(0.4):
            kw["norm"] = rng.choice(["backward", "ortho", "forward"])
        return (x,), kw
    return build


def b_fftfreq(rng):
    kw = {}
    if rng.chance(0.5):
        kw["d"] = rng.choice([1.0, 0.5, 2, 1e-3])
    if rng.chance(0.3):
        kw["dtype"] = DT(_dt(rng, FLOAT_NAMES))
    return (rng.randint(1, 12),), kw


def b_fftshift(rng):
    x = operand(rng)
    kw = {}
    if rng.chance(0.5) and x.np.ndim:
        kw["axes"] = rng.choice([rng.randint(0, x.np.ndim - 1), tuple(range(x.np.ndim))])
    return (x,), kw


def b_nn_unary(rng):
    return (operand(rng, REAL_FLOAT),), {}


def b_nn_gelu(rng):
    return (operand(rng, REAL_FLOAT),), ({"approximate": rng.choice(["none", "tanh"])} if rng.chance(0.6) else {})


def b_nn_softmax(rng):
    x = operand(rng, REAL_FLOAT)
    kw = {}
    if rng.chance(0.5) and x.np.ndim:
        kw["axis"] = rng.randint(-x.np.ndim, x.np.ndim - 1)
    return (x,), kw


def b_nn_ternary(rng):
    dt = _dt(rng, REAL_FLOAT)
    x = make_operand(rng, random_shape(rng), dt)
    out = [x]
    for _ in range(2):
        if rng.chance(0.2):
            out.append(rng.choice([0.0, 1.0, 0.25, 2.0]))
        else:
            out.append(make_operand(rng, broadcast_partner(rng, x.np.shape), dt))
    return tuple(out), {}


def b_nn_norm(rng):
    x = operand(rng, REAL_FLOAT)
    kw = {}
    if rng.chance(0.6):
        kw["axis"] = random_axis(rng, x.np.ndim)
    if rng.chance(0.3):
        kw["keepdims"] = rng.chance(0.5)
    return (x,), kw


UNARY_ANY = ["abs", "negative", "positive", "sign", "square"]
UNARY_REAL = ["ceil", "floor", "round", "trunc", "signbit"]
UNARY_TRANSCENDENTAL = ["acos", "acosh", "asin", "asinh", "atan", "atanh", "cos", "cosh", "exp",
                        "expm1", "log", "log1p", "log2", "log10", "sin", "sinh", "sqrt", "tan",
                        "tanh", "reciprocal"]
UNARY_COMPLEX_OK = ["conj", "real", "imag", "isfinite", "isinf", "isnan"]
BINARY_ARITH = ["add", "subtract", "multiply", "divide", "pow", "floor_divide", "remainder",
                "maximum", "minimum", "equal", "not_equal", "less", "less_equal", "greater",
                "greater_equal"]
BINARY_REAL_FLOAT = ["atan2", "copysign", "hypot", "logaddexp", "nextafter"]
BINARY_INT = ["bitwise_and", "bitwise_or", "bitwise_xor", "bitwise_left_shift", "bitwise_right_shift"]
BINARY_BOOL = ["logical_and", "logical_or", "logical_xor"]
TRANSCENDENTAL = set(UNARY_TRANSCENDENTAL) | {"pow", "atan2", "hypot", "logaddexp", "divide"}

BUILDERS = {}
for _n in UNARY_ANY + UNARY_COMPLEX_OK:
    BUILDERS[_n] = b_unary(DTYPE_NAMES)
for _n in UNARY_REAL:
    BUILDERS[_n] = b_unary(DTYPE_NAMES)
for _n in UNARY_TRANSCENDENTAL:
    BUILDERS[_n] = b_unary(DTYPE_NAMES)
for _n in BINARY_ARITH:
    BUILDERS[_n] = b_binary(NUMERIC)
for _n in BINARY_REAL_FLOAT:
    BUILDERS[_n] = b_binary(REAL_FLOAT)
for _n in BINARY_INT:
    BUILDERS[_n] = b_binary(INT_NAMES)
for _n in BINARY_BOOL:
    BUILDERS[_n] = b_binary(["bool"])
BUILDERS.update({
    "bitwise_invert": b_unary(INT_NAMES + ["bool"]),
    "logical_not": b_unary(["bool"]),
    "clip": b_clip,
    "arange": b_arange, "asarray": b_asarray, "linspace": b_linspace, "eye": b_eye,
    "empty": b_creation_shape(), "zeros": b_creation_shape(), "ones": b_creation_shape(),
    "full": b_creation_shape(with_fill=True),
    "empty_like": b_like(), "zeros_like": b_like(), "ones_like": b_like(),
    "full_like": b_like(with_fill=True),
    "from_dlpack": b_unary(DTYPE_NAMES),
    "meshgrid": b_meshgrid, "tril": b_tri, "triu": b_tri,
    "astype": b_astype, "can_cast": b_can_cast, "finfo": b_finfo,
    "iinfo": lambda rng: ((DT(_dt(rng)) if rng.chance(0.8) else operand(rng, INT_NAMES),), {}),
    "isdtype": b_isdtype, "result_type": b_result_type,
    "take": b_take, "take_along_axis": b_take_along_axis,
    "__array_namespace_info__": lambda rng: ((), {}),
    "matmul": b_matmul, "matrix_transpose": b_matrix_transpose, "tensordot": b_tensordot,
    "vecdot": b_vecdot,
    "broadcast_arrays": b_broadcast_arrays, "broadcast_shapes": b_broadcast_shapes,
    "broadcast_to": b_broadcast_to, "concat": b_concat,
    "stack": lambda rng: b_concat(rng, stack=True),
    "expand_dims": b_expand_dims, "flip": b_flip, "moveaxis": b_moveaxis,
    "permute_dims": b_permute_dims, "repeat": b_repeat, "reshape": b_reshape, "roll": b_roll,
    "squeeze": b_squeeze, "tile": b_tile, "unstack": b_unstack,
    "argmax": b_arg_reduction, "argmin": b_arg_reduction,
    "count_nonzero": b_reduction(DTYPE_NAMES), "nonzero": b_nonzero,
    "searchsorted": b_searchsorted, "where": b_where,
    "isin": b_isin, "unique_all": b_unique, "unique_counts": b_unique,
    "unique_inverse": b_unique, "unique_values": b_unique,
    "argsort": b_sort, "sort": b_sort,
    "cumulative_prod": b_cumulative, "cumulative_sum": b_cumulative,
    "max": b_reduction(NUMERIC), "min": b_reduction(NUMERIC),
    "mean": b_reduction(FLOAT_NAMES + ["int32"]),
    "prod": b_reduction(NUMERIC + ["bool"], _extra_dtype),
    "sum": b_reduction(NUMERIC + ["bool"], _extra_dtype),
    "std": b_reduction(REAL_FLOAT + ["complex64"], _extra_correction),
    "var": b_reduction(REAL_FLOAT + ["complex64"], _extra_correction),
    "all": b_reduction(DTYPE_NAMES), "any": b_reduction(DTYPE_NAMES),
    "diff": b_diff,
    "linalg.cholesky": with_kw(b_square_matrix(FLOAT_NAMES, spd=True), upper=[True, False]),
    "linalg.cross": b_cross,
    "linalg.det": b_square_matrix(FLOAT_NAMES),
    "linalg.diagonal": lambda rng: ((operand(rng, ndim=rng.choice([2, 3])),),
                                    {"offset": rng.randint(-3, 3)} if rng.chance(0.5) else {}),
    "linalg.eig": b_square_matrix(), "linalg.eigvals": b_square_matrix(),
    "linalg.eigh": b_square_matrix(spd=True), "linalg.eigvalsh": b_square_matrix(spd=True),
    "linalg.inv": b_square_matrix(spd=True),
    "linalg.matmul": b_matmul,
    "linalg.matrix_norm": with_kw(b_square_matrix(), keepdims=[True, False],
                                  ord=["fro", "nuc", 1, 2, -1, -2, float("inf"), -float("inf"), 3]),
    "linalg.matrix_power": b_matrix_power,
    "linalg.matrix_rank": b_square_matrix(),
    "linalg.matrix_transpose": b_matrix_transpose,
    "linalg.outer": b_outer,
    "linalg.pinv": b_square_matrix(),
    "linalg.qr": with_kw(b_square_matrix(), mode=["reduced", "complete", "r"]),
    "linalg.slogdet": b_square_matrix(),
    "linalg.solve": b_solve,
    "linalg.svd": with_kw(b_square_matrix(), full_matrices=[True, False]),
    "linalg.svdvals": b_square_matrix(),
    "linalg.tensordot": b_tensordot,
    "linalg.trace": b_trace,
    "linalg.vecdot": b_vecdot,
    "linalg.vector_norm": b_vector_norm,
    "fft.fft": b_fft(False), "fft.ifft": b_fft(False), "fft.hfft": b_fft(False),
    "fft.irfft": b_fft(False), "fft.rfft": b_fft(True), "fft.ihfft": b_fft(True),
    "fft.fftn": b_fftn(False), "fft.ifftn": b_fftn(False), "fft.irfftn": b_fftn(False),
    "fft.rfftn": b_fftn(True),
    "fft.fftfreq": b_fftfreq, "fft.rfftfreq": b_fftfreq,
    "fft.fftshift": b_fftshift, "fft.ifftshift": b_fftshift,
    "nn.relu": b_nn_unary, "nn.sigmoid": b_nn_unary, "nn.silu": b_nn_unary,
    "nn.swish": b_nn_unary, "nn.gelu": b_nn_gelu,
    "nn.softmax": b_nn_softmax, "nn.log_softmax": b_nn_softmax,
    "nn.lerp": b_nn_ternary, "nn.fma": b_nn_ternary,
    "nn.norm_l1": b_nn_norm, "nn.norm_l2": b_nn_norm, "nn.norm_linf": b_nn_norm,
})


# ------------------------------------------------------------ nn references

def _erf(x):
    return np.vectorize(math.erf, otypes=[np.float64])(x)


def _np_softmax(x, axis=-1):
    if x.ndim == 0:  # one row of length 1 (PyTorch's rule)
        return _np_softmax(x.reshape(1)).reshape(())
    m = np.max(x, axis=axis, keepdims=True) if x.size else x
    e = np.exp(x - m)
    return e / np.sum(e, axis=axis, keepdims=True)


def _np_log_softmax(x, axis=-1):
    if x.ndim == 0:
        return _np_log_softmax(x.reshape(1)).reshape(())
    m = np.max(x, axis=axis, keepdims=True) if x.size else x
    return (x - m) - np.log(np.sum(np.exp(x - m), axis=axis, keepdims=True))


def _np_norm(p):
    def norm(x, axis=None, keepdims=False):
        # float64 sums; norm_l2 scaled by the largest |x| (a finite, nonzero
        # one), as trueno's never overflows where the norm does not
        a = np.abs(x.astype(np.float64))
        if p == 1:
            r = np.sum(a, axis=axis, keepdims=keepdims)
        elif p == 2:
            m = np.max(a, axis=axis, keepdims=True, initial=0.0)
            s = np.where((m > 0) & np.isfinite(m), m, 1.0)
            with np.errstate(all="ignore"):
                r = s * np.sqrt(np.sum((a / s) ** 2, axis=axis, keepdims=True))
            if not keepdims:
                r = r.reshape(np.sum(a, axis=axis).shape)
        else:
            r = np.max(a, axis=axis, keepdims=keepdims, initial=0.0)
        return np.asarray(r).astype(x.dtype)
    return norm


def _np_silu(x):
    return np.where(x == -np.inf, -0.0, x / (1 + np.exp(-x)))


def _result_dtype(args):
    """The dtype of an nn function's result: the arrays' promoted dtype (a Python scalar does not count)."""
    return np.result_type(*[a for a in args if isinstance(a, np.ndarray)])


def _np_fma(a, b, c):
    dt = _result_dtype((a, b, c))
    wide = [np.asarray(v, dtype=np.longdouble) for v in (a, b, c)]
    return np.asarray(wide[0] * wide[1] + wide[2]).astype(dt)


def _nn_ref(name):
    def cast(f):
        def g(*args, **kw):
            dt = _result_dtype(args)
            wide = [a.astype(np.float64) if isinstance(a, np.ndarray) else a for a in args]
            return np.asarray(f(*wide, **kw)).astype(dt)
        return g
    refs = {
        "relu": cast(lambda x: np.where(np.isnan(x), x, np.maximum(x, 0))),
        "sigmoid": cast(lambda x: 1 / (1 + np.exp(-x))),
        "silu": cast(_np_silu),
        "swish": cast(_np_silu),
        "gelu": cast(lambda x, approximate="none": np.where(x == -np.inf, -0.0, (
                     0.5 * x * (1 + _erf(x / math.sqrt(2))) if approximate == "none" else
                     0.5 * x * (1 + np.tanh(math.sqrt(2 / math.pi) * (x + 0.044715 * x**3)))))),
        "softmax": cast(_np_softmax),
        "log_softmax": cast(_np_log_softmax),
        "lerp": cast(lambda a, b, t: a + t * (b - a)),
        "fma": _np_fma,
        "norm_l1": _np_norm(1), "norm_l2": _np_norm(2), "norm_linf": _np_norm(np.inf),
    }
    return refs[name]


# ------------------------------------------------------------ array methods

BINARY_OPS = ["__add__", "__sub__", "__mul__", "__truediv__", "__floordiv__", "__mod__", "__pow__",
              "__and__", "__or__", "__xor__", "__lshift__", "__rshift__", "__matmul__",
              "__eq__", "__ne__", "__lt__", "__le__", "__gt__", "__ge__",
              "__radd__", "__rsub__", "__rmul__", "__rtruediv__", "__rfloordiv__", "__rmod__",
              "__rpow__", "__rand__", "__ror__", "__rxor__", "__rlshift__", "__rrshift__",
              "__rmatmul__"]
INPLACE_OPS = ["__iadd__", "__isub__", "__imul__", "__itruediv__", "__ifloordiv__", "__imod__",
               "__ipow__", "__iand__", "__ior__", "__ixor__", "__ilshift__", "__irshift__",
               "__imatmul__"]
UNARY_OPS = ["__neg__", "__pos__", "__abs__", "__invert__"]
SCALAR_CONVERSIONS = ["__bool__", "__int__", "__float__", "__complex__", "__index__", "item"]
METHODS = (["op:" + n for n in BINARY_OPS + INPLACE_OPS + UNARY_OPS]
           + ["conv:" + n for n in SCALAR_CONVERSIONS]
           + ["method:getitem", "method:setitem", "method:len", "method:iter", "method:tolist",
              "method:T", "method:mT", "method:to_device", "method:dlpack", "method:array",
              "method:memoryview", "method:attributes", "method:repr"])


def random_index_item(rng, n):
    r = rng.random()
    if r < 0.35:
        lo, hi = (-n, n - 1) if n else (0, 0)
        if rng.chance(0.15) or not n:
            return rng.choice([n, -n - 1, 2**63 - 1, -(2**63), 2**64, n + 5])
        return rng.randint(lo, hi)
    if r < 0.7:
        vals = [None, 0, 1, -1, 2, -2, n, -n, n + 3, 2**62, -(2**62)]
        step = rng.choice([None, 1, 2, -1, -2, 3, 0] if rng.chance(0.95) else [2**63 - 1, -(2**63)])
        return slice(rng.choice(vals), rng.choice(vals), step)
    if r < 0.8:
        idx = np.array([rng.randint(-n, n - 1) if n and rng.chance(0.95) else n + 1
                        for _ in range(rng.randint(0, 4))], dtype=np.int64)
        return ("intarray", idx)
    if r < 0.85:
        return None
    if r < 0.9:
        return Ellipsis
    return rng.choice([1.5, "a", [0, 1], True, (1,)])


def random_index(rng, shape):
    if shape and rng.chance(0.1):
        mask = random_values(rng, "bool", int(np.prod(shape))).reshape(shape)
        k = rng.randint(1, len(shape))
        if rng.chance(0.3) and all(shape[: len(shape) - k]):
            mask = mask[(0,) * (len(shape) - k)]  # a mask over the leading axes only
        return ("boolmask", mask)
    if rng.chance(0.3):
        return random_index_item(rng, shape[0] if shape else 0)
    items = []
    dims = list(shape) + [0] * rng.choice([0, 0, 0, 1])
    for d in dims[: rng.randint(0, len(dims))]:
        items.append(random_index_item(rng, d))
    return tuple(items)


def index_pair(idx):
    """(trueno key, numpy key) from a generated key."""
    def one(k):
        if isinstance(k, tuple) and len(k) == 2 and k[0] in ("intarray", "boolmask"):
            return xp.asarray(k[1]), k[1]
        if isinstance(k, tuple):
            pairs = [one(i) for i in k]
            return tuple(p[0] for p in pairs), tuple(p[1] for p in pairs)
        return k, k
    return one(idx)


def build_method(rng, which):
    kind, name = which.split(":")
    if kind == "op":
        if name in UNARY_OPS:
            return b_unary(DTYPE_NAMES)(rng)
        if name in ("__matmul__", "__rmatmul__", "__imatmul__"):
            return b_matmul(rng)
        dtypes = INT_NAMES + ["bool"] if any(s in name for s in ("and", "or", "xor", "shift")) else NUMERIC
        args, kw = b_binary(dtypes)(rng)
        if not isinstance(args[0], Operand):
            args = args[::-1]
        return args, kw
    if kind == "conv":
        shape = rng.choice([(), (), (1,), (1, 1), (2,), (0,)])
        return (make_operand(rng, shape, _dt(rng)),), {}
    x = operand(rng)
    if name == "getitem":
        return (x, random_index(rng, x.np.shape)), {}
    if name == "setitem":
        key = random_index(rng, x.np.shape)
        if rng.chance(0.5):
            value = rng.choice([0, 1, -1, 2.5, True, float("nan"), 2**70, 1j])
        else:
            value = make_operand(rng, rng.choice([(), (1,), x.np.shape[-1:], random_shape(rng)]),
                                 x.np.dtype.name if rng.chance(0.7) else _dt(rng))
        return (x, key, value), {}
    if name == "to_device":
        return (x, rng.choice(["cpu", xp.Device("cpu") if hasattr(xp, "Device") else "cpu", "gpu:3", None, 7])), {}
    return (x,), {}


# --------------------------------------------------------------- comparison

class Finding(Exception):
    def __init__(self, verdict, detail):
        super().__init__(detail)
        self.verdict = verdict
        self.detail = detail


def dtype_name(d):
    n = getattr(d, "name", None)
    if isinstance(n, str):
        return n
    s = str(d)
    return s.rsplit(".", 1)[-1]


def to_numpy(obj):
    """A trueno or strict array as a NumPy array (trueno through DLPack-free
    __array__, checked against tolist for small arrays elsewhere)."""
    if isinstance(obj, xp.Array):
        return np.asarray(obj)
    if isinstance(obj, StrictArray):
        return np.asarray(obj._array)
    return np.asarray(obj)


UNORDERED = {"unique_all", "unique_counts", "unique_inverse", "unique_values"}
VALUE_FREE = {"empty", "empty_like", "linalg.eig", "linalg.eigvals", "linalg.qr", "linalg.svd",
              "linalg.eigh"}


OPERATOR_NAMES = {"__matmul__": "matmul", "__rmatmul__": "matmul", "__imatmul__": "matmul",
                  "__pow__": "pow", "__rpow__": "pow", "__ipow__": "pow",
                  "__truediv__": "divide", "__rtruediv__": "divide", "__itruediv__": "divide",
                  "__floordiv__": "floor_divide", "__rfloordiv__": "floor_divide",
                  "__ifloordiv__": "floor_divide", "__mod__": "remainder", "__rmod__": "remainder",
                  "__imod__": "remainder"}


def tolerance(name, dtype):
    name = OPERATOR_NAMES.get(name.split(":")[-1], name)
    d = np.dtype(dtype)
    if d.kind not in "fc":
        return 0.0, 0.0
    eps = np.finfo(d).eps
    if name.startswith(("linalg.", "fft.")) or name in ("matmul", "tensordot", "vecdot", "__matmul__",
                                                          "__rmatmul__", "__imatmul__", "std", "var",
                                                          "mean", "sum", "prod", "cumulative_sum",
                                                          "cumulative_prod", "nn.softmax",
                                                          "nn.log_softmax", "nn.norm_l1", "nn.norm_l2"):
        return 2000 * eps, 2000 * eps
    if name in TRANSCENDENTAL or name.startswith("nn.") or "pow" in name or "truediv" in name:
        return 64 * eps, 8 * eps
    return 4 * eps, 0.0


def undefined_mask(name, np_args, result_shape, target_dtype=None):
    """Elements whose value the spec leaves undefined (integer division by
    zero, shifts past the width, float->int casts of non-finite or
    out-of-range values): not compared."""
    base = name.replace("__r", "__").replace("__i", "__")
    arrays = [a for a in np_args if isinstance(a, np.ndarray)]
    if base in ("floor_divide", "remainder", "__floordiv__", "__mod__") and len(np_args) >= 2:
        x2 = np.asarray(np_args[1] if not name.startswith("__r") else np_args[0])
        x1 = np.asarray(np_args[0] if not name.startswith("__r") else np_args[1])
        if "f" in (x1.dtype.kind, x2.dtype.kind) and base in ("floor_divide", "__floordiv__"):
            # the spec's floor_divide(x, -inf) is -0 and floor_divide(inf, 7)
            # is inf (its division special cases); NumPy follows Python's //
            # and gives -1 and nan (the second with a Python int divisor too)
            return np.broadcast_to(np.isinf(x2) | np.isinf(x1), result_shape)
        if x2.dtype.kind in "iub" and x1.dtype.kind in "iub":
            with np.errstate(all="ignore"):
                bad = (x2 == 0)
                if x1.dtype.kind == "i":
                    bad = bad | ((x2 == -1) & (x1 == np.iinfo(x1.dtype).min))
            return np.broadcast_to(bad, result_shape)
    if base in ("bitwise_left_shift", "bitwise_right_shift", "__lshift__", "__rshift__") and len(np_args) >= 2:
        x1 = np.asarray(np_args[0] if not name.startswith("__r") else np_args[1])
        x2 = np.asarray(np_args[1] if not name.startswith("__r") else np_args[0])
        if x2.dtype.kind in "iu":
            bits = 8 * max(x1.dtype.itemsize, x2.dtype.itemsize)
            return np.broadcast_to((x2 < 0) | (x2 >= bits), result_shape)
    if base in ("pow", "__pow__") and len(np_args) >= 2:
        x2 = np.asarray(np_args[1] if not name.startswith("__r") else np_args[0])
        if x2.dtype.kind in "iu":
            return np.broadcast_to(x2 < 0, result_shape)
    if name in ("astype", "asarray", "full", "full_like") and arrays and target_dtype is not None:
        x = arrays[0]
        if x.dtype.kind in "fc" and target_dtype.kind in "iub":
            # float -> integer casts of values the integer cannot hold
            info = np.iinfo(target_dtype) if target_dtype.kind != "b" else None
            with np.errstate(all="ignore"):
                bad = ~np.isfinite(x)
                if info is not None:
                    bad = bad | (x.real < info.min) | (x.real > info.max)
            return np.broadcast_to(bad, result_shape)
    if base in ("abs", "__abs__", "negative", "__neg__", "sign") and arrays and arrays[0].dtype.kind == "i":
        return np.broadcast_to(arrays[0] == np.iinfo(arrays[0].dtype).min, result_shape)
    return None


def values_undefined(name, np_args, result_dtype):
    """Calls whose values the spec leaves to the implementation."""
    arrays = [a for a in np_args if isinstance(a, np.ndarray)]
    if name == "arange" and result_dtype.kind in "iu" and any(isinstance(a, float) for a in np_args):
        return True  # float bounds or step, integer dtype: NumPy's own rounding
    if (name in ("sum", "prod", "cumulative_sum", "cumulative_prod", "linalg.trace")
            and result_dtype.kind in "iu" and any(a.dtype.kind in "fc" for a in arrays)):
        # float -> integer conversion inside (sum(x, dtype=int8) ...): the
        # spec leaves values the integer cannot hold undefined
        return True
    if name == "linspace" and not all(np.isfinite(complex(a)) for a in np_args[:2]
                                      if isinstance(a, (int, float, complex))):
        return True  # non-finite bounds
    if name == "searchsorted" and arrays and not np.all(arrays[0][:-1] <= arrays[0][1:]):
        return True  # x1 not sorted (a mutated call): any answer will do
    if name in ("sum", "mean", "var", "std", "cumulative_sum", "linalg.vector_norm", "vecdot",
                "matmul", "linalg.matmul", "tensordot", "linalg.tensordot"):
        # sums that overflow part-way: whether they come back finite depends
        # on the order of the additions
        for a in arrays:
            if a.dtype.kind in "fc" and a.size:
                finite = np.abs(a[np.isfinite(a)])
                if finite.size and finite.max() > np.finfo(a.dtype).max / max(a.size, 2) / 4:
                    return True
        # and products of two finite factors that overflow: a fused
        # multiply-add (BLAS) keeps inf + (-4e38) at inf, a rounded product
        # makes it inf - inf = NaN (seed 777, call 139806: trueno inf, NumPy NaN)
        if len(arrays) >= 2 and all(a.dtype.kind in "fc" and a.size for a in arrays[:2]):
            peaks = [np.abs(a[np.isfinite(a)]).max(initial=0.0) for a in arrays[:2]]
            big = np.finfo(np.result_type(*arrays[:2])).max / max(arrays[0].size, arrays[1].size, 2) / 4
            with np.errstate(over="ignore"):
                if float(peaks[0]) * float(peaks[1]) > big:
                    return True
    if name in ("linalg.vector_norm", "linalg.matrix_norm") and arrays and arrays[0].dtype.kind in "fc":
        # trueno's norms scale where powers of |x| leave the range; NumPy's do
        # not, so its answer is the inaccurate one (0 for [[1e-310]])
        a = np.abs(arrays[0][np.isfinite(arrays[0])])
        info = np.finfo(arrays[0].dtype)
        if a.size and (a.max() > float(info.max) ** 0.25
                       or a[a > 0].min(initial=np.inf) < float(info.smallest_normal) ** 0.25):
            return True
    if name in ("prod", "cumulative_prod") and arrays and result_dtype.kind in "fc":
        # products that may leave float64's range part-way (float32 and
        # complex64 are multiplied in float64 and complex128, on both sides):
        # whether they come back finite depends on the order of the
        # multiplications, which is trueno's vector lanes, not NumPy's sequence
        a = np.abs(arrays[0][np.isfinite(arrays[0])])
        with np.errstate(divide="ignore"):
            logs = np.log2(a[a > 0].astype(np.float64))
        if logs[logs > 0].sum() > 1000 or logs[logs < 0].sum() < -1000:
            return True
    if name == "clip" and len({a.dtype for a in arrays}) > 1:
        return True  # bounds of another dtype than x: unspecified
    if name.startswith("linalg.") and name not in ("linalg.diagonal", "linalg.matrix_transpose",
                                                   "linalg.outer", "linalg.cross", "linalg.trace"):
        # decompositions of matrices with infinities or values near the
        # overflow threshold: LAPACK's answer is not a reference
        for a in arrays:
            if a.dtype.kind in "fc" and a.size:
                big = 1e18 if a.dtype in (np.float32, np.complex64) else 1e150
                if not np.all(np.isfinite(a)) or np.max(np.abs(a)) > big:
                    return True
    return False


HUGE_VIEW = 10**7

# Results whose error grows with the matrix's condition number: trueno's own
# LU (m <= 16) and LAPACK's blocked one round differently, and at cond 1e22
# both are a millionth off the exact determinant (mpmath), each its own way.
CONDITION_BOUND = {"linalg.det", "linalg.slogdet", "linalg.inv", "linalg.solve", "linalg.pinv",
                   "linalg.matrix_power", "linalg.cholesky", "linalg.eigvalsh", "linalg.svdvals"}


def near_overflow(np_args, dtype):
    """Whether a sum of all the inputs' elements could overflow `dtype`."""
    biggest = np.finfo(dtype).max
    for a in np_args:
        if isinstance(a, np.ndarray) and a.size and a.dtype.kind in "fc":
            finite = np.abs(a[np.isfinite(a)])
            if finite.size and float(np.max(finite)) * a.size * 4 > biggest:
                return True
    return False


def condition(np_args):
    """The largest 2-norm condition number of the matrices among the inputs."""
    worst = 1.0
    for a in np_args:
        if isinstance(a, np.ndarray) and a.ndim >= 2 and a.size and a.dtype.kind in "fc" \
                and np.isfinite(a).all():
            with np.errstate(all="ignore"):
                c = np.linalg.cond(a.astype(np.complex128 if a.dtype.kind == "c" else np.float64))
            c = np.where(np.isfinite(c), c, np.inf)
            worst = max(worst, float(np.max(c)))
    return worst


def compare_arrays(name, got, want, np_args, check_dtype=True):
    if got.size > HUGE_VIEW:  # broadcast views: compare what they claim, not every element
        if tuple(got.shape) != tuple(want.shape):
            raise Finding("mismatch", f"shape {got.shape}, oracle {want.shape}")
        return
    g = to_numpy(got)
    w = to_numpy(want)
    if tuple(got.shape) != tuple(g.shape):
        raise Finding("garbage", f"shape attribute {got.shape} but data of shape {g.shape}")
    if g.shape != w.shape:
        raise Finding("mismatch", f"shape {g.shape}, oracle {w.shape}")
    if check_dtype and dtype_name(got.dtype) != dtype_name(want.dtype):
        raise Finding("mismatch", f"dtype {dtype_name(got.dtype)}, oracle {dtype_name(want.dtype)}")
    if name in VALUE_FREE or g.size == 0 or values_undefined(name, np_args, g.dtype):
        return
    # a view of foreign bools keeps their bytes (2 is True too): compare truth
    if g.dtype == np.bool_:
        g = g.view(np.uint8) != 0
    if w.dtype == np.bool_:
        w = w.view(np.uint8) != 0
    inputs = [a for a in np_args if isinstance(a, np.ndarray)]
    if name.startswith("fft.") and inputs and all(a.size == 0 for a in inputs):
        # NumPy zero-pads an empty axis with uninitialised memory; the
        # spec's zero padding gives zeros
        w = np.zeros_like(w)
    mask = undefined_mask(name, np_args, g.shape, w.dtype)
    if mask is not None:
        g = np.where(mask, 0, g)
        w = np.where(mask, 0, w)
    if g.dtype.kind in "fc" or w.dtype.kind in "fc":
        float_dtype = w.dtype if w.dtype.kind in "fc" else g.dtype
        rtol, atol = tolerance(name, float_dtype)
        if atol:
            finite = w[np.isfinite(w)]
            atol = atol * (float(np.max(np.abs(finite))) if finite.size else 1.0)
            # sums of inputs: scale by the inputs too
            ins = [a for a in np_args if isinstance(a, np.ndarray) and a.dtype.kind in "fc" and a.size]
            if ins and name not in TRANSCENDENTAL:
                fin = [np.abs(a[np.isfinite(a)]) for a in ins]
                mags = [float(np.max(f)) for f in fin if f.size]
                if mags:
                    atol = max(atol, tolerance(name, w.dtype)[1] * max(mags) * max(1, g.size))
        if name in CONDITION_BOUND:
            rtol = min(1.0, max(rtol, 16 * condition(np_args) * float(np.finfo(float_dtype).eps)))
        # a few units in the last place of a subnormal result
        atol = max(atol, 4 * float(np.finfo(float_dtype).smallest_subnormal))
        with np.errstate(all="ignore"):
            ok = np.isclose(g, w, rtol=rtol, atol=atol, equal_nan=True)
            if g.dtype.kind == "c" or w.dtype.kind == "c":
                # complex infinities and NaNs: C99 Annex G and NumPy disagree
                # on which a product of non-finite values is
                ok = ok | (~np.isfinite(g) & ~np.isfinite(w))
            if name in ("prod", "cumulative_prod", "linalg.matrix_power"):
                # inf * 0 meets in an order-dependent place: NaN or +-inf (a
                # matrix power that overflows: which products overflow first
                # is the order of the squarings and of each sum's terms)
                ok = ok | (~np.isfinite(g) & ~np.isfinite(w))
            if name.startswith("fft.") and (near_overflow(np_args, float_dtype) or any(
                    isinstance(a, np.ndarray) and not np.isfinite(a).all() for a in np_args)):
                # Sums of n values near the largest float overflow in one
                # order of butterflies and not in another, and a non-finite
                # input reaches every output through the butterflies but
                # leaves some of NumPy's finite (pocketfft skips terms): which
                # outputs are inf or NaN is the algorithm's, on either side.
                ok = ok | ~np.isfinite(g) | ~np.isfinite(w)
            if name in ("var", "std"):
                ok = ok | (np.isnan(g) & np.isinf(w))  # N - correction <= 0: the spec says NaN
            if name in ("nn.lerp",):
                # overflow or cancellation inside a + t (b - a): trueno's
                # form is exact at t = 0 and t = 1, the reference is not
                ok = ok | ~np.isfinite(w) | (np.abs(w) > 1e30) | np.any(
                    [np.abs(a).max(initial=0) > 1e15 for a in np_args if isinstance(a, np.ndarray)])
                ok = ok | any(isinstance(a, (int, float)) and abs(a) > 1e15 for a in np_args)
        if not np.all(ok):
            bad = np.argwhere(~ok)[:3]
            ex = [(tuple(int(i) for i in b), g[tuple(b)].item(), w[tuple(b)].item()) for b in bad]
            raise Finding("mismatch", f"values differ at {ex} (rtol={rtol:.3g}, atol={atol:.3g})")
    else:
        if not np.array_equal(g, w):
            bad = np.argwhere(g != w)[:3]
            ex = [(tuple(int(i) for i in b), g[tuple(b)].item(), w[tuple(b)].item()) for b in bad]
            raise Finding("mismatch", f"values differ at {ex}")


def compare(name, got, want, np_args):
    if isinstance(want, (tuple, list)) and not isinstance(want, str):
        if not isinstance(got, (tuple, list)) or len(got) != len(want):
            raise Finding("mismatch", f"{type(got).__name__} of {len(got) if hasattr(got, '__len__') else '?'}"
                                      f" items, oracle {len(want)}")
        if name in ("unique_all", "unique_inverse"):
            # indices depend on where distinct NaNs sit: check what they
            # mean (values[inverse] rebuilds x) rather than their numbers
            x = next(a for a in np_args if isinstance(a, np.ndarray))
            values, inverse = to_numpy(got[0]), to_numpy(got[-2 if name == "unique_all" else 1])
            rebuilt = values[inverse.astype(np.intp)] if values.size else values.reshape(inverse.shape)
            if rebuilt.shape != x.shape or not np.array_equal(rebuilt, x, equal_nan=x.dtype.kind in "fc"):
                raise Finding("mismatch", "values[inverse_indices] does not rebuild x")
            keep = [0, 3] if name == "unique_all" else [0]
            want, got = [want[i] for i in keep], [got[i] for i in keep]
        for g, w in zip(got, want):
            compare(name, g, w, np_args)
        return
    if isinstance(want, (StrictArray, np.ndarray)):
        if not isinstance(got, xp.Array):
            raise Finding("garbage", f"returned {type(got).__name__}, oracle an array")
        compare_arrays(name, got, want, np_args)
        return
    if isinstance(want, (bool, int, float, complex)):
        if isinstance(got, xp.Array):
            raise Finding("mismatch", f"returned an array, oracle {type(want).__name__}")
        if type(got) is not type(want) and not (isinstance(got, int) and isinstance(want, int)):
            raise Finding("mismatch", f"returned {type(got).__name__} {got!r}, oracle {type(want).__name__} {want!r}")
        if not (got == want or (got != got and want != want)):
            if isinstance(want, float) and math.isclose(got, want, rel_tol=1e-6):
                return
            raise Finding("mismatch", f"returned {got!r}, oracle {want!r}")
        return
    if hasattr(want, "bits"):  # finfo / iinfo
        for field in ("bits", "max", "min", "eps", "smallest_normal"):
            if hasattr(want, field) and getattr(got, field, None) != getattr(want, field):
                raise Finding("mismatch", f"{field} {getattr(got, field, None)!r}, oracle {getattr(want, field)!r}")
        return
    if want is None:
        if got is not None:
            raise Finding("mismatch", f"returned {got!r}, oracle None")
        return
    # a dtype
    if dtype_name(got) != dtype_name(want):
        raise Finding("mismatch", f"returned {got!r}, oracle {want!r}")


def well_formed(obj):
    """Garbage check for results without an oracle to compare with."""
    if isinstance(obj, xp.Array):
        if obj.size > HUGE_VIEW:
            return  # a broadcast view of 2**62 elements: its metadata is all there is
        a = np.asarray(obj)
        if a.shape != tuple(obj.shape) or a.size != obj.size:
            raise Finding("garbage", f"shape {obj.shape} vs data {a.shape}")
        if dtype_name(obj.dtype) not in DTYPE_NAMES:
            raise Finding("garbage", f"dtype {obj.dtype!r}")
    elif isinstance(obj, (tuple, list)):
        for o in obj:
            well_formed(o)


# ------------------------------------------------------------------ running

def _map(obj, lib):
    if isinstance(obj, Operand):
        if lib == "tn":
            return obj.tn
        if lib == "np":
            return obj.np
        return strict.asarray(obj.np)
    if isinstance(obj, DT):
        return getattr({"tn": xp, "np": np, "strict": strict}[lib], obj.name)
    if isinstance(obj, list):
        return [_map(o, lib) for o in obj]
    if isinstance(obj, tuple):
        return tuple(_map(o, lib) for o in obj)
    return obj


def _np_args(args):
    out = []
    for a in args:
        if isinstance(a, Operand):
            out.append(a.np)
        elif isinstance(a, (list, tuple)) and a and isinstance(a[0], Operand):
            out.extend(o.np for o in a)
        else:
            out.append(a)
    return out


class Outcome:
    __slots__ = ("target", "verdict", "detail", "description")

    def __init__(self, target, verdict, detail, description):
        self.target = target
        self.verdict = verdict
        self.detail = detail
        self.description = description


def describe(target, args, kwargs):
    def r(a):
        if isinstance(a, Operand):
            v = a.np
            st = tuple(s // v.itemsize for s in v.strides) if v.itemsize else v.strides
            vals = np.array2string(v.ravel()[:6], precision=4, threshold=6) if v.size else "[]"
            return f"<{v.dtype}{list(v.shape)} strides={st} {vals}{'...' if v.size > 6 else ''}>"
        if isinstance(a, (list, tuple)) and a and not isinstance(a, str):
            inner = ", ".join(r(x) for x in a)
            return f"[{inner}]" if isinstance(a, list) else f"({inner}{',' if len(a) == 1 else ''})"
        if isinstance(a, np.ndarray):
            return f"np.{a.dtype}{list(a.shape)}"
        return repr(a)
    parts = [r(a) for a in args] + [f"{k}={r(v)}" for k, v in kwargs.items()]
    return f"{target}({', '.join(parts)})"


WRONG_ARG_P = 0.2


def mutate(rng, target, args, kwargs):
    """Deliberately wrong arguments: a wrong type, a bad axis, a huge shape."""
    args = list(args)
    kwargs = dict(kwargs)
    r = rng.random()
    if "axis" in kwargs or (r < 0.3 and target not in ("__array_namespace_info__",)):
        nd = next((a.np.ndim for a in args if isinstance(a, Operand)), 1)
        if r < 0.5:
            kwargs["axis"] = bad_axis(rng, nd)
            return args, kwargs
    # methods keep their array `self`; everything else may lose any argument
    first = 1 if target.startswith(("op:", "conv:", "method:")) else 0
    if r < 0.55 and len(args) > first:
        i = rng.randint(first, len(args) - 1)
        args[i] = wrong_value(rng)
    elif r < 0.7 and target in ("empty", "zeros", "ones", "full", "reshape", "broadcast_to", "tile",
                                "eye", "arange", "linspace", "fft.fftfreq", "fft.rfftfreq", "repeat"):
        if target in ("eye", "fft.fftfreq", "fft.rfftfreq"):
            args[0] = rng.choice([2**62, 2**40, -5, 2**63, 2**31])
        elif target == "arange":
            args = [0, rng.choice([2**62, 1e300, float("inf"), float("nan")])]
        elif target == "linspace":
            args = [0, 1, rng.choice([2**62, -1, 2**40, 2**63])]
        elif target == "repeat":
            args[1] = rng.choice([2**62, 2**40, -1])
        elif target in ("reshape", "broadcast_to", "tile"):
            args[1] = rng.choice(HUGE_SHAPES)
        else:
            args[0] = rng.choice(HUGE_SHAPES)
    elif r < 0.85:
        kwargs[rng.choice(["axis", "dtype", "keepdims", "device", "copy", "bogus", "k", "n", "norm"])] = \
            wrong_value(rng)
    else:
        for i, a in enumerate(args):
            if isinstance(a, Operand) and i >= first:
                shape = random_shape(rng)
                args[i] = make_operand(rng, shape, _dt(rng))
    return args, kwargs


class TooSlow(BaseException):
    """Raised by time_limit's alarm (a BaseException, so that no `except
    Exception` on the way swallows it)."""


@contextlib.contextmanager
def time_limit(seconds):
    """Interrupts the block with TooSlow after `seconds` (main thread only; a
    loop that never returns to Python is left to the supervisor's hang check)."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def on_alarm(signum, frame):
        raise TooSlow(f"no result after {seconds} s")

    previous = signal.signal(signal.SIGALRM, on_alarm)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def message_names(exc, names):
    """None if `exc`'s message names one of `names` as `name(`, else what is wrong."""
    msg = str(exc)
    if not msg:
        return f"{type(exc).__name__} with an empty message"
    short = [n.rsplit(".", 1)[-1] for n in names]
    if not any(n + "(" in msg for n in short):
        return f"{type(exc).__name__} does not name {'/'.join(names)}: {msg}"
    return None


# Targets beyond the namespace's functions and the array's methods: each
# module has TARGETS and plan(rng, target) -> (description, execute), where
# execute() runs the call and returns (verdict, detail).
FAMILY_MODULES = ("huge", "capsules", "quantized")
_families = {}


def families():
    """target -> family module (imported here, not at the top: they use this module)."""
    if not _families:
        for name in FAMILY_MODULES:
            module = importlib.import_module(f"{__package__}.{name}")
            for t in module.TARGETS:
                _families[t] = module
    return _families


def plan_call(rng, seed, index, targets):
    """Draws call `index` of `seed`: (target, its description, run), where
    run() judges it, giving (verdict, detail). Call inside quiet()."""
    rng.reset(seed, index)
    target = targets[int(rng.random() * len(targets))]
    family = families().get(target)
    if family is not None:
        desc, execute = family.plan(rng, target)
        return target, desc, execute
    if target.startswith(("op:", "conv:", "method:")):
        args, kwargs = build_method(rng, target)
    else:
        args, kwargs = BUILDERS[target](rng)
    if rng.chance(WRONG_ARG_P):
        args, kwargs = mutate(rng, target, args, kwargs)
    return target, describe(target, args, kwargs), lambda: judge(target, args, kwargs)


@contextlib.contextmanager
def quiet():
    """No warnings and no floating-point error reports while a call is drawn and run."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        with np.errstate(all="ignore"):
            yield


def run_one(rng, seed, index, targets, verbose=False):
    """One fuzz call. Returns an Outcome."""
    with quiet():
        target, desc, run = plan_call(rng, seed, index, targets)
        if verbose:
            print(desc)
        try:
            verdict, detail = run()
        except Finding as f:
            verdict, detail = f.verdict, f.detail
    return Outcome(target, verdict, detail, desc)


def describe_one(rng, seed, index, targets):
    """The description of call `index` of `seed`, without running it."""
    with quiet():
        return plan_call(rng, seed, index, targets)[1]


def select_targets(only=None, skip=None):
    """all_targets(), narrowed to the names or prefixes in `only` and without
    those in `skip` (comma-separated strings)."""
    def matches(t, spec):
        return any(t == o or t.startswith(o) for o in spec.split(",") if o)
    targets = all_targets()
    if only:
        targets = [t for t in targets if matches(t, only)]
    if skip:
        targets = [t for t in targets if not matches(t, skip)]
    return targets


_OPERATOR_BY_STEM = {
    "add": operator.add, "sub": operator.sub, "mul": operator.mul, "truediv": operator.truediv,
    "floordiv": operator.floordiv, "mod": operator.mod, "pow": operator.pow, "and": operator.and_,
    "or": operator.or_, "xor": operator.xor, "lshift": operator.lshift, "rshift": operator.rshift,
    "matmul": operator.matmul, "eq": operator.eq, "ne": operator.ne, "lt": operator.lt,
    "le": operator.le, "gt": operator.gt, "ge": operator.ge,
}
OPERATOR_FUNCS = {}
for _stem, _fn in _OPERATOR_BY_STEM.items():
    OPERATOR_FUNCS[f"__{_stem}__"] = ("plain", _fn)
    OPERATOR_FUNCS[f"__r{_stem}__"] = ("reflected", _fn)
    if hasattr(operator, "i" + _stem.rstrip("_")):
        OPERATOR_FUNCS[f"__i{_stem}__"] = ("inplace", getattr(operator, "i" + _stem))


def apply_operator(name, x, rest):
    """x.name(*rest) as Python's operator syntax runs it (NotImplemented falls
    back to the other operand's method, then TypeError)."""
    if name in UNARY_OPS:
        return getattr(operator, name.strip("_") if name != "__invert__" else "invert")(x)
    kind, fn = OPERATOR_FUNCS[name]
    (y,) = rest
    if kind == "reflected":
        return fn(y, x)
    if kind == "inplace":
        result = fn(x, y)
        if result is not x:
            raise Finding("garbage", f"{name} rebound the name to a new object, not self")
        return result
    return fn(x, y)


def _call_trueno(target, args, kwargs):
    tn_args = _map(tuple(args), "tn")
    tn_kwargs = {k: _map(v, "tn") for k, v in kwargs.items()}
    if target.startswith("op:"):
        name = target[3:]
        x, *rest = tn_args
        return apply_operator(name, x, rest)
    if target.startswith("conv:"):
        name = target[5:]
        return getattr(tn_args[0], name)()
    if target.startswith("method:"):
        return _call_trueno_method(target[7:], tn_args, args)
    return resolve(xp, target)(*tn_args, **tn_kwargs)


def _call_trueno_method(name, tn_args, raw_args):
    x = tn_args[0]
    if name == "getitem":
        return x[index_pair(raw_args[1])[0]]
    if name == "setitem":
        x[index_pair(raw_args[1])[0]] = tn_args[2]
        return x
    if name == "len":
        return len(x)
    if name == "iter":
        return [np.asarray(v) for v in x]
    if name == "tolist":
        return x.tolist()
    if name in ("T", "mT"):
        return getattr(x, name)
    if name == "to_device":
        return x.to_device(tn_args[1])
    if name == "dlpack":
        return np.from_dlpack(x)
    if name == "array":
        return np.asarray(x)
    if name == "memoryview":
        m = memoryview(x)
        return np.asarray(m) if m.ndim or m.format else m
    if name == "attributes":
        return (x.shape, x.ndim, x.size, dtype_name(x.dtype), x.itemsize if hasattr(x, "itemsize") else None)
    if name == "repr":
        return repr(x), str(x)
    raise AssertionError(name)


def _np_isin(x1, x2, invert=False):
    # array-api-strict 2.6.1 ignores `invert`
    if x1.dtype.kind != x2.dtype.kind and not (x1.dtype.kind in "iu" and x2.dtype.kind in "iu"):
        raise TypeError("mixed kinds")
    return np.isin(x1, x2, invert=invert)


def _np_sign(x):
    # array-api-strict computes x/|x| for complex x, NaN at infinite parts;
    # trueno, like NumPy, gives the limit (sign(inf - 1j) = 1)
    if not isinstance(x, np.ndarray):
        raise TypeError("sign needs an array")
    if x.dtype == np.bool_:
        raise TypeError("sign of bool")
    out = np.asarray(np.sign(x))
    if x.dtype.kind == "c":  # the spec: a NaN part gives NaN + NaN j
        out[np.isnan(x.real) | np.isnan(x.imag)] = complex(np.nan, np.nan)
    return out


NUMPY_ORACLES = {"isin": _np_isin, "sign": _np_sign}


def _call_oracle(target, args, kwargs):
    result = _call_plain_oracle(target, args, kwargs)
    if target in ("prod", "cumulative_prod") and args and isinstance(args[0], Operand):
        # trueno multiplies float32/complex64 (the input's dtype or the dtype
        # asked for) in float64/complex128 and rounds once (prod's docstring);
        # NumPy's float32 order over- or underflowed part-way (seed 777, call
        # 481396: -inf in trueno's old order, -39.03 in NumPy's, -30.296
        # exactly). The plain call came first, so what strict refuses stays refused.
        wide = {"float32": "float64", "complex64": "complex128"}.get(dtype_name(result.dtype))
        if wide:
            s_args = _map(tuple(args), "strict")
            kw = {k: _map(v, "strict") for k, v in kwargs.items()}
            kw["dtype"] = getattr(strict, wide)
            x = strict.astype(s_args[0], kw["dtype"])
            result = strict.astype(resolve(strict, target)(x, *s_args[1:], **kw), result.dtype)
    return result


def _call_plain_oracle(target, args, kwargs):
    if target in NUMPY_ORACLES:
        np_args = _map(tuple(args), "np")
        return NUMPY_ORACLES[target](*np_args, **kwargs)
    if target.startswith("nn."):
        np_args = _map(tuple(args), "np")
        return _nn_ref(target[3:])(*np_args, **kwargs)
    if target.startswith("method:"):
        return _call_numpy_method(target[7:], args)
    if target.startswith(("op:", "conv:")):
        s_args = _map(tuple(args), "strict")
        name = target.split(":")[1]
        x, *rest = s_args
        if target.startswith("conv:"):
            return getattr(x, name)()
        return apply_operator(name, x, rest)
    s_args = _map(tuple(args), "strict")
    s_kwargs = {k: _map(v, "strict") for k, v in kwargs.items()}
    return resolve(strict, target)(*s_args, **s_kwargs)


def _call_numpy_method(name, args):
    x = args[0].np.copy() if isinstance(args[0], Operand) else args[0]
    if name == "getitem":
        key = index_pair(args[1])[1]
        return x[key]
    if name == "setitem":
        key = index_pair(args[1])[1]
        value = args[2].np if isinstance(args[2], Operand) else args[2]
        if isinstance(value, np.ndarray) and value.dtype.kind == "c" and x.dtype.kind != "c":
            raise TypeError("complex into real")
        if isinstance(value, complex) and x.dtype.kind != "c":
            raise TypeError("complex into real")
        if isinstance(value, bytes):  # NumPy reads bytes as a string, trueno as a buffer
            raise TypeError("bytes")
        x[key] = value
        return x
    if name == "len":
        return len(x)
    if name == "iter":
        return [np.asarray(v) for v in x]
    if name == "tolist":
        return x.tolist()
    if name == "T":
        if x.ndim != 2:
            raise ValueError("T needs 2-D")
        return x.T
    if name == "mT":
        if x.ndim < 2:
            raise ValueError("mT needs >= 2-D")
        return np.swapaxes(x, -1, -2)
    if name == "to_device":
        if args[1] not in ("cpu",) and not (hasattr(args[1], "__class__") and args[1].__class__.__name__ == "Device"):
            raise ValueError("device")
        return x
    if name in ("dlpack", "array", "memoryview"):
        return x
    return None


def oracle_would_hang(target, args, kwargs):
    # numpy.diff runs its loop n times even once the array is empty
    n = kwargs.get("n", args[1] if target == "diff" and len(args) > 1 else 1)
    return target == "diff" and isinstance(n, int) and n > 1000


def _detached(obj):
    """`obj` with each operand's NumPy side copied: trueno's array shares
    memory with it (asarray of a NumPy array is zero-copy), so an in-place
    operator or a setitem would otherwise change the oracle's input too, and
    the oracle, working in place on the same memory, would return the very
    array it is compared with."""
    if isinstance(obj, Operand):
        return Operand(obj.tn, obj.np.copy())
    if isinstance(obj, list):
        return [_detached(o) for o in obj]
    if isinstance(obj, tuple):
        return tuple(_detached(o) for o in obj)
    return obj


def judge(target, args, kwargs):
    oracle_args, oracle_kwargs = _detached(tuple(args)), {k: _detached(v) for k, v in kwargs.items()}
    try:
        got = _call_trueno(target, args, kwargs)
    except Finding:
        raise
    except ALLOWED as exc:
        if not str(exc):
            return "bad_exc", f"{type(exc).__name__} with an empty message"
        return "raised", f"{type(exc).__name__}: {exc}"
    except GAP as exc:
        return "gap", f"NotImplementedError: {exc}"
    except BaseException as exc:  # noqa: BLE001 - the point of the harness
        if isinstance(exc, (KeyboardInterrupt, SystemExit)):
            raise
        return "bad_exc", f"{type(exc).__name__}: {exc}"
    well_formed(got)
    if target in ("method:repr", "method:attributes", "method:len", "method:tolist", "method:iter",
                  "__array_namespace_info__") or target.startswith("conv:"):
        if target.startswith("conv:") or target in ("method:tolist", "method:len", "method:iter"):
            # conversions agree with NumPy's on the same data
            pass
        else:
            return "ok", ""
    if oracle_would_hang(target, args, kwargs):
        return "lenient", "no oracle: NumPy would loop for ages"
    try:
        want = _call_oracle(target, oracle_args, oracle_kwargs)
    except BaseException as exc:  # noqa: BLE001 - any oracle refusal
        if isinstance(exc, KeyboardInterrupt):
            raise
        return "lenient", f"oracle raised {type(exc).__name__}: {exc}"
    if target in ("method:tolist", "method:len"):
        if got != want and not _nan_equal(got, want):
            raise Finding("mismatch", f"{got!r:.200}, numpy {want!r:.200}")
        return "ok", ""
    if target == "method:iter":
        if len(got) != len(want):
            raise Finding("mismatch", f"{len(got)} items, numpy {len(want)}")
        for g, w in zip(got, want):
            if not np.array_equal(g, w, equal_nan=g.dtype.kind in "fc"):
                raise Finding("mismatch", "iterated items differ")
        return "ok", ""
    if target in ("method:getitem", "method:setitem", "method:dlpack", "method:array",
                  "method:memoryview", "method:T", "method:mT", "method:to_device"):
        if isinstance(got, memoryview):
            return "ok", ""
        g = np.asarray(got)
        w = np.asarray(want)
        if g.shape != w.shape:
            raise Finding("mismatch", f"shape {g.shape}, numpy {w.shape}")
        if g.dtype != w.dtype:
            raise Finding("mismatch", f"dtype {g.dtype}, numpy {w.dtype}")
        if target == "method:setitem" and g.dtype.kind in "iu" and isinstance(args[2], Operand):
            # an array of floats the integer dtype cannot hold (NaN, infinities,
            # out of range): a cast, implementation-defined (trueno's rule is in
            # the README); a Python float is checked, and raised on before here
            v = args[2].np
            if v.dtype.kind in "fc":
                info = np.iinfo(g.dtype)
                with np.errstate(invalid="ignore"):
                    t = np.trunc(v.real)
                    if not np.all(np.isfinite(t) & (t >= info.min) & (t <= info.max)):
                        return "ok", ""
        if not np.array_equal(g, w, equal_nan=g.dtype.kind in "fc"):
            raise Finding("mismatch", f"values differ: {g.ravel()[:6]} vs numpy {w.ravel()[:6]}")
        return "ok", ""
    if target == "can_cast" and got is True and want is False:
        # trueno's one extension of the spec's promotion (cpp/core/dtype.cpp): an integer to a
        # floating dtype that holds all its values, as NumPy, JAX and PyTorch all promote
        name = lambda a: a.np.dtype if isinstance(a, Operand) else np.dtype(a.name)  # noqa: E731
        source, target_dtype = name(args[0]), name(args[1])
        if source.kind in "iu" and target_dtype.kind in "fc" and np.result_type(source, target_dtype) == target_dtype:
            return "lenient", "trueno's integer-to-floating promotion extension"
    if target == "argsort" and not kwargs.get("stable", True) and isinstance(got, xp.Array):
        x = oracle_args[0].np
        axis = kwargs.get("axis", -1)
        got = xp.asarray(np.take_along_axis(x, np.asarray(got).astype(np.intp), axis=axis))
        want = np.take_along_axis(x, to_numpy(want).astype(np.intp), axis=axis)
        target = "sort"
    # operands given as keywords (clip's min and max) count as inputs too
    inputs = list(oracle_args) + [v for v in oracle_kwargs.values() if isinstance(v, Operand)]
    compare(target, got, want, _np_args(inputs))
    return "ok", ""


def _nan_equal(a, b):
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(_nan_equal(x, y) for x, y in zip(a, b))
    if isinstance(a, float) and isinstance(b, float):
        return a == b or (a != a and b != b)
    if isinstance(a, complex) and isinstance(b, complex):
        return _nan_equal(a.real, b.real) and _nan_equal(a.imag, b.imag)
    return a == b


def all_targets():
    return sorted(BUILDERS) + METHODS + sorted(families())


# "slow": a call that must finish at once (a huge view's metadata, an
# allocation that must fail) was still running after its time limit.
FINDINGS = ("mismatch", "bad_exc", "garbage", "slow")

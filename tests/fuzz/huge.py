"""Huge zero-stride views (issue 15, items 2-4): ``broadcast_to`` of a scalar
to ``(2**62,)``, ``(2**31, 2**31)``, ``(0, 2**61)`` ... and views of it
(slices, reshape, expand_dims, permute_dims, flip, mT, broadcast_to again,
linalg.diagonal with any offset), then one operation on the view.

Every step must finish at once (``SECONDS``; past it the verdict is "slow"):

- a view of a valid shape (elements and bytes fit in int64, NumPy's rule:
  the product of the nonzero dimensions times the itemsize) must come back
  with that shape, ``nbytes == size * itemsize`` and the scalar at every
  sampled index; an invalid one must raise ValueError/OverflowError naming
  the function;
- metadata, ``memoryview``, ``np.asarray``, DLPack exports and imports,
  ``broadcast_shapes`` must return the right answer without a copy;
- anything that materialises a result of ``HUGE`` elements or more (a copy,
  ``concat``, ``tolist``, ``tile``, ``repeat``, an elementwise result) must
  raise MemoryError/ValueError/OverflowError naming the function; a result
  of up to ``SMALL`` elements must be right, compared element by element.

Views whose size lies between SMALL and HUGE are never built, so that no
call does a legitimate but slow gigabyte of work.

Each call is a few lines of Python executed step by step; the verdict's
description is those lines, so a finding can be pasted into a shell.
"""
from __future__ import annotations

import math

import numpy as np

import trueno as xp

from . import harness as h

SECONDS = 2.0
TOLIST_HUGE_P = 0.02
SMALL = 4096
HUGE = 2**40  # elements: a copy needs a TiB or more, refused at once everywhere
INT64_MAX = 2**63 - 1

TARGETS = ["huge:view", "huge:export", "huge:copy", "huge:join", "huge:shape", "huge:linalg",
           "huge:compute"]

# (shape, largest itemsize for which it is a valid array)
BASE_SHAPES = [(2**62,), (2**61 + 1,), (2**31, 2**31), (2**40, 3), (3, 2**40 + 1),
               (2**21, 2**21, 2**21), (2**59 + 3,), (1, 2**62), (2**62, 1), (0, 2**61),
               (2**61, 0), (5, 0, 2**60), (2**63 - 1,), (2**30, 1, 2**30), (2**45,), (2**31, 2**31, 0)]


def fmt(n):
    """An int as 2**k, 2**k + c or -(...) where that is shorter to read."""
    if isinstance(n, bool) or not isinstance(n, int):
        return repr(n)
    if n < 0:
        inner = fmt(-n)
        return f"-({inner})" if " " in inner else "-" + inner
    if n < 2**20:
        return repr(n)
    k = n.bit_length() - 1
    for base in (k, k + 1):
        c = n - 2**base
        if abs(c) < 4096:
            return f"2**{base}" if c == 0 else f"2**{base} {'+' if c > 0 else '-'} {abs(c)}"
    return repr(n)


def fmt_shape(shape):
    inner = ", ".join(fmt(d) for d in shape)
    return f"({inner},)" if len(shape) == 1 else f"({inner})"


def elements(shape):
    return math.prod(shape)


def valid(shape, itemsize):
    """NumPy's rule for an array: every dimension >= 0 and the product of the
    nonzero dimensions times the itemsize within int64."""
    if any(d < 0 or d > INT64_MAX for d in shape):
        return False
    return math.prod(max(d, 1) for d in shape) * itemsize <= INT64_MAX


def itemsize(dtype):
    return np.dtype(dtype).itemsize


def scalar_code(value):
    """Python source that rebuilds the 0-D NumPy array `value` bit for bit."""
    return f"np.frombuffer(bytes.fromhex('{value.tobytes().hex()}'), '{value.dtype.name}').reshape(())"


# -------------------------------------------------------------- expectations

class Expect:
    """What one step must do.

    kind: "ok"    return a result of `shape`/`dtype` whose values are `values`
          "raise" raise an allowed exception naming one of `names`
          "either" raise so, or return such a result (a copy that might be
                  refused as too big, a view trueno may choose to copy)
    values: None (not checked), ("const", 0-D array), ("array", ndarray) or
            ("list", nested list)
    """

    __slots__ = ("kind", "shape", "dtype", "values", "names", "why")

    def __init__(self, kind, shape=None, dtype=None, values=None, names=(), why=""):
        self.kind, self.shape, self.dtype, self.values = kind, shape, dtype, values
        self.names, self.why = names, why


class Step:
    __slots__ = ("code", "expect", "result")

    def __init__(self, code, expect, result="r"):
        self.code, self.expect, self.result = code, expect, result


def result_expect(shape, dtype, names, values, sources_huge=False):
    """A computed result: compare it when small, it must be refused when huge
    (or when its shape is not a valid array). A small result of huge inputs
    may be refused too, if trueno copies an input first."""
    if not valid(shape, itemsize(dtype)):
        return Expect("raise", names=names, why=f"shape {fmt_shape(shape)} of {dtype} does not fit in int64")
    n = elements(shape)
    if n >= HUGE:
        return Expect("either", shape, dtype, values, names, why=f"{fmt(n)} elements cannot be allocated")
    if n > SMALL:
        return None  # not generated: a legitimate but slow call
    return Expect("either" if sources_huge else "ok", shape, dtype, values, names)


# -------------------------------------------------------------------- views

class View:
    """A view under construction: the code so far and what it must be."""

    def __init__(self, shape, dtype, fill):
        self.shape, self.dtype, self.fill = tuple(shape), dtype, fill
        self.steps = []
        self.ok = True  # False once a step must raise: nothing follows it

    @property
    def size(self):
        return elements(self.shape)

    @property
    def huge(self):
        return self.size >= HUGE

    def add(self, code, expect):
        self.steps.append(Step(code, expect, "x"))
        if expect.kind == "raise":
            self.ok = False
        else:
            self.shape = expect.shape


def acceptable_size(shape):
    n = elements(shape)
    return n <= SMALL or n >= HUGE


def base_view(rng):
    shape = rng.choice(BASE_SHAPES)
    fits = [d for d in h.DTYPE_NAMES if valid(shape, itemsize(d))]
    dtype = rng.choice(fits) if fits and rng.chance(0.9) else rng.choice(h.DTYPE_NAMES)
    fill = np.asarray(h.random_values(rng, dtype, 1)[0])
    v = View(shape, dtype, fill)
    code = f"x = xp.broadcast_to(xp.asarray({scalar_code(fill)}), {fmt_shape(shape)})"
    if valid(shape, itemsize(dtype)):
        v.add(code, Expect("ok", shape, dtype, ("const", fill)))
    else:
        v.add(code, Expect("raise", names=("broadcast_to",),
                           why=f"{fmt_shape(shape)} of {dtype} needs more bytes than int64 holds"))
    return v


def random_slice(rng, n):
    r = rng.random()
    if r < 0.25:
        return slice(None, None, rng.choice([2, 3, -1, -2, 2**40, -(2**61)]))
    if r < 0.5:  # a few elements near either end
        a = rng.choice([0, 5, n - 3, -3, 2**40])
        return slice(a, a + rng.randint(0, 4) if a >= 0 else None)
    if r < 0.6:
        return slice(2**62, None)
    return slice(None)


def step_getitem(rng, v):
    key = []
    shape = []
    raises = False
    for n in v.shape:
        if rng.chance(0.15):
            i = rng.choice([0, n - 1, -1, n, -n - 1, 2**62, 2**63 - 1])
            if not -n <= i < n:
                raises = True
            key.append(i)
        else:
            s = random_slice(rng, n)
            key.append(s)
            shape.append(len(range(n)[s]))
        if rng.chance(0.1):
            key.append(None)
            shape.append(1)
    text = ", ".join(k if isinstance(k, str) else
                     fmt(k) if isinstance(k, int) else "None" if k is None else
                     f"{'' if k.start is None else fmt(k.start)}:{'' if k.stop is None else fmt(k.stop)}"
                     f"{'' if k.step is None else ':' + fmt(k.step)}" for k in key)
    code = f"x = x[{text},]" if key else "x = x[()]"
    if raises:
        return code, Expect("raise", names=(), why="an index out of bounds")
    if not acceptable_size(shape):
        return None
    return code, Expect("ok", tuple(shape), v.dtype, ("const", v.fill))


def step_reshape(rng, v):
    n = v.size
    r = rng.random()
    if r < 0.4:
        shape, text = (n,), "(-1,)"
    elif r < 0.6 and v.shape and v.shape[0] % 2 == 0 and n:
        shape, text = (2, n // 2), "(2, -1)"
    elif r < 0.8:
        shape = tuple(reversed(v.shape))
        text = fmt_shape(shape)
    else:
        shape = (n + 1,)
        text = fmt_shape(shape)
    copy = rng.choice([None, None, False, True])
    code = f"x = xp.reshape(x, {text}" + ("" if copy is None else f", copy={copy}") + ")"
    if elements(shape) != n:
        return code, Expect("raise", names=("reshape",), why="the sizes differ")
    if copy and v.huge:
        return code, Expect("raise", names=("reshape",), why="a copy of a huge view")
    # copy=None may copy (then a huge view must be refused); copy=False may refuse
    kind = "ok" if not v.huge and copy is not False else "either"
    return code, Expect(kind, shape, v.dtype, ("const", v.fill), ("reshape",))


def step_expand_dims(rng, v):
    axis = rng.randint(-len(v.shape) - 1, len(v.shape))
    shape = list(v.shape)
    shape.insert(axis if axis >= 0 else len(shape) + axis + 1, 1)
    return (f"x = xp.expand_dims(x, axis={axis})",
            Expect("ok", tuple(shape), v.dtype, ("const", v.fill), ("expand_dims",)))


def step_permute(rng, v):
    axes = list(range(len(v.shape)))
    for i in range(len(axes) - 1, 0, -1):
        j = rng.randint(0, i)
        axes[i], axes[j] = axes[j], axes[i]
    shape = tuple(v.shape[a] for a in axes)
    return (f"x = xp.permute_dims(x, {tuple(axes)})",
            Expect("ok", shape, v.dtype, ("const", v.fill), ("permute_dims",)))


def step_flip(rng, v):
    return "x = xp.flip(x)", Expect("either", v.shape, v.dtype, ("const", v.fill), ("flip",))


def step_mT(rng, v):
    if len(v.shape) < 2:
        return "x = x.mT", Expect("raise", names=("mT", "matrix_transpose"), why="fewer than 2 dimensions")
    shape = v.shape[:-2] + (v.shape[-1], v.shape[-2])
    return "x = x.mT", Expect("ok", shape, v.dtype, ("const", v.fill))


def step_broadcast(rng, v):
    lead = rng.choice([2, 3, 2**20, 2**40, 2**62, 0])
    shape = (lead,) + tuple(rng.choice([d, 2**20]) if d == 1 else d for d in v.shape)
    code = f"x = xp.broadcast_to(x, {fmt_shape(shape)})"
    if not valid(shape, itemsize(v.dtype)):
        return code, Expect("raise", names=("broadcast_to",), why="more bytes than int64 holds")
    if not acceptable_size(shape):
        return None
    return code, Expect("ok", shape, v.dtype, ("const", v.fill), ("broadcast_to",))


C_INT_MIN, C_INT_MAX = -(2**31), 2**31 - 1
OFFSETS = [0, 1, -1, 2, -3, 2**31 - 1, -(2**31), 2**31, -(2**31) - 1, 2**62, -(2**62),
           2**63 - 1, -(2**63), 2**63, -(2**63) - 1, 2**64]


def diagonal_length(n, m, k):
    return max(0, min(n, m - k)) if k >= 0 else max(0, min(n + k, m))


def random_offset(rng, n, m):
    return rng.choice(OFFSETS + [m - 1, m - 3, -(n - 2), m, -n, m + 1])


def step_diagonal(rng, v):
    if len(v.shape) < 2:
        return None
    n, m = v.shape[-2:]
    k = random_offset(rng, n, m)
    code = f"x = xp.linalg.diagonal(x, offset={fmt(k)})"
    shape = v.shape[:-2] + (diagonal_length(n, m, k),)
    if not acceptable_size(shape):
        return None
    # NumPy returns a read-only view; a copy of a huge diagonal would be refused,
    # and offsets beyond C int may be (issue 15 item 4: with the function's name;
    # an empty diagonal is as right for an offset past the matrix, whatever its size)
    kind = "either" if elements(shape) >= HUGE or not C_INT_MIN <= k <= C_INT_MAX else "ok"
    return code, Expect(kind, shape, v.dtype, ("const", v.fill), ("diagonal",))


VIEW_STEPS = [step_getitem, step_getitem, step_reshape, step_expand_dims, step_permute, step_flip,
              step_mT, step_broadcast, step_diagonal]


def build_view(rng, max_steps=3):
    v = base_view(rng)
    for _ in range(rng.randint(0, max_steps)):
        if not v.ok:
            break
        for _try in range(4):
            made = rng.choice(VIEW_STEPS)(rng, v)
            if made is not None:
                v.add(*made)
                break
    return v


# --------------------------------------------------------------- operations

def op_attributes(rng, v):
    return Step("r = (x.shape, x.size, x.nbytes, x.ndim, x.itemsize)",
                Expect("ok", v.shape, v.dtype, None), "attributes")


def op_getitem(rng, v):
    idx = []
    raises = False
    for n in v.shape:
        i = rng.choice([0, n - 1, -1, n // 2, n, -n - 1]) if n else rng.choice([0, -1])
        raises |= not -n <= i < n
        idx.append(i)
    code = f"r = x[{', '.join(fmt(i) for i in idx)},]" if idx else "r = x[()]"
    if raises:
        return Step(code, Expect("raise", why="an index out of bounds"))
    return Step(code, Expect("ok", (), v.dtype, ("const", v.fill)))


def op_memoryview(rng, v):
    return Step("r = memoryview(x)", Expect("ok", v.shape, v.dtype, ("const", v.fill)), "memoryview")


def op_numpy(rng, v):
    code = rng.choice(["r = np.asarray(x)", "r = np.from_dlpack(x)"])
    return Step(code, Expect("ok", v.shape, v.dtype, ("const", v.fill)), "ndarray")


def op_dlpack(rng, v):
    r = rng.random()
    if r < 0.3:
        return Step("r = xp.from_dlpack(x)", Expect("ok", v.shape, v.dtype, ("const", v.fill), ("from_dlpack",)))
    if r < 0.6:
        return Step("r = xp.asarray(x.__dlpack__(max_version=(1, 0)))",
                    Expect("ok", v.shape, v.dtype, ("const", v.fill), ("asarray", "__dlpack__")))
    if r < 0.8:
        return Step("r = xp.from_dlpack(np.from_dlpack(x))",
                    Expect("ok", v.shape, v.dtype, ("const", v.fill), ("from_dlpack",)))
    e = result_expect(v.shape, v.dtype, ("from_dlpack",), ("const", v.fill), v.huge)
    return Step("r = xp.from_dlpack(x, copy=True)", e) if e else None


def op_tolist(rng, v):
    # the Python objects tolist makes: every list of every level, every scalar
    objects = sum(math.prod(v.shape[:k + 1]) for k in range(len(v.shape)))
    if SMALL < objects < HUGE:
        return None
    if objects >= HUGE:
        # Array.__iter__ builds the list of every row before yielding one, so
        # today this takes ~25 s and the whole address-space limit before its
        # MemoryError: a finding each time (slow); rare, so that a run is not
        # spent on it. Make it as common as the rest once iteration is lazy.
        if not rng.chance(TOLIST_HUGE_P):
            return None
        return Step("r = x.tolist()", Expect("raise", names=("tolist",), why=f"{fmt(objects)} Python objects"))
    return Step("r = x.tolist()", Expect("ok", v.shape, v.dtype,
                                         ("list", np.broadcast_to(v.fill, v.shape).tolist())))


def op_copy(rng, v):
    r = rng.random()
    if r < 0.4:
        e = result_expect(v.shape, v.dtype, ("asarray",), ("const", v.fill), v.huge)
        return Step("r = xp.asarray(x, copy=True)", e) if e else None
    if r < 0.7:
        dt = rng.choice(h.DTYPE_NAMES)
        if np.dtype(v.dtype).kind == "c" and np.dtype(dt).kind != "c":
            # trueno's choice where the spec is silent: TypeError, take real() first
            return Step(f"r = xp.astype(x, xp.{dt}, copy=False)",
                        Expect("raise", names=("astype",), why="complex to real discards the imaginary part"))
        e = result_expect(v.shape, dt, ("astype",), cast_fill(v.fill, dt), v.huge)
        if e and dt == v.dtype:
            e.kind = "either"  # astype(copy=False) of the same dtype is x itself
        return Step(f"r = xp.astype(x, xp.{dt}, copy=False)", e) if e else None
    e = result_expect((v.size,), v.dtype, ("reshape",), ("const", v.fill), v.huge)
    return Step(f"r = xp.reshape(x, {fmt_shape((v.size,))}, copy=True)", e) if e else None


def cast_fill(fill, dt):
    """The fill cast to dt, or None where the spec leaves the value undefined."""
    src, dst = fill.dtype, np.dtype(dt)
    if src.kind in "fc" and dst.kind in "iub":
        real = fill.real if src.kind == "c" else fill
        if not np.isfinite(real) or (dst.kind != "b" and not np.iinfo(dst).min <= real <= np.iinfo(dst).max):
            return None
        if src.kind == "c" and dst.kind == "b":
            return ("const", np.asarray(fill != 0))
    if src.kind == "c" and dst.kind == "f":
        return None  # complex -> real: the spec leaves it out
    with np.errstate(all="ignore"):
        return ("const", np.asarray(fill.astype(dst)))


def small_array(rng, shape, dtype):
    vals = h.random_values(rng, dtype, elements(shape)).reshape(shape)
    return vals, f"xp.asarray({scalar_code_array(vals)})"


def scalar_code_array(a):
    return (f"np.frombuffer(bytes.fromhex('{np.ascontiguousarray(a).tobytes().hex()}'), "
            f"'{a.dtype.name}').reshape({fmt_shape(a.shape) if a.ndim else '()'})")


def piece(rng, v, shape_like):
    """A piece for concat/stack/diff: the view itself, or a small array of
    `shape_like` (its values and the code that makes it)."""
    if rng.chance(0.5) or elements(shape_like) > 64 or max(shape_like, default=0) > SMALL:
        return None, "x"  # (NumPy cannot make even an empty (0, 2**62) array of most dtypes)
    vals, code = small_array(rng, shape_like, v.dtype)
    return vals, code


def numpy_sized(shapes):
    """Whether NumPy can build the expected result from these shapes (a
    zero-size (0, 2**62) result, for one, it cannot; nothing to compare there)."""
    return all(elements(s) <= SMALL and max(s, default=0) <= SMALL for s in shapes)


def materialise(v, vals):
    return np.broadcast_to(v.fill, v.shape) if vals is None else vals


def op_concat(rng, v, stack=False):
    nd = len(v.shape)
    count = rng.randint(1, 5)
    axis = rng.choice([0, -1, None, nd, 1]) if not stack else rng.randint(-nd - 1, nd + 1)
    pieces = []
    for _ in range(count):
        like = list(v.shape)
        if not stack and axis is not None and nd and -nd <= axis < nd:
            like[axis] = rng.randint(0, 3)
        elif rng.chance(0.2):
            like = [rng.randint(0, 3)] + like[1:]  # mismatched, mostly
        pieces.append(piece(rng, v, tuple(like)))
    name = "stack" if stack else "concat"
    args = "[" + ", ".join(c for _, c in pieces) + "]"
    kw = "" if axis == 0 and rng.chance(0.3) else f", axis={axis}"
    code = f"r = xp.{name}({args}{kw})"
    shapes = [materialise(v, vals).shape for vals, _ in pieces]
    shape = join_shape(shapes, axis, stack)
    if shape is None:
        return Step(code, Expect("raise", names=(name,), why="the shapes or the axis do not fit"))
    huge_sources = any(elements(s) >= HUGE for s in shapes)
    values = None
    if numpy_sized(shapes + [shape]):
        arrays = [materialise(v, vals) for vals, _ in pieces]
        joined = np.stack(arrays, axis=axis) if stack else np.concatenate(
            [a.reshape(-1) for a in arrays] if axis is None else arrays, axis=0 if axis is None else axis)
        values = ("array", joined)
    e = result_expect(shape, v.dtype, (name,), values, huge_sources)
    return Step(code, e) if e else None


def join_shape(shapes, axis, stack):
    """The shape concat/stack gives, None where they must raise."""
    if stack:
        if len(set(shapes)) != 1:
            return None
        nd = len(shapes[0])
        if not -nd - 1 <= axis <= nd:
            return None
        out = list(shapes[0])
        out.insert(axis if axis >= 0 else nd + 1 + axis, len(shapes))
        return tuple(out)
    if axis is None:
        return (sum(elements(s) for s in shapes),)
    nd = len(shapes[0])
    if nd == 0 or not -nd <= axis < nd or any(len(s) != nd for s in shapes):
        return None
    a = axis % nd
    if any(s[:a] + s[a + 1:] != shapes[0][:a] + shapes[0][a + 1:] for s in shapes):
        return None
    out = list(shapes[0])
    out[a] = sum(s[a] for s in shapes)
    if out[a] > INT64_MAX:
        return None
    return tuple(out)


def op_diff(rng, v):
    nd = len(v.shape)
    if nd == 0 or v.dtype == "bool":
        return None
    axis = rng.randint(-nd, nd - 1)
    n = rng.choice([1, 1, 2, 0])
    kw = {}
    for key in ("prepend", "append"):
        if rng.chance(0.6):
            like = list(v.shape)
            like[axis] = rng.randint(0, 3)
            kw[key] = piece(rng, v, tuple(like))
    code = f"r = xp.diff(x, axis={axis}, n={n}" + "".join(f", {k}={c}" for k, (_, c) in kw.items()) + ")"
    if n == 0:  # x itself, prepend and append unread (NumPy's order of checks)
        return Step(code, Expect("either" if v.huge else "ok", v.shape, v.dtype, ("const", v.fill), ("diff",)))
    arrays = [materialise(v, kw["prepend"][0])] if "prepend" in kw else []
    arrays.append(materialise(v, None))
    if "append" in kw:
        arrays.append(materialise(v, kw["append"][0]))
    joined = join_shape([a.shape for a in arrays], axis, False)
    if joined is None:
        return Step(code, Expect("raise", names=("diff",), why="prepend/append do not fit x"))
    shape = list(joined)
    shape[axis] = max(0, shape[axis] - n)
    shape = tuple(shape)
    if not valid(joined, itemsize(v.dtype)):
        # prepend + x + append is no valid array (NumPy's diff concatenates
        # first and refuses), though the shorter result might be
        return Step(code, Expect("either", shape, v.dtype, None, ("diff",)))
    values = None
    if numpy_sized([a.shape for a in arrays] + [shape]):
        values = ("array", np.diff(np.concatenate(arrays, axis=axis), n=n, axis=axis))
    e = result_expect(shape, v.dtype, ("diff",), values, v.huge)
    return Step(code, e) if e else None


def op_broadcast_shapes(rng, v):
    shapes = [v.shape] + [rng.choice(BASE_SHAPES + [(1,), (3, 1), (), (2**20, 1, 1)])
                          for _ in range(rng.randint(1, 3))]
    code = "r = xp.broadcast_shapes(" + ", ".join(fmt_shape(s) for s in shapes) + ")"
    nd = max(len(s) for s in shapes)
    out = []
    for i in range(nd):
        dims = {s[len(s) - nd + i] for s in shapes if len(s) - nd + i >= 0} - {1}
        if len(dims) > 1:
            return Step(code, Expect("raise", names=("broadcast_shapes",), why="incompatible shapes"))
        out.append(dims.pop() if dims else 1)
    if not valid(out, 1):
        return Step(code, Expect("raise", names=("broadcast_shapes",),
                                 why=f"{fmt_shape(out)} has more elements than int64 holds"))
    return Step(code, Expect("ok", tuple(out), None, None), "shape")


COUNTS = [0, 1, 2, 3, 2**20, 2**40, 2**62, 2**63, -1]


def op_tile(rng, v):
    reps = tuple(rng.choice(COUNTS[:-1]) for _ in range(rng.randint(1, len(v.shape) + 1)))
    code = f"r = xp.tile(x, {fmt_shape(reps)})"
    if any(r > INT64_MAX for r in reps):
        return Step(code, Expect("raise", names=("tile",), why="a count beyond int64"))
    nd = max(len(reps), len(v.shape))
    a = (1,) * (nd - len(v.shape)) + v.shape
    b = (1,) * (nd - len(reps)) + reps
    shape = tuple(x * y for x, y in zip(a, b))
    if any(d > INT64_MAX for d in shape):
        return Step(code, Expect("raise", names=("tile",), why="a dimension beyond int64"))
    e = result_expect(shape, v.dtype, ("tile",), ("const", v.fill), v.huge)
    if e and elements(shape) == 0 and max(v.shape + reps, default=0) > SMALL:
        # NumPy's tile refuses these too: it repeats through intermediate
        # shapes whose nonzero dimensions overflow
        e.kind = "either"
    return Step(code, e) if e else None


def op_repeat(rng, v):
    count = rng.choice(COUNTS)
    nd = len(v.shape)
    axis = None if nd == 0 or rng.chance(0.3) else rng.randint(-nd, nd - 1)
    code = f"r = xp.repeat(x, {fmt(count)}" + ("" if axis is None else f", axis={axis}") + ")"
    repeated = v.size if axis is None else v.shape[axis]
    if count > INT64_MAX or (count < 0 and repeated):
        return Step(code, Expect("raise", names=("repeat",), why="a negative count or one beyond int64"))
    if count < 0:  # NumPy repeats nothing -1 times without a word
        e = Expect("either", v.shape if axis is not None else (0,), v.dtype, None, ("repeat",))
        return Step(code, e)
    if axis is None:
        shape = (v.size * count,)
    else:
        shape = list(v.shape)
        shape[axis] *= count
        shape = tuple(shape)
    if any(d > INT64_MAX for d in shape):
        return Step(code, Expect("raise", names=("repeat",), why="a dimension beyond int64"))
    e = result_expect(shape, v.dtype, ("repeat",), ("const", v.fill), v.huge)
    return Step(code, e) if e else None


def op_trace(rng, v):
    if len(v.shape) < 2 or v.dtype == "bool":
        return None
    n, m = v.shape[-2:]
    k = random_offset(rng, n, m)
    code = f"r = xp.linalg.trace(x, offset={fmt(k)})"
    batch = v.shape[:-2]
    length = diagonal_length(n, m, k)
    nbatch = elements(batch)
    if nbatch and length > SMALL:
        return None  # a sum of more than SMALL terms: legitimate work, not generated
    # the spec's sum of the diagonal: its dtype, and (for a non-empty batch) its value
    one = h.strict.sum(h.strict.asarray(np.broadcast_to(v.fill, (min(length, SMALL),)).copy()))
    dtype = h.dtype_name(one.dtype)
    e = result_expect(batch, dtype, ("trace",), ("sum", np.asarray(one._array)), v.huge)
    if e and e.kind == "ok" and not C_INT_MIN <= k <= C_INT_MAX:
        e.kind = "either"
    return Step(code, e) if e else None


def op_compute(rng, v):
    r = rng.random()
    dt = v.dtype
    if r < 0.2:
        code, names, values, dt = "r = xp.equal(x, x)", ("equal",), ("const", np.asarray(v.fill == v.fill)), "bool"
    elif r < 0.35:
        code, names, values = "r = xp.zeros_like(x)", ("zeros_like",), ("const", np.zeros((), dt))
    elif r < 0.5:
        if not v.shape or dt.startswith("complex"):
            return None
        code, names, values = "r = xp.sort(x, axis=-1)", ("sort",), ("const", v.fill)
    elif r < 0.6:
        code, names, values = "r = xp.roll(x, 1)", ("roll",), ("const", v.fill)
    elif r < 0.7:
        code, names, values = "r = xp.positive(x) if x.dtype != xp.bool else xp.logical_not(x)", \
            ("positive", "logical_not"), ("const", np.asarray(~v.fill if dt == "bool" else v.fill))
    else:
        return op_reduce(rng, v)
    e = result_expect(v.shape, dt, names, values, v.huge)
    return Step(code, e) if e else None


def op_reduce(rng, v):
    """A reduction whose result is empty or huge (so that nothing need be summed)."""
    nd = len(v.shape)
    if nd == 0:
        return None
    name = rng.choice(["sum", "max", "any", "count_nonzero", "argmax"])
    if name in ("sum", "max", "argmax") and v.dtype == "bool":
        return None
    axis = rng.randint(-nd, nd - 1)
    shape = v.shape[:axis % nd] + v.shape[axis % nd + 1:]
    reduced = v.shape[axis % nd]
    code = f"r = xp.{name}(x, axis={axis})"
    try:  # the spec's result dtype
        dtype = h.dtype_name(getattr(h.strict, name)(h.strict.asarray(np.zeros((1,), v.dtype))).dtype)
    except Exception:  # noqa: BLE001 - a dtype the function refuses: fuzzed elsewhere
        return None
    if reduced == 0 and name in ("max", "argmax"):
        if not elements(shape) or elements(shape) >= HUGE:
            return None  # NumPy refuses even an empty result; the spec does not say
        return Step(code, Expect("raise", names=(name,), why="an empty reduction has no maximum"))
    if elements(shape) and elements(shape) < HUGE and reduced:
        return None  # a real reduction over many elements: legitimate work
    empty = {"sum": 0, "any": False, "count_nonzero": 0}
    values = ("const", np.asarray(empty[name], dtype)) if reduced == 0 and name in empty else None
    e = result_expect(shape, dtype, (name,), values, v.huge)
    return Step(code, e) if e else None


OPS = {
    "huge:view": [op_attributes, op_getitem, op_memoryview],
    "huge:export": [op_numpy, op_dlpack, op_memoryview, op_tolist],
    "huge:copy": [op_copy, op_tolist],
    "huge:join": [op_concat, lambda rng, v: op_concat(rng, v, stack=True), op_diff],
    "huge:shape": [op_broadcast_shapes, op_tile, op_repeat],
    "huge:linalg": [op_trace, op_attributes],
    "huge:compute": [op_compute],
}


# ------------------------------------------------------------------ judging

def check_value(got, want, how):
    """`got` (a 0-D array) against the expected value: bit for bit for data
    that was only moved (-0.0 stays -0.0; any NaN matches a NaN), within the
    harness's sum tolerance for a trace."""
    g = np.asarray(got)
    if how == "sum":
        if want.dtype.kind in "fc":
            tol = 2000 * np.finfo(want.dtype).eps
            return bool(np.isclose(g, want, rtol=tol, atol=0, equal_nan=True)
                        or (not np.isfinite(g).all() and not np.isfinite(want).all()))
        return bool(g.astype(want.dtype) == want)
    if want.dtype == np.bool_:
        return g.dtype == np.bool_ and bool(g) == bool(want)
    if g.dtype != want.dtype:
        return False
    if g.tobytes() == want.tobytes():
        return True
    return want.dtype.kind in "fc" and bool(np.isnan(want).all()) and bool(np.isnan(g).all())


def sample_indices(rng, shape, count=3):
    if not shape or elements(shape) == 0:
        return [()] if not shape else []
    out = [tuple(0 for _ in shape), tuple(d - 1 for d in shape)]
    for _ in range(count - 2):
        out.append(tuple(rng.randint(0, d - 1) for d in shape))
    return out


def check_array(rng, got, e, what):
    """A trueno array, NumPy array or memoryview against Expect `e`."""
    shape = tuple(got.shape)
    if e.shape is not None and shape != tuple(e.shape):
        raise h.Finding("mismatch", f"{what} has shape {fmt_shape(shape)}, expected {fmt_shape(e.shape)}")
    if isinstance(got, memoryview):
        size, item, nbytes = elements(shape), got.itemsize, got.nbytes
        dtype = None
    else:
        size, nbytes = got.size, got.nbytes
        item = got.itemsize
        dtype = h.dtype_name(got.dtype)
    if e.dtype is not None and dtype is not None and dtype != e.dtype:
        raise h.Finding("mismatch", f"{what} has dtype {dtype}, expected {e.dtype}")
    if size != elements(shape) or nbytes != size * item or nbytes > INT64_MAX:
        raise h.Finding("garbage", f"{what}: shape {fmt_shape(shape)}, size {fmt(size)}, itemsize {item}, "
                                   f"nbytes {fmt(nbytes)}")
    if e.values is None:
        return
    how, want = e.values
    view = np.asarray(got) if isinstance(got, memoryview) else got
    if how in ("const", "sum"):
        for idx in sample_indices(rng, shape):
            value = view[idx]
            if not check_value(value, want, how):
                raise h.Finding("mismatch", f"{what}[{', '.join(fmt(i) for i in idx)}] is "
                                            f"{np.asarray(value)!r}, expected {want!r}")
        if 0 < size <= SMALL and how == "const":
            full = np.asarray(view)
            if not all(check_value(value, want, how) for value in full.reshape(-1)):
                raise h.Finding("mismatch", f"{what} holds {full.ravel()[:6]}, expected all {want!r}")
    elif how == "array":
        full = np.asarray(view)
        if full.shape != want.shape or not (np.array_equal(full, want, equal_nan=want.dtype.kind in "fc")
                                            or full.tobytes() == np.ascontiguousarray(want).tobytes()):
            raise h.Finding("mismatch", f"{what} holds {full.ravel()[:6]}, expected {want.ravel()[:6]}")
    elif how == "list":
        if not h._nan_equal(got, want):
            raise h.Finding("mismatch", f"{what} is {str(got)[:200]}, expected {str(want)[:200]}")


def check_result(rng, result, e, kind):
    if kind == "attributes":
        shape, size, nbytes, ndim, item = result
        if tuple(shape) != tuple(e.shape) or ndim != len(e.shape):
            raise h.Finding("mismatch", f"shape {shape}, expected {fmt_shape(e.shape)}")
        if size != elements(e.shape) or item != itemsize(e.dtype) or nbytes != size * item:
            raise h.Finding("garbage", f"shape {fmt_shape(tuple(shape))}, size {fmt(size)}, "
                                       f"itemsize {item}, nbytes {fmt(nbytes)}")
        return
    if kind == "shape":
        if not isinstance(result, tuple) or result != tuple(e.shape):
            raise h.Finding("mismatch", f"returned {result!r}, expected {fmt_shape(e.shape)}")
        return
    if e.values is not None and e.values[0] == "list":
        check_array_list(result, e)
        return
    if kind == "memoryview":
        if not isinstance(result, memoryview):
            raise h.Finding("garbage", f"memoryview() gave {type(result).__name__}")
        check_array(rng, result, e, "memoryview(x)")
        return
    expected_type = np.ndarray if kind == "ndarray" else xp.Array
    if not isinstance(result, expected_type):
        raise h.Finding("garbage", f"returned {type(result).__name__}, expected {expected_type.__name__}")
    check_array(rng, result, e, "the result")


def check_array_list(result, e):
    if not isinstance(result, (list, bool, int, float, complex)):
        raise h.Finding("garbage", f"tolist gave {type(result).__name__}")
    _, want = e.values
    if not h._nan_equal(result, want):
        raise h.Finding("mismatch", f"tolist gave {str(result)[:200]}, expected {str(want)[:200]}")


ALLOWED = h.ALLOWED + (BufferError,)


def run_step(rng, step, ns):
    """(verdict, detail) of one step, or None to go on to the next."""
    e = step.expect
    try:
        with h.time_limit(SECONDS):
            exec(step.code, ns)  # noqa: S102 - the call is this generated line
    except h.TooSlow:
        return "slow", f"{step.code.strip()} took more than {SECONDS} s"
    except ALLOWED as exc:
        if e.kind == "ok":
            return "mismatch", (f"{step.code.strip()} raised {type(exc).__name__}: {str(exc)[:200]} "
                                f"where a result of shape {fmt_shape(e.shape)} is expected")
        bad = h.message_names(exc, e.names) if e.names else (
            f"{type(exc).__name__} with an empty message" if not str(exc) else None)
        if bad:
            return "bad_exc", f"{step.code.strip()}: {bad[:400]}"
        return "raised", f"{type(exc).__name__}: {exc}"
    except BaseException as exc:  # noqa: BLE001
        if isinstance(exc, (KeyboardInterrupt, SystemExit)):
            raise
        return "bad_exc", f"{step.code.strip()}: {type(exc).__name__}: {str(exc)[:300]}"
    if e.kind == "raise":
        return "mismatch", f"{step.code.strip()} returned where it must raise ({e.why})"
    result = ns[step.result if step.result in ("x",) else "r"]
    kind = step.result if step.result not in ("x", "r") else "array"
    try:
        with h.time_limit(SECONDS):
            check_result(rng, result, e, kind)
    except h.TooSlow:
        return "slow", f"reading the result of {step.code.strip()} took more than {SECONDS} s"
    except h.Finding as f:
        return f.verdict, f"{step.code.strip()}: {f.detail}"
    return None


def plan(rng, target):
    """(the call as Python lines, a function that runs and judges it)."""
    for _ in range(8):
        v = build_view(rng)
        steps = list(v.steps)
        if v.ok:
            op = rng.choice(OPS[target])(rng, v)
            if op is None:
                continue
            steps.append(op)
        break

    def execute():
        ns = {"xp": xp, "np": np}
        for step in steps:
            out = run_step(rng, step, ns)
            if out is not None:
                return out
        return "ok", ""
    return "; ".join(s.code for s in steps), execute

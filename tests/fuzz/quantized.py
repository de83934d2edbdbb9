"""trueno.gguf.linear (x @ W.T for a quantized W), the kernel that sizes
scratch per ISA and chooses VNNI or not (issue 15, item 1): random weights
of every kernel format, built from random blocks with finite f16 scales (as
tests/test_quant.py does, without the `gguf` package), against float64
``x @ dequantize(W).T``.

x is rounded to int8 on some paths (see gguf.linear's docstring), which moves
each value by at most half a step of its run's max|x| / 127; the bound used
here is a whole step per value, ``(max|x| of the row / 127) @ |W|.T``, plus
float32 accumulation. A row of x with an inf or NaN must give non-finite
results (NaN on the int8 path; inf or NaN on the float path).

One call in five is wrong on purpose (float64 x, a column count that does
not match, 0-D x, a weight that is not a QuantizedTensor): an allowed
exception with a message.
"""
from __future__ import annotations

import numpy as np

import trueno as xp
from trueno import gguf
from trueno._core import quant

from . import harness as h

TARGETS = ["gguf.linear"]

# format -> byte offsets of the f16 scales inside a block
SCALES = {"Q8_0": (0,), "Q4_0": (0,), "Q4_1": (0, 2), "Q5_0": (0,), "Q5_1": (0, 2),
          "Q4_K": (0, 2), "Q5_K": (0, 2), "Q6_K": (208,), "F16": (), "BF16": ()}
TYPE_IDS = {name: type_id for type_id, (name, _, _) in gguf.GGML_TYPES.items() if name in SCALES}


def random_weight(rng, type_name, rows, cols):
    g = rng.gen
    _, values, nbytes = quant.block_format(TYPE_IDS[type_name])
    if type_name == "F16":
        raw = g.uniform(-1, 1, rows * cols).astype("<f2").view(np.uint8)
    elif type_name == "BF16":
        f = g.uniform(-1, 1, rows * cols).astype("<f4")
        raw = (f.view("<u4") >> 16).astype("<u2").view(np.uint8)
    else:
        raw = g.integers(0, 256, size=(rows, cols // values, nbytes), dtype=np.uint8)
        for at in SCALES[type_name]:
            scales = g.uniform(-0.1, 0.1, size=raw.shape[:2]).astype("<f2")
            raw[..., at:at + 2] = scales.view(np.uint8).reshape(*raw.shape[:2], 2)
    raw = np.ascontiguousarray(raw).reshape(-1)
    return gguf.QuantizedTensor("w", (rows, cols), type_name, xp.asarray(raw))


def build(rng):
    type_name = rng.choice(list(SCALES))
    _, values, _ = quant.block_format(TYPE_IDS[type_name])
    block = max(values, 32)
    cols = block * rng.choice([1, 2, 3, 8, 16]) if values > 1 else rng.choice([1, 7, 32, 96, 256, 512])
    rows = rng.choice([1, 2, 5, 16, 33, 70])
    n = rng.choice([1, 2, 4, 5, 8, 16, 20, 37])
    w = random_weight(rng, type_name, rows, cols)
    shape = rng.choice([(n, cols), (n, cols), (2, n, cols), (cols,)])
    x = h.make_operand(rng, shape, "float32")
    return x, w


def mutate(rng, x, w):
    r = rng.random()
    if r < 0.3:
        return h.make_operand(rng, x.np.shape, "float64"), w, "float64 x"
    if r < 0.55:
        return h.make_operand(rng, x.np.shape[:-1] + (x.np.shape[-1] + 1,), "float32"), w, "cols + 1"
    if r < 0.7:
        return h.make_operand(rng, (), "float32"), w, "0-D x"
    if r < 0.85:
        return x, w.data, "a raw array as the weight"
    return x.np, w, "a NumPy x"


def reference(x, w):
    wv = np.asarray(w.dequantize()).astype(np.float64)
    x2 = x.reshape(-1, x.shape[-1]).astype(np.float64)
    with np.errstate(all="ignore"):
        exact = x2 @ wv.T
        step = np.abs(x2).max(axis=1, keepdims=True, initial=0) / 127
        # + two float32 subnormal steps: the result itself is a float32
        bound = (step @ np.abs(wv).sum(axis=1, keepdims=True).T + 2e-5 * (np.abs(x2) @ np.abs(wv).T)
                 + 2 * float(np.finfo(np.float32).smallest_subnormal))
        # float32 partial sums may overflow where the whole does not (as the
        # harness's sums), and block formats sum x * q (|q| <= 255) before
        # scaling by d, as llama.cpp does: exempt rows whose sum |x| * 255
        # comes near float32's max
        big = np.finfo(np.float32).max / 4
        overflow = (np.abs(x2) @ np.abs(wv).T > big) | (255 * np.abs(x2).sum(axis=1, keepdims=True) > big)
    bad_rows = ~np.isfinite(x2).all(axis=1)
    return exact, bound, bad_rows, overflow


def describe(x, w, wrong):
    xd = h.describe("x", (x,), {}) if isinstance(x, h.Operand) else f"np.{x.dtype}{list(x.shape)}"
    wd = repr(w) if isinstance(w, gguf.QuantizedTensor) else f"<{type(w).__name__}>"
    return f"gguf.linear({xd[2:-1]}, {wd})" + (f"  # wrong: {wrong}" if wrong else "")


def plan(rng, target):
    """(the call, a function that runs and judges it)."""
    x, w = build(rng)
    wrong = None
    if rng.chance(h.WRONG_ARG_P):
        x, w, wrong = mutate(rng, x, w)
    return describe(x, w, wrong), lambda: judge(x, w, wrong)


def judge(x, w, wrong):
    tn_x = x.tn if isinstance(x, h.Operand) else x
    np_x = (x.np if isinstance(x, h.Operand) else x).copy()
    try:
        got = gguf.linear(tn_x, w)
    except (*h.ALLOWED, *h.GAP) as exc:
        if not str(exc):
            return "bad_exc", f"{type(exc).__name__} with an empty message"
        if wrong is None:
            return "mismatch", f"raised {type(exc).__name__}: {exc} for a valid call"
        return "raised", f"{type(exc).__name__}: {exc}"
    except BaseException as exc:  # noqa: BLE001
        if isinstance(exc, (KeyboardInterrupt, SystemExit)):
            raise
        return "bad_exc", f"{type(exc).__name__}: {exc}"[:400]
    if wrong is not None:
        return "mismatch", f"returned where it must raise ({wrong})"
    if not isinstance(got, xp.Array) or h.dtype_name(got.dtype) != "float32":
        return "garbage", f"returned {type(got).__name__} {getattr(got, 'dtype', '')}"
    want_shape = np_x.shape[:-1] + (w.rows,)
    if tuple(got.shape) != want_shape:
        return "mismatch", f"shape {got.shape}, expected {want_shape}"
    g = np.asarray(got).astype(np.float64).reshape(-1, w.rows)
    exact, bound, bad_rows, overflow = reference(np_x, w)
    if not np.all(~np.isfinite(g[bad_rows])):
        return "mismatch", "a row of x with inf/NaN gave a finite result"
    ok = bad_rows[:, None] | overflow | (np.abs(g - exact) <= bound)
    if not ok.all():
        i, j = np.argwhere(~ok)[0]
        return "mismatch", (f"[{i}, {j}] = {g[i, j]!r}, float64 reference {exact[i, j]!r} "
                            f"(bound {bound[i, j]:.3g}; isa {xp.get_isa()}, vnni {quant.use_vnni()})")
    return "ok", ""

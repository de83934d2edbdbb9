"""The benchmark's op table: each operation written once against an array-API namespace `xp`.

The same function runs with xp = numpy, trueno or torch (through `torch_namespace()`).
Inputs, made by `make_inputs`, are the same values in every library:

    a  standard normal            b  uniform in [0.5, 2)  (a safe divisor)
    c  standard normal            (matmul: A and B, n x n standard normal)

The 26 vector operations are those of the original (Rust) trueno library; matmul is
added at two square sizes.
"""
from __future__ import annotations

import math
import types

import numpy as np

GELU_C = math.sqrt(2.0 / math.pi)


def _softmax(xp, a, b, c):
    e = xp.exp(a - xp.max(a))
    return e / xp.sum(e)


def _log_softmax(xp, a, b, c):
    s = a - xp.max(a)
    return s - xp.log(xp.sum(xp.exp(s)))


# name -> fn(xp, a, b, c). Arguments an op does not use are ignored.
OPS = {
    "add": lambda xp, a, b, c: xp.add(a, b),
    "sub": lambda xp, a, b, c: xp.subtract(a, b),
    "mul": lambda xp, a, b, c: xp.multiply(a, b),
    "div": lambda xp, a, b, c: xp.divide(a, b),
    "scale": lambda xp, a, b, c: a * 2.5,
    "abs": lambda xp, a, b, c: xp.abs(a),
    "clamp": lambda xp, a, b, c: xp.clip(a, -1.0, 1.0),
    "lerp": lambda xp, a, b, c: a + 0.3 * (b - a),
    "fma": lambda xp, a, b, c: a * b + c,
    "dot": lambda xp, a, b, c: xp.vecdot(a, b),
    "sum": lambda xp, a, b, c: xp.sum(a),
    "max": lambda xp, a, b, c: xp.max(a),
    "min": lambda xp, a, b, c: xp.min(a),
    "argmax": lambda xp, a, b, c: xp.argmax(a),
    "argmin": lambda xp, a, b, c: xp.argmin(a),
    "norm_l1": lambda xp, a, b, c: xp.sum(xp.abs(a)),
    "norm_l2": lambda xp, a, b, c: xp.sqrt(xp.sum(a * a)),
    "norm_linf": lambda xp, a, b, c: xp.max(xp.abs(a)),
    "relu": lambda xp, a, b, c: xp.maximum(a, 0.0),
    "sigmoid": lambda xp, a, b, c: 1.0 / (1.0 + xp.exp(-a)),
    "tanh": lambda xp, a, b, c: xp.tanh(a),
    "exp": lambda xp, a, b, c: xp.exp(a),
    "gelu": lambda xp, a, b, c: 0.5 * a * (1.0 + xp.tanh(GELU_C * (a + 0.044715 * (a * a * a)))),
    "swish": lambda xp, a, b, c: a / (1.0 + xp.exp(-a)),
    "softmax": _softmax,
    "log_softmax": _log_softmax,
}

MATMUL = {"matmul": lambda xp, a, b, c: xp.matmul(a, b)}

# Reductions: their float error grows with n, so they are checked against sum(|terms|).
REDUCTIONS = {"dot", "sum", "norm_l1", "norm_l2"}
ARG_OPS = {"argmax", "argmin"}

# Memory-bound ops: how many n-element arrays each moves (inputs read + output written),
# for their bandwidth against the copy roofline (run.py measures np.copyto as that).
MEMORY_BOUND = {"add": 3, "mul": 3, "scale": 2, "abs": 2, "relu": 2}

VECTOR_SIZES = [100, 1_000, 10_000, 100_000, 1_000_000]
MATMUL_SIZES = [256, 1024]


def make_inputs(op, n, dtype, seed=0):
    """NumPy inputs (a, b, c) for one cell: vectors of n, or n x n matrices for matmul."""
    rng = np.random.default_rng(seed + n)
    shape = (n, n) if op in MATMUL else (n,)
    a = rng.standard_normal(shape).astype(dtype)
    b = rng.uniform(0.5, 2.0, shape).astype(dtype)
    if op in MATMUL:
        b = rng.standard_normal(shape).astype(dtype)
    c = rng.standard_normal(shape).astype(dtype)
    return a, b, c


class NotInLibrary(Exception):
    """A column's library has no such function: the cell is left out there, not failed."""


def op_fn(op):
    return OPS[op] if op in OPS else MATMUL[op]


def check(op, got, a, b, c, expected):
    """Raise AssertionError unless `got` (a NumPy array) matches NumPy's `expected`."""
    got = np.asarray(got)
    expected = np.asarray(expected)
    if got.shape != expected.shape:
        raise AssertionError(f"{op}: shape {got.shape} != {expected.shape}")
    if op in ARG_OPS:
        # Equal values tie; accept any index holding the extreme value.
        want = np.max(a) if op == "argmax" else np.min(a)
        if a[int(got)] != want:
            raise AssertionError(f"{op}: index {int(got)} holds {a[int(got)]}, extreme is {want}")
        return
    if got.dtype != expected.dtype:
        raise AssertionError(f"{op}: dtype {got.dtype} != NumPy's {expected.dtype}")
    f32 = expected.dtype == np.float32
    eps = 1e-5 if f32 else 1e-12
    rtol = 2e-4 if f32 else 1e-10
    a64, b64 = a.astype(np.float64), b.astype(np.float64)
    # Summation order differs between libraries: bound the error by the terms' size.
    if op in ("dot", "matmul"):
        scale = np.abs(a64) @ np.abs(b64)
    elif op == "norm_l2":
        scale = np.sqrt(np.sum(a64 * a64))
    elif op in REDUCTIONS:
        scale = np.sum(np.abs(a64))
    else:
        scale = np.max(np.abs(expected.astype(np.float64)), initial=0.0)
    got64, exp64 = got.astype(np.float64), expected.astype(np.float64)
    if not np.allclose(got64, exp64, rtol=rtol, atol=eps * scale + 1e-30, equal_nan=True):
        err = np.max(np.abs(got64 - exp64))
        raise AssertionError(f"{op}: differs from NumPy (max abs error {err:.3g})")


def to_numpy(x):
    """Result of any library -> NumPy array (torch tensors via .numpy())."""
    if hasattr(x, "detach"):
        return x.detach().cpu().numpy()
    return np.asarray(x)


def torch_namespace(torch):
    """An array-API namespace for PyTorch whose hot functions are torch's own.

    array_api_compat's generic wrappers cost 3-30 us a call for some of the spellings
    used here (maximum with a Python scalar ~10 us, vecdot ~30 us, clip ~4 us), which
    would time the adapter, not PyTorch; so the functions the op table uses map straight
    to torch, and anything else falls back to array_api_compat.torch when installed.
    """
    try:
        import array_api_compat.torch as fallback
    except ImportError:
        fallback = torch

    def maximum(x, y):
        return torch.clamp_min(x, y) if isinstance(y, (int, float)) else torch.maximum(x, y)

    def vecdot(x, y):
        return torch.dot(x, y) if x.ndim == 1 and y.ndim == 1 else torch.linalg.vecdot(x, y)

    ns = types.SimpleNamespace(
        __name__="torch (array-API shim)",
        add=torch.add, subtract=torch.sub, multiply=torch.mul, divide=torch.div,
        abs=torch.abs, clip=torch.clamp, maximum=maximum, vecdot=vecdot,
        sum=torch.sum, max=torch.amax, min=torch.amin, argmax=torch.argmax, argmin=torch.argmin,
        sqrt=torch.sqrt, exp=torch.exp, log=torch.log, tanh=torch.tanh, matmul=torch.matmul,
        asarray=lambda x: torch.from_numpy(np.array(x, copy=True)),
    )

    class _NS(types.SimpleNamespace):
        def __getattr__(self, name):
            return getattr(fallback, name)

    return _NS(**vars(ns))

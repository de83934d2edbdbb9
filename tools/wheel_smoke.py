"""Smoke test of an installed trueno wheel (tools/check-wheel.sh runs it).

Needs only what the wheel depends on (numpy, scipy-openblas32): no pytest,
no source tree. Checks that every Highway library mapped into the process
lies inside trueno's installed tree (the wheel's trueno.libs/), then runs a
few functions of each section on every ISA target, against NumPy. Exits
non-zero with the first failure.
"""
from __future__ import annotations

import os
import struct
import sys
import tempfile

import numpy as np

import trueno as xp
from trueno import _config


def check_bundled_highway() -> None:
    tree = os.path.dirname(os.path.dirname(os.path.abspath(xp.__file__)))
    loaded = _config._loaded_libraries(r"libhwy(_contrib)?[.-]")
    assert len(loaded) >= 2, f"expected libhwy and libhwy_contrib mapped, got {loaded}"
    outside = [p for p in loaded if os.path.commonpath([p, tree]) != tree]
    assert not outside, f"Highway loaded from outside the wheel's tree {tree}: {outside}"
    print("highway:", ", ".join(loaded))


def close(got, want, what: str, rtol: float = 1e-5, atol: float = 1e-6) -> None:
    got = np.asarray(got)
    if not np.allclose(got, want, rtol=rtol, atol=atol, equal_nan=True):
        raise AssertionError(f"{what} on {xp.get_isa()}: {got!r} != {want!r}")


def q8_0_gguf(rows: int, cols: int) -> tuple[bytes, np.ndarray]:
    """A GGUF v3 file holding one Q8_0 weight [rows, cols] and the float32 values it holds."""
    rng = np.random.default_rng(1)
    q = rng.integers(-127, 128, size=(rows, cols // 32, 32), dtype=np.int8)
    scale = np.full((rows, cols // 32), 0.01, dtype=np.float16)
    blocks = b"".join(scale[r, b].tobytes() + q[r, b].tobytes()
                      for r in range(rows) for b in range(cols // 32))
    name = b"w"
    out = bytearray(b"GGUF" + struct.pack("<IQQ", 3, 1, 0))
    out += struct.pack("<Q", len(name)) + name + struct.pack("<IQQ", 2, cols, rows)
    out += struct.pack("<IQ", 8, 0)  # type Q8_0, offset 0
    out += b"\0" * (-len(out) % 32)
    out += blocks
    values = (q.astype(np.float32) * scale[..., None].astype(np.float32)).reshape(rows, cols)
    return bytes(out), values


def sections(gguf_path: str, weight: np.ndarray) -> dict:
    """One pass over the sections; returns the results to compare across targets."""
    out = {}
    # creation
    a = xp.linspace(-2, 2, 1001, dtype=xp.float32)
    close(a, np.linspace(-2, 2, 1001, dtype=np.float32), "linspace")
    close(xp.arange(10), np.arange(10), "arange")
    close(xp.eye(3), np.eye(3), "eye")
    close(xp.full((2, 3), 7.5), np.full((2, 3), 7.5), "full")
    an = np.asarray(a)
    # elementwise
    for name in ("exp", "sin", "tanh", "abs"):
        got = getattr(xp, name)(a)
        close(got, getattr(np, name)(an), name, rtol=1e-5, atol=1e-6)
        out[name] = np.asarray(got)
    close(a * 3 + 1, an * 3 + 1, "a * 3 + 1")
    close(xp.sqrt(a + 2), np.sqrt(an + 2), "sqrt")
    close(xp.where(a > 0, a, 0), np.where(an > 0, an, 0), "where")
    # reductions
    m = xp.reshape(xp.arange(24.0, dtype=xp.float32), (4, 6))
    mn = np.arange(24.0, dtype=np.float32).reshape(4, 6)
    close(xp.sum(a + 2), np.sum(an + 2, dtype=np.float64), "sum", rtol=1e-5)
    close(xp.mean(m, axis=0), mn.mean(axis=0), "mean(axis=0)")
    close(xp.max(m, axis=1), mn.max(axis=1), "max(axis=1)")
    close(xp.argmax(a), np.argmax(an), "argmax")
    close(xp.std(a), np.std(an), "std", rtol=1e-4)
    # sort, search, set
    r = np.random.default_rng(0).standard_normal(257).astype(np.float32)
    close(xp.sort(xp.asarray(r)), np.sort(r), "sort")
    close(xp.argsort(xp.asarray(r), stable=True), np.argsort(r, kind="stable"), "argsort")
    close(xp.unique_values(xp.asarray([3, 1, 3, 2])), [1, 2, 3], "unique_values")
    close(xp.searchsorted(xp.asarray([1.0, 2.0, 3.0]), xp.asarray([2.5])), [2], "searchsorted")
    # linalg
    s = np.array([[4.0, 1.0, 0.5], [1.0, 3.0, 0.2], [0.5, 0.2, 2.0]])
    close(xp.matmul(m, xp.matrix_transpose(m)), mn @ mn.T, "matmul", rtol=1e-5)
    close(xp.linalg.solve(xp.asarray(s), xp.asarray([1.0, 2.0, 3.0])),
          np.linalg.solve(s, [1.0, 2.0, 3.0]), "linalg.solve")
    close(xp.linalg.cholesky(xp.asarray(s)), np.linalg.cholesky(s), "linalg.cholesky")
    close(xp.linalg.svdvals(xp.asarray(s)), np.linalg.svd(s, compute_uv=False), "linalg.svdvals")
    close(xp.linalg.vector_norm(a), np.linalg.norm(an), "linalg.vector_norm", rtol=1e-5)
    # fft
    z = np.arange(16.0)
    close(xp.fft.fft(xp.asarray(z)), np.fft.fft(z), "fft.fft", atol=1e-9)
    close(xp.fft.irfft(xp.fft.rfft(xp.asarray(z))), z, "fft.irfft(rfft)", atol=1e-9)
    # nn
    close(xp.nn.softmax(m, axis=-1), np.exp(mn) / np.exp(mn).sum(-1, keepdims=True), "nn.softmax")
    close(xp.nn.relu(a), np.maximum(an, 0), "nn.relu")
    out["gelu"] = np.asarray(xp.nn.gelu(a))
    # gguf: a memory-mapped Q8_0 weight, dequantized and multiplied without expanding it
    with xp.gguf.load(gguf_path) as f:
        w = f.quantized("w")
        close(w.dequantize(), weight, "gguf dequantize")
        x = xp.asarray(np.linspace(-1, 1, 2 * weight.shape[1], dtype=np.float32).reshape(2, -1))
        y = xp.gguf.linear(x, w)
        close(y, np.asarray(x) @ weight.T, "gguf.linear", rtol=1e-4, atol=1e-4)
        out["gguf.linear"] = np.asarray(y)
    return out


def main() -> int:
    print(f"trueno {xp.__version__} from {os.path.dirname(xp.__file__)}")
    check_bundled_highway()
    blob, weight = q8_0_gguf(rows=8, cols=64)
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "q8.gguf")
        with open(path, "wb") as f:
            f.write(blob)
        first = None
        for isa in xp.available_isas():
            xp.set_isa(isa)
            assert xp.get_isa() == isa, (xp.get_isa(), isa)
            results = sections(path, weight)
            if first is None:
                first = results
            for key, value in results.items():  # every target computes the same, within ULPs
                close(value, first[key], f"{key} against {xp.available_isas()[0]}",
                      rtol=1e-5, atol=1e-6)
            print(f"{isa}: ok")
        xp.set_isa("best")
    check_bundled_highway()  # still (nothing loaded another copy meanwhile)
    return 0


if __name__ == "__main__":
    sys.exit(main())

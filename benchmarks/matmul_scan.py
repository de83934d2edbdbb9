"""matmul GFLOP/s at n = 256 ... 2048, float32 and float64, one thread:
trueno vs NumPy (and PyTorch when installed), interleaved sample by sample.

    python benchmarks/matmul_scan.py [--sizes 256,512,1024,2048] [--repeats 7]

Issue 4 asks trueno's matmul for >= 90% of NumPy's GFLOP/s over this range; the
script prints one markdown table with each library's best-of-repeats GFLOP/s
and trueno's fraction of NumPy's. Results are checked against NumPy first.
"""
from __future__ import annotations

import argparse
import os
import time

# one BLAS thread everywhere, before any BLAS loads
for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[_var] = "1"

import numpy as np  # noqa: E402

import trueno  # noqa: E402


def _torch():
    try:
        import torch
    except ImportError:
        print("PyTorch not installed: its column is skipped")
        return None
    torch.set_num_threads(1)
    return torch


def _best_seconds(call, repeats: int) -> float:
    call()  # warm-up: first-touch pages and BLAS buffers
    best = float("inf")
    for _ in range(repeats):
        start = time.perf_counter()
        call()
        best = min(best, time.perf_counter() - start)
    return best


def scan(sizes: list[int], repeats: int) -> list[dict]:
    torch = _torch()
    rng = np.random.default_rng(0)
    rows = []
    for dtype in ("float32", "float64"):
        for n in sizes:
            a, b = (rng.standard_normal((n, n)).astype(dtype) for _ in range(2))
            ta, tb = trueno.asarray(a), trueno.asarray(b)
            calls = {"numpy": lambda: np.matmul(a, b), "trueno": lambda: trueno.matmul(ta, tb)}
            if torch is not None:
                pa, pb = torch.from_numpy(a), torch.from_numpy(b)
                calls["torch"] = lambda: torch.matmul(pa, pb)
            expected = calls["numpy"]()
            tol = 1e-3 if dtype == "float32" else 1e-10
            np.testing.assert_allclose(np.asarray(calls["trueno"]()), expected, rtol=tol, atol=tol * n)
            best = {name: float("inf") for name in calls}
            for _ in range(repeats):  # interleaved: noise hits every library alike
                for name, call in calls.items():
                    best[name] = min(best[name], _best_seconds(call, 1))
            flops = 2.0 * n ** 3
            rows.append({"dtype": dtype, "n": n,
                         **{name: flops / seconds / 1e9 for name, seconds in best.items()}})
    return rows


def markdown(rows: list[dict]) -> str:
    has_torch = "torch" in rows[0]
    head = "| dtype | n | NumPy GFLOP/s | trueno GFLOP/s |" + (" PyTorch GFLOP/s |" if has_torch else "")
    head += " trueno / NumPy |\n|---|---|---|---|" + ("---|" if has_torch else "") + "---|\n"
    lines = []
    for r in rows:
        cells = [r["dtype"], str(r["n"]), f"{r['numpy']:.1f}", f"{r['trueno']:.1f}"]
        if has_torch:
            cells.append(f"{r['torch']:.1f}")
        cells.append(f"{r['trueno'] / r['numpy']:.0%}")
        lines.append("| " + " | ".join(cells) + " |")
    return head + "\n".join(lines)


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="256,512,1024,2048")
    parser.add_argument("--repeats", type=int, default=7)
    args = parser.parse_args(argv)
    sizes = [int(s) for s in args.sizes.split(",")]
    if any(n <= 0 for n in sizes) or args.repeats <= 0:
        parser.error("--sizes and --repeats must be positive")
    print(markdown(scan(sizes, args.repeats)))


if __name__ == "__main__":
    main()

"""Side-by-side benchmark: the same array-API code on NumPy, trueno (and PyTorch when installed).

    python benchmarks/run.py [--quick] [--json PATH]

Single-threaded, interleaved sample by sample so that machine noise hits every
library alike; prints medians and the trueno/NumPy time ratio. Results are
checked against NumPy before timing. (The full suite with per-ISA columns,
plots and `compare` arrives with the SIMD issue; this is its first cut.)
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import sys
import time

for var in ("OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE"):
    os.environ.pop(var, None)
os.environ.setdefault("OMP_NUM_THREADS", "1")
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

import numpy as np  # noqa: E402

import trueno  # noqa: E402


def libraries():
    libs = {"numpy": np, "trueno": trueno}
    try:
        import torch

        torch.set_num_threads(1)
        libs["torch"] = torch
    except ImportError:
        print("PyTorch not installed: its column is skipped (pip install 'trueno[torch]')")
    return libs


def to_lib(xp, a):
    if xp.__name__ == "torch":
        return xp.from_numpy(a.copy())
    return xp.asarray(a)


# The same code for every library: name -> (function of (xp, a, b), needs b)
OPS = {
    "add": lambda xp, a, b: xp.add(a, b),
    "mul": lambda xp, a, b: xp.multiply(a, b),
    "div": lambda xp, a, b: xp.divide(a, b),
    "scale": lambda xp, a, b: a * 2.5,
    "abs": lambda xp, a, b: xp.abs(a),
    "exp": lambda xp, a, b: xp.exp(a),
    "tanh": lambda xp, a, b: xp.tanh(a),
    "sqrt": lambda xp, a, b: xp.sqrt(xp.abs(a)),
    "maximum": lambda xp, a, b: xp.maximum(a, b),
}


def median_ns(samples):
    return statistics.median(samples) * 1e9


def run(sizes, repeats, out_path):
    libs = libraries()
    rng = np.random.default_rng(0)
    rows = []
    for n in sizes:
        a_np = rng.standard_normal(n).astype(np.float32)
        b_np = rng.standard_normal(n).astype(np.float32) + 3
        inputs = {name: (to_lib(xp, a_np), to_lib(xp, b_np)) for name, xp in libs.items()}
        for op, fn in OPS.items():
            expected = fn(np, a_np, b_np)
            got = np.asarray(fn(trueno, *inputs["trueno"]))
            np.testing.assert_allclose(got, expected, rtol=2e-6, atol=1e-6)
            inner = max(1, int(2e5 // max(n, 1)))
            samples = {name: [] for name in libs}
            for _ in range(repeats):
                for name, xp in libs.items():
                    a, b = inputs[name]
                    t0 = time.perf_counter()
                    for _ in range(inner):
                        fn(xp, a, b)
                    samples[name].append((time.perf_counter() - t0) / inner)
            row = {"op": op, "n": n, **{f"{k}_ns": median_ns(v) for k, v in samples.items()}}
            row["trueno_vs_numpy"] = row["trueno_ns"] / row["numpy_ns"]
            rows.append(row)
            cols = "  ".join(f"{k} {row[f'{k}_ns']:>10.0f} ns" for k in libs)
            print(f"{op:>8} n={n:<8} {cols}  trueno/numpy {row['trueno_vs_numpy']:.2f}")
    ratios = [r["trueno_vs_numpy"] for r in rows]
    geo = float(np.exp(np.mean(np.log(ratios))))
    print(f"geometric mean trueno/numpy time ratio: {geo:.2f} (below 1 = trueno faster); "
          f"ISA {trueno.get_isa()}")
    result = {"machine": platform.machine(), "processor": platform.processor(), "python": sys.version,
              "numpy": np.__version__, "isa": trueno.get_isa(), "rows": rows, "geomean_ratio": geo}
    if out_path:
        os.makedirs(os.path.dirname(out_path) or ".", exist_ok=True)
        with open(out_path, "w") as f:
            json.dump(result, f, indent=1)
        print(f"wrote {out_path}")


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--quick", action="store_true", help="fewer sizes and samples")
    p.add_argument("--json", default="benchmarks/results/latest.json")
    args = p.parse_args()
    sizes = [100, 100_000] if args.quick else [100, 1_000, 10_000, 100_000, 1_000_000]
    run(sizes, 5 if args.quick else 15, args.json)


if __name__ == "__main__":
    main()

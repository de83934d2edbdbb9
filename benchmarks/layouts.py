"""Strided and transposed inputs against contiguous ones, one thread:

    python benchmarks/layouts.py [--repeats 7]

Issue 4 asks that a transposed or sliced input keep >= 50% of the contiguous
throughput. For each case the script times the same call on a contiguous
operand and on the strided one (best of --repeats), for trueno and NumPy
interleaved, and prints one markdown table of the ratios contiguous/strided
time (1.0 = no cliff). Results are checked against NumPy first.
"""
from __future__ import annotations

import argparse
import os
import timeit

for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[_var] = "1"

import numpy as np  # noqa: E402

import trueno  # noqa: E402


def cases(xp, m, v, row):
    """(name, contiguous call, strided call) on 1000x1000 `m`, 2M-vector `v`."""
    mt, vs, vc = m.T, v[::2], v[: v.shape[0] // 2]
    return [
        ("exp(m.T)", lambda: xp.exp(m), lambda: xp.exp(mt)),
        ("tanh(m.T)", lambda: xp.tanh(m), lambda: xp.tanh(mt)),
        ("m.T + m.T", lambda: m + m, lambda: mt + mt),
        ("m + m.T", lambda: m + m, lambda: m + mt),
        ("m + row (broadcast)", lambda: m + m, lambda: m + row),
        ("v[::2] + v[::2]", lambda: vc + vc, lambda: vs + vs),
        ("exp(v[::2])", lambda: xp.exp(vc), lambda: xp.exp(vs)),
        ("sum(m.T)", lambda: xp.sum(m), lambda: xp.sum(mt)),
        ("max(m.T)", lambda: xp.max(m), lambda: xp.max(mt)),
        ("sum(m, axis=0)", lambda: xp.sum(m, axis=1), lambda: xp.sum(m, axis=0)),
    ]


def best(call, repeats: int) -> float:
    return min(timeit.repeat(call, number=5, repeat=repeats)) / 5


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=7)
    args = parser.parse_args(argv)
    if args.repeats <= 0:
        parser.error("--repeats must be positive")
    rng = np.random.default_rng(0)
    m = rng.standard_normal((1000, 1000)).astype(np.float32)
    v = rng.standard_normal(2_000_000).astype(np.float32)
    row = rng.standard_normal(1000).astype(np.float32)
    ours = cases(trueno, trueno.asarray(m), trueno.asarray(v), trueno.asarray(row))
    theirs = cases(np, m, v, row)
    print("| case | trueno contiguous | trueno strided | trueno ratio | NumPy ratio |\n|---|---|---|---|---|")
    for (name, t_cont, t_strided), (_, n_cont, n_strided) in zip(ours, theirs):
        np.testing.assert_allclose(np.asarray(t_strided()), n_strided(), rtol=1e-4, atol=1e-3)
        times = {}
        for _ in range(2):  # interleaved rounds: noise hits both libraries alike
            for key, call in (("tc", t_cont), ("ts", t_strided), ("nc", n_cont), ("ns", n_strided)):
                times[key] = min(times.get(key, float("inf")), best(call, args.repeats))
        print(f"| {name} | {times['tc'] * 1e6:.0f} us | {times['ts'] * 1e6:.0f} us | "
              f"{times['tc'] / times['ts']:.2f} | {times['nc'] / times['ns']:.2f} |")


if __name__ == "__main__":
    main()

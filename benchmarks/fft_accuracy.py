"""FFT accuracy per SIMD target: the table issue 16 asks for.

    python benchmarks/fft_accuracy.py [--isas avx3,scalar] [--max-length 4096] [--no-long]

For fft, ifft, rfft and irfft in complex64 and complex128, the worst relative RMS
error divided by eps * log2(n) over every length 1..max-length and the long and
prime lengths below, on each ISA target. References: NumPy's complex128 transform
for single precision, NumPy's clongdouble transform (long double) for double;
the error is computed in the reference's precision. The inverses are checked
against the inputs they came from (the reference spectrum rounded to the dtype).
Prints a markdown table; about 2 minutes for all five targets.
"""
from __future__ import annotations

import argparse
import math
import sys
import time

import numpy as np

import trueno as xp

LONG_LENGTHS = [10007, 65537, 2**16, 2**18, 2**20, 3 * 2**17, 999983]
EPS = {"complex64": float(np.finfo(np.float32).eps), "complex128": float(np.finfo(np.float64).eps)}
FUNCTIONS = ("fft", "ifft", "rfft", "irfft")


def case(n: int, dtype: str):
    """(x, its spectrum, real xr, its half spectrum), the spectra in the reference's precision."""
    rng = np.random.default_rng(1000003 * n)
    x = (rng.standard_normal(n) + 1j * rng.standard_normal(n)).astype(dtype)
    xr = rng.standard_normal(n).astype("float32" if dtype == "complex64" else "float64")
    wide, wide_real = (np.clongdouble, np.longdouble) if dtype == "complex128" else (np.complex128, np.float64)
    return x.astype(wide), np.fft.fft(x.astype(wide)), xr.astype(wide_real), np.fft.rfft(xr.astype(wide_real))


def ratio(got, ref, dtype: str, n: int) -> float:
    got = np.asarray(got).astype(ref.dtype)
    norm = np.sqrt(np.mean(np.abs(ref) ** 2))
    err = np.sqrt(np.mean(np.abs(got - ref) ** 2))
    return float((err / norm if norm else err) / (EPS[dtype] * max(1.0, math.log2(n))))


def ratios(n: int, dtype: str) -> dict:
    x, fx, xr, fr = case(n, dtype)
    real = "float32" if dtype == "complex64" else "float64"
    return {
        "fft": ratio(xp.fft.fft(xp.asarray(x.astype(dtype))), fx, dtype, n),
        "ifft": ratio(xp.fft.ifft(xp.asarray(fx.astype(dtype))), x, dtype, n),
        "rfft": ratio(xp.fft.rfft(xp.asarray(xr.astype(real))), fr, dtype, n),
        "irfft": ratio(xp.fft.irfft(xp.asarray(fr.astype(dtype)), n=n), xr, dtype, n),
    }


def worst(lengths, dtype: str) -> dict:
    """{function: (worst ratio, at n)}."""
    out = {}
    for n in lengths:
        for f, r in ratios(n, dtype).items():
            if r > out.get(f, (-1.0, 0))[0]:
                out[f] = (r, n)
    return out


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--isas", default=",".join(xp.available_isas()))
    p.add_argument("--max-length", type=int, default=4096)
    p.add_argument("--no-long", action="store_true", help="leave out the long and prime lengths")
    args = p.parse_args(argv)
    lengths = list(range(1, args.max_length + 1)) + ([] if args.no_long else LONG_LENGTHS)
    print("| ISA | complex64 " + " / ".join(FUNCTIONS) + " | complex128 " + " / ".join(FUNCTIONS) + " |")
    print("|---|---|---|")
    start, before = time.perf_counter(), xp.get_isa()
    try:
        for isa in args.isas.split(","):
            xp.set_isa(isa)
            cells = []
            for dtype in ("complex64", "complex128"):
                w = worst(lengths, dtype)
                cells.append(" / ".join(f"{w[f][0]:.2f} (n={w[f][1]})" for f in FUNCTIONS))
            print(f"| {isa} | " + " | ".join(cells) + " |", flush=True)
    finally:
        xp.set_isa(before)
    print(f"worst relative RMS error / (eps log2 n) over n = 1..{args.max_length}"
          + ("" if args.no_long else " and " + ", ".join(map(str, LONG_LENGTHS)))
          + f"; {time.perf_counter() - start:.0f} s", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())

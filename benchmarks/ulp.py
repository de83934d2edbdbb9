"""Max error in ULP of every float transcendental, per dtype and per SIMD target.

    PYTHONPATH=... python benchmarks/ulp.py [--points 1500] [--functions exp,tan]

For each function of the namespace (and trueno.nn) and each of float32 and
float64, a fixed seeded sample spanning the domain (uniform points over the
ordinary range plus log-spaced magnitudes out to the domain's ends) is
evaluated on every target in trueno.available_isas(); the error is measured
against 40-digit mpmath, in ULP of the exact result rounded to the dtype (the
sample's exact float values are the inputs, so float32 is not judged against
a float64 rounding). Special inputs (NaN, +-0, +-inf, domain edges) must give
exactly NumPy's (C99 / the spec's) results: a cell reads "spec!" where one
does not. Prints one markdown table: rows function x dtype, columns targets.
Runs in seconds: the mpmath references are computed once per dtype
and shared by all targets.
"""
from __future__ import annotations

import argparse
import sys
import time
import warnings

import mpmath as mp
import numpy as np

import trueno as xp
from trueno import nn

mp.mp.dps = 40
F32, F64 = np.float32, np.float64


def _lim(dtype, f32, f64):
    return f32 if dtype == F32 else f64


# name -> (trueno call, mpmath reference, numpy reference for the special values,
#          domain (lo, hi) per dtype or a callable giving it, "ordinary" range)
UNARY = {
    "exp": (xp.exp, mp.exp, np.exp, lambda t: _lim(t, (-103.9, 88.7), (-745.1, 709.7)), (-20, 20)),
    "expm1": (xp.expm1, mp.expm1, np.expm1, lambda t: _lim(t, (-103.9, 88.7), (-745.1, 709.7)), (-5, 5)),
    "log": (xp.log, mp.log, np.log, lambda t: (0, float(np.finfo(t).max)), (0, 10)),
    "log1p": (xp.log1p, mp.log1p, np.log1p, lambda t: (-1, float(np.finfo(t).max)), (-1, 10)),
    "log2": (xp.log2, lambda v: mp.log(v, 2), np.log2, lambda t: (0, float(np.finfo(t).max)), (0, 10)),
    "log10": (xp.log10, mp.log10, np.log10, lambda t: (0, float(np.finfo(t).max)), (0, 10)),
    "sin": (xp.sin, mp.sin, np.sin, lambda t: (-1e6, 1e6), (-10, 10)),
    "cos": (xp.cos, mp.cos, np.cos, lambda t: (-1e6, 1e6), (-10, 10)),
    "tan": (xp.tan, mp.tan, np.tan, lambda t: (-1e7, 1e7), (-10, 10)),
    "asin": (xp.asin, mp.asin, np.arcsin, lambda t: (-1, 1), (-1, 1)),
    "acos": (xp.acos, mp.acos, np.arccos, lambda t: (-1, 1), (-1, 1)),
    "atan": (xp.atan, mp.atan, np.arctan, lambda t: (-float(np.finfo(t).max), float(np.finfo(t).max)), (-10, 10)),
    "sinh": (xp.sinh, mp.sinh, np.sinh, lambda t: _lim(t, (-89.4, 89.4), (-710.4, 710.4)), (-5, 5)),
    "cosh": (xp.cosh, mp.cosh, np.cosh, lambda t: _lim(t, (-89.4, 89.4), (-710.4, 710.4)), (-5, 5)),
    "tanh": (xp.tanh, mp.tanh, np.tanh, lambda t: (-30, 30), (-5, 5)),
    "asinh": (xp.asinh, mp.asinh, np.arcsinh, lambda t: (-float(np.finfo(t).max), float(np.finfo(t).max)), (-10, 10)),
    "acosh": (xp.acosh, mp.acosh, np.arccosh, lambda t: (1, float(np.finfo(t).max)), (1, 10)),
    "atanh": (xp.atanh, mp.atanh, np.arctanh, lambda t: (-1, 1), (-1, 1)),
    "sqrt": (xp.sqrt, mp.sqrt, np.sqrt, lambda t: (0, float(np.finfo(t).max)), (0, 10)),
}


def _sigmoid(v):
    return 1 / (1 + mp.exp(-v))


_GC = mp.sqrt(2 / mp.pi)
NN = {
    "nn.sigmoid": (nn.sigmoid, _sigmoid, (-120, 120), (-10, 10)),
    "nn.swish": (nn.swish, lambda v: v * _sigmoid(v), (-120, 120), (-10, 10)),
    "nn.gelu (erf)": (nn.gelu, lambda v: v / 2 * mp.erfc(-v / mp.sqrt(2)), (-40, 40), (-6, 6)),
    "nn.gelu (tanh)": (lambda a: nn.gelu(a, approximate="tanh"),
                       # v/2 (1 + tanh u) as v / (1 + e^(-2u)): 1 + tanh u cancels in 40 digits for u << 0.
                       lambda v: v / (1 + mp.exp(-2 * _GC * (v + mp.mpf(0.044715) * v**3))), (-40, 40), (-6, 6)),
}
# nn special values -> exact results.
NN_SPECIAL = {
    "nn.sigmoid": [(np.nan, np.nan), (np.inf, 1.0), (-np.inf, 0.0), (0.0, 0.5), (-0.0, 0.5)],
    "nn.swish": [(np.nan, np.nan), (np.inf, np.inf), (-np.inf, -0.0), (0.0, 0.0), (-0.0, -0.0)],
    "nn.gelu (erf)": [(np.nan, np.nan), (np.inf, np.inf), (-np.inf, -0.0), (0.0, 0.0), (-0.0, -0.0)],
    "nn.gelu (tanh)": [(np.nan, np.nan), (np.inf, np.inf), (-np.inf, -0.0), (0.0, 0.0), (-0.0, -0.0)],
}

BINARY = {
    "atan2": (xp.atan2, mp.atan2, np.arctan2),
    "hypot": (xp.hypot, lambda a, b: mp.sqrt(a * a + b * b), np.hypot),
    "pow": (xp.pow, lambda a, b: mp.power(a, b), np.power),
    "logaddexp": (xp.logaddexp, lambda a, b: mp.log(mp.exp(a) + mp.exp(b)), np.logaddexp),
}


def sample_unary(dtype, domain, ordinary, n, rng):
    lo, hi = domain
    fi = np.finfo(dtype)
    u = rng.uniform(max(lo, ordinary[0]), min(hi, ordinary[1]), n // 2)
    top = max(abs(lo), abs(hi))
    mag = np.exp(rng.uniform(np.log(float(fi.smallest_subnormal)), np.log(top), n - n // 2))
    mag *= rng.choice([-1.0, 1.0], mag.size)
    x = np.concatenate([u, mag, [lo, hi]])
    with np.errstate(all="ignore"):
        x = x.astype(dtype)
    return x[(x >= lo) & (x <= hi)]


def sample_binary(name, dtype, n, rng):
    fi = np.finfo(dtype)
    if name == "logaddexp":
        a, b = rng.uniform(-100, 100, (2, n))
        b[: n // 4] = a[: n // 4] + rng.uniform(-1, 1, n // 4)  # near-equal terms
    elif name == "pow":
        a = np.exp(rng.uniform(-20, 20, n))
        b = rng.uniform(-30, 30, n)
        b[: n // 4] = np.round(b[: n // 4])  # integer exponents, negative bases
        a[: n // 8] = -a[: n // 8]
        big = float(np.log(fi.max)) * 0.95
        keep = np.abs(b * np.log(np.abs(a))) < big
        a, b = a[keep], b[keep]
    else:
        mag = lambda: np.exp(rng.uniform(np.log(float(fi.tiny)), np.log(float(fi.max)) - 1, n))  # noqa: E731
        a, b = mag() * rng.choice([-1.0, 1.0], n), mag() * rng.choice([-1.0, 1.0], n)
        a[: n // 2] = rng.uniform(-10, 10, n // 2)
        b[: n // 2] = rng.uniform(-10, 10, n // 2)
    return a.astype(dtype), b.astype(dtype)


def exact(f, *args):
    """The exact results as float64 pairs hi + lo (hi the nearest double)."""
    hi, lo = np.empty(len(args[0])), np.empty(len(args[0]))
    for i, vals in enumerate(zip(*args)):
        e = f(*(mp.mpf(float(v)) for v in vals))
        if isinstance(e, mp.mpc):
            e = mp.mpf("nan")
        h = float(e)
        hi[i] = h
        lo[i] = float(e - h) if np.isfinite(h) else 0.0
    return hi, lo


def ulp_max(got, hi, lo, dtype):
    """Max |got - exact| in ULP of the exact value rounded to dtype, over the
    points whose rounded exact value is finite and nonzero (inf when a
    finite reference gets a non-finite result)."""
    with np.errstate(all="ignore"):
        rounded = hi.astype(dtype)
        ok = np.isfinite(rounded) & (rounded != 0) & ~np.isnan(hi)
        g = got.astype(np.float64)[ok]
        if not np.all(np.isfinite(g)):
            return float("inf")
        err = np.abs((g - hi[ok]) - lo[ok]) / np.spacing(np.abs(rounded[ok])).astype(np.float64)
    return float(err.max()) if err.size else 0.0


def same_specials(got, want, *inputs):
    """NaN exactly where the reference has NaN; exact results (sign of zero
    included) where the reference is infinite or zero or an input is a zero
    or an infinity (the spec's special cases, cos(0) = 1 and tanh(inf) = 1
    among them); other special inputs (fi.max, subnormals) are judged only
    for NaN, their values being ordinary approximations."""
    if not np.array_equal(np.isnan(got), np.isnan(want)):
        return False
    exact = ~np.isnan(want) & (~np.isfinite(want) | (want == 0))
    for x in inputs:
        exact |= ~np.isnan(want) & (np.isinf(x) | (x == 0))
    return bool(np.array_equal(got[exact], want[exact]) and
                np.array_equal(np.signbit(got[exact]), np.signbit(want[exact])))


def special_unary(dtype):
    fi = np.finfo(dtype)
    vals = [np.nan, np.inf, -np.inf, 0.0, -0.0, 1.0, -1.0, float(fi.max), -float(fi.max),
            float(fi.smallest_subnormal), -float(fi.smallest_subnormal)]
    return np.array(vals, dtype=dtype)


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--points", type=int, default=4000, help="sample points per function and dtype")
    ap.add_argument("--functions", default="", help="comma-separated subset (default: all)")
    args = ap.parse_args(argv)
    if args.points < 10:
        ap.error("--points must be at least 10")
    t0 = time.perf_counter()
    chosen = set(args.functions.split(",")) - {""}
    isas = list(xp.available_isas())
    rows = []  # (label, dtype, {isa: cell})

    def want(name):
        return not chosen or name in chosen

    def table_row(label, dtype, cells):
        rows.append((label, np.dtype(dtype).name, cells))
        print(f"  {label} {np.dtype(dtype).name}: " + " ".join(f"{k}={v}" for k, v in cells.items()),
              file=sys.stderr, flush=True)

    def per_isa(compute, check_specials):
        cells = {}
        for isa in isas:
            xp.set_isa(isa)
            err = compute()
            cells[isa] = f"{err:.2f}" + ("" if check_specials() else " spec!")
        xp.set_isa("best")
        return cells

    warnings.simplefilter("ignore")
    for name, (fn, ref, npref, dom, ordinary) in UNARY.items():
        if not want(name):
            continue
        for dtype in (F32, F64):
            rng = np.random.default_rng(sum(map(ord, name)))
            x = sample_unary(dtype, dom(dtype), ordinary, args.points, rng)
            hi, lo = exact(ref, x)
            sp = special_unary(dtype)
            with np.errstate(all="ignore"):
                sp_want = npref(sp.astype(np.float64)).astype(dtype)
            cells = per_isa(lambda: ulp_max(np.asarray(fn(xp.asarray(x))), hi, lo, dtype),
                            lambda: same_specials(np.asarray(fn(xp.asarray(sp))), sp_want, sp))
            table_row(name, dtype, cells)
    for name, (fn, ref, npref) in BINARY.items():
        if not want(name):
            continue
        for dtype in (F32, F64):
            rng = np.random.default_rng(sum(map(ord, name)))
            a, b = sample_binary(name, dtype, args.points, rng)
            hi, lo = exact(ref, a, b)
            s = special_unary(dtype)[:5]
            sa, sb = np.repeat(s, s.size), np.tile(s, s.size)
            with np.errstate(all="ignore"):
                sp_want = npref(sa.astype(np.float64), sb.astype(np.float64)).astype(dtype)
            cells = per_isa(lambda: ulp_max(np.asarray(fn(xp.asarray(a), xp.asarray(b))), hi, lo, dtype),
                            lambda: same_specials(np.asarray(fn(xp.asarray(sa), xp.asarray(sb))), sp_want, sa, sb))
            table_row(name, dtype, cells)
    for name, (fn, ref, dom, ordinary) in NN.items():
        if not want(name):
            continue
        for dtype in (F32, F64):
            rng = np.random.default_rng(sum(map(ord, name)))
            x = sample_unary(dtype, dom, ordinary, args.points, rng)
            hi, lo = exact(ref, x)
            sp = np.array([v for v, _ in NN_SPECIAL[name]], dtype=dtype)
            sp_want = np.array([w for _, w in NN_SPECIAL[name]], dtype=dtype)
            cells = per_isa(lambda: ulp_max(np.asarray(fn(xp.asarray(x))), hi, lo, dtype),
                            lambda: same_specials(np.asarray(fn(xp.asarray(sp))), sp_want, sp))
            table_row(name, dtype, cells)
    for log in (False, True):
        name = "nn.log_softmax" if log else "nn.softmax"
        if not want(name):
            continue
        fn = nn.log_softmax if log else nn.softmax
        for dtype in (F32, F64):
            rng = np.random.default_rng(sum(map(ord, name)))
            width = 32
            x = rng.uniform(-30, 30, (max(1, args.points // width), width)).astype(dtype)
            his, los = [], []
            for row in x:
                m = [mp.mpf(float(v)) for v in row]
                s = mp.fsum(mp.exp(v) for v in m)
                vals = [v - mp.log(s) for v in m] if log else [mp.exp(v) / s for v in m]
                his.append([float(v) for v in vals])
                los.append([float(v - float(v)) for v in vals])
            hi, lo = np.array(his).ravel(), np.array(los).ravel()
            sp = np.array([[np.nan, 1.0], [np.inf, 1.0], [-np.inf, 0.0]], dtype=dtype)
            sp_want = (np.array([[np.nan, np.nan], [np.nan, np.nan], [-np.inf, 0.0]], dtype=dtype) if log else
                       np.array([[np.nan, np.nan], [np.nan, np.nan], [0.0, 1.0]], dtype=dtype))
            cells = per_isa(lambda: ulp_max(np.asarray(fn(xp.asarray(x), axis=-1)).ravel(), hi, lo, dtype),
                            lambda: same_specials(np.asarray(fn(xp.asarray(sp), axis=-1)), sp_want, sp))
            table_row(name, dtype, cells)

    print(f"\nMax error in ULP against 40-digit mpmath ({args.points} seeded points per row; "
          f"'spec!' = a special value off the spec; {time.perf_counter() - t0:.0f} s)\n")
    print("| function | dtype | " + " | ".join(isas) + " |")
    print("|---|---|" + "---:|" * len(isas))
    for label, dt, cells in rows:
        print(f"| {label} | {dt} | " + " | ".join(cells[i] for i in isas) + " |")


if __name__ == "__main__":
    main()

"""The linalg and fft section of the benchmark (opt-in: it takes minutes).

    python benchmarks/run.py --linalg [--fft] [--isas avx3] [--dtypes float32,float64]
                             [--ops det,fft] [--sizes 4,64,10Kx3x3] [--quick] [--no-scipy]
    python benchmarks/run.py --fft [...]

Every function of trueno.linalg and fft, rfft, irfft and fft2 (fftn over the last two
axes), written once against an array-API namespace as ops.py's table is, and measured
by run.py's machinery (run.measure_cell: checked against NumPy before it is timed, one
thread, samples interleaved column by column, medians and p10/p90 kept). Columns: NumPy,
PyTorch (when installed), SciPy (scipy.linalg / scipy.fft, when installed, with
check_finite=False; functions it lacks show "-"), for float32 FFTs NumPy run on the
float64/complex128 copy of the input ("numpy-f64": NumPy's complex64 FFT is slower than
its complex128 one), and trueno per ISA (--isas to limit; one ISA keeps the section
short).

Sizes: linalg at m = 4, 16, 64, 256, 512 (m x m matrices; cross on m 3-vectors, outer on
two m-vectors, vector_norm over all m*m elements with ord 1, 2 and inf) and batches of
10,000 3x3 and 4x4 matrices; fft, rfft, irfft at n = 64, 1000, 1024, 4096, 65536, 2^20, the
prime 10007 and a 512x512 batch (one transform per row); fft2 at 64x64 and 512x512.
Inputs are well-conditioned (A = I + 0.3 G/sqrt(m), G standard normal: singular values
in about [0.4, 1.6], |det| near 1; A A^T where a symmetric positive definite matrix is
needed; solve has 4 right-hand sides). Results are compared with NumPy's through what is
unique about them (Q R = A and |diag R| for qr, U S Vh = A and S for svd, eigenvalue sets
and residuals for eig, ...), so sign and order conventions do not fail a cell.
Cells of m >= 256 take 3 samples at least, not 5: a 512x512 eig takes ~0.3 s a call.

Targets (for the default trueno column, trueno.get_isa()), each cell marked met or not:
  numpy     every cell at least as fast as NumPy, within 5% (speedup >= 0.95)
  small-2x  small and batched cells (m <= 16, the 10K-matrix batches, single transforms
            of n <= 1024) at least 2x NumPy
  f32-1.5x  float32 power-of-two FFTs of n >= 1024 (fft2 512x512 included; not the
            512-point rows of the 512x512 batch) at least 1.5x the fastest of NumPy,
            numpy-f64 and SciPy
A cell that misses a target is measured three more times (interleaved as before, only
NumPy, the default trueno column and the references) and then counts with the median of
those three measurements per column; the first measurement stays in the JSON
("first_times").

Writes benchmarks/results/<timestamp>-linalg-fft.json and .md (like the default run) and
prints the table and the targets summary. Exit status 1 when a trueno column fails a
check (a reference library that cannot run a cell is reported, not counted).
"""
from __future__ import annotations

import argparse
import json
import math
import os
import sys
import time
import types

import numpy as np

try:  # imported as the package benchmarks (the tests)
    from . import ops as op_table, report, run as bench
except ImportError:  # run as the command: python benchmarks/run.py --linalg
    import ops as op_table  # noqa: E402
    import report  # noqa: E402
    import run as bench  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))

DEFAULT = dict(target_s=2e-3, max_rounds=15, min_rounds=5, large_min_rounds=3, cell_budget_s=0.6,
               reruns=3)
QUICK = dict(target_s=2e-4, max_rounds=3, min_rounds=2, large_min_rounds=2, cell_budget_s=0.0,
             reruns=3)

LINALG_SIZES = [4, 16, 64, 256, 512, "10Kx3x3", "10Kx4x4"]
FFT_SIZES = [64, 1000, 1024, 4096, 65536, 2**20, 10007, "512x512"]
FFT2_SIZES = ["64x64", "512x512"]
LARGE_M = 256          # cells from this m on take large_min_rounds samples at least


NotInLibrary = op_table.NotInLibrary

# ----------------------------------------------------------------------- sizes

def parse_size(size):
    """A size label -> (shape of the data, transform or matrix length, batch).

    An int m: an m x m matrix (linalg) or n samples (fft). "10Kx3x3": 10,000 3x3 matrices.
    "512x512": a 512x512 array (fft: 512 rows of 512, or one 2-D transform)."""
    if isinstance(size, int):
        return (size,), size, 1
    parts = []
    for p in str(size).split("x"):
        parts.append(int(p[:-1]) * 1000 if p.endswith("K") else int(p))
    return tuple(parts), parts[-1], math.prod(parts[:-1])


def size_label(text):
    """A --sizes item: an int when it is one, else the label itself."""
    try:
        return int(text)
    except ValueError:
        parse_size(text)  # raises on a malformed label
        return text


# ------------------------------------------------------------- the op tables

def _linalg(name, *extra, **kw):
    return lambda xp, a, b, c: getattr(xp.linalg, name)(a, *extra, **kw)


LINALG = {
    "cholesky": _linalg("cholesky"),
    "det": _linalg("det"),
    "eig": _linalg("eig"),
    "eigh": _linalg("eigh"),
    "eigvals": _linalg("eigvals"),
    "eigvalsh": _linalg("eigvalsh"),
    "inv": _linalg("inv"),
    "matrix_norm": _linalg("matrix_norm"),
    "matrix_power": _linalg("matrix_power", 5),
    "matrix_rank": _linalg("matrix_rank"),
    "pinv": _linalg("pinv"),
    "qr": _linalg("qr"),
    "slogdet": _linalg("slogdet"),
    "solve": lambda xp, a, b, c: xp.linalg.solve(a, b),
    "svd": _linalg("svd"),
    "svdvals": _linalg("svdvals"),
    "vector_norm_1": _linalg("vector_norm", ord=1),
    "vector_norm_2": _linalg("vector_norm", ord=2),
    "vector_norm_inf": _linalg("vector_norm", ord=math.inf),
    # the cheap ones
    "trace": _linalg("trace"),
    "diagonal": _linalg("diagonal"),
    "cross": lambda xp, a, b, c: xp.linalg.cross(a, b),
    "outer": lambda xp, a, b, c: xp.linalg.outer(a, b),
    "matmul": lambda xp, a, b, c: xp.linalg.matmul(a, b),
    "tensordot": lambda xp, a, b, c: xp.linalg.tensordot(a, b, axes=1),
    "vecdot": lambda xp, a, b, c: xp.linalg.vecdot(a, b),
}

FFT = {
    "fft": lambda xp, a, b, c: xp.fft.fft(a),
    "rfft": lambda xp, a, b, c: xp.fft.rfft(a),
    "irfft": lambda xp, a, b, c: xp.fft.irfft(a, n=c),
    "fft2": lambda xp, a, b, c: xp.fft.fftn(a, axes=(-2, -1)),
}

SPD = {"cholesky", "eigh", "eigvalsh"}
SECTIONS = {"linalg": LINALG, "fft": FFT}


def section_of(op):
    return "linalg" if op in LINALG else "fft"


def op_fn(op):
    return LINALG[op] if op in LINALG else FFT[op]


def applies(op, size):
    """Whether the cell (op, size) is measured: batches only where a function takes them."""
    shape, m, batch = parse_size(size)
    if len(shape) > (3 if op in LINALG else 2):
        return False
    if op in LINALG:
        if isinstance(size, int):
            return True
        if len(shape) != 3 or shape[1] != shape[2]:
            return False
        if op in ("outer", "tensordot"):  # 1-D only / a batch would make a 10K x 10K result
            return False
        return op != "cross" or m == 3
    if op == "fft2":
        return len(shape) == 2
    return size not in FFT2_SIZES or size in FFT_SIZES


def cells_of(ops, sizes=None):
    out = []
    for op in ops:
        default = LINALG_SIZES if op in LINALG else FFT2_SIZES if op == "fft2" else FFT_SIZES
        for size in (sizes if sizes is not None else default):
            if applies(op, size):
                out.append((op, size))
    return out


# ------------------------------------------------------------------------ inputs

def _general(rng, shape, m):
    """I + 0.3 G / sqrt(m): singular values in about [0.4, 1.6], |det| near 1 on average."""
    return np.eye(m) + 0.3 * rng.standard_normal(shape) / math.sqrt(m)


def make_inputs(op, size, dtype, seed=0):
    """NumPy inputs (a, b, c) for one cell; c is a plain Python value where an op needs one."""
    dtype = np.dtype(dtype)
    shape, m, _ = parse_size(size)
    rng = np.random.default_rng(seed + m + len(shape))
    b = c = None
    if op in FFT:
        cdtype = np.result_type(dtype, np.complex64)
        if op == "rfft":
            a = rng.standard_normal(shape).astype(dtype)
        elif op == "irfft":
            c = m
            a = np.fft.rfft(rng.standard_normal(shape)).astype(cdtype)
        else:
            a = (rng.standard_normal(shape) + 1j * rng.standard_normal(shape)).astype(cdtype)
        return a, b, c
    mat_shape = shape * 2 if len(shape) == 1 else shape
    if op == "cross":
        a = rng.standard_normal(shape + (3,) if len(shape) == 1 else shape)
        b = rng.standard_normal(a.shape)
    elif op == "outer":
        a, b = rng.standard_normal(m), rng.standard_normal(m)
    else:
        a = _general(rng, mat_shape, m)
        if op in SPD:
            a = a @ np.swapaxes(a, -1, -2)
            a = (a + np.swapaxes(a, -1, -2)) / 2
        elif op == "solve":
            b = rng.standard_normal(mat_shape[:-1] + (4,))
        elif op in ("matmul", "tensordot", "vecdot"):
            b = _general(rng, mat_shape, m)
    if op.startswith("vector_norm"):
        a = a.reshape(-1)
    a = a.astype(dtype)
    b = None if b is None else b.astype(dtype)
    return a, b, c


# ------------------------------------------------------------------------ checking

def to_numpy(x):
    """A result (an array, or a tuple/list/named tuple of arrays) -> a tuple of NumPy arrays."""
    if isinstance(x, (tuple, list)):
        return tuple(op_table.to_numpy(v) for v in x)
    return (op_table.to_numpy(x),)


def _tol(dtype):
    return 2e-3 if np.finfo(dtype).eps > 1e-10 else 1e-9


def _close(op, what, got, want, tol, scale=None):
    got, want = np.asarray(got), np.asarray(want)
    if got.shape != want.shape:
        raise AssertionError(f"{op}: {what} shape {got.shape} != {want.shape}")
    scale = np.max(np.abs(want), initial=0.0) if scale is None else scale
    err = np.max(np.abs(got.astype(complex) - want.astype(complex)), initial=0.0)
    if not err <= tol * (scale + 1e-30):
        raise AssertionError(f"{op}: {what} differs from NumPy's (max abs error {err:.3g}, "
                             f"scale {scale:.3g})")


def _precision(x):
    return np.finfo(x.dtype).dtype if x.dtype.kind in "fc" else x.dtype


def _eigenvalue_sets(op, got, want, tol):
    """Each matrix's eigenvalues match as sets (libraries order complex ones differently)."""
    got, want = np.asarray(got).astype(complex), np.asarray(want).astype(complex)
    if got.shape != want.shape:
        raise AssertionError(f"{op}: eigenvalues shape {got.shape} != {want.shape}")
    d = np.abs(got[..., :, None] - want[..., None, :])
    scale = np.max(np.abs(want), initial=1.0)
    err = max(np.max(np.min(d, axis=-1), initial=0.0), np.max(np.min(d, axis=-2), initial=0.0))
    if not err <= tol * scale:
        raise AssertionError(f"{op}: eigenvalues differ from NumPy's by {err:.3g}")


def check(op, got, a, b, c, expected):
    """Raise AssertionError unless `got` (to_numpy of a result) matches NumPy's `expected`."""
    expected = to_numpy(expected)
    if len(got) != len(expected):
        raise AssertionError(f"{op}: {len(got)} results, NumPy gives {len(expected)}")
    for g, e in zip(got, expected):
        real_vs_complex = op in ("eig", "eigvals") and g.dtype.kind != e.dtype.kind
        if _precision(g) != _precision(e) or (g.dtype.kind != e.dtype.kind and not real_vs_complex):
            raise AssertionError(f"{op}: dtype {g.dtype} != NumPy's {e.dtype}")
    tol = _tol(a.dtype)
    if op in FFT:
        # error grows like log n: the float32 bound leaves room for 2^20 points
        _close(op, "transform", got[0], expected[0], 1e-4 if tol > 1e-6 else 1e-10)
        return
    a64 = a.astype(np.float64)
    t = lambda x: np.swapaxes(x, -1, -2)  # noqa: E731
    if op == "qr":
        q, r = (x.astype(np.float64) for x in got)
        _close(op, "Q @ R", q @ r, a64, tol)
        _close(op, "Q^T Q", t(q) @ q, np.broadcast_to(np.eye(q.shape[-1]), q.shape), tol, 1.0)
        _close(op, "R below the diagonal", np.tril(r, -1), np.zeros_like(r), tol, 1.0)
        _close(op, "|diag R|", np.abs(np.diagonal(r, axis1=-2, axis2=-1)),
               np.abs(np.diagonal(expected[1], axis1=-2, axis2=-1)), tol)
    elif op == "svd":
        u, s, vh = (x.astype(np.float64) for x in got)
        _close(op, "S", s, expected[1], tol)
        _close(op, "U S Vh", (u * s[..., None, :]) @ vh, a64, tol)
    elif op == "eigh":
        w, v = (x.astype(np.float64) for x in got)
        _close(op, "eigenvalues", w, expected[0], tol)
        _close(op, "A V - V diag(w)", a64 @ v - v * w[..., None, :], np.zeros_like(v), tol,
               np.max(np.abs(w)))
    elif op in ("eig", "eigvals"):
        _eigenvalue_sets(op, got[0], expected[0], tol)
        if op == "eig":
            w, v = got[0].astype(complex), got[1].astype(complex)
            _close(op, "A V - V diag(w)", a64 @ v - v * w[..., None, :], np.zeros_like(v), tol,
                   np.max(np.abs(w)))
    elif op == "slogdet":
        _close(op, "sign", got[0], expected[0], 0.0, 1.0)
        _close(op, "logabsdet", got[1], expected[1], tol, 1.0 + np.max(np.abs(expected[1])))
    elif op == "det":
        # relative, matrix by matrix
        g, e = got[0].astype(np.float64), expected[0].astype(np.float64)
        err = np.max(np.abs(g - e) / np.maximum(np.abs(e), 1e-300), initial=0.0)
        if not err <= tol:
            raise AssertionError(f"{op}: differs from NumPy's (max relative error {err:.3g})")
    elif op == "matrix_rank":
        if not np.array_equal(got[0], expected[0]):
            raise AssertionError(f"{op}: {got[0]} != NumPy's {expected[0]}")
    else:
        for i, (g, e) in enumerate(zip(got, expected)):
            _close(op, f"result {i}", g, e, tol)


def cast_like(got, expected):
    """A reference column's results in NumPy's dtypes (SciPy's det of float32 is float64;
    the numpy-f64 column computes in double), so the check compares values only."""
    out = []
    for g, e in zip(got, to_numpy(expected)):
        if g.dtype.kind == "c" and e.dtype.kind == "f":  # eig: NumPy's real when all are
            out.append(g.astype(np.result_type(e.dtype, np.complex64)))
        else:
            out.append(g.astype(e.dtype))
    return tuple(out)


# ------------------------------------------------------------------------ columns

def scipy_namespace(check_finite=False):
    """scipy.linalg and scipy.fft in the array API's spelling, or None without SciPy.

    Functions SciPy has no counterpart of raise NotInLibrary."""
    try:
        import scipy.fft as sfft
        import scipy.linalg as sl
    except ImportError:
        return None
    kw = dict(check_finite=check_finite)

    def missing(name):
        def f(*args, **kwargs):
            raise NotInLibrary(f"scipy.linalg has no {name}")
        return f

    def vector_norm(x, ord=2):
        return sl.norm(x.reshape(-1), ord, **kw)

    linalg = types.SimpleNamespace(
        cholesky=lambda x: sl.cholesky(x, lower=True, **kw),
        det=lambda x: sl.det(x, **kw),
        eig=lambda x: sl.eig(x, **kw),
        eigh=lambda x: sl.eigh(x, **kw),
        eigvals=lambda x: sl.eigvals(x, **kw),
        eigvalsh=lambda x: sl.eigvalsh(x, **kw),
        inv=lambda x: sl.inv(x, **kw),
        matrix_norm=lambda x: sl.norm(x, "fro", axis=(-2, -1), **kw),
        pinv=lambda x: sl.pinv(x, **kw),
        qr=lambda x: sl.qr(x, mode="economic", **kw),
        solve=lambda x, y: sl.solve(x, y, **kw),
        svd=lambda x: sl.svd(x, **kw),
        svdvals=lambda x: sl.svdvals(x, **kw),
        vector_norm=vector_norm,
        **{name: missing(name) for name in ("matrix_power", "matrix_rank", "slogdet", "trace",
                                            "diagonal", "cross", "outer", "matmul", "tensordot",
                                            "vecdot")},
    )
    fft = types.SimpleNamespace(fft=sfft.fft, rfft=sfft.rfft, irfft=sfft.irfft, fftn=sfft.fftn)
    return types.SimpleNamespace(__name__="scipy (array-API shim)", linalg=linalg, fft=fft)


def _double(x):
    return x.astype(np.result_type(x.dtype, np.float64)) if isinstance(x, np.ndarray) else x


def section_columns(trueno, torch, isas, scipy=True, with_f64=False):
    cols = bench.make_columns(trueno, torch, isas)
    refs = []
    ns = scipy_namespace() if scipy else None
    if ns is not None:
        refs.append(bench.Column("scipy", ns, lambda x: x, cast_result=True))
    if with_f64:
        refs.append(bench.Column("numpy-f64", np, _double, cast_result=True))
    at = 2 if torch is not None else 1
    return cols[:at] + refs + cols[at:]


# ------------------------------------------------------------------------ targets

NUMPY_TARGET = 0.95   # "at least as fast as NumPy, within 5%"
SMALL_TARGET = 2.0
F32_FFT_TARGET = 1.5


def is_power_of_two(k):
    return k > 0 and k & (k - 1) == 0


def cell_targets(op, size, dtype):
    """[(name, required speedup, reference columns)] for one cell."""
    shape, m, batch = parse_size(size)
    out = [("numpy", NUMPY_TARGET, ("numpy",))]
    small = (op in LINALG and (m <= 16 or batch > 1)) or \
            (op in FFT and len(shape) == 1 and m <= 1024)
    if small:
        out.append(("small-2x", SMALL_TARGET, ("numpy",)))
    points = m if op != "fft2" else math.prod(shape)
    single_transform = op == "fft2" or len(shape) == 1
    if op in FFT and np.dtype(dtype) == np.float32 and single_transform and points >= 1024 \
            and all(is_power_of_two(k) for k in (shape if op == "fft2" else (m,))):
        out.append(("f32-1.5x", F32_FFT_TARGET, ("numpy", "numpy-f64", "scipy")))
    return out


def evaluate_targets(row, column):
    """Each target of the row for `column`: the speedup over its fastest reference."""
    out = []
    t = report.median(row, column)
    for name, need, refs in cell_targets(row["op"], row["n"], row["dtype"]):
        ref_times = {r: report.median(row, r) for r in refs if report.median(row, r)}
        if not t or not ref_times:
            out.append({"name": name, "required": need, "speedup": None, "met": None})
            continue
        ref = min(ref_times, key=ref_times.get)
        speedup = ref_times[ref] / t
        out.append({"name": name, "required": need, "reference": ref, "speedup": speedup,
                    "met": speedup >= need})
    return out


def targets_summary(result):
    """Per target: cells met / measured and the cells that missed, for the default column."""
    s = {}
    for row in result["rows"]:
        for tgt in row.get("targets", []):
            e = s.setdefault(tgt["name"], {"required": tgt["required"], "cells": 0, "met": 0,
                                           "missed": []})
            if tgt["met"] is None:
                continue
            e["cells"] += 1
            if tgt["met"]:
                e["met"] += 1
            else:
                e["missed"].append(f"{row['op']} {row['n']} {row['dtype']} "
                                   f"({tgt['speedup']:.2f}x vs {tgt['reference']})")
    for e in s.values():
        e["all_met"] = e["cells"] > 0 and e["met"] == e["cells"]
    return s


def targets_lines(result):
    s = result.get("targets") or targets_summary(result)
    names = {"numpy": "at least as fast as NumPy (>= 0.95x)",
             "small-2x": "small and batched cells >= 2x NumPy",
             "f32-1.5x": "float32 power-of-two FFTs n >= 1024 >= 1.5x the fastest of NumPy, "
                         "NumPy complex128, SciPy"}
    lines = [f"Targets ({result['trueno_column']}; a miss was re-measured {result['config']['reruns']}"
             " times, interleaved, and counts with the median):"]
    for key, e in s.items():
        lines.append(f"  {names.get(key, key)}: {e['met']}/{e['cells']} -> "
                     + ("MET" if e["all_met"] else "NOT met"))
        for cell in e["missed"]:
            lines.append(f"      missed: {cell}")
    return lines


# ------------------------------------------------------------------------ report

def markdown(result, summary=True):
    cols = result["columns"]
    col = result["trueno_column"]
    others = [c for c in cols if c != report.BASELINE]
    head = ["op", "size", "dtype"] + cols + [f"{c} speedup" for c in others] + [f"targets ({col})"]
    out = [f"# linalg and fft benchmark {result.get('timestamp', '')}", "",
           f"{result['machine'].get('cpu_model', '?')}, one thread; git "
           f"{result['git'].get('commit', '?')[:12]}; versions "
           + ", ".join(f"{k} {v}" for k, v in result["versions"].items())
           + f"; {result['elapsed_s']:.0f} s", "",
           "Median time per call; speedup = NumPy time / column time (>1 = faster). "
           "numpy-f64: NumPy on the float64/complex128 copy of a float32 FFT's input. "
           "Targets: + met, - missed (speedup vs the reference), * re-measured.", "",
           "| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for row in result["rows"]:
        base = report.median(row, report.BASELINE)
        cells = [row["op"], str(row["n"]), row["dtype"]]  # (fmt_n's "1K" would hide 1000 vs 1024)
        cells += [report.fmt_ns(report.median(row, c)) if c not in row["errors"] else "FAILED"
                  for c in cols]
        for c in others:
            t = report.median(row, c)
            cells.append(f"{base / t:.2f}" if t and base else "-")
        marks = []
        for tgt in row.get("targets", []):
            if tgt["met"] is None:
                marks.append(f"{tgt['name']} ?")
            else:
                marks.append(f"{tgt['name']} {'+' if tgt['met'] else '-'}{tgt['speedup']:.2f}")
        cells.append(", ".join(marks) + (" *" if row.get("reruns") else ""))
        out.append("| " + " | ".join(cells) + " |")
    if summary:
        out += ["", *targets_lines(result)]
    out.append("")
    return "\n".join(out)


# ------------------------------------------------------------------------ the run

def measure(op, size, dtype, columns, cfg, timing=True):
    shape, m, batch = parse_size(size)
    large = (op in LINALG and m >= LARGE_M) or math.prod(shape) >= 2**18
    min_rounds = cfg["large_min_rounds"] if large else cfg["min_rounds"]
    row = bench.measure_cell(op, size, dtype, columns, cfg["target_s"], cfg["max_rounds"],
                             min_rounds, cfg["cell_budget_s"], timing=timing, table=TABLE)
    row["dtype"] = np.dtype(dtype).name
    row["section"] = section_of(op)
    return row


def rerun_missed(row, columns, default_col, cfg):
    """Measure a cell that missed a target `reruns` more times with only the columns its
    targets compare; its times become the per-column medians of those measurements."""
    needed = {"numpy", default_col}
    for _, _, refs in cell_targets(row["op"], row["n"], row["dtype"]):
        needed.update(refs)
    cols = [c for c in columns if c.name in needed and c.name in row["times"]]
    runs = [measure(row["op"], row["n"], row["dtype"], cols, cfg)["times"]
            for _ in range(cfg["reruns"])]
    row["first_times"] = {c.name: row["times"][c.name] for c in cols}
    row["reruns"] = runs
    for c in cols:
        meds = [r[c.name]["median_ns"] for r in runs if c.name in r]
        if meds:
            row["times"][c.name] = dict(row["times"][c.name], median_ns=float(np.median(meds)),
                                        rerun_medians_ns=meds)


# what run.measure_cell reads from an op table (ops.py is the default run's)
TABLE = types.SimpleNamespace(op_fn=op_fn, make_inputs=make_inputs, check=check, to_numpy=to_numpy,
                              cast_like=cast_like)


def run(args):
    t_start = time.perf_counter()
    cfg = dict(QUICK if args.quick else DEFAULT)
    sections = [s for s in ("linalg", "fft") if getattr(args, s)]
    ops = [op for s in sections for op in SECTIONS[s]]
    if args.ops:
        wanted = args.ops.split(",")
        unknown = [o for o in wanted if o not in LINALG and o not in FFT]
        if unknown:
            sys.exit(f"unknown ops: {unknown}; known: {list(LINALG) + list(FFT)}")
        ops = [o for o in wanted if section_of(o) in sections]
    sizes = [size_label(s) for s in args.sizes.split(",")] if args.sizes else None
    dtypes = [np.dtype(d) for d in args.dtypes.split(",")]
    cells = [(op, size, dt) for dt in dtypes for op, size in cells_of(ops, sizes)]

    torch = bench.load_torch(not args.no_torch)
    import trueno

    isas = trueno.available_isas()
    if args.isas:
        isas = [i for i in args.isas.split(",") if i in isas]
        if not isas:
            sys.exit(f"--isas names none of {trueno.available_isas()}")
    default_col = f"trueno-{trueno.get_isa()}" if trueno.get_isa() in isas else f"trueno-{isas[0]}"
    want_scipy = not args.no_scipy
    if want_scipy and scipy_namespace() is None:
        print("SciPy is not installed: its column is skipped.")
    plain = section_columns(trueno, torch, isas, want_scipy, with_f64=False)
    with_f64 = section_columns(trueno, torch, isas, want_scipy, with_f64=True)
    all_columns = [c.name for c in with_f64 if any(
        dt == np.float32 and op in FFT for op, _, dt in cells) or c.name != "numpy-f64"]

    print(f"{len(cells)} cells ({', '.join(sections)}) x columns {', '.join(all_columns)}; "
          f"one thread (trueno: {args.threads}){' (quick)' if args.quick else ''}", flush=True)
    progress = bench.Progress(len(cells), disable=args.no_progress)
    rows = []
    with bench.one_thread(trueno, args.threads):
        try:
            for op, size, dt in cells:
                columns = with_f64 if op in FFT and dt == np.float32 else plain
                row = measure(op, size, dt, columns, cfg)
                row["targets"] = evaluate_targets(row, default_col)
                if any(t["met"] is False for t in row["targets"]) and cfg["reruns"]:
                    rerun_missed(row, columns, default_col, cfg)
                    row["targets"] = evaluate_targets(row, default_col)
                rows.append(row)
                progress.step(f"{op} {size} {dt.name}")
        finally:
            progress.close()

    stamp = time.strftime("%Y%m%d-%H%M%S")
    result = {
        "schema": 1,
        "section": "+".join(sections),
        "timestamp": stamp,
        "argv": sys.argv[1:],
        "quick": bool(args.quick),
        "dtypes": [d.name for d in dtypes],
        **bench.environment(trueno, torch, args.threads),
        "columns": all_columns,
        "trueno_column": default_col,
        "config": cfg,
        "rows": rows,
    }
    try:
        import scipy

        result["versions"]["scipy"] = scipy.__version__
    except ImportError:
        pass
    result["targets"] = targets_summary(result)
    result["elapsed_s"] = round(time.perf_counter() - t_start, 1)

    out_dir = args.out or os.path.join(HERE, "results")
    os.makedirs(out_dir, exist_ok=True)
    base = os.path.join(out_dir, f"{stamp}{'-quick' if args.quick else ''}-{'-'.join(sections)}")
    json_path = args.json or base + ".json"
    with open(json_path, "w") as f:
        json.dump(result, f, indent=1)
    with open(base + ".md", "w") as f:
        f.write(markdown(result))
    print()
    print(markdown(result, summary=False))
    failed = 0
    for r in rows:
        for col, msg in r["errors"].items():
            failed += col.startswith("trueno")
            what = "CHECK FAILED (not timed)" if col.startswith("trueno") else "reference failed"
            print(f"{what}: {r['op']} {r['n']} {r['dtype']} {col}: {msg}")
    print(f"results: {json_path}  report: {base}.md")
    print(f"run time {result['elapsed_s']:.0f} s")
    for line in targets_lines(result):
        print(line)
    return 1 if failed else 0


def main(argv=None):
    argv = sys.argv[1:] if argv is None else argv
    p = argparse.ArgumentParser(prog="run.py --linalg/--fft", description=__doc__,
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--linalg", action="store_true", help="the linalg functions")
    p.add_argument("--fft", action="store_true", help="fft, rfft, irfft, fft2")
    p.add_argument("--quick", action="store_true", help="2-3 samples a cell (a smoke run)")
    p.add_argument("--dtypes", default="float32,float64")
    p.add_argument("--ops", help="comma-separated subset (of the sections named)")
    p.add_argument("--sizes", help="comma-separated sizes for every op: 4, 1024, 10Kx3x3, 512x512 ...")
    p.add_argument("--isas", help="comma-separated trueno ISAs (default: all; one is ~4x faster)")
    p.add_argument("--threads", type=int, default=1, help="trueno threads (default 1; peers keep one)")
    p.add_argument("--no-torch", action="store_true")
    p.add_argument("--no-scipy", action="store_true")
    p.add_argument("--no-progress", action="store_true")
    p.add_argument("--out", help="results folder (default benchmarks/results)")
    p.add_argument("--json", help="JSON path (default <out>/<timestamp>-<sections>.json)")
    args = p.parse_args(argv)
    if not (args.linalg or args.fft):
        p.error("name --linalg, --fft or both")
    return run(args)


if __name__ == "__main__":
    sys.exit(main())

"""Reports on a benchmark result (the JSON that run.py writes): summary, markdown, plot, compare.

A result holds `columns` (e.g. numpy, torch, trueno-avx3, trueno-avx2, ...), `trueno_column`
(the default ISA's column), and `rows`, each {"op", "n", "times": {column: {"median_ns",
"p10_ns", "p90_ns", ...}}}. Times are per call. Optionally `roofline`: {"arrays_moved":
{op: arrays}, "itemsize", "copy": {str(n): {"gbps", ...}}} (run.py writes it). Nothing here
imports trueno or torch.
"""
from __future__ import annotations

import json
import math

BASELINE = "numpy"
# Issue 4: memory-bound ops at n = 1M reach >= 90% of the copy bandwidth the suite measures.
ROOFLINE_TARGET = 0.9
ROOFLINE_N = 1_000_000


def load(path):
    with open(path) as f:
        return json.load(f)


def median(row, col):
    t = row["times"].get(col)
    return None if t is None else t["median_ns"]


def trueno_columns(result):
    return [c for c in result["columns"] if c.startswith("trueno")]


def geomean(xs):
    xs = [x for x in xs if x and x > 0]
    return math.exp(sum(math.log(x) for x in xs) / len(xs)) if xs else float("nan")


def roofline_cells(result):
    """Bandwidth of each memory-bound cell per column, against the copy roofline at its n.

    Returns [{"op", "n", "copy_gbps", "columns": {column: {"gbps", "fraction"}}}], empty when
    the result has no roofline (older results) or no memory-bound rows."""
    roof = result.get("roofline")
    if not roof:
        return []
    out = []
    for row in result["rows"]:
        arrays = roof["arrays_moved"].get(row["op"])
        copy = roof["copy"].get(str(row["n"]))
        if arrays is None or copy is None:
            continue
        nbytes = arrays * row["n"] * roof["itemsize"]
        cols = {}
        for c in result["columns"]:
            t = median(row, c)
            if t:
                cols[c] = {"gbps": nbytes / t, "fraction": nbytes / t / copy["gbps"]}
        out.append({"op": row["op"], "n": row["n"], "copy_gbps": copy["gbps"], "columns": cols})
    return out


def roofline_summary(result):
    """The target's cells (n = ROOFLINE_N) for the default trueno column, or None."""
    cells = [c for c in roofline_cells(result) if c["n"] == ROOFLINE_N]
    col = result["trueno_column"]
    fractions = {c["op"]: c["columns"][col]["fraction"] for c in cells if col in c["columns"]}
    if not fractions:
        return None
    missed = [op for op, f in fractions.items() if f < ROOFLINE_TARGET]
    return {"n": ROOFLINE_N, "column": col, "copy_gbps": cells[0]["copy_gbps"],
            "target_fraction": ROOFLINE_TARGET, "fraction": fractions, "missed": missed,
            "met": not missed}


def summarize(result):
    """The original library's criterion and ours, for the default trueno column."""
    col = result["trueno_column"]
    ratios, vs_torch = [], []
    for row in result["rows"]:
        t, base = median(row, col), median(row, BASELINE)
        if t and base:
            ratios.append(t / base)
        pt = median(row, "torch")
        if t and pt:
            vs_torch.append(t / pt)
    cells = len(ratios)
    within = sum(r <= 1.2 for r in ratios)
    s = {
        "column": col,
        "cells": cells,
        "within_20pct_of_numpy": within,
        "within_20pct_fraction": within / cells if cells else float("nan"),
        "original_criterion_met": bool(cells) and within / cells >= 0.8,
        "geomean_speedup_vs_numpy": 1 / geomean(ratios) if ratios else float("nan"),
        "faster_than_numpy": sum(r < 1 for r in ratios),
        "torch_cells": len(vs_torch),
        "faster_than_torch": sum(r < 1 for r in vs_torch),
        "geomean_speedup_vs_torch": 1 / geomean(vs_torch) if vs_torch else None,
        "geomean_speedup_vs_numpy_per_column": {
            c: 1 / geomean([median(r, c) / median(r, BASELINE) for r in result["rows"]
                            if median(r, c) and median(r, BASELINE)])
            for c in result["columns"] if c != BASELINE},
        "roofline": roofline_summary(result),
    }
    return s


def summary_lines(result, s=None):
    s = s or summarize(result)
    n = s["cells"]
    lines = [
        f"Original criterion (>= 80% of cells within 20% of NumPy, {s['column']}): "
        f"{s['within_20pct_of_numpy']}/{n} = {100 * s['within_20pct_fraction']:.0f}% -> "
        f"{'MET' if s['original_criterion_met'] else 'NOT met'}",
        f"Ours ({s['column']}): geometric-mean speedup vs NumPy {s['geomean_speedup_vs_numpy']:.2f}x; "
        f"faster than NumPy in {s['faster_than_numpy']}/{n} cells; "
        + (f"faster than PyTorch in {s['faster_than_torch']}/{s['torch_cells']} cells "
           f"(geometric-mean speedup vs PyTorch {s['geomean_speedup_vs_torch']:.2f}x)"
           if s["torch_cells"] else "PyTorch not measured"),
        "Geometric-mean speedup vs NumPy per column: " + ", ".join(
            f"{c} {v:.2f}x" for c, v in s["geomean_speedup_vs_numpy_per_column"].items()),
    ]
    r = s.get("roofline")
    if r:
        lines.append(
            f"Roofline (n = {fmt_n(r['n'])}, copy {r['copy_gbps']:.1f} GB/s, target >= "
            f"{100 * r['target_fraction']:.0f}%, {r['column']}): "
            + ", ".join(f"{op} {100 * f:.0f}%" for op, f in r["fraction"].items())
            + (" -> MET" if r["met"] else f" -> NOT met ({', '.join(r['missed'])})"))
    return lines


def fmt_ns(ns):
    if ns is None:
        return "-"
    for unit, scale in (("s", 1e9), ("ms", 1e6), ("us", 1e3)):
        if ns >= scale:
            return f"{ns / scale:.3g} {unit}"
    return f"{ns:.3g} ns"


def fmt_n(n):
    if not isinstance(n, int):  # a shape label of the linalg/fft section: "10Kx3x3"
        return str(n)
    for suffix, scale in (("M", 10**6), ("K", 10**3)):
        if n >= scale and n % scale == 0:
            return f"{n // scale}{suffix}"
    return str(n)


def markdown(result, summary=True):
    """The side-by-side table: median time per call, then speedups vs NumPy (>1 = faster)."""
    cols = result["columns"]
    others = [c for c in cols if c != BASELINE]
    head = ["op", "n"] + cols + [f"{c} speedup" for c in others]
    if "torch" in cols:
        head.append(f"{result['trueno_column']} vs torch")
    out = [
        f"# Benchmark {result.get('timestamp', '')}",
        "",
        f"{result['machine'].get('cpu_model', '?')}, {result['dtype']}, one thread; "
        f"git {result['git'].get('commit', '?')[:12]}; versions "
        + ", ".join(f"{k} {v}" for k, v in result["versions"].items()),
        "",
        "Median time per call (p10-p90 in the JSON); speedup = NumPy time / column time.",
        "",
        "| " + " | ".join(head) + " |",
        "|" + "---|" * len(head),
    ]
    for row in result["rows"]:
        base = median(row, BASELINE)
        cells = [row["op"], fmt_n(row["n"]) + ("²" if row["op"] == "matmul" else "")]
        cells += [fmt_ns(median(row, c)) for c in cols]
        for c in others:
            t = median(row, c)
            cells.append(f"{base / t:.2f}" if t and base else "-")
        if "torch" in cols:
            t, pt = median(row, result["trueno_column"]), median(row, "torch")
            cells.append(f"{pt / t:.2f}" if t and pt else "-")
        out.append("| " + " | ".join(cells) + " |")
    out += roofline_markdown(result)
    if summary:
        out += ["", *summary_lines(result)]
    out.append("")
    return "\n".join(out)


def roofline_markdown(result):
    """Lines of the roofline table: memory-bound ops' bandwidth as % of copy bandwidth."""
    cells = roofline_cells(result)
    if not cells:
        return []
    # The target's size when measured, else every size (a run with other --sizes).
    shown = [c for c in cells if c["n"] == ROOFLINE_N] or cells
    cols = result["columns"]
    out = ["", f"Roofline: bandwidth of memory-bound ops (bytes read + written / median time) "
               f"as % of copy bandwidth (np.copyto) at the same n; target >= "
               f"{100 * ROOFLINE_TARGET:.0f}% at n = {fmt_n(ROOFLINE_N)}.", "",
           "| op | n | copy GB/s | " + " | ".join(cols) + " |", "|" + "---|" * (3 + len(cols))]
    for c in shown:
        cells_txt = []
        for col in cols:
            v = c["columns"].get(col)
            cells_txt.append(f"{v['gbps']:.1f} GB/s ({100 * v['fraction']:.0f}%)" if v else "-")
        out.append(f"| {c['op']} | {fmt_n(c['n'])} | {c['copy_gbps']:.1f} | " + " | ".join(cells_txt) + " |")
    return out


def plot(result, path):
    """Speedup vs NumPy, one panel per op, against n (log-log). Returns False without matplotlib."""
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
        from matplotlib.ticker import FuncFormatter
    except ImportError:
        return False
    ops = list(dict.fromkeys(r["op"] for r in result["rows"]))
    others = [c for c in result["columns"] if c != BASELINE]
    ncols = 6
    nrows = math.ceil(len(ops) / ncols)
    fig, axes = plt.subplots(nrows, ncols, figsize=(3.0 * ncols, 2.4 * nrows), squeeze=False)
    for ax, op in zip(axes.flat, ops):
        rows = [r for r in result["rows"] if r["op"] == op]
        for c in others:
            pts = [(r["n"], median(r, BASELINE) / median(r, c)) for r in rows
                   if median(r, c) and median(r, BASELINE)]
            if pts:
                style = "--" if c == "torch" else "-"
                width = 2.2 if c == result["trueno_column"] else 1.0
                ax.plot(*zip(*pts), style, marker="o", markersize=3, linewidth=width, label=c)
        ax.axhline(1.0, color="black", linewidth=0.8)
        ax.axhline(1 / 1.2, color="grey", linewidth=0.6, linestyle=":")
        ax.set_xscale("log")
        ax.set_yscale("log")
        ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _: f"{v:g}"))
        ax.yaxis.set_minor_formatter(FuncFormatter(lambda v, _: ""))
        ax.set_title(op, fontsize=9)
        ax.tick_params(labelsize=7)
    for ax in list(axes.flat)[len(ops):]:
        ax.axis("off")
    handles, labels = axes.flat[0].get_legend_handles_labels()
    fig.legend(handles, labels, loc="lower right", fontsize=8)
    fig.suptitle(f"Speedup vs NumPy (NumPy time / time, log scale; >1 = faster) against n, "
                 f"{result['dtype']}, one thread; dotted line = within 20%", fontsize=10)
    fig.tight_layout(rect=(0, 0, 1, 0.97))
    fig.savefig(path, dpi=90)
    plt.close(fig)
    return True


def compare(a, b):
    """Per-cell change from result a to result b: time ratio b/a per column (<1 = b faster)."""
    cols = [c for c in b["columns"] if c in a["columns"]]
    # (rows of the linalg/fft section carry their dtype; the default run's have one dtype)
    index = {(r["op"], r["n"], r.get("dtype")): r for r in a["rows"]}
    head = ["op", "n"] + [f"{c} b/a" for c in cols]
    out = [f"# Compare a = {a.get('timestamp', '?')} (git {a['git'].get('commit', '?')[:10]}) "
           f"-> b = {b.get('timestamp', '?')} (git {b['git'].get('commit', '?')[:10]})",
           "time ratio b/a per cell (< 1 = b faster)", "",
           "| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    ratios = {c: [] for c in cols}
    for row in b["rows"]:
        old = index.get((row["op"], row["n"], row.get("dtype")))
        if old is None:
            continue
        # (section rows: 1000 and 1024 both measured, so not "1K")
        cells = [row["op"], f"{row['n']} {row['dtype']}" if "dtype" in row else fmt_n(row["n"])]
        for c in cols:
            ta, tb = median(old, c), median(row, c)
            if ta and tb:
                ratios[c].append(tb / ta)
                cells.append(f"{tb / ta:.2f}")
            else:
                cells.append("-")
        out.append("| " + " | ".join(cells) + " |")
    out.append("")
    out.append("geometric mean b/a: " + ", ".join(
        f"{c} {geomean(v):.3f}" for c, v in ratios.items() if v))
    out.append("cells >10% faster / >10% slower in b: " + ", ".join(
        f"{c} {sum(r < 1 / 1.1 for r in v)}/{sum(r > 1.1 for r in v)}" for c, v in ratios.items() if v))
    return "\n".join(out)

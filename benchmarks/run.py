"""Side-by-side benchmark: the same array-API code on NumPy, PyTorch (when installed) and trueno,
the trueno column repeated for every SIMD target in trueno.available_isas().

    python benchmarks/run.py [--quick] [--dtype float64] [--ops add,exp] [--sizes 100,1000] [--threads 2]
    python benchmarks/run.py compare A.json B.json
    python benchmarks/run.py --llm [--compare] [...]   (the LLM section, opt-in: benchmarks/llm.py)
    python benchmarks/run.py --linalg --fft [--isas avx3] [...]   (opt-in: benchmarks/linalg_fft.py)

The 26 operations of the original trueno library (ops.py), written once against an
array-API namespace, at n = 100 ... 1M, plus matmul at 256 and 1024. One thread
everywhere (threadpoolctl, torch.set_num_threads(1), OMP/OPENBLAS/MKL_NUM_THREADS=1);
OPENBLAS_CORETYPE and OPENBLAS_L2_SIZE are unset (they can select a slow BLAS kernel).
Every result is checked against NumPy before it is timed. Samples are interleaved
library by library, so noise hits all alike; medians and p10/p90 are kept.

Writes benchmarks/results/<timestamp>.json, .md (the table) and .png (speedup plot,
when matplotlib is installed), then prints the table and the summary: the original
library's criterion (>= 80% of cells within 20% of NumPy) and ours (geometric-mean
speedup, cells faster than NumPy, cells faster than PyTorch).

Roofline: the suite measures copy bandwidth itself (np.copyto, bytes read + written per
second) at every size a memory-bound op (add, mul, scale, abs, relu) runs at, and reports
each library's bandwidth on those ops as a percentage of it; the target is >= 90% at n = 1M.
"""
from __future__ import annotations

import os
import time

T0 = time.perf_counter()

if __name__ == "__main__":
    # Before NumPy/torch/trueno are imported: one thread, and no BLAS kernel overrides.
    # (Only when run as the command: importing this module, as the tests do, changes nothing.)
    for _var in ("OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE"):
        os.environ.pop(_var, None)
    for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
        os.environ[_var] = "1"

import argparse  # noqa: E402
import contextlib  # noqa: E402
import gc  # noqa: E402
import json  # noqa: E402
import math  # noqa: E402
import platform  # noqa: E402
import subprocess  # noqa: E402
import sys  # noqa: E402

import numpy as np  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
try:  # imported as the package benchmarks (the tests)
    from . import ops as op_table, report
except ImportError:  # run as the command: python benchmarks/run.py
    sys.path.insert(0, HERE)
    import ops as op_table  # noqa: E402
    import report  # noqa: E402

QUICK = dict(sizes=[100, 10_000, 1_000_000], matmul_sizes=[256], target_s=0.5e-3,
             max_rounds=9, min_rounds=3, cell_budget_s=0.4)
DEFAULT = dict(sizes=op_table.VECTOR_SIZES, matmul_sizes=op_table.MATMUL_SIZES, target_s=3e-3,
               max_rounds=41, min_rounds=5, cell_budget_s=5.0)


# ---------------------------------------------------------------- libraries and columns

class Column:
    """One timed column: a library namespace, how to move NumPy data in, and an ISA for trueno.

    cast_result: a reference column whose results are cast to NumPy's dtypes before the
    check (SciPy's det of float32 is float64; NumPy run on a float64 copy of the input)."""

    def __init__(self, name, xp, convert, isa=None, set_isa=None, cast_result=False):
        self.name, self.xp, self.convert, self.isa, self._set_isa = name, xp, convert, isa, set_isa
        self.cast_result = cast_result

    def activate(self):
        if self._set_isa is not None:
            self._set_isa(self.isa)


def load_torch(use_torch=True):
    if not use_torch:
        return None
    try:
        import torch
    except ImportError:
        print("PyTorch is not installed: its column is skipped (pip install '.[torch]').")
        return None
    torch.set_num_threads(1)
    return torch


def make_columns(trueno, torch=None, isas=None):
    cols = [Column("numpy", np, lambda a: a)]
    if torch is not None:
        cols.append(Column("torch", op_table.torch_namespace(torch),
                           lambda a: torch.from_numpy(np.array(a, copy=True))))
    for isa in isas if isas is not None else trueno.available_isas():
        cols.append(Column(f"trueno-{isa}", trueno, trueno.asarray, isa, trueno.set_isa))
    return cols


# ---------------------------------------------------------------- measuring one cell

def _per_call(fn, xp, args, inner):
    t0 = time.perf_counter()
    for _ in range(inner):
        fn(xp, *args)
    return (time.perf_counter() - t0) / inner


def _calibrate(fn, xp, args, target_s):
    """Calls per sample so that one sample lasts about target_s."""
    t = _per_call(fn, xp, args, 1)
    inner = max(1, min(10**6, int(target_s / max(t, 1e-9))))
    if inner > 1:
        t = _per_call(fn, xp, args, inner)
    return max(1, int(round(target_s / max(t, 1e-9)))), t


def percentile(xs, q):
    return float(np.percentile(np.asarray(xs), q))


def measure_cell(op, n, dtype, columns, target_s=1e-3, max_rounds=21, min_rounds=5,
                 cell_budget_s=1.5, timing=True, table=op_table):
    """Check every column against NumPy, then time them interleaved. Returns the row.

    `table` supplies op_fn, make_inputs, check and to_numpy (ops.py; linalg_fft.TABLE);
    make_inputs may return plain Python values beside arrays (they are passed as they are)."""
    fn = table.op_fn(op)
    a, b, c = table.make_inputs(op, n, dtype)
    expected = fn(np, a, b, c)
    row = {"op": op, "n": n, "shape": list(a.shape), "times": {}, "errors": {}}
    live = []
    converted = {}
    for col in columns:
        key = id(col.convert)
        if key not in converted:
            converted[key] = tuple(col.convert(x) if isinstance(x, np.ndarray) else x
                                   for x in (a, b, c))
        args = converted[key]
        col.activate()
        try:
            got = table.to_numpy(fn(col.xp, *args))
            if col.cast_result:
                got = table.cast_like(got, expected)
            table.check(op, got, a, b, c, expected)
        except op_table.NotInLibrary:
            row.setdefault("missing", []).append(col.name)
            continue
        except Exception as exc:  # a wrong or failing result is reported, never timed
            row["errors"][col.name] = f"{type(exc).__name__}: {exc}"
            continue
        live.append((col, args))
    if not timing:
        return row
    gc_was_enabled = gc.isenabled()
    gc.disable()
    try:
        plan = []
        for col, args in live:
            col.activate()
            inner, t = _calibrate(fn, col.xp, args, target_s)
            plan.append((col, args, inner, inner * t))
        round_s = sum(p[3] for p in plan) or 1e-9
        rounds = max(min_rounds, min(max_rounds, int(cell_budget_s / round_s)))
        samples = {col.name: [] for col, *_ in plan}
        for r in range(rounds):
            k = r % len(plan) if plan else 0  # rotate who goes first
            for col, args, inner, _ in plan[k:] + plan[:k]:
                col.activate()
                samples[col.name].append(_per_call(fn, col.xp, args, inner))
        for col, args, inner, _ in plan:
            s = samples[col.name]
            row["times"][col.name] = {
                "median_ns": percentile(s, 50) * 1e9, "p10_ns": percentile(s, 10) * 1e9,
                "p90_ns": percentile(s, 90) * 1e9, "samples": len(s), "inner": inner}
    finally:
        if gc_was_enabled:
            gc.enable()
    return row


def measure_copy(n, dtype, target_s=1e-3, rounds=11):
    """The memory roofline at n: np.copyto of n elements into an array allocated beforehand.

    Bandwidth counts the bytes read plus the bytes written (2 * n * itemsize), as the
    memory-bound ops' bandwidth does (ops.MEMORY_BOUND)."""
    src = np.ones(n, dtype=dtype)
    dst = np.zeros_like(src)  # pages touched before timing

    def copy(xp, source, target):
        np.copyto(target, source)

    inner, _ = _calibrate(copy, np, (src, dst), target_s)
    gc_was_enabled = gc.isenabled()
    gc.disable()
    try:
        samples = [_per_call(copy, np, (src, dst), inner) for _ in range(max(1, rounds))]
    finally:
        if gc_was_enabled:
            gc.enable()
    nbytes = 2 * n * np.dtype(dtype).itemsize
    median_ns = percentile(samples, 50) * 1e9
    return {"median_ns": median_ns, "p10_ns": percentile(samples, 10) * 1e9,
            "p90_ns": percentile(samples, 90) * 1e9, "samples": len(samples), "inner": inner,
            "bytes": nbytes, "gbps": nbytes / median_ns}


def measure_roofline(sizes, dtype, cfg, runs=None):
    """Copy bandwidth per size; with `runs` (earlier measurements of the same sizes), keeps the
    fastest median per size, so a noisy moment does not lower the roofline."""
    out = {}
    for n in sizes:
        m = measure_copy(n, dtype, cfg["target_s"], cfg["min_rounds"] * 2 + 1)
        earlier = (runs or {}).get(n)
        out[n] = m if earlier is None or m["median_ns"] < earlier["median_ns"] else earlier
    return out


# ---------------------------------------------------------------- environment facts

def cpu_info():
    info = {"machine": platform.machine(), "system": platform.platform(), "cores": os.cpu_count()}
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                key, _, value = line.partition(":")
                key = key.strip()
                if key == "model name" and "cpu_model" not in info:
                    info["cpu_model"] = value.strip()
                elif key == "flags" and "cpu_flags" not in info:
                    info["cpu_flags"] = value.split()
    except OSError:
        info["cpu_model"] = platform.processor() or "?"
    return info


def git_info():
    def git(*args):
        return subprocess.run(["git", "-C", HERE, *args], capture_output=True, text=True,
                              timeout=10).stdout.strip()
    try:
        return {"commit": git("rev-parse", "HEAD") or "?",
                "dirty": bool(git("status", "--porcelain", "--untracked-files=no"))}
    except (OSError, subprocess.SubprocessError):
        return {"commit": "?", "dirty": None}


def versions(trueno, torch):
    tv = getattr(trueno, "__version__", None)
    if tv is None:
        try:
            from importlib.metadata import version

            tv = version("trueno")
        except Exception:
            tv = "dev"
    v = {"python": platform.python_version(), "numpy": np.__version__, "trueno": tv}
    if torch is not None:
        v["torch"] = torch.__version__
    return v


def blas_info():
    try:
        from threadpoolctl import threadpool_info
    except ImportError:
        return None
    return [{k: d.get(k) for k in ("internal_api", "version", "num_threads", "filepath")}
            for d in threadpool_info()]


class Progress:
    """tqdm when installed, else a counter on stderr."""

    def __init__(self, total, disable=False):
        self.total, self.done, self.disable, self.bar = total, 0, disable, None
        if disable:
            return
        try:
            from tqdm import tqdm

            self.bar = tqdm(total=total, file=sys.stderr, unit="cell", dynamic_ncols=True)
        except ImportError:
            pass

    def step(self, label):
        self.done += 1
        if self.disable:
            return
        if self.bar is not None:
            self.bar.set_postfix_str(label, refresh=False)
            self.bar.update(1)
        else:
            print(f"\r[{self.done}/{self.total}] {label:<24}", end="", file=sys.stderr, flush=True)

    def close(self):
        if self.bar is not None:
            self.bar.close()
        elif not self.disable:
            print(file=sys.stderr)


@contextlib.contextmanager
def one_thread(trueno, threads=1):
    """trueno at `threads`, every BLAS/OpenMP pool threadpoolctl sees at one; afterwards
    trueno back at one thread and its ISA unpinned."""
    trueno.set_num_threads(threads)  # peers stay at one thread
    limiter = None
    try:
        from threadpoolctl import threadpool_limits

        limiter = threadpool_limits(limits=1)
    except ImportError:
        print("threadpoolctl is not installed: relying on *_NUM_THREADS=1 (pip install '.[bench]').")
    try:
        yield
    finally:
        trueno.set_isa("best")
        trueno.set_num_threads(1)
        if limiter is not None:
            limiter.restore_original_limits()


def environment(trueno, torch, threads):
    """What a result records of the machine and the software, so that two runs compare."""
    return {"machine": cpu_info(), "isas": trueno.available_isas(), "default_isa": trueno.get_isa(),
            "trueno_threads": threads, "versions": versions(trueno, torch), "blas": blas_info(),
            "git": git_info()}


# ---------------------------------------------------------------- the run

def run(args):
    t_start = time.perf_counter()
    cfg = dict(QUICK if args.quick else DEFAULT)
    if args.sizes:
        cfg["sizes"] = [int(s) for s in args.sizes.split(",")]
    ops = list(op_table.OPS) + list(op_table.MATMUL)
    if args.ops:
        wanted = args.ops.split(",")
        unknown = [o for o in wanted if o not in ops]
        if unknown:
            sys.exit(f"unknown ops: {unknown}; known: {ops}")
        ops = wanted

    torch = load_torch(not args.no_torch)
    import trueno

    isas = trueno.available_isas()
    if args.isas:
        isas = [i for i in args.isas.split(",") if i in isas]
    columns = make_columns(trueno, torch, isas)

    cells = [(op, n) for op in ops if op in op_table.OPS for n in cfg["sizes"]]
    cells += [(op, n) for op in ops if op in op_table.MATMUL for n in cfg["matmul_sizes"]]
    dtype = np.dtype(args.dtype)
    print(f"{len(cells)} cells x {len(columns)} columns ({', '.join(c.name for c in columns)}), "
          f"{dtype.name}, one thread (trueno: {args.threads}){' (quick)' if args.quick else ''}",
          flush=True)
    # The copy roofline at every size a memory-bound op is measured at: before and after
    # the cells, keeping the faster, since the machine's bandwidth varies with its load.
    roofline_sizes = sorted({n for op, n in cells if op in op_table.MEMORY_BOUND})
    copies = measure_roofline(roofline_sizes, dtype, cfg)
    progress = Progress(len(cells), disable=args.no_progress)
    rows = []
    with one_thread(trueno, args.threads):
        try:
            for op, n in cells:
                rows.append(measure_cell(op, n, dtype, columns, cfg["target_s"], cfg["max_rounds"],
                                         cfg["min_rounds"], cfg["cell_budget_s"]))
                progress.step(f"{op} {n}")
            copies = measure_roofline(roofline_sizes, dtype, cfg, copies)
        finally:
            progress.close()

    stamp = time.strftime("%Y%m%d-%H%M%S")
    result = {
        "schema": 1,
        "timestamp": stamp,
        "argv": sys.argv[1:],
        "quick": bool(args.quick),
        "dtype": dtype.name,
        **environment(trueno, torch, args.threads),
        "columns": [c.name for c in columns],
        "trueno_column": f"trueno-{trueno.get_isa()}" if trueno.get_isa() in isas
        else next(c.name for c in columns if c.name.startswith("trueno")),
        "config": cfg,
        "rows": rows,
        "roofline": {
            "method": "np.copyto(dst, src) into an array allocated beforehand; bandwidth = "
                      "(bytes read + bytes written) / median time, the faster of a measurement "
                      "before and one after the cells",
            "arrays_moved": dict(op_table.MEMORY_BOUND),
            "itemsize": dtype.itemsize,
            "copy": {str(n): m for n, m in copies.items()},
            "target_fraction": report.ROOFLINE_TARGET,
            "target_n": report.ROOFLINE_N,
        },
    }
    result["summary"] = report.summarize(result)
    result["elapsed_s"] = round(time.perf_counter() - t_start, 1)

    out_dir = args.out or os.path.join(HERE, "results")
    os.makedirs(out_dir, exist_ok=True)
    base = os.path.join(out_dir, stamp + ("-quick" if args.quick else "")
                        + ("" if dtype == np.float32 else f"-{dtype.name}")
                        + ("" if args.threads == 1 else f"-{args.threads}threads"))
    json_path = args.json or base + ".json"
    with open(json_path, "w") as f:
        json.dump(result, f, indent=1)
    with open(base + ".md", "w") as f:
        f.write(report.markdown(result))
    print()
    print(report.markdown(result, summary=False))
    errors = [(r["op"], r["n"], col, msg) for r in rows for col, msg in r["errors"].items()]
    for op, n, col, msg in errors:
        print(f"CHECK FAILED (not timed): {op} n={n} {col}: {msg}")
    if report.plot(result, base + ".png"):
        print(f"plot: {base}.png")
    else:
        print("matplotlib is not installed: plot skipped (pip install '.[bench]').")
    print(f"results: {json_path}  report: {base}.md")
    print(f"run time {time.perf_counter() - T0:.0f} s (measuring {result['elapsed_s']:.0f} s)")
    for line in report.summary_lines(result):
        print(line)
    return 1 if errors else 0


def main(argv=None):
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["--llm"]:  # its own section and options (minutes: not in the default run)
        try:
            from . import llm
        except ImportError:
            import llm  # noqa: E402
        return llm.main(argv[1:])
    if "--linalg" in argv or "--fft" in argv:  # their own section and options (minutes)
        try:
            from . import linalg_fft
        except ImportError:
            import linalg_fft  # noqa: E402
        return linalg_fft.main(argv)
    if argv[:1] == ["compare"]:
        p = argparse.ArgumentParser(prog="run.py compare",
                                    description="Per-cell time ratio b/a of two result files.")
        p.add_argument("a")
        p.add_argument("b")
        ns = p.parse_args(argv[1:])
        print(report.compare(report.load(ns.a), report.load(ns.b)))
        return 0
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--quick", action="store_true", help="fewer sizes and samples (under a minute)")
    p.add_argument("--dtype", default="float32", choices=["float32", "float64"])
    p.add_argument("--ops", help="comma-separated subset of ops (default: all 26 and matmul)")
    p.add_argument("--sizes", help="comma-separated vector sizes (default 100,...,1000000)")
    p.add_argument("--isas", help="comma-separated trueno ISAs (default: trueno.available_isas())")
    p.add_argument("--threads", type=int, default=1,
                   help="trueno.set_num_threads for the trueno columns (default 1; peers keep one)")
    p.add_argument("--no-torch", action="store_true", help="skip the PyTorch column")
    p.add_argument("--no-progress", action="store_true")
    p.add_argument("--out", help="results folder (default benchmarks/results)")
    p.add_argument("--json", help="JSON path (default <out>/<timestamp>.json)")
    return run(p.parse_args(argv))


if __name__ == "__main__":
    sys.exit(main())

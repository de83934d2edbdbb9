"""Out of core: one float32 workload of >= 2 GB on Cubed and on Dask, NumPy chunks vs trueno chunks.

    python benchmarks/scale.py --dir /dev/shm [--rows 131072] [--cols 4096] [--chunk-rows 8192]
                               [--workers 2] [--mem 2GB] [--repeats 3] [--engines cubed,dask]
    python benchmarks/scale.py --quick      # 256 MB, one repeat: a smoke run

The input is written once as uncompressed Zarr (float32, `--rows` x `--cols`,
chunks of `--chunk-rows` full rows) under `--dir` (default: the system's
temporary folder; `/dev/shm` keeps input and intermediates in memory), so
reading it is a copy and computing dominates what the engine does per chunk.
Every engine runs the same array-API function (`workload`), the elementwise
part of a transformer block: standardise each row (a layer norm), GELU (tanh
form), a row softmax, then the softmax-weighted mean of each row. Each
(engine, backend) run is its own process, interleaved repeat by repeat with
the backend order alternating, and the median wall time is reported with the
ratio NumPy/trueno (above 1: trueno chunks are faster).

- Cubed: `cubed.from_zarr`, the processes executor with `--workers` workers,
  `Spec(allowed_mem=--mem, zarr_compressor=None)`, intermediates under
  `--dir`; the bound is Cubed's `allowed_mem`, and the peak is the largest
  `peak_measured_mem_end` Cubed reports for a task (the worker's peak RSS).
  Cubed writes every stage's result to Zarr and reads it back, which is most
  of its wall time.
- Dask: a `distributed.LocalCluster` of `--workers` processes, one thread each,
  `memory_limit=--mem`; `da.from_zarr` chunks turned into trueno arrays with
  `map_blocks(trueno.asarray)` (zero-copy); the peak is each worker's peak RSS
  (`getrusage`) after the run, read with `Client.run`.
- The compute share is the time the same function takes on the same chunks with
  no engine (chunk by chunk, in one process), divided by the workers, over the
  engine's wall time: the part of the wall time that the array library decides.

The results of the two backends are compared (rtol 1e-4) and each engine must
return the backend's array type before any figure is printed. Needs the
`scale` extra (`pip install ".[scale]"`).
"""
from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[_var] = "1"

BACKENDS = ("numpy", "trueno")
ENGINES = ("cubed", "dask")


def workload(x, xp):
    """The array-API function every engine runs, a transformer block's elementwise
    part: standardise each row (a layer norm), GELU (tanh form), row softmax, and
    the softmax-weighted mean of each row. Chunks hold whole rows, so no chunk
    waits for another."""
    z = (x - xp.mean(x, axis=1, keepdims=True)) / xp.std(x, axis=1, keepdims=True)
    g = 0.5 * z * (1.0 + xp.tanh(0.7978846 * (z + 0.044715 * z * z * z)))
    e = xp.exp(g - xp.max(g, axis=1, keepdims=True))
    p = e / xp.sum(e, axis=1, keepdims=True)
    return xp.sum(p * g, axis=1)


def backend_module(name):
    if name == "numpy":
        import numpy
        return numpy
    import trueno
    return trueno


# ---------------------------------------------------------------- input

def write_input(path: Path, rows: int, cols: int, chunk_rows: int) -> None:
    import numpy as np
    import zarr

    z = zarr.create_array(str(path), shape=(rows, cols), chunks=(chunk_rows, cols), dtype="float32",
                          compressors=None, filters=None, overwrite=True)
    rng = np.random.default_rng(0)
    for start in range(0, rows, chunk_rows):
        stop = min(start + chunk_rows, rows)
        block = rng.standard_normal((stop - start, cols), dtype=np.float32)
        block *= np.linspace(0.5, 4.0, cols, dtype=np.float32)      # columns of different scale
        block += np.linspace(-2.0, 2.0, cols, dtype=np.float32)
        z[start:stop] = block


# ---------------------------------------------------------------- one run, in its own process

def run_cubed(args, backend: str) -> dict:
    os.environ["CUBED_BACKEND_ARRAY_API_MODULE"] = backend      # read when cubed is imported
    import cubed
    import cubed.array_api as cxp
    from cubed.runtime.executors.local import ProcessesExecutor
    from cubed.runtime.types import Callback

    class TaskPeaks(Callback):
        def __init__(self):
            self.peak, self.tasks = 0, 0

        def on_task_end(self, event):
            self.tasks += event.num_tasks
            self.peak = max(self.peak, event.peak_measured_mem_end or 0)

    spec = cubed.Spec(work_dir=args.work, allowed_mem=args.mem, zarr_compressor=None)
    result = workload(cubed.from_zarr(args.input, spec=spec), cxp)
    peaks = TaskPeaks()
    start = time.perf_counter()
    out = result.compute(executor=ProcessesExecutor(max_workers=args.workers), callbacks=[peaks])
    wall = time.perf_counter() - start
    return {"wall": wall, "result": out, "peaks": [peaks.peak], "bound": spec.allowed_mem,
            "tasks": peaks.tasks}


def worker_peak_rss() -> int:
    import resource
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024


def import_backend(name: str) -> str:
    backend_module(name)
    return name


def run_dask(args, backend: str) -> dict:
    import dask.array as da
    from dask.utils import parse_bytes
    from distributed import Client, LocalCluster

    xp = backend_module(backend)
    with LocalCluster(n_workers=args.workers, threads_per_worker=1, memory_limit=args.mem,
                      processes=True, dashboard_address=None) as cluster, Client(cluster) as client:
        client.run(import_backend, backend)                 # imports are not the workload
        x = da.from_zarr(args.input)
        if backend == "trueno":
            x = x.map_blocks(xp.asarray, dtype=x.dtype, meta=xp.empty((0, 0), dtype=xp.float32))
        result = workload(x, da)
        start = time.perf_counter()
        out = result.compute()
        wall = time.perf_counter() - start
        peaks = list(client.run(worker_peak_rss).values())
    return {"wall": wall, "result": out, "peaks": peaks, "bound": parse_bytes(args.mem),
            "tasks": len(result.__dask_graph__())}


def run_kernels(args, backend: str) -> dict:
    """The same function on the same chunks with no engine, chunk by chunk in one process."""
    import zarr

    xp = backend_module(backend)
    z = zarr.open_array(args.input, mode="r")
    rows, chunk_rows = z.shape[0], z.chunks[0]
    chunks = [xp.asarray(z[start:start + chunk_rows]) for start in range(0, rows, chunk_rows)]
    start = time.perf_counter()
    out = xp.concat([workload(c, xp) for c in chunks])
    elapsed = time.perf_counter() - start
    return {"wall": elapsed, "result": out, "peaks": [], "bound": 0, "tasks": len(chunks)}


RUNNERS = {"cubed": run_cubed, "dask": run_dask, "kernels": run_kernels}


def child(args) -> None:
    import numpy as np

    record = RUNNERS[args.child_engine](args, args.child_backend)
    out = record.pop("result")
    record["result_type"] = type(out).__module__.split(".")[0] + "." + type(out).__name__
    np.save(Path(args.work).parent / f"{args.child_engine}-{args.child_backend}.npy", np.asarray(out))
    print("RESULT " + json.dumps(record))


# ---------------------------------------------------------------- the parent: interleave, check, report

def spawn(args, engine: str, backend: str, work: Path) -> dict:
    cmd = [sys.executable, __file__, "--child-engine", engine, "--child-backend", backend,
           "--input", str(work / "input.zarr"), "--work", str(work / f"tmp-{engine}-{backend}"),
           "--workers", str(args.workers), "--mem", args.mem]
    proc = subprocess.run(cmd, capture_output=True, text=True)
    lines = [line for line in proc.stdout.splitlines() if line.startswith("RESULT ")]
    if proc.returncode != 0 or not lines:
        sys.exit(f"{engine}/{backend} failed (exit {proc.returncode}):\n{proc.stdout[-3000:]}\n{proc.stderr[-6000:]}")
    shutil.rmtree(work / f"tmp-{engine}-{backend}", ignore_errors=True)
    return json.loads(lines[-1][len("RESULT "):])


def check_results(work: Path, engines) -> None:
    import numpy as np

    reference = np.load(work / "kernels-numpy.npy")
    for engine in ("kernels", *engines):
        for backend in BACKENDS:
            got = np.load(work / f"{engine}-{backend}.npy")
            np.testing.assert_allclose(got, reference, rtol=1e-4, atol=1e-5,
                                       err_msg=f"{engine} with {backend} chunks")


def gb(nbytes: float) -> str:
    return f"{nbytes / 1e9:.2f} GB"


def report(args, runs: dict, nbytes: int) -> str:
    median = {key: statistics.median(r["wall"] for r in records) for key, records in runs.items()}
    lines = [
        f"Input {args.rows} x {args.cols} float32 ({gb(nbytes)}), uncompressed Zarr, chunks of "
        f"{args.chunk_rows} x {args.cols} ({gb(args.chunk_rows * args.cols * 4)}); {args.workers} workers, "
        f"bound {args.mem} per worker; median of {args.repeats} interleaved runs.",
        "",
        "| engine | NumPy chunks | trueno chunks | NumPy / trueno | compute share NumPy / trueno "
        "| peak per worker NumPy / trueno (bound) | tasks |",
        "|---|---|---|---|---|---|---|",
    ]
    for engine in args.engines:
        cells = []
        for backend in BACKENDS:
            share = median[("kernels", backend)] / args.workers / median[(engine, backend)]
            peak = max(max(r["peaks"]) for r in runs[(engine, backend)])
            cells.append((median[(engine, backend)], share, peak))
        bound = runs[(engine, "trueno")][0]["bound"]
        (tn, sn, pn), (tt, st, pt) = cells
        lines.append(f"| {engine} | {tn:.2f} s | {tt:.2f} s | **{tn / tt:.2f}x** | {sn:.0%} / {st:.0%} "
                     f"| {gb(pn)} / {gb(pt)} ({gb(bound)}) | {runs[(engine, 'trueno')][0]['tasks']} |")
    kn, kt = median[("kernels", "numpy")], median[("kernels", "trueno")]
    lines.append(f"| no engine (one process, the same chunks) | {kn:.2f} s | {kt:.2f} s | **{kn / kt:.2f}x** "
                 f"| 100% | | |")
    return "\n".join(lines)


def cpu_name() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return "unknown CPU"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, default=131072)
    parser.add_argument("--cols", type=int, default=4096)
    parser.add_argument("--chunk-rows", type=int, default=8192)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--mem", default="2GB", help="memory bound per worker (Cubed allowed_mem, Dask memory_limit)")
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--engines", default=",".join(ENGINES))
    parser.add_argument("--dir", default=None, help="where the input and intermediates go (default: a temporary folder)")
    parser.add_argument("--json", default=None, help="write every run's figures here")
    parser.add_argument("--quick", action="store_true", help="16384 rows (256 MB), one repeat")
    parser.add_argument("--child-engine", choices=sorted(RUNNERS), help=argparse.SUPPRESS)
    parser.add_argument("--child-backend", choices=BACKENDS, help=argparse.SUPPRESS)
    parser.add_argument("--input", help=argparse.SUPPRESS)
    parser.add_argument("--work", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child_engine:
        child(args)
        return 0
    if args.quick:
        args.rows, args.chunk_rows, args.repeats = 16384, 2048, 1
    args.engines = [e for e in args.engines.split(",") if e]
    unknown = set(args.engines) - set(ENGINES)
    if unknown:
        parser.error(f"--engines: unknown {sorted(unknown)}; choose from {ENGINES}")

    work = Path(tempfile.mkdtemp(prefix="trueno-scale-", dir=args.dir))
    try:
        nbytes = args.rows * args.cols * 4
        print(f"writing {gb(nbytes)} of uncompressed Zarr to {work} ...", flush=True)
        write_input(work / "input.zarr", args.rows, args.cols, args.chunk_rows)
        runs: dict = {}
        for repeat in range(args.repeats):
            order = BACKENDS if repeat % 2 == 0 else BACKENDS[::-1]
            for engine in ("kernels", *args.engines):
                for backend in order:
                    record = spawn(args, engine, backend, work)
                    runs.setdefault((engine, backend), []).append(record)
                    print(f"  repeat {repeat + 1}: {engine:8s} {backend:7s} {record['wall']:7.2f} s  "
                          f"peak {gb(max(record['peaks'], default=0))}", flush=True)
        check_results(work, args.engines)
        for (engine, backend), records in runs.items():       # the engine kept the backend's arrays
            expected = "trueno.Array" if backend == "trueno" else "numpy.ndarray"
            kinds = {r["result_type"] for r in records}
            if kinds != {expected}:
                sys.exit(f"{engine} with {backend} chunks returned {sorted(kinds)}, not {expected}")
        table = report(args, runs, nbytes)
        print(f"\n{cpu_name()}, Python {sys.version.split()[0]}\n\n{table}")
        if args.json:
            Path(args.json).write_text(json.dumps(
                {f"{e}/{b}": r for (e, b), r in runs.items()}, indent=1, default=str))
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""benchmarks/scale.py works: its workload agrees on NumPy and trueno, its report
computes the ratios and shares from the runs, and a tiny run goes through both
engines with both backends (results compared inside). No timing assertions."""
from __future__ import annotations

import argparse
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

import trueno

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))
from benchmarks import scale  # noqa: E402


def test_workload_agrees_with_numpy():
    x = np.random.default_rng(0).standard_normal((64, 300), dtype=np.float32) * 3 + 1
    want = scale.workload(x, np)
    got = scale.workload(trueno.asarray(x), trueno)
    assert type(got) is trueno.Array and got.dtype == trueno.float32 and got.shape == (64,)
    np.testing.assert_allclose(np.asarray(got), want, rtol=1e-5, atol=1e-6)


def test_report_ratios_shares_and_peaks():
    args = argparse.Namespace(rows=8, cols=4, chunk_rows=2, workers=2, mem="1GB", repeats=3,
                              engines=["dask"])
    record = lambda wall, peak=0: {"wall": wall, "peaks": [peak], "bound": 10**9, "tasks": 7}  # noqa: E731
    runs = {("kernels", "numpy"): [record(4.0)] * 3, ("kernels", "trueno"): [record(2.0)] * 3,
            ("dask", "numpy"): [record(10.0, 5 * 10**8), record(9.0), record(11.0)],
            ("dask", "trueno"): [record(5.0, 6 * 10**8), record(4.0), record(6.0)]}
    table = scale.report(args, runs, 128)
    row = next(line for line in table.splitlines() if line.startswith("| dask"))
    assert "10.00 s" in row and "5.00 s" in row and "**2.00x**" in row     # medians and their ratio
    assert "20% / 20%" in row                                               # 4 s / 2 workers / 10 s
    assert "0.50 GB / 0.60 GB (1.00 GB)" in row


def test_tiny_run_through_both_engines(tmp_path):
    for engine in ("cubed", "dask.array", "distributed", "zarr"):
        pytest.importorskip(engine, reason=f"{engine} is not installed (pip install '.[scale]')")
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(Path(trueno.__file__).parent.parent),
                                                      env.get("PYTHONPATH")]))
    result = subprocess.run(
        [sys.executable, str(ROOT / "benchmarks" / "scale.py"), "--rows", "1024", "--cols", "128",
         "--chunk-rows", "256", "--repeats", "1", "--mem", "1GB", "--dir", str(tmp_path)],
        capture_output=True, text=True, env=env, timeout=600)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    table = result.stdout[result.stdout.index("| engine"):]
    assert "| cubed |" in table and "| dask |" in table and "| no engine" in table

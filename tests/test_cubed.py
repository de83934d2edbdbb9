"""Cubed with trueno as its backend (CUBED_BACKEND_ARRAY_API_MODULE=trueno).

Cubed stores dtypes as NumPy's, reads ``type(f).__module__``, pickles the
backend's functions for its processes executor and calls ``mean(dtype=)``,
``take(x, int, axis=)`` and int64 x float64 operators: before issue 13 four of
its own array-API tests passed on trueno. Cubed's tests ship in its wheel;
they run here in a child process, since Cubed reads its backend at import.
"""
from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

cubed = pytest.importorskip("cubed", reason="Cubed is not installed (pip install cubed)")

# Cubed's dask executor fails with either backend against distributed 2026.11 ("Cluster has no
# workers running" from its own memory check); its other executors are the test's subject.
EXECUTORS_HERE = "not cloud and not obstore and not dask"


def _child_env(backend: str = "trueno") -> dict:
    env = dict(os.environ)
    env.pop("CUBED_BACKEND_ARRAY_API_MODULE", None)
    if backend != "numpy":
        env["CUBED_BACKEND_ARRAY_API_MODULE"] = backend
    import trueno

    # the trueno under test (a development build is on sys.path, not installed)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(Path(trueno.__file__).parent.parent),
                                                      env.get("PYTHONPATH")]))
    return env


def _run_cubeds_tests(backend: str, folder: Path) -> tuple[int, str]:
    tests = Path(cubed.__file__).parent / "tests" / "test_array_api.py"
    folder.mkdir()
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "--tb=line", "-c", os.devnull,
         "--rootdir", str(folder), str(tests), "-k", EXECUTORS_HERE],
        capture_output=True, text=True, env=_child_env(backend), cwd=folder, timeout=1200)
    summary = result.stdout.strip().splitlines()[-1] if result.stdout.strip() else result.stderr[-2000:]
    passed = int(m.group(1)) if (m := re.search(r"(\d+) passed", summary)) else 0
    return passed, result.stdout[-6000:] if " failed" in summary or result.returncode else summary


def test_cubeds_own_array_api_tests_pass_on_trueno_as_on_numpy(tmp_path):
    """The issue's measure: at least as many of Cubed's tests pass with trueno as with NumPy
    (single-threaded, threads and processes executors, same run, same versions), none failing."""
    on_trueno, report = _run_cubeds_tests("trueno", tmp_path / "trueno")
    assert " failed" not in report and "error" not in report.lower(), report
    on_numpy, numpy_report = _run_cubeds_tests("numpy", tmp_path / "numpy")
    assert on_numpy > 0, numpy_report
    assert on_trueno >= on_numpy, (report, numpy_report)


CHUNK_TYPES = '''
import cubed, cubed.array_api as cxp, numpy as np, trueno as xp
from cubed.runtime.executors.local import ProcessesExecutor

def double(block):
    assert type(block) is xp.Array, type(block)  # every chunk is a trueno array in the worker
    return block * 2

if __name__ == "__main__":  # (the executor's processes import this file)
    a = cxp.asarray(np.arange(24.0).reshape(4, 6), chunks=(2, 3), spec=cubed.Spec(allowed_mem="200MB"))
    b = cxp.mean(cubed.map_blocks(double, cxp.exp(a / 10), dtype=a.dtype), axis=0)
    r = b.compute(executor=ProcessesExecutor())
    assert type(r) is xp.Array, type(r)
    expected = (2 * np.exp(np.arange(24.0).reshape(4, 6) / 10)).mean(axis=0)
    np.testing.assert_allclose(np.asarray(r), expected, rtol=1e-12)
    print("ok")
'''


def test_cubed_chunks_are_trueno_arrays_on_the_processes_executor(tmp_path):
    script = tmp_path / "chunks.py"
    script.write_text(CHUNK_TYPES)
    result = subprocess.run([sys.executable, str(script)], capture_output=True, text=True,
                            env=_child_env(), cwd=tmp_path, timeout=600)
    assert result.returncode == 0 and result.stdout.strip().endswith("ok"), result.stdout + result.stderr

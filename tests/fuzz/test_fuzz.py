"""The fuzz harness in the test suite: coverage of the API, a short run
(TRUENO_FUZZ_CALLS calls, default 2000; TRUENO_FUZZ_SEED, default 0), and
the supervisor's handling of a crash and a hang."""
from __future__ import annotations

import json
import os
import subprocess
import sys

import trueno as xp

from . import harness

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
CALLS = int(os.environ.get("TRUENO_FUZZ_CALLS", "2000"))
SEED = int(os.environ.get("TRUENO_FUZZ_SEED", "0"))


def run_cli(*args, timeout=600):
    return subprocess.run([sys.executable, "-m", "tests.fuzz", *args], cwd=ROOT, capture_output=True,
                          text=True, timeout=timeout, env=dict(os.environ))


def test_every_public_function_has_a_generator():
    missing = [n for n in harness.public_names() if n not in harness.BUILDERS]
    assert not missing, f"the fuzz harness does not call {missing}"


def test_every_array_operator_and_method_is_fuzzed():
    fuzzed = {t.split(":")[1] for t in harness.METHODS}
    dunders = {n for n in dir(xp.Array) if n.startswith("__") and n[2:-2] in {
        "add", "sub", "mul", "truediv", "floordiv", "mod", "pow", "and", "or", "xor", "lshift",
        "rshift", "matmul", "eq", "ne", "lt", "le", "gt", "ge", "neg", "pos", "abs", "invert",
        "bool", "int", "float", "complex", "index"} or n[3:-2] in {
        "add", "sub", "mul", "truediv", "floordiv", "mod", "pow", "and", "or", "xor", "lshift",
        "rshift", "matmul"}}
    assert dunders, "no operators found on trueno.Array"
    assert not dunders - fuzzed, f"not fuzzed: {sorted(dunders - fuzzed)}"


def test_calls_are_reproducible():
    rng = harness.Rng()
    targets = harness.all_targets()
    first = [harness.run_one(rng, 7, i, targets).description for i in range(50)]
    again = [harness.run_one(rng, 7, i, targets).description for i in range(50)]
    assert first == again


def test_short_fuzz_run_finds_nothing(tmp_path):
    report = tmp_path / "report.json"
    out = run_cli("--calls", str(CALLS), "--seed", str(SEED), "--report", str(report))
    assert report.exists(), out.stdout + out.stderr
    data = json.loads(report.read_text())
    assert data["calls"] == CALLS
    assert data["crashes_and_hangs"] == 0, out.stdout + out.stderr
    assert data["findings"] == 0, out.stdout
    assert out.returncode == 0, out.stdout + out.stderr
    assert data["counts"].get("ok", 0) > CALLS // 4  # most calls were compared, not refused


def test_supervisor_reports_a_crash_and_a_hang_and_carries_on(tmp_path):
    report = tmp_path / "report.json"
    out = run_cli("--calls", "60", "--seed", "3", "--crash-at", "17", "--hang-at", "40",
                  "--hang-seconds", "3", "--report", str(report))
    data = json.loads(report.read_text())
    assert out.returncode == 1
    assert [(c["index"], c["kind"].split()[0]) for c in data["crashes"]] == [(17, "crash"), (40, "hang")]
    assert "--seed 3 --replay 17" in out.stderr
    assert data["calls"] == 60

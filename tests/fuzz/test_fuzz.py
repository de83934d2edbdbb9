"""The fuzz harness in the test suite: coverage of the API, a short run
(TRUENO_FUZZ_CALLS calls, default 2000; TRUENO_FUZZ_SEED, default 0), the
supervisor's handling of a crash and a hang, and a few hundred calls of each
family added for issue 15 (foreign memory, flipping settings, gguf.linear,
huge zero-stride views, hostile DLPack capsules)."""
from __future__ import annotations

import json
import os
import subprocess
import sys
import time

import pytest

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
    # the families, planned but not run (a huge view's call runs in the worker,
    # under its memory limit)
    targets = harness.select_targets("huge:,dlpack:,gguf.")
    first = [harness.describe_one(rng, 7, i, targets) for i in range(100)]
    assert first == [harness.describe_one(rng, 7, i, targets) for i in range(100)]
    assert {d.split("(")[0].split(" = ")[0] for d in first} >= {"x", "p", "gguf.linear"}


def test_time_limit_interrupts_python_code():
    t0 = time.monotonic()
    with pytest.raises(harness.TooSlow):
        with harness.time_limit(0.2):
            while True:
                pass
    assert time.monotonic() - t0 < 5


# huge zero-stride views and hostile DLPack capsules: a family of their own
# (their calls refuse far more than they compute), run apart, below
HOSTILE_FAMILIES = "huge:,dlpack:"


def test_short_fuzz_run_finds_nothing(tmp_path):
    report = tmp_path / "report.json"
    out = run_cli("--calls", str(CALLS), "--seed", str(SEED), "--skip", HOSTILE_FAMILIES, "--report", str(report))
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


def fuzz_report(tmp_path, *args):
    report = tmp_path / "report.json"
    out = run_cli(*args, "--report", str(report))
    assert report.exists(), out.stdout + out.stderr
    return json.loads(report.read_text()), out


def test_foreign_operands_while_settings_flip_find_nothing(tmp_path):
    # every operand in foreign memory (bools of random bytes), every target
    # but the hostile families, while a thread flips ISA, threads and VNNI
    data, out = fuzz_report(tmp_path, "--calls", "600", "--seed", "15", "--foreign", "1",
                            "--flip-settings", "--skip", HOSTILE_FAMILIES)
    assert data["calls"] == 600
    assert data["crashes_and_hangs"] == 0 and data["findings"] == 0, out.stdout + out.stderr
    assert data["flip_settings"]["flips_in_the_last_worker"] > 0
    assert data["counts"].get("ok", 0) > 150


def test_gguf_linear_while_settings_flip_finds_nothing(tmp_path):
    data, out = fuzz_report(tmp_path, "--calls", "300", "--seed", "15", "--only", "gguf.",
                            "--flip-settings")
    assert data["crashes_and_hangs"] == 0 and data["findings"] == 0, out.stdout + out.stderr
    assert data["counts"].get("ok", 0) > 150


def test_huge_views_and_hostile_capsules(tmp_path):
    data, out = fuzz_report(tmp_path, "--calls", "400", "--seed", "15", "--only", HOSTILE_FAMILIES)
    assert data["calls"] == 400
    assert data["counts"].get("harness_error", 0) == 0, out.stdout
    assert data["counts"].get("ok", 0) + data["counts"].get("run_before_crash", 0) > 100
    assert data["crashes_and_hangs"] == 0, out.stdout + out.stderr
    # every refusal names the function the user called (tile, not the
    # broadcast_to it is built from)
    wrong = data["findings_list"]
    assert not wrong, [f"{r['target']} {r['verdict']}: {r['detail'][:200]}" for r in wrong]

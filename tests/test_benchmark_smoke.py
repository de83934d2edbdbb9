"""The benchmark code works: every op of the table runs on NumPy and trueno and agrees, and the
report/compare functions handle a small synthetic result. No timing assertions."""
import json
import os
import sys

import numpy as np
import pytest

import trueno

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
if ROOT not in sys.path:
    sys.path.insert(0, ROOT)
from benchmarks import ops as op_table, report, run as bench_run  # noqa: E402

ALL_OPS = list(op_table.OPS) + list(op_table.MATMUL)


def test_op_table_has_the_original_26_and_matmul():
    assert len(op_table.OPS) == 26
    assert "matmul" in op_table.MATMUL


@pytest.mark.parametrize("dtype", ["float32", "float64"])
@pytest.mark.parametrize("op", ALL_OPS)
def test_op_agrees_with_numpy(op, dtype):
    fn = op_table.op_fn(op)
    a, b, c = op_table.make_inputs(op, 8 if op == "matmul" else 37, np.dtype(dtype))
    expected = fn(np, a, b, c)
    got = fn(trueno, *(trueno.asarray(x) for x in (a, b, c)))
    op_table.check(op, op_table.to_numpy(got), a, b, c, expected)


def test_check_rejects_a_wrong_result():
    a, b, c = op_table.make_inputs("exp", 16, np.dtype("float32"))
    with pytest.raises(AssertionError):
        op_table.check("exp", np.exp(a) * 1.01, a, b, c, np.exp(a))
    with pytest.raises(AssertionError):
        op_table.check("argmax", np.int64(np.argmin(a)), a, b, c, np.argmax(a))


def test_measure_cell_checks_and_times_every_isa():
    isas = trueno.available_isas()[:2]
    columns = bench_run.make_columns(trueno, None, isas)
    try:
        row = bench_run.measure_cell("softmax", 64, np.dtype("float32"), columns, target_s=1e-5,
                                     max_rounds=2, min_rounds=2, cell_budget_s=0.0)
    finally:
        trueno.set_isa("best")
    assert row["errors"] == {}
    assert set(row["times"]) == {"numpy"} | {f"trueno-{i}" for i in isas}
    for t in row["times"].values():
        assert t["p10_ns"] <= t["median_ns"] <= t["p90_ns"] and t["samples"] == 2


def test_torch_namespace_maps_the_spellings():
    torch = pytest.importorskip("torch")
    xp = op_table.torch_namespace(torch)
    for op in ALL_OPS:
        fn = op_table.op_fn(op)
        a, b, c = op_table.make_inputs(op, 8 if op == "matmul" else 37, np.dtype("float32"))
        got = fn(xp, *(torch.from_numpy(x.copy()) for x in (a, b, c)))
        op_table.check(op, op_table.to_numpy(got), a, b, c, fn(np, a, b, c))


def synthetic(commit, scale):
    cols = ["numpy", "torch", "trueno-avx2", "trueno-scalar"]
    rows = []
    for op, base in (("add", 100.0), ("exp", 400.0), ("matmul", 1e6)):
        for n in (100, 1000):
            rows.append({"op": op, "n": n, "errors": {}, "times": {
                c: {"median_ns": base * f * scale, "p10_ns": base * f * scale * 0.9,
                    "p90_ns": base * f * scale * 1.1, "samples": 3, "inner": 1}
                for c, f in zip(cols, (1.0, 2.0, 0.5, 1.1))}})
    return {"schema": 1, "timestamp": commit, "dtype": "float32", "columns": cols,
            "trueno_column": "trueno-avx2", "machine": {"cpu_model": "test cpu"},
            "versions": {"numpy": np.__version__}, "git": {"commit": commit}, "rows": rows}


def test_report_functions_on_synthetic_results(tmp_path):
    a, b = synthetic("aaaa", 1.0), synthetic("bbbb", 0.5)
    s = report.summarize(a)
    assert s["cells"] == 6 and s["faster_than_numpy"] == 6 and s["faster_than_torch"] == 6
    assert s["within_20pct_fraction"] == 1.0 and s["original_criterion_met"]
    assert s["geomean_speedup_vs_numpy"] == pytest.approx(2.0)
    lines = report.summary_lines(a)
    assert "MET" in lines[0] and "2.00x" in lines[1]
    md = report.markdown(a)
    assert "| exp | 1K |" in md and "2.00" in md
    pa, pb = tmp_path / "a.json", tmp_path / "b.json"
    pa.write_text(json.dumps(a))
    pb.write_text(json.dumps(b))
    cmp = report.compare(report.load(str(pa)), report.load(str(pb)))
    assert "| add | 100 | 0.50 |" in cmp and "trueno-avx2 0.500" in cmp
    assert bench_run.main(["compare", str(pa), str(pb)]) == 0
    png = tmp_path / "plot.png"
    if report.plot(a, str(png)):
        assert png.stat().st_size > 0

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


# ---- the copy roofline ------------------------------------------------------------------

def test_measure_copy_counts_bytes_read_and_written():
    m = bench_run.measure_copy(1000, np.dtype("float64"), target_s=1e-5, rounds=3)
    assert m["bytes"] == 2 * 1000 * 8 and m["samples"] == 3
    assert m["p10_ns"] <= m["median_ns"] <= m["p90_ns"]
    assert m["gbps"] == pytest.approx(m["bytes"] / m["median_ns"])


def test_measure_roofline_keeps_the_faster_measurement():
    cfg = {"target_s": 1e-5, "min_rounds": 1}
    slow = {100: {"median_ns": 1e12, "gbps": 1e-9}}
    fast = {100: {"median_ns": 1e-3, "gbps": 1e9}}
    assert bench_run.measure_roofline([100], np.dtype("float32"), cfg, slow)[100]["median_ns"] < 1e12
    assert bench_run.measure_roofline([100], np.dtype("float32"), cfg, fast)[100] is fast[100]


def with_roofline(result, copy_gbps):
    """`synthetic` result with add and exp at n = 1M and a copy roofline of copy_gbps."""
    for row in result["rows"]:
        row["n"] *= 10**3  # 100 -> 100K, 1000 -> 1M
    result["roofline"] = {"arrays_moved": {"add": 3}, "itemsize": 4,
                          "copy": {"1000000": {"gbps": copy_gbps}, "100000": {"gbps": copy_gbps}}}
    return result


def test_roofline_fractions_of_copy_bandwidth():
    result = with_roofline(synthetic("aaaa", 1.0), copy_gbps=2e5)
    cells = report.roofline_cells(result)
    assert [(c["op"], c["n"]) for c in cells] == [("add", 100_000), ("add", 1_000_000)]
    # add at 1M: numpy 100 ns * 1.0; trueno-avx2 at 0.5 of that; 3 arrays of 1M float32.
    add = cells[1]["columns"]
    assert add["numpy"]["gbps"] == pytest.approx(3 * 4e6 / 100.0)
    assert add["trueno-avx2"]["fraction"] == pytest.approx(3 * 4e6 / 50.0 / 2e5)  # 120%
    assert add["trueno-scalar"]["fraction"] == pytest.approx(3 * 4e6 / 110.0 / 2e5)  # 55%
    r = report.summarize(result)["roofline"]
    assert r["n"] == 1_000_000 and set(r["fraction"]) == {"add"}
    assert r["met"] and r["missed"] == []
    line = report.summary_lines(result)[-1]
    assert line.startswith("Roofline") and "MET" in line and "NOT" not in line
    roof_md = report.markdown(result).split("Roofline:")[1]
    assert "| add | 1M | 200000.0 |" in roof_md and "(120%)" in roof_md and "(55%)" in roof_md
    assert "| add | 100K |" not in roof_md  # only the target's n when it was measured


def test_roofline_target_missed_is_reported():
    # add at 1M moves 12 MB in 50 ns on trueno-avx2 = 240000 GB/s: far under a 1e9 GB/s copy.
    result = with_roofline(synthetic("aaaa", 1.0), copy_gbps=1e9)
    r = report.summarize(result)["roofline"]
    assert not r["met"] and r["missed"] == ["add"]
    assert "NOT met (add)" in report.summary_lines(result)[-1]


def test_results_without_roofline_still_report():
    result = synthetic("aaaa", 1.0)
    assert report.roofline_cells(result) == [] and report.summarize(result)["roofline"] is None
    assert "Roofline" not in report.markdown(result)


def test_run_writes_the_roofline(tmp_path):
    isa = trueno.available_isas()[0]
    rc = bench_run.main(["--quick", "--ops", "add,exp", "--sizes", "1000", "--isas", isa, "--no-torch",
                         "--no-progress", "--out", str(tmp_path), "--json", str(tmp_path / "r.json")])
    assert rc == 0
    result = report.load(str(tmp_path / "r.json"))
    roof = result["roofline"]
    assert set(roof["copy"]) == {"1000"} and roof["copy"]["1000"]["gbps"] > 0
    assert roof["arrays_moved"]["add"] == 3 and roof["itemsize"] == 4
    cells = report.roofline_cells(result)
    assert [c["op"] for c in cells] == ["add"]
    assert set(cells[0]["columns"]) == {"numpy", f"trueno-{isa}"}
    md = next(p for p in tmp_path.iterdir() if p.suffix == ".md").read_text()
    assert "| add | 1K |" in md and "GB/s" in md


# ---- the LLM section (benchmarks/llm.py) ------------------------------------------------

@pytest.mark.parametrize("with_llama_cpp", [True, False])
def test_llm_section_runs_on_a_tiny_model(tmp_path, monkeypatch, with_llama_cpp):
    pytest.importorskip("gguf")
    from benchmarks import llm as bench_llm

    if with_llama_cpp and not bench_llm.have_llama_cpp():
        pytest.skip("llama_cpp is not installed")
    if not with_llama_cpp:
        monkeypatch.setattr(bench_llm, "have_llama_cpp", lambda: False)
    argv = ["--tiny", "--repeats", "1", "--prompt", "8", "--decode", "4", "--types", "Q8_0",
            "--out", str(tmp_path), "--cache", str(tmp_path)]
    # without llama.cpp, through the suite's command (run.py --llm hands over to llm.main)
    rc = bench_llm.main(argv) if with_llama_cpp else bench_run.main(["--llm"] + argv)
    assert rc == 0
    result = json.loads(next(tmp_path.glob("*-llm.json")).read_text())
    (row,) = result["types"]
    engines = ["trueno", "llama.cpp"] if with_llama_cpp else ["trueno"]
    assert row["type"] == "Q8_0" and list(row["engines"]) == engines
    assert row["file_bytes"] == next(tmp_path.glob("*-Q8_0.gguf")).stat().st_size
    for e in row["engines"].values():
        assert e["prompt_tokens_per_s"] > 0 and e["decode_tokens_per_s"] > 0
        assert len(e["prompt_s"]) == 1 and len(e["decode_s_per_token"]) == 1
        assert e["rss"] >= e["model_rss"] and e["kv_cache_bytes"] > 0
    if with_llama_cpp:
        assert row["greedy_tokens"] == 4 and 0 <= row["greedy_tokens_equal"] <= 4
    md = next(tmp_path.glob("*-llm.md")).read_text()
    assert md.count("| Q8_0 |") == len(engines)


def test_llm_section_checks_its_arguments(tmp_path):
    from benchmarks import llm as bench_llm

    with pytest.raises(ValueError, match="type_name"):
        bench_llm.model_file(bench_llm.COMPARE_CONFIG, "Q3_K", directory=str(tmp_path))
    with pytest.raises(ValueError, match="config"):
        bench_llm.model_file(dict(bench_llm.COMPARE_CONFIG, dim=0), "F32", directory=str(tmp_path))
    with pytest.raises(TypeError, match="seed"):
        bench_llm.model_file(bench_llm.COMPARE_CONFIG, "F32", seed=1.5, directory=str(tmp_path))
    with pytest.raises(ValueError, match="context"):
        bench_llm.bench_type("Q8_0", bench_llm.COMPARE_CONFIG, 100, 100, 1, ["trueno"],
                             directory=str(tmp_path))
    with pytest.raises(ValueError, match="engine"):
        bench_llm.Worker("torch", "model.gguf", 8)
    with pytest.raises(SystemExit):
        bench_llm.main(["--types", "Q9_9"])

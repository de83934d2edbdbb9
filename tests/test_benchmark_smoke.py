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


# ---- the linalg and fft section (benchmarks/linalg_fft.py) ------------------------------

from benchmarks import linalg_fft  # noqa: E402

SECTION_OPS = list(linalg_fft.LINALG) + list(linalg_fft.FFT)


@pytest.mark.parametrize("dtype", ["float32", "float64"])
@pytest.mark.parametrize("op", SECTION_OPS)
def test_section_op_agrees_with_numpy(op, dtype):
    # one small cell and one batch (fft2: its 2-D size) per op, checked but not timed
    isa = trueno.available_isas()[0]
    columns = linalg_fft.section_columns(trueno, None, [isa], scipy=True, with_f64=dtype == "float32")
    sizes = {"fft2": ["8x8"], "fft": [64, "3x64"], "rfft": [64, 15], "irfft": [64, 15]}.get(op, [4, "10x3x3"])
    cells = linalg_fft.cells_of([op], sizes)
    assert cells
    try:
        for _, size in cells:
            row = linalg_fft.measure(op, size, np.dtype(dtype), columns, linalg_fft.QUICK, timing=False)
            assert row["errors"] == {}, (size, row["errors"])
    finally:
        trueno.set_isa("best")
    if op == "matrix_power" and any(c.name == "scipy" for c in columns):
        assert row["missing"] == ["scipy"]  # a function SciPy lacks is left out, not failed


def test_section_check_rejects_wrong_results():
    a, b, c = linalg_fft.make_inputs("svd", 6, np.dtype("float64"))
    expected = np.linalg.svd(a)
    u, s, vh = expected
    check = linalg_fft.check
    check("svd", (-u, s, -vh), a, b, c, expected)  # signs are the libraries' choice
    with pytest.raises(AssertionError, match="S"):
        check("svd", (u, s * 1.01, vh), a, b, c, expected)
    a, b, c = linalg_fft.make_inputs("eigvals", 6, np.dtype("float64"))
    w = np.linalg.eigvals(a)
    check("eigvals", (w[::-1].copy(),), a, b, c, (w,))  # any order
    with pytest.raises(AssertionError, match="eigenvalues"):
        check("eigvals", (w + 0.01,), a, b, c, (w,))
    a, b, c = linalg_fft.make_inputs("fft", 64, np.dtype("float32"))
    with pytest.raises(AssertionError, match="dtype"):
        check("fft", (np.fft.fft(a.astype(np.complex128)),), a, b, c, np.fft.fft(a))


def section_result(trueno_ns):
    """A synthetic section result: three cells, trueno taking trueno_ns[i] on cell i."""
    rows = []
    for (op, n, dtype), ns, base in zip((("det", 4, "float64"), ("fft", 4096, "float32"),
                                         ("inv", 512, "float64")), trueno_ns, (1000.0, 5000.0, 1e6)):
        times = {"numpy": base, "numpy-f64": base / 2, "scipy": base * 0.8, "trueno-avx2": ns}
        row = {"op": op, "n": n, "dtype": dtype, "errors": {},
               "times": {c: {"median_ns": t} for c, t in times.items()}}
        row["targets"] = linalg_fft.evaluate_targets(row, "trueno-avx2")
        rows.append(row)
    return {"timestamp": "t", "columns": ["numpy", "scipy", "numpy-f64", "trueno-avx2"],
            "trueno_column": "trueno-avx2", "machine": {"cpu_model": "test cpu"},
            "versions": {"numpy": np.__version__}, "git": {"commit": "c"}, "config": {"reruns": 3},
            "elapsed_s": 1.0, "rows": rows}


def test_section_targets_met_and_missed():
    met = section_result([400.0, 1600.0, 9e5])
    s = linalg_fft.targets_summary(met)
    assert {k: (e["met"], e["cells"]) for k, e in s.items()} == {
        "numpy": (3, 3), "small-2x": (1, 1), "f32-1.5x": (1, 1)}
    assert all(e["all_met"] for e in s.values())
    # det 4 at 1.25x NumPy: misses 2x; fft 4096 at 1.5x NumPy but only 1.25x its complex128
    # path; inv 512 at 0.9x NumPy: more than 5% slower
    missed = section_result([800.0, 2000.0, 1.11e6])
    s = linalg_fft.targets_summary(missed)
    assert {k: (e["met"], e["cells"]) for k, e in s.items()} == {
        "numpy": (2, 3), "small-2x": (0, 1), "f32-1.5x": (0, 1)}
    assert s["f32-1.5x"]["missed"] == ["fft 4096 float32 (1.25x vs numpy-f64)"]
    missed["targets"] = s
    md = linalg_fft.markdown(missed)
    assert md.count("NOT met") == 3 and "| inv | 512 | float64 |" in md and "numpy -0.90" in md


def test_section_run_writes_table_and_targets(tmp_path):
    isa = trueno.available_isas()[0]
    rc = bench_run.main(["--linalg", "--fft", "--quick", "--ops", "det,fft", "--sizes", "4,64",
                         "--dtypes", "float32", "--isas", isa, "--no-torch", "--no-progress",
                         "--out", str(tmp_path), "--json", str(tmp_path / "r.json")])
    assert rc == 0
    result = report.load(str(tmp_path / "r.json"))
    assert [(r["op"], r["n"]) for r in result["rows"]] == [("det", 4), ("det", 64), ("fft", 4), ("fft", 64)]
    assert result["trueno_column"] == f"trueno-{isa}"
    for row in result["rows"]:
        assert {"numpy", f"trueno-{isa}"} <= set(row["times"]) and row["errors"] == {}
        assert [t["name"] for t in row["targets"]][0] == "numpy"
    targets = result["targets"]
    assert targets["numpy"]["cells"] == 4 and targets["small-2x"]["cells"] == 3  # not det 64
    md = next(p for p in tmp_path.iterdir() if p.suffix == ".md").read_text()
    assert "| det | 4 | float32 |" in md and "at least as fast as NumPy" in md


def test_compare_matches_section_rows_by_dtype(tmp_path):
    a, b = section_result([400.0, 1600.0, 9e5]), section_result([800.0, 1600.0, 9e5])
    for r in a["rows"] + b["rows"]:
        r["times"] = {c: dict(t, p10_ns=t["median_ns"], p90_ns=t["median_ns"]) for c, t in r["times"].items()}
    b["rows"][1]["dtype"] = "float64"  # not the same cell as a's float32 fft
    cmp = report.compare(a, b)
    assert "| det | 4 float64 | 1.00 | 1.00 | 1.00 | 2.00 |" in cmp
    assert "| fft | 4096" not in cmp


def test_fft_accuracy_table_runs_and_measures_errors(capsys):
    from benchmarks import fft_accuracy

    assert fft_accuracy.main(["--isas", trueno.get_isa(), "--max-length", "24", "--no-long"]) == 0
    table = capsys.readouterr().out.splitlines()
    assert table[2].startswith(f"| {trueno.get_isa()} |") and table[2].count("(n=") == 8
    for dtype in ("complex64", "complex128"):
        assert all(r <= 3 for r, _ in fft_accuracy.worst(range(1, 25), dtype).values())
    # an error of one part in 1e4 is thousands of eps in double: the ratio sees it
    x, fx, _, _ = fft_accuracy.case(16, "complex128")
    assert fft_accuracy.ratio(fx * (1 + 1e-4), fx, "complex128", 16) > 1e3

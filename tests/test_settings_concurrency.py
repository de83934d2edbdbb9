"""Global settings changed by one thread while others compute (issue 15, item 1).

set_isa, set_num_threads and quant.use_vnni change what later calls run.
A call already running must finish as it started: quant.linear once sized
its scratch for one ISA and ran another's kernel with it (heap corruption),
and Highway's Sorter, which dispatches on its own, aborts on 128-bit keys
if the target turns SCALAR between trueno's check and its call. Each case
runs in a child process, so that a crash fails the test instead of pytest.
"""
from __future__ import annotations

import subprocess
import sys
import textwrap

import pytest

import trueno as xp

CHILD = textwrap.dedent("""
    import sys, threading, time
    import numpy as np
    import trueno as xp
    from trueno import gguf
    from trueno._core import quant

    case, seconds = sys.argv[1], float(sys.argv[2])
    rng = np.random.default_rng(0)

    def flipper(done):
        # exp on another ISA may differ in the last bit: "threads" keeps one
        isas = xp.available_isas() if case != "threads" else [xp.get_isa()]
        k = 0
        while not done.is_set():
            xp.set_isa(isas[k % len(isas)])
            quant.use_vnni(k % 3 != 0)
            xp.set_num_threads(1 + k % 2)
            k += 1

    if case == "linear":
        # Q8_0 at 20 rows takes VNNI tiles on AVX3 and decoded tiles elsewhere;
        # Q4_K rounds x to int8 at 2 rows everywhere, at 32 rows only on AVX2/AVX3.
        work = []
        for type_name, type_id, n in (("Q8_0", 8, 20), ("Q4_K", 12, 2), ("Q4_K", 12, 32)):
            _, values, nbytes = quant.block_format(type_id)
            rows, cols = 64, 512
            raw = rng.integers(0, 256, size=(rows, cols // values, nbytes), dtype=np.uint8)
            scale_at = 0 if type_name == "Q8_0" else (0, 2)
            for at in np.atleast_1d(scale_at):
                scales = rng.uniform(-0.1, 0.1, size=raw.shape[:2]).astype("<f2")
                raw[..., at:at + 2] = scales.view(np.uint8).reshape(*raw.shape[:2], 2)
            w = gguf.QuantizedTensor("w", (rows, cols), type_name, xp.asarray(raw.reshape(-1)))
            wv = np.asarray(w.dequantize()).astype(np.float64)
            x = rng.standard_normal((n, cols)).astype(np.float32)
            expected = x.astype(np.float64) @ wv.T
            # int8 rounding of x errs by half a step of max|x| / 127 per value
            bound = np.outer(np.abs(x).max(axis=1) / 127, np.abs(wv).sum(axis=1)) + 1e-3
            work.append((w, xp.asarray(x), expected, bound))
        def step():
            for w, x, expected, bound in work:
                got = np.asarray(gguf.linear(x, w), dtype=np.float64)
                assert np.all(np.abs(got - expected) <= bound), np.max(np.abs(got - expected) - bound)
    elif case == "sort":
        # float64 argsort sorts (key, position) pairs as 128-bit keys
        v64 = rng.standard_normal(1000)
        v32 = rng.standard_normal(1000).astype(np.float32)
        a64, a32 = xp.asarray(v64), xp.asarray(v32)
        perm64 = np.argsort(v64, kind="stable")
        def step():
            assert np.array_equal(np.asarray(xp.argsort(a64)), perm64)
            assert np.array_equal(np.asarray(xp.argsort(a64, descending=True)),
                                  np.argsort(-v64, kind="stable"))
            assert np.array_equal(np.asarray(xp.sort(a32)), np.sort(v32))
    elif case == "threads":
        # results never depend on the thread count
        big = rng.standard_normal((600, 700)).astype(np.float32)
        b = xp.asarray(big)
        xp.set_num_threads(1)
        expected = [np.asarray(f(b)) for f in (xp.exp, lambda t: xp.sum(t, axis=0), xp.sum)]
        def step():
            for f, e in zip((xp.exp, lambda t: xp.sum(t, axis=0), xp.sum), expected):
                assert np.array_equal(np.asarray(f(b)), e)
    else:
        raise SystemExit("unknown case " + case)

    step()  # once before anything flips
    done = threading.Event()
    t = threading.Thread(target=flipper, args=(done,))
    t.start()
    calls = 0
    try:
        end = time.monotonic() + seconds
        while time.monotonic() < end:
            step()
            calls += 1
    finally:
        done.set()
        t.join()
    xp.set_isa("best")
    print("calls", calls)
""")


@pytest.fixture(autouse=True)
def restore_settings():
    yield
    xp.set_isa("best")


@pytest.mark.parametrize("case", ["linear", "sort", "threads"])
def test_settings_may_change_while_other_threads_compute(case):
    proc = subprocess.run([sys.executable, "-c", CHILD, case, "4"], capture_output=True, text=True,
                          timeout=240)
    assert proc.returncode == 0, (proc.returncode, proc.stdout[-2000:], proc.stderr[-4000:])
    calls = int(proc.stdout.split()[-1])
    assert calls > 10  # the flipping thread must not starve the computing one


def test_set_isa_rejects_empty_and_non_string_names():
    with pytest.raises(ValueError, match=r"set_isa\(\): unknown or unsupported ISA ''"):
        xp.set_isa("")
    with pytest.raises(TypeError, match=r"set_isa\(\): name must be a str, got int"):
        xp.set_isa(3)
    assert xp.get_isa() == xp.available_isas()[0]


def test_empty_trueno_isa_means_unset():
    proc = subprocess.run([sys.executable, "-c", "import trueno; print(trueno.get_isa())"],
                          capture_output=True, text=True, env={**__import__("os").environ, "TRUENO_ISA": ""})
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == xp.available_isas()[0]

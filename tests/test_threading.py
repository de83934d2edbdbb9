"""Opt-in threading (TRUENO_NUM_THREADS, set_num_threads) and the GIL.

Elementwise results must be bitwise identical for any thread count (every
element meets the same code); reductions cut large blocks at places that
depend only on the input, so they are bitwise identical too. Python threads
sharing arrays must see the results of one thread, and long kernels must
let other Python threads run."""
from __future__ import annotations

import os
import subprocess
import sys
import threading
import time

import numpy as np
import pytest

import trueno as xp

# Elementwise work splits from 2 * 65536 elements, whole-block reductions
# from 2 * 131072: sizes on both sides of those thresholds.
ELEMENTWISE_SIZES = [1000, 131071, 131072, 131073, 262147]
REDUCTION_SIZES = [1000, 262143, 262144, 262145, 1_000_003]
THREAD_COUNTS = [1, 2, 3]


@pytest.fixture(autouse=True)
def restore_threads():
    before = xp.get_num_threads()
    yield
    xp.set_num_threads(before)


def make(dtype, n, seed=0):
    rng = np.random.default_rng(seed)
    if dtype == "bool":
        return rng.integers(0, 2, n).astype(bool)
    if dtype.startswith(("int", "uint")):
        return rng.integers(1, 50, n).astype(dtype)
    if dtype.startswith("complex"):
        return (rng.standard_normal(n) + 1j * rng.standard_normal(n)).astype(dtype)
    return rng.standard_normal(n).astype(dtype)


def per_thread_count(compute):
    """compute() under each of THREAD_COUNTS, as NumPy arrays."""
    results = []
    for threads in THREAD_COUNTS:
        xp.set_num_threads(threads)
        out = compute()
        results.append([np.asarray(r) for r in (out if isinstance(out, tuple) else (out,))])
    return results


def assert_bitwise_equal(results):
    first = results[0]
    for threads, other in zip(THREAD_COUNTS[1:], results[1:]):
        for a, b in zip(first, other):
            assert a.dtype == b.dtype and a.shape == b.shape
            assert a.tobytes() == b.tobytes(), f"{threads} threads differ from 1"


# --- the setting ----------------------------------------------------------


def test_default_is_one_thread_and_setter_round_trips():
    assert xp.get_num_threads() >= 1
    xp.set_num_threads(3)
    assert xp.get_num_threads() == 3
    xp.set_num_threads(np.int64(2))  # any integer, as operator.index takes it
    assert xp.get_num_threads() == 2


@pytest.mark.parametrize("bad", [True, False, 2.0, "2", None, [2]])
def test_setter_rejects_non_integers(bad):
    with pytest.raises(TypeError, match="n must be an int"):
        xp.set_num_threads(bad)


@pytest.mark.parametrize("bad", [0, -1, 257, 10**40])
def test_setter_rejects_out_of_range(bad):
    xp.set_num_threads(2)
    with pytest.raises(ValueError, match="from 1 to 256"):
        xp.set_num_threads(bad)
    assert xp.get_num_threads() == 2


def run_python(code, **env):
    environment = dict(os.environ)
    environment.update(env)
    return subprocess.run([sys.executable, "-c", code], env=environment, capture_output=True,
                          text=True, timeout=120)


def test_environment_variable_sets_threads_and_show_config_prints_them():
    done = run_python("import trueno; print(trueno.get_num_threads()); trueno.show_config()",
                      TRUENO_NUM_THREADS="3")
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert lines[0] == "3"
    assert any(line.split(":")[0].strip() == "threads" and line.split(":")[1].strip() == "3"
               for line in lines)


@pytest.mark.parametrize("bad", ["0", "-2", "abc", "2.5", "257", "4x"])
def test_invalid_environment_variable_fails_import_naming_it(bad):
    done = run_python("import trueno", TRUENO_NUM_THREADS=bad)
    assert done.returncode != 0
    assert "TRUENO_NUM_THREADS must be an integer from 1 to 256" in done.stderr
    assert repr(bad) in done.stderr


def test_process_with_workers_exits_cleanly_and_forks():
    code = """
import multiprocessing, numpy as np, trueno as xp
xp.set_num_threads(4)
x = xp.asarray(np.arange(1_000_000, dtype=np.float64))
expected = float(xp.sum(xp.exp(x * 1e-6)))
def child(queue):
    queue.put(float(xp.sum(xp.exp(x * 1e-6))))
ctx = multiprocessing.get_context("fork")
queue = ctx.Queue()
p = ctx.Process(target=child, args=(queue,))
p.start()
got = queue.get(timeout=60)
p.join(60)
assert p.exitcode == 0 and got == expected, (p.exitcode, got, expected)
print("ok")
"""
    done = run_python(code)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "ok"


def test_exit_while_daemon_threads_run_long_kernels():
    # Python ends daemon threads that take the GIL back during finalization
    # (pthread_exit); coming back from a kernel then must not abort.
    code = """
import threading, time, numpy as np, trueno as xp
xp.set_num_threads(2)
x = xp.asarray(np.ones(2_000_000))
def loop():
    while True:
        xp.exp(x); xp.sum(x)
for _ in range(2):
    threading.Thread(target=loop, daemon=True).start()
time.sleep(0.2)
print("ok")
"""
    for _ in range(3):
        done = run_python(code)
        assert done.returncode == 0, done.stderr
        assert done.stdout.strip() == "ok"


# --- identical results ------------------------------------------------------


@pytest.mark.parametrize("n", ELEMENTWISE_SIZES)
@pytest.mark.parametrize("dtype", ["float32", "float64", "int32", "uint8", "complex64", "bool"])
def test_elementwise_identical_for_any_thread_count(dtype, n):
    a, b = xp.asarray(make(dtype, n, 1)), xp.asarray(make(dtype, n, 2))
    if dtype == "bool":
        ops = lambda: (xp.logical_xor(a, b), xp.logical_not(a), xp.equal(a[1::2], b[:-1:2]))
    elif dtype.startswith(("int", "uint")):
        ops = lambda: (xp.add(a, b), xp.multiply(a[::2], b[::2]), xp.bitwise_xor(a, 7), xp.negative(a[::-1]))
    else:
        ops = lambda: (xp.add(a, b), xp.exp(a), xp.sin(a[::3]), xp.divide(a[1::2], b[:-1:2]),
                       xp.multiply(a, 2), xp.sqrt(xp.abs(a[::-1])))
    assert_bitwise_equal(per_thread_count(ops))


@pytest.mark.parametrize("shape", [(3, 70001), (70001, 3), (512, 1023)])
def test_broadcast_and_transposed_elementwise_identical(shape):
    rng = np.random.default_rng(3)
    a = xp.asarray(rng.standard_normal(shape).astype(np.float32))
    row = xp.asarray(rng.standard_normal(shape[1]).astype(np.float32))
    col = xp.asarray(rng.standard_normal((shape[0], 1)).astype(np.float64))
    ops = lambda: (xp.add(a, row), xp.multiply(a, col), xp.exp(a.mT), xp.subtract(a.mT, a.mT[::-1]),
                   xp.astype(a, xp.float64))
    assert_bitwise_equal(per_thread_count(ops))


def test_in_place_identical():
    base = make("float32", 300001, 4)

    def run():
        x = xp.asarray(base.copy())
        x += xp.asarray(base[::-1].copy())
        x *= 3
        return x

    assert_bitwise_equal(per_thread_count(run))


@pytest.mark.parametrize("n", REDUCTION_SIZES)
@pytest.mark.parametrize("dtype", ["float32", "float64", "int64", "uint8", "complex128", "bool"])
def test_whole_reductions_identical_for_any_thread_count(dtype, n):
    x = xp.asarray(make(dtype, n, 5))
    if dtype == "bool":
        ops = lambda: (xp.sum(x), xp.any(x), xp.all(x), xp.count_nonzero(x), xp.argmax(x), xp.max(x))
    elif dtype.startswith("complex"):
        ops = lambda: (xp.sum(x), xp.mean(x), xp.prod(x[:40]), xp.sum(x[::3]))
    else:
        ops = lambda: (xp.sum(x), xp.prod(x), xp.max(x), xp.min(x[::2]), xp.argmax(x), xp.argmin(x),
                       xp.count_nonzero(x), xp.sum(x, dtype=x.dtype))
        if dtype.startswith("float"):
            base = ops
            ops = lambda: base() + (xp.mean(x), xp.std(x), xp.linalg.vector_norm(x))
    assert_bitwise_equal(per_thread_count(ops))


@pytest.mark.parametrize("axis", [0, 1, (0, 1), None])
def test_axis_reductions_identical(axis):
    x = xp.asarray(make("float32", 700 * 1001, 6).reshape(700, 1001))
    ops = lambda: (xp.sum(x, axis=axis), xp.max(x, axis=axis), xp.mean(x[:, ::2], axis=axis),
                   xp.var(x, axis=axis), xp.sum(xp.astype(x, xp.int32), axis=axis))
    results = per_thread_count(ops)
    assert_bitwise_equal(results)
    if axis in (0, 1):
        single = per_thread_count(lambda: (xp.argmax(x, axis=axis), xp.argmin(x.mT, axis=axis),
                                           xp.cumulative_sum(x, axis=axis)))
        assert_bitwise_equal(single)


def test_chunked_reductions_match_numpy():
    n = 1_000_003
    a = make("float64", n, 7)
    x = xp.asarray(a)
    for threads in THREAD_COUNTS:
        xp.set_num_threads(threads)
        assert float(xp.sum(x)) == pytest.approx(a.sum(), rel=1e-12)
        assert float(xp.mean(x)) == pytest.approx(a.mean(), rel=1e-12)
        assert float(xp.max(x)) == a.max()
        assert int(xp.argmax(x)) == int(np.argmax(a))
        assert int(xp.argmin(x[::2])) == int(np.argmin(a[::2]))


def test_large_blocks_along_an_axis_match_numpy_and_each_other():
    # Several outputs, each reducing a block large enough to be cut in chunks.
    a = make("float32", 3 * 600_001, 13).reshape(3, 600_001)
    a[1, [400_000, 500_000]] = 50.0
    a[2, 450_000] = np.nan
    x = xp.asarray(a)
    ops = lambda: (xp.sum(x, axis=1), xp.argmax(x, axis=1), xp.argmin(x[:, ::2], axis=1, keepdims=True),
                   xp.max(x, axis=1), xp.count_nonzero(xp.greater(x, 0), axis=1), xp.any(xp.greater(x, 49), axis=1))
    results = per_thread_count(ops)
    assert_bitwise_equal(results)
    total, argmax, argmin, maximum, positive, big = results[0]
    np.testing.assert_allclose(total, a.sum(axis=1, dtype=np.float64), rtol=1e-5)
    np.testing.assert_array_equal(argmax, np.argmax(a, axis=1))
    np.testing.assert_array_equal(argmin, np.argmin(a[:, ::2], axis=1, keepdims=True))
    np.testing.assert_array_equal(maximum, np.max(a, axis=1))
    np.testing.assert_array_equal(positive, np.count_nonzero(a > 0, axis=1))
    np.testing.assert_array_equal(big, np.any(a > 49, axis=1))


@pytest.mark.parametrize("special", ["tie", "nan"])
def test_argmax_first_occurrence_across_chunks(special):
    a = np.zeros(1_000_000, np.float32)
    first, second = 300_000, 700_000  # in different chunks
    a[[first, second]] = np.nan if special == "nan" else 5.0
    x = xp.asarray(a)
    for threads in THREAD_COUNTS:
        xp.set_num_threads(threads)
        assert int(xp.argmax(x)) == first
        assert int(xp.argmin(x)) == (first if special == "nan" else 0)
        m = float(xp.max(x))
        assert np.isnan(m) if special == "nan" else m == 5.0


def test_nn_identical():
    x = xp.asarray(make("float32", 600 * 500, 8).reshape(600, 500))
    ops = lambda: (xp.nn.gelu(x), xp.nn.softmax(x, axis=-1), xp.nn.softmax(x, axis=0),
                   xp.nn.lerp(x, x.mT.mT[::-1], 0.25), xp.nn.norm_l2(x, axis=1))
    assert_bitwise_equal(per_thread_count(ops))


# --- Python threads -----------------------------------------------------------


def work_on(a, b):
    return (np.asarray(xp.add(a, b)), np.asarray(xp.exp(a[::2])), np.asarray(xp.sum(a)),
            np.asarray(xp.argmax(b)), np.asarray(xp.sort(a[:200_000])), np.asarray(xp.max(a, axis=0)))


def run_in_threads(jobs):
    """Runs each job in its own Python thread, all started together."""
    barrier = threading.Barrier(len(jobs))
    results, errors = [None] * len(jobs), []

    def target(k):
        try:
            barrier.wait()
            for _ in range(3):
                results[k] = jobs[k]()
        except BaseException as exc:  # reported below, in the test's thread
            errors.append(exc)

    threads = [threading.Thread(target=target, args=(k,)) for k in range(len(jobs))]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors, errors
    return results


@pytest.mark.parametrize("native_threads", [1, 2])
def test_python_threads_on_shared_read_only_arrays(native_threads):
    xp.set_num_threads(native_threads)
    a = xp.asarray(make("float32", 600_000, 9))
    b = xp.asarray(make("float32", 600_000, 10))
    expected = work_on(a, b)
    for got in run_in_threads([lambda: work_on(a, b)] * 2):
        for e, g in zip(expected, got):
            assert e.tobytes() == g.tobytes()


@pytest.mark.parametrize("native_threads", [1, 2])
def test_python_threads_on_separate_arrays(native_threads):
    xp.set_num_threads(native_threads)
    inputs = [(xp.asarray(make("float64", 500_000, 2 * k)), xp.asarray(make("float64", 500_000, 2 * k + 1)))
              for k in range(2)]
    expected = [work_on(a, b) for a, b in inputs]
    got = run_in_threads([lambda a=a, b=b: work_on(a, b) for a, b in inputs])
    for e_list, g_list in zip(expected, got):
        for e, g in zip(e_list, g_list):
            assert e.tobytes() == g.tobytes()


def count_while(call, repeat=None, seconds=None):
    """How far a counting Python thread gets while this thread repeats
    call(): `repeat` times, or until the counter moves (at most `seconds`).

    The switch interval is made huge, so the interpreter never takes the GIL
    from this thread on its own: the counter moves only while a native call
    has released it (the counter sleeps between steps, handing it back). On
    a busy machine the counter may miss a short release, hence the repeats."""
    counter = [0]
    stop = threading.Event()

    def count():
        while not stop.is_set():
            counter[0] += 1
            time.sleep(0)

    old_interval = sys.getswitchinterval()
    t = threading.Thread(target=count)
    t.start()
    sys.setswitchinterval(1000.0)
    try:
        time.sleep(0.01)  # lets the counter start a fresh wait, under the new interval
        start = counter[0]
        if repeat is not None:
            for _ in range(repeat):
                call()
        else:
            deadline = time.monotonic() + seconds
            while counter[0] == start and time.monotonic() < deadline:
                call()
        moved = counter[0] - start
    finally:
        sys.setswitchinterval(old_interval)
        stop.set()
        t.join()
    return moved


def quantized_weight(type_name, rows, cols, seed=0):
    """Random blocks of a ggml type trueno.gguf.linear takes (finite f16 scales)."""
    gguf = pytest.importorskip("gguf")
    qt = gguf.GGMLQuantizationType[type_name]
    values, nbytes = gguf.GGML_QUANT_SIZES[qt]
    rng = np.random.default_rng(seed)
    if type_name in ("Q4_K", "Q5_K", "Q6_K"):
        raw = rng.integers(0, 256, size=(rows, cols // values, nbytes), dtype=np.uint8)
        for at in {"Q6_K": (208,)}.get(type_name, (0, 2)):
            scale = rng.uniform(-0.1, 0.1, raw.shape[:2]).astype("<f2").view(np.uint8)
            raw[..., at:at + 2] = scale.reshape(*raw.shape[:2], 2)
    else:
        raw = gguf.quants.quantize(rng.standard_normal((rows, cols)).astype(np.float32), qt)
    return xp.gguf.QuantizedTensor("w", (rows, cols), type_name,
                                   xp.asarray(np.ascontiguousarray(raw).view(np.uint8).reshape(-1)))


@pytest.mark.parametrize("type_name", ["Q4_K", "Q6_K", "Q8_0", "Q4_1", "F16"])
@pytest.mark.parametrize("n", [1, 7, 40, 130])
@pytest.mark.parametrize("vnni", [True, False])
def test_quantized_linear_splits_bitwise(type_name, n, vnni):
    # bands of weight rows (multiples of 16; 1000 rows leave a short last
    # band) or, for the integer kernels of many x rows, of x rows run on the
    # threads; with and without AVX-512 VNNI's kernel where the CPU has it
    q = xp._core.quant
    before = q.use_vnni(vnni)
    if vnni and not q.use_vnni():
        q.use_vnni(before)
        pytest.skip("this CPU has no AVX-512 VNNI")
    try:
        compare_thread_counts_of_linear(type_name, n)
    finally:
        q.use_vnni(before)


def compare_thread_counts_of_linear(type_name, n):
    w = quantized_weight(type_name, 1000, 512)
    x = xp.asarray(make("float32", n * 512, 13).reshape(n, 512))
    assert_bitwise_equal(per_thread_count(lambda: xp.gguf.linear(x, w)))


@pytest.mark.parametrize("kernel", ["exp", "sum", "sort", "matmul", "linear"])
def test_long_kernels_release_the_gil(kernel):
    x = xp.asarray(make("float64", 2_000_000, 11))
    m = xp.reshape(x[:512 * 512], (512, 512))
    if kernel == "linear":
        w = quantized_weight("Q4_K", 2048, 2048)
        xs = xp.asarray(make("float32", 64 * 2048, 12).reshape(64, 2048))
    call = {"exp": lambda: xp.exp(x), "sum": lambda: xp.sum(x), "sort": lambda: xp.sort(x),
            "matmul": lambda: xp.matmul(m, m), "linear": lambda: xp.gguf.linear(xs, w)}[kernel]
    assert count_while(call, seconds=30) > 0


def test_short_kernels_keep_the_gil():
    # The control for the test above: without a release, the counter stands still.
    x = xp.asarray(make("float64", 100, 12))
    assert count_while(lambda: xp.exp(x), repeat=5000) == 0

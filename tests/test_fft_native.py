"""trueno's own FFT (cpp/ops/fft.cpp, cpp/kernels/fft.*): accuracy against
higher-precision references on every ISA target, all fourteen functions of
trueno.fft against numpy.fft (n/s/axes/norm, batches, zero-size and strided
inputs, non-finite values), the plan cache, threads, and a run with
numpy.fft unusable.

Accuracy is the relative RMS error ||got - ref|| / ||ref|| in units of
eps * log2(n) (eps of the computing precision). References: NumPy's
complex128 transform for float32/complex64; for float64/complex128 a DFT
summed in long double (x86's 80-bit format: 11 more bits than double) with
roots indexed by (j k) mod n up to n = 512, and NumPy's complex128 transform
beyond (whose own error then counts against the bound).
"""
from __future__ import annotations

import functools
import math
import subprocess
import sys
import threading

import numpy as np
import pytest

import trueno as xp
from trueno import fft as tfft

from linalg_data import rand as _make

_native = xp._core._fft

# Measured (portable loops, 2026-12): the worst ratio over 1..512 was ~0.5
# (float32, radix passes) and ~0.5 (float64, Bluestein lengths); 3 leaves room.
ACCURACY_BOUND = 3.0
EPS = {"complex64": float(np.finfo(np.float32).eps), "complex128": float(np.finfo(np.float64).eps)}
LD_PI = np.longdouble("3.14159265358979323846264338327950288")
EXACT_REFERENCE_UP_TO = 512


def _rng(n, salt=0):
    return np.random.default_rng(1000003 * n + salt)


def _long_double_dft(x: np.ndarray) -> np.ndarray:
    """sum_j x_j exp(-2 pi i j k / n) in long double (roots from (j k) mod n)."""
    n = x.shape[-1]
    ang = -2 * LD_PI * np.arange(n, dtype=np.longdouble) / n
    roots = np.cos(ang) + 1j * np.sin(ang).astype(np.clongdouble)
    k = np.arange(n)
    return roots[np.outer(k, k) % n] @ x.astype(np.clongdouble)


@functools.lru_cache(maxsize=None)
def _case(n: int, dtype: str):
    """(complex x, its transform, real xr, its half spectrum), x and xr in `dtype`'s
    precision, the references as complex128 (rounded from long double where exact)."""
    rng = _rng(n)
    x = (rng.standard_normal(n) + 1j * rng.standard_normal(n)).astype(dtype)
    xr = rng.standard_normal(n).astype("float32" if dtype == "complex64" else "float64")
    if dtype == "complex128" and n <= EXACT_REFERENCE_UP_TO:
        fx, fr = _long_double_dft(x), _long_double_dft(xr.astype(np.complex128))
    else:
        fx, fr = np.fft.fft(x.astype(np.complex128)), np.fft.fft(xr.astype(np.complex128))
    return x, fx.astype(np.complex128), xr, fr[: n // 2 + 1].astype(np.complex128)


def _ratio(got, ref, dtype: str, n: int) -> float:
    got = np.asarray(got).astype(np.complex128)
    ref = np.asarray(ref).astype(np.complex128)
    norm = np.sqrt(np.mean(np.abs(ref) ** 2))
    err = np.sqrt(np.mean(np.abs(got - ref) ** 2)) / norm if norm else np.sqrt(np.mean(np.abs(got) ** 2))
    return float(err / (EPS[dtype] * max(1.0, math.log2(n))))


def _ratios(n: int, dtype: str) -> dict:
    """Accuracy ratio of fft, ifft, rfft and irfft at length n."""
    x, fx, xr, fr = _case(n, dtype)
    real = "float32" if dtype == "complex64" else "float64"
    return {
        "fft": _ratio(tfft.fft(xp.asarray(x)), fx, dtype, n),
        # The inverses of the (rounded) references give back the inputs.
        "ifft": _ratio(tfft.ifft(xp.asarray(fx.astype(dtype))), x, dtype, n),
        "rfft": _ratio(tfft.rfft(xp.asarray(xr)), fr, dtype, n),
        "irfft": _ratio(tfft.irfft(xp.asarray(fr.astype(dtype)), n=n), xr, dtype, n),
    }


def _report(worst: dict, dtype: str, isa: str):
    print(f"\n[{isa}] {dtype} worst ratio (err / (eps log2 n)): " +
          ", ".join(f"{f} {r:.3f} at n={n}" for f, (r, n) in worst.items()))


@pytest.mark.parametrize("dtype", ["complex64", "complex128"])
def test_accuracy_every_length_up_to_512(isa, dtype):
    worst = {}
    for n in range(1, 513):
        for f, r in _ratios(n, dtype).items():
            assert r <= ACCURACY_BOUND, (isa, dtype, f, n, r)
            if r > worst.get(f, (-1, 0))[0]:
                worst[f] = (r, n)
    _report(worst, dtype, isa)


# A sample up to 4096 (every kind of factorisation), primes and long powers of two.
LONG_LENGTHS = [513, 600, 720, 997, 1000, 1024, 1031, 1331, 2047, 2048, 2310, 3000, 3125, 3600,
                4093, 4095, 4096, 10007, 65537, 2**16, 2**18, 2**20, 3 * 2**17]


@pytest.mark.parametrize("dtype", ["complex64", "complex128"])
def test_accuracy_long_and_prime_lengths(isa, dtype):
    # float64 against NumPy's float64: both errors count, so twice the bound.
    bound = ACCURACY_BOUND * (2 if dtype == "complex128" else 1)
    worst = {}
    for n in LONG_LENGTHS:
        for f, r in _ratios(n, dtype).items():
            assert r <= bound, (isa, dtype, f, n, r)
            if r > worst.get(f, (-1, 0))[0]:
                worst[f] = (r, n)
    _report(worst, dtype, isa)


def test_accuracy_every_length_to_4096_float32():
    # The best ISA only (the loops are the same code on every target for now).
    for n in range(513, 4097, 7):
        for f, r in _ratios(n, "complex64").items():
            assert r <= ACCURACY_BOUND, (f, n, r)


# --------------------------------------------------------------- against numpy.fft

# (function, shape, kwargs); each runs on complex and real inputs of both precisions
# where the function accepts them.
ONE_D = ["fft", "ifft", "rfft", "irfft", "hfft", "ihfft"]
N_D = ["fftn", "ifftn", "rfftn", "irfftn"]
ONE_D_KW = [{}, {"n": 1}, {"n": 7}, {"n": 16}, {"n": 37}, {"axis": 0}, {"axis": 0, "n": 3},
            {"norm": "ortho"}, {"norm": "forward"}, {"norm": "ortho", "n": 9, "axis": -2},
            {"norm": "forward", "n": 2}]
N_D_KW = [{}, {"axes": (0,)}, {"axes": (-1, 0)}, {"axes": (2, 0), "s": (3, 8)}, {"s": (5, 2, 6)},
          {"s": (4, 4)}, {"axes": (1, 1)}, {"axes": (0, 2), "norm": "ortho"},
          {"axes": (2, 1, 0), "s": (1, 3, 10), "norm": "forward"}]


def _reads_real(func):
    return func in ("rfft", "ihfft", "rfftn")


def _check(got, expected, dtype_out):
    assert isinstance(got, xp.Array)
    assert got.dtype == getattr(xp, dtype_out), (got.dtype, dtype_out)
    assert got.shape == expected.shape, (got.shape, expected.shape)
    tol = 2e-5 if dtype_out in ("float32", "complex64") else 1e-12
    scale = max(1.0, float(np.max(np.abs(expected)))) if expected.size else 1.0
    np.testing.assert_allclose(np.asarray(got), expected, rtol=tol, atol=tol * scale)


def _out_dtype(func, in_dtype):
    single = in_dtype in ("float32", "complex64")
    real_out = func in ("irfft", "hfft", "irfftn")
    return ("float32" if single else "float64") if real_out else ("complex64" if single else "complex128")


@pytest.mark.parametrize("func", ONE_D)
@pytest.mark.parametrize("dtype", ["float32", "float64", "complex64", "complex128"])
@pytest.mark.parametrize("kw", ONE_D_KW, ids=str)
def test_one_dimensional_against_numpy(func, dtype, kw):
    if _reads_real(func) and dtype.startswith("complex"):
        pytest.skip("complex input is a TypeError here")
    a = _make((4, 6), dtype)
    expected = getattr(np.fft, func)(a.astype(np.complex128 if dtype.startswith("complex") else np.float64), **kw)
    _check(getattr(tfft, func)(xp.asarray(a), **kw), expected, _out_dtype(func, dtype))


@pytest.mark.filterwarnings("ignore:`axes` should not be `None`:DeprecationWarning")
@pytest.mark.parametrize("func", N_D)
@pytest.mark.parametrize("dtype", ["float32", "complex128"])
@pytest.mark.parametrize("kw", N_D_KW, ids=str)
def test_n_dimensional_against_numpy(func, dtype, kw):
    if _reads_real(func) and dtype.startswith("complex"):
        dtype = "float64"
    a = _make((3, 4, 5), dtype)
    expected = getattr(np.fft, func)(a.astype(np.complex128 if dtype.startswith("complex") else np.float64), **kw)
    _check(getattr(tfft, func)(xp.asarray(a), **kw), expected, _out_dtype(func, dtype))


# Views: strided, reversed, transposed, and a broadcast one (stride 0).
LAYOUTS = {
    "every_other": lambda t: t[:, ::2],
    "reversed": lambda t: t[::-1, ::-1],
    "transposed": lambda t: xp.permute_dims(t, (1, 0)),
    "column": lambda t: t[:, 1:2],
    "broadcast": lambda t: xp.broadcast_to(t[0:1, :], (3, t.shape[1])),
}


@pytest.mark.parametrize("layout", list(LAYOUTS))
@pytest.mark.parametrize("func", ONE_D + N_D)
@pytest.mark.parametrize("axis", [0, -1])
def test_strided_inputs(layout, func, axis):
    dtype = "float64" if _reads_real(func) else "complex64"
    base = xp.asarray(_make((6, 10), dtype, seed=3))
    view = LAYOUTS[layout](base)
    if func in ("irfft", "hfft", "irfftn") and view.shape[axis] == 1:
        pytest.skip("the default output length 2 * (1 - 1) is no length")
    a = np.asarray(view).astype(np.float64 if _reads_real(func) else np.complex128)
    kw = {"axis": axis} if func in ONE_D else {"axes": (axis,)}
    expected = getattr(np.fft, func)(a, **kw)
    _check(getattr(tfft, func)(view, **kw), expected, _out_dtype(func, dtype))


@pytest.mark.parametrize("dtype", ["float32", "complex64", "complex128"])
@pytest.mark.parametrize("n", [None, 1, 5, 16, 23, 37])
@pytest.mark.parametrize("view", ["plain", "inner_strided", "inner_reversed", "wide"])
def test_strided_axis_in_blocks_of_lines(isa, dtype, n, view):
    # Along a strided axis, neighbouring lines are transformed in blocks
    # (ops/fft.cpp: complex_transform_blocked), interleaved in a tile for
    # direct plans (37 is Bluestein's: transposed rows); so are short lines
    # along the last axis (axis 2, up to 64 / 16 points). 19 lines per row
    # leave a ragged block; "wide" has 150 (blocks of up to 64, adjacent lines
    # copied row by row); n pads or cuts the axis.
    base = xp.asarray(_make((3, 11, 150 if view == "wide" else 38), dtype, seed=4))
    t = {"plain": base[:, :, :19], "inner_strided": base[:, :, ::2], "inner_reversed": base[:, :, ::-2],
         "wide": base}[view]
    a = np.asarray(t).astype(np.complex128)
    for axis in (0, 1, 2):
        for func in ("fft", "ifft"):
            _check(getattr(tfft, func)(t, n=n, axis=axis, norm="ortho"),
                   getattr(np.fft, func)(a, n=n, axis=axis, norm="ortho"), _out_dtype(func, dtype))


@pytest.mark.parametrize("func", ONE_D)
@pytest.mark.parametrize("shape,kw", [((0,), {"n": 4}), ((0, 5), {}), ((3, 0), {"n": 6}), ((0, 0), {"n": 2}),
                                      ((2, 0, 3), {"axis": 1, "n": 5})], ids=str)
def test_zero_size(func, shape, kw):
    dtype = "float64" if _reads_real(func) else "complex128"
    a = np.zeros(shape, dtype)
    got = getattr(tfft, func)(xp.asarray(a), **kw)
    axis = kw.get("axis", -1)
    n = kw.get("n", 2 * (shape[axis] - 1) if func in ("irfft", "hfft") else shape[axis])
    out_len = n // 2 + 1 if func in ("rfft", "ihfft") else n
    want = list(shape)
    want[axis] = out_len
    assert got.shape == tuple(want)
    assert not np.any(np.asarray(got))  # zero-padding gives zeros, never uninitialised memory


@pytest.mark.parametrize("func", ["fft", "ifft", "rfft", "irfft", "hfft", "ihfft"])
@pytest.mark.parametrize("n", [8, 12, 13, 37, 64])
@pytest.mark.parametrize("bad", [np.nan, np.inf])
def test_non_finite_values(func, n, bad):
    dtype = "float64" if _reads_real(func) else "complex128"
    a = _make((3, n), dtype, seed=5)
    a[1, n // 3] = bad
    got = np.asarray(getattr(tfft, func)(xp.asarray(a)))
    expected = getattr(np.fft, func)(a)
    # Rows without the bad value are untouched by it.
    np.testing.assert_allclose(got[[0, 2]], expected[[0, 2]], rtol=1e-12, atol=1e-12)
    if bad != bad:  # NaN reaches every output of its row
        assert np.all(np.isnan(got[1].real) | np.isnan(got[1].imag if got.dtype.kind == "c" else got[1]))
    else:  # inf: the row is not all finite, as NumPy's
        assert not np.all(np.isfinite(got[1])) and not np.all(np.isfinite(expected[1]))


@pytest.mark.parametrize("n", [0, 1, 2, 7, 8, 1001])
@pytest.mark.parametrize("d", [1.0, 0.37, 4])
@pytest.mark.parametrize("dtype", [None, "float32"])
def test_frequencies(n, d, dtype):
    kw = {} if dtype is None else {"dtype": getattr(xp, dtype)}
    for func in ("fftfreq", "rfftfreq"):
        got = getattr(tfft, func)(n, d=d, **kw)
        expected = getattr(np.fft, func)(n, d=d).astype(dtype or "float64") if n else np.zeros(0)
        assert got.dtype == getattr(xp, dtype or "float64")
        np.testing.assert_array_equal(np.asarray(got), expected)


@pytest.mark.parametrize("shape", [(7,), (4, 5), (2, 3, 6), (0, 3)])
@pytest.mark.parametrize("axes", [None, 0, (-1,), (0, 0)])
def test_shifts(shape, axes):
    a = np.arange(math.prod(shape), dtype=np.int64).reshape(shape)
    for func in ("fftshift", "ifftshift"):
        got = getattr(tfft, func)(xp.asarray(a), axes=axes)
        np.testing.assert_array_equal(np.asarray(got), getattr(np.fft, func)(a, axes=axes))


@pytest.mark.parametrize("shape", [(33, 5, 24), (4, 16, 24)])  # (4, 16, 24) axis 2: short rows in blocks
def test_batches_match_one_line_at_a_time(isa, shape):
    a = _make(shape, "complex64", seed=9)
    t = xp.asarray(a)
    for axis in (0, 1, 2):
        whole = np.asarray(tfft.fft(t, axis=axis))
        moved = np.moveaxis(a, axis, -1)
        lines = np.stack([np.asarray(tfft.fft(xp.asarray(np.ascontiguousarray(line))))
                          for line in moved.reshape(-1, moved.shape[-1])])
        np.testing.assert_array_equal(np.moveaxis(whole, axis, -1).reshape(lines.shape), lines)


# ------------------------------------------------------------------ plans and threads

def test_plan_cache_is_bounded():
    _native.clear_plan_cache()
    assert _native.plan_cache_bytes() == 0
    for n in [2**20, 3 * 2**19, 5**8, 1000003, 2**21, 999983]:
        tfft.fft(xp.zeros((n,), dtype=xp.complex64))
        assert _native.plan_cache_bytes() <= 64 << 20
    tfft.fft(xp.ones((3 * 2**21,), dtype=xp.complex128))  # a plan over the bound is used, not kept
    assert _native.plan_cache_bytes() <= 64 << 20
    _native.clear_plan_cache()


def test_concurrent_calls_give_the_serial_results():
    lengths = [64, 1000, 10007, 4096, 97, 2 * 3 * 5 * 7 * 11]
    inputs = {n: _make((8, n), "complex128", seed=n) for n in lengths}
    serial = {n: np.asarray(tfft.fft(xp.asarray(a))) for n, a in inputs.items()}
    _native.clear_plan_cache()  # the threads build (and race for) the plans
    errors = []

    def work(k):
        try:
            for i in range(12):
                n = lengths[(k + i) % len(lengths)]
                got = np.asarray(tfft.fft(xp.asarray(inputs[n])))
                if not np.array_equal(got, serial[n]):
                    errors.append((k, n))
        except Exception as e:  # pragma: no cover - reported below
            errors.append(e)

    threads = [threading.Thread(target=work, args=(k,)) for k in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors


def test_results_do_not_depend_on_the_thread_count():
    a = xp.asarray(_make((64, 4096), "complex64", seed=2))
    r = xp.asarray(_make((64, 4096), "float32", seed=3))
    before = xp.get_num_threads()
    try:
        xp.set_num_threads(1)
        one = [np.asarray(f) for f in (tfft.fft(a), tfft.rfft(r), tfft.fft(a, axis=0), tfft.irfft(a))]
        xp.set_num_threads(2)
        two = [np.asarray(f) for f in (tfft.fft(a), tfft.rfft(r), tfft.fft(a, axis=0), tfft.irfft(a))]
    finally:
        xp.set_num_threads(before)
    for x, y in zip(one, two):
        np.testing.assert_array_equal(x, y)


def test_native_entry_points_check_their_arguments():
    z = xp.ones((4,), dtype=xp.complex64)
    with pytest.raises(ValueError):
        _native.complex(z, 1, 4, False, 1.0)
    with pytest.raises(ValueError):
        _native.complex(z, 0, 0, False, 1.0)
    with pytest.raises(MemoryError):
        _native.complex(z, 0, 2**41, False, 1.0)
    # No plan for an empty batch: NumPy's shapes, however long the axis.
    assert _native.complex(xp.ones((0, 4), dtype=xp.complex64), 1, 2**45, False, 1.0).shape == (0, 2**45)
    with pytest.raises(TypeError):
        _native.real_forward(z, 0, 4, False, 1.0)
    with pytest.raises(TypeError):
        _native.complex(xp.ones((4,), dtype=xp.int32), 0, 4, False, 1.0)


# ------------------------------------------------------------------ no numpy.fft

NO_NUMPY_FFT = r"""
import sys, types
import numpy

class Refusing(types.ModuleType):
    def __getattr__(self, name):
        raise RuntimeError("numpy.fft." + name + " was used")

refusing = Refusing("numpy.fft")
for key in [k for k in sys.modules if k == "numpy.fft" or k.startswith("numpy.fft.")]:
    sys.modules[key] = refusing
numpy.fft = refusing

import trueno as xp
F = xp.fft
c = xp.asarray([[1 + 2j, 3, -1j, 0.5], [2, 1j, 1, -1]])
r = xp.asarray([[1.0, 2.0, -3.0, 0.25, 7.0], [0.5, 0.0, 1.0, 1.0, -2.0]], dtype=xp.float32)
out = [F.fft(c), F.ifft(c, n=7), F.fftn(c), F.ifftn(c, s=(3, 5)), F.rfft(r), F.irfft(c),
       F.rfftn(r), F.irfftn(c, s=(2, 6)), F.hfft(c), F.ihfft(r), F.fftfreq(9, d=0.5),
       F.rfftfreq(10, dtype=xp.float32), F.fftshift(r), F.ifftshift(c, axes=0)]
assert len(out) == len(F.__all__) == 14
assert all(isinstance(o, xp.Array) for o in out)
assert numpy.fft is refusing
print("ok")
"""


def test_every_function_runs_without_numpy_fft():
    done = subprocess.run([sys.executable, "-c", NO_NUMPY_FFT], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0 and done.stdout.strip() == "ok", done.stderr

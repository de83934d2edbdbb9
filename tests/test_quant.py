"""The quantized kernels (trueno._core.quant via trueno.gguf) on every ISA:
dequantization against gguf.quants.dequantize, and linear (x @ W.T with W
dequantized on the fly) against dequantize-then-matmul in float64. K-quant
weights multiply x rounded to int8 (as llama.cpp does) for up to 4 x rows on
every ISA and for any number on AVX2/AVX3, and so do Q8_0/Q4_0/Q4_1/Q5_0/Q5_1
weights from 16 rows of 256-multiple width on AVX3 with VNNI
(quant.rounds_activations says which): there the reference rounds x the same
way, written here from the docstring of trueno.gguf.linear, and a separate
test bounds the rounding's effect."""
from __future__ import annotations

import numpy as np
import pytest

import trueno as xp

gguf = pytest.importorskip("gguf")
from gguf import GGMLQuantizationType as QT  # noqa: E402
from gguf.quants import dequantize, quantize  # noqa: E402

# Formats gguf can quantize (its quantize() is the oracle's own rounding).
WRITABLE = ["F16", "BF16", "Q8_0", "Q4_0", "Q4_1", "Q5_0", "Q5_1"]
# K-quants: gguf only dequantizes them, so blocks are random bytes whose f16
# scale fields are set to finite values; byte offsets of those fields.
K_QUANT_SCALES = {"Q4_K": (0, 2), "Q5_K": (0, 2), "Q6_K": (208,)}
ALL_TYPES = WRITABLE + list(K_QUANT_SCALES)


def block_bytes(type_name):
    return gguf.GGML_QUANT_SIZES[QT[type_name]]


def make_weight(type_name, rows, cols, seed=0):
    """(raw uint8 blocks [rows, row_bytes], float32 values per the gguf oracle)."""
    rng = np.random.default_rng(seed)
    if type_name in K_QUANT_SCALES:
        values, nbytes = block_bytes(type_name)
        raw = rng.integers(0, 256, size=(rows, cols // values, nbytes), dtype=np.uint8)
        for at in K_QUANT_SCALES[type_name]:
            scales = rng.uniform(-0.1, 0.1, size=raw.shape[:2]).astype("<f2")
            raw[..., at:at + 2] = scales.view(np.uint8).reshape(*raw.shape[:2], 2)
        raw = raw.reshape(rows, -1)
    else:
        raw = quantize(rng.standard_normal((rows, cols)).astype(np.float32), QT[type_name])
        raw = np.ascontiguousarray(raw).view(np.uint8).reshape(rows, -1)
    return raw, dequantize(raw, QT[type_name]).reshape(rows, cols)


def quantized(type_name, raw, rows, cols):
    return xp.gguf.QuantizedTensor("w", (rows, cols), type_name, xp.asarray(raw.reshape(-1)))


@pytest.mark.parametrize("type_name", ALL_TYPES)
@pytest.mark.parametrize("rows,cols", [(1, 256), (3, 512), (5, 768)])
def test_dequantize_matches_gguf(isa, type_name, rows, cols):
    raw, expected = make_weight(type_name, rows, cols, seed=rows)
    got = np.asarray(quantized(type_name, raw, rows, cols).dequantize())
    assert got.dtype == np.float32 and got.shape == (rows, cols)
    scale = float(np.abs(expected).max())
    # ggml's formulas exactly; only a fused multiply-add may round differently
    np.testing.assert_allclose(got, expected, rtol=1e-6, atol=1e-6 * scale)


def test_dequantize_special_f16_and_bf16_values(isa):
    specials = np.array([0.0, -0.0, np.inf, -np.inf, np.nan, 6e-8, -6e-8, 65504.0, 1e-5, 1 / 3],
                        dtype=np.float32)
    for type_name, stored in [("F16", specials.astype("<f2")),
                              ("BF16", (specials.view("<u4") >> 16).astype("<u2"))]:
        raw = np.tile(stored, 7)  # 70 values: a vector body and a scalar tail on every ISA
        expected = dequantize(raw.view(np.uint8).reshape(1, -1), QT[type_name]).reshape(-1)
        got = np.asarray(xp._core.quant.dequantize(xp.asarray(raw.view(np.uint8)),
                                                   int(QT[type_name]), 1, 70)).reshape(-1)
        np.testing.assert_array_equal(got, expected)


def reference_linear(x, weight_values):
    return x.astype(np.float64) @ weight_values.astype(np.float64).T


INT8_ACTIVATION_TYPES = ("Q4_K", "Q5_K", "Q6_K")
INT8_MAX_ROWS = 4   # on every ISA; AVX2 and AVX3 round any number of rows


def rounds_activations(type_name, n, cols):
    return xp._core.quant.rounds_activations(int(QT[type_name]), n, cols)


BLOCK32_TYPES = ("Q8_0", "Q4_0", "Q4_1", "Q5_0", "Q5_1")


def activation_run(type_name):
    """Values per int8 scale of x: 256 for K-quant weights (llama.cpp's Q8_K),
    32 for the 32-value block formats (its Q8_0)."""
    return 32 if type_name in BLOCK32_TYPES else 256


def int8_activations(x, run=256):
    """(d, q) per run of `run` values of each row: d = max|x| / 127 and
    q = rint(x * (127 / max|x|)) in float32, both 0 for an all-zero run; a
    run with max|x| < 1e-30 is first scaled by 2^64 (127 / max would overflow)."""
    runs = x.astype(np.float32).reshape(x.shape[0], -1, run)
    amax = np.abs(runs).max(axis=-1, keepdims=True)
    safe = np.where(amax == 0, np.float32(1), amax)
    up = np.where(amax < np.float32(1e-30), np.float32(2.0**64), np.float32(1)).astype(np.float32)
    q = np.clip(np.rint((runs * up) * (np.float32(127) / (safe * up))), -127, 127)
    d = np.where(amax == 0, np.float32(0), amax / np.float32(127)).astype(np.float32)
    return d, q


def multiplied_x(type_name, x):
    """x as linear multiplies it: rounded to int8 blocks for K-quants and few rows."""
    if not rounds_activations(type_name, *x.shape):
        return x
    d, q = int8_activations(x, activation_run(type_name))
    return (d.astype(np.float64) * q).reshape(x.shape)


def assert_close_to_reference(got, x, weight_values):
    expected = reference_linear(x, weight_values)
    # float32 accumulation: error bound relative to the sum of |terms|
    magnitude = np.abs(x).astype(np.float64) @ np.abs(weight_values).astype(np.float64).T
    assert got.shape == expected.shape
    assert np.all(np.abs(got - expected) <= 1e-5 * magnitude + 1e-30), \
        float(np.max(np.abs(got - expected) / (magnitude + 1e-30)))


@pytest.mark.parametrize("type_name", ALL_TYPES)
@pytest.mark.parametrize("n,rows,cols", [(1, 1, 256), (1, 7, 512), (3, 33, 256), (17, 6, 768)])
def test_linear_matches_float64_matmul_of_the_dequantized_weight(isa, type_name, n, rows, cols):
    raw, values = make_weight(type_name, rows, cols, seed=cols + rows)
    x = np.random.default_rng(n).standard_normal((n, cols)).astype(np.float32)
    got = np.asarray(xp.gguf.linear(xp.asarray(x), quantized(type_name, raw, rows, cols)))
    assert got.dtype == np.float32
    assert_close_to_reference(got, multiplied_x(type_name, x), values)


@pytest.mark.parametrize("type_name", INT8_ACTIVATION_TYPES + ("Q8_0", "Q4_1", "Q5_0"))
@pytest.mark.parametrize("n", [1, INT8_MAX_ROWS, 9, 70])
def test_int8_activations_err_by_at_most_half_a_step_per_value(isa, type_name, n):
    rows, cols = 42, 768
    if not rounds_activations(type_name, n, cols):
        pytest.skip(f"{isa} multiplies {n} float32 rows of {type_name} weights")
    raw, values = make_weight(type_name, rows, cols, seed=n)
    x = np.random.default_rng(7).standard_normal((n, cols)).astype(np.float32)
    x[0, 256:512] *= 1e-3     # a quiet run gets its own, finer step
    x[0, 512:] *= 1e-38       # ... even one of subnormal size
    x[-1, :256] = 0.0          # an all-zero run contributes exactly nothing
    got = np.asarray(xp.gguf.linear(xp.asarray(x), quantized(type_name, raw, rows, cols)))
    exact = reference_linear(x, values)
    run = activation_run(type_name)
    d, _ = int8_activations(x, run)
    step = np.repeat(d.reshape(n, -1), run, axis=1).astype(np.float64)
    # rounding moves each x by at most step / 2; float32 arithmetic adds its usual bit
    bound = (0.5 * step) @ np.abs(values.astype(np.float64)).T
    magnitude = np.abs(x).astype(np.float64) @ np.abs(values.astype(np.float64)).T
    assert np.all(np.abs(got - exact) <= bound + 1e-5 * magnitude)
    assert np.any(np.abs(got - exact) > 1e-5 * magnitude)   # it does round x
    # what the rounding costs on these random rows: ~0.3% of the result's size
    assert np.abs(got - exact).max() <= 0.01 * np.abs(exact).max()


@pytest.mark.parametrize("type_name", INT8_ACTIVATION_TYPES + ("Q8_0", "Q5_1"))
@pytest.mark.parametrize("n", [2, 10, 20])
def test_int8_activations_propagate_inf_and_nan(isa, type_name, n):
    rows, cols = 3, 512
    raw, _ = make_weight(type_name, rows, cols)
    x = np.ones((n, cols), dtype=np.float32)
    x[0, 300] = np.inf
    x[1, 5] = np.nan
    got = np.asarray(xp.gguf.linear(xp.asarray(x), quantized(type_name, raw, rows, cols)))
    if rounds_activations(type_name, n, cols):   # the poisoned block's scale is NaN
        assert np.all(np.isnan(got[:2]))
    else:                                   # float products: inf or NaN
        assert not np.any(np.isfinite(got[:2]))
    assert np.all(np.isfinite(got[2:]))


@pytest.fixture(params=["vnni", "no-vnni"])
def vnni(request, isa):
    """AVX3's quantized kernels with AVX-512 VNNI (where the CPU has it) and without."""
    q = xp._core.quant
    if request.param == "no-vnni" and isa != "avx3":
        pytest.skip("only AVX3 kernels use VNNI")
    before = q.use_vnni()
    q.use_vnni(request.param == "vnni")
    if request.param == "vnni" and not q.use_vnni():
        pytest.skip("this CPU has no AVX-512 VNNI")
    yield request.param
    q.use_vnni(before)


@pytest.mark.parametrize("type_name", ALL_TYPES)
@pytest.mark.parametrize("n,rows,cols", [(5, 1, 256), (6, 7, 256), (1800, 5, 256),
                                         (21, 33, 512), (16, 16, 768), (20, 3, 96)])
def test_batched_int8_tiles_rows_and_x_runs(isa, vnni, type_name, n, rows, cols):
    # the batched kernels decode weight rows 4 (pmaddubsw) or 16 (VNNI, from
    # 16 x rows on) at a time, a short last tile repeating its last row; VNNI
    # takes x rows 4 at a time; x comes in runs of 512 KiB of int8 blocks:
    # 1800 rows of 256 values are two runs. Rows of 96 values (32-value
    # blocks only) keep float32 x.
    if type_name in K_QUANT_SCALES and cols % 256:
        pytest.skip("K-quant rows are multiples of 256 values")
    raw, values = make_weight(type_name, rows, cols, seed=n)
    x = np.random.default_rng(rows).standard_normal((n, cols)).astype(np.float32)
    got = np.asarray(xp.gguf.linear(xp.asarray(x), quantized(type_name, raw, rows, cols)))
    assert_close_to_reference(got, multiplied_x(type_name, x), values)
    if not rounds_activations(type_name, n, cols) or not rounds_activations(type_name, 1, cols):
        return   # float32 x in one of the two
    # each row of a batch gets what it gets alone, up to float32 summation order
    alone = np.asarray(xp.gguf.linear(xp.asarray(x[-1:]), quantized(type_name, raw, rows, cols)))
    np.testing.assert_allclose(got[-1:], alone, rtol=1e-5, atol=1e-5 * np.abs(alone).max())


def test_use_vnni_reports_and_restores_the_setting():
    q = xp._core.quant
    before = q.use_vnni()
    try:
        assert q.use_vnni(False) == before
        assert q.use_vnni() is False
        q.use_vnni(True)
        assert q.use_vnni() == before   # on again only where the CPU has VNNI
        with pytest.raises(TypeError, match="bool"):
            q.use_vnni(1)
    finally:
        q.use_vnni(before)


def test_rounds_activations_reports_the_kernel_choice(isa, vnni):
    q = xp._core.quant
    with_vnni = isa == "avx3" and vnni == "vnni"
    for name in INT8_ACTIVATION_TYPES:
        assert q.rounds_activations(int(QT[name]), 1, 256)
        assert q.rounds_activations(int(QT[name]), 64, 256) == (isa in ("avx2", "avx3"))
    for name in WRITABLE:
        assert not q.rounds_activations(int(QT[name]), 1, 256)
        is_block32 = name in ("Q8_0", "Q4_0", "Q4_1", "Q5_0", "Q5_1")
        assert q.rounds_activations(int(QT[name]), 16, 512) == (with_vnni and is_block32)
        assert not q.rounds_activations(int(QT[name]), 15, 512)
        assert not q.rounds_activations(int(QT[name]), 64, 288)   # not a multiple of 256
    with pytest.raises(NotImplementedError, match="type"):
        q.rounds_activations(10, 1, 256)
    with pytest.raises(ValueError, match="n must be >= 0"):
        q.rounds_activations(int(QT.Q4_K), -1, 256)
    with pytest.raises(ValueError, match="cols must be >= 0"):
        q.rounds_activations(int(QT.Q4_K), 1, -256)


@pytest.mark.parametrize("type_name", ["Q8_0", "Q4_K", "F16"])
@pytest.mark.parametrize("n,rows,cols", [(2, 70, 1024), (2, 5, 16896), (9, 300, 1024), (9, 3, 66560)])
def test_linear_across_weight_tiles(isa, type_name, n, rows, cols):
    # A few x rows decode tiles of 256 KiB (64 rows of 1024), 8 or more go to
    # sgemm in tiles of 1 MiB (256 rows of 1024); the widest rows make a tile each.
    raw, values = make_weight(type_name, rows, cols, seed=3)
    x = np.random.default_rng(5).standard_normal((n, cols)).astype(np.float32)
    got = np.asarray(xp.gguf.linear(xp.asarray(x), quantized(type_name, raw, rows, cols)))
    assert_close_to_reference(got, multiplied_x(type_name, x), values)


def test_linear_batch_dimensions_strided_and_empty_inputs():
    rows, cols = 9, 256
    raw, values = make_weight("Q4_1", rows, cols)
    w = quantized("Q4_1", raw, rows, cols)
    x = np.random.default_rng(0).standard_normal((2, 3, cols)).astype(np.float32)
    got = np.asarray(xp.gguf.linear(xp.asarray(x), w))
    assert got.shape == (2, 3, rows)
    assert_close_to_reference(got.reshape(6, rows), x.reshape(6, cols), values)
    one = np.asarray(xp.gguf.linear(xp.asarray(x[0, 0]), w))
    assert one.shape == (rows,)
    assert_close_to_reference(one[None], x[0, 0][None], values)
    wide = xp.asarray(np.random.default_rng(1).standard_normal((4, 2 * cols)).astype(np.float32))
    strided = wide[:, ::2]
    got = np.asarray(xp.gguf.linear(strided, w))
    assert_close_to_reference(got, np.asarray(strided), values)
    empty = xp.gguf.linear(xp.zeros((0, cols), dtype=xp.float32), w)
    assert empty.shape == (0, rows)


def test_linear_and_dequantize_validate_arguments():
    rows, cols = 2, 64
    raw, _ = make_weight("Q8_0", rows, cols)
    w = quantized("Q8_0", raw, rows, cols)
    data = xp.asarray(raw.reshape(-1))
    q = xp._core.quant
    x = xp.ones((1, cols), dtype=xp.float32)
    with pytest.raises(TypeError, match="x must be float32"):
        xp.gguf.linear(xp.ones((1, cols), dtype=xp.float64), w)
    with pytest.raises(TypeError, match="x must be a trueno array"):
        xp.gguf.linear(np.ones((1, cols), np.float32), w)
    with pytest.raises(ValueError, match="does not match"):
        xp.gguf.linear(xp.ones((1, cols + 1), dtype=xp.float32), w)
    with pytest.raises(ValueError, match="at least one dimension"):
        xp.gguf.linear(xp.asarray(1.0, dtype=xp.float32), w)
    with pytest.raises(TypeError, match="weight must be a QuantizedTensor"):
        xp.gguf.linear(x, data)
    with pytest.raises(ValueError, match="bytes"):
        q.dequantize(data[:-1], int(QT.Q8_0), rows, cols)
    with pytest.raises(ValueError, match="bytes"):
        q.dequantize(data, int(QT.Q8_0), rows + 1, cols)
    with pytest.raises(ValueError, match="multiple of the Q8_0 block size"):
        q.dequantize(data, int(QT.Q8_0), rows, cols + 1)
    with pytest.raises(ValueError, match=">= 0"):
        q.dequantize(data, int(QT.Q8_0), -1, cols)
    with pytest.raises(ValueError, match="bytes"):
        q.dequantize(data, int(QT.Q8_0), 2**62, 2**62)
    with pytest.raises(TypeError, match="uint8"):
        q.dequantize(xp.ones(68, dtype=xp.int8), int(QT.Q8_0), rows, cols)
    with pytest.raises(ValueError, match="1-D"):
        q.dequantize(xp.reshape(data, (2, -1)), int(QT.Q8_0), rows, cols)
    for type_id in [0, 10, 99, -1, 2**40]:
        with pytest.raises(NotImplementedError, match="type"):
            q.dequantize(data, type_id, rows, cols)
    with pytest.raises(ValueError, match=r"shape \[n, 64\]"):
        q.linear(xp.ones((cols,), dtype=xp.float32), data, int(QT.Q8_0), rows, cols)
    with pytest.raises(TypeError):
        q.linear(x, data, "Q8_0", rows, cols)
    with pytest.raises(NotImplementedError, match="Q2_K"):
        xp.gguf.QuantizedTensor("w", (2, 256), "Q2_K", data)


@pytest.mark.parametrize("type_name", ["Q4_K_M", "Q5_K_M", "Q6_K"])
def test_decode_with_int8_activations_tracks_the_float_prompt_pass(tmp_path, type_name):
    # A model decoding token by token multiplies its K-quant weights by int8
    # activations; the batched pass over the same tokens does too on AVX2/AVX3
    # (summing in another order) and keeps float32 elsewhere. Both must pick
    # the same tokens as often as issue 7 asks of trueno against llama.cpp
    # (>= 95%), within the |delta| bounds tests/test_llm_llamacpp.py sets for
    # quantized types (measured with float32 batches: 98.4%, ~0.18 max, ~0.037 mean).
    pytest.importorskip("llama_cpp")  # makes the K-quant files
    import os
    import sys
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    if root not in sys.path:
        sys.path.insert(0, root)
    from benchmarks import llm as bench_llm
    import trueno.llm

    config = bench_llm.COMPARE_CONFIG
    model = trueno.llm.load(bench_llm.model_file(config, type_name, directory=str(tmp_path)))
    tokens = bench_llm.compare_tokens(config, 64)
    batched = np.asarray(model.logits(tokens))
    cache = model.new_cache()
    stepped = np.stack([np.asarray(model.forward([t], cache, last_only=True))[0] for t in tokens])
    delta = np.abs(stepped.astype(np.float64) - batched)
    assert batched.std() > 1.0 and delta.max() > 0   # spread logits; the two paths do differ
    assert np.mean(stepped.argmax(axis=1) == batched.argmax(axis=1)) >= 0.95
    assert delta.max() <= 0.5 and delta.mean() <= 0.08


@pytest.mark.parametrize("type_name", INT8_ACTIVATION_TYPES)
def test_int8_activations_of_subnormal_size_are_not_garbage(isa, type_name):
    # 127 / max|x| overflows float32 below ~3.7e-37; such runs are scaled up
    # first. The results are then subnormal, so float32 itself keeps only a
    # few digits: close, not exact.
    rows, cols = 16, 512
    raw, values = make_weight(type_name, rows, cols)
    x = (np.random.default_rng(3).standard_normal((1, cols)) * 1e-37).astype(np.float32)
    got = np.asarray(xp.gguf.linear(xp.asarray(x), quantized(type_name, raw, rows, cols)))
    exact = reference_linear(x, values)
    assert np.all(np.isfinite(got))
    assert np.abs(got - exact).max() <= 0.02 * np.abs(exact).max()

"""trueno.llm's forward pass against an independent NumPy float64 reference.

The tests write tiny llama and qwen2 GGUF files with seeded random weights.
The reference below is written from the Hugging Face description of the
architecture (RoPE rotating halves, weights in Hugging Face's layout): for
llama the file gets llama.cpp's converter permutation of Q/K rows, so the
engine's "normal" (interleaved) RoPE must undo it; qwen2 is stored unpermuted
and uses NeoX RoPE in the engine too.
"""
from __future__ import annotations

import math

import numpy as np
import pytest

import trueno
import trueno.llm

gguf = pytest.importorskip("gguf")
from gguf import GGMLQuantizationType as QT  # noqa: E402
from gguf.quants import dequantize, quantize  # noqa: E402

DIM, LAYERS, HEADS, KV_HEADS, VOCAB, FF, CONTEXT = 64, 2, 4, 2, 64, 128, 48
HEAD_DIM = DIM // HEADS
EPS = 1e-5
BOS, EOS = 1, 2
NAMESPACES = {"trueno": trueno, "numpy": np}


# -- writing models -----------------------------------------------------------
def hf_weights(arch: str, seed: int, tied: bool) -> dict[str, np.ndarray]:
    """Weights in Hugging Face's layout and naming: [out, in] matrices."""
    rng = np.random.default_rng(seed)

    def matrix(rows, cols, scale=0.5):
        return (rng.standard_normal((rows, cols)) * scale / math.sqrt(cols)).astype(np.float32)

    def norm():
        return (1.0 + 0.1 * rng.standard_normal(DIM)).astype(np.float32)

    # tied embeddings read out as logits too: smaller, so no token dominates
    embed_scale = 0.3 if tied else 1.0
    w = {"embed": (embed_scale * rng.standard_normal((VOCAB, DIM))).astype(np.float32)}
    for i in range(LAYERS):
        w[f"{i}.input_norm"] = norm()
        w[f"{i}.q"] = matrix(HEADS * HEAD_DIM, DIM, 2.0)
        w[f"{i}.k"] = matrix(KV_HEADS * HEAD_DIM, DIM, 2.0)
        w[f"{i}.v"] = matrix(KV_HEADS * HEAD_DIM, DIM)
        w[f"{i}.o"] = matrix(DIM, HEADS * HEAD_DIM)
        w[f"{i}.post_norm"] = norm()
        w[f"{i}.gate"] = matrix(FF, DIM, 2.0)
        w[f"{i}.up"] = matrix(FF, DIM, 2.0)
        w[f"{i}.down"] = matrix(DIM, FF)
        if arch == "qwen2":
            for name, rows in (("q", HEADS), ("k", KV_HEADS), ("v", KV_HEADS)):
                w[f"{i}.{name}_bias"] = (0.3 * rng.standard_normal(rows * HEAD_DIM)).astype(np.float32)
    w["final_norm"] = norm()
    if not tied:
        w["lm_head"] = matrix(VOCAB, DIM, 4.0)
    return w


def llama_cpp_permute(weight: np.ndarray, heads: int) -> np.ndarray:
    """convert_hf_to_gguf.py's LlamaModel.permute: halves -> interleaved pairs per head."""
    return (weight.reshape(heads, 2, weight.shape[0] // heads // 2, *weight.shape[1:])
            .swapaxes(1, 2).reshape(weight.shape))


def stored(values: np.ndarray, type_name: str):
    """(what add_tensor takes, kwargs, the values the file then holds)."""
    if type_name == "F32" or values.ndim == 1:
        return values, {}, values
    qtype = QT[type_name]
    blocks = quantize(values, qtype)
    held = dequantize(blocks, qtype).reshape(values.shape).astype(np.float32)
    return blocks, {"raw_shape": blocks.shape, "raw_dtype": qtype}, held


def write_model(path, arch="llama", type_name="F32", seed=0, tied=None, drop_tensors=(),
                drop_keys=(), rope_scale=None, write_arch=None, rope_factors=None, metadata=(),
                context=CONTEXT):
    """Writes a tiny model; returns the Hugging Face-layout weights the file
    holds (after quantization) and the reference's settings."""
    tied = (arch == "qwen2") if tied is None else tied
    w = hf_weights(arch, seed, tied)
    gguf_names = {"embed": "token_embd.weight", "final_norm": "output_norm.weight",
                  "lm_head": "output.weight"}
    per_layer = {"input_norm": "attn_norm.weight", "q": "attn_q.weight", "k": "attn_k.weight",
                 "v": "attn_v.weight", "o": "attn_output.weight", "post_norm": "ffn_norm.weight",
                 "gate": "ffn_gate.weight", "up": "ffn_up.weight", "down": "ffn_down.weight",
                 "q_bias": "attn_q.bias", "k_bias": "attn_k.bias", "v_bias": "attn_v.bias"}
    writer = gguf.GGUFWriter(str(path), write_arch or arch)
    keys = {
        "context_length": lambda: writer.add_context_length(context),
        "embedding_length": lambda: writer.add_embedding_length(DIM),
        "block_count": lambda: writer.add_block_count(LAYERS),
        "feed_forward_length": lambda: writer.add_feed_forward_length(FF),
        "attention.head_count": lambda: writer.add_head_count(HEADS),
        "attention.head_count_kv": lambda: writer.add_head_count_kv(KV_HEADS),
        "attention.layer_norm_rms_epsilon": lambda: writer.add_layer_norm_rms_eps(EPS),
        "rope.freq_base": lambda: writer.add_rope_freq_base(10000.0 if arch == "llama" else 1e6),
        "rope.dimension_count": lambda: writer.add_rope_dimension_count(HEAD_DIM),
    }
    for key, add in keys.items():
        if key not in drop_keys:
            add()
    if rope_scale is not None:
        writer.add_rope_scaling_type(gguf.RopeScalingType.LINEAR)
        writer.add_rope_scaling_factor(rope_scale)
    for key, value, value_type in metadata:
        writer.add_key_value(f"{write_arch or arch}.{key}", value, value_type)
    if rope_factors is not None:
        writer.add_tensor("rope_freqs.weight", np.asarray(rope_factors, dtype=np.float32))
    # An SPM vocabulary llama.cpp accepts (the engine itself reads only the ids).
    tokens = ["<unk>", "<s>", "</s>", "<0x0A>"] + [f"t{i}" for i in range(VOCAB - 4)]
    writer.add_tokenizer_model("llama")
    writer.add_token_list(tokens)
    writer.add_token_scores([0.0] * VOCAB)
    writer.add_token_types([2, 3, 3, 6] + [1] * (VOCAB - 4))
    writer.add_bos_token_id(BOS)
    writer.add_eos_token_id(EOS)
    held = {}
    for name, values in w.items():
        layer, _, short = name.partition(".")
        gguf_name = f"blk.{layer}.{per_layer[short]}" if short else gguf_names[name]
        file_values = values
        if arch != "qwen2" and short in ("q", "k"):
            file_values = llama_cpp_permute(values, HEADS if short == "q" else KV_HEADS)
        data, kwargs, held_values = stored(file_values, type_name)
        # quantization works on whole rows, so it commutes with the row permutation
        held[name] = stored(values, type_name)[2]
        if gguf_name not in drop_tensors:
            writer.add_tensor(gguf_name, data, **kwargs)
    writer.write_header_to_file()
    writer.write_kv_data_to_file()
    writer.write_tensors_to_file()
    writer.close()
    base = 10000.0 if arch == "llama" else 1e6
    return {"weights": held, "rope_base": base, "position_scale": 1.0 / (rope_scale or 1.0),
            "rope_factors": np.ones(HEAD_DIM // 2) if rope_factors is None else rope_factors}


# -- the reference (float64, straight from the architecture description) -----
def rms_norm(x, weight):
    return x / np.sqrt(np.mean(x * x, axis=-1, keepdims=True) + EPS) * weight


def rotate_half_rope(x, positions, base, position_scale, factors):
    """Hugging Face's apply_rotary_pos_emb on [n, heads, head_dim]; `factors`
    divide the frequencies (Llama 3.1's rope_freqs)."""
    inv_freq = base ** (-np.arange(0, HEAD_DIM, 2, dtype=np.float64) / HEAD_DIM) / factors
    angles = np.outer(positions * position_scale, inv_freq)
    angles = np.concatenate([angles, angles], axis=-1)[:, None, :]
    first, second = x[..., :HEAD_DIM // 2], x[..., HEAD_DIM // 2:]
    rotated = np.concatenate([-second, first], axis=-1)
    return x * np.cos(angles) + rotated * np.sin(angles)


def reference_logits(model, tokens):
    w = {k: v.astype(np.float64) for k, v in model["weights"].items()}
    n = len(tokens)
    positions = np.arange(n, dtype=np.float64)
    x = w["embed"][np.asarray(tokens)]
    for i in range(LAYERS):
        h = rms_norm(x, w[f"{i}.input_norm"])
        q = h @ w[f"{i}.q"].T + w.get(f"{i}.q_bias", 0.0)
        k = h @ w[f"{i}.k"].T + w.get(f"{i}.k_bias", 0.0)
        v = h @ w[f"{i}.v"].T + w.get(f"{i}.v_bias", 0.0)
        rope = (positions, model["rope_base"], model["position_scale"], model["rope_factors"])
        q = rotate_half_rope(q.reshape(n, HEADS, HEAD_DIM), *rope)
        k = rotate_half_rope(k.reshape(n, KV_HEADS, HEAD_DIM), *rope)
        v = v.reshape(n, KV_HEADS, HEAD_DIM)
        attended = np.zeros((n, HEADS, HEAD_DIM))
        for head in range(HEADS):
            kv = head // (HEADS // KV_HEADS)
            scores = q[:, head] @ k[:, kv].T / math.sqrt(HEAD_DIM)
            scores[np.triu_indices(n, 1)] = -np.inf   # query i sees keys 0..i
            probs = np.exp(scores - scores.max(axis=1, keepdims=True))
            probs /= probs.sum(axis=1, keepdims=True)
            attended[:, head] = probs @ v[:, kv]
        x = x + attended.reshape(n, DIM) @ w[f"{i}.o"].T
        h = rms_norm(x, w[f"{i}.post_norm"])
        gate = h @ w[f"{i}.gate"].T
        x = x + (gate / (1 + np.exp(-gate)) * (h @ w[f"{i}.up"].T)) @ w[f"{i}.down"].T
    x = rms_norm(x, w["final_norm"])
    return x @ w.get("lm_head", w["embed"]).T


PROMPT = [BOS, 17, 5, 60, 33, 33, 8, 41, 12, 3, 63, 0]


@pytest.fixture(scope="module")
def model_files(tmp_path_factory):
    made = {}

    def get(arch, type_name, **options):
        key = (arch, type_name, tuple(sorted(options.items())))
        if key not in made:
            path = tmp_path_factory.mktemp("llm") / f"{arch}-{type_name}.gguf"
            made[key] = (path, write_model(path, arch, type_name, **options))
        return made[key]
    return get


# The reference uses the values the file holds (after F16/Q8_0 rounding), so
# every type differs from it only by float32 arithmetic: ~1e-5 measured.
ATOL = 1e-4
TYPES = ["F32", "F16", "BF16", "Q8_0", "Q4_0"]


@pytest.mark.parametrize("xp_name", list(NAMESPACES))
@pytest.mark.parametrize("type_name", TYPES)
@pytest.mark.parametrize("arch", ["llama", "qwen2"])
def test_logits_match_float64_reference(model_files, arch, type_name, xp_name):
    path, written = model_files(arch, type_name)
    model = trueno.llm.load(path, xp=NAMESPACES[xp_name])
    got = np.asarray(model.logits(PROMPT))
    expected = reference_logits(written, PROMPT)
    assert got.dtype == np.float32 and got.shape == (len(PROMPT), VOCAB)
    assert float(np.std(expected)) > 0.5   # the weights give logits that are not all alike
    np.testing.assert_allclose(got, expected, rtol=0, atol=ATOL)


def test_separate_output_weight_and_linear_rope_scaling(model_files):
    path, written = model_files("qwen2", "F32", tied=False, rope_scale=4.0)
    model = trueno.llm.load(path)
    assert model.config.rope_freq_scale == 0.25 and model.output is not model.token_embedding
    np.testing.assert_allclose(np.asarray(model.logits(PROMPT)), reference_logits(written, PROMPT),
                               rtol=0, atol=1e-4)


def test_rope_frequency_factors(tmp_path):
    path = tmp_path / "rope_freqs.gguf"
    factors = np.linspace(1.0, 8.0, HEAD_DIM // 2)
    written = write_model(path, rope_factors=factors)
    np.testing.assert_allclose(np.asarray(trueno.llm.load(path).logits(PROMPT)),
                               reference_logits(written, PROMPT), rtol=0, atol=ATOL)


@pytest.mark.parametrize("metadata,words", [
    ([("rope.scaling.type", "yarn", gguf.GGUFValueType.STRING)], "'yarn'"),
    ([("expert_count", 8, gguf.GGUFValueType.UINT32)], "mixture-of-experts"),
    ([("attention.value_length", 8, gguf.GGUFValueType.UINT32)], "value_length"),
])
def test_unsupported_variants_are_named(tmp_path, metadata, words):
    path = tmp_path / "variant.gguf"
    write_model(path, metadata=metadata)
    with pytest.raises(NotImplementedError, match=words):
        trueno.llm.load(path)


def test_mistral_runs_as_llama(tmp_path):
    path = tmp_path / "mistral.gguf"
    written = write_model(path, write_arch="mistral")
    model = trueno.llm.load(path)
    assert model.config.architecture == "mistral" and model.config.rope_mode == "normal"
    np.testing.assert_allclose(np.asarray(model.logits(PROMPT)), reference_logits(written, PROMPT),
                               rtol=0, atol=ATOL)


def test_config_from_metadata(model_files):
    cfg = trueno.llm.load(model_files("llama", "F32")[0]).config
    assert (cfg.architecture, cfg.vocab_size, cfg.embedding_length, cfg.block_count) == \
        ("llama", VOCAB, DIM, LAYERS)
    assert (cfg.head_count, cfg.head_count_kv, cfg.head_dim, cfg.feed_forward_length) == \
        (HEADS, KV_HEADS, HEAD_DIM, FF)
    assert (cfg.context_length, cfg.rope_mode, cfg.qkv_bias, cfg.eos_token_id) == \
        (CONTEXT, "normal", False, EOS)
    qwen = trueno.llm.load(model_files("qwen2", "F32")[0]).config
    assert (qwen.rope_mode, qwen.qkv_bias, qwen.rope_freq_base) == ("neox", True, 1e6)


@pytest.mark.parametrize("xp_name", list(NAMESPACES))
@pytest.mark.parametrize("type_name", ["F32", "Q8_0"])
@pytest.mark.parametrize("arch", ["llama", "qwen2"])
def test_incremental_decode_matches_batched_prompt(model_files, arch, type_name, xp_name):
    model = trueno.llm.load(model_files(arch, type_name)[0], xp=NAMESPACES[xp_name])
    batched = np.asarray(model.logits(PROMPT))
    cache = model.new_cache()
    pieces = [np.asarray(model.forward(PROMPT[:5], cache))]
    for token in PROMPT[5:]:
        pieces.append(np.asarray(model.forward([token], cache)))
    assert cache.length == len(PROMPT)
    np.testing.assert_allclose(np.concatenate(pieces), batched, rtol=0, atol=2e-5)
    last = np.asarray(model.forward(PROMPT[:3], model.new_cache(), last_only=True))
    np.testing.assert_allclose(last, batched[2:3], rtol=0, atol=2e-5)


@pytest.mark.parametrize("xp_name", list(NAMESPACES))
def test_kv_cache_grows_past_its_first_allocation(tmp_path, xp_name):
    path = tmp_path / "long.gguf"
    write_model(path, "qwen2", context=200)
    model = trueno.llm.load(path, xp=NAMESPACES[xp_name])
    tokens = [int(t) for t in np.random.default_rng(5).integers(0, VOCAB, 150)]
    batched = np.asarray(model.logits(tokens))
    cache = model.new_cache()
    steps = [np.asarray(model.forward(tokens[:40], cache))]
    capacities = {cache.capacity}
    for token in tokens[40:]:
        steps.append(np.asarray(model.forward([token], cache)))
        capacities.add(cache.capacity)
    assert sorted(capacities) == [64, 128, 200]
    np.testing.assert_allclose(np.concatenate(steps), batched, rtol=0, atol=2e-5)


@pytest.mark.parametrize("type_name", TYPES)
@pytest.mark.parametrize("arch", ["llama", "qwen2"])
def test_numpy_and_trueno_namespaces_agree(model_files, arch, type_name):
    path = model_files(arch, type_name)[0]
    trueno_model, numpy_model = trueno.llm.load(path), trueno.llm.load(path, xp=np)
    # trueno multiplies quantized weights as stored; NumPy gets them dequantized once
    assert trueno_model.layers[0].q.quantized == type_name.startswith("Q")
    assert not numpy_model.layers[0].q.quantized
    on_trueno, on_numpy = trueno_model.logits(PROMPT), numpy_model.logits(PROMPT)
    assert isinstance(on_trueno, trueno.Array) and isinstance(on_numpy, np.ndarray)
    np.testing.assert_allclose(np.asarray(on_trueno), on_numpy, rtol=0, atol=ATOL)


@pytest.mark.parametrize("arch", ["llama", "qwen2"])
def test_forward_pass_uses_only_the_array_api_standard(model_files, arch):
    # array-api-strict refuses anything outside the standard (NumPy-only
    # methods, implicit conversions, mixed-dtype promotion, ...)
    strict = pytest.importorskip("array_api_strict")
    path, written = model_files(arch, "Q8_0")
    model = trueno.llm.load(path, xp=strict)
    logits = model.logits(PROMPT)
    assert logits.__array_namespace__() is strict
    np.testing.assert_allclose(np.asarray(logits), reference_logits(written, PROMPT),
                               rtol=0, atol=ATOL)
    greedy = list(trueno.llm.load(path).generate(PROMPT, 6, stop=None))
    assert list(model.generate(PROMPT, 6, stop=None)) == greedy


@pytest.mark.parametrize("arch", ["llama", "qwen2"])
def test_greedy_generation_is_deterministic_and_follows_argmax(model_files, arch):
    model = trueno.llm.load(model_files(arch, "F32")[0])
    prompt = PROMPT[:6]
    first = list(model.generate(prompt, 12, stop=None))
    assert first == list(model.generate(prompt, 12, stop=None)) and len(first) == 12
    # each greedy token is the argmax of a fresh full pass over everything before it
    for i, token in enumerate(first):
        logits = np.asarray(model.logits(prompt + first[:i]))[-1]
        assert token == int(np.argmax(logits)), i


def test_generation_stops_at_stop_tokens_max_tokens_and_context(model_files):
    model = trueno.llm.load(model_files("llama", "F32")[0])
    greedy = list(model.generate(PROMPT, 8, stop=None))
    assert list(model.generate(PROMPT, 8, stop=greedy[3])) == greedy[:greedy.index(greedy[3])]
    assert list(model.generate(PROMPT, 8, stop=[greedy[0], 999])) == []
    assert list(model.generate(PROMPT, 0)) == []
    assert len(list(model.generate(PROMPT, 3, stop=None))) == 3
    # the context (48 positions) ends generation
    assert len(list(model.generate(PROMPT, 100, stop=None))) == CONTEXT - len(PROMPT) + 1
    eos_first = [t for t in model.generate(PROMPT, 8, stop=EOS)]
    assert EOS not in eos_first


def test_sampling_seed_is_reproducible(model_files):
    model = trueno.llm.load(model_files("qwen2", "F32")[0])
    draw = lambda seed: list(model.generate(PROMPT, 16, temperature=1.5, seed=seed, stop=None))  # noqa: E731
    assert draw(7) == draw(7)
    assert draw(7) != draw(8)
    greedy = list(model.generate(PROMPT, 16, stop=None))
    # top_k=1 leaves only the argmax whatever the temperature
    assert list(model.generate(PROMPT, 16, temperature=5.0, top_k=1, seed=3, stop=None)) == greedy


def test_top_k_and_top_p_keep_the_right_tokens():
    logits = np.log(np.array([0.05, 0.4, 0.1, 0.3, 0.15]))
    top2 = trueno.llm.Sampler(1.0, top_k=2).probabilities(logits)
    np.testing.assert_allclose(top2, [0, 0.4 / 0.7, 0, 0.3 / 0.7, 0])
    # top_p: the smallest set of most likely tokens whose mass reaches p
    nucleus = trueno.llm.Sampler(1.0, top_p=0.8).probabilities(logits)
    np.testing.assert_allclose(nucleus, [0, 0.4 / 0.85, 0, 0.3 / 0.85, 0.15 / 0.85])
    np.testing.assert_allclose(trueno.llm.Sampler(1.0, top_p=0.3).probabilities(logits),
                               [0, 1, 0, 0, 0])
    both = trueno.llm.Sampler(1.0, top_k=3, top_p=0.75).probabilities(logits)
    np.testing.assert_allclose(both, [0, 0.4 / 0.7, 0, 0.3 / 0.7, 0])
    # temperature 2 flattens: p ~ sqrt(p)
    flat = trueno.llm.Sampler(2.0).probabilities(logits)
    expected = np.sqrt([0.05, 0.4, 0.1, 0.3, 0.15])
    np.testing.assert_allclose(flat, expected / expected.sum())
    # as in llama.cpp, top-p filters the model's own distribution and the
    # temperature reshapes what is left (flattened first, 4 tokens would pass)
    hot_nucleus = trueno.llm.Sampler(2.0, top_p=0.8).probabilities(logits)
    expected = np.sqrt([0, 0.4, 0, 0.3, 0.15])
    np.testing.assert_allclose(hot_nucleus, expected / expected.sum())


def test_sampled_frequencies_follow_the_distribution():
    logits = np.array([2.0, 1.0, 0.0, -1.0, 3.0])
    sampler = trueno.llm.Sampler(0.7, top_k=4, seed=123)
    draws = np.bincount([sampler(logits) for _ in range(20000)], minlength=5) / 20000
    expected = sampler.probabilities(logits)
    assert expected[3] == 0 and draws[3] == 0
    np.testing.assert_allclose(draws, expected, atol=0.015)


@pytest.mark.parametrize("arguments,error,words", [
    ({"temperature": -1.0}, ValueError, "temperature"),
    ({"temperature": "hot"}, TypeError, "temperature"),
    ({"top_k": 0}, ValueError, "top_k"),
    ({"top_k": 2.5}, TypeError, "top_k"),
    ({"top_p": 0.0}, ValueError, "top_p"),
    ({"top_p": 1.5}, ValueError, "top_p"),
    ({"seed": 1.5}, TypeError, "seed"),
    ({"max_tokens": -1}, ValueError, "max_tokens"),
    ({"max_tokens": 2.0}, TypeError, "max_tokens"),
    ({"stop": "eos"}, TypeError, "stop"),
    ({"tokens": [1] * (CONTEXT + 1)}, ValueError, "context length"),
    ({"tokens": [VOCAB]}, IndexError, "out of range"),
])
def test_generate_checks_its_arguments_when_called(model_files, arguments, error, words):
    model = trueno.llm.load(model_files("llama", "F32")[0])
    call = {"tokens": PROMPT, "max_tokens": 4, **arguments}
    with pytest.raises(error, match=words):
        model.generate(**call)   # no next(): the check is eager


@pytest.mark.parametrize("tokens,error,words", [
    ([3, VOCAB], IndexError, r"tokens\[1\] = 64 is out of range"),
    ([-1], IndexError, r"tokens\[0\] = -1"),
    ([], ValueError, "empty"),
    (b"hello", TypeError, "text"),
    ([1.0, 2.0], TypeError, r"tokens\[0\]"),
    (np.zeros((2, 2), dtype=np.int64), TypeError, "1-D integer"),
    (np.zeros(3, dtype=np.float32), TypeError, "1-D integer"),
    (5, TypeError, "sequence"),
    (list(range(VOCAB)) * 2, ValueError, "context length"),
])
def test_bad_tokens_raise_clear_errors(model_files, tokens, error, words):
    model = trueno.llm.load(model_files("llama", "F32")[0])
    with pytest.raises(error, match=words):
        model.logits(tokens)


def test_token_arrays_are_accepted(model_files):
    model = trueno.llm.load(model_files("llama", "F32")[0])
    expected = np.asarray(model.logits(PROMPT))
    for tokens in (np.asarray(PROMPT), trueno.asarray(PROMPT), np.asarray(PROMPT, np.uint8)):
        np.testing.assert_array_equal(np.asarray(model.logits(tokens)), expected)


def test_unsupported_architecture_names_it(tmp_path):
    path = tmp_path / "gpt2.gguf"
    write_model(path, write_arch="gpt2")
    with pytest.raises(NotImplementedError, match="'gpt2'"):
        trueno.llm.load(path)


@pytest.mark.parametrize("dropped", ["blk.1.ffn_down.weight", "output_norm.weight",
                                     "blk.0.attn_k.weight", "token_embd.weight"])
def test_missing_tensor_is_named(tmp_path, dropped):
    path = tmp_path / "missing.gguf"
    write_model(path, drop_tensors=(dropped,))
    with pytest.raises(ValueError, match=dropped.replace(".", r"\.")):
        trueno.llm.load(path)


def test_missing_qwen2_bias_is_named(tmp_path):
    path = tmp_path / "nobias.gguf"
    write_model(path, "qwen2", drop_tensors=("blk.0.attn_v.bias",))
    with pytest.raises(ValueError, match=r"blk\.0\.attn_v\.bias"):
        trueno.llm.load(path)


@pytest.mark.parametrize("dropped", ["llama.embedding_length", "llama.block_count",
                                     "llama.attention.head_count", "llama.context_length",
                                     "llama.attention.layer_norm_rms_epsilon"])
def test_missing_metadata_key_is_named(tmp_path, dropped):
    path = tmp_path / "nokey.gguf"
    write_model(path, drop_keys=(dropped.removeprefix("llama."),))
    with pytest.raises(ValueError, match=dropped.replace(".", r"\.")):
        trueno.llm.load(path)


def test_optional_keys_take_llama_cpp_defaults(tmp_path):
    path = tmp_path / "defaults.gguf"
    written = write_model(path, drop_keys=("feed_forward_length", "rope.freq_base",
                                           "rope.dimension_count"))
    model = trueno.llm.load(path)
    cfg = model.config
    assert cfg.feed_forward_length == FF and cfg.rope_freq_base == 10000.0
    assert cfg.rope_dims == HEAD_DIM
    np.testing.assert_allclose(np.asarray(model.logits(PROMPT)), reference_logits(written, PROMPT),
                               rtol=0, atol=1e-4)


def test_wrong_tensor_shape_is_reported(tmp_path):
    # without head_count_kv every head has its own keys (llama.cpp's default):
    # this file's K/V weights then have the wrong shape, reported, not misread
    path = tmp_path / "no_kv_heads.gguf"
    write_model(path, drop_keys=("attention.head_count_kv",))
    with pytest.raises(ValueError, match=r"blk\.0\.attn_k\.weight.*shape"):
        trueno.llm.load(path)


def test_bad_load_arguments(model_files):
    path = model_files("llama", "F32")[0]
    with pytest.raises(TypeError, match="path"):
        trueno.llm.load(3)
    with pytest.raises(TypeError, match="xp"):
        trueno.llm.load(path, xp=object())
    model = trueno.llm.load(path)
    other = trueno.llm.load(path)
    with pytest.raises(TypeError, match="cache"):
        model.forward(PROMPT, other.new_cache())


# -- llama.cpp, where llama-cpp-python is installed ---------------------------
GGML_TYPE_F32 = 0


def llama_cpp_model(path):
    llama_cpp = pytest.importorskip("llama_cpp")
    # a float32 KV cache: llama.cpp's default F16 cache alone moves logits by ~4e-3
    return llama_cpp.Llama(str(path), logits_all=True, n_ctx=CONTEXT, verbose=False,
                           type_k=GGML_TYPE_F32, type_v=GGML_TYPE_F32)


@pytest.mark.parametrize("type_name", ["F32", "F16"])
@pytest.mark.parametrize("arch", ["llama", "qwen2"])
def test_logits_match_llama_cpp(model_files, arch, type_name):
    path, _ = model_files(arch, type_name)
    reference = llama_cpp_model(path)
    reference.eval(PROMPT)
    expected = np.asarray(reference.scores[:len(PROMPT)], dtype=np.float64)
    got = np.asarray(trueno.llm.load(path).logits(PROMPT))
    np.testing.assert_array_equal(got.argmax(axis=1), expected.argmax(axis=1))
    # F32: ~1e-5 measured (issue 7 asks 2e-3 with llama.cpp's default F16
    # cache). F16: ~5e-6 with a native (AMX) build, ~8e-3 without AMX, where
    # ggml rounds the activations to F16 for F16 weights.
    np.testing.assert_allclose(got, expected, rtol=0, atol=1e-4 if type_name == "F32" else 2e-2)


@pytest.mark.parametrize("arch", ["llama", "qwen2"])
def test_greedy_generation_matches_llama_cpp(model_files, arch):
    path, _ = model_files(arch, "F32")
    reference = llama_cpp_model(path)
    expected = []
    for token in reference.generate(PROMPT, temp=0.0, top_k=1, repeat_penalty=1.0):
        expected.append(int(token))
        if len(expected) == 16:
            break
    assert list(trueno.llm.load(path).generate(PROMPT, 16, stop=None)) == expected

"""Model hyper-parameters read from a GGUF file's metadata (llama.cpp's keys)."""
from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any, Mapping

__all__ = ["ModelConfig", "SUPPORTED_ARCHITECTURES", "ROPE_NORMAL", "ROPE_NEOX"]

# RoPE pairs: "normal" rotates (x[2i], x[2i+1]); "neox" rotates (x[i], x[i + n_rot/2]).
# llama.cpp's converter permutes llama's Q/K rows so that GGUF llama files use
# the normal (interleaved) mode although Hugging Face's llama code rotates halves.
ROPE_NORMAL = "normal"
ROPE_NEOX = "neox"

# architecture -> (RoPE mode, whether Q/K/V carry biases)
SUPPORTED_ARCHITECTURES: dict[str, tuple[str, bool]] = {
    "llama": (ROPE_NORMAL, False),
    "mistral": (ROPE_NORMAL, False),
    "qwen2": (ROPE_NEOX, True),
}


@dataclass(frozen=True)
class ModelConfig:
    """The shape and numerics of one llama-family model.

    ``rope_freq_scale`` multiplies positions (linear RoPE scaling: 1/factor);
    ``head_dim`` is the width of one attention head and ``rope_dims`` the
    leading part of it that RoPE rotates.
    """
    architecture: str
    vocab_size: int
    embedding_length: int
    block_count: int
    head_count: int
    head_count_kv: int
    head_dim: int
    feed_forward_length: int
    context_length: int
    rms_epsilon: float
    rope_freq_base: float
    rope_dims: int
    rope_freq_scale: float
    rope_mode: str
    qkv_bias: bool
    bos_token_id: int | None
    eos_token_id: int | None

    @classmethod
    def from_gguf(cls, metadata: Mapping[str, Any], tensor_shapes: Mapping[str, tuple]) -> "ModelConfig":
        """Reads the config from GGUF `metadata`; `tensor_shapes` gives the
        vocabulary size and feed-forward width where the metadata omits them.

        Raises NotImplementedError for an architecture (or variant) this engine
        does not run, ValueError naming a missing or inconsistent key.
        """
        arch = metadata.get("general.architecture")
        if arch is None:
            raise ValueError("GGUF metadata has no 'general.architecture' key")
        if not isinstance(arch, str):
            raise ValueError(f"GGUF metadata 'general.architecture' must be a string, got {arch!r}")
        if arch not in SUPPORTED_ARCHITECTURES:
            raise NotImplementedError(
                f"architecture {arch!r} is not supported by trueno.llm "
                f"(supported: {', '.join(sorted(SUPPORTED_ARCHITECTURES))})")
        rope_mode, qkv_bias = SUPPORTED_ARCHITECTURES[arch]

        def key(name: str, kind: type, default: Any = None, required: bool = True) -> Any:
            full = f"{arch}.{name}"
            if full not in metadata:
                if required:
                    raise ValueError(f"GGUF metadata is missing the key {full!r}")
                return default
            value = metadata[full]
            if kind is int:
                ok = isinstance(value, int) and not isinstance(value, bool)
            else:
                ok = isinstance(value, (int, float)) and not isinstance(value, bool)
            if not ok:
                raise ValueError(f"GGUF metadata {full!r} must be a number, got {value!r}")
            return kind(value)

        if key("expert_count", int, 0, required=False) > 0:
            raise NotImplementedError(f"{arch} mixture-of-experts models are not supported")
        dim = key("embedding_length", int)
        blocks = key("block_count", int)
        heads = key("attention.head_count", int)
        heads_kv = key("attention.head_count_kv", int, heads, required=False)
        context = key("context_length", int)
        eps = key("attention.layer_norm_rms_epsilon", float)
        for name, value in (("embedding_length", dim), ("block_count", blocks),
                            ("attention.head_count", heads),
                            ("attention.head_count_kv", heads_kv), ("context_length", context)):
            if value <= 0:
                raise ValueError(f"GGUF metadata '{arch}.{name}' must be positive, got {value}")
        if heads % heads_kv:
            raise ValueError(f"'{arch}.attention.head_count' ({heads}) is not a multiple of "
                             f"'{arch}.attention.head_count_kv' ({heads_kv})")
        if not (eps > 0 and math.isfinite(eps)):
            raise ValueError(f"'{arch}.attention.layer_norm_rms_epsilon' must be positive, got {eps}")
        head_dim = key("attention.key_length", int, None, required=False)
        if head_dim is None:
            if dim % heads:
                raise ValueError(f"'{arch}.embedding_length' ({dim}) is not a multiple of "
                                 f"'{arch}.attention.head_count' ({heads})")
            head_dim = dim // heads
        value_dim = key("attention.value_length", int, head_dim, required=False)
        if value_dim != head_dim:
            raise NotImplementedError(f"{arch}: attention.value_length {value_dim} differs from "
                                      f"key_length {head_dim}")
        rope_base = key("rope.freq_base", float, 10000.0, required=False)
        rope_dims = key("rope.dimension_count", int, head_dim, required=False)
        if not (0 < rope_dims <= head_dim and rope_dims % 2 == 0):
            raise ValueError(f"'{arch}.rope.dimension_count' ({rope_dims}) must be even and at "
                             f"most the head width {head_dim}")
        if not (rope_base > 0 and math.isfinite(rope_base)):
            raise ValueError(f"'{arch}.rope.freq_base' must be positive, got {rope_base}")
        rope_freq_scale = _rope_freq_scale(metadata, arch)

        if "token_embd.weight" not in tensor_shapes:
            raise ValueError("GGUF file has no tensor 'token_embd.weight'")
        embd_shape = tuple(tensor_shapes["token_embd.weight"])
        if len(embd_shape) != 2 or embd_shape[1] != dim:
            raise ValueError(f"tensor 'token_embd.weight' has shape {embd_shape}, expected "
                             f"(vocab, {dim})")
        vocab = embd_shape[0]
        ff_name = "blk.0.ffn_up.weight"
        ff = key("feed_forward_length", int, None, required=False)
        if ff is None:
            if ff_name not in tensor_shapes:
                raise ValueError(f"GGUF metadata is missing '{arch}.feed_forward_length' and "
                                 f"the file has no tensor {ff_name!r}")
            ff = tuple(tensor_shapes[ff_name])[0]

        def token_id(name: str) -> int | None:
            value = metadata.get(f"tokenizer.ggml.{name}")
            if value is None:
                return None
            if not isinstance(value, int) or isinstance(value, bool) or not 0 <= value < vocab:
                raise ValueError(f"GGUF metadata 'tokenizer.ggml.{name}' ({value!r}) is not a "
                                 f"token id below the vocabulary size {vocab}")
            return value

        return cls(arch, vocab, dim, blocks, heads, heads_kv, head_dim, ff, context, eps,
                   rope_base, rope_dims, rope_freq_scale, rope_mode, qkv_bias,
                   token_id("bos_token_id"), token_id("eos_token_id"))


def _rope_freq_scale(metadata: Mapping[str, Any], arch: str) -> float:
    """Positions are multiplied by this (llama.cpp's freq_scale = 1 / scaling factor)."""
    scaling = metadata.get(f"{arch}.rope.scaling.type", "none")
    factor = metadata.get(f"{arch}.rope.scaling.factor")
    legacy = metadata.get(f"{arch}.rope.scale_linear")  # older files: linear factor only
    if scaling in ("none", None) and legacy is None:
        return 1.0
    if scaling not in ("none", "linear", None):
        raise NotImplementedError(f"{arch}: RoPE scaling type {scaling!r} is not supported "
                                  "(supported: none, linear)")
    if scaling == "linear" and factor is None:
        factor = legacy
    if scaling in ("none", None):
        factor = legacy
    if factor is None:
        raise ValueError(f"GGUF metadata is missing the key '{arch}.rope.scaling.factor'")
    if isinstance(factor, bool) or not isinstance(factor, (int, float)) or not factor > 0:
        raise ValueError(f"GGUF metadata '{arch}.rope.scaling.factor' must be positive, "
                         f"got {factor!r}")
    return 1.0 / float(factor)

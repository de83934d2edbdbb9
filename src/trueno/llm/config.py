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

#: The architectures trueno.llm runs (``general.architecture``): name ->
#: (RoPE mode, whether the Q/K/V projections carry biases).
SUPPORTED_ARCHITECTURES: dict[str, tuple[str, bool]] = {
    "llama": (ROPE_NORMAL, False),
    "mistral": (ROPE_NORMAL, False),
    "qwen2": (ROPE_NEOX, True),
}


@dataclass(frozen=True)
class ModelConfig:
    """The shape and numerics of one llama-family model.

    Read from a file by :meth:`from_gguf` (``Model.config`` is one); each
    parameter is also a read-only attribute.

    Parameters
    ----------
    architecture : str
        ``general.architecture``: a key of :data:`SUPPORTED_ARCHITECTURES`.
    vocab_size : int
        Number of tokens (the rows of ``token_embd.weight``).
    embedding_length : int
        Width of the hidden state.
    block_count : int
        Number of transformer layers.
    head_count : int
        Number of attention (query) heads.
    head_count_kv : int
        Number of key/value heads (fewer than head_count: grouped-query
        attention).
    head_dim : int
        Width of one attention head.
    feed_forward_length : int
        Width of the SwiGLU feed-forward layer.
    context_length : int
        Most positions one sequence may have.
    rms_epsilon : float
        The epsilon of RMSNorm.
    rope_freq_base : float
        RoPE's base frequency (10000 unless the file says otherwise).
    rope_dims : int
        The leading part of each head that RoPE rotates (even).
    rope_freq_scale : float
        Multiplies positions: linear RoPE scaling, 1/factor (1.0 unscaled).
    rope_mode : str
        ``"normal"`` (neighbouring pairs rotate: llama, mistral) or ``"neox"``
        (value i with value i + rope_dims/2: qwen2).
    qkv_bias : bool
        Whether the Q/K/V projections have biases (qwen2).
    bos_token_id : int or None
        ``tokenizer.ggml.bos_token_id``, if the file has one.
    eos_token_id : int or None
        ``tokenizer.ggml.eos_token_id``, if the file has one.

    Examples
    --------
    >>> import trueno.llm
    >>> config = trueno.llm.load(path).config
    >>> config.architecture, config.vocab_size, config.block_count, config.head_dim
    ('llama', 655, 1, 16)
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

        Parameters
        ----------
        metadata : Mapping of str to object
            A GGUF file's metadata (:attr:`trueno.gguf.GGUFFile.metadata`):
            ``general.architecture`` and the ``<architecture>.*`` keys of
            llama.cpp.
        tensor_shapes : Mapping of str to tuple of int
            Tensor name -> NumPy-order shape; ``token_embd.weight`` is
            required (it gives the vocabulary size).

        Returns
        -------
        ModelConfig

        Raises
        ------
        ValueError
            Naming a missing or inconsistent key or tensor shape.
        NotImplementedError
            For an architecture this engine does not run (supported: llama,
            mistral, qwen2), mixture-of-experts models, RoPE scaling other
            than linear, or value heads of another width than the key heads.

        Examples
        --------
        >>> import trueno.gguf
        >>> import trueno.llm
        >>> with trueno.gguf.load(path) as f:
        ...     shapes = {name: info.shape for name, info in f.tensors.items()}
        ...     config = trueno.llm.ModelConfig.from_gguf(f.metadata, shapes)
        >>> config.embedding_length, config.rope_mode, config.context_length
        (32, 'normal', 256)
        >>> trueno.llm.ModelConfig.from_gguf({"general.architecture": "gemma"}, {})
        Traceback (most recent call last):
        ...
        NotImplementedError: architecture 'gemma' is not supported by trueno.llm (supported: llama, mistral, qwen2)
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

"""The llama-family forward pass, written against an array API namespace `xp`.

Everything between the token ids and the logits is array API calls on `xp`
(trueno or NumPy, or another namespace with float32/float64 and in-place
slice assignment) plus one extension: ``Linear``, which is
``trueno.gguf.linear`` on quantized weights when `xp` is trueno and a plain
``x @ W.T`` on weights dequantized once at load otherwise. On trueno, SiLU
and the attention softmax are trueno.nn's fused kernels (the same formulas,
one call each instead of several).
"""
from __future__ import annotations

import functools
import math
import os
from dataclasses import dataclass
from typing import Any, Iterator

import numpy as np

from .. import gguf as _gguf
from .. import nn as _nn
from .config import ROPE_NEOX, ModelConfig
from .sampling import Sampler
from .tokenizer import Tokenizer

__all__ = ["Model", "KVCache", "load"]

# Weight types trueno keeps as float32 arrays (multiplied with matmul); the
# rest stay quantized and go through trueno.gguf.linear.
_FLOAT_TYPES = frozenset({"F32", "F16", "BF16"})
_STOP_AT_EOS = object()


def _namespace(xp):
    import trueno
    if xp is None:
        return trueno, True
    needed = ("asarray", "matmul", "reshape", "permute_dims", "exp", "sqrt", "mean", "take")
    missing = [name for name in needed if not hasattr(xp, name)]
    if missing:
        raise TypeError(f"xp must be an array API namespace (trueno, numpy, ...); "
                        f"{xp!r} lacks {', '.join(missing)}")
    return xp, xp is trueno


def _to_numpy(array) -> np.ndarray:
    try:
        return np.asarray(array)
    except TypeError:
        return np.from_dlpack(array)


class Linear:
    """``y = x @ W.T (+ bias)`` for one weight of shape ``[out, in]``."""

    def __init__(self, xp, weight, bias=None):
        self.xp = xp
        # trueno's matmul copies a transposed operand to contiguous memory,
        # and W is the big one: (W @ x.T).T there (8192x512 float32, one row:
        # ~80 ms as x @ W.T, ~4 ms so). NumPy's BLAS path wants the opposite:
        # it multiplies a transposed W in place but not a transposed x.
        self._weight_first = _namespace(xp)[1]
        self.quantized = isinstance(weight, _gguf.QuantizedTensor)
        self.weight = weight
        self.shape = tuple(weight.shape)
        self.bias = bias

    def __call__(self, x):
        if self.quantized:
            y = _gguf.linear(x, self.weight)
        else:
            xp = self.xp
            if self._weight_first:
                y = xp.matrix_transpose(xp.matmul(self.weight, xp.matrix_transpose(x)))
            else:
                y = xp.matmul(x, xp.matrix_transpose(self.weight))
        return y if self.bias is None else y + self.bias

    def rows(self, ids):
        """Rows `ids` of W as float32 ``[len(ids), in]`` (embedding lookup)."""
        xp = self.xp
        if not self.quantized:
            return xp.take(self.weight, ids, axis=0)
        w = self.weight
        row_bytes = w.data.shape[0] // w.rows
        raw = xp.take(xp.reshape(w.data, (w.rows, row_bytes)), ids, axis=0)
        picked = _gguf.QuantizedTensor(w.name, (int(ids.shape[0]), w.cols), w.type,
                                       xp.reshape(raw, (-1,)))
        return picked.dequantize()


@dataclass(frozen=True)
class _Layer:
    attn_norm: Any
    q: Linear
    k: Linear
    v: Linear
    o: Linear
    ffn_norm: Any
    gate: Linear
    up: Linear
    down: Linear


class KVCache:
    """Keys and values of the positions processed so far, per layer.

    Buffers are ``[kv_heads, capacity, head_dim]`` and grow by doubling (up to
    the context length), so a decode step writes one column instead of
    copying the whole history.
    """

    def __init__(self, model: "Model"):
        self._xp = model.xp
        self._config = model.config
        self.length = 0
        self._keys: list[Any] = []
        self._values: list[Any] = []

    @property
    def capacity(self) -> int:
        return self._keys[0].shape[1] if self._keys else 0

    def reserve(self, total: int) -> None:
        if total <= self.capacity:
            return
        cfg, xp = self._config, self._xp
        capacity = min(cfg.context_length, max(total, 2 * self.capacity, 64))
        shape = (cfg.head_count_kv, capacity, cfg.head_dim)
        for store in (self._keys, self._values):
            for layer in range(cfg.block_count):
                grown = xp.zeros(shape, dtype=xp.float32)
                if self.length:
                    grown[:, :self.length, :] = store[layer][:, :self.length, :]
                if layer < len(store):
                    store[layer] = grown
                else:
                    store.append(grown)

    def store(self, layer: int, keys, values):
        """Writes ``[n, kv_heads, head_dim]`` keys/values after the cached
        positions; returns the layer's whole key and value buffers,
        ``[kv_heads, capacity, head_dim]``: positions from ``length + n`` on
        are unused (zeros), for the caller to mask. Whole buffers rather than
        ``[:, :length + n]`` slices, because a slice is not contiguous and
        matmul would copy it (measured: 65 us instead of 6 at 200 positions)."""
        xp = self._xp
        start, n = self.length, keys.shape[0]
        self._keys[layer][:, start:start + n, :] = xp.permute_dims(keys, (1, 0, 2))
        self._values[layer][:, start:start + n, :] = xp.permute_dims(values, (1, 0, 2))
        return self._keys[layer], self._values[layer]


class Model:
    """A loaded llama / mistral / qwen2 model. Use :func:`load` to make one."""

    def __init__(self, path: str | os.PathLike, xp=None):
        self.xp, self._native = _namespace(xp)
        self.path = os.fspath(path)
        # the vocabulary arrays are the tokenizer's, read when it is first used
        with _gguf.load(path, metadata_arrays=False) as f:
            self.config = ModelConfig.from_gguf(
                f.metadata, {name: info.shape for name, info in f.tensors.items()})
            self._load_weights(f)
        self._rope_inv_freq = self._rope_frequencies()

    # -- loading ---------------------------------------------------------
    def _tensor(self, f, name: str, shape: tuple[int, ...], allow_quantized: bool):
        info = f.tensors.get(name)
        if info is None:
            raise ValueError(f"GGUF file {self.path} has no tensor {name!r} "
                             f"({self.config.architecture} needs it)")
        if tuple(info.shape) != shape:
            raise ValueError(f"tensor {name!r} has shape {tuple(info.shape)}, expected {shape}")
        if self._native:
            if allow_quantized and info.type not in _FLOAT_TYPES:
                return f.quantized(name)
            return self.xp.astype(f.array(name), self.xp.float32, copy=False)
        # other namespaces: dequantize once here, then only plain float32 math
        values = _to_numpy(f.array(name)).astype(np.float32, copy=False)
        return self.xp.asarray(values)

    def _linear(self, f, name: str, shape: tuple[int, int], bias: bool = False) -> Linear:
        weight = self._tensor(f, f"{name}.weight", shape, allow_quantized=True)
        bias_values = self._tensor(f, f"{name}.bias", shape[:1], False) if bias else None
        return Linear(self.xp, weight, bias_values)

    def _load_weights(self, f) -> None:
        cfg = self.config
        dim, ff = cfg.embedding_length, cfg.feed_forward_length
        q_dim = cfg.head_count * cfg.head_dim
        kv_dim = cfg.head_count_kv * cfg.head_dim
        self.token_embedding = self._linear(f, "token_embd", (cfg.vocab_size, dim))
        self.layers: list[_Layer] = []
        for i in range(cfg.block_count):
            p = f"blk.{i}"
            self.layers.append(_Layer(
                attn_norm=self._tensor(f, f"{p}.attn_norm.weight", (dim,), False),
                q=self._linear(f, f"{p}.attn_q", (q_dim, dim), cfg.qkv_bias),
                k=self._linear(f, f"{p}.attn_k", (kv_dim, dim), cfg.qkv_bias),
                v=self._linear(f, f"{p}.attn_v", (kv_dim, dim), cfg.qkv_bias),
                o=self._linear(f, f"{p}.attn_output", (dim, q_dim)),
                ffn_norm=self._tensor(f, f"{p}.ffn_norm.weight", (dim,), False),
                gate=self._linear(f, f"{p}.ffn_gate", (ff, dim)),
                up=self._linear(f, f"{p}.ffn_up", (ff, dim)),
                down=self._linear(f, f"{p}.ffn_down", (dim, ff))))
        self.output_norm = self._tensor(f, "output_norm.weight", (dim,), False)
        if "output.weight" in f.tensors:
            self.output = self._linear(f, "output", (cfg.vocab_size, dim))
        else:  # tied embeddings
            self.output = self.token_embedding
        # Llama 3.1-style per-frequency divisors of the rotation angle
        self._rope_factors = None
        if "rope_freqs.weight" in f.tensors:
            factors = _to_numpy(self._tensor(f, "rope_freqs.weight", (cfg.rope_dims // 2,),
                                             False))
            self._rope_factors = [float(v) for v in factors]

    def _rope_frequencies(self) -> list[float]:
        cfg = self.config
        half = cfg.rope_dims // 2
        freqs = [cfg.rope_freq_scale * cfg.rope_freq_base ** (-2.0 * i / cfg.rope_dims)
                 for i in range(half)]
        if self._rope_factors is not None:
            freqs = [fr / factor for fr, factor in zip(freqs, self._rope_factors)]
        return freqs

    # -- the forward pass ------------------------------------------------
    def _rms_norm(self, x, weight):
        xp = self.xp
        mean_square = xp.mean(x * x, axis=-1, keepdims=True)
        return x * (1.0 / xp.sqrt(mean_square + self.config.rms_epsilon)) * weight

    def _silu(self, x):
        xp = self.xp
        if self._native:
            return _nn.silu(x)   # one fused kernel, the same formula
        # x * sigmoid(x) with exp of a non-positive number only: never overflows
        e = xp.exp(-xp.abs(x))
        return x * xp.where(x >= 0, 1.0 / (1.0 + e), e / (1.0 + e))

    def _rope_tables(self, start: int, count: int):
        """cos and signed sin of the rotation angles, ``[count, 1, rope_dims]``
        float32, laid out like the values they rotate (see :meth:`_rope`)."""
        xp = self.xp
        positions = xp.arange(start, start + count, dtype=xp.float64)
        freqs = xp.asarray(self._rope_inv_freq, dtype=xp.float64)
        angles = xp.reshape(positions, (count, 1, 1)) * xp.reshape(freqs, (1, 1, -1))
        cos, sin = xp.astype(xp.cos(angles), xp.float32), xp.astype(xp.sin(angles), xp.float32)
        dims = self.config.rope_dims
        if self.config.rope_mode == ROPE_NEOX:   # halves: [c, c] and [-s, s]
            return xp.concat([cos, cos], axis=-1), xp.concat([-sin, sin], axis=-1)
        # interleaved pairs: [c0, c0, c1, c1, ...] and [-s0, s0, -s1, s1, ...]
        return (xp.reshape(xp.stack([cos, cos], axis=-1), (count, 1, dims)),
                xp.reshape(xp.stack([-sin, sin], axis=-1), (count, 1, dims)))

    def _rope(self, x, cos, sin):
        """Rotates the first rope_dims values of each head of `x` ``[n, heads, head_dim]``.

        Each pair (a, b) (neighbours, or value i and i + dims/2 in NeoX mode)
        becomes (a cos - b sin, b cos + a sin): ``x * cos + partner * sin``
        with `partner` holding b at a's place and a at b's, and the signed
        sin of :meth:`_rope_tables` -- the same products and sums, in six
        array calls instead of twelve."""
        xp, cfg = self.xp, self.config
        n, heads, width = x.shape
        dims = cfg.rope_dims
        rotated = x[:, :, :dims] if dims < width else x
        if cfg.rope_mode == ROPE_NEOX:
            partner = xp.concat([rotated[:, :, dims // 2:], rotated[:, :, :dims // 2]], axis=-1)
        else:
            pairs = xp.reshape(rotated, (n, heads, dims // 2, 2))
            partner = xp.reshape(xp.flip(pairs, axis=-1), (n, heads, dims))
        out = rotated * cos + partner * sin
        if dims < width:
            out = xp.concat([out, x[:, :, dims:]], axis=-1)
        return out

    def _attention(self, q, keys, values, visible):
        """Grouped-query attention of `q` ``[n, heads, d]`` over the cache's
        whole buffers `keys`/`values` ``[kv_heads, capacity, d]``; `visible`
        ``[n, capacity]`` (bool) tells which keys each query sees: the causal
        mask, which also hides the unused capacity."""
        xp, cfg = self.xp, self.config
        n = q.shape[0]
        capacity = keys.shape[1]
        kv_heads, group, d = cfg.head_count_kv, cfg.head_count // cfg.head_count_kv, cfg.head_dim
        # query head h reads kv head h // group: heads of one group become rows
        # (one position: [1, heads, d] already is [heads, 1, d] in memory)
        queries = q if n == 1 else xp.permute_dims(q, (1, 0, 2))
        queries = xp.reshape(queries, (kv_heads, group * n, d))
        # keys @ queries.T, not queries @ keys.T: matmul copies a transposed
        # operand, and keys is the big one; the scaling makes queries.T a
        # small contiguous array
        scaled = xp.permute_dims(queries, (0, 2, 1)) * (1.0 / math.sqrt(d))
        scores = xp.matrix_transpose(xp.matmul(keys, scaled))
        scores = xp.where(visible, xp.reshape(scores, (kv_heads, group, n, capacity)), -math.inf)
        if self._native:
            probs = _nn.softmax(scores, axis=-1)
        else:
            scores = xp.exp(scores - xp.max(scores, axis=-1, keepdims=True))
            probs = scores / xp.sum(scores, axis=-1, keepdims=True)
        out = xp.matmul(xp.reshape(probs, (kv_heads, group * n, capacity)), values)
        if n > 1:
            out = xp.permute_dims(xp.reshape(out, (cfg.head_count, n, d)), (1, 0, 2))
        return xp.reshape(out, (n, cfg.head_count * d))

    def forward(self, tokens, cache: KVCache, last_only: bool = False):
        """Runs `tokens` after the positions in `cache` (which it extends);
        returns float32 logits ``[len(tokens), vocab]`` (``[1, vocab]`` for
        the last token only with `last_only`)."""
        if not isinstance(cache, KVCache) or cache._config is not self.config:
            raise TypeError("cache must be a KVCache made by this model's new_cache()")
        ids = self._check_tokens(tokens)
        xp, cfg = self.xp, self.config
        n, start = len(ids), cache.length
        if start + n > cfg.context_length:
            raise ValueError(f"tokens: {start} cached + {n} new positions exceed the context "
                             f"length {cfg.context_length}")
        cache.reserve(start + n)
        x = self.token_embedding.rows(xp.asarray(ids, dtype=xp.int64))
        cos, sin = self._rope_tables(start, n)
        # query start + i sees keys 0 .. start + i, never the unused capacity
        visible = (xp.reshape(xp.arange(cache.capacity), (1, -1))
                   <= xp.reshape(xp.arange(start, start + n), (n, 1)))
        heads, kv_heads, d = cfg.head_count, cfg.head_count_kv, cfg.head_dim
        for index, layer in enumerate(self.layers):
            h = self._rms_norm(x, layer.attn_norm)
            q = self._rope(xp.reshape(layer.q(h), (n, heads, d)), cos, sin)
            k = self._rope(xp.reshape(layer.k(h), (n, kv_heads, d)), cos, sin)
            v = xp.reshape(layer.v(h), (n, kv_heads, d))
            keys, values = cache.store(index, k, v)
            x = x + layer.o(self._attention(q, keys, values, visible))
            h = self._rms_norm(x, layer.ffn_norm)
            x = x + layer.down(self._silu(layer.gate(h)) * layer.up(h))
        cache.length = start + n
        if last_only:
            x = x[n - 1:, :]
        return self.output(self._rms_norm(x, self.output_norm))

    # -- public API ------------------------------------------------------
    def new_cache(self) -> KVCache:
        """An empty KV cache for :meth:`forward`."""
        return KVCache(self)

    @functools.cached_property
    def tokenizer(self) -> Tokenizer:
        """The file's tokenizer (read on first use, so that a vocabulary
        trueno.llm cannot tokenize does not stop token-id use of the model)."""
        return Tokenizer.from_gguf(self.path)

    def _prompt_ids(self, tokens):
        # text prompts are tokenized as llama.cpp's CLI does: BOS as the
        # vocabulary asks, special-token texts such as <|im_start|> parsed
        if isinstance(tokens, str):
            return self.tokenizer.encode(tokens, add_special=True, parse_special=True)
        return tokens

    def logits(self, tokens):
        """Logits ``[len(tokens), vocab]`` (float32, on `xp`) at every position
        of `tokens` (token ids, or a str prompt to tokenize), processed in one
        batched pass from an empty cache."""
        return self.forward(self._prompt_ids(tokens), self.new_cache())

    def generate(self, tokens, max_tokens: int, temperature: float = 0.0,
                 top_k: int | None = None, top_p: float | None = None,
                 seed: int | None = None, stop=_STOP_AT_EOS) -> Iterator[int]:
        """Yields up to `max_tokens` new token ids following the prompt `tokens`
        (token ids, or a str that :attr:`tokenizer` encodes).

        The prompt is processed in one batched pass, then one token per step
        with the KV cache. `temperature` 0 is greedy; otherwise tokens are
        drawn after top-k and top-p filtering, reproducibly for one `seed`.
        Generation ends before yielding a token in `stop` (default: the
        file's EOS token and the vocabulary's end-of-turn tokens such as
        ``<|im_end|>``, as llama.cpp; None: never), after `max_tokens`, or when the
        context is full. Arguments are checked when this is called.
        """
        ids = self._check_tokens(self._prompt_ids(tokens))
        if len(ids) > self.config.context_length:
            raise ValueError(f"tokens: the prompt's {len(ids)} tokens exceed the context length "
                             f"{self.config.context_length}")
        if isinstance(max_tokens, bool) or not isinstance(max_tokens, (int, np.integer)):
            raise TypeError(f"max_tokens must be an int, got {type(max_tokens).__name__}")
        if max_tokens < 0:
            raise ValueError(f"max_tokens must be >= 0, got {max_tokens}")
        sampler = Sampler(temperature, top_k, top_p, seed)
        stop_ids = self._stop_ids(stop)
        return self._generate(ids, int(max_tokens), sampler, stop_ids)

    def _generate(self, tokens, max_tokens: int, sampler: Sampler,
                  stop_ids: frozenset[int]) -> Iterator[int]:
        cache = self.new_cache()
        pending = tokens
        for _ in range(max_tokens):
            if cache.length + len(pending) > self.config.context_length:
                return
            logits = self.forward(pending, cache, last_only=True)
            token = sampler(_to_numpy(logits)[0])
            if token in stop_ids:
                return
            yield token
            pending = [token]

    def _stop_ids(self, stop) -> frozenset[int]:
        if stop is _STOP_AT_EOS:
            eos = self.config.eos_token_id
            ends: set[int] = set() if eos is None else {eos}
            # and the end-of-turn tokens (<|im_end|>, <|eot_id|>, ...), as
            # llama.cpp stops at each of them; a file whose vocabulary
            # trueno cannot read stops at EOS alone
            try:
                ends |= self.tokenizer.end_of_generation_ids
            except (ValueError, NotImplementedError):
                pass
            return frozenset(ends)
        if stop is None:
            return frozenset()
        if isinstance(stop, (int, np.integer)) and not isinstance(stop, bool):
            return frozenset({int(stop)})
        try:
            ids = list(stop)
        except TypeError:
            raise TypeError(f"stop must be a token id, an iterable of ids or None, got "
                            f"{type(stop).__name__}") from None
        for value in ids:
            if isinstance(value, bool) or not isinstance(value, (int, np.integer)):
                raise TypeError(f"stop must hold int token ids, got {type(value).__name__}")
        return frozenset(int(v) for v in ids)

    def _check_tokens(self, tokens) -> list[int]:
        if isinstance(tokens, (str, bytes)):
            raise TypeError("tokens must be a sequence of int token ids, not text "
                            "(logits() and generate() take a str prompt)")
        if hasattr(tokens, "__array_namespace__") or isinstance(tokens, np.ndarray):
            values = _to_numpy(tokens)
            if values.ndim != 1 or values.dtype.kind not in "iu":
                raise TypeError(f"tokens must be a 1-D integer array, got {values.ndim}-D "
                                f"{values.dtype}")
            ids = [int(v) for v in values]
        else:
            try:
                ids = list(tokens)
            except TypeError:
                raise TypeError(f"tokens must be a sequence of int token ids, got "
                                f"{type(tokens).__name__}") from None
            for i, value in enumerate(ids):
                if isinstance(value, bool) or not isinstance(value, (int, np.integer)):
                    raise TypeError(f"tokens[{i}] must be an int token id, got "
                                    f"{type(value).__name__}")
            ids = [int(v) for v in ids]
        if not ids:
            raise ValueError("tokens must not be empty")
        vocab = self.config.vocab_size
        for i, value in enumerate(ids):
            if not 0 <= value < vocab:
                raise IndexError(f"tokens[{i}] = {value} is out of range for the vocabulary "
                                 f"of {vocab} tokens")
        return ids

    def __repr__(self) -> str:
        cfg = self.config
        return (f"<trueno.llm.Model {cfg.architecture} {self.path!r}: {cfg.block_count} layers, "
                f"dim {cfg.embedding_length}, vocab {cfg.vocab_size}, xp={getattr(self.xp, '__name__', self.xp)}>")


def load(path: str | os.PathLike, xp=None) -> Model:
    """Loads the llama / mistral / qwen2 GGUF model at `path` to run on `xp`
    (default trueno; NumPy or another array API namespace works too)."""
    if not isinstance(path, (str, os.PathLike)):
        raise TypeError(f"path must be a str or os.PathLike, got {type(path).__name__}")
    return Model(path, xp)

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
    """``y = x @ W.T (+ bias)`` for one weight of shape ``[out, in]``.

    The model's projections; calling it with ``x`` of shape ``[n, in]`` gives
    ``[n, out]``. A quantized weight goes through
    :func:`trueno.gguf.linear`, a float one through `xp`'s matmul.

    Parameters
    ----------
    xp : module
        The array namespace (trueno, numpy, ...) of `weight` and the inputs.
    weight : Array or QuantizedTensor
        ``[out, in]``: an `xp` float array, or (on trueno) a
        :class:`trueno.gguf.QuantizedTensor`.
    bias : Array or None, default None
        ``[out]``, added to the product.

    Attributes
    ----------
    quantized : bool
        Whether `weight` is a QuantizedTensor.
    shape : tuple of int
        ``(out, in)``.

    Examples
    --------
    >>> import trueno as xp
    >>> import trueno.gguf
    >>> import trueno.llm
    >>> with trueno.gguf.load(path) as f:
    ...     up = trueno.llm.Linear(xp, f.quantized("blk.0.ffn_up.weight"))
    >>> up.quantized, up.shape
    (True, (64, 32))
    >>> up(xp.ones((2, 32), dtype=xp.float32)).shape
    (2, 64)
    >>> double = trueno.llm.Linear(xp, 2 * xp.eye(2, dtype=xp.float32),
    ...                            bias=xp.asarray([0.0, 1.0], dtype=xp.float32))
    >>> double(xp.asarray([[1.0, 2.0]], dtype=xp.float32))
    Array([[2., 5.]], dtype=float32)
    """

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
        """Rows `ids` of W as float32 ``[len(ids), in]`` (embedding lookup).

        A quantized weight decodes only those rows.

        Parameters
        ----------
        ids : Array
            1-D integer `xp` array of row numbers.

        Returns
        -------
        Array
            float32, ``[len(ids), in]``.

        Examples
        --------
        >>> import trueno as xp
        >>> import trueno.llm
        >>> model = trueno.llm.load(path)
        >>> model.token_embedding.rows(xp.asarray([1, 342])).shape
        (2, 32)
        """
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

    Made by :meth:`Model.new_cache` and extended by :meth:`Model.forward`.
    Buffers are ``[kv_heads, capacity, head_dim]`` and grow by doubling (up to
    the context length), so a decode step writes one column instead of
    copying the whole history.

    Parameters
    ----------
    model : Model
        The model whose layers and head shapes the cache holds.

    Attributes
    ----------
    length : int
        The number of positions cached.

    Examples
    --------
    >>> import trueno.llm
    >>> model = trueno.llm.load(path)
    >>> cache = model.new_cache()
    >>> cache.length, cache.capacity
    (0, 0)
    >>> model.forward([1, 342, 281], cache).shape
    (3, 655)
    >>> cache.length, cache.capacity
    (3, 64)
    """

    def __init__(self, model: "Model"):
        self._xp = model.xp
        self._config = model.config
        self.length = 0
        self._keys: list[Any] = []
        self._values: list[Any] = []

    @property
    def capacity(self) -> int:
        """Positions the buffers hold before they grow (0 before the first use).

        Returns
        -------
        int

        Examples
        --------
        >>> import trueno.llm
        >>> model = trueno.llm.load(path)
        >>> cache = model.new_cache()
        >>> cache.reserve(100)
        >>> cache.capacity
        100
        """
        return self._keys[0].shape[1] if self._keys else 0

    def reserve(self, total: int) -> None:
        """Grows the buffers to hold at least `total` positions.

        The new capacity is the largest of `total`, twice the current one and
        64, capped at the context length; cached positions are kept.
        :meth:`Model.forward` calls it.

        Parameters
        ----------
        total : int
            Positions needed (cached and new), at most the context length.

        Returns
        -------
        None

        Examples
        --------
        >>> import trueno.llm
        >>> model = trueno.llm.load(path)
        >>> cache = model.new_cache()
        >>> cache.reserve(10)
        >>> cache.capacity, cache.length
        (64, 0)
        """
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
        """Writes keys/values after the cached positions and returns the layer's buffers.

        Returns whole buffers rather than ``[:, :length + n]`` slices, because
        a slice is not contiguous and matmul would copy it (measured: 65 us
        instead of 6 at 200 positions). :attr:`length` is not advanced: the
        caller (:meth:`Model.forward`) does that after the last layer, and
        reserves the capacity first.

        Parameters
        ----------
        layer : int
            The layer's index.
        keys : Array
            ``[n, kv_heads, head_dim]`` float32 keys of the new positions.
        values : Array
            ``[n, kv_heads, head_dim]`` float32 values of the new positions.

        Returns
        -------
        tuple of Array
            The layer's key and value buffers, ``[kv_heads, capacity,
            head_dim]``: positions from ``length + n`` on are unused (zeros),
            for the caller to mask.

        Examples
        --------
        >>> import trueno as xp
        >>> import trueno.llm
        >>> model = trueno.llm.load(path)
        >>> cache = model.new_cache()
        >>> cache.reserve(2)
        >>> k = xp.ones((2, 2, 16), dtype=xp.float32)
        >>> keys, values = cache.store(0, k, 2 * k)
        >>> keys.shape, float(keys[0, 1, 0]), float(values[0, 2, 0])
        ((2, 64, 16), 1.0, 0.0)
        """
        xp = self._xp
        start, n = self.length, keys.shape[0]
        self._keys[layer][:, start:start + n, :] = xp.permute_dims(keys, (1, 0, 2))
        self._values[layer][:, start:start + n, :] = xp.permute_dims(values, (1, 0, 2))
        return self._keys[layer], self._values[layer]


class Model:
    """A loaded llama / mistral / qwen2 model. Use :func:`load` to make one.

    Weights stay in the memory-mapped file where they can: quantized ones are
    multiplied block by block (:func:`trueno.gguf.linear`), F32 ones are
    views. With another `xp` every weight is dequantized once, to float32.

    Parameters
    ----------
    path : str or os.PathLike
        The GGUF model file.
    xp : module or None, default None
        The array namespace that runs the model: None for trueno, or NumPy
        or another array API namespace.

    Attributes
    ----------
    xp : module
        The array namespace.
    path : str
        The model file's path.
    config : ModelConfig
        The hyper-parameters read from the file.

    Raises
    ------
    TypeError, OSError, ValueError, NotImplementedError
        As :func:`load`: a bad argument, or a file that cannot be opened, is
        not a valid model, or asks for what trueno.llm does not run.

    Examples
    --------
    >>> import trueno.llm
    >>> model = trueno.llm.load(path)
    >>> model
    <trueno.llm.Model llama '...tiny-llama.gguf': 1 layers, dim 32, vocab 655, xp=trueno>
    """

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
        """Runs `tokens` after the positions in `cache` (which it extends).

        The tokens are processed in one batched pass; calling it again with
        the next token(s) continues the sequence (a decode step).

        Parameters
        ----------
        tokens : sequence of int or Array
            Token ids (a list, or a 1-D integer array), not empty.
        cache : KVCache
            A cache from this model's :meth:`new_cache`, holding the
            positions before `tokens`; its ``length`` grows by
            ``len(tokens)``.
        last_only : bool, default False
            Compute the logits of the last position only.

        Returns
        -------
        Array
            float32 logits (on `xp`), ``[len(tokens), vocab]``, or
            ``[1, vocab]`` with `last_only`.

        Raises
        ------
        TypeError
            If cache is not a KVCache of this model, or tokens is text or
            holds something other than ints.
        ValueError
            If tokens is empty, or the cached and new positions exceed the
            context length.
        IndexError
            If a token id is outside the vocabulary.

        Examples
        --------
        >>> import trueno as xp
        >>> import trueno.llm
        >>> model = trueno.llm.load(path)
        >>> cache = model.new_cache()
        >>> model.forward([1, 342, 281], cache).shape          # the prompt
        (3, 655)
        >>> step = model.forward([289], cache, last_only=True)  # one more token
        >>> step.shape, cache.length
        ((1, 655), 4)
        >>> model.forward([655], cache)
        Traceback (most recent call last):
        ...
        IndexError: tokens[0] = 655 is out of range for the vocabulary of 655 tokens
        """
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
        """An empty KV cache for :meth:`forward`.

        Returns
        -------
        KVCache
            Holding no positions; its buffers are made on first use.

        Examples
        --------
        >>> import trueno.llm
        >>> model = trueno.llm.load(path)
        >>> model.new_cache().length
        0
        """
        return KVCache(self)

    @functools.cached_property
    def tokenizer(self) -> Tokenizer:
        """The file's tokenizer (read on first use, so that a vocabulary
        trueno.llm cannot tokenize does not stop token-id use of the model).

        Returns
        -------
        Tokenizer

        Raises
        ------
        ValueError
            If the file's vocabulary metadata is missing or malformed.
        NotImplementedError
            If its tokenizer model or pre-tokenizer is not supported.

        Examples
        --------
        >>> import trueno.llm
        >>> model = trueno.llm.load(path)
        >>> model.tokenizer.encode("Hello world")
        [1, 342, 281, 289, 420, 455]
        """
        return Tokenizer.from_gguf(self.path)

    def _prompt_ids(self, tokens):
        # text prompts are tokenized as llama.cpp's CLI does: BOS as the
        # vocabulary asks, special-token texts such as <|im_start|> parsed
        if isinstance(tokens, str):
            return self.tokenizer.encode(tokens, add_special=True, parse_special=True)
        return tokens

    def logits(self, tokens):
        """Logits at every position of `tokens`, processed in one batched pass from an empty cache.

        Parameters
        ----------
        tokens : sequence of int, Array or str
            Token ids, or a str prompt that :attr:`tokenizer` encodes (with
            the BOS token the vocabulary asks for, and special-token texts
            such as ``<|im_start|>`` parsed, as llama.cpp's command line).

        Returns
        -------
        Array
            float32 logits (on `xp`), ``[len(tokens), vocab]``.

        Raises
        ------
        TypeError
            If tokens holds something other than ints.
        ValueError
            If tokens is empty or longer than the context length.
        IndexError
            If a token id is outside the vocabulary.

        Examples
        --------
        >>> import trueno as xp
        >>> import trueno.llm
        >>> model = trueno.llm.load(path)
        >>> logits = model.logits("Hello world")
        >>> logits.shape, logits.dtype
        ((6, 655), dtype('float32'))
        >>> int(xp.argmax(logits[-1]))                         # the likeliest next token
        67
        """
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

        Parameters
        ----------
        tokens : sequence of int, Array or str
            The prompt: token ids, or a str (encoded as :meth:`logits` does).
        max_tokens : int
            Most tokens to generate (0: none).
        temperature : float, default 0.0
            0 for greedy decoding; above 0, sampling (see :class:`Sampler`).
        top_k : int or None, default None
            Sample among the `top_k` likeliest tokens only.
        top_p : float or None, default None
            Sample among the likeliest tokens up to this probability mass.
        seed : int or None, default None
            Seed of the draws: the same seed gives the same tokens.
        stop : int, iterable of int or None, optional
            Token id(s) that end the generation (not yielded). Default: the
            EOS and end-of-turn tokens; None: never stop early.

        Returns
        -------
        iterator of int
            The new token ids, produced one decode step each as it is
            iterated.

        Raises
        ------
        TypeError
            If tokens, max_tokens, stop or a sampling argument has the wrong
            type.
        ValueError
            If tokens is empty or longer than the context length, max_tokens
            is negative, or a sampling argument is out of range.
        IndexError
            If a token id is outside the vocabulary.

        Examples
        --------
        >>> import trueno.llm
        >>> model = trueno.llm.load(path)
        >>> tokens = list(model.generate("Hello", max_tokens=5))    # greedy
        >>> len(tokens)
        5
        >>> sampled = list(model.generate([1, 342], max_tokens=3, temperature=0.8,
        ...                               top_k=40, top_p=0.95, seed=0))
        >>> sampled == list(model.generate([1, 342], max_tokens=3, temperature=0.8,
        ...                                top_k=40, top_p=0.95, seed=0))
        True
        >>> model.generate("Hello", max_tokens=-1)
        Traceback (most recent call last):
        ...
        ValueError: max_tokens must be >= 0, got -1
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
    (default trueno; NumPy or another array API namespace works too).

    Parameters
    ----------
    path : str or os.PathLike
        The GGUF model file.
    xp : module or None, default None
        The array namespace that runs the model: None for trueno (quantized
        weights stay quantized), or NumPy or another array API namespace
        (weights dequantized once, to float32).

    Returns
    -------
    Model

    Raises
    ------
    TypeError
        If path is not a str or os.PathLike, or xp is not an array API
        namespace.
    OSError
        If the file cannot be opened (FileNotFoundError if it does not exist).
    ValueError
        If the file is not a valid GGUF file, or its metadata or tensors are
        missing or inconsistent (the message names the key or tensor).
    NotImplementedError
        If the architecture is not llama, mistral or qwen2, or the model uses
        a feature trueno.llm does not run (mixture of experts, RoPE scaling
        other than linear), or a weight's type cannot be computed with.

    Examples
    --------
    >>> import numpy as np
    >>> import trueno.llm
    >>> model = trueno.llm.load(path)
    >>> model.config.architecture, model.config.vocab_size
    ('llama', 655)
    >>> on_numpy = trueno.llm.load(path, xp=np)
    >>> type(on_numpy.logits([1, 342]))
    <class 'numpy.ndarray'>
    >>> trueno.llm.load(path, xp="numpy")
    Traceback (most recent call last):
    ...
    TypeError: xp must be an array API namespace (trueno, numpy, ...); 'numpy' lacks asarray, ...
    """
    if not isinstance(path, (str, os.PathLike)):
        raise TypeError(f"path must be a str or os.PathLike, got {type(path).__name__}")
    return Model(path, xp)

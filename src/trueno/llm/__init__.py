"""trueno.llm: llama-family language model inference on an array namespace.

Runs llama (Llama 2/3 style), mistral and qwen2 GGUF models. The forward pass
(RMSNorm, RoPE in normal or NeoX mode, grouped-query causal attention with a
KV cache, SwiGLU feed-forward, tied or separate output) is written only
against the array API namespace `xp` plus one extension, the quantized
``trueno.gguf.linear``; with ``xp=numpy`` weights are dequantized once at load
instead (here a tiny test model; ``path`` is its file)::

    >>> import trueno.llm
    >>> model = trueno.llm.load(path)                 # xp=numpy also works
    >>> model.logits([1, 342, 281]).shape             # [3, vocab] float32
    (3, 655)
    >>> for token in model.generate([1, 342], max_tokens=4, temperature=0.8,
    ...                             top_k=40, top_p=0.95, seed=0):
    ...     pass

The prompt is processed in one batched pass, then one token per step;
:meth:`Model.forward` with :meth:`Model.new_cache` drives the cache directly.

Text goes through :class:`Tokenizer`, read from the file's metadata (the
SentencePiece-style ``llama`` vocabulary with byte fallback, byte-level BPE
``gpt2`` with the default, gpt-2, llama-bpe (Llama 3), qwen2, starcoder
pre-tokenizers and their aliases; token for token as llama.cpp); ``logits`` and ``generate``
also take a str prompt::

    >>> tokens = model.generate("Once upon a time", max_tokens=32)
    >>> text = model.tokenizer.decode(tokens)         # random weights: random text

and ``python -m trueno.llm MODEL.gguf -p "prompt" -n 64`` streams a
generation and reports prompt and decode tokens/s.

Not supported yet: YaRN / NTK RoPE scaling (linear and Llama 3.1
``rope_freqs`` factors are), mistral's sliding-window attention (as
llama.cpp's llama architecture, all positions are attended), mixture of
experts. ``generate`` stops at EOS by default; chat models end a turn with
other tokens too: ``stop=model.tokenizer.end_of_generation_ids`` (as the
command line does).
"""
from __future__ import annotations

from .config import ModelConfig, SUPPORTED_ARCHITECTURES
from .model import KVCache, Linear, Model, load
from .sampling import Sampler
from .tokenizer import StreamDecoder, Tokenizer

__all__ = ["load", "Model", "ModelConfig", "KVCache", "Linear", "Sampler", "Tokenizer",
           "StreamDecoder", "SUPPORTED_ARCHITECTURES"]

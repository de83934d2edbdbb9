"""Tiny GGUF files with real-looking vocabularies for the tokenizer and CLI tests.

The vocabularies are learned here from a small corpus with a plain BPE
trainer (most frequent pair first), so both kinds look like the real thing:
an SPM ``llama`` vocabulary (pieces with scores, ``<0xNN>`` byte-fallback
tokens, control / unknown / user-defined tokens) and byte-level BPE ``gpt2``
vocabularies (GPT-2's byte alphabet, ranked merges, special tokens) for any
pre-tokenizer name. The model weights are small seeded random numbers.
"""
from __future__ import annotations

import collections
import re

import numpy as np

CORPUS = """\
The quick brown fox jumps over the lazy dog. Hello world, hello there!
It's a test: we're testing the tokenizer, and they'll see what I've done.
I'm sure you'd like 12345 apples and 67 oranges, or 3.14159 of a pie in 2024.
Tokenization splits text into tokens; tokens map to ids. Let's tokenize it all.
    indented code: def main(): return x + y  # comment
naïve café résumé über straße Ångström – “quotes” and ‘single’ ones…
日本語のテキストです。中文文本也可以。한국어 텍스트
emoji 🙂 and 🚀 rockets, Привет мир, مرحبا بالعالم, שלום עולם
numbers 100 200 300 1000 2000 12 123 1234 12345 123456 2024 2025 42 42 42 4242
"""

# GPT-2's byte -> printable character alphabet, written out independently of
# trueno.llm.tokenizer so the tests check that module's table
_PRINTABLE = [*range(0x21, 0x7F), *range(0xA1, 0xAD), *range(0xAE, 0x100)]
BYTE_CHARS = {b: chr(b) for b in _PRINTABLE}
BYTE_CHARS.update({b: chr(0x100 + i) for i, b in enumerate(b for b in range(256)
                                                           if b not in _PRINTABLE)})

# tokenizer.ggml.token_type values
NORMAL, UNKNOWN, CONTROL, USER_DEFINED, UNUSED, BYTE = 1, 2, 3, 4, 5, 6


def train_merges(words: list[list[str]], count: int) -> list[tuple[str, str]]:
    """`count` BPE merges of the symbol sequences `words`, most frequent first."""
    words = [list(w) for w in words]
    merges = []
    for _ in range(count):
        pairs = collections.Counter()
        for word in words:
            pairs.update(zip(word, word[1:]))
        if not pairs:
            break
        best = max(pairs.items(), key=lambda item: (item[1], item[0]))[0]
        merges.append(best)
        for word in words:
            i = 0
            while i < len(word) - 1:
                if (word[i], word[i + 1]) == best:
                    word[i:i + 2] = [word[i] + word[i + 1]]
                i += 1
    return merges


def spm_vocabulary(merges: int = 300) -> dict:
    """An SPM vocabulary: <unk>, <s>, </s>, 256 byte tokens, two control and
    one user-defined token, the corpus's characters and learned pieces; a
    piece's score is higher the earlier it was learned."""
    tokens = ["<unk>", "<s>", "</s>"] + [f"<0x{b:02X}>" for b in range(256)]
    types = [UNKNOWN, CONTROL, CONTROL] + [BYTE] * 256
    scores = [0.0] * len(tokens)
    for text, kind in (("<|im_start|>", CONTROL), ("<|im_end|>", CONTROL),
                       ("<tool>", USER_DEFINED)):
        tokens.append(text)
        types.append(kind)
        scores.append(0.0)
    words = ["\u2581" + w for w in CORPUS.split()]
    # some characters of the corpus only (the rest goes through byte fallback)
    chars = sorted(set("".join(words)))
    chars = [c for i, c in enumerate(chars) if ord(c) < 0x3000 or i % 2 == 0]
    for i, char in enumerate(chars):
        tokens.append(char)
        types.append(NORMAL)
        scores.append(-1000.0 - i)
    known = set(tokens)
    for rank, (left, right) in enumerate(train_merges(words, merges)):
        piece = left + right
        if piece not in known:
            known.add(piece)
            tokens.append(piece)
            types.append(NORMAL)
            scores.append(-float(rank))
    return {"model": "llama", "tokens": tokens, "scores": scores, "types": types,
            "bos": 1, "eos": 2, "unk": 0}


def bpe_vocabulary(pre: str, merges: int = 300) -> dict:
    """A byte-level BPE vocabulary: the 256 byte characters, learned merges
    and their tokens, whole-word tokens without a merge path (Llama 3's
    ignore_merges finds them) and special tokens at the end."""
    pieces = re.findall(r" ?[^\W\d_]+| ?\d+| ?[^\s\w]+|\s+", CORPUS)
    words = [[BYTE_CHARS[b] for b in piece.encode()] for piece in pieces]
    learned = train_merges(words, merges)
    tokens = [BYTE_CHARS[b] for b in range(256)]
    known = set(tokens)
    for left, right in learned:
        if left + right not in known:
            known.add(left + right)
            tokens.append(left + right)
    # words that are tokens although no merge builds them
    for word in (" tokenization", " unbelievable", "Hello"):
        spelled = "".join(BYTE_CHARS[b] for b in word.encode())
        if spelled not in known:
            known.add(spelled)
            tokens.append(spelled)
    types = [NORMAL] * len(tokens)
    specials = [("<|endoftext|>", CONTROL), ("<|im_start|>", CONTROL), ("<|im_end|>", CONTROL),
                ("<tool>", USER_DEFINED)]
    for text, kind in specials:
        tokens.append(text)
        types.append(kind)
    end = tokens.index("<|endoftext|>")
    return {"model": "gpt2", "pre": pre, "tokens": tokens, "types": types,
            "merges": [f"{a} {b}" for a, b in learned], "bos": end, "eos": end}


def write_model(path, vocabulary: dict, seed: int = 0, dim: int = 32, layers: int = 1,
                heads: int = 2, ff: int = 64, context: int = 256, metadata=(),
                skip_keys=(), weight_type: str = "F32") -> None:
    """Writes a tiny llama model with `vocabulary`; `metadata` adds
    (key, value, GGUFValueType) entries, `skip_keys` leaves tokenizer keys out,
    `weight_type` (a ggml type name such as "Q8_0") is the type of the
    layers' matrices (the embedding, output and norms stay F32)."""
    import gguf
    from gguf.quants import quantize
    writer = gguf.GGUFWriter(str(path), "llama")
    writer.add_context_length(context)
    writer.add_embedding_length(dim)
    writer.add_block_count(layers)
    writer.add_feed_forward_length(ff)
    writer.add_head_count(heads)
    writer.add_head_count_kv(heads)
    writer.add_layer_norm_rms_eps(1e-5)
    writer.add_rope_dimension_count(dim // heads)
    v = vocabulary
    if "model" not in skip_keys:
        writer.add_tokenizer_model(v["model"])
    if "pre" in v and "pre" not in skip_keys:
        writer.add_tokenizer_pre(v["pre"])
    if "tokens" not in skip_keys:
        writer.add_token_list(v["tokens"])
    if "scores" in v and "scores" not in skip_keys:
        writer.add_token_scores(v["scores"])
    if "types" not in skip_keys:
        writer.add_token_types(v["types"])
    if "merges" in v and "merges" not in skip_keys:
        writer.add_token_merges(v["merges"])
    writer.add_bos_token_id(v["bos"])
    writer.add_eos_token_id(v["eos"])
    if "unk" in v:
        writer.add_unk_token_id(v["unk"])
    for key, value, value_type in metadata:
        writer.add_key_value(key, value, value_type)
    rng = np.random.default_rng(seed)
    n_vocab = len(v["tokens"])

    def matrix(rows, cols):
        return (rng.standard_normal((rows, cols)) / np.sqrt(cols)).astype(np.float32)

    def add_weight(name, values):
        if weight_type == "F32":
            writer.add_tensor(name, values)
        else:
            qtype = gguf.GGMLQuantizationType[weight_type]
            blocks = quantize(values, qtype)
            writer.add_tensor(name, blocks, raw_shape=blocks.shape, raw_dtype=qtype)

    writer.add_tensor("token_embd.weight", matrix(n_vocab, dim))
    for i in range(layers):
        writer.add_tensor(f"blk.{i}.attn_norm.weight", np.ones(dim, np.float32))
        for name in ("attn_q", "attn_k", "attn_v", "attn_output"):
            add_weight(f"blk.{i}.{name}.weight", matrix(dim, dim))
        writer.add_tensor(f"blk.{i}.ffn_norm.weight", np.ones(dim, np.float32))
        add_weight(f"blk.{i}.ffn_gate.weight", matrix(ff, dim))
        add_weight(f"blk.{i}.ffn_up.weight", matrix(ff, dim))
        add_weight(f"blk.{i}.ffn_down.weight", matrix(dim, ff))
    writer.add_tensor("output_norm.weight", np.ones(dim, np.float32))
    writer.add_tensor("output.weight", matrix(n_vocab, dim) * 4)
    writer.write_header_to_file()
    writer.write_kv_data_to_file()
    writer.write_tensors_to_file()
    writer.close()

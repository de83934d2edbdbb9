"""trueno.llm's GGUF tokenizers against llama.cpp, and the command line.

The vocabularies (tests/llm_files.py) are learned from a small corpus: one
SentencePiece-style ``llama`` vocabulary with byte fallback and byte-level BPE
``gpt2`` vocabularies, one per supported pre-tokenizer. Where
llama-cpp-python is installed, token ids and token pieces are compared with
llama.cpp's; the rest (hand-checked tokenizations, round trips, errors, the
CLI) runs everywhere.
"""
from __future__ import annotations

import ctypes
import os
import subprocess
import sys

import pytest

import trueno
import trueno.llm
from trueno.llm import StreamDecoder, Tokenizer
from trueno.llm.tokenizer import SUPPORTED_PRE_TOKENIZERS

gguf = pytest.importorskip("gguf")
pytest.importorskip("regex")
import llm_files  # noqa: E402

# every name trueno.llm accepts (the aliases of one regex set have their own
# BOS / clean-up settings in llama.cpp)
PRE_TOKENIZERS = list(SUPPORTED_PRE_TOKENIZERS)
assert {"default", "gpt-2", "llama-bpe", "qwen2", "starcoder"} <= set(PRE_TOKENIZERS)
VOCABULARIES = ["spm"] + PRE_TOKENIZERS

STRINGS = [
    "", " ", "  ", "\n", "\n\n\n", "\t", "\r\n", "Hello world", " Hello world", "Hello  world",
    "   three leading spaces", "trailing spaces   ", "hello\nworld", "a  \n  b", "a\n\nb\n",
    "\t tab\tand  spaces   ", "The quick brown fox jumps over the lazy dog.",
    "It's we're they'll I've I'm you'd don't", "IT'S WE'RE THEY'LL", "can't won't y'all",
    "12345 apples", "1234567890123", "3.14159", "a1b22c333d4444", "1,234,567.89", "2024-11-25",
    "naïve café résumé", "e\u0301 combining acute, a\u0308\u0304 two marks", "Ångström straße",
    "日本語のテキストです。", "中文文本也可以", "한국어 텍스트", "🙂🚀", "emoji 🙂 and 🚀 rockets",
    "👨\u200d👩\u200d👧 family", "Привет мир", "مرحبا بالعالم", "שלום עולם", "x\u3000y\u00a0z\u2003w",
    "!!!???...", "“quotes” ‘single’…", "$100 + 5^2 <= 30 | ~x", "hello!!world??", "x=y+z*2",
    "Tokenization of tokenization", " unbelievable", "Hello", "HelloHello",
    "    indented code: def main(): return x + y  # comment", "tokens; tokens, ids.",
    "<|im_start|>user\nhi<|im_end|>", "<s>hello</s>", "use <tool> now", "<tool><tool>",
    "<|endoftext|>", "ab" * 20, "\u200b", "A", "龍 is not in the vocabulary",
    "\u300c\u306f\u3044\u300d\u3000\u3000\u300c\u3044\u3044\u3048\u300d", "end.\u3000\u3000\u3000Next",
    "\u00b9\u00b2\u00b3 \u00bd \u0663\u0664 \uff11\uff12\uff13", "\u2126mega \u00b5s \u212a",
]


@pytest.fixture(scope="module")
def vocab_files(tmp_path_factory):
    folder = tmp_path_factory.mktemp("vocab")
    paths = {}
    for name in VOCABULARIES:
        vocabulary = llm_files.spm_vocabulary() if name == "spm" else \
            llm_files.bpe_vocabulary(name)
        paths[name] = folder / f"{name}.gguf"
        llm_files.write_model(paths[name], vocabulary)
    return paths


def metadata(vocabulary: dict, **extra) -> dict:
    """The GGUF metadata of `vocabulary` as trueno.gguf reads it."""
    meta = {"tokenizer.ggml.model": vocabulary["model"],
            "tokenizer.ggml.tokens": vocabulary["tokens"],
            "tokenizer.ggml.token_type": vocabulary["types"],
            "tokenizer.ggml.bos_token_id": vocabulary["bos"],
            "tokenizer.ggml.eos_token_id": vocabulary["eos"]}
    if "scores" in vocabulary:
        meta["tokenizer.ggml.scores"] = vocabulary["scores"]
    if "merges" in vocabulary:
        meta["tokenizer.ggml.merges"] = vocabulary["merges"]
    if "pre" in vocabulary:
        meta["tokenizer.ggml.pre"] = vocabulary["pre"]
    meta.update(extra)
    return {k: v for k, v in meta.items() if v is not None}


# -- llama.cpp ----------------------------------------------------------------
def llama_cpp_vocab(path):
    llama_cpp = pytest.importorskip("llama_cpp")
    return llama_cpp, llama_cpp.Llama(str(path), vocab_only=True, verbose=False)


def assert_token_ids_match_llama_cpp(path):
    _, reference = llama_cpp_vocab(path)
    tokenizer = Tokenizer.from_gguf(path)
    compared, different = 0, []
    for text in STRINGS:
        for add_special in (False, True):
            for parse_special in (False, True):
                expected = reference.tokenize(text.encode(), add_bos=add_special,
                                              special=parse_special)
                got = tokenizer.encode(text, add_special, parse_special)
                compared += 1
                if got != expected:
                    different.append((text, add_special, parse_special, expected, got))
    assert compared == 4 * len(STRINGS)
    assert not different, f"{len(different)}/{compared} differ, first: {different[0]}"


@pytest.mark.parametrize("name", VOCABULARIES)
def test_token_ids_match_llama_cpp(vocab_files, name):
    assert_token_ids_match_llama_cpp(vocab_files[name])


def real_vocabularies():
    """llama.cpp's own ggml-vocab-*.gguf files (vendor/llama.cpp/models in
    llama-cpp-python's source) when TRUENO_LLAMA_VOCAB_DIR names their
    folder: real vocabularies of released models, not downloadable here."""
    folder = os.environ.get("TRUENO_LLAMA_VOCAB_DIR")
    if not folder:
        return [pytest.param(None, marks=pytest.mark.skip(
            reason="set TRUENO_LLAMA_VOCAB_DIR to llama.cpp's models/ folder"))]
    return sorted(os.path.join(folder, f) for f in os.listdir(folder)
                  if f.startswith("ggml-vocab-") and f.endswith(".gguf"))


@pytest.mark.parametrize("path", real_vocabularies(),
                         ids=lambda p: os.path.basename(p or "none")[len("ggml-vocab-"):-5])
def test_token_ids_match_llama_cpp_on_real_vocabularies(path):
    try:
        Tokenizer.from_gguf(path)
    except NotImplementedError as error:
        pytest.skip(str(error))
    assert_token_ids_match_llama_cpp(path)


@pytest.mark.parametrize("name", VOCABULARIES)
def test_token_pieces_match_llama_cpp(vocab_files, name):
    llama_cpp, reference = llama_cpp_vocab(vocab_files[name])
    tokenizer = Tokenizer.from_gguf(vocab_files[name])
    buffer = ctypes.create_string_buffer(256)
    for special in (False, True):
        for token in range(tokenizer.vocab_size):
            n = llama_cpp.llama_token_to_piece(reference._model.vocab, token, buffer, 256, 0,
                                               special)
            assert tokenizer.token_bytes(token, special) == buffer.raw[:n], (token, special)


@pytest.mark.parametrize("name", VOCABULARIES)
def test_decode_matches_llama_cpp_detokenize(vocab_files, name):
    llama_cpp, reference = llama_cpp_vocab(vocab_files[name])
    tokenizer = Tokenizer.from_gguf(vocab_files[name])
    buffer = ctypes.create_string_buffer(4096)
    for text in STRINGS:
        ids = tokenizer.encode(text, add_special=False)
        array = (llama_cpp.llama_token * max(len(ids), 1))(*ids)
        n = llama_cpp.llama_detokenize(reference._model.vocab, array, len(ids), buffer, 4096,
                                       True, False)
        # llama.cpp's gpt2 detokenizer also deletes the spaces before , . ! ?
        # (clean_up_tokenization_spaces); trueno.llm's decode keeps the text as spelled
        if tokenizer.clean_spaces and any(f" {c}" in text for c in ",.!?'"):
            continue
        assert tokenizer.decode(ids) == buffer.raw[:n].decode("utf-8", "replace"), text


# strings whose pre-tokenizer words depend on how llama.cpp runs a regex: its
# hand-written code or C++ std::regex over a rewritten text (a non-ASCII space
# as \v, so deepseek-llm's literal U+3000 in a class never matches it)
SPLIT_STRINGS = [
    "!\u3000\u3000?", "end.\u3000\u3000\u3000Next",
    "\u300c\u306f\u3044\u300d\u3000\u3000\u300c",
    "\u6587\u7ae0\u3002\u3000\u6b21\u306e\u6587", "x\x1c\x1dy \x1f z \x85 \u2003\u2003w",
    "\u03a9mega \u00b5s \u01c5 \u212a \u2126 \ufb00 \uff21\uff41",
    "\u6f22\u5b57\u9fa6\u9fff \ud55c\uae00\ud7a3\ud7ff",
    "\u00b9\u00b2\u00b3 \u00bd \u0663\u0664 \uff11\uff12\uff13 12345",
    "e\u0301\u0301 \u0301a \u0915\u094d",
    "a`b<<=>> $1,234.56!! x=y", "  \t  x  \n\n  y   ", "don't 'S 'LL \uff01\uff1f\u2018\u201f",
    "\ue000\u0378 \u200b\u200d \U00010400\U0001e900 \U0001f642",
]


@pytest.mark.parametrize("name", PRE_TOKENIZERS)
def test_pre_tokenizer_words_match_llama_cpp(tmp_path, name):
    # merges learned on each whole string make a word's tokens depend on where
    # the word starts and ends, so the token ids show the pre-tokenizer's words
    words = [[llm_files.BYTE_CHARS[b] for b in text.encode()] for text in SPLIT_STRINGS]
    merges = llm_files.train_merges(words, 2000)
    tokens = [llm_files.BYTE_CHARS[b] for b in range(256)]
    tokens += sorted({a + b for a, b in merges} - set(tokens)) + ["<|endoftext|>"]
    path = tmp_path / f"{name}.gguf"
    llm_files.write_model(path, {
        "model": "gpt2", "pre": name, "tokens": tokens, "types": [1] * len(tokens),
        "merges": [f"{a} {b}" for a, b in merges], "bos": len(tokens) - 1,
        "eos": len(tokens) - 1})
    _, reference = llama_cpp_vocab(path)
    tokenizer = Tokenizer.from_gguf(path)
    for text in SPLIT_STRINGS:
        assert tokenizer.encode(text, add_special=False) == \
            reference.tokenize(text.encode(), add_bos=False, special=False), text


# -- behaviour checked by hand ------------------------------------------------
@pytest.fixture(scope="module")
def tokenizers(vocab_files):
    return {name: Tokenizer.from_gguf(path) for name, path in vocab_files.items()}


def test_metadata_settings(tokenizers):
    spm = tokenizers["spm"]
    assert (spm.model, spm.pre, spm.bos_id, spm.eos_id, spm.unk_id) == ("llama", None, 1, 2, 0)
    assert spm.add_bos and not spm.add_eos and spm.add_space_prefix
    llama3, gpt2 = tokenizers["llama-bpe"], tokenizers["gpt-2"]
    assert (llama3.model, llama3.pre, llama3.add_bos, llama3.ignore_merges) == \
        ("gpt2", "llama-bpe", True, True)
    assert (gpt2.add_bos, gpt2.add_space_prefix, gpt2.ignore_merges) == (False, False, False)
    assert llama3.bos_id == llama3.tokens.index("<|endoftext|>")
    # llama-vocab.cpp: these keep the spaces before punctuation when detokenizing
    for name in ("qwen2", "qwen35", "deepseek-coder", "deepseek-llm", "command-r"):
        assert not tokenizers[name].clean_spaces, name
    for name in ("gpt-2", "falcon", "default", "starcoder"):
        assert tokenizers[name].clean_spaces, name
    assert not any(tokenizers[name].add_bos or tokenizers[name].ignore_merges
                   for name in ("qwen35", "falcon", "deepseek-coder", "deepseek-llm"))
    forced = Tokenizer.from_metadata(metadata(llm_files.spm_vocabulary(), **{
        "tokenizer.ggml.add_bos_token": False, "tokenizer.ggml.add_eos_token": True,
        "tokenizer.ggml.add_space_prefix": False}))
    assert forced.encode("Hello") == forced.encode("Hello", add_special=False) + [2]
    assert forced.encode("Hello", add_special=False) != spm.encode("Hello", add_special=False)


def test_spm_byte_fallback_and_space_prefix(tokenizers):
    spm = tokenizers["spm"]
    ids = spm.encode("龍", add_special=False)   # not a vocabulary piece: its UTF-8 bytes
    pieces = [spm.tokens[i] for i in ids]
    assert pieces[-3:] == ["<0xE9>", "<0xBE>", "<0x8D>"] and "".join(pieces[:-3]) == "\u2581"
    assert spm.encode("Hello world")[0] == spm.bos_id
    hello = [spm.tokens[i] for i in spm.encode("Hello", add_special=False)]
    assert "".join(hello) == "\u2581Hello"
    # merging by score ends in the learned pieces, not single characters
    assert spm.encode("the quick", add_special=False) == \
        [spm.tokens.index("\u2581the"), spm.tokens.index("\u2581quick")]


def test_bpe_merges_follow_their_rank():
    def bpe(merges, **extra):
        tokens = [llm_files.BYTE_CHARS[b] for b in range(256)] + ["ab", "bc", "abc"]
        return Tokenizer.from_metadata(metadata({
            "model": "gpt2", "pre": "gpt-2", "tokens": tokens, "types": [1] * len(tokens),
            "merges": merges, "bos": 0, "eos": 0}, **extra))
    first_bc = bpe(["b c", "a b", "a bc"])
    assert [first_bc.tokens[i] for i in first_bc.encode("abc")] == ["abc"]
    first_ab = bpe(["a b", "b c"])
    assert [first_ab.tokens[i] for i in first_ab.encode("abc")] == ["ab", "c"]
    first_bc = bpe(["b c", "a b"])
    assert [first_bc.tokens[i] for i in first_bc.encode("abc")] == ["a", "bc"]


def test_pre_tokenizers_split_as_their_regexes(tokenizers):
    words = {name: tokenizers[name]._words("I'M 1234567 fine!!\n\n  ok")
             for name in PRE_TOKENIZERS}
    # \s+(?!\S) leaves the last space of a run to the word after it
    assert words["llama-bpe"] == ["I", "'M", " ", "123", "456", "7", " fine", "!!\n\n",
                                  " ", " ok"]
    assert words["qwen2"][3:10] == ["1", "2", "3", "4", "5", "6", "7"]
    assert words["gpt-2"] == ["I", "'", "M", " 1234567", " fine", "!!", "\n\n ", " ok"]
    # default: punctuation runs cut first, then GPT-2's regex, digits in threes
    assert words["default"] == ["I", "'", "M", " ", "123", "456", "7", " fine", "!!",
                                "\n\n ", " ok"]
    assert words["starcoder"][3:11] == [" ", "1", "2", "3", "4", "5", "6", "7"]
    assert words["falcon"] == words["default"]
    assert words["deepseek-llm"][3:5] == [" ", "1234567"]
    assert words["deepseek-coder"][12:15] == ["!!", "\n", "\n"]
    cjk = {name: tokenizers[name]._words("!\u3000\u3000? e\u0301x \u4e00\u4e8c\u3042")
           for name in ("qwen35", "deepseek-llm")}
    # qwen35 keeps combining marks with their letters
    assert cjk["qwen35"][3:] == ["?", " e\u0301x", " \u4e00\u4e8c\u3042"]
    # deepseek-llm's class of punctuation lists U+3000, which llama.cpp's
    # std::wregex sees as \v: only \s? takes it; CJK runs are cut from spaces
    assert cjk["deepseek-llm"] == ["!", "\u3000", "\u3000?", " e", "\u0301", "x", " ",
                                   "\u4e00\u4e8c\u3042"]


def test_special_tokens(tokenizers):
    for name in ("spm", "qwen2"):
        tok = tokenizers[name]
        start, end = tok.tokens.index("<|im_start|>"), tok.tokens.index("<|im_end|>")
        parsed = tok.encode("<|im_start|>user<|im_end|>", add_special=False, parse_special=True)
        assert parsed[0] == start and parsed[-1] == end
        spelled = tok.encode("<|im_start|>user<|im_end|>", add_special=False)
        assert start not in spelled and end not in spelled
        # user-defined tokens are matched whether or not special tokens are parsed
        assert tok.tokens.index("<tool>") in tok.encode("a <tool> b", add_special=False)
        assert tok.decode(parsed) == "user"
        assert tok.decode(parsed, special=True).replace(" ", "") == "<|im_start|>user<|im_end|>"


def test_end_of_turn_tokens_are_control_tokens(tmp_path):
    # llama.cpp turns <|im_end|>, <|endoftext|>, ... into control tokens whatever
    # the file says; <|im_start|> stays the normal token the file makes it
    vocabulary = llm_files.bpe_vocabulary("qwen2", merges=50)
    vocabulary["types"] = [llm_files.NORMAL] * len(vocabulary["tokens"])
    path = tmp_path / "normal_types.gguf"
    llm_files.write_model(path, vocabulary)
    tok = Tokenizer.from_gguf(path)
    end, text_end = tok.tokens.index("<|im_end|>"), tok.tokens.index("<|endoftext|>")
    assert tok.end_of_generation_ids == {end, text_end}
    text = "<|im_start|>hi<|im_end|> <|endoftext|>"
    ids = tok.encode(text, add_special=False, parse_special=True)
    assert ids[-3:] == [end, tok.encode(" ", add_special=False)[0], text_end]
    assert tok.tokens.index("<|im_start|>") not in ids
    _, reference = llama_cpp_vocab(path)
    assert reference.tokenize(text.encode(), add_bos=False, special=True) == ids


@pytest.mark.parametrize("text", ["</s>", "<|return|>", "<|end_of_text|>", "<|eot_id|>",
                                  "<\uff5cfim\u2581hole\uff5c>", "<|channel|>", "<|fim_pad|>"])
def test_user_defined_tokens_llama_cpp_makes_control(tmp_path, text):
    # a user-defined token is matched in any text, unless llama.cpp knows it as
    # an end-of-turn / fill-in-the-middle marker: then only with parse_special
    vocabulary = llm_files.bpe_vocabulary("qwen2", merges=30)
    vocabulary["tokens"].append(text)
    vocabulary["types"].append(llm_files.USER_DEFINED)
    path = tmp_path / "user_defined.gguf"
    llm_files.write_model(path, vocabulary)
    tok = Tokenizer.from_gguf(path)
    token = len(vocabulary["tokens"]) - 1
    plain = tok.encode(f"a{text}", add_special=False)
    assert (token in plain) == (tok.token_types[token] == llm_files.USER_DEFINED)
    assert tok.encode(f"a{text}", add_special=False, parse_special=True)[-1] == token
    _, reference = llama_cpp_vocab(path)
    assert reference.tokenize(f"a{text}".encode(), add_bos=False, special=False) == plain


@pytest.mark.parametrize("name", VOCABULARIES)
def test_decode_inverts_encode(tokenizers, name):
    tok = tokenizers[name]
    for text in STRINGS:
        # SPM puts a space after special tokens: no round trip there
        if name == "spm" and "<tool>" in text:
            continue
        for add_special in (False, True):
            assert tok.decode(tok.encode(text, add_special)) == text


@pytest.mark.parametrize("name", ["spm", "llama-bpe"])
def test_stream_decoder_holds_back_split_characters(tokenizers, name):
    tok = tokenizers[name]
    text = "emoji 🙂 and 龍 and 中文"
    ids = tok.encode(text)
    decoder = StreamDecoder(tok)
    parts = [decoder.push(t) for t in ids]
    assert "".join(parts) + decoder.flush() == text
    # each part is whole characters: some byte tokens give nothing until the last byte
    assert "\ufffd" not in "".join(parts)
    byte_level = [t for t in ids if len(tok.token_bytes(t)) and
                  not tok.token_bytes(t).decode("utf-8", "ignore")]
    assert byte_level, "the text should need tokens that are parts of a character"
    lone = StreamDecoder(tok)
    assert lone.push(byte_level[0]) == "" and lone.flush() == "\ufffd"


# -- errors ---------------------------------------------------------------------
@pytest.mark.parametrize("change,error,words", [
    ({"tokenizer.ggml.model": None}, ValueError, "tokenizer.ggml.model"),
    ({"tokenizer.ggml.model": "bert"}, NotImplementedError, "'bert'"),
    ({"tokenizer.ggml.model": 3}, ValueError, "tokenizer.ggml.model"),
    ({"tokenizer.ggml.pre": "tekken"}, NotImplementedError, "'tekken'"),
    ({"tokenizer.ggml.merges": None}, ValueError, "merges"),
    ({"tokenizer.ggml.merges": [1, 2]}, ValueError, "merges"),
    ({"tokenizer.ggml.tokens": None}, ValueError, "tokenizer.ggml.tokens"),
    ({"tokenizer.ggml.tokens": [1, 2]}, ValueError, "tokenizer.ggml.tokens"),
    ({"tokenizer.ggml.token_type": [1, 1]}, ValueError, "token_type"),
    ({"tokenizer.ggml.add_bos_token": "yes"}, ValueError, "add_bos_token"),
])
def test_bad_metadata_is_named(change, error, words):
    meta = metadata(llm_files.bpe_vocabulary("gpt-2", merges=20))
    meta.update(change)
    meta = {k: v for k, v in meta.items() if v is not None}
    with pytest.raises(error, match=words):
        Tokenizer.from_metadata(meta)


def test_missing_bos_that_is_asked_for_is_named():
    # ten tokens: llama.cpp's gpt2 default BOS id, 11, is no token either
    tokens = [chr(c) for c in range(97, 107)]
    meta = {"tokenizer.ggml.model": "gpt2", "tokenizer.ggml.tokens": tokens,
            "tokenizer.ggml.merges": ["a b"], "tokenizer.ggml.add_bos_token": True}
    with pytest.raises(ValueError, match="BOS"):
        Tokenizer.from_metadata(meta)
    meta["tokenizer.ggml.add_bos_token"] = False
    assert Tokenizer.from_metadata(meta).bos_id is None


def test_bad_scores_are_named():
    meta = metadata(llm_files.spm_vocabulary(merges=10))
    meta["tokenizer.ggml.scores"] = meta["tokenizer.ggml.scores"][:-1]
    with pytest.raises(ValueError, match="scores"):
        Tokenizer.from_metadata(meta)


def test_bad_arguments(tokenizers, tmp_path):
    tok = tokenizers["spm"]
    with pytest.raises(TypeError, match="text"):
        tok.encode(b"bytes")
    with pytest.raises(ValueError, match="UTF-8"):
        tok.encode("lone \ud800 surrogate")
    with pytest.raises(TypeError, match="add_special"):
        tok.encode("x", add_special=1)
    with pytest.raises(IndexError, match=r"ids\[1\]"):
        tok.decode([5, tok.vocab_size])
    with pytest.raises(TypeError, match="ids"):
        tok.decode("abc")
    with pytest.raises(TypeError, match=r"ids\[0\]"):
        tok.decode([1.5])
    with pytest.raises(TypeError, match="ids"):
        tok.decode(7)
    with pytest.raises(TypeError, match="metadata"):
        Tokenizer.from_metadata([("tokenizer.ggml.model", "llama")])
    with pytest.raises(TypeError, match="path"):
        Tokenizer.from_gguf(5)
    with pytest.raises(TypeError, match="tokenizer"):
        StreamDecoder("not a tokenizer")
    not_gguf = tmp_path / "x.gguf"
    not_gguf.write_bytes(b"nope" * 10)
    with pytest.raises(ValueError, match="magic"):
        Tokenizer.from_gguf(not_gguf)


# -- the model and the command line ------------------------------------------------
def test_model_takes_text_prompts(vocab_files):
    model = trueno.llm.load(vocab_files["llama-bpe"])
    tok = model.tokenizer
    assert isinstance(tok, Tokenizer) and model.tokenizer is tok
    prompt = "Hello world<|im_end|>"
    ids = tok.encode(prompt, parse_special=True)
    assert ids[0] == tok.bos_id and ids[-1] == tok.tokens.index("<|im_end|>")
    assert list(model.generate(prompt, 5, stop=None)) == list(model.generate(ids, 5, stop=None))
    import numpy as np
    np.testing.assert_array_equal(np.asarray(model.logits(prompt)), np.asarray(model.logits(ids)))


def test_generate_stops_at_end_of_turn_tokens_by_default(vocab_files):
    model = trueno.llm.load(vocab_files["qwen2"])
    tokenizer = model.tokenizer
    assert tokenizer.tokens.index("<|im_end|>") in tokenizer.end_of_generation_ids
    free = list(model.generate("Hello world", 12, stop=None))
    # random weights rarely emit an end-of-turn token: make the 4th token one
    ends = tokenizer.end_of_generation_ids | {free[3]}
    model.__dict__["tokenizer"] = type("EndsAt", (), {"end_of_generation_ids": ends,
                                                      "encode": tokenizer.encode})()
    assert list(model.generate("Hello world", 12)) == free[:free.index(free[3])]


def run_cli(*arguments):
    env = dict(os.environ)
    return subprocess.run([sys.executable, "-m", "trueno.llm", *map(str, arguments)],
                          capture_output=True, text=True, env=env, timeout=300)


@pytest.mark.parametrize("name", ["spm", "qwen2"])
def test_cli_streams_the_generation_and_reports_speed(vocab_files, name):
    path = vocab_files[name]
    result = run_cli(path, "-p", "Hello world", "-n", 12, "--temperature", 0, "--threads", 1)
    assert result.returncode == 0, result.stderr
    model = trueno.llm.load(path)
    expected = model.tokenizer.decode(
        model.generate("Hello world", 12, stop=model.tokenizer.end_of_generation_ids))
    assert result.stdout == expected + "\n"
    assert "prompt: " in result.stderr and "decode: " in result.stderr
    assert "tokens/s" in result.stderr
    sampled = run_cli(path, "-p", "Hi", "-n", 8, "--seed", 3, "--top-k", 5, "--top-p", 0.9,
                      "--xp", "numpy", "--ignore-eos")
    assert sampled.returncode == 0, sampled.stderr
    again = run_cli(path, "-p", "Hi", "-n", 8, "--seed", 3, "--top-k", 5, "--top-p", 0.9,
                    "--ignore-eos", "--isa", trueno.get_isa())
    assert again.stdout == sampled.stdout   # same seed: the same draws on either namespace
    assert "decode: 7 tokens" in again.stderr


@pytest.mark.parametrize("arguments,words", [
    (["-n", "-1"], "n-predict"),
    (["-n", "x"], "n-predict"),
    (["--temperature", "-0.5"], "temperature"),
    (["--top-p", "1.5"], "top-p"),
    (["--threads", "0"], "threads"),
    (["--xp", "torch"], "xp"),
    (["--isa", "not-an-isa"], "isa"),
])
def test_cli_rejects_bad_arguments(vocab_files, arguments, words):
    result = run_cli(vocab_files["spm"], "-p", "x", *arguments)
    assert result.returncode == 2 and words in result.stderr


def test_cli_reports_bad_files(tmp_path):
    missing = run_cli(tmp_path / "missing.gguf", "-p", "x")
    assert missing.returncode == 2 and "does not exist" in missing.stderr
    broken = tmp_path / "broken.gguf"
    broken.write_bytes(b"GGUF" + b"\xff" * 20)
    result = run_cli(broken, "-p", "x")
    assert result.returncode == 1 and result.stderr.startswith("error: GGUF")

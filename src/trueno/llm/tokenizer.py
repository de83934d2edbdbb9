"""Tokenizers read from GGUF metadata, token for token as llama.cpp does.

Two vocabulary kinds (``tokenizer.ggml.model``):

* ``llama``: SentencePiece-style. Spaces become ``▁`` (with one prepended when
  ``add_space_prefix``), the text starts as single characters and the pair
  whose concatenation is the vocabulary piece of highest score is merged
  until none is left; characters no piece covers become ``<0xNN>`` byte tokens.
* ``gpt2``: byte-level BPE. A pre-tokenizer regex (``tokenizer.ggml.pre``)
  cuts the text into words, each word's UTF-8 bytes are spelled with GPT-2's
  printable byte alphabet and merged by the rank of ``tokenizer.ggml.merges``.

Control, unknown and user-defined tokens (``tokenizer.ggml.token_type``) are
matched in the text before either of these runs: user-defined ones always,
control ones when `parse_special` is true.
"""
from __future__ import annotations

import codecs
import heapq
import os
from typing import Any, Iterable, Mapping

__all__ = ["Tokenizer", "StreamDecoder", "SUPPORTED_PRE_TOKENIZERS"]

# tokenizer.ggml.token_type values (llama.cpp's llama_token_type)
NORMAL, UNKNOWN, CONTROL, USER_DEFINED, UNUSED, BYTE = 1, 2, 3, 4, 5, 6
_TOKEN_TYPES = frozenset({0, NORMAL, UNKNOWN, CONTROL, USER_DEFINED, UNUSED, BYTE})

# llama.cpp's whitespace set; Python's \s would add U+001C..U+001F, which
# llama.cpp (C++ std::regex underneath) does not treat as spaces.
_WS = r"\t\n\x0b\x0c\r \x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000"
_SPACES = frozenset("\t\n\x0b\x0c\r \x85\xa0\u1680\u2028\u2029\u202f\u205f\u3000"
                    + "".join(map(chr, range(0x2000, 0x200B))))
_WIDE_VIEW = {ord(c): 0x0B for c in _SPACES if ord(c) >= 0x80}


def _pattern(text: str) -> str:
    """Spells \\s / \\S of a pre-tokenizer regex with llama.cpp's whitespace set."""
    out, inside, i = [], False, 0
    while i < len(text):
        pair = text[i:i + 2]
        if pair in ("\\s", "\\S"):
            if inside:   # only [^\s...] occurs in these patterns
                if pair == "\\S":
                    raise AssertionError("\\S inside a character class")
                out.append(_WS)
            else:
                out.append(f"[{_WS}]" if pair == "\\s" else f"[^{_WS}]")
            i += 2
            continue
        if text[i] == "\\":
            out.append(pair)
            i += 2
            continue
        if text[i] == "[":
            inside = True
        elif text[i] == "]":
            inside = False
        out.append(text[i])
        i += 1
    return "".join(out)


_GPT2 = r"'s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)"
_LLAMA3 = (r"(?:'[sS]|'[tT]|'[rR][eE]|'[vV][eE]|'[mM]|'[lL][lL]|'[dD])|[^\r\n\p{L}\p{N}]?\p{L}+"
           r"|\p{N}{1,3}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+")
_QWEN2 = _LLAMA3.replace(r"\p{N}{1,3}", r"\p{N}")
_QWEN35 = _QWEN2.replace(r"?\p{L}+", r"?[\p{L}\p{M}]+").replace(
    r"[^\s\p{L}\p{N}]", r"[^\s\p{L}\p{M}\p{N}]")
# the regexes llama.cpp (unicode.cpp) runs by hand-written code that acts as
# the regex does over llama.cpp's own Unicode categories; it hands every other
# one to C++ std::regex, whose view of the text _std_regex_pattern and the
# views below reproduce
_HAND_WRITTEN = frozenset({_GPT2, _LLAMA3, _QWEN2, _QWEN35})
_DEEPSEEK_LLM_LETTERS = (
    "A-Za-z\u00b5\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u01ba\u01bc-\u01bf\u01c4-\u0293"
    "\u0295-\u02af\u0370-\u0373\u0376\u0377\u037b-\u037d\u037f\u0386\u0388-\u038a"
    "\u038c\u038e-\u03a1\u03a3-\u03f5\u03f7-\u0481\u048a-\u052f\u0531-\u0556"
    "\u10a0-\u10c5\u13a0-\u13f5\u13f8-\u13fd\u1c90-\u1cba\u1cbd-\u1cbf\u1d00-\u1d2b"
    "\u1d6b-\u1d77\u1d79-\u1d9a\u1e00-\u1f15\u1f18-\u1f1d\u1f20-\u1f45\u1f48-\u1f4d"
    "\u1f50-\u1f57\u1f59\u1f5b\u1f5d\u1f5f-\u1f7d\u1f80-\u1fb4\u1fb6-\u1fbc\u1fbe"
    "\u1fc2-\u1fc4\u1fc6-\u1fcc\u1fd0-\u1fd3\u1fd6-\u1fdb\u1fe0-\u1fec\u1ff2-\u1ff4"
    "\u1ff6-\u1ffc\u2102\u2107\u210a-\u2113\u2115\u2119-\u211d\u2124\u2126\u2128"
    "\u212a-\u212d\u212f-\u2134\u2139\u213c-\u213f\u2145-\u2149\u214e\u2183\u2184"
    "\u2c00-\u2c7b\u2c7e-\u2ce4\u2ceb-\u2cee\u2cf2\u2cf3\ua640-\ua66d\ua680-\ua69b"
    "\ua722-\ua76f\ua771-\ua787\ua78b-\ua78e\uab70-\uabbf\ufb00-\ufb06\ufb13-\ufb17"
    "\uff21-\uff3a\uff41-\uff5a\U00010400-\U0001044f\U000104b0-\U000104d3"
    "\U000104d8-\U000104fb\U00010c80-\U00010cb2\U00010cc0-\U00010cf2\U000118a0-\U000118df"
    "\U0001e900-\U0001e943")
_CJK = "[\u4e00-\u9fa5\u0800-\u4e00\uac00-\ud7ff]+"

# How llama.cpp runs a regex it has no hand-written code for: with \p{...}
# classes, std::regex over a "collapsed" text in which every non-ASCII code
# point is one byte standing for its category (non-ASCII spaces becoming \v),
# the classes spelled with those bytes plus their ASCII members; without them,
# std::wregex over the code points, non-ASCII spaces again becoming \v. So a
# literal non-ASCII space in a class never matches, and \s is ASCII's.
_STD_SPACE = "\t\n\x0b\x0c\r "
_COLLAPSED_CLASSES = {   # llama.cpp's category byte, then the ASCII members
    "N": "\\xd10-9", "L": "\\xd2A-Za-z",
    "P": "\\xd3!-#%-*,-/:-;?-@\\[-\\]_\\{\\}", "M": "\\xd4",
    "S": "\\xd5\\$\\+<-\\>\\^`\\|~"}
_CATEGORY_BYTES = {"N": 0xD1, "L": 0xD2, "P": 0xD3, "M": 0xD4, "S": 0xD5}


def _std_regex_pattern(text: str, collapsed: bool) -> str:
    """`text`, a std::regex (ECMAScript) as llama.cpp runs it, spelled for
    Python's regex over the collapsed or wide view of the text."""
    out, inside, i = [], False, 0
    while i < len(text):
        pair = text[i:i + 2]
        if pair in ("\\s", "\\S"):
            if inside and pair == "\\S":
                raise AssertionError("\\S inside a character class")
            out.append(_STD_SPACE if inside else
                       f"[{_STD_SPACE}]" if pair == "\\s" else f"[^{_STD_SPACE}]")
            i += 2
            continue
        if collapsed and pair == "\\p":
            name = text[i + 3:text.index("}", i)]
            members = _COLLAPSED_CLASSES[name]
            out.append(members if inside else f"[{members}]")
            i += len(name) + 4
            continue
        if text[i] == "\\":
            out.append(pair)
            i += 2
            continue
        if text[i] == "$" and not inside:
            out.append("\\Z")   # ECMAScript's $ (not multiline) is the end only
        else:
            out.append(text[i])
            inside = (inside or text[i] == "[") and text[i] != "]"
        i += 1
    return "".join(out)


def _regex_module():
    """The third-party `regex` module (Unicode property classes such as \\p{L}, which
    Python's re lacks), or an ImportError that says how to install it."""
    try:
        import regex  # type: ignore[import-untyped]
    except ModuleNotFoundError as e:
        if e.name != "regex":
            raise
        raise ModuleNotFoundError(
            "trueno.llm.Tokenizer(): byte-level BPE vocabularies (tokenizer.ggml.model 'gpt2') need the "
            "'regex' module: pip install 'trueno[llm]' (or pip install regex)", name="regex") from None
    return regex


class _CollapsedView(dict):
    """str.translate table: code point -> llama.cpp's collapsed byte."""

    def __missing__(self, code: int) -> int:
        regex = _regex_module()
        char = chr(code)
        if code < 0x80:
            byte = code
        elif char in _SPACES:
            byte = 0x0B
        else:
            byte = 0xD0   # control, format, unassigned: no class names them
            for name, category_byte in _CATEGORY_BYTES.items():
                if regex.match(f"\\p{{{name}}}", char):
                    byte = category_byte
                    break
        self[code] = byte
        return byte


_COLLAPSED = _CollapsedView()


# tokenizer.ggml.pre -> (regexes applied in turn, each splitting the pieces the
# previous left; settings that differ from the BPE defaults), after llama.cpp's
# llama-vocab.cpp
_PreTokenizer = tuple[list[str], dict[str, bool]]
_BPE_DEFAULT: _PreTokenizer = ([r"[\p{P}\$\+<=>\^~\|]+", _GPT2, r"\p{N}+", r"[0-9][0-9][0-9]"], {})
_GPT2_PRE: _PreTokenizer = ([_GPT2], {})
_LLAMA3_PRE: _PreTokenizer = ([_LLAMA3], {"ignore_merges": True, "add_bos": True})
_QWEN2_PRE: _PreTokenizer = ([_QWEN2], {"clean_spaces": False})
_LLAMA3_REGEX_PRE: _PreTokenizer = ([_LLAMA3], {})
_STARCODER_PRE: _PreTokenizer = ([r"\p{N}", _GPT2], {})
_STARCODER_KEEP_SPACES_PRE: _PreTokenizer = ([r"\p{N}", _GPT2], {"clean_spaces": False})
_QWEN35_PRE: _PreTokenizer = ([_QWEN35], {"clean_spaces": False})
_FALCON_PRE: _PreTokenizer = ([r"[\p{P}\$\+<=>\^~\|`]+", _GPT2, "[0-9][0-9][0-9]"], {})
_DEEPSEEK_CODER_PRE: _PreTokenizer = (
    ["[\r\n]", r"\s?\p{L}+", r"\s?\p{P}+", _CJK, r"\p{N}"], {"clean_spaces": False})
_DEEPSEEK_LLM_PRE: _PreTokenizer = (
    ["[\r\n]", f"\\s?[{_DEEPSEEK_LLM_LETTERS}]+",
     "\\s?[!-/:-~\uff01-\uff0f\uff1a-\uff5e\u2018-\u201f\u3000-\u3002]+", r"\s+$",
     _CJK, r"\p{N}+"], {"clean_spaces": False})
_PRE_TOKENIZERS: dict[str, _PreTokenizer] = {
    "default": _BPE_DEFAULT,
    "gpt-2": _GPT2_PRE, "phi-2": _GPT2_PRE, "roberta-bpe": _GPT2_PRE,
    "mpt": _GPT2_PRE, "olmo": _GPT2_PRE, "jais": _GPT2_PRE,
    "llama3": _LLAMA3_PRE, "llama-v3": _LLAMA3_PRE, "llama-bpe": _LLAMA3_PRE,
    "falcon3": _LLAMA3_PRE, "dbrx": _LLAMA3_REGEX_PRE, "smaug-bpe": _LLAMA3_REGEX_PRE,
    "qwen2": _QWEN2_PRE, "deepseek-r1-qwen": _QWEN2_PRE, "megrez": _QWEN2_PRE,
    "starcoder": _STARCODER_PRE, "refact": _STARCODER_PRE, "codeshell": _STARCODER_PRE,
    "exaone": _STARCODER_PRE, "minerva-7b": _STARCODER_PRE,
    "command-r": _STARCODER_KEEP_SPACES_PRE, "smollm": _STARCODER_KEEP_SPACES_PRE,
    "qwen35": _QWEN35_PRE, "falcon": _FALCON_PRE,
    "deepseek-coder": _DEEPSEEK_CODER_PRE, "deepseek-llm": _DEEPSEEK_LLM_PRE,
}
SUPPORTED_PRE_TOKENIZERS = tuple(sorted(_PRE_TOKENIZERS))


# token texts llama.cpp recognises as end of generation / fill-in-the-middle markers
_END_OF_GENERATION = ("<|eot_id|>", "<|im_end|>", "<|end|>", "<end_of_turn>", "<|endoftext|>",
                      "<|eom_id|>", "<EOT>", "</s>", "<eos>", "<|end_of_text|>",
                      "<end_of_utterance>", "<|return|>", "<|call|>",
                      "<\uff5cend\u2581of\u2581sentence\uff5c>")
_FILL_IN_THE_MIDDLE = ("<|fim_prefix|>", "<fim-prefix>", "<PRE>", "<|fim_suffix|>",
                       "<fim-suffix>", "<SUF>", "<|fim_middle|>", "<fim-middle>", "<MID>",
                       "<\uff5cfim\u2581begin\uff5c>", "<\uff5cfim\u2581hole\uff5c>",
                       "<\uff5cfim\u2581end\uff5c>",
                       "<|fim_pad|>", "<fim-pad>", "<PAD>", "<|fim_repo|>", "<|repo_name|>",
                       "<fim-repo>", "<REPO>", "<|file_sep|>")


def _byte_alphabet() -> dict[int, str]:
    """GPT-2's byte -> printable character map: printable Latin-1 bytes stand
    for themselves, the others take the characters from U+0100 on."""
    printable = [*range(0x21, 0x7F), *range(0xA1, 0xAD), *range(0xAE, 0x100)]
    table, extra = {}, 0
    for byte in range(256):
        if byte in printable:
            table[byte] = chr(byte)
        else:
            table[byte] = chr(0x100 + extra)
            extra += 1
    return table


_BYTE_TO_CHAR = _byte_alphabet()
_CHAR_TO_BYTE = {char: byte for byte, char in _BYTE_TO_CHAR.items()}


def _metadata_value(metadata: Mapping[str, Any], key: str, kinds: tuple[type, ...],
                    default: Any = None) -> Any:
    value = metadata.get(key, default)
    if value is default:
        return value
    if not isinstance(value, kinds) or (bool not in kinds and isinstance(value, bool)):
        raise ValueError(f"GGUF metadata {key!r} must be "
                         f"{' or '.join(k.__name__ for k in kinds)}, got {value!r}")
    return value


def _merge_adjacent(symbols: list[str], priority) -> list[str]:
    """Merges neighbouring symbols, the pair with the smallest
    ``priority((left, right))`` first (None: that pair never merges) and the
    leftmost among equals, until no pair can merge; returns the symbols left,
    in order. SentencePiece's and BPE's merge loop, with the pairs in a heap
    and the symbols in a linked list."""
    following = list(range(1, len(symbols))) + [-1]
    preceding = list(range(-1, len(symbols) - 1))
    queue: list = []

    def add_pair(left: int, right: int) -> None:
        if left < 0 or right < 0:
            return
        key = priority((symbols[left], symbols[right]))
        if key is not None:
            heapq.heappush(queue, (key, left, right, symbols[left] + symbols[right]))

    for i in range(1, len(symbols)):
        add_pair(i - 1, i)
    while queue:
        _, left, right, merged = heapq.heappop(queue)
        if not symbols[left] or not symbols[right] or symbols[left] + symbols[right] != merged:
            continue   # one side has changed since this pair was queued
        symbols[left] = merged   # absorbed symbols become ""
        symbols[right] = ""
        following[left] = following[right]
        if following[right] >= 0:
            preceding[following[right]] = left
        add_pair(preceding[left], left)
        add_pair(left, following[left])
    return [symbol for symbol in symbols if symbol]


class Tokenizer:
    """Text <-> token ids for one GGUF vocabulary; :meth:`from_gguf` or
    :meth:`from_metadata` make one, ``trueno.llm.load(...).tokenizer`` too.

    Attributes: ``model`` ("llama" or "gpt2"), ``pre`` (the BPE
    pre-tokenizer, None for SPM), ``tokens``, ``token_types``, ``bos_id``,
    ``eos_id``, ``unk_id`` (None where the vocabulary has none),
    ``add_bos`` / ``add_eos`` (what :meth:`encode` adds with `add_special`),
    ``add_space_prefix``, and for gpt2 ``ignore_merges`` (a word that is a
    token is not merged: Llama 3) and ``clean_spaces`` (llama.cpp's
    detokenizer setting, reported only).

    Vocabularies: SentencePiece-style ``llama`` (scores, byte fallback) and
    byte-level BPE ``gpt2`` with the pre-tokenizers of
    ``trueno.llm.tokenizer.SUPPORTED_PRE_TOKENIZERS`` (default, gpt-2,
    llama-bpe (Llama 3), qwen2, starcoder, ... and their aliases), token for
    token as llama.cpp.

    Parameters
    ----------
    metadata : Mapping of str to object
        A GGUF file's metadata with its ``tokenizer.ggml.*`` keys (see
        :meth:`from_metadata`, which checks that it is a mapping).

    Raises
    ------
    ValueError, NotImplementedError, ModuleNotFoundError
        As :meth:`from_metadata`.

    Examples
    --------
    >>> import trueno.llm
    >>> tokenizer = trueno.llm.Tokenizer.from_gguf(path)
    >>> tokenizer.model, tokenizer.bos_id, tokenizer.eos_id, tokenizer.add_bos
    ('llama', 1, 2, True)
    >>> ids = tokenizer.encode("Hello world")
    >>> ids, tokenizer.decode(ids)
    ([1, 342, 281, 289, 420, 455], 'Hello world')
    """

    def __init__(self, metadata: Mapping[str, Any]):
        model = _metadata_value(metadata, "tokenizer.ggml.model", (str,))
        if model is None:
            raise ValueError("GGUF metadata has no 'tokenizer.ggml.model' key (no vocabulary)")
        if model not in ("llama", "gpt2"):
            raise NotImplementedError(f"tokenizer model {model!r} is not supported by "
                                      "trueno.llm (supported: 'llama', 'gpt2')")
        self.model = model
        tokens = _metadata_value(metadata, "tokenizer.ggml.tokens", (list,))
        if tokens is None:
            raise ValueError("GGUF metadata has no 'tokenizer.ggml.tokens' key")
        if not tokens or not all(isinstance(t, str) for t in tokens):
            raise ValueError("GGUF metadata 'tokenizer.ggml.tokens' must be a non-empty "
                             "array of strings")
        n = len(tokens)
        # as llama.cpp: an empty token gets a placeholder text, a repeated one
        # is found under its last id
        self.tokens = [t if t else f"[EMPTY_{i}]" for i, t in enumerate(tokens)]
        self._ids = {text: i for i, text in enumerate(self.tokens)}

        def per_token(key: str, kind: type, default):
            values = _metadata_value(metadata, key, (list,))
            if values is None:
                return [default] * n
            if len(values) != n or not all(isinstance(v, kind) and not isinstance(v, bool)
                                           for v in values):
                raise ValueError(f"GGUF metadata {key!r} must hold {n} {kind.__name__} values "
                                 f"(one per token), got {len(values)}")
            return values

        self.scores = self._scores(metadata, n)
        types = per_token("tokenizer.ggml.token_type", int, NORMAL)
        # llama.cpp reads an unknown type as "undefined": never emitted as text
        self.token_types = [t if t in _TOKEN_TYPES else 0 for t in types]
        # llama.cpp makes these control tokens whatever the file says (and ends
        # generation at the end-of-turn ones)
        for text in (*_END_OF_GENERATION, *_FILL_IN_THE_MIDDLE):
            if text in self._ids:
                self.token_types[self._ids[text]] = CONTROL

        defaults = {"add_bos": True, "add_eos": False, "add_space_prefix": True,
                    "clean_spaces": False, "ignore_merges": False}
        self.pre: str | None = None
        self._splitters: list = []
        if model == "gpt2":
            self.pre = _metadata_value(metadata, "tokenizer.ggml.pre", (str,), "default") or "default"
            if self.pre not in _PRE_TOKENIZERS:
                raise NotImplementedError(
                    f"BPE pre-tokenizer {self.pre!r} is not supported by trueno.llm "
                    f"(supported: {', '.join(SUPPORTED_PRE_TOKENIZERS)})")
            regexes, settings = _PRE_TOKENIZERS[self.pre]
            defaults.update(add_bos=False, add_space_prefix=False, clean_spaces=True)
            defaults.update(settings)
            regex = _regex_module()
            # (compiled regex, the view of the text it runs over: None for the text)
            self._splitters = []
            for expr in regexes:
                if expr in _HAND_WRITTEN:
                    self._splitters.append((regex.compile(_pattern(expr)), None))
                else:
                    collapsed = "\\p{" in expr
                    self._splitters.append((
                        regex.compile(_std_regex_pattern(expr, collapsed)),
                        _COLLAPSED if collapsed else _WIDE_VIEW))
            self._ranks = self._merge_ranks(metadata)
        self.ignore_merges = defaults["ignore_merges"]
        self.clean_spaces = defaults["clean_spaces"]
        self.add_space_prefix = bool(_metadata_value(
            metadata, "tokenizer.ggml.add_space_prefix", (bool,), defaults["add_space_prefix"]))
        self.add_bos = bool(_metadata_value(metadata, "tokenizer.ggml.add_bos_token", (bool,),
                                            defaults["add_bos"]))
        self.add_eos = bool(_metadata_value(metadata, "tokenizer.ggml.add_eos_token", (bool,),
                                            defaults["add_eos"]))

        def special(name: str, default: int | None) -> int | None:
            key = f"tokenizer.ggml.{name}_token_id"
            value = _metadata_value(metadata, key, (int,))
            if value is None or not 0 <= value < n:
                # llama.cpp warns about an id past the vocabulary and keeps its default
                return default if default is not None and 0 <= default < n else None
            return value

        if model == "llama":
            self.bos_id, self.eos_id, self.unk_id = special("bos", 1), special("eos", 2), \
                special("unknown", 0)
        else:
            self.bos_id, self.eos_id, self.unk_id = special("bos", 11), special("eos", 11), \
                special("unknown", None)
        if self.add_bos and self.bos_id is None:
            raise ValueError("GGUF metadata asks for a BOS token but names none "
                             "('tokenizer.ggml.bos_token_id')")
        if self.add_eos and self.eos_id is None:
            raise ValueError("GGUF metadata asks for an EOS token but names none "
                             "('tokenizer.ggml.eos_token_id')")
        # longest first, so that a special token containing another wins
        self._special = sorted(
            (i for i, t in enumerate(self.token_types) if t in (CONTROL, USER_DEFINED, UNKNOWN)),
            key=lambda i: -len(self.tokens[i].encode("utf-8")))
        self._pieces = [self._piece(i) for i in range(n)]

    @staticmethod
    def _scores(metadata: Mapping[str, Any], n: int) -> list[float]:
        values = _metadata_value(metadata, "tokenizer.ggml.scores", (list,))
        if values is None:
            return [0.0] * n
        if len(values) != n or not all(isinstance(v, (int, float)) and not isinstance(v, bool)
                                       for v in values):
            raise ValueError(f"GGUF metadata 'tokenizer.ggml.scores' must hold {n} numbers "
                             f"(one per token), got {len(values)}")
        return [float(v) for v in values]

    @staticmethod
    def _merge_ranks(metadata: Mapping[str, Any]) -> dict[tuple[str, str], int]:
        merges = _metadata_value(metadata, "tokenizer.ggml.merges", (list,))
        if merges is None:
            raise ValueError("GGUF metadata has no 'tokenizer.ggml.merges' key (a gpt2 "
                             "vocabulary needs its BPE merges)")
        ranks: dict[tuple[str, str], int] = {}
        for rank, merge in enumerate(merges):
            if not isinstance(merge, str):
                raise ValueError(f"GGUF metadata 'tokenizer.ggml.merges'[{rank}] must be a "
                                 f"string, got {merge!r}")
            # the first space after the first character separates the halves
            cut = merge.find(" ", 1)
            pair = (merge[:cut], merge[cut + 1:]) if cut >= 0 else ("", "")
            ranks.setdefault(pair, rank)   # a repeated merge keeps its first rank, as in llama.cpp
        return ranks

    # -- construction ----------------------------------------------------
    @classmethod
    def from_metadata(cls, metadata: Mapping[str, Any]) -> "Tokenizer":
        """The tokenizer a GGUF file's metadata (key -> value) describes.

        Parameters
        ----------
        metadata : Mapping of str to object
            Such as :attr:`trueno.gguf.GGUFFile.metadata` (read with its
            arrays: the vocabulary is one).

        Returns
        -------
        Tokenizer

        Raises
        ------
        TypeError
            If metadata is not a mapping.
        ValueError
            Naming a missing or malformed ``tokenizer.ggml.*`` key.
        NotImplementedError
            Naming an unsupported tokenizer model (not ``llama`` or ``gpt2``)
            or BPE pre-tokenizer.
        ModuleNotFoundError
            For a ``gpt2`` vocabulary, if the ``regex`` module is not
            installed (``pip install 'trueno[llm]'``).

        Examples
        --------
        >>> import trueno.gguf
        >>> import trueno.llm
        >>> with trueno.gguf.load(path) as f:
        ...     tokenizer = trueno.llm.Tokenizer.from_metadata(f.metadata)
        >>> tokenizer.vocab_size
        655
        >>> trueno.llm.Tokenizer.from_metadata({"tokenizer.ggml.model": "bert"})
        Traceback (most recent call last):
        ...
        NotImplementedError: tokenizer model 'bert' is not supported by trueno.llm (supported: 'llama', 'gpt2')
        """
        if not isinstance(metadata, Mapping):
            raise TypeError(f"metadata must be a mapping, got {type(metadata).__name__}")
        return cls(metadata)

    @classmethod
    def from_gguf(cls, path: str | os.PathLike) -> "Tokenizer":
        """The tokenizer of the GGUF file at `path` (its tensors are not read).

        Parameters
        ----------
        path : str or os.PathLike
            A GGUF file (a model, or a vocabulary-only file).

        Returns
        -------
        Tokenizer

        Raises
        ------
        TypeError
            If path is not a str or os.PathLike.
        OSError
            If the file cannot be opened (FileNotFoundError if it does not
            exist).
        ValueError, NotImplementedError, ModuleNotFoundError
            As :meth:`from_metadata`, for the file's metadata; ValueError
            also for a file that is not valid GGUF (see
            :func:`trueno.gguf.load`).

        Examples
        --------
        >>> import trueno.llm
        >>> trueno.llm.Tokenizer.from_gguf(path).model
        'llama'
        """
        if not isinstance(path, (str, os.PathLike)):
            raise TypeError(f"path must be a str or os.PathLike, got {type(path).__name__}")
        from .. import gguf
        with gguf.load(path) as f:
            return cls(f.metadata)

    @property
    def vocab_size(self) -> int:
        """The number of tokens.

        Returns
        -------
        int

        Examples
        --------
        >>> import trueno.llm
        >>> trueno.llm.Tokenizer.from_gguf(path).vocab_size
        655
        """
        return len(self.tokens)

    @property
    def end_of_generation_ids(self) -> frozenset[int]:
        """EOS and the end-of-turn tokens (``<|im_end|>``, ``<|eot_id|>``, ...)
        that end a generation, as llama.cpp's list of them.

        :meth:`Model.generate` stops at them by default.

        Returns
        -------
        frozenset of int

        Examples
        --------
        >>> import trueno.llm
        >>> tokenizer = trueno.llm.Tokenizer.from_gguf(path)
        >>> [tokenizer.tokens[i] for i in sorted(tokenizer.end_of_generation_ids)]
        ['</s>', '<|im_end|>']
        """
        ids = {self._ids[t] for t in _END_OF_GENERATION if t in self._ids}
        if self.eos_id is not None:
            ids.add(self.eos_id)
        return frozenset(ids)

    # -- encoding --------------------------------------------------------
    def encode(self, text: str, add_special: bool = True, parse_special: bool = False) -> list[int]:
        """Token ids of `text`.

        `add_special` adds the BOS / EOS tokens the vocabulary asks for
        (``add_bos`` / ``add_eos``); `parse_special` turns control-token texts
        in `text` (such as ``<|im_start|>``) into those tokens instead of
        spelling them out. User-defined tokens are always matched.

        Parameters
        ----------
        text : str
            The text to encode.
        add_special : bool, default True
            Add the BOS / EOS tokens the vocabulary asks for.
        parse_special : bool, default False
            Read control-token texts in `text` as those tokens.

        Returns
        -------
        list of int
            The token ids.

        Raises
        ------
        TypeError
            If text is not a str, or add_special or parse_special not a bool.
        ValueError
            If text holds a character UTF-8 cannot encode (a lone surrogate),
            or a byte that the vocabulary can spell neither as a token nor as
            its unknown token.

        Examples
        --------
        >>> import trueno.llm
        >>> tokenizer = trueno.llm.Tokenizer.from_gguf(path)
        >>> tokenizer.encode("Hello world")
        [1, 342, 281, 289, 420, 455]
        >>> tokenizer.encode("Hi", add_special=False)
        [342, 281, 293]
        >>> tokenizer.encode("<|im_start|>Hi", parse_special=True)
        [1, 259, 342, 281, 293]
        """
        if not isinstance(text, str):
            raise TypeError(f"text must be a str, got {type(text).__name__}")
        for name, flag in (("add_special", add_special), ("parse_special", parse_special)):
            if not isinstance(flag, bool):
                raise TypeError(f"{name} must be a bool, got {type(flag).__name__}")
        try:
            text.encode("utf-8")
        except UnicodeEncodeError as e:
            raise ValueError(f"text holds a character UTF-8 cannot encode at index "
                             f"{e.start} ({e.reason})") from None
        fragments = self._split_special(text, parse_special) if text else []
        output: list[int] = []
        # __init__ made sure that an id asked for exists
        if add_special and self.add_bos and self.bos_id is not None:
            output.append(self.bos_id)
        if self.model == "llama":
            previous_special = True   # a space goes before the first text too
            for fragment in fragments:
                if isinstance(fragment, int):
                    output.append(fragment)
                    previous_special = True
                    continue
                if self.add_space_prefix and previous_special:
                    fragment = " " + fragment
                self._encode_spm(fragment.replace(" ", "\u2581"), output)
                previous_special = False
        else:
            for fragment in fragments:
                if isinstance(fragment, int):
                    output.append(fragment)
                else:
                    self._encode_bpe(fragment, output)
        if add_special and self.add_eos and self.eos_id is not None:
            output.append(self.eos_id)
        return output

    def _split_special(self, text: str, parse_special: bool) -> list:
        """`text` cut into str fragments and the ids of the special tokens in it."""
        fragments: list = [text]
        for token_id in self._special:
            if not parse_special and self.token_types[token_id] != USER_DEFINED:
                continue
            special = self.tokens[token_id]
            cut: list = []
            for fragment in fragments:
                if isinstance(fragment, int) or special not in fragment:
                    cut.append(fragment)
                    continue
                parts = fragment.split(special)
                for i, part in enumerate(parts):
                    if i:
                        cut.append(token_id)
                    if part:
                        cut.append(part)
            fragments = cut
        return fragments

    def _byte_token(self, byte: int) -> int:
        token = self._ids.get(f"<0x{byte:02X}>")
        if token is None:
            token = self._ids.get(chr(byte)) if byte < 0x80 else None
        if token is None:
            # llama.cpp stops here (its vocabulary lookup throws); the unknown token is
            # what SentencePiece itself would emit
            if self.unk_id is None:
                raise ValueError(f"the vocabulary has no token for byte 0x{byte:02X} and no "
                                 "unknown token")
            token = self.unk_id
        return token

    def _encode_spm(self, text: str, output: list[int]) -> None:
        ids, scores = self._ids, self.scores

        def priority(pair: tuple[str, str]):
            token = ids.get(pair[0] + pair[1])
            return None if token is None else -scores[token]   # highest score first

        for symbol in _merge_adjacent(list(text), priority):
            token = ids.get(symbol)
            if token is not None:
                output.append(token)
            else:
                output.extend(self._byte_token(b) for b in symbol.encode("utf-8"))

    def _words(self, text: str) -> list[str]:
        # each regex cuts every piece the previous ones left, matches and the
        # text between them alike; pieces are (start, end) spans of `text`
        spans = [(0, len(text))]
        views: dict[int, str] = {}
        for splitter, view in self._splitters:
            if view is None:
                subject = text
            else:
                if id(view) not in views:
                    views[id(view)] = text.translate(view)
                subject = views[id(view)]
            cut = []
            for start, stop in spans:
                end = 0
                for match in splitter.finditer(subject[start:stop]):
                    if match.start() > end:
                        cut.append((start + end, start + match.start()))
                    if match.end() > match.start():
                        cut.append((start + match.start(), start + match.end()))
                    end = match.end()
                if start + end < stop:
                    cut.append((start + end, stop))
            spans = cut
        return [text[start:stop] for start, stop in spans]

    def _encode_bpe(self, text: str, output: list[int]) -> None:
        ids, rank = self._ids, self._ranks.get   # lowest rank first
        for word in self._words(text):
            spelled = "".join(_BYTE_TO_CHAR[b] for b in word.encode("utf-8"))
            if self.ignore_merges and spelled in ids:
                output.append(ids[spelled])
                continue
            for symbol in _merge_adjacent(list(spelled), rank):
                token = ids.get(symbol)
                if token is not None:
                    output.append(token)
                    continue
                # as llama.cpp: a symbol without a token falls back to the tokens of its
                # single-byte characters, where there are such tokens
                output.extend(ids[c] for c in symbol if len(c.encode("utf-8")) == 1 and c in ids)

    # -- decoding --------------------------------------------------------
    def _piece(self, token: int) -> bytes:
        text, kind = self.tokens[token], self.token_types[token]
        if kind in (CONTROL, UNKNOWN, USER_DEFINED):
            return text.encode("utf-8")
        if self.model == "llama":
            if kind == NORMAL:
                return text.replace("\u2581", " ").encode("utf-8")
            if kind == BYTE and len(text) == 6 and text.startswith("<0x") and text.endswith(">"):
                try:
                    return bytes([int(text[3:5], 16)])
                except ValueError:
                    return b""
            return b""
        if kind != NORMAL:
            return b""
        out = bytearray()
        for char in text:
            byte = _CHAR_TO_BYTE.get(char)
            if byte is None:  # not GPT-2's byte alphabet: llama.cpp writes this marker
                out += b"[UNK_BYTE_0x" + char.encode("utf-8").hex().encode() + \
                    text.encode("utf-8") + b"]"
            else:
                out.append(byte)
        return bytes(out)

    def _check_id(self, token, where: str) -> int:
        if isinstance(token, bool) or not hasattr(token, "__index__"):
            raise TypeError(f"{where} must be an int token id, got {type(token).__name__}")
        token = token.__index__()
        if not 0 <= token < len(self.tokens):
            raise IndexError(f"{where} = {token} is out of range for the vocabulary of "
                             f"{len(self.tokens)} tokens")
        return token

    def token_bytes(self, token: int, special: bool = False) -> bytes:
        """The bytes token `token` stands for (a piece of a UTF-8 character for
        byte tokens); control and unknown tokens give b"" unless `special`.

        Parameters
        ----------
        token : int
            A token id.
        special : bool, default False
            Give the text of control and unknown tokens too.

        Returns
        -------
        bytes

        Raises
        ------
        TypeError
            If token is not an int.
        IndexError
            If token is outside the vocabulary.

        Examples
        --------
        >>> import trueno.llm
        >>> tokenizer = trueno.llm.Tokenizer.from_gguf(path)
        >>> tokenizer.token_bytes(281), tokenizer.token_bytes(175)   # 'H', byte token <0xAC>
        (b'H', b'\xac')
        >>> tokenizer.token_bytes(2), tokenizer.token_bytes(2, special=True)
        (b'', b'</s>')
        """
        token = self._check_id(token, "token")
        if not special and self.token_types[token] in (CONTROL, UNKNOWN):
            return b""
        return self._pieces[token]

    def decode(self, ids: Iterable[int], special: bool = False) -> str:
        """The text of token `ids` (bytes that are not valid UTF-8 become U+FFFD).

        The space the encoder put before the text (``add_space_prefix``) is
        dropped, so ``decode(encode(s))`` is `s` wherever the vocabulary
        spells `s` without unknown tokens; control tokens (BOS, EOS, ...)
        are dropped too unless `special`. Unlike llama.cpp's detokenizer,
        a leading space after a BOS token is dropped as well and a gpt2
        vocabulary's spaces before punctuation are kept (llama.cpp's
        ``clean_spaces`` deletes them, which no encoding asked for).

        Parameters
        ----------
        ids : iterable of int
            Token ids.
        special : bool, default False
            Keep the text of control tokens.

        Returns
        -------
        str

        Raises
        ------
        TypeError
            If ids is text or not iterable, or holds something other than ints.
        IndexError
            If a token id is outside the vocabulary.

        Examples
        --------
        >>> import trueno.llm
        >>> tokenizer = trueno.llm.Tokenizer.from_gguf(path)
        >>> tokenizer.decode([1, 342, 281, 289, 420, 455, 2])
        'Hello world'
        >>> tokenizer.decode([1, 342, 281, 2], special=True)
        '<s>H</s>'
        """
        if isinstance(ids, (str, bytes)):
            raise TypeError("ids must be an iterable of int token ids, not text")
        try:
            tokens = [self._check_id(t, f"ids[{i}]") for i, t in enumerate(ids)]
        except TypeError as e:
            if "ids[" in str(e):
                raise
            raise TypeError(f"ids must be an iterable of int token ids, got "
                            f"{type(ids).__name__}") from None
        decoder = StreamDecoder(self, special=special)
        return "".join(decoder.push(t) for t in tokens) + decoder.flush()


class StreamDecoder:
    """Text of tokens as they are generated: :meth:`push` returns what one
    more token completes, holding back a UTF-8 character whose bytes are
    split across tokens until its last byte arrives.

    The command line (``python -m trueno.llm``) prints a generation with one.

    Parameters
    ----------
    tokenizer : Tokenizer
        The vocabulary of the tokens.
    special : bool, default False
        Give the text of control tokens too.

    Raises
    ------
    TypeError
        If tokenizer is not a Tokenizer.

    Examples
    --------
    "本" is three byte tokens in the test vocabulary; its text comes with the
    last:

    >>> import trueno.llm
    >>> tokenizer = trueno.llm.Tokenizer.from_gguf(path)
    >>> ids = tokenizer.encode("Hi 日本", add_special=False)
    >>> [tokenizer.tokens[i] for i in ids[-3:]]
    ['<0xE6>', '<0x9C>', '<0xAC>']
    >>> decoder = trueno.llm.StreamDecoder(tokenizer)
    >>> [decoder.push(token) for token in ids]
    ['', 'H', 'i', ' ', '日', '', '', '本']
    """

    def __init__(self, tokenizer: Tokenizer, special: bool = False):
        if not isinstance(tokenizer, Tokenizer):
            raise TypeError(f"tokenizer must be a Tokenizer, got {type(tokenizer).__name__}")
        self.tokenizer = tokenizer
        self.special = bool(special)
        self._utf8 = codecs.getincrementaldecoder("utf-8")(errors="replace")
        self._strip_space = tokenizer.add_space_prefix
        self._started = False

    def push(self, token: int) -> str:
        """The text that `token` adds.

        Parameters
        ----------
        token : int
            The next token id.

        Returns
        -------
        str
            The text completed by this token (empty while a character is
            incomplete; the leading space of the first word is dropped).

        Raises
        ------
        TypeError
            If token is not an int.
        IndexError
            If token is outside the vocabulary.

        Examples
        --------
        >>> import trueno.llm
        >>> decoder = trueno.llm.StreamDecoder(trueno.llm.Tokenizer.from_gguf(path))
        >>> decoder.push(342), decoder.push(281), decoder.push(233)   # ' ', 'H', <0xE6>
        ('', 'H', '')
        """
        piece = self.tokenizer.token_bytes(token, self.special)
        if not self._started:
            tok = self.tokenizer
            if tok.add_bos and token == tok.bos_id:
                piece = b"" if not self.special else piece
            elif piece:
                self._started = True
                if self._strip_space and piece.startswith(b" "):
                    piece = piece[1:]
        return self._utf8.decode(piece)

    def flush(self) -> str:
        """What is still held back (an incomplete character becomes U+FFFD).

        Call it after the last token.

        Returns
        -------
        str

        Examples
        --------
        >>> import trueno.llm
        >>> decoder = trueno.llm.StreamDecoder(trueno.llm.Tokenizer.from_gguf(path))
        >>> decoder.push(281), decoder.push(233)                      # 'H', <0xE6>
        ('H', '')
        >>> decoder.flush()
        '\ufffd'
        """
        return self._utf8.decode(b"", final=True)

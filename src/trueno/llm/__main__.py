"""Command line: ``python -m trueno.llm MODEL.gguf -p "prompt" -n 64``.

Streams the generated text to stdout as it is produced, then writes the
prompt and decode speeds (tokens/s) to stderr. The sampling defaults are
llama.cpp's (temperature 0.8, top-k 40, top-p 0.95); ``--temperature 0``
is greedy.
"""
from __future__ import annotations

import argparse
import os
import sys
import time
import types


def _count(text: str) -> int:
    value = int(text)
    if value < 0:
        raise argparse.ArgumentTypeError(f"must be >= 0, got {value}")
    return value


def _positive(text: str) -> int:
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be >= 1, got {value}")
    return value


def _temperature(text: str) -> float:
    value = float(text)
    if not value >= 0 or value == float("inf"):
        raise argparse.ArgumentTypeError(f"must be finite and >= 0, got {text}")
    return value


def _probability(text: str) -> float:
    value = float(text)
    if not 0 < value <= 1:
        raise argparse.ArgumentTypeError(f"must be in (0, 1], got {text}")
    return value


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m trueno.llm",
        description="Generate text with a llama / mistral / qwen2 GGUF model on trueno.")
    parser.add_argument("model", help="path of the GGUF model file")
    parser.add_argument("-p", "--prompt", required=True, help="the prompt text")
    parser.add_argument("-n", "--n-predict", type=_count, default=64, metavar="N",
                        help="most tokens to generate (default 64)")
    parser.add_argument("--temperature", "--temp", type=_temperature, default=0.8,
                        help="sampling temperature, 0 for greedy (default 0.8)")
    parser.add_argument("--top-k", type=_count, default=40,
                        help="keep the k most likely tokens, 0 for all (default 40)")
    parser.add_argument("--top-p", type=_probability, default=0.95,
                        help="keep the most likely tokens up to this mass (default 0.95)")
    parser.add_argument("--seed", type=int, default=None, help="random seed (default: random)")
    parser.add_argument("--threads", "-t", type=_positive, default=None,
                        help="trueno worker threads (default: trueno's)")
    parser.add_argument("--xp", choices=("trueno", "numpy"), default="trueno",
                        help="array namespace that runs the model (default trueno)")
    parser.add_argument("--isa", default=None,
                        help="trueno SIMD target, one of trueno.available_isas()")
    parser.add_argument("--ignore-eos", action="store_true",
                        help="do not stop at the end-of-sequence / end-of-turn tokens")
    return parser


def main(argv: list[str] | None = None) -> int:
    """The command line ``python -m trueno.llm MODEL.gguf -p PROMPT [options]``.

    Streams the generated text to stdout as it is produced, then writes the
    prompt and decode speeds (tokens/s) to stderr. The prompt is encoded
    with the vocabulary's BOS token and special-token texts parsed (as
    llama.cpp's command line); generation stops at EOS and the end-of-turn
    tokens unless ``--ignore-eos``. The options:

    =============================  ==========================================================
    ``model``                      path of the GGUF model file
    ``-p``, ``--prompt``           the prompt text (required)
    ``-n``, ``--n-predict``        most tokens to generate (default 64)
    ``--temperature``, ``--temp``  sampling temperature, 0 for greedy (default 0.8)
    ``--top-k``                    keep the k most likely tokens, 0 for all (default 40)
    ``--top-p``                    keep the most likely tokens up to this mass (default 0.95)
    ``--seed``                     random seed (default: random)
    ``-t``, ``--threads``          trueno worker threads (default: trueno's)
    ``--xp``                       ``trueno`` or ``numpy``: the namespace that runs the model
    ``--isa``                      trueno SIMD target, one of ``trueno.available_isas()``
    ``--ignore-eos``               do not stop at the end-of-sequence / end-of-turn tokens
    =============================  ==========================================================

    Parameters
    ----------
    argv : list of str or None, default None
        The arguments after the program name (None: ``sys.argv[1:]``).

    Returns
    -------
    int
        The exit status: 0, or 1 when the model cannot be loaded or the
        prompt encoded (the error is printed to stderr as ``error: ...``).

    Raises
    ------
    SystemExit
        With status 2 for a bad option or a missing model file (argparse's
        usage message on stderr); with status 0 after ``--help``.

    Examples
    --------
    The tiny test model's weights are random, and so is its text:

    >>> from trueno.llm.__main__ import main
    >>> main([path, "-p", "Hello", "-n", "2", "--temperature", "0"])
    wor;
    0
    >>> main([path, "-p", "Hello", "--top-p", "2"])
    Traceback (most recent call last):
    ...
    SystemExit: 2
    """
    parser = _parser()
    args = parser.parse_args(argv)
    if not os.path.isfile(args.model):
        parser.error(f"model file {args.model!r} does not exist")

    import trueno
    if args.isa is not None:
        available = [str(isa) for isa in trueno.available_isas()]
        args.isa = args.isa.lower()
        if args.isa not in available:
            parser.error(f"argument --isa: {args.isa!r} is not available here "
                         f"(available: {', '.join(available)})")
        trueno.set_isa(args.isa)
    if args.threads is not None:
        trueno.set_num_threads(args.threads)
    xp: types.ModuleType = trueno
    if args.xp == "numpy":
        import numpy
        xp = numpy

    from . import load
    from .tokenizer import StreamDecoder
    try:
        model = load(args.model, xp=xp)
        prompt = model.tokenizer.encode(args.prompt, add_special=True, parse_special=True)
        # as llama.cpp's CLI: end-of-turn tokens (<|im_end|>, ...) end it too
        stop = None if args.ignore_eos else model.tokenizer.end_of_generation_ids
        tokens = model.generate(prompt, args.n_predict, temperature=args.temperature,
                                top_k=args.top_k or None, top_p=args.top_p, seed=args.seed,
                                stop=stop)
    except (ValueError, NotImplementedError, OSError) as e:
        print(f"error: {e}", file=sys.stderr)
        return 1

    decoder = StreamDecoder(model.tokenizer)
    out = sys.stdout
    start = time.perf_counter()
    first = last = 0.0
    generated = 0
    for token in tokens:
        last = time.perf_counter()
        if not generated:
            first = last
        generated += 1
        out.write(decoder.push(token))
        out.flush()
    out.write(decoder.flush() + "\n")
    out.flush()

    # the first token comes out of the prompt pass; each later one is one decode step
    if not generated:
        print(f"prompt: {len(prompt)} tokens (no token generated)", file=sys.stderr)
    else:
        prompt_time = first - start
        print(f"prompt: {len(prompt)} tokens in {prompt_time:.3f} s, "
              f"{len(prompt) / prompt_time:.2f} tokens/s", file=sys.stderr)
        steps = generated - 1
        if steps:
            decode_time = last - first
            print(f"decode: {steps} tokens in {decode_time:.3f} s, "
                  f"{steps / decode_time:.2f} tokens/s", file=sys.stderr)
        else:
            print("decode: 0 tokens", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())

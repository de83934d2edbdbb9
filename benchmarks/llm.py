"""The LLM section of the benchmark: trueno.llm against llama.cpp (llama-cpp-python).

    python -m benchmarks.llm [--repeats 5] [--types Q8_0,Q4_K_M] [--prompt 128] [--decode 64]
    python -m benchmarks.llm --compare [--types F32,Q8_0,...]
    python benchmarks/run.py --llm [...]    (the same, from the suite's command)

Speed (the default): a generated ~100M-parameter llama (dim 768, 12 layers, 12 heads,
4 KV heads, ffn 2048, vocab 32000, seeded random weights) in Q8_0 (written by the `gguf`
package) and Q4_K_M (llama_model_quantize from an F32 file), cached under
$TRUENO_BENCH_CACHE (default <tmp>/trueno-llm-bench). Each engine runs in its own worker
process, single-threaded (trueno: one thread; llama.cpp: n_threads = n_threads_batch = 1),
and the two are timed alternately, repeat by repeat: prompt tokens/s (one batched pass
over a 128-token prompt) and decode tokens/s (64 greedy tokens after it: the 63 one-token
passes after the prompt's); medians are reported. llama.cpp keeps its default F16 KV
cache here, trueno a float32 one. Memory: each worker's resident set after loading the
model and decoding, less its resident set before loading (the interpreter, NumPy and the
engine's library), against the file size plus that engine's KV cache.

Compare (--compare): a tiny llama whose rows are multiples of 256 (so K-quants apply) in
every type; all-position logits of trueno and llama.cpp on the same tokens (llama.cpp with
a float32 KV cache): max and mean |delta| and argmax agreement per tensor type.

llama.cpp runs without its "extra" weight buffers (repacking, AMX): ggml's AMX int8 path,
compiled into native builds on CPUs with AMX, segfaults in quantized matrix products
(llama-cpp-python 0.3.36 here, on the tiny models and on the 100M model's prompt).
--llama-cpp-extra-buffers turns them back on for speed runs; a worker that crashes with
them is restarted without them, and the JSON says so. Without llama_cpp installed the
llama.cpp column is skipped with a notice.

Writes benchmarks/results/<timestamp>-llm.json and .md and prints the table.
"""
from __future__ import annotations

import argparse
import importlib.util
import json
import math
import os
import statistics
import subprocess
import sys
import tempfile
import time

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))

# -- models ---------------------------------------------------------------------------
BENCH_CONFIG = dict(dim=768, layers=12, heads=12, kv_heads=4, ffn=2048, vocab=32000, context=256)
# rows of 256 and 512 values: every type, K-quants included, applies to every matrix
COMPARE_CONFIG = dict(dim=256, layers=2, heads=4, kv_heads=2, ffn=512, vocab=64, context=128)
GGUF_WRITTEN_TYPES = ["F32", "F16", "BF16", "Q8_0", "Q4_0", "Q4_1", "Q5_0", "Q5_1"]
# llama.cpp's llama_ftype numbers for the files llama_model_quantize makes from an F32 file
K_QUANT_FTYPES = {"Q4_K_M": 15, "Q5_K_M": 17, "Q6_K": 18}
ALL_TYPES = GGUF_WRITTEN_TYPES + list(K_QUANT_FTYPES)
FLOAT_TYPES = ("F32", "F16", "BF16")
BOS, EOS = 1, 2
GENERATOR_VERSION = 1   # part of cached file names: bump when the generated weights change
# standard deviation x sqrt(fan-in) of each generated matrix
# (sharper attention and gates amplify llama.cpp's activation rounding: with 2.0 for
# q, k, gate and up its argmax agreement with exact arithmetic fell to ~94%)
SCALES = dict(q=1.0, k=1.0, v=1.0, o=0.5, gate=1.0, up=1.0, down=0.5, output=4.0)


def have_llama_cpp() -> bool:
    return importlib.util.find_spec("llama_cpp") is not None


def _check_config(config: dict) -> dict:
    required = ("dim", "layers", "heads", "kv_heads", "ffn", "vocab", "context")
    if not isinstance(config, dict) or set(config) != set(required):
        raise ValueError(f"config must be a dict with exactly the keys {required}")
    for key in required:
        if not isinstance(config[key], int) or isinstance(config[key], bool) or config[key] < 1:
            raise ValueError(f"config[{key!r}] must be a positive int, got {config[key]!r}")
    if config["dim"] % config["heads"] or config["heads"] % config["kv_heads"]:
        raise ValueError("config: dim must divide into heads, heads into kv_heads")
    if config["vocab"] < 8:
        raise ValueError("config['vocab'] must be at least 8 (the special tokens)")
    return config


def _tensors(config: dict, seed: int):
    """(gguf name, float32 values) of a llama with seeded random weights, [out, in]
    matrices. Scales keep activations O(1) and logits spread (std ~1-2), so argmax
    comparisons are not decided by rounding noise."""
    rng = np.random.default_rng(seed)
    dim, ffn, vocab = config["dim"], config["ffn"], config["vocab"]
    kv_dim = config["kv_heads"] * (dim // config["heads"])

    def matrix(rows, cols, scale):
        values = rng.standard_normal((rows, cols), dtype=np.float32)
        values *= np.float32(scale / math.sqrt(cols))
        return values

    def norm():
        return (1.0 + 0.1 * rng.standard_normal(dim, dtype=np.float32)).astype(np.float32)

    yield "token_embd.weight", rng.standard_normal((vocab, dim), dtype=np.float32)
    for i in range(config["layers"]):
        yield f"blk.{i}.attn_norm.weight", norm()
        yield f"blk.{i}.attn_q.weight", matrix(dim, dim, SCALES["q"])
        yield f"blk.{i}.attn_k.weight", matrix(kv_dim, dim, SCALES["k"])
        yield f"blk.{i}.attn_v.weight", matrix(kv_dim, dim, SCALES["v"])
        yield f"blk.{i}.attn_output.weight", matrix(dim, dim, SCALES["o"])
        yield f"blk.{i}.ffn_norm.weight", norm()
        yield f"blk.{i}.ffn_gate.weight", matrix(ffn, dim, SCALES["gate"])
        yield f"blk.{i}.ffn_up.weight", matrix(ffn, dim, SCALES["up"])
        yield f"blk.{i}.ffn_down.weight", matrix(dim, ffn, SCALES["down"])
    yield "output_norm.weight", norm()
    yield "output.weight", matrix(vocab, dim, SCALES["output"])


def _write_gguf(path: str, config: dict, type_name: str, seed: int) -> None:
    import gguf
    from gguf.quants import quantize

    dim, vocab = config["dim"], config["vocab"]
    writer = gguf.GGUFWriter(path, "llama")
    writer.add_context_length(config["context"])
    writer.add_embedding_length(dim)
    writer.add_block_count(config["layers"])
    writer.add_feed_forward_length(config["ffn"])
    writer.add_head_count(config["heads"])
    writer.add_head_count_kv(config["kv_heads"])
    writer.add_layer_norm_rms_eps(1e-5)
    writer.add_rope_freq_base(10000.0)
    writer.add_rope_dimension_count(dim // config["heads"])
    writer.add_file_type({"F32": 0, "F16": 1, "BF16": 32, "Q8_0": 7, "Q4_0": 2, "Q4_1": 3,
                          "Q5_0": 8, "Q5_1": 9}[type_name])
    # an SPM vocabulary llama.cpp accepts; both engines are fed token ids
    writer.add_tokenizer_model("llama")
    writer.add_token_list(["<unk>", "<s>", "</s>", "<0x0A>"] + [f"t{i}" for i in range(vocab - 4)])
    writer.add_token_scores([0.0] * vocab)
    writer.add_token_types([2, 3, 3, 6] + [1] * (vocab - 4))
    writer.add_bos_token_id(BOS)
    writer.add_eos_token_id(EOS)
    qtype = gguf.GGMLQuantizationType[type_name]
    for name, values in _tensors(config, seed):
        if values.ndim == 1 or type_name == "F32":
            writer.add_tensor(name, values)
        else:
            blocks = quantize(values, qtype)
            writer.add_tensor(name, blocks, raw_shape=blocks.shape, raw_dtype=qtype)
    writer.write_header_to_file()
    writer.write_kv_data_to_file()
    writer.write_tensors_to_file()
    writer.close()


_QUIET_LOG = None


def _silence_llama_cpp() -> None:
    """Drops llama.cpp's log lines (quantization prints one per tensor)."""
    global _QUIET_LOG
    import ctypes

    import llama_cpp

    if _QUIET_LOG is None:   # the callback must outlive the call: llama.cpp keeps it
        _QUIET_LOG = llama_cpp.llama_log_callback(lambda level, text, data: None)
    llama_cpp.llama_log_set(_QUIET_LOG, ctypes.c_void_p(0))


def _quantize_with_llama_cpp(source: str, path: str, type_name: str) -> None:
    import llama_cpp

    _silence_llama_cpp()
    params = llama_cpp.llama_model_quantize_default_params()
    params.ftype = K_QUANT_FTYPES[type_name]
    status = llama_cpp.llama_model_quantize(source.encode(), path.encode(), params)
    if status != 0 or not os.path.exists(path):
        raise RuntimeError(f"llama_model_quantize({type_name}) failed with status {status}")


def cache_dir() -> str:
    return os.environ.get("TRUENO_BENCH_CACHE") or os.path.join(tempfile.gettempdir(),
                                                                "trueno-llm-bench")


def model_file(config: dict, type_name: str, seed: int = 0, directory: str | None = None) -> str:
    """The path of a generated model in `type_name`, written on first use (atomically:
    concurrent runs never read a half-written file). K-quants need llama_cpp."""
    _check_config(config)
    if type_name not in ALL_TYPES:
        raise ValueError(f"type_name must be one of {ALL_TYPES}, got {type_name!r}")
    if not isinstance(seed, int) or isinstance(seed, bool):
        raise TypeError(f"seed must be an int, got {type(seed).__name__}")
    directory = directory or cache_dir()
    os.makedirs(directory, exist_ok=True)
    shape = "-".join(f"{config[k]}" for k in ("dim", "layers", "heads", "kv_heads", "ffn",
                                              "vocab", "context"))
    stem = os.path.join(directory, f"llama-{shape}-s{seed}-g{GENERATOR_VERSION}")
    path = f"{stem}-{type_name}.gguf"
    if os.path.exists(path):
        return path
    partial = f"{path}.{os.getpid()}.partial"
    try:
        if type_name in K_QUANT_FTYPES:
            if not have_llama_cpp():
                raise RuntimeError(f"{type_name} files are made by llama_cpp.llama_model_quantize: "
                                   "pip install llama-cpp-python")
            source = f"{stem}-F32.gguf"
            keep_source = os.path.exists(source)
            model_file(config, "F32", seed, directory)
            try:
                _quantize_with_llama_cpp(source, partial, type_name)
            finally:
                if not keep_source:   # ~500 MB for the benchmark's model
                    os.remove(source)
        else:
            _write_gguf(partial, config, type_name, seed)
        os.replace(partial, path)
    finally:
        if os.path.exists(partial):
            os.remove(partial)
    return path


# -- engines in worker processes --------------------------------------------------------
def _rss_bytes() -> dict:
    fields = {}
    with open("/proc/self/status") as f:
        for line in f:
            key, _, value = line.partition(":")
            if key in ("VmRSS", "VmHWM"):
                fields[key] = int(value.split()[0]) * 1024
    return {"rss": fields.get("VmRSS", 0), "peak_rss": fields.get("VmHWM", 0)}


class _TruenoEngine:
    @staticmethod
    def import_library():
        import trueno
        import trueno.llm

        trueno.set_num_threads(1)

    def __init__(self, path, n_ctx, f32_cache, extra_buffers):
        import trueno.llm

        self.model = trueno.llm.load(path)
        self.cache = None

    def logits(self, tokens):
        return np.asarray(self.model.logits(tokens), dtype=np.float32)

    def prompt(self, tokens):
        self.cache = self.model.new_cache()
        return np.asarray(self.model.forward(tokens, self.cache, last_only=True))[0]

    def step(self, token):
        return np.asarray(self.model.forward([token], self.cache, last_only=True))[0]

    def kv_cache_bytes(self):
        # float32 keys and values of every layer, as allocated
        cfg = self.model.config
        capacity = self.cache.capacity if self.cache is not None else 0
        return 2 * cfg.block_count * cfg.head_count_kv * capacity * cfg.head_dim * 4


class _LlamaCppEngine:
    @staticmethod
    def import_library():
        import llama_cpp  # noqa: F401

    def __init__(self, path, n_ctx, f32_cache, extra_buffers):
        import llama_cpp as lc

        self.lc = lc
        _silence_llama_cpp()
        lc.llama_backend_init()
        model_params = lc.llama_model_default_params()
        model_params.use_extra_bufts = bool(extra_buffers)
        self.model = lc.llama_model_load_from_file(path.encode(), model_params)
        if not self.model:
            raise RuntimeError(f"llama.cpp could not load {path}")
        self.n_vocab = lc.llama_vocab_n_tokens(lc.llama_model_get_vocab(self.model))
        params = lc.llama_context_default_params()
        params.n_ctx = params.n_batch = params.n_ubatch = n_ctx
        params.n_threads = params.n_threads_batch = 1
        params.flash_attn_type = lc.LLAMA_FLASH_ATTN_TYPE_DISABLED
        params.no_perf = True
        self.cache_bytes_per_value = 4 if f32_cache else 2
        if f32_cache:   # llama.cpp's default F16 cache alone moves logits by ~4e-3
            params.type_k = params.type_v = 0
        self.n_ctx = n_ctx
        self.ctx = lc.llama_init_from_model(self.model, params)
        if not self.ctx:
            raise RuntimeError("llama.cpp could not make a context")
        self.batch = lc.llama_batch_init(n_ctx, 0, 1)
        self.position = 0
        kv_dim = (lc.llama_model_n_embd(self.model) // lc.llama_model_n_head(self.model)
                  * lc.llama_model_n_head_kv(self.model))
        self._kv_bytes = (2 * lc.llama_model_n_layer(self.model) * n_ctx * kv_dim
                          * self.cache_bytes_per_value)

    def _decode(self, tokens, all_logits):
        lc, batch = self.lc, self.batch
        batch.n_tokens = len(tokens)
        for i, token in enumerate(tokens):
            batch.token[i] = token
            batch.pos[i] = self.position + i
            batch.n_seq_id[i] = 1
            batch.seq_id[i][0] = 0
            batch.logits[i] = all_logits or i == len(tokens) - 1
        status = lc.llama_decode(self.ctx, batch)
        if status != 0:
            raise RuntimeError(f"llama_decode returned {status}")
        self.position += len(tokens)
        rows = len(tokens) if all_logits else 1
        pointer = lc.llama_get_logits(self.ctx) if all_logits else \
            lc.llama_get_logits_ith(self.ctx, -1)
        return np.ctypeslib.as_array(pointer, shape=(rows, self.n_vocab)).copy()

    def _clear(self):
        self.lc.llama_memory_clear(self.lc.llama_get_memory(self.ctx), True)
        self.position = 0

    def logits(self, tokens):
        self._clear()
        return self._decode(tokens, True)

    def prompt(self, tokens):
        self._clear()
        return self._decode(tokens, False)[0]

    def step(self, token):
        return self._decode([token], False)[0]

    def kv_cache_bytes(self):
        return self._kv_bytes


ENGINES = {"trueno": _TruenoEngine, "llama.cpp": _LlamaCppEngine}


def _serve(engine_name: str) -> None:
    """A worker: JSON requests on stdin, one JSON answer a line on the real stdout (the
    engine's own prints go to stderr)."""
    answers = os.fdopen(os.dup(1), "w")
    os.dup2(2, 1)
    engine = None
    for line in sys.stdin:
        request = json.loads(line)
        op = request["op"]
        answer: dict = {}
        if op == "load":
            # the library's own code and import-time data are not the model's
            ENGINES[engine_name].import_library()
            before = _rss_bytes()
            start = time.perf_counter()
            engine = ENGINES[engine_name](request["path"], request["n_ctx"],
                                          request["f32_cache"], request["extra_buffers"])
            answer = {"load_s": time.perf_counter() - start, "rss_before_load": before["rss"]}
        elif op == "logits":
            np.save(request["out"], engine.logits(request["tokens"]))
        elif op == "prompt":
            start = time.perf_counter()
            engine.prompt(request["tokens"])
            answer = {"seconds": time.perf_counter() - start}
        elif op == "decode":
            token = int(np.argmax(engine.prompt(request["tokens"])))
            generated = [token]
            start = time.perf_counter()
            for _ in range(request["n"] - 1):
                token = int(np.argmax(engine.step(token)))
                generated.append(token)
            # n tokens cost n - 1 forward passes after the prompt's: rate per pass
            answer = {"seconds": time.perf_counter() - start, "steps": request["n"] - 1,
                      "tokens": generated}
        elif op == "memory":
            answer = {**_rss_bytes(), "kv_cache_bytes": engine.kv_cache_bytes()}
        answers.write(json.dumps(answer) + "\n")
        answers.flush()


class Worker:
    """One engine in its own process (a llama.cpp crash ends the worker, not the run)."""

    def __init__(self, engine: str, path: str, n_ctx: int, f32_cache: bool = False,
                 extra_buffers: bool = False):
        if engine not in ENGINES:
            raise ValueError(f"engine must be one of {list(ENGINES)}, got {engine!r}")
        env = dict(os.environ, OMP_NUM_THREADS="1", OPENBLAS_NUM_THREADS="1",
                   MKL_NUM_THREADS="1", TRUENO_NUM_THREADS="1")
        self.engine = engine
        self.process = subprocess.Popen(
            [sys.executable, os.path.abspath(__file__), "--serve", engine], env=env,
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
        self.load = self.ask(op="load", path=path, n_ctx=n_ctx, f32_cache=f32_cache,
                             extra_buffers=extra_buffers)

    def ask(self, **request) -> dict:
        self.process.stdin.write(json.dumps(request) + "\n")
        self.process.stdin.flush()
        line = self.process.stdout.readline()
        if not line:
            code = self.process.wait()
            raise RuntimeError(f"the {self.engine} worker died (exit status {code}) on "
                               f"{request['op']!r}")
        return json.loads(line)

    def logits(self, tokens, scratch_dir: str) -> np.ndarray:
        out = os.path.join(scratch_dir, f"logits-{self.process.pid}.npy")
        self.ask(op="logits", tokens=[int(t) for t in tokens], out=out)
        try:
            return np.load(out)
        finally:
            os.remove(out)

    def close(self) -> None:
        if self.process.poll() is None:
            self.process.stdin.close()
            self.process.wait(timeout=60)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()


# -- compare -------------------------------------------------------------------------
def compare_tokens(config: dict, count: int, seed: int = 1) -> list[int]:
    rng = np.random.default_rng(seed)
    return [BOS] + [int(t) for t in rng.integers(3, config["vocab"], count - 1)]


def compare_type(type_name: str, config: dict = COMPARE_CONFIG, positions: int = 120,
                 directory: str | None = None) -> dict:
    """trueno's and llama.cpp's all-position logits on one generated model."""
    path = model_file(config, type_name, directory=directory)
    tokens = compare_tokens(config, positions)
    with tempfile.TemporaryDirectory() as scratch:
        with Worker("trueno", path, config["context"]) as ours:
            got = ours.logits(tokens, scratch)
        with Worker("llama.cpp", path, config["context"], f32_cache=True) as theirs:
            expected = theirs.logits(tokens, scratch)
    delta = np.abs(got.astype(np.float64) - expected)
    return {"type": type_name, "positions": len(tokens), "max_abs_delta": float(delta.max()),
            "mean_abs_delta": float(delta.mean()),
            "argmax_agreement": float(np.mean(got.argmax(axis=1) == expected.argmax(axis=1))),
            "logit_std": float(expected.std())}


def compare_markdown(rows: list[dict]) -> str:
    lines = ["| type | max abs delta | mean abs delta | argmax agreement | logit std |",
             "|---|---|---|---|---|"]
    for r in rows:
        lines.append(f"| {r['type']} | {r['max_abs_delta']:.2e} | {r['mean_abs_delta']:.2e} | "
                     f"{r['argmax_agreement'] * r['positions']:.0f}/{r['positions']} "
                     f"({100 * r['argmax_agreement']:.1f}%) | {r['logit_std']:.2f} |")
    return "\n".join(lines) + "\n"


# -- speed and memory ------------------------------------------------------------------
def _median(values):
    return statistics.median(values) if values else None


def bench_type(type_name: str, config: dict, prompt_len: int, decode_len: int, repeats: int,
               engines: list[str], extra_buffers: bool = False,
               directory: str | None = None, log=print) -> dict:
    if prompt_len + decode_len > config["context"]:
        raise ValueError(f"prompt ({prompt_len}) + decode ({decode_len}) exceed the model's "
                         f"context ({config['context']})")
    path = model_file(config, type_name, directory=directory)
    prompt = compare_tokens(config, prompt_len, seed=2)
    n_ctx = prompt_len + decode_len
    workers, notes = {}, []
    for engine in engines:
        try:
            workers[engine] = Worker(engine, path, n_ctx, extra_buffers=extra_buffers)
            workers[engine].ask(op="prompt", tokens=prompt[:8])   # warm-up
        except RuntimeError as error:
            if engine != "llama.cpp" or not extra_buffers:
                raise
            notes.append(f"llama.cpp with extra buffers failed ({error}); ran without them")
            log(f"  {notes[-1]}")
            workers[engine] = Worker(engine, path, n_ctx, extra_buffers=False)
    times = {e: {"prompt": [], "decode": []} for e in workers}
    generated = {}
    try:
        for repeat in range(repeats):
            # alternate which engine goes first, so drift hits both alike
            order = list(workers) if repeat % 2 == 0 else list(workers)[::-1]
            for engine in order:
                times[engine]["prompt"].append(workers[engine].ask(op="prompt",
                                                                   tokens=prompt)["seconds"])
            for engine in order:
                answer = workers[engine].ask(op="decode", tokens=prompt, n=decode_len)
                times[engine]["decode"].append(answer["seconds"] / answer["steps"])
                generated[engine] = answer["tokens"]
        memory = {e: w.ask(op="memory") for e, w in workers.items()}
        loads = {e: w.load for e, w in workers.items()}
    finally:
        for worker in workers.values():
            worker.close()
    file_bytes = os.path.getsize(path)
    result = {"type": type_name, "file_bytes": file_bytes, "notes": notes, "engines": {}}
    for engine in workers:
        prompt_s, decode_s = _median(times[engine]["prompt"]), _median(times[engine]["decode"])
        resident = memory[engine]["rss"] - loads[engine]["rss_before_load"]
        kv = memory[engine]["kv_cache_bytes"]
        result["engines"][engine] = {
            "prompt_tokens_per_s": prompt_len / prompt_s, "decode_tokens_per_s": 1.0 / decode_s,
            "prompt_s": times[engine]["prompt"], "decode_s_per_token": times[engine]["decode"],
            "load_s": loads[engine]["load_s"], "rss_before_load": loads[engine]["rss_before_load"],
            "rss": memory[engine]["rss"], "peak_rss": memory[engine]["peak_rss"],
            "model_rss": resident, "kv_cache_bytes": kv,
            "rss_over_file_plus_kv": resident / (file_bytes + kv)}
    if len(generated) == 2:
        a, b = generated.values()
        result["greedy_tokens_equal"] = sum(x == y for x, y in zip(a, b))
        result["greedy_tokens"] = len(a)
    return result


def speed_markdown(result: dict) -> str:
    lines = ["| type | engine | prompt tok/s | decode tok/s | decode vs llama.cpp | "
             "model RSS MiB | file MiB | KV MiB | RSS / (file + KV) |",
             "|---|---|---|---|---|---|---|---|---|"]
    mib = 1 << 20
    for row in result["types"]:
        reference = row["engines"].get("llama.cpp")
        for engine, e in row["engines"].items():
            ratio = (f"{e['decode_tokens_per_s'] / reference['decode_tokens_per_s']:.2f}x"
                     if reference else "n/a")
            lines.append(
                f"| {row['type']} | {engine} | {e['prompt_tokens_per_s']:.1f} | "
                f"{e['decode_tokens_per_s']:.1f} | {ratio} | {e['model_rss'] / mib:.1f} | "
                f"{row['file_bytes'] / mib:.1f} | {e['kv_cache_bytes'] / mib:.1f} | "
                f"{e['rss_over_file_plus_kv']:.2f} |")
    for row in result["types"]:
        for note in row["notes"]:
            lines.append(f"\n{row['type']}: {note}")
    return "\n".join(lines) + "\n"


def _versions() -> dict:
    found = {"python": sys.version.split()[0], "numpy": np.__version__}
    for name in ("trueno", "llama_cpp", "gguf"):
        try:
            found[name] = getattr(__import__(name), "__version__", "?")
        except ImportError:
            found[name] = None
    return found


def _write_results(result: dict, markdown: str, out_dir: str | None, suffix: str) -> str:
    out_dir = out_dir or os.path.join(HERE, "results")
    os.makedirs(out_dir, exist_ok=True)
    base = os.path.join(out_dir, f"{result['timestamp']}-{suffix}")
    with open(base + ".json", "w") as f:
        json.dump(result, f, indent=1)
    with open(base + ".md", "w") as f:
        f.write(markdown)
    return base


def _parse_types(text: str | None, default: list[str]) -> list[str]:
    types = text.split(",") if text else default
    unknown = [t for t in types if t not in ALL_TYPES]
    if unknown:
        raise SystemExit(f"unknown types {unknown}; known: {ALL_TYPES}")
    return types


def main(argv=None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["--serve"]:
        _serve(argv[1])
        return 0
    p = argparse.ArgumentParser(prog="benchmarks.llm", description=__doc__,
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--compare", action="store_true",
                   help="logit comparison per tensor type instead of speed")
    p.add_argument("--types", help=f"comma-separated subset of {ALL_TYPES}")
    p.add_argument("--repeats", type=int, default=5)
    p.add_argument("--prompt", type=int, default=128, help="prompt tokens (default 128)")
    p.add_argument("--decode", type=int, default=64, help="decoded tokens (default 64)")
    p.add_argument("--tiny", action="store_true",
                   help="time the small --compare model instead of the 100M one (smoke runs)")
    p.add_argument("--llama-cpp-extra-buffers", action="store_true",
                   help="let llama.cpp repack weights (and use AMX where built with it)")
    p.add_argument("--out", help="results folder (default benchmarks/results)")
    p.add_argument("--cache", help="model file folder (default $TRUENO_BENCH_CACHE or "
                                   "<tmp>/trueno-llm-bench)")
    args = p.parse_args(argv)
    if args.repeats < 1 or args.prompt < 1 or args.decode < 2:
        p.error("--repeats and --prompt must be >= 1 and --decode >= 2")
    stamp = time.strftime("%Y%m%d-%H%M%S")
    llama = have_llama_cpp()
    if not llama:
        print("llama_cpp is not installed: the llama.cpp column is skipped "
              "(pip install llama-cpp-python)")
    if args.compare:
        if not llama:
            print("nothing to compare against")
            return 0
        rows = []
        for type_name in _parse_types(args.types, ALL_TYPES):
            rows.append(compare_type(type_name, directory=args.cache))
            print(f"  {type_name}: max |delta| {rows[-1]['max_abs_delta']:.2e}", flush=True)
        result = {"schema": 1, "kind": "llm-compare", "timestamp": stamp, "argv": argv,
                  "config": COMPARE_CONFIG, "versions": _versions(), "rows": rows}
        markdown = compare_markdown(rows)
        base = _write_results(result, markdown, args.out, "llm-compare")
    else:
        config = COMPARE_CONFIG if args.tiny else BENCH_CONFIG
        if args.tiny:
            config = dict(config, context=max(config["context"], args.prompt + args.decode))
        engines = ["trueno"] + (["llama.cpp"] if llama else [])
        default_types = ["Q8_0", "Q4_K_M"] if llama else ["Q8_0"]
        rows = []
        for type_name in _parse_types(args.types, default_types):
            print(f"{type_name}: {args.repeats} repeats of a {args.prompt}-token prompt and "
                  f"{args.decode} decoded tokens, {' vs '.join(engines)}", flush=True)
            rows.append(bench_type(type_name, config, args.prompt, args.decode, args.repeats,
                                   engines, args.llama_cpp_extra_buffers, args.cache))
        result = {"schema": 1, "kind": "llm-speed", "timestamp": stamp, "argv": argv,
                  "config": config, "prompt_tokens": args.prompt, "decode_tokens": args.decode,
                  "repeats": args.repeats, "threads": 1, "versions": _versions(),
                  "llama_cpp_extra_buffers": args.llama_cpp_extra_buffers, "types": rows}
        markdown = speed_markdown(result)
        base = _write_results(result, markdown, args.out, "llm")
    print()
    print(markdown)
    print(f"results: {base}.json  report: {base}.md")
    return 0


if __name__ == "__main__":
    sys.exit(main())

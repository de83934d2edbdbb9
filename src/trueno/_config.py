"""show_config(): what this trueno was built with and what it runs on; the
thread count (set_num_threads/get_num_threads, native, re-exported here)."""
from __future__ import annotations

import os
import platform
import sys

from . import _core
from ._core import get_num_threads, set_num_threads

_CPU_FLAGS_OF_INTEREST = ("ssse3", "sse4_1", "sse4_2", "avx", "avx2", "fma", "avx512f", "avx512bw",
                          "avx512dq", "avx512vl", "avx512_vnni", "avx512_bf16", "avx512vbmi")


def _cpu() -> tuple[str, list[str]]:
    model, flags = platform.processor() or platform.machine(), []
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                key, _, value = line.partition(":")
                if key.strip() == "model name" and model in ("", platform.machine()):
                    model = value.strip()
                elif key.strip() == "flags":
                    flags = value.split()
                    break
    except OSError:
        pass
    return model, [f for f in _CPU_FLAGS_OF_INTEREST if f in flags]


def config() -> dict:
    """The facts show_config() prints, as a dict."""
    model, flags = _cpu()
    return {
        "trueno": sys.modules["trueno"].__version__,
        "python": sys.version.split()[0],
        "platform": platform.platform(),
        "build": _core._kernel_build_info(),
        "cpu": model,
        "cpu features": flags,
        "compiled ISAs": _core.compiled_isas(),
        "available ISAs": _core.available_isas(),
        "active ISA": _core.get_isa(),
        "TRUENO_ISA": os.environ.get("TRUENO_ISA", "(unset)"),
        "threads": _core.get_num_threads(),
        "TRUENO_NUM_THREADS": os.environ.get("TRUENO_NUM_THREADS", "(unset)"),
    }


def show_config() -> None:
    """Print build flags, CPU features, compiled/available/active SIMD targets and threads."""
    for key, value in config().items():
        if isinstance(value, list):
            value = ", ".join(value) or "(none)"
        print(f"{key:>18}: {value}")

"""show_config(): what this trueno was built with and what it runs on; the
thread count (set_num_threads/get_num_threads, native, re-exported here).

`python -m trueno` prints the same (__main__.py)."""
from __future__ import annotations

import ctypes
import os
import platform
import re
import sys

from . import _core
from ._core import get_num_threads, set_num_threads

try:  # written by CMake at build time (CMakeLists.txt)
    from . import _build_info
except ImportError:  # a tree whose build predates it
    _build_info = None

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


def _loaded_libraries(pattern: str) -> list[str]:
    """Paths of the shared libraries mapped into this process whose file name matches
    `pattern` from its start: the files the dynamic loader actually chose."""
    paths: list[str] = []
    try:
        with open("/proc/self/maps") as maps:
            for line in maps:
                fields = line.split(None, 5)
                if len(fields) == 6:
                    path = fields[5].strip()
                    if re.match(pattern, os.path.basename(path)) and path not in paths:
                        paths.append(path)
    except OSError:  # no /proc: not Linux
        pass
    return sorted(paths)  # by name: the order of mappings changes from run to run


def _origin(path: str) -> str:
    """'bundled' for a library inside trueno's installed tree (a wheel's trueno.libs/)."""
    package = os.path.dirname(os.path.abspath(__file__))
    tree = os.path.dirname(package)
    inside = any(os.path.commonpath([path, os.path.join(tree, d)]) == os.path.join(tree, d)
                 for d in ("trueno", "trueno.libs"))
    return f"{path} (bundled)" if inside else f"{path} (system)"


def _highway_built() -> str:
    if _build_info is None:
        return "(not recorded)"
    source = _build_info.highway_package or "no Debian package"
    return f"{_build_info.highway_version}, {source}: {', '.join(_build_info.highway_files)}"


def _openblas() -> tuple[str, str]:
    """OpenBLAS's own description of itself (version, kernels, threads) and the loaded file."""
    # scipy-openblas32's library, not NumPy's own libscipy_openblas64_ copy
    loaded = _loaded_libraries(r"libscipy_openblas[.-]")
    if not loaded:
        return "(not used)", "(not loaded)"
    try:
        get_config = ctypes.CDLL(loaded[0]).scipy_openblas_get_config
        get_config.restype = ctypes.c_char_p
        described = get_config().decode()
    except (OSError, AttributeError):
        described = "(unknown)"
    if _build_info is not None and _build_info.openblas_headers:
        described += f"; built with scipy-openblas32 {_build_info.openblas_headers}"
    return described, ", ".join(loaded)


def config() -> dict:
    """The facts show_config() prints, as a dict."""
    import numpy

    model, flags = _cpu()
    openblas, openblas_loaded = _openblas()
    # libhwy.so.1 from a system, libhwy-<hash>.so.1.0.3 as auditwheel renames its copy
    hwy_loaded = _loaded_libraries(r"libhwy(_contrib)?[.-]")
    return {
        "trueno": f"{sys.modules['trueno'].__version__} ({os.path.dirname(os.path.abspath(__file__))})",
        "python": f"{sys.version.split()[0]} ({sys.executable})",
        "numpy": f"{numpy.__version__} ({os.path.dirname(numpy.__file__)})",
        "platform": platform.platform(),
        "build": _core._kernel_build_info(),
        "highway built with": _highway_built(),
        "highway loaded": ", ".join(map(_origin, hwy_loaded)) or "(unknown)",
        "openblas": openblas,
        "openblas loaded": openblas_loaded,
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
    """Print the versions and locations of trueno, Python, NumPy, Highway and OpenBLAS,
    the build flags, CPU features, compiled/available/active SIMD targets and threads.

    Returns
    -------
    None

    Examples
    --------
    >>> import contextlib, io
    >>> import trueno as xp
    >>> with contextlib.redirect_stdout(io.StringIO()) as out:
    ...     xp.show_config()
    >>> "trueno:" in out.getvalue()
    True
    """
    for key, value in config().items():
        if isinstance(value, list):
            value = ", ".join(value) or "(none)"
        print(f"{key:>18}: {value}")

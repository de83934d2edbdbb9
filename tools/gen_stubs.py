#!/usr/bin/env python3
"""Writes trueno's type stubs (src/trueno/*.pyi) from the live module.

Names, parameters, their order, kinds and defaults come from the imported
module itself (``inspect.signature``, which for native functions is
``trueno._signatures.from_nanobind``), so the stubs list exactly what the
module exports. Only the types come from the tables below, keyed by parameter
name (with per-function exceptions) and by function name for return types.

    PYTHONPATH=build/dev/pkg python3 tools/gen_stubs.py          # rewrite the stubs
    PYTHONPATH=build/dev/pkg python3 tools/gen_stubs.py --check  # exit 1 if they drifted

A name without a type rule is typed ``Any`` and reported on stderr.
"""
from __future__ import annotations

import argparse
import inspect
import sys
import types
from pathlib import Path

STUB_DIR = Path(__file__).resolve().parent.parent / "src" / "trueno"
SUBMODULES_WITH_STUBS = ("linalg", "fft", "nn")
# Subpackages that `import trueno` does not import (users write `import
# trueno.llm`): not namespace names, although an earlier import in the same
# process makes them attributes of trueno. Typed by their own .py files.
OPT_IN_SUBMODULES = frozenset({"llm"})

# -- types ---------------------------------------------------------------------
# Aliases the stubs define (private to the stubs: they do not exist at run time).
ALIASES = """\
_Scalar: TypeAlias = builtins.bool | int | float | complex
_ArrayOrScalar: TypeAlias = Array | _Scalar
_Shape: TypeAlias = int | tuple[int, ...]
_Axes: TypeAlias = int | tuple[int, ...]
_Index1: TypeAlias = int | slice | EllipsisType | None | Array
_Index: TypeAlias = _Index1 | tuple[_Index1, ...]
_DTypeKind: TypeAlias = str | _DType | tuple[str | _DType, ...]
"""

# Parameter name -> type. A parameter whose default is None also accepts None.
PARAMETER_TYPES = {
    "x": "Array", "x1": "_ArrayOrScalar", "x2": "_ArrayOrScalar", "condition": "Array",
    "a": "_ArrayOrScalar", "b": "_ArrayOrScalar", "c": "_ArrayOrScalar", "t": "_ArrayOrScalar",
    "obj": "object", "indices": "Array", "sorter": "Array", "prepend": "Array", "append": "Array",
    "arrays": "Array", "arrays_and_dtypes": "Array | _DType | _Scalar", "shapes": "tuple[int, ...]",
    "dtype": "_DType", "device": "Device", "copy": "builtins.bool", "stream": "object",
    "keepdims": "builtins.bool", "descending": "builtins.bool", "stable": "builtins.bool",
    "endpoint": "builtins.bool", "include_initial": "builtins.bool", "invert": "builtins.bool",
    "upper": "builtins.bool", "full_matrices": "builtins.bool",
    "axis": "_Axes", "axes": "tuple[int, ...]", "shape": "_Shape", "s": "tuple[int, ...]",
    "source": "_Axes", "destination": "_Axes", "shift": "_Axes", "repetitions": "tuple[int, ...]",
    "repeats": "int | Array", "start": "int | float", "stop": "int | float", "step": "int | float",
    "num": "int", "n": "int", "n_rows": "int", "n_cols": "int", "k": "int", "offset": "int",
    "d": "float", "fill_value": "_Scalar", "min": "_ArrayOrScalar", "max": "_ArrayOrScalar",
    "correction": "int | float", "rtol": "float | Array", "ord": "int | float | str",
    "side": "Literal['left', 'right']", "norm": "Literal['backward', 'ortho', 'forward']",
    "mode": "Literal['reduced', 'complete']", "indexing": "Literal['xy', 'ij']",
    "approximate": "Literal['none', 'tanh']", "kind": "_DTypeKind", "from_": "_DType | Array",
    "to": "_DType", "type": "_DType | Array", "name": "str", "api_version": "str",
}
# (function, parameter) -> type, where one function reads a name differently.
PARAMETER_EXCEPTIONS = {
    ("concat", "arrays"): "Sequence[Array] | tuple[Array, ...]",
    ("stack", "arrays"): "Sequence[Array] | tuple[Array, ...]",
    ("tensordot", "axes"): "int | tuple[Sequence[int], Sequence[int]]",
    ("permute_dims", "axes"): "tuple[int, ...]",
    ("fftn", "axes"): "Sequence[int]", ("ifftn", "axes"): "Sequence[int]",
    ("rfftn", "axes"): "Sequence[int]", ("irfftn", "axes"): "Sequence[int]",
    ("fftshift", "axes"): "_Axes", ("ifftshift", "axes"): "_Axes",
    ("fftn", "s"): "Sequence[int]", ("ifftn", "s"): "Sequence[int]",
    ("rfftn", "s"): "Sequence[int]", ("irfftn", "s"): "Sequence[int]",
    ("matrix_power", "n"): "int",
    ("isdtype", "dtype"): "_DType",
    ("set_num_threads", "n"): "int",
}
# Function name -> return type (everything else returns an Array).
RETURN_TYPES = {
    "broadcast_arrays": "tuple[Array, ...]", "meshgrid": "tuple[Array, ...]",
    "nonzero": "tuple[Array, ...]", "unstack": "tuple[Array, ...]",
    "broadcast_shapes": "tuple[int, ...]", "can_cast": "builtins.bool", "isdtype": "builtins.bool",
    "result_type": "_DType", "finfo": "_FInfo", "iinfo": "_IInfo",
    "unique_all": "_UniqueAllResult", "unique_counts": "_UniqueCountsResult",
    "unique_inverse": "_UniqueInverseResult", "__array_namespace_info__": "_Info",
    "available_isas": "list[str]", "compiled_isas": "list[str]", "get_isa": "str",
    "set_isa": "None", "show_config": "None", "get_num_threads": "int", "set_num_threads": "None",
    "eig": "EigResult", "eigh": "EighResult", "qr": "QRResult", "slogdet": "SlogdetResult",
    "svd": "SVDResult",
}

# Array members: name -> (parameters after self, return type) or a property type.
ARRAY_PROPERTIES = {
    "dtype": "_DType", "device": "Device", "ndim": "int", "shape": "tuple[int, ...]",
    "size": "int", "itemsize": "int", "nbytes": "int", "strides": "tuple[int, ...]",
    "T": "Array", "mT": "Array", "real": "Array", "imag": "Array",
}
BINARY_OPERATORS = ["add", "sub", "mul", "truediv", "floordiv", "mod", "pow", "and", "or", "xor",
                    "lshift", "rshift"]
ARRAY_METHODS = {
    **{f"__{op}__": ("other: _ArrayOrScalar, /", "Array") for op in BINARY_OPERATORS},
    **{f"__r{op}__": ("other: _ArrayOrScalar, /", "Array") for op in BINARY_OPERATORS},
    **{f"__i{op}__": ("other: _ArrayOrScalar, /", "Self") for op in BINARY_OPERATORS},
    "__matmul__": ("other: Array, /", "Array"), "__rmatmul__": ("other: Array, /", "Array"),
    "__imatmul__": ("other: Array, /", "Self"),
    **{f"__{op}__": ("other: _ArrayOrScalar, /", "Array") for op in ("lt", "le", "gt", "ge")},
    "__eq__": ("other: _ArrayOrScalar, /", "Array  # type: ignore[override]"),
    "__ne__": ("other: _ArrayOrScalar, /", "Array  # type: ignore[override]"),
    **{f"__{op}__": ("", "Array") for op in ("abs", "neg", "pos", "invert")},
    "__bool__": ("", "builtins.bool"), "__int__": ("", "int"), "__float__": ("", "float"),
    "__complex__": ("", "complex"), "__index__": ("", "int"), "__len__": ("", "int"),
    "__iter__": ("", "Iterator[Array]"),
    "__getitem__": ("key: _Index, /", "Array"),
    "__setitem__": ("key: _Index, value: _ArrayOrScalar, /", "None"),
    "__array_namespace__": ("*, api_version: str | None = None", "types.ModuleType"),
    "__dlpack__": ("*, stream: object = None, max_version: tuple[int, int] | None = None, "
                   "dl_device: tuple[int, int] | None = None, copy: builtins.bool | None = None",
                   "object"),
    "__dlpack_device__": ("", "tuple[int, int]"),
    "__array__": ("dtype: object = None, *, copy: builtins.bool | None = None", "Any"),
    "to_device": ("device: Device | str, *, stream: object = None", "Array"),
    "item": ("", "_Scalar"), "tolist": ("", "Any"),
    "__repr__": ("", "str"), "__str__": ("", "str"),
    "__reduce__": ("", "tuple[Any, ...]"), "__reduce_ex__": ("protocol: SupportsIndex, /", "tuple[Any, ...]"),
    "__sizeof__": ("", "int"), "__copy__": ("", "Array"),
    "__deepcopy__": ("memo: object, /", "Array"),
}
# NumPy's protocols and ndarray methods (trueno/_numpy_protocols.py): NumPy's own
# signatures, which NumPy code calls; typed loosely, as NumPy's spellings vary.
NUMPY_EXTENSION_METHODS = {
    "__array_ufunc__": ("ufunc: Any, method: str, *inputs: Any, **kwargs: Any", "Any"),
    "__array_function__": ("func: Any, types: Any, args: Any, kwargs: Any", "Any"),
}
ARRAY_CLASS_ATTRIBUTES = {"__array_priority__": "ClassVar[float]"}
ARRAY_SKIP = {"__init__", "__new__", "__doc__", "__module__", "__hash__", "__dict__",
              "__weakref__", "__nb_signature__"}

HEADER = '''\
# Generated by tools/gen_stubs.py from the live module: do not edit by hand.
'''

# -- rendering -----------------------------------------------------------------
unknown: list[str] = []


def _default_text(value) -> str:
    if value is None or isinstance(value, (bool, int, float, str)):
        return repr(value)
    return "..."


def _parameter_type(function: str, parameter: inspect.Parameter) -> str:
    text = PARAMETER_EXCEPTIONS.get((function, parameter.name)) or PARAMETER_TYPES.get(parameter.name)
    if text is None:
        unknown.append(f"{function}({parameter.name})")
        text = "Any"
    if parameter.default is None and "None" not in text.split(" | ") and text != "object":
        text += " | None"
    return text


def render_function(name: str, func) -> str:
    signature = inspect.signature(func)
    parts = []
    seen_keyword_only = False
    parameters = list(signature.parameters.values())
    for i, p in enumerate(parameters):
        if p.kind is p.KEYWORD_ONLY and not seen_keyword_only:
            parts.append("*")
            seen_keyword_only = True
        text = f"{p.name}: {_parameter_type(name, p)}"
        if p.kind is p.VAR_POSITIONAL:
            text = "*" + text
            seen_keyword_only = True
        elif p.kind is p.VAR_KEYWORD:
            text = "**" + text
        if p.default is not p.empty:
            text += f" = {_default_text(p.default)}"
        parts.append(text)
        last_positional_only = p.kind is p.POSITIONAL_ONLY and (
            i + 1 == len(parameters) or parameters[i + 1].kind is not p.POSITIONAL_ONLY)
        if last_positional_only:
            parts.append("/")
    return f"def {name}({', '.join(parts)}) -> {RETURN_TYPES.get(name, 'Array')}: ..."


def _public_callables(module, names):
    return [(n, getattr(module, n)) for n in names if callable(getattr(module, n))]


def namespace_names(trueno) -> list[str]:
    """The public names of the namespace: what ``import trueno`` offers."""
    names = [n for n in vars(trueno) if not n.startswith("_") and n not in OPT_IN_SUBMODULES]
    return sorted(names + ["__array_namespace_info__"])


def render_array_class(array_type) -> str:
    lines = ["@final", "class Array:"]
    lines.append("    __hash__: ClassVar[None]  # type: ignore[assignment]")
    for name in sorted(vars(array_type)):
        if name in ARRAY_SKIP:
            continue
        if name in ARRAY_PROPERTIES:
            lines += ["    @property", f"    def {name}(self) -> {ARRAY_PROPERTIES[name]}: ..."]
        elif name in ARRAY_CLASS_ATTRIBUTES:
            lines.append(f"    {name}: {ARRAY_CLASS_ATTRIBUTES[name]}")
        elif name in ARRAY_METHODS or name in NUMPY_EXTENSION_METHODS:
            parameters, result = ARRAY_METHODS.get(name) or NUMPY_EXTENSION_METHODS[name]
            comment = ""
            if "  #" in result:
                result, comment = result.split("  #", 1)
                comment = "  #" + comment
            args = f"self, {parameters}" if parameters else "self"
            lines.append(f"    def {name}({args}) -> {result}: ...{comment}")
        elif name in sys.modules["trueno._numpy_protocols"].NDARRAY_METHODS:
            lines.append(f"    def {name}(self, *args: Any, **kwargs: Any) -> Any: ...  # NumPy's ndarray.{name}")
        else:
            unknown.append(f"Array.{name}")
            lines.append(f"    def {name}(self, *args: Any, **kwargs: Any) -> Any: ...")
    return "\n".join(lines)


NAMESPACE_PREAMBLE = '''\
import builtins
import types
from collections.abc import Iterator, Sequence
from types import EllipsisType
from typing import Any, ClassVar, Final, Literal, NamedTuple, Self, SupportsIndex, TypeAlias, final

import numpy

# trueno's dtypes are NumPy's dtype instances (numpy.dtype("float32"), ...).
_DType: TypeAlias = numpy.dtype[Any]

@final
class Device:
    @property
    def type(self) -> str: ...
    @property
    def index(self) -> int: ...
    def __eq__(self, other: object, /) -> builtins.bool: ...
    def __hash__(self) -> int: ...

class AxisError(ValueError, IndexError): ...

class _FInfo:
    bits: int
    eps: float
    max: float
    min: float
    smallest_normal: float
    dtype: _DType

class _IInfo:
    bits: int
    max: int
    min: int
    dtype: _DType

class _Info:
    def capabilities(self) -> dict[str, Any]: ...
    def default_device(self) -> Device: ...
    def devices(self) -> tuple[Device, ...]: ...
    def default_dtypes(self, *, device: Device | None = None) -> dict[str, _DType]: ...
    def dtypes(self, *, device: Device | None = None, kind: _DTypeKind | None = None) -> dict[str, _DType]: ...

class _UniqueAllResult(NamedTuple):
    values: Array
    indices: Array
    inverse_indices: Array
    counts: Array

class _UniqueCountsResult(NamedTuple):
    values: Array
    counts: Array

class _UniqueInverseResult(NamedTuple):
    values: Array
    inverse_indices: Array
'''

VALUE_TYPES = {float: "Final[float]", type(None): "Final[None]", str: "Final[str]"}


def render_namespace(trueno) -> str:
    out = [HEADER, NAMESPACE_PREAMBLE, ALIASES]
    out.append(render_array_class(trueno.Array))
    out.append("")
    import numpy

    dtype_type = numpy.dtype
    for name in namespace_names(trueno):
        value = getattr(trueno, name)
        if isinstance(value, types.ModuleType):
            out.append(f"from . import {name} as {name}")
        elif isinstance(value, dtype_type):
            out.append(f"{name}: Final[_DType]")
        elif name in ("Array", "Device", "AxisError"):
            continue  # the classes above
        elif isinstance(value, type):
            unknown.append(name)
            out.append(f"{name}: Any")
        elif callable(value):
            out.append(render_function(name, value))
        elif type(value) in VALUE_TYPES:
            out.append(f"{name}: {VALUE_TYPES[type(value)]}")
        else:
            unknown.append(name)
            out.append(f"{name}: Any")
    out.append("__array_api_version__: Final[str]")
    out.append("__version__: str")
    return "\n".join(out) + "\n"


RESULT_TUPLES = {
    "EigResult": ("eigenvalues", "eigenvectors"), "EighResult": ("eigenvalues", "eigenvectors"),
    "QRResult": ("Q", "R"), "SlogdetResult": ("sign", "logabsdet"), "SVDResult": ("U", "S", "Vh"),
}


def render_submodule(module) -> str:
    out = [HEADER, "import builtins",
           "from collections.abc import Sequence",
           "from typing import Any, Literal, NamedTuple", "",
           "from . import Array, Device, _ArrayOrScalar, _Axes, _DType, _Scalar, _Shape", ""]
    names = list(module.__all__)
    if hasattr(module, "LinAlgError"):  # a class beside the functions (not in __all__)
        out[out.index("import builtins") + 1:out.index("import builtins") + 1] = ["import numpy"]
        out += ["class LinAlgError(numpy.linalg.LinAlgError): ...", ""]
    for cls_name, fields in RESULT_TUPLES.items():
        if hasattr(module, cls_name):
            assert tuple(getattr(module, cls_name)._fields) == fields, cls_name
            out.append(f"class {cls_name}(NamedTuple):")
            out += [f"    {f}: Array" for f in fields]
            out.append("")
    out.append(f"__all__ = {names!r}")
    out.append("")
    for name, func in _public_callables(module, names):
        out.append(render_function(name, func))
    return "\n".join(out) + "\n"


def generate() -> dict[Path, str]:
    import trueno

    files = {STUB_DIR / "__init__.pyi": render_namespace(trueno)}
    for name in SUBMODULES_WITH_STUBS:
        files[STUB_DIR / f"{name}.pyi"] = render_submodule(getattr(trueno, name))
    files[STUB_DIR / "py.typed"] = ""
    return files


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--check", action="store_true", help="compare with the files instead of writing")
    args = parser.parse_args()
    files = generate()
    if unknown:
        print("gen_stubs: no type rule for (typed Any): " + ", ".join(unknown), file=sys.stderr)
    stale = [p for p, text in files.items() if not p.exists() or p.read_text() != text]
    if args.check:
        for p in stale:
            print(f"gen_stubs: {p} is out of date; run tools/gen_stubs.py", file=sys.stderr)
        return 1 if stale else 0
    for p in stale:
        p.write_text(files[p])
        print(f"wrote {p}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

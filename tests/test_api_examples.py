"""Every example in the API reference runs, and shows what it prints.

The reference (docs/api/) is generated from the docstrings of the public names
of trueno, trueno.linalg, trueno.fft, trueno.nn, trueno.gguf and trueno.llm,
and of the Array's methods; this runs each docstring's examples with doctest,
so the documentation cannot drift from the code, and fails where a public
function or class has no Examples section.

Examples that read a model file find its path in ``path``: a tiny llama GGUF
model with Q8_0 weights written here (as the llm tests write theirs), the one
name the examples use without defining it. The module docstrings' examples
(trueno.gguf's and trueno.llm's) run too, and the command line's
(trueno.llm.__main__.main).
"""
from __future__ import annotations

import doctest
import inspect

import pytest

import trueno
import trueno.llm
from trueno import _signatures
from trueno._core import Function as NativeFunction

MODULES = ["trueno", "trueno.linalg", "trueno.fft", "trueno.nn", "trueno.gguf", "trueno.llm"]
# documented in docs/api although not in a module's __all__
EXTRA = ["trueno.llm.__main__.main"]
NEEDS_A_MODEL_FILE = ("trueno.gguf", "trueno.llm")


def module_names(module) -> list[str]:
    """The public names of a module: __all__, or (trueno) its names without an underscore."""
    if hasattr(module, "__all__"):
        return list(module.__all__)
    return sorted(n for n in dir(module) if not n.startswith("_") and not inspect.ismodule(getattr(module, n))) \
        + ["__array_namespace_info__"]


def documented_objects():
    """(qualified name, object) for every public function, class and class member
    that carries its own docstring (dtype objects and float constants are NumPy's
    and Python's: docs/api documents them in the page text)."""
    import importlib

    for modname in MODULES:
        module = importlib.import_module(modname)
        if ">>>" in (module.__doc__ or ""):
            yield modname, module
        for name in module_names(module):
            value = getattr(module, name)
            if callable(value) and not _is_dtype(value):
                yield f"{modname}.{name}", value
                if inspect.isclass(value) and value is not trueno.Array and value.__module__.startswith("trueno"):
                    for member, attr in _class_members(value):
                        yield f"{modname}.{name}.{member}", attr
    for dotted in EXTRA:
        modname, name = dotted.rsplit(".", 1)
        yield dotted, getattr(importlib.import_module(modname), name)
    for key in sorted(k for k in _signatures.SUMMARIES if k.startswith("Array.")):
        yield f"trueno.{key}", getattr(trueno.Array, key.split(".", 1)[1])
    for name in ("__array_ufunc__", "__array_function__"):  # NumPy's protocols
        yield f"trueno.Array.{name}", getattr(trueno.Array, name)
    for name in trueno._numpy_protocols.NDARRAY_METHODS:  # NumPy's ndarray methods
        yield f"trueno.Array.{name}", getattr(trueno.Array, name)
    for name, attr in sorted(vars(trueno.Array).items()):
        if isinstance(attr, property):
            yield f"trueno.Array.{name}", attr


def _is_dtype(value) -> bool:
    import numpy as np
    return isinstance(value, np.dtype)


def _class_members(cls):
    """The public methods and properties a class defines itself."""
    import functools

    for member, attr in vars(cls).items():
        if member.startswith("_"):
            continue
        if isinstance(attr, (staticmethod, classmethod)):
            attr = attr.__func__
        if inspect.isfunction(attr) or isinstance(attr, (property, functools.cached_property)):
            yield member, getattr(cls, member) if not isinstance(attr, property) else attr


OBJECTS = list(documented_objects())
IDS = [name for name, _ in OBJECTS]


def test_the_collection_covers_every_module():
    names = set(IDS)
    assert len(OBJECTS) > 300
    for expected in ("trueno.add", "trueno.Array.__add__", "trueno.Array.sum", "trueno.linalg.svd",
                     "trueno.fft.rfft",
                     "trueno.nn.softmax", "trueno.gguf.load", "trueno.llm.Model.generate",
                     "trueno.__array_namespace_info__"):
        assert expected in names


@pytest.fixture(scope="module")
def model_path(tmp_path_factory):
    pytest.importorskip("gguf")
    import llm_files  # tests/llm_files.py

    path = tmp_path_factory.mktemp("api-examples") / "tiny-llama.gguf"
    llm_files.write_model(path, llm_files.spm_vocabulary(), weight_type="Q8_0")
    return str(path)


def examples(name: str, obj) -> list[doctest.Example]:
    doc = inspect.getdoc(obj) or ""
    return doctest.DocTestParser().get_examples(doc, name)


def test_every_public_function_and_class_has_examples():
    without = {name for name, obj in OBJECTS if not inspect.ismodule(obj) and (
        "Examples\n--------" not in (inspect.getdoc(obj) or "") or not examples(name, obj))}
    assert not without, f"{len(without)} public names without an Examples section: {sorted(without)}"


# Every example runs on every SIMD target this CPU has (the printed digits must not
# depend on the kernels chosen).
ISAS = [str(isa) for isa in trueno.available_isas()]


@pytest.mark.parametrize("isa", ISAS)
@pytest.mark.parametrize("name,obj", OBJECTS, ids=IDS)
def test_examples_run_and_match(name, obj, isa, request):
    found = examples(name, obj)
    if not found:
        pytest.skip("no examples (test_every_public_function_and_class_has_examples reports it)")
    globs = {}
    if name.startswith(NEEDS_A_MODEL_FILE):
        globs["path"] = request.getfixturevalue("model_path")
    test = doctest.DocTest(found, globs, name, None, 0, None)
    runner = doctest.DocTestRunner(optionflags=doctest.NORMALIZE_WHITESPACE | doctest.ELLIPSIS)
    report = []
    before, threads = trueno.get_isa(), trueno.get_num_threads()
    trueno.set_isa(isa)
    try:
        runner.run(test, out=report.append)
    finally:  # an example that changes a setting must not leak it into other tests
        trueno.set_isa(before)
        trueno.set_num_threads(threads)
    assert runner.failures == 0, "".join(report)

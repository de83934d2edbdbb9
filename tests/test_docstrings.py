"""Every public function (the namespace, linalg, fft, nn, and the Array
methods) has a docstring: a signature and at least a one-line summary.

Native functions (trueno._core.Function) carry their signature line in the
docstring, as C functions do (PEP 257); Python functions have an
introspectable signature (inspect.signature) and a summary docstring.

Both kinds, and every public name of trueno.gguf and trueno.llm, also have the
numpydoc sections the API reference (docs/api) renders: each parameter
described with a type, Returns, Examples (tests/test_api_examples.py runs the
examples)."""
from __future__ import annotations

import inspect

import pytest

import trueno
from trueno import _signatures
from trueno._core import Function as NativeFunction

ARRAY_NOT_METHODS = {"__init__", "__new__", "__doc__", "__module__", "__hash__"}


def public_functions():
    for name in sorted(dir(trueno)):
        value = getattr(trueno, name)
        if (not name.startswith("_") or name == "__array_namespace_info__") \
                and callable(value) and not isinstance(value, type):
            yield name, value
    for module in ("linalg", "fft", "nn"):
        for name in getattr(trueno, module).__all__:
            yield f"{module}.{name}", getattr(getattr(trueno, module), name)
    for name, value in sorted(vars(trueno.Array).items()):
        if name not in ARRAY_NOT_METHODS and callable(value) and not isinstance(value, property):
            yield f"Array.{name}", value


FUNCTIONS = list(public_functions())


def test_enumeration_covers_the_api():
    names = {n for n, _ in FUNCTIONS}
    assert len(FUNCTIONS) > 250
    assert {"add", "linalg.svd", "fft.rfft", "nn.softmax", "Array.__add__", "Array.to_device",
            "__array_namespace_info__"} <= names


@pytest.mark.parametrize("name,func", FUNCTIONS, ids=[n for n, _ in FUNCTIONS])
def test_docstring_has_signature_and_summary(name, func):
    doc = inspect.getdoc(func)
    assert doc, f"{name} has no docstring"
    lines = [line for line in doc.splitlines() if line.strip()]
    short_name = name.rsplit(".", 1)[-1]
    signature = inspect.signature(func)  # raises if the signature cannot be introspected
    if isinstance(func, NativeFunction):
        assert lines[0] == f"{short_name}{signature}", f"{name}: first line {lines[0]!r}"
        summary = lines[1:]
    else:
        summary = lines
    assert summary and len(summary[0].split()) >= 3, f"{name} has no one-line summary: {doc!r}"


def test_every_summary_belongs_to_a_native_function():
    native = {_signatures.summary_key(f) for _, f in FUNCTIONS if isinstance(f, NativeFunction)}
    stale = set(_signatures.SUMMARIES) - native
    assert not stale, f"summaries for functions that no longer exist: {sorted(stale)}"


# -- numpydoc sections ----------------------------------------------------------------
# The API reference (docs/api) renders these docstrings with numpydoc; a native
# function's sections are composed by trueno._docstrings from its tables.

def numpydoc_problems(doc: str, signature: inspect.Signature, is_class: bool = False) -> list[str]:
    """What a numpydoc docstring lacks: a Parameters entry (with a type and a
    description) for each parameter, a Returns section (not for a class: its
    Parameters are the constructor's), an Examples section."""
    import re

    problems = []
    sections = dict(re.findall(r"^(\w+)\n-+\n(.*?)(?=^\w+\n-+\n|\Z)", doc, re.S | re.M))
    params = [p for p in signature.parameters if p not in ("self", "cls")]
    if params:
        body = sections.get("Parameters", "")
        for p in params:
            # "name : type", "*args : type", or one entry for several ("a, b : type")
            names = rf"(?:\w+, )*\*{{0,2}}{re.escape(p)}(?:, \w+)*"
            entry = re.search(rf"^{names} : \S.*\n    \S", body, re.M)
            if not entry:
                problems.append(f"parameter {p} is not described (name : type, then the description)")
    for title in ("Examples",) if is_class else ("Returns", "Examples"):
        if title not in sections:
            problems.append(f"no {title} section")
    return problems


NATIVE = [(name, f) for name, f in FUNCTIONS
          if isinstance(f, NativeFunction) and _signatures.summary_key(f) in _signatures.SUMMARIES]


def test_the_numpydoc_check_can_fail():
    sig = inspect.Signature([inspect.Parameter("x", inspect.Parameter.POSITIONAL_ONLY)])
    assert numpydoc_problems("f(x)\n\nSummary line here.\n", sig) == [
        "parameter x is not described (name : type, then the description)",
        "no Returns section", "no Examples section"]
    good = ("Summary.\n\nParameters\n----------\nx : Array\n    Input.\n\n"
            "Returns\n-------\nArray\n    Out.\n\nExamples\n--------\n>>> 1\n1\n")
    assert numpydoc_problems(good, sig) == []
    two = inspect.Signature([inspect.Parameter(n, inspect.Parameter.KEYWORD_ONLY) for n in ("a", "b")])
    shared = good.replace("x : Array\n    Input.", "a, b : Array\n    Inputs.")
    assert numpydoc_problems(shared, two) == []
    assert numpydoc_problems(good.replace("Returns\n-------\nArray\n    Out.\n\n", ""), sig,
                             is_class=True) == []


def test_native_functions_are_all_checked():
    assert len(NATIVE) > 200 and {"add", "sum", "nn.gelu", "Array.__iadd__"} <= {n for n, _ in NATIVE}


@pytest.mark.parametrize("name,func", NATIVE, ids=[n for n, _ in NATIVE])
def test_native_docstring_has_numpydoc_sections(name, func):
    problems = numpydoc_problems(inspect.getdoc(func), inspect.signature(func))
    assert not problems, f"{name}: {problems}"


# The Python-level public functions are held to the same sections: the namespace's
# Python functions (those routed through a native Function too), linalg's and
# fft's, the Array's Python methods (NumPy's protocols and ndarray methods), and every public
# function, class, method and property of trueno.gguf and trueno.llm (and the
# command line's main). A property has no parameters: Returns and Examples.

def python_api():
    import functools
    import importlib

    checked = {name for name, _ in NATIVE}
    for name, func in FUNCTIONS:  # Python functions (some routed through a native Function)
        if name not in checked:
            yield name, func
    for modname in ("gguf", "llm"):
        module = importlib.import_module(f"trueno.{modname}")
        for name in module.__all__:
            value = getattr(module, name)
            if not callable(value):
                continue  # GGML_TYPES, SUPPORTED_ARCHITECTURES: documented as data
            yield f"{modname}.{name}", value
            if isinstance(value, type):
                for member, attr in vars(value).items():
                    if member.startswith("_"):
                        continue
                    if isinstance(attr, (staticmethod, classmethod)):
                        attr = attr.__func__
                    if inspect.isfunction(attr) or isinstance(attr, (property, functools.cached_property)):
                        yield f"{modname}.{name}.{member}", attr
    from trueno.llm.__main__ import main
    yield "llm.__main__.main", main


PYTHON = list(python_api())


def test_python_functions_are_all_checked():
    names = {n for n, _ in PYTHON}
    assert len(PYTHON) > 100
    assert {"concat", "linalg.svd", "fft.fftfreq", "Array.sum", "gguf.linear", "gguf.GGUFFile.array",
            "llm.Model.generate", "llm.Tokenizer.vocab_size", "llm.Model.tokenizer",
            "llm.__main__.main"} <= names


@pytest.mark.parametrize("name,obj", PYTHON, ids=[n for n, _ in PYTHON])
def test_python_docstring_has_numpydoc_sections(name, obj):
    import functools

    doc = inspect.getdoc(obj)
    assert doc, f"{name} has no docstring"
    if isinstance(obj, (property, functools.cached_property)):
        signature = inspect.Signature()
    else:
        signature = inspect.signature(obj)
    problems = numpydoc_problems(doc, signature, is_class=isinstance(obj, type))
    assert not problems, f"{name}: {problems}"


def test_the_command_line_options_are_documented():
    """main's docstring lists every option its parser has (the table is written by hand)."""
    from trueno.llm.__main__ import _parser, main

    doc = main.__doc__
    for action in _parser()._actions:
        for option in action.option_strings or [action.dest]:
            if option not in ("-h", "--help"):
                assert f"``{option}``" in doc, f"python -m trueno.llm {option} is not in main's docstring"

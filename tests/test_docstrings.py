"""Every public function (the namespace, linalg, fft, nn, and the Array
methods) has a docstring: a signature and at least a one-line summary.

Native functions (trueno._core.Function) carry their signature line in the
docstring, as C functions do (PEP 257); Python functions have an
introspectable signature (inspect.signature) and a summary docstring."""
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

def numpydoc_problems(doc: str, signature: inspect.Signature) -> list[str]:
    """What a numpydoc docstring lacks: a Parameters entry (with a type and a
    description) for each parameter, a Returns section, an Examples section."""
    import re

    problems = []
    sections = dict(re.findall(r"^(\w+)\n-+\n(.*?)(?=^\w+\n-+\n|\Z)", doc, re.S | re.M))
    params = [p for p in signature.parameters if p not in ("self", "cls")]
    if params:
        body = sections.get("Parameters", "")
        for p in params:
            entry = re.search(rf"^{re.escape(p)} : \S.*\n    \S", body, re.M)
            if not entry:
                problems.append(f"parameter {p} is not described (name : type, then the description)")
    for title in ("Returns", "Examples"):
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


def test_native_functions_are_all_checked():
    assert len(NATIVE) > 200 and {"add", "sum", "nn.gelu", "Array.__iadd__"} <= {n for n, _ in NATIVE}


@pytest.mark.parametrize("name,func", NATIVE, ids=[n for n, _ in NATIVE])
def test_native_docstring_has_numpydoc_sections(name, func):
    problems = numpydoc_problems(inspect.getdoc(func), inspect.signature(func))
    assert not problems, f"{name}: {problems}"

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

"""inspect.Signature objects for trueno's native functions, built from the
signature text nanobind records (``__nb_signature__``)."""
from __future__ import annotations

import inspect
import re


def from_nanobind(func) -> inspect.Signature:
    """The signature of a nanobind function, with its real default values."""
    text, _, defaults = func.__nb_signature__[0]
    header = text[text.index("(") + 1: text.rindex(")")]
    # Drop annotations ("x: object | None = \0" -> "x=\0"), keep names, '*' and defaults.
    params = []
    depth, current = 0, ""
    for ch in header + ",":
        if ch in "([{":
            depth += 1
        elif ch in ")]}":
            depth -= 1
        if ch == "," and depth == 0:
            params.append(current.strip())
            current = ""
        else:
            current += ch
    parameters = []
    kind = inspect.Parameter.POSITIONAL_OR_KEYWORD
    for p in params:
        if not p:
            continue
        if p == "*":
            kind = inspect.Parameter.KEYWORD_ONLY
            continue
        if p == "/":
            for i, q in enumerate(parameters):
                parameters[i] = q.replace(kind=inspect.Parameter.POSITIONAL_ONLY)
            continue
        if p.startswith("*"):
            continue
        name = re.match(r"\w+", p).group(0)
        default = inspect.Parameter.empty
        m = re.search(r"=\s*\\(\d+)\s*$", p)
        if m:
            default = defaults[int(m.group(1))]
        elif "=" in p:
            default = eval(p.split("=", 1)[1].strip(), {})
        parameters.append(inspect.Parameter(name, kind, default=default))
    return inspect.Signature(parameters)

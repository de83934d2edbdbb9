"""Finds and runs the examples of the documentation pages (docs/**/*.rst).

    python tests/docs_examples.py docs/guide/devices.rst [...]

tests/test_docs.py runs each page this way, in its own process, so that a
page's settings (an ISA, a thread count, an environment variable read at
import) cannot leak into the next page. The conventions the pages follow:

- ``>>>`` examples (reST doctest blocks, or a ``.. code-block:: pycon``) run
  as doctests and their printed output must match (``...`` matches anything,
  whitespace runs compare equal).
- ``.. code-block:: python`` runs as a script; it must not raise.
- ``.. code-block:: console`` runs each ``$ `` line with bash; the lines up to
  the next ``$ `` are its expected output (``...`` as above; none: not
  compared) and the command must exit with status 0.
- ``text`` and ``none`` blocks are not examples (outputs, file contents).
  Any other language is refused, so no example goes unrun by accident.
- ``::`` literal blocks are refused too: their language is unknown.
- A comment ``.. docs-test: skip -- <reason>`` right before a block leaves
  that block out; the reason is required and shows in the runner's output.

The python and doctest examples of a page share one namespace, in page
order. Everything runs in the current directory: the test makes it a scratch
folder with the repository's ``docs``, ``tests``, ``benchmarks`` and ``conformance``
folders linked in, so pages can write files and name repository scripts by
the paths a reader uses from a clone.
"""
from __future__ import annotations

import doctest
import re
import subprocess
import sys
import traceback
from dataclasses import dataclass
from pathlib import Path

RUN_LANGUAGES = {"python", "pycon", "console"}
NOT_EXAMPLES = {"text", "none"}
SKIP_MARK = re.compile(r"^\.\. docs-test: skip(?: -- (?P<reason>.*\S))?\s*$")
DIRECTIVE = re.compile(r"^(?P<indent>\s*)\.\. (?:code-block|code|sourcecode)::\s*(?P<lang>\S*)\s*$")
OPTIONS = doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE


@dataclass
class Example:
    kind: str          # "python", "doctest" or "console"
    code: str
    line: int          # 1-based line of the block's first line of code
    skip: str | None = None   # the reason, for a block marked skip


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip())


def parse(path: Path) -> list[Example]:
    """The examples of one reST page, in order; raises ValueError on a code
    block of a language that is neither run nor known to be no example, and
    on a skip mark without a reason or without a block after it."""
    lines = path.read_text().splitlines()
    examples: list[Example] = []
    skip: str | None = None
    skip_line = 0
    i = 0
    while i < len(lines):
        line = lines[i]
        mark = SKIP_MARK.match(line.strip())
        if mark:
            if not mark.group("reason"):
                raise ValueError(f"{path}:{i + 1}: a docs-test skip needs a reason: "
                                 "'.. docs-test: skip -- why'")
            skip, skip_line = mark.group("reason"), i + 1
            i += 1
            continue
        directive = DIRECTIVE.match(line)
        if directive:
            lang = directive.group("lang") or "python"
            indent = len(directive.group("indent"))
            j = i + 1
            while j < len(lines) and lines[j].strip().startswith(":") and _indent(lines[j]) > indent:
                j += 1           # the directive's options
            body, first = [], None
            while j < len(lines) and (not lines[j].strip() or _indent(lines[j]) > indent):
                if lines[j].strip() and first is None:
                    first = j + 1
                body.append(lines[j])
                j += 1
            while body and not body[-1].strip():
                body.pop()
            depth = min((_indent(b) for b in body if b.strip()), default=0)
            code = "\n".join(b[depth:] for b in body) + "\n"
            if lang in RUN_LANGUAGES:
                kind = "doctest" if lang == "pycon" else lang
                examples.append(Example(kind, code, first or i + 1, skip))
            elif lang not in NOT_EXAMPLES:
                raise ValueError(f"{path}:{i + 1}: code-block language {lang!r}: use python, pycon "
                                 f"or console (run as tests), or text/none (not examples)")
            elif skip is not None:
                raise ValueError(f"{path}:{skip_line}: a docs-test skip before a {lang} block")
            skip = None
            i = j
            continue
        if line.rstrip().endswith("::") and not line.lstrip().startswith(".. "):
            raise ValueError(f"{path}:{i + 1}: a '::' literal block is neither run nor checked: "
                             "use a code-block with a language")
        if line.lstrip().startswith(">>>"):
            # a reST doctest block: up to the next blank line
            j = i
            while j < len(lines) and lines[j].strip():
                j += 1
            depth = _indent(line)
            code = "\n".join(b[depth:] for b in lines[i:j]) + "\n"
            examples.append(Example("doctest", code, i + 1, skip))
            skip = None
            i = j
            continue
        if line.strip() and not line.strip().startswith(".. ") and skip is not None:
            raise ValueError(f"{path}:{skip_line}: a docs-test skip mark must come right before "
                             "the block it skips")
        i += 1
    if skip is not None:
        raise ValueError(f"{path}:{skip_line}: a docs-test skip mark with no block after it")
    return examples


def _console_commands(code: str) -> list[tuple[str, str]]:
    """(command, expected output) pairs of a console block."""
    pairs: list[tuple[str, list[str]]] = []
    for line in code.splitlines():
        if line.startswith("$ "):
            pairs.append((line[2:], []))
        elif pairs:
            pairs[-1][1].append(line)
        elif line.strip():
            raise ValueError(f"console block output before any '$ ' command: {line!r}")
    return [(cmd, "\n".join(out).strip() + "\n" if any(o.strip() for o in out) else "")
            for cmd, out in pairs]


def run_page(path: Path) -> int:
    """Runs every example of `path`; returns the number that failed."""
    namespace: dict = {"__name__": "__main__"}
    parser = doctest.DocTestParser()
    checker = doctest.OutputChecker()
    failed = 0
    for example in parse(path):
        where = f"{path}:{example.line}"
        if example.skip is not None:
            print(f"{where}: {example.kind} block skipped: {example.skip}")
            continue
        print(f"{where}: {example.kind} block", flush=True)
        if example.kind == "python":
            try:
                exec(compile(example.code, where, "exec"), namespace)
            except BaseException:  # SystemExit too: a page's example must not exit
                traceback.print_exc()
                failed += 1
        elif example.kind == "doctest":
            test = parser.get_doctest(example.code, namespace, where, str(path), example.line - 1)
            runner = doctest.DocTestRunner(optionflags=OPTIONS)
            result = runner.run(test, clear_globs=False)
            namespace.update(test.globs)
            failed += result.failed
        else:
            for command, expected in _console_commands(example.code):
                done = subprocess.run(["bash", "-c", command], capture_output=True, text=True)
                output = done.stdout + done.stderr
                if done.returncode != 0:
                    print(f"{where}: `{command}` exited with status {done.returncode}:\n{output}")
                    failed += 1
                elif expected and not checker.check_output(expected, output, OPTIONS):
                    print(f"{where}: `{command}` printed\n{output}\nexpected\n{expected}")
                    failed += 1
        sys.stdout.flush()
    return failed


def main(argv: list[str]) -> int:
    failed = sum(run_page(Path(page)) for page in argv)
    print(f"{failed} example(s) failed" if failed else "all examples passed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

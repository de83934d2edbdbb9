"""trueno's type stubs: they name exactly what the module exports, they are
current (tools/gen_stubs.py --check), and mypy --strict accepts a sample
program while finding every error in a program written to be wrong."""
from __future__ import annotations

import ast
import importlib.util
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

import trueno

ROOT = Path(__file__).resolve().parent.parent
STUBS = ROOT / "src" / "trueno"
TYPING_DIR = Path(__file__).resolve().parent / "typing"


def _load_generator():
    spec = importlib.util.spec_from_file_location("gen_stubs", ROOT / "tools" / "gen_stubs.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def stub_names(path: Path) -> set[str]:
    """The names a stub file exports: definitions and ``import x as x`` re-exports."""
    names = set()
    for node in ast.parse(path.read_text()).body:
        if isinstance(node, (ast.FunctionDef, ast.ClassDef)):
            names.add(node.name)
        elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
            names.add(node.target.id)
        elif isinstance(node, ast.Assign):
            names.update(t.id for t in node.targets if isinstance(t, ast.Name))
        elif isinstance(node, ast.ImportFrom):
            names.update(a.asname for a in node.names if a.asname == a.name)
    return {n for n in names if not n.startswith("_") or n.startswith("__") and n != "__all__"}


def test_py_typed_marker_is_shipped():
    assert (STUBS / "py.typed").exists()


def test_namespace_stub_names_are_the_public_namespace():
    expected = set(_load_generator().namespace_names(trueno)) | {"__array_api_version__", "__version__"}
    got = stub_names(STUBS / "__init__.pyi")
    assert got == expected, (f"missing from the stub: {sorted(expected - got)}; "
                             f"not in trueno: {sorted(got - expected)} (run tools/gen_stubs.py)")


@pytest.mark.parametrize("name", ["linalg", "fft", "nn"])
def test_submodule_stub_names_are_its_all(name):
    module = getattr(trueno, name)
    functions = {n for n in stub_names(STUBS / f"{name}.pyi") if not n.endswith(("Result", "Error"))}
    assert functions == set(module.__all__)


def test_array_stub_has_every_array_member():
    tree = ast.parse((STUBS / "__init__.pyi").read_text())
    (array_class,) = [n for n in tree.body if isinstance(n, ast.ClassDef) and n.name == "Array"]
    skip = _load_generator().ARRAY_SKIP
    in_stub = ({n.name for n in array_class.body if isinstance(n, ast.FunctionDef)}
               | {n.target.id for n in array_class.body if isinstance(n, ast.AnnAssign)}) - skip
    live = {n for n in vars(trueno.Array) if n not in skip}
    assert in_stub == live


def test_stubs_are_current():
    result = subprocess.run([sys.executable, str(ROOT / "tools" / "gen_stubs.py"), "--check"],
                            capture_output=True, text=True, env=os.environ)
    assert result.returncode == 0, result.stderr
    assert "no type rule" not in result.stderr, result.stderr


def _mypy(*files: Path) -> str:
    pytest.importorskip("mypy")
    env = dict(os.environ, MYPYPATH=str(ROOT / "src"))
    result = subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "--no-incremental", "--cache-dir", os.devnull,
         "--no-error-summary", "--show-error-codes", *map(str, files)],
        capture_output=True, text=True, env=env, cwd=TYPING_DIR)
    assert "Traceback" not in result.stderr, result.stderr
    return result.stdout


@pytest.fixture(scope="module")
def mypy_output() -> str:
    return _mypy(TYPING_DIR / "sample_program.py", TYPING_DIR / "rejected_program.py")


def test_mypy_strict_accepts_the_sample_program(mypy_output):
    errors = [line for line in mypy_output.splitlines() if line.startswith("sample_program.py")]
    assert errors == []


def test_mypy_strict_finds_each_planted_error(mypy_output):
    source = (TYPING_DIR / "rejected_program.py").read_text().splitlines()
    planted = {i + 1 for i, line in enumerate(source) if re.search(r"#\s*E:", line)}
    found = {int(m.group(1)) for m in re.finditer(r"^rejected_program\.py:(\d+): error", mypy_output, re.M)}
    assert len(planted) >= 8
    assert planted == found, f"planted {sorted(planted)}, mypy reported {sorted(found)}:\n{mypy_output}"


def test_sample_program_runs():
    env = dict(os.environ)
    result = subprocess.run([sys.executable, str(TYPING_DIR / "sample_program.py")],
                            capture_output=True, text=True, env=env)
    assert result.returncode == 0, result.stderr


def test_stubtest_finds_stubs_and_module_consistent(tmp_path):
    """mypy's stubtest imports trueno and checks each stubbed name's kind,
    parameters (names, kinds, defaults) against the stubs."""
    pytest.importorskip("mypy")
    # Only the stubs are under test: mypy skips the errors of unstubbed modules.
    unstubbed = sorted(p.stem for p in STUBS.glob("*.py") if not p.with_suffix(".pyi").exists())
    config = tmp_path / "mypy.ini"
    config.write_text("[mypy]\n" + "".join(f"[mypy-trueno.{m}]\nignore_errors = True\n" for m in unstubbed))
    env = dict(os.environ, MYPYPATH=str(ROOT / "src"))
    result = subprocess.run(
        [sys.executable, "-m", "mypy.stubtest", "trueno", "--ignore-missing-stub", "--mypy-config-file",
         str(config), "--allowlist", str(TYPING_DIR / "stubtest_allowlist.txt"), "--ignore-unused-allowlist"],
        capture_output=True, text=True, env=env, cwd=tmp_path, timeout=600)
    assert result.returncode == 0, result.stdout + result.stderr

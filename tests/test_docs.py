"""Every example of the documentation site runs, so the pages cannot drift
from the code: each page of docs/ goes through tests/docs_examples.py in its
own process (the conventions are in that file's docstring), in a scratch
folder where the repository's docs/, tests/, benchmarks/ and conformance/ are linked
in and ``python`` is this interpreter."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

import trueno

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"
sys.path.insert(0, str(Path(__file__).parent))
import docs_examples  # noqa: E402

PAGES = sorted(p for p in DOCS.rglob("*.rst") if "_build" not in p.relative_to(DOCS).parts)


def _page_id(page: Path) -> str:
    return str(page.relative_to(DOCS))


def test_the_site_has_pages():
    assert (DOCS / "index.rst") in PAGES and len(PAGES) >= 10, PAGES


@pytest.mark.parametrize("page", PAGES, ids=_page_id)
def test_page_examples_run(page, tmp_path):
    examples = docs_examples.parse(page)   # refuses unknown languages, skips without reasons
    if not any(e.skip is None for e in examples):
        return   # nothing to run (an API list, a page of links): parse() checked its marks
    for folder in ("docs", "tests", "benchmarks", "conformance"):
        (tmp_path / folder).symlink_to(ROOT / folder)
    bin_dir = tmp_path / ".bin"
    bin_dir.mkdir()
    (bin_dir / "python").symlink_to(sys.executable)
    env = dict(os.environ)
    env["PATH"] = f"{bin_dir}{os.pathsep}{env.get('PATH', '')}"
    # the trueno under test, also where it is a development build on sys.path
    package_parent = str(Path(trueno.__file__).parent.parent)  # not resolved: a dev build links its .py files
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [package_parent, env.get("PYTHONPATH")]))
    for name in ("TRUENO_ISA", "TRUENO_NUM_THREADS", "TRUENO_DEFAULT_DEVICE", "TRUENO_TEST_BACKEND",
                 "SCIPY_ARRAY_API", "CUBED_BACKEND_ARRAY_API_MODULE"):
        env.pop(name, None)   # the pages set what they need, as a reader would
    done = subprocess.run([sys.executable, str(ROOT / "tests" / "docs_examples.py"), str(page)],
                          cwd=tmp_path, env=env, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stdout[-12000:] + done.stderr[-4000:]


def test_the_runner_refuses_an_unrun_language_and_a_skip_without_reason(tmp_path):
    page = tmp_path / "page.rst"
    page.write_text("Title\n=====\n\n.. code-block:: bash\n\n   echo hi\n")
    with pytest.raises(ValueError, match="language 'bash'"):
        docs_examples.parse(page)
    page.write_text("Title\n=====\n\n.. docs-test: skip\n\n.. code-block:: python\n\n   1 / 0\n")
    with pytest.raises(ValueError, match="needs a reason"):
        docs_examples.parse(page)


def test_the_runner_finds_a_wrong_output(tmp_path):
    page = tmp_path / "page.rst"
    page.write_text("Title\n=====\n\n>>> 1 + 1\n3\n\n.. code-block:: console\n\n   $ false\n")
    done = subprocess.run([sys.executable, str(ROOT / "tests" / "docs_examples.py"), str(page)],
                          cwd=tmp_path, capture_output=True, text=True)
    assert done.returncode == 1 and "2 example(s) failed" in done.stdout, done.stdout


def test_the_runner_refuses_a_literal_block(tmp_path):
    page = tmp_path / "page.rst"
    page.write_text("Title\n=====\n\nRun this::\n\n   rm -rf /\n")
    with pytest.raises(ValueError, match="literal block"):
        docs_examples.parse(page)

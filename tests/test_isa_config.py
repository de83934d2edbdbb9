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

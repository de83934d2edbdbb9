"""The README's "NumPy, and beyond one machine" example runs as written, on trueno chunks."""
from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

for engine in ("cubed", "dask.array", "distributed"):
    pytest.importorskip(engine, reason=f"{engine} is not installed (pip install 'trueno[scale]')")

README = Path(__file__).resolve().parent.parent / "README.md"
CHECKS = '''
    import numpy as np
    for result in (local, out_of_core, on_cluster):
        assert type(result) is xp.Array and result.dtype == xp.float32, type(result)
        np.testing.assert_allclose(np.asarray(result), np.asarray(local), rtol=1e-5, atol=1e-5)
    print("three engines agree")
'''


def test_readme_scale_example_runs(tmp_path):
    text = README.read_text()
    section = text[text.index("## NumPy, and beyond one machine"):]
    block = re.search(r"```python\n(.*?)```", section, re.S).group(1)
    script = tmp_path / "example.py"
    script.write_text(block + CHECKS)
    import trueno

    env = dict(os.environ, CUBED_BACKEND_ARRAY_API_MODULE="trueno")
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(Path(trueno.__file__).parent.parent),
                                                      env.get("PYTHONPATH")]))
    result = subprocess.run([sys.executable, str(script)], capture_output=True, text=True, env=env,
                            cwd=tmp_path, timeout=600)
    assert result.returncode == 0 and "three engines agree" in result.stdout, result.stdout + result.stderr[-4000:]

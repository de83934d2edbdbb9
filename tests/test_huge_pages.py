"""Large buffers are backed by transparent huge pages, as NumPy's are.

Without the advice a fresh 128 MiB result takes 32768 page faults on first
touch, which doubled the time of elementwise ops on large arrays.
"""
from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pytest

import trueno as xp

THP = Path("/sys/kernel/mm/transparent_hugepage/enabled")


def thp_mode() -> str:
    text = THP.read_text()
    return text[text.index("[") + 1:text.index("]")]


def anon_huge_kib(address: int) -> int:
    """AnonHugePages of the mapping that holds `address`, from /proc/self/smaps."""
    inside = False
    for line in Path("/proc/self/smaps").read_text().splitlines():
        head = line.split()[0]
        if "-" in head and not head.endswith(":"):
            start, end = (int(part, 16) for part in head.split("-"))
            inside = start <= address < end
        elif inside and head == "AnonHugePages:":
            return int(line.split()[1])
    raise AssertionError(f"no mapping holds {address:#x}")


@pytest.mark.skipif(not sys.platform.startswith("linux") or not THP.exists(),
                    reason="transparent huge pages are a Linux feature")
def test_large_result_is_on_huge_pages():
    if thp_mode() == "never":
        pytest.skip("transparent huge pages are disabled on this machine")
    x = xp.ones(16 << 20, dtype=xp.float32)        # 64 MiB, written by the kernel
    view = np.asarray(x)
    assert view[-1] == 1.0
    # the middle: the block's first partial page stays a separate, unadvised mapping
    assert anon_huge_kib(view.ctypes.data + view.nbytes // 2) >= 2048


def test_small_result_is_unaffected():
    x = xp.ones(1000, dtype=xp.float32)
    assert float(xp.sum(x)) == 1000.0

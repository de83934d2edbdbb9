"""Large buffers (from 4 MiB): transparent huge pages, as NumPy's, and reuse.

Without the advice a fresh 128 MiB result takes 32768 page faults on first
touch, which doubled the time of elementwise ops on large arrays; a freed
large block waits for the next request of its size, and a request it cannot
serve releases every waiting block first, so the process never holds more
than it once had live (TRUENO_BUFFER_CACHE_MB bounds what waits).
"""
from __future__ import annotations

import os
import subprocess
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


def address(x) -> int:
    return np.asarray(x).ctypes.data


def rss_mib() -> float:
    return int(Path("/proc/self/statm").read_text().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20


@pytest.mark.skipif(not Path("/proc/self/statm").exists(), reason="reads RSS from /proc")
def test_a_freed_large_block_serves_the_next_request_of_its_size():
    x = xp.ones(16 << 20, dtype=xp.float32)
    first = address(x)
    del x
    waiting = rss_mib()                                 # the 64 MiB are still mapped
    y = xp.zeros((4096, 4096), dtype=xp.float32)       # the same size, another shape and op
    assert address(y) == first and rss_mib() < waiting + 16, (waiting, rss_mib())
    assert float(xp.max(y)) == 0.0                      # written, not the old ones
    del y


@pytest.mark.skipif(not Path("/proc/self/statm").exists(), reason="reads RSS from /proc")
def test_a_miss_releases_the_waiting_blocks():
    """Holding a freed 256 MiB block and then making 96 MiB must not hold both."""
    x = xp.ones(64 << 20, dtype=xp.float32)
    live = rss_mib()
    del x                                                # waits in the cache
    y = xp.ones(24 << 20, dtype=xp.float32)              # another size: the 256 MiB go back
    assert rss_mib() < live - 100, (live, rss_mib())
    del y


@pytest.mark.skipif(not Path("/proc/self/statm").exists(), reason="reads RSS from /proc")
def test_cache_can_be_turned_off():
    code = """if True:
        import trueno as xp
        from pathlib import Path
        import os
        rss = lambda: int(Path("/proc/self/statm").read_text().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20
        x = xp.ones(64 << 20, dtype=xp.float32)
        held = rss()
        del x
        print(held - rss())
    """
    for setting, released in (("0", True), ("1024", False)):
        env = dict(os.environ, TRUENO_BUFFER_CACHE_MB=setting)
        out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True)
        assert (float(out.stdout) > 200) == released, (setting, out.stdout)

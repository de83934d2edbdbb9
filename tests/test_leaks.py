"""Memory leaks and reference counts.

The churn test creates, operates on and frees arrays in a loop (views,
slices, setitem, DLPack round trips through NumPy, buffer-protocol exports,
exceptions raised half-way through an operation) and checks that the
resident set size does not drift by 1 MiB or more after a warm-up.

By default it runs ITERATIONS loop iterations, each creating and freeing
about 40 arrays (~10^6 arrays in all, a few seconds); set
TRUENO_LEAK_ITERATIONS=1000000 for 10^6 iterations (~40 million arrays,
minutes). A leak of a single 64-byte header per iteration shows up as
several MiB either way.
"""
from __future__ import annotations

import gc
import os
import sys
import weakref

import numpy as np
import pytest

import trueno as xp

ITERATIONS = int(os.environ.get("TRUENO_LEAK_ITERATIONS", "35000"))
WARMUP = 3000
PAGE = os.sysconf("SC_PAGE_SIZE")


def rss_bytes():
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * PAGE


def churn_once(i, base_np):
    """One iteration; returns the number of trueno arrays it made."""
    made = 0
    a = xp.asarray(base_np)                     # import (copy)
    b = xp.reshape(xp.arange(24, dtype=xp.float64), (4, 6))
    made += 2
    v = b[1:, ::2]                              # views over b's buffer
    t = v.T
    w = b[::-1, 1]
    made += 3
    b[0, :] = 7.0                               # setitem, scalar and array
    b[1:3, 2:4] = a[:2, :2]
    b[w > 10, 0] = -1.0
    made += 4
    c = (v + 1.5) * t.T - xp.sum(v, axis=0)     # elementwise + reduction
    d = xp.take(b, xp.asarray([0, 2]), axis=1)
    e = xp.concat([c, c], axis=0)
    made += 8
    n = np.from_dlpack(e)                       # DLPack export to NumPy
    f = xp.from_dlpack(n)                       # and back (zero copy)
    g = xp.from_dlpack(base_np)                 # DLPack import of a NumPy array
    m = memoryview(d)                           # buffer protocol export
    arr = np.asarray(t)                         # __array__ export
    made += 2
    del m
    # exceptions raised half-way through an operation
    try:
        xp.add(b, xp.ones((5,)))                # broadcast mismatch
    except ValueError:
        pass
    try:
        b[10, 0]
    except IndexError:
        pass
    try:
        xp.concat([b, xp.ones((2, 2), dtype=xp.int8)], axis=0)
    except (TypeError, ValueError):
        pass
    try:
        b[:, 0] = xp.ones((3,))                 # value of the wrong shape
    except ValueError:
        pass
    try:
        xp.reshape(v, (7, 7))
    except ValueError:
        pass
    try:
        xp.asarray([[1, 2], [3]])               # ragged nested list
    except ValueError:
        pass
    try:
        xp.sum(b, axis=5)
    except (ValueError, IndexError):
        pass
    made += 4
    h = xp.where(b > 3, b, -b)[:, 1:] @ xp.ones((5, 2))
    s = float(xp.max(h)) + int(xp.argmax(h)) + len(xp.unique_values(f).shape)
    made += 6
    del a, b, v, t, w, c, d, e, n, f, g, arr, h
    return made, s


@pytest.mark.skipif("asan" in os.environ.get("LD_PRELOAD", ""),
                    reason="AddressSanitizer's quarantine holds freed memory: RSS grows by design")
def test_churn_does_not_grow_rss():
    base_np = np.arange(12, dtype=np.float64).reshape(3, 4)
    for i in range(WARMUP):
        churn_once(i, base_np)
    gc.collect()
    before = rss_bytes()
    arrays = 0
    for i in range(ITERATIONS):
        made, _ = churn_once(i, base_np)
        arrays += made
    gc.collect()
    drift = rss_bytes() - before
    print(f"\n{ITERATIONS} iterations, ~{arrays} arrays: RSS drift {drift / 1024:.0f} KiB")
    assert drift < 1 << 20, f"RSS grew by {drift / 1024:.0f} KiB over {ITERATIONS} iterations"


def test_views_hold_and_release_their_base():
    base = xp.reshape(xp.arange(60, dtype=xp.float32), (6, 10))
    start = sys.getrefcount(base)
    views = [base[i:, ::2] for i in range(6)] + [base.T, base.mT, xp.flip(base, axis=0)]
    assert sys.getrefcount(base) == start  # views share the buffer, not the Python object
    del views
    gc.collect()
    assert sys.getrefcount(base) == start
    # a view outlives the array it was taken from
    view = base[2:4, 1::3]
    expected = np.arange(60, dtype=np.float32).reshape(6, 10)[2:4, 1::3]
    del base
    gc.collect()
    np.testing.assert_array_equal(np.asarray(view), expected)


def _foreign():
    data = np.arange(16, dtype=np.float64)
    return data, weakref.ref(data)


@pytest.mark.parametrize("how", ["asarray_no_copy", "from_dlpack"])
def test_imported_buffer_lives_exactly_as_long_as_needed(how):
    data, alive = _foreign()
    if how == "from_dlpack":
        arr = xp.from_dlpack(data)
    else:
        arr = xp.asarray(data, copy=False)
    view = arr[3:9]
    del data, arr
    gc.collect()
    assert alive() is not None, "the foreign buffer was freed while a view used it"
    np.testing.assert_array_equal(np.asarray(view), np.arange(3.0, 9.0))
    del view
    gc.collect()
    assert alive() is None, "the foreign buffer leaked after its last user went away"


@pytest.mark.parametrize("how", ["array", "memoryview", "dlpack"])
def test_exported_buffer_keeps_the_array_alive_then_releases_it(how):
    arr = xp.reshape(xp.arange(12, dtype=xp.int32), (3, 4))
    start = sys.getrefcount(arr)
    if how == "array":
        out = np.asarray(arr)
    elif how == "memoryview":
        out = memoryview(arr)
    else:
        out = np.from_dlpack(arr)
    assert np.asarray(out)[2, 3] == 11
    # the export pins `arr` (or its buffer); dropping it unpins it
    del out
    gc.collect()
    assert sys.getrefcount(arr) == start
    # the export outlives the name `arr`
    keep = np.from_dlpack(arr) if how == "dlpack" else np.asarray(arr)
    del arr
    gc.collect()
    np.testing.assert_array_equal(keep, np.arange(12, dtype=np.int32).reshape(3, 4))


def test_round_trip_through_numpy_frees_everything():
    data, alive = _foreign()
    for _ in range(100):
        x = xp.from_dlpack(data)
        y = np.from_dlpack(x)
        z = xp.asarray(y, copy=False)
        del x, y, z
    del data
    gc.collect()
    assert alive() is None

"""Regression tests for memory-safety bugs found in review: each one crashed,
wrote through read-only memory, or read uninitialised memory before its fix."""
from __future__ import annotations

import ctypes
import os
import subprocess
import sys

import numpy as np
import pytest

import trueno as xp


def test_list_subclass_whose_len_and_iter_disagree():
    class Lying(list):
        def __len__(self):
            return 1

        def __iter__(self):
            return iter([1.0] * 1000)

    # Read through iteration once, consistently: no write past the buffer.
    assert xp.asarray(Lying([1.0])).shape == (1000,)


def test_read_only_sources_stay_read_only():
    data = bytes(b"hello")
    x = xp.asarray(data)
    with pytest.raises(ValueError, match="read-only"):
        x[0] = 74
    assert data == b"hello"
    frozen = np.arange(3.0)
    frozen.flags.writeable = False
    y = xp.asarray(frozen)
    with pytest.raises(ValueError):
        y += 1
    assert frozen[0] == 0.0


def test_broadcast_views_are_read_only():
    a = xp.asarray([1.0, 2.0])
    b = xp.broadcast_to(a, (3, 2))
    with pytest.raises(ValueError):
        b += 1
    with pytest.raises(ValueError):
        b[0] = 5.0
    np.testing.assert_array_equal(np.asarray(a), [1.0, 2.0])


def test_uninitialised_instance_is_refused():
    bare = xp.Array.__new__(xp.Array)
    with pytest.raises(BufferError):
        memoryview(bare)
    with pytest.raises(TypeError):
        xp.add(bare, bare)


def test_nonzero_of_bool_bytes_other_than_one():
    mask = np.array([2, 0, 2, 4, 0, 2], np.uint8).view(bool)
    (idx,) = xp.nonzero(xp.asarray(mask))
    np.testing.assert_array_equal(np.asarray(idx), [0, 2, 3, 5])


@pytest.mark.parametrize("key", [slice(0, 10, 2**63 - 1), slice(9, None, -(2**63)),
                                 slice(None, 10**30), slice(-(10**30), None)])
def test_extreme_slices_match_python(key):
    assert xp.arange(10)[key].shape == (len(range(10)[key]),)


PyBUF_C_CONTIGUOUS = 0x0020 | 0x0008 | 0x0010


def test_buffer_protocol_honours_contiguity_requests():
    c = xp.reshape(xp.arange(6.0), (2, 3))
    assert memoryview(c).c_contiguous
    view = memoryview(c.mT)  # a strided export is fine...
    assert not view.c_contiguous
    with pytest.raises(BufferError):  # ...but a C-contiguous request must be refused
        ctypes.pythonapi.PyObject_GetBuffer.argtypes = [ctypes.py_object, ctypes.c_void_p, ctypes.c_int]
        raw = (ctypes.c_char * 200)()
        ctypes.pythonapi.PyObject_GetBuffer(c.mT, ctypes.addressof(raw), PyBUF_C_CONTIGUOUS)


def test_read_only_array_refuses_unversioned_dlpack():
    frozen = np.arange(3.0)
    frozen.flags.writeable = False
    y = xp.asarray(frozen)
    with pytest.raises(BufferError):
        y.__dlpack__()
    np.testing.assert_array_equal(np.from_dlpack(y), frozen)


@pytest.mark.parametrize("make", [
    lambda: xp.tile(xp.empty((0, 2, 9, 16)), (2**33, 2**33)),
    lambda: xp.zeros((0, 2**62, 4)),
    lambda: xp.empty((2**40, 0, 2**40)),
    lambda: xp.reshape(xp.empty((0,)), (0, 2**40, 2**40)),
])
def test_zero_size_shapes_whose_other_dimensions_overflow_are_refused(make):
    # Found by tests/fuzz: a zero-size shape skipped the overflow check, and
    # the C-order strides computed from its other dimensions overflowed int64
    # (undefined behaviour; NumPy refuses such shapes too).
    with pytest.raises(ValueError):
        make()


@pytest.mark.parametrize("step", [2**63 - 1, -(2**63), 2**62])
def test_huge_slice_steps_do_not_overflow_the_stride(step):
    # Found by tools/sanitize-tests.sh (UBSan): the view's stride was
    # itemsize * step, a signed overflow; a one-element slice never steps.
    x = xp.arange(10)
    start = 0 if step > 0 else 9
    view = x[start::step]
    assert view.shape == (1,)
    assert view.strides == (8,)
    assert int(view[0]) == start


# ---- sizes formed from huge views (issue 15, items 2-4): each crashed ----------

def run_isolated(code: str) -> subprocess.CompletedProcess:
    """A reproducer that crashed the interpreter runs in its own process."""
    return subprocess.run([sys.executable, "-c", "import trueno as xp\n" + code], capture_output=True,
                          text=True, timeout=120, env=dict(os.environ, PYTHONPATH=os.pathsep.join(sys.path)))


@pytest.mark.parametrize("length", [2**62, 2**61 + 1, 2**60])
def test_views_whose_bytes_overflow_are_refused(length):
    """Every array, a view too, has its byte count within int64, as NumPy's."""
    with pytest.raises(ValueError, match=r"broadcast_to\(\): .* needs more bytes than fit in int64"):
        xp.broadcast_to(xp.asarray(1.0), (length,))
    x = xp.broadcast_to(xp.asarray(1, dtype=xp.int8), (2**62,))       # 2**62 bytes: allowed
    assert x.nbytes == 2**62 and x.size == 2**62


@pytest.mark.parametrize("code", [
    "x = xp.broadcast_to(xp.asarray(1, dtype=xp.int8), (2**61,)); xp.concat([x] * 5)",
    "x = xp.broadcast_to(xp.asarray(1, dtype=xp.int8), (2**61,)); xp.concat([x] * 5, axis=None)",
    "x = xp.broadcast_to(xp.asarray(1, dtype=xp.int8), (1, 2**61)); xp.concat([x] * 5, axis=1)",
])
def test_concat_lengths_that_wrap_are_refused(code):
    result = run_isolated(code)
    assert result.returncode == 1 and "concat(): the result would have more elements than fit in int64" \
        in result.stderr, (result.returncode, result.stderr[-500:])


def test_concat_of_huge_views_reports_memory():
    result = run_isolated("x = xp.broadcast_to(xp.asarray(1, dtype=xp.int8), (2**60,)); "
                          "xp.diff(x, prepend=x, append=x)")
    assert result.returncode == 1 and "MemoryError" in result.stderr, result.stderr[-500:]


@pytest.mark.parametrize("offset", [-2**31, -2**31 - 1, 2**31, -2**63, 2**40, -4, 4])
@pytest.mark.parametrize("shape", [(3, 3), (2, 3, 4)])
def test_diagonal_and_trace_offsets_outside_the_matrix(shape, offset):
    x = np.arange(np.prod(shape), dtype=np.float64).reshape(shape)
    got = xp.linalg.diagonal(xp.asarray(x), offset=offset)
    assert got.shape == x.shape[:-2] + (0,)
    np.testing.assert_array_equal(np.asarray(xp.linalg.trace(xp.asarray(x), offset=offset)),
                                  np.zeros(x.shape[:-2]))


def test_diagonal_is_a_read_only_view_computed_without_numpy():
    base = xp.reshape(xp.arange(24.0), (2, 3, 4))
    got = xp.linalg.diagonal(base, offset=1)
    np.testing.assert_array_equal(np.asarray(got), np.diagonal(np.asarray(base), 1, -2, -1))
    with pytest.raises(ValueError, match="read-only"):
        got[0, 0] = 5.0
    # a view: a matrix of 2**61 columns, offsets beyond NumPy's C int
    wide = xp.broadcast_to(xp.asarray(7, dtype=xp.int8), (3, 2**61))
    d = xp.linalg.diagonal(wide, offset=2**61 - 2)
    assert d.shape == (2,) and d.tolist() == [7, 7]
    assert int(xp.linalg.trace(wide, offset=2**61 - 2)) == 14
    assert int(xp.linalg.trace(wide, offset=-(2**62))) == 0


# Each public function names itself in the errors of the functions it is
# built from (tile from broadcast_to and reshape, stack from concat...).
HUGE = "xp.broadcast_to(xp.asarray(1.0), (2**40,))"
NAMED_REFUSALS = {
    "asarray": f"xp.asarray({HUGE}, copy=True)",
    "reshape": f"xp.reshape({HUGE}, (-1,), copy=True)",
    "from_dlpack": f"xp.from_dlpack({HUGE}, copy=True)",
    "roll": f"xp.roll({HUGE}, 3)",
    "stack": f"xp.stack([{HUGE}] * 2)",
    "diff": f"xp.diff({HUGE})",
    "tile": f"xp.tile({HUGE}, (3,))",
    "repeat": f"xp.repeat({HUGE}, 3)",
    "linalg.trace": "xp.linalg.trace(xp.broadcast_to(xp.asarray(1.0), (2**40, 3, 3)), dtype=xp.float32)",
    "sum": "xp.sum(xp.broadcast_to(xp.asarray(1, dtype=xp.int8), (2**62,)))",
    "argmax": "xp.argmax(xp.broadcast_to(xp.asarray(1, dtype=xp.int8), (2**61, 2)), axis=0)",
}


@pytest.mark.parametrize("func", NAMED_REFUSALS)
def test_refusals_name_the_function_called(func):
    with pytest.raises((MemoryError, ValueError)) as info:
        eval(NAMED_REFUSALS[func])  # noqa: S307 - the call is the table's
    assert str(info.value).startswith(f"{func}(): "), str(info.value)


def test_tile_refusal_names_tile():
    with pytest.raises(ValueError, match=r"^tile\(\): shape .* more elements than fit in int64"):
        xp.tile(xp.broadcast_to(xp.asarray(1.0), (2**40,)), (2**30,))


# ---- DLPack import checks the producer's tensor (issue 15, item 5) --------------

@pytest.mark.parametrize("make, message", [
    (lambda P: P([-5]), "negative dimension -5"),
    (lambda P: P([2, 3], null_shape=True), "has no shape"),
    (lambda P: P([2, 3], ndim=-1), "-1 dimensions"),
    (lambda P: P([2] * 65), "65 dimensions"),
    (lambda P: P([2**32, 2**32]), "overflows int64"),
    (lambda P: P([4], strides=[2**62]), "overflows int64"),
    (lambda P: P([3], strides=[-2**63]), "overflows int64"),
    (lambda P: P([2**61, 2], strides=[0, 1]), "bytes than fit in int64"),
])
def test_hostile_dlpack_tensors_are_refused(make, message):
    from hostile_dlpack import Producer

    for importer in (xp.from_dlpack, xp.asarray):
        with pytest.raises(ValueError, match=message):
            importer(make(Producer))


def test_honest_dlpack_producer_still_imports():
    from hostile_dlpack import Producer

    x = xp.from_dlpack(Producer([2, 4], data_bytes=64))
    assert x.shape == (2, 4) and x.dtype == xp.float64 and float(xp.sum(x)) == 0.0
    wide = xp.from_dlpack(Producer([2**40], strides=[0]))       # a broadcast view: legal
    assert wide.shape == (2**40,) and wide.strides == (0,)


@pytest.mark.parametrize("call", ["x.tolist()", "xp.asarray(x, copy=True)", "bytes(memoryview(x))",
                                  "xp.sort(x)", "xp.cumulative_sum(x)", "xp.tile(x, (4,))"])
def test_huge_broadcast_views_raise_memory_errors_promptly(call):
    # tolist grew its lists row by row until the machine's memory was gone
    code = f"import trueno as xp\nx = xp.broadcast_to(xp.asarray(1.0), (2**40,))\n{call}"
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert proc.returncode == 1 and "MemoryError" in proc.stderr, proc.stderr[-2000:]


@pytest.mark.parametrize("dtype,offset", [("float64", 1), ("float64", 4), ("int32", 2), ("complex64", 2),
                                          ("complex128", 4), ("uint16", 1)])
def test_unaligned_foreign_memory_is_copied_into_alignment(dtype, offset):
    # Elements are read as their C++ type and loops may be vectorised
    # assuming alignment (UBSan: "load of misaligned address" in Dask workers)
    itemsize = np.dtype(dtype).itemsize
    raw = bytearray(itemsize * 10 + offset)
    unaligned = np.frombuffer(raw, dtype=dtype, offset=offset, count=10)
    unaligned[...] = np.arange(10)
    assert not unaligned.flags.aligned
    t = xp.asarray(unaligned)
    assert not np.shares_memory(np.asarray(t), unaligned)
    np.testing.assert_array_equal(np.asarray(xp.cumulative_sum(t)), np.cumsum(unaligned))
    assert np.asarray(t).ctypes.data % np.dtype(dtype).alignment == 0
    for call in (lambda: xp.asarray(unaligned, copy=False), lambda: xp.from_dlpack(unaligned, copy=False)):
        with pytest.raises(ValueError, match="not aligned .* copy=False forbids a copy"):
            call()
    strided = np.frombuffer(raw, dtype=np.uint8)[: itemsize * 5 + 1].view(np.uint8)
    assert xp.asarray(strided).shape == strided.shape  # bytes have no alignment to keep


def test_aligned_foreign_memory_stays_shared():
    a = np.arange(12.0)
    assert np.shares_memory(np.asarray(xp.asarray(a)), a)
    assert np.shares_memory(np.asarray(xp.asarray(a[1::3])), a)

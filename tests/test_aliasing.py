"""Aliasing: results written over (parts of) their own operands.

Each case runs the same statement on a NumPy array and on a trueno array of
the same values and layout, and compares the arrays afterwards. NumPy's
answer is the "as if every right-hand side were evaluated into a temporary
first" answer the spec implies, which is what overlapping writes must give.
"""
from __future__ import annotations

import numpy as np
import pytest

import trueno as xp

DTYPES = ["int32", "float32", "float64", "complex64"]


def both(shape, dtype, start=1):
    n = np.arange(start, start + int(np.prod(shape))).reshape(shape).astype(dtype)
    if np.dtype(dtype).kind == "c":
        n = n + 1j * n[::-1].reshape(shape)
    return n, xp.asarray(n)


def check(n, t):
    got = np.asarray(t)
    assert got.dtype == n.dtype
    np.testing.assert_array_equal(got, n)


# statement applied to a NumPy or a trueno array `a`; `m` is the module
SETITEM_CASES = {
    "shift_right": lambda m, a: a.__setitem__(slice(1, None), a[:-1]),
    "shift_left": lambda m, a: a.__setitem__(slice(None, -1), a[1:]),
    "reverse_into_self": lambda m, a: a.__setitem__(Ellipsis, a[::-1]),
    "every_other_from_self": lambda m, a: a.__setitem__(slice(None, None, 2), a[1::2] if a.shape[0] % 2 == 0 else a[::2]),
    "ellipsis_f_of_x": lambda m, a: a.__setitem__(Ellipsis, m.multiply(a, a) - a),
    "row_shift_2d": lambda m, a: a.__setitem__((slice(1, None), slice(None)), a[:-1, :]) if a.ndim == 2 else None,
    "col_shift_2d": lambda m, a: a.__setitem__((slice(None), slice(1, None)), a[:, :-1]) if a.ndim == 2 else None,
    "transpose_into_self": lambda m, a: a.__setitem__(Ellipsis, a.T) if a.ndim == 2 and a.shape[0] == a.shape[1] else None,
    "broadcast_row_from_self": lambda m, a: a.__setitem__(Ellipsis, a[:1]),
}


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("shape", [(9,), (16,), (4, 4), (5, 7)])
@pytest.mark.parametrize("case", sorted(SETITEM_CASES))
def test_overlapping_setitem(case, shape, dtype):
    n, t = both(shape, dtype)
    SETITEM_CASES[case](np, n)
    SETITEM_CASES[case](xp, t)
    check(n, t)


INPLACE_OPS = ["__iadd__", "__isub__", "__imul__"]


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("op", INPLACE_OPS)
def test_inplace_on_overlapping_views(op, dtype):
    for shape in [(9,), (33,), (1000,)]:
        n, t = both(shape, dtype)
        getattr(n[1:], op)(n[:-1])
        getattr(t[1:], op)(t[:-1])
        check(n, t)
        n, t = both(shape, dtype)
        getattr(n[:-2], op)(n[2:])
        getattr(t[:-2], op)(t[2:])
        check(n, t)
        n, t = both(shape, dtype)
        getattr(n[::-1], op)(n)          # reversed self
        getattr(t[::-1], op)(t)
        check(n, t)


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("size", [3, 4, 17, 64])
def test_inplace_with_transposed_self(dtype, size):
    n, t = both((size, size), dtype)
    n += n.T
    t += t.T
    check(n, t)
    n, t = both((size, size), dtype)
    n *= n.T
    t *= t.mT
    check(n, t)
    n, t = both((size, size), dtype)
    n[1:, :-1] -= n[:-1, 1:].T
    t[1:, :-1] -= t[:-1, 1:].T
    check(n, t)


def test_inplace_true_divide_and_pow_on_overlap():
    n, t = both((20,), "float64")
    n[1:] /= n[:-1]
    t[1:] /= t[:-1]
    np.testing.assert_allclose(np.asarray(t), n, rtol=1e-15)
    n, t = both((10,), "float64")
    n[:-1] **= n[1:] / 10
    t[:-1] **= t[1:] / 10
    np.testing.assert_allclose(np.asarray(t), n, rtol=1e-14)


def test_inplace_bitwise_and_shift_on_overlap():
    n, t = both((16,), "int64")
    n[1:] ^= n[:-1]
    t[1:] ^= t[:-1]
    check(n, t)
    n, t = both((16,), "int64")
    n[:-1] <<= n[1:] % 5
    t[:-1] <<= t[1:] % 5
    check(n, t)


@pytest.mark.parametrize("dtype", ["float32", "float64", "int64"])
def test_reductions_written_into_views_of_their_input(dtype):
    n, t = both((5, 6), dtype)
    n[0] = np.sum(n, axis=0)
    t[0] = xp.sum(t, axis=0)
    check(n, t)
    n, t = both((5, 6), dtype)
    n[:, 0] = np.max(n, axis=1)
    t[:, 0] = xp.max(t, axis=1)
    check(n, t)
    n, t = both((5, 6), dtype)
    n[1:, 2] = np.cumsum(n[:-1, 2])
    t[1:, 2] = xp.cumulative_sum(t[:-1, 2])
    check(n, t)
    n, t = both((8,), dtype)
    n[...] = np.sort(n[::-1])[::-1]
    t[...] = xp.sort(t[::-1])[::-1]
    check(n, t)


def test_matmul_into_self_and_operand_views():
    n, t = both((4, 4), "float64")
    n[...] = n @ n
    t[...] = t @ t
    check(n, t)
    n, t = both((6, 3), "float64")
    n[:3] = n[:3] @ n[3:].T @ n[:3] / 100
    t[:3] = t[:3] @ t[3:].T @ t[:3] / 100
    np.testing.assert_allclose(np.asarray(t), n, rtol=1e-14)


def test_advanced_index_setitem_from_overlapping_source():
    n, t = both((10,), "float64")
    idx = np.array([9, 0, 3, 3, 5])
    n[idx[[0, 1, 2, 4]]] = n[1:5]
    t[xp.asarray(idx[[0, 1, 2, 4]])] = t[1:5]
    check(n, t)
    n, t = both((4, 5), "int32")
    mask = (n % 3) == 0
    n[mask] = n[mask][::-1]
    t[xp.asarray(mask)] = t[xp.asarray(mask)][::-1]
    check(n, t)


def test_where_and_clip_results_into_their_inputs():
    n, t = both((7, 3), "float64")
    n[...] = np.where(n > 8, n[::-1], n)
    t[...] = xp.where(t > 8, t[::-1], t)
    check(n, t)
    n, t = both((12,), "float32")
    n[2:] = np.clip(n[:-2], 3, 9)
    t[2:] = xp.clip(t[:-2], 3, 9)
    check(n, t)


def test_astype_and_concat_back_into_source():
    n, t = both((10,), "int32")
    n[1:] = (n[:-1].astype("float64") * 2).astype("int32")
    t[1:] = xp.astype(xp.astype(t[:-1], xp.float64) * 2, xp.int32)
    check(n, t)
    n, t = both((3, 4), "float64")
    n[...] = np.concatenate([n[1:], n[:1]])
    t[...] = xp.concat([t[1:], t[:1]])
    check(n, t)

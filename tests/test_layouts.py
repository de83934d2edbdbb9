"""Non-C layouts: results of transposed, permuted, sliced and mixed-layout
operands match NumPy's, elementwise results take a transposed input's layout
(as NumPy's do, so they run as one flat loop), and the tiled walk of mixed
layouts gives the same bits at any thread count."""
from __future__ import annotations

import numpy as np
import pytest

import trueno as xp


def _random(shape, dtype=np.float32, seed=0):
    return np.random.default_rng(seed).standard_normal(shape).astype(dtype)


@pytest.mark.parametrize("axes", [(1, 0), (2, 0, 1), (1, 2, 0), (2, 1, 0)])
def test_unary_result_follows_a_transposed_input(axes):
    base = _random((5, 70, 130)[: len(axes)])
    x = np.transpose(base, axes)
    got = xp.exp(xp.permute_dims(xp.asarray(base), axes))
    np.testing.assert_allclose(np.asarray(got), np.exp(x), rtol=2e-7)
    # the same memory order as the input: strides sorted alike
    got_order = np.argsort(np.asarray(got).strides)
    assert list(got_order) == list(np.argsort(x.strides))


def test_binary_result_follows_operands_that_agree():
    a, b = _random((70, 130)), _random((70, 130), seed=1)
    got = xp.add(xp.asarray(a).T, xp.asarray(b).T)
    np.testing.assert_array_equal(np.asarray(got), a.T + b.T)
    assert np.asarray(got).flags.f_contiguous
    scaled = xp.asarray(a).T * 2.0  # a scalar operand agrees with any layout
    np.testing.assert_array_equal(np.asarray(scaled), a.T * np.float32(2.0))
    assert np.asarray(scaled).flags.f_contiguous


def test_mixed_layouts_give_c_order_results():
    a = _random((70, 130))
    b = _random((130, 70), seed=1)
    got = xp.asarray(a) + xp.asarray(b).T
    np.testing.assert_array_equal(np.asarray(got), a + b.T)
    assert np.asarray(got).flags.c_contiguous


@pytest.mark.parametrize("shape", [(1, 1), (63, 65), (64, 64), (200, 3), (3, 200), (129, 257)])
def test_tiled_mixed_layout_matches_numpy(shape):
    a = _random(shape)
    b = _random(shape[::-1], seed=1)
    np.testing.assert_array_equal(np.asarray(xp.asarray(a) - xp.asarray(b).T), a - b.T)
    np.testing.assert_array_equal(np.asarray(xp.asarray(b).T * xp.asarray(a)), b.T * a)


def test_tiled_walk_with_outer_axes_and_negative_strides():
    a = _random((3, 90, 70))
    b = _random((3, 70, 90), seed=1)
    tb = np.swapaxes(b, 1, 2)[:, ::-1, :]
    got = xp.asarray(a) * xp.flip(xp.permute_dims(xp.asarray(b), (0, 2, 1)), axis=1)
    np.testing.assert_array_equal(np.asarray(got), a * tb)


def test_layout_walks_are_bitwise_identical_across_thread_counts():
    a = _random((700, 300), np.float64)
    b = _random((300, 700), np.float64, seed=1)
    ta, tb = xp.asarray(a), xp.asarray(b)
    before = xp.get_num_threads()
    try:
        results = []
        for threads in (1, 2):
            xp.set_num_threads(threads)
            results.append([np.asarray(f()) for f in (lambda: xp.exp(tb.T), lambda: ta + tb.T,
                                                      lambda: xp.sum(tb.T), lambda: xp.max(tb.T, axis=0))])
        for one, two in zip(*results):
            np.testing.assert_array_equal(one, two)
    finally:
        xp.set_num_threads(before)


@pytest.mark.parametrize("name", ["sum", "prod", "max", "min", "mean", "var", "argmax", "argmin"])
def test_reductions_over_transposed_blocks(name):
    base = _random((4, 30, 50), np.float64) / 4 + 1  # prod stays finite
    x = np.transpose(base, (2, 0, 1))
    tx = xp.permute_dims(xp.asarray(base), (2, 0, 1))
    for axis in (None, (0, 2), (1, 2)):
        if name.startswith("arg"):
            if axis is not None and len(axis) > 1:
                continue
            got, expected = getattr(xp, name)(tx), getattr(np, name)(x)  # flat C-order index
        else:
            got, expected = getattr(xp, name)(tx, axis=axis), getattr(np, name)(x, axis=axis)
        np.testing.assert_allclose(np.asarray(got), expected, rtol=1e-12)

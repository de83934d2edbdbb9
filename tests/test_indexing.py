"""__getitem__/__setitem__ against NumPy: basic and advanced indexing, views."""
from __future__ import annotations

import numpy as np
import pytest

import trueno as xp

BASE = np.arange(60).reshape(3, 4, 5)

GET_KEYS = [
    0, -1, (1, 2), (1, 2, 3), slice(None), slice(1, None, 2), slice(None, None, -1),
    slice(-2, -5, -2), (Ellipsis, 1), (None, 1), (slice(None), None, 2), (1, Ellipsis, None),
    (slice(10, 20),), (slice(-100, 100, 3),), (),
]


@pytest.mark.parametrize("key", GET_KEYS, ids=repr)
def test_basic_getitem_is_a_view(key):
    a = xp.asarray(BASE)
    got = a[key]
    expected = BASE[key]
    np.testing.assert_array_equal(np.asarray(got), expected)
    if np.asarray(got).size:
        assert np.shares_memory(np.asarray(got), np.asarray(a))


ADV_KEYS = [
    ([0, 2],), (slice(None), [1, 3]), ([0, 2], [1, 3]), ([[0], [2]], [1, 3]),
    (0, slice(None), [1, 4]), ([0, 1], slice(None), [1, 4]), (BASE % 2 == 0,),
    (BASE[:, :, 0] > 20,), (Ellipsis, [0, -1]), (True,), (False,),
]


@pytest.mark.parametrize("key", ADV_KEYS, ids=range(len(ADV_KEYS)))
def test_advanced_getitem(key):
    a = xp.asarray(BASE)
    xkey = tuple(xp.asarray(k) if isinstance(k, (list, np.ndarray)) else k for k in key)
    np.testing.assert_array_equal(np.asarray(a[xkey]), BASE[key])


@pytest.mark.parametrize("key", GET_KEYS[:-1] + ADV_KEYS, ids=range(len(GET_KEYS) - 1 + len(ADV_KEYS)))
def test_setitem_matches_numpy(key):
    a_np = BASE.copy()
    a = xp.asarray(a_np.copy())
    xkey = tuple(xp.asarray(k) if isinstance(k, (list, np.ndarray)) else k for k in key) \
        if isinstance(key, tuple) else key
    a[xkey] = -7
    a_np[key] = -7
    np.testing.assert_array_equal(np.asarray(a), a_np)


def test_setitem_broadcasts_array_values():
    a_np = np.zeros((3, 4))
    a = xp.asarray(a_np.copy())
    a[1:, :] = xp.asarray([1.0, 2.0, 3.0, 4.0])
    a_np[1:, :] = [1.0, 2.0, 3.0, 4.0]
    np.testing.assert_array_equal(np.asarray(a), a_np)


def test_setitem_with_overlapping_source():
    a = xp.arange(10)
    a_np = np.arange(10)
    a[1:] = a[:-1]
    a_np[1:] = a_np[:-1].copy()
    np.testing.assert_array_equal(np.asarray(a), a_np)


@pytest.mark.parametrize("key,exc", [
    (3, IndexError), (-4, IndexError), ((0, 0, 0, 0), IndexError), ("a", IndexError),
    ((Ellipsis, Ellipsis), IndexError), (slice(None, None, 0), ValueError), (1.5, IndexError),
])
def test_bad_indices_raise(key, exc):
    with pytest.raises(exc):
        xp.asarray(BASE)[key]


def test_out_of_bounds_integer_array_index_raises():
    with pytest.raises(IndexError):
        xp.asarray(BASE)[xp.asarray([0, 3])]


def test_mismatched_boolean_mask_raises():
    with pytest.raises(IndexError):
        xp.asarray(BASE)[xp.asarray([True, False])]


@pytest.mark.parametrize("x_shape,mask_shape", [((0, 1), (0, 0)), ((2, 3), (2, 0)), ((1, 3), (0, 3))])
def test_zero_length_mask_axes_match_any_axis(x_shape, mask_shape):
    got = xp.zeros(x_shape)[xp.zeros(mask_shape, dtype=xp.bool)]
    assert got.shape == np.zeros(x_shape)[np.zeros(mask_shape, dtype=bool)].shape

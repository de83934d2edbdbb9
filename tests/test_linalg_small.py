"""Differential tests (against NumPy) of the native paths of the cheap linalg functions:
trace, diagonal, cross, outer, on every dtype they take, batched, broadcast, strided,
transposed and zero-size, on every ISA target."""
import numpy as np
import pytest

import trueno as xp

DTYPES = ["bool", "int8", "int32", "int64", "uint8", "uint64", "float32", "float64", "complex64",
          "complex128"]
def _data(shape, dtype, seed=0):
    rng = np.random.default_rng(seed)
    a = rng.standard_normal(shape) * 10
    if np.dtype(dtype).kind == "c":
        a = a + 1j * rng.standard_normal(shape)
    if np.dtype(dtype).kind == "b":
        return a > 0
    if np.dtype(dtype).kind == "u":
        a = np.abs(a)
    return a.astype(dtype)


def _layouts(a):
    """(name, NumPy array) pairs: contiguous, transposed, strided."""
    yield "contiguous", a
    yield "transposed", np.swapaxes(a, -1, -2)
    yield "strided", a[..., ::2, :][..., ::-1]


def _same(got, expected):
    got = np.asarray(got)
    assert got.dtype == expected.dtype, (got.dtype, expected.dtype)
    assert got.shape == expected.shape, (got.shape, expected.shape)
    np.testing.assert_array_equal(got, expected)


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("shape", [(3, 3), (4, 4), (16, 16), (5, 3), (3, 9), (10, 3, 3), (7, 4, 4),
                                   (2, 3, 20, 20), (0, 3, 3), (3, 0), (0, 0)])
@pytest.mark.parametrize("offset", [0, 1, -2, 40, -(2**70)])
def test_trace_and_diagonal(isa, dtype, shape, offset):
    for _, a in _layouts(_data(shape, dtype)):
        d = np.diagonal(a, offset=max(-a.shape[-2], min(offset, a.shape[-1])), axis1=-2, axis2=-1)
        _same(xp.linalg.diagonal(xp.asarray(a), offset=offset), d)
        got = xp.linalg.trace(xp.asarray(a), offset=offset)
        expected = d.sum(-1, dtype=np.int64 if np.dtype(dtype).kind == "b" else None)
        if np.dtype(dtype).kind in "fc":
            np.testing.assert_allclose(np.asarray(got), expected, rtol=1e-5)
            # bit for bit what trueno's sum of the diagonal gives (the formula before)
            expected = np.asarray(xp.sum(xp.linalg.diagonal(xp.asarray(a), offset=offset), axis=-1))
        _same(got, np.asarray(expected))


@pytest.mark.parametrize("dtype,into", [("int8", "int32"), ("float32", "float64"),
                                        ("complex64", "float32"), ("complex128", "complex128"),
                                        ("float64", "complex128"), ("uint8", "int64"),
                                        ("int32", "int64"), ("bool", "bool")])
def test_trace_dtype(isa, dtype, into):
    a = _data((6, 5, 5), dtype)
    got = xp.linalg.trace(xp.asarray(a), dtype=getattr(xp, into))
    d = np.diagonal(a, axis1=-2, axis2=-1)
    if np.dtype(dtype).kind == "c" and np.dtype(into).kind != "c":
        d = d.real
    expected = d.astype(into).sum(-1, dtype=into)
    if np.dtype(into).kind in "fc":
        np.testing.assert_allclose(np.asarray(got), expected, rtol=1e-5)
        dd = xp.linalg.diagonal(xp.asarray(a))
        if np.dtype(dtype).kind == "c" and np.dtype(into).kind != "c":
            dd = xp.real(dd)
        expected = xp.sum(dd, axis=-1, dtype=getattr(xp, into))
    _same(got, np.asarray(expected))


def _formula_cross(a, b, axis):
    """The formula linalg.cross composed before, of trueno's elementwise ops."""
    dtype = xp.result_type(xp.asarray(a), xp.asarray(b))
    a = xp.moveaxis(xp.astype(xp.asarray(a), dtype), axis, -1)
    b = xp.moveaxis(xp.astype(xp.asarray(b), dtype), axis, -1)
    out = xp.stack([a[..., 1] * b[..., 2] - a[..., 2] * b[..., 1],
                    a[..., 2] * b[..., 0] - a[..., 0] * b[..., 2],
                    a[..., 0] * b[..., 1] - a[..., 1] * b[..., 0]], axis=-1)
    return np.asarray(xp.moveaxis(out, -1, axis))


@pytest.mark.parametrize("dtype1,dtype2", [("float32", "float32"), ("float64", "float64"),
                                           ("float32", "float64"), ("int8", "int8"),
                                           ("int32", "int64"), ("uint8", "uint16"),
                                           ("complex64", "complex64"), ("complex128", "float64")])
@pytest.mark.parametrize("shape1,shape2,axis", [((3,), (3,), -1), ((4, 3), (4, 3), -1),
                                                ((10, 3), (3,), -1), ((2, 1, 3), (5, 3), -1),
                                                ((3, 4), (3, 4), 0), ((2, 3, 5), (3, 5), -2),
                                                ((0, 3), (0, 3), -1), ((0, 3), (3,), -1)])
def test_cross(isa, dtype1, dtype2, shape1, shape2, axis):
    a, b = _data(shape1, dtype1, 1), _data(shape2, dtype2, 2)
    if np.dtype(dtype1).kind in "iu":
        a = (a * 37).astype(dtype1)  # products that wrap
    expected = _formula_cross(a, b, axis)
    for name, (ta, tb) in {"contiguous": (a, b),
                           "strided": (np.repeat(a, 2, axis=-1 if axis != -1 else 0)[..., ::2]
                                       if axis != -1 else np.repeat(a, 2, axis=0)[::2], b),
                           "reversed": (a[..., ::-1] if axis != -1 else a, b[::-1] if b.ndim > 1 else b)
                           }.items():
        want = expected if name != "reversed" else _formula_cross(ta, tb, axis)
        _same(xp.linalg.cross(xp.asarray(ta), xp.asarray(tb), axis=axis), want)
    np.testing.assert_allclose(np.asarray(xp.linalg.cross(xp.asarray(a), xp.asarray(b), axis=axis)),
                               np.cross(a, b, axis=axis), rtol=1e-5, atol=1e-4)


@pytest.mark.parametrize("call,kind,message", [
    (lambda: xp.linalg.cross(xp.ones(3, dtype=xp.bool), xp.ones(3, dtype=xp.bool)), TypeError,
     "linalg.cross(): x1 and x2 must have numeric data types, got bool"),
    (lambda: xp.linalg.cross(xp.ones(3, dtype=xp.int64), xp.ones(3, dtype=xp.uint64)), TypeError,
     "linalg.cross(): no type promotion between int64 and uint64"),
    (lambda: xp.linalg.cross(xp.ones(3), xp.ones(3), axis=True), TypeError,
     "linalg.cross(): axis must be an integer, got bool"),
    (lambda: xp.linalg.cross(xp.ones(3), xp.ones(3), axis=1.0), TypeError,
     "linalg.cross(): axis must be an integer, got float"),
    (lambda: xp.linalg.cross(xp.ones(()), xp.ones(3)), ValueError,
     "linalg.cross(): x1 and x2 must have at least one dimension"),
    (lambda: xp.linalg.cross(xp.ones((2, 3)), xp.ones(3), axis=0), ValueError,
     "linalg.cross(): axis 0 is invalid for arrays with 2 and 1 dimensions (use a negative axis)"),
    (lambda: xp.linalg.cross(xp.ones(3), xp.ones(3), axis=2**70), ValueError,
     f"linalg.cross(): axis {2**70} is invalid for arrays with 1 and 1 dimensions (use a negative axis)"),
    (lambda: xp.linalg.cross(xp.ones(3), xp.ones(3), axis=-(2**70)), xp.AxisError,
     f"linalg.cross(): axis {-(2**70)} is out of bounds for arrays with 1 and 1 dimensions"),
    (lambda: xp.linalg.cross(xp.ones((2, 3)), xp.ones((4, 3))), ValueError,
     "linalg.cross(): shapes (2, 3) and (4, 3) cannot be broadcast"),
    (lambda: xp.linalg.cross(xp.ones(4), xp.ones(4)), ValueError,
     "linalg.cross(): the axis must have size 3 in both arrays, got 4 and 4"),
    (lambda: xp.linalg.outer(xp.ones((2, 2)), xp.ones(2)), ValueError,
     "linalg.outer(): x1 and x2 must be 1-D, got 2-D and 1-D"),
    (lambda: xp.linalg.outer(xp.ones(2), xp.ones(2, dtype=xp.bool)), TypeError,
     "linalg.outer(): x2 must have a numeric data type, got bool"),
    (lambda: xp.linalg.outer([1], xp.ones(2)), TypeError,
     "linalg.outer(): x1 must be a trueno array, got list"),
    (lambda: xp.linalg.trace(xp.ones(3)), ValueError,
     "linalg.trace(): x must have at least two dimensions, got shape (3,)"),
    (lambda: xp.linalg.diagonal(xp.ones((3, 3)), offset=1.5), TypeError,
     "linalg.diagonal(): offset must be an integer, got float"),
])
def test_messages(call, kind, message):
    with pytest.raises(kind) as info:
        call()
    assert str(info.value) == message


@pytest.mark.parametrize("dtype1,dtype2", [("float32", "float32"), ("float64", "float32"),
                                           ("int8", "int64"), ("uint8", "uint8"), ("complex64", "complex128")])
@pytest.mark.parametrize("m,n", [(4, 4), (16, 3), (0, 5), (5, 0), (1, 1)])
def test_outer(isa, dtype1, dtype2, m, n):
    a, b = _data((2 * m,), dtype1, 3), _data((n,), dtype2, 4)
    for ta in (a[:m], a[::2], a[:m][::-1]):
        expected = np.multiply.outer(ta, b)
        _same(xp.linalg.outer(xp.asarray(ta), xp.asarray(b)), np.asarray(xp.multiply(
            xp.reshape(xp.asarray(ta), (-1, 1)), xp.reshape(xp.asarray(b), (1, -1)))))
        np.testing.assert_allclose(np.asarray(xp.linalg.outer(xp.asarray(ta), xp.asarray(b))), expected, rtol=1e-6)


@pytest.mark.parametrize("dtype", ["float32", "float64", "complex64", "int32"])
@pytest.mark.parametrize("shape1,shape2", [((1000, 3), (1000, 3)), ((100, 4, 4), (100, 4, 4)),
                                           ((7, 33), (33,)), ((5, 1), (5, 1)), ((3, 0), (3, 0)),
                                           ((64, 17), (1, 17))])
def test_vecdot_short_rows(isa, dtype, shape1, shape2):
    """The batch of contiguous vectors goes to one dispatched loop (DotBatch); strided
    vectors to the scalar one; each vector's sum as when it is alone."""
    a, b = _data(shape1, dtype, 5), _data(shape2, dtype, 6)
    for ta, tb in ((a, b), (np.swapaxes(np.swapaxes(a, -1, 0).copy(), -1, 0), b)):
        got = np.asarray(xp.vecdot(xp.asarray(ta), xp.asarray(tb)))
        expected = np.sum(np.conj(ta) * tb, axis=-1, dtype=ta.dtype)
        assert got.dtype == expected.dtype and got.shape == expected.shape
        np.testing.assert_allclose(got, expected, rtol=2e-5, atol=1e-3)
        if ta.ndim == 2 and ta.shape[0] and ta.shape[-1]:
            alone = np.asarray(xp.vecdot(xp.asarray(ta[-1]), xp.asarray(tb if tb.ndim == 1 else tb[-1])))
            np.testing.assert_array_equal(got[-1], alone)


@pytest.mark.parametrize("dtype", ["float32", "float64"])
@pytest.mark.parametrize("s", [2, 3, 4, 5])
@pytest.mark.parametrize("shape1,shape2", [((100,), (100,)), ((7, 1), (1, 5)), ((3,), ()), ((0,), (0,))])
def test_matmul_tiny_batches(isa, dtype, s, shape1, shape2):
    """Batches of 2x2..4x4 float products (an unrolled loop, not a BLAS call per matrix),
    broadcast and transposed, against NumPy; 5x5 stays on BLAS."""
    a = _data(shape1 + (s, s), dtype, 7)
    b = _data(shape2 + (s, s), dtype, 8)
    for ta, tb in ((a, b), (np.swapaxes(a, -1, -2), b), (a, np.swapaxes(b, -1, -2))):
        got = np.asarray(xp.matmul(xp.asarray(ta), xp.asarray(tb)))
        expected = np.matmul(ta, tb)
        assert got.dtype == expected.dtype and got.shape == expected.shape
        np.testing.assert_allclose(got, expected, rtol=1e-5 if dtype == "float32" else 1e-12, atol=1e-4)
        if got.size:  # each product of the batch as the lone matrix's (s x s, no batch) up to rounding
            np.testing.assert_allclose(got.reshape(-1, s, s)[0], np.matmul(ta.reshape(-1, s, s)[0],
                                       tb.reshape(-1, s, s)[0]), rtol=1e-5, atol=1e-4)


def _power_by_squaring(a, n):
    """NumPy's order of products (repeated squaring from the lowest bit), on trueno's matmul."""
    z = result = None
    while n > 0:
        z = a if z is None else xp.matmul(z, z)
        n, bit = divmod(n, 2)
        if bit:
            result = z if result is None else xp.matmul(result, z)
    return result


@pytest.mark.parametrize("dtype", ["float32", "float64", "complex64", "int64"])
@pytest.mark.parametrize("shape", [(4, 4), (16, 16), (3, 3, 3), (2, 1, 5, 5), (0, 4, 4), (0, 0)])
@pytest.mark.parametrize("n", [0, 1, 2, 3, 5, 6, 13, -1, -4])
def test_matrix_power(dtype, shape, n):
    rng = np.random.default_rng(9)
    a = np.eye(shape[-1]) + 0.3 * rng.standard_normal(shape)
    a = np.round(a * 3) if dtype == "int64" else a
    a = a.astype(dtype)
    if n < 0 and dtype == "int64":
        a = a + 7 * np.eye(shape[-1], dtype=dtype)  # invertible
    ta = xp.asarray(a)
    got = xp.linalg.matrix_power(ta, n)
    fdtype = "float64" if dtype == "int64" else dtype
    base = xp.astype(ta, getattr(xp, fdtype))
    if n < 0:
        base = xp.linalg.inv(base)
    if n == 0:
        expected = np.broadcast_to(np.eye(shape[-1], dtype=fdtype), shape)
    elif abs(n) == 1:
        expected = np.asarray(base)
    else:
        expected = np.asarray(_power_by_squaring(base, abs(n)))
    _same(got, np.asarray(expected))
    if abs(n) >= 1 and got.size:
        assert not np.shares_memory(np.asarray(got), a)
        np.testing.assert_allclose(np.asarray(got), np.linalg.matrix_power(a.astype(fdtype), n), rtol=2e-3, atol=2e-3)


def test_matrix_power_huge_exponents():
    eye = xp.asarray(np.eye(3))
    _same(xp.linalg.matrix_power(eye, 2**80), np.eye(3))
    _same(xp.linalg.matrix_power(eye, -(2**80)), np.eye(3))
    with pytest.raises(TypeError, match=r"^linalg.matrix_power\(\): n must be an integer, got bool$"):
        xp.linalg.matrix_power(eye, True)
    with pytest.raises(ValueError, match=r"must be square, got shape \(2, 3\)$"):
        xp.linalg.matrix_power(xp.ones((2, 3)), 2)

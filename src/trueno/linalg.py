"""The linalg extension of the array API standard (2025.12).

The decompositions and solvers run NumPy's LAPACK bindings on zero-copy views of
trueno arrays (``numpy.asarray(x)`` uses the buffer protocol) and wrap the results
back as trueno arrays; ``matmul``, ``matrix_transpose``, ``tensordot``, ``vecdot``
and ``outer`` are trueno's native implementations.

Data types
----------
* Inputs must be trueno arrays; anything else raises ``TypeError`` naming the
  argument.
* Results keep the precision of the input (float32 -> float32, complex64 ->
  complex64, real counterparts for eigenvalues, singular values and norms,
  complex counterparts for ``eig``/``eigvals``), even where NumPy upcasts.
* Functions that the spec restricts to floating-point inputs follow NumPy's
  leniency: integer inputs are promoted to the default floating-point dtype
  (float64).  Boolean inputs raise ``TypeError``.
* Functions of two arrays promote with the spec's type promotion rules; mixed-kind
  pairs (e.g. int32 with float32), which the spec leaves undefined, raise
  ``TypeError`` exactly like ``trueno.matmul``.

Errors
------
A matrix the computation cannot take (singular for ``inv``/``solve``/a negative
``matrix_power``, not positive definite for ``cholesky``, no convergence) raises
``trueno.linalg.LinAlgError`` naming the function. It subclasses
``numpy.linalg.LinAlgError``, itself a ``ValueError``, so code that catches either
keeps working. (A class, so not in ``__all__``, which lists the spec's functions.)
"""
from __future__ import annotations

from ._core import AxisError

import builtins
import math
from typing import NamedTuple

import numpy as _np

from . import _core
from ._core import Array, matmul, matrix_transpose, multiply, reshape
from ._linear_algebra import tensordot, vecdot
from ._validation import as_bool, as_int, from_numpy, reports_as, require_array, vector_axis

__all__ = [
    "cholesky", "cross", "det", "diagonal", "eig", "eigh", "eigvals", "eigvalsh", "inv",
    "matmul", "matrix_norm", "matrix_power", "matrix_rank", "matrix_transpose", "outer",
    "pinv", "qr", "slogdet", "solve", "svd", "svdvals", "tensordot", "trace", "vecdot",
    "vector_norm",
]


class EighResult(NamedTuple):
    eigenvalues: Array
    eigenvectors: Array


class EigResult(NamedTuple):
    eigenvalues: Array
    eigenvectors: Array


class QRResult(NamedTuple):
    Q: Array
    R: Array


class SlogdetResult(NamedTuple):
    sign: Array
    logabsdet: Array


class SVDResult(NamedTuple):
    U: Array
    S: Array
    Vh: Array


class LinAlgError(_np.linalg.LinAlgError):
    """A matrix the linalg function cannot take: singular, not positive definite, or one
    the algorithm did not converge on. A ``numpy.linalg.LinAlgError`` and a ``ValueError``."""

    __module__ = "trueno.linalg"


# --------------------------------------------------------------------------- helpers

# NumPy's LinAlgError messages, as trueno words them ({} is the argument's name).
_LINALG_REASONS = {
    "Singular matrix": "{} is singular",
    "Matrix is not positive definite": "{} is not positive definite",
}


def _lapack(func: str, argname: str, numpy_function, *args, **kwargs):
    """``numpy_function(*args, **kwargs)`` with NumPy's LinAlgError raised as trueno's,
    naming the function and the argument."""
    try:
        return numpy_function(*args, **kwargs)
    except _np.linalg.LinAlgError as e:
        reason = _LINALG_REASONS.get(str(e), f"{argname}: {str(e)[:1].lower()}{str(e)[1:]}")
        raise LinAlgError(f"linalg.{func}(): {reason.format(argname)}") from None


_REAL_OF = {"complex64": "float32", "complex128": "float64", "float32": "float32", "float64": "float64"}
_COMPLEX_OF = {"float32": "complex64", "float64": "complex128", "complex64": "complex64",
               "complex128": "complex128"}


def _np_view(x) -> _np.ndarray:
    return _np.asarray(x)


def _float_name(x, func: str, argname: str = "x") -> str:
    """The floating dtype name a floating-only function computes ``x`` in."""
    name = x.dtype.name
    if name == "bool":
        raise TypeError(f"linalg.{func}(): {argname} must have a floating-point data type, got bool")
    if name in _REAL_OF:
        return name
    return "float64"  # integers: NumPy-compatible promotion to the default float


def _float_input(x, func: str, argname: str = "x"):
    """(NumPy view of x in its floating dtype, that dtype's name)."""
    require_array(x, f"linalg.{func}", argname)
    name = _float_name(x, func, argname)
    a = _np_view(x)
    if a.dtype.name != name:
        a = a.astype(name)
    return a, name


def _promote(x1, x2, func: str) -> str:
    result = _core._promote_types(x1.dtype, x2.dtype)
    if result is None:
        raise TypeError(f"linalg.{func}(): no type promotion between {x1.dtype} and {x2.dtype}")
    return result.name


def _require_matrix(a, func: str, square: bool = False) -> None:
    if a.ndim < 2:
        raise ValueError(f"linalg.{func}(): x must have at least two dimensions, got shape {a.shape}")
    if square and a.shape[-1] != a.shape[-2]:
        raise ValueError(f"linalg.{func}(): the last two dimensions must be square, got shape {a.shape}")


def _diagonal_view(x, offset: int, func: str) -> Array:
    """The read-only view of the ``offset`` diagonal of each matrix of ``x``.

    The offset is clamped to the matrix's edge first (any offset at or past it
    selects an empty diagonal), so a Python int of any size is accepted."""
    _require_matrix(x, func)
    offset = builtins.max(-x.shape[-2], builtins.min(offset, x.shape[-1]))
    return _core._matrix_diagonal(x, offset, f"linalg.{func}")


def _require_finite(a, func: str) -> None:
    # LAPACK's divide-and-conquer SVD (gesdd, under NumPy's svd and pinv) can
    # loop forever on an infinite entry; refuse what it cannot factor.
    if a.size and not _np.isfinite(a).all():
        raise ValueError(f"linalg.{func}(): x must not contain infinities or NaNs")


def _rtol(rtol, func: str):
    if rtol is None:
        return None
    if isinstance(rtol, Array):
        if not rtol.dtype.name.startswith("float"):
            raise TypeError(f"linalg.{func}(): rtol must have a real floating-point data type")
        return _np_view(rtol)
    if isinstance(rtol, (int, float)) and not isinstance(rtol, builtins.bool):
        return float(rtol)
    raise TypeError(f"linalg.{func}(): rtol must be a float, a trueno array or None, got {type(rtol).__name__}")


# ------------------------------------------------------------------- decompositions

def cholesky(x, /, *, upper=False) -> Array:
    """Lower (or, with ``upper=True``, upper) Cholesky factor of each matrix."""
    a, name = _float_input(x, "cholesky")
    _require_matrix(a, "cholesky", square=True)
    upper = as_bool(upper, "linalg.cholesky", "upper")
    return from_numpy(_lapack("cholesky", "x", _np.linalg.cholesky, a, upper=upper), name)


def qr(x, /, *, mode="reduced") -> QRResult:
    """QR decomposition: ``QRResult(Q, R)``; ``mode`` is 'reduced' or 'complete'."""
    if not isinstance(mode, str):
        raise TypeError(f"linalg.qr(): mode must be 'reduced' or 'complete', got {type(mode).__name__}")
    if mode not in ("reduced", "complete"):
        raise ValueError(f"linalg.qr(): mode must be 'reduced' or 'complete', got {mode!r}")
    a, name = _float_input(x, "qr")
    _require_matrix(a, "qr")
    q, r = _lapack("qr", "x", _np.linalg.qr, a, mode=mode)
    return QRResult(from_numpy(q, name), from_numpy(r, name))


def svd(x, /, *, full_matrices=True) -> SVDResult:
    """Singular value decomposition: ``SVDResult(U, S, Vh)``, S descending."""
    full_matrices = as_bool(full_matrices, "linalg.svd", "full_matrices")
    a, name = _float_input(x, "svd")
    _require_matrix(a, "svd")
    _require_finite(a, "svd")
    u, s, vh = _lapack("svd", "x", _np.linalg.svd, a, full_matrices=full_matrices)
    return SVDResult(from_numpy(u, name), from_numpy(s, _REAL_OF[name]), from_numpy(vh, name))


def svdvals(x, /) -> Array:
    """Singular values of each matrix, in descending order (real dtype)."""
    a, name = _float_input(x, "svdvals")
    _require_matrix(a, "svdvals")
    return from_numpy(_lapack("svdvals", "x", _np.linalg.svd, a, compute_uv=False), _REAL_OF[name])


def eigh(x, /) -> EighResult:
    """Eigen-decomposition of Hermitian/symmetric matrices: ``EighResult(eigenvalues, eigenvectors)``."""
    a, name = _float_input(x, "eigh")
    _require_matrix(a, "eigh", square=True)
    w, v = _lapack("eigh", "x", _np.linalg.eigh, a)
    return EighResult(from_numpy(w, _REAL_OF[name]), from_numpy(v, name))


def eigvalsh(x, /) -> Array:
    """Eigenvalues of Hermitian/symmetric matrices (real dtype, ascending)."""
    a, name = _float_input(x, "eigvalsh")
    _require_matrix(a, "eigvalsh", square=True)
    return from_numpy(_lapack("eigvalsh", "x", _np.linalg.eigvalsh, a), _REAL_OF[name])


def eig(x, /) -> EigResult:
    """Eigen-decomposition of general matrices: ``EigResult(eigenvalues, eigenvectors)``.

    Both results always have the complex dtype matching the precision of ``x``
    (complex64 for float32 input), even when every eigenvalue is real.
    """
    a, name = _float_input(x, "eig")
    _require_matrix(a, "eig", square=True)
    w, v = _lapack("eig", "x", _np.linalg.eig, a)
    cname = _COMPLEX_OF[name]
    return EigResult(from_numpy(w, cname), from_numpy(v, cname))


def eigvals(x, /) -> Array:
    """Eigenvalues of general matrices (complex dtype matching the precision of ``x``)."""
    a, name = _float_input(x, "eigvals")
    _require_matrix(a, "eigvals", square=True)
    return from_numpy(_lapack("eigvals", "x", _np.linalg.eigvals, a), _COMPLEX_OF[name])


# ------------------------------------------------------------ inverses and solvers

def inv(x, /) -> Array:
    """Multiplicative inverse of each square matrix."""
    a, name = _float_input(x, "inv")
    _require_matrix(a, "inv", square=True)
    return from_numpy(_lapack("inv", "x", _np.linalg.inv, a), name)


def pinv(x, /, *, rtol=None) -> Array:
    """Moore-Penrose pseudo-inverse; ``rtol`` defaults to ``max(M, N) * eps``."""
    a, name = _float_input(x, "pinv")
    _require_matrix(a, "pinv")
    _require_finite(a, "pinv")
    tol = _rtol(rtol, "pinv")
    return from_numpy(_lapack("pinv", "x", _np.linalg.pinv, a, rtol=tol), name)


def det(x, /) -> Array:
    """Determinant of each square matrix (same dtype as ``x``)."""
    a, name = _float_input(x, "det")
    _require_matrix(a, "det", square=True)
    return from_numpy(_lapack("det", "x", _np.linalg.det, a), name)


def slogdet(x, /) -> SlogdetResult:
    """Sign and log of the absolute determinant: ``SlogdetResult(sign, logabsdet)``."""
    a, name = _float_input(x, "slogdet")
    _require_matrix(a, "slogdet", square=True)
    sign, logabsdet = _lapack("slogdet", "x", _np.linalg.slogdet, a)
    return SlogdetResult(from_numpy(sign, name), from_numpy(logabsdet, _REAL_OF[name]))


def solve(x1, x2, /) -> Array:
    """Solve ``x1 @ X = x2`` for each square matrix of ``x1``.

    A 1-D ``x2`` of shape ``(M,)`` is a single right-hand side shared by every
    matrix of ``x1`` (result shape ``x1.shape[:-2] + (M,)``); otherwise ``x2`` is a
    stack of ``(M, K)`` matrices whose batch dimensions broadcast with ``x1``'s.
    """
    require_array(x1, "linalg.solve", "x1")
    require_array(x2, "linalg.solve", "x2")
    name = _promote(x1, x2, "solve")
    if name == "bool":
        raise TypeError("linalg.solve(): x1 and x2 must have floating-point data types, got bool")
    if name not in _REAL_OF:
        name = "float64"
    a = _np_view(x1).astype(name, copy=False)
    b = _np_view(x2).astype(name, copy=False)
    _require_matrix(a, "solve", square=True)
    m = a.shape[-1]
    if b.ndim == 0:
        raise ValueError("linalg.solve(): x2 must have at least one dimension")
    if b.ndim == 1:
        if b.shape[0] != m:
            raise ValueError(f"linalg.solve(): x2 has shape {b.shape}, expected ({m},)")
        out = _lapack("solve", "x1", _np.linalg.solve, a, b)  # NumPy 2: a 1-D b is one vector, broadcast over the batch
    else:
        if b.shape[-2] != m:
            raise ValueError(f"linalg.solve(): x2 has shape {b.shape}, expected (..., {m}, K)")
        try:
            _np.broadcast_shapes(a.shape[:-2], b.shape[:-2])
        except ValueError:
            raise ValueError(
                f"linalg.solve(): batch shapes {a.shape[:-2]} and {b.shape[:-2]} cannot be broadcast"
            ) from None
        out = _lapack("solve", "x1", _np.linalg.solve, a, b)
    return from_numpy(out, name)


def matrix_power(x, n, /) -> Array:
    """``x`` raised to the integer power ``n`` (``n < 0`` inverts first, ``n == 0`` gives identities)."""
    n = as_int(n, "linalg.matrix_power", "n")
    a, name = _float_input(x, "matrix_power")
    _require_matrix(a, "matrix_power", square=True)
    return from_numpy(_lapack("matrix_power", "x", _np.linalg.matrix_power, a, n), name)


def matrix_rank(x, /, *, rtol=None) -> Array:
    """Number of singular values above ``rtol * largest`` (default ``rtol = max(M, N) * eps``); int64."""
    a, _name = _float_input(x, "matrix_rank")
    _require_matrix(a, "matrix_rank")
    tol = _rtol(rtol, "matrix_rank")
    return from_numpy(_lapack("matrix_rank", "x", _np.linalg.matrix_rank, a, rtol=tol), "int64")


# ---------------------------------------------------------------------- norms

_MATRIX_ORDS = ("fro", "nuc", 1, -1, 2, -2, math.inf, -math.inf)


def matrix_norm(x, /, *, keepdims=False, ord="fro") -> Array:
    """Matrix norm of each matrix: ord in {'fro', 'nuc', 1, -1, 2, -2, inf, -inf}."""
    if isinstance(ord, builtins.bool) or not isinstance(ord, (str, int, float)):
        raise TypeError(f"linalg.matrix_norm(): ord must be one of {_MATRIX_ORDS}, got {type(ord).__name__}")
    if ord not in _MATRIX_ORDS:
        raise ValueError(f"linalg.matrix_norm(): unsupported ord {ord!r}")
    keepdims = as_bool(keepdims, "linalg.matrix_norm", "keepdims")
    a, name = _float_input(x, "matrix_norm")
    _require_matrix(a, "matrix_norm")
    if a.size == 0 and ord in ("fro", "nuc"):
        shape = a.shape[:-2] + ((1, 1) if keepdims else ())
        return from_numpy(_np.zeros(shape), _REAL_OF[name])
    out = _lapack("matrix_norm", "x", _np.linalg.matrix_norm, a, keepdims=keepdims, ord=ord)
    return from_numpy(out, _REAL_OF[name])


def vector_norm(x, /, *, axis=None, keepdims=False, ord=2) -> Array:
    """Vector p-norm over ``axis`` (all axes when None); real dtype matching ``x``'s precision."""
    if isinstance(ord, builtins.bool) or not isinstance(ord, (int, float)):
        raise ValueError(f"linalg.vector_norm(): ord must be an int or a float, got {ord!r}")
    if isinstance(ord, int) and not -2**63 <= ord < 2**63:
        # (NumPy makes an object array of such an ord and fails in its own words)
        raise ValueError(f"linalg.vector_norm(): ord {ord} is too large; give a float or inf")
    keepdims = as_bool(keepdims, "linalg.vector_norm", "keepdims")
    a, name = _float_input(x, "vector_norm")
    if axis is not None:
        axes = (axis,) if not isinstance(axis, (tuple, list)) else tuple(axis)
        norm_axes = []
        for ax in axes:
            ax = as_int(ax, "linalg.vector_norm", "axis")
            if not -a.ndim <= ax < a.ndim:
                raise AxisError(
                    f"linalg.vector_norm(): axis {ax} is out of bounds for an array of {a.ndim} dimensions"
                )
            if ax % a.ndim in norm_axes:
                raise ValueError(f"linalg.vector_norm(): repeated axis {ax}")
            norm_axes.append(ax % a.ndim)
        axis = tuple(norm_axes)
    out = _np.linalg.vector_norm(a, axis=axis, keepdims=keepdims, ord=ord)
    return from_numpy(out, _REAL_OF[name])


# ------------------------------------------------------------------- other products

def outer(x1, x2, /) -> Array:
    """Outer product of two 1-D arrays (native multiply; dtype by type promotion)."""
    require_array(x1, "linalg.outer", "x1")
    require_array(x2, "linalg.outer", "x2")
    if x1.ndim != 1 or x2.ndim != 1:
        raise ValueError(f"linalg.outer(): x1 and x2 must be 1-D, got {x1.ndim}-D and {x2.ndim}-D")
    for arr, argname in ((x1, "x1"), (x2, "x2")):
        if arr.dtype.name == "bool":
            raise TypeError(f"linalg.outer(): {argname} must have a numeric data type, got bool")
    return multiply(reshape(x1, (x1.shape[0], 1)), reshape(x2, (1, x2.shape[0])))


def cross(x1, x2, /, *, axis=-1) -> Array:
    """Cross product of 3-element vectors along ``axis`` (other axes broadcast)."""
    require_array(x1, "linalg.cross", "x1")
    require_array(x2, "linalg.cross", "x2")
    name = _promote(x1, x2, "cross")
    if name == "bool":
        raise TypeError("linalg.cross(): x1 and x2 must have numeric data types, got bool")
    axis = vector_axis(axis, x1, x2, "linalg.cross")
    if x1.shape[axis] != 3 or x2.shape[axis] != 3:
        raise ValueError(
            f"linalg.cross(): the axis must have size 3 in both arrays, got {x1.shape[axis]} and {x2.shape[axis]}"
        )
    a = _np_view(x1).astype(name, copy=False)
    b = _np_view(x2).astype(name, copy=False)
    try:
        _np.broadcast_shapes(a.shape, b.shape)
    except ValueError:
        raise ValueError(f"linalg.cross(): shapes {a.shape} and {b.shape} cannot be broadcast") from None
    a = _np.moveaxis(a, axis, -1)
    b = _np.moveaxis(b, axis, -1)
    a0, a1, a2 = a[..., 0], a[..., 1], a[..., 2]
    b0, b1, b2 = b[..., 0], b[..., 1], b[..., 2]
    with _np.errstate(over="ignore"):
        out = _np.stack([a1 * b2 - a2 * b1, a2 * b0 - a0 * b2, a0 * b1 - a1 * b0], axis=-1)
    return from_numpy(_np.moveaxis(out.astype(name, copy=False), -1, axis), name)


# ------------------------------------------------------------------- diagonals

def diagonal(x, /, *, offset=0) -> Array:
    """Diagonal (``offset`` > 0: above, < 0: below) of each matrix; same dtype as ``x``.

    A read-only view, as NumPy's (write through ``x`` itself)."""
    require_array(x, "linalg.diagonal")
    return _diagonal_view(x, as_int(offset, "linalg.diagonal", "offset"), "diagonal")


_TRACE_DEFAULT = {
    "bool": "int64", "int8": "int64", "int16": "int64", "int32": "int64", "int64": "int64",
    "uint8": "uint64", "uint16": "uint64", "uint32": "uint64", "uint64": "uint64",
}


@reports_as("linalg.trace")
def trace(x, /, *, offset=0, dtype=None) -> Array:
    """Sum of the ``offset`` diagonal of each matrix.

    With ``dtype=None`` the result keeps ``x``'s dtype, except that integers
    accumulate in int64 / uint64 (booleans, leniently, in int64).
    """
    require_array(x, "linalg.trace")
    offset = as_int(offset, "linalg.trace", "offset")
    if dtype is None:
        name = _TRACE_DEFAULT.get(x.dtype.name, x.dtype.name)
    else:
        name = _core._dtype(dtype, "linalg.trace", "dtype").name
    d = _diagonal_view(x, offset, "trace")
    if d.dtype.name.startswith("complex") and not name.startswith("complex"):
        d = _core.real(d)
    # computed in `name`, converted block by block; integers wrap around as in
    # NumPy's trace
    return _core.sum(d, axis=-1, dtype=_core._dtype(name, "linalg.trace", "dtype"))

"""The linalg extension of the array API standard (2025.12).

The decompositions and solvers (``cholesky``, ``det``, ``eig``, ``eigh``,
``eigvals``, ``eigvalsh``, ``inv``, ``qr``, ``slogdet``, ``solve``, ``svd``,
``svdvals``) call LAPACK (from the scipy-openblas32 wheel) in trueno's C++, over
the batch of matrices, with the same LAPACK routines as NumPy; ``pinv`` and
``matrix_rank`` compose on them and on trueno's ``matmul``. ``matmul``,
``matrix_transpose``, ``tensordot``, ``vecdot``, ``outer``, ``cross``, ``trace``,
``diagonal``, ``matrix_power`` (repeated squaring over ``matmul`` in C++),
``vector_norm`` and ``matrix_norm`` (SIMD kernels; its 2-norm, nuclear norm
and -2-norm from the singular values) are trueno's native implementations: their
Python functions here carry the signatures and docstrings and make one C++ call. A trueno built without OpenBLAS raises
``NotImplementedError`` from the LAPACK-backed functions.

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

import builtins
import math
from typing import NamedTuple

import numpy as _np

from . import _core
from ._core import Array, matmul, matrix_transpose, multiply
from ._data_type import _ALL as _DTYPES
from ._linear_algebra import tensordot, vecdot
from ._docstrings import with_sections
from ._validation import as_bool

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


# The C++ raises this class for the failures LAPACK reports.
_core._register_linalg_error(LinAlgError)


# --------------------------------------------------------------------------- helpers

# dtype -> its name without ``dtype.name``, which costs ~3 us a call (NumPy
# builds the string): three of them made trace 4x slower than NumPy's.
_NAMES = {d: d.name for d in _DTYPES}


def _dtype_name(dtype) -> str:
    return _NAMES.get(dtype) or dtype.name


# ------------------------------------------------------------------- docstrings
# The matrix functions read x alike: a matrix or a stack of them, checked by the
# C++; each docstring is its summary, then these sections.

_MATRIX_X = """x : Array
    A matrix or a stack of matrices (shape (..., M, N){square}), of floating-point
    dtype (integer x is computed in float64)."""
_MATRIX_RAISES = """TypeError
    If x is not a trueno array, or its dtype is boolean.
ValueError
    If x has fewer than two dimensions{square_error}."""


def _matrix_function(returns: str, example: str, *, square: bool = True, parameters: str = "",
                     raises: str = ""):
    """with_sections for a function of a matrix x (square unless told)."""
    x = _MATRIX_X.format(square=", M == N" if square else "")
    errors = _MATRIX_RAISES.format(square_error=" or its matrices are not square" if square else "")
    return with_sections(
        "Parameters\n----------\n" + x + ("\n" + parameters.strip() if parameters else "")
        + "\n\nReturns\n-------\n" + returns.strip()
        + "\n\nRaises\n------\n" + errors + ("\n" + raises.strip() if raises else "")
        + "\n\nExamples\n--------\n>>> import trueno as xp\n" + example.strip() + "\n")


_A = ">>> a = xp.asarray([[4.0, 2.0], [2.0, 3.0]])\n"
_SINGULAR = "LinAlgError\n    If a matrix is singular."


# ------------------------------------------------------------------- decompositions
# Computed by LAPACK in trueno's C++ (cpp/ops/lapack.cpp), which checks x (a
# trueno array of at least two dimensions, square where needed, not bool) and
# names the function in its messages; the functions here check the keywords
# and build the named tuples.

@_matrix_function("Array\n    The factor L (L @ L.mT == x), or U with upper=True, of x's shape.",
                  _A + ">>> xp.linalg.cholesky(a)\nArray([[2.        , 0.        ],\n       [1.        , 1.41421356]], dtype=float64)",
                  parameters="upper : bool, optional\n    Return the upper factor U (U.mT @ U == x) instead. Default False.",
                  raises="LinAlgError\n    If a matrix is not positive definite.")
def cholesky(x, /, *, upper=False) -> Array:
    """Lower (or, with ``upper=True``, upper) Cholesky factor of each matrix."""
    upper = as_bool(upper, "linalg.cholesky", "upper")
    return _core._linalg_cholesky(x, upper)


@_matrix_function("QRResult\n    (Q, R): Q with orthonormal columns, R upper triangular, Q @ R == x.",
            _A + ">>> q, r = xp.linalg.qr(a)\n>>> xp.linalg.matrix_norm(q @ r - a) < 1e-12\nArray(True, dtype=bool)",
            square=False,
            parameters="mode : {'reduced', 'complete'}, optional\n    'reduced' (the default): Q is (..., M, K), R (..., K, N), K = min(M, N);\n    'complete': Q is (..., M, M).",
            raises="ValueError\n    If mode is not 'reduced' or 'complete'.")
def qr(x, /, *, mode="reduced") -> QRResult:
    """QR decomposition: ``QRResult(Q, R)``; ``mode`` is 'reduced' or 'complete'."""
    if not isinstance(mode, str):
        raise TypeError(f"linalg.qr(): mode must be 'reduced' or 'complete', got {type(mode).__name__}")
    if mode not in ("reduced", "complete"):
        raise ValueError(f"linalg.qr(): mode must be 'reduced' or 'complete', got {mode!r}")
    return QRResult(*_core._linalg_qr(x, mode == "complete"))


@_matrix_function("SVDResult\n    (U, S, Vh) with U @ diag(S) @ Vh == x; S real, descending.",
             ">>> u, s, vh = xp.linalg.svd(xp.asarray([[3.0, 0.0], [0.0, 4.0]]))\n>>> s\nArray([4., 3.], dtype=float64)",
             square=False,
             parameters="full_matrices : bool, optional\n    True (the default): U is (..., M, M) and Vh (..., N, N); False: (..., M, K)\n    and (..., K, N), K = min(M, N).",
             raises="LinAlgError\n    If the algorithm does not converge.")
def svd(x, /, *, full_matrices=True) -> SVDResult:
    """Singular value decomposition: ``SVDResult(U, S, Vh)``, S descending.

    Infinities and NaNs raise ``ValueError``: LAPACK's divide-and-conquer SVD
    can loop forever on them.
    """
    full_matrices = as_bool(full_matrices, "linalg.svd", "full_matrices")
    return SVDResult(*_core._linalg_svd(x, full_matrices, "linalg.svd"))


@_matrix_function("Array\n    The min(M, N) singular values of each matrix, descending, of x's real dtype.",
                 ">>> xp.linalg.svdvals(xp.asarray([[3.0, 0.0], [0.0, 4.0]]))\nArray([4., 3.], dtype=float64)",
                 square=False)
def svdvals(x, /) -> Array:
    """Singular values of each matrix, in descending order (real dtype)."""
    return _core._linalg_svdvals(x, "linalg.svdvals")


@_matrix_function("EighResult\n    (eigenvalues, eigenvectors): real eigenvalues ascending, the eigenvectors\n    as columns.",
              _A + ">>> xp.linalg.eigh(a).eigenvalues\nArray([1.43844719, 5.56155281], dtype=float64)",
              raises="LinAlgError\n    If the algorithm does not converge.")
def eigh(x, /) -> EighResult:
    """Eigen-decomposition of Hermitian/symmetric matrices: ``EighResult(eigenvalues, eigenvectors)``.

    Only the lower triangle of each matrix is read, as in NumPy.
    """
    return EighResult(*_core._linalg_eigh(x))


@_matrix_function("Array\n    The real eigenvalues of each matrix, ascending.",
                  _A + ">>> xp.linalg.eigvalsh(a)\nArray([1.43844719, 5.56155281], dtype=float64)",
                  raises="LinAlgError\n    If the algorithm does not converge.")
def eigvalsh(x, /) -> Array:
    """Eigenvalues of Hermitian/symmetric matrices (real dtype, ascending)."""
    return _core._linalg_eigvalsh(x)


@_matrix_function("EigResult\n    (eigenvalues, eigenvectors), complex, the eigenvectors as columns.",
             ">>> xp.linalg.eig(xp.asarray([[2.0, 0.0], [0.0, 3.0]])).eigenvalues\nArray([2.+0.j, 3.+0.j], dtype=complex128)",
             raises="LinAlgError\n    If the algorithm does not converge.")
def eig(x, /) -> EigResult:
    """Eigen-decomposition of general matrices: ``EigResult(eigenvalues, eigenvectors)``.

    Both results always have the complex dtype matching the precision of ``x``
    (complex64 for float32 input), even when every eigenvalue is real.
    Infinities and NaNs raise ``LinAlgError``, as NumPy's eig does.
    """
    return EigResult(*_core._linalg_eig(x))


@_matrix_function("Array\n    The complex eigenvalues of each matrix.",
                 ">>> xp.linalg.eigvals(xp.asarray([[2.0, 0.0], [0.0, 3.0]]))\nArray([2.+0.j, 3.+0.j], dtype=complex128)",
                 raises="LinAlgError\n    If the algorithm does not converge.")
def eigvals(x, /) -> Array:
    """Eigenvalues of general matrices (complex dtype matching the precision of ``x``)."""
    return _core._linalg_eigvals(x)


# ------------------------------------------------------------ inverses and solvers

@_matrix_function("Array\n    The inverse of each matrix, of x's floating-point dtype.",
             _A + ">>> xp.linalg.inv(a)\nArray([[ 0.375, -0.25 ],\n       [-0.25 ,  0.5  ]], dtype=float64)",
             raises=_SINGULAR)
def inv(x, /) -> Array:
    """Multiplicative inverse of each square matrix."""
    return _core._linalg_inv(x, "linalg.inv")


def _rtol(rtol, func: str):
    """None, a float, or a real floating-point trueno array."""
    if rtol is None:
        return None
    if isinstance(rtol, Array):
        if _dtype_name(rtol.dtype) not in ("float32", "float64"):
            raise TypeError(f"{func}(): rtol must have a real floating-point data type")
        return rtol
    if isinstance(rtol, (int, float)) and not isinstance(rtol, builtins.bool):
        return float(rtol)
    raise TypeError(f"{func}(): rtol must be a float, a trueno array or None, got {type(rtol).__name__}")


def _cutoff(s: Array, rtol, m: int, n: int) -> Array:
    """``rtol * largest singular value`` per matrix (NumPy's default rtol: ``max(M, N) * eps``)."""
    largest = _core.max(s, axis=-1, keepdims=True)
    if rtol is None:
        return largest * (builtins.max(m, n) * _EPS[_dtype_name(s.dtype)])
    if isinstance(rtol, Array):
        return largest * _core.expand_dims(rtol, axis=-1)
    return largest * rtol


_EPS = {"float32": float(_np.finfo(_np.float32).eps), "float64": float(_np.finfo(_np.float64).eps)}


@_matrix_function("Array\n    The pseudo-inverse, of shape (..., N, M).",
              ">>> xp.linalg.pinv(xp.asarray([[1.0, 2.0]]))\nArray([[0.2],\n       [0.4]], dtype=float64)",
              square=False,
              parameters="rtol : float or Array, optional\n    Singular values below rtol times the largest count as zero.")
def pinv(x, /, *, rtol=None) -> Array:
    """Moore-Penrose pseudo-inverse; ``rtol`` defaults to ``max(M, N) * eps``.

    NumPy's composition: the SVD of ``conj(x)``, singular values at most
    ``rtol * largest`` dropped, then ``Vh^T diag(1/s) U^T``.
    """
    tol = _rtol(rtol, "linalg.pinv")
    if isinstance(x, Array) and x.dtype.kind == "c":
        x = _core.conj(x)
    u, s, vh = _core._linalg_svd(x, False, "linalg.pinv")
    m, n = x.shape[-2:]
    if m == 0 or n == 0:
        return _core.zeros(x.shape[:-2] + (n, m), dtype=u.dtype)
    keep = s > _cutoff(s, tol, m, n)
    s_inv = _core.where(keep, 1 / s, _core.zeros_like(s))
    return matmul(matrix_transpose(vh), multiply(_core.expand_dims(s_inv, axis=-1), matrix_transpose(u)))


@_matrix_function("Array\n    The determinant of each matrix, of x's floating-point dtype.",
             ">>> xp.linalg.det(xp.asarray([[1, 2], [3, 4]]))\nArray(-2., dtype=float64)")
def det(x, /) -> Array:
    """Determinant of each square matrix (same dtype as ``x``)."""
    return _core._linalg_det(x)


@_matrix_function("SlogdetResult\n    (sign, logabsdet): det == sign * exp(logabsdet); sign is 0 for a singular\n    matrix.",
                 _A + ">>> xp.linalg.slogdet(a)\nSlogdetResult(sign=Array(1., dtype=float64), logabsdet=Array(2.07944154, dtype=float64))")
def slogdet(x, /) -> SlogdetResult:
    """Sign and log of the absolute determinant: ``SlogdetResult(sign, logabsdet)``."""
    return SlogdetResult(*_core._linalg_slogdet(x))


def solve(x1, x2, /) -> Array:
    """Solve ``x1 @ X = x2`` for each square matrix of ``x1``.

    A 1-D ``x2`` of shape ``(M,)`` is a single right-hand side shared by every
    matrix of ``x1`` (result shape ``x1.shape[:-2] + (M,)``); otherwise ``x2`` is a
    stack of ``(M, K)`` matrices whose batch dimensions broadcast with ``x1``'s.

    Parameters
    ----------
    x1 : Array
        The coefficient matrices, shape (..., M, M), floating-point (integers are
        computed in float64).
    x2 : Array
        The right-hand sides: shape (M,), or (..., M, K).

    Returns
    -------
    Array
        X, of the shape of x2 broadcast against x1's batch.

    Raises
    ------
    TypeError
        If x1 or x2 is not a trueno array, or is boolean.
    ValueError
        If x1's matrices are not square or x2's shape does not fit them.
    LinAlgError
        If a matrix of x1 is singular.

    Examples
    --------
    >>> import trueno as xp
    >>> xp.linalg.solve(xp.asarray([[4.0, 2.0], [2.0, 3.0]]), xp.asarray([2.0, 1.0]))
    Array([0.5, 0. ], dtype=float64)
    """
    return _core._linalg_solve(x1, x2)


def matrix_power(x, n, /) -> Array:
    """``x`` raised to the integer power ``n`` (``n < 0`` inverts first, ``n == 0`` gives identities).

    NumPy's order of products (repeated squaring from the lowest bit), on trueno's matmul.

    Parameters
    ----------
    x : Array
        A square matrix or a stack of them, shape (..., M, M).
    n : int
        The power.

    Returns
    -------
    Array
        The power of each matrix (floating-point where n < 0).

    Raises
    ------
    TypeError
        If x is not a trueno array or n is not an integer.
    ValueError
        If x's matrices are not square.
    LinAlgError
        If n < 0 and a matrix is singular.

    Examples
    --------
    >>> import trueno as xp
    >>> xp.linalg.matrix_power(xp.asarray([[1, 1], [0, 1]]), 3)
    Array([[1., 3.],
           [0., 1.]], dtype=float64)
    """
    return _core._linalg_matrix_power(x, n)


@_matrix_function("Array\n    int64 ranks, one per matrix.",
                     ">>> xp.linalg.matrix_rank(xp.asarray([[1.0, 2.0], [2.0, 4.0]]))\nArray(1, dtype=int64)",
                     square=False,
                     parameters="rtol : float or Array, optional\n    Singular values below rtol times the largest count as zero.")
def matrix_rank(x, /, *, rtol=None) -> Array:
    """Number of singular values above ``rtol * largest`` (default ``rtol = max(M, N) * eps``); int64."""
    tol = _rtol(rtol, "linalg.matrix_rank")
    s = _core._linalg_svdvals(x, "linalg.matrix_rank")
    if s.shape[-1] == 0:
        return _core.zeros(s.shape[:-1], dtype="int64")
    m, n = x.shape[-2:]
    return _core.astype(_core.count_nonzero(s > _cutoff(s, tol, m, n), axis=-1), "int64")


# ---------------------------------------------------------------------- norms

# Native (cpp/ops/norm.cpp, kernels/simd_norm.cpp): fused SIMD passes on every
# ISA target; the 2-norm never overflows or underflows where the norm itself
# is representable (float32 squares summed in float64; float64 rescaled by a
# power of two in a second pass only where the fast sum left the safe range).

# ord -> the index of MatrixOrd in cpp/ops/norm.h (1.0 and 1 are the same key)
_MATRIX_ORDS = {"fro": 0, "nuc": 1, 1: 2, -1: 3, 2: 4, -2: 5, math.inf: 6, -math.inf: 7}


@_matrix_function("Array\n    The norms, of x's real floating-point dtype.",
                     _A + ">>> xp.linalg.matrix_norm(a)\nArray(5.74456265, dtype=float64)\n>>> xp.linalg.matrix_norm(a, ord=1)\nArray(6., dtype=float64)",
                     square=False,
                     parameters="keepdims : bool, optional\n    Keep the two matrix axes as axes of size one. Default False.\nord : {'fro', 'nuc', 1, -1, 2, -2, inf, -inf}, optional\n    Which norm: Frobenius (the default), nuclear, max/min column sum (1, -1),\n    largest/smallest singular value (2, -2), max/min row sum (inf, -inf).",
                     raises="ValueError\n    If ord is not one of the norms listed.")
def matrix_norm(x, /, *, keepdims=False, ord="fro") -> Array:
    """Matrix norm of each matrix: ord in {'fro', 'nuc', 1, -1, 2, -2, inf, -inf}."""
    if isinstance(ord, builtins.bool) or not isinstance(ord, (str, int, float)):
        raise TypeError(f"linalg.matrix_norm(): ord must be one of {tuple(_MATRIX_ORDS)}, got {type(ord).__name__}")
    code = _MATRIX_ORDS.get(ord)
    if code is None:
        raise ValueError(f"linalg.matrix_norm(): unsupported ord {ord!r}")
    if keepdims is not True and keepdims is not False:
        keepdims = as_bool(keepdims, "linalg.matrix_norm", "keepdims")
    return _core._linalg_matrix_norm(x, keepdims, code)


def vector_norm(x, /, *, axis=None, keepdims=False, ord=2) -> Array:
    """Vector p-norm over ``axis`` (all axes when None); real dtype matching ``x``'s precision.

    Parameters
    ----------
    x : Array
        Input array, numeric.
    axis : int or tuple of int, optional
        The axes the vectors lie along; None, the default, takes x as one vector.
    keepdims : bool, optional
        Keep the reduced axes as axes of size one. Default False.
    ord : int or float, optional
        The p of the p-norm (default 2); inf and -inf give the largest and smallest
        absolute value, 0 the number of non-zero elements.

    Returns
    -------
    Array
        The norms, of x's real floating-point dtype (float64 for integer x).

    Raises
    ------
    TypeError
        If x is not a trueno array.
    ValueError
        If ord is not an int or a float.
    AxisError
        If an axis is out of bounds for x.

    Examples
    --------
    >>> import trueno as xp
    >>> xp.linalg.vector_norm(xp.asarray([3.0, 4.0]))
    Array(5., dtype=float64)
    >>> xp.linalg.vector_norm(xp.asarray([3.0, 4.0]), ord=1)
    Array(7., dtype=float64)
    """
    if keepdims is not True and keepdims is not False:  # NumPy's bool_ too
        keepdims = as_bool(keepdims, "linalg.vector_norm", "keepdims")
    return _core._linalg_vector_norm(x, axis, keepdims, ord)


# ------------------------------------------------------------------- other products

def outer(x1, x2, /) -> Array:
    """Outer product of two 1-D arrays (native multiply; dtype by type promotion).

    Parameters
    ----------
    x1 : Array
        First vector, of M elements.
    x2 : Array
        Second vector, of N elements.

    Returns
    -------
    Array
        The (M, N) products x1[i] * x2[j].

    Raises
    ------
    TypeError
        If x1 or x2 is not a trueno array.
    ValueError
        If x1 or x2 is not 1-D.

    Examples
    --------
    >>> import trueno as xp
    >>> xp.linalg.outer(xp.asarray([1, 2]), xp.asarray([3, 4, 5]))
    Array([[ 3,  4,  5],
           [ 6,  8, 10]], dtype=int64)
    """
    return _core._linalg_outer(x1, x2)


def cross(x1, x2, /, *, axis=-1) -> Array:
    """Cross product of 3-element vectors along ``axis`` (other axes broadcast).

    Parameters
    ----------
    x1 : Array
        First vectors, numeric.
    x2 : Array
        Second vectors, broadcast against x1.
    axis : int, optional
        The axis holding the vectors' 3 components (default -1).

    Returns
    -------
    Array
        The cross products, of the promoted dtype.

    Raises
    ------
    TypeError
        If x1 or x2 is not a trueno array, or is boolean.
    ValueError
        If axis is not of size 3 in both, or is invalid for the arrays.

    Examples
    --------
    >>> import trueno as xp
    >>> xp.linalg.cross(xp.asarray([1, 0, 0]), xp.asarray([0, 1, 0]))
    Array([0, 0, 1], dtype=int64)
    """
    return _core._linalg_cross(x1, x2, axis)


# ------------------------------------------------------------------- diagonals

def diagonal(x, /, *, offset=0) -> Array:
    """Diagonal (``offset`` > 0: above, < 0: below) of each matrix; same dtype as ``x``.

    A read-only view, as NumPy's (write through ``x`` itself).

    Parameters
    ----------
    x : Array
        A matrix or a stack of matrices, shape (..., M, N).
    offset : int, optional
        Which diagonal: 0 (the default) the main one, > 0 above it, < 0 below.

    Returns
    -------
    Array
        A read-only view of the diagonals, shape (..., K).

    Raises
    ------
    TypeError
        If x is not a trueno array.
    ValueError
        If x has fewer than two dimensions.

    Examples
    --------
    >>> import trueno as xp
    >>> xp.linalg.diagonal(xp.asarray([[1, 2], [3, 4]]))
    Array([1, 4], dtype=int64)
    >>> xp.linalg.diagonal(xp.asarray([[1, 2], [3, 4]]), offset=1)
    Array([2], dtype=int64)
    """
    return _core._linalg_diagonal(x, offset)


def trace(x, /, *, offset=0, dtype=None) -> Array:
    """Sum of the ``offset`` diagonal of each matrix.

    With ``dtype=None`` the result keeps ``x``'s dtype, except that integers
    accumulate in int64 / uint64 (booleans, leniently, in int64).

    Parameters
    ----------
    x : Array
        A matrix or a stack of matrices, shape (..., M, N).
    offset : int, optional
        Which diagonal: 0 (the default) the main one, > 0 above it, < 0 below.
    dtype : dtype, optional
        The dtype of the sums.

    Returns
    -------
    Array
        The sums, shape x.shape[:-2].

    Raises
    ------
    TypeError
        If x is not a trueno array.
    ValueError
        If x has fewer than two dimensions.

    Examples
    --------
    >>> import trueno as xp
    >>> xp.linalg.trace(xp.asarray([[1, 2], [3, 4]]))
    Array(5, dtype=int64)
    """
    return _core._linalg_trace(x, offset, dtype)

"""The fft extension of the array API standard (2025.12).

The transforms run NumPy's pocketfft on zero-copy views of trueno arrays and wrap
the results back as trueno arrays, keeping the input's precision:

* ``fft``, ``ifft``, ``fftn``, ``ifftn``: complex in, same complex dtype out.
  Real floating input is accepted (leniently) and gives the complex dtype of the
  same precision (float32 -> complex64).
* ``rfft``, ``rfftn``, ``ihfft``: real floating in, complex of the same precision
  out (float32 -> complex64).  Complex input raises ``TypeError``.
* ``irfft``, ``irfftn``, ``hfft``: complex in, real of the same precision out
  (complex64 -> float32); real floating input is treated as complex.
* Integer inputs are promoted to float64 / complex128 (NumPy-compatible
  leniency); boolean inputs raise ``TypeError``; non-trueno inputs raise
  ``TypeError`` naming the argument.
* ``fftfreq``/``rfftfreq`` return the default floating dtype (float64) unless
  ``dtype`` names a real floating dtype.
* ``fftshift``/``ifftshift`` keep the input dtype.
"""
from __future__ import annotations

from ._core import AxisError

import builtins
import operator

import numpy as _np

from . import _core
from ._core import Array

__all__ = [
    "fft", "ifft", "fftn", "ifftn", "rfft", "irfft", "rfftn", "irfftn", "hfft", "ihfft",
    "fftfreq", "rfftfreq", "fftshift", "ifftshift",
]

_REAL_OF = {"complex64": "float32", "complex128": "float64", "float32": "float32", "float64": "float64"}
_COMPLEX_OF = {"float32": "complex64", "float64": "complex128", "complex64": "complex64",
               "complex128": "complex128"}
_NORMS = ("backward", "ortho", "forward")


def _check(x, func: str, argname: str = "x") -> None:
    if not isinstance(x, Array):
        raise TypeError(f"fft.{func}(): {argname} must be a trueno array, got {type(x).__name__}")


def _wrap(a, dtype_name: str) -> Array:
    a = _np.asarray(a)
    if a.dtype.name != dtype_name:
        a = a.astype(dtype_name)
    if not a.flags.c_contiguous:
        a = _np.ascontiguousarray(a)  # (never applied to 0-d arrays, which it would make 1-d)
    return _core.asarray(a)


def _input(x, func: str, want: str):
    """(NumPy view of x in the dtype the transform reads, that dtype's name).

    ``want`` is 'complex' (fft, ifft, hfft, irfft ...) or 'real' (rfft, ihfft ...).
    """
    _check(x, func)
    name = x.dtype.name
    if name == "bool":
        raise TypeError(f"fft.{func}(): x must have a floating-point data type, got bool")
    if name not in _REAL_OF:
        name = "float64"  # integers
    if want == "real":
        if name.startswith("complex"):
            raise TypeError(f"fft.{func}(): x must have a real floating-point data type, got {name}")
    else:
        name = _COMPLEX_OF[name]
    a = _np.asarray(x)
    if a.dtype.name != name:
        a = a.astype(name)
    return a, name


def _norm(norm, func: str) -> str:
    if norm not in _NORMS:
        raise ValueError(f"fft.{func}(): norm must be one of {_NORMS}, got {norm!r}")
    return norm


def _as_int(value, func: str, what: str) -> int:
    if isinstance(value, builtins.bool):
        raise TypeError(f"fft.{func}(): {what} must be an integer, got bool")
    try:
        return operator.index(value)
    except TypeError:
        raise TypeError(f"fft.{func}(): {what} must be an integer, got {type(value).__name__}") from None


def _axis(axis, ndim: int, func: str) -> int:
    axis = _as_int(axis, func, "axis")
    if not -ndim <= axis < ndim:
        raise AxisError(f"fft.{func}(): axis {axis} is out of bounds for an array of {ndim} dimensions")
    return axis % ndim


def _n(n, func: str):
    if n is None:
        return None
    n = _as_int(n, func, "n")
    if n < 1:
        raise ValueError(f"fft.{func}(): n must be at least 1, got {n}")
    return n


def _s_axes(s, axes, ndim: int, func: str):
    if axes is not None:
        axes = [axes] if not isinstance(axes, (tuple, list)) else list(axes)
        norm_axes = []
        for ax in axes:
            ax = _as_int(ax, func, "axes")
            if not -ndim <= ax < ndim:
                raise AxisError(f"fft.{func}(): axis {ax} is out of bounds for an array of {ndim} dimensions")
            norm_axes.append(ax % ndim)
        axes = norm_axes
    if s is not None:
        s = [_as_int(v, func, "s") for v in s]
        for v in s:
            if v < 1:
                raise ValueError(f"fft.{func}(): every entry of s must be at least 1, got {v}")
        if axes is None:
            # The spec requires axes when s is given; follow NumPy's former rule (last len(s) axes).
            if len(s) > ndim:
                raise ValueError(f"fft.{func}(): s has {len(s)} entries for an array of {ndim} dimensions")
            axes = list(range(ndim - len(s), ndim))
        elif len(s) != len(axes):
            raise ValueError(f"fft.{func}(): s and axes must have the same length, got {len(s)} and {len(axes)}")
    if axes is None:
        axes = list(range(ndim))
    return s, axes


# -------------------------------------------------------------------- 1-D transforms

def fft(x, /, *, n=None, axis=-1, norm="backward") -> Array:
    """One-dimensional discrete Fourier transform along ``axis`` (length ``n``)."""
    a, name = _input(x, "fft", "complex")
    out = _np.fft.fft(a, n=_n(n, "fft"), axis=_axis(axis, a.ndim, "fft"), norm=_norm(norm, "fft"))
    return _wrap(out, name)


def ifft(x, /, *, n=None, axis=-1, norm="backward") -> Array:
    """One-dimensional inverse discrete Fourier transform along ``axis``."""
    a, name = _input(x, "ifft", "complex")
    out = _np.fft.ifft(a, n=_n(n, "ifft"), axis=_axis(axis, a.ndim, "ifft"), norm=_norm(norm, "ifft"))
    return _wrap(out, name)


def rfft(x, /, *, n=None, axis=-1, norm="backward") -> Array:
    """Transform of real input: the ``n//2 + 1`` non-negative frequency terms."""
    a, name = _input(x, "rfft", "real")
    out = _np.fft.rfft(a, n=_n(n, "rfft"), axis=_axis(axis, a.ndim, "rfft"), norm=_norm(norm, "rfft"))
    return _wrap(out, _COMPLEX_OF[name])


def irfft(x, /, *, n=None, axis=-1, norm="backward") -> Array:
    """Inverse of ``rfft``: a real signal of length ``n`` (default ``2*(m-1)``)."""
    a, name = _input(x, "irfft", "complex")
    out = _np.fft.irfft(a, n=_n(n, "irfft"), axis=_axis(axis, a.ndim, "irfft"), norm=_norm(norm, "irfft"))
    return _wrap(out, _REAL_OF[name])


def hfft(x, /, *, n=None, axis=-1, norm="backward") -> Array:
    """Transform of a Hermitian-symmetric signal (real output of length ``n``)."""
    a, name = _input(x, "hfft", "complex")
    out = _np.fft.hfft(a, n=_n(n, "hfft"), axis=_axis(axis, a.ndim, "hfft"), norm=_norm(norm, "hfft"))
    return _wrap(out, _REAL_OF[name])


def ihfft(x, /, *, n=None, axis=-1, norm="backward") -> Array:
    """Inverse of ``hfft``: ``n//2 + 1`` complex terms from a real signal."""
    a, name = _input(x, "ihfft", "real")
    out = _np.fft.ihfft(a, n=_n(n, "ihfft"), axis=_axis(axis, a.ndim, "ihfft"), norm=_norm(norm, "ihfft"))
    return _wrap(out, _COMPLEX_OF[name])


# -------------------------------------------------------------------- n-D transforms

def fftn(x, /, *, s=None, axes=None, norm="backward") -> Array:
    """N-dimensional discrete Fourier transform over ``axes`` (all axes when None)."""
    a, name = _input(x, "fftn", "complex")
    s, axes = _s_axes(s, axes, a.ndim, "fftn")
    return _wrap(_np.fft.fftn(a, s=s, axes=axes, norm=_norm(norm, "fftn")), name)


def ifftn(x, /, *, s=None, axes=None, norm="backward") -> Array:
    """N-dimensional inverse discrete Fourier transform over ``axes``."""
    a, name = _input(x, "ifftn", "complex")
    s, axes = _s_axes(s, axes, a.ndim, "ifftn")
    return _wrap(_np.fft.ifftn(a, s=s, axes=axes, norm=_norm(norm, "ifftn")), name)


def rfftn(x, /, *, s=None, axes=None, norm="backward") -> Array:
    """N-dimensional transform of real input (last transformed axis halved)."""
    a, name = _input(x, "rfftn", "real")
    s, axes = _s_axes(s, axes, a.ndim, "rfftn")
    return _wrap(_np.fft.rfftn(a, s=s, axes=axes, norm=_norm(norm, "rfftn")), _COMPLEX_OF[name])


def irfftn(x, /, *, s=None, axes=None, norm="backward") -> Array:
    """Inverse of ``rfftn``: real output with shape ``s`` over ``axes``."""
    a, name = _input(x, "irfftn", "complex")
    s, axes = _s_axes(s, axes, a.ndim, "irfftn")
    return _wrap(_np.fft.irfftn(a, s=s, axes=axes, norm=_norm(norm, "irfftn")), _REAL_OF[name])


# ------------------------------------------------------------------- helpers

def _freq_dtype(dtype, device, func: str) -> str:
    if device is not None and not isinstance(device, _core.Device):
        raise ValueError(f"fft.{func}(): unsupported device {device!r}")
    if dtype is None:
        return "float64"
    if not isinstance(dtype, _core.DType):
        raise TypeError(f"fft.{func}(): dtype must be a trueno dtype or None, got {type(dtype).__name__}")
    if dtype.name not in ("float32", "float64"):
        raise ValueError(f"fft.{func}(): dtype must be a real floating-point dtype, got {dtype.name}")
    return dtype.name


def fftfreq(n, /, *, d=1.0, dtype=None, device=None) -> Array:
    """Sample frequencies ``[0, 1, ..., -1] / (d*n)`` of an ``n``-point transform."""
    name = _freq_dtype(dtype, device, "fftfreq")
    n = _as_int(n, "fftfreq", "n")
    if n < 0:
        raise ValueError(f"fft.fftfreq(): n must be non-negative, got {n}")
    if n == 0:
        return _wrap(_np.zeros(0), name)
    return _wrap(_np.fft.fftfreq(n, d=d), name)


def rfftfreq(n, /, *, d=1.0, dtype=None, device=None) -> Array:
    """Sample frequencies ``[0, 1, ..., n//2] / (d*n)`` of an ``n``-point real transform."""
    name = _freq_dtype(dtype, device, "rfftfreq")
    n = _as_int(n, "rfftfreq", "n")
    if n < 0:
        raise ValueError(f"fft.rfftfreq(): n must be non-negative, got {n}")
    if n == 0:
        return _wrap(_np.zeros(0), name)
    return _wrap(_np.fft.rfftfreq(n, d=d), name)


def _shift_axes(x, axes, func: str):
    _check(x, func)
    ndim = x.ndim
    if axes is None:
        return list(range(ndim))
    axes = [axes] if not isinstance(axes, (tuple, list)) else list(axes)
    out = []
    for ax in axes:
        ax = _as_int(ax, func, "axes")
        if not -ndim <= ax < ndim:
            raise AxisError(f"fft.{func}(): axis {ax} is out of bounds for an array of {ndim} dimensions")
        out.append(ax % ndim)
    return out


def fftshift(x, /, *, axes=None) -> Array:
    """Move the zero-frequency term to the centre (over ``axes``, all when None)."""
    axes = _shift_axes(x, axes, "fftshift")
    a = _np.asarray(x)
    return _wrap(_np.fft.fftshift(a, axes=axes), x.dtype.name)


def ifftshift(x, /, *, axes=None) -> Array:
    """Inverse of ``fftshift`` (differs from it by one sample for odd lengths)."""
    axes = _shift_axes(x, axes, "ifftshift")
    a = _np.asarray(x)
    return _wrap(_np.fft.ifftshift(a, axes=axes), x.dtype.name)

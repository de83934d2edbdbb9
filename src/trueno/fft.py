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

import numpy as _np

from . import _core, _devices
from ._core import Array
from ._validation import as_int, from_numpy, require_array

__all__ = [
    "fft", "ifft", "fftn", "ifftn", "rfft", "irfft", "rfftn", "irfftn", "hfft", "ihfft",
    "fftfreq", "rfftfreq", "fftshift", "ifftshift",
]

_REAL_OF = {"complex64": "float32", "complex128": "float64", "float32": "float32", "float64": "float64"}
_COMPLEX_OF = {"float32": "complex64", "float64": "complex128", "complex64": "complex64",
               "complex128": "complex128"}
_NORMS = ("backward", "ortho", "forward")


def _input(x, func: str, want: str):
    """(NumPy view of x in the dtype the transform reads, that dtype's name).

    ``want`` is 'complex' (fft, ifft, hfft, irfft ...) or 'real' (rfft, ihfft ...).
    """
    require_array(x, f"fft.{func}")
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
    if not isinstance(norm, str):
        raise TypeError(f"fft.{func}(): norm must be one of {_NORMS}, got {type(norm).__name__}")
    if norm not in _NORMS:
        raise ValueError(f"fft.{func}(): norm must be one of {_NORMS}, got {norm!r}")
    return norm


def _axis(axis, ndim: int, func: str, what: str = "axis") -> int:
    """``axis`` as an index in ``[0, ndim)``; ``what`` names the argument in a ``TypeError``."""
    axis = as_int(axis, f"fft.{func}", what)
    if not -ndim <= axis < ndim:
        raise AxisError(f"fft.{func}(): axis {axis} is out of bounds for an array of {ndim} dimensions")
    return axis % ndim


# The longest transform whose complex128 result has a byte count int64 holds; NumPy
# itself answers longer ones in its own words ("Maximum allowed dimension exceeded").
_MAX_LENGTH = (2**63 - 1) // 16


def _length(n, func: str, what: str, least: int) -> int:
    """A transform length: an int in [least, _MAX_LENGTH], the function and ``what`` named otherwise."""
    n = as_int(n, f"fft.{func}", what)
    if n < least:
        raise ValueError(f"fft.{func}(): {what} must be at least {least}, got {n}")
    if n > _MAX_LENGTH:
        raise ValueError(f"fft.{func}(): {what} is too large ({n}: a result that long has more bytes "
                         "than int64 counts)")
    return n


def _n(n, func: str):
    return None if n is None else _length(n, func, "n", 1)


def _s_axes(s, axes, ndim: int, func: str):
    if axes is not None:
        axes = [axes] if not isinstance(axes, (tuple, list)) else list(axes)
        axes = [_axis(ax, ndim, func, "axes") for ax in axes]
    if s is not None:
        if not isinstance(s, (tuple, list)):
            raise TypeError(f"fft.{func}(): s must be a tuple of ints, got {type(s).__name__}")
        s = [_length(v, func, "an entry of s", 1) for v in s]
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


# -------------------------------------------------------------------- transforms
#
# ``want`` is the input kind the transform reads ('complex' or 'real', see
# ``_input``); ``out_of`` (_COMPLEX_OF or _REAL_OF) maps that input dtype's name
# to the result's.

def _zero_pad_empty_axes(a, axes):
    """``a`` with each empty axis among ``axes`` holding one zero instead.

    Zero-padding an empty axis to length n gives n zeros either way, but
    NumPy's pocketfft pads an empty axis with uninitialised memory
    (``numpy.fft.irfft(numpy.zeros(0), n=4)`` returned 8.6e-314 ...).
    """
    if a.size:
        return a
    shape = [1 if ax in axes and d == 0 else d for ax, d in enumerate(a.shape)]
    return _np.zeros(shape, a.dtype) if list(a.shape) != shape else a


def _transform(func: str, x, n, axis, norm, want: str, out_of: dict) -> Array:
    """``numpy.fft.<func>`` along one axis, as a trueno array."""
    a, name = _input(x, func, want)
    n, axis = _n(n, func), _axis(axis, a.ndim, func)
    if n is not None:
        a = _zero_pad_empty_axes(a, [axis])
    out = getattr(_np.fft, func)(a, n=n, axis=axis, norm=_norm(norm, func))
    return from_numpy(out, out_of[name])


def _transform_n(func: str, x, s, axes, norm, want: str, out_of: dict) -> Array:
    """``numpy.fft.<func>`` over several axes, as a trueno array."""
    a, name = _input(x, func, want)
    s, axes = _s_axes(s, axes, a.ndim, func)
    if s is not None:
        a = _zero_pad_empty_axes(a, axes)
    return from_numpy(getattr(_np.fft, func)(a, s=s, axes=axes, norm=_norm(norm, func)), out_of[name])


def fft(x, /, *, n=None, axis=-1, norm="backward") -> Array:
    """One-dimensional discrete Fourier transform along ``axis`` (length ``n``)."""
    return _transform("fft", x, n, axis, norm, "complex", _COMPLEX_OF)


def ifft(x, /, *, n=None, axis=-1, norm="backward") -> Array:
    """One-dimensional inverse discrete Fourier transform along ``axis``."""
    return _transform("ifft", x, n, axis, norm, "complex", _COMPLEX_OF)


def rfft(x, /, *, n=None, axis=-1, norm="backward") -> Array:
    """Transform of real input: the ``n//2 + 1`` non-negative frequency terms."""
    return _transform("rfft", x, n, axis, norm, "real", _COMPLEX_OF)


def irfft(x, /, *, n=None, axis=-1, norm="backward") -> Array:
    """Inverse of ``rfft``: a real signal of length ``n`` (default ``2*(m-1)``)."""
    return _transform("irfft", x, n, axis, norm, "complex", _REAL_OF)


def hfft(x, /, *, n=None, axis=-1, norm="backward") -> Array:
    """Transform of a Hermitian-symmetric signal (real output of length ``n``)."""
    return _transform("hfft", x, n, axis, norm, "complex", _REAL_OF)


def ihfft(x, /, *, n=None, axis=-1, norm="backward") -> Array:
    """Inverse of ``hfft``: ``n//2 + 1`` complex terms from a real signal."""
    return _transform("ihfft", x, n, axis, norm, "real", _COMPLEX_OF)


def fftn(x, /, *, s=None, axes=None, norm="backward") -> Array:
    """N-dimensional discrete Fourier transform over ``axes`` (all axes when None)."""
    return _transform_n("fftn", x, s, axes, norm, "complex", _COMPLEX_OF)


def ifftn(x, /, *, s=None, axes=None, norm="backward") -> Array:
    """N-dimensional inverse discrete Fourier transform over ``axes``."""
    return _transform_n("ifftn", x, s, axes, norm, "complex", _COMPLEX_OF)


def rfftn(x, /, *, s=None, axes=None, norm="backward") -> Array:
    """N-dimensional transform of real input (last transformed axis halved)."""
    return _transform_n("rfftn", x, s, axes, norm, "real", _COMPLEX_OF)


def irfftn(x, /, *, s=None, axes=None, norm="backward") -> Array:
    """Inverse of ``rfftn``: real output with shape ``s`` over ``axes``."""
    return _transform_n("irfftn", x, s, axes, norm, "complex", _REAL_OF)


# ------------------------------------------------------------------- helpers

def _freq_dtype(dtype, device, func: str) -> str:
    if device is not None and _devices.parse_device(device, f"fft.{func}") != _core.CPU_DEVICE:
        raise ValueError(f"fft.{func}(): this is the CPU implementation; got device {device!r}")
    if dtype is None:
        return "float64"
    dtype = _core._dtype(dtype, f"fft.{func}", "dtype")
    if dtype.name not in ("float32", "float64"):
        raise ValueError(f"fft.{func}(): dtype must be a real floating-point dtype, got {dtype.name}")
    return dtype.name


def _frequencies(func: str, n, d, dtype, device) -> Array:
    """``numpy.fft.<func>(n, d=d)`` (``fftfreq`` or ``rfftfreq``) as a trueno array."""
    name = _freq_dtype(dtype, device, func)
    n = _length(n, func, "n", 0)
    if isinstance(d, bool) or not isinstance(d, (int, float, _np.integer, _np.floating)):
        raise TypeError(f"fft.{func}(): d must be a real number, got {type(d).__name__}")
    if d == 0:
        raise ValueError(f"fft.{func}(): d must not be zero")
    if n == 0:
        return from_numpy(_np.zeros(0), name)
    return from_numpy(getattr(_np.fft, func)(n, d=d), name)


def fftfreq(n, /, *, d=1.0, dtype=None, device=None) -> Array:
    """Sample frequencies ``[0, 1, ..., -1] / (d*n)`` of an ``n``-point transform."""
    return _frequencies("fftfreq", n, d, dtype, device)


def rfftfreq(n, /, *, d=1.0, dtype=None, device=None) -> Array:
    """Sample frequencies ``[0, 1, ..., n//2] / (d*n)`` of an ``n``-point real transform."""
    return _frequencies("rfftfreq", n, d, dtype, device)


def _shift_axes(x, axes, func: str):
    require_array(x, f"fft.{func}")
    if axes is None:
        return list(range(x.ndim))
    axes = [axes] if not isinstance(axes, (tuple, list)) else list(axes)
    return [_axis(ax, x.ndim, func, "axes") for ax in axes]


def fftshift(x, /, *, axes=None) -> Array:
    """Move the zero-frequency term to the centre (over ``axes``, all when None)."""
    axes = _shift_axes(x, axes, "fftshift")
    a = _np.asarray(x)
    return from_numpy(_np.fft.fftshift(a, axes=axes), x.dtype.name)


def ifftshift(x, /, *, axes=None) -> Array:
    """Inverse of ``fftshift`` (differs from it by one sample for odd lengths)."""
    axes = _shift_axes(x, axes, "ifftshift")
    a = _np.asarray(x)
    return from_numpy(_np.fft.ifftshift(a, axes=axes), x.dtype.name)

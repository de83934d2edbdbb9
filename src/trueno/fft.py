"""The fft extension of the array API standard (2025.12).

The transforms are trueno's own C++ FFT (``cpp/ops/fft.cpp``, loops in
``cpp/kernels/fft.*``: mixed radix 2/3/4/5 and small odd primes, Bluestein
for lengths with a prime factor above 31); this module validates the
arguments, picks each one-dimensional pass's scale from ``norm`` and composes
the n-dimensional transforms from one-dimensional ones in NumPy's order.
NumPy is not called. Precision follows the input:

* ``fft``, ``ifft``, ``fftn``, ``ifftn``: complex in, same complex dtype out.
  Real floating input is accepted (leniently) and gives the complex dtype of the
  same precision (float32 -> complex64), computed in that precision.
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

import math
import numbers

from . import _core, _devices
from ._core import Array, AxisError
from ._manipulation import roll
from ._docstrings import with_sections
from ._validation import as_int, require_array

_native = _core._fft

__all__ = [
    "fft", "ifft", "fftn", "ifftn", "rfft", "irfft", "rfftn", "irfftn", "hfft", "ihfft",
    "fftfreq", "rfftfreq", "fftshift", "ifftshift",
]

_COMPLEX_OF = {"float32": "complex64", "float64": "complex128", "complex64": "complex64",
               "complex128": "complex128"}
_NORMS = ("backward", "ortho", "forward")


# By dtype object: ``dtype.name`` costs ~1.5 us a call (NumPy builds the string), as
# much as a whole small transform.
_FLOATING = {_core.float32: "float32", _core.float64: "float64", _core.complex64: "complex64",
             _core.complex128: "complex128"}


def _input(x, func: str, want: str):
    """(x in a dtype the transform reads, the name of that dtype).

    ``want`` is 'complex' (fft, ifft, hfft, irfft ...) or 'real' (rfft, ihfft ...).
    The native transforms read float32, float64, complex64 and complex128 as
    they are; integers become float64 here.
    """
    if not isinstance(x, Array):
        require_array(x, f"fft.{func}")
    name = _FLOATING.get(x.dtype)
    if name is None:
        if x.dtype == _core.bool:
            raise TypeError(f"fft.{func}(): x must have a floating-point data type, got bool")
        x, name = _core.astype(x, _core.float64), "float64"  # integers
    if want == "real" and name[0] == "c":
        raise TypeError(f"fft.{func}(): x must have a real floating-point data type, got {name}")
    return x, name


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
# Every transform is a sequence of one-dimensional passes of three native
# kinds: complex-to-complex, real-to-complex (rfft; ihfft conjugates) and
# complex-to-real (irfft; hfft conjugates its input). ``_PASSES`` gives each
# one-dimensional function's kind, whether it conjugates, and whether its
# ``norm`` scale is that of a forward transform (hfft is the forward
# transform of a Hermitian signal, ihfft its inverse, as in NumPy).

_PASSES = {
    "fft": (_native.complex, False, True), "ifft": (_native.complex, True, False),
    "rfft": (_native.real_forward, False, True), "ihfft": (_native.real_forward, True, False),
    "irfft": (_native.real_inverse, False, False), "hfft": (_native.real_inverse, True, True),
}
_WANT = {"fft": "complex", "ifft": "complex", "rfft": "real", "ihfft": "real", "irfft": "complex",
         "hfft": "complex", "fftn": "complex", "ifftn": "complex", "rfftn": "real", "irfftn": "complex"}


def _scale(norm: str, n: int, forward: bool) -> float:
    if norm == "ortho":
        return 1.0 / math.sqrt(n)
    return 1.0 / n if (norm == "forward") == forward else 1.0


def _pass(kind: str, x, n, axis: int, norm: str, func: str) -> Array:
    """One one-dimensional transform (``kind`` a key of ``_PASSES``) of length ``n``
    (None: the input's, or ``2 * (m - 1)`` for the complex-to-real kinds) along ``axis``."""
    native, flag, forward = _PASSES[kind]
    if n is None:
        m = x.shape[axis]
        n = 2 * (m - 1) if native is _native.real_inverse else m
        if n < 1:
            raise ValueError(f"fft.{func}(): invalid number of data points ({n}) along axis {axis}; "
                             "give n (or s) of at least 1")
    scale = 1.0 if norm == "backward" and forward else _scale(norm, n, forward)
    return native(x, axis, n, flag, scale)


def _transform(func: str, x, n, axis, norm) -> Array:
    """The one-dimensional transform ``func`` along one axis."""
    x, _ = _input(x, func, _WANT[func])
    ndim = x.ndim
    if type(axis) is int and -ndim <= axis < ndim:  # the common case, without the calls
        axis %= ndim
    else:
        axis = _axis(axis, ndim, func)
    if n is not None:
        n = _length(n, func, "n", 1)
    if type(norm) is not str or norm not in _NORMS:
        _norm(norm, func)
    return _pass(func, x, n, axis, norm, func)


def _transform_n(func: str, x, s, axes, norm) -> Array:
    """The transform ``func`` over several axes: one-dimensional passes in NumPy's order
    (fftn/ifftn/rfftn: last axis first; irfftn: the complex passes first, in order)."""
    x, name = _input(x, func, _WANT[func])
    norm = _norm(norm, func)
    s, axes = _s_axes(s, axes, x.ndim, func)
    if s is None:
        s = [x.shape[ax] for ax in axes]
        if func == "irfftn" and axes:
            s[-1] = 2 * (x.shape[axes[-1]] - 1)
        for v, ax in zip(s, axes):
            if v < 1:
                raise ValueError(f"fft.{func}(): invalid number of data points ({v}) along axis {ax}; "
                                 "give s of at least 1")
    if not axes:
        if func in ("rfftn", "irfftn"):
            raise ValueError(f"fft.{func}(): axes must name at least one axis")
        return _core.astype(x, getattr(_core, _COMPLEX_OF[name]))
    last = len(axes) - 1
    if func == "irfftn":
        for i in range(last):
            x = _pass("ifft", x, s[i], axes[i], norm, func)
        return _pass("irfft", x, s[last], axes[last], norm, func)
    first = {"fftn": "fft", "ifftn": "ifft", "rfftn": "rfft"}[func]
    x = _pass(first, x, s[last], axes[last], norm, func)
    for i in reversed(range(last)):
        x = _pass("ifft" if func == "ifftn" else "fft", x, s[i], axes[i], norm, func)
    return x


# ------------------------------------------------------------------- docstrings
# The transforms share their parameters and errors: each docstring is its summary
# plus these sections, filled in with what the function reads and returns.

_ONE_D_SECTIONS = """
Parameters
----------
x : Array
    Input array: {reads}.
n : int, optional
    Length of the transform along axis: x is cut or zero-padded to it. None, the
    default, {default_n}.
axis : int, optional
    The axis to transform (default -1, the last).
norm : {{'backward', 'ortho', 'forward'}}, optional
    Which direction is scaled: 'backward' (the default) scales the inverse
    transform by 1/n, 'forward' the forward one, 'ortho' both by 1/sqrt(n).

Returns
-------
Array
    {returns}

Raises
------
TypeError
    If x is not a trueno array, x's dtype is not one the transform reads, or n is
    not an integer.
ValueError
    If n is less than 1, or norm is not one of the three names.
AxisError
    If axis is out of bounds for x.

Examples
--------
>>> import trueno as xp
{example}
"""

_N_D_SECTIONS = """
Parameters
----------
x : Array
    Input array: {reads}.
s : sequence of int, optional
    Length of the transform along each of axes (x is cut or zero-padded);
    None, the default, {default_n}.
axes : sequence of int, optional
    The axes to transform; None, the default, transforms all (the last len(s)
    when s is given).
norm : {{'backward', 'ortho', 'forward'}}, optional
    Which direction is scaled, as for the one-dimensional transforms.

Returns
-------
Array
    {returns}

Raises
------
TypeError
    If x is not a trueno array, or x's dtype is not one the transform reads.
ValueError
    If s and axes differ in length, a length is less than 1, or norm is not one
    of the three names.
AxisError
    If an axis is out of bounds for x.

Examples
--------
>>> import trueno as xp
{example}
"""

_COMPLEX_IN = "complex (real floating-point input is taken as complex, integers as float64)"
_REAL_IN = "real floating-point (integers are taken as float64)"


def _documented(sections: str, reads: str, default_n: str, returns: str, example: str):
    return with_sections(sections.format(reads=reads, default_n=default_n, returns=returns,
                                         example=example.strip()))


@_documented(_ONE_D_SECTIONS, _COMPLEX_IN, "is x's length along axis",
             "The complex transform (complex64 for float32 or complex64 x, else complex128).",
             '''
>>> xp.fft.fft(xp.asarray([1.0, 2.0, 3.0, 4.0]))
Array([10.+0.j, -2.+2.j, -2.+0.j, -2.-2.j], dtype=complex128)''')
def fft(x, /, *, n=None, axis=-1, norm="backward") -> Array:
    """One-dimensional discrete Fourier transform along ``axis`` (length ``n``)."""
    return _transform("fft", x, n, axis, norm)


@_documented(_ONE_D_SECTIONS, _COMPLEX_IN, "is x's length along axis",
             "The complex inverse transform, of x's complex dtype.",
             '''
>>> xp.fft.ifft(xp.asarray([10, -2 + 2j, -2, -2 - 2j]))
Array([1.+0.j, 2.+0.j, 3.+0.j, 4.+0.j], dtype=complex128)''')
def ifft(x, /, *, n=None, axis=-1, norm="backward") -> Array:
    """One-dimensional inverse discrete Fourier transform along ``axis``."""
    return _transform("ifft", x, n, axis, norm)


@_documented(_ONE_D_SECTIONS, _REAL_IN, "is x's length along axis",
             "The n//2 + 1 complex terms (complex64 for float32 x, else complex128).",
             '''
>>> xp.fft.rfft(xp.asarray([1.0, 2.0, 3.0, 4.0]))
Array([10.+0.j, -2.+2.j, -2.+0.j], dtype=complex128)''')
def rfft(x, /, *, n=None, axis=-1, norm="backward") -> Array:
    """Transform of real input: the ``n//2 + 1`` non-negative frequency terms."""
    return _transform("rfft", x, n, axis, norm)


@_documented(_ONE_D_SECTIONS, _COMPLEX_IN, "is 2*(m - 1) for m terms along axis",
             "A real signal of length n (float32 for complex64 x, else float64).",
             '''
>>> xp.fft.irfft(xp.asarray([10, -2 + 2j, -2]))
Array([1., 2., 3., 4.], dtype=float64)''')
def irfft(x, /, *, n=None, axis=-1, norm="backward") -> Array:
    """Inverse of ``rfft``: a real signal of length ``n`` (default ``2*(m-1)``)."""
    return _transform("irfft", x, n, axis, norm)


@_documented(_ONE_D_SECTIONS, _COMPLEX_IN, "is 2*(m - 1) for m terms along axis",
             "The real transform of length n (float32 for complex64 x, else float64).",
             '''
>>> xp.fft.hfft(xp.asarray([1 + 0j, 2, 3]))
Array([ 8., -2.,  0., -2.], dtype=float64)''')
def hfft(x, /, *, n=None, axis=-1, norm="backward") -> Array:
    """Transform of a Hermitian-symmetric signal (real output of length ``n``)."""
    return _transform("hfft", x, n, axis, norm)


@_documented(_ONE_D_SECTIONS, _REAL_IN, "is x's length along axis",
             "The n//2 + 1 complex terms (complex64 for float32 x, else complex128).",
             '''
>>> xp.fft.ihfft(xp.asarray([1.0, 2.0, 3.0, 4.0]))
Array([ 2.5-0.j , -0.5-0.5j, -0.5-0.j ], dtype=complex128)''')
def ihfft(x, /, *, n=None, axis=-1, norm="backward") -> Array:
    """Inverse of ``hfft``: ``n//2 + 1`` complex terms from a real signal."""
    return _transform("ihfft", x, n, axis, norm)


@_documented(_N_D_SECTIONS, _COMPLEX_IN, "keeps x's lengths",
             "The complex transform (complex64 for float32 or complex64 x, else complex128).",
             '''
>>> xp.fft.fftn(xp.asarray([[1.0, 2.0], [3.0, 4.0]]))
Array([[10.+0.j, -2.+0.j],
       [-4.+0.j,  0.+0.j]], dtype=complex128)''')
def fftn(x, /, *, s=None, axes=None, norm="backward") -> Array:
    """N-dimensional discrete Fourier transform over ``axes`` (all axes when None)."""
    return _transform_n("fftn", x, s, axes, norm)


@_documented(_N_D_SECTIONS, _COMPLEX_IN, "keeps x's lengths",
             "The complex inverse transform, of x's complex dtype.",
             '''
>>> xp.fft.ifftn(xp.asarray([[10, -2], [-4, 0j]]))
Array([[1.+0.j, 2.+0.j],
       [3.+0.j, 4.+0.j]], dtype=complex128)''')
def ifftn(x, /, *, s=None, axes=None, norm="backward") -> Array:
    """N-dimensional inverse discrete Fourier transform over ``axes``."""
    return _transform_n("ifftn", x, s, axes, norm)


@_documented(_N_D_SECTIONS, _REAL_IN, "keeps x's lengths",
             "The complex transform, the last transformed axis n//2 + 1 long.",
             '''
>>> xp.fft.rfftn(xp.asarray([[1.0, 2.0], [3.0, 4.0]]))
Array([[10.+0.j, -2.+0.j],
       [-4.+0.j,  0.+0.j]], dtype=complex128)''')
def rfftn(x, /, *, s=None, axes=None, norm="backward") -> Array:
    """N-dimensional transform of real input (last transformed axis halved)."""
    return _transform_n("rfftn", x, s, axes, norm)


@_documented(_N_D_SECTIONS, _COMPLEX_IN, "keeps x's lengths but the last, 2*(m - 1)",
             "The real inverse transform (float32 for complex64 x, else float64).",
             '''
>>> xp.fft.irfftn(xp.asarray([[10, -2], [-4, 0j]]))
Array([[1., 2.],
       [3., 4.]], dtype=float64)''')
def irfftn(x, /, *, s=None, axes=None, norm="backward") -> Array:
    """Inverse of ``rfftn``: real output with shape ``s`` over ``axes``."""
    return _transform_n("irfftn", x, s, axes, norm)


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
    """``fftfreq`` or ``rfftfreq``: the integers k (fftfreq: k - n above (n - 1) // 2) times
    1 / (n d), computed in float64 as NumPy does, then cast to ``dtype``."""
    name = _freq_dtype(dtype, device, func)
    n = _length(n, func, "n", 0)
    if isinstance(d, bool) or not isinstance(d, numbers.Real):
        raise TypeError(f"fft.{func}(): d must be a real number, got {type(d).__name__}")
    if d == 0:
        raise ValueError(f"fft.{func}(): d must not be zero")
    f64 = _core.float64
    if n == 0:
        return _core.zeros((0,), dtype=getattr(_core, name))
    val = float(1.0 / (n * d))
    if func == "rfftfreq":
        k = _core.arange(n // 2 + 1, dtype=f64)
    else:
        k = _core.arange(n, dtype=f64)
        k = _core.where(k < (n - 1) // 2 + 1, k, k - n)
    out = k * val
    return out if name == "float64" else _core.astype(out, getattr(_core, name))


_FREQUENCY_SECTIONS = """
Parameters
----------
n : int
    The transform's length (non-negative).
d : float, optional
    The sample spacing (default 1.0); the frequencies are in cycles per unit of d.
dtype : dtype, optional
    float32 or float64 (the default).
device : Device or str, optional
    Must be the CPU (None, the default, or 'cpu').

Returns
-------
Array
    {returns}

Raises
------
TypeError
    If n is not an integer or d not a real number.
ValueError
    If n is negative, d is zero, dtype is not a real floating-point dtype, or device
    is not the CPU.

Examples
--------
>>> import trueno as xp
{example}
"""

_SHIFT_SECTIONS = """
Parameters
----------
x : Array
    Input array (any dtype).
axes : int or sequence of int, optional
    The axes to shift; None, the default, shifts all.

Returns
-------
Array
    {returns}

Raises
------
TypeError
    If x is not a trueno array.
AxisError
    If an axis is out of bounds for x.

Examples
--------
>>> import trueno as xp
{example}
"""


def _sections(template: str, returns: str, example: str):
    return with_sections(template.format(returns=returns, example=example))


@_sections(_FREQUENCY_SECTIONS, "The n frequencies, non-negative ones first, then the negative ones.",
           ">>> xp.fft.fftfreq(4)\nArray([ 0.  ,  0.25, -0.5 , -0.25], dtype=float64)")
def fftfreq(n, /, *, d=1.0, dtype=None, device=None) -> Array:
    """Sample frequencies ``[0, 1, ..., -1] / (d*n)`` of an ``n``-point transform."""
    return _frequencies("fftfreq", n, d, dtype, device)


@_sections(_FREQUENCY_SECTIONS, "The n//2 + 1 non-negative frequencies (those of rfft's terms).",
           ">>> xp.fft.rfftfreq(4, d=0.5)\nArray([0. , 0.5, 1. ], dtype=float64)")
def rfftfreq(n, /, *, d=1.0, dtype=None, device=None) -> Array:
    """Sample frequencies ``[0, 1, ..., n//2] / (d*n)`` of an ``n``-point real transform."""
    return _frequencies("rfftfreq", n, d, dtype, device)


def _shift_axes(x, axes, func: str):
    require_array(x, f"fft.{func}")
    if axes is None:
        return list(range(x.ndim))
    axes = [axes] if not isinstance(axes, (tuple, list)) else list(axes)
    return [_axis(ax, x.ndim, func, "axes") for ax in axes]


def _shift(x, axes, func: str, sign: int) -> Array:
    axes = _shift_axes(x, axes, func)
    if not axes:
        return _core.asarray(x, copy=True)
    return roll(x, tuple(sign * (x.shape[ax] // 2) for ax in axes), axis=tuple(axes))


@_sections(_SHIFT_SECTIONS, "x rolled by half its length along each of axes, of x's dtype.",
           ">>> xp.fft.fftshift(xp.fft.fftfreq(5))\nArray([-0.4, -0.2,  0. ,  0.2,  0.4], dtype=float64)")
def fftshift(x, /, *, axes=None) -> Array:
    """Move the zero-frequency term to the centre (over ``axes``, all when None)."""
    return _shift(x, axes, "fftshift", 1)


@_sections(_SHIFT_SECTIONS, "x rolled back by half its length along each of axes, of x's dtype.",
           ">>> xp.fft.ifftshift(xp.fft.fftshift(xp.arange(5)))\nArray([0, 1, 2, 3, 4], dtype=int64)")
def ifftshift(x, /, *, axes=None) -> Array:
    """Inverse of ``fftshift`` (differs from it by one sample for odd lengths)."""
    return _shift(x, axes, "ifftshift", -1)

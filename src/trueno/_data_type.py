"""Data type functions (spec section "Data Type Functions") and dtype objects."""
from __future__ import annotations

import sys
from dataclasses import dataclass

import numpy as _numpy

from . import _core
from ._core import (
    Array, DType, astype,
    bool, int8, int16, int32, int64, uint8, uint16, uint32, uint64,
    float32, float64, complex64, complex128,
)

__all__ = ["astype", "can_cast", "finfo", "iinfo", "isdtype", "result_type"]

_ALL = (bool, int8, int16, int32, int64, uint8, uint16, uint32, uint64,
        float32, float64, complex64, complex128)
_BY_NAME = {d.name: d for d in _ALL}
_SIGNED = (int8, int16, int32, int64)
_UNSIGNED = (uint8, uint16, uint32, uint64)
_REAL_FLOAT = (float32, float64)
_COMPLEX = (complex64, complex128)
_KINDS = {
    "bool": (bool,),
    "signed integer": _SIGNED,
    "unsigned integer": _UNSIGNED,
    "integral": _SIGNED + _UNSIGNED,
    "real floating": _REAL_FLOAT,
    "complex floating": _COMPLEX,
    "numeric": _SIGNED + _UNSIGNED + _REAL_FLOAT + _COMPLEX,
}


def _dtype_by_name(name: str) -> DType:
    return _BY_NAME[name]


def _as_dtype(x, func: str, argname: str) -> DType:
    """An array's dtype, a NumPy scalar's (NEP 50: it has one), or a dtype-like's."""
    if isinstance(x, Array):
        return x.dtype
    if isinstance(x, _numpy.ndarray | _numpy.generic):
        return _core._dtype(x.dtype, func, argname)
    return _core._dtype(x, func, argname)


def isdtype(dtype, kind) -> builtins_bool:
    """Whether ``dtype`` is of ``kind`` (a dtype, a kind name, or a tuple of them).

    Parameters
    ----------
    dtype : dtype
        The dtype to test.
    kind : str, dtype or tuple of them
        A dtype, a kind ('bool', 'signed integer', 'unsigned integer', 'integral',
        'real floating', 'complex floating', 'numeric') or a tuple of them (any matches).

    Returns
    -------
    bool
        Whether dtype is of kind.

    Raises
    ------
    ValueError
        If kind names an unknown kind.

    Examples
    --------
    >>> import trueno as xp
    >>> xp.isdtype(xp.float32, "real floating"), xp.isdtype(xp.int8, ("bool", "unsigned integer"))
    (True, False)
    """
    dtype = _core._dtype(dtype, "isdtype", "dtype")
    if isinstance(kind, tuple):
        return any(isdtype(dtype, k) for k in kind)
    if isinstance(kind, str):
        if kind in _KINDS:
            return dtype in _KINDS[kind]
        try:
            return dtype == _core._dtype(kind, "isdtype", "kind")  # a dtype's name, "float32"
        except TypeError:
            raise ValueError(f"isdtype(): unknown kind {kind!r}; valid kinds: {', '.join(_KINDS)}") from None
    return dtype == _core._dtype(kind, "isdtype", "kind")


builtins_bool = type(True)


def can_cast(from_, to, /) -> builtins_bool:
    """Whether ``from_`` can be cast to ``to`` under the spec's promotion rules.

    Parameters
    ----------
    from_ : dtype or Array
        The dtype (or array whose dtype) to cast from.
    to : dtype
        The dtype to cast to.

    Returns
    -------
    bool
        Whether the standard's promotion rules allow the cast (no value is lost).

    Raises
    ------
    TypeError
        If ``from_`` or ``to`` is neither a supported dtype nor an array.

    Examples
    --------
    >>> import trueno as xp
    >>> xp.can_cast(xp.int8, xp.int16), xp.can_cast(xp.float64, xp.int16)
    (True, False)
    """
    src = _as_dtype(from_, "can_cast", "from_")
    to = _core._dtype(to, "can_cast", "to")
    promoted = _core._promote_types(src, to)
    # (`is not None` first: NumPy's dtypes compare equal to None, as numpy.dtype(None) is float64)
    return promoted is not None and promoted == to


def result_type(*arrays_and_dtypes):
    """The dtype that results from promoting all arguments (arrays, dtypes, Python scalars).

    Parameters
    ----------
    *arrays_and_dtypes : Array, dtype or Python scalar
        The operands.

    Returns
    -------
    dtype
        The dtype the standard's promotion table gives them.

    Raises
    ------
    TypeError
        If two of the dtypes have no promotion (int64 and uint64, ...).

    Examples
    --------
    >>> import trueno as xp
    >>> xp.result_type(xp.int8, xp.float32)
    dtype('float32')
    """
    dtypes = []
    scalars = []
    for x in arrays_and_dtypes:
        if isinstance(x, (builtins_bool, int, float, complex)) and not isinstance(x, _numpy.generic):
            scalars.append(x)
        else:
            dtypes.append(_as_dtype(x, "result_type", "arrays_and_dtypes"))
    if not dtypes:
        # TypeError, as for any argument that is no array or dtype (xarray's
        # promotion, for one, catches TypeError).
        raise TypeError("result_type(): at least one array or dtype is required")
    # The spec's joins within each kind, then the integers' join beside the floating
    # one (trueno's extension, see cpp/core/dtype.cpp): the same result in any order.
    integers = [d for d in dtypes if d in _KINDS["integral"]]
    others = [d for d in dtypes if d not in _KINDS["integral"]]
    result = _join(integers + others if not (integers and others) else others)
    if integers and others:
        result = _join([_join(integers), result])
    for s in scalars:
        result = _promote_scalar(result, s)
    return result


def _join(dtypes) -> DType:
    result = dtypes[0]
    for d in dtypes[1:]:
        promoted = _core._promote_types(result, d)
        if promoted is None:
            raise TypeError(f"result_type(): no promotion between {result} and {d}")
        result = promoted
    return result


def _promote_scalar(dtype: DType, s) -> DType:
    if isinstance(s, builtins_bool):
        return dtype
    if isinstance(s, int):
        return int64 if dtype == bool else dtype
    if isinstance(s, float):
        return dtype if dtype in _REAL_FLOAT + _COMPLEX else float64
    if dtype in _COMPLEX:
        return dtype
    return complex64 if dtype == float32 else complex128


@dataclass(frozen=True)
class finfo_object:
    bits: int
    eps: float
    max: float
    min: float
    smallest_normal: float
    dtype: DType


@dataclass(frozen=True)
class iinfo_object:
    bits: int
    max: int
    min: int
    dtype: DType


_FINFO = {
    float32: finfo_object(32, 2.0**-23, 3.4028234663852886e38, -3.4028234663852886e38, 2.0**-126, float32),
    float64: finfo_object(64, sys.float_info.epsilon, sys.float_info.max, -sys.float_info.max,
                          sys.float_info.min, float64),
}


def finfo(type, /) -> finfo_object:
    """Machine limits of a floating-point dtype (complex dtypes report their real part's).

    Parameters
    ----------
    type : dtype or Array
        A floating-point dtype (or an array of one).

    Returns
    -------
    finfo_object
        bits, eps, max, min, smallest_normal and dtype.

    Raises
    ------
    ValueError
        If type is not floating-point.

    Examples
    --------
    >>> import trueno as xp
    >>> xp.finfo(xp.float32).eps
    1.1920928955078125e-07
    """
    d = _as_dtype(type, "finfo", "type")
    real = {complex64: float32, complex128: float64}.get(d, d)
    if real not in _FINFO:
        raise ValueError(f"finfo(): {d} is not a floating-point dtype")
    return _FINFO[real]


def iinfo(type, /) -> iinfo_object:
    """Machine limits of an integer dtype.

    Parameters
    ----------
    type : dtype or Array
        An integer dtype (or an array of one).

    Returns
    -------
    iinfo_object
        bits, max, min and dtype.

    Raises
    ------
    ValueError
        If type is not an integer dtype.

    Examples
    --------
    >>> import trueno as xp
    >>> xp.iinfo(xp.int8).max
    127
    """
    d = _as_dtype(type, "iinfo", "type")
    if d in _SIGNED:
        bits = d.itemsize * 8
        return iinfo_object(bits, 2 ** (bits - 1) - 1, -(2 ** (bits - 1)), d)
    if d in _UNSIGNED:
        bits = d.itemsize * 8
        return iinfo_object(bits, 2**bits - 1, 0, d)
    raise ValueError(f"iinfo(): {d} is not an integer dtype")

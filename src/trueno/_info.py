"""The inspection API (spec section "Inspection"): __array_namespace_info__()."""
from __future__ import annotations

from . import _data_type as _dt
from . import _devices

__all__ = ["__array_namespace_info__"]


class Info:
    """What this namespace supports on which device."""

    def capabilities(self) -> dict:
        return {"boolean indexing": True, "data-dependent shapes": True, "max dimensions": 64}

    def default_device(self):
        """The device arrays are created on when no array argument or ``device=`` says otherwise."""
        return _devices.default_device()

    def devices(self) -> tuple:
        """The CPU, each CUDA device (with CuPy and a GPU), and ``test:0`` when the test backend is on."""
        return _devices.available_devices()

    def _supported(self, device, func: str) -> tuple:
        if device is None:
            device = _devices.default_device()
        device = _devices.parse_device(device, func)
        if device.type == "cpu":
            return tuple(_dt._ALL)
        names = set(_devices.backend_for(device).supported_dtypes())
        return tuple(d for d in _dt._ALL if d.name in names)

    def default_dtypes(self, *, device=None) -> dict:
        self._supported(device, "default_dtypes")
        return {"real floating": _dt.float64, "complex floating": _dt.complex128,
                "integral": _dt.int64, "indexing": _dt.int64}

    def dtypes(self, *, device=None, kind=None) -> dict:
        """The dtypes ``device`` computes with (the default device's for None), optionally of one ``kind``."""
        supported = self._supported(device, "dtypes")
        if kind is None:
            return {d.name: d for d in supported}
        return {d.name: d for d in supported if _dt.isdtype(d, kind)}


def __array_namespace_info__() -> Info:
    """The namespace's inspection object.

    Returns
    -------
    Info
        The object whose methods answer the spec's inspection questions.

    Examples
    --------
    >>> import trueno as xp
    >>> info = xp.__array_namespace_info__()
    >>> info.default_dtypes()["real floating"]
    dtype('float64')
    >>> info.capabilities()["boolean indexing"]
    True
    """
    return Info()

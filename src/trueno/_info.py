"""The inspection API (spec section "Inspection"): __array_namespace_info__()."""
from __future__ import annotations

from ._core import CPU_DEVICE
from . import _data_type as _dt

__all__ = ["__array_namespace_info__"]


class Info:
    """What this namespace supports on which device."""

    def capabilities(self) -> dict:
        return {"boolean indexing": True, "data-dependent shapes": True, "max dimensions": 64}

    def default_device(self):
        return CPU_DEVICE

    def devices(self) -> tuple:
        return (CPU_DEVICE,)

    def _check_device(self, device):
        if device is not None and device != CPU_DEVICE:
            raise ValueError(f"unknown device {device!r}; valid devices: {self.devices()}")

    def default_dtypes(self, *, device=None) -> dict:
        self._check_device(device)
        return {"real floating": _dt.float64, "complex floating": _dt.complex128,
                "integral": _dt.int64, "indexing": _dt.int64}

    def dtypes(self, *, device=None, kind=None) -> dict:
        self._check_device(device)
        if kind is None:
            return {d.name: d for d in _dt._ALL}
        return {d.name: d for d in _dt._ALL if _dt.isdtype(d, kind)}


def __array_namespace_info__() -> Info:
    """The namespace's inspection object."""
    return Info()

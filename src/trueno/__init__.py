"""trueno: the Python array API standard (2025.12) on C++ SIMD kernels.

``import trueno as xp`` gives a complete array API namespace; arrays are
native (C++) objects, computed by SIMD kernels chosen for the running CPU.
"""
def _load_openblas() -> None:
    """Load OpenBLAS from the scipy-openblas32 wheel, where the module finds it.

    The module links libscipy_openblas.so by name only (the build ran in
    another environment); loading it globally first satisfies that link.
    """
    import ctypes
    import os

    try:
        import scipy_openblas32
    except ImportError:
        return  # a build without OpenBLAS, or a clear error from the import below
    ctypes.CDLL(os.path.join(scipy_openblas32.get_lib_dir(), "libscipy_openblas.so"), mode=ctypes.RTLD_GLOBAL)


_load_openblas()
try:
    from . import _core
except ImportError as exc:  # pragma: no cover - depends on the machine
    if "libhwy" in str(exc):
        raise ImportError(
            "trueno needs Google Highway's shared library (libhwy.so.1): "
            "install it with `apt-get install libhwy1` (or libhwy-dev)"
        ) from exc
    if "libscipy_openblas" in str(exc):
        raise ImportError("trueno needs OpenBLAS from PyPI: pip install scipy-openblas32") from exc
    raise

import sys as _sys

__array_api_version__ = "2025.12"

try:
    from importlib.metadata import version as _version

    __version__ = _version("trueno")
except Exception:  # a development tree that pip did not install
    __version__ = "0+dev"

from ._core import Array, AxisError, Device, available_isas, compiled_isas, get_isa, set_isa
from ._config import get_num_threads, set_num_threads, show_config
from ._constants import e, inf, nan, newaxis, pi
from ._data_type import (
    bool, int8, int16, int32, int64, uint8, uint16, uint32, uint64,
    float32, float64, complex64, complex128,
)
from ._creation import *
from ._data_type import *
from ._elementwise import *
from ._indexing import *
from ._info import *
from ._linear_algebra import *
from ._manipulation import *
from ._searching import *
from ._set import *
from ._sorting import *
from ._statistical import *
from ._utility import *
from . import linalg, fft
from . import nn
from . import _devices, _route

# Native functions take the device route in C++ (trueno.Function); the ones
# written in Python get it here (a Function that scans their arguments).
# _data_type's functions only read dtypes.
for _section in (_creation, _indexing, _linear_algebra, _manipulation, _searching, _set,
                 _sorting, _statistical, _utility):
    _route.route_python_functions(_sys.modules[__name__], _section.__all__)
_route.route_python_functions(linalg, linalg.__all__)
_route.route_python_functions(fft, fft.__all__)
_devices.configure_from_environment()
from . import gguf
from . import _numpy_protocols

# NumPy's protocols (NEP 13, NEP 18) and the ndarray methods, once the namespace is complete.
_numpy_protocols.install(_sys.modules[__name__])
from . import _docstrings

_docstrings.install(_core)  # the native classes' and the array's properties' docstrings

"""repr/str/tolist/pickling of arrays, NumPy-style (via NumPy's printer on a zero-copy view)."""
from __future__ import annotations

import numpy as _np


def _numpy_view(x):
    return _np.asarray(memoryview(x)) if x.ndim else _np.asarray(memoryview(x)).reshape(())


def array_repr(x) -> str:
    body = _np.array2string(_numpy_view(x), separator=", ", prefix="Array(")
    return f"Array({body}, dtype={x.dtype.name})"


def array_str(x) -> str:
    return _np.array2string(_numpy_view(x))


def tolist(x):
    if x.ndim == 0:
        return x.item()
    return [tolist(row) for row in x]


def reduce(x):
    from ._creation import _from_bytes

    data = _np.ascontiguousarray(_numpy_view(x)).tobytes()
    return (_from_bytes, (data, x.dtype.name, x.shape))

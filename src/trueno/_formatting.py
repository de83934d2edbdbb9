"""repr/str/tolist/pickling of arrays, NumPy-style (via NumPy's printer on a zero-copy view)."""
from __future__ import annotations

import pickle

import numpy as _np


def _numpy_view(x):
    return _np.asarray(memoryview(x)) if x.ndim else _np.asarray(memoryview(x)).reshape(())


def array_repr(x) -> str:
    """NumPy's repr layout (numpy.array_repr) under the name Array; the dtype is
    always shown, since trueno's default dtypes depend on the device."""
    view = _numpy_view(x)
    options = _np.get_printoptions()
    body = _np.array2string(view, separator=", ", prefix="Array(", suffix=")")
    extras = []
    if (x.size == 0 and x.shape != (0,)) or x.size > options["threshold"]:
        extras.append(f"shape={x.shape}")
    extras.append(f"dtype={x.dtype.name}")
    head = f"Array({body},"
    tail = ", ".join(extras) + ")"
    # As NumPy: the extras go on a new line if they would overflow the last one.
    last_line_length = len(head) - (head.rfind("\n") + 1)
    spacer = "\n" + " " * len("Array(") if last_line_length + len(tail) + 1 > options["linewidth"] else " "
    return head + spacer + tail


def array_str(x) -> str:
    return str(_numpy_view(x))


def tolist(x):
    """NumPy's tolist of a view: it sizes each list before filling it, so a
    huge broadcast view raises MemoryError at once (growing lists row by
    row ran until the machine's memory was gone), and it is ~50x faster."""
    if x.ndim == 0:
        return x.item()
    try:
        return _numpy_view(x).tolist()
    except MemoryError:
        raise MemoryError(f"tolist(): a list of {x.size} elements does not fit in memory") from None


def reduce(x):
    from ._creation import _from_bytes

    data = _np.ascontiguousarray(_numpy_view(x)).tobytes()
    return (_from_bytes, (data, x.dtype.name, x.shape))


def reduce_ex(x, protocol: int):
    """Protocol 5 hands the elements over as a PickleBuffer: no copy when the
    pickler takes buffers out of band (distributed, multiprocessing with a
    buffer_callback), one copy otherwise (tobytes and frombuffer made two)."""
    if protocol < 5:
        return reduce(x)
    from ._creation import _from_pickle_buffer

    view = _np.ascontiguousarray(_numpy_view(x))   # no copy when x is C-contiguous
    return (_from_pickle_buffer, (pickle.PickleBuffer(view), x.dtype.name, x.shape))

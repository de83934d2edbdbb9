"""Type errors ``mypy --strict`` must find, one per line marked ``# E``.

If mypy accepted these, the stubs would not be checked at all (every name
``Any``); tests/test_typing.py requires an error on each marked line.
"""
from __future__ import annotations

import trueno as xp

x = xp.asarray([1.0, 2.0])
n: int = xp.sum(x)  # E: an Array is not an int
xp.reshape(x, "3")  # E: shape must be ints
xp.zeros((2, 2), dtype="float32")  # E: a dtype object, not a string
shape: str = x.shape  # E: shape is a tuple
x.no_such_method()  # E: Array has no such attribute
xp.linalg.no_such_function(x)  # E: not in trueno.linalg
xp.nn.relu(x, 3)  # E: relu takes one argument
xp.fft.fft(x, norm="loud")  # E: not a norm mode
q: int = xp.linalg.qr(x).Q  # E: Q is an Array

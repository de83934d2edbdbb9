"""trueno.nn: fused SIMD kernels for common ML operations.

Every function takes trueno arrays of a real floating-point dtype (float32 or
float64; TypeError otherwise, naming the argument) of any shape and returns a
new array of the same dtype. Kernels are Highway SIMD loops compiled for every
x86 target and chosen at run time (``trueno.set_isa`` pins one). Non-contiguous
inputs are copied to contiguous memory first.

On another device (``cuda:N``, the test-only ``test:0``) each function runs
through the device route (trueno._route): the CPU's checks validate the
arguments (the same errors), and an array-API version of the function
(trueno._fallbacks.NN_FUNCTIONS) computes with the backend's namespace, to
the special values below; results stay on the input's device, and arrays on
two devices raise ValueError.

Accuracy below: max error over the tests' sweeps against a float64 (NumPy /
``math.erfc``) reference, worst over all ISA targets, in units of float32 or
float64 epsilon relative to the result (measured, tests/test_nn.py).

relu(x)
    max(x, 0); exact. relu(NaN) = NaN.
sigmoid(x)
    1 / (1 + exp(-x)), computed as 1/(1+e) (x >= 0) or e/(1+e) (x < 0),
    ``e = exp(-|x|)``: never overflows. sigmoid(+inf) = 1, sigmoid(-inf) = 0.
    <= 2 ulp.
silu(x), alias swish(x)
    x * sigmoid(x). silu(+inf) = +inf, silu(-inf) = -0 (the limit).
gelu(x, approximate="none")
    "none": 0.5 x (1 + erf(x / sqrt(2))), computed as 0.5 x erfc(-x / sqrt(2))
    (no cancellation for x << 0) with the C library's erfc (float32 through
    double; <= 1 ulp float32). Element by element: not vectorised yet.
    "tanh": 0.5 x (1 + tanh(sqrt(2/pi) (x + 0.044715 x^3))), computed as
    x * sigmoid(2 sqrt(2/pi) (x + 0.044715 x^3)) (same value, no
    cancellation). gelu(+inf) = +inf, gelu(-inf) = -0.
softmax(x, axis=-1)
    exp(x - max) / sum(exp(x - max)) along ``axis``: max, then exp and sum,
    then a multiply by 1/sum. A row holding NaN or +inf, or only -inf, is NaN
    throughout (as NumPy/SciPy's max-subtracted composite
    ``scipy.special.softmax``); -inf elements of other rows give 0.
    A 0-D input is one row of length 1 (PyTorch's rule): softmax = 1.
log_softmax(x, axis=-1)
    (x - max) - log(sum(exp(x - max))); same special values (-inf for -inf).
lerp(a, b, t)
    ``a + t (b - a)`` for ``|t| < 0.5`` and b - (b - a)(1 - t) otherwise (PyTorch's
    form: exact at t = 0 and t = 1). Broadcasts; Python scalars allowed.
fma(a, b, c)
    a * b + c rounded once (hardware FMA on AVX2/AVX-512, ``math.fma``-exact
    on older targets). Broadcasts; Python scalars allowed.
norm_l1(x, axis=None, keepdims=False)
    ``sum(|x|)``. norm_l2: sqrt(sum(x^2)), never overflowing or underflowing
    where the result is representable (the kernels of linalg.vector_norm:
    sums in float64, float64 rescaled where needed). norm_linf: ``max(|x|)``,
    NaN if any element is NaN. ``axis``: None (all), an int or a tuple. An empty
    reduction gives 0.
"""

from ._core import nn as _nn

relu = _nn.relu
sigmoid = _nn.sigmoid
silu = _nn.silu
swish = _nn.swish
gelu = _nn.gelu
softmax = _nn.softmax
log_softmax = _nn.log_softmax
lerp = _nn.lerp
fma = _nn.fma
norm_l1 = _nn.norm_l1
norm_l2 = _nn.norm_l2
norm_linf = _nn.norm_linf

__all__ = [
    "relu", "sigmoid", "silu", "swish", "gelu", "softmax", "log_softmax",
    "lerp", "fma", "norm_l1", "norm_l2", "norm_linf",
]

"""A program using trueno that ``mypy --strict`` must accept (tests/test_typing.py)."""
from __future__ import annotations

import trueno as xp
from trueno import Array


def standardize(x: Array, axis: int = 0) -> Array:
    mean = xp.mean(x, axis=axis, keepdims=True)
    spread = xp.std(x, axis=axis, correction=1, keepdims=True)
    return (x - mean) / xp.where(spread > 0, spread, 1.0)


def gram_determinant(x: Array) -> float:
    gram = x.mT @ x + 0.5 * xp.eye(x.shape[1], dtype=x.dtype)
    sign, logabsdet = xp.linalg.slogdet(gram)
    return float(sign) * float(xp.exp(logabsdet))


def main() -> None:
    x: Array = xp.reshape(xp.arange(12, dtype=xp.float64), (4, 3))
    y = xp.ones((4, 3), dtype=xp.float64) * 2 + x ** 2 - 1.5
    y += 1
    y[0, :] = xp.zeros(3, dtype=xp.float64)
    y[1, 1] = -1.0
    total: Array = xp.sum(y, axis=(0, 1))
    biggest = int(xp.argmax(xp.max(y, axis=0)))
    column: Array = y[:, biggest]
    first_rows = y[:2, ...]
    mask = y > 3.0
    selected = y[mask]
    q, r = xp.linalg.qr(x)
    u, s, vh = xp.linalg.svd(x, full_matrices=False)
    norms = xp.linalg.vector_norm(x, axis=1, ord=2)
    spectrum = xp.fft.rfft(xp.linspace(0.0, 1.0, 16))
    activations = xp.nn.softmax(standardize(x), axis=-1)
    values, counts = xp.unique_counts(xp.asarray([3, 1, 3, 2]))
    finfo = xp.finfo(xp.float32)
    is_float: bool = xp.isdtype(x.dtype, "real floating")
    name: str = x.dtype.name
    shape: tuple[int, ...] = x.shape
    rows = [float(xp.sum(row)) for row in x]
    stacked = xp.stack([column, column], axis=0)
    print(total, column, first_rows, selected, q @ r, u * s @ vh, norms, spectrum.shape,
          activations, values, counts, finfo.eps, is_float, name, shape, rows, stacked,
          gram_determinant(x), x.device, xp.__array_namespace_info__().default_dtypes()["real floating"])


if __name__ == "__main__":
    main()

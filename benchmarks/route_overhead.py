"""Per-call cost of the device route, against the raw backend call.

Runs on the test-only NumPy backend ("test:0"), so it needs no GPU:
    python benchmarks/route_overhead.py
Prints, per call, the best of 7 rounds (routed and raw calls interleaved, so
that a loaded machine slows both alike) in microseconds, and the route's
overhead over the raw call.
"""
import timeit

import numpy as np

import trueno as xp
from trueno import _devices


def per_call_us(fn, number=4000):
    return timeit.timeit(fn, number=number) / number * 1e6


def main():
    _devices.enable_test_backend()
    host = np.ones(100, np.float32)
    a = xp.asarray(host, device="test:0")
    b = xp.asarray(host, device="test:0")
    rows = [
        ("xp.add(a, b)", lambda: xp.add(a, b), lambda: np.add(host, host)),
        ("a + b", lambda: a + b, lambda: host + host),
        ("xp.add(a, 1.0)", lambda: xp.add(a, 1.0), lambda: np.add(host, 1.0)),
        ("xp.multiply(a, 2)", lambda: xp.multiply(a, 2), lambda: np.multiply(host, 2)),
        ("a * 2", lambda: a * 2, lambda: host * 2),
        ("2.5 - a", lambda: 2.5 - a, lambda: 2.5 - host),
        ("xp.sum(a, axis=0)", lambda: xp.sum(a, axis=0), lambda: np.sum(host, axis=0)),
        ("xp.astype(a, xp.float64, copy=False)", lambda: xp.astype(a, xp.float64, copy=False),
         lambda: host.astype(np.float64, copy=False)),
        ("xp.nn.softmax(a, axis=0)", lambda: xp.nn.softmax(a, axis=0), None),
    ]
    print(f"{'call (100 float32 on test:0)':40} {'trueno us':>10} {'numpy us':>10} {'overhead us':>12}")
    for name, routed, raw in rows:
        try:
            routed()
        except NotImplementedError:
            print(f"{name:40} {'n/a':>10}")
            continue
        t = n = float("inf")
        for _ in range(7):
            t = min(t, per_call_us(routed))
            if raw is not None:
                n = min(n, per_call_us(raw))
        if raw is None:
            print(f"{name:40} {t:10.2f}")
        else:
            print(f"{name:40} {t:10.2f} {n:10.2f} {t - n:12.2f}")


if __name__ == "__main__":
    main()

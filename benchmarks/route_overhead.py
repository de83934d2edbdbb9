"""Per-call cost of the device route, against the raw backend call.

Runs on the test-only NumPy backend ("test:0"), so it needs no GPU:
    python benchmarks/route_overhead.py
Prints best-of-5 microseconds per call for routed calls and for NumPy's own.
"""
import timeit

import numpy as np

import trueno as xp
from trueno import _devices


def per_call_us(fn, number=5000):
    return min(timeit.repeat(fn, number=number, repeat=5)) / number * 1e6


def main():
    _devices.enable_test_backend()
    host = np.ones(100, np.float32)
    a = xp.asarray(host, device="test:0")
    b = xp.asarray(host, device="test:0")
    rows = [
        ("xp.add(a, b)", lambda: xp.add(a, b), lambda: np.add(host, host)),
        ("a + b", lambda: a + b, lambda: host + host),
        ("xp.add(a, 1.0)", lambda: xp.add(a, 1.0), lambda: np.add(host, 1.0)),
        ("xp.sum(a, axis=0)", lambda: xp.sum(a, axis=0), lambda: np.sum(host, axis=0)),
    ]
    print(f"{'call (100 float32 on test:0)':32} {'trueno us':>10} {'numpy us':>10} {'overhead us':>12}")
    for name, routed, raw in rows:
        t, n = per_call_us(routed), per_call_us(raw)
        print(f"{name:32} {t:10.2f} {n:10.2f} {t - n:12.2f}")


if __name__ == "__main__":
    main()

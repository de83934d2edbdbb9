"""Runs each call of a consumer (SciPy, scikit-learn) on NumPy and on trueno and
reports every call whose trueno result is not a trueno array or differs from
NumPy's. The consumer scripts run in a fresh process (SciPy reads
SCIPY_ARRAY_API at import) and exit with compare_calls' status."""
from __future__ import annotations

import numpy as np

import trueno


def compare_calls(calls: dict, consumer: str, run_trueno=lambda call: call(trueno), rtol=1e-12, atol=1e-15) -> int:
    failures = []
    for name, call in calls.items():
        expected = np.asarray(call(np))
        try:
            got = run_trueno(call)
            if not isinstance(got, trueno.Array):
                raise TypeError(f"returned {type(got).__name__}, not a trueno array")
            np.testing.assert_allclose(np.asarray(got), expected, rtol=rtol, atol=atol)
            assert np.asarray(got).dtype == expected.dtype, (np.asarray(got).dtype, expected.dtype)
        except Exception as exc:  # report every call, not only the first
            failures.append(f"{name}: {type(exc).__name__}: {exc}")
    print(f"{len(calls) - len(failures)}/{len(calls)} {consumer} calls match NumPy")
    for failure in failures:
        print(failure)
    return 1 if failures else 0

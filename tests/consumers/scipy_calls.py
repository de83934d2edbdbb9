"""SciPy's array API mode on trueno: run as a script with SCIPY_ARRAY_API=1
(SciPy reads it at import). Each call runs on NumPy and on trueno; the script
exits non-zero, naming the call, if trueno's result is not a trueno array or
differs from NumPy's. tests/test_consumers.py runs it (python -m
tests.consumers.scipy_calls from the repository root)."""
from __future__ import annotations

import sys

import numpy as np
import scipy.special as special
import scipy.stats as stats

from tests.consumers.compare import compare_calls

DATA = np.linspace(-2.0, 3.0, 11)
MATRIX = np.arange(12.0).reshape(3, 4) ** 1.5 - 4.0
POSITIVE = np.abs(MATRIX) + 1.0

CALLS = {
    "special.logsumexp": lambda xp: special.logsumexp(xp.asarray(MATRIX), axis=1),
    "special.softmax": lambda xp: special.softmax(xp.asarray(MATRIX), axis=0),
    "special.log_softmax": lambda xp: special.log_softmax(xp.asarray(DATA)),
    "special.xlogy": lambda xp: special.xlogy(xp.asarray(DATA), xp.asarray(np.abs(DATA) + 1)),
    "special.expit": lambda xp: special.expit(xp.asarray(DATA)),
    "special.logit": lambda xp: special.logit(xp.asarray(np.linspace(0.05, 0.95, 7))),
    "special.entr": lambda xp: special.entr(xp.asarray(POSITIVE)),
    "stats.zscore": lambda xp: stats.zscore(xp.asarray(MATRIX), axis=1),
    "stats.moment": lambda xp: stats.moment(xp.asarray(MATRIX), order=3, axis=0),
    "stats.skew": lambda xp: stats.skew(xp.asarray(MATRIX ** 2), axis=1),
    "stats.kurtosis": lambda xp: stats.kurtosis(xp.asarray(MATRIX ** 2), axis=1),
    "stats.variation": lambda xp: stats.variation(xp.asarray(POSITIVE), axis=1),
    "stats.entropy": lambda xp: stats.entropy(xp.asarray(POSITIVE), axis=1),
    "stats.gmean": lambda xp: stats.gmean(xp.asarray(POSITIVE), axis=0),
    "stats.hmean": lambda xp: stats.hmean(xp.asarray(POSITIVE), axis=0),
    "stats.pmean": lambda xp: stats.pmean(xp.asarray(POSITIVE), 2.5, axis=1),
    "stats.sem": lambda xp: stats.sem(xp.asarray(MATRIX), axis=None),
}


def main() -> int:
    return compare_calls(CALLS, "SciPy")


if __name__ == "__main__":
    sys.exit(main())

"""scikit-learn's array API dispatch on trueno: run with SCIPY_ARRAY_API=1
(scikit-learn requires it, and SciPy reads it at import). Each estimator or
function runs on NumPy, and on trueno inside config_context(array_api_dispatch=True);
the script exits non-zero, naming the call, if trueno's result is not a trueno
array or differs from NumPy's. tests/test_consumers.py runs it (python -m
tests.consumers.sklearn_calls from the repository root).

What scikit-learn itself refuses under dispatch (Ridge's solvers other than
'svd', LinearDiscriminantAnalysis(solver='eigen'), which calls SciPy's eigh on
NumPy) is left out: it fails the same way for every array API namespace."""
from __future__ import annotations

import sys

import numpy as np
from sklearn import config_context
from sklearn.decomposition import PCA
from sklearn.discriminant_analysis import LinearDiscriminantAnalysis
from sklearn.linear_model import Ridge, RidgeClassifier
from sklearn.metrics.pairwise import cosine_similarity, euclidean_distances, rbf_kernel
from sklearn.mixture import GaussianMixture
from sklearn.model_selection import train_test_split
from sklearn.preprocessing import (KernelCenterer, LabelEncoder, MaxAbsScaler, MinMaxScaler, Normalizer,
                                   PolynomialFeatures, StandardScaler)

from tests.consumers.compare import compare_calls

RNG = np.random.default_rng(0)
X = RNG.standard_normal((200, 6))
LABELS = (X[:, 0] + 0.5 * X[:, 1] > 0).astype(np.int64)
TARGET = X @ RNG.standard_normal(6)

CALLS = {
    "PCA(svd_solver='full')": lambda xp: PCA(3, svd_solver="full").fit_transform(xp.asarray(X)),
    "PCA(svd_solver='covariance_eigh')": lambda xp: PCA(3, svd_solver="covariance_eigh").fit(xp.asarray(X))
    .explained_variance_,
    "PCA(svd_solver='randomized')": lambda xp: PCA(3, svd_solver="randomized", random_state=0,
                                                   power_iteration_normalizer="QR").fit(xp.asarray(X))
    .explained_variance_,
    "LinearDiscriminantAnalysis": lambda xp: LinearDiscriminantAnalysis().fit(xp.asarray(X), xp.asarray(LABELS))
    .predict_proba(xp.asarray(X)),
    "Ridge(solver='svd')": lambda xp: Ridge(1.0, solver="svd").fit(xp.asarray(X), xp.asarray(TARGET))
    .predict(xp.asarray(X)),
    "RidgeClassifier(solver='svd')": lambda xp: RidgeClassifier(solver="svd").fit(xp.asarray(X), xp.asarray(LABELS))
    .decision_function(xp.asarray(X)),
    "GaussianMixture": lambda xp: GaussianMixture(2, random_state=0, init_params="random_from_data")
    .fit(xp.asarray(X)).means_,
    "StandardScaler": lambda xp: StandardScaler().fit_transform(xp.asarray(X)),
    "MinMaxScaler": lambda xp: MinMaxScaler().fit_transform(xp.asarray(X)),
    "MaxAbsScaler": lambda xp: MaxAbsScaler().fit_transform(xp.asarray(X)),
    "Normalizer": lambda xp: Normalizer().fit_transform(xp.asarray(X)),
    "KernelCenterer": lambda xp: KernelCenterer().fit_transform(xp.asarray(X @ X.T)),
    "PolynomialFeatures": lambda xp: PolynomialFeatures(2).fit_transform(xp.asarray(X)),
    "LabelEncoder": lambda xp: LabelEncoder().fit_transform(xp.asarray(LABELS)),
    "train_test_split": lambda xp: train_test_split(xp.asarray(X), random_state=0)[0],
    "rbf_kernel": lambda xp: rbf_kernel(xp.asarray(X[:20]), xp.asarray(X[:30])),
    "cosine_similarity": lambda xp: cosine_similarity(xp.asarray(X[:20]), xp.asarray(X[:30])),
    "euclidean_distances": lambda xp: euclidean_distances(xp.asarray(X[:20]), xp.asarray(X[:30])),
}


def run_dispatched(call):
    import trueno
    with config_context(array_api_dispatch=True):
        return call(trueno)


def main() -> int:
    # (euclidean_distances of a row with itself: NumPy's rounding leaves ~6e-8, trueno's 0)
    return compare_calls(CALLS, "scikit-learn", run_dispatched, rtol=1e-9, atol=1e-7)


if __name__ == "__main__":
    sys.exit(main())

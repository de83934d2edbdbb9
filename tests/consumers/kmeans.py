"""Lloyd's k-means written against any array API namespace ``xp``."""
from __future__ import annotations


def kmeans(xp, points, n_clusters: int, n_iterations: int):
    """Clusters ``points`` (n, d); returns (centers (k, d), labels (n,), inertia).

    Starts from the first ``n_clusters`` points, so the result is
    deterministic and two libraries can be compared step by step.
    """
    centers = points[:n_clusters, :]
    cluster_ids = xp.arange(n_clusters)
    for _ in range(n_iterations):
        labels = assign(xp, points, centers)
        # bincount-like update: a one-hot membership matrix and a matmul.
        membership = xp.astype(labels[:, None] == cluster_ids[None, :], points.dtype)
        counts = xp.sum(membership, axis=0)
        sums = xp.matmul(xp.matrix_transpose(membership), points)
        # An empty cluster keeps its center.
        centers = xp.where(counts[:, None] > 0, sums / xp.maximum(counts, 1.0)[:, None], centers)
    labels = assign(xp, points, centers)
    inertia = xp.sum(xp.min(squared_distances(xp, points, centers), axis=1))
    return centers, labels, inertia


def squared_distances(xp, points, centers):
    difference = points[:, None, :] - centers[None, :, :]
    return xp.sum(difference * difference, axis=-1)


def assign(xp, points, centers):
    return xp.argmin(squared_distances(xp, points, centers), axis=1)

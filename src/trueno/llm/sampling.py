"""Choosing the next token from one row of logits (NumPy, float64)."""
from __future__ import annotations

import numpy as np

__all__ = ["Sampler"]


class Sampler:
    """Greedy (temperature 0) or random sampling: top-k, then top-p (nucleus)
    filtering of the model's distribution, then temperature on what is left,
    the order of llama.cpp's default sampler chain.

    Calling the sampler with one row of logits returns the drawn token id
    (an int). The same `seed` gives the same sequence of draws; ties in
    greedy and top-k go to the lowest token id.

    Parameters
    ----------
    temperature : float, default 0.0
        0 picks the most likely token (greedy); above 0 the kept scores are
        divided by it before the softmax (higher: more random).
    top_k : int or None, default None
        Keep only the `top_k` highest-scoring tokens (None: all).
    top_p : float or None, default None
        Then keep the smallest set of most likely tokens whose probability
        reaches `top_p`, in (0, 1] (None or 1: all).
    seed : int or None, default None
        Seed of the random draws (None: unpredictable).

    Raises
    ------
    TypeError
        If temperature or top_p is not a number, or top_k or seed not an
        int (or None).
    ValueError
        If temperature is negative or not finite, top_k is below 1, or
        top_p is not in (0, 1].

    Examples
    --------
    >>> import trueno.llm
    >>> logits = [0.0, 1.0, 2.0, 0.5]
    >>> trueno.llm.Sampler()(logits)                       # greedy
    2
    >>> sample = trueno.llm.Sampler(temperature=0.8, top_k=2, seed=0)
    >>> [sample(logits) for _ in range(5)]
    [2, 2, 1, 1, 2]
    >>> trueno.llm.Sampler(top_p=1.5)
    Traceback (most recent call last):
    ...
    ValueError: top_p must be in (0, 1], got 1.5
    """

    def __init__(self, temperature: float = 0.0, top_k: int | None = None,
                 top_p: float | None = None, seed: int | None = None):
        if isinstance(temperature, bool) or not isinstance(temperature, (int, float)):
            raise TypeError(f"temperature must be a number, got {type(temperature).__name__}")
        if not (temperature >= 0 and np.isfinite(temperature)):
            raise ValueError(f"temperature must be finite and >= 0, got {temperature}")
        if top_k is not None:
            if isinstance(top_k, bool) or not isinstance(top_k, (int, np.integer)):
                raise TypeError(f"top_k must be an int or None, got {type(top_k).__name__}")
            if top_k < 1:
                raise ValueError(f"top_k must be >= 1, got {top_k}")
        if top_p is not None:
            if isinstance(top_p, bool) or not isinstance(top_p, (int, float)):
                raise TypeError(f"top_p must be a number or None, got {type(top_p).__name__}")
            if not 0 < top_p <= 1:
                raise ValueError(f"top_p must be in (0, 1], got {top_p}")
        if seed is not None and (isinstance(seed, bool) or not isinstance(seed, (int, np.integer))):
            raise TypeError(f"seed must be an int or None, got {type(seed).__name__}")
        self.temperature = float(temperature)
        self.top_k = None if top_k is None else int(top_k)
        self.top_p = None if top_p is None else float(top_p)
        self._rng = np.random.default_rng(seed)

    def probabilities(self, logits) -> np.ndarray:
        """The distribution the next draw uses (zeros for filtered-out tokens).

        Parameters
        ----------
        logits : array_like
            One row of scores, one per token of the vocabulary (a 1-D
            trueno or NumPy array, or a list).

        Returns
        -------
        numpy.ndarray
            float64 probabilities of the same length, summing to 1: a single
            1 when greedy.

        Examples
        --------
        >>> import numpy as np
        >>> import trueno.llm
        >>> logits = [0.0, 1.0, 2.0, 0.5]
        >>> np.round(trueno.llm.Sampler(temperature=1.0).probabilities(logits), 3)
        array([0.078, 0.213, 0.579, 0.129])
        >>> np.round(trueno.llm.Sampler(temperature=1.0, top_k=2).probabilities(logits), 3)
        array([0.   , 0.269, 0.731, 0.   ])
        >>> trueno.llm.Sampler().probabilities(logits)
        array([0., 0., 1., 0.])
        """
        scores = np.asarray(logits, dtype=np.float64).reshape(-1)
        if self.temperature == 0:
            probs = np.zeros_like(scores)
            probs[int(np.argmax(scores))] = 1.0
            return probs
        # a stable sort keeps the lowest id first among equal scores
        order = np.argsort(-scores, kind="stable")
        if self.top_k is not None and self.top_k < scores.size:
            order = order[:self.top_k]
        kept = scores[order]
        if self.top_p is not None and self.top_p < 1:
            weights = np.exp(kept - kept[0])
            weights /= weights.sum()
            # the smallest prefix whose mass reaches top_p (at least one token)
            keep = int(np.searchsorted(np.cumsum(weights), self.top_p, side="left")) + 1
            order, kept = order[:keep], kept[:keep]
        weights = np.exp((kept - kept[0]) / self.temperature)
        probs = np.zeros_like(scores)
        probs[order] = weights / weights.sum()
        return probs

    def __call__(self, logits) -> int:
        """One token id drawn from `logits` (a 1-D row of the vocabulary's scores)."""
        probs = self.probabilities(logits)
        if self.temperature == 0:
            return int(np.argmax(probs))
        return int(self._rng.choice(probs.size, p=probs))

"""The adding problem (Hochreiter & Schmidhuber 1997): a long-memory task with a known answer.

Each sequence has T steps of two features: a value drawn from U(0, 1) and a marker that is 1 at
exactly two random steps and 0 elsewhere. The target is the sum of the two marked values, so a
model must notice each marker, hold its value for up to T − 1 steps, and add. Predicting the mean
target (1.0) everywhere gives a mean squared error of about 1/6 ≈ 0.167; that is the baseline to beat.
"""

from __future__ import annotations

import numpy as np

__all__ = ["adding_problem"]


def adding_problem(n: int, T: int, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """n sequences of length T: x (T, n, 2) = [value, marker], y (n, 1) = the sum of the two marked values.

    >>> x, y = adding_problem(4, 10, np.random.default_rng(0))
    >>> x.shape, y.shape, x[:, :, 1].sum(axis=0).tolist()
    ((10, 4, 2), (4, 1), [2.0, 2.0, 2.0, 2.0])
    """
    if isinstance(T, bool) or not isinstance(T, (int, np.integer)) or T < 2:
        raise ValueError(f"expected T to be an integer >= 2 (two marked steps), got {T!r}")
    if isinstance(n, bool) or not isinstance(n, (int, np.integer)) or n < 1:
        raise ValueError(f"expected n to be a positive integer, got {n!r}")
    values = rng.uniform(0.0, 1.0, (T, n))                              # (T, n)
    markers = np.zeros((T, n))                                          # (T, n)
    first = rng.integers(0, T, n)                                       # (n,)
    second = (first + rng.integers(1, T, n)) % T                        # (n,) a different step
    markers[first, np.arange(n)] = markers[second, np.arange(n)] = 1.0
    x = np.stack([values, markers], axis=-1)                            # (T, n, 2)
    y = (values * markers).sum(axis=0)[:, None]                         # (n, 1)
    return x, y

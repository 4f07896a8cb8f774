"""Chapters 8 and 10-12: synthetic long-memory tasks, data sets where the answer depends on an input many steps back.

Both tasks show a sequence of random values with a second channel of markers, and ask at the last
step for something about the marked values. Nothing in between matters, so a network can only
succeed if it carries the marked value across every step that follows it: the *lag*.

    adding_problem   the sum of two marked values in [0, 1]   (Hochreiter and Schmidhuber 1997)
                     one marker in the first half, one in the second half: lag ≥ T/2 for the first
    marked_recall    the value in [−1, 1] at the last marker; min_lag sets how far back it may be

Shapes (batch first, as the training code uses them; N sequences, T = length steps):
    x  (N, T, 2), float32: x[..., 0] the values, x[..., 1] the markers (1.0 marked, 0.0 not)
    y  (N, 1),    float32: the target, read at the last step

Reference errors for a network that has learned nothing (predicts the best constant):
    adding_problem  MSE = Var(v_a + v_b) = 2 · 1/12 = 1/6      (predicting 1.0)
    marked_recall   MSE = Var(v)          = 4/12   = 1/3      (predicting 0.0)

Each call draws from np.random.default_rng(seed): the same seed gives the same data.
"""

from __future__ import annotations

import numpy as np

from ._validation import positive_int

__all__ = ["ADDING_BASELINE_MSE", "RECALL_BASELINE_MSE", "adding_problem", "marked_recall"]

ADDING_BASELINE_MSE = 1 / 6
RECALL_BASELINE_MSE = 1 / 3


def adding_problem(n: int, length: int, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """n sequences of the adding problem, each `length` steps long.

    n: N, the number of sequences.  length: T ≥ 2.  seed: for np.random.default_rng.
    Values v_t ~ U(0, 1); one marker at a step drawn from [0, T/2), one from [T/2, T).
    Returns x (N, T, 2) and y (N, 1) = the sum of the two marked values.

    >>> x, y = adding_problem(3, 10)
    >>> x.shape, y.shape, x[..., 1].sum(axis=1).tolist()
    ((3, 10, 2), (3, 1), [2.0, 2.0, 2.0])
    """
    n, length = positive_int("n", n), positive_int("length", length)
    if length < 2:
        raise ValueError(f"expected length of at least 2 (one marker in each half), got {length}")
    rng = np.random.default_rng(seed)
    values = rng.uniform(0.0, 1.0, (n, length))                               # (N, T)
    half = length // 2
    first = rng.integers(0, half, n)                                          # (N,)
    second = rng.integers(half, length, n)                                    # (N,)
    markers = np.zeros((n, length))                                           # (N, T)
    markers[np.arange(n), first] = 1.0
    markers[np.arange(n), second] = 1.0
    x = np.stack([values, markers], axis=-1).astype(np.float32)               # (N, T, 2)
    # y = v_first + v_second
    y = (values * markers).sum(axis=1, keepdims=True).astype(np.float32)      # (N, 1)
    return x, y


def marked_recall(
    n: int,
    length: int,
    seed: int = 0,
    *,
    min_lag: int = 0,
    n_markers: int = 1,
) -> tuple[np.ndarray, np.ndarray]:
    """n sequences whose target is the value shown at the last marker.

    n: N.  length: T.  seed: for np.random.default_rng.
    min_lag: the last marker sits at least this many steps before the final step (lag = T − 1 −
             its position); 0 lets it fall anywhere, up to the final step itself.
    n_markers: markers per sequence, at distinct steps drawn from [0, T − min_lag); only the
             last one counts, so each later marker overwrites what the earlier ones asked for.
    Values v_t ~ U(−1, 1). Returns x (N, T, 2) and y (N, 1) = v at the last marker.

    >>> x, y = marked_recall(2, 8, min_lag=4)
    >>> x.shape, y.shape, bool(np.all(x[:, 4:, 1] == 0))
    ((2, 8, 2), (2, 1), True)
    >>> x, y = marked_recall(3, 6, n_markers=2)        # the answer is the value at the LAST marker
    >>> last = 5 - np.argmax(x[:, ::-1, 1], axis=1)
    >>> bool(np.all(y[:, 0] == x[np.arange(3), last, 0]))
    True
    >>> marked_recall(1, 5, min_lag=5)
    Traceback (most recent call last):
    ValueError: expected room for 1 marker(s) in the first T − min_lag = 5 − 5 = 0 steps
    """
    n, length = positive_int("n", n), positive_int("length", length)
    n_markers = positive_int("n_markers", n_markers)
    min_lag = positive_int("min_lag", min_lag, minimum=0)
    allowed = length - int(min_lag)                                           # steps [0, allowed) may be marked
    if allowed < n_markers:
        raise ValueError(f"expected room for {n_markers} marker(s) in the first T − min_lag = "
                         f"{length} − {min_lag} = {allowed} steps")
    rng = np.random.default_rng(seed)
    values = rng.uniform(-1.0, 1.0, (n, length))                              # (N, T)
    # n_markers distinct steps per sequence: the first n_markers of a random ordering of [0, allowed)
    positions = np.argsort(rng.random((n, allowed)), axis=1)[:, :n_markers]   # (N, n_markers)
    markers = np.zeros((n, length))                                           # (N, T)
    np.put_along_axis(markers, positions, 1.0, axis=1)
    last = positions.max(axis=1)                                              # (N,)
    x = np.stack([values, markers], axis=-1).astype(np.float32)               # (N, T, 2)
    # y = v at the last marker
    y = values[np.arange(n), last][:, None].astype(np.float32)                # (N, 1)
    return x, y

"""Chapter 14, "Batches of different lengths: padding, masking and packing": checkers for its exercises.

    sequence n is real for its first l_n steps (t = 0 ... l_n − 1 counting from 0) and padding after
    its final state: output[l_n − 1, n] of a run with lengths, or h_n of the sequence run alone on its l_n steps
    the mean over real steps: Σ_{t,n} m_tn (ŷ_tn − y_tn)² / Σ_n l_n,   m_tn = 1 if t < l_n else 0
    torch's batch_sizes: b_t = #{n : l_n > t} for t = 0 ... max(l) − 1

Exercises and their checkers:
    1. `check_final_states(final)`: fix a loop that takes h_n[-1] of padded sequences; `exercise1_inputs()`.
    2. `check_masked_loss(loss)`: the mean squared error over real steps only; `exercise2_inputs()`.
    3. `check_batch_sizes(batch_sizes)`: torch's PackedSequence.batch_sizes for `BATCH_LENGTHS`.
"""

from __future__ import annotations

import numpy as np

from ..layer import GRU
from .feedback import Feedback, as_numbers, check_array, one_number

__all__ = ["BATCH_LENGTHS", "check_batch_sizes", "check_final_states", "check_masked_loss",
           "exercise1_inputs", "exercise2_inputs"]

BATCH_LENGTHS = (4, 7, 2, 7, 5, 1)


def exercise1_inputs() -> tuple[GRU, np.ndarray, np.ndarray]:
    """A one-layer GRU (I = 2, H = 3), x (T, N, I) = (6, 4, 2) padded with zeros, and its lengths (N,).

    >>> gru, x, lengths = exercise1_inputs()
    >>> x.shape, lengths.tolist(), bool(x[2:, 1].any())        # sequence 1 is 2 steps long: zeros after
    ((6, 4, 2), [6, 2, 4, 3], False)
    """
    rng = np.random.default_rng(14)
    lengths = np.array([6, 2, 4, 3])
    x = rng.standard_normal((6, 4, 2)).round(2)
    x[np.arange(6)[:, None] >= lengths] = 0.0                             # (T, N) mask of the padding
    return GRU(2, 3, seed=14), x, lengths


def check_final_states(final: object) -> Feedback:
    """Exercise 1: final (N, H): each sequence's state after its own last real step.

    >>> gru, x, lengths = exercise1_inputs()
    >>> check_final_states(gru(x, lengths=lengths)[1][0])
    Correct: final matches. Each sequence's state after its own last real step.
    """
    gru, x, lengths = exercise1_inputs()
    T, N = x.shape[:2]
    alone = [gru(x[:length, n:n + 1])[1][0, 0] for n, length in enumerate(lengths)]   # each (H,)
    through_padding = gru(x)[1][0]                                        # (N, H): every sequence runs T steps
    output = gru(x, lengths=lengths)[0]                                   # (T, N, H), 0 in the padding
    early = [output[length - 2, n] if length > 1 else np.zeros(3) for n, length in enumerate(lengths)]
    verdict = check_array(final, np.stack(alone), "final", mistakes={
        "each sequence still runs through its padding: h_n[-1] is the state after all T = 6 steps, and the "
        "zero inputs of the padding move it on (a GRU step with x_t = 0 still changes h). Cut each sequence to "
        "its own length, x_ex[:lengths_ex[n], n:n + 1], or pass lengths= to the GRU": through_padding,
        "you took output[-1] of a run with lengths: output is 0 after each sequence's end, so the last row is "
        "zeros for every sequence shorter than T. Take output[lengths_ex[n] - 1, n], or h_n": output[-1],
        "you stopped one step early: with steps counted from 0, a sequence of length l ends at step l - 1, "
        "and output[l - 2] is the step before": np.stack(early),
    })
    if verdict:
        return Feedback(True, "Correct: final matches. Each sequence's state after its own last real step.")
    return verdict


def exercise2_inputs() -> dict[str, np.ndarray]:
    """Predictions y_hat and targets y (T, N) = (5, 3), and the lengths (N,); both are 0 in the padding.

    >>> d = exercise2_inputs()
    >>> d["y_hat"].shape, d["lengths"].tolist()
    ((5, 3), [5, 2, 3])
    """
    rng = np.random.default_rng(140)
    lengths = np.array([5, 2, 3])
    padding = np.arange(5)[:, None] >= lengths                             # (T, N)
    y_hat, y = rng.standard_normal((5, 3)).round(2), rng.standard_normal((5, 3)).round(2)
    # a model's predictions in the padding are whatever it computed there; the targets are padding zeros
    y[padding] = 0.0
    return {"y_hat": y_hat, "y": y, "lengths": lengths}


def check_masked_loss(loss: object) -> Feedback:
    """Exercise 2: the mean squared error over the real steps only, a single number.

    >>> d = exercise2_inputs()
    >>> real = np.arange(5)[:, None] < d["lengths"]
    >>> check_masked_loss(((d["y_hat"] - d["y"]) ** 2)[real].mean())
    Correct: loss matches, the mean over the 10 real steps (of 15).
    """
    d = exercise2_inputs()
    real = np.arange(5)[:, None] < d["lengths"]                           # (T, N) mask m_tn
    squared = (d["y_hat"] - d["y"]) ** 2                                  # (T, N)
    total = float(squared[real].sum())
    verdict = check_array(one_number(loss), np.array(total / real.sum()), "loss", mistakes={
        "you average over all T·N = 15 entries: the padded steps count, with predictions the model made from "
        "padding and targets that are padding zeros. Keep only the real steps": np.array(squared.mean()),
        "you sum the real steps but divide by T·N = 15: the padded steps still count in the denominator, so "
        "the loss (and every gradient) shrinks by the fraction of padding. Divide by the number of real "
        "steps, lengths.sum()": np.array(total / squared.size),
        "you average each sequence over its own length, then the sequences: that weighs every sequence "
        "equally, so a step of a short sequence counts more. Here every real step counts the same": np.array(
            np.mean([squared[:length, n].mean() for n, length in enumerate(d["lengths"])])),
        "you sum the squared errors without averaging: divide by the number of real steps": np.array(total),
    })
    if verdict:
        return Feedback(True, f"Correct: loss matches, the mean over the {int(real.sum())} real steps (of {real.size}).")
    return verdict


def check_batch_sizes(batch_sizes: object) -> Feedback:
    """Exercise 3: torch's batch_sizes for BATCH_LENGTHS: how many sequences are still running at each step.

    >>> check_batch_sizes([6, 5, 4, 4, 3, 2, 2])
    Correct: batch_sizes = [6, 5, 4, 4, 3, 2, 2]: 26 rows of packed data instead of 6 · 7 = 42 padded ones.
    """
    lengths = np.array(BATCH_LENGTHS)
    T = int(lengths.max())
    right = np.array([(lengths > t).sum() for t in range(T)])            # (T,)
    values = None if batch_sizes is None else as_numbers(batch_sizes, booleans=False)
    if values is not None and values.ndim == 1:
        if len(values) > T and np.array_equal(values[:T], right) and not values[T:].any():
            return Feedback(False, f"Not yet: batch_sizes has {len(values)} entries; torch's stops at the longest "
                                   f"sequence (T = {T} steps here): a step where no sequence runs is not stored.")
        if len(values) == len(lengths) and np.array_equal(np.sort(values), np.sort(lengths)):
            return Feedback(False, "Not yet: batch_sizes holds the lengths, the steps of each sequence. It counts the "
                                   "other way: for each step t, how many sequences are still running (l_n > t).")
    verdict = check_array(batch_sizes, right, "batch_sizes", mistakes={
        "you count the sequences with lengths >= t: with steps counted from 0, sequence n runs at step t "
        "while t < l_n, so count lengths > t": np.array([(lengths >= t).sum() for t in range(T)]),
        "you count the sequences that have ended by step t, not those still running":
            np.array([(lengths <= t).sum() for t in range(T)]),
    }, atol=0.0, rtol=0.0)
    if verdict:
        return Feedback(True, f"Correct: batch_sizes = {right.tolist()}: {int(right.sum())} rows of packed data "
                              f"instead of {len(lengths)} · {T} = {len(lengths) * T} padded ones.")
    return verdict

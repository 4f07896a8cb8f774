"""Chapter 15, "Bach chorales: the GRU on real music": checkers for its exercises.

    one step's negative log-likelihood, keys independent, p_k = σ(a_k):
        NLL = Σ_k −[y_k log p_k + (1 − y_k) log(1 − p_k)] = Σ_k [softplus(a_k) − y_k a_k]      (nats)
    the frequency baseline, add-one smoothed over the S training steps:
        p_k = (c_k + 1) / (S + 2),  c_k = the number of training steps at which key k sounds
    a gate's saturation, per unit j over T steps:
        left_j = #{t : g_tj < 0.1} / T,   right_j = #{t : g_tj > 0.9} / T

Exercises and their checkers:
    1. `check_step_nll(nll)`: the NLL of one predicted step; `exercise1_inputs()`.
    2. `check_baseline_nll(nll)`: the validation NLL per step of the smoothed frequencies; `exercise2_inputs()`.
    3. `check_saturation(fractions)`: each unit's (left, right) saturation, shape (H, 2); `exercise3_inputs()`.
"""

from __future__ import annotations

import numpy as np

from .feedback import Feedback, check_array, one_number

__all__ = ["check_baseline_nll", "check_saturation", "check_step_nll", "exercise1_inputs", "exercise2_inputs",
           "exercise3_inputs"]

KEYS = 88
LOWEST_NOTE = 21          # column k is MIDI note 21 + k


def _softplus(a: np.ndarray) -> np.ndarray:
    return np.maximum(a, 0) + np.log1p(np.exp(-np.abs(a)))


def exercise1_inputs() -> tuple[np.ndarray, np.ndarray]:
    """The 88 logits a model gives for the next step, and the chord that came: y (88,) of 0s and 1s.

    The chord is G major in four parts, G2 B3 D4 G4 (MIDI 43, 59, 62, 67).

    >>> a, y = exercise1_inputs()
    >>> a.shape, y.shape, (np.flatnonzero(y) + 21).tolist()
    ((88,), (88,), [43, 59, 62, 67])
    """
    rng = np.random.default_rng(15)
    logits = rng.normal(-4.0, 1.5, KEYS).round(2)                     # most keys: unlikely
    y = np.zeros(KEYS)
    y[np.array([43, 59, 62, 67]) - LOWEST_NOTE] = 1.0
    logits[np.array([43, 55, 59, 62, 67, 71]) - LOWEST_NOTE] = [1.2, 0.4, -0.3, 2.1, 0.8, -1.0]
    return logits, y


def check_step_nll(nll: object) -> Feedback:
    """Exercise 1: the NLL in nats of the chord y under the model's 88 independent key probabilities.

    >>> a, y = exercise1_inputs()
    >>> p = 1 / (1 + np.exp(-a))
    >>> check_step_nll(-(y * np.log(p) + (1 - y) * np.log(1 - p)).sum())
    Correct: the NLL matches. Sounding keys cost −log p_k, silent ones −log(1 − p_k), summed over all 88.
    """
    a, y = exercise1_inputs()
    per_key = _softplus(a) - y * a                                     # −log P(y_k), each key
    p = 1 / (1 + np.exp(-a))
    softmax = np.exp(a - a.max()) / np.exp(a - a.max()).sum()
    verdict = check_array(one_number(nll), np.array(per_key.sum()), "the NLL", mistakes={
        "the keys are averaged instead of summed: the NLL of a step is the sum over the 88 keys, since "
        "the probability of the chord is the product of the keys' probabilities": np.array(per_key.mean()),
        "only the sounding keys count: a silent key also costs −log(1 − p_k), small but not zero, "
        "and 84 of them add up": np.array(-(y * np.log(p)).sum()),
        "the sign is flipped: a likelihood is at most 1, so −log of it is positive": np.array(-per_key.sum()),
        "it is in bits (log base 2): the course reports nats, natural logarithms, as Chung et al. do":
            np.array(per_key.sum() / np.log(2)),
        "the keys compete in a softmax: that models one key per step, but a chord has several; each key "
        "gets its own sigmoid here": np.array(-(y * np.log(softmax)).sum()),
    })
    if verdict:
        return Feedback(True, "Correct: the NLL matches. Sounding keys cost −log p_k, silent ones −log(1 − p_k), "
                              "summed over all 88.")
    return verdict


def exercise2_inputs() -> dict[str, np.ndarray]:
    """Training and validation targets of a small made-up corpus: {"train": (S, 88), "valid": (S', 88)}, 0/1.

    Each step is one of a few four-note chords; one key sounds in validation but never in training.

    >>> d = exercise2_inputs()
    >>> d["train"].shape, d["valid"].shape, int(d["valid"][:, 70].sum()) > 0 == int(d["train"][:, 70].sum())
    ((40, 88), (12, 88), True)
    """
    rng = np.random.default_rng(150)
    chords = [(43, 59, 62, 67), (48, 60, 64, 67), (50, 57, 62, 66), (45, 60, 64, 69), (43, 62, 67, 71)]
    def roll(steps: int, extra: int | None) -> np.ndarray:
        out = np.zeros((steps, KEYS))
        for t, c in enumerate(rng.integers(0, len(chords), steps)):
            out[t, np.array(chords[c]) - LOWEST_NOTE] = 1.0
        if extra is not None:
            out[steps // 2, extra - LOWEST_NOTE] = 1.0                   # a note training never heard
        return out
    return {"train": roll(40, None), "valid": roll(12, 91)}


def _baseline(train: np.ndarray, valid: np.ndarray, smooth: bool = True) -> float:
    """Validation NLL per step of constant key frequencies; unsmoothed, an infinite cost is dropped (a mistake)."""
    p = (train.sum(0) + 1) / (len(train) + 2) if smooth else train.mean(0)          # (88,)
    with np.errstate(divide="ignore"):
        cost = -np.where(valid > 0, np.log(p), np.log(1 - p))                       # (S', 88)
    return float(np.where(np.isinf(cost), 0.0, cost).sum() / len(valid))


def check_baseline_nll(nll: object) -> Feedback:
    """Exercise 2: the validation NLL per step when every key gets its smoothed training frequency.

    >>> d = exercise2_inputs()
    >>> p = (d["train"].sum(0) + 1) / (len(d["train"]) + 2)
    >>> check_baseline_nll(-(d["valid"] * np.log(p) + (1 - d["valid"]) * np.log(1 - p)).sum(1).mean())
    Correct: the NLL matches. This is what a network must beat: it knows which keys are common, nothing more.
    """
    d = exercise2_inputs()
    train, valid = d["train"], d["valid"]
    expected = _baseline(train, valid)
    p = (train.sum(0) + 1) / (len(train) + 2)
    per_key = -(valid * np.log(p) + (1 - valid) * np.log(1 - p))     # (S', 88)
    answer = one_number(nll)
    values = np.asarray(answer, dtype=float) if isinstance(answer, np.ndarray) else None
    if values is not None and values.shape == () and np.isinf(values):
        return Feedback(False, "Not yet: the NLL is infinite. A key that never sounds in training gets frequency 0, "
                               "and when it sounds in validation its −log 0 is infinite: smooth the counts, "
                               "p_k = (c_k + 1) / (S + 2).")
    verdict = check_array(answer, np.array(expected), "the NLL", mistakes={
        "the keys are averaged instead of summed, per step": np.array(per_key.mean()),
        "it is the total over all validation steps: divide by their number, S'": np.array(per_key.sum()),
        "it is measured on the training steps: the baseline is scored on validation data it was not "
        "counted from": np.array(_baseline(train, train)),
        "the counts are not smoothed as asked ((c_k + 1) / (S + 2)), and the infinite cost of the unheard "
        "note was dropped": np.array(_baseline(train, valid, smooth=False)),
    })
    if verdict:
        return Feedback(True, "Correct: the NLL matches. This is what a network must beat: it knows which keys are "
                              "common, nothing more.")
    return verdict


def exercise3_inputs() -> np.ndarray:
    """An update gate's values over T = 50 steps for H = 6 units, (T, H), rounded to 2 decimals.

    Some values are exactly 0.1 or 0.9: neither counts as saturated.

    >>> g = exercise3_inputs()
    >>> g.shape, bool((g == 0.1).any() and (g == 0.9).any())
    ((50, 6), True)
    """
    rng = np.random.default_rng(1500)
    shapes = [(0.3, 0.3), (5, 5), (0.4, 3), (3, 0.4), (1, 1), (0.2, 0.5)]   # Beta(α, β): saturated to none
    g = np.stack([rng.beta(a, b, 50) for a, b in shapes], axis=1).round(2)
    g[3, 1], g[7, 1], g[11, 4], g[20, 4] = 0.1, 0.9, 0.1, 0.9
    return g


def check_saturation(fractions: object) -> Feedback:
    """Exercise 3: (H, 2): for each unit, the fraction of steps below 0.1 and the fraction above 0.9.

    >>> g = exercise3_inputs()
    >>> check_saturation(np.stack([(g < 0.1).mean(0), (g > 0.9).mean(0)], axis=1))
    Correct: the fractions match. A unit far from both corners is a soft gate; one near a corner switches.
    """
    g = exercise3_inputs()
    expected = np.stack([(g < 0.1).mean(0), (g > 0.9).mean(0)], axis=1)             # (H, 2)
    verdict = check_array(fractions, expected, "fractions", mistakes={
        "0.1 and 0.9 themselves count: the definition is strictly below 0.1 and strictly above 0.9":
            np.stack([(g <= 0.1).mean(0), (g >= 0.9).mean(0)], axis=1),
        "these are counts of steps: divide by T = 50 to get fractions":
            np.stack([(g < 0.1).sum(0), (g > 0.9).sum(0)], axis=1).astype(float),
        "left and right are swapped: column 0 is the fraction below 0.1":
            np.stack([(g > 0.9).mean(0), (g < 0.1).mean(0)], axis=1),
    })
    got = np.asarray(fractions, dtype=float) if isinstance(fractions, np.ndarray) else None
    if not verdict and got is not None and got.shape == expected.T.shape and np.allclose(got, expected.T):
        return Feedback(False, "Not yet: the fractions are right but laid out (2, H); the answer is (H, 2), "
                               "one row per unit. Transpose it, or stack with axis=1.")
    if verdict:
        return Feedback(True, "Correct: the fractions match. A unit far from both corners is a soft gate; one near "
                              "a corner switches.")
    return verdict

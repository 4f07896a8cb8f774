"""Chapter 10, "Accuracy: GRU, LSTM and RNN on long-memory tasks": checkers for its exercises.

The facts the exercises practise:

    the error of a network that learned nothing: MSE of a constant prediction, mean((y − c)²); one that
        ignores the markers but averages the values does better (chapter 10's marker-blind error)
    error bars from repeated runs: matplotlib's yerr holds the DISTANCES from the plotted mean,
        yerr = [mean − min, max − mean], shape (2, L), one column per point
    a claim that holds "on every seed" compares run by run (paired), then requires all of them

Exercises and their checkers (inputs from functions, so the notebook and the checker agree):
    1. `check_constant_error(error)` for `exercise1_inputs()`: the MSE of always answering 1.0.
    2. `check_error_bars(yerr)` for `exercise2_inputs()`: min-max error bars for errorbar().
    3. `check_every_seed(wins)` for `exercise3_inputs()`: where the GRU beats the RNN on every seed.

Nothing is computed at import, and torch is never imported here.
"""

from __future__ import annotations

import numpy as np

from ..tasks import ADDING_BASELINE_MSE, adding_problem
from .feedback import Feedback, as_numbers, check_array, one_number

__all__ = [
    "exercise1_inputs",
    "exercise2_inputs",
    "exercise3_inputs",
    "check_constant_error",
    "check_error_bars",
    "check_every_seed",
]

SEED = 10
CONSTANT = 1.0                      # exercise 1's prediction: the expected sum of two U(0, 1) values


# --------------------------------------------------------------------------------------------
# Exercise 1: the error of knowing nothing


def exercise1_inputs() -> np.ndarray:
    """Exercise 1's targets: y (500, 1), float32, from adding_problem(500, 20, seed=10).

    >>> exercise1_inputs().shape
    (500, 1)
    """
    return adding_problem(500, 20, seed=SEED)[1]


def check_constant_error(error: object) -> Feedback:
    """Exercise 1: is error the mean squared error of the constant prediction 1.0 on exercise1_inputs()?

    error: the learner's number (a float, or an array of shape () or (1,)).
    Recognised mistakes: the mean absolute error; its square root (the RMSE); the mean of y − 1
    without the square; the error of the sample mean of y; the theoretical value 1/6.

    >>> y = exercise1_inputs()
    >>> check_constant_error(np.mean((y - 1.0) ** 2))  # doctest: +NORMALIZE_WHITESPACE
    Correct: error matches. Compare it with the theory, Var(v_a + v_b) = 2/12 = 0.1667. This is the
    error of knowing nothing; a predictor that ignores the markers but averages each half's values
    gets 0.90 of it at T = 20, so only an error well below that shows a memory of the marked values.
    """
    y = exercise1_inputs().astype(np.float64)                             # (500, 1)
    expected = np.mean((y - CONSTANT) ** 2)
    answer = one_number(error)
    mistakes = {
        "you took the absolute error |y − 1| instead of its square": np.mean(np.abs(y - CONSTANT)),
        "you took the square root of the mean squared error (the RMSE); the chapter's errors are MSEs":
            np.sqrt(expected),
        "you averaged y − 1 without squaring it: positive and negative errors cancel": np.mean(y - CONSTANT),
        "you predicted the sample mean of y instead of 1.0 (a slightly better constant, but not the "
        "one asked for)": np.mean((y - y.mean()) ** 2),
        "you gave the theoretical value 1/6 for infinitely many sequences; compute it on these 500":
            ADDING_BASELINE_MSE,
    }
    verdict = check_array(answer, np.asarray(expected), "error", mistakes=mistakes, rtol=1e-6, atol=1e-9)
    if verdict:
        return Feedback(True, "Correct: error matches. Compare it with the theory, Var(v_a + v_b) = 2/12 = 0.1667. "
                              "This is the error of knowing nothing; a predictor that ignores the markers but "
                              "averages each half's values gets 0.90 of it at T = 20, so only an error well below "
                              "that shows a memory of the marked values.")
    return verdict


# --------------------------------------------------------------------------------------------
# Exercise 2: error bars


def exercise2_inputs() -> np.ndarray:
    """Exercise 2's results: errors (3 seeds, 3 lengths), one model's test error per run.

    >>> exercise2_inputs().shape
    (3, 3)
    """
    return np.array([[0.02, 0.10, 0.60],
                     [0.03, 0.40, 0.70],
                     [0.01, 0.16, 0.95]])


def check_error_bars(yerr: object) -> Feedback:
    """Exercise 2: is yerr the min-max error bar of exercise2_inputs(), as plt.errorbar wants it?

    yerr: shape (2, 3): row 0 the distance from the mean (over the seeds, axis 0) down to the
          smallest run, row 1 the distance up to the largest; one column per length.
    Recognised mistakes: the ends [min, max] instead of distances; the two rows swapped; the
    standard deviation in both rows; statistics over the lengths (axis 1) instead of the seeds.

    >>> e = exercise2_inputs()
    >>> check_error_bars(np.stack([e.mean(0) - e.min(0), e.max(0) - e.mean(0)]))  # doctest: +NORMALIZE_WHITESPACE
    Correct: yerr matches: plt.errorbar(x, errors.mean(axis=0), yerr=yerr) draws each bar from the
    best seed to the worst.
    """
    errors = exercise2_inputs()                                           # (seeds, lengths)
    mean, low, high = errors.mean(axis=0), errors.min(axis=0), errors.max(axis=0)      # (lengths,) each
    expected = np.stack([mean - low, high - mean])                        # (2, lengths)
    m1, l1, h1 = errors.mean(axis=1), errors.min(axis=1), errors.max(axis=1)
    mistakes = {
        "you gave the ends of the bars, [min, max]. matplotlib's yerr wants the distances from the "
        "plotted mean: [mean − min, max − mean]": np.stack([low, high]),
        "the rows are swapped: row 0 is the distance DOWN to the smallest error (mean − min), row 1 the "
        "distance UP to the largest (max − mean)": np.stack([high - mean, mean - low]),
        "you used the standard deviation in both rows: that is a ± std bar, but this exercise asks for "
        "the min-max bar, which shows every seed": np.stack([errors.std(axis=0)] * 2),
        "you took the statistics over axis 1, the lengths. The seeds are the rows (axis 0): average "
        "them, one column per length": np.stack([m1 - l1, h1 - m1]),
    }
    verdict = check_array(yerr, expected, "yerr", mistakes=mistakes)
    if verdict:
        return Feedback(True, "Correct: yerr matches: plt.errorbar(x, errors.mean(axis=0), yerr=yerr) draws each "
                              "bar from the best seed to the worst.")
    return verdict


# --------------------------------------------------------------------------------------------
# Exercise 3: better on every seed


def exercise3_inputs() -> tuple[np.ndarray, np.ndarray]:
    """Exercise 3's results: (gru, rnn) test errors, each (3 seeds, 3 lengths); row i is seed i.

    Seed i of both networks saw the same data, so the runs pair up row by row.

    >>> [a.shape for a in exercise3_inputs()]
    [(3, 3), (3, 3)]
    """
    gru = np.array([[0.01, 0.02, 0.45],
                    [0.01, 0.20, 0.05],
                    [0.01, 0.03, 0.04]])
    rnn = np.array([[0.02, 0.15, 0.16],
                    [0.03, 0.16, 0.17],
                    [0.02, 0.15, 0.16]])
    return gru, rnn


def check_every_seed(wins: object) -> Feedback:
    """Exercise 3: is wins[j] True exactly where the GRU's error is below the RNN's on every seed?

    wins: booleans of shape (3,), one per length (column). The answer compares the paired runs,
    gru < rnn element by element, and requires it for all seeds (axis 0): [True, False, False].
    Recognised mistakes: any seed instead of every seed; comparing the means; the comparison the
    wrong way round; all over the lengths (axis 1) instead of the seeds.

    >>> gru, rnn = exercise3_inputs()
    >>> check_every_seed(np.all(gru < rnn, axis=0))  # doctest: +NORMALIZE_WHITESPACE
    Correct: the GRU wins on every seed only at the first length. At the second and third it loses
    one seed each, although on average it is still ahead at the second.
    """
    gru, rnn = exercise3_inputs()
    expected = np.all(gru < rnn, axis=0)                                  # (lengths,)
    mistakes = {
        "you asked whether the GRU wins on ANY seed (np.any); the claim is that it wins on EVERY seed "
        "(np.all)": np.any(gru < rnn, axis=0),
        "you compared the mean errors. A mean can hide a seed where the GRU lost; the claim is about "
        "every seed, run against run": gru.mean(axis=0) < rnn.mean(axis=0),
        "the comparison is the wrong way round: a LOWER error is better, so the GRU wins where gru < rnn":
            np.all(rnn < gru, axis=0),
        "you took np.all over axis 1, the lengths; the seeds are the rows (axis 0)": np.all(gru < rnn, axis=1),
    }
    values = None if wins is None else as_numbers(wins)                   # True, False count as 1, 0
    if values is not None and values.shape == expected.shape and not np.isin(values, (0, 1)).all():
        return Feedback(False, "Not yet: wins should hold booleans (True where the GRU wins on every seed), "
                               f"got the values {values.tolist()}. A comparison such as gru < rnn gives booleans.")
    verdict = check_array(wins, expected, "wins", mistakes=mistakes)
    if verdict:
        return Feedback(True, "Correct: the GRU wins on every seed only at the first length. At the second and "
                              "third it loses one seed each, although on average it is still ahead at the second.")
    return verdict

"""The checkers of chapter 10 ("Accuracy"): right answers pass, each known mistake is named."""

from __future__ import annotations

import numpy as np
import pytest

from gru_lesson.exercises import Feedback
from gru_lesson.exercises.ch10_accuracy import (
    check_constant_error,
    check_error_bars,
    check_every_seed,
    exercise1_inputs,
    exercise2_inputs,
    exercise3_inputs,
)
from gru_lesson.tasks import adding_problem


def test_inputs_are_deterministic_and_shaped() -> None:
    assert exercise1_inputs().shape == (500, 1) and np.array_equal(exercise1_inputs(), exercise1_inputs())
    assert np.array_equal(exercise1_inputs(), adding_problem(500, 20, seed=10)[1])
    assert exercise2_inputs().shape == (3, 3)
    assert [a.shape for a in exercise3_inputs()] == [(3, 3), (3, 3)]


# Exercise 1: the error of a constant -----------------------------------------------------------

def test_constant_error_right_answer() -> None:
    y = exercise1_inputs()
    for answer in (np.mean((y - 1.0) ** 2), float(np.mean((y.astype(float) - 1.0) ** 2)), [np.mean((y - 1) ** 2)]):
        verdict = check_constant_error(answer)
        assert isinstance(verdict, Feedback) and verdict and "Correct" in str(verdict)


def test_constant_error_message_states_the_marker_blind_error_right() -> None:
    # the message says a marker-blind predictor (each half's mean) gets 0.90 of the constant's error at T = 20
    message = str(check_constant_error(np.mean((exercise1_inputs() - 1.0) ** 2)))
    assert "ignores the markers" in message and "0.90 of it at T = 20" in message
    x, y = adding_problem(20_000, 20, seed=11)
    v = x[..., 0].astype(float)                                           # (N, T): the values only
    blind = v[:, :10].mean(axis=1) + v[:, 10:].mean(axis=1)              # (N,)
    assert np.mean((blind - y[:, 0]) ** 2) / (1 / 6) == pytest.approx(0.90, abs=0.02)


@pytest.mark.parametrize("mistake, words", [
    (lambda y: None, "still None"),
    (lambda y: "0.17", None),
    (lambda y: (y - 1.0) ** 2, "shape"),
    (lambda y: np.mean(np.abs(y - 1.0)), "absolute error"),
    (lambda y: np.sqrt(np.mean((y - 1.0) ** 2)), "RMSE"),
    (lambda y: np.mean(y - 1.0), "without squaring"),
    (lambda y: np.var(y), "sample mean"),
    (lambda y: 1 / 6, "theoretical value"),
    (lambda y: 0.2, "differs"),
])
def test_constant_error_mistakes(mistake, words) -> None:
    verdict = check_constant_error(mistake(exercise1_inputs().astype(float)))
    assert not verdict
    assert words is None or words in str(verdict), str(verdict)


# Exercise 2: error bars ------------------------------------------------------------------------

def _bars():
    e = exercise2_inputs()
    return e, e.mean(axis=0), e.min(axis=0), e.max(axis=0)


def test_error_bars_right_answer() -> None:
    e, mean, low, high = _bars()
    verdict = check_error_bars(np.stack([mean - low, high - mean]))
    assert verdict and "Correct" in str(verdict)


@pytest.mark.parametrize("mistake, words", [
    (lambda e, m, lo, hi: None, "still None"),
    (lambda e, m, lo, hi: m, "shape"),
    (lambda e, m, lo, hi: np.stack([lo, hi]), "distances from the plotted mean"),
    (lambda e, m, lo, hi: np.stack([hi - m, m - lo]), "rows are swapped"),
    (lambda e, m, lo, hi: np.stack([e.std(axis=0)] * 2), "standard deviation"),
    (lambda e, m, lo, hi: np.stack([e.mean(1) - e.min(1), e.max(1) - e.mean(1)]), "axis 1"),
])
def test_error_bars_mistakes(mistake, words) -> None:
    verdict = check_error_bars(mistake(*_bars()))
    assert not verdict and words in str(verdict), str(verdict)


# Exercise 3: better on every seed --------------------------------------------------------------

def test_every_seed_right_answer() -> None:
    gru, rnn = exercise3_inputs()
    for answer in (np.all(gru < rnn, axis=0), [True, False, False], np.array([1, 0, 0])):
        verdict = check_every_seed(answer)
        assert verdict and "Correct" in str(verdict)


@pytest.mark.parametrize("mistake, words", [
    (lambda g, r: None, "still None"),
    (lambda g, r: np.all(g < r), "shape"),
    (lambda g, r: np.any(g < r, axis=0), "ANY seed"),
    (lambda g, r: g.mean(axis=0) < r.mean(axis=0), "mean errors"),
    (lambda g, r: np.all(r < g, axis=0), "wrong way round"),
    (lambda g, r: np.all(g < r, axis=1), "axis 1"),
    (lambda g, r: (r - g).sum(axis=0), "booleans"),
])
def test_every_seed_mistakes(mistake, words) -> None:
    verdict = check_every_seed(mistake(*exercise3_inputs()))
    assert not verdict and words in str(verdict), str(verdict)


def test_the_three_readings_of_exercise_3_differ() -> None:
    gru, rnn = exercise3_inputs()
    answers = {tuple(np.all(gru < rnn, axis=0)), tuple(np.any(gru < rnn, axis=0)),
               tuple(gru.mean(axis=0) < rnn.mean(axis=0)), tuple(np.all(rnn < gru, axis=0))}
    assert len(answers) == 4

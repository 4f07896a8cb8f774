"""The checkers of chapter 1's exercises: right answers pass, each named mistake is named."""

from __future__ import annotations

import numpy as np
import pytest

from gru_lesson import new_state
from gru_lesson.exercises.ch01_why_gates import (
    check_keep,
    check_rnn_jacobian,
    check_rnn_step,
    exercise3_inputs,
    exercise1_inputs,
)
from gru_lesson.vanilla_rnn import rnn_step
from verdicts import not_yet


def _step_parts() -> tuple[np.ndarray, ...]:
    p = exercise1_inputs()
    return p["x_t"], p["h_prev"], p["W"], p["U"], p["b"]


def test_inputs_are_fixed() -> None:
    a, b = exercise1_inputs(), exercise1_inputs()
    assert all(np.array_equal(a[k], b[k]) for k in a)
    assert exercise3_inputs()["k"] == 10


# ---- exercise 1: one vanilla step ----

def test_step_right_answer() -> None:
    x, h, W, U, b = _step_parts()
    feedback = check_rnn_step(rnn_step(x, h, W, U, b))
    assert feedback and str(feedback) == "Correct: h_t matches."


@pytest.mark.parametrize(
    ("wrong", "words"),
    [
        (lambda x, h, W, U, b: np.tanh(W @ x + U @ h), "leave out the bias"),
        (lambda x, h, W, U, b: W @ x + U @ h + b, "leave out the tanh"),
        (lambda x, h, W, U, b: 1 / (1 + np.exp(-(W @ x + U @ h + b))), "sigmoid instead of tanh"),
        (lambda x, h, W, U, b: np.tanh(W @ x + b), "leave out the previous state"),
        (lambda x, h, W, U, b: np.tanh(x @ W.T + h @ U + b), "U transposed"),
    ],
)
def test_step_mistakes(wrong, words: str) -> None:
    feedback = check_rnn_step(wrong(*_step_parts()))
    assert not feedback
    assert words in str(feedback)


def test_step_not_attempted_and_wrong_shape() -> None:
    not_yet(check_rnn_step(None), "still None")
    feedback = check_rnn_step(np.zeros(3))
    assert not feedback and "shape (3,)" in str(feedback)
    feedback = check_rnn_step(np.zeros(4))
    assert not feedback and "differs from the answer" in str(feedback)


# ---- exercise 2: the Jacobian of one step ----

def _numerical_jacobian(eps: float = 1e-6) -> np.ndarray:
    x, h, W, U, b = _step_parts()
    J = np.empty((4, 4))
    for j in range(4):
        d = np.zeros(4)
        d[j] = eps
        J[:, j] = (rnn_step(x, h + d, W, U, b) - rnn_step(x, h - d, W, U, b)) / (2 * eps)
    return J


def test_jacobian_right_answer_analytic_and_numerical() -> None:
    x, h, W, U, b = _step_parts()
    h_t = rnn_step(x, h, W, U, b)
    assert check_rnn_jacobian(np.diag(1 - h_t**2) @ U)
    assert check_rnn_jacobian(_numerical_jacobian())     # central differences agree within rtol 1e-6


@pytest.mark.parametrize(
    ("wrong", "words"),
    [
        (lambda x, h, W, U, b, h_t: U, "slope of tanh"),
        (lambda x, h, W, U, b, h_t: np.diag(1 - h**2) @ U, "slope at h_{t-1}"),
        (lambda x, h, W, U, b, h_t: np.diag(1 - h_t) @ U, "1 − h_t instead of 1 − h_t²"),
        (lambda x, h, W, U, b, h_t: U @ np.diag(1 - h_t**2), "into the columns"),
        (lambda x, h, W, U, b, h_t: (np.diag(1 - h_t**2) @ U).T, "transpose"),
    ],
)
def test_jacobian_mistakes(wrong, words: str) -> None:
    x, h, W, U, b = _step_parts()
    feedback = check_rnn_jacobian(wrong(x, h, W, U, b, rnn_step(x, h, W, U, b)))
    assert not feedback
    assert words in str(feedback)


def test_jacobian_not_attempted_and_wrong_shape() -> None:
    assert not check_rnn_jacobian(None)
    not_yet(check_rnn_jacobian(np.zeros(4)), "shape (4,)")


# ---- exercise 3: k steps with the gate pinned near keep ----

def _run(k: int, update: str) -> np.ndarray:
    p = exercise3_inputs()
    h = p["h_0"]
    for _ in range(k):
        h = new_state(h, p["h_cand"], p["z"], update=update)
    return h


def test_keep_right_answer_loop_and_closed_form() -> None:
    p = exercise3_inputs()
    assert check_keep(_run(p["k"], "notes"))
    keep = (1 - p["z"]) ** p["k"]
    assert check_keep(keep * p["h_0"] + (1 - keep) * p["h_cand"])


@pytest.mark.parametrize(
    ("wrong", "words"),
    [
        (lambda p: _run(p["k"], "torch"), "torch's convention"),
        (lambda p: _run(1, "notes"), "one step only"),
        (lambda p: _run(p["k"] - 1, "notes"), "k − 1 steps"),
        (lambda p: _run(p["k"] + 1, "notes"), "k + 1 steps"),
        (lambda p: p["h_0"], "no step at all"),
        (lambda p: (1 - p["z"]) ** p["k"] * p["h_0"], "leave out the z ⊙ h̃ term"),
    ],
)
def test_keep_mistakes(wrong, words: str) -> None:
    feedback = check_keep(wrong(exercise3_inputs()))
    assert not feedback
    assert words in str(feedback)


def test_keep_not_attempted_and_wrong_shape() -> None:
    not_yet(check_keep(None), "still None")
    assert not check_keep(np.zeros((10, 4)))

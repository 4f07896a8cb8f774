"""The checkers of chapter 2's exercises: right answers pass, each named mistake is named."""

from __future__ import annotations

import numpy as np
import pytest

from gru_lesson import candidate, reset_gate, sigmoid
from gru_lesson.exercises.ch02_reset_gate import (
    exercise3_inputs,
    check_closed_candidate,
    check_half_open_bias,
    check_reset,
    exercise2_inputs,
    exercise1_inputs,
)
from verdicts import not_yet


# ---- exercise 1: r_t for a batch ----

def test_reset_right_answer() -> None:
    p = exercise1_inputs()
    feedback = check_reset(reset_gate(p["x_t"], p["h_prev"], p["W_r"], p["U_r"], p["b_r"]))
    assert feedback and str(feedback) == "Correct: r_t matches."
    # the column-vector form, one example at a time, is the same answer
    rows = [sigmoid(p["W_r"] @ x + p["U_r"] @ h + p["b_r"]) for x, h in zip(p["x_t"], p["h_prev"])]
    assert check_reset(np.stack(rows))


@pytest.mark.parametrize(
    ("wrong", "words"),
    [
        (lambda x, h, W, U, b: sigmoid(x @ W.T + h @ U.T), "leave out the bias"),
        (lambda x, h, W, U, b: sigmoid(x @ W.T + b), "leave out U_r h_{t-1}"),
        (lambda x, h, W, U, b: x @ W.T + h @ U.T + b, "leave out the sigmoid"),
        (lambda x, h, W, U, b: np.tanh(x @ W.T + h @ U.T + b), "tanh instead of the sigmoid"),
        (lambda x, h, W, U, b: sigmoid(x @ W.T + h @ U + b), "U_r transposed"),
    ],
)
def test_reset_mistakes(wrong, words: str) -> None:
    p = exercise1_inputs()
    feedback = check_reset(wrong(p["x_t"], p["h_prev"], p["W_r"], p["U_r"], p["b_r"]))
    assert not feedback
    assert words in str(feedback)


def test_reset_not_attempted_and_wrong_shape() -> None:
    not_yet(check_reset(None), "still None")
    feedback = check_reset(np.zeros(4))
    assert not feedback and "shape (4,)" in str(feedback) and "(2, 4)" in str(feedback)


# ---- exercise 2: the bias that opens the gate halfway ----

def test_half_open_right_answer() -> None:
    p = exercise2_inputs()
    b_r = -(p["W_r"] @ p["x_t"] + p["U_r"] @ p["h_prev"])
    assert check_half_open_bias(b_r)
    np.testing.assert_allclose(reset_gate(p["x_t"], p["h_prev"], p["W_r"], p["U_r"], b_r), 0.5, atol=1e-15)


@pytest.mark.parametrize(
    ("wrong", "words"),
    [
        (lambda x, h, W, U: np.zeros(4), "you set b_r = 0:"),
        (lambda x, h, W, U: np.full(4, 0.5), "you set b_r = 0.5"),
        (lambda x, h, W, U: W @ x + U @ h, "minus sign"),
        (lambda x, h, W, U: -(W @ x), "cancel only W_r x_t"),
        (lambda x, h, W, U: -(U @ h), "cancel only U_r h_{t-1}"),
    ],
)
def test_half_open_mistakes(wrong, words: str) -> None:
    p = exercise2_inputs()
    feedback = check_half_open_bias(wrong(p["x_t"], p["h_prev"], p["W_r"], p["U_r"]))
    assert not feedback
    assert words in str(feedback)


def test_half_open_not_attempted_and_wrong_shape() -> None:
    assert not check_half_open_bias(None)
    not_yet(check_half_open_bias(np.zeros((1, 4))), "shape (1, 4)")


# ---- exercise 3: the candidate with the gate shut ----

def test_closed_candidate_right_answer() -> None:
    p = exercise3_inputs()
    h_cand = candidate(p["x_t"], p["h_prev"], np.zeros(4), p["W_h"], p["U_h"], p["b_h"])
    assert check_closed_candidate(h_cand)
    assert check_closed_candidate(np.tanh(p["W_h"] @ p["x_t"] + p["b_h"]))


@pytest.mark.parametrize(
    ("wrong", "words"),
    [
        (lambda x, h, W, U, b: np.zeros(4), "return zeros"),
        (lambda x, h, W, U, b: candidate(x, h, np.ones(4), W, U, b), "r_t = 1"),
        (lambda x, h, W, U, b: candidate(x, h, np.full(4, 0.5), W, U, b), "r_t = 0.5"),
        (lambda x, h, W, U, b: np.tanh(W @ x), "leave out the bias b_h"),
        (lambda x, h, W, U, b: W @ x + b, "leave out the tanh"),
    ],
)
def test_closed_candidate_mistakes(wrong, words: str) -> None:
    p = exercise3_inputs()
    feedback = check_closed_candidate(wrong(p["x_t"], p["h_prev"], p["W_h"], p["U_h"], p["b_h"]))
    assert not feedback
    assert words in str(feedback)


def test_closed_candidate_not_attempted() -> None:
    not_yet(check_closed_candidate(None), "still None")

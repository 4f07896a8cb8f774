"""The checkers of chapter 4 ("The candidate and the new hidden state"): right answers pass,
each known mistake is named."""

from __future__ import annotations

import numpy as np
import pytest

from gru_lesson import candidate, gru_cell, new_state, reset_gate, update_gate
from gru_lesson.exercises import Feedback
from gru_lesson.exercises.ch04_candidate_and_state import (
    check_candidate_after,
    check_products_per_step,
    check_torch_step,
    exercise1_inputs,
    exercise3_inputs,
)
from verdicts import not_yet


def test_inputs_are_deterministic_and_shaped() -> None:
    a, b = exercise1_inputs(), exercise1_inputs()
    assert {k: v.shape for k, v in a.items()} == {
        "x": (2, 3), "h_prev": (2, 4), "r": (2, 4), "W_h": (4, 3), "U_h": (4, 4), "b_h": (4,), "b_hn": (4,)}
    assert all(np.array_equal(a[k], b[k]) for k in a)
    s = exercise3_inputs()
    assert s["x"].shape == (2, 3) and s["h_prev"].shape == (2, 4)
    assert s["gates"]["U_h"].shape == (4, 4) and s["gates"]["b_Uh"].shape == (4,)
    assert np.array_equal(s["gates"]["W_r"], exercise3_inputs()["gates"]["W_r"])


# Exercise 1: the reset-after candidate ----------------------------------------------------------

def _ex1():
    a = exercise1_inputs()
    return tuple(a[k] for k in ("x", "h_prev", "r", "W_h", "U_h", "b_h", "b_hn"))


def test_candidate_right_answer() -> None:
    x, h, r, W, U, b, bn = _ex1()
    verdict = check_candidate_after(np.tanh(x @ W.T + b + r * (h @ U.T + bn)))
    assert isinstance(verdict, Feedback) and verdict and "Correct" in str(verdict)
    assert check_candidate_after(candidate(x, h, r, W, U, b, bn, reset_after=True))


def test_candidate_none_and_shape() -> None:
    not_yet(check_candidate_after(None), "still None")
    x, h, r, W, U, b, bn = _ex1()
    verdict = check_candidate_after(np.tanh(x @ W.T + b + r * (h @ U.T + bn))[0])
    assert not verdict and "shape (4,)" in str(verdict)


@pytest.mark.parametrize(
    "wrong, words",
    [
        (lambda x, h, r, W, U, b, bn: np.tanh(x @ W.T + (r * h) @ U.T + b + bn), "BEFORE U_h"),
        (lambda x, h, r, W, U, b, bn: np.tanh(x @ W.T + (r * h) @ U.T + b), "notes' form"),
        (lambda x, h, r, W, U, b, bn: np.tanh(x @ W.T + b + r * (h @ U.T)), "b_hn is missing"),
        (lambda x, h, r, W, U, b, bn: np.tanh(x @ W.T + b + r * (h @ U.T) + bn), "outside the reset product"),
        (lambda x, h, r, W, U, b, bn: np.tanh(x @ W.T + b + r * (h @ U + bn)), "transposed"),
        (lambda x, h, r, W, U, b, bn: np.tanh(x @ W.T + b + (h @ U.T + bn)), "reset gate is left out"),
    ],
)
def test_candidate_named_mistakes(wrong, words) -> None:
    verdict = check_candidate_after(wrong(*_ex1()))
    assert not verdict and words in str(verdict)


# Exercise 2: products per step ------------------------------------------------------------------

def test_products_right_answer() -> None:
    assert check_products_per_step(2, 1)
    assert check_products_per_step(2.0, np.int64(1))


@pytest.mark.parametrize(
    "answer, words",
    [((3, 3), "unfused"), ((1, 1), "must wait"), ((2, 2), "single (N, H) @ (H, 3H)"), ((1, 2), "swapped"),
     ((5, 1), "is not it")],
)
def test_products_mistakes(answer, words) -> None:
    verdict = check_products_per_step(*answer)
    assert not verdict and words in str(verdict)


@pytest.mark.parametrize(
    "answer, words",
    [((None, 1), "before is still None"), ((2, None), "after is still None"),
     ((2.5, 1), "whole number"), ((True, 1), "whole number"), (("2", 1), "whole number")],
)
def test_products_bad_input(answer, words) -> None:
    verdict = check_products_per_step(*answer)
    assert not verdict and words in str(verdict)


# Exercise 3: one step in torch's form -----------------------------------------------------------

def _ex3():
    s = exercise3_inputs()
    return s["x"], s["h_prev"], s["gates"]


def test_torch_step_right_answer() -> None:
    x, h, g = _ex3()
    r = reset_gate(x, h, g["W_r"], g["U_r"], g["b_r"])
    z = update_gate(x, h, g["W_z"], g["U_z"], g["b_z"])
    h_cand = candidate(x, h, r, g["W_h"], g["U_h"], g["b_h"], g["b_Uh"], reset_after=True)
    verdict = check_torch_step(new_state(h, h_cand, z, update="torch"))
    assert verdict and "Correct" in str(verdict)


def test_torch_step_none_and_shape() -> None:
    not_yet(check_torch_step(None), "still None")
    x, h, g = _ex3()
    verdict = check_torch_step(gru_cell(x, h, g, reset_after=True, update="torch")[:1])
    assert not verdict and "shape (1, 4)" in str(verdict)


@pytest.mark.parametrize(
    "reset_after, update, words",
    [(True, "notes", "notes' update"), (False, "torch", "reset BEFORE U_h"), (False, "notes", "both switches")],
)
def test_torch_step_wrong_switches(reset_after, update, words) -> None:
    x, h, g = _ex3()
    verdict = check_torch_step(gru_cell(x, h, g, reset_after=reset_after, update=update))
    assert not verdict and words in str(verdict)


def test_torch_step_returns_the_wrong_quantity() -> None:
    x, h, g = _ex3()
    r = reset_gate(x, h, g["W_r"], g["U_r"], g["b_r"])
    z = update_gate(x, h, g["W_z"], g["U_z"], g["b_z"])
    h_cand = candidate(x, h, r, g["W_h"], g["U_h"], g["b_h"], g["b_Uh"], reset_after=True)
    not_yet(check_torch_step(h_cand), "candidate h̃_t, not h_t")
    not_yet(check_torch_step(z), "update gate z_t, not h_t")

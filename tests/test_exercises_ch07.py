"""The checkers of chapter 7 ("Vanishing gradients"): right answers pass, each named mistake is
recognised and explained, and the expected answers agree with finite differences and GRU.backward."""

from __future__ import annotations

import numpy as np
import pytest

from gru_lesson import GRU, candidate, gru_cell, reset_gate
from gru_lesson.exercises import Feedback
from gru_lesson.exercises.ch07_vanishing_gradients import (
    candidate_jacobian,
    check_diagonal_power,
    check_first_lag,
    check_keep_jacobian,
    exercise1_inputs,
    exercise2_inputs,
    exercise3_inputs,
)
from verdicts import not_yet


def numeric_jacobian(x, h, gates, update):
    d = 1e-6
    return np.stack([(gru_cell(x, h + d * e, gates, update=update) - gru_cell(x, h - d * e, gates, update=update)) / (2 * d)
                     for e in np.eye(h.shape[0])], axis=1)


def test_inputs_are_deterministic_and_shaped() -> None:
    a, b = exercise1_inputs(), exercise1_inputs()
    assert a["x"].shape == (3,) and a["h_prev"].shape == (4,)
    assert {k: v.shape for k, v in a["gates"].items()} == {
        "W_r": (4, 3), "W_z": (4, 3), "W_h": (4, 3), "U_r": (4, 4), "U_z": (4, 4), "U_h": (4, 4),
        "b_r": (4,), "b_h": (4,), "b_z": (4,), "b_Uh": (4,)}
    assert all(np.array_equal(a["gates"][k], b["gates"][k]) for k in a["gates"])
    assert exercise2_inputs()["k"] == 50 and exercise2_inputs()["z"].shape == (4,)
    p = exercise3_inputs()
    assert p["z"].shape == (120,) and p["threshold"] == 0.01 and ((p["z"] > 0) & (p["z"] < 1)).all()


# Exercise 1: the Jacobian of a keeping step -------------------------------------------------------

def test_keep_jacobian_is_the_identity_by_finite_differences() -> None:
    p = exercise1_inputs()
    J = numeric_jacobian(p["x"], p["h_prev"], p["gates"], "notes")
    np.testing.assert_allclose(J, np.eye(4), rtol=0, atol=1e-9)
    verdict = check_keep_jacobian(J)
    assert isinstance(verdict, Feedback) and verdict and "Correct" in str(verdict)
    assert check_keep_jacobian(np.eye(4).tolist())


def test_candidate_jacobian_matches_finite_differences() -> None:
    # in torch's convention z = 0 replaces: h_t = h̃_t, so the step's Jacobian is the candidate's
    p = exercise1_inputs()
    J = numeric_jacobian(p["x"], p["h_prev"], p["gates"], "torch")
    np.testing.assert_allclose(candidate_jacobian(p["x"], p["h_prev"], p["gates"]), J, rtol=1e-6, atol=1e-9)


def test_keep_jacobian_matches_gru_backward() -> None:
    # the same step through GRU.backward (H copies, unit vectors): identity
    p = exercise1_inputs()
    g = p["gates"]
    gru = GRU(3, 4, reset_after=False, update="notes")
    gru.params["weight_ih_l0"][:] = np.concatenate([g["W_r"], g["W_z"], g["W_h"]])
    gru.params["weight_hh_l0"][:] = np.concatenate([g["U_r"], g["U_z"], g["U_h"]])
    gru.params["bias_ih_l0"][:] = np.concatenate([g["b_r"], g["b_z"], g["b_h"]])
    gru.params["bias_hh_l0"][:] = 0.0
    gru(np.tile(p["x"], (1, 4, 1)), np.tile(p["h_prev"], (1, 4, 1)))
    J = gru.backward(np.zeros((1, 4, 4)), np.eye(4)[None])["h0"][0]
    np.testing.assert_array_equal(J, np.eye(4))


@pytest.mark.parametrize("make, words", [
    (lambda p, Jc, c, r: np.zeros((4, 4)), "torch's convention"),
    (lambda p, Jc, c, r: Jc, "differentiate the candidate h̃_t. That is the answer in torch's convention"),
    (lambda p, Jc, c, r: (1 - c**2)[:, None] * (p["gates"]["U_h"] * r[None, :]), "leave out the reset gate"),
    (lambda p, Jc, c, r: (1 - c**2)[:, None] * p["gates"]["U_h"], "vanilla RNN"),
])
def test_keep_jacobian_named_mistakes(make, words) -> None:
    p = exercise1_inputs()
    g = p["gates"]
    r = reset_gate(p["x"], p["h_prev"], g["W_r"], g["U_r"], g["b_r"])
    c = candidate(p["x"], p["h_prev"], r, g["W_h"], g["U_h"], g["b_h"], g["b_Uh"])
    verdict = check_keep_jacobian(make(p, candidate_jacobian(p["x"], p["h_prev"], g), c, r))
    assert not verdict and words in str(verdict)


def test_keep_jacobian_none_vector_and_shape() -> None:
    not_yet(check_keep_jacobian(None), "still None")
    vector = check_keep_jacobian(np.ones(4))
    assert not vector and "np.diag" in str(vector)
    not_yet(check_keep_jacobian(np.eye(3)), "shape (3, 3)")


# Exercise 2: k copies of a diagonal factor --------------------------------------------------------

def test_diagonal_power_right_answer() -> None:
    p = exercise2_inputs()
    assert check_diagonal_power(np.linalg.matrix_power(np.diag(p["z"]), p["k"]))
    assert check_diagonal_power(np.diag(p["z"]) ** p["k"])        # element-wise power of a diagonal matrix: same


@pytest.mark.parametrize("make, words", [
    (lambda z, k: np.diag((1 - z) ** k), "notes' factor"),
    (lambda z, k: np.diag(1 - k * (1 - z)), "linearise"),
    (lambda z, k: np.diag(k * z), "multiply by k"),
])
def test_diagonal_power_named_mistakes(make, words) -> None:
    p = exercise2_inputs()
    verdict = check_diagonal_power(make(p["z"], p["k"]))
    assert not verdict and words in str(verdict)


def test_diagonal_power_none_vector_and_other() -> None:
    p = exercise2_inputs()
    assert not check_diagonal_power(None)
    vector = check_diagonal_power(p["z"] ** p["k"])
    assert not vector and "np.diag" in str(vector)
    other = check_diagonal_power(np.diag(p["z"] ** (p["k"] + 10)))
    assert not other and "differs" in str(other)


# Exercise 3: the first lag below a threshold ------------------------------------------------------

def expected_lag() -> int:
    p = exercise3_inputs()
    products = np.cumprod(p["z"][::-1])
    k = int(np.argmax(products < p["threshold"])) + 1
    assert products[k - 1] < p["threshold"] <= products[k - 2]
    return k


def test_first_lag_right_answer() -> None:
    k = expected_lag()
    assert check_first_lag(k) and check_first_lag(float(k)) and check_first_lag(np.int64(k))


def test_first_lag_mistakes_are_distinct_and_named() -> None:
    p = exercise3_inputs()
    z, threshold = p["z"], p["threshold"]
    k = expected_lag()
    forwards = int(np.argmax(np.cumprod(z) < threshold)) + 1
    notes = int(np.argmax(np.cumprod(1 - z[::-1]) < threshold)) + 1
    assert len({k, forwards, k - 1, notes}) == 4
    for answer, words in ((forwards, "FIRST step forwards"), (k - 1, "counted from 0"), (notes, "notes' factor")):
        verdict = check_first_lag(answer)
        assert not verdict and words in str(verdict)


def test_first_lag_none_and_other() -> None:
    not_yet(check_first_lag(None), "still None")
    not_yet(check_first_lag(expected_lag() + 5), "is not right")
    verdict = check_first_lag([1, 2])
    assert not verdict and "one whole number" in str(verdict)

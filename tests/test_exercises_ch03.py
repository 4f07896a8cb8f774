"""The checkers of chapter 3 ("The update gate"): right answers pass, each known mistake is named."""

from __future__ import annotations

import numpy as np
import pytest

from gru_lesson import new_state
from gru_lesson.exercises import Feedback
from gru_lesson.exercises.ch03_update_gate import (
    HALF_LIFE_Z,
    check_half_life,
    check_notes_update,
    check_notes_update_weights,
    exercise1_inputs,
    exercise2_inputs,
)
from verdicts import not_yet


def test_inputs_are_deterministic_and_shaped() -> None:
    a, b = exercise1_inputs(), exercise1_inputs()
    assert {k: v.shape for k, v in a.items()} == {"z": (2, 4), "h_prev": (2, 4), "h_cand": (2, 4)}
    assert all(np.array_equal(a[k], b[k]) for k in a)
    assert ((a["z"] > 0) & (a["z"] < 1)).all()
    w = exercise2_inputs()
    assert {k: v.shape for k, v in w.items()} == {"W_z": (4, 3), "U_z": (4, 4), "b_z": (4,)}


# Exercise 1: h_t in the notes' convention ------------------------------------------------------

def _ex1() -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    a = exercise1_inputs()
    return a["z"], a["h_prev"], a["h_cand"]


def test_notes_update_right_answer() -> None:
    z, h_prev, h_cand = _ex1()
    verdict = check_notes_update((1 - z) * h_prev + z * h_cand)
    assert isinstance(verdict, Feedback) and verdict
    assert "Correct" in str(verdict)
    assert check_notes_update(new_state(h_prev, h_cand, z, update="notes"))
    assert check_notes_update(((1 - z) * h_prev + z * h_cand).tolist())      # a nested list is fine too


def test_notes_update_none_and_shape() -> None:
    assert not check_notes_update(None)
    not_yet(check_notes_update(None), "still None")
    z, h_prev, h_cand = _ex1()
    verdict = check_notes_update(((1 - z) * h_prev + z * h_cand).T)
    assert not verdict and "shape (4, 2)" in str(verdict)


@pytest.mark.parametrize(
    "wrong, words",
    [
        (lambda z, h, c: (1 - z) * c + z * h, "torch's convention"),
        (lambda z, h, c: h + z * c, "drop the (1 − z_t) factor"),
        (lambda z, h, c: z * c, "only the new part"),
    ],
)
def test_notes_update_named_mistakes(wrong, words) -> None:
    verdict = check_notes_update(wrong(*_ex1()))
    assert not verdict
    assert words in str(verdict)


def test_notes_update_unknown_mistake_says_where() -> None:
    z, h_prev, h_cand = _ex1()
    verdict = check_notes_update((1 - z) * h_prev + z * h_cand + 0.25)
    assert not verdict and "differs from the answer" in str(verdict)


# Exercise 2: converting torch's update weights -------------------------------------------------

def test_weights_right_answer() -> None:
    t = exercise2_inputs()
    verdict = check_notes_update_weights(-t["W_z"], -t["U_z"], -t["b_z"])
    assert verdict and "Correct" in str(verdict)


@pytest.mark.parametrize("missing", [0, 1, 2])
def test_weights_none(missing: int) -> None:
    t = exercise2_inputs()
    answer = [-t["W_z"], -t["U_z"], -t["b_z"]]
    answer[missing] = None
    verdict = check_notes_update_weights(*answer)
    assert not verdict
    assert f"{('W_z', 'U_z', 'b_z')[missing]}_notes is still None" in str(verdict)


def test_weights_wrong_shape() -> None:
    t = exercise2_inputs()
    verdict = check_notes_update_weights(-t["W_z"].T, -t["U_z"], -t["b_z"])
    assert not verdict and "W_z_notes has shape (3, 4)" in str(verdict)


@pytest.mark.parametrize(
    "convert, words",
    [
        (lambda t: (t["W_z"], t["U_z"], -t["b_z"]), "negate only b_z"),
        (lambda t: (-t["W_z"], -t["U_z"], t["b_z"]), "but not b_z"),
        (lambda t: (1 - t["W_z"], 1 - t["U_z"], 1 - t["b_z"]), "1 − W_z"),
        (lambda t: (t["W_z"], t["U_z"], t["b_z"]), "unchanged"),
    ],
)
def test_weights_named_mistakes(convert, words) -> None:
    verdict = check_notes_update_weights(*convert(exercise2_inputs()))
    assert not verdict
    assert words in str(verdict)


def test_weights_other_mistake_names_the_array() -> None:
    t = exercise2_inputs()
    verdict = check_notes_update_weights(-t["W_z"], t["U_z"], -t["b_z"])
    assert not verdict and "U_z_notes" in str(verdict) and "differs" in str(verdict)


# Exercise 3: the half-life of a kept memory ----------------------------------------------------

def test_half_life_right_answer() -> None:
    assert HALF_LIFE_Z == 0.1
    assert check_half_life(7) and check_half_life(7.0) and check_half_life(np.int64(7))


@pytest.mark.parametrize(
    "answer, words",
    [(1, "torch's convention"), (6.58, "round up"), (6, "one step early")],
)
def test_half_life_named_mistakes(answer, words) -> None:
    verdict = check_half_life(answer)
    assert not verdict and words in str(verdict)


def test_half_life_none_and_wrong() -> None:
    not_yet(check_half_life(None), "still None")
    not_yet(check_half_life(10), "is not right")
    not_yet(check_half_life([7, 7]), "one whole number, got 2 numbers")
    assert check_half_life([7]) and check_half_life(7.0)             # typed as the page shows it

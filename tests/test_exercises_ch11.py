"""The checkers of chapter 11 ("The gates at work"): right answers pass, each known mistake is named."""

from __future__ import annotations

import math

import numpy as np
import pytest

from gru_lesson import sigmoid, update_gate
from gru_lesson.exercises import Feedback
from gru_lesson.exercises.ch11_gates_at_work import (
    EXPLORER_PRESET,
    KEEP_INPUTS,
    check_explorer_step,
    check_keep_bias,
    check_notes_update_gate,
    exercise1_inputs,
    explorer_step,
)


def test_inputs_are_deterministic_and_shaped() -> None:
    a, b = exercise1_inputs(), exercise1_inputs()
    assert a["x_t"].shape == (3, 2) and a["h_prev"].shape == (3, 4)
    assert {k: v.shape for k, v in a["gates"].items()}["U_z"] == (4, 4)
    assert np.array_equal(a["x_t"], b["x_t"]) and np.array_equal(a["gates"]["W_z"], b["gates"]["W_z"])


# the explorer's unit ----------------------------------------------------------------------------

@pytest.mark.parametrize("x_t, h_prev, b_r, b_z, b_h", [(0.5, -0.6, -3.0, 2.0, 0.0), (-1.0, 0.9, 1.0, -2.0, 0.5)])
def test_explorer_step_is_the_four_equations(x_t, h_prev, b_r, b_z, b_h) -> None:
    s = explorer_step(x_t, h_prev, b_r, b_z, b_h)
    r = 1 / (1 + math.exp(-(x_t + h_prev + b_r)))
    z = 1 / (1 + math.exp(-(x_t + h_prev + b_z)))
    h_cand = math.tanh(x_t + r * h_prev + b_h)
    assert s["r"] == pytest.approx(r, abs=1e-12) and s["z"] == pytest.approx(z, abs=1e-12)
    assert s["h_cand"] == pytest.approx(h_cand, abs=1e-12)
    assert s["h_t"] == pytest.approx((1 - z) * h_prev + z * h_cand, abs=1e-12)
    assert s["a_h"] == pytest.approx(x_t + r * h_prev + b_h, abs=1e-12)


def test_explorer_step_limits() -> None:
    assert explorer_step(0.3, -0.7, 0.0, -40.0, 0.0)["h_t"] == pytest.approx(-0.7, abs=1e-12)    # keep
    s = explorer_step(0.3, -0.7, -40.0, 40.0, 0.2)                                               # replace, reset
    assert s["h_t"] == pytest.approx(math.tanh(0.5), abs=1e-12)


# Exercise 1: the notes' update gate -------------------------------------------------------------

def _ex1():
    p = exercise1_inputs()
    g = p["gates"]
    return g, p["x_t"], p["h_prev"]


def test_notes_update_gate_right_answers() -> None:
    g, x, h = _ex1()
    for answer in (1 - update_gate(x, h, g["W_z"], g["U_z"], g["b_z"]),
                   update_gate(x, h, -g["W_z"], -g["U_z"], -g["b_z"])):
        verdict = check_notes_update_gate(answer)
        assert isinstance(verdict, Feedback) and verdict and "Correct" in str(verdict)


@pytest.mark.parametrize("mistake, words", [
    (lambda g, x, h: None, "still None"),
    (lambda g, x, h: update_gate(x, h, g["W_z"], g["U_z"], g["b_z"]).T, "shape"),
    (lambda g, x, h: update_gate(x, h, g["W_z"], g["U_z"], g["b_z"]), "torch's z"),
    (lambda g, x, h: update_gate(x, h, g["W_r"], g["U_r"], g["b_r"]), "reset gate"),
    (lambda g, x, h: 1 - update_gate(x, h, g["W_r"], g["U_r"], g["b_r"]), "wrong gate"),
    (lambda g, x, h: 1 - sigmoid(x @ g["W_z"].T + h @ g["U_z"].T), "left out the bias"),
    (lambda g, x, h: update_gate(x, h, -g["W_z"], -g["U_z"], g["b_z"]), "but not b_z"),
])
def test_notes_update_gate_mistakes(mistake, words) -> None:
    verdict = check_notes_update_gate(mistake(*_ex1()))
    assert not verdict and words in str(verdict), str(verdict)


# Exercise 2: a bias that keeps ------------------------------------------------------------------

def test_keep_bias_right_answer_keeps_99_percent() -> None:
    b_z = math.log(0.01 / 0.99) - (KEEP_INPUTS["x_t"] + KEEP_INPUTS["h_prev"])
    for answer in (b_z, np.float32(b_z), [b_z]):
        verdict = check_keep_bias(answer)
        assert verdict and "Correct" in str(verdict)
    step = explorer_step(KEEP_INPUTS["x_t"], KEEP_INPUTS["h_prev"], 0.0, b_z, 0.0)
    assert 1 - step["z"] == pytest.approx(KEEP_INPUTS["keep"], abs=1e-12)


@pytest.mark.parametrize("answer, words", [
    (None, "still None"),
    ("low", None),
    (math.log(0.99 / 0.01) - 1.3, "torch's convention"),
    (math.log(0.01 / 0.99), "subtract"),
    (math.log(0.01) - 1.3, "logit"),
    (-6.5, "differs"),
])
def test_keep_bias_mistakes(answer, words) -> None:
    verdict = check_keep_bias(answer)
    assert not verdict
    assert words is None or words in str(verdict), str(verdict)


# Exercise 3: one step by hand -------------------------------------------------------------------

def test_explorer_step_right_answer() -> None:
    verdict = check_explorer_step(explorer_step(**EXPLORER_PRESET)["h_t"])
    assert verdict and "Correct" in str(verdict)


def _preset_mistakes():
    p = EXPLORER_PRESET
    x, h, b_r, b_z, b_h = p["x_t"], p["h_prev"], p["b_r"], p["b_z"], p["b_h"]
    s = explorer_step(**p)
    r, z = s["r"], s["z"]
    z_x, r_x = 1 / (1 + math.exp(-(x + b_z))), 1 / (1 + math.exp(-(x + b_r)))
    return [
        (None, "still None"),
        ((1 - z) * s["h_cand"] + z * h, "torch's update"),
        ((1 - z) * h + z * math.tanh(x + h + b_h), "left the reset gate out"),
        ((1 - z) * h + z * math.tanh(r * (x + h + b_h)), "whole pre-activation"),
        ((1 - z) * h + z * (x + r * h + b_h), "forgot the tanh"),
        ((1 - z_x) * h + z_x * math.tanh(x + r_x * h + b_h), "x_t alone"),
        (0.25, "differs"),
    ]


@pytest.mark.parametrize("answer, words", _preset_mistakes())
def test_explorer_step_mistakes(answer, words) -> None:
    verdict = check_explorer_step(answer)
    assert not verdict and words in str(verdict), str(verdict)

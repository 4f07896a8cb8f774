"""The worked step of chapters 2-4: its numbers are the ones the docstring states, and gru_lesson agrees.

The chapters print every intermediate rounded to 4 decimals and the docstring of
`gru_lesson.exercises.worked_step` writes them out for a learner to redo by hand; these tests keep
the two in step, and check that no printed value sits so close to a rounding boundary that the
page and a learner's pencil could disagree in the last digit.
"""

from __future__ import annotations

import numpy as np
import pytest

from gru_lesson import candidate, gru_cell, new_state, reset_gate, update_gate
from gru_lesson.exercises.worked_step import four_decimals, worked_candidate, worked_step

# What the docstring (and the chapters' markdown) state, rounded to 4 decimals.
STATED = {
    "a_r": [1.75, -1.375],
    "r": [0.8520, 0.2018],
    "a_z": [-2.0, 1.0],
    "z": [0.1192, 0.7311],
    "r_h": [0.4260, -0.1009],
    "a_h": [0.8139, -0.8745],
    "h_cand": [0.6717, -0.7036],
    "h_t": [0.5205, -0.6489],
    "kept": [0.4404, -0.1345],
    "written": [0.0801, -0.5144],
}


def by_hand() -> dict[str, np.ndarray]:
    """Every intermediate from the textbook formulas, plain NumPy."""
    p = worked_step()
    x, h = p["x_t"], p["h_prev"]
    values = {"a_r": p["W_r"] @ x + p["U_r"] @ h + p["b_r"], "a_z": p["W_z"] @ x + p["U_z"] @ h + p["b_z"]}
    values["r"] = 1 / (1 + np.exp(-values["a_r"]))
    values["z"] = 1 / (1 + np.exp(-values["a_z"]))
    values["r_h"] = values["r"] * h
    values["a_h"] = p["W_h"] @ x + p["U_h"] @ values["r_h"] + p["b_h"]
    values["h_cand"] = np.tanh(values["a_h"])
    values["kept"] = (1 - values["z"]) * h                      # chapter 3 prints both parts of the blend
    values["written"] = values["z"] * values["h_cand"]
    values["h_t"] = values["kept"] + values["written"]
    return values


@pytest.mark.parametrize("name", STATED)
def test_the_stated_numbers_are_the_computed_ones(name):
    value = by_hand()[name]
    assert four_decimals(value) == four_decimals(np.array(STATED[name]))
    distance_to_a_tie = np.abs((value * 1e4) % 1 - 0.5)
    assert np.all(distance_to_a_tie > 0.01), f"{name} = {value} is too close to a rounding boundary"


def test_gate_preactivations_are_exact_in_binary():
    values = by_hand()
    assert np.array_equal(values["a_r"], [1.75, -1.375]) and np.array_equal(values["a_z"], [-2.0, 1.0])


def test_gru_lesson_computes_the_same_step():
    p, values = worked_step(), by_hand()
    x, h = p["x_t"], p["h_prev"]
    r = reset_gate(x, h, p["W_r"], p["U_r"], p["b_r"])
    z = update_gate(x, h, p["W_z"], p["U_z"], p["b_z"])
    h_cand = candidate(x, h, r, p["W_h"], p["U_h"], p["b_h"])
    np.testing.assert_allclose(r, values["r"], rtol=0, atol=1e-15)
    np.testing.assert_allclose(z, values["z"], rtol=0, atol=1e-15)
    np.testing.assert_allclose(h_cand, values["h_cand"], rtol=0, atol=1e-15)
    np.testing.assert_allclose(worked_candidate(), values["h_cand"], rtol=0, atol=0)
    np.testing.assert_allclose(new_state(h, h_cand, z, update="notes"), values["h_t"], rtol=0, atol=1e-15)
    np.testing.assert_allclose(gru_cell(x, h, p), values["h_t"], rtol=0, atol=1e-15)


def test_fresh_arrays_at_every_call():
    first = worked_step()
    first["W_r"][0, 0] = 99.0
    assert worked_step()["W_r"][0, 0] == 0.5


def test_the_two_units_do_opposite_things():
    values = by_hand()
    assert values["z"][0] < 0.2 < 0.7 < values["z"][1]         # unit 0 mostly keeps, unit 1 mostly replaces
    assert values["r"][0] > 0.8 and values["r"][1] < 0.25       # unit 0 lets its past in, unit 1 mostly not

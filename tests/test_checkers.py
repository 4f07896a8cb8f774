"""Every exercise checker, as a whole: its tolerance, answers typed as a page rounds them, and junk.

1. Tolerance. Each array checker accepts its right answer with one entry moved by 0.3 times its
   tolerance (atol + rtol·|value|) and refuses it moved by 3 times: a tolerance loosened or
   tightened by 10x in any checker fails here. Count checkers accept only the whole number itself.
2. Rounding. A number typed as the page prints it passes, or the message says that it is rounded.
3. Junk. Text, a dict, NaN, a wrong shape, a ragged list, an arbitrary object, in any argument:
   the checker answers "Not yet: ..." and never raises.
"""

from __future__ import annotations

import math

import numpy as np
import pytest

from gru_lesson import gru_cell, new_state
from gru_lesson.exercises import Feedback
from gru_lesson.exercises import ch01_why_gates as ch01
from gru_lesson.exercises import ch02_reset_gate as ch02
from gru_lesson.exercises import ch03_update_gate as ch03
from gru_lesson.exercises import ch04_candidate_and_state as ch04
from gru_lesson.exercises import ch05_layer_vs_torch as ch05
from gru_lesson.exercises import ch06_backprop_through_time as ch06
from gru_lesson.exercises import ch07_vanishing_gradients as ch07
from gru_lesson.exercises import ch08_training as ch08
from gru_lesson.exercises import ch09_parameters_and_speed as ch09
from gru_lesson.exercises import ch10_accuracy as ch10
from gru_lesson.exercises import ch11_gates_at_work as ch11
from gru_lesson.exercises import ch12_min_gru as ch12
from gru_lesson.exercises import ch13_what_makes_a_gru_fast as ch13
from gru_lesson.exercises.feedback import ATOL, RTOL, check_array, check_whole_number
from gru_lesson.min_gru import g as min_gru_g


def _ch01_step():
    p = ch01.exercise1_inputs()
    return np.tanh(p["W"] @ p["x_t"] + p["U"] @ p["h_prev"] + p["b"])


def _ch01_jacobian():
    p = ch01.exercise1_inputs()
    return np.diag(1 - _ch01_step() ** 2) @ p["U"]


def _ch01_keep():
    p = ch01.exercise3_inputs()
    kept = (1 - p["z"]) ** p["k"]
    return kept * p["h_0"] + (1 - kept) * p["h_cand"]


def _ch02_reset():
    p = ch02.exercise1_inputs()
    return 1 / (1 + np.exp(-(p["x_t"] @ p["W_r"].T + p["h_prev"] @ p["U_r"].T + p["b_r"])))


def _ch02_bias():
    p = ch02.exercise2_inputs()
    return -(p["W_r"] @ p["x_t"] + p["U_r"] @ p["h_prev"])


def _ch02_closed():
    p = ch02.exercise3_inputs()
    return np.tanh(p["W_h"] @ p["x_t"] + p["b_h"])


def _ch03_update():
    a = ch03.exercise1_inputs()
    return (1 - a["z"]) * a["h_prev"] + a["z"] * a["h_cand"]


def _ch03_weights():
    t = ch03.exercise2_inputs()
    return -t["W_z"], -t["U_z"], -t["b_z"]


def _ch04_candidate():
    a = ch04.exercise1_inputs()
    return np.tanh(a["x"] @ a["W_h"].T + a["b_h"] + a["r"] * (a["h_prev"] @ a["U_h"].T + a["b_hn"]))


def _ch04_step():
    s = ch04.exercise3_inputs()
    return gru_cell(s["x"], s["h_prev"], s["gates"], reset_after=True, update="torch")


def _ch05_split_parts():
    w = np.random.default_rng(5).standard_normal((9, 5))
    return w, w[:3].copy(), w[3:6].copy(), w[6:].copy()


def _ch05_state():
    gru, x = ch05.exercise2_inputs()
    return gru(x)[1][3]


def _ch06_dh_dz():
    a = ch06.exercise1_inputs()
    return a["h_cand"] - a["h_prev"]


def _ch06_grad():
    a = ch06.exercise2_inputs()
    return a["grad_h"] * a["z"] * (1 - a["h_cand"] ** 2)


def _ch07_power():
    p = ch07.exercise2_inputs()
    return np.diag(p["z"] ** p["k"])


def _ch08_mse():
    d = ch08.exercise_inputs()
    return 2 * (d["prediction"] - d["target"]) / 4


def _ch08_adam():
    m, v = 0.1 * 0.5, 0.001 * 0.25
    return np.array(1 - (0.1 / 0.1) * m / (np.sqrt(v) / np.sqrt(0.001) + 1e-8))


def _ch08_grad_h_n():
    right = np.zeros((2, 2, 3))
    right[1] = ch08.exercise_inputs()["grad_last"]
    return right


def _ch10_error():
    return np.array(np.mean((ch10.exercise1_inputs().astype(float) - 1.0) ** 2))


def _ch10_bars():
    e = ch10.exercise2_inputs()
    return np.stack([e.mean(0) - e.min(0), e.max(0) - e.mean(0)])


def _ch11_gate():
    p = ch11.exercise1_inputs()
    g = p["gates"]
    return 1 - 1 / (1 + np.exp(-(p["x_t"] @ g["W_z"].T + p["h_prev"] @ g["U_z"].T + g["b_z"])))


def _ch11_bias():
    return np.array(math.log(0.01 / 0.99) - (ch11.KEEP_INPUTS["x_t"] + ch11.KEEP_INPUTS["h_prev"]))


def _ch11_step():
    return np.array(ch11.explorer_step(**ch11.EXPLORER_PRESET)["h_t"])


def _ch12_step():
    d = ch12.exercise_inputs()
    z = 1 / (1 + np.exp(-(d["x_t"] @ d["W_z"].T + d["b_z"])))
    return (1 - z) * d["h_prev"] + z * min_gru_g(d["x_t"] @ d["W_h"].T + d["b_h"])


def _ch12_scan():
    d = ch12.exercise_inputs()
    a_star = np.cumsum(d["log_a"], axis=0)
    terms = np.concatenate([np.log(d["h0"])[None], d["log_b"] - a_star])
    return a_star + np.logaddexp.accumulate(terms, axis=0)[1:]


def _ch13_fused():
    d = ch13.exercise_inputs()
    W = np.concatenate([d["W_r"], d["W_z"], d["W_h"]])
    return d["x"] @ W.T + np.concatenate([d["b_r"], d["b_z"], d["b_h"]])


DEFAULT = (1e-6, 1e-8)          # check_array's documented tolerance (rtol, atol); written out, not imported

# (checker, right answers as a function, index of the argument that the tolerance applies to, (rtol, atol))
ARRAY_CHECKERS = {
    "ch01.check_rnn_step": (ch01.check_rnn_step, lambda: (_ch01_step(),), 0, DEFAULT),
    "ch01.check_rnn_jacobian": (ch01.check_rnn_jacobian, lambda: (_ch01_jacobian(),), 0, DEFAULT),
    "ch01.check_keep": (ch01.check_keep, lambda: (_ch01_keep(),), 0, DEFAULT),
    "ch02.check_reset": (ch02.check_reset, lambda: (_ch02_reset(),), 0, DEFAULT),
    "ch02.check_half_open_bias": (ch02.check_half_open_bias, lambda: (_ch02_bias(),), 0, DEFAULT),
    "ch02.check_closed_candidate": (ch02.check_closed_candidate, lambda: (_ch02_closed(),), 0, DEFAULT),
    "ch03.check_notes_update": (ch03.check_notes_update, lambda: (_ch03_update(),), 0, DEFAULT),
    "ch03.check_notes_update_weights/W_z": (ch03.check_notes_update_weights, _ch03_weights, 0, DEFAULT),
    "ch03.check_notes_update_weights/b_z": (ch03.check_notes_update_weights, _ch03_weights, 2, DEFAULT),
    "ch04.check_candidate_after": (ch04.check_candidate_after, lambda: (_ch04_candidate(),), 0, DEFAULT),
    "ch04.check_torch_step": (ch04.check_torch_step, lambda: (_ch04_step(),), 0, DEFAULT),
    "ch05.check_split/W_z": (ch05.check_split, _ch05_split_parts, 2, DEFAULT),
    "ch05.check_final_state": (ch05.check_final_state, lambda: (_ch05_state(),), 0, DEFAULT),
    "ch06.check_dh_dz": (ch06.check_dh_dz, lambda: (_ch06_dh_dz(),), 0, DEFAULT),
    "ch06.check_grad_a_h": (ch06.check_grad_a_h, lambda: (_ch06_grad(),), 0, DEFAULT),
    "ch07.check_keep_jacobian": (ch07.check_keep_jacobian, lambda: (np.eye(4),), 0, DEFAULT),
    "ch07.check_diagonal_power": (ch07.check_diagonal_power, lambda: (_ch07_power(),), 0, (1e-6, 1e-12)),
    "ch08.check_mse_gradient": (ch08.check_mse_gradient, lambda: (_ch08_mse(),), 0, DEFAULT),
    "ch08.check_adam_step": (ch08.check_adam_step, lambda: (_ch08_adam(),), 0, (1e-9, 1e-12)),
    "ch08.check_grad_h_n": (ch08.check_grad_h_n, lambda: (_ch08_grad_h_n(),), 0, DEFAULT),
    "ch10.check_constant_error": (ch10.check_constant_error, lambda: (_ch10_error(),), 0, (1e-6, 1e-9)),
    "ch10.check_error_bars": (ch10.check_error_bars, lambda: (_ch10_bars(),), 0, DEFAULT),
    "ch11.check_notes_update_gate": (ch11.check_notes_update_gate, lambda: (_ch11_gate(),), 0, DEFAULT),
    "ch11.check_keep_bias": (ch11.check_keep_bias, lambda: (_ch11_bias(),), 0, (1e-6, 1e-6)),
    "ch11.check_explorer_step": (ch11.check_explorer_step, lambda: (_ch11_step(),), 0, DEFAULT),
    "ch12.check_min_gru_step": (ch12.check_min_gru_step, lambda: (_ch12_step(),), 0, DEFAULT),
    "ch12.check_log_space_scan": (ch12.check_log_space_scan, lambda: (_ch12_scan(),), 0, (1e-9, 1e-12)),
    "ch13.check_fused_input": (ch13.check_fused_input, lambda: (_ch13_fused(),), 0, DEFAULT),
}


def _moved(answers: tuple, index: int, tolerance: tuple[float, float], factor: float) -> tuple:
    """The answers with the largest entry of answers[index] moved by factor · (atol + rtol·|entry|)."""
    rtol, atol = tolerance
    array = np.array(answers[index], dtype=float)
    where = np.unravel_index(np.argmax(np.abs(array)), array.shape)
    array[where] += factor * (atol + rtol * abs(array[where]))
    return answers[:index] + (array,) + answers[index + 1:]


def test_the_default_tolerance():
    assert (RTOL, ATOL) == DEFAULT


@pytest.mark.parametrize("name", ARRAY_CHECKERS)
def test_right_answer_passes_and_a_near_miss_does_not(name):
    checker, right, index, tolerance = ARRAY_CHECKERS[name]
    answers = right()
    verdict = checker(*answers)
    assert isinstance(verdict, Feedback) and verdict, str(verdict)
    inside = checker(*_moved(answers, index, tolerance, 0.3))
    assert inside, f"0.3x the tolerance should pass: {inside}"
    for factor in (3.0, -3.0):
        outside = checker(*_moved(answers, index, tolerance, factor))
        assert not outside, f"{factor}x the tolerance should fail"
        assert str(outside).startswith("Not yet:"), str(outside)


def test_check_array_near_miss_message_shows_digits_that_differ():
    verdict = check_array(np.array([1.0, 0.123456789]), np.array([1.0, 0.123466789]), "h_t")
    assert not verdict
    assert "you have 0.12346, expected 0.12347" in str(verdict)


# ---- answers typed as the page prints them --------------------------------------------------

@pytest.mark.parametrize("checker, value, shown, words", [
    (ch11.check_keep_bias, _ch11_bias, lambda v: round(float(v), 3), "rounded to 3 decimal places"),      # b_z = -5.895
    (ch11.check_explorer_step, _ch11_step, lambda v: round(float(v), 3), "rounded to 3 decimal places"),  # h_t = 0.306
    (ch10.check_constant_error, _ch10_error, lambda v: float(f"{float(v):.4f}"), "rounded to 4 decimal places"),
    (ch08.check_adam_step, _ch08_adam, lambda v: float(f"{float(v):.4g}"), "rounded to"),
    (ch02.check_reset, _ch02_reset, lambda v: np.round(v, 4), "rounded to 4 decimal places"),
    (ch01.check_rnn_step, _ch01_step, lambda v: np.array([float(f"{e:.4g}") for e in v]), "rounded to 4"),
])
def test_a_rounded_answer_is_told_that_it_is_rounded(checker, value, shown, words):
    verdict = checker(shown(value()))
    assert not verdict and words in str(verdict) and "not a number copied from a printout" in str(verdict), str(verdict)


def test_a_mistake_typed_as_the_page_rounds_it_is_named():
    assert "round up" in str(ch03.check_half_life(6.58))            # the page shows ln 0.5 / ln 0.9 ≈ 6.58
    assert "round up" in str(ch03.check_half_life(6.5788))
    assert not ch03.check_half_life(6.58)


@pytest.mark.parametrize("checker, right", [
    (ch03.check_half_life, 7), (ch07.check_first_lag, 40), (ch09.check_lstm_count, 15040),
    (ch09.check_matching_lstm, 54),
])
def test_count_checkers_accept_only_the_whole_number(checker, right):
    for answer in (right, float(right), np.int64(right), [right]):
        assert checker(answer), str(checker(answer))
    for answer in (right + 1e-6, right - 1e-6, right + 0.5):
        verdict = checker(answer)
        assert not verdict and "whole number" in str(verdict), str(verdict)
        assert f"{answer:.15g}" in str(verdict)                      # the number as typed, not rounded to 6 digits
    for answer in (right + 1, right - 1):
        assert not checker(answer)


def test_a_count_near_a_known_mistake_but_outside_its_tolerance_is_not_named():
    verdict = ch03.check_half_life(6.60)                            # 6.5788 is 0.021 away: not that mistake
    assert not verdict and "round up" not in str(verdict) and "whole number" in str(verdict)
    verdict = check_whole_number(5.0, 7, "t", mistakes={5.02: "a slip"})
    assert not verdict and "a slip" not in str(verdict)
    verdict = check_whole_number(5.0, 7, "t", mistakes={5.005: "a slip"})
    assert not verdict and "a slip" in str(verdict)


@pytest.mark.parametrize("checker, right", [
    (ch04.check_products_per_step, (2, 1)), (ch12.check_parameter_counts, (1920, 440)),
    (ch13.check_product_counts, (600, 101, 201)),
])
def test_several_counts_each_must_be_whole(checker, right):
    assert checker(*right) and checker(*map(float, right))
    for position in range(len(right)):
        answers = list(right)
        answers[position] = right[position] + 1e-6
        verdict = checker(*answers)
        assert not verdict and "whole number" in str(verdict), str(verdict)


# ---- junk ---------------------------------------------------------------------------------------

def _rights():
    """Every checker with a right answer for each of its arguments (checker, args)."""
    p3 = ch06.exercise1_inputs()
    paths = {"notes, z = 0": "direct", "notes, z = 1": "candidate", "torch, z = 0": "candidate", "torch, z = 1": "direct"}
    return {name: (checker, right()) for name, (checker, right, _, _) in ARRAY_CHECKERS.items()} | {
        "ch03.check_half_life": (ch03.check_half_life, (7,)),
        "ch04.check_products_per_step": (ch04.check_products_per_step, (2, 1)),
        "ch05.check_shapes": (ch05.check_shapes, ((4, 6, 10), (6, 4, 5))),
        "ch06.check_paths": (ch06.check_paths, (paths,)),
        "ch07.check_first_lag": (ch07.check_first_lag, (40,)),
        "ch09.check_lstm_count": (ch09.check_lstm_count, (15040,)),
        "ch09.check_matching_lstm": (ch09.check_matching_lstm, (54,)),
        "ch10.check_every_seed": (ch10.check_every_seed, (np.array([True, False, False]),)),
        "ch12.check_parameter_counts": (ch12.check_parameter_counts, (1920, 440)),
        "ch13.check_product_counts": (ch13.check_product_counts, (600, 101, 201)),
        "ch13.check_prefix_sum": (ch13.check_prefix_sum, (np.cumsum(ch13.exercise_inputs()["values"]), 4)),
        "ch06.check_dh_dz(matrix)": (ch06.check_dh_dz, (np.diag(p3["h_cand"] - p3["h_prev"]),)),
    }


RIGHTS = _rights()
JUNK = {
    "text": "abc", "number as text": "0.5", "dict": {"a": 1}, "NaN": np.nan, "inf": np.inf,
    "wrong shape": np.zeros((7, 7)), "ragged list": [[1.0, 2.0], [3.0]], "object": object(),
    "list of text": ["a", "b", "c", "d"], "complex": np.array([1j, 2j]), "bool": True,
    "NaN array": np.full((2, 4), np.nan), "text (4, 4)": np.full((4, 4), "x"), "set": {1, 2},
}


@pytest.mark.parametrize("junk", JUNK)
@pytest.mark.parametrize("name", RIGHTS)
def test_junk_gets_a_not_yet_and_never_raises(name, junk):
    checker, right = RIGHTS[name]
    first = 1 if checker is ch05.check_split else 0        # check_split's first argument is the question
    for position in range(first, len(right)):
        answers = list(right)
        answers[position] = JUNK[junk]
        verdict = checker(*answers)
        assert isinstance(verdict, Feedback), f"{name} argument {position}: {verdict!r}"
        assert not verdict and str(verdict).startswith("Not yet:"), f"{name} argument {position}: {verdict}"
        assert "Traceback" not in str(verdict)


def test_junk_messages_say_what_arrived():
    assert str(ch01.check_rnn_step({"a": 1})) == "Not yet: h_t should be an array of numbers, got dict."
    assert str(ch01.check_rnn_step("abc")) == "Not yet: h_t should be an array of numbers, got text 'abc'."
    assert "contains NaN or inf" in str(ch02.check_reset(np.full((2, 4), np.nan)))
    assert "should be an array of numbers, got text '0.5'" in str(ch08.check_adam_step("0.5"))
    assert "has shape (7, 7), but the answer has shape (4,)" in str(ch02.check_closed_candidate(np.zeros((7, 7))))
    assert "should be a whole number, got 'abc'" in str(ch03.check_half_life("abc"))

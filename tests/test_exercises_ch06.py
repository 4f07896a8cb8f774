"""The checkers of chapter 6 ("Backpropagation through time"): right answers pass, each named mistake
is recognised and explained, and the expected answers agree with GRU.backward and finite differences."""

from __future__ import annotations

import numpy as np
import pytest

from gru_lesson import GRU, candidate, new_state, reset_gate, update_gate
from gru_lesson.exercises import Feedback
from gru_lesson.exercises.ch06_backprop_through_time import (
    PATH_CASES,
    PATH_NAMES,
    check_dh_dz,
    check_grad_a_h,
    check_paths,
    exercise1_inputs,
    exercise2_inputs,
)
from verdicts import not_yet

RIGHT_PATHS = {"notes, z = 0": {"direct"}, "notes, z = 1": {"candidate", "reset gate"},
               "torch, z = 0": {"candidate", "reset gate"}, "torch, z = 1": {"direct"}}


def test_inputs_are_deterministic_and_shaped() -> None:
    a, b = exercise1_inputs(), exercise1_inputs()
    assert {k: v.shape for k, v in a.items()} == {"z": (4,), "h_prev": (4,), "h_cand": (4,)}
    assert all(np.array_equal(a[k], b[k]) for k in a)
    c = exercise2_inputs()
    assert {k: v.shape for k, v in c.items()} == {"grad_h": (2, 4), "z": (2, 4), "h_cand": (2, 4)}
    assert ((c["z"] > 0) & (c["z"] < 1)).all() and (np.abs(c["h_cand"]) < 1).all()


# Exercise 1: ∂h_t/∂z_t ---------------------------------------------------------------------------

def test_dh_dz_right_answer_agrees_with_finite_differences() -> None:
    a = exercise1_inputs()
    z, h, c = a["z"], a["h_prev"], a["h_cand"]
    eps = 1e-6
    numeric = (new_state(h, c, z + eps, update="notes") - new_state(h, c, z - eps, update="notes")) / (2 * eps)
    verdict = check_dh_dz(numeric)
    assert isinstance(verdict, Feedback) and verdict and "Correct" in str(verdict)
    assert check_dh_dz((c - h).tolist())


def test_dh_dz_none_shape_and_full_matrix() -> None:
    not_yet(check_dh_dz(None), "still None")
    a = exercise1_inputs()
    wrong_shape = check_dh_dz((a["h_cand"] - a["h_prev"])[:3])
    assert not wrong_shape and "shape (3,)" in str(wrong_shape)
    matrix = check_dh_dz(np.diag(a["h_cand"] - a["h_prev"]))
    assert not matrix and "np.diag" in str(matrix)


@pytest.mark.parametrize("wrong, words", [
    (lambda z, h, c: h - c, "torch's convention"),
    (lambda z, h, c: c, "only z_t ⊙ h̃_t"),
    (lambda z, h, c: z * (c - h), "keep a factor z_t"),
    (lambda z, h, c: z, "derivative with respect to the candidate"),
    (lambda z, h, c: 1 - z, "direct path"),
])
def test_dh_dz_named_mistakes(wrong, words) -> None:
    a = exercise1_inputs()
    verdict = check_dh_dz(wrong(a["z"], a["h_prev"], a["h_cand"]))
    assert not verdict and words in str(verdict)


def test_dh_dz_unknown_mistake_says_where() -> None:
    a = exercise1_inputs()
    verdict = check_dh_dz(a["h_cand"] - a["h_prev"] + 0.1)
    assert not verdict and "differs from the answer" in str(verdict)


# Exercise 2: δa_h ---------------------------------------------------------------------------------

def test_grad_a_h_right_answer_agrees_with_gru_backward() -> None:
    # one step of a notes-convention GRU: GRU.backward's gradient of b_h is exactly δa_h
    gru = GRU(2, 4, reset_after=False, update="notes", seed=9)
    rng = np.random.default_rng(9)
    x, h0, grad_h = rng.standard_normal((1, 2, 2)), rng.standard_normal((1, 2, 4)), rng.standard_normal((1, 2, 4))
    output, _ = gru(x, h0)
    grads = gru.backward(np.zeros_like(output), grad_h)
    g = gru.gates()
    r = reset_gate(x[0], h0[0], g["W_r"], g["U_r"], g["b_r"])
    z = update_gate(x[0], h0[0], g["W_z"], g["U_z"], g["b_z"])
    c = candidate(x[0], h0[0], r, g["W_h"], g["U_h"], g["b_h"], g["b_Uh"])
    by_formula = grad_h[0] * z * (1 - c**2)                                  # (N, H)
    np.testing.assert_allclose(by_formula.sum(axis=0), grads["bias_ih_l0"][8:], rtol=1e-12, atol=1e-12)
    a = exercise2_inputs()
    verdict = check_grad_a_h(a["grad_h"] * a["z"] * (1 - a["h_cand"] ** 2))
    assert verdict and "Correct" in str(verdict)


@pytest.mark.parametrize("wrong, words", [
    (lambda g, z, c: g * z, "tanh'(a_h) = 1 − h̃_t²"),
    (lambda g, z, c: g * z * c * (1 - c), "sigmoid's slope"),
    (lambda g, z, c: g * (1 - z) * (1 - c**2), "torch's convention"),
    (lambda g, z, c: g * z * (1 - c) ** 2, "square (1 − h̃_t)"),
    (lambda g, z, c: g * (1 - c**2), "leave out z_t"),
])
def test_grad_a_h_named_mistakes(wrong, words) -> None:
    a = exercise2_inputs()
    verdict = check_grad_a_h(wrong(a["grad_h"], a["z"], a["h_cand"]))
    assert not verdict and words in str(verdict)


def test_grad_a_h_none_and_shape() -> None:
    not_yet(check_grad_a_h(None), "still None")
    a = exercise2_inputs()
    verdict = check_grad_a_h((a["grad_h"] * a["z"] * (1 - a["h_cand"] ** 2)).T)
    assert not verdict and "shape (4, 2)" in str(verdict)


# Exercise 3: which paths survive ------------------------------------------------------------------

def test_paths_right_answer() -> None:
    assert set(RIGHT_PATHS) == set(PATH_CASES) and set().union(*RIGHT_PATHS.values()) <= set(PATH_NAMES)
    assert PATH_NAMES == ("direct", "reset gate", "update gate", "candidate")    # the figure's four paths
    verdict = check_paths(dict(RIGHT_PATHS))
    assert verdict and str(verdict).startswith("Correct")


def test_paths_accepts_a_name_a_list_or_a_tuple() -> None:
    typed = {"notes, z = 0": "direct", "notes, z = 1": ["reset gate", "candidate"],
             "torch, z = 0": ("candidate", "reset gate"), "torch, z = 1": ["direct"]}
    assert check_paths(typed)
    assert check_paths({case: frozenset(paths) for case, paths in RIGHT_PATHS.items()})


@pytest.mark.parametrize("case", PATH_CASES)
def test_paths_answers_agree_with_gru_backward(case) -> None:
    # saturate the gate; one step, so the bias gradients are δa_r, δa_z, δa_h and each path's share of
    # δh_0 can be computed; the four shares add up to GRU.backward's δh_0, and the open ones are the answer
    update, z_value = case.split(", z = ")
    gru = GRU(2, 3, reset_after=False, update=update, seed=4)
    gru.params["bias_ih_l0"][3:6] = 40.0 if z_value == "1" else -40.0
    rng = np.random.default_rng(4)
    x, h0, grad_h = rng.standard_normal((1, 1, 2)), rng.standard_normal((1, 1, 3)), rng.standard_normal((1, 1, 3))
    gru(x, h0)
    grads = gru.backward(np.zeros((1, 1, 3)), grad_h)
    g = gru.gates()
    r = reset_gate(x[0, 0], h0[0, 0], g["W_r"], g["U_r"], g["b_r"])
    z = update_gate(x[0, 0], h0[0, 0], g["W_z"], g["U_z"], g["b_z"])
    assert set(np.unique(z)) == {float(z_value)}                              # exactly 0 or 1
    d_a_r, d_a_z, d_a_h = np.split(grads["bias_ih_l0"], 3)
    share = {"direct": grad_h[0, 0] * ((1 - z) if update == "notes" else z),
             "reset gate": g["U_r"].T @ d_a_r, "update gate": g["U_z"].T @ d_a_z,
             "candidate": r * (g["U_h"].T @ d_a_h)}
    np.testing.assert_allclose(sum(share.values()), grads["h0"][0, 0], rtol=1e-12, atol=1e-12)
    assert {name for name, part in share.items() if np.abs(part).max() > 1e-12} == RIGHT_PATHS[case]


def test_paths_not_attempted() -> None:
    not_yet(check_paths(None), "still None")
    verdict = check_paths({case: None for case in PATH_CASES})
    assert not verdict and "'notes, z = 0' is still None" in str(verdict)
    not_yet(check_paths(["direct"]), "dict")


def test_paths_missing_key_unknown_name_wrong_type_and_empty() -> None:
    partial = dict(RIGHT_PATHS)
    del partial["torch, z = 1"]
    not_yet(check_paths(partial), "no answer for 'torch, z = 1'")
    not_yet(check_paths(dict(RIGHT_PATHS) | {"notes, z = 1": {"candidate", "output gate"}}),
            "'output gate'", "not one of the figure's paths")
    not_yet(check_paths(dict(RIGHT_PATHS) | {"notes, z = 0": 1}), "set of path names", "int")
    not_yet(check_paths(dict(RIGHT_PATHS) | {"notes, z = 0": [1, 2]}), "set of path names")
    not_yet(check_paths(dict(RIGHT_PATHS) | {"torch, z = 1": set()}), "no path open")


@pytest.mark.parametrize("case", PATH_CASES)
def test_paths_swapped_convention_is_named(case) -> None:
    keeps = RIGHT_PATHS[case] == {"direct"}
    other = {"candidate", "reset gate"} if keeps else {"direct"}
    verdict = check_paths(dict(RIGHT_PATHS) | {case: other})
    not_yet(verdict, case, "convention", "only the direct path" if keeps else "both paths through h̃_t")


def test_paths_update_gate_is_explained() -> None:
    not_yet(check_paths(dict(RIGHT_PATHS) | {"torch, z = 0": {"candidate", "reset gate", "update gate"}}),
            "z_t (1 − z_t) is 0")


def test_paths_through_the_candidate_come_in_pairs() -> None:
    # where the gate replaces the memory, both paths through h̃_t are open: naming one is not enough
    not_yet(check_paths(dict(RIGHT_PATHS) | {"notes, z = 1": "candidate"}), "reset gate's path is open too")
    not_yet(check_paths(dict(RIGHT_PATHS) | {"torch, z = 0": "reset gate"}), "candidate path is open too")
    # ... and where it keeps the memory, neither is
    not_yet(check_paths(dict(RIGHT_PATHS) | {"notes, z = 0": {"direct", "candidate"}}), "nothing flows through h̃_t")
    not_yet(check_paths(dict(RIGHT_PATHS) | {"torch, z = 1": {"reset gate"}}), "Only the direct path is left")


def test_paths_direct_is_closed_where_the_gate_replaces() -> None:
    not_yet(check_paths(dict(RIGHT_PATHS) | {"notes, z = 1": {"direct", "candidate", "reset gate"}}),
            "factor 1 − z_t is 0")
    not_yet(check_paths(dict(RIGHT_PATHS) | {"torch, z = 0": {"direct", "candidate", "reset gate"}}),
            "factor z_t is 0")

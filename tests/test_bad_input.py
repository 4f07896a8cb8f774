"""Bad input to the functions learners call directly gets a TypeError or ValueError naming what was expected
and what arrived: the equations, gru_cell, gru_sequence, sigmoid and tanh, Linear and mse_loss, SGD and Adam,
MinGRU and g, the vanilla RNN. (The GRU layer's own messages are in test_errors.py.)"""

from __future__ import annotations

import re

import numpy as np
import pytest
import torch

from gru_lesson import (GRU, SGD, Adam, Linear, MinGRU, candidate, gru_cell, gru_sequence, mse_loss, new_state,
                        reset_gate, sigmoid, tanh, update_gate)
from gru_lesson import _validation
from gru_lesson.min_gru import g, log_g
from gru_lesson.vanilla_rnn import rnn_sequence, rnn_step

GATES = GRU(3, 4, seed=1).gates()                          # I = 3, H = 4, float64
X, H = np.zeros((2, 3)), np.zeros((2, 4))                  # (N, I), (N, H) with N = 2
W, U, B = GATES["W_r"], GATES["U_r"], GATES["b_r"]


def _raises(error, message, call):
    with pytest.raises(error, match=re.escape(message)):
        call()


# ---- gru_cell: every argument ------------------------------------------------------------------

@pytest.mark.parametrize("args, error, message", [
    (([1, 2, 3], np.zeros(4)), TypeError, "expected x as a NumPy array of float32 or float64, got list"),
    ((np.array([1, 2, 3]), np.zeros(4)), TypeError, "expected x of dtype float32 or float64, got int64"),
    ((torch.zeros(2, 3), H), TypeError, "got Tensor (convert a tensor with t.detach().numpy())"),
    ((X, [[0.0] * 4] * 2), TypeError, "expected h_prev as a NumPy array of float32 or float64, got list"),
    ((X, np.zeros((2, 3))), ValueError, "expected h_prev of shape (N, H) = (2, 4), got (2, 3)"),
    ((X, np.zeros(4)), ValueError, "expected h_prev of shape (N, H) = (2, 4), got (4,)"),
    ((np.zeros(3), H), ValueError, "expected h_prev of shape (H,) for one unbatched x of shape (I,) = (4,), got (2, 4)"),
    ((np.zeros((2, 5)), H), ValueError, "expected x of shape (N, I) = (2, 3), got (2, 5)"),
    ((np.zeros(5), np.zeros(4)), ValueError, "expected x of shape (I,) = (3,), got (5,)"),
    ((np.zeros((1, 2, 3)), H), ValueError, "expected x of shape (I,) or (N, I) with I = 3, got rank 3 with shape (1, 2, 3)"),
    ((X, H.astype(np.float32)), TypeError, "expected h_prev of dtype float64 (the dtype of x), got float32"),
    ((X.astype(np.float32), H.astype(np.float32)), TypeError, "expected W_r of dtype float32 (the dtype of x), got float64"),
    ((np.array([[0.0, np.nan, 0.0]] * 2), H), ValueError,
     "expected x to hold only finite numbers, got 2 NaN or inf value(s), the first at index (0, 1): nan"),
    ((X, np.full((2, 4), np.inf)), ValueError, "expected h_prev to hold only finite numbers, got 8 NaN or inf value(s)"),
])
def test_gru_cell_inputs(args, error, message):
    _raises(error, message, lambda: gru_cell(*args, GATES))


@pytest.mark.parametrize("gates, error, message", [
    ([1, 2], TypeError, "expected gates as a dict of the notes' weights {W_r, W_z, W_h, U_r, ..., b_Uh} "
                        "(e.g. GRU(...).gates()), got list"),
    ({k: v for k, v in GATES.items() if k != "b_Uh"}, ValueError, "got a dict without ['b_Uh']"),
    (GATES | {"U_z": np.zeros((3, 3))}, ValueError, "expected U_z of shape (H, H) with H = W_z.shape[0] = (4, 4), got (3, 3)"),
    (GATES | {"W_h": np.zeros((4, 2))}, ValueError, "expected W_h of shape (H, I) = (4, 3), got (4, 2)"),
    (GATES | {"b_z": np.zeros(5)}, ValueError, "expected b_z of shape (H,) with H = W_z.shape[0] = (4,), got (5,)"),
    (GATES | {"b_Uh": np.zeros(3)}, ValueError, "expected b_Uh of shape (H,) with H = W_h.shape[0] = (4,), got (3,)"),
    (GATES | {"W_r": np.zeros(4)}, ValueError, "expected W_r of shape (H, I), got rank 1 with shape (4,)"),
    (GATES | {"U_h": GATES["U_h"].astype(np.float32)}, TypeError, "expected U_h of dtype float64 (the dtype of x), got float32"),
    (GATES | {"b_r": [0.0] * 4}, TypeError, "expected b_r as a NumPy array of float32 or float64, got list"),
])
def test_gru_cell_gates(gates, error, message):
    _raises(error, message, lambda: gru_cell(X, H, gates))


def test_gru_cell_update_convention():
    _raises(ValueError, "expected update to be one of ('notes', 'torch'), got 'keras'",
            lambda: gru_cell(X, H, GATES, update="keras"))


# ---- the four equations, called one by one -------------------------------------------------------

@pytest.mark.parametrize("call, error, message", [
    (lambda: reset_gate([1, 2, 3], np.zeros(4), W, U, B), TypeError,
     "expected x as a NumPy array of float32 or float64, got list"),
    (lambda: reset_gate(X, H, W, np.zeros((4, 3)), B), ValueError,
     "expected U_r of shape (H, H) with H = W_r.shape[0] = (4, 4), got (4, 3)"),
    (lambda: reset_gate(X, H, W, U, np.zeros((1, 4))), ValueError,
     "expected b_r of shape (H,) with H = W_r.shape[0] = (4,), got (1, 4)"),
    (lambda: reset_gate(X, np.zeros((2, 3)), W, U, B), ValueError, "expected h_prev of shape (N, H) = (2, 4), got (2, 3)"),
    (lambda: reset_gate(X, np.full((2, 4), np.nan), W, U, B), ValueError, "expected h_prev to hold only finite numbers"),
    (lambda: update_gate(X, [[0.0] * 4] * 2, W, U, B), TypeError,
     "expected h_prev as a NumPy array of float32 or float64, got list"),
    (lambda: update_gate(X, H, W.astype(np.float32), U, B), TypeError,
     "expected W_z of dtype float64 (the dtype of x), got float32"),
    (lambda: update_gate(np.array([[np.inf, 0, 0]] * 2), H, W, U, B), ValueError, "expected x to hold only finite numbers"),
    (lambda: candidate(X, H, np.zeros(4), W, U, B), ValueError, "expected r of shape the shape of h_prev = (2, 4), got (4,)"),
    (lambda: candidate(X, H, np.full((2, 4), np.nan), W, U, B), ValueError, "expected r to hold only finite numbers"),
    (lambda: candidate(X, H, [[0.5] * 4] * 2, W, U, B), TypeError,
     "expected r as a NumPy array of float32 or float64, got list"),
    (lambda: candidate(X, H, H.astype(np.float32), W, U, B), TypeError,
     "expected r of dtype float64 (the dtype of h_prev), got float32"),
    (lambda: candidate(X, H, H, W, U, B, np.zeros(3)), ValueError,
     "expected b_Uh of shape (H,) with H = W_h.shape[0] = (4,), got (3,)"),
    (lambda: candidate(X, H, H, W, U, B, float("nan")), ValueError, "expected b_Uh to be a finite number, got nan"),
    (lambda: candidate(X, H, H, W, U, B, "0"), TypeError,
     "expected b_Uh as a number or a NumPy array of float32 or float64, got str"),
    (lambda: candidate(X, H, H, np.zeros((4, 2)), U, B), ValueError, "expected x of shape (N, I) = (2, 2), got (2, 3)"),
    (lambda: new_state(H, np.zeros((2, 3)), H), ValueError, "expected h_cand of shape the shape of h_prev = (2, 4), got (2, 3)"),
    (lambda: new_state(H, H, np.full((2, 4), np.nan)), ValueError, "expected z to hold only finite numbers"),
    (lambda: new_state(H, H, 0.5), TypeError, "expected z as a NumPy array of float32 or float64, got float"),
    (lambda: new_state([0.0], np.zeros(1), np.zeros(1)), TypeError,
     "expected h_prev as a NumPy array of float32 or float64, got list"),
    (lambda: new_state(H, H.astype(np.float32), H), TypeError,
     "expected h_cand of dtype float64 (the dtype of h_prev), got float32"),
    (lambda: new_state(np.array([np.inf]), np.zeros(1), np.zeros(1)), ValueError,
     "expected h_prev to hold only finite numbers"),
    (lambda: new_state(H, H, H, update=["notes"]), ValueError, "expected update to be one of ('notes', 'torch'), got ['notes']"),
])
def test_equations(call, error, message):
    _raises(error, message, call)


def test_the_equations_still_take_one_example_and_a_number_for_b_Uh():
    x, h = np.ones(3), np.zeros(4)
    r = reset_gate(x, h, W, U, B)
    assert r.shape == (4,)
    assert candidate(x, h, r, GATES["W_h"], GATES["U_h"], GATES["b_h"], 0.0).shape == (4,)
    assert candidate(x, h, r, GATES["W_h"], GATES["U_h"], GATES["b_h"], 1).shape == (4,)
    assert new_state(h, r, r, update="torch").shape == (4,)
    x32, h32 = x.astype(np.float32), h.astype(np.float32)
    g32 = {k: v.astype(np.float32) for k, v in GATES.items()}
    assert gru_cell(x32, h32, g32).dtype == np.float32


# ---- gru_sequence: checked once, weights' values included ------------------------------------------

@pytest.mark.parametrize("x, h0, gates, error, message", [
    (np.zeros(3), np.zeros(4), GATES, ValueError, "expected x of shape (T, I) or (T, N, I) with I = 3, got rank 1 with shape (3,)"),
    (np.zeros((5, 2, 2)), H, GATES, ValueError, "expected x of shape (T, N, I) with I = W_r.shape[1] = (5, 2, 3), got (5, 2, 2)"),
    (np.zeros((0, 2, 3)), H, GATES, ValueError, "expected at least one time step in x (T, N, I), got shape (0, 2, 3)"),
    (np.zeros((5, 2, 3)), np.zeros(4), GATES, ValueError, "expected h0 of shape (N, H) = (2, 4), got (4,)"),
    (np.zeros((5, 3)), H, GATES, ValueError, "expected h0 of shape (H,) for one unbatched sequence x of shape (T, I) = (4,), got (2, 4)"),
    (np.full((5, 2, 3), np.nan), H, GATES, ValueError, "expected x to hold only finite numbers, got 30 NaN or inf value(s)"),
    (np.zeros((5, 2, 3)), H, GATES | {"U_h": np.full((4, 4), np.inf)}, ValueError, "expected U_h to hold only finite numbers"),
    (np.zeros((5, 2, 3)), H, GATES | {"b_Uh": np.full(4, np.nan)}, ValueError, "expected b_Uh to hold only finite numbers"),
    (np.zeros((5, 2, 3)), H.astype(np.float32), GATES, TypeError, "expected h0 of dtype float64 (the dtype of x), got float32"),
    ([[0.0] * 3] * 5, np.zeros(4), GATES, TypeError, "expected x as a NumPy array of float32 or float64, got list"),
    (np.zeros((5, 2, 3)), H, "gates", TypeError, "expected gates as a dict of the notes' weights"),
])
def test_gru_sequence(x, h0, gates, error, message):
    _raises(error, message, lambda: gru_sequence(x, h0, gates))


def test_gru_sequence_checks_once_and_its_steps_skip_their_checks(monkeypatch):
    import gru_lesson.cell as cell
    calls = []
    checks = {"_check_cell": cell._check_cell, "check_step": cell.check_step}
    monkeypatch.setattr(cell, "_check_cell", lambda *a: calls.append("cell") or checks["_check_cell"](*a))
    x = np.random.default_rng(0).standard_normal((7, 2, 3))
    states = gru_sequence(x, H, GATES)
    assert states.shape == (7, 2, 4)
    assert calls == ["cell"]                               # once for the sequence (step 0's shapes), not once per step
    assert not _validation.already_checked()


def test_an_error_inside_a_checked_block_leaves_later_calls_checked():
    with pytest.raises(ValueError):
        gru_cell(X, H, GATES | {"b_z": np.zeros(5)})
    assert not _validation.already_checked()
    with pytest.raises(ValueError, match="expected h_prev to hold only finite numbers"):
        reset_gate(X, np.full((2, 4), np.nan), W, U, B)


# ---- sigmoid, tanh, g: numbers in, anything else refused -------------------------------------------

NOT_NUMBERS = [("0.5", "str"), (None, "NoneType"), ({"a": 1}, "dict"), (True, "bool"),
               ([[1.0, 2.0], [3.0]], "list [[1.0, 2.0], [3.0]]"), (["a"], "list"),
               (torch.zeros(2), "Tensor (convert a tensor with t.detach().numpy())")]


@pytest.mark.parametrize("function", [sigmoid, tanh, g, log_g], ids=lambda f: f.__name__)
@pytest.mark.parametrize("value, got", NOT_NUMBERS)
def test_elementwise_functions_refuse_what_is_not_numbers(function, value, got):
    _raises(TypeError, f"expected a as a number or a NumPy array of numbers, got {got}", lambda: function(value))


@pytest.mark.parametrize("function", [g, log_g], ids=lambda f: f.__name__)
@pytest.mark.parametrize("value, got", [(np.array(["a"]), "an array of dtype <U1"),
                                        (np.array([1j]), "an array of dtype complex128")])
def test_g_refuses_arrays_that_are_not_numbers(function, value, got):
    """(σ and tanh run inside the fused layer at every step: an array costs them one type test, no more.)"""
    _raises(TypeError, f"expected a as a number or a NumPy array of numbers, got {got}", lambda: function(value))


@pytest.mark.parametrize("function", [sigmoid, tanh, g, log_g], ids=lambda f: f.__name__)
def test_elementwise_functions_take_numbers_lists_and_integers(function):
    for value in (0.5, 2, np.float32(0.5), [0.5, 1.0], np.array([1, 2])):
        assert np.all(np.isfinite(function(value)))
    assert function(np.zeros(3, np.float32)).dtype == np.float32


def test_the_fused_layer_never_takes_the_slow_path(monkeypatch):
    """GRU's forward pass (direction.py, σ and tanh at every step) never calls a check beyond a type test."""
    def refuse(*args, **kwargs):
        raise AssertionError("a per-step check ran inside the fused layer")

    for name in ("as_real_array", "check_step", "check_like", "finite_float_array"):
        monkeypatch.setattr(_validation, name, refuse)
    import gru_lesson.activations as activations
    monkeypatch.setattr(activations, "as_real_array", refuse)
    gru = GRU(3, 4, num_layers=2, bidirectional=True)
    output, _ = gru(np.zeros((5, 2, 3)))
    gru.backward(np.ones_like(output))


# ---- readout ---------------------------------------------------------------------------------------

@pytest.mark.parametrize("call, error, message", [
    (lambda head: head([[0.0] * 4]), TypeError, "expected h as a NumPy array of float32 or float64, got list"),
    (lambda head: head(np.zeros(4)), ValueError, "expected h of shape (N, in_features) with in_features = 4, got rank 1 with shape (4,)"),
    (lambda head: head(np.zeros((3, 5))), ValueError, "expected h of shape (N, in_features) = (3, 4), got (3, 5)"),
    (lambda head: head(np.full((3, 4), np.nan)), ValueError, "expected h to hold only finite numbers, got 12 NaN or inf value(s)"),
    (lambda head: head(np.zeros((3, 4), np.float32)), TypeError, "expected h of dtype float64 (the dtype of the readout's weight), got float32"),
    (lambda head: head.backward(np.zeros((3, 2))), ValueError, "expected a forward call before backward()"),
])
def test_linear_forward(call, error, message):
    _raises(error, message, lambda: call(Linear(4, 2)))


@pytest.mark.parametrize("grad_y, error, message", [
    (np.zeros((3, 1)), ValueError, "expected grad_y of shape (N, out_features) of the last call = (3, 2), got (3, 1)"),
    (np.full((3, 2), np.nan), ValueError, "expected grad_y to hold only finite numbers"),
    ([[0.0, 0.0]] * 3, TypeError, "expected grad_y as a NumPy array of float32 or float64, got list"),
    (np.zeros((3, 2), np.float32), TypeError, "expected grad_y of dtype float64 (the dtype of h), got float32"),
])
def test_linear_backward(grad_y, error, message):
    head = Linear(4, 2)
    head(np.zeros((3, 4)))
    _raises(error, message, lambda: head.backward(grad_y))


@pytest.mark.parametrize("kwargs, error, message", [
    (dict(in_features=0, out_features=2), ValueError, "expected in_features to be a positive integer, got 0"),
    (dict(in_features=2, out_features=1.5), ValueError, "expected out_features to be a positive integer, got 1.5"),
    (dict(in_features=2, out_features=2, dtype=np.int32), TypeError, "expected dtype float32 or float64, got int32"),
])
def test_linear_construction(kwargs, error, message):
    _raises(error, message, lambda: Linear(**kwargs))


@pytest.mark.parametrize("prediction, target, error, message", [
    ([1.0], np.zeros(1), TypeError, "expected prediction as a NumPy array of float32 or float64, got list"),
    (np.zeros((2, 1)), np.zeros(2), ValueError, "expected target of shape the shape of prediction = (2, 1), got (2,)"),
    (np.zeros(2), np.array([0.0, np.nan]), ValueError, "expected target to hold only finite numbers"),
    (np.array([np.inf, 0.0]), np.zeros(2), ValueError, "expected prediction to hold only finite numbers"),
    (np.zeros(2), np.zeros(2, np.float32), TypeError, "expected target of dtype float64 (the dtype of prediction), got float32"),
])
def test_mse_loss(prediction, target, error, message):
    _raises(error, message, lambda: mse_loss(prediction, target))


# ---- optimisers --------------------------------------------------------------------------------------

@pytest.mark.parametrize("make, error, message", [
    (lambda: SGD([np.zeros(2)], lr=0.1), TypeError, "expected params as a dict {name: NumPy array} (e.g. gru.params), got list"),
    (lambda: Adam({}), ValueError, "expected params with at least one parameter, got an empty dict"),
    (lambda: SGD({"w": np.zeros(2, int)}, lr=0.1), TypeError, "expected params['w'] of dtype float32 or float64, got int64"),
    (lambda: Adam({"w": [0.0]}), TypeError, "expected params['w'] as a NumPy array of float32 or float64, got list"),
    (lambda: Adam({"w": np.zeros(2)}, betas=0.9), ValueError, "expected betas as a pair (β1, β2), got 0.9"),
])
def test_optimiser_construction(make, error, message):
    _raises(error, message, make)


@pytest.mark.parametrize("optimiser", [lambda p: SGD(p, lr=0.1, momentum=0.9), lambda p: Adam(p)])
@pytest.mark.parametrize("grads, error, message", [
    ([np.zeros(2)], TypeError, "expected grads as a dict {name: NumPy array} (e.g. gru.backward(...)), got list"),
    ({"w": [0.0, 0.0]}, TypeError, "expected the gradient of 'w' as a NumPy array of float32 or float64, got list"),
    ({"w": np.array([0.0, np.nan])}, ValueError, "expected the gradient of 'w' to hold only finite numbers"),
    ({"w": np.zeros(2, np.float32)}, TypeError, "expected the gradient of 'w' of dtype float64 (the dtype of the parameter), got float32"),
    ({"w": np.zeros(2), "v": np.zeros(3)}, ValueError, "expected the gradient of 'v' of shape (2,), got (3,)"),
])
def test_optimiser_step_refuses_bad_gradients_and_changes_nothing(optimiser, grads, error, message):
    params = {"w": np.ones(2), "v": np.ones(2)}
    opt = optimiser(params)
    opt.step({"w": np.full(2, 0.5), "v": np.full(2, 0.5)})
    before = {k: v.copy() for k, v in params.items()}
    state = getattr(opt, "k", None)
    _raises(error, message, lambda: opt.step(grads))
    for name in params:
        np.testing.assert_array_equal(params[name], before[name])
    assert getattr(opt, "k", None) == state


# ---- minGRU and the vanilla RNN ---------------------------------------------------------------------

@pytest.mark.parametrize("call, error, message", [
    (lambda: MinGRU(3, 4, dtype=np.int64), TypeError, "expected dtype float32 or float64, got int64"),
    (lambda: MinGRU(3, 4).loop([[[0.0] * 3]]), TypeError, "expected x as a NumPy array of float32 or float64, got list"),
    (lambda: MinGRU(3, 4).scan(np.full((2, 1, 3), np.nan)), ValueError, "expected x to hold only finite numbers"),
    (lambda: MinGRU(3, 4).loop(np.zeros((2, 1, 3)), np.zeros((1, 4), np.float32)), TypeError,
     "expected h0 of dtype float64 (the dtype of x), got float32"),
    (lambda: MinGRU(3, 4).scan(np.zeros((2, 1, 3)), np.full((1, 4), np.nan)), ValueError, "expected h0 to hold only finite numbers"),
    (lambda: rnn_step(np.zeros(3), np.zeros(4), W.astype(np.float32), U, B), TypeError,
     "expected W of dtype float64 (the dtype of x), got float32"),
    (lambda: rnn_step([0.0] * 3, np.zeros(4), W, U, B), TypeError, "expected x as a NumPy array of float32 or float64, got list"),
    (lambda: rnn_sequence(np.zeros((5, 3)), W, U, B, np.zeros(4, np.float32)), TypeError,
     "expected h0 of dtype float64 (the dtype of x), got float32"),
    (lambda: rnn_sequence(np.zeros((5, 3), np.float32), W, U, B), TypeError,
     "expected W of dtype float32 (the dtype of x), got float64"),
])
def test_min_gru_and_vanilla_rnn(call, error, message):
    _raises(error, message, call)

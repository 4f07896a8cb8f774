"""The checkers of chapter 5: right answers pass, each named mistake is recognised and explained."""

from __future__ import annotations

import numpy as np
import pytest
import torch

from gru_lesson import GRU
from gru_lesson.exercises.ch05_layer_vs_torch import (
    SHAPE_CONFIG,
    X_SHAPE,
    check_final_state,
    check_shapes,
    check_split,
    exercise2_inputs,
)


# ---------------------------------------------------------------- exercise 1: check_split

@pytest.fixture
def weight_ih():
    """The notebook's exercise: torch.nn.GRU(input_size=5, hidden_size=3) after torch.manual_seed(5)."""
    torch.manual_seed(5)
    return torch.nn.GRU(input_size=5, hidden_size=3).weight_ih_l0       # (3H, I) = (9, 5), requires grad


def test_split_right_answer_numpy_and_tensor(weight_ih):
    w = weight_ih.detach().numpy()
    assert check_split(w, w[:3], w[3:6], w[6:])
    assert "Correct" in str(check_split(w, w[:3], w[3:6], w[6:]))
    # slicing the parameter itself (a tensor that requires grad) is accepted too
    assert check_split(weight_ih, weight_ih[:3], weight_ih[3:6], weight_ih[6:])


def test_split_matches_the_layers_gates():
    torch.manual_seed(5)
    module = torch.nn.GRU(input_size=5, hidden_size=3)
    gates = GRU.from_torch(module).gates()
    assert check_split(module.weight_ih_l0, gates["W_r"], gates["W_z"], gates["W_h"])


@pytest.mark.parametrize("missing", [0, 1, 2])
def test_split_none(weight_ih, missing):
    w = weight_ih.detach().numpy()
    answers = [w[:3], w[3:6], w[6:]]
    answers[missing] = None
    verdict = check_split(w, *answers)
    assert not verdict
    assert f"{['W_r', 'W_z', 'W_h'][missing]} is still None" in str(verdict)


def test_split_onnx_order(weight_ih):
    w = weight_ih.detach().numpy()
    verdict = check_split(w, w[3:6], w[:3], w[6:])
    assert not verdict
    assert "order z, r, h" in str(verdict) and "ONNX" in str(verdict)


def test_split_transposed(weight_ih):
    w = weight_ih.detach().numpy()
    verdict = check_split(w, w[:3].T, w[3:6].T, w[6:].T)
    assert not verdict
    assert "transposed" in str(verdict) and "W_r" in str(verdict)


def test_split_columns(weight_ih):
    w = weight_ih.detach().numpy()
    verdict = check_split(w, w[:, :3], w[:, 3:5], w[6:])
    assert not verdict
    assert "sliced the columns" in str(verdict)


def test_split_wrong_block(weight_ih):
    w = weight_ih.detach().numpy()
    verdict = check_split(w, w[:3], w[6:], w[3:6])                   # z and n swapped
    assert not verdict
    assert "W_z" in str(verdict) and "rows 6:9" in str(verdict) and "r, z, n" in str(verdict)


def test_split_wrong_shape_and_values(weight_ih):
    w = weight_ih.detach().numpy()
    verdict = check_split(w, w[:2], w[3:6], w[6:])
    assert not verdict and "shape (2, 5)" in str(verdict)
    verdict = check_split(w, w[:3], w[3:6], w[6:] + 1.0)
    assert not verdict and "differs" in str(verdict)
    verdict = check_split(w, "W_r", w[3:6], w[6:])
    assert not verdict and "array of numbers" in str(verdict)


def test_split_bad_question():
    with pytest.raises(ValueError, match=r"expected weight_ih of shape \(3H, I\)"):
        check_split(np.zeros((4, 5)), None, None, None)


# ---------------------------------------------------------------- exercise 2: check_final_state

def _h_n():
    gru, x = exercise2_inputs()
    return gru(x)[1]                                                   # (6, 2, 3)


def test_exercise2_inputs_are_deterministic_and_shaped():
    (gru_a, x_a), (gru_b, x_b) = exercise2_inputs(), exercise2_inputs()
    np.testing.assert_array_equal(x_a, x_b)
    assert x_a.shape == (5, 2, 4)
    assert gru_a.num_layers == 3 and gru_a.bidirectional and gru_a.hidden_size == 3
    for name in gru_a.params:
        np.testing.assert_array_equal(gru_a.params[name], gru_b.params[name])


def test_final_state_right_answer():
    h_n = _h_n()
    verdict = check_final_state(h_n[3])
    assert verdict and "Correct" in str(verdict)
    assert check_final_state(torch.from_numpy(h_n[3]))


def test_final_state_equals_a_separate_two_layer_run():
    """Row 3 really is layer 1's reverse state: rebuild layers 0 and 1 alone and compare."""
    gru, x = exercise2_inputs()
    two = GRU(gru.input_size, gru.hidden_size, num_layers=2, bidirectional=True)
    two.params = {k: v for k, v in gru.params.items() if "_l0" in k or "_l1" in k}
    assert check_final_state(two(x)[1][3])


@pytest.mark.parametrize("row, words", [
    (0, "count again"),
    (1, "numbers layers from 0"),
    (2, "forward direction comes first"),
    (4, "direction by direction"),
    (5, "LAST layer's reverse"),
])
def test_final_state_wrong_rows(row, words):
    verdict = check_final_state(_h_n()[row])
    assert not verdict
    assert f"h_n[{row}]" in str(verdict) and words in str(verdict)


def test_final_state_none_and_shape():
    verdict = check_final_state(None)
    assert not verdict and "still None" in str(verdict)
    verdict = check_final_state(_h_n()[2:4])
    assert not verdict and "shape (2, 2, 3)" in str(verdict)


# ---------------------------------------------------------------- exercise 3: check_shapes

def test_shapes_right_answer_and_matches_the_layer():
    output, h_n = GRU(**SHAPE_CONFIG)(np.zeros(X_SHAPE))
    verdict = check_shapes(output.shape, h_n.shape)
    assert verdict and "Correct" in str(verdict)
    assert check_shapes((4, 6, 10), (6, 4, 5))
    assert check_shapes(torch.Size([4, 6, 10]), [6, 4, 5])


def test_shapes_match_torch():
    module = torch.nn.GRU(**SHAPE_CONFIG)
    with torch.no_grad():
        output, h_n = module(torch.zeros(X_SHAPE))
    assert check_shapes(tuple(output.shape), tuple(h_n.shape))


@pytest.mark.parametrize("output_shape, words", [
    ((4, 6, 5), "left out D"),
    ((6, 4, 10), "time-major"),
    ((4, 6, 30), "LAST layer"),
    ((4, 6, 15), "L does not appear"),
    ((4, 6, 11), "work it out"),
])
def test_shapes_output_mistakes(output_shape, words):
    verdict = check_shapes(output_shape, (6, 4, 5))
    assert not verdict
    assert "output_shape" in str(verdict) and words in str(verdict)


@pytest.mark.parametrize("h_n_shape, words", [
    ((4, 6, 5), "batch_first does not apply to h_n"),
    ((3, 4, 5), "left out D"),
    ((2, 4, 5), "left out L"),
    ((6, 4, 10), "ONE direction"),
    ((2, 4, 10), "every layer"),
    ((1, 4, 5), "work it out"),
])
def test_shapes_h_n_mistakes(h_n_shape, words):
    verdict = check_shapes((4, 6, 10), h_n_shape)
    assert not verdict
    assert "h_n_shape" in str(verdict) and words in str(verdict)


@pytest.mark.parametrize("args, words", [
    ((None, (6, 4, 5)), "output_shape is still None"),
    (((4, 6, 10), None), "h_n_shape is still None"),
    (("abc", (6, 4, 5)), "tuple of whole numbers"),
    (((4, 6, 10), 7), "tuple of whole numbers"),
    (((4, 6.5, 10), (6, 4, 5)), "tuple of whole numbers"),
])
def test_shapes_bad_answers(args, words):
    verdict = check_shapes(*args)
    assert not verdict
    assert words in str(verdict)

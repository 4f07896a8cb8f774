"""Bad input gets a TypeError or ValueError that names what was expected and what arrived."""

from __future__ import annotations

import re

import numpy as np
import pytest
import torch

from gru_lesson import GRU, new_state, sigmoid


@pytest.fixture
def gru():
    return GRU(input_size=4, hidden_size=8, num_layers=1, bidirectional=True)


X = np.zeros((5, 3, 4))     # (T, N, I) = (5, 3, 4)


@pytest.mark.parametrize("x,error,message", [
    (np.zeros((2, 5, 3, 4)), ValueError,
     "expected x of rank 3 (T, N, I) or rank 2 (T, I) for one unbatched sequence, got rank 4 with shape (2, 5, 3, 4)"),
    (np.zeros(4), ValueError, "got rank 1 with shape (4,)"),
    (np.zeros((5, 3, 6)), ValueError, "expected x of shape (T, N, I) with I = input_size = 4, got (5, 3, 6)"),
    (np.zeros((5, 6)), ValueError, "expected x of shape (T, I) with I = input_size = 4, got (5, 6)"),
    (np.zeros((0, 3, 4)), ValueError, "expected at least one time step and one sequence in x (T, N, I), got shape (0, 3, 4)"),
    (np.zeros((5, 3, 4), dtype=np.int64), TypeError, "expected x of dtype float32 or float64, got int64"),
    (np.zeros((5, 3, 4), dtype=np.float16), TypeError, "expected x of dtype float32 or float64, got float16"),
    ([[0.0] * 4] * 5, TypeError, "expected x as a NumPy array of float32 or float64, got list"),
    (torch.zeros(5, 3, 4), TypeError, "got Tensor (convert a tensor with t.detach().numpy())"),
])
def test_bad_x(gru, x, error, message):
    with pytest.raises(error, match=re.escape(message)):
        gru(x)


@pytest.mark.parametrize("bad,where", [(np.nan, "(2, 1, 3)"), (np.inf, "(2, 1, 3)"), (-np.inf, "(2, 1, 3)")])
def test_non_finite_x(gru, bad, where):
    x = X.copy()
    x[2, 1, 3] = bad
    with pytest.raises(ValueError, match=re.escape(f"expected x to hold only finite numbers, got 1 NaN or inf value(s), the first at index {where}")):
        gru(x)


@pytest.mark.parametrize("h0,error,message", [
    (np.zeros((1, 3, 8)), ValueError, "expected h0 of shape (D*num_layers, N, H) = (2, 3, 8), got (1, 3, 8)"),
    (np.zeros((2, 8)), ValueError, "expected h0 of shape (D*num_layers, N, H) = (2, 3, 8), got (2, 8)"),
    (np.zeros((2, 3, 8), dtype=np.float32), TypeError, "expected h0 of dtype float64 (the dtype of x), got float32"),
    (np.zeros((2, 3, 8), dtype=np.int32), TypeError, "expected h0 of dtype float32 or float64, got int32"),
    (np.full((2, 3, 8), np.nan), ValueError, "expected h0 to hold only finite numbers, got 48 NaN or inf value(s)"),
])
def test_bad_h0(gru, h0, error, message):
    with pytest.raises(error, match=re.escape(message)):
        gru(X, h0)


def test_unbatched_h0_must_be_2d(gru):
    with pytest.raises(ValueError, match=re.escape("expected h0 of shape (D*num_layers, H) = (2, 8), got (2, 1, 8)")):
        gru(np.zeros((5, 4)), np.zeros((2, 1, 8)))


def test_batch_first_messages_use_its_layout():
    gru = GRU(4, 8, batch_first=True)
    with pytest.raises(ValueError, match=re.escape("expected x of shape (N, T, I) with I = input_size = 4, got (3, 5, 2)")):
        gru(np.zeros((3, 5, 2)))


@pytest.mark.parametrize("module", [torch.nn.LSTM(4, 8), torch.nn.GRUCell(4, 8), "GRU", None])
def test_from_torch_wants_a_torch_gru(module):
    with pytest.raises(TypeError, match=f"expected a torch.nn.GRU, got {type(module).__name__}"):
        GRU.from_torch(module)


def test_from_torch_refuses_half_precision():
    with pytest.raises(TypeError, match="expected weight_ih_l0 of dtype float32 or float64, got torch.float16"):
        GRU.from_torch(torch.nn.GRU(2, 3).half())


@pytest.mark.parametrize("kwargs,error,message", [
    (dict(input_size=0, hidden_size=3), ValueError, "expected input_size to be a positive integer, got 0"),
    (dict(input_size=2, hidden_size=2.5), ValueError, "expected hidden_size to be a positive integer, got 2.5"),
    (dict(input_size=2, hidden_size=3, num_layers=True), ValueError, "expected num_layers to be a positive integer, got True"),
    (dict(input_size=2, hidden_size=3, update="keras"), ValueError, "expected update to be one of ('notes', 'torch'), got 'keras'"),
    (dict(input_size=2, hidden_size=3, dtype=np.int32), TypeError, "expected dtype float32 or float64, got int32"),
])
def test_bad_construction(kwargs, error, message):
    with pytest.raises(error, match=re.escape(message)):
        GRU(**kwargs)


def test_bad_update_convention_in_equations():
    with pytest.raises(ValueError, match=re.escape("expected update to be one of ('notes', 'torch'), got 'cho'")):
        new_state(np.zeros(2), np.zeros(2), np.zeros(2), update="cho")
    with pytest.raises(ValueError, match=re.escape("expected update to be one of ('notes', 'torch'), got 'x'")):
        GRU(2, 3).with_update("x")


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_sigmoid_saturates_without_warning_and_keeps_dtype(dtype):
    s = sigmoid(np.array([-1e4, -100.0, 0.0, 100.0, 1e4], dtype=dtype))  # warnings are errors in this suite
    assert s.dtype == dtype
    np.testing.assert_array_equal(s[[0, 2, 4]], np.array([0.0, 0.5, 1.0], dtype=dtype))

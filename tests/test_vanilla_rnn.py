"""gru_lesson.vanilla_rnn: the ungated RNN, against a hand-written step and torch.nn.RNN (float64)."""

from __future__ import annotations

import numpy as np
import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st

from gru_lesson.vanilla_rnn import rnn_sequence, rnn_step


def _weights(I: int, H: int, seed: int = 0, dtype: type = np.float64) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    W = rng.normal(size=(H, I))                          # (H, I)
    U = rng.normal(size=(H, H)) / np.sqrt(H)             # (H, H)
    b = rng.normal(size=H)                               # (H,)
    return W.astype(dtype), U.astype(dtype), b.astype(dtype)


def test_step_is_the_equation_unbatched() -> None:
    W, U, b = _weights(3, 5)
    rng = np.random.default_rng(1)
    x, h = rng.normal(size=3), rng.normal(size=5)
    # h_t = tanh(W x_t + U h_{t-1} + b), in column-vector form
    np.testing.assert_allclose(rnn_step(x, h, W, U, b), np.tanh(W @ x + U @ h + b), rtol=1e-14, atol=1e-15)


def test_step_batched_equals_each_example() -> None:
    W, U, b = _weights(3, 5)
    rng = np.random.default_rng(2)
    x, h = rng.normal(size=(4, 3)), rng.normal(size=(4, 5))
    batched = rnn_step(x, h, W, U, b)
    assert batched.shape == (4, 5)
    for n in range(4):
        np.testing.assert_allclose(batched[n], rnn_step(x[n], h[n], W, U, b), rtol=1e-14, atol=1e-15)


def test_step_keeps_float32() -> None:
    W, U, b = _weights(3, 5, dtype=np.float32)
    out = rnn_step(np.ones(3, np.float32), np.zeros(5, np.float32), W, U, b)
    assert out.dtype == np.float32


@pytest.mark.parametrize("batched", [False, True])
@pytest.mark.parametrize("with_h0", [False, True])
def test_sequence_matches_torch_rnn(batched: bool, with_h0: bool) -> None:
    torch.manual_seed(0)
    T, N, I, H = 7, 3, 4, 6
    module = torch.nn.RNN(I, H, nonlinearity="tanh").double()
    W = module.weight_ih_l0.detach().numpy()
    U = module.weight_hh_l0.detach().numpy()
    b = (module.bias_ih_l0 + module.bias_hh_l0).detach().numpy()
    rng = np.random.default_rng(3)
    x = rng.normal(size=(T, N, I) if batched else (T, I))
    h0 = rng.normal(size=(N, H) if batched else (H,)) if with_h0 else None
    ours = rnn_sequence(x, W, U, b, h0)
    with torch.no_grad():
        args = (torch.from_numpy(x),) if h0 is None else (torch.from_numpy(x), torch.from_numpy(h0[None]))
        theirs, h_n = module(*args)
    np.testing.assert_allclose(ours, theirs.numpy(), rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(ours[-1], h_n.numpy()[0], rtol=1e-12, atol=1e-12)


def test_sequence_is_repeated_steps() -> None:
    W, U, b = _weights(2, 3)
    x = np.random.default_rng(4).normal(size=(5, 2))
    h = np.full(3, 0.1)
    states = rnn_sequence(x, W, U, b, h)
    for t in range(5):
        h = rnn_step(x[t], h, W, U, b)
        np.testing.assert_array_equal(states[t], h)


@settings(max_examples=30, deadline=None)
@given(T=st.integers(1, 5), N=st.integers(1, 4), I=st.integers(1, 5), H=st.integers(1, 5), batched=st.booleans())
def test_shapes_and_range(T: int, N: int, I: int, H: int, batched: bool) -> None:
    W, U, b = _weights(I, H, seed=T + N)
    x = np.random.default_rng(5).normal(size=(T, N, I) if batched else (T, I))
    states = rnn_sequence(x, W, U, b)
    assert states.shape == ((T, N, H) if batched else (T, H))
    assert np.all(np.abs(states) <= 1.0)    # tanh keeps every state in [−1, 1]


# ---- bad input: every message says what was expected and what arrived ----

def test_bad_weight_shapes() -> None:
    W, U, b = _weights(3, 4)
    x, h = np.zeros(3), np.zeros(4)
    with pytest.raises(ValueError, match=r"expected U of shape \(H, H\) with H = W.shape\[0\] = \(4, 4\), got \(3, 3\)"):
        rnn_step(x, h, W, np.zeros((3, 3)), b)
    with pytest.raises(ValueError, match=r"expected b of shape \(H,\) with H = W.shape\[0\] = \(4,\), got \(3,\)"):
        rnn_step(x, h, W, U, np.zeros(3))
    with pytest.raises(ValueError, match=r"expected W of shape \(H, I\), got rank 1"):
        rnn_step(x, h, np.zeros(4), U, b)


def test_bad_step_inputs() -> None:
    W, U, b = _weights(3, 4)
    with pytest.raises(ValueError, match=r"expected x of shape \(I,\) = \(3,\), got \(2,\)"):
        rnn_step(np.zeros(2), np.zeros(4), W, U, b)
    with pytest.raises(ValueError, match=r"expected h_prev of shape \(N, H\) = \(2, 4\), got \(3, 4\)"):
        rnn_step(np.zeros((2, 3)), np.zeros((3, 4)), W, U, b)
    with pytest.raises(ValueError, match=r"expected h_prev of shape \(H,\) for one unbatched x"):
        rnn_step(np.zeros(3), np.zeros((1, 4)), W, U, b)
    with pytest.raises(ValueError, match=r"got rank 3"):
        rnn_step(np.zeros((1, 2, 3)), np.zeros(4), W, U, b)
    with pytest.raises(TypeError, match=r"expected x as a NumPy array.*t.detach\(\).numpy\(\)"):
        rnn_step(torch.zeros(3), np.zeros(4), W, U, b)
    with pytest.raises(TypeError, match=r"expected h_prev of dtype float32 or float64, got int64"):
        rnn_step(np.zeros(3), np.zeros(4, dtype=np.int64), W, U, b)
    with pytest.raises(ValueError, match=r"expected h_prev to hold only finite numbers, got 1 NaN"):
        rnn_step(np.zeros(3), np.array([0.0, np.nan, 0.0, 0.0]), W, U, b)
    with pytest.raises(ValueError, match=r"expected U to hold only finite numbers"):
        rnn_step(np.zeros(3), np.zeros(4), W, np.full((4, 4), np.inf), b)


def test_bad_sequence_inputs() -> None:
    W, U, b = _weights(3, 4)
    with pytest.raises(ValueError, match=r"expected x of shape \(T, I\) = \(5, 3\), got \(5, 2\)"):
        rnn_sequence(np.zeros((5, 2)), W, U, b)
    with pytest.raises(ValueError, match=r"expected x of shape \(T, I\) or \(T, N, I\) with I = 3, got rank 1"):
        rnn_sequence(np.zeros(3), W, U, b)
    with pytest.raises(ValueError, match=r"expected at least one time step"):
        rnn_sequence(np.zeros((0, 3)), W, U, b)
    with pytest.raises(ValueError, match=r"expected h0 of shape \(N, H\) = \(2, 4\), got \(4,\)"):
        rnn_sequence(np.zeros((5, 2, 3)), W, U, b, np.zeros(4))
    with pytest.raises(ValueError, match=r"expected h0 of shape \(H,\) for one unbatched sequence"):
        rnn_sequence(np.zeros((5, 3)), W, U, b, np.zeros((1, 4)))
    with pytest.raises(ValueError, match=r"expected x to hold only finite numbers"):
        rnn_sequence(np.full((5, 3), np.nan), W, U, b)

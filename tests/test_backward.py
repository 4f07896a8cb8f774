"""GRU.backward: against torch autograd (float64, rtol = atol = 1e-10), against central finite
differences (norm-based relative error <= 1e-7, also for the reset-before form torch cannot compute),
and its errors."""

from __future__ import annotations

import itertools
import re

import numpy as np
import pytest
import torch

from conftest import make_case
from gru_lesson import GRU

CONFIGS = [
    dict(num_layers=L, bidirectional=bi, batch_first=bf, bias=bias, with_h0=h0, unbatched=unb)
    for L, bi, bf, bias, h0, unb in itertools.product([1, 2, 3], [False, True], [False, True],
                                                      [True, False], [True, False], [False, True])
    if not (unb and bf)
]


def autograd(module, x, h0, grad_output, grad_h_n):
    """torch's gradients of sum(output * grad_output) + sum(h_n * grad_h_n), keyed like GRU.backward's."""
    module.zero_grad()
    x_t = torch.tensor(x, requires_grad=True)
    h0_t = torch.zeros(grad_h_n.shape, dtype=x_t.dtype, requires_grad=True) if h0 is None else torch.tensor(h0, requires_grad=True)
    output, h_n = module(x_t, h0_t)
    ((output * torch.from_numpy(grad_output)).sum() + (h_n * torch.from_numpy(grad_h_n)).sum()).backward()
    grads = {name: p.grad.numpy() for name, p in module.named_parameters()}
    return grads | {"input": x_t.grad.numpy(), "h0": h0_t.grad.numpy()}


@pytest.mark.parametrize("config", CONFIGS, ids=lambda c: "-".join(f"{k}={v}" for k, v in c.items()))
def test_matches_autograd(config):
    module, x, h0 = make_case(**config)
    gru = GRU.from_torch(module)
    output, h_n = gru(x, h0)
    rng = np.random.default_rng(1)
    grad_output, grad_h_n = rng.standard_normal(output.shape), rng.standard_normal(h_n.shape)
    ours = gru.backward(grad_output, grad_h_n)
    theirs = autograd(module, x, h0, grad_output, grad_h_n)
    assert list(ours) == list(theirs)
    for name in theirs:
        np.testing.assert_allclose(ours[name], theirs[name], rtol=1e-10, atol=1e-10, err_msg=name)


def test_grad_h_n_defaults_to_zero():
    module, x, h0 = make_case(num_layers=2, bidirectional=True)
    gru = GRU.from_torch(module)
    output, h_n = gru(x, h0)
    grad_output = np.random.default_rng(2).standard_normal(output.shape)
    ours = gru.backward(grad_output)
    theirs = autograd(module, x, h0, grad_output, np.zeros(h_n.shape))
    for name in theirs:
        np.testing.assert_allclose(ours[name], theirs[name], rtol=1e-10, atol=1e-10, err_msg=name)


def test_float32_gradients_stay_float32_and_close():
    module, x, h0 = make_case(dtype=torch.float32, num_layers=2)
    gru = GRU.from_torch(module)
    output, h_n = gru(x, h0)
    grad_output = np.ones_like(output)
    ours = gru.backward(grad_output)
    theirs = autograd(module, x, h0, grad_output, np.zeros_like(h_n))
    for name in theirs:
        assert ours[name].dtype == np.float32
        np.testing.assert_allclose(ours[name], theirs[name], rtol=1e-4, atol=1e-5, err_msg=name)


def loss(gru, x, h0, grad_output, grad_h_n):
    output, h_n = gru(x, h0)
    return float((output * grad_output).sum() + (h_n * grad_h_n).sum())


@pytest.mark.parametrize("reset_after", [False, True])
@pytest.mark.parametrize("update", ["notes", "torch"])
def test_matches_central_finite_differences(reset_after, update):
    gru = GRU(3, 4, num_layers=2, bidirectional=True, reset_after=reset_after, update=update, seed=5)
    rng = np.random.default_rng(3)
    x, h0 = rng.standard_normal((5, 2, 3)), rng.standard_normal((4, 2, 4))
    output, h_n = gru(x, h0)
    grad_output, grad_h_n = rng.standard_normal(output.shape), rng.standard_normal(h_n.shape)
    analytic = gru.backward(grad_output, grad_h_n)
    eps = 1e-6
    arrays = dict(gru.params) | {"input": x, "h0": h0}
    for name, array in arrays.items():
        numeric = np.zeros_like(array)
        for i in np.ndindex(array.shape):
            saved = array[i]
            array[i] = saved + eps
            up = loss(gru, x, h0, grad_output, grad_h_n)
            array[i] = saved - eps
            down = loss(gru, x, h0, grad_output, grad_h_n)
            array[i] = saved
            numeric[i] = (up - down) / (2 * eps)
        error = np.linalg.norm(analytic[name] - numeric) / max(np.linalg.norm(analytic[name]) + np.linalg.norm(numeric), 1e-300)
        assert error <= 1e-7, f"{name}: relative error {error:.2e}"


def test_backward_before_forward_is_a_clear_error():
    with pytest.raises(RuntimeError, match=re.escape("backward() needs a forward call first")):
        GRU(3, 4).backward(np.zeros((5, 2, 4)))
    with pytest.raises(ValueError):     # the same error is also a ValueError
        GRU(3, 4).backward(np.zeros((5, 2, 4)))


@pytest.mark.parametrize("reset_after", [True, False])
@pytest.mark.parametrize("lengths", [None, [5, 2, 4]])
def test_inference_without_a_tape_gives_the_same_output_and_forbids_backward(reset_after, lengths):
    gru = GRU(3, 4, num_layers=2, bidirectional=True, reset_after=reset_after, dtype=np.float32, seed=3)
    x = np.random.default_rng(3).standard_normal((5, 3, 3)).astype(np.float32)
    output, h_n = gru(x, lengths=lengths)
    fast_output, fast_h_n = gru(x, lengths=lengths, tape=False)
    # a packed batch runs the same loop (bit for bit); a full one the gate-major loop (to rounding)
    assert np.abs(output - fast_output).max() <= (0 if lengths else 1e-6)
    assert np.abs(h_n - fast_h_n).max() <= (0 if lengths else 1e-6)
    with pytest.raises(RuntimeError, match=re.escape("not tape=False")):
        gru.backward(np.zeros_like(output))
    with pytest.raises(TypeError, match="expected tape as True or False, got int 0"):
        gru(x, tape=0)


@pytest.mark.parametrize("grad_output,grad_h_n,error,message", [
    (np.zeros((5, 2, 3)), None, ValueError, "expected grad_output of shape the shape of the output = (5, 2, 8), got (5, 2, 3)"),
    (np.zeros((5, 2, 8)), np.zeros((1, 2, 4)), ValueError, "expected grad_h_n of shape the shape of h_n = (2, 2, 4), got (1, 2, 4)"),
    (np.zeros((5, 2, 8), dtype=int), None, TypeError, "expected grad_output of dtype float32 or float64, got int64"),
    ([[0.0]], None, TypeError, "expected grad_output as a NumPy array of float32 or float64, got list"),
    (np.full((5, 2, 8), np.nan), None, ValueError, "expected grad_output to hold only finite numbers"),
])
def test_bad_gradients(grad_output, grad_h_n, error, message):
    gru = GRU(3, 4, bidirectional=True)
    gru(np.zeros((5, 2, 3)))
    with pytest.raises(error, match=re.escape(message)):
        gru.backward(grad_output, grad_h_n)


def test_backward_uses_the_latest_forward_call():
    gru = GRU(3, 4)
    gru(np.ones((5, 2, 3)))
    gru(np.ones((7, 1, 3)))
    assert gru.backward(np.ones((7, 1, 4)))["input"].shape == (7, 1, 3)


def test_changing_the_weights_after_forward_does_not_change_the_gradients():
    gru = GRU(3, 4, seed=1)
    x = np.random.default_rng(0).standard_normal((5, 2, 3))
    gru(x)
    before = gru.backward(np.ones((5, 2, 4)))
    gru(x)
    gru.params["weight_ih_l0"] += 0.5        # e.g. an optimiser step between forward and backward
    gru.params["weight_hh_l0"] *= 2
    after = gru.backward(np.ones((5, 2, 4)))
    for name in before:
        np.testing.assert_array_equal(after[name], before[name])

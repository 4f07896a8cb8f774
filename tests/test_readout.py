"""readout.Linear, readout.mse_loss and readout.key_nll against torch autograd, float64, rtol = atol = 1e-10."""

from __future__ import annotations

import re

import numpy as np
import pytest
import torch

from gru_lesson.readout import Linear, key_nll, mse_loss

TOL = dict(rtol=1e-10, atol=1e-10)
SHAPES = [(1, 1, 1), (2, 3, 1), (5, 4, 3), (7, 1, 2), (3, 16, 4)]      # (N, H, O)


def _pair(H: int, O: int, seed: int) -> tuple[Linear, torch.nn.Linear]:
    """Our Linear and torch's, float64, with the same weight and bias."""
    torch.manual_seed(seed)
    module = torch.nn.Linear(H, O).double()
    return Linear.from_torch(module), module


@pytest.mark.parametrize("N, H, O", SHAPES)
def test_linear_forward_and_backward_match_autograd(N, H, O):
    head, module = _pair(H, O, seed=N + H + O)
    rng = np.random.default_rng(N * 100 + H * 10 + O)
    h, grad_y = rng.standard_normal((N, H)), rng.standard_normal((N, O))
    y = head(h)
    h_t = torch.tensor(h, requires_grad=True)
    y_t = module(h_t)
    (y_t * torch.from_numpy(grad_y)).sum().backward()      # a loss whose ∂L/∂ŷ is grad_y
    assert y.shape == (N, O) and y.dtype == np.float64
    np.testing.assert_allclose(y, y_t.detach().numpy(), **TOL)
    grads = head.backward(grad_y)
    assert sorted(grads) == ["bias", "input", "weight"]
    np.testing.assert_allclose(grads["weight"], module.weight.grad.numpy(), err_msg="weight", **TOL)
    np.testing.assert_allclose(grads["bias"], module.bias.grad.numpy(), err_msg="bias", **TOL)
    np.testing.assert_allclose(grads["input"], h_t.grad.numpy(), err_msg="input", **TOL)


def test_bias_gradient_is_the_sum_over_the_batch_not_the_mean():
    """With ∂L/∂ŷ = 1 for every row, ∂b is the number of rows N (a mean would give 1)."""
    head = Linear(3, 2)
    head(np.zeros((4, 3)))
    np.testing.assert_array_equal(head.backward(np.ones((4, 2)))["bias"], [4.0, 4.0])


@pytest.mark.parametrize("shape", [(1,), (4, 1), (3, 2), (2, 3, 4)])
def test_mse_loss_value_and_gradient_match_autograd(shape):
    rng = np.random.default_rng(len(shape) + shape[0])
    prediction, target = rng.standard_normal(shape), rng.standard_normal(shape)
    loss, grad = mse_loss(prediction, target)
    p_t = torch.tensor(prediction, requires_grad=True)
    l_t = torch.nn.functional.mse_loss(p_t, torch.from_numpy(target))
    l_t.backward()
    assert isinstance(loss, float) and grad.shape == shape
    np.testing.assert_allclose(loss, l_t.item(), **TOL)
    np.testing.assert_allclose(grad, p_t.grad.numpy(), **TOL)


@pytest.mark.parametrize("N, H, O", SHAPES[1:])
def test_readout_and_loss_chain_like_autograd(N, H, O):
    """ŷ = W h + b, L = mse(ŷ, y): every gradient of the chain, by hand, equals torch's."""
    head, module = _pair(H, O, seed=7)
    rng = np.random.default_rng(7)
    h, y = rng.standard_normal((N, H)), rng.standard_normal((N, O))
    loss, grad_y = mse_loss(head(h), y)
    grads = head.backward(grad_y)
    h_t = torch.tensor(h, requires_grad=True)
    l_t = torch.nn.functional.mse_loss(module(h_t), torch.from_numpy(y))
    l_t.backward()
    np.testing.assert_allclose(loss, l_t.item(), **TOL)
    np.testing.assert_allclose(grads["weight"], module.weight.grad.numpy(), err_msg="weight", **TOL)
    np.testing.assert_allclose(grads["bias"], module.bias.grad.numpy(), err_msg="bias", **TOL)
    np.testing.assert_allclose(grads["input"], h_t.grad.numpy(), err_msg="input", **TOL)


def test_linear_initialisation_is_torchs_distribution_and_layout():
    head = Linear(25, 3, seed=1)
    assert head.params["weight"].shape == (3, 25) and head.params["bias"].shape == (3,)
    bound = 1 / np.sqrt(25)
    assert np.abs(head.params["weight"]).max() <= bound and np.abs(head.params["bias"]).max() <= bound
    assert Linear(4, 2, dtype=np.float32).params["weight"].dtype == np.float32


def test_key_nll_matches_torch_binary_cross_entropy_with_a_mask():
    """Chapter 15's loss and gradient equal autograd's: BCE with logits summed over keys, masked, / S."""
    rng = np.random.default_rng(3)
    logits = rng.normal(size=(6, 4, 88)) * 5                            # large logits: the stable form matters
    targets = (rng.random((6, 4, 88)) < 0.05).astype(float)
    mask = (np.arange(6)[:, None] < np.array([6, 2, 4, 1])).astype(float)   # lengths 6, 2, 4, 1
    loss, grad = key_nll(logits, targets, mask)
    a = torch.tensor(logits, requires_grad=True)
    per_key = torch.nn.functional.binary_cross_entropy_with_logits(a, torch.tensor(targets), reduction="none")
    expected = (per_key.sum(-1) * torch.tensor(mask)).sum() / mask.sum()
    expected.backward()
    assert abs(loss - expected.item()) < 1e-12
    np.testing.assert_allclose(grad, a.grad.numpy(), rtol=0, atol=1e-15)
    assert np.all(grad[mask == 0] == 0)                                 # padding gets no gradient


def test_key_nll_never_overflows_and_keeps_float32():
    loss, grad = key_nll(np.full((1, 1, 2), 800.0, np.float32), np.array([[[1.0, 0.0]]], np.float32), np.ones((1, 1)))
    assert np.isfinite(loss) and abs(loss - 800.0) < 1e-3 and grad.dtype == np.float32


@pytest.mark.parametrize("logits, targets, mask, message", [
    (np.zeros((2, 88)), np.zeros((2, 88)), np.ones(2), "shape (T, N, K)"),
    (np.zeros((2, 1, 88)), np.full((2, 1, 88), 0.5), np.ones((2, 1)), "0s and 1s"),
    (np.zeros((2, 1, 88)), np.zeros((2, 1, 88)), np.ones((1, 2)), "(T, N)"),
    (np.zeros((2, 1, 88)), np.zeros((2, 1, 88)), np.zeros((2, 1)), "at least one real step"),
    (np.full((2, 1, 88), np.nan), np.zeros((2, 1, 88)), np.ones((2, 1)), "finite"),
])
def test_key_nll_names_bad_input(logits, targets, mask, message):
    with pytest.raises(ValueError, match=re.escape(message)):
        key_nll(logits, targets, mask)

"""GRU.backward against torch autograd on every layout the forward pass accepts, float64, rtol = atol = 1e-10.

The layouts: (T, N, I); (N, T, I) with batch_first; one unbatched sequence (T, I), with
batch_first False AND True (torch ignores batch_first for unbatched input, and so must the
backward pass); each with and without bias, one or two directions, one or two layers, h0 given or not.
"""

from __future__ import annotations

import itertools

import numpy as np
import pytest
import torch

from conftest import make_case
from gru_lesson import GRU

LAYOUTS = {"time-major": (False, False), "batch-first": (True, False),
           "unbatched": (False, True), "unbatched-batch-first": (True, True)}     # (batch_first, unbatched)
CONFIGS = [
    dict(layout=layout, num_layers=L, bidirectional=bi, bias=bias, with_h0=h0)
    for layout, L, bi, bias, h0 in itertools.product(LAYOUTS, [1, 2], [False, True], [True, False], [True, False])
]


def _autograd(module, x, h0, grad_output, grad_h_n):
    """torch's gradients of sum(output * grad_output) + sum(h_n * grad_h_n), named like GRU.backward's."""
    module.zero_grad()
    x_t = torch.tensor(x, requires_grad=True)
    h0_t = torch.tensor(np.zeros(grad_h_n.shape) if h0 is None else h0, requires_grad=True)
    output, h_n = module(x_t, h0_t)
    ((output * torch.from_numpy(grad_output)).sum() + (h_n * torch.from_numpy(grad_h_n)).sum()).backward()
    return {name: p.grad.numpy() for name, p in module.named_parameters()} | {
        "input": x_t.grad.numpy(), "h0": h0_t.grad.numpy()}


@pytest.mark.parametrize("config", CONFIGS, ids=lambda c: "-".join(f"{k}={v}" for k, v in c.items()))
def test_backward_matches_autograd_on_every_layout(config):
    config = dict(config)
    batch_first, unbatched = LAYOUTS[config.pop("layout")]
    module, x, h0 = make_case(batch_first=batch_first, unbatched=unbatched, I=3, H=4, T=5, N=2, **config)
    gru = GRU.from_torch(module)
    assert gru.batch_first == batch_first
    output, h_n = gru(x, h0)
    rng = np.random.default_rng(11)
    grad_output, grad_h_n = rng.standard_normal(output.shape), rng.standard_normal(h_n.shape)
    ours = gru.backward(grad_output, grad_h_n)
    theirs = _autograd(module, x, h0, grad_output, grad_h_n)
    assert list(ours) == list(theirs)
    assert ours["input"].shape == x.shape and ours["h0"].shape == h_n.shape
    for name in theirs:
        np.testing.assert_allclose(ours[name], theirs[name], rtol=1e-10, atol=1e-10, err_msg=name)


@pytest.mark.parametrize("batch_first", [False, True])
def test_unbatched_backward_equals_a_batch_of_one(batch_first):
    """One sequence (T, I) gives the gradients of the same sequence as a batch of one, in either layout."""
    gru = GRU(3, 4, num_layers=2, bidirectional=True, batch_first=batch_first, seed=2)
    rng = np.random.default_rng(2)
    x, h0 = rng.standard_normal((5, 3)), rng.standard_normal((4, 4))
    output, h_n = gru(x, h0)
    grad_output, grad_h_n = rng.standard_normal(output.shape), rng.standard_normal(h_n.shape)
    single = gru.backward(grad_output, grad_h_n)
    batch_x = x[None] if batch_first else x[:, None]                              # (1, T, I) or (T, 1, I)
    batch_grad = grad_output[None] if batch_first else grad_output[:, None]
    gru(batch_x, h0[:, None])
    batched = gru.backward(batch_grad, grad_h_n[:, None])
    for name, value in single.items():
        other = batched[name]
        if name == "input":
            other = other[0] if batch_first else other[:, 0]
        elif name == "h0":
            other = other[:, 0]
        np.testing.assert_allclose(value, other, rtol=1e-12, atol=1e-12, err_msg=name)

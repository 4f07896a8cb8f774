"""gru_lesson.optim against torch.optim, step for step, and its errors."""

from __future__ import annotations

import re

import numpy as np
import pytest
import torch

from gru_lesson.optim import SGD, Adam


@pytest.mark.parametrize("ours,theirs,kwargs", [
    (SGD, torch.optim.SGD, dict(lr=0.1)),
    (SGD, torch.optim.SGD, dict(lr=0.05, momentum=0.9)),
    (Adam, torch.optim.Adam, dict(lr=0.01)),
    (Adam, torch.optim.Adam, dict(lr=0.003, betas=(0.8, 0.99), eps=1e-6)),
])
def test_same_steps_as_torch(ours, theirs, kwargs):
    rng = np.random.default_rng(0)
    params = {"w": rng.standard_normal((3, 4)), "b": rng.standard_normal(5)}
    tensors = {k: torch.tensor(v.copy(), requires_grad=True) for k, v in params.items()}
    mine, torchs = ours(params, **kwargs), theirs(list(tensors.values()), **kwargs)
    for _ in range(25):
        grads = {k: rng.standard_normal(v.shape) for k, v in params.items()}
        mine.step(grads | {"input": np.zeros(1)})           # extra keys are ignored
        for k, t in tensors.items():
            t.grad = torch.tensor(grads[k])
        torchs.step()
    for k in params:
        np.testing.assert_allclose(params[k], tensors[k].detach().numpy(), rtol=1e-12, atol=1e-14)


def test_errors():
    p = {"w": np.zeros(2)}
    with pytest.raises(ValueError, match=re.escape("expected lr in [0.0, inf), got -1")):
        SGD(p, lr=-1)
    with pytest.raises(ValueError, match=re.escape("expected momentum in [0.0, 1.0), got 1.5")):
        SGD(p, lr=0.1, momentum=1.5)
    with pytest.raises(ValueError, match=re.escape("expected a gradient for parameter 'w', got gradients for ['v']")):
        Adam(p).step({"v": np.zeros(2)})
    with pytest.raises(ValueError, match=re.escape("expected the gradient of 'w' of shape (2,), got (3,)")):
        Adam(p).step({"w": np.zeros(3)})

"""lab.training.train: Adam on the mean squared error with the gradients' total norm clipped, on by default.

Each test trains a tiny model for a few steps and replays the same steps by hand with torch's
clip_grad_norm_ and torch.optim.Adam; the targets are large so that the gradients' norm is well
above the clip (a check that never clips would prove nothing).
"""

from __future__ import annotations

import inspect

import numpy as np
import pytest
import torch

from gru_lesson.lab.training import make_model, train

STEPS, BATCH, T, LR = 4, 3, 5, 0.05


def _data() -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(0)
    x = rng.standard_normal((STEPS * BATCH, T, 2)).astype(np.float32)            # (M, T, I)
    y = (10 * rng.standard_normal((STEPS * BATCH, 1)) + 20).astype(np.float32)   # (M, O): far from 0
    return x, y


def _by_hand(model, x, y, clip: float) -> tuple[np.ndarray, list[float]]:
    """The same steps with torch's own pieces: (losses, each step's gradient norm before clipping)."""
    optimiser = torch.optim.Adam(model.parameters(), lr=LR)
    losses, norms = [], []
    for k in range(STEPS):
        rows = slice(k * BATCH, (k + 1) * BATCH)
        loss = torch.nn.functional.mse_loss(model(torch.from_numpy(x[rows])), torch.from_numpy(y[rows]))
        optimiser.zero_grad()
        loss.backward()
        norms.append(float(torch.sqrt(sum((p.grad ** 2).sum() for p in model.parameters()))))
        if clip:
            torch.nn.utils.clip_grad_norm_(model.parameters(), clip)
        optimiser.step()
        losses.append(loss.item())
    return np.array(losses), norms


def _weights(model) -> dict[str, np.ndarray]:
    return {name: p.detach().numpy().copy() for name, p in model.named_parameters()}


def _assert_same(a: dict[str, np.ndarray], b: dict[str, np.ndarray]) -> None:
    assert list(a) == list(b)
    for name in a:
        np.testing.assert_allclose(a[name], b[name], rtol=1e-6, atol=1e-7, err_msg=name)


def _differ(a: dict[str, np.ndarray], b: dict[str, np.ndarray]) -> float:
    return max(float(np.abs(a[name] - b[name]).max()) for name in a)


def _run(cell: str, **clip) -> tuple[dict[str, np.ndarray], np.ndarray]:
    x, y = _data()
    model = make_model(cell, 2, 4, seed=3)
    losses = train(model, x, y, steps=STEPS, batch_size=BATCH, lr=LR, **clip)
    return _weights(model), losses


def _reference(cell: str, clip: float) -> tuple[dict[str, np.ndarray], np.ndarray, list[float]]:
    x, y = _data()
    model = make_model(cell, 2, 4, seed=3)
    losses, norms = _by_hand(model, x, y, clip)
    return _weights(model), losses, norms


def test_the_default_clip_is_one():
    assert inspect.signature(train).parameters["clip"].default == 1.0


@pytest.mark.parametrize("cell", ["gru", "lstm"])
def test_clipping_is_torchs_clip_grad_norm_then_adam(cell):
    weights, losses = _run(cell, clip=0.5)
    expected, expected_losses, norms = _reference(cell, clip=0.5)
    assert min(norms) > 5 * 0.5                         # every step really was clipped
    _assert_same(weights, expected)
    np.testing.assert_allclose(losses, expected_losses, rtol=1e-6)


def test_clip_zero_turns_clipping_off():
    weights, losses = _run("gru", clip=0)
    expected, expected_losses, _ = _reference("gru", clip=0)
    _assert_same(weights, expected)
    np.testing.assert_allclose(losses, expected_losses, rtol=1e-6)
    clipped, _, _ = _reference("gru", clip=1.0)
    assert _differ(weights, clipped) > 1e-3            # and clipping would have changed the result


def test_training_without_a_clip_argument_clips_to_norm_one():
    weights, losses = _run("gru")                       # the default
    expected, expected_losses, norms = _reference("gru", clip=1.0)
    assert min(norms) > 5.0
    _assert_same(weights, expected)
    np.testing.assert_allclose(losses, expected_losses, rtol=1e-6)
    unclipped, _, _ = _reference("gru", clip=0)
    assert _differ(weights, unclipped) > 1e-3

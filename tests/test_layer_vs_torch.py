"""gru_lesson.GRU against torch.nn.GRU: every layer option, with a tape and without, float64 to 1e-10, float32 to 1e-5."""

from __future__ import annotations

import itertools

import numpy as np
import pytest
import torch

from conftest import make_case, torch_forward
from gru_lesson import GRU, gru_sequence

CONFIGS = [
    dict(num_layers=L, bidirectional=bi, batch_first=bf, bias=bias, with_h0=h0, unbatched=unb)
    for L, bi, bf, bias, h0, unb in itertools.product([1, 2, 3], [False, True], [False, True],
                                                      [True, False], [True, False], [False, True])
    if not (unb and bf)  # batch_first has no meaning for one unbatched sequence; covered below
]


def _id(config):
    return "-".join(f"{k}={v}" for k, v in config.items())


@pytest.mark.parametrize("tape", [True, False], ids=["tape", "inference"])   # inference: the gate-major loop
@pytest.mark.parametrize("config", CONFIGS, ids=_id)
def test_matches_torch_float64(config, tape):
    module, x, h0 = make_case(**config)
    output, h_n = GRU.from_torch(module)(x, h0, tape=tape)
    expected_output, expected_h_n = torch_forward(module, x, h0)
    np.testing.assert_allclose(output, expected_output, rtol=0, atol=1e-10)
    np.testing.assert_allclose(h_n, expected_h_n, rtol=0, atol=1e-10)
    assert output.dtype == h_n.dtype == np.float64


@pytest.mark.parametrize("batch_first", [False, True])
def test_unbatched_input_ignores_batch_first(batch_first):
    module, x, h0 = make_case(batch_first=batch_first, unbatched=True, num_layers=2, bidirectional=True)
    output, h_n = GRU.from_torch(module)(x, h0)
    expected_output, expected_h_n = torch_forward(module, x, h0)
    np.testing.assert_allclose(output, expected_output, rtol=0, atol=1e-10)
    np.testing.assert_allclose(h_n, expected_h_n, rtol=0, atol=1e-10)


@pytest.mark.parametrize("tape", [True, False], ids=["tape", "inference"])
@pytest.mark.parametrize("bidirectional", [False, True])
def test_matches_torch_float32(bidirectional, tape):
    module, x, h0 = make_case(num_layers=2, bidirectional=bidirectional, dtype=torch.float32, T=20, H=16)
    output, h_n = GRU.from_torch(module)(x, h0, tape=tape)
    expected_output, expected_h_n = torch_forward(module, x, h0)
    assert output.dtype == h_n.dtype == np.float32
    np.testing.assert_allclose(output, expected_output, rtol=0, atol=1e-5)
    np.testing.assert_allclose(h_n, expected_h_n, rtol=0, atol=1e-5)


def test_float32_weights_run_float64_input_in_float64():
    module, x, _ = make_case(dtype=torch.float32)
    output, _ = GRU.from_torch(module)(x.astype(np.float64))
    assert output.dtype == np.float64


def test_long_sequence_stays_matched():
    module, x, h0 = make_case(T=500, N=2, H=16)
    output, h_n = GRU.from_torch(module)(x, h0)
    expected_output, expected_h_n = torch_forward(module, x, h0)
    np.testing.assert_allclose(output, expected_output, rtol=0, atol=1e-10)
    np.testing.assert_allclose(h_n, expected_h_n, rtol=0, atol=1e-10)
    assert h_n.shape == (1, 2, 16)


@pytest.mark.parametrize("reset_after", [True, False])
@pytest.mark.parametrize("update", ["torch", "notes"])
def test_fused_layer_equals_looping_the_cell(reset_after, update):
    """The fast layer computes exactly the readable cell, step by step, in every form."""
    gru = GRU(4, 6, reset_after=reset_after, update=update, seed=3)
    x = np.random.default_rng(1).standard_normal((8, 2, 4))
    h = np.random.default_rng(2).standard_normal((2, 6))
    output, h_n = gru(x, h[None])
    states = gru_sequence(x, h, gru.gates(), reset_after=reset_after, update=update)
    np.testing.assert_allclose(output, states, rtol=0, atol=1e-12)
    np.testing.assert_allclose(h_n[0], states[-1], rtol=0, atol=1e-12)


def test_parameter_shapes_are_torchs():
    module = torch.nn.GRU(5, 7, num_layers=3, bidirectional=True)
    gru = GRU(5, 7, num_layers=3, bidirectional=True)
    assert gru.parameter_shapes() == {k: tuple(v.shape) for k, v in module.named_parameters()}


def test_initial_weights_are_drawn_like_torchs():
    gru = GRU(5, 100, seed=1)
    bound = 1 / np.sqrt(100)
    values = np.concatenate([p.ravel() for p in gru.params.values()])
    assert np.abs(values).max() <= bound and np.abs(values).max() > 0.99 * bound


def test_from_torch_copies_rather_than_shares():
    module, x, _ = make_case()
    gru = GRU.from_torch(module)
    with torch.no_grad():
        module.weight_hh_l0.zero_()
    assert np.abs(gru.params["weight_hh_l0"]).max() > 0

"""Property-based tests (hypothesis): shapes on random configurations, and the identities the
chapters rely on."""

from __future__ import annotations

import warnings

import numpy as np
import torch
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from conftest import make_case, torch_forward
from gru_lesson import GRU, flip_update, gru_cell, new_state, sigmoid

configs = st.fixed_dictionaries(dict(
    num_layers=st.integers(1, 3), bidirectional=st.booleans(), batch_first=st.booleans(), bias=st.booleans(),
    with_h0=st.booleans(), unbatched=st.booleans(), I=st.integers(1, 6), H=st.integers(1, 6),
    T=st.integers(1, 7), N=st.integers(1, 4), seed=st.integers(0, 2**16),
))
finite = st.floats(-1e4, 1e4, allow_nan=False)


@settings(max_examples=60, deadline=None)
@given(configs)
def test_random_configurations_match_torch(config):
    module, x, h0 = make_case(**config)
    output, h_n = GRU.from_torch(module)(x, h0)
    expected_output, expected_h_n = torch_forward(module, x, h0)
    assert output.shape == expected_output.shape and h_n.shape == expected_h_n.shape
    np.testing.assert_allclose(output, expected_output, rtol=0, atol=1e-10)
    np.testing.assert_allclose(h_n, expected_h_n, rtol=0, atol=1e-10)


@settings(max_examples=40, deadline=None)
@given(configs, st.booleans())
def test_update_conventions_describe_the_same_models(config, reset_after):
    module, x, h0 = make_case(**config)
    gru = GRU.from_torch(module, reset_after=reset_after)
    notes = gru.with_update("notes")
    np.testing.assert_allclose(notes(x, h0)[0], gru(x, h0)[0], rtol=0, atol=1e-12)
    back = notes.with_update("torch")
    for name, value in gru.params.items():
        np.testing.assert_array_equal(back.params[name], value)


@settings(max_examples=50, deadline=None)
@given(st.integers(0, 2**16), st.booleans())
def test_flipping_the_update_gate_turns_one_convention_into_the_other(seed, reset_after):
    gates = GRU(3, 4, seed=seed).gates()
    rng = np.random.default_rng(seed)
    x, h = rng.standard_normal((2, 3)), rng.standard_normal((2, 4))
    as_torch = gru_cell(x, h, gates, reset_after=reset_after, update="torch")
    as_notes = gru_cell(x, h, flip_update(gates), reset_after=reset_after, update="notes")
    np.testing.assert_allclose(as_notes, as_torch, rtol=0, atol=1e-14)
    twice = flip_update(flip_update(gates))
    assert all(np.array_equal(twice[k], gates[k]) for k in gates)


@given(arrays(np.float64, st.integers(1, 20), elements=finite))
def test_sigmoid_is_bounded_and_symmetric(a):
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        s = sigmoid(a)
    assert ((s >= 0) & (s <= 1)).all()
    np.testing.assert_allclose(sigmoid(-a), 1 - s, rtol=0, atol=1e-15)


@given(arrays(np.float64, 8, elements=st.floats(-5, 5)), arrays(np.float64, 8, elements=st.floats(-1, 1)),
       arrays(np.float64, 8, elements=st.floats(0, 1)))
def test_new_state_lies_between_old_state_and_candidate(h_prev, h_cand, z):
    for update in ("notes", "torch"):
        h = new_state(h_prev, h_cand, z, update=update)
        low, high = np.minimum(h_prev, h_cand), np.maximum(h_prev, h_cand)
        assert ((h >= low - 1e-12) & (h <= high + 1e-12)).all()


@settings(max_examples=30, deadline=None)
@given(st.integers(1, 3), st.booleans(), st.integers(1, 5), st.integers(1, 5))
def test_shapes_follow_torchs_documentation(num_layers, bidirectional, T, N):
    D, H = 2 if bidirectional else 1, 3
    gru = GRU(2, H, num_layers, bidirectional=bidirectional, batch_first=True)
    output, h_n = gru(np.zeros((N, T, 2)))
    assert output.shape == (N, T, D * H) and h_n.shape == (D * num_layers, N, H)
    output, h_n = gru(np.zeros((T, 2), dtype=np.float32))
    assert output.shape == (T, D * H) and h_n.shape == (D * num_layers, H) and output.dtype == np.float32
    module = torch.nn.GRU(2, H, num_layers, bidirectional=bidirectional)
    assert gru.parameter_shapes() == {k: tuple(v.shape) for k, v in module.named_parameters()}

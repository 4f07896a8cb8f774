"""count_parameters and matching_hidden_size against torch.nn.RNN / GRU / LSTM, and their errors."""

from __future__ import annotations

import itertools

import numpy as np
import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st

from gru_lesson.layer import GRU
from gru_lesson.parameters import BLOCKS, count_parameters, matching_hidden_size

MODULES = {"rnn": torch.nn.RNN, "gru": torch.nn.GRU, "lstm": torch.nn.LSTM}


def torch_count(cell, input_size, hidden_size, num_layers=1, bias=True, bidirectional=False):
    module = MODULES[cell](input_size, hidden_size, num_layers, bias=bias, bidirectional=bidirectional)
    return sum(p.numel() for p in module.parameters())


@pytest.mark.parametrize(
    "cell, input_size, hidden_size, num_layers, bias, bidirectional",
    list(itertools.product(BLOCKS, (1, 7), (1, 5, 16), (1, 3), (True, False), (False, True))),
)
def test_matches_torch_on_a_grid(cell, input_size, hidden_size, num_layers, bias, bidirectional):
    expected = torch_count(cell, input_size, hidden_size, num_layers, bias, bidirectional)
    got = count_parameters(cell, input_size, hidden_size, num_layers, bias, bidirectional)
    assert got == expected and type(got) is int


@settings(max_examples=60, deadline=None)
@given(cell=st.sampled_from(sorted(BLOCKS)), input_size=st.integers(1, 40), hidden_size=st.integers(1, 40),
       num_layers=st.integers(1, 4), bias=st.booleans(), bidirectional=st.booleans())
def test_matches_torch_on_random_configurations(cell, input_size, hidden_size, num_layers, bias, bidirectional):
    assert count_parameters(cell, input_size, hidden_size, num_layers, bias, bidirectional) == \
        torch_count(cell, input_size, hidden_size, num_layers, bias, bidirectional)


@settings(max_examples=40, deadline=None)
@given(input_size=st.integers(1, 60), hidden_size=st.integers(1, 60), num_layers=st.integers(1, 4),
       bias=st.booleans(), bidirectional=st.booleans())
def test_gru_is_three_quarters_of_lstm_and_three_times_rnn(input_size, hidden_size, num_layers, bias, bidirectional):
    args = (input_size, hidden_size, num_layers, bias, bidirectional)
    gru, lstm, rnn = (count_parameters(c, *args) for c in ("gru", "lstm", "rnn"))
    assert 4 * gru == 3 * lstm and gru == 3 * rnn


def test_keywords_defaults_and_numpy_integers():
    assert count_parameters("gru", 3, 4) == count_parameters(cell="gru", input_size=3, hidden_size=4, num_layers=1,
                                                             bias=True, bidirectional=False) == 3 * 4 * 7 + 24
    assert count_parameters("lstm", np.int64(3), np.int32(4), np.int8(2), np.bool_(False), np.bool_(True)) == \
        torch_count("lstm", 3, 4, 2, False, True)


def test_agrees_with_the_gru_modules_parameter_shapes():
    gru = GRU(6, 5, num_layers=3, bidirectional=True)
    assert count_parameters("gru", 6, 5, 3, True, True) == sum(np.prod(s) for s in gru.parameter_shapes().values())


@pytest.mark.parametrize("cell", ["GRU", "transformer", "", None, 3, "gru "])
def test_unknown_cell(cell):
    with pytest.raises(ValueError, match=r"expected cell to be one of \('rnn', 'gru', 'lstm'\), got " + repr(cell)):
        count_parameters(cell, 3, 4)


@pytest.mark.parametrize("name, position", [("input_size", 1), ("hidden_size", 2), ("num_layers", 3)])
@pytest.mark.parametrize("value", [0, -2, 2.0, "4", None, True])
def test_sizes_must_be_positive_integers(name, position, value):
    args = ["gru", 3, 4, 1]
    args[position] = value
    with pytest.raises(ValueError, match=f"expected {name} to be a positive integer, got {value!r}"):
        count_parameters(*args)


@pytest.mark.parametrize("name", ["bias", "bidirectional"])
@pytest.mark.parametrize("value", [1, 0, "True", None, 1.0])
def test_flags_must_be_bools(name, value):
    with pytest.raises(TypeError, match=f"expected {name} to be True or False, got {value!r} of type "
                                        f"{type(value).__name__}"):
        count_parameters("lstm", 3, 4, **{name: value})


@pytest.mark.parametrize("cell", sorted(BLOCKS))
@pytest.mark.parametrize("reference_size", [1, 8, 16, 50])
@pytest.mark.parametrize("num_layers, bias, bidirectional", [(1, True, False), (2, False, True)])
def test_matching_hidden_size_is_the_closest(cell, reference_size, num_layers, bias, bidirectional):
    I = 3
    target = count_parameters("gru", I, reference_size, num_layers, bias, bidirectional)
    H = matching_hidden_size(cell, target, I, num_layers, bias, bidirectional)
    distance = abs(count_parameters(cell, I, H, num_layers, bias, bidirectional) - target)
    for other in range(1, 4 * reference_size + 10):
        assert distance <= abs(count_parameters(cell, I, other, num_layers, bias, bidirectional) - target)
    if cell == "gru":
        assert H == reference_size


def test_matching_hidden_size_errors():
    with pytest.raises(ValueError, match="expected cell to be one of"):
        matching_hidden_size("gur", 100, 3)
    with pytest.raises(ValueError, match="expected target to be a positive integer, got 0"):
        matching_hidden_size("gru", 0, 3)
    with pytest.raises(TypeError, match="expected bias to be True or False"):
        matching_hidden_size("gru", 100, 3, bias="yes")


@pytest.mark.parametrize("cell", sorted(BLOCKS))
def test_matching_hidden_size_of_a_very_large_budget(cell):
    """Bisection: a budget of 10^15 parameters (H in the tens of millions) is answered at once, and right."""
    target = 10**15
    H = matching_hidden_size(cell, target, 3)
    distance = abs(count_parameters(cell, 3, H) - target)
    assert distance <= abs(count_parameters(cell, 3, H - 1) - target)
    assert distance <= abs(count_parameters(cell, 3, H + 1) - target)

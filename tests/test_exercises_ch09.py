"""The checkers of chapter 9 ("Parameters and speed"): right answers pass, each known mistake is named."""

from __future__ import annotations

import numpy as np
import pytest
import torch

from gru_lesson.exercises import Feedback
from gru_lesson.exercises.ch09_parameters_and_speed import (
    GRU_BUDGET,
    LSTM_CONFIG,
    check_lstm_count,
    check_matching_lstm,
)
from gru_lesson.parameters import count_parameters
from verdicts import not_yet


# Exercise 1: count an LSTM ---------------------------------------------------------------------

def test_lstm_count_right_answer_is_torchs() -> None:
    n = sum(p.numel() for p in torch.nn.LSTM(**LSTM_CONFIG).parameters())
    for answer in (n, np.int64(n), float(n)):
        verdict = check_lstm_count(answer)
        assert isinstance(verdict, Feedback) and verdict and "Correct" in str(verdict)


@pytest.mark.parametrize("answer, words", [
    (None, "still None"),
    ("many", "whole number"),
    (15040.5, "whole number"),
    (11280, "three blocks"),                # the notes' W_f, W_i, W_o only
    (14720, "one bias vector"),
    (14400, "left out the biases"),
    (10240, "read I = 10"),
    (11840, "read H = 20"),
    (5920, "one direction"),
    (5120, "one layer"),
    (15000, "not the count"),
])
def test_lstm_count_mistakes(answer, words) -> None:
    verdict = check_lstm_count(answer)
    assert not verdict and words in str(verdict), str(verdict)


def test_three_blocks_is_the_grus_count() -> None:
    not_yet(check_lstm_count(count_parameters("gru", **LSTM_CONFIG)), "three blocks")


# Exercise 2: an LSTM as large as a GRU ---------------------------------------------------------

def test_matching_lstm_right_answer() -> None:
    target = count_parameters("gru", GRU_BUDGET["input_size"], GRU_BUDGET["hidden_size"])
    best = min(range(1, 200), key=lambda H: abs(count_parameters("lstm", GRU_BUDGET["input_size"], H) - target))
    assert best == 54
    for answer in (54, np.int32(54), 54.0):
        verdict = check_matching_lstm(answer)
        assert verdict and "Correct" in str(verdict) and "19008" in str(verdict)


@pytest.mark.parametrize("answer, words", [
    (None, "still None"),
    ([54, 55], "whole number"),
    (54.2, "whole number"),
    (64, "equal size is not an equal budget"),
    (48, "scaled H by 3/4"),
    (55, "scaled H by √(3/4)"),
    (85, "scaled H by 4/3"),
    (74, "scaled H by √(4/3)"),
    (53, "another H is closer"),
    (0, "positive whole number"),
    (60, "Solve"),
])
def test_matching_lstm_mistakes(answer, words) -> None:
    verdict = check_matching_lstm(answer)
    assert not verdict and words in str(verdict), str(verdict)

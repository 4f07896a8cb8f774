"""The chapter 14 checkers: right answers pass (however they are computed), typical mistakes are named."""

import numpy as np
import torch
from torch.nn.utils.rnn import pack_padded_sequence

from gru_lesson.exercises.ch14_padding_and_packing import (
    BATCH_LENGTHS, check_batch_sizes, check_final_states, check_masked_loss, exercise1_inputs, exercise2_inputs,
)
from verdicts import not_yet


def test_final_states():
    gru, x, lengths = exercise1_inputs()
    output, h_n = gru(x, lengths=lengths)
    assert check_final_states(h_n[-1])
    assert check_final_states(output[lengths - 1, np.arange(4)])
    assert check_final_states(np.stack([gru(x[:l, n:n + 1])[1][-1, 0] for n, l in enumerate(lengths)]))
    assert check_final_states(torch.from_numpy(h_n[-1]))
    buggy = np.stack([gru(x[:, n:n + 1])[1][-1, 0] for n in range(4)])    # the loop of the exercise
    not_yet(check_final_states(buggy), "runs through its padding")
    not_yet(check_final_states(gru(x)[1][-1]), "runs through its padding")
    not_yet(check_final_states(output[-1]), "output[-1]")
    not_yet(check_final_states(output[lengths - 2, np.arange(4)]), "one step early")
    not_yet(check_final_states(output[lengths - 1]), "shape")
    not_yet(check_final_states(None), "still None")
    not_yet(check_final_states("h_n"), "numbers")


def test_masked_loss():
    d = exercise2_inputs()
    y_hat, y, lengths = d["y_hat"], d["y"], d["lengths"]
    mask = np.arange(5)[:, None] < lengths
    right = float(((y_hat - y) ** 2 * mask).sum() / mask.sum())
    assert check_masked_loss(right)
    assert check_masked_loss(np.array([right]))
    assert check_masked_loss(torch.nn.functional.mse_loss(torch.from_numpy(y_hat[mask]), torch.from_numpy(y[mask])))
    not_yet(check_masked_loss(float(((y_hat - y) ** 2).mean())), "all T·N")
    not_yet(check_masked_loss(float(((y_hat - y) ** 2 * mask).sum() / 15)), "denominator")
    per_sequence = np.mean([((y_hat[:l, n] - y[:l, n]) ** 2).mean() for n, l in enumerate(lengths)])
    not_yet(check_masked_loss(per_sequence), "weighs every sequence equally")
    not_yet(check_masked_loss(float(((y_hat - y) ** 2 * mask).sum())), "without averaging")
    not_yet(check_masked_loss(round(right, 3)), "rounded")
    not_yet(check_masked_loss(None), "still None")


def test_batch_sizes():
    lengths = torch.tensor(BATCH_LENGTHS)
    packed = pack_padded_sequence(torch.zeros(7, 6, 1), lengths, enforce_sorted=False)
    assert check_batch_sizes(packed.batch_sizes)                         # torch's own answer
    assert check_batch_sizes(packed.batch_sizes.tolist())
    assert check_batch_sizes(np.array([6, 5, 4, 4, 3, 2, 2], dtype=np.int32))
    assert "26 rows" in check_batch_sizes([6, 5, 4, 4, 3, 2, 2]).message
    lengths = np.array(BATCH_LENGTHS)
    not_yet(check_batch_sizes([(lengths >= t).sum() for t in range(7)]), "lengths > t")
    not_yet(check_batch_sizes([(lengths <= t).sum() for t in range(7)]), "ended")
    not_yet(check_batch_sizes([6, 5, 4, 4, 3, 2, 2, 0]), "stops at the longest")
    not_yet(check_batch_sizes(sorted(BATCH_LENGTHS, reverse=True)), "holds the lengths")
    not_yet(check_batch_sizes([6, 5, 4, 4, 3, 2]), "shape")
    not_yet(check_batch_sizes([6, 5, 4, 4, 3, 2, 1]), "differs")
    not_yet(check_batch_sizes(None), "still None")

"""The chapter 15 checkers: right answers pass (however they are computed), typical mistakes are named."""

import numpy as np
import torch

from gru_lesson.exercises.ch15_bach_chorales import (
    check_baseline_nll, check_saturation, check_step_nll, exercise1_inputs, exercise2_inputs, exercise3_inputs,
)
from gru_lesson.readout import key_nll
from verdicts import not_yet


def test_step_nll():
    a, y = exercise1_inputs()
    p = 1 / (1 + np.exp(-a))
    right = -(y * np.log(p) + (1 - y) * np.log(1 - p)).sum()
    assert check_step_nll(right)
    assert check_step_nll(key_nll(a[None, None], y[None, None], np.ones((1, 1)))[0])     # the module's loss
    bce = torch.nn.functional.binary_cross_entropy_with_logits(torch.tensor(a), torch.tensor(y), reduction="sum")
    assert check_step_nll(bce)
    assert check_step_nll([right])
    not_yet(check_step_nll(right / 88), "averaged instead of summed")
    not_yet(check_step_nll(-(y * np.log(p)).sum()), "only the sounding keys")
    not_yet(check_step_nll(-right), "sign")
    not_yet(check_step_nll(right / np.log(2)), "bits")
    softmax = torch.log_softmax(torch.tensor(a), 0).numpy()
    not_yet(check_step_nll(-(y * softmax).sum()), "softmax")
    not_yet(check_step_nll(round(float(right), 3)), "rounded")
    not_yet(check_step_nll(right + 0.01), "differs")
    not_yet(check_step_nll(None), "still None")


def test_baseline_nll():
    d = exercise2_inputs()
    train, valid = d["train"], d["valid"]
    p = (train.sum(0) + 1) / (len(train) + 2)
    right = -(valid * np.log(p) + (1 - valid) * np.log(1 - p)).sum(1).mean()
    assert check_baseline_nll(right)
    logits = np.broadcast_to(np.log(p / (1 - p)), valid.shape)[:, None]                      # (S', 1, 88)
    assert check_baseline_nll(key_nll(logits, valid[:, None], np.ones((len(valid), 1)))[0])
    per_key = -(valid * np.log(p) + (1 - valid) * np.log(1 - p))
    not_yet(check_baseline_nll(per_key.mean()), "averaged instead of summed")
    not_yet(check_baseline_nll(per_key.sum()), "total over all validation steps")
    not_yet(check_baseline_nll(-(train * np.log(p) + (1 - train) * np.log(1 - p)).sum(1).mean()), "training steps")
    with np.errstate(divide="ignore"):
        q = train.mean(0)
        raw = -(np.where(valid > 0, np.log(q), np.log(1 - q)))
    not_yet(check_baseline_nll(raw.sum(1).mean()), "infinite")
    not_yet(check_baseline_nll(np.where(np.isinf(raw), 0, raw).sum(1).mean()), "not smoothed")
    not_yet(check_baseline_nll("10.9"), "numbers")


def test_saturation():
    g = exercise3_inputs()
    right = np.stack([(g < 0.1).mean(0), (g > 0.9).mean(0)], axis=1)
    assert check_saturation(right)
    assert check_saturation(torch.from_numpy(right))
    assert check_saturation(right.tolist())
    not_yet(check_saturation(np.stack([(g <= 0.1).mean(0), (g >= 0.9).mean(0)], axis=1)), "strictly")
    not_yet(check_saturation(right * 50), "counts")
    not_yet(check_saturation(right[:, ::-1].copy()), "swapped")
    not_yet(check_saturation(right.T.copy()), "(2, H)")
    not_yet(check_saturation(right[:, :1]), "shape")
    not_yet(check_saturation(None), "still None")

"""The chapter 12 checkers: right answers pass, typical mistakes are named."""

import numpy as np

from gru_lesson import GRU
from gru_lesson.activations import sigmoid
from gru_lesson.exercises.ch12_min_gru import (
    COUNT_SIZES, check_log_space_scan, check_min_gru_step, check_parameter_counts, exercise_inputs,
)
from gru_lesson.min_gru import MinGRU, g
from verdicts import not_yet


def test_min_gru_step():
    d = exercise_inputs()
    x, h = d["x_t"], d["h_prev"]
    k_z, k_h = x @ d["W_z"].T + d["b_z"], x @ d["W_h"].T + d["b_h"]
    z = sigmoid(k_z)
    assert check_min_gru_step((1 - z) * h + z * g(k_h))
    # the same step as the module's loop, with these weights
    m = MinGRU(3, 4)
    m.params = {"weight_z": d["W_z"], "bias_z": d["b_z"], "weight_h": d["W_h"], "bias_h": d["b_h"]}
    assert check_min_gru_step(m.loop(x[None], h)[0])
    not_yet(check_min_gru_step((1 - z) * h + z * np.tanh(k_h)), "tanh")
    not_yet(check_min_gru_step((1 - z) * h + z * sigmoid(k_h)), "σ is used")
    not_yet(check_min_gru_step(z * h + (1 - z) * g(k_h)), "torch's convention")
    not_yet(check_min_gru_step((1 - z) * h + z * g(x @ d["W_h"].T)), "b_h")
    z0 = sigmoid(x @ d["W_z"].T)
    not_yet(check_min_gru_step((1 - z0) * h + z0 * g(k_h)), "b_z")
    not_yet(check_min_gru_step(None), "still None")
    not_yet(check_min_gru_step(np.zeros((4, 2))), "shape")


def test_log_space_scan():
    d = exercise_inputs()
    log_a, log_b, h0 = d["log_a"], d["log_b"], d["h0"]
    a_star = np.cumsum(log_a, axis=0)
    terms = np.concatenate([np.log(h0)[None], log_b - a_star])
    right = a_star + np.logaddexp.accumulate(terms, axis=0)[1:]
    assert check_log_space_scan(right)
    not_yet(check_log_space_scan(a_star + np.logaddexp.accumulate(log_b - a_star, axis=0)), "log h_0")
    not_yet(check_log_space_scan(np.exp(right)), "not log h_t")
    not_yet(check_log_space_scan(a_star + np.cumsum(terms, axis=0)[1:]), "np.logaddexp.accumulate")
    exclusive = np.concatenate([np.zeros((1, 4)), a_star[:-1]])
    wrong = exclusive + np.logaddexp.accumulate(np.concatenate([np.log(h0)[None], log_b - exclusive]), axis=0)[1:]
    not_yet(check_log_space_scan(wrong), "a*_{t-1}")
    not_yet(check_log_space_scan(None), "still None")
    not_yet(check_log_space_scan(right[:, 0]), "shape")


def test_parameter_counts_agree_with_the_modules():
    I, H = COUNT_SIZES["input_size"], COUNT_SIZES["hidden_size"]
    n_gru = sum(int(np.prod(s)) for s in GRU(I, H).parameter_shapes().values())
    n_min = sum(p.size for p in MinGRU(I, H).params.values())
    assert check_parameter_counts(n_gru, n_min)
    assert "1920" in check_parameter_counts(n_gru, n_min).message


def test_parameter_count_mistakes():
    I, H = COUNT_SIZES["input_size"], COUNT_SIZES["hidden_size"]
    right_gru, right_min = 1920, 440
    not_yet(check_parameter_counts(3 * H * (I + H) + 3 * H, right_min), "two")
    not_yet(check_parameter_counts(3 * H * (I + H), right_min), "biases are left out")
    not_yet(check_parameter_counts(3 * H * I + 6 * H, right_min), "U_r, U_z, U_h")
    not_yet(check_parameter_counts(right_gru, 2 * H * (I + H) + 2 * H), "U_z and U_h")
    not_yet(check_parameter_counts(right_gru, 3 * H * I + 3 * H), "reset gate")
    not_yet(check_parameter_counts(right_gru, 2 * H * I), "b_z and b_h")
    not_yet(check_parameter_counts(1, right_min), "parameter_shapes")
    not_yet(check_parameter_counts(None, right_min), "still None")
    assert check_parameter_counts(1920.0, right_min)                 # a float equal to a whole number is fine
    verdict = check_parameter_counts(1920.5, right_min)
    assert not verdict and "whole number" in verdict.message
    assert not check_parameter_counts(right_gru, None)

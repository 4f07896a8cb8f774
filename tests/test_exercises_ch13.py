"""The chapter 13 checkers: right answers pass, typical mistakes are named."""

import numpy as np

from gru_lesson.exercises.ch13_what_makes_a_gru_fast import (
    check_fused_input, check_prefix_sum, check_product_counts, exercise_inputs,
)
from verdicts import not_yet


def test_fused_input():
    d = exercise_inputs()
    W = np.concatenate([d["W_r"], d["W_z"], d["W_h"]])
    b = np.concatenate([d["b_r"], d["b_z"], d["b_h"]])
    assert check_fused_input(d["x"] @ W.T + b)
    # the per-step products of the naive cell, stacked, are the same numbers
    per_step = np.stack([np.concatenate([d["x"][t] @ d[f"W_{k}"].T + d[f"b_{k}"] for k in "rzh"], axis=-1)
                         for t in range(5)])
    assert check_fused_input(per_step)
    W_zrh = np.concatenate([d["W_z"], d["W_r"], d["W_h"]])
    b_zrh = np.concatenate([d["b_z"], d["b_r"], d["b_h"]])
    not_yet(check_fused_input(d["x"] @ W_zrh.T + b_zrh), "ONNX")
    not_yet(check_fused_input(d["x"] @ W.T), "biases are left out")
    not_yet(check_fused_input(d["x"] @ W.T + b_zrh), "same order")
    not_yet(check_fused_input(None), "still None")
    not_yet(check_fused_input(d["x"] @ d["W_h"].T), "shape")


def test_product_counts():
    assert check_product_counts(600, 101, 201)
    not_yet(check_product_counts(300, 101, 201), "two products per gate")
    not_yet(check_product_counts(600, 100, 201), "one more")
    not_yet(check_product_counts(600, 200, 201), "one product: one per step")
    not_yet(check_product_counts(600, 101, 101), "must wait")
    not_yet(check_product_counts(600, 101, 301), "only U_h waits")
    not_yet(check_product_counts(None, 101, 201), "still None")
    assert check_product_counts(600, 101.0, 201)                     # a float equal to a whole number is fine
    verdict = check_product_counts(600, 101.5, 201)
    assert not verdict and "whole number" in verdict.message
    not_yet(check_product_counts(7, 101, 201), "count the products (`@`, `np.matmul`) in one step")


def hillis_steele(v):
    y, d, rounds = v.copy(), 1, 0
    while d < len(y):
        y[d:] = y[d:] + y[:-d]
        d, rounds = 2 * d, rounds + 1
    return y, rounds


def test_prefix_sum():
    v = exercise_inputs()["values"]
    y, rounds = hillis_steele(v)
    assert rounds == 4
    assert check_prefix_sum(y, rounds)
    not_yet(check_prefix_sum(np.concatenate([[0.0], y[:-1]]), 4), "exclusive")
    windows = np.array([v[max(0, t - 7):t + 1].sum() for t in range(16)])
    not_yet(check_prefix_sum(windows, 3), "one round early")
    not_yet(check_prefix_sum(y, 15), "sequential")
    not_yet(check_prefix_sum(y, 5), "rounds")
    not_yet(check_prefix_sum(y, None), "steps is still None")
    not_yet(check_prefix_sum(None, 4), "still None")

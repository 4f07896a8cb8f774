"""The chapter 8 checkers: right answers pass, typical mistakes are named."""

import numpy as np

from gru_lesson.exercises.ch08_training import check_adam_step, check_grad_h_n, check_mse_gradient, exercise_inputs
from gru_lesson.optim import Adam
from verdicts import not_yet


def test_mse_gradient():
    d = exercise_inputs()
    diff = d["prediction"] - d["target"]
    assert check_mse_gradient(2 * diff / 4)
    not_yet(check_mse_gradient(diff / 4), "factor 2")
    not_yet(check_mse_gradient(2 * diff), "1/N")
    not_yet(check_mse_gradient(-2 * diff / 4), "uphill")
    not_yet(check_mse_gradient(None), "still None")
    not_yet(check_mse_gradient(np.zeros(4)), "shape")


def test_adam_step_agrees_with_the_module():
    p = {"theta": np.array(1.0)}
    Adam(p, lr=0.1).step({"theta": np.array(0.5)})
    assert check_adam_step(float(p["theta"]))
    not_yet(check_adam_step(1 - 0.1 * 0.05 / (np.sqrt(0.00025) + 1e-8)), "bias-corrected")
    not_yet(check_adam_step(1 - 0.1 * 0.5), "gradient descent")


def test_grad_h_n():
    last = exercise_inputs()["grad_last"]
    right = np.zeros((2, 2, 3))
    right[1] = last
    assert check_grad_h_n(right)
    wrong = np.zeros((2, 2, 3))
    wrong[0] = last
    not_yet(check_grad_h_n(wrong), "top layer")
    not_yet(check_grad_h_n(np.stack([last, last])), "every layer")
    not_yet(check_grad_h_n(last), "shape")

"""Chapter 8, "Training with your own gradients": checkers for its exercises.

    L = (1/N) Σ_n (ŷ_n − y_n)²        ∂L/∂ŷ = 2 (ŷ − y) / N
    Adam, step k: m ← β1 m + (1 − β1) g;  v ← β2 v + (1 − β2) g²;
                  θ ← θ − (lr / (1 − β1^k)) · m / (√v / √(1 − β2^k) + ε)

Exercises and their checkers:
    1. `check_mse_gradient(grad)`: ∂L/∂ŷ for `exercise_inputs()`'s prediction and target.
    2. `check_adam_step(theta)`: θ after Adam's first step from θ = 1 with g = 0.5, lr = 0.1.
    3. `check_grad_h_n(grad_h_n)`: the grad_h_n for a readout on the top layer of a 2-layer GRU.
"""

from __future__ import annotations

import numpy as np

from .feedback import Feedback, check_array, one_number

__all__ = ["exercise_inputs", "check_mse_gradient", "check_adam_step", "check_grad_h_n"]

LR, BETA1, BETA2, EPS, THETA, GRAD = 0.1, 0.9, 0.999, 1e-8, 1.0, 0.5   # exercise 2: θ and its gradient


def exercise_inputs() -> dict[str, np.ndarray]:
    """The exercises' arrays, the same on every call: prediction, target (4, 1); grad_last (2, 3).

    >>> {k: v.shape for k, v in exercise_inputs().items()}
    {'prediction': (4, 1), 'target': (4, 1), 'grad_last': (2, 3)}
    """
    rng = np.random.default_rng(8)
    return {"prediction": rng.uniform(0, 2, (4, 1)).round(2), "target": rng.uniform(0, 2, (4, 1)).round(2),
            "grad_last": rng.standard_normal((2, 3)).round(2)}


def check_mse_gradient(grad: object) -> Feedback:
    """Exercise 1: ∂L/∂ŷ = 2 (ŷ − y) / N.

    >>> d = exercise_inputs(); check_mse_gradient(2 * (d["prediction"] - d["target"]) / 4)
    Correct: ∂L/∂ŷ matches.
    """
    d = exercise_inputs()
    diff, N = d["prediction"] - d["target"], len(d["prediction"])
    return check_array(grad, 2 * diff / N, "∂L/∂ŷ", mistakes={
        "the factor 2 from the square is left out": diff / N,
        "the mean's 1/N is left out (that is the gradient of the sum, not of the mean)": 2 * diff,
        "the difference is taken the other way round, y − ŷ: that points uphill": 2 * -diff / N,
    })


def check_adam_step(theta: object) -> Feedback:
    """Exercise 2: Adam's first step. With bias correction it moves θ by almost exactly lr.

    >>> check_adam_step(0.900000002)
    Correct: θ after one Adam step matches.
    """
    m, v = (1 - BETA1) * GRAD, (1 - BETA2) * GRAD * GRAD
    right = THETA - (LR / (1 - BETA1)) * m / (np.sqrt(v) / np.sqrt(1 - BETA2) + EPS)
    uncorrected = THETA - LR * m / (np.sqrt(v) + EPS)
    return check_array(one_number(theta), np.asarray(right),
                       "θ after one Adam step", rtol=1e-9, atol=1e-12, mistakes={
        "m and v are not bias-corrected: at step 1 they are 10x and 1000x too small, so the step is not ≈ lr":
            np.asarray(uncorrected),
        "the step is added instead of subtracted": np.asarray(2 * THETA - right),
        "plain gradient descent is used (θ − lr·g), not Adam": np.asarray(THETA - LR * GRAD),
    })


def check_grad_h_n(grad_h_n: object) -> Feedback:
    """Exercise 3: the readout's gradient goes into the top layer's row of h_n; the rest is zero.

    >>> g = np.zeros((2, 2, 3)); g[1] = exercise_inputs()["grad_last"]; check_grad_h_n(g)
    Correct: grad_h_n matches.
    """
    last = exercise_inputs()["grad_last"]
    right = np.zeros((2, 2, 3))
    right[1] = last
    wrong_row = np.zeros((2, 2, 3))
    wrong_row[0] = last
    both = np.stack([last, last])
    return check_array(grad_h_n, right, "grad_h_n", mistakes={
        "the gradient goes into row 0, the first layer; the readout reads the top layer, row 1 (h_n[-1])": wrong_row,
        "the gradient is put into every layer's row; only the top layer's final state reaches the readout": both,
    })

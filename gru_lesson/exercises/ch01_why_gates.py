"""Chapter 1, "Why gates": checkers for its exercises.

    1. one vanilla-RNN step          h_t = tanh(W x_t + U h_{t-1} + b)                      (H,)
    2. the Jacobian of that step     ∂h_t/∂h_{t-1} = diag(1 − h_t²) U                      (H, H)
    3. k steps with the update gate pinned near "keep", the notes' convention
                                     h_t = (1 − z) ⊙ h_{t-1} + z ⊙ h̃,  so after k steps
                                     h_k = (1 − z)^k ⊙ h_0 + (1 − (1 − z)^k) ⊙ h̃            (H,)

Each exercise reads its inputs from a function here (`exercise1_inputs`, `exercise3_inputs`), built from a
fixed seed, so the notebook and the checker see the same numbers. Each checker takes only the
learner's answer and returns a `Feedback`; known wrong answers are recognised and named.
"""

from __future__ import annotations

import numpy as np

from ..activations import sigmoid, tanh
from .feedback import Feedback, check_array

__all__ = ["exercise1_inputs", "exercise3_inputs", "check_rnn_step", "check_rnn_jacobian", "check_keep"]

SEED = 101
I, H = 3, 4


def exercise1_inputs() -> dict[str, np.ndarray]:
    """The inputs of exercises 1 and 2, float64, always the same numbers.

    Returns {"x_t": (I,) = (3,), "h_prev": (H,) = (4,), "W": (H, I) = (4, 3), "U": (H, H) = (4, 4),
    "b": (H,) = (4,)}: one input, the previous state and the weights of a vanilla RNN.

    >>> {name: value.shape for name, value in exercise1_inputs().items()}
    {'x_t': (3,), 'h_prev': (4,), 'W': (4, 3), 'U': (4, 4), 'b': (4,)}
    """
    rng = np.random.default_rng(SEED)
    return {
        "x_t": rng.normal(0.0, 1.0, I),
        "h_prev": rng.uniform(-0.8, 0.8, H),
        "W": rng.normal(0.0, 0.6, (H, I)),
        "U": rng.normal(0.0, 0.6, (H, H)),
        "b": rng.normal(0.0, 0.3, H),
    }


def exercise3_inputs() -> dict[str, np.ndarray | int]:
    """The inputs of exercise 3, float64, always the same numbers.

    Returns {"h_0": (H,), the state before the first step; "h_cand": (H,), the candidate h̃, the same
    at every step; "z": (H,), the update gate, pinned near "keep" (small values: the notes'
    convention, where z → 0 keeps the memory); "k": the number of steps, an int}.

    >>> inputs = exercise3_inputs()
    >>> inputs["h_0"].shape, inputs["z"].shape, inputs["k"]
    ((4,), (4,), 10)
    """
    rng = np.random.default_rng(SEED + 1)
    return {
        "h_0": rng.uniform(-0.9, 0.9, H),
        "h_cand": rng.uniform(-0.9, 0.9, H),
        "z": np.array([0.001, 0.01, 0.05, 0.2]),
        "k": 10,
    }


def check_rnn_step(h_t: object) -> Feedback:
    """Exercise 1: is `h_t` (H,) = tanh(W x_t + U h_{t-1} + b) for the arrays of `exercise1_inputs()`?

    >>> check_rnn_step(None)
    Not yet: h_t is still None. Replace the None with your computation.
    """
    p = exercise1_inputs()
    x, h, W, U, b = p["x_t"], p["h_prev"], p["W"], p["U"], p["b"]
    return check_array(
        h_t,
        tanh(W @ x + U @ h + b),
        "h_t",
        mistakes={
            "you leave out the bias b": tanh(W @ x + U @ h),
            "you leave out the tanh: the pre-activation W x_t + U h_{t-1} + b is not yet the state": W @ x + U @ h + b,
            "you use the sigmoid instead of tanh: the vanilla RNN squashes with tanh": sigmoid(W @ x + U @ h + b),
            "you leave out the previous state: U h_{t-1} is what makes the network recurrent": tanh(W @ x + b),
            "you multiply h_{t-1} by U transposed (h_prev @ U computes U.T h_{t-1}); "
            "use U @ h_prev, or h_prev @ U.T": tanh(W @ x + U.T @ h + b),
        },
    )


def check_rnn_jacobian(J: object) -> Feedback:
    """Exercise 2: is `J` (H, H) = ∂h_t/∂h_{t-1} = diag(1 − h_t²) U for the step of exercise 1?

    Row i, column j of J is ∂h_t[i] / ∂h_{t-1}[j].

    >>> check_rnn_jacobian(np.zeros((3, 3)))
    Not yet: J has shape (3, 3), but the answer has shape (4, 4).
    """
    p = exercise1_inputs()
    x, h, W, U, b = p["x_t"], p["h_prev"], p["W"], p["U"], p["b"]
    h_t = tanh(W @ x + U @ h + b)                        # (H,)
    slope = 1.0 - h_t**2                                 # (H,), tanh'(a) = 1 − tanh(a)²
    return check_array(
        J,
        slope[:, None] * U,
        "J",
        mistakes={
            "you leave out the slope of tanh: J is diag(1 − h_t²) U, not U alone": U,
            "you take the slope at h_{t-1}: tanh'(a) = 1 − tanh(a)², and tanh(a) is h_t, "
            "so the factor is 1 − h_t²": (1.0 - h**2)[:, None] * U,
            "you use 1 − h_t instead of 1 − h_t² as the slope of tanh": (1.0 - h_t)[:, None] * U,
            "you multiply the slope into the columns (U diag(1 − h_t²)); "
            "it belongs to the rows: unit i's slope scales row i": U * slope[None, :],
            "you return the transpose: row i of J must hold the derivatives of h_t[i]": (slope[:, None] * U).T,
        },
    )


def check_keep(h_k: object) -> Feedback:
    """Exercise 3: is `h_k` (H,) the state after k steps of h_t = (1 − z) ⊙ h_{t-1} + z ⊙ h̃?

    The inputs are those of `exercise3_inputs()`; the update is the notes' convention (z → 0 keeps).

    >>> check_keep(exercise3_inputs()["h_0"])
    Not yet: h_k is what you get when you take no step at all: h_0 is where the k steps start.
    """
    p = exercise3_inputs()
    h0, c, z, k = p["h_0"], p["h_cand"], p["z"], p["k"]

    def after(steps: int, keep: np.ndarray) -> np.ndarray:
        # h_k = keep^k ⊙ h_0 + (1 − keep^k) ⊙ h̃   (keep = 1 − z in the notes' convention)
        return keep**steps * h0 + (1.0 - keep**steps) * c

    return check_array(
        h_k,
        after(k, 1.0 - z),
        "h_k",
        mistakes={
            "you take no step at all: h_0 is where the k steps start": h0,
            "you use torch's convention (z keeps, 1 − z replaces); in the notes' convention "
            "h_t = (1 − z) ⊙ h_{t-1} + z ⊙ h̃, so a small z keeps": after(k, z),
            "you take one step only; repeat the update k times": after(1, 1.0 - z),
            "you take k − 1 steps instead of k": after(k - 1, 1.0 - z),
            "you take k + 1 steps instead of k": after(k + 1, 1.0 - z),
            "you leave out the z ⊙ h̃ term: the candidate is added at every step": (1.0 - z) ** k * h0,
        },
    )

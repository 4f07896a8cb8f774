"""Chapter 2, "The reset gate": checkers for its exercises.

    1. the reset gate of a batch      r_t = σ(W_r x_t + U_r h_{t-1} + b_r)                  (N, H)
    2. the bias that opens the gate halfway for one example: σ(0) = 1/2, so
                                      b_r = −(W_r x_t + U_r h_{t-1})                          (H,)
    3. the candidate with the gate shut, r_t = 0, the notes' form (reset before U_h):
                                      h̃_t = tanh(W_h x_t + U_h (0 ⊙ h_{t-1}) + b_h)
                                          = tanh(W_h x_t + b_h)                               (H,)

Each exercise reads its inputs from a function here (`exercise1_inputs`, `exercise2_inputs`,
`exercise3_inputs`), built from a fixed seed, so the notebook and the checker see the same numbers.
Each checker takes only the learner's answer and returns a `Feedback`; known wrong answers are
recognised and named.
"""

from __future__ import annotations

import numpy as np

from ..activations import sigmoid, tanh
from .feedback import Feedback, check_array

__all__ = [
    "exercise1_inputs",
    "exercise2_inputs",
    "exercise3_inputs",
    "check_reset",
    "check_half_open_bias",
    "check_closed_candidate",
]

SEED = 202
N, I, H = 2, 3, 4


def exercise1_inputs() -> dict[str, np.ndarray]:
    """The inputs of exercise 1, float64, always the same numbers.

    Returns {"x_t": (N, I) = (2, 3), a batch of two inputs; "h_prev": (N, H) = (2, 4);
    "W_r": (H, I) = (4, 3); "U_r": (H, H) = (4, 4); "b_r": (H,) = (4,)}.

    >>> {name: value.shape for name, value in exercise1_inputs().items()}
    {'x_t': (2, 3), 'h_prev': (2, 4), 'W_r': (4, 3), 'U_r': (4, 4), 'b_r': (4,)}
    """
    rng = np.random.default_rng(SEED)
    return {
        "x_t": rng.normal(0.0, 1.0, (N, I)),
        "h_prev": rng.uniform(-0.9, 0.9, (N, H)),
        "W_r": rng.normal(0.0, 0.7, (H, I)),
        "U_r": rng.normal(0.0, 0.7, (H, H)),
        "b_r": rng.normal(0.0, 0.5, H),
    }


def exercise2_inputs() -> dict[str, np.ndarray]:
    """The inputs of exercise 2, float64, always the same numbers: one example, no bias yet.

    Returns {"x_t": (I,) = (3,); "h_prev": (H,) = (4,); "W_r": (H, I) = (4, 3); "U_r": (H, H) = (4, 4)}.
    """
    rng = np.random.default_rng(SEED + 1)
    return {
        "x_t": rng.normal(0.0, 1.0, I),
        "h_prev": rng.uniform(-0.9, 0.9, H),
        "W_r": rng.normal(0.0, 0.7, (H, I)),
        "U_r": rng.normal(0.0, 0.7, (H, H)),
    }


def exercise3_inputs() -> dict[str, np.ndarray]:
    """The inputs of exercise 3, float64, always the same numbers.

    Returns {"x_t": (I,) = (3,); "h_prev": (H,) = (4,); "W_h": (H, I) = (4, 3); "U_h": (H, H) = (4, 4);
    "b_h": (H,) = (4,)}.
    """
    rng = np.random.default_rng(SEED + 2)
    return {
        "x_t": rng.normal(0.0, 1.0, I),
        "h_prev": rng.uniform(-0.9, 0.9, H),
        "W_h": rng.normal(0.0, 0.7, (H, I)),
        "U_h": rng.normal(0.0, 0.7, (H, H)),
        "b_h": rng.normal(0.0, 0.5, H),
    }


def check_reset(r_t: object) -> Feedback:
    """Exercise 1: is `r_t` (N, H) = σ(W_r x_t + U_r h_{t-1} + b_r), row by row, for `exercise1_inputs()`?

    >>> check_reset(None)
    Not yet: r_t is still None. Replace the None with your computation.
    """
    p = exercise1_inputs()
    x, h, W_r, U_r, b_r = p["x_t"], p["h_prev"], p["W_r"], p["U_r"], p["b_r"]
    # rows are examples: W_r x_t for every row of x is x @ W_r.T
    a = x @ W_r.T + h @ U_r.T + b_r                      # (N, H)
    return check_array(
        r_t,
        sigmoid(a),
        "r_t",
        mistakes={
            "you leave out the bias b_r": sigmoid(x @ W_r.T + h @ U_r.T),
            "you leave out U_r h_{t-1}: the gate reads the previous state too": sigmoid(x @ W_r.T + b_r),
            "you leave out the sigmoid: a gate must lie between 0 and 1": a,
            "you squash with tanh instead of the sigmoid: tanh lies in (−1, 1), a gate in (0, 1)": tanh(a),
            "you multiply by U_r transposed (h @ U_r computes U_r.T h_{t-1} for each row); "
            "use h @ U_r.T": sigmoid(x @ W_r.T + h @ U_r + b_r),
        },
    )


def check_half_open_bias(b_r: object) -> Feedback:
    """Exercise 2: does `b_r` (H,) make σ(W_r x_t + U_r h_{t-1} + b_r) = 0.5 in every unit?

    >>> check_half_open_bias(np.zeros(4))
    Not yet: b_r is what you get when you set b_r = 0: σ(0) = 0.5, but W_r x_t + U_r h_{t-1} is not zero, so the bias has to cancel it.
    """
    p = exercise2_inputs()
    x, h, W_r, U_r = p["x_t"], p["h_prev"], p["W_r"], p["U_r"]
    # σ(a) = 0.5 exactly when a = 0, so b_r = −(W_r x_t + U_r h_{t-1})
    rest = W_r @ x + U_r @ h                             # (H,)
    return check_array(
        b_r,
        -rest,
        "b_r",
        mistakes={
            "you set b_r = 0: σ(0) = 0.5, but W_r x_t + U_r h_{t-1} is not zero, "
            "so the bias has to cancel it": np.zeros(H),
            "you set b_r = 0.5: the gate is 0.5 when the whole pre-activation is 0, not the bias": np.full(H, 0.5),
            "you forget the minus sign: the bias must cancel W_r x_t + U_r h_{t-1}, not double it": rest,
            "you cancel only W_r x_t; U_r h_{t-1} is part of the pre-activation too": -(W_r @ x),
            "you cancel only U_r h_{t-1}; W_r x_t is part of the pre-activation too": -(U_r @ h),
        },
    )


def check_closed_candidate(h_cand: object) -> Feedback:
    """Exercise 3: is `h_cand` (H,) the notes' candidate with r_t = 0, tanh(W_h x_t + b_h)?

    >>> check_closed_candidate(np.zeros(4))
    Not yet: h_cand is what you get when you return zeros: r_t = 0 removes h_{t-1} from the candidate, not the input x_t.
    """
    p = exercise3_inputs()
    x, h, W_h, U_h, b_h = p["x_t"], p["h_prev"], p["W_h"], p["U_h"], p["b_h"]
    return check_array(
        h_cand,
        tanh(W_h @ x + b_h),
        "h_cand",
        mistakes={
            "you return zeros: r_t = 0 removes h_{t-1} from the candidate, not the input x_t": np.zeros(H),
            "you use r_t = 1 (the gate fully open): with r_t = 0 the U_h term vanishes": tanh(W_h @ x + U_h @ h + b_h),
            "you use r_t = 0.5; the exercise shuts the gate, r_t = 0": tanh(W_h @ x + U_h @ (0.5 * h) + b_h),
            "you leave out the bias b_h: only the U_h term vanishes": tanh(W_h @ x),
            "you leave out the tanh: the candidate is squashed into (−1, 1)": W_h @ x + b_h,
        },
    )

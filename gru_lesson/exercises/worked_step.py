"""Chapters 2-4: one GRU step with small numbers, the same in all three chapters, to redo by hand.

Two inputs (I = 2), two hidden units (H = 2), weights from {0, ±0.25, ±0.5, ±1}, the notes' form
(reset before U_h, no second candidate bias: b_Uh = 0) and the notes' update (z → 1 replaces):

    x_t = [1, −1]        h_{t-1} = [0.5, −0.5]

    W_r = [[0.5, −1], [0.25, 0.5]]    U_r = [[1, 0.5], [−1, 0.25]]     b_r = [0, −0.5]
    W_z = [[−1, 0.5], [0.5, −0.25]]   U_z = [[−0.5, 0.5], [0.5, 0.5]]  b_z = [0, 0.25]
    W_h = [[1, 0.5], [−0.5, 1]]       U_h = [[0.5, −1], [1, 0.5]]      b_h = [0, 0.25]

Chapter 2 computes the reset gate, chapter 3 the update gate and the blend (with h̃_t given, from
`worked_candidate`), chapter 4 the filtered memory, the candidate and the new state:

    a_r = W_r x_t + U_r h_{t-1} + b_r = [1.75, −1.375]     r_t = σ(a_r) ≈ [0.8520, 0.2018]     (chapter 2)
    a_z = W_z x_t + U_z h_{t-1} + b_z = [−2, 1]            z_t = σ(a_z) ≈ [0.1192, 0.7311]     (chapter 3)
    r_t ⊙ h_{t-1} ≈ [0.4260, −0.1009]                                                          (chapter 4)
    a_h = W_h x_t + U_h (r_t ⊙ h_{t-1}) + b_h ≈ [0.8139, −0.8745]   h̃_t = tanh(a_h) ≈ [0.6717, −0.7036]
    h_t = (1 − z_t) ⊙ h_{t-1} + z_t ⊙ h̃_t ≈ [0.5205, −0.6489]                                  (chapters 3, 4)

The pre-activations of the gates are exact in binary (multiples of 1/8). Unit 0 mostly keeps its
memory (z ≈ 0.12) and lets its past into the candidate (r ≈ 0.85); unit 1 mostly replaces it
(z ≈ 0.73) with a candidate that sees little of its past (r ≈ 0.20).
"""

from __future__ import annotations

import numpy as np

__all__ = ["worked_step", "worked_candidate", "four_decimals"]


def worked_step() -> dict[str, np.ndarray]:
    """The worked step's input, previous state and weights, float64, fresh arrays at every call.

    Returns {"x_t": (I,) = (2,); "h_prev": (H,) = (2,); "W_r", "W_z", "W_h": (H, I) = (2, 2);
    "U_r", "U_z", "U_h": (H, H) = (2, 2); "b_r", "b_z", "b_h", "b_Uh": (H,) = (2,)}, b_Uh = 0.
    The ten weights are the keys `gru_cell` reads, so the dict can be passed to it as `gates`.

    >>> p = worked_step()
    >>> p["W_r"] @ p["x_t"] + p["U_r"] @ p["h_prev"] + p["b_r"]
    array([ 1.75 , -1.375])
    """
    return {
        "x_t": np.array([1.0, -1.0]),
        "h_prev": np.array([0.5, -0.5]),
        "W_r": np.array([[0.5, -1.0], [0.25, 0.5]]),
        "U_r": np.array([[1.0, 0.5], [-1.0, 0.25]]),
        "b_r": np.array([0.0, -0.5]),
        "W_z": np.array([[-1.0, 0.5], [0.5, -0.25]]),
        "U_z": np.array([[-0.5, 0.5], [0.5, 0.5]]),
        "b_z": np.array([0.0, 0.25]),
        "W_h": np.array([[1.0, 0.5], [-0.5, 1.0]]),
        "U_h": np.array([[0.5, -1.0], [1.0, 0.5]]),
        "b_h": np.array([0.0, 0.25]),
        "b_Uh": np.zeros(2),
    }


def worked_candidate() -> np.ndarray:
    """The worked step's candidate h̃_t, shape (H,) = (2,): chapter 3 takes it as given, chapter 4 derives it.

    Computed here with plain NumPy from the textbook formulas (not with gru_lesson's functions, which
    the chapters check against it): h̃_t = tanh(W_h x_t + U_h (σ(a_r) ⊙ h_{t-1}) + b_h).

    >>> four_decimals(worked_candidate())
    '[0.6717, -0.7036]'
    """
    p = worked_step()
    a_r = p["W_r"] @ p["x_t"] + p["U_r"] @ p["h_prev"] + p["b_r"]        # (H,)
    r = 1.0 / (1.0 + np.exp(-a_r))                                       # (H,)
    return np.tanh(p["W_h"] @ p["x_t"] + p["U_h"] @ (r * p["h_prev"]) + p["b_h"])   # (H,)


def four_decimals(values: np.ndarray) -> str:
    """A vector as the chapters print it, every entry rounded to 4 decimals: "[0.8520, 0.2018]".

    >>> four_decimals(np.array([1.75, -1.375, 0.851952]))
    '[1.7500, -1.3750, 0.8520]'
    """
    return "[" + ", ".join(f"{value:.4f}" for value in np.asarray(values, dtype=float).ravel()) + "]"

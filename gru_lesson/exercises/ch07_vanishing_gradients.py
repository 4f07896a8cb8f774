"""Chapter 7, "Vanishing gradients": checkers for its exercises.

The chapter's central equation, one GRU step's Jacobian in the notes' convention
(h_t = (1 − z_t) ⊙ h_{t-1} + z_t ⊙ h̃_t):

    ∂h_t/∂h_{t-1} = diag(1 − z_t)                                   the direct path
                  + diag(z_t) ∂h̃_t/∂h_{t-1}                         through the candidate
                  + diag(h̃_t − h_{t-1}) diag(z_t ⊙ (1 − z_t)) U_z    through the update gate

and, for the candidate with the reset before U_h (h̃_t = tanh(W_h x_t + U_h (r_t ⊙ h_{t-1}) + b_h)),

    ∂h̃_t/∂h_{t-1} = diag(1 − h̃_t²) U_h (diag(r_t) + diag(h_{t-1}) diag(r_t ⊙ (1 − r_t)) U_r).

In torch's convention (h_t = (1 − z_t) ⊙ h̃_t + z_t ⊙ h_{t-1}) the direct path is diag(z_t), so a
gradient that travels back k steps along it alone is multiplied by z_T ⊙ z_{T-1} ⊙ ... ⊙ z_{T-k+1}.

Exercises and their checkers:
    1. `check_keep_jacobian(J)`: ∂h_t/∂h_{t-1} (H, H) of one step whose update gate keeps
       (notes' convention, z_t ≈ 4e-18, computed as 0): the identity.
    2. `check_diagonal_power(P)`: the product of k copies of the direct factor diag(z) (H, H),
       torch's convention.
    3. `check_first_lag(k)`: the first lag at which the direct path's factor, counted back from the
       last step, drops below a threshold.

Each `exercise*_inputs()` builds the exercise's numbers from a fixed seed, so the notebook and the
checker see the same values. Nothing is computed at import.
"""

from __future__ import annotations

import math

import numpy as np

from ..equations import candidate, reset_gate, update_gate
from .feedback import ATOL, RTOL, Feedback, as_numbers, check_array, check_whole_number

__all__ = [
    "exercise1_inputs",
    "exercise2_inputs",
    "exercise3_inputs",
    "candidate_jacobian",
    "check_keep_jacobian",
    "check_diagonal_power",
    "check_first_lag",
]

SEED = 7
I, H = 3, 4                # the exercises' shapes: input features, hidden units
KEEP_BIAS = -40.0          # exercise 1's b_z: σ(−40) ≈ 4e-18, the notes' "keep" (our tanh-form σ gives exactly 0)


def exercise1_inputs() -> dict[str, np.ndarray | dict[str, np.ndarray]]:
    """Exercise 1's step, the same on every call: the notes' GRU, reset before U_h, one example.

    Returns {"x": x_t (I,) = (3,), "h_prev": h_{t-1} (H,) = (4,), "gates": the notes' weights
    {"W_r", "W_z", "W_h": (H, I); "U_r", "U_z", "U_h": (H, H); "b_r", "b_z", "b_h", "b_Uh": (H,)}}.
    Every entry of b_z is −40, so z_t = σ(W_z x_t + U_z h_{t-1} − 40) is about 4e-18: the gate keeps.
    (`gru_lesson.sigmoid`, computed as (1 + tanh(a/2)) / 2, returns exactly 0 below a ≈ −38, an artefact of
    the tanh form, not of float64; 1 − z_t is exactly 1 in float64 with either value.)

    >>> p = exercise1_inputs()
    >>> p["x"].shape, p["h_prev"].shape, p["gates"]["U_h"].shape, float(p["gates"]["b_z"][0])
    ((3,), (4,), (4, 4), -40.0)
    """
    rng = np.random.default_rng(SEED)
    k = 1.0 / math.sqrt(H)
    gates = {name: rng.uniform(-k, k, (H, I)) for name in ("W_r", "W_z", "W_h")}          # (H, I) each
    gates |= {name: rng.uniform(-k, k, (H, H)) for name in ("U_r", "U_z", "U_h")}         # (H, H) each
    gates |= {name: rng.uniform(-k, k, H) for name in ("b_r", "b_h")}                     # (H,) each
    gates["b_z"] = np.full(H, KEEP_BIAS)                                                  # (H,)
    gates["b_Uh"] = np.zeros(H)                                                           # (H,): the notes have none
    return {"x": rng.normal(0.0, 1.0, I), "h_prev": rng.uniform(-0.9, 0.9, H), "gates": gates}


def exercise2_inputs() -> dict[str, np.ndarray | int]:
    """Exercise 2's numbers: an update gate in torch's convention (z → 1 keeps) and a number of steps.

    Returns {"z": z (H,) = (4,), the same at every step; "k": 50}.

    >>> exercise2_inputs()["z"], exercise2_inputs()["k"]
    (array([0.5  , 0.9  , 0.99 , 0.999]), 50)
    """
    return {"z": np.array([0.5, 0.9, 0.99, 0.999]), "k": 50}


def exercise3_inputs() -> dict[str, np.ndarray | float]:
    """Exercise 3's numbers: one unit's update gate z_1 ... z_T (torch's convention) and a threshold.

    Returns {"z": (T,) = (120,), values in (0.85, 0.995): the first 70 steps keep more (about 0.98),
    the last 50 less (about 0.9); "threshold": 0.01}.

    >>> p = exercise3_inputs()
    >>> p["z"].shape, p["threshold"]
    ((120,), 0.01)
    """
    rng = np.random.default_rng(SEED + 3)
    z = np.concatenate([rng.uniform(0.96, 0.995, 70), rng.uniform(0.85, 0.95, 50)])   # (T,)
    return {"z": z, "threshold": 0.01}


def candidate_jacobian(x: np.ndarray, h_prev: np.ndarray, gates: dict[str, np.ndarray]) -> np.ndarray:
    """∂h̃_t/∂h_{t-1} (H, H) of the reset-before candidate, for one example x (I,), h_prev (H,).

    ∂h̃_t/∂h_{t-1} = diag(1 − h̃_t²) U_h (diag(r_t) + diag(h_{t-1}) diag(r_t ⊙ (1 − r_t)) U_r):
    h_{t-1} reaches a_h = W_h x_t + U_h (r_t ⊙ h_{t-1}) + b_h directly (scaled by r_t) and through r_t.
    """
    g = gates
    r = reset_gate(x, h_prev, g["W_r"], g["U_r"], g["b_r"])                               # (H,)
    h_cand = candidate(x, h_prev, r, g["W_h"], g["U_h"], g["b_h"], g["b_Uh"])            # (H,)
    # ∂(r_t ⊙ h_{t-1})/∂h_{t-1} = diag(r_t) + diag(h_{t-1}) diag(r_t ⊙ (1 − r_t)) U_r
    d_rh = np.diag(r) + (h_prev * r * (1 - r))[:, None] * g["U_r"]                        # (H, H)
    # ∂h̃_t/∂h_{t-1} = diag(1 − h̃_t²) U_h ∂(r_t ⊙ h_{t-1})/∂h_{t-1}
    return (1 - h_cand**2)[:, None] * (g["U_h"] @ d_rh)                                   # (H, H)


def check_keep_jacobian(J: object) -> Feedback:
    """Exercise 1: ∂h_t/∂h_{t-1} (H, H) = (4, 4) of the step of `exercise1_inputs()`, the notes' convention.

    z_t is about 4e-18 (0 as gru_lesson computes it), so h_t = h_{t-1} in float64: the direct term
    diag(1 − z_t) is the identity, the candidate's term is multiplied by z_t and the update gate's by its
    slope z_t (1 − z_t), both below 1e-17.
    Recognised mistakes: zeros; the candidate's Jacobian (what torch's convention would give at
    z = 0, where h_t = h̃_t), with or without the reset gate's own derivative; a vanilla RNN's
    Jacobian diag(1 − h̃_t²) U_h; the identity as a vector of ones.

    >>> check_keep_jacobian(np.eye(4))
    Correct: J matches.
    """
    p = exercise1_inputs()
    x, h_prev, g = p["x"], p["h_prev"], p["gates"]
    z = update_gate(x, h_prev, g["W_z"], g["U_z"], g["b_z"])                             # (H,)
    # ∂h_t/∂h_{t-1} = diag(1 − z_t) + diag(z_t) ∂h̃_t/∂h_{t-1} + diag(h̃_t − h_{t-1}) diag(z_t (1 − z_t)) U_z,
    # and with z_t = 0 only the first term is left
    expected = np.diag(1 - z)                                                             # (H, H)
    vector = as_numbers(J)
    if vector is not None and vector.shape == (H,):
        if np.allclose(vector, np.diag(expected), rtol=RTOL, atol=ATOL):
            return Feedback(False, "Not yet: your vector is the diagonal of the answer, but ∂h_t/∂h_{t-1} is a "
                                   "(4, 4) matrix: entry (i, j) is ∂h_t[i]/∂h_{t-1}[j]. Use np.diag(...).")
    r = reset_gate(x, h_prev, g["W_r"], g["U_r"], g["b_r"])                               # (H,)
    h_cand = candidate(x, h_prev, r, g["W_h"], g["U_h"], g["b_h"], g["b_Uh"])            # (H,)
    mistakes = {
        "you read z_t = 0 as \"replace\", torch's convention, and conclude that nothing of h_{t-1} is left. "
        "In the notes' convention z_t = 0 KEEPS the memory: h_t = (1 − 0) ⊙ h_{t-1} + 0 ⊙ h̃_t = h_{t-1}":
            np.zeros((H, H)),
        "you differentiate the candidate h̃_t. That is the answer in torch's convention, where z_t = 0 "
        "gives h_t = h̃_t; in the notes' convention z_t = 0 multiplies the candidate by 0":
            candidate_jacobian(x, h_prev, g),
        "you differentiate the candidate h̃_t (and leave out the reset gate's own dependence on h_{t-1}). "
        "In the notes' convention z_t = 0 multiplies the candidate by 0":
            (1 - h_cand**2)[:, None] * (g["U_h"] * r[None, :]),
        "you give a vanilla RNN's Jacobian diag(1 − h̃_t²) U_h. The GRU's state does not go through "
        "U_h and tanh when the update gate keeps it":
            (1 - h_cand**2)[:, None] * g["U_h"],
    }
    return check_array(J, expected, "J", mistakes=mistakes)


def check_diagonal_power(P: object) -> Feedback:
    """Exercise 2: diag(z)^k (H, H) = (4, 4) for the z and k of `exercise2_inputs()`, torch's convention.

    torch's direct term is diag(z_t); k copies of the same diagonal matrix multiply entry by entry
    on the diagonal: diag(z^k). Recognised mistakes: the notes' factor 1 − z; the linearisation
    1 − k (1 − z); multiplying by k instead of raising to the power k; the diagonal as a vector.

    >>> p = exercise2_inputs()
    >>> check_diagonal_power(np.diag(p["z"] ** p["k"]))
    Correct: P matches.
    """
    p = exercise2_inputs()
    z, k = p["z"], p["k"]                                                                 # (H,), int
    # diag(z) diag(z) ... diag(z)  (k factors)  =  diag(z^k)
    expected = np.diag(z**k)                                                              # (H, H)
    vector = as_numbers(P)
    if vector is not None and vector.shape == (H,):
        if np.allclose(vector, z**k, rtol=1e-6, atol=1e-12):
            return Feedback(False, "Not yet: your vector is the diagonal of the answer, but the product of "
                                   "matrices is a (4, 4) matrix. Use np.diag(...).")
    mistakes = {
        "you use the notes' factor 1 − z. The gate is given in torch's convention, where the direct path "
        "multiplies h_{t-1} by z_t itself (z → 1 keeps), so the factor is diag(z)":
            np.diag((1 - z) ** k),
        "you linearise: (1 − ε)^k ≈ 1 − k ε holds only while k ε is much smaller than 1. Raise z to the "
        "power k":
            np.diag(1 - k * (1 - z)),
        "you multiply by k. A product of k equal factors is a power: z^k":
            np.diag(k * z),
    }
    return check_array(P, expected, "P", mistakes=mistakes, rtol=1e-6, atol=1e-12)


def _first_below(factors: np.ndarray, threshold: float) -> int | None:
    """The smallest k >= 1 with factors[0] * ... * factors[k-1] < threshold, or None if there is none."""
    below = np.flatnonzero(np.cumprod(factors) < threshold)
    return int(below[0]) + 1 if below.size else None


def check_first_lag(k: object) -> Feedback:
    """Exercise 3: the first lag k at which z_T ⊙ z_{T-1} ⊙ ... ⊙ z_{T-k+1} < threshold.

    The inputs are those of `exercise3_inputs()`: a gradient arriving at h_T travels back k steps along
    the direct path of torch's convention and is multiplied by the last k gate values.
    k: a whole number of steps (an int, or a number equal to one).
    Recognised mistakes: multiplying from the first step forwards; the index counted from 0 (one
    less); the notes' factor 1 − z.

    >>> p = exercise3_inputs()
    >>> check_first_lag(int(np.argmax(np.cumprod(p["z"][::-1]) < p["threshold"])) + 1)
    Correct: k = 40.
    """
    p = exercise3_inputs()
    z, threshold = p["z"], p["threshold"]                                                 # (T,), float
    expected = _first_below(z[::-1], threshold)                                           # the gradient runs backwards
    candidates = {
        "you multiply from the FIRST step forwards. The gradient starts at the last step h_T and travels "
        "back, so the first factor is z_T, then z_{T-1}, ...: reverse the sequence (z[::-1])":
            _first_below(z, threshold),
        "you give the index of the first product below the threshold, counted from 0. The lag is that "
        "index plus one (the product of the first k factors has index k − 1)":
            expected - 1,
        "you use the notes' factor 1 − z_t; the gate is given in torch's convention, where the direct "
        "path multiplies by z_t itself":
            _first_below(1 - z[::-1], threshold),
    }
    mistakes = {value: text for text, value in candidates.items() if value is not None and value != expected}
    return check_whole_number(k, expected, "k", mistakes=mistakes,
                              hint="multiply the gate values from z_T backwards and stop at the first product below the threshold")

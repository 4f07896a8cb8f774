"""Chapter 11, "The gates at work": checkers for its exercises.

The facts the exercises practise (the notes' convention: z_t → 1 replaces the memory):

    r_t = σ(W_r x_t + U_r h_{t-1} + b_r)              z_notes = 1 − z_torch = σ(−a_z)
    the explorer's unit: one hidden unit, every weight 1, so with scalars
        r = σ(x + h + b_r),  z = σ(x + h + b_z),  h̃ = tanh(x + r·h + b_h),  h_t = (1 − z)·h + z·h̃
    the inverse of σ is the logit, σ⁻¹(p) = ln(p / (1 − p))

Exercises and their checkers:
    1. `check_notes_update_gate(z_notes)` for `exercise1_inputs()`: the notes' z_t of a GRU whose
       weights are in torch's convention.
    2. `check_keep_bias(b_z)`: the bias that makes the explorer's unit keep 99% of its memory.
    3. `check_explorer_step(h_t)`: one step of the explorer's unit at `EXPLORER_PRESET`, by hand.

Nothing is computed at import, and torch is never imported here.
"""

from __future__ import annotations

import math

import numpy as np

from ..activations import sigmoid
from ..equations import candidate, new_state, reset_gate, update_gate
from ..layer import GRU
from .feedback import Feedback, check_array, one_number

__all__ = [
    "EXPLORER_PRESET",
    "KEEP_INPUTS",
    "exercise1_inputs",
    "explorer_step",
    "check_notes_update_gate",
    "check_keep_bias",
    "check_explorer_step",
]

SEED = 11

# Exercise 2: the unit's input and memory, and how much of the memory to keep.
KEEP_INPUTS = dict(x_t=0.5, h_prev=0.8, keep=0.99)

# Exercise 3: one setting of the explorer's sliders.
EXPLORER_PRESET = dict(x_t=0.5, h_prev=-0.6, b_r=-3.0, b_z=2.0, b_h=0.0)


def explorer_step(x_t: float, h_prev: float, b_r: float, b_z: float, b_h: float) -> dict[str, float]:
    """One step of the explorer's unit: one hidden unit, one input, every weight 1, notes' convention.

    x_t, h_prev: the input and the previous state (numbers).  b_r, b_z, b_h: the three biases,
    which shift the pre-activations a_r = x + h + b_r, a_z = x + h + b_z, a_h = x + r·h + b_h.
    Returns {"a_r", "a_z", "a_h", "r", "z", "h_cand", "h_t"}, all floats, computed with the module's
    reset_gate, update_gate, candidate (reset before U_h) and new_state (update="notes").

    >>> step = explorer_step(0.0, 0.5, b_r=0.0, b_z=-30.0, b_h=0.0)   # z ≈ 0: keep
    >>> round(step["h_t"], 6)
    0.5
    """
    one = np.ones((1, 1))                                                  # every weight: (H, I) = (H, H) = (1, 1)
    x, h = np.array([float(x_t)]), np.array([float(h_prev)])              # (I,) = (1,), (H,) = (1,)
    r = reset_gate(x, h, one, one, np.array([float(b_r)]))                 # (1,)
    z = update_gate(x, h, one, one, np.array([float(b_z)]))                # (1,)
    h_cand = candidate(x, h, r, one, one, np.array([float(b_h)]))          # (1,)
    h_t = new_state(h, h_cand, z, update="notes")                          # (1,)
    return {
        "a_r": float(x[0] + h[0] + b_r), "a_z": float(x[0] + h[0] + b_z), "a_h": float(x[0] + r[0] * h[0] + b_h),
        "r": float(r[0]), "z": float(z[0]), "h_cand": float(h_cand[0]), "h_t": float(h_t[0]),
    }


# --------------------------------------------------------------------------------------------
# Exercise 1: the notes' update gate from torch's weights


def exercise1_inputs() -> dict[str, object]:
    """Exercise 1's inputs: a GRU's gates in torch's convention, a batch x_t and h_{t-1}.

    Returns {"gates": the notes' names -> arrays (W_* (4, 2), U_* (4, 4), b_* (4,)) of
    GRU(2, 4, seed=11) in torch's convention (z → 1 keeps), "x_t": (3, 2), "h_prev": (3, 4)}.

    >>> p = exercise1_inputs()
    >>> p["gates"]["W_z"].shape, p["x_t"].shape, p["h_prev"].shape
    ((4, 2), (3, 2), (3, 4))
    """
    gates = GRU(2, 4, seed=SEED).gates()
    rng = np.random.default_rng(SEED)
    return {"gates": gates, "x_t": rng.normal(size=(3, 2)), "h_prev": rng.uniform(-1, 1, size=(3, 4))}


def check_notes_update_gate(z_notes: object) -> Feedback:
    """Exercise 1: is z_notes the notes' update gate (z → 1 replaces) for exercise1_inputs()?

    z_notes: the learner's answer, shape (N, H) = (3, 4): 1 − σ(W_z x_t + U_z h_{t-1} + b_z) with
    the given (torch-convention) weights, equivalently σ of the negated pre-activation.
    Recognised mistakes: torch's z itself (no conversion); the reset gate, or 1 − r; the bias
    left out; the weights negated but the bias not.

    >>> p = exercise1_inputs(); g = p["gates"]
    >>> check_notes_update_gate(1 - update_gate(p["x_t"], p["h_prev"], g["W_z"], g["U_z"], g["b_z"]))
    Correct: z_notes matches: 1 − z_torch, the share of the new candidate in h_t.
    """
    p = exercise1_inputs()
    g, x, h = p["gates"], p["x_t"], p["h_prev"]
    z_torch = update_gate(x, h, g["W_z"], g["U_z"], g["b_z"])                             # (3, 4)
    r = reset_gate(x, h, g["W_r"], g["U_r"], g["b_r"])                                     # (3, 4)
    mistakes = {
        "you kept torch's z, which is the share of the OLD memory (z → 1 keeps). The notes' z is the share "
        "of the new candidate: 1 − z_torch": z_torch,
        "you computed the reset gate r_t (weights W_r, U_r, b_r); the update gate uses W_z, U_z, b_z": r,
        "you computed 1 − r_t: right conversion, wrong gate (use W_z, U_z, b_z)": 1 - r,
        "you left out the bias b_z": 1 - sigmoid(x @ g["W_z"].T + h @ g["U_z"].T),
        "you negated W_z and U_z but not b_z: the whole pre-activation must change sign":
            sigmoid(-(x @ g["W_z"].T) - h @ g["U_z"].T + g["b_z"]),
    }
    verdict = check_array(z_notes, 1 - z_torch, "z_notes", mistakes=mistakes)
    if verdict:
        return Feedback(True, "Correct: z_notes matches: 1 − z_torch, the share of the new candidate in h_t.")
    return verdict


# --------------------------------------------------------------------------------------------
# Exercise 2: a bias that keeps


def check_keep_bias(b_z: object) -> Feedback:
    """Exercise 2: does b_z make the explorer's unit keep KEEP_INPUTS["keep"] = 99% of h_{t-1}?

    b_z: the learner's number. With x_t = 0.5, h_{t-1} = 0.8 and every weight 1, the notes' update
    gate is z = σ(x_t + h_{t-1} + b_z) and h_t keeps the share 1 − z of h_{t-1}; keeping 0.99 needs
    z = 0.01, so b_z = ln(0.01 / 0.99) − 1.3 ≈ −5.895.
    Recognised mistakes: torch's reading (z = 0.99 keeps, which is also what a logit with the wrong
    sign gives); forgetting that x_t + h_{t-1} is part of the pre-activation; ln(z) taken for the
    inverse of σ.

    >>> check_keep_bias(math.log(0.01 / 0.99) - 1.3)  # doctest: +NORMALIZE_WHITESPACE
    Correct: b_z matches: z = σ(0.5 + 0.8 + b_z) = 0.01, so h_t keeps 99% of h_{t-1} and takes 1%
    of the candidate.
    """
    x, h, keep = KEEP_INPUTS["x_t"], KEEP_INPUTS["h_prev"], KEEP_INPUTS["keep"]
    z = 1 - keep                                                           # the notes' z: the share replaced
    logit = math.log(z / (1 - z))
    expected = logit - (x + h)
    mistakes = {
        "you read z → 1 as keep (torch's convention). In the notes' convention, which the explorer uses, "
        f"keeping {keep:.0%} means z = {z:.2f}": math.log(keep / (1 - keep)) - (x + h),
        f"you solved σ(b_z) = {z:.2f}, but the gate's pre-activation is x_t + h_{{t-1}} + b_z: subtract "
        f"x_t + h_{{t-1}} = {x + h}": logit,
        "you inverted σ with ln(z). The inverse of σ is the logit, ln(z / (1 − z))": math.log(z) - (x + h),
    }
    verdict = check_array(one_number(b_z), np.asarray(expected), "b_z", mistakes=mistakes, rtol=1e-6, atol=1e-6)
    if verdict:
        step = explorer_step(x, h, 0.0, expected, 0.0)
        return Feedback(True, f"Correct: b_z matches: z = σ({x} + {h} + b_z) = {step['z']:.2f}, so h_t keeps "
                              f"{1 - step['z']:.0%} of h_{{t-1}} and takes {step['z']:.0%} of the candidate.")
    return verdict


# --------------------------------------------------------------------------------------------
# Exercise 3: one step of the explorer's unit


def check_explorer_step(h_t: object) -> Feedback:
    """Exercise 3: is h_t the explorer's unit's new state at EXPLORER_PRESET (notes' convention)?

    h_t: the learner's number. With x = 0.5, h = −0.6, b_r = −3, b_z = 2, b_h = 0 and every weight 1:
    r = σ(x + h + b_r), z = σ(x + h + b_z), h̃ = tanh(x + r·h + b_h), h_t = (1 − z)·h + z·h̃.
    Recognised mistakes: torch's update (z keeps); no reset (r = 1 in the candidate); the reset
    applied to the whole pre-activation; h̃ without tanh; the gates from x alone.

    >>> p = EXPLORER_PRESET
    >>> check_explorer_step(explorer_step(**p)["h_t"])  # doctest: +NORMALIZE_WHITESPACE
    Correct: h_t matches. z = 0.87 replaces most of the memory, and r = 0.04 keeps the old
    state out of the candidate: h̃ = 0.44 is built almost from x_t alone.
    """
    p = EXPLORER_PRESET
    x, h, b_r, b_z, b_h = p["x_t"], p["h_prev"], p["b_r"], p["b_z"], p["b_h"]
    step = explorer_step(**p)
    r, z = step["r"], step["z"]

    def blend(cand: float, gate: float = z) -> float:
        return (1 - gate) * h + gate * cand

    mistakes = {
        "you used torch's update, (1 − z)·h̃ + z·h. The explorer follows the notes: (1 − z)·h_{t-1} + z·h̃":
            (1 - z) * step["h_cand"] + z * h,
        "you left the reset gate out of the candidate (as if r = 1): h̃ = tanh(x + r·h_{t-1} + b_h)":
            blend(math.tanh(x + h + b_h)),
        "you multiplied the whole pre-activation by r; the reset gate scales only h_{t-1}: "
        "h̃ = tanh(x + r·h_{t-1} + b_h)": blend(math.tanh(r * (x + h + b_h))),
        "you forgot the tanh in the candidate": blend(x + r * h + b_h),
        "you computed the gates from x_t alone; each gate reads x_t AND h_{t-1}: σ(x + h + b)":
            blend(math.tanh(x + sigmoid(np.float64(x + b_r)) * h + b_h), float(sigmoid(np.float64(x + b_z)))),
    }
    verdict = check_array(one_number(h_t), np.asarray(step["h_t"]), "h_t", mistakes=mistakes)
    if verdict:
        return Feedback(True, f"Correct: h_t matches. z = {z:.2f} replaces most of the memory, and r = {r:.2f} "
                              f"keeps the old state out of the candidate: h̃ = {step['h_cand']:.2f} is built "
                              "almost from x_t alone.")
    return verdict

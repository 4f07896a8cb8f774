"""Chapter 3, "The update gate": checkers for its exercises.

The chapter's equations, in the notes' symbols:

    z_t = σ(W_z x_t + U_z h_{t-1} + b_z)                  the update gate
    h_t = (1 − z_t) ⊙ h_{t-1} + z_t ⊙ h̃_t                 the notes' update:  z → 0 keeps, z → 1 replaces
    h_t = (1 − z_t) ⊙ h̃_t + z_t ⊙ h_{t-1}                 torch's update:     z → 1 keeps, z → 0 replaces

and the bridge between them: z_notes = 1 − z_torch, and σ(−a) = 1 − σ(a), so the notes' model with
(−W_z, −U_z, −b_z) computes exactly what torch's model computes with (W_z, U_z, b_z).

Exercises and their checkers:
    1. `check_notes_update(h_t)`: h_t in the notes' convention from given z_t, h_{t-1}, h̃_t.
    2. `check_notes_update_weights(W_z, U_z, b_z)`: torch-convention update weights -> the notes'.
    3. `check_half_life(t)`: the first step at which a kept memory has fallen to one half.

Each `exercise*_inputs()` builds the exercise's arrays from a fixed seed, so the notebook and the
checker see the same numbers. Nothing is computed at import.
"""

from __future__ import annotations

import math

import numpy as np

from ..equations import new_state
from .feedback import ATOL, RTOL, Feedback, as_numbers, check_array, check_whole_number

__all__ = [
    "HALF_LIFE_Z",
    "exercise1_inputs",
    "exercise2_inputs",
    "check_notes_update",
    "check_notes_update_weights",
    "check_half_life",
]

SEED = 3
N, I, H = 2, 3, 4          # the exercises' shapes: batch, input features, hidden units
HALF_LIFE_Z = 0.1          # exercise 3's constant update gate, in the notes' convention


def exercise1_inputs() -> dict[str, np.ndarray]:
    """Exercise 1's arrays, the same on every call.

    Returns {"z": z_t, "h_prev": h_{t-1}, "h_cand": h̃_t}, each of shape (N, H) = (2, 4); z_t in (0, 1).

    >>> {k: v.shape for k, v in exercise1_inputs().items()}
    {'z': (2, 4), 'h_prev': (2, 4), 'h_cand': (2, 4)}
    """
    rng = np.random.default_rng(SEED)
    z = rng.uniform(0.05, 0.95, (N, H))                    # (N, H)
    h_prev = rng.uniform(-1.0, 1.0, (N, H))                # (N, H)
    h_cand = np.tanh(rng.normal(0.0, 1.5, (N, H)))         # (N, H)
    return {"z": z, "h_prev": h_prev, "h_cand": h_cand}


def exercise2_inputs() -> dict[str, np.ndarray]:
    """Exercise 2's update-gate weights of a torch-convention GRU, the same on every call.

    Returns {"W_z": (H, I), "U_z": (H, H), "b_z": (H,)} with H = 4, I = 3, drawn like torch's
    initial weights from U(−1/√H, 1/√H).

    >>> {k: v.shape for k, v in exercise2_inputs().items()}
    {'W_z': (4, 3), 'U_z': (4, 4), 'b_z': (4,)}
    """
    rng = np.random.default_rng(SEED + 1)
    k = 1.0 / math.sqrt(H)
    return {
        "W_z": rng.uniform(-k, k, (H, I)),                  # (H, I)
        "U_z": rng.uniform(-k, k, (H, H)),                  # (H, H)
        "b_z": rng.uniform(-k, k, H),                       # (H,)
    }


def check_notes_update(h_t: object) -> Feedback:
    """Exercise 1: is h_t = (1 − z_t) ⊙ h_{t-1} + z_t ⊙ h̃_t for the arrays of `exercise1_inputs()`?

    h_t: the learner's answer, expected of shape (N, H) = (2, 4).
    Recognised mistakes: torch's convention; dropping the (1 − z_t) factor; leaving out the kept
    memory (1 − z_t) ⊙ h_{t-1}.

    >>> check_notes_update(None)
    Not yet: h_t is still None. Replace the None with your computation.
    """
    a = exercise1_inputs()
    z, h_prev, h_cand = a["z"], a["h_prev"], a["h_cand"]    # (N, H) each
    # h_t = (1 − z_t) ⊙ h_{t-1} + z_t ⊙ h̃_t
    expected = new_state(h_prev, h_cand, z, update="notes")  # (N, H)
    mistakes = {
        "you use torch's convention, (1 − z_t) ⊙ h̃_t + z_t ⊙ h_{t-1}. In the notes' convention z_t "
        "is the share of the NEW memory, so z_t multiplies h̃_t and (1 − z_t) multiplies h_{t-1}":
            new_state(h_prev, h_cand, z, update="torch"),
        "you drop the (1 − z_t) factor: h_{t-1} + z_t ⊙ h̃_t. The old memory must shrink by as much "
        "as the new one grows, so that the two weights add up to 1":
            h_prev + z * h_cand,
        "you keep only the new part z_t ⊙ h̃_t. Add the kept memory (1 − z_t) ⊙ h_{t-1}":
            z * h_cand,
    }
    return check_array(h_t, expected, "h_t", mistakes=mistakes)


def check_notes_update_weights(W_z_notes: object, U_z_notes: object, b_z_notes: object) -> Feedback:
    """Exercise 2: the notes'-convention update weights that compute the same GRU as `exercise2_inputs()`.

    W_z_notes: (H, I) = (4, 3).  U_z_notes: (H, H) = (4, 4).  b_z_notes: (H,) = (4,).  The right answer
    is (−W_z, −U_z, −b_z) of the torch-convention weights, because σ(−a) = 1 − σ(a).
    Recognised mistakes (judged on the three arrays together): negating only b_z; negating W_z and
    U_z but not b_z; 1 − W_z, 1 − U_z, 1 − b_z; leaving the weights as they are.

    >>> t = exercise2_inputs()
    >>> bool(check_notes_update_weights(-t["W_z"], -t["U_z"], -t["b_z"]))
    True
    """
    torch_side = exercise2_inputs()
    names = ("W_z", "U_z", "b_z")
    answer = dict(zip(names, (W_z_notes, U_z_notes, b_z_notes)))
    # z_notes = 1 − z_torch = 1 − σ(a) = σ(−a): negate all three
    expected = {name: -torch_side[name] for name in names}
    for name in names:
        if answer[name] is None:
            return Feedback(False, f"Not yet: {name}_notes is still None. Replace the None with your computation.")
    mistakes = {
        "you negate only b_z. σ(W_z x_t + U_z h_{t-1} − b_z) is not 1 − σ(W_z x_t + U_z h_{t-1} + b_z): "
        "the whole pre-activation a must change sign, so negate W_z and U_z too":
            {"W_z": torch_side["W_z"], "U_z": torch_side["U_z"], "b_z": -torch_side["b_z"]},
        "you negate W_z and U_z but not b_z. The bias is part of the pre-activation a, "
        "and σ(−a) = 1 − σ(a) needs all of a negated":
            {"W_z": -torch_side["W_z"], "U_z": -torch_side["U_z"], "b_z": torch_side["b_z"]},
        "you take 1 − W_z, 1 − U_z, 1 − b_z. The gate's OUTPUT flips, z → 1 − z, but σ is not linear: "
        "1 − σ(a) = σ(−a), so the weights are negated, not subtracted from 1":
            {name: 1 - torch_side[name] for name in names},
        "you leave the weights unchanged. Then the notes' formula reads z_t as the share of new memory "
        "where torch meant the share of old memory: negate W_z, U_z and b_z":
            {name: torch_side[name] for name in names},
    }
    got = {name: as_numbers(answer[name]) for name in names}
    if all(got[n] is not None and got[n].shape == expected[n].shape for n in names):
        if not all(np.allclose(got[n], expected[n], rtol=RTOL, atol=ATOL) for n in names):
            for explanation, wrong in mistakes.items():
                if all(np.allclose(got[n], wrong[n], rtol=RTOL, atol=ATOL) for n in names):
                    return Feedback(False, f"Not yet: {explanation}.")
    for name in names:
        verdict = check_array(answer[name], expected[name], f"{name}_notes")
        if not verdict:
            return verdict
    return Feedback(True, "Correct: W_z, U_z and b_z are negated, so the notes' z_t is 1 − torch's z_t "
                          "and both conventions compute the same h_t.")


def check_half_life(t: object) -> Feedback:
    """Exercise 3: the first step t at which h_t ≤ h_0 / 2, with z_t = 0.1 (notes' convention) and h̃_t = 0.

    Then h_t = (1 − z)^t h_0 = 0.9^t h_0, and the answer is the smallest whole t with 0.9^t ≤ 0.5: 7.
    t: a whole number of steps (an int, or a number equal to one).
    Recognised mistakes: torch's convention (z = 0.1 keeps only 10 % per step); the continuous
    half-life ln 0.5 / ln 0.9 ≈ 6.58 not rounded up; the last step still above one half (6).

    >>> check_half_life(7)
    Correct: t = 7.
    """
    keep = 1 - HALF_LIFE_Z                                        # the share of h_{t-1} kept per step
    continuous = math.log(0.5) / math.log(keep)                  # 0.9^t = 0.5
    expected = math.ceil(continuous)
    mistakes = {
        math.ceil(math.log(0.5) / math.log(HALF_LIFE_Z)):
            "you use torch's convention, where z_t = 0.1 would keep only 10 % of the memory per step. "
            "In the notes' convention it keeps 1 − z_t = 90 %, so h_t = 0.9^t h_0",
        continuous:
            "you solve 0.9^t = 0.5 exactly, t = ln 0.5 / ln 0.9 ≈ 6.58, but the state only changes at whole "
            "steps: round up to the first step where 0.9^t ≤ 0.5",
        expected - 1: "you stop one step early: 0.9^6 ≈ 0.531 is still above one half",
    }
    return check_whole_number(t, expected, "t", mistakes=mistakes, hint="find the first t with 0.9^t ≤ 0.5")

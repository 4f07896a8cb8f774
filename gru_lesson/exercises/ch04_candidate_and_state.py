"""Chapter 4, "The candidate and the new hidden state": checkers for its exercises.

The chapter's equations, in the notes' symbols (b_hn is torch's second candidate bias, called
b_Uh in `gru_lesson.equations`):

    h̃_t = tanh(W_h x_t + U_h (r_t ⊙ h_{t-1}) + b_h)              reset BEFORE U_h (the notes, Cho et al. 2014)
    h̃_t = tanh(W_h x_t + b_h + r_t ⊙ (U_h h_{t-1} + b_hn))       reset AFTER U_h (torch, cuDNN)
    h_t = (1 − z_t) ⊙ h̃_t + z_t ⊙ h_{t-1}                        torch's update (exercise 3)

Exercises and their checkers:
    1. `check_candidate_after(h_cand)`: h̃_t in the reset-after form.
    2. `check_products_per_step(before, after)`: recurrent matrix products per time step, each form.
    3. `check_torch_step(h_t)`: one whole step in torch's form, from the four equation functions.

Each `exercise*_inputs()` builds the exercise's arrays from a fixed seed, so the notebook and the
checker see the same numbers. Nothing is computed at import.
"""

from __future__ import annotations

import numpy as np

from ..cell import gru_cell
from ..equations import candidate, reset_gate, update_gate
from ..layer import GRU
from .feedback import Feedback, as_whole_number, check_array

__all__ = [
    "exercise1_inputs",
    "exercise3_inputs",
    "check_candidate_after",
    "check_products_per_step",
    "check_torch_step",
]

SEED = 4
N, I, H = 2, 3, 4          # the exercises' shapes: batch, input features, hidden units


def exercise1_inputs() -> dict[str, np.ndarray]:
    """Exercise 1's arrays, the same on every call.

    Returns {"x": x_t (N, I), "h_prev": h_{t-1} (N, H), "r": r_t (N, H) in (0, 1),
             "W_h": (H, I), "U_h": (H, H), "b_h": (H,), "b_hn": (H,)} with N = 2, I = 3, H = 4.

    >>> {k: v.shape for k, v in exercise1_inputs().items()}["U_h"]
    (4, 4)
    """
    rng = np.random.default_rng(SEED)
    return {
        "x": rng.normal(0.0, 1.0, (N, I)),                  # (N, I)
        "h_prev": rng.uniform(-1.0, 1.0, (N, H)),           # (N, H)
        "r": rng.uniform(0.05, 0.95, (N, H)),               # (N, H)
        "W_h": rng.normal(0.0, 0.6, (H, I)),                # (H, I)
        "U_h": rng.normal(0.0, 0.6, (H, H)),                # (H, H)
        "b_h": rng.normal(0.0, 0.3, H),                     # (H,)
        "b_hn": rng.normal(0.0, 0.3, H),                    # (H,)
    }


def exercise3_inputs() -> dict[str, object]:
    """Exercise 3's step, the same on every call.

    Returns {"x": x_t (N, I), "h_prev": h_{t-1} (N, H), "gates": the notes' per-gate weights of a
    torch-style GRU (see `conventions.split_gates`)} with N = 2, I = 3, H = 4.

    >>> sorted(exercise3_inputs()["gates"])[:3]
    ['U_h', 'U_r', 'U_z']
    """
    rng = np.random.default_rng(SEED + 1)
    x = rng.normal(0.0, 1.0, (N, I))                        # (N, I)
    h_prev = rng.uniform(-1.0, 1.0, (N, H))                 # (N, H)
    gates = GRU(I, H, seed=SEED + 1).gates()                # W_*: (H, I), U_*: (H, H), b_*: (H,)
    return {"x": x, "h_prev": h_prev, "gates": gates}


def check_candidate_after(h_cand: object) -> Feedback:
    """Exercise 1: is h_cand = tanh(W_h x_t + b_h + r_t ⊙ (U_h h_{t-1} + b_hn)) for `exercise1_inputs()`?

    h_cand: the learner's answer, expected of shape (N, H) = (2, 4).
    Recognised mistakes: the reset-before form (with or without b_hn); b_hn forgotten; b_hn outside the reset product;
    U_h transposed (h @ U_h instead of h @ U_h.T); the reset gate left out.

    >>> check_candidate_after(None)
    Not yet: h̃_t is still None. Replace the None with your computation.
    """
    a = exercise1_inputs()
    x, h, r, W_h, U_h, b_h, b_hn = (a[k] for k in ("x", "h_prev", "r", "W_h", "U_h", "b_h", "b_hn"))
    # h̃_t = tanh(W_h x_t + b_h + r_t ⊙ (U_h h_{t-1} + b_hn))
    expected = candidate(x, h, r, W_h, U_h, b_h, b_hn, reset_after=True)          # (N, H)
    mistakes = {
        "the reset acts BEFORE U_h, tanh(W_h x_t + U_h (r_t ⊙ h_{t-1}) + b_h + b_hn): that is the notes' "
        "form. Here r_t multiplies the finished recurrent term U_h h_{t-1} + b_hn":
            candidate(x, h, r, W_h, U_h, b_h, b_hn, reset_after=False),
        "you use the notes' form, tanh(W_h x_t + U_h (r_t ⊙ h_{t-1}) + b_h): the reset acts before U_h "
        "and b_hn is missing. Here r_t multiplies (U_h h_{t-1} + b_hn), the finished recurrent term":
            candidate(x, h, r, W_h, U_h, b_h, 0.0, reset_after=False),
        "b_hn is missing: torch's candidate has two biases, b_h outside the reset product and b_hn inside it":
            np.tanh(x @ W_h.T + b_h + r * (h @ U_h.T)),
        "b_hn sits outside the reset product, tanh(W_h x_t + b_h + r_t ⊙ (U_h h_{t-1}) + b_hn). In the "
        "reset-after form r_t multiplies b_hn too, (U_h h_{t-1} + b_hn) as a whole":
            np.tanh(x @ W_h.T + b_h + r * (h @ U_h.T) + b_hn),
        "U_h is transposed: with rows as examples, U_h h_{t-1} is h_prev @ U_h.T, not h_prev @ U_h":
            np.tanh(x @ W_h.T + b_h + r * (h @ U_h + b_hn)),
        "the reset gate is left out, tanh(W_h x_t + b_h + U_h h_{t-1} + b_hn): multiply (U_h h_{t-1} + b_hn) by r_t":
            np.tanh(x @ W_h.T + b_h + (h @ U_h.T + b_hn)),
    }
    return check_array(h_cand, expected, "h̃_t", mistakes=mistakes)


def check_products_per_step(before: object, after: object) -> Feedback:
    """Exercise 2: recurrent matrix products per time step, fused as far as the data dependences allow.

    before: the count for the reset-before form; after: for the reset-after form (whole numbers).
    Counted: products with a U matrix inside the time loop (W x_t for all steps is one product before
    the loop), where products that need only h_{t-1} are fused into one. Right answer: 2 and 1.
    Recognised mistakes: (3, 3), the unfused count; (1, 1), the before form fused as if r_t were known;
    (2, 2) and (1, 2).

    >>> check_products_per_step(2, 1)
    Correct: before = 2 and after = 1.
    """
    counts = []
    for name, value in (("before", before), ("after", after)):
        count, refusal = as_whole_number(value, name)
        if refusal is not None:
            return refusal
        counts.append(count)
    got = tuple(counts)
    if got == (2, 1):
        return Feedback(True, "Correct: before = 2 and after = 1.")
    known = {
        (3, 3): "you count the unfused products U_r h_{t-1}, U_z h_{t-1}, U_h (...). Fuse those whose inputs "
                "are ready at the same moment into one product with a stacked matrix",
        (1, 1): "you fuse all three products in the before form too. There U_h multiplies r_t ⊙ h_{t-1}, and "
                "r_t is known only after the first product: U_h must wait, so it is a second product",
        (2, 2): "you keep U_h separate in the after form too. There U_h multiplies h_{t-1} itself, which is "
                "known before the step starts, so [U_r; U_z; U_h] h_{t-1} is a single (N, H) @ (H, 3H) product",
        (1, 2): "you swapped the two forms: it is the reset-BEFORE form that must wait for r_t",
    }
    if got in known:
        return Feedback(False, f"Not yet: {known[got]}.")
    return Feedback(False, f"Not yet: before = {got[0]}, after = {got[1]} is not it. Count only the "
                           "products with U inside the loop, and ask for each one: which inputs must be "
                           "ready before it can start?")


def check_torch_step(h_t: object) -> Feedback:
    """Exercise 3: one GRU step in torch's form (reset after U_h, torch's update) for `exercise3_inputs()`.

    h_t: the learner's answer, expected of shape (N, H) = (2, 4).
    Recognised mistakes: the notes' update convention; the reset-before candidate; both at once;
    returning the candidate h̃_t or the update gate z_t instead of h_t.

    >>> check_torch_step(None)
    Not yet: h_t is still None. Replace the None with your computation.
    """
    a = exercise3_inputs()
    x, h, g = a["x"], a["h_prev"], a["gates"]
    expected = gru_cell(x, h, g, reset_after=True, update="torch")                 # (N, H)
    r = reset_gate(x, h, g["W_r"], g["U_r"], g["b_r"])                              # (N, H)
    z = update_gate(x, h, g["W_z"], g["U_z"], g["b_z"])                             # (N, H)
    mistakes = {
        "you use the notes' update, (1 − z_t) ⊙ h_{t-1} + z_t ⊙ h̃_t. torch's is (1 − z_t) ⊙ h̃_t + z_t ⊙ h_{t-1}: "
        "pass update=\"torch\" to new_state":
            gru_cell(x, h, g, reset_after=True, update="notes"),
        "you compute the candidate with the reset BEFORE U_h. torch applies it after: pass reset_after=True "
        "to candidate, with b_Uh=gates[\"b_Uh\"]":
            gru_cell(x, h, g, reset_after=False, update="torch"),
        "both switches are the notes' ones (reset before U_h, notes' update). torch uses reset_after=True "
        "and update=\"torch\"":
            gru_cell(x, h, g, reset_after=False, update="notes"),
        "you return the candidate h̃_t, not h_t: blend it with h_{t-1}, weighted by z_t":
            candidate(x, h, r, g["W_h"], g["U_h"], g["b_h"], g["b_Uh"], reset_after=True),
        "you return the update gate z_t, not h_t: z_t is the weight of the blend, not the blend":
            z,
    }
    return check_array(h_t, expected, "h_t", mistakes=mistakes)

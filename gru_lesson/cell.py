"""Chapter 4: one GRU step, x_t and h_{t-1} -> h_t, from the four equations; and that step over a sequence.

    r_t = σ(W_r x_t + U_r h_{t-1} + b_r)
    z_t = σ(W_z x_t + U_z h_{t-1} + b_z)
    h̃_t = tanh(W_h x_t + U_h (r_t ⊙ h_{t-1}) + b_h + b_Uh) (or the reset-after form; b_Uh = 0 in the notes)
    h_t = (1 − z_t) ⊙ h_{t-1} + z_t ⊙ h̃_t                  (or torch's update)

This is the readable reference: one call per equation, one call per step (`gru_sequence`).
`direction.direction_forward` computes the same thing fused for speed, and the tests and
chapters 5 and 13 hold the two to each other.
"""

from __future__ import annotations

import numpy as np

from .equations import candidate, new_state, reset_gate, update_gate

__all__ = ["gru_cell", "gru_sequence"]


def gru_cell(
    x: np.ndarray,
    h_prev: np.ndarray,
    gates: dict[str, np.ndarray],
    *,
    reset_after: bool = False,
    update: str = "notes",
) -> np.ndarray:
    """h_t from x_t and h_{t-1}.

    x: (N, I) or (I,).  h_prev: (N, H) or (H,).
    gates: the notes' weights {"W_r", "W_z", "W_h": (H, I); "U_r", "U_z", "U_h": (H, H);
           "b_r", "b_z", "b_h", "b_Uh": (H,)}, e.g. from `conventions.split_gates`.
    reset_after: where r_t acts (see `equations.candidate`).  update: "notes" or "torch".
    Returns h_t, same shape as h_prev.

    >>> H, I = 2, 3
    >>> weights = {k: np.zeros((H, I)) if k[0] == "W" else np.zeros((H, H)) if k[0] == "U" else np.zeros(H)
    ...      for k in ("W_r", "W_z", "W_h", "U_r", "U_z", "U_h", "b_r", "b_z", "b_h", "b_Uh")}
    >>> gru_cell(np.ones(I), np.ones(H), weights)   # z = 0.5, h̃ = 0: halfway from h_{t-1} to h̃
    array([0.5, 0.5])
    """
    r = reset_gate(x, h_prev, gates["W_r"], gates["U_r"], gates["b_r"])
    z = update_gate(x, h_prev, gates["W_z"], gates["U_z"], gates["b_z"])
    h_cand = candidate(x, h_prev, r, gates["W_h"], gates["U_h"], gates["b_h"], gates["b_Uh"], reset_after=reset_after)
    return new_state(h_prev, h_cand, z, update=update)


def gru_sequence(
    x: np.ndarray,
    h0: np.ndarray,
    gates: dict[str, np.ndarray],
    *,
    reset_after: bool = False,
    update: str = "notes",
) -> np.ndarray:
    """h_1 ... h_T: `gru_cell` once per step, each step's h_t feeding the next. The reference loop.

    x: (T, N, I) or (T, I).  h0: h_0, (N, H) or (H,).  gates, reset_after, update: as `gru_cell`.
    Returns the states (T, N, H) or (T, H).

    >>> weights = {k: np.zeros((2, 3)) if k[0] == "W" else np.zeros((2, 2)) if k[0] == "U" else np.zeros(2)
    ...            for k in ("W_r", "W_z", "W_h", "U_r", "U_z", "U_h", "b_r", "b_z", "b_h", "b_Uh")}
    >>> gru_sequence(np.ones((3, 3)), np.ones(2), weights)[:, 0]   # halfway to h̃ = 0 at every step
    array([0.5  , 0.25 , 0.125])
    """
    h, states = h0, []
    for x_t in x:
        h = gru_cell(x_t, h, gates, reset_after=reset_after, update=update)
        states.append(h)
    return np.stack(states)

"""One GRU step, x_t and h_{t-1} -> h_t, assembled from the four equations in `equations`.

    r_t = σ(W_r x_t + U_r h_{t-1} + b_r)
    z_t = σ(W_z x_t + U_z h_{t-1} + b_z)
    h̃_t = tanh(W_h x_t + U_h (r_t ⊙ h_{t-1}) + b_h + b_Uh) (or the reset-after form; b_Uh = 0 in the notes)
    h_t = (1 − z_t) ⊙ h_{t-1} + z_t ⊙ h̃_t                  (or torch's update)

This is the readable reference: one call per equation. `layer.GRU` computes the same thing fused
for speed, and the tests hold the two to each other.
"""

from __future__ import annotations

import numpy as np

from .equations import candidate, new_state, reset_gate, update_gate

__all__ = ["gru_cell"]


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
    >>> g = {k: np.zeros((H, I)) if k[0] == "W" else np.zeros((H, H)) if k[0] == "U" else np.zeros(H)
    ...      for k in ("W_r", "W_z", "W_h", "U_r", "U_z", "U_h", "b_r", "b_z", "b_h", "b_Uh")}
    >>> gru_cell(np.ones(I), np.ones(H), g)   # z = 0.5, h̃ = 0: halfway from h_{t-1} to h̃
    array([0.5, 0.5])
    """
    r = reset_gate(x, h_prev, gates["W_r"], gates["U_r"], gates["b_r"])
    z = update_gate(x, h_prev, gates["W_z"], gates["U_z"], gates["b_z"])
    h_cand = candidate(x, h_prev, r, gates["W_h"], gates["U_h"], gates["b_h"], gates["b_Uh"], reset_after=reset_after)
    return new_state(h_prev, h_cand, z, update=update)

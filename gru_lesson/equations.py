"""Chapters 2-4: the four GRU equations, one function each, in the notes' symbols.

Shape letters, used everywhere in this package:
    N batch size, T time steps, D directions (1 or 2), I input features, H hidden units.

W_* acts on the input x_t, U_* on the previous state h_{t-1}; every function accepts one example
(x of shape (I,), h of shape (H,)) or a batch (x (N, I), h (N, H)).

    r_t  = σ(W_r x_t + U_r h_{t-1} + b_r)                               reset gate
    z_t  = σ(W_z x_t + U_z h_{t-1} + b_z)                               update gate
    h̃_t = tanh(W_h x_t + U_h (r_t ⊙ h_{t-1}) + b_h + b_Uh)              candidate, reset *before* U_h
    h̃_t = tanh(W_h x_t + b_h + r_t ⊙ (U_h h_{t-1} + b_Uh))              candidate, reset *after* U_h
    h_t  = (1 − z_t) ⊙ h_{t-1} + z_t ⊙ h̃_t                              the notes' update: z → 1 replaces
    h_t  = (1 − z_t) ⊙ h̃_t + z_t ⊙ h_{t-1}                              torch's update:    z → 1 keeps

Reset *before* is the notes' form (Cho et al. 2014; ONNX linear_before_reset=0); reset *after* is
torch's (cuDNN; ONNX linear_before_reset=1). b_Uh is the bias that travels with U_h (torch's b_hn);
the notes have none (b_Uh = 0), and outside the reset product it simply adds to b_h.

Every function first checks its arguments (NumPy arrays of one float dtype, shapes that fit,
x_t, h_{t-1} and the gate values free of NaN and inf) and raises a TypeError or ValueError that
names what it expected; inside `gru_cell` and `gru_sequence`, which check once, it skips that.
The weights' values are not scanned for NaN at every step (a pass over U costs as much as U h_{t-1});
`gru_sequence` scans them once per sequence.
"""

from __future__ import annotations

import numpy as np

from ._validation import _depth, check_bias, check_like, check_step, finite_float_array
from .activations import sigmoid, tanh

__all__ = ["reset_gate", "update_gate", "candidate", "new_state", "UPDATE_CONVENTIONS"]

UPDATE_CONVENTIONS = ("notes", "torch")


def reset_gate(x: np.ndarray, h_prev: np.ndarray, W_r: np.ndarray, U_r: np.ndarray, b_r: np.ndarray) -> np.ndarray:
    """Reset gate r_t: how much of h_{t-1} the candidate may use (0: none, 1: all).

    x: x_t, (N, I) or (I,).  h_prev: h_{t-1}, (N, H) or (H,).
    W_r: (H, I).  U_r: (H, H).  b_r: (H,).  Returns r_t, (N, H) or (H,).
    """
    _check_gate(x, h_prev, W_r, U_r, b_r, "r")
    # r_t = σ(W_r x_t + U_r h_{t-1} + b_r)
    return sigmoid(x @ W_r.T + h_prev @ U_r.T + b_r)


def update_gate(x: np.ndarray, h_prev: np.ndarray, W_z: np.ndarray, U_z: np.ndarray, b_z: np.ndarray) -> np.ndarray:
    """Update gate z_t: how far h_t moves from h_{t-1} towards h̃_t (read by `new_state`).

    x: x_t, (N, I) or (I,).  h_prev: h_{t-1}, (N, H) or (H,).
    W_z: (H, I).  U_z: (H, H).  b_z: (H,).  Returns z_t, (N, H) or (H,).
    """
    _check_gate(x, h_prev, W_z, U_z, b_z, "z")
    # z_t = σ(W_z x_t + U_z h_{t-1} + b_z)
    return sigmoid(x @ W_z.T + h_prev @ U_z.T + b_z)


def candidate(
    x: np.ndarray,
    h_prev: np.ndarray,
    r: np.ndarray,
    W_h: np.ndarray,
    U_h: np.ndarray,
    b_h: np.ndarray,
    b_Uh: np.ndarray | float = 0.0,
    *,
    reset_after: bool = False,
) -> np.ndarray:
    """Candidate ("temporary") hidden state h̃_t.

    x: x_t, (N, I) or (I,).  h_prev: h_{t-1}, (N, H) or (H,).  r: r_t, same shape as h_prev.
    W_h: (H, I).  U_h: (H, H).  b_h: (H,), the input-side bias.
    b_Uh: (H,), the bias that travels with U_h (torch's b_hn); 0 in the notes.
    reset_after: False multiplies r_t into h_{t-1} before U_h (the notes, Cho et al. 2014);
                 True multiplies it into U_h h_{t-1} + b_Uh (torch, cuDNN).
    Returns h̃_t, (N, H) or (H,).
    """
    _check_gate(x, h_prev, W_h, U_h, b_h, "h", r, b_Uh)
    if reset_after:
        # h̃_t = tanh(W_h x_t + b_h + r_t ⊙ (U_h h_{t-1} + b_Uh))
        return tanh(x @ W_h.T + b_h + r * (h_prev @ U_h.T + b_Uh))
    # h̃_t = tanh(W_h x_t + U_h (r_t ⊙ h_{t-1}) + b_h + b_Uh)
    return tanh(x @ W_h.T + (r * h_prev) @ U_h.T + b_h + b_Uh)


def new_state(h_prev: np.ndarray, h_cand: np.ndarray, z: np.ndarray, *, update: str = "notes") -> np.ndarray:
    """New hidden state h_t, a per-unit blend of h_{t-1} and h̃_t weighted by z_t.

    h_prev: h_{t-1}; h_cand: h̃_t; z: z_t; all the same shape, (N, H) or (H,).
    update: "notes" (z → 1 replaces the memory with h̃_t) or "torch" (z → 1 keeps h_{t-1}).
    """
    _check_blend(h_prev, h_cand, z, update)
    if update == "notes":
        # h_t = (1 − z_t) ⊙ h_{t-1} + z_t ⊙ h̃_t
        return (1 - z) * h_prev + z * h_cand
    if update == "torch":
        # h_t = (1 − z_t) ⊙ h̃_t + z_t ⊙ h_{t-1}
        return (1 - z) * h_cand + z * h_prev
    raise ValueError(f"expected update to be one of {UPDATE_CONVENTIONS}, got {update!r}")


def _check_gate(x: object, h_prev: object, W: object, U: object, b: object, gate: str,
                r: object = None, b_Uh: object = 0.0) -> None:
    """The arguments of `reset_gate` (gate "r"), `update_gate` ("z") or `candidate` ("h", with r and b_Uh)."""
    if _depth[0]:                                          # already_checked(), without a call: inside gru_cell
        return
    H = check_step(x, h_prev, W, U, b, names=(f"W_{gate}", f"U_{gate}", f"b_{gate}"))[0]
    if gate == "h":
        check_like(r, h_prev, "r", "h_prev")
        check_bias(b_Uh, H, x.dtype, "b_Uh", "W_h")


def _check_blend(h_prev: object, h_cand: object, z: object, update: object) -> None:
    """The arguments of `new_state`: three arrays of one shape and dtype, free of NaN and inf; a known convention."""
    if _depth[0]:                                          # already_checked(), without a call
        return
    if not isinstance(update, str) or update not in UPDATE_CONVENTIONS:
        raise ValueError(f"expected update to be one of {UPDATE_CONVENTIONS}, got {update!r}")
    h_prev = finite_float_array(h_prev, "h_prev")
    check_like(h_cand, h_prev, "h_cand", "h_prev")
    check_like(z, h_prev, "z", "h_prev")

"""Chapters 3 and 5: moving between torch's stacked weights and the notes' per-gate names, and between the two
update conventions.

torch.nn.GRU stores one layer direction as four arrays whose rows are stacked in gate order
r, z, n (n is torch's name for the candidate h̃):

    weight_ih (3H, I) = [W_r; W_z; W_h]      bias_ih (3H,) = [b_ir; b_iz; b_in]
    weight_hh (3H, H) = [U_r; U_z; U_h]      bias_hh (3H,) = [b_hr; b_hz; b_hn]

The notes have one bias per gate. For r and z torch's two biases only ever appear as a sum, so
b_r = b_ir + b_hr and b_z = b_iz + b_hz. For the candidate they stay apart: b_h = b_in sits with
W_h x_t, and b_Uh = b_hn travels with U_h h_{t-1} (inside the reset product when the reset comes
after U_h).

The update conventions. The notes write h_t = (1 − z) h_{t-1} + z h̃_t; torch writes
h_t = (1 − z) h̃_t + z h_{t-1}. So z_notes = 1 − z_torch, and because σ(−a) = 1 − σ(a),
negating the update gate's W_z, U_z and b_z turns one convention's model into the other's, exactly.
Negating twice gives back the original: `flip_update` is its own inverse.
"""

from __future__ import annotations

import numpy as np

__all__ = ["GATE_NAMES", "split_gates", "flip_update"]

GATE_NAMES = ("W_r", "W_z", "W_h", "U_r", "U_z", "U_h", "b_r", "b_z", "b_h", "b_Uh")


def split_gates(
    weight_ih: np.ndarray,
    weight_hh: np.ndarray,
    bias_ih: np.ndarray | None = None,
    bias_hh: np.ndarray | None = None,
) -> dict[str, np.ndarray]:
    """Torch's stacked arrays of one layer direction -> the notes' per-gate weights.

    weight_ih: (3H, I).  weight_hh: (3H, H).  bias_ih, bias_hh: (3H,), or None for bias=False.
    Returns {"W_r": (H, I), ..., "U_r": (H, H), ..., "b_r": (H,), "b_z", "b_h", "b_Uh"}.

    >>> weights = split_gates(np.zeros((6, 3)), np.zeros((6, 2)))
    >>> weights["W_r"].shape, weights["U_h"].shape, weights["b_Uh"].shape
    ((2, 3), (2, 2), (2,))
    """
    H = weight_hh.shape[1]
    if bias_ih is None:
        bias_ih = np.zeros(3 * H, dtype=weight_ih.dtype)
    if bias_hh is None:
        bias_hh = np.zeros(3 * H, dtype=weight_hh.dtype)
    r, z, n = slice(0, H), slice(H, 2 * H), slice(2 * H, 3 * H)
    return {
        "W_r": weight_ih[r], "W_z": weight_ih[z], "W_h": weight_ih[n],
        "U_r": weight_hh[r], "U_z": weight_hh[z], "U_h": weight_hh[n],
        "b_r": bias_ih[r] + bias_hh[r],
        "b_z": bias_ih[z] + bias_hh[z],
        "b_h": bias_ih[n],
        "b_Uh": bias_hh[n],
    }


def flip_update(gates: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    """Weights for the other update convention: W_z, U_z, b_z negated, everything else shared.

    σ(−a) = 1 − σ(a), so the flipped model's z_t is 1 − z_t of the original for every input,
    and the notes' h_t formula with it gives torch's h_t formula with the original, and back.
    """
    flipped = dict(gates)
    for name in ("W_z", "U_z", "b_z"):
        flipped[name] = -gates[name]
    return flipped

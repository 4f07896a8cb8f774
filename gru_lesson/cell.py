"""Chapter 4: one GRU step, x_t and h_{t-1} -> h_t, from the four equations; and that step over a sequence.

    r_t = σ(W_r x_t + U_r h_{t-1} + b_r)
    z_t = σ(W_z x_t + U_z h_{t-1} + b_z)
    h̃_t = tanh(W_h x_t + U_h (r_t ⊙ h_{t-1}) + b_h + b_Uh) (or the reset-after form; b_Uh = 0 in the notes)
    h_t = (1 − z_t) ⊙ h_{t-1} + z_t ⊙ h̃_t                  (or torch's update)

This is the readable reference: one call per equation, one call per step (`gru_sequence`).
`direction.direction_forward` computes the same thing fused for speed, and the tests and
chapters 5 and 13 hold the two to each other.

Bad input gets a TypeError or ValueError that names what was expected: `gru_cell` checks its
arguments once per call (the four equations inside skip their own checks), and `gru_sequence`
once per sequence, weights' values included (its steps skip theirs).
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

import numpy as np

from ._validation import (as_float_array, check_bias, check_dtype, check_finite, check_shape, check_step, check_weights,
                          checked_once)
from .conventions import GATE_NAMES
from .equations import UPDATE_CONVENTIONS, candidate, new_state, reset_gate, update_gate

__all__ = ["gru_cell", "gru_sequence"]

_GATE_SET = frozenset(GATE_NAMES)


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
    with checked_once(_check_cell, x, h_prev, gates, update):     # the four calls below skip their own checks
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
    with checked_once(_check_sequence, x, h0, gates, update):     # once for all T steps
        h, states = h0, []
        for x_t in x:
            h = gru_cell(x_t, h, gates, reset_after=reset_after, update=update)
            states.append(h)
    return np.stack(states)


def _check_cell(x: object, h_prev: object, gates: object, update: object) -> None:
    """The arguments of `gru_cell`: a known convention, the ten weights, x_t and h_{t-1} (shapes, dtypes, no NaN)."""
    if (update == "notes" or update == "torch") and _plain_cell(x, h_prev, gates):
        return                                             # the common case, at once
    if not isinstance(update, str) or update not in UPDATE_CONVENTIONS:
        raise ValueError(f"expected update to be one of {UPDATE_CONVENTIONS}, got {update!r}")
    _check_gates(gates)
    H, I = check_step(x, h_prev, gates["W_r"], gates["U_r"], gates["b_r"], names=("W_r", "U_r", "b_r"))
    for gate in ("z", "h"):
        check_weights(gates[f"W_{gate}"], gates[f"U_{gate}"], gates[f"b_{gate}"], x.dtype,
                      (f"W_{gate}", f"U_{gate}", f"b_{gate}"), shape=(H, I))
    check_bias(gates["b_Uh"], H, x.dtype, "b_Uh", "W_h")


def _plain_cell(x: Any, h_prev: Any, gates: Any) -> bool:
    """True if gru_cell's inputs are certainly fine: the fast path of `_check_cell`, one expression.

    False means "look closer": `_check_cell` then finds the error and words it (or finds none).
    """
    try:
        W_r, W_z, W_h, U_r, U_z, U_h, b_r, b_z, b_h, b_Uh = (gates[name] for name in GATE_NAMES)
        dtype, (H, I) = x.dtype, W_r.shape
        return (type(x) is type(h_prev) is type(W_r) is type(W_z) is type(W_h) is type(U_r) is type(U_z)
                is type(U_h) is type(b_r) is type(b_z) is type(b_h) is type(b_Uh) is np.ndarray
                and dtype.char in "fd" and h_prev.dtype is W_r.dtype is W_z.dtype is W_h.dtype is U_r.dtype
                is U_z.dtype is U_h.dtype is b_r.dtype is b_z.dtype is b_h.dtype is b_Uh.dtype is dtype
                and 1 <= x.ndim <= 2 and x.shape[-1] == I and h_prev.shape == x.shape[:-1] + (H,)
                and W_z.shape == W_h.shape == (H, I) and U_r.shape == U_z.shape == U_h.shape == (H, H)
                and b_r.shape == b_z.shape == b_h.shape == b_Uh.shape == (H,)
                and math.isfinite(np.add.reduce(x, None)) and math.isfinite(np.add.reduce(h_prev, None)))
    except (TypeError, KeyError, ValueError, AttributeError, IndexError):
        return False


def _check_sequence(x: object, h0: object, gates: object, update: object) -> None:
    """The arguments of `gru_sequence`: x (T, I) or (T, N, I) with T >= 1, h0 to match, every value finite."""
    x = as_float_array(x, "x")
    _check_gates(gates)
    H, I = check_weights(gates["W_r"], gates["U_r"], gates["b_r"], x.dtype, ("W_r", "U_r", "b_r"))
    if x.ndim not in (2, 3):
        raise ValueError(f"expected x of shape (T, I) or (T, N, I) with I = {I}, got rank {x.ndim} with shape {x.shape}")
    layout = "(T, I)" if x.ndim == 2 else "(T, N, I)"
    check_shape(x, x.shape[:-1] + (I,), "x", f"{layout} with I = W_r.shape[1]")
    if len(x) == 0:
        raise ValueError(f"expected at least one time step in x {layout}, got shape {x.shape}")
    h0 = as_float_array(h0, "h0")
    check_dtype(h0, x.dtype, "h0", "x")
    meaning = "(H,) for one unbatched sequence x of shape (T, I)" if x.ndim == 2 else "(N, H)"
    check_shape(h0, x.shape[1:-1] + (H,), "h0", meaning)
    check_finite(x, "x")
    _check_cell(x[0], h0, gates, update)                    # h0 and the other weights, as at every step
    for name in GATE_NAMES:                                 # the weights' values, once for all steps
        if isinstance(gates[name], np.ndarray):
            check_finite(gates[name], name)


def _check_gates(gates: object) -> None:
    """gates: a dict holding the notes' ten weights (`conventions.GATE_NAMES`)."""
    if type(gates) is dict and gates.keys() >= _GATE_SET:
        return                                             # the common case, at once
    if not isinstance(gates, Mapping):
        raise TypeError(f"expected gates as a dict of the notes' weights {{W_r, W_z, W_h, U_r, ..., b_Uh}} "
                        f"(e.g. GRU(...).gates()), got {type(gates).__name__}")
    missing = [name for name in GATE_NAMES if name not in gates]
    if missing:
        raise ValueError(f"expected gates with the keys {list(GATE_NAMES)}, got a dict without {missing}")

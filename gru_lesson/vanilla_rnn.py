"""Chapters 1 and 7: the ungated ("vanilla", Elman) recurrent network that the GRU improves on.

One step reads the input x_t and the previous state h_{t-1} and overwrites the whole state:

    h_t = tanh(W x_t + U h_{t-1} + b)

    W (H, I) acts on the input, U (H, H) on the previous state, b (H,) is the bias.

There is no gate: every step multiplies the old state by U and squashes it, so the influence of
an early input on h_t is a product of t Jacobians ∂h_t/∂h_{t-1} = diag(1 − h_t²) U. That product
shrinks or grows geometrically with the lag; chapter 1 measures it. torch.nn.RNN (tanh) computes
the same function with b = bias_ih + bias_hh.

Shape letters as in `equations`: N batch, T time steps, I input features, H hidden units.
Like the GRU's equations, both functions take one example (x_t (I,), h (H,)) or a batch
(x_t (N, I), h (N, H)); arrays are rows, so W x_t is computed as x @ W.T.
"""

from __future__ import annotations

import numpy as np

from .activations import tanh
from ._validation import as_float_array, check_dtype, check_finite, check_shape, check_step, check_weights

__all__ = ["rnn_step", "rnn_sequence"]


def rnn_step(x: np.ndarray, h_prev: np.ndarray, W: np.ndarray, U: np.ndarray, b: np.ndarray) -> np.ndarray:
    """One vanilla-RNN step, h_t = tanh(W x_t + U h_{t-1} + b).

    x: x_t, (I,) or (N, I).  h_prev: h_{t-1}, (H,) or (N, H), batched like x.
    W: (H, I).  U: (H, H).  b: (H,).  All float32 or float64 NumPy arrays of one dtype, with finite values.
    Returns h_t, the shape of h_prev.

    >>> H, I = 2, 3
    >>> rnn_step(np.ones(I), np.zeros(H), np.zeros((H, I)), np.eye(H), np.zeros(H))
    array([0., 0.])
    >>> rnn_step(np.ones((4, I)), np.zeros((4, H)), np.ones((H, I)), np.eye(H), np.zeros(H)).shape
    (4, 2)
    """
    check_step(x, h_prev, W, U, b, weights_finite=True)
    return _step(x, h_prev, W, U, b)


def rnn_sequence(
    x: np.ndarray,
    W: np.ndarray,
    U: np.ndarray,
    b: np.ndarray,
    h0: np.ndarray | None = None,
) -> np.ndarray:
    """Run the vanilla RNN over a sequence and return every state h_1 ... h_T.

    x: the inputs x_1 ... x_T, (T, I) for one sequence or (T, N, I) for a batch (time first).
    W: (H, I).  U: (H, H).  b: (H,).
    h0: the state before the first step, (H,) or (N, H); None means zeros.
    Returns the states, (T, H) or (T, N, H): row t is h_{t+1}, the last row is the final state.

    >>> rnn_sequence(np.zeros((5, 3)), np.zeros((2, 3)), np.eye(2), np.zeros(2)).shape   # (T, H)
    (5, 2)
    >>> rnn_sequence(np.zeros((5, 4, 3)), np.zeros((2, 3)), np.eye(2), np.zeros(2)).shape  # (T, N, H)
    (5, 4, 2)
    """
    x = as_float_array(x, "x")
    H, I = check_weights(W, U, b, x.dtype, ("W", "U", "b"))
    for value, name in ((W, "W"), (U, "U"), (b, "b")):
        check_finite(value, name)
    if x.ndim == 2:
        T = x.shape[0]
        check_shape(x, (T, I), "x", "(T, I)")
        state_shape, state_meaning = (H,), "(H,) for one unbatched sequence x of shape (T, I)"
    elif x.ndim == 3:
        T, N = x.shape[:2]
        check_shape(x, (T, N, I), "x", "(T, N, I)")
        state_shape, state_meaning = (N, H), "(N, H)"
    else:
        raise ValueError(f"expected x of shape (T, I) or (T, N, I) with I = {I}, got rank {x.ndim} with shape {x.shape}")
    if T == 0:
        raise ValueError(f"expected at least one time step in x, got shape {x.shape}")
    check_finite(x, "x")
    if h0 is None:
        h = np.zeros(state_shape, dtype=x.dtype)                           # (H,) or (N, H)
    else:
        h = as_float_array(h0, "h0")
        check_dtype(h, x.dtype, "h0", "x")
        check_shape(h, state_shape, "h0", state_meaning)
        check_finite(h, "h0")
    states = np.empty((T, *state_shape), dtype=np.result_type(x, h, W, U, b))  # (T, H) or (T, N, H)
    for t in range(T):
        h = _step(x[t], h, W, U, b)                                        # (H,) or (N, H)
        states[t] = h
    return states


def _step(x: np.ndarray, h_prev: np.ndarray, W: np.ndarray, U: np.ndarray, b: np.ndarray) -> np.ndarray:
    """`rnn_step` without the checks, for callers that have checked once. Shapes as there."""
    # h_t = tanh(W x_t + U h_{t-1} + b)
    return tanh(x @ W.T + h_prev @ U.T + b)

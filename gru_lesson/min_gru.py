"""Chapter 12: minGRU (Feng et al. 2024, "Were RNNs All We Needed?"): the GRU with its recurrence made linear.

Start from the notes' GRU and drop what ties the gates to the past:
    the reset gate goes entirely, and z_t and h̃_t read only x_t, not h_{t-1}:

    z_t = σ(W_z x_t + b_z)                      update gate, from the input alone
    h̃_t = g(W_h x_t + b_h)                      candidate, from the input alone (no tanh, no r_t)
    h_t = (1 − z_t) ⊙ h_{t-1} + z_t ⊙ h̃_t       the notes' update, unchanged

g(a) = a + 1/2 for a ≥ 0 and σ(a) for a < 0 keeps h̃_t positive, which the log-space scan needs.
Now h_t = a_t ⊙ h_{t-1} + b_t with a_t = 1 − z_t and b_t = z_t ⊙ h̃_t known for every t before the
recurrence starts, so the whole sequence has a closed form (A_t = a_1 ⋯ a_t):

    h_t = A_t ⊙ (h_0 + Σ_{k ≤ t} b_k / A_k)

computed stably in log space with two prefix scans (Heinsen 2023, arXiv:2311.06281):

    log h_t = a*_t + logcumsumexp_k(log b_k − a*_k),    a*_t = cumsum_k log a_k,   (k = 0 term: log h_0)

with log a_t = −softplus(k_z), log z_t = −softplus(−k_z) for k_z = W_z x_t + b_z, and
log g(a) = log(a + 1/2) for a ≥ 0, −softplus(−a) for a < 0. A prefix scan needs only log₂ T
parallel steps on parallel hardware; `scan` computes it with NumPy's cumsum and
logaddexp.accumulate, `loop` with one step per t. Both compute the same function.

Shapes: x (T, N, I), h0 (N, H), h (T, N, H). h0 must be non-negative (log 0 = −inf is allowed), of x's
dtype; the weights are used in x's dtype. Bad input gets a TypeError or ValueError naming what was expected.
"""

from __future__ import annotations

import math

import numpy as np

from .activations import sigmoid
from ._validation import as_float_array, as_real_array, check_dtype, check_finite, check_shape, positive_int

__all__ = ["MinGRU", "g", "log_g"]


def g(a: np.ndarray) -> np.ndarray:
    """g(a) = a + 1/2 for a ≥ 0, σ(a) for a < 0: continuous, increasing, always positive."""
    a = as_real_array(a, "a")
    return np.where(a >= 0, a + 0.5, sigmoid(np.minimum(a, 0)))


def log_g(a: np.ndarray) -> np.ndarray:
    """log g(a), computed without forming g(a): log(a + 1/2) for a ≥ 0, −softplus(−a) for a < 0."""
    a = as_real_array(a, "a")
    return np.where(a >= 0, np.log(np.maximum(a, 0) + 0.5), -_softplus(-np.minimum(a, 0)))


def _softplus(a: np.ndarray) -> np.ndarray:
    """softplus(a) = log(1 + e^a), without overflow."""
    return np.logaddexp(0, a)


class MinGRU:
    """A one-layer minGRU with both evaluation orders.

    input_size: I.  hidden_size: H.  seed: weights ~ U(−1/√I, 1/√I), like torch.nn.Linear.
    dtype: float32 or float64 for the weights (inputs are computed in their own dtype).

    >>> m = MinGRU(3, 4)
    >>> x = np.random.default_rng(0).standard_normal((50, 2, 3))
    >>> bool(np.allclose(m.loop(x), m.scan(x), rtol=1e-12, atol=1e-12))
    True
    """

    def __init__(self, input_size: int, hidden_size: int, *, seed: int = 0, dtype: type = np.float64) -> None:
        input_size, hidden_size = positive_int("input_size", input_size), positive_int("hidden_size", hidden_size)
        if np.dtype(dtype) not in (np.float32, np.float64):
            raise TypeError(f"expected dtype float32 or float64, got {np.dtype(dtype)}")
        self.input_size, self.hidden_size = int(input_size), int(hidden_size)
        k = 1 / math.sqrt(input_size)
        rng = np.random.default_rng(seed)
        self.params = {
            "weight_z": rng.uniform(-k, k, (hidden_size, input_size)).astype(dtype),   # (H, I)
            "bias_z": rng.uniform(-k, k, hidden_size).astype(dtype),                   # (H,)
            "weight_h": rng.uniform(-k, k, (hidden_size, input_size)).astype(dtype),   # (H, I)
            "bias_h": rng.uniform(-k, k, hidden_size).astype(dtype),                   # (H,)
        }

    def pre_activations(self, x: np.ndarray, h0: np.ndarray | None) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Check x (T, N, I) and h0 (N, H); return k_z, k_h (T, N, H) for all steps at once, and h0."""
        x = as_float_array(x, "x")
        if x.ndim != 3:
            raise ValueError(f"expected x of rank 3 (T, N, I), got rank {x.ndim} with shape {x.shape}")
        T, N, I = x.shape
        check_shape(x, (T, N, self.input_size), "x", f"(T, N, I) with I = input_size = {self.input_size}")
        if T == 0 or N == 0:
            raise ValueError(f"expected at least one time step and one sequence in x (T, N, I), got shape {x.shape}")
        check_finite(x, "x")
        if h0 is None:
            h0 = np.zeros((N, self.hidden_size), dtype=x.dtype)                       # (N, H)
        else:
            h0 = as_float_array(h0, "h0")
            check_dtype(h0, x.dtype, "h0", "x")
            check_shape(h0, (N, self.hidden_size), "h0", "(N, H)")
            check_finite(h0, "h0")
            if (h0 < 0).any():
                raise ValueError(f"expected h0 >= 0 (the log-space scan takes log h0), got a minimum of {h0.min():.3g}")
        p = {k: v.astype(x.dtype, copy=False) for k, v in self.params.items()}
        k_z = x @ p["weight_z"].T + p["bias_z"]                                        # (T, N, H)
        k_h = x @ p["weight_h"].T + p["bias_h"]                                        # (T, N, H)
        return k_z, k_h, h0

    def loop(self, x: np.ndarray, h0: np.ndarray | None = None) -> np.ndarray:
        """h_1 ... h_T one step at a time. x: (T, N, I); h0: (N, H) or None (zeros). Returns (T, N, H)."""
        k_z, k_h, h = self.pre_activations(x, h0)
        # z_t = σ(W_z x_t + b_z);  h̃_t = g(W_h x_t + b_h)
        z, h_cand = sigmoid(k_z), g(k_h)                                               # (T, N, H) each
        states = np.empty_like(z)                                                      # (T, N, H)
        for t in range(len(z)):
            # h_t = (1 − z_t) ⊙ h_{t-1} + z_t ⊙ h̃_t
            h = states[t] = (1 - z[t]) * h + z[t] * h_cand[t]
        return states

    def scan(self, x: np.ndarray, h0: np.ndarray | None = None) -> np.ndarray:
        """h_1 ... h_T with two prefix scans in log space (no loop over t). Shapes as `loop`."""
        k_z, k_h, h0 = self.pre_activations(x, h0)
        # log a_t = log(1 − z_t) = −softplus(k_z);  log b_t = log z_t + log h̃_t = −softplus(−k_z) + log g(k_h)
        log_a = -_softplus(k_z)                                                        # (T, N, H)
        log_b = -_softplus(-k_z) + log_g(k_h)                                          # (T, N, H)
        # a*_t = Σ_{k ≤ t} log a_k                 (prefix scan 1: a sum)
        a_star = np.cumsum(log_a, axis=0)                                              # (T, N, H)
        with np.errstate(divide="ignore"):                                             # log 0 = −inf is fine
            log_h0 = np.log(h0)[None]                                                  # (1, N, H)
        # log h_t = a*_t + log Σ_{k=0..t} e^(log b_k − a*_k), with log b_0 − a*_0 = log h_0   (prefix scan 2)
        terms = np.concatenate([log_h0, log_b - a_star])                               # (T+1, N, H)
        return np.exp(a_star + np.logaddexp.accumulate(terms, axis=0)[1:])             # (T, N, H)

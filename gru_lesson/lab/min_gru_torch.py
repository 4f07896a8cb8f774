"""Lab tool for chapters 12 and 13: minGRU in PyTorch, the same function as `min_gru.MinGRU`, with autograd.

The bridge to torch for training (chapter 12) and for timing on a GPU (chapter 13, benchmarks).
Import it on its own, `from gru_lesson.lab.min_gru_torch import TorchMinGRU`: `gru_lesson` itself
never imports torch.

    z_t = σ(W_z x_t + b_z)                      update gate, from the input alone
    h̃_t = g(W_h x_t + b_h)                      candidate, from the input alone
    h_t = (1 − z_t) ⊙ h_{t-1} + z_t ⊙ h̃_t       the notes' update

`loop` runs the last line once per step. `scan` (also `forward`) computes all steps at once in
log space (Heinsen 2023, arXiv:2311.06281), with a_t = 1 − z_t and b_t = z_t ⊙ h̃_t:

    log h_t = a*_t + logcumsumexp_k(log b_k − a*_k),    a*_t = cumsum_k log a_k,   (k = 0 term: log h_0)

where log a_t = log σ(−k_z) and log z_t = log σ(k_z) (torch's logsigmoid, exact and without
overflow), and log g(a) = log(a + 1/2) for a ≥ 0, log σ(a) for a < 0.

Parameters have the names and shapes of `MinGRU.params`, so weights copy both ways
(`from_numpy`, `to_numpy`):
    weight_z (H, I)   bias_z (H,)   weight_h (H, I)   bias_h (H,)

Shapes: x (T, N, I), h0 (N, H) with h0 ≥ 0, output (T, N, H): h_1 ... h_T.
"""

from __future__ import annotations

import math

import numpy as np
import torch
import torch.nn.functional as F

from .._validation import positive_int
from ..min_gru import MinGRU

__all__ = ["TorchMinGRU", "g", "log_g"]


def g(a: torch.Tensor) -> torch.Tensor:
    """g(a) = a + 1/2 for a ≥ 0, σ(a) for a < 0 (as `min_gru.g`): continuous, increasing, positive."""
    return torch.where(a >= 0, F.relu(a) + 0.5, torch.sigmoid(a))


def log_g(a: torch.Tensor) -> torch.Tensor:
    """log g(a): log(a + 1/2) for a ≥ 0, log σ(a) for a < 0. Both branches stay finite, so no NaN gradient."""
    return torch.where(a >= 0, torch.log(F.relu(a) + 0.5), F.logsigmoid(a))


class TorchMinGRU(torch.nn.Module):
    """A one-layer minGRU as a torch.nn.Module; `forward` is the log-space scan.

    input_size: I.  hidden_size: H.  device, dtype: of the parameters, as for torch.nn.Linear.
    The initial weights are drawn from torch's generator (torch.manual_seed makes them
    reproducible), from U(−1/√I, 1/√I) like torch.nn.Linear's and `MinGRU`'s.

    >>> m = TorchMinGRU(3, 4, dtype=torch.float64)
    >>> x = torch.randn(50, 2, 3, dtype=torch.float64)          # (T, N, I)
    >>> m(x).shape                                               # (T, N, H)
    torch.Size([50, 2, 4])
    >>> bool(torch.allclose(m.scan(x), m.loop(x), rtol=1e-12, atol=1e-12))
    True
    """

    def __init__(self, input_size: int, hidden_size: int, *, device: torch.device | str | None = None,
                 dtype: torch.dtype | None = None) -> None:
        super().__init__()
        input_size, hidden_size = positive_int("input_size", input_size), positive_int("hidden_size", hidden_size)
        self.input_size, self.hidden_size = int(input_size), int(hidden_size)
        factory = {"device": device, "dtype": dtype}
        self.weight_z = torch.nn.Parameter(torch.empty(hidden_size, input_size, **factory))   # (H, I)
        self.bias_z = torch.nn.Parameter(torch.empty(hidden_size, **factory))                 # (H,)
        self.weight_h = torch.nn.Parameter(torch.empty(hidden_size, input_size, **factory))   # (H, I)
        self.bias_h = torch.nn.Parameter(torch.empty(hidden_size, **factory))                 # (H,)
        self.reset_parameters()

    def reset_parameters(self) -> None:
        """Draw every parameter from U(−1/√I, 1/√I), in the order weight_z, bias_z, weight_h, bias_h."""
        k = 1 / math.sqrt(self.input_size)
        with torch.no_grad():
            for p in self.parameters():
                p.uniform_(-k, k)

    def extra_repr(self) -> str:
        return f"input_size={self.input_size}, hidden_size={self.hidden_size}"

    @classmethod
    def from_numpy(cls, module: MinGRU, *, device: torch.device | str | None = None,
                   dtype: torch.dtype | None = None) -> "TorchMinGRU":
        """A TorchMinGRU with a `MinGRU`'s weights (dtype: theirs unless given)."""
        if not isinstance(module, MinGRU):
            raise TypeError(f"expected a gru_lesson.min_gru.MinGRU, got {type(module).__name__}")
        twin = cls(module.input_size, module.hidden_size, device=device,
                   dtype=dtype or torch.from_numpy(module.params["weight_z"]).dtype)
        with torch.no_grad():
            for name, p in twin.named_parameters():
                p.copy_(torch.from_numpy(module.params[name]))
        return twin

    def to_numpy(self) -> MinGRU:
        """A `MinGRU` with this module's weights (copied; same dtype; moved to the CPU)."""
        dtype = {torch.float32: np.float32, torch.float64: np.float64}.get(self.weight_z.dtype)
        if dtype is None:
            raise TypeError(f"expected float32 or float64 parameters to copy into NumPy, got {self.weight_z.dtype}")
        twin = MinGRU(self.input_size, self.hidden_size, dtype=dtype)
        twin.params = {name: p.detach().cpu().numpy().copy() for name, p in self.named_parameters()}
        return twin

    def pre_activations(self, x: torch.Tensor, h0: torch.Tensor | None) -> tuple[torch.Tensor, torch.Tensor]:
        """Check x (T, N, I) and h0 (N, H); return k_z and k_h (T, N, H) for all steps at once."""
        if not isinstance(x, torch.Tensor):
            raise TypeError(f"expected x to be a torch.Tensor, got {type(x).__name__}")
        if not x.is_floating_point():
            raise TypeError(f"expected x of a floating dtype, got {x.dtype}")
        if x.dim() != 3:
            raise ValueError(f"expected x of rank 3 (T, N, I), got rank {x.dim()} with shape {tuple(x.shape)}")
        T, N, I = x.shape
        if I != self.input_size:
            raise ValueError(f"expected x of shape (T, N, I) with I = input_size = {self.input_size}, got {tuple(x.shape)}")
        if T == 0 or N == 0:
            raise ValueError(f"expected at least one time step and one sequence in x (T, N, I), got shape {tuple(x.shape)}")
        if h0 is not None:
            if not isinstance(h0, torch.Tensor):
                raise TypeError(f"expected h0 to be a torch.Tensor or None, got {type(h0).__name__}")
            if tuple(h0.shape) != (N, self.hidden_size):
                raise ValueError(f"expected h0 of shape (N, H) = {(N, self.hidden_size)}, got {tuple(h0.shape)}")
            if bool((h0 < 0).any()):
                raise ValueError(f"expected h0 >= 0 (the log-space scan takes log h0), got a minimum of {h0.min().item():.3g}")
        k_z = F.linear(x, self.weight_z, self.bias_z)                 # (T, N, H)  W_z x_t + b_z
        k_h = F.linear(x, self.weight_h, self.bias_h)                 # (T, N, H)  W_h x_t + b_h
        return k_z, k_h

    def scan(self, x: torch.Tensor, h0: torch.Tensor | None = None) -> torch.Tensor:
        """h_1 ... h_T with two prefix scans in log space (no loop over t). x (T, N, I) -> (T, N, H)."""
        k_z, k_h = self.pre_activations(x, h0)
        # log a_t = log(1 − z_t) = log σ(−k_z);  log b_t = log z_t + log h̃_t = log σ(k_z) + log g(k_h)
        log_a = F.logsigmoid(-k_z)                                    # (T, N, H)
        log_b = F.logsigmoid(k_z) + log_g(k_h)                        # (T, N, H)
        # a*_t = Σ_{k ≤ t} log a_k                 (prefix scan 1: a sum)
        a_star = torch.cumsum(log_a, dim=0)                           # (T, N, H)
        terms = log_b - a_star                                        # (T, N, H)
        if h0 is not None:
            # the k = 0 term: log b_0 − a*_0 = log h_0 (log 0 = −inf adds nothing)
            terms = torch.cat([torch.log(h0.to(terms.dtype))[None], terms])   # (T+1, N, H)
        # log h_t = a*_t + log Σ_{k ≤ t} e^(log b_k − a*_k)                     (prefix scan 2)
        log_sum = torch.logcumsumexp(terms, dim=0)                    # (T, N, H) or (T+1, N, H)
        return torch.exp(a_star + (log_sum if h0 is None else log_sum[1:]))   # (T, N, H)

    def loop(self, x: torch.Tensor, h0: torch.Tensor | None = None) -> torch.Tensor:
        """h_1 ... h_T one step at a time, in plain (not log) space. Shapes as `scan`."""
        k_z, k_h = self.pre_activations(x, h0)
        # z_t = σ(W_z x_t + b_z);  h̃_t = g(W_h x_t + b_h)
        z, h_cand = torch.sigmoid(k_z), g(k_h)                        # (T, N, H) each
        h = torch.zeros_like(z[0]) if h0 is None else h0.to(z.dtype)  # (N, H)
        states = []
        for t in range(len(z)):
            # h_t = (1 − z_t) ⊙ h_{t-1} + z_t ⊙ h̃_t
            h = (1 - z[t]) * h + z[t] * h_cand[t]                     # (N, H)
            states.append(h)
        return torch.stack(states)                                    # (T, N, H)

    def forward(self, x: torch.Tensor, h0: torch.Tensor | None = None) -> torch.Tensor:
        """The scan: h_1 ... h_T for x (T, N, I) and h0 (N, H) or None (zeros); returns (T, N, H)."""
        return self.scan(x, h0)

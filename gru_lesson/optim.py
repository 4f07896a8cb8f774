"""Chapter 8: two optimisers for NumPy parameters, step for step the same arithmetic as torch.optim's.

Parameters and gradients are dicts of arrays keyed by name (a GRU's `params` and what its
`backward` returns); `step` updates the parameters in place. Keys of the gradients that are not
parameters ("input", "h0") are ignored. Each parameter must be a float NumPy array, and each
gradient a finite array of its parameter's shape and dtype; anything else is a TypeError or
ValueError that names the parameter.

    SGD, with momentum μ (torch.optim.SGD, dampening 0, no Nesterov):
        v ← g                  at the first step,   v ← μ v + g   afterwards
        θ ← θ − lr v
    Adam (Kingma & Ba 2015; torch.optim.Adam without weight decay or AMSGrad), step k = 1, 2, ...:
        m ← β1 m + (1 − β1) g              v ← β2 v + (1 − β2) g²
        θ ← θ − (lr / (1 − β1^k)) · m / (√v / √(1 − β2^k) + ε)
"""

from __future__ import annotations

import math

import numpy as np

from ._validation import as_float_array, check_dtype, check_finite

__all__ = ["SGD", "Adam"]


class SGD:
    """Stochastic gradient descent with optional momentum.

    params: {name: array}, updated in place.  lr: learning rate.  momentum: μ in [0, 1).

    >>> p = {"w": np.array([1.0])}
    >>> SGD(p, lr=0.5).step({"w": np.array([2.0])}); p["w"]
    array([0.])
    """

    def __init__(self, params: dict[str, np.ndarray], lr: float, momentum: float = 0.0) -> None:
        _check_params(params)
        _check_hyper("lr", lr, low=0.0)
        _check_hyper("momentum", momentum, low=0.0, high=1.0)
        self.params, self.lr, self.momentum = params, float(lr), float(momentum)
        self.velocity: dict[str, np.ndarray] = {}

    def step(self, grads: dict[str, np.ndarray]) -> None:
        """Apply one update with `grads` (same names and shapes as the parameters)."""
        for name, grad in _matching(self.params, grads):
            if self.momentum:
                # v ← g at the first step, μ v + g afterwards
                v = self.velocity[name] = grad.copy() if name not in self.velocity else self.momentum * self.velocity[name] + grad
            else:
                v = grad
            # θ ← θ − lr v
            self.params[name] -= self.lr * v


class Adam:
    """Adam with torch's defaults and bias correction.

    params: {name: array}, updated in place.  lr: learning rate.  betas: (β1, β2).  eps: ε.

    >>> p = {"w": np.array([1.0])}
    >>> Adam(p, lr=0.1).step({"w": np.array([3.0])}); p["w"].round(6)   # the first step moves by ≈ lr
    array([0.9])
    """

    def __init__(self, params: dict[str, np.ndarray], lr: float = 1e-3,
                 betas: tuple[float, float] = (0.9, 0.999), eps: float = 1e-8) -> None:
        _check_params(params)
        if not isinstance(betas, (tuple, list)) or len(betas) != 2:
            raise ValueError(f"expected betas as a pair (β1, β2), got {betas!r}")
        _check_hyper("lr", lr, low=0.0)
        _check_hyper("betas[0]", betas[0], low=0.0, high=1.0)
        _check_hyper("betas[1]", betas[1], low=0.0, high=1.0)
        _check_hyper("eps", eps, low=0.0)
        self.params, self.lr, self.betas, self.eps = params, float(lr), tuple(map(float, betas)), float(eps)
        self.k = 0
        self.m = {name: np.zeros_like(p) for name, p in params.items()}
        self.v = {name: np.zeros_like(p) for name, p in params.items()}

    def step(self, grads: dict[str, np.ndarray]) -> None:
        """Apply one update with `grads` (same names and shapes as the parameters)."""
        pairs = _matching(self.params, grads)                # every gradient checked before anything changes
        self.k += 1
        b1, b2 = self.betas
        step_size = self.lr / (1 - b1 ** self.k)
        sqrt_correction2 = math.sqrt(1 - b2 ** self.k)
        for name, grad in pairs:
            # m ← β1 m + (1 − β1) g;  v ← β2 v + (1 − β2) g²
            self.m[name] += (1 - b1) * (grad - self.m[name])
            self.v[name] = b2 * self.v[name] + (1 - b2) * grad * grad
            # θ ← θ − (lr / (1 − β1^k)) · m / (√v / √(1 − β2^k) + ε)
            self.params[name] -= step_size * self.m[name] / (np.sqrt(self.v[name]) / sqrt_correction2 + self.eps)


def _check_params(params: object) -> None:
    """params: a dict {name: float32 or float64 NumPy array}, the arrays that `step` updates in place."""
    if not isinstance(params, dict):
        raise TypeError(f"expected params as a dict {{name: NumPy array}} (e.g. gru.params), got {type(params).__name__}")
    if not params:
        raise ValueError("expected params with at least one parameter, got an empty dict")
    for name, p in params.items():
        as_float_array(p, f"params[{name!r}]")


def _matching(params: dict[str, np.ndarray], grads: dict[str, np.ndarray]) -> list[tuple[str, np.ndarray]]:
    """[(name, gradient)] for every parameter, checking that each has a finite gradient of its shape and dtype."""
    if not isinstance(grads, dict):
        raise TypeError(f"expected grads as a dict {{name: NumPy array}} (e.g. gru.backward(...)), got {type(grads).__name__}")
    pairs = []
    for name, p in params.items():
        if name not in grads:
            raise ValueError(f"expected a gradient for parameter {name!r}, got gradients for {sorted(grads)}")
        grad = as_float_array(grads[name], f"the gradient of {name!r}")
        if grad.shape != p.shape:
            raise ValueError(f"expected the gradient of {name!r} of shape {p.shape}, got {grad.shape}")
        check_dtype(grad, p.dtype, f"the gradient of {name!r}", "the parameter")
        check_finite(grad, f"the gradient of {name!r}")
        pairs.append((name, grad))
    return pairs


def _check_hyper(name: str, value: float, *, low: float, high: float = math.inf) -> None:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not low <= value < high:
        raise ValueError(f"expected {name} in [{low}, {high}), got {value!r}")

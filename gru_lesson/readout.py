"""Chapter 8: a linear readout and the mean squared error, each with its gradient: what turns a GRU into a model.

    ŷ = W h + b                    W (O, H), b (O,): torch.nn.Linear's `weight` and `bias`
    L = mean((ŷ − y)²)             over all N·O entries, torch.nn.functional.mse_loss's default

    ∂L/∂ŷ = 2 (ŷ − y) / (N·O)      ∂W = ∂ŷ^T h      ∂b = Σ_n ∂ŷ      ∂h = ∂ŷ W

Rows are examples: h is (N, H), ŷ and y are (N, O).
"""

from __future__ import annotations

import math

import numpy as np

from ._validation import as_float_array, check_finite, check_shape

__all__ = ["Linear", "mse_loss"]


class Linear:
    """ŷ = W h + b, with torch.nn.Linear's parameter names, initial distribution and layout.

    in_features: H.  out_features: O.  seed: for W, b ~ U(−1/√H, 1/√H).  dtype: float32 or float64.

    >>> head = Linear(4, 1)
    >>> head(np.zeros((3, 4))).shape          # (N, O)
    (3, 1)
    """

    def __init__(self, in_features: int, out_features: int, *, seed: int = 0, dtype: type = np.float64) -> None:
        k = 1 / math.sqrt(in_features)
        rng = np.random.default_rng(seed)
        self.params = {"weight": rng.uniform(-k, k, (out_features, in_features)).astype(dtype),   # (O, H)
                       "bias": rng.uniform(-k, k, out_features).astype(dtype)}                    # (O,)
        self._h: np.ndarray | None = None

    @classmethod
    def from_torch(cls, module: object) -> "Linear":
        """Copy a torch.nn.Linear's weight and bias (it must have a bias)."""
        import torch

        if not isinstance(module, torch.nn.Linear) or module.bias is None:
            raise TypeError(f"expected a torch.nn.Linear with a bias, got {module!r}")
        head = cls(module.in_features, module.out_features)
        head.params = {name: p.detach().cpu().numpy().copy() for name, p in module.named_parameters()}
        return head

    def __call__(self, h: np.ndarray) -> np.ndarray:
        """ŷ = W h + b for a batch h (N, H); returns (N, O) and keeps h for `backward`."""
        h = as_float_array(h, "h")
        check_shape(h, (h.shape[0], self.params["weight"].shape[1]), "h", "(N, in_features)")
        self._h = h
        # ŷ = W h + b
        return h @ self.params["weight"].T + self.params["bias"]          # (N, O)

    def backward(self, grad_y: np.ndarray) -> dict[str, np.ndarray]:
        """Gradients from ∂L/∂ŷ (N, O): {"weight": (O, H), "bias": (O,), "input": ∂h (N, H)}."""
        if self._h is None:
            raise ValueError("expected a forward call before backward(): run y = head(h) first")
        return {
            # ∂W = ∂ŷ^T h;  ∂b = Σ_n ∂ŷ;  ∂h = ∂ŷ W
            "weight": grad_y.T @ self._h,
            "bias": grad_y.sum(axis=0),
            "input": grad_y @ self.params["weight"],
        }


def mse_loss(prediction: np.ndarray, target: np.ndarray) -> tuple[float, np.ndarray]:
    """Mean squared error and its gradient with respect to the prediction.

    prediction, target: the same shape, e.g. (N, O). Returns (L, ∂L/∂prediction).

    >>> mse_loss(np.array([[1.0], [3.0]]), np.array([[0.0], [1.0]]))
    (2.5, array([[1.],
           [2.]]))
    """
    prediction, target = as_float_array(prediction, "prediction"), as_float_array(target, "target")
    check_shape(target, prediction.shape, "target", "the shape of the prediction")
    check_finite(prediction, "prediction")
    diff = prediction - target
    # L = mean((ŷ − y)²);  ∂L/∂ŷ = 2 (ŷ − y) / (N·O)
    return float(np.mean(diff * diff)), 2 * diff / diff.size

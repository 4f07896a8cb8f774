"""Chapters 8, 15: a linear readout and two losses, each with its gradient: what turns a GRU into a model.

    ŷ = W h + b                    W (O, H), b (O,): torch.nn.Linear's `weight` and `bias`
    L = mean((ŷ − y)²)             over all N·O entries, torch.nn.functional.mse_loss's default

    δŷ = ∂L/∂ŷ = 2 (ŷ − y) / (N·O)      δW = δŷ^T h      δb = Σ_n δŷ      δh = δŷ W
    (δv is the gradient of the loss with respect to v, shaped like v; see the notation page)

Chapter 15 predicts which of K piano keys sound at the next step: a logit a_k per key, p_k = σ(a_k),
and the negative log-likelihood of the keys y_k ∈ {0, 1}, summed over keys, averaged over the S real
(unpadded) steps of the batch, mask m = 1 on real steps, 0 on padding (`key_nll`):

    L = (1/S) Σ_{t,n} m_tn Σ_k [softplus(a_tnk) − y_tnk a_tnk]      since −log σ(a) = softplus(−a) = softplus(a) − a
    δa_tnk = m_tn (σ(a_tnk) − y_tnk) / S

Rows are examples: h is (N, H), ŷ and y are (N, O). Bad input (a list, NaN, a wrong shape, another
dtype than the weights') gets a TypeError or ValueError that names what was expected.
"""

from __future__ import annotations

import math

import numpy as np

from .activations import sigmoid
from ._validation import as_float_array, check_dtype, check_finite, check_like, check_shape, positive_int

__all__ = ["Linear", "key_nll", "mse_loss"]


class Linear:
    """ŷ = W h + b, with torch.nn.Linear's parameter names, initial distribution and layout.

    in_features: H.  out_features: O.  seed: for W, b ~ U(−1/√H, 1/√H).  dtype: float32 or float64.

    >>> head = Linear(4, 1)
    >>> head(np.zeros((3, 4))).shape          # (N, O)
    (3, 1)
    """

    def __init__(self, in_features: int, out_features: int, *, seed: int = 0, dtype: type = np.float64) -> None:
        in_features, out_features = positive_int("in_features", in_features), positive_int("out_features", out_features)
        if np.dtype(dtype) not in (np.float32, np.float64):
            raise TypeError(f"expected dtype float32 or float64, got {np.dtype(dtype)}")
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
        h = self._check_input(h)
        self._h = h
        # ŷ = W h + b
        return h @ self.params["weight"].T + self.params["bias"]          # (N, O)

    def backward(self, grad_y: np.ndarray) -> dict[str, np.ndarray]:
        """Gradients from δŷ = ∂L/∂ŷ (N, O): {"weight": (O, H), "bias": (O,), "input": δh (N, H)}."""
        if self._h is None:
            raise ValueError("expected a forward call before backward(): run y = head(h) first")
        grad_y = as_float_array(grad_y, "grad_y")
        check_shape(grad_y, (len(self._h), self.params["weight"].shape[0]), "grad_y", "(N, out_features) of the last call")
        check_dtype(grad_y, self._h.dtype, "grad_y", "h")
        check_finite(grad_y, "grad_y")
        return {
            # δW = δŷ^T h;  δb = Σ_n δŷ;  δh = δŷ W
            "weight": grad_y.T @ self._h,
            "bias": grad_y.sum(axis=0),
            "input": grad_y @ self.params["weight"],
        }

    def _check_input(self, h: object) -> np.ndarray:
        """h: a finite float array (N, in_features) of the weights' dtype."""
        h = as_float_array(h, "h")
        weight = self.params["weight"]
        if h.ndim != 2:
            raise ValueError(f"expected h of shape (N, in_features) with in_features = {weight.shape[1]}, "
                             f"got rank {h.ndim} with shape {h.shape}")
        check_shape(h, (len(h), weight.shape[1]), "h", "(N, in_features)")
        check_dtype(h, weight.dtype, "h", "the readout's weight")
        check_finite(h, "h")
        return h


def mse_loss(prediction: np.ndarray, target: np.ndarray) -> tuple[float, np.ndarray]:
    """Mean squared error and its gradient with respect to the prediction.

    prediction, target: the same shape, e.g. (N, O). Returns (L, ∂L/∂prediction).

    >>> mse_loss(np.array([[1.0], [3.0]]), np.array([[0.0], [1.0]]))
    (2.5, array([[1.],
           [2.]]))
    """
    prediction = as_float_array(prediction, "prediction")
    check_finite(prediction, "prediction")
    target = check_like(target, prediction, "target", "prediction")
    diff = prediction - target
    # L = mean((ŷ − y)²);  ∂L/∂ŷ = 2 (ŷ − y) / (N·O)
    return float(np.mean(diff * diff)), 2 * diff / diff.size


def key_nll(logits: np.ndarray, targets: np.ndarray, mask: np.ndarray) -> tuple[float, np.ndarray]:
    """Negative log-likelihood per real step of independent keys, and its gradient with respect to the logits.

    logits, targets: (T, N, K), targets 0 or 1 (key k sounds or not); mask: (T, N), 1 on real steps, 0 on
    padding. Returns (L, ∂L/∂logits): L = Σ over real steps and keys of the binary cross-entropy of
    p = σ(logits), divided by S = Σ mask. torch: binary_cross_entropy_with_logits(..., reduction="none"),
    summed over keys, times the mask, summed, divided by S.

    >>> L, grad = key_nll(np.zeros((1, 1, 2)), np.array([[[1.0, 0.0]]]), np.ones((1, 1)))
    >>> round(L, 6), grad.ravel().tolist()                # 2 keys at p = 1/2: 2 log 2; σ(0) − y
    (1.386294, [-0.5, 0.5])
    """
    logits = as_float_array(logits, "logits")
    if logits.ndim != 3:
        raise ValueError(f"expected logits of shape (T, N, K), got rank {logits.ndim} with shape {logits.shape}")
    check_finite(logits, "logits")
    targets = check_like(targets, logits, "targets", "logits")
    if not np.all((targets == 0) | (targets == 1)):
        raise ValueError("expected targets of 0s and 1s (a key sounds or not), got other values such as "
                         f"{targets[(targets != 0) & (targets != 1)][:3].tolist()}")
    mask = as_float_array(mask, "mask")
    check_shape(mask, logits.shape[:2], "mask", "(T, N) of the logits' first two axes")
    if not np.all((mask == 0) | (mask == 1)):
        raise ValueError("expected mask of 0s and 1s (1 on real steps, 0 on padding), got other values")
    steps = mask.sum()                                                  # S
    if steps == 0:
        raise ValueError("expected at least one real step (mask all 0: nothing to average over)")
    # softplus(a) − y a, computed without overflow: max(a, 0) + log(1 + e^−|a|) − y a
    per_key = np.maximum(logits, 0) + np.log1p(np.exp(-np.abs(logits))) - targets * logits   # (T, N, K)
    m = mask[:, :, None].astype(logits.dtype)                           # (T, N, 1)
    # L = (1/S) Σ m Σ_k [softplus(a) − y a];  δa = m (σ(a) − y) / S
    return float((per_key * m).sum() / steps), (m * (sigmoid(logits) - targets) / steps).astype(logits.dtype)

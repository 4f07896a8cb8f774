"""GRU.backward against central finite differences, float64, norm-based relative error <= 1e-7.

torch cannot compute the notes' forms (the reset before U_h, reset_after=False; the notes' update
convention, update="notes"), so these gradients are checked against the function itself: every
parameter entry, every input entry and every entry of h0 is nudged by ±ε and the loss
sum(output * grad_output) + sum(h_n * grad_h_n) recomputed. Layouts: bias=False, batch_first,
one unbatched sequence (with batch_first False and True) and a batch of one, N = 1.
"""

from __future__ import annotations

import numpy as np
import pytest

from gru_lesson import GRU

EPS = 1e-6
FORMS = [dict(reset_after=False, update="torch"), dict(reset_after=False, update="notes"),
         dict(reset_after=True, update="notes")]
LAYOUTS = {
    "bias=False": dict(bias=False),
    "batch_first": dict(batch_first=True),
    "unbatched": dict(unbatched=True),
    "unbatched, batch_first": dict(unbatched=True, batch_first=True),
    "N=1": dict(N=1),
}


def _relative_error(analytic: np.ndarray, numeric: np.ndarray) -> float:
    """‖a − n‖ / (‖a‖ + ‖n‖), the course guide's norm-based relative error (0 when both are 0)."""
    scale = np.linalg.norm(analytic) + np.linalg.norm(numeric)
    return 0.0 if scale == 0 else float(np.linalg.norm(analytic - numeric) / scale)


def _case(form: dict, bias: bool = True, batch_first: bool = False, unbatched: bool = False, N: int = 2):
    """A two-layer bidirectional GRU (I = H = 2) in this form and layout, x (T = 3 steps) and h0."""
    gru = GRU(2, 2, num_layers=2, bidirectional=True, bias=bias, batch_first=batch_first, seed=8, **form)
    rng = np.random.default_rng(8)
    T, D, L = 3, 2, 2
    if unbatched:
        x, h0 = rng.standard_normal((T, 2)), rng.standard_normal((D * L, 2))
    else:
        x = rng.standard_normal((N, T, 2) if batch_first else (T, N, 2))
        h0 = rng.standard_normal((D * L, N, 2))
    return gru, x, h0


@pytest.mark.parametrize("layout", LAYOUTS)
@pytest.mark.parametrize("form", FORMS, ids=lambda f: f"reset_after={f['reset_after']}-update={f['update']}")
def test_gradients_match_central_differences(form, layout):
    gru, x, h0 = _case(form, **LAYOUTS[layout])
    output, h_n = gru(x, h0)
    rng = np.random.default_rng(9)
    grad_output, grad_h_n = rng.standard_normal(output.shape), rng.standard_normal(h_n.shape)
    analytic = gru.backward(grad_output, grad_h_n)

    def loss() -> float:
        out, last = gru(x, h0)
        return float((out * grad_output).sum() + (last * grad_h_n).sum())

    arrays = dict(gru.params) | {"input": x, "h0": h0}
    assert set(analytic) == set(arrays)
    for name, array in arrays.items():
        numeric = np.empty_like(array)
        for i in np.ndindex(array.shape):
            saved = array[i]
            array[i] = saved + EPS
            up = loss()
            array[i] = saved - EPS
            down = loss()
            array[i] = saved
            numeric[i] = (up - down) / (2 * EPS)
        assert analytic[name].shape == array.shape, name
        error = _relative_error(analytic[name], numeric)
        assert error <= 1e-7, f"{name}: relative error {error:.2e}"

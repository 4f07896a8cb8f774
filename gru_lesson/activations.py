"""Chapter 2: the two squashing functions of the GRU, written so that they never overflow.

    σ(a)    = 1 / (1 + e^(−a))          squashes into (0, 1): the gates r_t and z_t
    tanh(a) = (e^a − e^(−a)) / (e^a + e^(−a))   squashes into (−1, 1): the candidate h̃_t

The textbook form of σ computes e^(−a), which overflows for a ≲ −710 in float64 (−89 in float32)
and makes NumPy print "overflow encountered in exp". The identity

    σ(a) = (1 + tanh(a / 2)) / 2

needs no exponential that can overflow: tanh saturates at ±1 on its own. The identity is exact in
real arithmetic; in floating point its absolute error stays below one unit in the last place of 1
(so σ(−40) comes out as 0, not 4e-18, which no gate can tell apart). It keeps the dtype (float32
in, float32 out) and costs one tanh, which is also what makes the layer fast.

Both take a number, a list or an array of numbers and refuse anything else (text, None, a dict, a
tensor) with a TypeError. The equations call them at every step with NumPy arrays, so an array
costs them one type test and nothing more: its values are not looked at (NaN in gives NaN out, as in
NumPy), and an array of text meets NumPy's own error. The equations check their inputs for NaN.
The fused layer (`direction.py`) takes the same identity inline, on sums whose gate weights it
halved once, and writes the gates in place: the same numbers, bit for bit.
"""

from __future__ import annotations

import numpy as np

from ._validation import as_real_array

__all__ = ["sigmoid", "tanh"]


def sigmoid(a: np.ndarray) -> np.ndarray:
    """Logistic sigmoid σ(a) = 1 / (1 + e^(−a)), without overflow for any finite input.

    a: pre-activation of any shape; float32 stays float32, float64 stays float64
       (integers are computed in float64).

    >>> sigmoid(np.array([-1e4, 0.0, 1e4]))
    array([0. , 0.5, 1. ])
    """
    if type(a) is not np.ndarray:            # a number, a list, or not numbers at all
        a = as_real_array(a, "a")
    # σ(a) = (1 + tanh(a/2)) / 2, in one array: 0.5 a, its tanh, times 0.5, plus 0.5
    out = np.tanh(0.5 * a)
    out *= 0.5
    out += 0.5
    return out


def tanh(a: np.ndarray) -> np.ndarray:
    """Hyperbolic tangent, NumPy's own (it saturates at ±1 without overflow).

    >>> tanh(np.array([-1e4, 0.0, 1e4]))
    array([-1.,  0.,  1.])
    """
    if type(a) is not np.ndarray:            # a number, a list, or not numbers at all
        a = as_real_array(a, "a")
    return np.tanh(a)

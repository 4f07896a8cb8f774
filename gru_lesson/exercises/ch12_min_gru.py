"""Chapter 12, "From GRU to minGRU": checkers for its exercises.

    z_t = σ(W_z x_t + b_z)        h̃_t = g(W_h x_t + b_h)        h_t = (1 − z_t) ⊙ h_{t-1} + z_t ⊙ h̃_t
    g(a) = a + 1/2 for a ≥ 0, σ(a) for a < 0
    log h_t = a*_t + log Σ_{k=0..t} e^(log b_k − a*_k),   a*_t = Σ_{j ≤ t} log a_j,   log b_0 − a*_0 = log h_0
    parameters: GRU (torch) 3·H·(I + H) + 6H;  minGRU 2·H·I + 2H

Exercises and their checkers:
    1. `check_min_gru_step(h_t)`: one minGRU step from `exercise_inputs()`'s x_t, h_prev and weights.
    2. `check_log_space_scan(log_h)`: log h_1 ... log h_T from `exercise_inputs()`'s log_a, log_b, h0.
    3. `check_parameter_counts(n_gru, n_min_gru)`: both counts for I = 10, H = 20.
"""

from __future__ import annotations

import numpy as np

from ..activations import sigmoid, tanh
from ..min_gru import g
from .feedback import Feedback, as_whole_number, check_array

__all__ = ["COUNT_SIZES", "check_log_space_scan", "check_min_gru_step", "check_parameter_counts", "exercise_inputs"]

COUNT_SIZES = {"input_size": 10, "hidden_size": 20}


def exercise_inputs() -> dict[str, np.ndarray]:
    """The exercises' arrays, the same on every call.

    Exercise 1: x_t (N, I) = (2, 3); h_prev (N, H) = (2, 4), non-negative; W_z, W_h (H, I); b_z, b_h (H,).
    Exercise 2: log_a, log_b (T, H) = (6, 4), log_a < 0; h0 (H,) = (4,), positive.

    >>> {k: v.shape for k, v in exercise_inputs().items()}["W_z"]
    (4, 3)
    """
    rng = np.random.default_rng(12)
    d = {
        "x_t": rng.standard_normal((2, 3)).round(2),
        "h_prev": rng.uniform(0, 1, (2, 4)).round(2),
        "W_z": rng.uniform(-1, 1, (4, 3)).round(2),
        "b_z": rng.uniform(-1, 1, 4).round(2),
        "W_h": rng.uniform(-1, 1, (4, 3)).round(2),
        "b_h": rng.uniform(-1, 1, 4).round(2),
    }
    d["log_a"] = -rng.uniform(0.1, 1.5, (6, 4)).round(2)
    d["log_b"] = rng.uniform(-2, 0, (6, 4)).round(2)
    d["h0"] = rng.uniform(0.1, 1, 4).round(2)
    return d


def check_min_gru_step(h_t: object) -> Feedback:
    """Exercise 1: h_t = (1 − z_t) ⊙ h_{t-1} + z_t ⊙ g(W_h x_t + b_h), z_t = σ(W_z x_t + b_z). Shape (N, H) = (2, 4).

    >>> d = exercise_inputs()
    >>> z = 1 / (1 + np.exp(-(d["x_t"] @ d["W_z"].T + d["b_z"])))
    >>> check_min_gru_step((1 - z) * d["h_prev"] + z * g(d["x_t"] @ d["W_h"].T + d["b_h"]))
    Correct: h_t matches.
    """
    d = exercise_inputs()
    x, h = d["x_t"], d["h_prev"]
    k_z, k_h = x @ d["W_z"].T + d["b_z"], x @ d["W_h"].T + d["b_h"]
    z = sigmoid(k_z)
    right = (1 - z) * h + z * g(k_h)
    return check_array(h_t, right, "h_t", mistakes={
        "tanh is used for the candidate: minGRU uses g, which stays positive so that its log exists":
            (1 - z) * h + z * tanh(k_h),
        "σ is used for the candidate instead of g (g(a) = a + 1/2 for a ≥ 0, σ(a) only for a < 0)":
            (1 - z) * h + z * sigmoid(k_h),
        "z_t and 1 − z_t are swapped (torch's convention): in the notes, z_t → 1 takes the candidate":
            z * h + (1 - z) * g(k_h),
        "the bias b_h is left out of the candidate": (1 - z) * h + z * g(x @ d["W_h"].T),
        "the bias b_z is left out of the update gate":
            (1 - sigmoid(x @ d["W_z"].T)) * h + sigmoid(x @ d["W_z"].T) * g(k_h),
    })


def check_log_space_scan(log_h: object) -> Feedback:
    """Exercise 2: log h_t = a*_t + log Σ_{k=0..t} e^(log b_k − a*_k), with the k = 0 term log h_0. Shape (T, H) = (6, 4).

    >>> d = exercise_inputs()
    >>> a_star = np.cumsum(d["log_a"], axis=0)
    >>> terms = np.concatenate([np.log(d["h0"])[None], d["log_b"] - a_star])
    >>> check_log_space_scan(a_star + np.logaddexp.accumulate(terms, axis=0)[1:])
    Correct: log h_t matches.
    """
    d = exercise_inputs()
    log_a, log_b, h0 = d["log_a"], d["log_b"], d["h0"]
    # the loop, in plain space: the definition
    h, states = h0, []
    for t in range(len(log_a)):
        h = np.exp(log_a[t]) * h + np.exp(log_b[t])
        states.append(h)
    right = np.log(np.stack(states))                                           # (T, H)
    a_star = np.cumsum(log_a, axis=0)                                          # (T, H)
    terms = np.concatenate([np.log(h0)[None], log_b - a_star])                 # (T+1, H)
    exclusive = np.concatenate([np.zeros((1, 4)), a_star[:-1]])                # a*_{t-1}
    terms_exclusive = np.concatenate([np.log(h0)[None], log_b - exclusive])
    return check_array(log_h, right, "log h_t", rtol=1e-9, atol=1e-12, mistakes={
        "the k = 0 term, log h_0, is left out: that is the scan for h_0 = 0":
            a_star + np.logaddexp.accumulate(log_b - a_star, axis=0),
        "you returned h_t, not log h_t (take the log, or leave out the final exp)": np.stack(states),
        "a*_{t-1} (a sum up to t − 1) is used where a*_t (up to and including t) belongs":
            exclusive + np.logaddexp.accumulate(terms_exclusive, axis=0)[1:],
        "the logs are summed with np.cumsum where they must be log-added (np.logaddexp.accumulate): "
        "a sum of logs is the log of a product, not of a sum":
            a_star + np.cumsum(terms, axis=0)[1:],
    })


def check_parameter_counts(n_gru: object, n_min_gru: object) -> Feedback:
    """Exercise 3: the parameters of torch.nn.GRU(10, 20) and of a minGRU with I = 10, H = 20.

    >>> check_parameter_counts(3 * 20 * (10 + 20) + 6 * 20, 2 * 20 * 10 + 2 * 20)
    Correct: the GRU has 1920 parameters and the minGRU 440, 4.4 times fewer.
    """
    I, H = COUNT_SIZES["input_size"], COUNT_SIZES["hidden_size"]
    right_gru, right_min = 3 * H * (I + H) + 6 * H, 2 * H * I + 2 * H
    counts = {}
    for name, value in (("n_gru", n_gru), ("n_min_gru", n_min_gru)):
        counts[name], refusal = as_whole_number(value, name)
        if refusal is not None:
            return refusal
    n_gru, n_min_gru = counts["n_gru"], counts["n_min_gru"]
    gru_mistakes = {
        3 * H * (I + H) + 3 * H: "one bias per gate (3H) is counted; torch.nn.GRU has two, bias_ih and bias_hh (6H)",
        3 * H * (I + H): "the biases are left out; torch.nn.GRU has bias_ih and bias_hh, 3H each",
        3 * H * I + 6 * H: "the recurrent matrices U_r, U_z, U_h (H × H each) are left out",
        3 * (I * I + H * H) + 6 * H: "W is counted as I × I: it maps I inputs to H units, so it is H × I",
    }
    min_mistakes = {
        2 * H * (I + H) + 2 * H: "U_z and U_h are still counted: minGRU's gates read only x_t",
        3 * H * I + 3 * H: "a reset gate is still counted: minGRU has only z_t and h̃_t",
        2 * H * I: "the biases b_z and b_h (H each) are left out",
        2 * H * I + 4 * H: "two biases per gate are counted; the minGRU here has one each, b_z and b_h",
    }
    if int(n_gru) != right_gru:
        why = gru_mistakes.get(int(n_gru), "compare with the shapes in GRU(...).parameter_shapes()")
        return Feedback(False, f"Not yet: n_gru = {int(n_gru)} is not the GRU's count: {why}.")
    if int(n_min_gru) != right_min:
        why = min_mistakes.get(int(n_min_gru), "count W_z, W_h (H × I) and b_z, b_h (H)")
        return Feedback(False, f"Not yet: n_min_gru = {int(n_min_gru)} is not the minGRU's count: {why}.")
    return Feedback(True, f"Correct: the GRU has {right_gru} parameters and the minGRU {right_min}, "
                          f"{right_gru / right_min:.1f} times fewer.")

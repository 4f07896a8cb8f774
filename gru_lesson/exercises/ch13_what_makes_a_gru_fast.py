"""Chapter 13, "What makes a GRU fast": checkers for its exercises.

    fused input product: [W_r; W_z; W_h] x_t + [b_r; b_z; b_h] for all t at once, (T*N, I) @ (I, 3H)
    matrix products for T steps: naive cell 6T; fused, reset after U_h: 1 + T; fused, reset before: 1 + 2T
    Hillis–Steele prefix sum: for d = 1, 2, 4, ... < T:  y[t] ← y[t] + y[t − d] for every t ≥ d at once

Exercises and their checkers:
    1. `check_fused_input(xw)`: the input pre-activations of all steps from `exercise_inputs()`, one product.
    2. `check_product_counts(naive, fused_after, fused_before)`: matrix products for T = 100 steps.
    3. `check_prefix_sum(result, steps)`: a log-depth prefix sum of `exercise_inputs()["values"]`.
"""

from __future__ import annotations

import numpy as np

from .feedback import Feedback, as_whole_number, check_array

__all__ = ["COUNT_STEPS", "check_fused_input", "check_prefix_sum", "check_product_counts", "exercise_inputs"]

COUNT_STEPS = 100


def exercise_inputs() -> dict[str, np.ndarray]:
    """The exercises' arrays, the same on every call.

    Exercise 1: x (T, N, I) = (5, 2, 3); W_r, W_z, W_h (H, I) = (4, 3); b_r, b_z, b_h (H,) = (4,).
    Exercise 3: values (T,) = (16,), small integers.

    >>> {k: v.shape for k, v in exercise_inputs().items()}["x"]
    (5, 2, 3)
    """
    rng = np.random.default_rng(13)
    d = {"x": rng.standard_normal((5, 2, 3)).round(2)}
    for gate in ("r", "z", "h"):
        d[f"W_{gate}"] = rng.uniform(-1, 1, (4, 3)).round(2)
    for gate in ("r", "z", "h"):
        d[f"b_{gate}"] = rng.uniform(-1, 1, 4).round(2)
    d["values"] = rng.integers(1, 10, 16).astype(float)
    return d


def check_fused_input(xw: object) -> Feedback:
    """Exercise 1: xw (T, N, 3H) = x @ [W_r; W_z; W_h]^T + [b_r; b_z; b_h], gate blocks in torch's order r, z, h.

    >>> d = exercise_inputs()
    >>> W, b = np.concatenate([d["W_r"], d["W_z"], d["W_h"]]), np.concatenate([d["b_r"], d["b_z"], d["b_h"]])
    >>> check_fused_input(d["x"] @ W.T + b)
    Correct: xw matches.
    """
    d = exercise_inputs()
    x = d["x"]

    def stacked(order: str, bias_order: str | None) -> np.ndarray:
        W = np.concatenate([d[f"W_{k}"] for k in order])                    # (3H, I)
        out = x @ W.T                                                       # (T, N, 3H)
        return out if bias_order is None else out + np.concatenate([d[f"b_{k}"] for k in bias_order])

    return check_array(xw, stacked("rzh", "rzh"), "xw", mistakes={
        "the gates are stacked z, r, h (ONNX's and Keras's order); torch and gru_lesson stack r, z, h":
            stacked("zrh", "zrh"),
        "the biases are left out: add [b_r; b_z; b_h] after the product": stacked("rzh", None),
        "the weights are stacked r, z, h but the biases z, r, h: stack both in the same order":
            stacked("rzh", "zrh"),
    })


def check_product_counts(naive: object, fused_after: object, fused_before: object) -> Feedback:
    """Exercise 2: matrix products (`@` and `np.matmul` calls) for T = 100 steps of one layer.

    naive: gru_cell in a loop; fused_after: gru_lesson.GRU with the reset after U_h (torch's form);
    fused_before: the same with the reset before U_h (the notes' form).

    >>> check_product_counts(600, 101, 201)
    Correct: 600, 101 and 201 products. Fusing cuts the calls by 6x, not the arithmetic.
    """
    T = COUNT_STEPS
    answers = {"naive": (naive, 6 * T), "fused_after": (fused_after, 1 + T), "fused_before": (fused_before, 1 + 2 * T)}
    mistakes = {
        "naive": {3 * T: "gru_cell makes two products per gate, W x_t and U h_{t-1}, for three gates",
                  2 * T: "there are three gates (r, z and the candidate), each with W x_t and U h_{t-1}"},
        "fused_after": {T: "the input product for all steps, before the loop, is one more",
                        2 * T: "with the reset after U_h, U_r h, U_z h and U_h h are one product: one per step",
                        3 * T + 1: "the three recurrent products share h_{t-1}, so they are one product",
                        6 * T: "that is the naive count; the fused layer stacks the gates"},
        "fused_before": {1 + T: "with the reset before U_h, U_h must wait for r_t ⊙ h_{t-1}: two products per step",
                         2 * T: "the input product for all steps, before the loop, is one more",
                         1 + 3 * T: "U_r h and U_z h still share h_{t-1} and are one product; only U_h waits"},
    }
    for name, (value, right) in answers.items():
        value, refusal = as_whole_number(value, name)
        if refusal is not None:
            return refusal
        if value != right:
            why = mistakes[name].get(int(value), "count the products (`@`, `np.matmul`) in one step, times T, plus any product before the loop")
            return Feedback(False, f"Not yet: {name} = {int(value)} is not right: {why}.")
    return Feedback(True, f"Correct: {6 * T}, {1 + T} and {1 + 2 * T} products. "
                          "Fusing cuts the calls by 6x, not the arithmetic.")


def check_prefix_sum(result: object, steps: object) -> Feedback:
    """Exercise 3: the inclusive prefix sum of `values` (T = 16) in log₂ T vectorised steps.

    >>> v = exercise_inputs()["values"]
    >>> check_prefix_sum(np.cumsum(v), 4)
    Correct: the prefix sums match, in log₂ 16 = 4 rounds, with 49 additions in all (a loop needs 15, one after another).
    """
    v = exercise_inputs()["values"]
    T = len(v)
    right = np.cumsum(v)
    three_rounds = np.array([v[max(0, t - 7):t + 1].sum() for t in range(T)])   # stopped at d = 4: windows of 8
    found = check_array(result, right, "result", mistakes={
        "the scan is exclusive (it starts at 0 and leaves out the value at t); make it inclusive":
            np.concatenate([[0.0], right[:-1]]),
        "the doubling stopped one round early (at d = 4): each entry sums only the last 8 values":
            three_rounds,
    })
    if not found:
        return found
    if steps is None:
        return Feedback(False, "Not yet: the prefix sums are right, but steps is still None. How many rounds of d did you need?")
    steps, refusal = as_whole_number(steps, "steps")
    if refusal is not None:
        return refusal
    if int(steps) in (T, T - 1):
        return Feedback(False, f"Not yet: {int(steps)} steps is the sequential loop; the doubling scan needs only log₂ T rounds.")
    if int(steps) != 4:
        return Feedback(False, f"Not yet: the prefix sums are right, but steps = {int(steps)}: count the rounds d = 1, 2, 4, 8.")
    additions = sum(T - d for d in (1, 2, 4, 8))                               # round d adds T − d pairs
    return Feedback(True, f"Correct: the prefix sums match, in log₂ {T} = 4 rounds, with {additions} additions "
                          f"in all (a loop needs {T - 1}, one after another).")

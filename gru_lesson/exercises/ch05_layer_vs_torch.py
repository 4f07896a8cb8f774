"""Chapter 5, "The whole layer against torch.nn.GRU": checkers for its exercises.

The facts the exercises practise (letters: N batch, T steps, I input features, H hidden units,
D directions, L layers):

    weight_ih_l{k} (3H, I_k) = [W_r; W_z; W_h]      rows stacked r, z, n (n is torch's h̃)
    weight_hh_l{k} (3H, H)   = [U_r; U_z; U_h]      I_0 = I, I_k = D*H above the first layer
    output  (T, N, D*H)  or (N, T, D*H) with batch_first: the LAST layer's h_t at every step,
                         forward units first, then reverse ones
    h_n     (D*L, N, H)  whatever batch_first says: row k = layer k // D, direction k % D

Exercises and their checkers:
    1. `check_split(weight_ih, W_r, W_z, W_h)`: torch's stacked input weights -> the notes' three.
    2. `check_final_state(h)`: the row of h_n that holds layer 1's reverse direction.
    3. `check_shapes(output_shape, h_n_shape)`: predict the shapes for `SHAPE_CONFIG`, `X_SHAPE`.

`exercise2_inputs()` builds exercise 2's GRU and input from a fixed seed, so the notebook and the
checker see the same numbers. Nothing is computed at import; torch is never imported here (a torch
tensor given as an answer is read through its `detach()` and `numpy()` methods).
"""

from __future__ import annotations

import numpy as np

from ..layer import GRU
from .feedback import ATOL, RTOL, Feedback, as_numbers, check_array

__all__ = [
    "SHAPE_CONFIG",
    "X_SHAPE",
    "exercise2_inputs",
    "check_split",
    "check_final_state",
    "check_shapes",
]

SEED = 5
GATE_ORDER = ("r", "z", "n")             # torch's order of the row blocks
NOTES_NAMES = {"r": "W_r", "z": "W_z", "n": "W_h"}

# Exercise 2: a 3-layer bidirectional GRU; the answer is the final state of layer 1, reverse.
_EX2_LAYERS, _EX2_I, _EX2_H, _EX2_T, _EX2_N = 3, 4, 3, 5, 2
_EX2_LAYER, _EX2_DIRECTION = 1, 1

# Exercise 3: the configuration whose shapes the learner predicts.
SHAPE_CONFIG = dict(input_size=7, hidden_size=5, num_layers=3, batch_first=True, bidirectional=True)
X_SHAPE = (4, 6, 7)                       # (N, T, I), because batch_first=True


def _to_numpy(answer: object) -> object:
    """A torch tensor (even one that requires grad) -> a NumPy array; anything else unchanged."""
    if hasattr(answer, "detach") and hasattr(answer, "numpy"):
        return answer.detach().cpu().numpy()
    return answer


# --------------------------------------------------------------------------------------------
# Exercise 1: split weight_ih_l0


def check_split(weight_ih: object, W_r: object, W_z: object, W_h: object) -> Feedback:
    """Exercise 1: are W_r, W_z, W_h the three row blocks of torch's weight_ih (order r, z, n)?

    weight_ih: the question, torch's weight_ih_l0 of shape (3H, I) (a tensor or an array).
    W_r, W_z, W_h: the learner's answers, each expected of shape (H, I), so that W_r x_t is
        x @ W_r.T for a batch x of shape (N, I).
    Recognised mistakes: the order z, r, h (ONNX's and Keras's); transposed blocks (I, H);
    slicing columns (axis 1) instead of rows; any block taken from the wrong third of the rows.

    >>> w = np.arange(18.0).reshape(6, 3)                  # H = 2, I = 3
    >>> check_split(w, w[:2], w[2:4], w[4:])
    Correct: W_r, W_z and W_h are rows 0:2, 2:4 and 4:6 of weight_ih, torch's order r, z, n.
    >>> check_split(w, w[2:4], w[:2], w[4:])  # doctest: +NORMALIZE_WHITESPACE
    Not yet: you took the gates in the order z, r, h. That is ONNX's and Keras's order;
    torch stacks the blocks r, z, n, so W_r is rows 0:2 and W_z is rows 2:4.
    """
    weight_ih = np.asarray(_to_numpy(weight_ih), dtype=float)
    if weight_ih.ndim != 2 or weight_ih.shape[0] % 3 != 0:
        raise ValueError(f"expected weight_ih of shape (3H, I), got {weight_ih.shape}")
    H, I = weight_ih.shape[0] // 3, weight_ih.shape[1]
    blocks = {g: weight_ih[i * H:(i + 1) * H] for i, g in enumerate(GATE_ORDER)}      # each (H, I)
    rows = {g: f"{i * H}:{(i + 1) * H}" for i, g in enumerate(GATE_ORDER)}
    answers = {"r": _to_numpy(W_r), "z": _to_numpy(W_z), "n": _to_numpy(W_h)}

    for g in GATE_ORDER:
        if answers[g] is None:
            return Feedback(False, f"Not yet: {NOTES_NAMES[g]} is still None. Replace the None with your computation.")

    def same(a: object, b: np.ndarray) -> bool:
        numbers = as_numbers(a)                  # None if a is not numbers: check_array below says so
        return numbers is not None and numbers.shape == b.shape and np.allclose(numbers, b, rtol=RTOL, atol=ATOL)

    # The whole-answer mistake first: r and z swapped is one mistake, not two.
    if same(answers["r"], blocks["z"]) and same(answers["z"], blocks["r"]):
        return Feedback(False, "Not yet: you took the gates in the order z, r, h. That is ONNX's and Keras's "
                               f"order; torch stacks the blocks r, z, n, so W_r is rows {rows['r']} and "
                               f"W_z is rows {rows['z']}.")

    for g in GATE_ORDER:
        name, got = NOTES_NAMES[g], answers[g]
        numbers = as_numbers(got)
        shape = None if numbers is None else numbers.shape
        if shape is not None and shape == (I, H) and shape != (H, I):
            return Feedback(False, f"Not yet: {name} has shape {shape} = (I, H), it is transposed. torch stores "
                                   f"weights as (output units, inputs): the gate's H = {H} units are rows, the "
                                   f"I = {I} input features are columns. Take rows {rows[g]} of weight_ih "
                                   f"without .T; the layer computes W x_t as x @ W.T.")
        if shape is not None and len(shape) == 2 and shape[0] == 3 * H and shape != (H, I):
            return Feedback(False, f"Not yet: {name} has shape {shape}: you sliced the columns (axis 1, the input "
                                   f"features). The gates are stacked along the rows (axis 0): {name} is "
                                   f"weight_ih[{rows[g]}], shape (H, I) = {(H, I)}.")
        mistakes = {
            f"you take rows {rows[other]}, which hold torch's {NOTES_NAMES[other]} block. torch stacks the "
            f"rows r, z, n (ONNX and Keras stack z, r, h): {name} is rows {rows[g]}": blocks[other]
            for other in GATE_ORDER if other != g
        }
        verdict = check_array(got, blocks[g], name, mistakes=mistakes)
        if not verdict:
            return verdict
    return Feedback(True, f"Correct: W_r, W_z and W_h are rows {rows['r']}, {rows['z']} and {rows['n']} of "
                          "weight_ih, torch's order r, z, n.")


# --------------------------------------------------------------------------------------------
# Exercise 2: the right row of h_n


def exercise2_inputs() -> tuple[GRU, np.ndarray]:
    """Exercise 2's GRU and input, the same on every call.

    Returns (gru, x): a gru_lesson.GRU with I = 4, H = 3, num_layers = 3, bidirectional (so
    h_n has D*L = 6 rows), and x of shape (T, N, I) = (5, 2, 4), float64.

    >>> gru, x = exercise2_inputs()
    >>> [a.shape for a in gru(x)]
    [(5, 2, 6), (6, 2, 3)]
    """
    gru = GRU(_EX2_I, _EX2_H, num_layers=_EX2_LAYERS, bidirectional=True, seed=SEED)
    x = np.random.default_rng(SEED).standard_normal((_EX2_T, _EX2_N, _EX2_I))    # (T, N, I)
    return gru, x


def _row_meaning(k: int, D: int = 2) -> str:
    return f"h_n[{k}], layer {k // D}'s {'forward' if k % D == 0 else 'reverse'} direction"


def check_final_state(h: object) -> Feedback:
    """Exercise 2: is h the final state of layer 1's reverse direction, for `exercise2_inputs()`?

    h: the learner's answer, expected of shape (N, H) = (2, 3): row k = layer * D + direction
       = 1 * 2 + 1 = 3 of h_n (D*L, N, H) = (6, 2, 3).
    Recognised mistakes: every other row of h_n, each named with the ordering slip that leads to
    it (layer 1's forward direction; direction-major numbering k = direction * L + layer;
    counting layers from 1; the last layer's reverse, h_n[-1]).

    >>> gru, x = exercise2_inputs()
    >>> check_final_state(gru(x)[1][3])
    Correct: h_n[3] is layer 1's reverse direction (k = layer * D + direction = 1 * 2 + 1).
    """
    gru, x = exercise2_inputs()
    _, h_n = gru(x)                                                             # (D*L, N, H)
    D, L = gru.num_directions, gru.num_layers
    k = _EX2_LAYER * D + _EX2_DIRECTION                                           # 3
    slips = {
        k - 1: "within a layer the forward direction comes first (k = layer * D + 0) and the reverse one "
               "second (k = layer * D + 1)",
        _EX2_DIRECTION * L + _EX2_LAYER: "you numbered the rows direction by direction (k = direction * L + layer); "
               "torch keeps both directions of one layer side by side: k = layer * D + direction",
        (_EX2_LAYER - 1) * D + _EX2_DIRECTION: "torch numbers layers from 0, so layer 1 is the SECOND layer "
               "(the first one is layer 0)",
        D * L - 1: "h_n[-1] is the LAST layer's reverse direction; layer 1 is the middle one of 3",
    }
    mistakes = {}
    for row in range(D * L):
        if row == k:
            continue
        why = slips.get(row, "count again: row k holds layer k // D, direction k % D")
        mistakes[f"you take {_row_meaning(row, D)}: {why}"] = h_n[row]
    verdict = check_array(_to_numpy(h), h_n[k], "h", mistakes=mistakes)
    if verdict:
        return Feedback(True, f"Correct: h_n[{k}] is layer {_EX2_LAYER}'s reverse direction "
                              f"(k = layer * D + direction = {_EX2_LAYER} * {D} + {_EX2_DIRECTION}).")
    return verdict


# --------------------------------------------------------------------------------------------
# Exercise 3: predict the shapes


def _expected_shapes() -> tuple[tuple[int, ...], tuple[int, ...]]:
    """(output shape, h_n shape) for SHAPE_CONFIG and X_SHAPE, from the layout rules."""
    N, T, _ = X_SHAPE
    H, L = SHAPE_CONFIG["hidden_size"], SHAPE_CONFIG["num_layers"]
    D = 2 if SHAPE_CONFIG["bidirectional"] else 1
    return (N, T, D * H), (D * L, N, H)


def _as_shape(answer: object, what: str) -> tuple[tuple[int, ...] | None, Feedback | None]:
    """A learner's shape -> a tuple of ints, or a Feedback saying why it is not one."""
    if answer is None:
        return None, Feedback(False, f"Not yet: {what} is still None. Replace the None with your prediction.")
    try:
        shape = tuple(answer)
    except TypeError:                                          # not a sequence at all, e.g. a number
        shape = None
    if shape is None or not all(_is_size(s) for s in shape):
        return None, Feedback(False, f"Not yet: {what} should be a tuple of whole numbers such as (2, 3, 4), "
                                     f"got {answer!r}.")
    return tuple(int(s) for s in shape), None


def _is_size(value: object) -> bool:
    """Whether value is a whole number >= 0 (an int, a NumPy integer, or a float such as 4.0), not a bool."""
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, (int, np.integer, float, np.floating)):
        return False
    return float(value).is_integer() and value >= 0


def check_shapes(output_shape: object, h_n_shape: object) -> Feedback:
    """Exercise 3: the shapes of (output, h_n) for GRU(**SHAPE_CONFIG) on x of shape X_SHAPE.

    output_shape, h_n_shape: tuples of ints (a torch.Size works too). With N = 4, T = 6, I = 7,
    H = 5, L = 3, D = 2 and batch_first=True the answers are output (N, T, D*H) = (4, 6, 10) and
    h_n (D*L, N, H) = (6, 4, 5).
    Recognised mistakes: forgetting D in output; output time-major despite batch_first; output
    holding every layer; batch_first applied to h_n; h_n without D or without L; D*H in h_n.

    >>> check_shapes((4, 6, 10), (6, 4, 5))  # doctest: +NORMALIZE_WHITESPACE
    Correct: output is (N, T, D*H) = (4, 6, 10) and h_n is (D*L, N, H) = (6, 4, 5).
    batch_first moves N to the front of x and output, never of h_n.
    """
    N, T, _ = X_SHAPE
    H, L = SHAPE_CONFIG["hidden_size"], SHAPE_CONFIG["num_layers"]
    D = 2 if SHAPE_CONFIG["bidirectional"] else 1
    expected_output, expected_h_n = _expected_shapes()
    got_output, verdict = _as_shape(output_shape, "output_shape")
    if verdict is not None:
        return verdict
    got_h_n, verdict = _as_shape(h_n_shape, "h_n_shape")
    if verdict is not None:
        return verdict

    output_mistakes = {
        (N, T, H): "you left out D: a bidirectional layer concatenates both directions' h_t on the last axis, "
                   "so output has D*H features",
        (T, N, D * H): "you kept the time-major layout (T, N, ...); with batch_first=True output comes back "
                       "as (N, T, D*H), like x",
        (N, T, L * D * H): "output holds only the LAST layer's h_t (the lower layers' outputs are consumed "
                           "by the layers above), so the last axis is D*H, not L*D*H",
        (N, T, L * H): "output holds only the last layer, with D*H features; L does not appear in it",
    }
    h_n_mistakes = {
        (N, D * L, H): "batch_first does not apply to h_n (nor to h0): it stays (D*L, N, H)",
        (L, N, H): "you left out D: each layer has D final states, one per direction, so h_n has D*L rows",
        (D, N, H): "you left out L: every layer keeps its final states, so h_n has D*L rows",
        (D * L, N, D * H): "each row of h_n is ONE direction's final state, with H units; the D*H "
                           "concatenation only happens in output",
        (D, N, D * H): "h_n keeps every layer (D*L rows) and each row has H units",
    }
    if got_output != expected_output:
        why = output_mistakes.get(got_output, f"work it out from (N, T, D*H) with N = {N}, T = {T}, D = {D}, H = {H}")
        return Feedback(False, f"Not yet: output_shape {got_output} is wrong: {why}.")
    if got_h_n != expected_h_n:
        why = h_n_mistakes.get(got_h_n, f"work it out from (D*L, N, H) with D = {D}, L = {L}, N = {N}, H = {H}")
        return Feedback(False, f"Not yet: output_shape is right, but h_n_shape {got_h_n} is wrong: {why}.")
    return Feedback(True, f"Correct: output is (N, T, D*H) = {expected_output} and h_n is (D*L, N, H) = "
                          f"{expected_h_n}. batch_first moves N to the front of x and output, never of h_n.")

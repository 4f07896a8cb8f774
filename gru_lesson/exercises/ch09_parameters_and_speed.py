"""Chapter 9, "Parameters and speed": checkers for its exercises.

The facts the exercises practise (letters: I input features, H hidden units, L layers, D directions,
g blocks: 1 for the RNN, 3 for the GRU, 4 for the LSTM):

    one layer direction:  g·H·(I_k + H) + 2·g·H      I_0 = I, I_k = D·H above the first layer
    whole module:         the sum over the L layers, times D

Exercises and their checkers:
    1. `check_lstm_count(n)`: the parameters of torch.nn.LSTM(**LSTM_CONFIG), counted by hand.
    2. `check_matching_lstm(H)`: the hidden size of the LSTM whose parameter count is closest to
       that of torch.nn.GRU(**GRU_BUDGET).

Both answers are whole numbers; a checker accepts an int, a NumPy integer or a float with no
fractional part. Nothing is computed at import, and torch is never imported here.
"""

from __future__ import annotations

import math

from ..parameters import BLOCKS, count_parameters, matching_hidden_size
from .feedback import Feedback, as_whole_number

__all__ = ["LSTM_CONFIG", "GRU_BUDGET", "check_lstm_count", "check_matching_lstm"]

# Exercise 1: the module whose parameters the learner counts.
LSTM_CONFIG = dict(input_size=10, hidden_size=20, num_layers=2, bidirectional=True)

# Exercise 2: the GRU whose parameter count the LSTM must match (one layer, biases on).
GRU_BUDGET = dict(input_size=32, hidden_size=64)


def _count(B: int, I: int, H: int, L: int, D: int, biases_per_block: int, upper_input: int) -> int:
    """A parameter count with one ingredient changed: the biases per block, what upper layers read."""
    total = 0
    for layer in range(L):
        I_k = I if layer == 0 else upper_input
        total += D * (B * H * (I_k + H) + biases_per_block * B * H)
    return total


# --------------------------------------------------------------------------------------------
# Exercise 1: count an LSTM's parameters


def check_lstm_count(n: object) -> Feedback:
    """Exercise 1: is n the number of parameters of torch.nn.LSTM(**LSTM_CONFIG)?

    n: the learner's count, a whole number. LSTM_CONFIG is I = 10, H = 20, L = 2 layers,
       bidirectional (D = 2), with biases: the answer is 2·(4·20·(10 + 20) + 8·20)
       + 2·(4·20·(40 + 20) + 8·20) = 15,040.
    Recognised mistakes: three blocks instead of four (the notes' "three weights"); one bias
    vector per block instead of two; no biases; the second layer reading I, or H, instead of D·H;
    one direction only; one layer only.

    >>> check_lstm_count(15040)  # doctest: +NORMALIZE_WHITESPACE
    Correct: 15040 parameters: 4 blocks, each W (H, I_k), U (H, H) and two biases, in 2 layers
    times 2 directions, with the second layer reading D·H = 40 features.
    """
    got, verdict = as_whole_number(n, "n")
    if verdict is not None:
        return verdict
    I, H, L = LSTM_CONFIG["input_size"], LSTM_CONFIG["hidden_size"], LSTM_CONFIG["num_layers"]
    D = 2 if LSTM_CONFIG["bidirectional"] else 1
    g = BLOCKS["lstm"]
    expected = count_parameters("lstm", I, H, L, True, LSTM_CONFIG["bidirectional"])
    if got == expected:
        return Feedback(True, f"Correct: {expected} parameters: {g} blocks, each W (H, I_k), U (H, H) and two "
                              f"biases, in {L} layers times {D} directions, with the second layer reading "
                              f"D·H = {D * H} features.")
    mistakes = {
        _count(3, I, H, L, D, 2, D * H): "you counted three blocks, the notes' W_f, W_i and W_o. The LSTM has a "
            "fourth, the candidate memory g_t, with weights of its own: torch's weight_ih_l0 has 4H rows",
        _count(g, I, H, L, D, 1, D * H): "you gave each block one bias vector. torch keeps two per block, "
            "bias_ih and bias_hh (H,) each, although for the LSTM only their sum matters",
        _count(g, I, H, L, D, 0, D * H): "you left out the biases: with bias=True each block has two (H,) vectors",
        _count(g, I, H, L, D, 2, I): f"you let the second layer read I = {I} features. It never sees x_t: its "
            f"input is the first layer's output, both directions concatenated, D·H = {D * H} features",
        _count(g, I, H, L, D, 2, H): f"you let the second layer read H = {H} features. It reads BOTH directions "
            f"of the first layer, concatenated: D·H = {D * H} features",
        _count(g, I, H, L, 1, 2, H): "you counted one direction. bidirectional=True gives every layer a second, "
            "reverse direction with weights of its own",
        _count(g, I, H, 1, D, 2, D * H): f"you counted one layer, but num_layers = {L}",
    }
    mistakes.pop(expected, None)
    if got in mistakes:
        return Feedback(False, f"Not yet: {got} is what you get when {mistakes[got]}.")
    return Feedback(False, f"Not yet: {got} is not the count. Add up, for each of the {L} layers and {D} "
                           f"directions, {g} blocks of H·(I_k + H) weights and 2·H biases (H = {H}, I_0 = {I}, "
                           f"I_1 = D·H).")


# --------------------------------------------------------------------------------------------
# Exercise 2: an LSTM as large as a GRU


def check_matching_lstm(hidden_size: object) -> Feedback:
    """Exercise 2: is hidden_size the H of the one-layer LSTM whose count is closest to the GRU's?

    hidden_size: the learner's H, a whole number. GRU_BUDGET is a GRU with I = 32, H = 64:
        3·64·(32 + 64) + 6·64 = 18,816 parameters; the LSTM with I = 32 and H = 54 has 19,008
        (192 more), the one with H = 53 has 18,444 (372 fewer): the answer is 54.
    Recognised mistakes: the GRU's own H (equal size is not equal parameters); H scaled by 3/4,
    by 4/3, by √(3/4) or by √(4/3); a neighbour of the answer.

    >>> check_matching_lstm(54)  # doctest: +NORMALIZE_WHITESPACE
    Correct: an LSTM with H = 54 has 19008 parameters, 192 away from the GRU's 18816
    (H = 53 is 372 away, H = 55 is 764 away).
    """
    got, verdict = as_whole_number(hidden_size, "hidden_size")
    if verdict is not None:
        return verdict
    I, H_gru = GRU_BUDGET["input_size"], GRU_BUDGET["hidden_size"]
    target = count_parameters("gru", I, H_gru)
    expected = matching_hidden_size("lstm", target, I)

    def away(H: int) -> int:
        return abs(count_parameters("lstm", I, H) - target)

    if got == expected:
        return Feedback(True, f"Correct: an LSTM with H = {expected} has {count_parameters('lstm', I, expected)} "
                              f"parameters, {away(expected)} away from the GRU's {target} (H = {expected - 1} is "
                              f"{away(expected - 1)} away, H = {expected + 1} is {away(expected + 1)} away).")
    if got < 1:
        return Feedback(False, f"Not yet: a hidden size is a positive whole number, got {got}.")
    mistakes = {
        round(H_gru * math.sqrt(3 / 4)): "you scaled H by √(3/4). That is the right idea (the count grows like "
            "H², so four blocks need about √(3/4) of the units), but it ignores the W (H, I) weights and the "
            "biases, which grow like H: compare the exact counts",
        round(H_gru * 3 / 4): "you scaled H by 3/4, but the count grows roughly like H²: three quarters of the "
            "units would leave the LSTM with about (3/4)² · 4/3 = 3/4 of the GRU's parameters",
        round(H_gru * 4 / 3): "you scaled H by 4/3, the wrong way: the LSTM has MORE blocks, so it needs FEWER units",
        round(H_gru * math.sqrt(4 / 3)): "you scaled H by √(4/3), the wrong way: the LSTM has more blocks, so it "
            "needs fewer units",
        H_gru: f"an LSTM with the GRU's own H = {H_gru} has {count_parameters('lstm', I, H_gru)} parameters, 4/3 of "
            f"the GRU's {target}: equal size is not an equal budget",
    }
    for neighbour in (expected - 1, expected + 1):
        mistakes.setdefault(neighbour, f"close: H = {neighbour} is {away(neighbour)} away from the GRU's {target}, "
                                       f"but another H is closer. Compare |count − {target}| for both neighbours")
    mistakes.pop(expected, None)
    if got in mistakes:
        return Feedback(False, f"Not yet: H = {got}: {mistakes[got]}.")
    return Feedback(False, f"Not yet: an LSTM with H = {got} has {count_parameters('lstm', I, got)} parameters, "
                           f"{away(got)} away from the GRU's {target}. Solve 4·H·(I + H) + 8·H = {target} for H "
                           f"(I = {I}) and compare the whole numbers next to the root.")

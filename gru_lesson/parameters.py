"""Chapter 9: how many trainable parameters a recurrent layer has: the vanilla RNN, the GRU and the LSTM.

Every block of a recurrent cell (a gate, or the candidate) turns x_t (I numbers) and h_{t-1}
(H numbers) into H numbers, so it owns

    W (H, I)     acting on x_t
    U (H, H)     acting on h_{t-1}
    b_ih, b_hh   (H,) each: torch keeps two bias vectors per block (cuDNN's layout)

that is H·(I + H) weights and 2H biases. The cells differ only in their number of blocks B:

    rnn   B = 1    h_t = tanh(W x_t + U h_{t-1} + b)
    gru   B = 3    r_t, z_t and the candidate h̃_t
    lstm  B = 4    i_t, f_t, o_t and the candidate g_t (the notes' W_f, W_i, W_o and one more)

A layer of num_layers = L layers and D directions (2 if bidirectional) has, per layer k and
direction,

    B·H·(I_k + H) + 2·B·H      (the last term only with bias=True)

where I_0 = I (the input) and I_k = D·H for k ≥ 1 (a layer reads both directions of the one below).
Every term is proportional to B, so for any configuration GRU / LSTM = 3/4 and RNN / GRU = 1/3.

`count_parameters` equals sum(p.numel() for p in module.parameters()) of torch.nn.RNN, torch.nn.GRU
and torch.nn.LSTM (with proj_size = 0) built with the same arguments. Nothing here imports torch.
"""

from __future__ import annotations

import math

import numpy as np

from ._validation import positive_int

__all__ = ["BLOCKS", "count_parameters", "matching_hidden_size"]

BLOCKS = {"rnn": 1, "gru": 3, "lstm": 4}
"""B, the number of weight blocks of each cell: its gates plus its candidate."""


def count_parameters(
    cell: str,
    input_size: int,
    hidden_size: int,
    num_layers: int = 1,
    bias: bool = True,
    bidirectional: bool = False,
) -> int:
    """The number of trainable numbers in torch.nn.RNN / GRU / LSTM with these arguments.

    cell: "rnn", "gru" or "lstm".  input_size: I.  hidden_size: H.  num_layers: L.
    bias: False drops the 2·B·H biases of every layer direction.
    bidirectional: True doubles every layer (D = 2) and makes the layers above the first read D·H.
    Raises ValueError for an unknown cell or a size that is not a positive integer, and TypeError
    for a bias or bidirectional that is not a bool.

    >>> count_parameters("gru", input_size=10, hidden_size=20)     # 3·20·(10 + 20) + 2·3·20
    1920
    >>> count_parameters("lstm", 10, 20), count_parameters("rnn", 10, 20)
    (2560, 640)
    >>> count_parameters("gru", 10, 20, num_layers=2, bidirectional=True)
    11280
    """
    B = _blocks(cell)
    I, H, L = (positive_int(name, value) for name, value in
               (("input_size", input_size), ("hidden_size", hidden_size), ("num_layers", num_layers)))
    _check_bool("bias", bias)
    _check_bool("bidirectional", bidirectional)
    D = 2 if bidirectional else 1
    total = 0
    for layer in range(L):
        I_k = I if layer == 0 else D * H
        # B blocks, each W (H, I_k) and U (H, H), plus b_ih and b_hh (H,) each
        per_direction = B * H * (I_k + H) + (2 * B * H if bias else 0)
        total += D * per_direction
    return total


def matching_hidden_size(
    cell: str,
    target: int,
    input_size: int,
    num_layers: int = 1,
    bias: bool = True,
    bidirectional: bool = False,
) -> int:
    """The hidden size H that brings `cell`'s parameter count closest to `target`.

    Use it to compare cells at an equal parameter budget, e.g. an LSTM as large as a GRU:
        matching_hidden_size("lstm", count_parameters("gru", I, H), I)
    target: the parameter count to match, a positive integer.  The other arguments as in
    `count_parameters`. Ties go to the smaller H.

    >>> matching_hidden_size("lstm", count_parameters("gru", 2, 16), input_size=2)
    14
    >>> matching_hidden_size("rnn", count_parameters("gru", 2, 16), input_size=2)
    29
    """
    B = _blocks(cell)
    target = positive_int("target", target)
    I = positive_int("input_size", input_size)
    L = positive_int("num_layers", num_layers)
    _check_bool("bias", bias)
    _check_bool("bidirectional", bidirectional)
    # the count grows with H, and is at least B·H·(I + H), one layer, one direction, no bias: the
    # positive root of B·H² + B·I·H = target bounds the answer from above
    upper = math.ceil((-I + math.sqrt(I * I + 4 * target / B)) / 2) + 1

    def count(H: int) -> int:
        return count_parameters(cell, I, H, L, bias, bidirectional)

    low, high = 1, upper                    # bisect for the smallest H whose count reaches the target
    while low < high:
        middle = (low + high) // 2
        low, high = (middle + 1, high) if count(middle) < target else (low, middle)
    # the answer is that H or the one below it, whichever is closer (ties: the smaller)
    return min((H for H in (low - 1, low) if H >= 1), key=lambda H: (abs(count(H) - target), H))


def _blocks(cell: object) -> int:
    """B for a cell name; a ValueError naming the allowed names otherwise."""
    if not isinstance(cell, str) or cell not in BLOCKS:
        raise ValueError(f"expected cell to be one of {tuple(BLOCKS)}, got {cell!r}")
    return BLOCKS[cell]


def _check_bool(name: str, value: object) -> None:
    """A TypeError unless value is True or False (a NumPy bool is accepted)."""
    if not isinstance(value, (bool, np.bool_)):
        raise TypeError(f"expected {name} to be True or False, got {value!r} of type {type(value).__name__}")

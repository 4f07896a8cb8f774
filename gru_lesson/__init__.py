"""Chapters 1-15: the gated recurrent unit, equation by equation, in NumPy, matched to torch.nn.GRU.

    from gru_lesson import GRU
    gru = GRU.from_torch(module)          # any torch.nn.GRU
    output, h_n = gru(x, h0)              # NumPy in and out, the same as module(x, h0)
    grads = gru.backward(grad_output)     # every gradient by hand, the same as torch autograd

Files in the course's order (the chapters that build each):
    vanilla_rnn.py    ch 1, 7  the ungated RNN the GRU improves on
    activations.py    ch 2     σ and tanh, without overflow
    equations.py      ch 2-4   r_t, z_t, h̃_t, h_t: one function each, in the notes' symbols
    conventions.py    ch 3, 5  torch's stacked weights <-> the notes' names; the two update conventions
    cell.py           ch 4     one step from the four equations, and that step over a sequence
    direction.py      ch 4-6   one layer direction, fused: the forward pass, its tape, its backward pass
    layer.py          ch 5, 14 the GRU layer: layers, directions, layouts, lengths, torch's weights, backward
    readout.py        ch 8, 15 a linear readout, the mean squared error and the keys' NLL, with gradients
    optim.py          ch 8     SGD and Adam, the same arithmetic as torch.optim
    tasks.py          ch 8-12  the adding problem and marked recall
    parameters.py     ch 9     parameter counts of RNN, GRU and LSTM layers
    min_gru.py        ch 12    minGRU: the loop and the log-space parallel scan
    exercises/        ch 1-15  a checker per chapter
    lab/              tools around the lessons, never imported here: training, timing, ONNX, minGRU in torch
    _validation.py    plumbing: the errors a learner sees on bad input
"""

from .activations import sigmoid, tanh
from .cell import gru_cell, gru_sequence
from .conventions import flip_update, split_gates
from .equations import candidate, new_state, reset_gate, update_gate
from .layer import GRU
from .min_gru import MinGRU
from .optim import SGD, Adam
from .parameters import count_parameters, matching_hidden_size
from .readout import Linear, key_nll, mse_loss

__version__ = "0.1.0"

__all__ = [
    "GRU",
    "SGD",
    "Adam",
    "Linear",
    "MinGRU",
    "candidate",
    "count_parameters",
    "flip_update",
    "gru_cell",
    "gru_sequence",
    "key_nll",
    "matching_hidden_size",
    "mse_loss",
    "new_state",
    "reset_gate",
    "sigmoid",
    "split_gates",
    "tanh",
    "update_gate",
]

"""gru_lesson: the gated recurrent unit, equation by equation, in NumPy, matched to torch.nn.GRU.

    from gru_lesson import GRU
    gru = GRU.from_torch(module)          # any torch.nn.GRU
    output, h_n = gru(x, h0)              # NumPy in and out, the same as module(x, h0)
    grads = gru.backward(grad_output)     # every gradient by hand, the same as torch autograd

Files, read in this order:
    activations.py    σ and tanh, without overflow
    equations.py      r_t, z_t, h̃_t, h_t: one function each, in the notes' symbols
    cell.py           one step from the four equations
    conventions.py    torch's stacked weights <-> the notes' names; the two update conventions
    layer.py          the fused layer: sequences, layers, directions, torch's weights, backward
    backward.py       backpropagation through time for one layer direction
    vanilla_rnn.py    the ungated RNN the GRU improves on
    onnx_bridge.py    the same weights as an ONNX GRU, to check the reset-before form
    adding_problem.py the adding problem, time-major, as chapters 8 and 12 use it
    readout.py        a linear readout and the mean squared error, with gradients
    optim.py          SGD and Adam, the same arithmetic as torch.optim
    tasks.py          synthetic long-memory tasks (the adding problem, marked recall)
    parameters.py     parameter counts of RNN, GRU and LSTM layers
    training.py       a small torch training loop for the comparison chapters
    min_gru.py        minGRU: the loop and the log-space parallel scan
    min_gru_torch.py  minGRU in torch (the torch bridge; not imported here)
    timing.py         interleaved timings for the benchmarks and chapter 13
    exercises/        checkers for the chapters' exercises
    validation.py     the errors a learner sees on bad input
"""

from .activations import sigmoid, tanh
from .cell import gru_cell
from .conventions import flip_update, split_gates
from .equations import candidate, new_state, reset_gate, update_gate
from .layer import GRU
from .min_gru import MinGRU
from .optim import SGD, Adam
from .parameters import count_parameters, matching_hidden_size
from .readout import Linear, mse_loss

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
    "matching_hidden_size",
    "mse_loss",
    "new_state",
    "reset_gate",
    "sigmoid",
    "split_gates",
    "tanh",
    "update_gate",
]

"""gru_lesson: the gated recurrent unit, equation by equation, in NumPy, matched to torch.nn.GRU.

    from gru_lesson import GRU
    gru = GRU.from_torch(module)          # any torch.nn.GRU
    output, h_n = gru(x, h0)              # NumPy in and out, the same as module(x, h0)

Files, read in this order:
    activations.py   σ and tanh, without overflow
    equations.py     r_t, z_t, h̃_t, h_t: one function each, in the notes' symbols
    cell.py          one step from the four equations
    conventions.py   torch's stacked weights <-> the notes' names; the two update conventions
    layer.py         the fused layer: sequences, layers, directions, torch's weights
    vanilla_rnn.py   the ungated RNN the GRU improves on
    onnx_bridge.py   the same weights as an ONNX GRU, to check the reset-before form
    exercises/       checkers for the chapters' exercises
    validation.py    the errors a learner sees on bad input
"""

from .activations import sigmoid, tanh
from .cell import gru_cell
from .conventions import flip_update, split_gates
from .equations import candidate, new_state, reset_gate, update_gate
from .layer import GRU

__version__ = "0.1.0"

__all__ = [
    "GRU",
    "candidate",
    "flip_update",
    "gru_cell",
    "new_state",
    "reset_gate",
    "sigmoid",
    "split_gates",
    "tanh",
    "update_gate",
]

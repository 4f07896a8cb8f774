"""Lab tool for chapters 9-12: the one training loop of the comparisons, torch recurrent layers + a linear readout.

    model = make_model("gru", input_size=2, hidden_size=16, seed=0)
    losses = train(model, x, y, steps=300, batch_size=64)        # Adam on the mean squared error
    error = mse(model, x_test, y_test)

The model reads a whole sequence and answers once, at the last step:

    h_1 ... h_T = RNN / GRU / LSTM / minGRU(x_1 ... x_T)   torch.nn.RNN (tanh), GRU, LSTM, or
                                                      lab.min_gru_torch.TorchMinGRU; h_0 = 0;
                                                      num_layers layers, each reading the one below
    ŷ = V h_T + c                                     a torch.nn.Linear readout, (H,) -> (O,)

Every model gets the same recipe: Adam, the mean squared error, gradients clipped to norm 1.

Shapes (batch first): x (N, T, I), y (N, O), ŷ (N, O); the model's `rnn` and `readout` are the
two torch modules, so `GRU.from_torch(model.rnn)` loads the trained layer into gru_lesson.

torch is imported inside the functions: gru_lesson itself needs only NumPy. Seeds fix the initial
weights (torch.manual_seed) and the data fix the batches, so a run is repeatable on one machine
with a fixed number of threads (torch.set_num_threads).
"""

from __future__ import annotations

import functools
from typing import Any, Protocol

import numpy as np

from .._validation import positive_int

__all__ = ["CELLS", "make_model", "train", "mse"]

CELLS = ("rnn", "gru", "lstm", "min_gru")


class Progress(Protocol):
    """Anything with tqdm's `update(n)`: the loop calls update(1) after every step."""

    def update(self, n: int = 1) -> Any: ...


@functools.cache
def _model_class() -> type:
    """The module class, defined on first use so that importing gru_lesson does not import torch."""
    import torch

    from .min_gru_torch import TorchMinGRU

    class MinGRUStack(torch.nn.Module):
        """num_layers TorchMinGRU layers, batch first, returning (states, None) like torch's layers."""

        def __init__(self, input_size: int, hidden_size: int, num_layers: int) -> None:
            super().__init__()
            sizes = [input_size] + [hidden_size] * num_layers
            self.layers = torch.nn.ModuleList(TorchMinGRU(i, hidden_size) for i in sizes[:-1])

        def forward(self, x: torch.Tensor) -> tuple[torch.Tensor, None]:
            states = x.transpose(0, 1)                                 # (T, N, I): minGRU is time-major
            for layer in self.layers:
                states = layer(states)                                 # (T, N, H)
            return states.transpose(0, 1), None                        # (N, T, H)

    class SequenceModel(torch.nn.Module):
        """Recurrent layers (batch_first) and a linear readout of the top layer's last state."""

        def __init__(self, cell: str, input_size: int, hidden_size: int, output_size: int, num_layers: int) -> None:
            super().__init__()
            self.cell = cell
            if cell == "min_gru":
                self.rnn = MinGRUStack(input_size, hidden_size, num_layers)
            else:
                layer = {"rnn": torch.nn.RNN, "gru": torch.nn.GRU, "lstm": torch.nn.LSTM}[cell]
                self.rnn = layer(input_size, hidden_size, num_layers, batch_first=True)
            self.readout = torch.nn.Linear(hidden_size, output_size)

        def forward(self, x: torch.Tensor) -> torch.Tensor:
            """x (N, T, I) -> ŷ (N, O), read from h_T."""
            states, _ = self.rnn(x)                                   # (N, T, H)
            return self.readout(states[:, -1])                         # (N, O)

    return SequenceModel


def make_model(cell: str, input_size: int, hidden_size: int, output_size: int = 1, *,
               num_layers: int = 1, seed: int = 0, forget_bias: float | None = None) -> Any:
    """A fresh model: torch.nn.RNN / GRU / LSTM (batch_first=True) or minGRU, and a torch.nn.Linear readout.

    cell: "rnn", "gru", "lstm" or "min_gru".  input_size: I.  hidden_size: H.  output_size: O.
    num_layers: recurrent layers stacked, each reading the outputs of the one below.
    seed: torch.manual_seed before the weights are drawn (torch's default initialisation).
    forget_bias: LSTM only. None keeps torch's initialisation (every bias ~ U(−1/√H, 1/√H)); a number
        sets the forget gate's total bias b_if + b_hf in every layer to it, the rest untouched: torch
        stacks the gates i, f, g, o, so bias_ih_l{k}[H:2H] = forget_bias and bias_hh_l{k}[H:2H] = 0.
        Jozefowicz et al. (2015) recommend 1: the cell keeps about σ(1) ≈ 73% of its content per step
        from the start.
    Returns a torch.nn.Module, float32, mapping x (N, T, I) to ŷ (N, O).

    >>> model = make_model("gru", 2, 4)
    >>> type(model.rnn).__name__, tuple(model.readout.weight.shape)
    ('GRU', (1, 4))
    >>> lstm = make_model("lstm", 2, 3, forget_bias=1.0)
    >>> (lstm.rnn.bias_ih_l0 + lstm.rnn.bias_hh_l0)[3:6].tolist()     # the forget slice [H:2H]
    [1.0, 1.0, 1.0]
    """
    import torch

    if cell not in CELLS:
        raise ValueError(f"expected cell to be one of {CELLS}, got {cell!r}")
    sizes = {name: positive_int(name, value) for name, value in (
        ("input_size", input_size), ("hidden_size", hidden_size), ("output_size", output_size), ("num_layers", num_layers))}
    if forget_bias is not None:
        if cell != "lstm":
            raise ValueError(f"forget_bias is the LSTM's forget-gate bias; cell {cell!r} has no forget gate")
        number = isinstance(forget_bias, (int, float, np.integer, np.floating)) and not isinstance(forget_bias, bool)
        if not number or not np.isfinite(forget_bias):
            raise ValueError(f"expected forget_bias to be a finite number or None, got {forget_bias!r}")
    torch.manual_seed(seed)
    model = _model_class()(cell, **sizes)
    if forget_bias is not None:
        H = sizes["hidden_size"]
        with torch.no_grad():
            for k in range(sizes["num_layers"]):
                # b_f = b_if + b_hf = forget_bias + 0: torch adds the two bias vectors, gates stacked i, f, g, o
                getattr(model.rnn, f"bias_ih_l{k}")[H:2 * H] = float(forget_bias)
                getattr(model.rnn, f"bias_hh_l{k}")[H:2 * H] = 0.0
    return model


def train(
    model: Any,
    x: np.ndarray,
    y: np.ndarray,
    *,
    steps: int,
    batch_size: int,
    lr: float = 1e-2,
    clip: float = 1.0,
    progress: Progress | None = None,
) -> np.ndarray:
    """Train `model` in place with Adam on the mean squared error; returns the loss of every step.

    x: (M, T, I) and y: (M, O) NumPy arrays with M ≥ steps · batch_size: step k uses the rows
       [k · batch_size, (k + 1) · batch_size), so every step sees new sequences.
    steps: the number of parameter updates.  batch_size: sequences per update.
    lr: Adam's learning rate.  clip: the gradients' total norm is clipped to this (0 turns it off).
    progress: e.g. a tqdm bar; update(1) is called after every step.
    Returns losses (steps,), float64: each batch's loss before its update.

    >>> from gru_lesson.tasks import adding_problem
    >>> x, y = adding_problem(4 * 8, 5)                  # 4 steps of 8 sequences, T = 5
    >>> train(make_model("lstm", 2, 3), x, y, steps=4, batch_size=8).shape
    (4,)
    """
    import torch

    if len(x) != len(y) or len(x) < steps * batch_size:
        raise ValueError(f"expected x and y with the same number of rows, at least steps * batch_size = "
                         f"{steps} * {batch_size} = {steps * batch_size}, got {len(x)} and {len(y)}")
    x_all, y_all = torch.from_numpy(np.asarray(x, np.float32)), torch.from_numpy(np.asarray(y, np.float32))
    optimiser = torch.optim.Adam(model.parameters(), lr=lr)
    losses = np.empty(steps)                                               # (steps,)
    model.train()
    for k in range(steps):
        rows = slice(k * batch_size, (k + 1) * batch_size)
        # loss = mean over the batch of (ŷ − y)²
        loss = torch.nn.functional.mse_loss(model(x_all[rows]), y_all[rows])
        optimiser.zero_grad()
        loss.backward()
        if clip:
            torch.nn.utils.clip_grad_norm_(model.parameters(), clip)
        optimiser.step()
        losses[k] = loss.item()
        if progress is not None:
            progress.update(1)
    model.eval()
    return losses


def mse(model: Any, x: np.ndarray, y: np.ndarray) -> float:
    """The mean squared error of model(x) against y, without gradients. x (N, T, I), y (N, O).

    >>> model = make_model("rnn", 2, 3)
    >>> mse(model, np.zeros((5, 4, 2)), np.zeros((5, 1))) >= 0.0
    True
    """
    import torch

    with torch.no_grad():
        prediction = model(torch.from_numpy(np.asarray(x, np.float32)))   # (N, O)
        return float(torch.nn.functional.mse_loss(prediction, torch.from_numpy(np.asarray(y, np.float32))))

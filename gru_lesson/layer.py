"""Chapters 5, 14: the GRU layer, the fused direction (`direction`) run over a sequence, stacked in layers, in one or both directions.

Shapes (letters as in `equations`; L = num_layers):
    x       (T, N, I), or (N, T, I) with batch_first, or (T, I) unbatched
    h0, h_n (D*L, N, H), or (D*L, H) unbatched; row k = layer k // D, direction k % D
    output  (T, N, D*H), or (N, T, D*H) with batch_first, or (T, D*H) unbatched
            the last layer's h_t for every step; forward units first, then reverse ones

Parameters use torch.nn.GRU's names and layouts (gate rows stacked r, z, n; see `conventions`):
    weight_ih_l{k}[_reverse] (3H, I_k)   weight_hh_l{k}[_reverse] (3H, H)
    bias_ih_l{k}[_reverse]   (3H,)       bias_hh_l{k}[_reverse]   (3H,)
with I_0 = I and I_k = D*H above the first layer. Layer k reads layer k-1's output; the reverse
direction reads the sequence from its last step to its first.

Each layer direction runs `direction.direction_forward`, fused for speed (its docstring says how),
and `backward` runs `direction.direction_backward` on the tapes the forward pass kept.

Sequences of different lengths (chapter 14), `gru(x, h0, lengths=lengths)`: x is padded to T steps
and sequence n is real for its first lengths[n] steps. The result is torch's for
pack_padded_sequence(x, lengths, enforce_sorted=False) -> module -> pad_packed_sequence(total_length=T):
output is 0 after each sequence's length, h_n is each sequence's state at its own last step, and the
reverse direction reads each sequence backwards from its own last step. The layer lays the batch out
as torch packs it, longest first, so that the running sequences are the first rows at every step
(`direction` computes only those), and reverses each sequence within its own length.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from ._validation import as_float_array, check_finite, check_shape, positive_int
from .conventions import split_gates
from .direction import direction_backward, direction_forward
from .equations import UPDATE_CONVENTIONS

__all__ = ["GRU"]


@dataclass(frozen=True)
class Packing:
    """A batch of different lengths laid out as torch packs it (its PackedSequence), for `direction`.

    order: (N,) the sequences longest first; ties keep their order (torch's sorted_indices).
    unsort: (N,) the inverse permutation, back to the caller's order (torch's unsorted_indices).
    batch_sizes: (T,) N_t, how many sequences are still running at step t (torch's batch_sizes, padded with 0s to T).
    reverse: (T, N) step index that reads each sorted sequence backwards within its own length, and leaves its
             padding where it is; reading twice gives the original order back.
    """

    order: np.ndarray
    unsort: np.ndarray
    batch_sizes: np.ndarray
    reverse: np.ndarray

    @classmethod
    def from_lengths(cls, lengths: np.ndarray, T: int) -> "Packing":
        """The layout of N sequences with these lengths (N,), each between 1 and T.

        >>> p = Packing.from_lengths(np.array([2, 3, 1]), T=3)
        >>> p.order.tolist(), p.batch_sizes.tolist(), p.reverse[:, 0].tolist()   # sequence 1 first; it reads 2, 1, 0
        ([1, 0, 2], [3, 2, 1], [2, 1, 0])
        """
        order = np.argsort(-lengths, kind="stable")                   # (N,)
        sorted_lengths = lengths[order]                                # (N,), longest first
        steps = np.arange(T)[:, None]                                  # (T, 1)
        running = steps < sorted_lengths                               # (T, N): step t is real for sequence n
        # backwards within a sequence: step t reads step l_n − 1 − t; padding (t ≥ l_n) stays at t
        reverse = np.where(running, sorted_lengths - 1 - steps, steps)   # (T, N)
        return cls(order=order, unsort=np.argsort(order), batch_sizes=running.sum(axis=1), reverse=reverse)

    def reversed(self, steps: np.ndarray) -> np.ndarray:
        """steps (T, N, F) with each sequence reversed within its own length, padding left in place."""
        return np.take_along_axis(steps, self.reverse[:, :, None], axis=0)      # (T, N, F)


class GRU:
    """A multi-layer, optionally bidirectional GRU in NumPy, the same function as torch.nn.GRU.

    input_size: I.  hidden_size: H.  num_layers: L, layers stacked on each other's outputs.
    bias: False drops all four bias vectors (they act as zeros).
    batch_first: x and output are (N, T, ...) instead of (T, N, ...); unbatched input ignores it.
    bidirectional: D = 2 directions, outputs concatenated on the feature axis.
    reset_after: True is torch's candidate tanh(W_h x + b_h + r ⊙ (U_h h + b_Uh)); False is the
                 notes' and ONNX linear_before_reset=0's tanh(W_h x + U_h (r ⊙ h) + b_h + b_Uh).
    update: "torch" (z → 1 keeps h_{t-1}) or "notes" (z → 1 replaces it with h̃_t).
    seed: for the initial weights, drawn like torch's from U(−1/√H, 1/√H).
    dtype: of the initial weights. An input of another float dtype is computed in the input's dtype.

    >>> gru = GRU(input_size=3, hidden_size=4, num_layers=2, bidirectional=True)
    >>> output, h_n = gru(np.zeros((5, 2, 3)))      # T=5 steps, N=2 sequences, I=3 features
    >>> output.shape, h_n.shape                     # (T, N, D*H), (D*L, N, H)
    ((5, 2, 8), (4, 2, 4))
    """

    def __init__(
        self,
        input_size: int,
        hidden_size: int,
        num_layers: int = 1,
        bias: bool = True,
        batch_first: bool = False,
        bidirectional: bool = False,
        *,
        reset_after: bool = True,
        update: str = "torch",
        seed: int = 0,
        dtype: type = np.float64,
    ) -> None:
        input_size, hidden_size = positive_int("input_size", input_size), positive_int("hidden_size", hidden_size)
        num_layers = positive_int("num_layers", num_layers)
        if update not in UPDATE_CONVENTIONS:
            raise ValueError(f"expected update to be one of {UPDATE_CONVENTIONS}, got {update!r}")
        if np.dtype(dtype) not in (np.float32, np.float64):
            raise TypeError(f"expected dtype float32 or float64, got {np.dtype(dtype)}")
        self.input_size, self.hidden_size, self.num_layers = int(input_size), int(hidden_size), int(num_layers)
        self.bias, self.batch_first, self.bidirectional = bool(bias), bool(batch_first), bool(bidirectional)
        self.reset_after, self.update = bool(reset_after), update
        rng = np.random.default_rng(seed)
        k = 1.0 / math.sqrt(self.hidden_size)
        self.params: dict[str, np.ndarray] = {
            name: rng.uniform(-k, k, shape).astype(dtype) for name, shape in self.parameter_shapes().items()
        }

    @property
    def num_directions(self) -> int:
        """D: 2 for a bidirectional GRU, else 1."""
        return 2 if self.bidirectional else 1

    def parameter_shapes(self) -> dict[str, tuple[int, ...]]:
        """Every parameter's torch name and shape, in the order of torch's named_parameters()."""
        H, D = self.hidden_size, self.num_directions
        shapes = {}
        for layer in range(self.num_layers):
            I_k = self.input_size if layer == 0 else D * H
            for suffix in _suffixes(layer, D):
                shapes[f"weight_ih_{suffix}"] = (3 * H, I_k)
                shapes[f"weight_hh_{suffix}"] = (3 * H, H)
                if self.bias:
                    shapes[f"bias_ih_{suffix}"] = (3 * H,)
                    shapes[f"bias_hh_{suffix}"] = (3 * H,)
        return shapes

    def gates(self, layer: int = 0, direction: int = 0) -> dict[str, np.ndarray]:
        """The notes' per-gate weights (W_r, U_r, b_r, ...) of one layer direction."""
        suffix = _suffixes(layer, self.num_directions)[direction]
        params = self.params
        return split_gates(params[f"weight_ih_{suffix}"], params[f"weight_hh_{suffix}"],
                           params.get(f"bias_ih_{suffix}"), params.get(f"bias_hh_{suffix}"))

    def with_update(self, update: str) -> "GRU":
        """The same function in the other update convention: a copy with W_z, U_z, b_z negated.

        z_new = σ(−a) = 1 − σ(a) = 1 − z_old, so every output is unchanged (see `conventions`).
        """
        if update not in UPDATE_CONVENTIONS:
            raise ValueError(f"expected update to be one of {UPDATE_CONVENTIONS}, got {update!r}")
        twin = GRU.__new__(GRU)
        twin.__dict__.update(self.__dict__)
        twin.update = update
        H = self.hidden_size
        twin.params = {name: value.copy() for name, value in self.params.items()}
        if update != self.update:
            for value in twin.params.values():
                value[H:2 * H] *= -1          # rows r | z | n: the update gate's rows
        return twin

    @classmethod
    def from_torch(cls, module: object, *, reset_after: bool = True) -> "GRU":
        """Copy a torch.nn.GRU's weights, checking every name and shape before copying.

        module: a torch.nn.GRU (any num_layers, bidirectional, batch_first, bias).
        reset_after: True computes exactly module(x, h0); False computes the reset-before
                     candidate with the same weights (ONNX GRU with linear_before_reset=0).
        Dropout between layers is a training-time regularizer and is not applied (module.eval()).
        """
        try:
            import torch
        except ImportError:  # without torch, nothing can be a torch.nn.GRU
            raise TypeError(f"expected a torch.nn.GRU, got {type(module).__name__} (torch is not installed)") from None
        if not isinstance(module, torch.nn.GRU):
            raise TypeError(f"expected a torch.nn.GRU, got {type(module).__name__}")
        gru = cls(module.input_size, module.hidden_size, module.num_layers, module.bias,
                  module.batch_first, module.bidirectional, reset_after=reset_after)
        theirs = dict(module.named_parameters())
        expected = gru.parameter_shapes()
        if list(theirs) != list(expected):
            raise ValueError(f"expected parameters {list(expected)}, got {list(theirs)}")
        for name, shape in expected.items():
            tensor = theirs[name]
            if tuple(tensor.shape) != shape:
                raise ValueError(f"expected {name} of shape {shape}, got {tuple(tensor.shape)}")
            if tensor.dtype not in (torch.float32, torch.float64):
                raise TypeError(f"expected {name} of dtype float32 or float64, got {tensor.dtype}")
            gru.params[name] = tensor.detach().cpu().numpy().copy()
        return gru

    def __call__(self, x: np.ndarray, h0: np.ndarray | None = None, *,
                 lengths: object = None, tape: bool = True) -> tuple[np.ndarray, np.ndarray]:
        """Run the GRU over x; returns (output, h_n) with the shapes in the module docstring.

        lengths: None (every sequence has T steps), or N whole numbers 1 <= lengths[n] <= T, in any order:
                 sequence n is real for its first lengths[n] steps and padding after (batched x only).
        tape: True keeps what `backward` needs (the tapes of this call), replacing those of the call
              before; False keeps nothing, for inference (faster: like torch.inference_mode), and a
              `backward` after it raises.
        """
        if not isinstance(tape, bool):
            raise TypeError(f"expected tape as True or False, got {type(tape).__name__} {tape!r}")
        seq, h0 = self._time_major(x, h0)                                 # (T, N, I), (D*L, N, H)
        packing = None if lengths is None else Packing.from_lengths(_check_lengths(lengths, x, seq.shape), len(seq))
        if packing is not None:                                          # longest first, as torch packs
            seq, h0 = seq[:, packing.order], h0[:, packing.order]        # (T, N, I), (D*L, N, H)
        L, D = self.num_layers, self.num_directions
        h_n = np.empty_like(h0)                                          # (D*L, N, H)
        tapes = []
        for layer in range(L):
            outputs = []
            for direction, suffix in enumerate(_suffixes(layer, D)):
                weights = self._weights(suffix, seq.dtype)
                steps = seq if direction == 0 else _reversed(seq, packing)
                kept = direction_forward(steps, h0[layer * D + direction], **weights, reset_after=self.reset_after,
                                         update=self.update, keep=tape,
                                         batch_sizes=None if packing is None else packing.batch_sizes)
                tapes.append(kept)
                h_n[layer * D + direction] = kept.last
                outputs.append(kept.states if direction == 0 else _reversed(kept.states, packing))   # each (T, N, H)
            seq = outputs[0] if D == 1 else np.concatenate(outputs, axis=-1)   # (T, N, D*H)
        self._last_call = (x, h0, tapes, packing) if tape else None
        if packing is not None:                                          # back to the caller's order
            seq, h_n = seq[:, packing.unsort], h_n[:, packing.unsort]    # (T, N, D*H), (D*L, N, H)
        return self._caller_layout(x, seq, h_n)

    def backward(self, grad_output: np.ndarray, grad_h_n: np.ndarray | None = None) -> dict[str, np.ndarray]:
        """Backpropagation through time for the last call, by hand (see `direction.direction_backward`).

        grad_output: δoutput = ∂loss/∂output, the shape of that call's output.
        grad_h_n: δh_n = ∂loss/∂h_n, the shape of its h_n; None means zeros.
        Returns {torch parameter name: gradient of that parameter's shape, ..., "input": δx in x's
        shape, "h0": δh0 in h0's shape}: the gradients of sum(output * grad_output) + sum(h_n * grad_h_n),
        what torch autograd computes for that loss. After a call with lengths, grad_output in the
        padding changes nothing (the output there is the constant 0), and δx is 0 there.
        """
        if getattr(self, "_last_call", None) is None:
            raise BackwardBeforeForwardError("backward() needs a forward call first, with its tape: run output, h_n = "
                                             "gru(x, h0) (not tape=False), then gru.backward(grad_output)")
        x, h0, tapes, packing = self._last_call
        L, D, H = self.num_layers, self.num_directions, self.hidden_size
        T, N = tapes[0].states.shape[:2]
        output_shape = (T, D * H) if x.ndim == 2 else (N, T, D * H) if self.batch_first else (T, N, D * H)
        h_n_shape = (D * L, H) if x.ndim == 2 else (D * L, N, H)
        grad_output = _check_gradient(grad_output, output_shape, x.dtype, "grad_output", "the output")
        grad_h_n = np.zeros(h_n_shape, x.dtype) if grad_h_n is None else \
            _check_gradient(grad_h_n, h_n_shape, x.dtype, "grad_h_n", "h_n")
        grad_above, grad_last = self._time_major_pair(x, grad_output, grad_h_n)   # (T, N, D*H), (D*L, N, H)
        if packing is not None:                                          # the forward pass's order: longest first
            grad_above, grad_last = grad_above[:, packing.order], grad_last[:, packing.order]

        grads: dict[str, np.ndarray] = {}
        grad_h0 = np.empty_like(h0)                                      # (D*L, N, H)
        for layer in reversed(range(L)):
            grad_input = None
            for direction, suffix in enumerate(_suffixes(layer, D)):
                k = layer * D + direction
                grad_states = grad_above[..., direction * H:(direction + 1) * H]   # (T, N, H)
                if direction == 1:
                    grad_states = _reversed(grad_states, packing)        # the tape runs last step first
                grad_x, grad_h0[k], direction_grads = direction_backward(tapes[k], grad_states, grad_last[k],
                                                                          update=self.update)
                grad_x = grad_x if direction == 0 else _reversed(grad_x, packing)   # (T, N, I_k)
                grad_input = grad_x if grad_input is None else grad_input + grad_x
                for name, value in direction_grads.items():
                    if name.startswith("weight") or self.bias:
                        grads[f"{name}_{suffix}"] = value
            grad_above = grad_input                                      # δ of the layer below's output
        grads = {name: grads[name] for name in self.parameter_shapes()}  # torch's order
        if packing is not None:                                          # back to the caller's order
            grad_above, grad_h0 = grad_above[:, packing.unsort], grad_h0[:, packing.unsort]
        grads["input"], grads["h0"] = self._caller_layout(x, grad_above, grad_h0)
        return grads

    def _time_major(self, x: np.ndarray, h0: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
        """Check x and h0 and bring them to (T, N, I) and (D*L, N, H), whatever the caller's layout.

        Raises a TypeError or ValueError naming the expected and the received dtype or shape.
        """
        x = as_float_array(x, "x")
        L, D, H, I = self.num_layers, self.num_directions, self.hidden_size, self.input_size
        if x.ndim == 2:
            layout, seq = "(T, I)", x[:, None, :]                        # (T, 1, I)
        elif x.ndim == 3:
            layout, seq = ("(N, T, I)", x.swapaxes(0, 1)) if self.batch_first else ("(T, N, I)", x)
        else:
            raise ValueError(f"expected x of rank 3 {'(N, T, I)' if self.batch_first else '(T, N, I)'} "
                             f"or rank 2 (T, I) for one unbatched sequence, got rank {x.ndim} with shape {x.shape}")
        T, N, I_x = seq.shape                                            # seq: (T, N, I)
        if I_x != I:
            raise ValueError(f"expected x of shape {layout} with I = input_size = {I}, got {x.shape}")
        if T == 0 or N == 0:
            raise ValueError(f"expected at least one time step and one sequence in x {layout}, got shape {x.shape}")
        check_finite(x, "x")
        if h0 is None:
            return seq, np.zeros((D * L, N, H), dtype=x.dtype)           # (D*L, N, H)
        h0 = as_float_array(h0, "h0")
        if h0.dtype != x.dtype:
            raise TypeError(f"expected h0 of dtype {x.dtype} (the dtype of x), got {h0.dtype}")
        if x.ndim == 2:
            check_shape(h0, (D * L, H), "h0", "(D*num_layers, H)")
            h0 = h0[:, None, :]                                          # (D*L, 1, H)
        else:
            check_shape(h0, (D * L, N, H), "h0", "(D*num_layers, N, H)")
        check_finite(h0, "h0")
        return seq, h0

    def _caller_layout(self, x: np.ndarray, output: np.ndarray, h_n: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Undo `_time_major`: output (T, N, D*H) and h_n (D*L, N, H) back into x's layout."""
        if x.ndim == 2:
            return output[:, 0], h_n[:, 0]                               # (T, D*H), (D*L, H)
        if self.batch_first:
            return output.swapaxes(0, 1), h_n                            # (N, T, D*H), (D*L, N, H)
        return output, h_n                                               # (T, N, D*H), (D*L, N, H)

    def _time_major_pair(self, x: np.ndarray, output: np.ndarray, h_n: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """The inverse of `_caller_layout`: arrays shaped like an output and an h_n, to (T, N, D*H), (D*L, N, H)."""
        if x.ndim == 2:
            return output[:, None], h_n[:, None]
        return (output.swapaxes(0, 1) if self.batch_first else output), h_n

    def _weights(self, suffix: str, dtype: np.dtype) -> dict[str, np.ndarray | None]:
        """One layer direction's four arrays in `dtype` (None for absent biases)."""
        p = {k: self.params.get(f"{k}_{suffix}") for k in ("weight_ih", "weight_hh", "bias_ih", "bias_hh")}
        return {k: None if v is None else v.astype(dtype, copy=False) for k, v in p.items()}


class BackwardBeforeForwardError(RuntimeError, ValueError):
    """backward() was called before any forward call: there is nothing to differentiate yet."""


def _check_gradient(grad: object, shape: tuple[int, ...], dtype: np.dtype, name: str, of: str) -> np.ndarray:
    """A gradient must be a finite float array of exactly the shape of what it is the gradient of."""
    grad = as_float_array(grad, name)
    check_shape(grad, shape, name, f"the shape of {of}")
    check_finite(grad, name)
    return grad.astype(dtype, copy=False)


def _reversed(steps: np.ndarray, packing: Packing | None) -> np.ndarray:
    """steps (T, N, ...) in the reverse direction's order: all T steps backwards, or each sequence within its length."""
    return steps[::-1] if packing is None else packing.reversed(steps)


def _check_lengths(lengths: object, x: np.ndarray, seq_shape: tuple[int, ...]) -> np.ndarray:
    """lengths as an (N,) integer array, each between 1 and T; else a TypeError or ValueError saying what arrived.

    x: the caller's input (for its rank).  seq_shape: x's time-major shape (T, N, I).
    A list, a tuple, a NumPy integer array or a torch integer tensor is accepted; floats are not, not even 3.0.
    """
    if x.ndim == 2:
        raise ValueError(f"expected no lengths with one unbatched sequence x of shape (T, I) = {x.shape}: lengths "
                         f"need a batch, x of rank 3 with one length per sequence; got lengths={lengths!r}")
    T, N = seq_shape[:2]
    if type(lengths).__module__.startswith("torch"):
        lengths = lengths.detach().cpu().numpy()
    if isinstance(lengths, (str, bytes)) or not hasattr(lengths, "__len__"):
        raise TypeError(f"expected lengths as a list or 1-D array of N = {N} integers, got {type(lengths).__name__}")
    if not isinstance(lengths, np.ndarray) and any(isinstance(v, (bool, np.bool_)) for v in lengths):
        raise TypeError(f"expected lengths as integers, got booleans in {lengths!r}")
    try:
        values = np.asarray(lengths)
    except ValueError:                     # a ragged list
        raise ValueError(f"expected lengths as a flat list of N = {N} integers, got {lengths!r}") from None
    if values.ndim != 1:
        raise ValueError(f"expected lengths of shape (N,) = ({N},), one per sequence of x, got shape {values.shape}")
    if len(values) != N:
        raise ValueError(f"expected N = {N} lengths, one per sequence of x, got {len(values)}")
    if values.dtype.kind not in "iu":
        raise TypeError(f"expected lengths as integers, got {values.dtype} values {values.tolist()}")
    bad = np.flatnonzero((values < 1) | (values > T))
    if len(bad):
        n = int(bad[0])
        raise ValueError(f"expected every length between 1 and T = {T} (the steps in x), got lengths[{n}] = {values[n]}")
    return values.astype(np.int64)


def _suffixes(layer: int, num_directions: int) -> tuple[str, ...]:
    """torch's parameter-name suffixes of one layer: ("l0",) or ("l0", "l0_reverse")."""
    return (f"l{layer}", f"l{layer}_reverse")[:num_directions]

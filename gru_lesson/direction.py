"""Chapters 4-6, 14: one GRU layer direction, fused: the forward pass, the tape it keeps, and the backward pass.

`direction_forward` runs the four equations over T steps for one layer and one direction, fused
for speed (chapter 4 shows it beside the readable `cell.gru_sequence`, chapter 5 stacks it into
`layer.GRU`). It records a `Tape` of what the gradients need: the inputs x_t, the states h_t, the
gates r_t, z_t, the candidate h̃_t and, with the reset after U_h, the recurrent part of the
candidate c_t = U_h h_{t-1} + b_Uh. `direction_backward` (chapter 6) walks that tape from the last
step to the first.

Five things make the forward pass fast without changing a single equation; all but the fourth leave
every bit of the results as it is:
  1. W x_t for all T steps is one matrix product before the loop, (T*N, I) @ (I, 3H), and the biases
     that go with it are one vector, [b_r; b_z; b_h] (`input_side_bias`), added in one pass.
  2. With the reset after U_h (torch's form), U_r h, U_z h and U_h h are one product per step,
     (N, H) @ (H, 3H). With the reset before U_h, U_h must wait for r_t ⊙ h_{t-1}: two products.
  3. U is copied once into a contiguous (H, 3H) array: a product with a transposed view is slower.
  4. With `keep=False` (a forward pass no backward pass will follow) nothing is stored but the states,
     the output; on a full batch `direction_inference` runs the loop gate-major, with each gate's
     numbers contiguous (see there), which makes its elementwise work about half as long.
  5. Inside the loop every result is written in place (`out=`, `*=`), straight into the tape and
     the output where it belongs, and σ(a) = (1 + tanh(a/2)) / 2 is taken on sums
     whose weights were halved once before the loop. At N = 32, H = 128 a step's elementwise work
     costs as much as its matrix product, and each pass over the numbers it saves counts.
The backward pass writes in place too: each step's δc_t, δa_r, δa_z and δa_h land side by side in one
array, so that the recurrent product takes [δc_t, δa_r, δa_z] and the input side δa = [δa_r, δa_z, δa_h],
both without a copy.

The backward pass. With δ meaning the gradient of the loss with respect to (δv = ∂L/∂v, shaped like v;
the notation page keeps ∂ for Jacobians) and
a_r, a_z, a_h the pre-activations (r_t = σ(a_r), z_t = σ(a_z), h̃_t = tanh(a_h)):

    δh_t      = δoutput_t + δh_t from step t+1 (from δh_n at the last step)
    torch's update, h_t = (1 − z_t) ⊙ h̃_t + z_t ⊙ h_{t-1}:
        δh̃_t = δh_t ⊙ (1 − z_t)     δz_t = δh_t ⊙ (h_{t-1} − h̃_t)     δh_{t-1} = δh_t ⊙ z_t
    the notes' update, h_t = (1 − z_t) ⊙ h_{t-1} + z_t ⊙ h̃_t:
        δh̃_t = δh_t ⊙ z_t           δz_t = δh_t ⊙ (h̃_t − h_{t-1})     δh_{t-1} = δh_t ⊙ (1 − z_t)
    δa_h = δh̃_t ⊙ (1 − h̃_t²)                                   since tanh' = 1 − tanh²
    reset after,  a_h = W_h x_t + b_h + r_t ⊙ c_t:
        δr_t = δa_h ⊙ c_t           δc_t = δa_h ⊙ r_t             δh_{t-1} += U_h^T δc_t
    reset before, a_h = W_h x_t + U_h (r_t ⊙ h_{t-1}) + b_h + b_Uh:
        δ(r_t ⊙ h_{t-1}) = U_h^T δa_h,  δr_t = that ⊙ h_{t-1},     δh_{t-1} += that ⊙ r_t
    δa_r = δr_t ⊙ r_t ⊙ (1 − r_t),  δa_z = δz_t ⊙ z_t ⊙ (1 − z_t)   since σ' = σ (1 − σ)
    δh_{t-1} += U_r^T δa_r + U_z^T δa_z

and, summed over all steps once the loop is done (one matrix product each):

    δW = Σ_t δa_t x_t^T      δx_t = W^T δa_t      δb = Σ_t δa_t
    δU = Σ_t δ(U's product)_t (what U multiplied)_t^T: h_{t-1} for U_r, U_z and for U_h with the reset
         after it; r_t ⊙ h_{t-1} for U_h with the reset before it

Rows are examples (x_t is (N, I)), so W^T δa_t is computed as δa_t @ W, and Σ_t δa_t x_t^T as δA^T @ X.

Sequences of different lengths (chapter 14). With m_t = 1 while a sequence is running at step t and
m_t = 0 in its padding, the masked GRU is

    h_t = m_t ⊙ GRU(x_t, h_{t-1}) + (1 − m_t) ⊙ h_{t-1}      the state is carried through the padding
    output_t = m_t ⊙ h_t                                     the output is 0 there

so h_T is each sequence's state at its own last step. Its gradient follows line by line: in the
padding δh_{t-1} = δh_t (the carry), δoutput_t reaches nothing (the output is a constant 0), and
δa_t = 0, so δx_t = 0 and no weight gets a contribution from a padded step. With the batch sorted
longest first (as torch packs it), the running sequences at step t are the first N_t rows,
N_t = `batch_sizes[t]`: a step computes those rows only (W x_t too, before the loop, for the rows
that run) and leaves the others as they are.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

__all__ = ["Tape", "direction_backward", "direction_forward", "direction_inference", "input_side_bias"]


@dataclass
class Tape:
    """What one layer direction's forward pass keeps for its backward pass (time in processing order).

    weight_ih (3H, I_k), weight_hh (3H, H): copies of the weights the forward pass used, so that
    changing the parameters between forward and backward cannot change the gradients.
    x: the layer's input (T, N, I_k).  h0: the state before the first step (N, H).
    states: the output, h_1 ... h_T (T, N, H); 0 in a sequence's padding.
    gates: [r_t, z_t] (T, N, 2H).  candidates: h̃_t (T, N, H).
    recurrent: c_t = U_h h_{t-1} + b_Uh (T, N, H) with the reset after U_h; None with it before.
    A forward pass with keep=False keeps none of gates, candidates and recurrent (all None): no backward.
    batch_sizes: None (every sequence runs all T steps), or N_t, the sequences running at step t (T,).
    last: h_T (N, H), each sequence's state after its own last step (the layer's h_n).
    """

    weight_ih: np.ndarray
    weight_hh: np.ndarray
    x: np.ndarray
    h0: np.ndarray
    states: np.ndarray
    gates: np.ndarray | None
    candidates: np.ndarray | None
    recurrent: np.ndarray | None
    batch_sizes: np.ndarray | None = None
    last: np.ndarray | None = None


def direction_forward(
    x: np.ndarray,
    h0: np.ndarray,
    weight_ih: np.ndarray,
    weight_hh: np.ndarray,
    bias_ih: np.ndarray | None,
    bias_hh: np.ndarray | None,
    *,
    reset_after: bool,
    update: str,
    batch_sizes: np.ndarray | None = None,
    keep: bool = True,
) -> Tape:
    """One layer, one direction, fused. The tape's `states` (T, N, H) are the direction's output.

    x: the steps in processing order (T, N, I_k).  h0: h_0 (N, H).
    weight_ih (3H, I_k), weight_hh (3H, H), bias_ih, bias_hh (3H,) or None: torch's stacked
    [r; z; n] rows (see `conventions.split_gates`).  reset_after, update: as in `layer.GRU`.
    batch_sizes: None, or N_t for each step (T,), never increasing: at step t the first N_t
                 sequences are running and the others have ended (torch's PackedSequence.batch_sizes,
                 for a batch sorted longest first). An ended sequence's state is carried, its output is 0.
    keep: True keeps everything the backward pass needs; False keeps only the states (inference, faster).

    >>> H, I = 2, 3
    >>> tape = direction_forward(np.ones((4, 1, I)), np.zeros((1, H)), np.zeros((3 * H, I)),
    ...                          np.zeros((3 * H, H)), None, None, reset_after=True, update="torch")
    >>> tape.states.shape, tape.gates[0].tolist()          # (T, N, H); r_t = z_t = σ(0) = 0.5
    ((4, 1, 2), [[0.5, 0.5, 0.5, 0.5]])
    """
    T, N, _ = x.shape
    H = weight_hh.shape[1]
    if not keep and batch_sizes is None:          # inference on a full batch: the gate-major loop (to rounding)
        states, last = direction_inference(x, h0, weight_ih, weight_hh, bias_ih, bias_hh,
                                           reset_after=reset_after, update=update)
        return Tape(weight_ih=weight_ih, weight_hh=weight_hh, x=x, h0=h0, states=states, gates=None,
                    candidates=None, recurrent=None, last=last)
    if batch_sizes is not None:
        batch_sizes = _check_batch_sizes(batch_sizes, T, N)               # (T,)
    rz, n = slice(0, 2 * H), slice(2 * H, 3 * H)
    # σ(a) = (1 + tanh(a/2)) / 2 (chapter 2): the gates' rows of W, U and the biases are halved once here,
    # so that each step takes tanh of its gates' sums directly. Halving is exact in floating point: the
    # gates are the very numbers `sigmoid` gives, one pass over them fewer per step.
    halve = np.ones(3 * H, dtype=x.dtype)
    halve[rz] = 0.5                                                   # (3H,): 1/2 for r and z, 1 for h
    # the x_t that are computed: all T*N, or step t's first N_t (step after step: torch's PackedSequence.data)
    x_rows = x.reshape(T * N, -1) if batch_sizes is None else x[np.arange(N) < batch_sizes[:, None]]   # (P, I_k)
    # [W_r; W_z; W_h] x_t + [b_r; b_z; b_h] for every t in one product (the gates' columns halved)
    xw = x_rows @ (weight_ih * halve[:, None]).T                      # (P, 3H)
    if bias_ih is not None:
        xw += input_side_bias(bias_ih, bias_hh, reset_after) * halve
    b_Uh = 0.0 if bias_hh is None else bias_hh[n]                     # (H,)
    # [U_r, U_z, U_h] transposed (the gates' columns halved), copied contiguous: OpenBLAS multiplies by it
    # faster than by the transposed view weight_hh.T, several times faster for the few rows of a shrinking batch
    U_all = np.ascontiguousarray(weight_hh.T * halve)                 # (H, 3H)
    U_rz, U_h = U_all[:, rz], U_all[:, n]                             # (H, 2H), (H, H)
    # with padding, the rows a step never writes must read as 0: the output there, and nothing to the backward pass
    new = np.empty if batch_sizes is None else np.zeros
    # for a backward pass, copies of the weights: changing the parameters before it changes no gradient
    tape = Tape(weight_ih=weight_ih.copy() if keep else weight_ih, weight_hh=weight_hh.copy() if keep else weight_hh,
                x=x, h0=h0, states=new((T, N, H), x.dtype), gates=new((T, N, 2 * H), x.dtype) if keep else None,
                candidates=new((T, N, H), x.dtype) if keep else None,
                recurrent=new((T, N, H), x.dtype) if reset_after and keep else None, batch_sizes=batch_sizes)
    # Each step writes its results in place (`out=`): into the tape when there is one, else into buffers
    # reused from step to step.
    hU_buffer = np.empty((N, 3 * H), x.dtype)                         # U h_{t-1}
    gates_buffer, cand_buffer = np.empty((N, 2 * H), x.dtype), np.empty((N, H), x.dtype)
    h, row = h0, 0                                                    # (N, H); step t's first row of xw
    for t in range(T):
        N_t = N if batch_sizes is None else batch_sizes[t]            # the sequences running at step t
        h_prev = h[:N_t]                                              # (N_t, H): their h_{t-1}
        xw_t, row = xw[row:row + N_t], row + N_t                      # (N_t, 3H): their W x_t + b
        gates = tape.gates[t, :N_t] if keep else gates_buffer[:N_t]   # (N_t, 2H): r_t, z_t
        h_cand = tape.candidates[t, :N_t] if keep else cand_buffer[:N_t]   # (N_t, H): h̃_t
        h_new = tape.states[t, :N_t]                                  # (N_t, H): h_t, the output
        if reset_after:
            hU = np.matmul(h_prev, U_all, out=hU_buffer[:N_t])        # (N_t, 3H): U_r h, U_z h (halved), U_h h
            # r_t, z_t = σ(W_r x_t + U_r h_{t-1} + b_r), σ(W_z x_t + U_z h_{t-1} + b_z)
            np.add(xw_t[:, rz], hU[:, rz], out=gates)                 # the sums, halved
            np.tanh(gates, out=gates); gates *= 0.5; gates += 0.5     # σ = (1 + tanh(a/2)) / 2
            r, z = gates[:, :H], gates[:, H:]                         # (N_t, H) each
            # h̃_t = tanh(W_h x_t + b_h + r_t ⊙ (U_h h_{t-1} + b_Uh))
            c = np.add(hU[:, n], b_Uh, out=tape.recurrent[t, :N_t] if keep else hU[:, n])   # (N_t, H): c_t
            np.multiply(r, c, out=h_cand); h_cand += xw_t[:, n]; np.tanh(h_cand, out=h_cand)
        else:
            # r_t, z_t = σ(W_r x_t + U_r h_{t-1} + b_r), σ(W_z x_t + U_z h_{t-1} + b_z)
            np.matmul(h_prev, U_rz, out=gates)                        # U_r h, U_z h (halved)
            gates += xw_t[:, rz]                                      # the sums, halved
            np.tanh(gates, out=gates); gates *= 0.5; gates += 0.5     # σ = (1 + tanh(a/2)) / 2
            r, z = gates[:, :H], gates[:, H:]                         # (N_t, H) each
            # h̃_t = tanh(W_h x_t + U_h (r_t ⊙ h_{t-1}) + b_h + b_Uh)
            np.matmul(r * h_prev, U_h, out=h_cand); h_cand += xw_t[:, n]; np.tanh(h_cand, out=h_cand)
        if update == "torch":
            # h_t = (1 − z_t) ⊙ h̃_t + z_t ⊙ h_{t-1}  =  h̃_t + z_t ⊙ (h_{t-1} − h̃_t)
            np.subtract(h_prev, h_cand, out=h_new); h_new *= z; h_new += h_cand
        else:
            # h_t = (1 − z_t) ⊙ h_{t-1} + z_t ⊙ h̃_t  =  h_{t-1} + z_t ⊙ (h̃_t − h_{t-1})
            np.subtract(h_cand, h_prev, out=h_new); h_new *= z; h_new += h_prev
        # output_t = h_t for the running sequences (0, as allocated, for the ended ones); the ended
        # sequences keep h_t = h_{t-1}, their state carried unchanged
        h = h_new if N_t == N else np.concatenate([h_new, h[N_t:]])   # (N, H)
    tape.last = h                                                     # (N, H)
    return tape


def direction_inference(
    x: np.ndarray,
    h0: np.ndarray,
    weight_ih: np.ndarray,
    weight_hh: np.ndarray,
    bias_ih: np.ndarray | None,
    bias_hh: np.ndarray | None,
    *,
    reset_after: bool,
    update: str,
) -> tuple[np.ndarray, np.ndarray]:
    """The forward pass of `direction_forward` for inference on a full batch, gate-major, with no tape.

    Arguments as `direction_forward`. Returns (states h_1 ... h_T (T, N, H), h_T (N, H)).

    Inside the loop a step's numbers are laid out gate-major: one row per unit of a gate, one column per
    example. U h_{t-1} is then the (3H, H) @ (H, N) product, and its rows for r, z and h̃ are three
    contiguous blocks, [U_r h; U_z h; U_h h]. In `direction_forward`'s layout, (N, 3H), each gate is a
    strided slice of every row, and NumPy's elementwise passes over strided slices take about twice as
    long. Each step does the same operations in the same order as `direction_forward`'s. Only the
    matrix products can round differently: BLAS may add up a product's terms in another order when
    the matrices are laid out the other way. So the states agree with `direction_forward`'s to rounding
    (at most 7.2e-7 in float32 and 2.3e-15 in float64 over 40 sizes, H from 1 to 512, N from 2 to 128, both
    forms), not always bit for bit.
    W x_t for every t is one product, (3H, I_k) @ (I_k, T*N), as in `direction_forward` but transposed; step t
    reads its N columns. (A stacked product, one (3H, I_k) @ (I_k, N) per step, makes OpenBLAS pack W again
    for each of them: at H = 512, N = 2 that made the whole forward pass 1.8 times as slow.) The states are
    turned back to (T, N, H) once, at the end.

    >>> H, I = 2, 3
    >>> states, last = direction_inference(np.ones((4, 1, I)), np.zeros((1, H)), np.zeros((3 * H, I)),
    ...                                    np.zeros((3 * H, H)), None, None, reset_after=True, update="torch")
    >>> states.shape, last.shape                 # (T, N, H), (N, H)
    ((4, 1, 2), (1, 2))
    """
    T, N, _ = x.shape
    H = weight_hh.shape[1]
    rz, n = slice(0, 2 * H), slice(2 * H, 3 * H)
    halve = np.ones((3 * H, 1), dtype=x.dtype)
    halve[rz] = 0.5                                    # (3H, 1): the gates' rows halved, as in direction_forward
    # [W_r; W_z; W_h] x_t + [b_r; b_z; b_h] for every t in one product, gate-major
    xw = (weight_ih * halve) @ x.reshape(T * N, -1).T                # (3H, T*N): step t is columns t*N ... t*N + N - 1
    if bias_ih is not None:
        xw += input_side_bias(bias_ih, bias_hh, reset_after)[:, None] * halve
    # (H, N): b_Uh in every column, for c_t; with the reset before U_h it is in xw already
    b_Uh = np.repeat(bias_hh[n, None], N, axis=1) if reset_after and bias_hh is not None else 0.0
    U_all = weight_hh * halve                                        # (3H, H): [U_r; U_z; U_h], gates' rows halved
    states = np.empty((T, H, N), x.dtype)                             # h_t, gate-major
    hU, gates, h_cand = np.empty((3 * H, N), x.dtype), np.empty((2 * H, N), x.dtype), np.empty((H, N), x.dtype)
    h = np.ascontiguousarray(h0.T)                                    # (H, N): h_0
    for t in range(T):
        xw_t, h_new = xw[:, t * N:(t + 1) * N], states[t]             # (3H, N), (H, N)
        if reset_after:
            np.matmul(U_all, h, out=hU)                               # (3H, N): U_r h, U_z h (halved), U_h h
            # r_t, z_t = σ(W_r x_t + U_r h_{t-1} + b_r), σ(W_z x_t + U_z h_{t-1} + b_z)
            np.add(xw_t[rz], hU[rz], out=gates)                       # the sums, halved
            np.tanh(gates, out=gates); gates *= 0.5; gates += 0.5     # σ = (1 + tanh(a/2)) / 2
            r, z = gates[:H], gates[H:]                               # (H, N) each
            # h̃_t = tanh(W_h x_t + b_h + r_t ⊙ (U_h h_{t-1} + b_Uh))
            c = hU[n]; c += b_Uh                                      # (H, N): c_t
            np.multiply(r, c, out=h_cand); h_cand += xw_t[n]; np.tanh(h_cand, out=h_cand)
        else:
            # r_t, z_t = σ(W_r x_t + U_r h_{t-1} + b_r), σ(W_z x_t + U_z h_{t-1} + b_z)
            np.matmul(U_all[rz], h, out=gates)                        # U_r h, U_z h (halved)
            gates += xw_t[rz]                                         # the sums, halved
            np.tanh(gates, out=gates); gates *= 0.5; gates += 0.5     # σ = (1 + tanh(a/2)) / 2
            r, z = gates[:H], gates[H:]                               # (H, N) each
            # h̃_t = tanh(W_h x_t + U_h (r_t ⊙ h_{t-1}) + b_h + b_Uh)
            np.matmul(U_all[n], r * h, out=h_cand); h_cand += xw_t[n]; np.tanh(h_cand, out=h_cand)
        if update == "torch":
            # h_t = (1 − z_t) ⊙ h̃_t + z_t ⊙ h_{t-1}  =  h̃_t + z_t ⊙ (h_{t-1} − h̃_t)
            np.subtract(h, h_cand, out=h_new); h_new *= z; h_new += h_cand
        else:
            # h_t = (1 − z_t) ⊙ h_{t-1} + z_t ⊙ h̃_t  =  h_{t-1} + z_t ⊙ (h̃_t − h_{t-1})
            np.subtract(h_cand, h, out=h_new); h_new *= z; h_new += h
        h = h_new
    return np.ascontiguousarray(states.transpose(0, 2, 1)), np.ascontiguousarray(h.T)   # (T, N, H), (N, H)


def direction_backward(
    tape: Tape,
    grad_states: np.ndarray,
    grad_last: np.ndarray,
    *,
    update: str,
) -> tuple[np.ndarray, np.ndarray, dict[str, np.ndarray]]:
    """Gradients of one layer direction, given the loss's gradient with respect to its states.

    tape: from `direction_forward`.  grad_states: δoutput_t from the layers or loss above, (T, N, H);
    ignored in a sequence's padding, where the output is the constant 0.
    grad_last: δh_T from h_n, (N, H).  update: "torch" or "notes".
    Returns (δx (T, N, I_k), δh_0 (N, H), {"weight_ih", "weight_hh", "bias_ih", "bias_hh": gradients}).
    """
    T, N, H = tape.states.shape
    batch_sizes = tape.batch_sizes                                          # None, or N_t for each step (T,)
    weight_ih, weight_hh = tape.weight_ih, tape.weight_hh                   # (3H, I_k), (3H, H)
    reset_after = tape.recurrent is not None
    h_prev_all = np.concatenate([tape.h0[None], tape.states[:-1]])          # (T, N, H): h_0 ... h_{T-1}
    r_all, z_all = tape.gates[..., :H], tape.gates[..., H:]                 # (T, N, H) each
    U_h = weight_hh[2 * H:]                                                 # (H, H)
    new = np.empty if batch_sizes is None else np.zeros                    # a padded step: δa_t = 0
    # Written in place, step by step: δa_t = [δa_r, δa_z, δa_h], what the input side takes (δW, δb_ih, δx),
    # and what the step's recurrent product passes back. With the reset before U_h that is δa itself.
    # With it after, it is [δc_t, δa_r, δa_z]: δc_t is stored just before δa, so that both are column
    # ranges of one (T, N, 4H) array and neither needs a copy; U's rows are rolled to match, [U_h; U_r; U_z].
    if reset_after:
        grad_ca = new((T, N, 4 * H), dtype=tape.states.dtype)              # (T, N, 4H): δc_t, δa_r, δa_z, δa_h
        grad_c, grad_a, grad_U = grad_ca[..., :H], grad_ca[..., H:], grad_ca[..., :3 * H]
        U_rolled = np.roll(weight_hh, H, axis=0)                            # (3H, H): [U_h; U_r; U_z]
    else:
        grad_a = grad_U = new((T, N, 3 * H), dtype=tape.states.dtype)      # (T, N, 3H): δa_r, δa_z, δa_h
    grad_next = grad_last                                                   # (N, H): δh_t from step t+1
    for t in reversed(range(T)):
        N_t = N if batch_sizes is None else batch_sizes[t]                  # the sequences running at step t
        h_prev, r, z = h_prev_all[t, :N_t], r_all[t, :N_t], z_all[t, :N_t]    # (N_t, H) each
        h_cand = tape.candidates[t, :N_t]                                   # (N_t, H)
        # δh_t = δoutput_t + δh_t from step t+1
        grad_h = grad_next[:N_t] + grad_states[t, :N_t]                     # (N_t, H)
        one_minus_z = 1 - z                                                 # (N_t, H): used twice below
        if update == "torch":
            # δh̃_t = δh_t ⊙ (1 − z_t);  δz_t = δh_t ⊙ (h_{t-1} − h̃_t);  δh_{t-1} = δh_t ⊙ z_t
            grad_cand, grad_z, grad_h_prev = grad_h * one_minus_z, grad_h * (h_prev - h_cand), grad_h * z
        else:
            # δh̃_t = δh_t ⊙ z_t;  δz_t = δh_t ⊙ (h̃_t − h_{t-1});  δh_{t-1} = δh_t ⊙ (1 − z_t)
            grad_cand, grad_z, grad_h_prev = grad_h * z, grad_h * (h_cand - h_prev), grad_h * one_minus_z
        # δa_h = δh̃_t ⊙ (1 − h̃_t²)
        a_h = np.multiply(h_cand, h_cand, out=grad_a[t, :N_t, 2 * H:])      # (N_t, H)
        np.subtract(1, a_h, out=a_h); a_h *= grad_cand
        if reset_after:
            # δr_t = δa_h ⊙ c_t;  δc_t = δa_h ⊙ r_t
            grad_r = a_h * tape.recurrent[t, :N_t]                          # (N_t, H)
            np.multiply(a_h, r, out=grad_c[t, :N_t])
        else:
            # δ(r_t ⊙ h_{t-1}) = U_h^T δa_h;  δr_t = that ⊙ h_{t-1};  δh_{t-1} += that ⊙ r_t
            grad_rh = a_h @ U_h                                             # (N_t, H)
            grad_r = grad_rh * h_prev
            grad_h_prev += grad_rh * r
        # δa_r = δr_t ⊙ r_t ⊙ (1 − r_t);  δa_z = δz_t ⊙ z_t ⊙ (1 − z_t)
        a_r = np.multiply(grad_r, r, out=grad_a[t, :N_t, :H]); a_r *= 1 - r
        a_z = np.multiply(grad_z, z, out=grad_a[t, :N_t, H:2 * H]); a_z *= one_minus_z
        if reset_after:
            # δh_{t-1} += U_h^T δc_t + U_r^T δa_r + U_z^T δa_z   (one product: the stacked U, rolled)
            grad_h_prev += grad_U[t, :N_t] @ U_rolled
        else:
            # δh_{t-1} += U_r^T δa_r + U_z^T δa_z
            grad_h_prev += grad_a[t, :N_t, :2 * H] @ weight_hh[:2 * H]
        # the ended sequences: h_t = h_{t-1}, so δh_{t-1} = δh_t, carried unchanged
        grad_next = grad_h_prev if N_t == N else np.concatenate([grad_h_prev, grad_next[N_t:]])   # (N, H)

    grad_a_rows = grad_a.reshape(T * N, 3 * H)                              # (T*N, 3H), one row per (t, n)
    h_prev = h_prev_all.reshape(T * N, H)                                   # (T*N, H)
    if reset_after:
        # what U multiplied: h_{t-1} for all three rows; δ of the recurrent sums: δc_t, δa_r, δa_z, rolled back
        grad_recurrent = grad_U.reshape(T * N, 3 * H)                       # (T*N, 3H): δc_t, δa_r, δa_z
        grad_weight_hh = np.roll(grad_recurrent.T @ h_prev, -H, axis=0)     # (3H, H): [δU_r; δU_z; δU_h]
        grad_bias_hh = np.roll(grad_recurrent.sum(axis=0), -H)              # (3H,)
    else:
        # what U multiplied: h_{t-1} for U_r, U_z; r_t ⊙ h_{t-1} for U_h
        rh = (r_all * h_prev_all).reshape(T * N, H)                         # (T*N, H)
        grad_weight_hh = np.concatenate([grad_a_rows[:, :2 * H].T @ h_prev, grad_a_rows[:, 2 * H:].T @ rh])   # (3H, H)
        grad_bias_hh = grad_a_rows.sum(axis=0)                              # (3H,)
    grads = {
        # δW = Σ_t δa_t x_t^T;  δb_ih = Σ_t δa_t
        "weight_ih": grad_a_rows.T @ tape.x.reshape(T * N, -1),             # (3H, I_k)
        "weight_hh": grad_weight_hh,                                        # (3H, H)
        "bias_ih": grad_a_rows.sum(axis=0),                                 # (3H,)
        # b_hr, b_hz sit beside U_r h, U_z h; b_hn inside c_t (after) or beside b_h (before)
        "bias_hh": grad_bias_hh,                                            # (3H,)
    }
    # δx_t = W^T δa_t
    grad_x = (grad_a_rows @ weight_ih).reshape(T, N, -1)                    # (T, N, I_k)
    return grad_x, grad_next, grads


def input_side_bias(bias_ih: np.ndarray, bias_hh: np.ndarray, reset_after: bool) -> np.ndarray:
    """[b_r; b_z; b_h], the biases added to W x_t before the loop (3H,), from torch's two (3H,) vectors.

    torch's b_hr, b_hz are only ever added to the gates' sums, so they join the input side:
    b_r = b_ir + b_hr, b_z = b_iz + b_hz, as `conventions.split_gates` merges them. b_hn (b_Uh) joins
    b_h only with the reset before U_h; after it, the reset multiplies it, so it stays in c_t.
    """
    H = len(bias_ih) // 3
    b = bias_ih + bias_hh                                             # [b_ir + b_hr; b_iz + b_hz; b_in + b_hn]
    if reset_after:
        b[2 * H:] = bias_ih[2 * H:]                                   # b_hn stays inside the reset product, in c_t
    return b


def _check_batch_sizes(batch_sizes: object, T: int, N: int) -> np.ndarray:
    """batch_sizes as an array of T whole numbers from at most N down to 0, never increasing (sorted longest first)."""
    sizes = np.asarray(batch_sizes)
    if sizes.shape != (T,) or sizes.dtype.kind not in "iu":
        raise ValueError(f"expected batch_sizes as T = {T} integers, got {sizes.dtype} values of shape {sizes.shape}")
    if sizes.min() < 0 or sizes.max() > N or np.any(np.diff(sizes) > 0):
        raise ValueError(f"expected batch_sizes never increasing, between 0 and N = {N} (sort the batch longest "
                         f"first), got {sizes.tolist()}")
    return sizes

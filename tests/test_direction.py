"""The fused loop of `direction_forward` computes each equation exactly as the readable one would.

Its speed-ups (halved gate weights, results written in place) promise not to change a single bit:
the gates are `sigmoid` of the gates' sums, the candidate and the state the equations' own lines.
The gate-major inference loop (`direction_inference`) gives the fused loop's states to rounding: its
matrix products may add their terms in another order, nothing else differs.
"""

from __future__ import annotations

import numpy as np
import pytest

from gru_lesson.activations import sigmoid
from gru_lesson.conventions import split_gates
from gru_lesson.direction import direction_forward, direction_inference


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("reset_after", [True, False])
@pytest.mark.parametrize("update", ["torch", "notes"])
def test_the_fused_step_is_bitwise_the_equations(dtype, reset_after, update):
    T, N, I, H = 6, 5, 3, 4
    rng = np.random.default_rng(7)
    x, h0 = rng.standard_normal((T, N, I)).astype(dtype), rng.standard_normal((N, H)).astype(dtype)
    W, U = rng.standard_normal((3 * H, I)).astype(dtype), rng.standard_normal((3 * H, H)).astype(dtype)
    b_ih, b_hh = rng.standard_normal(3 * H).astype(dtype), rng.standard_normal(3 * H).astype(dtype)
    tape = direction_forward(x, h0, W, U, b_ih, b_hh, reset_after=reset_after, update=update)
    rz, n = slice(0, 2 * H), slice(2 * H, 3 * H)
    # the loop's input product, (T*N, 3H), with the notes' biases b_r, b_z, b_h as `split_gates` merges torch's
    # (outside the reset product b_Uh is just another constant, added to b_h)
    g = split_gates(W, U, b_ih, b_hh)
    xw = x.reshape(T * N, I) @ W.T + np.concatenate([g["b_r"], g["b_z"], g["b_h"] + (0 if reset_after else g["b_Uh"])])
    U_all = np.ascontiguousarray(U.T)
    h = h0
    for t in range(T):
        xw_t = xw[t * N:(t + 1) * N]
        gates = sigmoid(xw_t[:, rz] + h @ U_all[:, rz])                    # r_t, z_t
        r, z = gates[:, :H], gates[:, H:]
        if reset_after:
            c = h @ U_all[:, n] + b_hh[n]
            h_cand = np.tanh(xw_t[:, n] + r * c)
        else:
            h_cand = np.tanh(xw_t[:, n] + (r * h) @ U_all[:, n])
        h = h_cand + z * (h - h_cand) if update == "torch" else h + z * (h_cand - h)
        assert np.array_equal(tape.gates[t], gates) and np.array_equal(tape.candidates[t], h_cand)
        assert np.array_equal(tape.states[t], h)
    assert tape.states.dtype == dtype and np.array_equal(tape.last, h)


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("reset_after", [True, False])
@pytest.mark.parametrize("update", ["torch", "notes"])
@pytest.mark.parametrize("bias", [True, False])
@pytest.mark.parametrize("N, I, H", [(1, 3, 4), (5, 3, 4), (3, 200, 128)])
def test_the_gate_major_inference_gives_the_fused_loops_states_to_rounding(dtype, reset_after, update, bias, N, I, H):
    T = 7
    rng = np.random.default_rng(11)
    x, h0 = rng.standard_normal((T, N, I)).astype(dtype), rng.standard_normal((N, H)).astype(dtype)
    # weights on torch's scale, 1/√(fan-in): the steps damp a rounding difference instead of amplifying it
    W = (rng.standard_normal((3 * H, I)) / np.sqrt(I)).astype(dtype)
    U = (rng.standard_normal((3 * H, H)) / np.sqrt(H)).astype(dtype)
    b_ih, b_hh = (rng.standard_normal(3 * H).astype(dtype) for _ in range(2)) if bias else (None, None)
    tape = direction_forward(x, h0, W, U, b_ih, b_hh, reset_after=reset_after, update=update)
    states, last = direction_inference(x, h0, W, U, b_ih, b_hh, reset_after=reset_after, update=update)
    assert states.dtype == dtype and states.shape == (T, N, H) and states.flags.c_contiguous
    tolerance = 1e-5 if dtype == np.float32 else 1e-13
    assert np.abs(states - tape.states).max() <= tolerance and np.array_equal(last, states[-1])
    # keep=False on a full batch takes this loop, and keeps no tape
    fast = direction_forward(x, h0, W, U, b_ih, b_hh, reset_after=reset_after, update=update, keep=False)
    assert np.array_equal(fast.states, states) and fast.gates is None and fast.candidates is None

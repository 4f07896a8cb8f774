"""Each equation against torch's own gate arithmetic, and each equation's comment against its code."""

from __future__ import annotations

import inspect

import numpy as np
import pytest
import torch

from gru_lesson import GRU, candidate, equations, gru_cell, new_state, reset_gate, sigmoid, split_gates, update_gate

H, I, N = 6, 4, 3


@pytest.fixture
def step():
    """A torch GRU's weights, one batch of x_t and h_{t-1}, and torch's gates computed from its rows."""
    torch.manual_seed(0)
    module = torch.nn.GRU(I, H).double()
    rng = np.random.default_rng(0)
    x, h = rng.standard_normal((N, I)), rng.standard_normal((N, H))
    p = {k: v.detach().numpy() for k, v in module.named_parameters()}
    gi = x @ p["weight_ih_l0"].T + p["bias_ih_l0"]       # torch.nn.GRU docs: W_i* x + b_i*
    gh = h @ p["weight_hh_l0"].T + p["bias_hh_l0"]       #                   W_h* h + b_h*
    r = 1 / (1 + np.exp(-(gi[:, :H] + gh[:, :H])))
    z = 1 / (1 + np.exp(-(gi[:, H:2 * H] + gh[:, H:2 * H])))
    n = np.tanh(gi[:, 2 * H:] + r * gh[:, 2 * H:])
    with torch.no_grad():
        h_torch = module(torch.from_numpy(x)[None], torch.from_numpy(h)[None])[1][0].numpy()
    return dict(module=module, x=x, h=h, g=GRU.from_torch(module).gates(), r=r, z=z, n=n, h_torch=h_torch)


def test_reset_gate_is_torchs_r(step):
    g = step["g"]
    np.testing.assert_allclose(reset_gate(step["x"], step["h"], g["W_r"], g["U_r"], g["b_r"]), step["r"], atol=1e-14)


def test_update_gate_is_torchs_z(step):
    g = step["g"]
    np.testing.assert_allclose(update_gate(step["x"], step["h"], g["W_z"], g["U_z"], g["b_z"]), step["z"], atol=1e-14)


def test_candidate_after_is_torchs_n(step):
    g = step["g"]
    n = candidate(step["x"], step["h"], step["r"], g["W_h"], g["U_h"], g["b_h"], g["b_Uh"], reset_after=True)
    np.testing.assert_allclose(n, step["n"], atol=1e-14)


def test_candidate_before_multiplies_r_into_h(step):
    g, x, h, r = step["g"], step["x"], step["h"], step["r"]
    n = candidate(x, h, r, g["W_h"], g["U_h"], g["b_h"], g["b_Uh"], reset_after=False)
    np.testing.assert_allclose(n, np.tanh(x @ g["W_h"].T + (r * h) @ g["U_h"].T + g["b_h"] + g["b_Uh"]), atol=1e-14)


def test_new_state_torch_is_torchs_h(step):
    np.testing.assert_allclose(new_state(step["h"], step["n"], step["z"], update="torch"), step["h_torch"], atol=1e-14)


def test_new_state_notes_replaces_as_z_goes_to_one(step):
    h, n = step["h"], step["n"]
    np.testing.assert_allclose(new_state(h, n, np.ones_like(h), update="notes"), n)
    np.testing.assert_allclose(new_state(h, n, np.zeros_like(h), update="notes"), h)
    np.testing.assert_allclose(new_state(h, n, np.ones_like(h), update="torch"), h)


def test_cell_is_one_torch_step(step):
    np.testing.assert_allclose(gru_cell(step["x"], step["h"], step["g"], reset_after=True, update="torch"),
                               step["h_torch"], atol=1e-14)


def test_one_example_without_batch_axis(step):
    out = gru_cell(step["x"][0], step["h"][0], step["g"], reset_after=True, update="torch")
    np.testing.assert_allclose(out, step["h_torch"][0], atol=1e-14)


def test_split_gates_sums_torchs_biases_for_r_and_z():
    p = {k: np.arange(np.prod(s), dtype=float).reshape(s) for k, s in GRU(2, 3).parameter_shapes().items()}
    g = split_gates(p["weight_ih_l0"], p["weight_hh_l0"], p["bias_ih_l0"], p["bias_hh_l0"])
    np.testing.assert_array_equal(g["b_r"], p["bias_ih_l0"][:3] + p["bias_hh_l0"][:3])
    np.testing.assert_array_equal(g["b_h"], p["bias_ih_l0"][6:])
    np.testing.assert_array_equal(g["b_Uh"], p["bias_hh_l0"][6:])
    np.testing.assert_array_equal(g["W_z"], p["weight_ih_l0"][3:6])


# The comment above each line is the equation the line computes; the tests above check the
# numbers, this one checks that each function carries its own equation and not its neighbour's.
COMMENTS = {
    reset_gate: ["# r_t = σ(W_r x_t + U_r h_{t-1} + b_r)"],
    update_gate: ["# z_t = σ(W_z x_t + U_z h_{t-1} + b_z)"],
    candidate: ["# h̃_t = tanh(W_h x_t + b_h + r_t ⊙ (U_h h_{t-1} + b_Uh))",
                "# h̃_t = tanh(W_h x_t + U_h (r_t ⊙ h_{t-1}) + b_h + b_Uh)"],
    new_state: ["# h_t = (1 − z_t) ⊙ h_{t-1} + z_t ⊙ h̃_t", "# h_t = (1 − z_t) ⊙ h̃_t + z_t ⊙ h_{t-1}"],
}


@pytest.mark.parametrize("function", COMMENTS, ids=lambda f: f.__name__)
def test_equation_comments_sit_in_their_functions(function):
    comments = [line.strip() for line in inspect.getsource(function).splitlines() if line.strip().startswith("# ")]
    assert comments == COMMENTS[function]
    for comment in comments:  # and the module docstring states the same equation
        assert comment[2:].split(" = ", 1)[1] in equations.__doc__


def test_sigmoid_of_the_module_is_the_logistic_function():
    a = np.linspace(-30, 30, 101)
    np.testing.assert_allclose(sigmoid(a), 1 / (1 + np.exp(-a)), rtol=0, atol=1e-15)

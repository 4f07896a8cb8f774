"""TorchMinGRU: the same function as MinGRU (float64, <= 1e-10), its gradients right, its weights copied both ways."""

from __future__ import annotations

import re
import subprocess
import sys

import numpy as np
import pytest
from environment import clean_env
import torch
from hypothesis import given, settings
from hypothesis import strategies as st

from gru_lesson.min_gru import MinGRU, g, log_g
from gru_lesson.lab.min_gru_torch import TorchMinGRU
from gru_lesson.lab.min_gru_torch import g as torch_g
from gru_lesson.lab.min_gru_torch import log_g as torch_log_g


def case(T, N=3, I=5, H=8, seed=0, h0_kind="none"):
    m = MinGRU(I, H, seed=seed)
    rng = np.random.default_rng(seed)
    x = rng.standard_normal((T, N, I))
    h0 = None
    if h0_kind == "positive":
        h0 = rng.uniform(0.0, 2.0, (N, H))
    elif h0_kind == "with zeros":
        h0 = rng.uniform(0.0, 2.0, (N, H))
        h0[0, :3] = 0.0
    return m, x, h0


def as_tensor(a):
    return None if a is None else torch.from_numpy(a)


@pytest.mark.parametrize("T", [1, 2, 7, 100, 1000, 4096])
@pytest.mark.parametrize("h0_kind", ["none", "positive", "with zeros"])
def test_scan_and_loop_equal_the_numpy_module_in_float64(T, h0_kind):
    m, x, h0 = case(T, seed=T, h0_kind=h0_kind)
    twin = TorchMinGRU.from_numpy(m)
    reference = m.loop(x, h0)
    with torch.no_grad():
        for method in (twin.scan, twin.loop, twin.forward):
            got = method(as_tensor(x), as_tensor(h0)).numpy()
            np.testing.assert_allclose(got, reference, rtol=1e-10, atol=1e-10)
    np.testing.assert_allclose(m.scan(x, h0), reference, rtol=1e-10, atol=1e-10)


@settings(max_examples=25, deadline=None)
@given(st.integers(1, 200), st.integers(1, 4), st.integers(1, 6), st.integers(1, 6), st.integers(0, 2**16))
def test_scan_equals_loop_on_random_shapes(T, N, I, H, seed):
    m = MinGRU(I, H, seed=seed)
    x = np.random.default_rng(seed).normal(0, 3, (T, N, I))
    twin = TorchMinGRU.from_numpy(m)
    with torch.no_grad():
        np.testing.assert_allclose(twin.scan(torch.from_numpy(x)).numpy(), m.loop(x), rtol=1e-10, atol=1e-10)


def test_g_and_log_g_match_the_numpy_module():
    a = np.linspace(-30, 30, 6001)
    # NumPy's σ is (1 + tanh(a/2)) / 2: absolute error below 1e-16, so compare with an absolute floor
    np.testing.assert_allclose(torch_g(torch.from_numpy(a)).numpy(), g(a), rtol=1e-14, atol=1e-15)
    np.testing.assert_allclose(torch_log_g(torch.from_numpy(a)).numpy(), log_g(a), rtol=1e-13, atol=1e-15)


@pytest.mark.parametrize("h0_kind", ["none", "positive", "with zeros"])
def test_scan_gradients_equal_the_loops_autograd(h0_kind):
    m, x, h0 = case(40, N=2, I=3, H=4, seed=1, h0_kind=h0_kind)
    twin = TorchMinGRU.from_numpy(m)
    weights = torch.from_numpy(np.random.default_rng(2).standard_normal((40, 2, 4)))
    grads = {}
    for name in ("scan", "loop"):
        twin.zero_grad()
        x_t = torch.from_numpy(x).requires_grad_(True)
        (getattr(twin, name)(x_t, as_tensor(h0)) * weights).sum().backward()
        grads[name] = [p.grad.clone() for p in twin.parameters()] + [x_t.grad]
    for a, b in zip(grads["scan"], grads["loop"]):
        assert torch.isfinite(a).all()
        torch.testing.assert_close(a, b, rtol=1e-10, atol=1e-10)


def test_gradcheck_of_the_scan_against_finite_differences():
    torch.manual_seed(0)
    twin = TorchMinGRU(2, 3, dtype=torch.float64)
    x = torch.randn(6, 2, 2, dtype=torch.float64, requires_grad=True)
    h0 = torch.rand(2, 3, dtype=torch.float64, requires_grad=True) + 0.1
    assert torch.autograd.gradcheck(lambda x, h0: twin.scan(x, h0), (x, h0), eps=1e-6, atol=1e-7, rtol=1e-7)


def test_weights_copy_both_ways_exactly():
    m = MinGRU(3, 4, seed=7)
    twin = TorchMinGRU.from_numpy(m)
    assert [n for n, _ in twin.named_parameters()] == list(m.params)
    assert all(np.array_equal(p.detach().numpy(), m.params[n]) for n, p in twin.named_parameters())
    back = twin.to_numpy()
    assert all(np.array_equal(back.params[n], m.params[n]) for n in m.params)
    x = np.random.default_rng(0).standard_normal((9, 2, 3))
    np.testing.assert_array_equal(back.loop(x), m.loop(x))


def test_float32_stays_float32_and_init_is_seeded_like_torch_linear():
    m32 = MinGRU(3, 4, seed=0, dtype=np.float32)
    twin = TorchMinGRU.from_numpy(m32)
    assert twin.weight_z.dtype == torch.float32
    assert twin.to_numpy().params["weight_h"].dtype == np.float32
    torch.manual_seed(3)
    a = TorchMinGRU(16, 5)
    torch.manual_seed(3)
    b = TorchMinGRU(16, 5)
    assert all(torch.equal(p, q) for p, q in zip(a.parameters(), b.parameters()))
    assert all(p.abs().max() <= 1 / 4 for p in a.parameters())          # U(−1/√I, 1/√I), I = 16
    assert a(torch.randn(3, 2, 16)).dtype == torch.float32


def test_it_trains_the_parameters_it_has():
    torch.manual_seed(0)
    twin = TorchMinGRU(2, 4)
    opt = torch.optim.SGD(twin.parameters(), lr=0.1)
    before = [p.detach().clone() for p in twin.parameters()]
    twin(torch.randn(5, 3, 2))[-1].sum().backward()
    opt.step()
    assert all(not torch.equal(p, q) for p, q in zip(twin.parameters(), before))


def test_gru_lesson_itself_does_not_import_torch():
    code = "import sys, gru_lesson, gru_lesson.min_gru, gru_lesson.lab.timing; print('torch' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, env=clean_env()).stdout
    assert out.strip() == "False"


@pytest.mark.parametrize("x,h0,error,message", [
    (torch.zeros(3, 2), None, ValueError, "expected x of rank 3 (T, N, I), got rank 2 with shape (3, 2)"),
    (torch.zeros(3, 2, 5), None, ValueError, "expected x of shape (T, N, I) with I = input_size = 4, got (3, 2, 5)"),
    (torch.zeros(0, 2, 4), None, ValueError, "expected at least one time step and one sequence in x (T, N, I), got shape (0, 2, 4)"),
    (torch.zeros(3, 2, 4), -torch.ones(2, 8), ValueError, "expected h0 >= 0 (the log-space scan takes log h0), got a minimum of -1"),
    (torch.zeros(3, 2, 4), torch.ones(1, 8), ValueError, "expected h0 of shape (N, H) = (2, 8), got (1, 8)"),
    (torch.zeros(3, 2, 4, dtype=torch.int64), None, TypeError, "expected x of a floating dtype, got torch.int64"),
    (np.zeros((3, 2, 4)), None, TypeError, "expected x to be a torch.Tensor, got ndarray"),
    (torch.zeros(3, 2, 4), np.zeros((2, 8)), TypeError, "expected h0 to be a torch.Tensor or None, got ndarray"),
])
def test_bad_input(x, h0, error, message):
    twin = TorchMinGRU(4, 8)
    for method in (twin.loop, twin.scan):
        with pytest.raises(error, match=re.escape(message)):
            method(x, h0)


def test_bad_construction():
    with pytest.raises(ValueError, match=re.escape("expected hidden_size to be a positive integer, got 0")):
        TorchMinGRU(3, 0)
    with pytest.raises(TypeError, match=re.escape("expected a gru_lesson.min_gru.MinGRU, got GRU")):
        TorchMinGRU.from_numpy(torch.nn.GRU(3, 4))
    with pytest.raises(TypeError, match=re.escape("expected float32 or float64 parameters to copy into NumPy, got torch.float16")):
        TorchMinGRU(3, 4, dtype=torch.float16).to_numpy()

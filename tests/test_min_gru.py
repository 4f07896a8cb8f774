"""minGRU: the log-space parallel scan equals the sequential loop (float64, <= 1e-10, T up to 4096)."""

from __future__ import annotations

import re

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gru_lesson.activations import sigmoid
from gru_lesson.min_gru import MinGRU, g, log_g


@pytest.mark.parametrize("T", [1, 2, 7, 100, 1000, 4096])
@pytest.mark.parametrize("h0_kind", ["zeros", "positive"])
def test_scan_equals_loop_in_float64(T, h0_kind):
    m = MinGRU(5, 8, seed=T)
    rng = np.random.default_rng(T)
    x = rng.standard_normal((T, 3, 5))
    h0 = None if h0_kind == "zeros" else rng.uniform(0.0, 2.0, (3, 8))
    np.testing.assert_allclose(m.scan(x, h0), m.loop(x, h0), rtol=1e-10, atol=1e-10)


@settings(max_examples=40, deadline=None)
@given(st.integers(1, 300), st.integers(1, 4), st.integers(1, 6), st.integers(1, 6), st.integers(0, 2**16))
def test_scan_equals_loop_on_random_shapes(T, N, I, H, seed):
    m = MinGRU(I, H, seed=seed)
    x = np.random.default_rng(seed).normal(0, 3, (T, N, I))
    np.testing.assert_allclose(m.scan(x), m.loop(x), rtol=1e-10, atol=1e-10)


def test_loop_is_the_notes_update_with_input_only_gates():
    m = MinGRU(2, 3, seed=1)
    x = np.random.default_rng(0).standard_normal((4, 1, 2))
    h = np.zeros((1, 3))
    p = m.params
    for t in range(4):
        z = 1 / (1 + np.exp(-(x[t] @ p["weight_z"].T + p["bias_z"])))
        a = x[t] @ p["weight_h"].T + p["bias_h"]
        h = (1 - z) * h + z * np.where(a >= 0, a + 0.5, 1 / (1 + np.exp(-a)))
        np.testing.assert_allclose(m.loop(x)[t], h, rtol=1e-14)


def test_float32_stays_float32_and_drifts_only_slowly():
    m = MinGRU(4, 8, seed=0)
    x = np.random.default_rng(0).standard_normal((1024, 2, 4)).astype(np.float32)
    loop, scan = m.loop(x), m.scan(x)
    assert loop.dtype == scan.dtype == np.float32
    assert np.abs(scan - loop).max() < 1e-3


def test_g_is_positive_continuous_and_log_g_is_its_log():
    a = np.linspace(-30, 30, 6001)
    assert (g(a) > 0).all()
    assert abs(g(np.array(0.0)) - 0.5) < 1e-15 and abs(g(np.array(-1e-12)) - 0.5) < 1e-12
    reference = np.where(a >= 0, np.log(np.abs(a) + 0.5), -np.log1p(np.exp(-a)))   # log σ(a) = −log(1 + e^(−a))
    np.testing.assert_allclose(log_g(a), reference, rtol=1e-13)
    np.testing.assert_allclose(g(a), np.exp(reference), rtol=1e-14, atol=1e-15)
    np.testing.assert_allclose(g(np.array([-2.0, 3.0])), [float(sigmoid(np.array(-2.0))), 3.5])


@pytest.mark.parametrize("x,h0,error,message", [
    (np.zeros((3, 2)), None, ValueError, "expected x of rank 3 (T, N, I), got rank 2 with shape (3, 2)"),
    (np.zeros((3, 2, 5)), None, ValueError, "expected x of shape (T, N, I) with I = input_size = 4 = (3, 2, 4), got (3, 2, 5)"),
    (np.zeros((0, 2, 4)), None, ValueError, "expected at least one time step and one sequence in x (T, N, I), got shape (0, 2, 4)"),
    (np.zeros((3, 2, 4)), -np.ones((2, 8)), ValueError, "expected h0 >= 0 (the log-space scan takes log h0), got a minimum of -1"),
    (np.zeros((3, 2, 4)), np.ones((1, 8)), ValueError, "expected h0 of shape (N, H) = (2, 8), got (1, 8)"),
    (np.zeros((3, 2, 4), dtype=int), None, TypeError, "expected x of dtype float32 or float64, got int64"),
])
def test_bad_input(x, h0, error, message):
    m = MinGRU(4, 8)
    for method in (m.loop, m.scan):
        with pytest.raises(error, match=re.escape(message)):
            method(x, h0)

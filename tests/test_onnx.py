"""The reset-before form (the notes') against ONNX GRU with linear_before_reset=0; torch's against =1.

Two independent implementations of the ONNX operator: onnx's NumPy reference (float64) and
onnxruntime's C++ kernel (float32).
"""

from __future__ import annotations

import itertools

import numpy as np
import pytest

from conftest import make_case
from gru_lesson import GRU
from gru_lesson.lab.onnx_bridge import onnx_gru, to_onnx

CONFIGS = list(itertools.product([1, 2], [False, True], [False, True], [True, False], [True, False]))


@pytest.mark.parametrize("num_layers,bidirectional,batch_first,bias,reset_after", CONFIGS)
def test_matches_onnx_reference_float64(num_layers, bidirectional, batch_first, bias, reset_after):
    module, x, h0 = make_case(num_layers=num_layers, bidirectional=bidirectional,
                              batch_first=batch_first, bias=bias)
    gru = GRU.from_torch(module, reset_after=reset_after)
    output, h_n = gru(x, h0)
    expected_output, expected_h_n = onnx_gru(gru, x, h0, runtime="reference")
    np.testing.assert_allclose(output, expected_output, rtol=0, atol=1e-10)
    np.testing.assert_allclose(h_n, expected_h_n, rtol=0, atol=1e-10)


@pytest.mark.parametrize("reset_after", [True, False])
@pytest.mark.parametrize("bidirectional", [False, True])
def test_matches_onnxruntime_float32(reset_after, bidirectional):
    gru = GRU(5, 8, num_layers=2, bidirectional=bidirectional, reset_after=reset_after, dtype=np.float32, seed=4)
    x = np.random.default_rng(0).standard_normal((12, 3, 5)).astype(np.float32)
    output, h_n = gru(x)
    expected_output, expected_h_n = onnx_gru(gru, x, runtime="onnxruntime")
    np.testing.assert_allclose(output, expected_output, rtol=0, atol=1e-5)
    np.testing.assert_allclose(h_n, expected_h_n, rtol=0, atol=1e-5)


def test_notes_update_convention_is_converted_for_onnx():
    gru = GRU(3, 4, reset_after=False, update="notes", seed=2)
    x = np.random.default_rng(0).standard_normal((5, 3))
    np.testing.assert_allclose(gru(x)[0], onnx_gru(gru, x)[0], rtol=0, atol=1e-12)


def test_reset_before_and_after_are_different_functions():
    module, x, h0 = make_case()
    before = GRU.from_torch(module, reset_after=False)(x, h0)[0]
    after = GRU.from_torch(module, reset_after=True)(x, h0)[0]
    assert np.abs(before - after).max() > 1e-3


def test_onnx_model_declares_linear_before_reset():
    for reset_after in (True, False):
        model = to_onnx(GRU(3, 4, reset_after=reset_after))
        attrs = {a.name: a.i for n in model.graph.node if n.op_type == "GRU" for a in n.attribute if a.name == "linear_before_reset"}
        assert attrs == {"linear_before_reset": int(reset_after)}


def test_onnxruntime_refuses_float64_with_a_clear_error():
    with pytest.raises(TypeError, match="expected float32 input for onnxruntime"):
        onnx_gru(GRU(3, 4), np.zeros((2, 1, 3)), runtime="onnxruntime")
    with pytest.raises(ValueError, match="expected runtime 'reference' or 'onnxruntime', got 'tf'"):
        onnx_gru(GRU(3, 4), np.zeros((2, 1, 3)), runtime="tf")

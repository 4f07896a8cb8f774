"""The ONNX model the bridge writes is one that older runtimes accept, whatever onnx release wrote it.

An onnx release stamps models with its own newest IR version unless told otherwise, and an
onnxruntime older than that onnx refuses them ("Unsupported model IR version: 14, max supported IR
version: 13", met on Colab with onnx 1.23 and onnxruntime 1.30). The bridge sets the IR version and
opset on purpose: IR 8 with opset 14, which every onnxruntime since 1.10 reads.
"""

from __future__ import annotations

import numpy as np
import onnx
import onnxruntime
import pytest

from gru_lesson import GRU
from gru_lesson.lab.onnx_bridge import IR_VERSION, OPSET, onnx_gru, to_onnx


@pytest.mark.parametrize("reset_after", [True, False])
def test_the_model_carries_the_chosen_ir_version_and_opset(reset_after):
    model = to_onnx(GRU(3, 4, num_layers=2, bidirectional=True, reset_after=reset_after))
    assert model.ir_version == IR_VERSION == 8
    assert [(o.domain, o.version) for o in model.opset_import] == [("", OPSET)] and OPSET == 14
    onnx.checker.check_model(model)
    assert model.ir_version < onnx.IR_VERSION or onnx.IR_VERSION == IR_VERSION   # older than what onnx writes


def test_onnxruntime_runs_it():
    gru = GRU(3, 4, dtype=np.float32)
    x = np.random.default_rng(0).standard_normal((5, 2, 3), dtype=np.float32)
    output, h_n = onnx_gru(gru, x, runtime="onnxruntime")
    expected_output, expected_h_n = gru(x)
    np.testing.assert_allclose(output, expected_output, rtol=0, atol=1e-5)
    np.testing.assert_allclose(h_n, expected_h_n, rtol=0, atol=1e-5)
    assert onnxruntime.InferenceSession(to_onnx(gru).SerializeToString(), providers=["CPUExecutionProvider"])

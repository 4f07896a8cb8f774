#!/usr/bin/env bash
# Chapter 5's ONNX cells against another onnx + onnxruntime pair than the pins, as a learner's own
# environment (Colab's, say) has them: the pair goes into a folder of its own, put first on the
# kernel's path, and nbval runs chapter 5 with everything else from .venv. Needs the package index
# (it installs), so it is not part of `make test`; tests/test_onnx_versions.py checks offline what
# makes it pass (the IR version and opset the bridge writes).
#
#     scripts/chapter5_with_other_onnx.sh 1.23.1 1.30.0       # onnx, onnxruntime
set -euo pipefail
cd "$(dirname "$0")/.."
onnx_version=${1:?the onnx version, e.g. 1.23.1}
runtime_version=${2:?the onnxruntime version, e.g. 1.30.0}
packages=$(mktemp -d)
trap 'rm -rf "$packages"' EXIT
.venv/bin/python -m pip install --quiet --no-deps --target "$packages" \
    "onnx==$onnx_version" "onnxruntime==$runtime_version"
PYTHONPATH="$packages" .venv/bin/python -c \
    'import onnx, onnxruntime; print(f"onnx {onnx.__version__} (writes IR {onnx.IR_VERSION}), onnxruntime {onnxruntime.__version__}")'
PYTHONPATH="$packages" .venv/bin/python -m pytest -o addopts="" -p no:cacheprovider --nbval --nbval-current-env \
    --nbval-sanitize-with tests/sanitize.cfg notebooks/05_layer_vs_torch.ipynb -q

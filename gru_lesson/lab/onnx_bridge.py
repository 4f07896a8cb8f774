"""Lab tool for chapters 5 and 14: the same weights as an ONNX GRU, run by an independent implementation.

torch cannot compute the reset-before candidate tanh(W_h x_t + U_h (r_t ⊙ h_{t-1}) + b_h + b_Uh),
the notes' form, so that form is checked against the ONNX GRU operator instead
(onnx.ai operator GRU, opset 14), whose attribute linear_before_reset selects where r_t acts:
    linear_before_reset=0:  h̃_t = tanh(W_h x_t + U_h (r_t ⊙ h_{t-1}) + Wb_h + Rb_h)   (reset before)
    linear_before_reset=1:  h̃_t = tanh(W_h x_t + r_t ⊙ (U_h h_{t-1} + Rb_h) + Wb_h)   (reset after)
ONNX's update is torch's, h_t = (1 − z_t) ⊙ h̃_t + z_t ⊙ h_{t-1}, and it stacks gates z, r, h
where torch stacks r, z, n:
    W (D, 3H, I) = [W_z; W_r; W_h]   R (D, 3H, H) = [U_z; U_r; U_h]   B (D, 6H) = [Wb_z, Wb_r, Wb_h, Rb_z, Rb_r, Rb_h]
One ONNX GRU node is one layer (both directions); layers are chained, each reading the one below's
Y (T, D, N, H) reshaped to (T, N, D*H).

Sequences of different lengths (chapter 14): the GRU operator's optional input sequence_lens (N,)
zeroes Y after each sequence's length, gives Y_h at each sequence's own last step, and starts the
reverse direction at each sequence's own last step: torch's packed GRU, and `gru(x, lengths=...)`.
onnxruntime implements it. onnx.reference (onnx 1.23) accepts sequence_lens and ignores it, so with
that runtime each sequence runs alone, cut to its own length, which is what sequence_lens specifies.

Needs the `onnx` package; `runtime="onnxruntime"` also needs `onnxruntime` (float32 only there).
"""

from __future__ import annotations

import numpy as np

from ..layer import GRU, _check_lengths

__all__ = ["to_onnx", "onnx_gru"]

OPSET = 14
# The model's IR version, set on purpose: an onnx release writes its own newest IR version by default,
# which an older onnxruntime refuses ("Unsupported model IR version"). IR 8 is enough for opset 14
# and is read by every onnxruntime since 1.10.
IR_VERSION = 8


def _zrh(stacked: np.ndarray, H: int) -> np.ndarray:
    """Reorder gate blocks along axis 0 from torch's r, z, n to ONNX's z, r, h."""
    return np.concatenate([stacked[H:2 * H], stacked[:H], stacked[2 * H:]])


def to_onnx(gru: GRU, dtype: type = np.float32, *, sequence_lens: bool = False) -> "onnx.ModelProto":  # noqa: F821
    """An ONNX model computing gru (inputs X (T, N, I) and initial_h (D*L, N, H); outputs Y, Y_h).

    gru: any gru_lesson.GRU (its update convention is converted to ONNX's, torch's).
    dtype: float32 or float64 for the model's tensors.
    sequence_lens: True adds an input sequence_lens (N,) int32, the length of each sequence of X,
                   given to every layer's GRU node.
    """
    import onnx
    from onnx import TensorProto, helper, numpy_helper

    gru = gru.with_update("torch")
    L, D, H = gru.num_layers, gru.num_directions, gru.hidden_size
    elem = TensorProto.DOUBLE if np.dtype(dtype) == np.float64 else TensorProto.FLOAT
    nodes, inits, last_hs = [], [], []

    def const(name: str, value: np.ndarray) -> str:
        inits.append(numpy_helper.from_array(np.asarray(value), name))
        return name

    layer_input = "X"
    for layer in range(L):
        suffixes = [f"l{layer}", f"l{layer}_reverse"][:D]
        W = np.stack([_zrh(gru.params[f"weight_ih_{s}"], H) for s in suffixes])          # (D, 3H, I_k)
        R = np.stack([_zrh(gru.params[f"weight_hh_{s}"], H) for s in suffixes])          # (D, 3H, H)
        if gru.bias:
            B = np.stack([np.concatenate([_zrh(gru.params[f"bias_ih_{s}"], H), _zrh(gru.params[f"bias_hh_{s}"], H)])
                          for s in suffixes])                                           # (D, 6H)
        else:
            B = np.zeros((D, 6 * H))
        h_slice = f"initial_h_l{layer}"
        nodes.append(helper.make_node(
            "Slice", ["initial_h", const(f"start_{layer}", np.array([layer * D])), const(f"end_{layer}", np.array([(layer + 1) * D])),
                      const(f"axis_{layer}", np.array([0]))], [h_slice]))
        nodes.append(helper.make_node(
            "GRU",
            [layer_input, const(f"W_{layer}", W.astype(dtype)), const(f"R_{layer}", R.astype(dtype)),
             const(f"B_{layer}", B.astype(dtype)), "sequence_lens" if sequence_lens else "", h_slice],
            [f"Y_{layer}", f"Y_h_{layer}"],
            hidden_size=H,
            direction="bidirectional" if D == 2 else "forward",
            linear_before_reset=int(gru.reset_after),
        ))
        last_hs.append(f"Y_h_{layer}")
        # Y (T, D, N, H) -> (T, N, D, H) -> (T, N, D*H): the next layer's input
        nodes.append(helper.make_node("Transpose", [f"Y_{layer}"], [f"Y_tndh_{layer}"], perm=[0, 2, 1, 3]))
        nodes.append(helper.make_node("Reshape", [f"Y_tndh_{layer}", const(f"shape_{layer}", np.array([0, 0, D * H]))],
                                      [f"out_{layer}"]))
        layer_input = f"out_{layer}"
    nodes.append(helper.make_node("Identity", [layer_input], ["Y"]))
    nodes.append(helper.make_node("Concat", last_hs, ["Y_h"], axis=0))
    inputs = [helper.make_tensor_value_info("X", elem, ["T", "N", gru.input_size]),
              helper.make_tensor_value_info("initial_h", elem, [D * L, "N", H])]
    if sequence_lens:
        inputs.append(helper.make_tensor_value_info("sequence_lens", TensorProto.INT32, ["N"]))
    graph = helper.make_graph(
        nodes, "gru_lesson",
        inputs=inputs,
        outputs=[helper.make_tensor_value_info("Y", elem, ["T", "N", D * H]),
                 helper.make_tensor_value_info("Y_h", elem, [D * L, "N", H])],
        initializer=inits,
    )
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", OPSET)], ir_version=IR_VERSION)
    onnx.checker.check_model(model)
    return model


def onnx_gru(gru: GRU, x: np.ndarray, h0: np.ndarray | None = None, *, lengths: object = None,
             runtime: str = "reference") -> tuple[np.ndarray, np.ndarray]:
    """(output, h_n) of `gru` on x as computed by ONNX, in the same layouts as `gru(x, h0, lengths=lengths)`.

    lengths: None, or N whole numbers 1 <= lengths[n] <= T, fed to the operator's sequence_lens
             (with onnx.reference, which ignores sequence_lens: each sequence alone, cut to its length).
    runtime: "reference" (onnx.reference, NumPy, float32 and float64) or "onnxruntime" (float32).

    >>> out, h_n = onnx_gru(GRU(3, 4, reset_after=False), np.zeros((5, 2, 3)), lengths=[5, 2])
    >>> out.shape, h_n.shape, bool(out[2:, 1].any())      # sequence 1 ends after 2 steps: zeros after
    ((5, 2, 4), (1, 2, 4), False)
    """
    if runtime not in ("reference", "onnxruntime"):
        raise ValueError(f"expected runtime 'reference' or 'onnxruntime', got {runtime!r}")
    seq, h = gru._time_major(x, h0)                                       # (T, N, I), (D*L, N, H)
    if runtime == "onnxruntime" and seq.dtype != np.float32:
        raise TypeError(f"expected float32 input for onnxruntime (its GRU kernel is float32 only), got {seq.dtype}")
    if lengths is None:
        y, y_h = _session(to_onnx(gru, seq.dtype), runtime)({"X": seq, "initial_h": h})
    elif runtime == "onnxruntime":
        lens = _check_lengths(lengths, x, seq.shape).astype(np.int32)     # (N,)
        run = _session(to_onnx(gru, seq.dtype, sequence_lens=True), runtime)
        y, y_h = run({"X": seq, "initial_h": h, "sequence_lens": lens})
    else:
        # onnx.reference ignores sequence_lens: run sequence n alone on its own lengths[n] steps, pad Y with zeros
        lens = _check_lengths(lengths, x, seq.shape)                      # (N,)
        run = _session(to_onnx(gru, seq.dtype), runtime)
        y = np.zeros(seq.shape[:2] + (gru.num_directions * gru.hidden_size,), seq.dtype)   # (T, N, D*H)
        y_h = np.empty_like(h)                                            # (D*L, N, H)
        for n, length in enumerate(lens):
            y[:length, n:n + 1], y_h[:, n:n + 1] = run({"X": seq[:length, n:n + 1], "initial_h": h[:, n:n + 1]})
    return gru._caller_layout(x, y, y_h)


def _session(model: "onnx.ModelProto", runtime: str) -> "Callable[[dict], tuple[np.ndarray, np.ndarray]]":  # noqa: F821
    """A function of the feeds {input name: array} returning the model's Y (T, N, D*H) and Y_h (D*L, N, H)."""
    if runtime == "reference":
        from onnx.reference import ReferenceEvaluator
        session = ReferenceEvaluator(model)
    else:
        import onnxruntime
        session = onnxruntime.InferenceSession(model.SerializeToString(), providers=["CPUExecutionProvider"])

    def run(feeds: dict[str, np.ndarray]) -> tuple[np.ndarray, np.ndarray]:
        y, y_h = session.run(None, {name: np.ascontiguousarray(value) for name, value in feeds.items()})
        return y, y_h

    return run

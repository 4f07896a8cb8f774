"""gru(x, h0, lengths=...): sequences of different lengths, against torch's packed GRU (forward and
backward, float64 to rtol = atol = 1e-10) and ONNX GRU's sequence_lens (onnxruntime float32,
onnx.reference float64, both reset placements); the carry, the zeros and the errors."""

from __future__ import annotations

import re

import numpy as np
import pytest
import torch
from torch.nn.utils.rnn import pack_padded_sequence, pad_packed_sequence

from gru_lesson import GRU
from gru_lesson.direction import direction_forward
from gru_lesson.lab.onnx_bridge import onnx_gru, to_onnx


def random_lengths(rng: np.random.Generator, N: int, T: int) -> np.ndarray:
    """N lengths in 1..T, unsorted, with at least one tie and one full-length sequence."""
    lengths = rng.integers(1, T + 1, N)
    full, i, j = rng.choice(N, 3, replace=False)
    lengths[full] = T                                     # a full-length sequence
    lengths[i] = lengths[j]                               # a tie
    return lengths


def random_case(seed: int) -> dict:
    rng = np.random.default_rng(seed)
    T, N = int(rng.integers(2, 9)), int(rng.integers(3, 7))
    return dict(num_layers=int(rng.integers(1, 4)), bidirectional=bool(rng.integers(2)),
                batch_first=bool(rng.integers(2)), bias=bool(rng.integers(2)), with_h0=bool(rng.integers(2)),
                dtype="float32" if seed % 4 == 3 else "float64", T=T, N=N,
                lengths=random_lengths(rng, N, T).tolist())


CASES = [random_case(seed) for seed in range(24)]


def make(case: dict, I: int = 4, H: int = 5, seed: int = 0):
    """A torch GRU for the case, and x, h0 (or None) shaped for it, in the case's dtype."""
    torch.manual_seed(seed)
    dtype = getattr(torch, case["dtype"])
    module = torch.nn.GRU(I, H, case["num_layers"], bias=case["bias"], batch_first=case["batch_first"],
                          bidirectional=case["bidirectional"]).to(dtype)
    rng = np.random.default_rng(seed + 100)
    D, T, N = 2 if case["bidirectional"] else 1, case["T"], case["N"]
    x = rng.standard_normal((N, T, I) if case["batch_first"] else (T, N, I)).astype(case["dtype"])
    h0 = rng.standard_normal((D * case["num_layers"], N, H)).astype(case["dtype"]) if case["with_h0"] else None
    return module, x, h0


def torch_packed(module, x, h0, lengths, grad_output, grad_h_n):
    """output, h_n of pack_padded_sequence -> module -> pad_packed_sequence, and autograd's gradients
    of sum(output * grad_output) + sum(h_n * grad_h_n), keyed like GRU.backward's."""
    module.zero_grad()
    batch_first = module.batch_first
    x_t = torch.tensor(x, requires_grad=True)
    h0_t = torch.zeros(grad_h_n.shape, dtype=x_t.dtype, requires_grad=True) if h0 is None else \
        torch.tensor(h0, requires_grad=True)
    packed = pack_padded_sequence(x_t, torch.as_tensor(lengths), batch_first=batch_first, enforce_sorted=False)
    output, h_n = module(packed, h0_t)
    output, _ = pad_packed_sequence(output, batch_first=batch_first, total_length=x.shape[1 if batch_first else 0])
    ((output * torch.from_numpy(grad_output)).sum() + (h_n * torch.from_numpy(grad_h_n)).sum()).backward()
    grads = {name: p.grad.numpy() for name, p in module.named_parameters()}
    return output.detach().numpy(), h_n.detach().numpy(), grads | {"input": x_t.grad.numpy(), "h0": h0_t.grad.numpy()}


@pytest.mark.parametrize("case", CASES, ids=lambda c: "-".join(f"{k}={v}" for k, v in c.items() if k != "lengths")
                         + f"-lengths={c['lengths']}")
def test_matches_torch_packed_forward_and_backward(case):
    module, x, h0 = make(case)
    gru = GRU.from_torch(module)
    output, h_n = gru(x, h0, lengths=case["lengths"])
    rng = np.random.default_rng(1)
    grad_output = rng.standard_normal(output.shape).astype(x.dtype)
    grad_h_n = rng.standard_normal(h_n.shape).astype(x.dtype)
    ours = gru.backward(grad_output, grad_h_n)
    their_output, their_h_n, theirs = torch_packed(module, x, h0, case["lengths"], grad_output, grad_h_n)
    tol = dict(rtol=1e-10, atol=1e-10) if x.dtype == np.float64 else dict(rtol=1e-4, atol=1e-5)
    np.testing.assert_allclose(output, their_output, **tol, err_msg="output")
    np.testing.assert_allclose(h_n, their_h_n, **tol, err_msg="h_n")
    assert list(ours) == list(theirs)
    for name in theirs:
        assert ours[name].dtype == x.dtype, name
        np.testing.assert_allclose(ours[name], theirs[name], **tol, err_msg=name)


def test_the_masking_itself_zeros_carry_and_each_sequence_alone():
    """Independent of torch: output 0 after each length, h_n = the sequence run alone on its own steps,
    grad_output in the padding changes nothing, and grads["input"] is 0 there."""
    gru = GRU(3, 4, num_layers=2, bidirectional=True, seed=3)
    rng = np.random.default_rng(0)
    T, N, lengths = 6, 4, [2, 6, 1, 4]
    x, h0 = rng.standard_normal((T, N, 3)), rng.standard_normal((4, N, 4))
    output, h_n = gru(x, h0, lengths=lengths)
    for n, length in enumerate(lengths):
        alone_output, alone_h_n = gru(x[:length, n:n + 1], h0[:, n:n + 1])
        np.testing.assert_allclose(output[:length, n:n + 1], alone_output, rtol=0, atol=1e-12)
        np.testing.assert_allclose(h_n[:, n:n + 1], alone_h_n, rtol=0, atol=1e-12)
        assert not output[length:, n].any()
    padding = np.arange(T)[:, None] >= np.array(lengths)           # (T, N)
    gru(x, h0, lengths=lengths)
    grad_output = rng.standard_normal(output.shape)
    grads = gru.backward(grad_output)
    noisy = grad_output + 100 * padding[..., None]                 # changes grad_output only in the padding
    gru(x, h0, lengths=lengths)
    for name, value in gru.backward(noisy).items():
        np.testing.assert_array_equal(value, grads[name], err_msg=name)
    assert not grads["input"][padding].any() and grads["input"][~padding].all()


@pytest.mark.parametrize("bidirectional", [False, True])
def test_full_lengths_are_bitwise_the_call_without_lengths(bidirectional):
    gru = GRU(3, 4, num_layers=2, bidirectional=bidirectional, batch_first=True, seed=1)
    rng = np.random.default_rng(2)
    x = rng.standard_normal((5, 7, 3))
    plain = gru(x)
    grad_output = rng.standard_normal(plain[0].shape)
    plain_grads = gru.backward(grad_output)
    packed = gru(x, lengths=np.full(5, 7))
    packed_grads = gru.backward(grad_output)
    for a, b in zip(plain, packed):
        np.testing.assert_array_equal(a, b)
    for name in plain_grads:
        np.testing.assert_array_equal(packed_grads[name], plain_grads[name], err_msg=name)


def loss(gru, x, h0, lengths, grad_output, grad_h_n):
    output, h_n = gru(x, h0, lengths=lengths)
    return float((output * grad_output).sum() + (h_n * grad_h_n).sum())


@pytest.mark.parametrize("update", ["notes", "torch"])
def test_reset_before_gradients_match_central_finite_differences(update):
    """The notes' form, which torch cannot compute: its gradients with lengths, by finite differences."""
    gru = GRU(2, 3, num_layers=2, bidirectional=True, reset_after=False, update=update, seed=5)
    rng = np.random.default_rng(3)
    lengths = [3, 1, 4]
    x, h0 = rng.standard_normal((4, 3, 2)), rng.standard_normal((4, 3, 3))
    output, h_n = gru(x, h0, lengths=lengths)
    grad_output, grad_h_n = rng.standard_normal(output.shape), rng.standard_normal(h_n.shape)
    analytic = gru.backward(grad_output, grad_h_n)
    eps = 1e-6
    for name, array in (dict(gru.params) | {"input": x, "h0": h0}).items():
        numeric = np.zeros_like(array)
        for i in np.ndindex(array.shape):
            saved = array[i]
            array[i] = saved + eps
            up = loss(gru, x, h0, lengths, grad_output, grad_h_n)
            array[i] = saved - eps
            down = loss(gru, x, h0, lengths, grad_output, grad_h_n)
            array[i] = saved
            numeric[i] = (up - down) / (2 * eps)
        error = np.linalg.norm(analytic[name] - numeric) / max(np.linalg.norm(analytic[name]) + np.linalg.norm(numeric), 1e-300)
        assert error <= 1e-7, f"{name}: relative error {error:.2e}"


def test_the_notes_update_convention_with_lengths():
    gru = GRU(3, 4, bidirectional=True, update="notes", seed=2)
    x = np.random.default_rng(0).standard_normal((5, 3, 3))
    for a, b in zip(gru(x, lengths=[2, 5, 3]), gru.with_update("torch")(x, lengths=[2, 5, 3])):
        np.testing.assert_allclose(a, b, rtol=0, atol=1e-12)


@pytest.mark.parametrize("reset_after", [True, False])
@pytest.mark.parametrize("batch_first", [False, True])
def test_matches_onnxruntime_sequence_lens_float32(reset_after, batch_first):
    gru = GRU(5, 8, num_layers=2, bidirectional=True, batch_first=batch_first, reset_after=reset_after,
              dtype=np.float32, seed=4)
    rng = np.random.default_rng(0)
    lengths = [12, 3, 7, 7, 1]
    x = rng.standard_normal((5, 12, 5) if batch_first else (12, 5, 5)).astype(np.float32)
    h0 = rng.standard_normal((4, 5, 8)).astype(np.float32)
    output, h_n = gru(x, h0, lengths=lengths)
    expected_output, expected_h_n = onnx_gru(gru, x, h0, lengths=lengths, runtime="onnxruntime")
    np.testing.assert_allclose(output, expected_output, rtol=0, atol=1e-5)
    np.testing.assert_allclose(h_n, expected_h_n, rtol=0, atol=1e-5)


@pytest.mark.parametrize("reset_after", [True, False])
def test_matches_onnx_reference_float64(reset_after):
    gru = GRU(3, 4, num_layers=2, bidirectional=True, reset_after=reset_after, seed=6)
    rng = np.random.default_rng(1)
    lengths = [2, 6, 6, 4]
    x, h0 = rng.standard_normal((6, 4, 3)), rng.standard_normal((4, 4, 4))
    output, h_n = gru(x, h0, lengths=lengths)
    expected_output, expected_h_n = onnx_gru(gru, x, h0, lengths=lengths, runtime="reference")
    np.testing.assert_allclose(output, expected_output, rtol=0, atol=1e-10)
    np.testing.assert_allclose(h_n, expected_h_n, rtol=0, atol=1e-10)


def test_onnx_reference_ignores_sequence_lens_so_the_bridge_runs_each_sequence_alone():
    """Why onnx_gru(runtime="reference") does not feed sequence_lens: onnx.reference's GRU accepts it and
    computes as if every sequence had T steps. If this starts failing, onnx.reference has learnt
    sequence_lens and the bridge can feed it directly, as it does for onnxruntime."""
    gru = GRU(3, 4, seed=0)
    x = np.random.default_rng(0).standard_normal((5, 2, 3)).astype(np.float32)
    from onnx.reference import ReferenceEvaluator
    y, y_h = ReferenceEvaluator(to_onnx(gru, np.float32, sequence_lens=True)).run(
        None, {"X": x, "initial_h": np.zeros((1, 2, 4), np.float32), "sequence_lens": np.array([5, 2], np.int32)})
    np.testing.assert_allclose(y, gru(x)[0], rtol=0, atol=1e-6)            # unmasked: sequence 1 runs 5 steps
    assert np.abs(y - gru(x, lengths=[5, 2])[0]).max() > 1e-3


def test_onnx_model_declares_sequence_lens_as_int32():
    model = to_onnx(GRU(3, 4, num_layers=2), sequence_lens=True)
    inputs = {i.name: i.type.tensor_type.elem_type for i in model.graph.input}
    assert inputs["sequence_lens"] == 6                                    # TensorProto.INT32
    assert all(node.input[4] == "sequence_lens" for node in model.graph.node if node.op_type == "GRU")
    assert "sequence_lens" not in {i.name for i in to_onnx(GRU(3, 4)).graph.input}


@pytest.mark.parametrize("lengths", [[3, 1, 2], (3, 1, 2), np.array([3, 1, 2], np.int32), np.array([3, 1, 2], np.uint8),
                                     torch.tensor([3, 1, 2])], ids=["list", "tuple", "int32", "uint8", "tensor"])
def test_lengths_as_any_integer_sequence_in_any_order(lengths):
    gru = GRU(2, 3, seed=0)
    x = np.random.default_rng(0).standard_normal((3, 3, 2))
    expected = gru(x, lengths=[3, 1, 2])
    for a, b in zip(gru(x, lengths=lengths), expected):
        np.testing.assert_array_equal(a, b)


def test_backward_follows_the_latest_call_with_or_without_lengths():
    gru = GRU(3, 4, seed=1)
    x = np.random.default_rng(0).standard_normal((5, 2, 3))
    gru(x, lengths=[2, 5])
    masked = gru.backward(np.ones((5, 2, 4)))["input"]
    gru(x)
    plain = gru.backward(np.ones((5, 2, 4)))["input"]
    assert not masked[2:, 0].any() and plain[2:, 0].all()


X = np.zeros((6, 3, 2))         # T = 6 steps, N = 3 sequences


@pytest.mark.parametrize("x,lengths,error,message", [
    (X, [6, 2], ValueError, "expected N = 3 lengths, one per sequence of x, got 2"),
    (X, [6, 2, 3, 1], ValueError, "expected N = 3 lengths, one per sequence of x, got 4"),
    (X, [[6, 2, 3]], ValueError, "expected lengths of shape (N,) = (3,), one per sequence of x, got shape (1, 3)"),
    (X, [6, 0, 3], ValueError, "expected every length between 1 and T = 6 (the steps in x), got lengths[1] = 0"),
    (X, [6, 7, 3], ValueError, "expected every length between 1 and T = 6 (the steps in x), got lengths[1] = 7"),
    (X, [6, 2, -1], ValueError, "expected every length between 1 and T = 6 (the steps in x), got lengths[2] = -1"),
    (X, [6.0, 2.0, 3.0], TypeError, "expected lengths as integers, got float64 values [6.0, 2.0, 3.0]"),
    (X, np.array([6, 2.5, 3]), TypeError, "expected lengths as integers, got float64 values [6.0, 2.5, 3.0]"),
    (X, ["6", "2", "3"], TypeError, "expected lengths as integers, got <U1 values ['6', '2', '3']"),
    (X, [True, 2, 3], TypeError, "expected lengths as integers, got booleans in [True, 2, 3]"),
    (X, np.array([True, False, True]), TypeError, "expected lengths as integers, got bool values [True, False, True]"),
    (X, 6, TypeError, "expected lengths as a list or 1-D array of N = 3 integers, got int"),
    (X, "623", TypeError, "expected lengths as a list or 1-D array of N = 3 integers, got str"),
    (X, [6, [2], 3], ValueError, "expected lengths as a flat list of N = 3 integers, got [6, [2], 3]"),
    (np.zeros((6, 2)), [6], ValueError, "expected no lengths with one unbatched sequence x of shape (T, I) = (6, 2): "
                                        "lengths need a batch, x of rank 3 with one length per sequence; got lengths=[6]"),
])
def test_bad_lengths(x, lengths, error, message):
    gru = GRU(2, 3)
    with pytest.raises(error, match=re.escape(message)):
        gru(x, lengths=lengths)


def test_bad_lengths_through_the_onnx_bridge_and_direction():
    with pytest.raises(ValueError, match=re.escape("expected N = 3 lengths, one per sequence of x, got 2")):
        onnx_gru(GRU(2, 3), X, lengths=[6, 2])
    with pytest.raises(ValueError, match=re.escape("expected batch_sizes never increasing, between 0 and N = 3 "
                                                   "(sort the batch longest first), got [2, 3]")):
        direction_forward(np.zeros((2, 3, 2)), np.zeros((3, 3)), np.zeros((9, 2)), np.zeros((9, 3)), None, None,
                          reset_after=True, update="torch", batch_sizes=np.array([2, 3]))

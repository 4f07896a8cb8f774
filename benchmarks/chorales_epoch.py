"""One training epoch of chapter 15's model on the JSB chorales: gru_lesson against torch, each side alone.

    python benchmarks/chorales_epoch.py [--threads 1 2] [--calls 3] [--rounds 2]

The epoch: the 229 training chorales in batches of 8, in a fixed shuffled order (seed 0; 29 batches,
the last of 5), next-step pairs from `chorales.next_step_pairs` (x_t = roll[t], y_t = roll[t + 1],
padded, lengths T_i − 1), float32. Per batch, forward and backward, no optimiser step:

    gru_lesson: output = GRU(88, 46)(x, lengths=lengths)     only the running rows, as torch packs
                logits = Linear(46, 88) on the rows (T·N, 46)
                L, δlogits = readout.key_nll(logits, y, mask)
                Linear.backward(δlogits rows), then GRU.backward(δoutput)
    torch:      GRU(88, 46) on pack_padded_sequence(x, lengths, enforce_sorted=False), pad_packed_sequence,
                Linear(46, 88), binary_cross_entropy_with_logits summed over keys, masked, divided by
                the real steps; loss.backward()

Both sides compute every gradient of the weights. gru_lesson's backward also returns δx, which
training does not need; torch, as in training, does not compute it (x does not require grad).
Before timing, both sides run the whole epoch with the same weights (copied from torch with
`GRU.from_torch` and `Linear.from_torch`) and their losses must agree to 1e-5 (relative, float32).

Each side runs in a fresh process of its own (`gru_lesson.lab.timing.isolated_times`) with the same
threads for NumPy's BLAS and torch, one untimed epoch, then --calls timed epochs; the processes
alternate for --rounds rounds. The data is read as `chorales.load_chorales` finds it: set
GRU_LESSON_CHORALES to a local copy of jsb-chorales-quarter.json to work offline.
"""

from __future__ import annotations

import argparse
import os
import sys

import numpy as np

sys.path.insert(0, os.path.join(os.path.dirname(__file__), ".."))
from gru_lesson.lab.timing import isolated_times, machine_description  # noqa: E402

BATCH, HIDDEN, KEYS = 8, 46, 88

# What every candidate's process builds before timing: the same batches, modules and weights.
SETUP = f"""
import numpy as np
import torch
from torch.nn.utils.rnn import pack_padded_sequence, pad_packed_sequence
from gru_lesson import GRU, Linear
from gru_lesson.readout import key_nll
from gru_lesson.lab.chorales import load_chorales, next_step_pairs

train = load_chorales()["train"]                                   # 229 rolls (T_i, 88), float32
order = np.random.default_rng(0).permutation(len(train))           # a fixed shuffled order
batches = []
for start in range(0, len(train), {BATCH}):
    x, y, lengths = next_step_pairs([train[i] for i in order[start:start + {BATCH}]])   # (T, N, 88) twice, (N,)
    mask = (np.arange(len(x))[:, None] < lengths[None, :]).astype(np.float32)         # (T, N)
    batches.append((x, y, lengths, mask, torch.from_numpy(x), torch.from_numpy(y), torch.from_numpy(lengths),
                    torch.from_numpy(mask)))

torch.manual_seed(0)
module, linear = torch.nn.GRU({KEYS}, {HIDDEN}), torch.nn.Linear({HIDDEN}, {KEYS})     # float32
gru, head = GRU.from_torch(module), Linear.from_torch(linear)


def numpy_batch(x, y, lengths, mask):
    output, _ = gru(x, lengths=lengths)                                            # (T, N, 46)
    T, N, H = output.shape
    logits = head(output.reshape(T * N, H)).reshape(T, N, {KEYS})                  # (T, N, 88)
    loss, grad_logits = key_nll(logits, y, mask)                                   # float, (T, N, 88)
    grad_output = head.backward(grad_logits.reshape(T * N, {KEYS}))["input"]       # (T·N, 46)
    grads = gru.backward(grad_output.reshape(T, N, H))
    return loss, grads


def torch_batch(x, y, lengths, mask):
    module.zero_grad()
    linear.zero_grad()
    packed, _ = module(pack_padded_sequence(x, lengths, enforce_sorted=False))
    output, _ = pad_packed_sequence(packed, total_length=len(x))                   # (T, N, 46)
    per_key = torch.nn.functional.binary_cross_entropy_with_logits(linear(output), y, reduction="none")
    loss = (per_key.sum(-1) * mask).sum() / mask.sum()                             # (T, N, 88) -> (T, N) -> scalar
    loss.backward()
    return loss.item()
"""

CANDIDATES = {
    "gru_lesson": "def run():\n    for x, y, lengths, mask, *_ in batches:\n        numpy_batch(x, y, lengths, mask)\n",
    "torch": "def run():\n    for *_, x, y, lengths, mask in batches:\n        torch_batch(x, y, lengths, mask)\n",
}


def check_same_losses(scope: dict) -> None:
    """Both sides' loss on every batch of the epoch, with the same weights: they must agree (float32)."""
    ours = np.array([scope["numpy_batch"](*batch[:4])[0] for batch in scope["batches"]])
    theirs = np.array([scope["torch_batch"](*batch[4:]) for batch in scope["batches"]])
    error = np.abs(ours - theirs).max() / np.abs(theirs).max()
    print(f"{len(ours)} batches, loss per real step {ours.min():.3f} .. {ours.max():.3f}; "
          f"max relative difference gru_lesson vs torch {error:.1e}")
    assert error <= 1e-5, f"the two sides disagree: relative loss difference {error:.1e} > 1e-5"
    # the gradients of the last batch, for the record (autograd's sums run in another order)
    grads, module = scope["numpy_batch"](*scope["batches"][-1][:4])[1], scope["module"]
    worst = max(np.abs(grads[name] - p.grad.numpy()).max() / np.abs(p.grad.numpy()).max()
                for name, p in module.named_parameters())
    print(f"largest relative difference of the GRU's weight gradients (last batch): {worst:.1e}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--threads", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--calls", type=int, default=3, help="timed epochs per process")
    parser.add_argument("--rounds", type=int, default=2, help="processes per side, alternating")
    args = parser.parse_args()

    scope: dict[str, object] = {}
    exec(SETUP, scope)                                  # the same data and weights as the candidates, for the check
    print(machine_description())
    steps = sum(int(batch[2].sum()) for batch in scope["batches"])
    print(f"float32, GRU(88, 46) + Linear(46, 88), 229 chorales in batches of {BATCH}, {steps} real steps; "
          f"each side alone in its own process, best of {args.calls} epochs x {args.rounds} rounds")
    check_same_losses(scope)
    for threads in args.threads:
        found = isolated_times({name: SETUP + source for name, source in CANDIDATES.items()},
                               threads=threads, calls=args.calls, warmup=1, rounds=args.rounds)
        ours, theirs = found["gru_lesson"], found["torch"]
        print(f"{threads} thread(s): gru_lesson {ours['best']:.3f} s/epoch (median {ours['median']:.3f})   "
              f"torch {theirs['best']:.3f} s/epoch (median {theirs['median']:.3f})   "
              f"ratio gru_lesson / torch {ours['best'] / theirs['best']:.2f} (median {ours['median'] / theirs['median']:.2f})")


if __name__ == "__main__":
    main()

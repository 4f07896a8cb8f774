"""gru_lesson.GRU with lengths= against torch's packed GRU on the CPU: a batch of sequences of different lengths.

    python benchmarks/packed_vs_torch.py [--threads 2] [--calls 20] [--rounds 3] [--backward]

float32, N=32 sequences, T=100 steps, I=H=128, lengths drawn uniformly from [T/2, T] (seeded).
torch's side is its whole packed path: pack_padded_sequence(x, lengths, enforce_sorted=False), the
module, pad_packed_sequence(total_length=T). gru_lesson's side is gru(x, lengths=lengths), which sorts
the batch, runs only the sequences still running at each step, and puts them back in order.
Target: forward ratio <= 1.0. Also printed, for context: both sides on the padded batch without
lengths (the padding computed too, a different answer for the short sequences), and with --backward,
forward + backward with lengths (torch: autograd of sum(output * grad_output)).

Each candidate runs in a fresh process of its own (`gru_lesson.lab.timing.isolated_times`), because
OpenBLAS threads left spinning after NumPy's calls slow torch down when both share a process. The
processes alternate for --rounds rounds, and each keeps --calls timed calls; the best is reported.
Both sides get the same threads (the BLAS variables, torch.set_num_threads). The outputs are compared
first, in this process.
"""

from __future__ import annotations

import argparse
import os
import sys

import numpy as np

sys.path.insert(0, os.path.join(os.path.dirname(__file__), ".."))
from gru_lesson.lab.timing import isolated_times  # noqa: E402

N, T, I, H = 32, 100, 128, 128

SETUP = f"""
import numpy as np
import torch
from torch.nn.utils.rnn import pack_padded_sequence, pad_packed_sequence
from gru_lesson import GRU

N, T, I, H = {N}, {T}, {I}, {H}
torch.manual_seed(0)
module = torch.nn.GRU(I, H)                                    # float32
rng = np.random.default_rng(0)
x = rng.standard_normal((T, N, I), dtype=np.float32)           # (T, N, I)
lengths = rng.integers(T // 2, T + 1, N)                       # (N,)
grad_output = rng.standard_normal((T, N, H), dtype=np.float32) # (T, N, H)
gru = GRU.from_torch(module)
x_t, lengths_t, grad_output_t = torch.from_numpy(x), torch.from_numpy(lengths), torch.from_numpy(grad_output)


def torch_packed(x_in):
    output, _ = module(pack_padded_sequence(x_in, lengths_t, enforce_sorted=False))
    return pad_packed_sequence(output, total_length=T)[0]
"""

CANDIDATES = {
    ("forward, lengths", "gru_lesson"): "def run():\n    gru(x, lengths=lengths, tape=False)",
    ("forward, lengths", "torch"): "def run():\n    with torch.inference_mode():\n        torch_packed(x_t)",
    ("forward, padded", "gru_lesson"): "def run():\n    gru(x, tape=False)",
    ("forward, padded", "torch"): "def run():\n    with torch.inference_mode():\n        module(x_t)",
    ("forward + backward, lengths", "gru_lesson"):
        "def run():\n    gru(x, lengths=lengths)\n    gru.backward(grad_output)",
    ("forward + backward, lengths", "torch"):
        "def run():\n    module.zero_grad()\n    (torch_packed(x_t.clone().requires_grad_(True)) * grad_output_t).sum().backward()",
}
NOTES = {"forward, lengths": " (target <= 1.0)", "forward, padded": " (no lengths: the padding computed too)",
         "forward + backward, lengths": ""}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--calls", type=int, default=20)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--backward", action="store_true", help="also time forward + backward with lengths")
    args = parser.parse_args()

    scope: dict[str, object] = {}
    exec(SETUP, scope)                                             # the same data and weights, for the check
    import torch
    with torch.inference_mode():
        theirs = scope["torch_packed"](scope["x_t"]).numpy()
    ours = scope["gru"](scope["x"], lengths=scope["lengths"])[0]
    lengths = scope["lengths"]
    print(f"float32, N={N}, T={T}, I={I}, H={H}, lengths uniform in [{T // 2}, {T}] "
          f"({lengths.sum() / (N * T):.0%} of the padded steps are real), {args.threads} threads; each candidate "
          f"in its own process, best of {args.calls} calls x {args.rounds} rounds")
    print(f"max |gru_lesson - torch| on the output with lengths: {np.abs(ours - theirs).max():.1e}")

    chosen = {key: SETUP + "\n" + source for key, source in CANDIDATES.items()
              if args.backward or not key[0].startswith("forward + backward")}
    found = isolated_times({" | ".join(key): source for key, source in chosen.items()},
                           threads=args.threads, calls=args.calls, rounds=args.rounds)
    for what in dict.fromkeys(key[0] for key in chosen):
        ours, theirs = (found[f"{what} | {side}"]["best"] for side in ("gru_lesson", "torch"))
        print(f"{what + ':':29s} gru_lesson {ours * 1e3:7.2f} ms   torch {theirs * 1e3:7.2f} ms   "
              f"ratio {ours / theirs:.2f}{NOTES[what]}")


if __name__ == "__main__":
    main()

"""gru_lesson.GRU against torch.nn.GRU on the CPU: forward, and forward + backward, each side alone.

    python benchmarks/gru_vs_torch.py [--threads 2] [--calls 30] [--rounds 3] [--reset-before]

Each candidate runs in a fresh process of its own (`gru_lesson.lab.timing.isolated_times`), with
the same number of threads for NumPy's BLAS and torch, a few warm-up calls, then `--calls` timed
calls; the processes alternate for `--rounds` rounds. Timing both sides in one process would be
unfair: after a NumPy call OpenBLAS's worker threads keep spinning and slow whatever runs next.
`make bench` runs it with OpenBLAS free to pick its own kernel. float32, N=32, T=100, I=H=128.
Targets: forward ratio <= 1.0; forward + backward ratio <= 0.8, where torch's backward is autograd
of sum(output * grad_output) with the input's gradient, as gru_lesson's backward computes it.

A third candidate times the forward's matrix products alone, with NumPy, laid out as the forward without
a tape computes them (gate-major): W x_t for all steps in one product, (3H, I) @ (I, T*N), then one
(3H, H) @ (H, N) product per step, and nothing else. No NumPy forward can be faster
than that floor, so when the floor itself is not below torch's whole forward, a forward ratio <= 1.0
is out of reach with this BLAS, whatever the elementwise code does.
"""

from __future__ import annotations

import argparse
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), ".."))
from gru_lesson.lab.timing import isolated_times, limit_threads, machine_description  # noqa: E402

parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
parser.add_argument("--threads", type=int, default=2)
parser.add_argument("--calls", type=int, default=30)
parser.add_argument("--rounds", type=int, default=3)
parser.add_argument("--reset-before", action="store_true", help="time the reset-before form (forward only)")
args = parser.parse_args()

N, T, I, H = 32, 100, 128, 128
# What every candidate's process builds before timing: the same module, weights and data.
SETUP = f"""
import numpy as np, torch
from gru_lesson import GRU
torch.manual_seed(0)
module = torch.nn.GRU({I}, {H})
gru = GRU.from_torch(module, reset_after={not args.reset_before})
rng = np.random.default_rng(0)
x = rng.standard_normal(({T}, {N}, {I}), dtype=np.float32)
grad_output = rng.standard_normal(({T}, {N}, {H}), dtype=np.float32)
x_t, grad_output_t = torch.from_numpy(x), torch.from_numpy(grad_output)
"""
# the forward's products and nothing else, laid out as the forward without a tape has them (gate-major,
# `direction.direction_inference`); h is a typical state: the values do not change a product's speed
PRODUCTS = f"""
W = module.weight_ih_l0.detach().numpy()
U_all = module.weight_hh_l0.detach().numpy()
h = np.tanh(rng.standard_normal(({H}, {N}), dtype=np.float32))
x_columns = x.reshape({T * N}, {I}).T
def run():
    W @ x_columns
    for t in range({T}):
        U_all @ h
"""
CANDIDATES = {
    "gru_lesson forward": "def run():\n    gru(x, tape=False)\n",   # no tape: inference, as torch.inference_mode
    "NumPy products alone (floor)": PRODUCTS,
    "torch forward": "def run():\n    with torch.inference_mode():\n        module(x_t)\n",
    "gru_lesson forward + backward": "def run():\n    gru(x)\n    gru.backward(grad_output)\n",
    "torch forward + backward": ("def run():\n    module.zero_grad()\n    x_leaf = x_t.clone().requires_grad_(True)\n"
                                 "    output, _ = module(x_leaf)\n    (output * grad_output_t).sum().backward()\n"),
}
if args.reset_before:       # torch has no reset-before form: time gru_lesson's alone
    CANDIDATES = {"gru_lesson forward": CANDIDATES["gru_lesson forward"]}

with limit_threads(args.threads):       # the BLAS threads the candidates get, not this process's default
    print(machine_description())
form = "reset before U_h" if args.reset_before else "reset after U_h, torch's form"
print(f"float32, N={N}, T={T}, I={I}, H={H}, {args.threads} thread(s) each, {form}; each candidate alone in "
      f"its own process, {args.rounds} rounds of {args.calls} calls")
found = isolated_times({name: SETUP + body for name, body in CANDIDATES.items()},
                       threads=args.threads, calls=args.calls, rounds=args.rounds)
for name, result in found.items():
    print(f"{name:<30} best {result['best'] * 1e3:7.2f} ms   median {result['median'] * 1e3:7.2f} ms")
if "NumPy products alone (floor)" in found and "torch forward" in found:
    floor, theirs = found["NumPy products alone (floor)"], found["torch forward"]
    print(f"{'forward floor':<19} ratio products alone / torch forward: best {floor['best'] / theirs['best']:.2f}, "
          f"median {floor['median'] / theirs['median']:.2f} (the best any NumPy forward could do with this BLAS)")
for what, target in (("forward", 1.0), ("forward + backward", 0.8)):
    if f"torch {what}" in found:
        ours, theirs = found[f"gru_lesson {what}"], found[f"torch {what}"]
        print(f"{what:<19} ratio gru_lesson / torch: best {ours['best'] / theirs['best']:.2f}, "
              f"median {ours['median'] / theirs['median']:.2f} (target <= {target})")

"""gru_lesson.GRU against torch.nn.GRU on the CPU: forward, and forward + backward, in one run.

    python benchmarks/gru_vs_torch.py [--threads 2] [--repeats 30] [--reset-before]

Both get the same number of CPU threads (torch.set_num_threads; NumPy's BLAS through
threadpoolctl). `make bench` runs it with OpenBLAS free to pick its own kernel. Each measurement
alternates gru_lesson and torch call by call (interleaved, so both see the same machine) and keeps
the best of `repeats`. float32, N=32, T=100, I=H=128. Targets: forward ratio <= 1.0; forward +
backward ratio <= 0.8, where torch's backward is autograd of sum(output * grad_output).
"""

from __future__ import annotations

import argparse
import os
import sys

parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
parser.add_argument("--threads", type=int, default=2)
parser.add_argument("--repeats", type=int, default=30)
parser.add_argument("--reset-before", action="store_true", help="time the reset-before form (forward only)")
args = parser.parse_args()
for var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[var] = str(args.threads)

import numpy as np  # noqa: E402  (after the thread settings)
import torch  # noqa: E402
from threadpoolctl import threadpool_info, threadpool_limits  # noqa: E402

sys.path.insert(0, os.path.join(os.path.dirname(__file__), ".."))
from gru_lesson import GRU  # noqa: E402
from gru_lesson.lab.timing import interleaved_best  # noqa: E402

N, T, I, H = 32, 100, 128, 128
torch.manual_seed(0)
torch.set_num_threads(args.threads)
module = torch.nn.GRU(I, H)                                 # float32
gru = GRU.from_torch(module, reset_after=not args.reset_before)
rng = np.random.default_rng(0)
x = rng.standard_normal((T, N, I), dtype=np.float32)
grad_output = rng.standard_normal((T, N, H), dtype=np.float32)
x_t, grad_output_t = torch.from_numpy(x), torch.from_numpy(grad_output)


def torch_forward():
    with torch.inference_mode():
        module(x_t)


def torch_forward_backward():
    module.zero_grad()
    x_leaf = x_t.clone().requires_grad_(True)
    output, _ = module(x_leaf)
    (output * grad_output_t).sum().backward()


def ours_forward_backward():
    gru(x)
    gru.backward(grad_output)


def best_of_interleaved(ours, theirs) -> tuple[float, float]:
    best = interleaved_best({"ours": ours, "theirs": theirs}, args.repeats)
    return best["ours"], best["theirs"]


with threadpool_limits(args.threads):
    blas = [f"{i['internal_api']} {i.get('architecture', '')} ({i['num_threads']} threads)"
            for i in threadpool_info() if i["user_api"] == "blas"]
    print(f"NumPy {np.__version__} with {', '.join(blas)}; torch {torch.__version__}")
    form = "reset before U_h" if args.reset_before else "reset after U_h, torch's form"
    print(f"float32, N={N}, T={T}, I={I}, H={H}, {args.threads} threads, {form}, best of {args.repeats}")
    if not args.reset_before:
        with torch.inference_mode():
            err = np.abs(gru(x)[0] - module(x_t)[0].numpy()).max()
        print(f"max |gru_lesson - torch| on the output: {err:.1e}")
    ours, theirs = best_of_interleaved(lambda: gru(x), torch_forward)
    print(f"forward:            gru_lesson {ours * 1e3:6.2f} ms   torch {theirs * 1e3:6.2f} ms   "
          f"ratio {ours / theirs:.2f} (target <= 1.0)")
    if not args.reset_before:
        ours, theirs = best_of_interleaved(ours_forward_backward, torch_forward_backward)
        print(f"forward + backward: gru_lesson {ours * 1e3:6.2f} ms   torch {theirs * 1e3:6.2f} ms   "
              f"ratio {ours / theirs:.2f} (target <= 0.8)")

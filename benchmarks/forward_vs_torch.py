"""Forward time of gru_lesson.GRU against torch.nn.GRU, measured in one run on this machine.

    python benchmarks/forward_vs_torch.py [--threads 2] [--repeats 30]

Both get the same number of CPU threads (torch.set_num_threads; NumPy's BLAS through
threadpoolctl). `make bench` runs it with OpenBLAS free to pick its own kernel. The two are timed interleaved, best of `repeats`, float32, N=32, T=100, I=H=128.
Prints the ratio gru_lesson / torch; the target is <= 1.0.
"""

from __future__ import annotations

import argparse
import os
import sys
import time

parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
parser.add_argument("--threads", type=int, default=2)
parser.add_argument("--repeats", type=int, default=30)
parser.add_argument("--reset-before", action="store_true", help="time the reset-before form instead")
args = parser.parse_args()
for var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[var] = str(args.threads)

import numpy as np  # noqa: E402  (after the thread settings)
import torch  # noqa: E402
from threadpoolctl import threadpool_info, threadpool_limits  # noqa: E402

sys.path.insert(0, os.path.join(os.path.dirname(__file__), ".."))
from gru_lesson import GRU  # noqa: E402

N, T, I, H = 32, 100, 128, 128
torch.manual_seed(0)
torch.set_num_threads(args.threads)
module = torch.nn.GRU(I, H)                                # float32
gru = GRU.from_torch(module, reset_after=not args.reset_before)
x = np.random.default_rng(0).standard_normal((T, N, I), dtype=np.float32)
x_t = torch.from_numpy(x)


def best_of(fn, repeats: int) -> float:
    fn()                                                   # warm-up
    return min(_timed(fn) for _ in range(repeats))


def _timed(fn) -> float:
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


with torch.inference_mode(), threadpool_limits(args.threads):
    ours, theirs = [], []
    for _ in range(args.repeats):                          # interleaved, so both see the same machine
        ours.append(best_of(lambda: gru(x), 1))
        theirs.append(best_of(lambda: module(x_t), 1))
    t_ours, t_torch = min(ours), min(theirs)
    if not args.reset_before:
        err = np.abs(gru(x)[0] - module(x_t)[0].numpy()).max()
        print(f"max |gru_lesson - torch| on the output: {err:.1e}")

form = "reset before U_h" if args.reset_before else "reset after U_h, torch's form"
blas = [f"{i['internal_api']} {i.get('architecture', '')} ({i['num_threads']} threads)" for i in threadpool_info()
        if i["user_api"] == "blas"]
print(f"NumPy {np.__version__} with {', '.join(blas)}; torch {torch.__version__}")
print(f"float32, N={N}, T={T}, I={I}, H={H}, {args.threads} threads, {form}")
print(f"gru_lesson.GRU forward: {t_ours * 1e3:7.2f} ms (best of {args.repeats})")
print(f"torch.nn.GRU forward:   {t_torch * 1e3:7.2f} ms (best of {args.repeats})")
print(f"ratio gru_lesson / torch: {t_ours / t_torch:.2f} (target <= 1.0)")

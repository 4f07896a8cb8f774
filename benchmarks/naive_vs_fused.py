"""The naive per-gate GRU loop against the fused layer, gru_lesson.GRU, in one run.

    python benchmarks/naive_vs_fused.py [--threads 1] [--repeats 5] [--T 50] [--batch 1 32] [--hidden 16 64 256] [--dtype float32]

naive: the cell of chapters 2-4 in a Python loop, gru_lesson.cell.gru_cell with the notes' per-gate
matrices (gru.gates()): six small matrix products per step, W_r x_t, W_z x_t, W_h x_t, U_r h, U_z h, U_h h.
fused: gru_lesson.GRU itself. W x_t for all T steps is one product before the loop, and the three
recurrent products are one (N, H) @ (H, 3H) product per step (torch's reset-after form).

The defaults are the measurements of chapter 13 (which takes the best of 3, not 5).

Both compute the same function (torch's reset-after candidate and update convention); that is
checked first, in float64, to 1e-10 for every size. Then each size is timed interleaved call by
call (gru_lesson.lab.timing.interleaved_best, best of `repeats`), I = H, and the fused layer's speed-up
is printed: naive time ÷ fused time (above 1: the fused layer was faster). `make bench`-style:
    env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE .venv/bin/python benchmarks/naive_vs_fused.py
"""

from __future__ import annotations

import argparse
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))

import numpy as np  # noqa: E402

from gru_lesson import GRU, gru_sequence  # noqa: E402
from gru_lesson.lab.timing import interleaved_best, limit_threads, machine_description  # noqa: E402

parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
parser.add_argument("--threads", type=int, default=1, help="threads for NumPy's BLAS (default 1)")
parser.add_argument("--repeats", type=int, default=5)
parser.add_argument("--T", type=int, default=50, help="time steps")
parser.add_argument("--batch", type=int, nargs="+", default=[1, 32], help="values of N")
parser.add_argument("--hidden", type=int, nargs="+", default=[16, 64, 256], help="values of H (= I)")
parser.add_argument("--dtype", choices=["float32", "float64"], default="float32")
args = parser.parse_args()


def naive_forward(gru: GRU, x: np.ndarray) -> np.ndarray:
    """h_1 ... h_T from one gru_cell call per step (`gru_sequence`). x (T, N, I) -> (T, N, H)."""
    h0 = np.zeros((x.shape[1], gru.hidden_size), x.dtype)               # (N, H)
    return gru_sequence(x, h0, gru.gates(), reset_after=gru.reset_after, update=gru.update)


rng = np.random.default_rng(0)
dtype = np.dtype(args.dtype)
with limit_threads(args.threads):
    print(machine_description())
    print(f"{args.dtype}, T = {args.T}, I = H, {args.threads} thread(s), best of {args.repeats}, interleaved")

    same = True
    for N in args.batch:
        for H in args.hidden:
            gru = GRU(H, H, seed=H)
            x = rng.standard_normal((args.T, N, H))
            same &= bool(np.abs(naive_forward(gru, x) - gru(x)[0]).max() <= 1e-10)
    print(f"naive loop == fused layer in float64 (<= 1e-10) for every size: {same}\n")

    print(f"{'N':>4} {'H':>5}   {'naive':>10}  {'fused':>10}   speed-up of the fused layer (naive ÷ fused)")
    for N in args.batch:
        for H in args.hidden:
            gru = GRU(H, H, seed=H, dtype=dtype)
            x = rng.standard_normal((args.T, N, H)).astype(dtype)
            best = interleaved_best({"naive": lambda: naive_forward(gru, x), "fused": lambda: gru(x)}, args.repeats)
            print(f"{N:>4} {H:>5}   {best['naive'] * 1e3:7.2f} ms  {best['fused'] * 1e3:7.2f} ms   "
                  f"{best['naive'] / best['fused']:.2f}")

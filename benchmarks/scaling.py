"""What one time step of gru_lesson.GRU costs as N and H grow, in float64 and float32, in one run.

    python benchmarks/scaling.py [--threads 1] [--repeats 5] [--batch 1 16 256] [--hidden 16 32 64 128 256 512] [--T T]

The defaults are the measurements of chapter 13 (which takes the best of 3, not 5).

For each batch size N and hidden size H (I = H) it measures the cost of one step of the fused layer,
(time of T steps − time of 1 step) / (T − 1) (gru_lesson.lab.timing.per_step_best: what a call pays once
cancels; T = 100 for N ≤ 20, fewer for larger batches, at least 10), and the cost of the same
step's matrix products alone (the input product x W^T for all steps, then h @ U for each step, as
the layer does them), float64 and float32, all four interleaved call by call, best of `repeats`.
It prints:
    1. the time per step, µs, for each dtype, and what the matrix products take of it;
    2. float32's speed-up over float64 (float64 time ÷ float32 time), for the whole step.
A step of a small layer costs a floor of Python and NumPy call overhead (the time of the smallest
layer; about 30 NumPy calls per step); a large layer's step is its matrix products.
`make bench`-style:
    env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE .venv/bin/python benchmarks/scaling.py
"""

from __future__ import annotations

import argparse
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))

import numpy as np  # noqa: E402

from gru_lesson import GRU  # noqa: E402
from gru_lesson.lab.timing import interleaved_best, limit_threads, machine_description, per_step_best  # noqa: E402

parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
parser.add_argument("--threads", type=int, default=1, help="threads for NumPy's BLAS (default 1)")
parser.add_argument("--repeats", type=int, default=5)
parser.add_argument("--batch", type=int, nargs="+", default=[1, 16, 256], help="values of N")
parser.add_argument("--hidden", type=int, nargs="+", default=[16, 32, 64, 128, 256, 512], help="values of H (= I)")
parser.add_argument("--T", type=int, default=None,
                    help="steps of the long call (the short one has 1); default min(100, max(10, 2000 // N))")
args = parser.parse_args()

rng = np.random.default_rng(0)
with limit_threads(args.threads):
    print(machine_description())
    steps = {N: args.T or min(100, max(10, 2000 // N)) for N in args.batch}
    print(f"I = H, T = {', '.join(f'{T} (N = {N})' for N, T in steps.items())} and 1, "
          f"{args.threads} thread(s), best of {args.repeats}, interleaved\n")

    per_step = {}                                                      # (N, H) -> {(what, dtype): seconds per step}
    for N in args.batch:
        for H in args.hidden:
            fns = {}
            for dt in ("float64", "float32"):
                gru = GRU(H, H, seed=0, dtype=dt)
                x = rng.standard_normal((steps[N], N, H)).astype(dt)              # (T, N, I)
                h = rng.standard_normal((N, H)).astype(dt)                          # (N, H)
                W_t = np.ascontiguousarray(gru.params["weight_ih_l0"].T)            # (I, 3H)
                U_t = np.ascontiguousarray(gru.params["weight_hh_l0"].T)            # (H, 3H)

                def products(T, x=x, h=h, W_t=W_t, U_t=U_t):
                    x[:T].reshape(T * N, H) @ W_t                                    # (T*N, 3H): all input products
                    for _ in range(T):
                        h @ U_t                                                      # (N, 3H): one step's recurrent products

                fns["step", dt] = lambda T, gru=gru, x=x: gru(x[:T])
                fns["products", dt] = products
            per_step[N, H] = per_step_best(fns, steps[N], args.repeats)

    for dt in ("float64", "float32"):
        print(f"1. time per step, µs, {dt}: whole step / its matrix products alone")
        print(f"{'N':>6} " + "".join(f"{f'H={H}':>16}" for H in args.hidden))
        for N in args.batch:
            print(f"{N:>6} " + "".join(f"{per_step[N, H]['step', dt] * 1e6:9.1f} /{per_step[N, H]['products', dt] * 1e6:5.0f}"
                                       for H in args.hidden))
        print()
    print("2. float32's speed-up over float64 (float64 time ÷ float32 time), whole step")
    print(f"{'N':>6} " + "".join(f"{f'H={H}':>10}" for H in args.hidden))
    for N in args.batch:
        print(f"{N:>6} " + "".join(f"{per_step[N, H]['step', 'float64'] / per_step[N, H]['step', 'float32']:10.2f}"
                                   for H in args.hidden))
    tiny = np.ones(1)
    add = interleaved_best({"a + b": lambda: tiny + tiny}, args.repeats, number=1000)["a + b"]
    floor = min(v["step", "float64"] for v in per_step.values())
    print(f"\nfloor: the cheapest step took {floor * 1e6:.1f} µs; one NumPy call on a 1-element array takes "
          f"{add * 1e6:.2f} µs, so the floor is the cost of about {floor / add:.0f} such calls")

"""minGRU: the log-space parallel scan against the sequential loop, across T and layer sizes, in one run.

    python benchmarks/min_gru_scan_vs_loop.py [--threads 1] [--repeats 5] [--sizes 4x16]
        [--T 16 64 256 1024 4096 8192] [--sweep-T 1024] [--sweep-sizes 1x1 1x4 1x16 4x16 4x64 16x64]
        [--device cpu|cuda]

The defaults are the measurements of chapter 13, section 5 (which takes the best of 3, not 5).

On the CPU (the default) it times four candidates, float32, interleaved call by call (best of
`repeats`, gru_lesson.lab.timing.interleaved_best), all on `--threads` threads:
    NumPy  MinGRU.loop (one step per t)   vs  MinGRU.scan (np.cumsum, np.logaddexp.accumulate)
    torch  TorchMinGRU.loop (a Python loop of torch ops)  vs  TorchMinGRU.scan (torch.logcumsumexp)
With --device cuda (when torch.cuda.is_available()) it times the two torch candidates on the GPU,
synchronising before each clock reading; NumPy has no GPU and is left out.

It first checks that scan and loop compute the same function (float64, max |difference| <= 1e-10)
on the chosen device, then prints two tables:
    1. for each size N x H in --sizes: the times across T and the scan's speed-up, loop time ÷ scan time;
    2. at T = --sweep-T, the speed-up across layer sizes N x H (the work in one step is N·H numbers).
A speed-up above 1 means the scan was faster. Inference only (no autograd). `make bench`-style:
    env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE .venv/bin/python benchmarks/min_gru_scan_vs_loop.py
"""

from __future__ import annotations

import argparse
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))

import numpy as np  # noqa: E402
import torch  # noqa: E402

from gru_lesson.min_gru import MinGRU  # noqa: E402
from gru_lesson.lab.min_gru_torch import TorchMinGRU  # noqa: E402
from gru_lesson.lab.timing import interleaved_best, limit_threads, machine_description  # noqa: E402


def size(text: str) -> tuple[int, int]:
    """ "4x16" -> (N, H) = (4, 16)."""
    n, h = text.lower().split("x")
    return int(n), int(h)


parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
parser.add_argument("--threads", type=int, default=1, help="CPU threads for NumPy's BLAS and torch (default 1)")
parser.add_argument("--repeats", type=int, default=5)
parser.add_argument("--sizes", type=size, nargs="+", default=[(4, 16)], help="N x H for the sweep across T")
parser.add_argument("--T", type=int, nargs="+", default=[16, 64, 256, 1024, 4096, 8192])
parser.add_argument("--sweep-T", type=int, default=1024, help="T for the sweep across sizes")
parser.add_argument("--sweep-sizes", type=size, nargs="*",
                    default=[(1, 1), (1, 4), (1, 16), (4, 16), (4, 64), (16, 64)])
parser.add_argument("--device", choices=["cpu", "cuda"], default="cpu")
args = parser.parse_args()
if args.device == "cuda" and not torch.cuda.is_available():
    sys.exit("--device cuda: torch.cuda.is_available() is False on this machine")
device = torch.device(args.device)
synchronize = torch.cuda.synchronize if args.device == "cuda" else None
torch.manual_seed(0)
rng = np.random.default_rng(0)


def candidates(N: int, H: int, T: int) -> dict[str, object]:
    """The functions to time for one size and length: a MinGRU (I = H) and its torch twin, float32."""
    m = MinGRU(H, H, seed=0, dtype=np.float32)
    twin = TorchMinGRU.from_numpy(m, device=device)
    x = rng.standard_normal((T, N, H), dtype=np.float32)                  # (T, N, I)
    x_t = torch.from_numpy(x).to(device)
    fns = {"torch loop": lambda: twin.loop(x_t), "torch scan": lambda: twin.scan(x_t)}
    if args.device == "cpu":
        fns = {"numpy loop": lambda: m.loop(x), "numpy scan": lambda: m.scan(x), **fns}
    return fns


def speedups(best: dict[str, float]) -> dict[str, float]:
    """loop time ÷ scan time for each library among the candidates."""
    return {lib: best[f"{lib} loop"] / best[f"{lib} scan"] for lib in ("numpy", "torch") if f"{lib} loop" in best}


with limit_threads(args.threads), torch.inference_mode():
    where = torch.cuda.get_device_name() if args.device == "cuda" else f"CPU, {args.threads} thread(s)"
    print(machine_description())
    print(f"device: {where}; float32; best of {args.repeats}, interleaved; speed-up = loop time ÷ scan time")

    same = True
    for T in (1, 64, 4096):                                               # correctness first, float64
        m = MinGRU(8, 8, seed=T)
        x = rng.standard_normal((T, 3, 8))
        h0 = rng.uniform(0, 2, (3, 8))
        twin = TorchMinGRU.from_numpy(m, device=device)
        x_t, h0_t = torch.from_numpy(x).to(device), torch.from_numpy(h0).to(device)
        reference = m.loop(x, h0)
        results = [twin.scan(x_t, h0_t).cpu().numpy(), twin.loop(x_t, h0_t).cpu().numpy()]
        if args.device == "cpu":
            results.append(m.scan(x, h0))
        same &= all(r.shape == reference.shape and np.abs(r - reference).max() <= 1e-10 for r in results)
    print(f"scan == loop in float64 (<= 1e-10) for T = 1, 64, 4096: {same}")

    for N, H in args.sizes:
        print(f"\n1. across T, N = {N}, H = I = {H} (N·H = {N * H} numbers per step)")
        names = list(candidates(N, H, 2))
        print(f"{'T':>6}  " + "  ".join(f"{n:>11}" for n in names) + "   speed-up of the scan")
        for T in args.T:
            best = interleaved_best(candidates(N, H, T), args.repeats, synchronize=synchronize)
            ups = "   ".join(f"{lib} {s:7.2f}" for lib, s in speedups(best).items())
            print(f"{T:>6}  " + "  ".join(f"{best[n] * 1e3:8.2f} ms" for n in names) + f"   {ups}")

    print(f"\n2. across layer sizes, T = {args.sweep_T}")
    print(f"{'N x H':>9} {'N·H':>6}   speed-up of the scan")
    for N, H in args.sweep_sizes:
        best = interleaved_best(candidates(N, H, args.sweep_T), args.repeats, synchronize=synchronize)
        ups = "   ".join(f"{lib} {s:7.2f}" for lib, s in speedups(best).items())
        print(f"{f'{N} x {H}':>9} {N * H:>6}   {ups}")

"""gru_lesson.GRU against torch.nn.GRU across sizes, each library alone in its own process; with GFLOP/s.

    python benchmarks/gru_vs_torch_sizes.py [--threads 2] [--rounds 2] [--out benchmarks/results/gru_vs_torch_sizes.json]
                                            [--figure book/figures/gru_vs_torch_sizes.png]

float32, T = 100, I = H, for H in 32, 128, 512 and N in 1, 32, 128: the forward pass (gru_lesson without a
tape, torch under inference_mode) and forward + backward (the input's gradient included on both sides, as
in benchmarks/gru_vs_torch.py). Each library runs every size in a fresh process of its own, with the same
thread count; the processes alternate for --rounds rounds, and each time kept is the best of all calls.

GFLOP/s counts the matrix products only: 3·T·N·H·(I + H) multiply-adds, 2 flops each, for the forward
pass (W x for all steps, U h at each step) and 3 times that for forward + backward (δh through U at each step, δW, δU
and δx after the loop). The same products timed alone in NumPy give the rate this machine's BLAS reaches
on them: a ceiling for the forward. They are laid out as the forward without a tape computes them
(`direction.direction_inference`, gate-major): one (3H, I) @ (I, T·N), then T of (3H, H) @ (H, N).
It prints a Markdown table for book/performance.md and draws the figure shown there.
"""

from __future__ import annotations

import argparse
import datetime
import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
from gru_lesson.lab.timing import blas_description, child_environment, machine_record  # noqa: E402

T = 100
HS, NS = (32, 128, 512), (1, 32, 128)

# Run in a child process: every size, for one library, printed as JSON {"N,H": {"forward": s, "forward + backward": s}}.
CHILD = """
import json, sys, time
import numpy as np, torch
from threadpoolctl import threadpool_limits
library, threads, T, HS, NS = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), json.loads(sys.argv[4]), json.loads(sys.argv[5])
torch.set_num_threads(threads)
threadpool_limits(threads)
from gru_lesson import GRU


def best(run, budget=0.4, at_least=3, at_most=20):
    run()                                                    # warm-up
    times = []
    while len(times) < at_least or (sum(times) < budget and len(times) < at_most):
        start = time.perf_counter()
        run()
        times.append(time.perf_counter() - start)
    return min(times)


found = {}
for H in HS:
    for N in NS:
        torch.manual_seed(0)
        module = torch.nn.GRU(H, H)
        rng = np.random.default_rng(0)
        x = rng.standard_normal((T, N, H), dtype=np.float32)
        grad_output = rng.standard_normal((T, N, H), dtype=np.float32)
        if library == "gru_lesson":
            gru = GRU.from_torch(module)
            forward = lambda: gru(x, tape=False)
            def both():
                gru(x)
                gru.backward(grad_output)
        elif library == "torch":
            x_t, g_t = torch.from_numpy(x), torch.from_numpy(grad_output)
            def forward():
                with torch.inference_mode():
                    module(x_t)
            def both():
                module.zero_grad()
                x_leaf = x_t.clone().requires_grad_(True)
                output, _ = module(x_leaf)
                (output * g_t).sum().backward()
        else:                                   # the forward's matrix products alone, in NumPy, laid out
            W = rng.standard_normal((3 * H, H), dtype=np.float32)        # gate-major as direction_inference
            U = rng.standard_normal((3 * H, H), dtype=np.float32)        # has them
            h = rng.standard_normal((H, N), dtype=np.float32)
            x_columns = x.reshape(T * N, H).T                              # (I, T·N)
            def forward():
                W @ x_columns
                for _ in range(T):
                    U @ h
            both = None
        found[f"{N},{H}"] = {"forward": best(forward), **({"forward + backward": best(both)} if both else {})}
print(json.dumps(found))
"""


def run_library(library: str, threads: int) -> dict[str, dict[str, float]]:
    env = child_environment(threads)
    child = subprocess.run([sys.executable, "-c", CHILD, library, str(threads), str(T), json.dumps(HS), json.dumps(NS)],
                           capture_output=True, text=True, env=env)
    if child.returncode != 0:
        raise RuntimeError(f"{library} failed in its own process:\n{child.stderr[-2000:]}")
    return json.loads(child.stdout.strip().splitlines()[-1])


def flops(N: int, H: int, what: str) -> float:
    forward = 2 * 3 * T * N * H * (H + H)                    # 3·T·N·H·(I + H) multiply-adds, 2 flops each; I = H
    return forward if what == "forward" else 3 * forward


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--out", type=Path, default=ROOT / "benchmarks" / "results" / "gru_vs_torch_sizes.json")
    parser.add_argument("--figure", type=Path, default=ROOT / "book" / "figures" / "gru_vs_torch_sizes.png")
    parser.add_argument("--draw-only", action="store_true", help="draw the figure from the stored --out file, measure nothing")
    args = parser.parse_args()
    if args.draw_only:
        stored = json.loads(args.out.read_text())
        draw(stored["best"], stored["threads"], args.figure)
        return
    import numpy  # noqa: F401  (machine_record and blas_description read it)
    import torch  # noqa: F401

    best: dict[str, dict[str, dict[str, float]]] = {}
    for _ in range(args.rounds):
        for library in ("gru_lesson", "torch", "products alone"):
            for size, times in run_library(library, args.threads).items():
                kept = best.setdefault(library, {}).setdefault(size, {})
                for what, seconds in times.items():
                    kept[what] = min(kept.get(what, seconds), seconds)
    result = {"what": f"float32, T={T}, I=H; best time in seconds of each library alone in its own process",
              "date": datetime.date.today().isoformat(), "threads": args.threads, "rounds": args.rounds,
              "machine": {**machine_record(), "blas": blas_description().rsplit(",", 1)[0]}, "best": best}
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(result, indent=1) + "\n")

    print(f"{args.threads} thread(s); ratio = gru_lesson ÷ torch (below 1: gru_lesson faster); GFLOP/s of the matrix products")
    print("| N | H | forward ratio | forward + backward ratio | forward GFLOP/s: gru_lesson, torch, products alone | "
          "forward + backward GFLOP/s: gru_lesson, torch |")
    print("|---:|---:|---:|---:|---:|---:|")
    for H in HS:
        for N in NS:
            size = f"{N},{H}"
            ours, theirs, alone = best["gru_lesson"][size], best["torch"][size], best["products alone"][size]
            rate = lambda t, what: flops(N, H, what) / t / 1e9  # noqa: E731
            print(f"| {N} | {H} | {ours['forward'] / theirs['forward']:.2f} | "
                  f"{ours['forward + backward'] / theirs['forward + backward']:.2f} | "
                  f"{rate(ours['forward'], 'forward'):.1f}, {rate(theirs['forward'], 'forward'):.1f}, "
                  f"{rate(alone['forward'], 'forward'):.1f} | {rate(ours['forward + backward'], 'both'):.1f}, "
                  f"{rate(theirs['forward + backward'], 'both'):.1f} |")
    draw(best, args.threads, args.figure)
    print(f"written: {args.out}, {args.figure}")


def draw(best, threads: int, figure: Path) -> None:
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    # two panels one above the other, so that the text stays legible on a phone's narrow column
    fig, axes = plt.subplots(2, 1, figsize=(4.6, 5.8), sharex=True, layout="constrained")
    for ax, what in zip(axes, ("forward", "forward + backward")):
        for N, marker in zip(NS, "os^"):
            ratios = [best["gru_lesson"][f"{N},{H}"][what] / best["torch"][f"{N},{H}"][what] for H in HS]
            ax.plot(HS, ratios, marker=marker, label=f"N = {N}")
        ax.axhline(1, color="#000000", lw=0.8)
        ax.set_xscale("log", base=2)
        ax.set_xticks(HS, [str(H) for H in HS])
        ax.set_title(f"{what}, {threads} thread(s)", fontsize=12)
        ax.set_ylabel("gru_lesson ÷ torch", fontsize=11)
        ax.tick_params(labelsize=10)
    axes[1].set_xlabel("H (= I); T = 100, float32", fontsize=11)
    axes[0].legend(fontsize=10)
    figure.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(figure, dpi=150)


if __name__ == "__main__":
    main()

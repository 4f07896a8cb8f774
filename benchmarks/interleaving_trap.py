"""The trap of timing two libraries in one process: gru_lesson against torch.nn.GRU, measured both ways.

    python benchmarks/interleaving_trap.py [--calls 30] [--rounds 3] [--out benchmarks/results/interleaving_trap.json]

The comparison of `benchmarks/gru_vs_torch.py` (forward, float32, N=32, T=100, I=H=128; gru_lesson
without a tape against torch under inference_mode), at 1 and at 2 threads, measured two ways:

- interleaved: both in one process, called by turns (`gru_lesson.lab.timing.interleaved_times`),
  the method chapter 13 uses for candidates from one library;
- isolated: each alone in a fresh process of its own (`gru_lesson.lab.timing.isolated_times`),
  the processes alternating.

After a multithreaded NumPy call, OpenBLAS's worker threads keep spinning for a while in case more
work comes, and take the cores from whatever the process runs next: torch, when the two alternate.
With one thread there are no workers to spin. Chapter 13 prints the stored file; `make bench` runs
gru_vs_torch.py, the isolated measurement alone.
"""

from __future__ import annotations

import argparse
import datetime
import json
import statistics
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
from gru_lesson.lab.timing import blas_description, child_environment, isolated_times, machine_record  # noqa: E402

N, T, I, H = 32, 100, 128, 128
SETUP = f"""
import numpy as np, torch
from gru_lesson import GRU
torch.manual_seed(0)
module = torch.nn.GRU({I}, {H})
gru = GRU.from_torch(module)
x = np.random.default_rng(0).standard_normal(({T}, {N}, {I}), dtype=np.float32)
x_t = torch.from_numpy(x)
def run_gru_lesson():
    gru(x, tape=False)
def run_torch():
    with torch.inference_mode():
        module(x_t)
"""
CANDIDATES = {"gru_lesson": SETUP + "def run():\n    run_gru_lesson()\n",
              "torch": SETUP + "def run():\n    run_torch()\n"}
# Both in one process, by turns: what the interleaved method does. Printed as JSON.
INTERLEAVED = SETUP + """
import json, sys
from gru_lesson.lab.timing import interleaved_times
threads, calls = int(sys.argv[1]), int(sys.argv[2])
torch.set_num_threads(threads)
print(json.dumps(interleaved_times({"gru_lesson": run_gru_lesson, "torch": run_torch}, calls, warmup=3)))
"""


def summary(times: list[float]) -> dict[str, float]:
    return {"best_ms": round(min(times) * 1e3, 3), "median_ms": round(statistics.median(times) * 1e3, 3)}


def interleaved(threads: int, calls: int, rounds: int) -> dict[str, dict[str, float]]:
    env = child_environment(threads)
    times: dict[str, list[float]] = {"gru_lesson": [], "torch": []}
    for _ in range(rounds):
        child = subprocess.run([sys.executable, "-c", INTERLEAVED, str(threads), str(calls)],
                               capture_output=True, text=True, env=env, check=True)
        for name, found in json.loads(child.stdout.strip().splitlines()[-1]).items():
            times[name] += found
    return {name: summary(t) for name, t in times.items()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--calls", type=int, default=30)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--out", type=Path, default=ROOT / "benchmarks" / "results" / "interleaving_trap.json")
    args = parser.parse_args()
    import numpy  # noqa: F401  (machine_record reads its version)
    import torch  # noqa: F401  (and torch's)

    result = {"what": f"forward, float32, N={N}, T={T}, I={I}, H={H}; gru_lesson GRU(x, tape=False), "
                      "torch.nn.GRU under inference_mode; times in ms, best and median of all calls",
              "date": datetime.date.today().isoformat(),
              "machine": {**machine_record(), "blas": blas_description().rsplit(",", 1)[0]},
              "calls": args.calls, "rounds": args.rounds, "threads": {}}
    for threads in (1, 2):
        isolated = isolated_times(CANDIDATES, threads=threads, calls=args.calls, rounds=args.rounds)
        found = {"interleaved": interleaved(threads, args.calls, args.rounds),
                 "isolated": {name: summary(r["times"]) for name, r in isolated.items()}}
        result["threads"][str(threads)] = found
        for method, sides in found.items():
            ratio = sides["gru_lesson"]["best_ms"] / sides["torch"]["best_ms"]
            print(f"{threads} thread(s), {method:<11}: gru_lesson {sides['gru_lesson']['best_ms']:6.2f} ms, "
                  f"torch {sides['torch']['best_ms']:6.2f} ms (best; medians {sides['gru_lesson']['median_ms']:.2f}, "
                  f"{sides['torch']['median_ms']:.2f}), ratio {ratio:.2f}")
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(result, indent=1) + "\n")
    print(f"written: {args.out.relative_to(ROOT) if args.out.is_relative_to(ROOT) else args.out}")


if __name__ == "__main__":
    main()

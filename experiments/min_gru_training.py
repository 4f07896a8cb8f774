"""Chapter 12's training runs: a GRU, a one-layer and a two-layer minGRU on the adding problem, three seeds each.

    python experiments/min_gru_training.py                        # the 9 runs, one process, one thread: about 40 s
    python experiments/min_gru_training.py --out /tmp/check.json  # the same runs, written elsewhere

It writes experiments/results/min_gru_training.json, which chapter 12 loads and plots (running 9 models
in the chapter took it past its 30 s budget). The protocol, exactly the one the chapter ran before:

    models     gru_lesson.lab.training.make_model(cell, 2, 16, num_layers=layers, seed=seed):
               "GRU" torch.nn.GRU(2, 16); "minGRU" TorchMinGRU(2, 16); "minGRU, 2 layers" TorchMinGRU(2, 16)
               then TorchMinGRU(16, 16); each read out by a torch.nn.Linear(16, 1) from the last state h_T
    task       the adding problem at T = 30 (gru_lesson.tasks.adding_problem); seed s trains on
               adding_problem(400 · 32, 30, seed=100 + s), the same batches for every model
    training   gru_lesson.lab.training.train: 400 steps of Adam, learning rate 0.02, batches of 32,
               gradients clipped to norm 1, float32
    seeds      0, 1, 2; seed s also fixes the initial weights (make_model's seed)
    recorded   per model: its parameter count and, per seed, the loss of every step (the batch's mean
               squared error before its update) and the CPU seconds; the machine, torch's version, the date

Every run uses one thread (torch.set_num_threads(1)) and is seeded, so it repeats to the last bit on the
same machine; tests/test_experiment_min_gru_training.py re-runs one and compares it with the file.
train() computes each loss in float32 (and returns it as float64); the file stores it as the shortest
decimal that reads back as the same float32 (8 or 9 significant digits), so
np.array(curve, dtype=np.float32) gives back exactly the numbers the run computed.
"""

from __future__ import annotations

import argparse
import datetime
import json
import sys
import time
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:                       # run from a clone without `pip install -e .`
    sys.path.insert(0, str(ROOT))

from gru_lesson.lab.timing import machine_record  # noqa: E402
from gru_lesson.tasks import adding_problem  # noqa: E402

RESULTS = ROOT / "experiments" / "results" / "min_gru_training.json"

MODELS = {"GRU": ("gru", 1), "minGRU": ("min_gru", 1), "minGRU, 2 layers": ("min_gru", 2)}   # name: (cell, layers)
INPUT_SIZE, HIDDEN_SIZE, LENGTH = 2, 16, 30
STEPS, BATCH_SIZE, LR, CLIP = 400, 32, 0.02, 1.0
SEEDS = (0, 1, 2)
DATA_SEED_OFFSET = 100


def default_config() -> dict[str, Any]:
    """The protocol as data: it is stored in the results, and a run is a function of it."""
    return {
        "task": "adding problem",
        "models": {name: {"cell": cell, "num_layers": layers} for name, (cell, layers) in MODELS.items()},
        "input_size": INPUT_SIZE,
        "hidden_size": HIDDEN_SIZE,
        "length": LENGTH,
        "steps": STEPS,
        "batch_size": BATCH_SIZE,
        "lr": LR,
        "clip": CLIP,
        "seeds": list(SEEDS),
        "data_seed_offset": DATA_SEED_OFFSET,
        "data": "seed s: adding_problem(steps * batch_size, length, seed=data_seed_offset + s), the same for every model",
        "dtype": "float32",
    }


def float32_decimal(value: float) -> float:
    """The shortest decimal that reads back as the same float32 as `value`."""
    return float(str(np.float32(value)))


def run_one(config: dict[str, Any], name: str, seed: int, steps: int | None = None) -> dict[str, Any]:
    """Train one model on one seed; the numbers the file stores for it.

    steps: None for the protocol's; fewer repeat the start of the run exactly (train() has no schedule,
    and step k reads only the batch rows [k·batch, (k+1)·batch)).
    Returns {"parameters": int, "losses": [float] (steps,), "cpu_s": float}.
    """
    import torch

    from gru_lesson.lab.training import make_model, train

    torch.set_num_threads(1)
    spec = config["models"][name]
    steps = config["steps"] if steps is None else steps
    x, y = adding_problem(config["steps"] * config["batch_size"], config["length"],
                          seed=config["data_seed_offset"] + seed)                         # (steps·N, T, 2), (steps·N, 1)
    cpu = time.process_time()
    model = make_model(spec["cell"], config["input_size"], config["hidden_size"], num_layers=spec["num_layers"], seed=seed)
    losses = train(model, x, y, steps=steps, batch_size=config["batch_size"], lr=config["lr"], clip=config["clip"])
    stored = [float32_decimal(v) for v in losses]
    assert np.array_equal(np.array(stored, dtype=np.float32), losses.astype(np.float32)), "a loss did not round-trip"
    return {"parameters": sum(p.numel() for p in model.parameters()),
            "losses": stored,
            "cpu_s": round(time.process_time() - cpu, 3)}


def machine() -> dict[str, Any]:
    import torch  # noqa: F401  (machine_record names torch's version once it is imported)

    return {**machine_record(), "torch_threads_per_run": 1}


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=RESULTS)
    args = parser.parse_args(argv)

    config = default_config()
    wall = time.perf_counter()
    models = {}
    for name in config["models"]:
        runs = {}
        for seed in config["seeds"]:
            runs[seed] = run_one(config, name, seed)
            print(f"{name:18} seed {seed}: final loss {np.mean(runs[seed]['losses'][-50:]):.4f} "
                  f"(mean of the last 50 steps), {runs[seed]['cpu_s']:.1f} s CPU", flush=True)
        sizes = {run["parameters"] for run in runs.values()}
        assert len(sizes) == 1, f"{name}: the seeds built models of different sizes {sizes}"
        models[name] = {"parameters": sizes.pop(),
                        "losses": [runs[s]["losses"] for s in config["seeds"]],     # (seeds, steps)
                        "cpu_s": [runs[s]["cpu_s"] for s in config["seeds"]]}
    result = {
        "config": config,
        "models": models,
        "machine": machine(),
        "total_cpu_s": round(sum(sum(m["cpu_s"]) for m in models.values()), 1),
        "wall_s": round(time.perf_counter() - wall, 1),
        "finished": datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds"),
    }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(result, indent=1) + "\n")
    print(f"wrote {args.out}: {sum(len(m['losses']) for m in models.values())} runs, "
          f"{result['total_cpu_s']:.0f} s of CPU", flush=True)


if __name__ == "__main__":
    main()

"""Chapter 15's experiment: Chung et al. (2014) put on trial. tanh-RNN, GRU and LSTM on the JSB chorales.

    python experiments/chorales.py                      # the whole protocol, 2 worker processes
    python experiments/chorales.py --workers 1          # the same numbers, one process

It writes experiments/results/chorales.json, and the weights of the GRU's selection run beside it
(chorales_gru.npz), which chapter 15 loads to draw, play and open up. The models and the training
loop are in gru_lesson/lab/next_chord.py (the chapter repeats a short run with them). The protocol:

    task       next-step prediction on piano rolls (gru_lesson.lab.chorales): read the chord x_t of
               step t, give each of the 88 keys a probability of sounding at step t + 1
    models     one recurrent layer, a linear readout, a sigmoid per key, at Chung et al.'s sizes
               (their Table 1, about 20k parameters): tanh-RNN 100 units, GRU 46, LSTM 36
    loss       the negative log-likelihood per predicted step in nats: the sum over the 88 keys of
               the binary cross-entropy, averaged over real (unpadded) steps
    training   next_chord.Protocol, the same for all: Adam, batches of 8 chorales in a seeded order,
               clipping to norm 1, weight noise (std 0.12 on every weight, anew for each batch), the
               learning rate times 0.3 after 8 epochs without a better validation NLL, at most 200
               epochs, early stopping 30 epochs after the best one, whose weights are tested
    lr         per model, the rate in LEARNING_RATES whose seed-0 run reaches the lowest validation NLL
    seeds      seeds 0, 1, 2 at that rate (seed 0 is the selection run, kept); seed s fixes the
               initial weights, the weight noise and the batch order

What differs from Chung et al.: they trained with RMSProp and weight noise, with their own learning
rates and noise level; here Adam, one noise level and a three-rate grid for every model.

Every run uses one torch thread and is seeded, so it repeats exactly on the same machine;
tests/test_experiment_chorales.py re-runs the short configuration recorded under "check" and
compares it with the file.
"""

from __future__ import annotations

import argparse
import datetime
import json
import multiprocessing
import platform
import sys
import time
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:                       # run from a clone without `pip install -e .`
    sys.path.insert(0, str(ROOT))

from gru_lesson.lab.chorales import load_chorales  # noqa: E402
from gru_lesson.lab.next_chord import HIDDEN, Protocol, make_model, train_run  # noqa: E402

RESULTS = ROOT / "experiments" / "results" / "chorales.json"

LEARNING_RATES = (0.003, 0.01, 0.03)
SEEDS = (0, 1, 2)
CHECK = {"model": "gru", "lr": 0.01, "seed": 0, "epochs": 6}   # the short run the chapter and the test repeat


def _job(args: tuple) -> tuple[str, dict[str, Any]]:
    model, lr, seed, protocol, keep = args
    return model, train_run(model, lr, seed, load_chorales(), protocol=protocol, keep_weights=keep)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--models", nargs="+", default=list(HIDDEN))
    parser.add_argument("--max-epochs", type=int, default=Protocol().max_epochs, help="a smaller pilot")
    parser.add_argument("--out", type=Path, default=RESULTS, help="the results file (the GRU's weights go beside it)")
    args = parser.parse_args()
    began = time.perf_counter()
    protocol = Protocol(max_epochs=args.max_epochs)
    with multiprocessing.get_context("spawn").Pool(args.workers) as pool:
        # 1. the learning rate per model, from seed 0's validation NLL (the GRU's weights are kept)
        grid = pool.map(_job, [(m, lr, 0, protocol, m == "gru") for m in args.models for lr in LEARNING_RATES])
        chosen = {m: min((run for mm, run in grid if mm == m), key=lambda run: run["valid"]) for m in args.models}
        # 2. the other seeds at that rate
        more = pool.map(_job, [(m, chosen[m]["lr"], s, protocol, False) for m in args.models for s in SEEDS if s != 0])

    import torch

    short = Protocol(max_epochs=CHECK["epochs"], patience=CHECK["epochs"])
    check = {**CHECK, **train_run(CHECK["model"], CHECK["lr"], CHECK["seed"], load_chorales(), protocol=short)}
    models = {}
    for m in args.models:
        runs = sorted([chosen[m]] + [run for mm, run in more if mm == m], key=lambda run: run["seed"])
        tests = [run["test"] for run in runs]
        models[m] = {"hidden": HIDDEN[m], "params": sum(p.numel() for p in make_model(m, 0).parameters()),
                     "lr": chosen[m]["lr"],
                     "grid": [{k: run[k] for k in ("lr", "valid", "test", "best_epoch")} for mm, run in grid if mm == m],
                     "runs": [{k: v for k, v in run.items() if k != "weights"} for run in runs],
                     "test_mean": round(float(np.mean(tests)), 4), "test_std": round(float(np.std(tests, ddof=1)), 4)}
    if "gru" in args.models:
        np.savez_compressed(args.out.with_name(args.out.stem + "_gru.npz"), **chosen["gru"]["weights"])
    result = {
        "protocol": {"task": "next-step prediction; NLL per predicted step in nats, the sum over 88 keys of the "
                             "binary cross-entropy, averaged over the T_i - 1 predicted steps of every chorale",
                     "optimiser": "Adam", **protocol.as_dict(), "learning_rates": list(LEARNING_RATES), "seeds": list(SEEDS),
                     "selection": "lr by seed 0's best validation NLL; tested: the weights of the best validation epoch"},
        "chung_2014_table2": {"test": {"tanh": 9.10, "gru": 8.54, "lstm": 8.67},
                              "train": {"tanh": 8.82, "gru": 6.94, "lstm": 8.15}},
        "models": models, "check": check,
        "environment": {"torch": torch.__version__, "numpy": np.__version__, "python": platform.python_version(),
                        "machine": platform.machine(), "workers": args.workers, "date": datetime.date.today().isoformat(),
                        "wall_s": round(time.perf_counter() - began, 1),
                        "cpu_s": round(sum(run["cpu_s"] for _, run in grid + more), 1)},
    }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(result, indent=1) + "\n")
    for m in args.models:
        print(f"{m:5s} H={HIDDEN[m]:3d} params={models[m]['params']} lr={models[m]['lr']}: "
              f"test NLL {models[m]['test_mean']:.3f} ± {models[m]['test_std']:.3f}")


if __name__ == "__main__":
    main()

"""Chapter 10's experiment: how accurate can a GRU, an LSTM and an RNN of the same size get on two long-memory tasks?

    python experiments/accuracy.py                      # the whole protocol, 2 worker processes
    python experiments/accuracy.py --workers 1          # the same numbers, one process

It writes experiments/results/accuracy.json, which chapter 10 loads and plots. The protocol:

    networks   one recurrent layer + a linear readout (gru_lesson.lab.training.make_model), sized to
               the GRU's parameter budget (I = 2, H = 16: 977 parameters) with
               gru_lesson.parameters.matching_hidden_size: RNN H = 29, GRU H = 16, LSTM H = 14 with
               torch's initialisation, the same LSTM with forget-gate bias 1 (Jozefowicz et al. 2015),
               and, as an extra, the LSTM with H = 16 (a third more parameters) and forget-gate bias 1
    tasks      the adding problem and marked recall (gru_lesson.tasks) at T = 5, 10, 20, 40; the
               validation and test sets of marked recall put the marker in the first half (lag ≥ T/2)
    training   gru_lesson.lab.training.train, the chapters' one loop: Adam, MSE, gradients clipped to
               norm 1, batches of 128 fresh sequences, the same number of steps for every network
    lr         for each network, task and length: the learning rate in LEARNING_RATES (0.003, 0.01,
               0.03, 0.1) whose run on the selection seed (0) ends with the lowest validation error
    seeds      then five new seeds (1-5) at that learning rate; seed s fixes the initial weights and
               the training data (shared by every network), 500 + s the validation and 1000 + s the
               test data
    recorded   per run: network, task, length, seed, lr, validation and test MSE, the validation MSE
               every EVAL_EVERY steps (the curve, to check that training has flattened), the mean
               training loss over each such window, steps, wall and CPU seconds

Every run uses one thread (torch.set_num_threads(1)) and is seeded, so a run repeats exactly on the
same machine; tests/test_experiment_accuracy.py re-runs one of them and compares it with the file.
Finished runs are appended to a scratch file in the temporary folder, so an interrupted experiment
resumes where it stopped (the file is removed at the end). Runs already in the results file are
reused when they were trained the same way (everything in the config but the learning-rate grid and
the seeds is the same), so widening the grid or adding seeds runs only what is new; each session's
wall time is listed in "sessions".
"""

from __future__ import annotations

import argparse
import datetime
import hashlib
import json
import multiprocessing
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:                       # run from a clone without `pip install -e .`
    sys.path.insert(0, str(ROOT))

from gru_lesson.parameters import count_parameters, matching_hidden_size  # noqa: E402
from gru_lesson.lab.timing import machine_record  # noqa: E402
from gru_lesson.tasks import ADDING_BASELINE_MSE, RECALL_BASELINE_MSE, adding_problem, marked_recall  # noqa: E402

RESULTS = ROOT / "experiments" / "results" / "accuracy.json"

INPUT_SIZE, GRU_HIDDEN = 2, 16
TASKS = {"adding problem": ADDING_BASELINE_MSE, "marked recall": RECALL_BASELINE_MSE}   # name: constant baseline
LENGTHS = (5, 10, 20, 40)
LEARNING_RATES = (3e-3, 1e-2, 3e-2, 1e-1)
SELECTION_SEED, SEEDS = 0, (1, 2, 3, 4, 5)
STEPS, BATCH_SIZE, CLIP = 1000, 128, 1.0
N_VALIDATION, N_TEST, EVAL_EVERY = 1000, 2000, 50


def networks() -> dict[str, dict[str, Any]]:
    """name: make_model's arguments. Sizes match the GRU's parameter count (recurrent layer only)."""
    budget = count_parameters("gru", INPUT_SIZE, GRU_HIDDEN)
    rnn_h = matching_hidden_size("rnn", budget, INPUT_SIZE)
    lstm_h = matching_hidden_size("lstm", budget, INPUT_SIZE)
    return {
        "RNN": {"cell": "rnn", "hidden_size": rnn_h, "forget_bias": None},
        "GRU": {"cell": "gru", "hidden_size": GRU_HIDDEN, "forget_bias": None},
        "LSTM": {"cell": "lstm", "hidden_size": lstm_h, "forget_bias": None},
        "LSTM, forget bias 1": {"cell": "lstm", "hidden_size": lstm_h, "forget_bias": 1.0},
        "LSTM, H = 16, forget bias 1": {"cell": "lstm", "hidden_size": GRU_HIDDEN, "forget_bias": 1.0},
    }


def default_config() -> dict[str, Any]:
    """The whole protocol as data: it is stored in the results, and a run is a function of it."""
    nets = networks()
    return {
        "input_size": INPUT_SIZE,
        "networks": {name: {**spec, "parameters": count_parameters(spec["cell"], INPUT_SIZE, spec["hidden_size"])
                            + spec["hidden_size"] + 1} for name, spec in nets.items()},
        "tasks": {name: {"constant_baseline_mse": baseline} for name, baseline in TASKS.items()},
        "lengths": list(LENGTHS),
        "learning_rates": list(LEARNING_RATES),
        "selection_seed": SELECTION_SEED,
        "seeds": list(SEEDS),
        "steps": STEPS,
        "batch_size": BATCH_SIZE,
        "clip": CLIP,
        "n_validation": N_VALIDATION,
        "n_test": N_TEST,
        "eval_every": EVAL_EVERY,
        "data_seeds": "training: seed; validation: 500 + seed; test: 1000 + seed",
        "lr_choice": "per network, task and length: the lowest validation MSE after `steps` steps on the selection seed",
    }


def task_data(task: str, n: int, length: int, seed: int, *, held_out: bool = False) -> tuple[np.ndarray, np.ndarray]:
    """x (n, T, 2), y (n, 1). Held-out marked recall puts the marker in the first half (lag ≥ T/2)."""
    if task == "adding problem":
        return adding_problem(n, length, seed)
    if task == "marked recall":
        return marked_recall(n, length, seed, min_lag=length // 2 if held_out else 0)
    raise ValueError(f"expected a task in {list(TASKS)}, got {task!r}")


class _Evaluator:
    """train()'s progress hook: the validation MSE every `every` steps, and the mean training loss before it."""

    def __init__(self, model: Any, x: np.ndarray, y: np.ndarray, every: int) -> None:
        from gru_lesson.lab.training import mse

        self.mse, self.model, self.x, self.y, self.every = mse, model, x, y, every
        self.step = 0
        self.curve = [mse(model, x, y)]                   # the validation MSE after 0, every, 2·every, ... steps

    def update(self, n: int = 1) -> None:
        self.step += n
        if self.step % self.every == 0:
            self.curve.append(self.mse(self.model, self.x, self.y))


def run_one(config: dict[str, Any], network: str, task: str, length: int, seed: int, lr: float) -> dict[str, Any]:
    """Train one network on one task and length; the numbers the results file stores for it."""
    import torch

    from gru_lesson.lab.training import make_model, mse, train

    torch.set_num_threads(1)
    spec = config["networks"][network]
    steps, batch, every = config["steps"], config["batch_size"], config["eval_every"]
    x, y = task_data(task, steps * batch, length, seed)                                   # (steps·batch, T, 2)
    x_val, y_val = task_data(task, config["n_validation"], length, 500 + seed, held_out=True)
    x_test, y_test = task_data(task, config["n_test"], length, 1000 + seed, held_out=True)
    wall, cpu = time.perf_counter(), time.process_time()
    model = make_model(spec["cell"], config["input_size"], spec["hidden_size"], seed=seed,
                       forget_bias=spec["forget_bias"])
    evaluator = _Evaluator(model, x_val, y_val, every)
    losses = train(model, x, y, steps=steps, batch_size=batch, lr=lr, clip=config["clip"], progress=evaluator)
    test = mse(model, x_test, y_test)
    return {
        "network": network, "task": task, "length": length, "seed": seed, "lr": lr,
        "validation_mse": evaluator.curve[-1], "test_mse": test, "steps": steps,
        "validation_curve": evaluator.curve,                                        # (steps / every + 1,)
        "training_loss": losses.reshape(-1, every).mean(axis=1).tolist(),            # (steps / every,)
        "wall_s": round(time.perf_counter() - wall, 3), "cpu_s": round(time.process_time() - cpu, 3),
    }


def _job(args: tuple) -> dict[str, Any]:
    return run_one(*args)


RUN_SETTINGS = ("input_size", "networks", "tasks", "steps", "batch_size", "clip", "n_validation", "n_test",
                "eval_every", "data_seeds")
"""The config entries that decide what one run computes (the grid, the seeds and the choice do not)."""


def _key(run: dict[str, Any]) -> tuple:
    return run["network"], run["task"], run["length"], run["seed"], run["lr"]


def _cost(job: tuple) -> float:
    """A rough relative cost, to start the long runs first."""
    config, network, _, length, _, _ = job
    return config["networks"][network]["parameters"] * (length + 4)


def _run_all(jobs: list[tuple], workers: int, done: dict[tuple, dict], scratch: Path) -> None:
    todo = sorted((job for job in jobs if job[1:] not in done), key=_cost, reverse=True)
    if not todo:
        return
    print(f"{len(todo)} runs to do ({len(jobs) - len(todo)} already done)", flush=True)
    context = multiprocessing.get_context("spawn")
    with context.Pool(workers, maxtasksperchild=20) as pool, scratch.open("a") as log:
        for k, run in enumerate(pool.imap_unordered(_job, todo), 1):
            done[_key(run)] = run
            log.write(json.dumps(run) + "\n")
            log.flush()
            print(f"[{k}/{len(todo)}] {run['network']:28} {run['task']:15} T = {run['length']:2}  seed {run['seed']}  "
                  f"lr {run['lr']:g}: validation {run['validation_mse']:.4f}  test {run['test_mse']:.4f}  "
                  f"({run['cpu_s']:.0f} s CPU)", flush=True)


def choose_lr(config: dict[str, Any], runs: dict[tuple, dict]) -> dict[str, dict[str, dict[str, float]]]:
    """{network: {task: {str(T): lr}}}: the lr whose selection-seed run has the lowest validation MSE."""
    seed = config["selection_seed"]
    return {network: {task: {str(T): min(config["learning_rates"],
                                         key=lambda lr: runs[network, task, T, seed, lr]["validation_mse"])
                             for T in config["lengths"]} for task in config["tasks"]}
            for network in config["networks"]}


def machine() -> dict[str, Any]:
    import torch  # noqa: F401  (machine_record names torch's version once it is imported)

    return {**machine_record(), "torch_threads_per_run": 1}


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workers", type=int, default=2, help="processes in parallel, one thread each")
    parser.add_argument("--out", type=Path, default=RESULTS)
    parser.add_argument("--steps", type=int, default=STEPS, help="a different budget (a pilot), not the chapter's")
    parser.add_argument("--networks", nargs="*", help="a subset of the networks (a pilot)")
    parser.add_argument("--lengths", nargs="*", type=int, help="a subset of the lengths (a pilot)")
    parser.add_argument("--grid-only", action="store_true", help="only the learning-rate grid (a pilot)")
    args = parser.parse_args(argv)

    config = default_config()
    if args.steps <= 0 or args.steps % EVAL_EVERY:
        parser.error(f"--steps must be a positive multiple of {EVAL_EVERY}, got {args.steps}")
    config["steps"] = args.steps
    if args.networks:
        config["networks"] = {name: config["networks"][name] for name in args.networks}
    if args.lengths:
        config["lengths"] = args.lengths
    digest = hashlib.sha256(json.dumps([config, args.grid_only], sort_keys=True).encode()).hexdigest()[:12]
    scratch = Path(tempfile.gettempdir()) / f"gru_accuracy_{digest}.jsonl"
    done: dict[tuple, dict] = {}
    if scratch.exists():
        for line in scratch.read_text().splitlines():
            if line.strip():
                run = json.loads(line)
                done[_key(run)] = run
    print(f"scratch file {scratch}: {len(done)} runs already done", flush=True)
    sessions = []
    if args.out.is_file():
        previous = json.loads(args.out.read_text())
        same = all(previous["config"].get(k) == json.loads(json.dumps(config[k])) for k in RUN_SETTINGS)
        if same:
            sessions = previous.get("sessions", [])
            for run in previous["runs"]:
                done.setdefault(_key(run), run)
            print(f"{args.out}: {len(previous['runs'])} runs trained the same way, reused", flush=True)

    wall, before = time.perf_counter(), len(done)
    grid = [(config, n, t, T, config["selection_seed"], lr) for n in config["networks"] for t in config["tasks"]
            for T in config["lengths"] for lr in config["learning_rates"]]
    _run_all(grid, args.workers, done, scratch)
    chosen = choose_lr(config, done)
    seeds = [] if args.grid_only else [(config, n, t, T, s, chosen[n][t][str(T)]) for n in config["networks"]
                                       for t in config["tasks"] for T in config["lengths"] for s in config["seeds"]]
    _run_all(seeds, args.workers, done, scratch)

    runs = [done[job[1:]] for job in grid + seeds]
    result = {
        "config": config,
        "chosen_lr": chosen,
        "machine": machine(),
        "workers": args.workers,
        "total_cpu_s": round(sum(run["cpu_s"] for run in runs), 1),
        "sessions": sessions + [{"finished": datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds"),
                                 "new_runs": len(done) - before, "wall_s": round(time.perf_counter() - wall, 1)}],
        "runs": runs,
    }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(result, indent=1) + "\n")
    scratch.unlink()
    print(f"wrote {args.out}: {len(runs)} runs, {result['total_cpu_s'] / 60:.1f} min of CPU", flush=True)


if __name__ == "__main__":
    main()

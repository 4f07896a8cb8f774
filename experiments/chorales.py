"""Chapter 15's experiment: Chung et al. (2014) put on trial. tanh-RNN, GRU and LSTM on the JSB chorales.

    python experiments/chorales.py                      # the whole protocol, 2 worker processes
    python experiments/chorales.py --workers 1          # the same numbers, one process

It writes experiments/results/chorales.json (and the best GRU's weights, chorales_gru.npz, which
chapter 15 loads to draw, play and open up). The protocol, the same for the three models:

    task       next-step prediction on piano rolls (gru_lesson.lab.chorales): read the chord x_t of
               step t, give each of the 88 keys a probability of sounding at step t + 1
    models     one recurrent layer, a linear readout, a sigmoid per key, at Chung et al.'s sizes
               (their Table 1, about 20k parameters): tanh-RNN 100 units, GRU 46, LSTM 36
    loss       the negative log-likelihood per time step in nats: the sum over the 88 keys of the
               binary cross-entropy, averaged over real (unpadded) steps; the numbers reported
    training   Adam, batches of BATCH chorales (shuffled each epoch), gradients clipped to norm CLIP,
               dropout DROPOUT on the recurrent layer's output (the readout's input) during training,
               at most MAX_EPOCHS epochs; early stopping: the weights of the epoch with the lowest
               validation NLL, stopping after PATIENCE epochs without a new best
    lr         per model, the rate in LEARNING_RATES whose seed-0 run reaches the lowest validation NLL
    seeds      seeds 0, 1, 2 at that rate (seed 0 is the selection run, kept); seed s fixes the
               initial weights, the dropout masks and the batch order

What differs from Chung et al.: they trained with RMSProp and weight noise and chose the learning
rate from a log-uniform search; here Adam and dropout, the same budget for each model.

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

from gru_lesson.lab.chorales import load_chorales, next_step_pairs  # noqa: E402

RESULTS = ROOT / "experiments" / "results" / "chorales.json"
WEIGHTS = ROOT / "experiments" / "results" / "chorales_gru.npz"

HIDDEN = {"tanh": 100, "gru": 46, "lstm": 36}         # Chung et al. 2014, Table 1 (music)
LEARNING_RATES = (0.001, 0.003, 0.01)
SEEDS = (0, 1, 2)
BATCH = 8
CLIP = 1.0
DROPOUT = 0.0
WEIGHT_NOISE = 0.0                                    # std of the Gaussian noise added to every weight for each batch
DECAY = 0.3                                           # the learning rate is multiplied by DECAY ...
DECAY_PATIENCE = 8                                    # ... after this many epochs without a new best validation NLL
MAX_EPOCHS = 250
PATIENCE = 30
CHECK = {"model": "gru", "lr": 0.003, "seed": 0, "epochs": 2}   # the short run the test repeats


def make_model(model: str, seed: int, dropout: float = DROPOUT):
    """The recurrent layer + dropout + readout (88 → H → 88 logits), initialised from `seed`."""
    import torch

    torch.manual_seed(seed)
    kind = {"tanh": torch.nn.RNN, "gru": torch.nn.GRU, "lstm": torch.nn.LSTM}[model]

    class NextChord(torch.nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.rnn = kind(88, HIDDEN[model])                       # time-major (T, N, 88)
            self.drop = torch.nn.Dropout(dropout)
            self.readout = torch.nn.Linear(HIDDEN[model], 88)

        def forward(self, x):                                        # x (T, N, 88) -> logits (T, N, 88)
            h, _ = self.rnn(x)
            return self.readout(self.drop(h))

    return NextChord()


def nll_sum(logits, y, mask):
    """Σ over real steps of Σ over keys of the binary cross-entropy (nats); mask (T, N) is 1 on real steps."""
    import torch

    per_key = torch.nn.functional.binary_cross_entropy_with_logits(logits, y, reduction="none")   # (T, N, 88)
    return (per_key.sum(-1) * mask).sum()


def batches(rolls: list[np.ndarray], size: int, order: np.ndarray):
    """Padded time-major batches (x, y, mask) of next-step pairs, in the given order of chorales."""
    import torch

    for start in range(0, len(order), size):
        x, y, lengths = next_step_pairs([rolls[i] for i in order[start:start + size]])
        mask = (np.arange(len(x))[:, None] < lengths).astype(np.float32)      # (T, N)
        yield torch.from_numpy(x), torch.from_numpy(y), torch.from_numpy(mask)


def evaluate(net, rolls: list[np.ndarray]) -> float:
    """NLL per time step (nats) over a split: total over real steps / number of real steps."""
    import torch

    net.eval()
    total, steps = 0.0, 0.0
    with torch.no_grad():
        for x, y, mask in batches(rolls, 64, np.arange(len(rolls))):
            total += float(nll_sum(net(x), y, mask))
            steps += float(mask.sum())
    net.train()
    return total / steps


def train_run(model: str, lr: float, seed: int, rolls: dict[str, list[np.ndarray]], *,
              max_epochs: int = MAX_EPOCHS, patience: int = PATIENCE, keep_weights: bool = False) -> dict[str, Any]:
    """One run of the protocol: returns its NLLs at the best validation epoch, the curves, and timings."""
    import torch

    torch.set_num_threads(1)
    start, cpu_start = time.perf_counter(), time.process_time()
    net = make_model(model, seed)
    optimiser = torch.optim.Adam(net.parameters(), lr=lr)
    schedule = torch.optim.lr_scheduler.ReduceLROnPlateau(optimiser, factor=DECAY, patience=DECAY_PATIENCE)
    rng = np.random.default_rng(seed)
    best = {"valid": float("inf"), "epoch": 0, "state": None}
    train_curve, valid_curve = [], []
    for epoch in range(1, max_epochs + 1):
        total, steps = 0.0, 0.0
        for x, y, mask in batches(rolls["train"], BATCH, rng.permutation(len(rolls["train"]))):
            noise = [torch.randn_like(p) * WEIGHT_NOISE for p in net.parameters()] if WEIGHT_NOISE else []
            with torch.no_grad():
                for p, e in zip(net.parameters(), noise):
                    p.add_(e)                              # the gradient is taken at the noisy weights ...
            loss_sum = nll_sum(net(x), y, mask)
            loss = loss_sum / mask.sum()                   # NLL per real step of this batch
            optimiser.zero_grad()
            loss.backward()
            with torch.no_grad():
                for p, e in zip(net.parameters(), noise):
                    p.sub_(e)                              # ... and applied to the clean ones
            torch.nn.utils.clip_grad_norm_(net.parameters(), CLIP)
            optimiser.step()
            total, steps = total + float(loss_sum.detach()), steps + float(mask.sum())
        train_curve.append(round(total / steps, 5))              # with dropout on, as trained
        valid = evaluate(net, rolls["valid"])
        valid_curve.append(round(valid, 5))
        schedule.step(valid)
        if valid < best["valid"]:
            best = {"valid": valid, "epoch": epoch, "state": {k: v.clone() for k, v in net.state_dict().items()}}
        elif epoch - best["epoch"] >= patience:
            break
    net.load_state_dict(best["state"])
    run = {"seed": seed, "lr": lr, "train": round(evaluate(net, rolls["train"]), 5),
           "valid": round(best["valid"], 5), "test": round(evaluate(net, rolls["test"]), 5),
           "best_epoch": best["epoch"], "epochs": len(valid_curve),
           "train_curve": train_curve, "valid_curve": valid_curve,
           "wall_s": round(time.perf_counter() - start, 1), "cpu_s": round(time.process_time() - cpu_start, 1)}
    if keep_weights:
        run["weights"] = {k: v.numpy().astype(np.float32) for k, v in net.state_dict().items()}
    return run


def _job(args: tuple) -> tuple[str, dict[str, Any]]:
    model, lr, seed, kwargs = args
    return model, train_run(model, lr, seed, load_chorales(), **kwargs)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--models", nargs="+", default=list(HIDDEN))
    parser.add_argument("--max-epochs", type=int, default=MAX_EPOCHS)
    parser.add_argument("--out", type=Path, default=RESULTS)
    args = parser.parse_args()
    began = time.perf_counter()
    pool = multiprocessing.get_context("spawn").Pool(args.workers)
    kwargs = {"max_epochs": args.max_epochs}

    # 1. the learning rate per model, from seed 0's validation NLL
    grid = pool.map(_job, [(m, lr, 0, {**kwargs, "keep_weights": m == "gru"}) for m in args.models for lr in LEARNING_RATES])
    chosen = {m: min((run for mm, run in grid if mm == m), key=lambda run: run["valid"]) for m in args.models}
    # 2. the other seeds at that rate
    more = pool.map(_job, [(m, chosen[m]["lr"], s, kwargs) for m in args.models for s in SEEDS if s != 0])
    pool.close()

    import torch

    rolls = load_chorales()
    check = {**CHECK, **train_run(CHECK["model"], CHECK["lr"], CHECK["seed"], rolls,
                                  max_epochs=CHECK["epochs"], patience=CHECK["epochs"])}
    models = {}
    for m in args.models:
        net = make_model(m, 0)
        params = sum(p.numel() for p in net.parameters())
        runs = [chosen[m]] + [run for mm, run in more if mm == m]
        models[m] = {"hidden": HIDDEN[m], "params": params, "lr": chosen[m]["lr"],
                     "grid": [{"lr": run["lr"], "valid": run["valid"], "test": run["test"], "best_epoch": run["best_epoch"]}
                              for mm, run in grid if mm == m],
                     "runs": [{k: v for k, v in run.items() if k != "weights"} for run in sorted(runs, key=lambda r: r["seed"])]}
        tests = [run["test"] for run in runs]
        models[m]["test_mean"], models[m]["test_std"] = round(float(np.mean(tests)), 4), round(float(np.std(tests, ddof=1)), 4)
    if "gru" in args.models:
        np.savez_compressed(args.out.with_name(args.out.stem + "_gru.npz"), **chosen["gru"]["weights"])
    result = {
        "protocol": {"task": "next-step prediction, NLL per time step (nats), sum of 88 binary cross-entropies",
                     "optimiser": "Adam", "batch": BATCH, "clip": CLIP, "dropout": DROPOUT, "weight_noise": WEIGHT_NOISE,
                     "decay": DECAY, "decay_patience": DECAY_PATIENCE,
                     "max_epochs": args.max_epochs, "patience": PATIENCE, "learning_rates": list(LEARNING_RATES),
                     "seeds": list(SEEDS), "selection": "lr by seed 0's best validation NLL; weights of the best validation epoch"},
        "chung_2014_table2": {"test": {"tanh": 9.10, "gru": 8.54, "lstm": 8.67}, "train": {"tanh": 8.82, "gru": 6.94, "lstm": 8.15}},
        "models": models, "check": check,
        "environment": {"torch": torch.__version__, "numpy": np.__version__, "python": platform.python_version(),
                        "machine": platform.machine(), "date": datetime.date.today().isoformat(),
                        "wall_s": round(time.perf_counter() - began, 1)},
    }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(result, indent=1) + "\n")
    for m in args.models:
        print(f"{m:5s} H={HIDDEN[m]:3d} params={models[m]['params']} lr={models[m]['lr']}: "
              f"test NLL {models[m]['test_mean']:.3f} ± {models[m]['test_std']:.3f}")


if __name__ == "__main__":
    main()

"""Lab tool for chapter 15: next-chord models in torch (tanh-RNN, GRU, LSTM) and their one training protocol.

The model reads a chorale's piano roll step by step and gives each of the 88 keys a logit for the
next step (gru_lesson.lab.chorales makes the rolls):

    h_t = cell(x_t, h_{t-1})            x_t ∈ {0, 1}^88, the chord at step t
    a_t = W_o h_t + b_o                 p_t = σ(a_t): each key's probability of sounding at step t + 1

The loss is the negative log-likelihood per real step in nats, the sum over the 88 keys of the binary
cross-entropy (the NumPy form with its gradient is `gru_lesson.readout.key_nll`). `train_run` is the
protocol of experiments/chorales.py, the same for every model: Adam, batches of `batch` chorales in a
seeded random order, gradients clipped to norm `clip`, weight noise (for each batch every weight gets
Gaussian noise of std `weight_noise`; the gradient is taken at the noisy weights and applied to the
clean ones, as Graves 2011 and Chung et al. 2014 did), the learning rate multiplied by `decay` after
`decay_patience` epochs without a better validation NLL, and early stopping: the weights of the best
validation epoch, training stops `patience` epochs after it. Seeded and one thread: a run repeats
exactly on the same machine.

    rolls = load_chorales()
    run = train_run("gru", 0.01, seed=0, rolls=rolls, protocol=Protocol(max_epochs=5))
    run["valid"], run["test"], run["valid_curve"]
"""

from __future__ import annotations

import time
from dataclasses import asdict, dataclass
from typing import Any, Iterator

import numpy as np

from .chorales import KEYS, next_step_pairs

__all__ = ["HIDDEN", "Protocol", "batches", "evaluate", "make_model", "nll_sum", "train_run"]

HIDDEN = {"tanh": 100, "gru": 46, "lstm": 36}        # Chung et al. 2014, Table 1: about 20k parameters each


@dataclass(frozen=True)
class Protocol:
    """The training protocol, the same for every model (experiments/chorales.py records it with the results)."""

    batch: int = 8                   # chorales per batch
    clip: float = 1.0                # gradient norm clipping
    weight_noise: float = 0.12       # std of the Gaussian noise on every weight, drawn anew for each batch
    decay: float = 0.3               # the learning rate is multiplied by this ...
    decay_patience: int = 8          # ... after this many epochs without a new best validation NLL
    max_epochs: int = 200
    patience: int = 30               # stop this many epochs after the best validation NLL

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def make_model(model: str, seed: int) -> Any:
    """The recurrent layer (88 → H, time-major) and the readout (H → 88 logits), initialised from `seed`."""
    import torch

    if model not in HIDDEN:
        raise ValueError(f"expected model to be one of {list(HIDDEN)}, got {model!r}")
    torch.manual_seed(seed)
    cell = {"tanh": torch.nn.RNN, "gru": torch.nn.GRU, "lstm": torch.nn.LSTM}[model]

    class NextChord(torch.nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.rnn = cell(KEYS, HIDDEN[model])                     # x (T, N, 88)
            self.readout = torch.nn.Linear(HIDDEN[model], KEYS)

        def forward(self, x: torch.Tensor) -> torch.Tensor:          # x (T, N, 88) -> logits a (T, N, 88)
            h, _ = self.rnn(x)
            return self.readout(h)

    return NextChord()


def nll_sum(logits: Any, y: Any, mask: Any) -> Any:
    """Σ over real steps (mask (T, N) is 1 there) of Σ over keys of the binary cross-entropy, in nats."""
    import torch

    per_key = torch.nn.functional.binary_cross_entropy_with_logits(logits, y, reduction="none")   # (T, N, 88)
    return (per_key.sum(-1) * mask).sum()


def batches(rolls: list[np.ndarray], size: int, order: np.ndarray) -> Iterator[tuple[Any, Any, Any]]:
    """Padded time-major torch batches (x, y, mask) of next-step pairs, chorales taken in `order`."""
    import torch

    for start in range(0, len(order), size):
        x, y, lengths = next_step_pairs([rolls[i] for i in order[start:start + size]])
        mask = (np.arange(len(x))[:, None] < lengths).astype(np.float32)      # (T, N): 1 on real steps
        yield torch.from_numpy(x), torch.from_numpy(y), torch.from_numpy(mask)


def evaluate(net: Any, rolls: list[np.ndarray]) -> float:
    """NLL per step (nats) over a split: the sum over every real step of every chorale / their number."""
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
              protocol: Protocol = Protocol(), keep_weights: bool = False) -> dict[str, Any]:
    """One run: the NLLs (train, valid, test) of the best validation epoch's weights, the curves, the time.

    rolls: {"train": [...], "valid": [...], "test": [...]} as `load_chorales()` returns them.
    keep_weights: also return the best weights, {name: float32 array}, under "weights".
    """
    import torch

    torch.set_num_threads(1)
    start, cpu_start = time.perf_counter(), time.process_time()
    net = make_model(model, seed)
    optimiser = torch.optim.Adam(net.parameters(), lr=lr)
    schedule = torch.optim.lr_scheduler.ReduceLROnPlateau(optimiser, factor=protocol.decay,
                                                          patience=protocol.decay_patience)
    rng = np.random.default_rng(seed)
    best = {"valid": float("inf"), "epoch": 0, "state": None}
    train_curve, valid_curve = [], []
    for epoch in range(1, protocol.max_epochs + 1):
        total, steps = 0.0, 0.0
        for x, y, mask in batches(rolls["train"], protocol.batch, rng.permutation(len(rolls["train"]))):
            noise = [torch.randn_like(p) * protocol.weight_noise for p in net.parameters()]
            with torch.no_grad():
                for p, e in zip(net.parameters(), noise):
                    p.add_(e)                                  # the gradient is taken at the noisy weights ...
            loss_sum = nll_sum(net(x), y, mask)
            optimiser.zero_grad()
            (loss_sum / mask.sum()).backward()                 # the NLL per real step of this batch
            with torch.no_grad():
                for p, e in zip(net.parameters(), noise):
                    p.sub_(e)                                  # ... and applied to the clean ones
            torch.nn.utils.clip_grad_norm_(net.parameters(), protocol.clip)
            optimiser.step()
            total, steps = total + float(loss_sum.detach()), steps + float(mask.sum())
        train_curve.append(round(total / steps, 5))            # at the noisy weights, as trained
        valid = evaluate(net, rolls["valid"])
        valid_curve.append(round(valid, 5))
        schedule.step(valid)
        if valid < best["valid"]:
            best = {"valid": valid, "epoch": epoch, "state": {k: v.clone() for k, v in net.state_dict().items()}}
        elif epoch - best["epoch"] >= protocol.patience:
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

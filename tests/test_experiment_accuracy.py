"""experiments/accuracy.py and its committed results: the file chapter 10 plots is what the code produces.

The experiment itself takes about half an hour of CPU; these tests check the results file against the
protocol (every run there, the learning rates chosen as the script chooses them) and re-run ONE of
its runs through the same function, `run_one`, comparing the numbers. A run is seeded and uses one
thread, so on the machine that made the file it repeats to the last bit; the tolerance (relative
1e-3) only absorbs a different CPU's rounding in 1000 small steps. Also: make_model's forget_bias.
"""

from __future__ import annotations

import json
import math

import numpy as np
import pytest
import torch

from gru_lesson.lab.training import make_model
from gru_lesson.parameters import count_parameters
from experiment_scripts import script_and_results

RERUN = ("LSTM, forget bias 1", "adding problem", 5, 1)        # network, task, T, seed: one of the cheapest runs


experiment, results = script_and_results("accuracy")


def _runs(results) -> dict[tuple, dict]:
    return {(r["network"], r["task"], r["length"], r["seed"], r["lr"]): r for r in results["runs"]}


def test_the_results_were_made_with_the_current_protocol(experiment, results):
    assert results["config"] == json.loads(json.dumps(experiment.default_config()))
    for key in ("cpu", "torch", "numpy", "python", "torch_threads_per_run"):
        assert key in results["machine"]
    assert results["machine"]["torch_threads_per_run"] == 1


def test_every_run_is_there_and_well_formed(results):
    config, runs = results["config"], _runs(results)
    grid = {(n, t, T, config["selection_seed"], lr) for n in config["networks"] for t in config["tasks"]
            for T in config["lengths"] for lr in config["learning_rates"]}
    seeds = {(n, t, T, s, results["chosen_lr"][n][t][str(T)]) for n in config["networks"] for t in config["tasks"]
             for T in config["lengths"] for s in config["seeds"]}
    assert set(runs) == grid | seeds and len(results["runs"]) == len(grid) + len(seeds)
    checkpoints = config["steps"] // config["eval_every"]
    for run in results["runs"]:
        assert run["steps"] == config["steps"]
        assert len(run["validation_curve"]) == checkpoints + 1 and len(run["training_loss"]) == checkpoints
        assert run["validation_curve"][-1] == run["validation_mse"]
        assert all(math.isfinite(v) and v >= 0 for v in (run["validation_mse"], run["test_mse"], run["cpu_s"]))
    assert results["total_cpu_s"] == pytest.approx(sum(r["cpu_s"] for r in results["runs"]), abs=0.1)


def test_the_chosen_learning_rates_are_the_best_on_validation(experiment, results):
    assert results["chosen_lr"] == json.loads(json.dumps(experiment.choose_lr(results["config"], _runs(results))))


def test_the_network_sizes_match_the_grus_budget(results):
    networks = results["config"]["networks"]
    gru = networks["GRU"]["parameters"]
    for name, spec in networks.items():
        assert spec["parameters"] == count_parameters(spec["cell"], 2, spec["hidden_size"]) + spec["hidden_size"] + 1
        if "H = 16" not in name:
            assert abs(spec["parameters"] - gru) / gru < 0.05, name


def test_one_run_repeats(experiment, results):
    network, task, T, seed = RERUN
    lr = results["chosen_lr"][network][task][str(T)]
    stored = _runs(results)[network, task, T, seed, lr]
    threads = torch.get_num_threads()
    try:
        fresh = experiment.run_one(results["config"], network, task, T, seed, lr)
    finally:
        torch.set_num_threads(threads)
    for key in ("validation_mse", "test_mse"):
        assert fresh[key] == pytest.approx(stored[key], rel=1e-3), key
    np.testing.assert_allclose(fresh["validation_curve"], stored["validation_curve"], rtol=1e-3, atol=1e-6)
    np.testing.assert_allclose(fresh["training_loss"], stored["training_loss"], rtol=1e-3, atol=1e-6)


# make_model(..., forget_bias=...) -------------------------------------------------------------------

@pytest.mark.parametrize("num_layers", [1, 2])
def test_forget_bias_sets_the_total_forget_bias_and_nothing_else(num_layers):
    H = 5
    plain = make_model("lstm", 3, H, num_layers=num_layers, seed=4)
    biased = make_model("lstm", 3, H, num_layers=num_layers, seed=4, forget_bias=1.0)
    for (name, p), (_, q) in zip(plain.named_parameters(), biased.named_parameters()):
        if "bias" in name and name.startswith("rnn."):
            p, q = p.detach().numpy(), q.detach().numpy()
            keep = np.r_[0:H, 2 * H:4 * H]                               # gates i, g, o untouched
            np.testing.assert_array_equal(p[keep], q[keep])
            expected = 1.0 if "bias_ih" in name else 0.0                 # b_if = 1, b_hf = 0: total 1
            np.testing.assert_array_equal(q[H:2 * H], np.full(H, expected, np.float32))
        else:
            assert torch.equal(p, q), name


def test_forget_bias_none_is_torchs_initialisation():
    a, b = make_model("lstm", 2, 4, seed=7), make_model("lstm", 2, 4, seed=7, forget_bias=None)
    assert all(torch.equal(p, q) for p, q in zip(a.parameters(), b.parameters()))


@pytest.mark.parametrize("cell, value, words", [
    ("gru", 1.0, "has no forget gate"),
    ("rnn", 1.0, "has no forget gate"),
    ("lstm", "1", "finite number or None"),
    ("lstm", float("nan"), "finite number or None"),
    ("lstm", True, "finite number or None"),
])
def test_forget_bias_bad_input(cell, value, words):
    with pytest.raises(ValueError, match=words):
        make_model(cell, 2, 3, forget_bias=value)

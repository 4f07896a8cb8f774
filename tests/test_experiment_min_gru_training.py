"""experiments/min_gru_training.py and its committed results: the curves chapter 12 plots are what the code produces.

The 9 runs take about 45 s of CPU; these tests check the results file against the script's protocol and
re-run ONE of its runs (the one-layer minGRU, seed 2: about 3 s) through the same function, `run_one`,
comparing every step's loss. A run is seeded and uses one thread, so on the machine that made the file it
repeats to the last bit. The tolerance, relative 1e-2 per step, is for another CPU's float32 rounding, and
the last test measures what such rounding does: one float32 rounding step in every initial weight moves
the chapter's minGRU curve by less than a tenth of that (about 6e-4 at most over the 400 steps, measured).
"""

from __future__ import annotations

import json
import math

import numpy as np
import pytest
import torch

from gru_lesson.lab.training import make_model, train
from gru_lesson.tasks import adding_problem
from experiment_scripts import script_and_results

RERUN = ("minGRU", 2)              # model, seed: a cheap run, not the one chapter 12 repeats (minGRU, seed 0)
RTOL = 1e-2                        # chapter 12 and this file: per step, relative


experiment, results = script_and_results("min_gru_training")


@pytest.fixture
def one_thread():
    threads = torch.get_num_threads()
    try:
        yield
    finally:
        torch.set_num_threads(threads)


def test_the_results_were_made_with_the_current_protocol(experiment, results):
    assert results["config"] == json.loads(json.dumps(experiment.default_config()))
    for key in ("cpu", "cores", "torch", "numpy", "python", "torch_threads_per_run"):
        assert key in results["machine"]
    assert results["machine"]["torch_threads_per_run"] == 1
    assert "finished" in results and results["total_cpu_s"] > 0


def test_the_protocol_is_chapter_12s(results):
    config = results["config"]
    assert {name: (m["cell"], m["num_layers"]) for name, m in config["models"].items()} == {
        "GRU": ("gru", 1), "minGRU": ("min_gru", 1), "minGRU, 2 layers": ("min_gru", 2)}
    assert (config["hidden_size"], config["length"], config["batch_size"], config["steps"], tuple(config["seeds"])) == (
        16, 30, 32, 400, (0, 1, 2))
    assert (config["input_size"], config["lr"], config["clip"], config["data_seed_offset"]) == (2, 0.02, 1.0, 100)


def test_every_run_is_there_and_well_formed(experiment, results):
    config = results["config"]
    assert list(results["models"]) == list(config["models"])
    for name, model in results["models"].items():
        losses = np.array(model["losses"])
        assert losses.shape == (len(config["seeds"]), config["steps"]), name
        assert np.isfinite(losses).all() and (losses >= 0).all(), name
        # each loss is a float32 written as its shortest decimal: reading it as float32 and writing it again changes nothing
        assert all(experiment.float32_decimal(v) == v for row in model["losses"] for v in row), name
        assert len(model["cpu_s"]) == len(config["seeds"]) and all(math.isfinite(s) and s > 0 for s in model["cpu_s"])
    assert results["total_cpu_s"] == pytest.approx(sum(sum(m["cpu_s"]) for m in results["models"].values()), abs=0.1)


def test_the_parameter_counts_are_the_models(results):
    config = results["config"]
    for name, model in results["models"].items():
        spec = config["models"][name]
        built = make_model(spec["cell"], config["input_size"], config["hidden_size"], num_layers=spec["num_layers"])
        assert model["parameters"] == sum(p.numel() for p in built.parameters()), name
    assert {name: m["parameters"] for name, m in results["models"].items()} == {
        "GRU": 977, "minGRU": 113, "minGRU, 2 layers": 657}               # what chapter 12 prints


def test_one_run_repeats(experiment, results, one_thread):
    name, seed = RERUN
    stored = results["models"][name]["losses"][results["config"]["seeds"].index(seed)]
    fresh = experiment.run_one(results["config"], name, seed)
    assert fresh["parameters"] == results["models"][name]["parameters"]
    np.testing.assert_allclose(fresh["losses"], stored, rtol=RTOL, atol=0)


def test_fewer_steps_repeat_the_start_of_a_run(experiment, results, one_thread):
    stored = results["models"]["GRU"]["losses"][0]
    fresh = experiment.run_one(results["config"], "GRU", 0, steps=20)
    assert len(fresh["losses"]) == 20
    np.testing.assert_allclose(fresh["losses"], stored[:20], rtol=RTOL, atol=0)


def test_the_tolerance_absorbs_rounding_with_a_tenfold_margin(results, one_thread):
    """Chapter 12 repeats minGRU, seed 0 within RTOL. Changing every initial weight by one float32 rounding
    step (relative 2^-23, random sign), as another CPU's arithmetic might, moves its curve by far less."""
    torch.set_num_threads(1)
    config = results["config"]
    stored = np.array(results["models"]["minGRU"]["losses"][0])
    x, y = adding_problem(config["steps"] * config["batch_size"], config["length"], seed=config["data_seed_offset"])
    model = make_model("min_gru", config["input_size"], config["hidden_size"], seed=0)
    signs = torch.Generator().manual_seed(0)
    with torch.no_grad():
        for p in model.parameters():
            p.mul_(1 + (2 * torch.randint(0, 2, p.shape, generator=signs) - 1) * 2.0 ** -23)
    nudged = train(model, x, y, steps=config["steps"], batch_size=config["batch_size"], lr=config["lr"], clip=config["clip"])
    change = np.abs(nudged - stored) / stored                                     # (steps,)
    assert 0 < change.max() < RTOL / 10, f"one rounding step moved the curve by up to {change.max():.2g}"

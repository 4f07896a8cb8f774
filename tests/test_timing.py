"""gru_lesson.lab.timing: the helpers behave as documented. No wall-clock time is asserted anywhere."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from environment import clean_env

import gru_lesson
from gru_lesson.lab.timing import (
    blas_description, child_environment, cpu_model, interleaved_best, isolated_times, limit_threads,
    machine_description, per_step_best,
)


def test_every_candidate_is_called_warmup_plus_repeats_times_number_times():
    calls = {"a": 0, "b": 0, "c": 0}

    def counter(name):
        def fn():
            calls[name] += 1
        return fn

    best = interleaved_best({name: counter(name) for name in calls}, repeats=4, number=3, warmup=2)
    assert calls == {"a": 2 + 4 * 3, "b": 2 + 4 * 3, "c": 2 + 4 * 3}
    assert list(best) == ["a", "b", "c"]
    assert all(isinstance(t, float) and t > 0 for t in best.values())


def test_candidates_alternate_call_by_call_and_the_order_rotates():
    order = []
    fns = {name: (lambda name=name: order.append(name)) for name in "abc"}
    interleaved_best(fns, repeats=3, warmup=0)
    assert order == ["a", "b", "c", "b", "c", "a", "c", "a", "b"]


def test_synchronize_runs_after_every_timed_call_and_after_the_warmup():
    log = []
    interleaved_best({"a": lambda: log.append("a"), "b": lambda: log.append("b")}, repeats=2, warmup=1,
                     synchronize=lambda: log.append("sync"))
    assert log == ["a", "b", "sync", "a", "sync", "b", "sync", "b", "sync", "a", "sync"]


def test_the_best_is_the_minimum_over_rounds_divided_by_number(monkeypatch):
    import gru_lesson.lab.timing as timing

    clock = [0.0]
    monkeypatch.setattr(timing.time, "perf_counter", lambda: clock[0])   # a fake clock: calls advance it
    durations = iter([5.0, 9.0, 3.0, 7.0, 3.0, 3.0, 4.0])               # the warm-up call, then 3 rounds of 2 calls

    def work():
        clock[0] += next(durations)

    best = interleaved_best({"w": work}, repeats=3, number=2, warmup=1)
    # warm-up 5; rounds (9 + 3) / 2 = 6, (7 + 3) / 2 = 5, (3 + 4) / 2 = 3.5
    assert best == {"w": 3.5}


def test_per_step_best_subtracts_the_one_step_call(monkeypatch):
    import gru_lesson.lab.timing as timing

    clock = [0.0]
    monkeypatch.setattr(timing.time, "perf_counter", lambda: clock[0])

    def run(T):
        clock[0] += 2.0 + 0.5 * T          # a fixed cost of 2 per call, 0.5 per step

    assert per_step_best({"r": run}, T=9, repeats=2) == {"r": 0.5}


def test_per_step_best_calls_each_candidate_with_T_and_with_one_step():
    seen = []
    costs = per_step_best({"x": lambda T: seen.append(("x", T)), "y": lambda T: seen.append(("y", T))},
                          T=7, repeats=2, warmup=0)
    assert sorted(set(seen)) == [("x", 1), ("x", 7), ("y", 1), ("y", 7)]
    assert len(seen) == 2 * 2 * 2
    assert list(costs) == ["x", "y"] and all(c > 0 for c in costs.values())


def test_limit_threads_sets_and_restores_blas_and_torch_threads():
    torch = pytest.importorskip("torch")
    from threadpoolctl import threadpool_info

    def blas_threads():
        return [i["num_threads"] for i in threadpool_info() if i["user_api"] == "blas"]

    before_blas, before_torch = blas_threads(), torch.get_num_threads()
    with limit_threads(1):
        assert set(blas_threads()) <= {1}
        assert torch.get_num_threads() == 1
    assert blas_threads() == before_blas
    assert torch.get_num_threads() == before_torch


def test_limit_threads_restores_even_after_an_error():
    torch = pytest.importorskip("torch")
    before = torch.get_num_threads()
    with pytest.raises(RuntimeError, match="inside"):
        with limit_threads(1):
            raise RuntimeError("inside")
    assert torch.get_num_threads() == before


def test_importing_timing_imports_neither_torch_nor_threadpoolctl():
    code = ("import sys, gru_lesson.lab.timing; "
            "print('torch' in sys.modules, 'threadpoolctl' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, env=clean_env()).stdout
    assert out.split() == ["False", "False"]


def test_descriptions_name_the_machine():
    assert cpu_model()
    assert re.search(r"\d+ threads", blas_description())
    line = machine_description()
    assert f"{__import__('os').cpu_count()} cores" in line and "NumPy" in line


@pytest.mark.parametrize("kwargs,error,message", [
    (dict(fns={}), ValueError, "expected at least one function to time, got none"),
    (dict(fns={"a": 3}), TypeError, "expected 'a' to be a function of no arguments, got int"),
    (dict(fns={"a": print}, repeats=0), ValueError, "expected repeats to be a positive integer, got 0"),
    (dict(fns={"a": print}, number=1.5), ValueError, "expected number to be a positive integer, got 1.5"),
    (dict(fns={"a": print}, warmup=-1), ValueError, "expected warmup to be a non-negative integer, got -1"),
])
def test_interleaved_best_bad_input(kwargs, error, message):
    with pytest.raises(error, match=re.escape(message)):
        interleaved_best(**kwargs)


def test_per_step_best_and_limit_threads_bad_input():
    with pytest.raises(ValueError, match=re.escape("expected T (a long run and a one-step run) to be an integer >= 2, got 1")):
        per_step_best({"a": lambda T: None}, T=1)
    with pytest.raises(TypeError, match="expected 'a' to be a function of the number of steps"):
        per_step_best({"a": None}, T=5)
    with pytest.raises(ValueError, match=re.escape("expected n (threads) to be a positive integer, got 0")):
        with limit_threads(0):
            pass


def test_isolated_times_runs_each_candidate_in_its_own_process_with_the_threads_set(tmp_path, monkeypatch):
    source = ("import os, json\n"
              "def run():\n"
              "    with open(os.environ['LOG'], 'a') as log:\n"
              "        log.write(json.dumps([os.getpid(), os.environ['OPENBLAS_NUM_THREADS']]) + '\\n')\n")
    import json
    import os
    monkeypatch.setenv("LOG", str(tmp_path / "log"))
    found = isolated_times({"a": source, "b": source}, threads=3, calls=2, warmup=1, rounds=2)
    entries = [json.loads(line) for line in (tmp_path / "log").read_text().splitlines()]
    assert len(entries) == 2 * 2 * (1 + 2)                      # candidates x rounds x (warm-up + calls)
    pids = [pid for pid, _ in entries]
    assert len(set(pids)) == 4 and os.getpid() not in pids      # a fresh process per candidate and round
    assert {threads for _, threads in entries} == {"3"}
    assert all(len(found[name]["times"]) == 4 and found[name]["best"] <= found[name]["median"] for name in "ab")


def test_a_child_process_gets_the_threads_and_this_gru_lesson(monkeypatch):
    monkeypatch.setenv("PYTHONPATH", "/somewhere/else")
    env = child_environment(3)
    assert [env[k] for k in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS")] == ["3", "3", "3"]
    first, *rest = env["PYTHONPATH"].split(os.pathsep)
    assert Path(first) == Path(gru_lesson.__file__).parents[1] and rest == ["/somewhere/else"]
    with pytest.raises(ValueError, match="threads"):
        child_environment(0)


def test_isolated_times_bad_input_and_a_failing_candidate():
    with pytest.raises(TypeError, match="defines run"):
        isolated_times({"a": "x = 1"}, threads=1)
    with pytest.raises(ValueError, match="threads to be a positive integer"):
        isolated_times({"a": "def run(): pass"}, threads=0)
    with pytest.raises(RuntimeError, match="candidate 'a' failed in its own process"):
        isolated_times({"a": "def run(): 1 / 0"}, threads=1, calls=1, rounds=1)

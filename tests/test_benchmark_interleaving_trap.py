"""benchmarks/results/interleaving_trap.json, which chapter 13 prints: the file, the script that wrote it, one re-run.

The measurement itself takes a minute and differs on every run, so the test does not repeat it. It
checks that the stored file is the script's comparison, at both thread counts, by both methods, and
that the script's two candidates still run, each in a process of its own (a few calls, one thread).
"""

from __future__ import annotations

from experiment_scripts import load, stored

trap = load("interleaving_trap", folder="benchmarks")
STORED = stored("interleaving_trap", folder="benchmarks")


def test_the_file_holds_the_scripts_comparison_at_both_thread_counts_by_both_methods():
    assert STORED["what"].startswith(f"forward, float32, N={trap.N}, T={trap.T}, I={trap.I}, H={trap.H}")
    assert set(STORED["threads"]) == {"1", "2"}
    for methods in STORED["threads"].values():
        assert set(methods) == {"interleaved", "isolated"}
        for sides in methods.values():
            assert set(sides) == {"gru_lesson", "torch"}
            for side in sides.values():
                assert 0 < side["best_ms"] <= side["median_ms"]
    assert {"cpu", "cores", "numpy", "torch", "blas"} <= set(STORED["machine"])


def test_the_candidates_run_each_in_a_process_of_its_own():
    found = trap.isolated_times(trap.CANDIDATES, threads=1, calls=2, warmup=1, rounds=1)
    assert set(found) == {"gru_lesson", "torch"} and all(len(r["times"]) == 2 for r in found.values())


def test_the_interleaved_measurement_runs():
    found = trap.interleaved(threads=1, calls=2, rounds=1)
    assert set(found) == {"gru_lesson", "torch"} and all(r["best_ms"] > 0 for r in found.values())

"""benchmarks/results/gru_vs_torch_sizes.json, the table and figure of book/performance.md: the file, one re-run.

The sweep takes two minutes and differs on every run; the test checks that the stored file holds every
size the script measures, for both libraries and the products alone, and re-runs the smallest size.
"""

from __future__ import annotations

from experiment_scripts import ROOT, load, stored

sizes = load("gru_vs_torch_sizes", folder="benchmarks")
STORED = stored("gru_vs_torch_sizes", folder="benchmarks")


def test_the_file_holds_every_size_for_both_libraries_and_the_products_alone():
    expected = {f"{N},{H}" for H in sizes.HS for N in sizes.NS}
    assert set(STORED["best"]) == {"gru_lesson", "torch", "products alone"}
    for library, found in STORED["best"].items():
        assert set(found) == expected, library
        measures = {"forward"} if library == "products alone" else {"forward", "forward + backward"}
        assert all(set(times) == measures and all(t > 0 for t in times.values()) for times in found.values())
    assert (ROOT / "book" / "figures" / "gru_vs_torch_sizes.png").is_file()


def test_the_smallest_size_runs_again_for_each_library(monkeypatch):
    monkeypatch.setattr(sizes, "HS", (32,))
    monkeypatch.setattr(sizes, "NS", (1,))
    for library in ("gru_lesson", "torch", "products alone"):
        found = sizes.run_library(library, threads=1)
        assert list(found) == ["1,32"] and found["1,32"]["forward"] > 0


def test_the_flop_count():
    # forward: W x for T·N rows (2·(T·N)·I·3H) and U h at every step (2·T·N·H·3H); both passes: three times that
    N, H = 2, 4
    assert sizes.flops(N, H, "forward") == 2 * sizes.T * N * H * 3 * H + 2 * sizes.T * N * H * 3 * H
    assert sizes.flops(N, H, "forward + backward") == 3 * sizes.flops(N, H, "forward")

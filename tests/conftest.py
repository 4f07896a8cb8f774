"""Shared helpers: a torch.nn.GRU and matching random inputs for one configuration.

And one collection rule for nbval: chapter 15's cells read the JSB chorales, which the tests never
download. `make test` points GRU_LESSON_CHORALES at the copy in ../shared/data beside the clone (see
the Makefile). Where neither that setting names an existing file nor the cache holds one, chapter
15's cells are skipped, with the reason, instead of failing on a download. (The rule lives here, not
in a notebooks/conftest.py, because the tests import this module as `conftest`.)

And the order in which pytest-xdist hands out the files (`--dist loadfile --no-loadscope-reorder`): the
slowest first, so that no long file starts last and runs alone on one core while the other core idles.
"""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np
import pytest
import torch

from gru_lesson.lab.chorales import COPY_VARIABLE, FILENAME, cache_folder

CHORALES_CHAPTER = "15_bach_chorales.ipynb"


def chorales_on_this_machine() -> bool:
    """A local copy named by $GRU_LESSON_CHORALES, or a file in the cache (checked again when loaded)."""
    copy = os.environ.get(COPY_VARIABLE)
    return bool(copy) and Path(copy).is_file() or (cache_folder() / FILENAME).is_file()


# The files that take longest on the 2-core machine (seconds of one worker), in the order measured: the
# install paths start one worker and the book's build the other, which then goes on to the browser test
# that reads the build; the rest slowest first. xdist's own order, most tests first, left the install
# paths to the end: 80 s on one core, the other one idle.
SLOWEST_FIRST = [
    "tests/test_install_paths.py",                  # a fresh venv with Binder's pins, the Colab cell: 70 s
    "tests/test_book.py",                           # the book's build (shared with the browser test): 20 s
    "tests/test_browser.py",                        # every page at two widths, one visit each: 140 s
    "tests/test_jupyterlab.py",                     # 25 s
    "notebooks/11_gates_at_work.ipynb",             # 25 s
    "notebooks/13_what_makes_a_gru_fast.ipynb",     # 25 s
    "notebooks/15_bach_chorales.ipynb",             # 16 s
    "tests/test_benchmark_gru_vs_torch.py",         # 12 s
    "notebooks/10_accuracy.ipynb",                  # 11 s
    "notebooks/09_parameters_and_speed.ipynb",      # 10 s
    "notebooks/12_min_gru.ipynb",                   # 10 s
    "notebooks/08_training.ipynb",                  # 9 s
]


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """The slowest files first (the rest as collected); chapter 15's nbval cells skipped, saying why,
    where the chorales are not on this machine."""
    rank = {path: at for at, path in enumerate(SLOWEST_FIRST)}
    items.sort(key=lambda item: rank.get(item.nodeid.split("::", 1)[0], len(rank)))
    if chorales_on_this_machine():
        return
    skip = pytest.mark.skip(reason=f"chapter 15 needs the JSB chorales and tests never download them: set "
                                   f"{COPY_VARIABLE} to a copy of {FILENAME} (the Makefile uses ../shared/data/)")
    for item in items:
        if Path(str(item.fspath)).name == CHORALES_CHAPTER:
            item.add_marker(skip)


def make_case(num_layers=1, bidirectional=False, batch_first=False, bias=True, with_h0=True,
              unbatched=False, I=5, H=7, T=6, N=3, seed=0, dtype=torch.float64):
    """A seeded torch GRU, an input x and h0 (or None) in NumPy, shaped for the configuration."""
    torch.manual_seed(seed)
    module = torch.nn.GRU(I, H, num_layers, bias=bias, batch_first=batch_first,
                          bidirectional=bidirectional).to(dtype)
    rng = np.random.default_rng(seed)
    np_dtype = np.float64 if dtype == torch.float64 else np.float32
    D = 2 if bidirectional else 1
    if unbatched:
        x_shape, h_shape = (T, I), (D * num_layers, H)
    else:
        x_shape = (N, T, I) if batch_first else (T, N, I)
        h_shape = (D * num_layers, N, H)
    x = rng.standard_normal(x_shape).astype(np_dtype)
    h0 = rng.standard_normal(h_shape).astype(np_dtype) if with_h0 else None
    return module, x, h0


def torch_forward(module, x, h0):
    """module(x, h0) with NumPy in and out."""
    with torch.no_grad():
        args = (torch.from_numpy(x),) if h0 is None else (torch.from_numpy(x), torch.from_numpy(h0))
        out, h_n = module(*args)
    return out.numpy(), h_n.numpy()

"""Shared helpers: a torch.nn.GRU and matching random inputs for one configuration.

And one collection rule for nbval: chapter 15's cells read the JSB chorales, which the tests never
download. `make test` points GRU_LESSON_CHORALES at the copy in ../shared/data beside the clone (see
the Makefile). Where neither that setting names an existing file nor the cache holds one, chapter
15's cells are skipped, with the reason, instead of failing on a download. (The rule lives here, not
in a notebooks/conftest.py, because the tests import this module as `conftest`.)
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


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Skip chapter 15's nbval cells, saying why, where the chorales are not on this machine."""
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

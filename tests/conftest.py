"""Shared helpers: a torch.nn.GRU and matching random inputs for one configuration."""

from __future__ import annotations

import numpy as np
import torch


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

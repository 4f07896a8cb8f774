"""Lab tool for every chapter: printed claims that raise when false, so no stored output can say "False".

A chapter proves things by printing them ("output equals torch.nn.GRU: True") and nbval compares
the printed text with the stored one. Printing alone is a snapshot: re-executing a chapter after a
bug would store "False" and every later run would agree with it. These helpers print the same
line and raise `ClaimFailed` when the claim does not hold, so a false claim stops the chapter.

    claim("output equals torch.nn.GRU", agree(output, expected, atol=1e-10))
    differ("reset before vs torch's reset after", before, after, more_than=1e-3)   # shown on purpose
"""

from __future__ import annotations

import numpy as np

__all__ = ["ClaimFailed", "agree", "claim", "differ"]


class ClaimFailed(AssertionError):
    """A claim a chapter prints turned out false: the chapter, or the code it checks, is wrong."""


def agree(a: object, b: object, atol: float, rtol: float = 0.0) -> bool:
    """True if a and b have the same shape and |a − b| ≤ atol + rtol·|b| everywhere (no broadcasting).

    >>> agree(np.ones(3), np.ones(3) + 1e-13, atol=1e-12), agree(np.ones(3), np.ones((1, 3)), atol=1.0)
    (True, False)
    """
    a, b = np.asarray(a), np.asarray(b)
    return a.shape == b.shape and bool(np.allclose(a, b, rtol=rtol, atol=atol))


def claim(statement: str, holds: object) -> None:
    """Print "statement: True", or raise ClaimFailed if `holds` is false.

    >>> claim("1 + 1 == 2", 1 + 1 == 2)
    1 + 1 == 2: True
    >>> claim("1 + 1 == 3", 1 + 1 == 3)
    Traceback (most recent call last):
    gru_lesson.lab.claims.ClaimFailed: the chapter claims "1 + 1 == 3", and it is false
    """
    if not isinstance(holds, (bool, np.bool_)):
        raise TypeError(f"expected a claim's truth as a bool, got {type(holds).__name__}: {holds!r}")
    if not holds:
        raise ClaimFailed(f'the chapter claims "{statement}", and it is false')
    print(f"{statement}: True")


def differ(statement: str, a: object, b: object, *, more_than: float) -> float:
    """A difference shown on purpose: print its size, rounded; raise ClaimFailed unless it exceeds `more_than`.

    Returns max |a − b|.

    >>> differ("sin vs its first Taylor term at 1", np.sin(1.0), 1.0, more_than=0.1)
    sin vs its first Taylor term at 1: differ by 0.16 (more than 0.1, as expected)
    0.1585290151921035
    """
    a, b = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
    if a.shape != b.shape:
        raise ValueError(f"expected two arrays of the same shape, got {a.shape} and {b.shape}")
    gap = float(np.max(np.abs(a - b)))
    if not gap > more_than:
        raise ClaimFailed(f'the chapter shows "{statement}" as a difference above {more_than:g}, but it is {gap:.3g}')
    print(f"{statement}: differ by {gap:.2g} (more than {more_than:g}, as expected)")
    return gap

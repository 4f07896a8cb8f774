"""Every chapter (plumbing, not a lesson): the checks that turn bad input into an error a learner can act on.

Every check raises a TypeError (wrong kind of thing, wrong dtype) or a ValueError (wrong shape,
non-finite values, nothing to compute), and the message names what was expected and what arrived.
"""

from __future__ import annotations

import numpy as np

__all__ = ["as_float_array", "check_finite", "check_shape", "positive_int"]

FLOAT_DTYPES = (np.float32, np.float64)


def as_float_array(value: object, name: str) -> np.ndarray:
    """Return `value` if it is a float32 or float64 NumPy array; otherwise raise a TypeError."""
    if not isinstance(value, np.ndarray):
        hint = " (convert a tensor with t.detach().numpy())" if type(value).__module__.startswith("torch") else ""
        raise TypeError(f"expected {name} as a NumPy array of float32 or float64, got {type(value).__name__}{hint}")
    if value.dtype not in FLOAT_DTYPES:
        raise TypeError(f"expected {name} of dtype float32 or float64, got {value.dtype}")
    return value


def check_finite(value: np.ndarray, name: str) -> None:
    """Raise a ValueError if `value` holds NaN or ±inf, saying how many and where the first is."""
    finite = np.isfinite(value)
    if not finite.all():
        bad = np.argwhere(~finite)
        first = tuple(int(i) for i in bad[0])
        raise ValueError(
            f"expected {name} to hold only finite numbers, got {len(bad)} NaN or inf value(s), "
            f"the first at index {first}: {value[first]}"
        )


def check_shape(value: np.ndarray, expected: tuple[int, ...], name: str, meaning: str) -> None:
    """Raise a ValueError unless `value.shape == expected`; `meaning` spells the shape in letters."""
    if value.shape != tuple(expected):
        raise ValueError(f"expected {name} of shape {meaning} = {tuple(expected)}, got {value.shape}")


def positive_int(name: str, value: object, minimum: int = 1) -> int:
    """Return `value` as an int if it is a whole number ≥ minimum (not a bool); else raise a ValueError.

    >>> positive_int("hidden_size", 4), positive_int("warmup", 0, minimum=0)
    (4, 0)
    >>> positive_int("hidden_size", 2.5)
    Traceback (most recent call last):
    ValueError: expected hidden_size to be a positive integer, got 2.5
    """
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < minimum:
        kind = {0: "a non-negative integer", 1: "a positive integer"}.get(minimum, f"an integer >= {minimum}")
        raise ValueError(f"expected {name} to be {kind}, got {value!r}")
    return int(value)

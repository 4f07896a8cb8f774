"""Every chapter (plumbing, not a lesson): the checks that turn bad input into an error a learner can act on.

Every check raises a TypeError (wrong kind of thing, wrong dtype) or a ValueError (wrong shape,
non-finite values, nothing to compute), and the message names what was expected and what arrived.

What is checked where. A function a learner calls for one step (an equation, `gru_cell`,
`rnn_step`) checks the kind, dtype and shape of every argument, and that its data (x_t, h_{t-1},
gate values) hold no NaN or inf, at every call: a few µs. It does not scan the weights for NaN
at every step: that is a pass over an (H, H) matrix per step, as long as the step's own product.
A function that runs a whole sequence (`gru_sequence`, `rnn_sequence`, the GRU layer's input)
checks everything once, then runs its steps inside `checked_once`, so they skip their own checks.
"""

from __future__ import annotations

import math
from typing import Any, Callable

import numpy as np

__all__ = ["already_checked", "as_float_array", "as_real_array", "check_bias", "check_dtype", "check_finite", "check_like", "check_shape",
           "check_step", "check_weights", "checked_once", "finite_float_array", "positive_int"]

FLOAT_DTYPES = (np.float32, np.float64)


def as_float_array(value: object, name: str) -> np.ndarray:
    """Return `value` if it is a float32 or float64 NumPy array; otherwise raise a TypeError."""
    if not isinstance(value, np.ndarray):
        hint = " (convert a tensor with t.detach().numpy())" if type(value).__module__.startswith("torch") else ""
        raise TypeError(f"expected {name} as a NumPy array of float32 or float64, got {type(value).__name__}{hint}")
    if value.dtype.char not in "fd":                      # float32, float64 (FLOAT_DTYPES), quicker than ==
        raise TypeError(f"expected {name} of dtype float32 or float64, got {value.dtype}")
    return value


def as_real_array(value: object, name: str) -> np.ndarray:
    """A number, or an array or list of real numbers, as a NumPy array; else a TypeError naming what arrived.

    For the elementwise functions (σ, tanh, g), which take a pre-activation of any shape. Integers
    are accepted (NumPy computes them in float64); text, None, booleans, dicts and tensors are not.

    >>> as_real_array([1, 2], "a")
    array([1, 2])
    >>> as_real_array("0.5", "a")
    Traceback (most recent call last):
    TypeError: expected a as a number or a NumPy array of numbers, got str
    """
    what = "a number or a NumPy array of numbers"
    if type(value).__module__.startswith("torch"):
        raise TypeError(f"expected {name} as {what}, got {type(value).__name__} (convert a tensor with t.detach().numpy())")
    try:
        array = np.asarray(value)
    except (TypeError, ValueError):                       # e.g. a ragged list
        raise TypeError(f"expected {name} as {what}, got {type(value).__name__} {value!r:.60}") from None
    if array.dtype.kind not in "fiu":                     # not text, objects, booleans or complex numbers
        got = type(value).__name__ if not isinstance(value, np.ndarray) else f"an array of dtype {value.dtype}"
        raise TypeError(f"expected {name} as {what}, got {got}")
    return array


def check_dtype(value: np.ndarray, dtype: np.dtype, name: str, of: str) -> None:
    """Raise a TypeError unless value has `dtype`, the dtype of the array called `of`.

    >>> check_dtype(np.zeros(2, np.float32), np.dtype(np.float64), "h_prev", "x")
    Traceback (most recent call last):
    TypeError: expected h_prev of dtype float64 (the dtype of x), got float32
    """
    if value.dtype != dtype:
        raise TypeError(f"expected {name} of dtype {dtype} (the dtype of {of}), got {value.dtype}")


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


def finite_float_array(value: object, name: str) -> np.ndarray:
    """`as_float_array` and `check_finite` in one: a float32 or float64 NumPy array free of NaN and inf.

    >>> finite_float_array(np.array([1.0, np.inf]), "h_prev")
    Traceback (most recent call last):
    ValueError: expected h_prev to hold only finite numbers, got 1 NaN or inf value(s), the first at index (1,): inf
    """
    if type(value) is np.ndarray and value.dtype.char in "fd" and math.isfinite(np.add.reduce(value, None)):
        return value                                       # the common case, at once (NaN or inf make the sum so)
    value = as_float_array(value, name)
    check_finite(value, name)
    return value


def check_like(value: object, like: np.ndarray, name: str, like_name: str) -> np.ndarray:
    """value: a NumPy array of like's dtype and shape, free of NaN and inf (z_t beside h_{t-1}, a gradient beside
    its parameter, ...); `like_name` is what like is called in the message.

    >>> check_like(np.zeros(3), np.zeros(2), "z", "h_prev")
    Traceback (most recent call last):
    ValueError: expected z of shape the shape of h_prev = (2,), got (3,)
    """
    if type(value) is np.ndarray and value.dtype is like.dtype and value.shape == like.shape \
            and math.isfinite(np.add.reduce(value, None)):
        return value                                       # the common case, at once
    value = as_float_array(value, name)
    check_dtype(value, like.dtype, name, like_name)
    check_shape(value, like.shape, name, f"the shape of {like_name}")
    check_finite(value, name)
    return value


def check_weights(W: object, U: object, b: object, dtype: np.dtype, names: tuple[str, str, str], *,
                  shape: tuple[int, int] | None = None, of: str = "x") -> tuple[int, int]:
    """One block's weights W (H, I), U (H, H), b (H,): NumPy arrays of `dtype`; returns (H, I).

    names: how the three are called in messages, e.g. ("W_r", "U_r", "b_r").
    shape: the (H, I) that W must have (another block's), or None to read it from W.
    of: the array whose dtype `dtype` is, for the message.
    Their values are not scanned for NaN here (see the module docstring).
    """
    if type(W) is type(U) is type(b) is np.ndarray and W.dtype is U.dtype is b.dtype is dtype and W.ndim == 2 \
            and (shape is None or W.shape == shape) and U.shape == (W.shape[0],) * 2 and b.shape == W.shape[:1]:
        return W.shape                                     # the common case, at once
    W_name, U_name, b_name = names
    W, U, b = as_float_array(W, W_name), as_float_array(U, U_name), as_float_array(b, b_name)
    for value, name in ((W, W_name), (U, U_name), (b, b_name)):
        check_dtype(value, dtype, name, of)
    if shape is None:
        if W.ndim != 2:
            raise ValueError(f"expected {W_name} of shape (H, I), got rank {W.ndim} with shape {W.shape}")
        shape = W.shape
    else:
        check_shape(W, shape, W_name, "(H, I)")
    H = shape[0]
    check_shape(U, (H, H), U_name, f"(H, H) with H = {W_name}.shape[0]")
    check_shape(b, (H,), b_name, f"(H,) with H = {W_name}.shape[0]")
    return shape


def check_bias(value: object, H: int, dtype: np.dtype, name: str, of: str) -> None:
    """A bias that may also be a plain number: a finite number, or an (H,) array of `dtype` free of NaN and inf.

    of: the weight whose rows H counts, for the message, e.g. "W_h" for b_Uh.
    Like the other weights, an array's values are not scanned for NaN here (see the module docstring).
    """
    if type(value) is np.ndarray and value.dtype is dtype and value.shape == (H,):
        return                                             # the common case, at once
    if isinstance(value, (int, float, np.integer, np.floating)) and not isinstance(value, (bool, np.bool_)):
        if not math.isfinite(value):
            raise ValueError(f"expected {name} to be a finite number, got {value!r}")
        return
    if not isinstance(value, np.ndarray):
        raise TypeError(f"expected {name} as a number or a NumPy array of float32 or float64, got {type(value).__name__}")
    check_dtype(as_float_array(value, name), dtype, name, "x")
    check_shape(value, (H,), name, f"(H,) with H = {of}.shape[0]")


def check_step(x: object, h_prev: object, W: object, U: object, b: object, *,
               names: tuple[str, str, str] = ("W", "U", "b"), weights_finite: bool = False) -> tuple[int, int]:
    """The inputs of one recurrent step, W x_t + U h_{t-1} + b; returns (H, I).

    x: x_t, (I,) or (N, I).  h_prev: h_{t-1}, (H,) or (N, H), batched like x.
    W: (H, I).  U: (H, H).  b: (H,).  names: what W, U, b are called in messages.
    All float32 or float64 NumPy arrays of one dtype (x's); x and h_prev finite, and the weights
    too if weights_finite. Nothing broadcasts: a batch of x needs a batch of h_prev.

    >>> check_step(np.zeros((2, 3)), np.zeros((2, 4)), np.zeros((4, 3)), np.zeros((4, 4)), np.zeros(4))
    (4, 3)
    >>> check_step(np.zeros((2, 3)), np.zeros((2, 5)), np.zeros((4, 3)), np.zeros((4, 4)), np.zeros(4))
    Traceback (most recent call last):
    ValueError: expected h_prev of shape (N, H) = (2, 4), got (2, 5)
    """
    if _plain_step(x, h_prev, W, U, b) and not weights_finite:       # the common case, at once
        return W.shape
    x = as_float_array(x, "x")
    h_prev = as_float_array(h_prev, "h_prev")
    check_dtype(h_prev, x.dtype, "h_prev", "x")
    H, I = check_weights(W, U, b, x.dtype, names)
    if x.ndim == 1:
        check_shape(x, (I,), "x", "(I,)")
        check_shape(h_prev, (H,), "h_prev", "(H,) for one unbatched x of shape (I,)")
    elif x.ndim == 2:
        N = x.shape[0]
        check_shape(x, (N, I), "x", "(N, I)")
        check_shape(h_prev, (N, H), "h_prev", "(N, H)")
    else:
        raise ValueError(f"expected x of shape (I,) or (N, I) with I = {I}, got rank {x.ndim} with shape {x.shape}")
    check_finite(x, "x")
    check_finite(h_prev, "h_prev")
    if weights_finite:
        for value, name in zip((W, U, b), names):
            check_finite(value, name)
    return H, I


def _plain_step(x: Any, h_prev: Any, W: Any, U: Any, b: Any) -> bool:
    """True if the step's inputs are certainly fine: the fast path of `check_step`, a few attribute look-ups.

    False means "look closer" (`check_step` then finds the error and words it, or finds none).
    """
    if not (type(x) is type(h_prev) is type(W) is type(U) is type(b) is np.ndarray):
        return False
    dtype = x.dtype
    if dtype.char not in "fd" or not (h_prev.dtype is dtype and W.dtype is dtype and U.dtype is dtype
                                     and b.dtype is dtype) or W.ndim != 2 or x.ndim not in (1, 2):
        return False
    H, I = W.shape
    return (x.shape[-1] == I and h_prev.shape == x.shape[:-1] + (H,) and U.shape == (H, H) and b.shape == (H,)
            and math.isfinite(np.add.reduce(x, None)) and math.isfinite(np.add.reduce(h_prev, None)))   # NaN, inf: the sum too


# ---- checking once for many steps ----------------------------------------------------------------


_depth = [0]     # how many `checked_once` blocks are open (one thread at a time runs the lessons' steps)


def already_checked() -> bool:
    """True inside a `checked_once` block: the caller has checked these inputs, the step can skip its own checks."""
    return _depth[0] > 0


class _Checked:
    """The context of `checked_once`: while open, `already_checked()` is True."""

    __slots__ = ()

    def __enter__(self) -> None:
        _depth[0] += 1

    def __exit__(self, *exc_info: object) -> None:
        _depth[0] -= 1


_CHECKED = _Checked()


def checked_once(check: Callable[..., Any], *args: Any) -> _Checked:
    """`with checked_once(check, *args):` runs check(*args), then the block, in which `already_checked()` is True.

    A function that calls many steps (gru_sequence, gru_cell) checks all their inputs once here;
    the steps it calls skip their checks. Inside another such block, check is not run again.

    >>> with checked_once(check_finite, np.zeros(2), "x"):
    ...     already_checked()
    True
    >>> already_checked()
    False
    """
    if not _depth[0]:
        check(*args)
    return _CHECKED

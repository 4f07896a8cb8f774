"""Every chapter: the shared machinery of the exercise checkers: compare an answer, explain the difference.

A checker never raises on a wrong answer; it returns a `Feedback` whose text is what the learner
reads. Known mistakes (torch's update convention where the notes' was asked for, the reset gate on
the wrong side of U_h, ...) are recognised by value and named, because "wrong by 0.3" helps nobody.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

__all__ = ["ATOL", "MISTAKE_TOLERANCE", "RTOL", "Feedback", "as_numbers", "as_whole_number", "check_array",
           "check_whole_number", "one_number"]

RTOL, ATOL = 1e-6, 1e-8
"""check_array's default tolerance: an answer computed in float64 (or float32) code passes, a
near miss does not."""

MISTAKE_TOLERANCE = 0.01
"""How close a count must be to a known mistake's value to be named (6.58 for 6.5788, as a page rounds it)."""


@dataclass(frozen=True)
class Feedback:
    """The verdict on one answer. `bool(feedback)` is whether it is right; printing shows `message`."""

    ok: bool
    message: str

    def __bool__(self) -> bool:
        return self.ok

    def __repr__(self) -> str:
        return self.message

    __str__ = __repr__


def check_array(
    answer: object,
    expected: np.ndarray,
    what: str,
    *,
    mistakes: dict[str, np.ndarray] | None = None,
    rtol: float = RTOL,
    atol: float = ATOL,
) -> Feedback:
    """Compare a learner's array with the expected one and say what differs.

    answer: what the learner computed (a NumPy array, a number, a nested list, a torch tensor;
        None means "not attempted yet"). Anything else (text, a dict, ...) is refused with a message.
    expected: the right array.  what: how to call the answer in the message, e.g. "h_t".
    mistakes: {explanation: array} of known wrong answers; a match names the mistake.
    rtol, atol: the tolerance of np.allclose. An answer that is the right one rounded (to 3 or
        more significant digits or decimals, as a printout shows it) is told so.

    >>> check_array(np.array([1.0, 2.0]), np.array([1.0, 2.0]), "h_t")
    Correct: h_t matches.
    >>> check_array(np.array([1.0]), np.array([1.0, 2.0]), "h_t")
    Not yet: h_t has shape (1,), but the answer has shape (2,).
    >>> check_array(-5.895, np.array(-5.895122), "b_z")  # doctest: +NORMALIZE_WHITESPACE
    Not yet: b_z is the answer rounded to 3 decimal places. The check compares to a relative
    tolerance of 1e-06: pass the value your code computed (the variable itself), not a number copied from a printout.
    """
    expected = np.asarray(expected)
    if answer is None:
        return Feedback(False, f"Not yet: {what} is still None. Replace the None with your computation.")
    got = as_numbers(answer)
    if got is None:
        return Feedback(False, f"Not yet: {what} should be an array of numbers, got {_kind(answer)}.")
    if got.shape != expected.shape:
        return Feedback(False, f"Not yet: {what} has shape {got.shape}, but the answer has shape {expected.shape}.")
    if not np.isfinite(got).all():
        return Feedback(False, f"Not yet: {what} contains NaN or inf. Look for an overflow or a division by zero.")
    if np.allclose(got, expected, rtol=rtol, atol=atol):
        return Feedback(True, f"Correct: {what} matches.")
    for explanation, wrong in (mistakes or {}).items():
        if np.shape(wrong) == got.shape and np.allclose(got, wrong, rtol=rtol, atol=atol):
            return Feedback(False, f"Not yet: {what} is what you get when {explanation}.")
    rounded = _rounding(got, expected)
    if rounded:
        return Feedback(False, f"Not yet: {what} is the answer rounded to {rounded}. The check compares to a "
                               f"relative tolerance of {rtol:g}: pass the value your code computed (the variable "
                               "itself), not a number copied from a printout.")
    diff = np.abs(got - expected)
    worst = tuple(int(i) for i in np.unravel_index(np.argmax(diff), diff.shape))
    where = f" at index {worst}" if got.ndim else ""
    yours, right = _two_numbers(float(got[worst]), float(expected[worst]))
    return Feedback(
        False,
        f"Not yet: {what} has the right shape, but differs from the answer by up to {diff.max():.3g}{where} "
        f"(you have {yours}, expected {right}).",
    )


def as_numbers(answer: object, *, booleans: bool = True) -> np.ndarray | None:
    """An answer as a float array, or None if it is not made of numbers (text, a dict, a ragged list, ...).

    booleans: whether True and False count as numbers (1 and 0), as for a mask; not for a count.
    A torch tensor, even one that requires grad, is read through its detach() and numpy() methods.
    """
    if hasattr(answer, "detach") and hasattr(answer, "numpy"):
        answer = answer.detach().cpu().numpy()
    try:
        raw = np.asarray(answer)
    except (TypeError, ValueError):               # e.g. a ragged list
        return None
    if raw.dtype.kind not in ("biuf" if booleans else "iuf"):   # not text, objects or complex numbers
        return None
    return raw.astype(float)


def one_number(answer: object) -> object:
    """A one-element answer (0.5, [0.5], np.array([[0.5]]), a tensor) as a 0-d array; anything else unchanged.

    For checkers whose answer is a single number: a number in any container is compared as that
    number, and everything else reaches `check_array` as it is, which says what is wrong with it.

    >>> one_number([0.5]), one_number("0.5")
    (array(0.5), '0.5')
    """
    values = None if answer is None else as_numbers(answer)
    return values.reshape(()) if values is not None and values.size == 1 else answer


def _kind(answer: object) -> str:
    """What an answer is, in a word: its type's name, or "text" for a string."""
    return "text " + repr(answer)[:40] if isinstance(answer, (str, bytes)) else type(answer).__name__


def _rounding(got: np.ndarray, expected: np.ndarray) -> str | None:
    """"4 significant digits" or "3 decimal places" if got is expected rounded so (3 to 12 digits); else None."""
    for digits in range(3, 13):
        if _same(got, np.round(expected, digits)):
            return f"{digits} decimal places"
        if _same(got, _round_significant(expected, digits)):
            return f"{digits} significant digits"
    return None


def _same(a: np.ndarray, b: np.ndarray) -> bool:
    """Equal up to the last few bits of a float64 (what typing a printed number back in reproduces)."""
    return bool(np.allclose(a, b, rtol=1e-12, atol=1e-300))


def _round_significant(values: np.ndarray, digits: int) -> np.ndarray:
    """values rounded to `digits` significant digits, each on its own scale (0 stays 0)."""
    with np.errstate(divide="ignore"):
        exponent = np.floor(np.log10(np.abs(values)))
    scale = 10.0 ** (digits - 1 - np.where(np.isfinite(exponent), exponent, 0))
    return np.round(values * scale) / scale


def _two_numbers(yours: float, right: float) -> tuple[str, str]:
    """The two numbers with enough significant digits (at least 4) to tell them apart."""
    for digits in range(4, 18):
        a, b = f"{yours:.{digits}g}", f"{right:.{digits}g}"
        if a != b:
            return a, b
    return f"{yours!r}", f"{right!r}"


def as_whole_number(answer: object, what: str) -> tuple[int | None, Feedback | None]:
    """A learner's count -> (the int, None), or (None, a Feedback saying why it is not one).

    Accepted: an int, a NumPy integer, a float equal to a whole number (7.0), or one such number in
    a list or array ([7]). Refused with a message: None, text, several numbers, a fraction, NaN.

    >>> as_whole_number(7.0, "t"), as_whole_number([7], "t")
    ((7, None), (7, None))
    >>> as_whole_number(6.58, "t")[1]
    Not yet: t should be a whole number, got 6.58.
    """
    if answer is None:
        return None, Feedback(False, f"Not yet: {what} is still None. Replace the None with your answer.")
    if isinstance(answer, (bool, np.bool_, str, bytes)):
        return None, Feedback(False, f"Not yet: {what} should be a whole number, got {answer!r}.")
    values = as_numbers(answer, booleans=False)
    if values is None:
        return None, Feedback(False, f"Not yet: {what} should be a whole number, got {type(answer).__name__}.")
    values = values.ravel()
    if values.size != 1:
        return None, Feedback(False, f"Not yet: {what} should be one whole number, got {values.size} numbers.")
    value = float(values[0])
    if not math.isfinite(value) or value != round(value):
        return None, Feedback(False, f"Not yet: {what} should be a whole number, got {value:.15g}.")
    return int(round(value)), None


def check_whole_number(
    answer: object,
    expected: int,
    what: str,
    *,
    mistakes: dict[float, str] | None = None,
    hint: str = "",
) -> Feedback:
    """Compare a learner's count with the expected one, naming a known mistake when it matches.

    mistakes: {wrong value: explanation}; a value need not be whole (6.58 for a half-life not rounded
    up) and matches within MISTAKE_TOLERANCE = 0.01, so a value typed as the page rounds it is recognised.
    hint: said when the answer is a whole number but neither right nor a known mistake.

    >>> check_whole_number(7, 7, "t")
    Correct: t = 7.
    >>> check_whole_number(6.58, 7, "t", mistakes={6.5788: "you did not round up"})
    Not yet: t = 6.58 is what you get when you did not round up.
    """
    values = as_numbers(answer, booleans=False)
    if values is not None and values.size == 1:
        value = float(values.ravel()[0])
        for wrong, explanation in (mistakes or {}).items():
            if abs(value - wrong) <= MISTAKE_TOLERANCE and abs(wrong - expected) > MISTAKE_TOLERANCE:
                return Feedback(False, f"Not yet: {what} = {value:.15g} is what you get when {explanation}.")
    got, refusal = as_whole_number(answer, what)
    if refusal is not None:
        return refusal
    if got == expected:
        return Feedback(True, f"Correct: {what} = {expected}.")
    return Feedback(False, f"Not yet: {what} = {got} is not right{': ' + hint if hint else ''}.")

"""Every chapter: the shared machinery of the exercise checkers: compare an answer, explain the difference.

A checker never raises on a wrong answer; it returns a `Feedback` whose text is what the learner
reads. Known mistakes (torch's update convention where the notes' was asked for, the reset gate on
the wrong side of U_h, ...) are recognised by value and named, because "wrong by 0.3" helps nobody.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

__all__ = ["Feedback", "as_whole_number", "check_array", "check_whole_number"]


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
    rtol: float = 1e-6,
    atol: float = 1e-8,
) -> Feedback:
    """Compare a learner's array with the expected one and say what differs.

    answer: what the learner computed (anything array-like; None means "not attempted yet").
    expected: the right array.  what: how to call the answer in the message, e.g. "h_t".
    mistakes: {explanation: array} of known wrong answers; a match names the mistake.
    rtol, atol: the tolerance of np.allclose.

    >>> check_array(np.array([1.0, 2.0]), np.array([1.0, 2.0]), "h_t")
    Correct: h_t matches.
    >>> check_array(np.array([1.0]), np.array([1.0, 2.0]), "h_t")
    Not yet: h_t has shape (1,), but the answer has shape (2,).
    """
    expected = np.asarray(expected)
    if answer is None:
        return Feedback(False, f"Not yet: {what} is still None. Replace the None with your computation.")
    try:
        got = np.asarray(answer, dtype=float)
    except (TypeError, ValueError):
        return Feedback(False, f"Not yet: {what} should be an array of numbers, got {type(answer).__name__}.")
    if got.shape != expected.shape:
        return Feedback(False, f"Not yet: {what} has shape {got.shape}, but the answer has shape {expected.shape}.")
    if not np.isfinite(got).all():
        return Feedback(False, f"Not yet: {what} contains NaN or inf. Look for an overflow or a division by zero.")
    if np.allclose(got, expected, rtol=rtol, atol=atol):
        return Feedback(True, f"Correct: {what} matches.")
    for explanation, wrong in (mistakes or {}).items():
        if np.shape(wrong) == got.shape and np.allclose(got, wrong, rtol=rtol, atol=atol):
            return Feedback(False, f"Not yet: {what} is what you get when {explanation}.")
    diff = np.abs(got - expected)
    worst = tuple(int(i) for i in np.unravel_index(np.argmax(diff), diff.shape))
    where = f" at index {worst}" if got.ndim else ""
    return Feedback(
        False,
        f"Not yet: {what} has the right shape, but differs from the answer by up to {diff.max():.3g}{where} "
        f"(you have {got[worst]:.4g}, expected {expected[worst]:.4g}).",
    )


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
    try:
        values = np.asarray(answer, dtype=float).ravel()
    except (TypeError, ValueError):
        return None, Feedback(False, f"Not yet: {what} should be a whole number, got {type(answer).__name__}.")
    if values.size != 1:
        return None, Feedback(False, f"Not yet: {what} should be one whole number, got {values.size} numbers.")
    value = float(values[0])
    if not math.isfinite(value) or value != round(value):
        return None, Feedback(False, f"Not yet: {what} should be a whole number, got {value:g}.")
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
    up) and matches within 0.01, so a value typed as the page rounds it is recognised.
    hint: said when the answer is a whole number but neither right nor a known mistake.

    >>> check_whole_number(7, 7, "t")
    Correct: t = 7.
    >>> check_whole_number(6.58, 7, "t", mistakes={6.5788: "you did not round up"})
    Not yet: t = 6.58 is what you get when you did not round up.
    """
    for wrong, explanation in (mistakes or {}).items():
        try:
            close = abs(float(np.asarray(answer, dtype=float).ravel()[0]) - wrong) <= 0.01
        except (TypeError, ValueError, IndexError):
            close = False
        if close and abs(wrong - expected) > 0.01:
            return Feedback(False, f"Not yet: {what} = {float(np.asarray(answer, dtype=float).ravel()[0]):g} "
                                   f"is what you get when {explanation}.")
    got, refusal = as_whole_number(answer, what)
    if refusal is not None:
        return refusal
    if got == expected:
        return Feedback(True, f"Correct: {what} = {expected}.")
    return Feedback(False, f"Not yet: {what} = {got} is not right{': ' + hint if hint else ''}.")

"""The shared machinery of the exercise checkers: compare an answer, explain the difference.

A checker never raises on a wrong answer; it returns a `Feedback` whose text is what the learner
reads. Known mistakes (torch's update convention where the notes' was asked for, the reset gate on
the wrong side of U_h, ...) are recognised by value and named, because "wrong by 0.3" helps nobody.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

__all__ = ["Feedback", "check_array"]


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

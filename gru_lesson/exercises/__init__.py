"""Every chapter: checkers for the chapters' exercises: one file per chapter, all built on `feedback`.

Each checker takes the learner's answer and returns a `Feedback`: truthy when the answer is right,
and whose printed form says, in plain words, what is right or what is wrong and where to look.
"""

from .feedback import Feedback, check_array

__all__ = ["Feedback", "check_array"]

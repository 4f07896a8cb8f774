"""A helper for the checker tests: a wrong answer must get a falsy verdict, not only the right words."""

from __future__ import annotations


def not_yet(verdict: object, *words: str) -> None:
    """Assert that verdict is a failing Feedback whose message starts "Not yet:" and contains every one of words."""
    text = str(verdict)
    assert not verdict, f"a wrong answer passed: {text}"
    assert text.startswith("Not yet:"), text
    for word in words:
        assert word in text, f"{word!r} not in {text!r}"

"""The tests' own environment helpers: CI=false is not CI, and children get no PYTHONPATH."""

from __future__ import annotations

import pytest
from environment import clean_env, in_ci


@pytest.mark.parametrize("value, expected", [("true", True), ("1", True), ("YES", True),
                                             ("false", False), ("0", False), ("", False)])
def test_ci_means_a_true_value(monkeypatch, value, expected):
    monkeypatch.setenv("CI", value)
    assert in_ci() is expected


def test_no_ci_variable_is_not_ci(monkeypatch):
    monkeypatch.delenv("CI", raising=False)
    assert not in_ci()


def test_clean_env_drops_pythonpath(monkeypatch):
    monkeypatch.setenv("PYTHONPATH", "/somewhere/else")
    env = clean_env(EXTRA="1")
    assert "PYTHONPATH" not in env and env["EXTRA"] == "1" and env["PATH"]

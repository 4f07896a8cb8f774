"""The tests' own environment helpers: CI=false is not CI, children get no PYTHONPATH, and the
files that conftest.py hands out first exist."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import SLOWEST_FIRST
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


def test_the_slowest_files_first_are_files_of_the_suite():
    root = Path(__file__).resolve().parents[1]
    missing = [path for path in SLOWEST_FIRST if not (root / path).is_file()]
    assert not missing, f"conftest.py's SLOWEST_FIRST names files that are gone (renamed?): {missing}"
    assert len(set(SLOWEST_FIRST)) == len(SLOWEST_FIRST)

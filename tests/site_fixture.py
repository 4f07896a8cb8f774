"""The built book, shared by the tests that read it (test_book.py, test_browser.py): built once a run.

A fresh warnings-as-errors build from the chapters' stored outputs (nothing is executed; nbval
proves those outputs current): every page is rebuilt, so that no warning hides behind Sphinx's
incremental build. Each test module that imports `site` gets its own fixture, and all of them share the one
build below.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from environment import clean_env

ROOT = Path(__file__).resolve().parents[1]
BUILD = ROOT / "_build"
HTML = BUILD / "html"

_build_result: list[subprocess.CompletedProcess] = []  # the one build of this test run


def build_site() -> subprocess.CompletedProcess:
    """Build the book into _build/html the first time it is called; later calls return that build."""
    if not _build_result:
        for stale in (HTML, BUILD / ".doctrees", BUILD / "jupyter_execute"):
            shutil.rmtree(stale, ignore_errors=True)
        jupyter_book = Path(sys.executable).with_name("jupyter-book")
        _build_result.append(subprocess.run(
            [str(jupyter_book), "build", str(ROOT), "--warningiserror", "--keep-going"],
            capture_output=True, text=True, timeout=900, env=clean_env()))
    return _build_result[0]


@pytest.fixture(scope="module")
def site() -> Path:
    result = build_site()
    assert result.returncode == 0, "the book build failed:\n" + result.stdout[-4000:] + result.stderr[-4000:]
    return HTML

"""The built book, shared by the tests that read it (test_book.py, test_browser.py): built once a run.

Once a run also when pytest-xdist runs those files in different worker processes: the first worker
to ask builds under a file lock and records the result for this run (PYTEST_XDIST_TESTRUNUID); the
others wait for the lock and read it.

A fresh warnings-as-errors build from the chapters' stored outputs (nothing is executed; nbval
proves those outputs current): every page is rebuilt, so that no warning hides behind Sphinx's
incremental build. Each test module that imports `site` gets its own fixture, and all of them share the one
build below.
"""

from __future__ import annotations

import fcntl
import json
import os
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


def _build() -> subprocess.CompletedProcess:
    for stale in (HTML, BUILD / ".doctrees", BUILD / "jupyter_execute"):
        shutil.rmtree(stale, ignore_errors=True)
    jupyter_book = Path(sys.executable).with_name("jupyter-book")
    return subprocess.run([str(jupyter_book), "build", str(ROOT), "--warningiserror", "--keep-going"],
                          capture_output=True, text=True, timeout=900, env=clean_env())


def build_site() -> subprocess.CompletedProcess:
    """Build the book into _build/html the first time it is called; later calls return that build."""
    if _build_result:
        return _build_result[0]
    run = os.environ.get("PYTEST_XDIST_TESTRUNUID")
    if run is None:                                   # one process: build here
        _build_result.append(_build())
        return _build_result[0]
    BUILD.mkdir(exist_ok=True)
    record = BUILD / "site-build.json"
    with open(BUILD / "site-build.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)              # one worker builds; the others wait here
        done = json.loads(record.read_text()) if record.exists() else {}
        if done.get("run") != run:
            result = _build()
            done = {"run": run, "returncode": result.returncode, "stdout": result.stdout[-8000:],
                    "stderr": result.stderr[-8000:]}
            record.write_text(json.dumps(done))
    _build_result.append(subprocess.CompletedProcess("jupyter-book build", done["returncode"],
                                                     done["stdout"], done["stderr"]))
    return _build_result[0]


@pytest.fixture(scope="module")
def site() -> Path:
    result = build_site()
    assert result.returncode == 0, "the book build failed:\n" + result.stdout[-4000:] + result.stderr[-4000:]
    return HTML

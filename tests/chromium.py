"""Debian's Chromium, driven by Playwright: the browser of test_browser.py and test_jupyterlab.py.

Browsers that a tool downloads for itself cannot be had on this project's machines, so Playwright
for Python launches /usr/bin/chromium. A test module gets the module-scoped `browser` fixture by
importing it (`from chromium import browser`). Without Chromium or Playwright the fixture skips with
how to get them; in CI (CI is set, as .ci/run runs) a skip would hide a broken site or notebook, so
there it fails instead (`unavailable`).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from environment import in_ci

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]


def unavailable(reason: str) -> None:
    """Skip, or in CI fail: there the browser tests must run."""
    if in_ci():
        pytest.fail(f"{reason}\n(CI is set: this test must run in CI, a skip is a failure)", pytrace=False)
    pytest.skip(reason)


@pytest.fixture(scope="module")
def browser():
    if not CHROMIUM.is_file():
        unavailable(f"no Chromium at {CHROMIUM}: install Debian's chromium: apt-get install chromium")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        unavailable("Playwright for Python is missing: .venv/bin/pip install -r requirements.txt")
    # launch() gives every browser a fresh profile (user data dir) of its own, removed at close.
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()

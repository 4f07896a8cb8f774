"""The chapters in JupyterLab, as a learner runs them: `make lab`, a browser, Run All Cells.

`make lab` starts JupyterLab (its install step skipped: `make -o .venv/.installed`, the venv being
the one this test runs in) headless on 127.0.0.1, on a free port, with a token and `--no-browser`.
Its root is a temporary folder holding a copy of one short chapter in `notebooks/`, so that nothing
the run does (outputs, checkpoints) touches the repository, and so that `gru_lesson` must come from
the environment, as it does for a learner whose notebook has no `../gru_lesson` beside it. Jupyter's
config, data, runtime, settings and workspace folders are temporary too: nothing of this machine's
user set-up takes part. The Makefile turns off what would reach the network (the news feed, the
update check, the PyPI extension manager); the test checks that in the page's configuration.

Debian's Chromium (/usr/bin/chromium), driven by Playwright (tests/chromium.py), opens the
chapter with every request to another address aborted and reported, runs it with the Run menu's
"Run All Cells" and waits until the kernel is idle with no cell queued. Then no cell may have an
error output, every code cell must have run, and a line the chapter prints must be on the page.
A second notebook, written by the test, shows an ipywidgets slider through `interactive` (the way
chapter 11's explorer does): the widget must render and its output must show; and its kernel must
be the Python of the environment that `make lab` ran from. The server is then
shut down through its API.

Without Chromium, Playwright, JupyterLab or make the test is skipped with how to get them; in CI
(CI is set, as .ci/run runs) a skip fails instead.
"""

from __future__ import annotations

import json
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from chromium import browser, unavailable  # noqa: F401  (the fixture: Debian's Chromium, or a skip that fails in CI)
from environment import clean_env

ROOT = Path(__file__).resolve().parents[1]
VIEWPORT = {"width": 1280, "height": 800}

CHAPTER = "01_why_gates"                      # short: about 2 s of computing
KNOWN_LINE = "same as torch.nn.RNN: True"     # one of its printed proofs
WIDGET_CELL = '''\
from ipywidgets import FloatSlider, interactive

def explore(x_t=0.5):
    print(f"explorer says x_t = {x_t:.2f}")

interactive(explore, x_t=FloatSlider(value=0.25, min=-4.0, max=4.0, step=0.05, description="x_t"))
'''
KERNEL_CELL = 'import sys\nprint("kernel prefix:", sys.prefix)'
# What JupyterLab's settings change for the test: every cell in the page (no windowing), no autosave.
SETTINGS = {
    "@jupyterlab/notebook-extension/tracker.jupyterlab-settings": {"windowingMode": "none"},
    "@jupyterlab/docmanager-extension/plugin.jupyterlab-settings": {"autosave": False},
}


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def api(url: str, token: str, method: str = "GET") -> int:
    request = urllib.request.Request(url, method=method, headers={"Authorization": f"token {token}"})
    with urllib.request.urlopen(request, timeout=5) as response:
        return response.status


def notebook(*sources: str) -> dict:
    cells = [{"cell_type": "code", "execution_count": None, "id": f"cell-{i}", "metadata": {}, "outputs": [],
              "source": source} for i, source in enumerate(sources)]
    return {"cells": cells, "nbformat": 4, "nbformat_minor": 5,
            "metadata": {"kernelspec": {"display_name": "Python 3", "language": "python", "name": "python3"}}}


@pytest.fixture(scope="module")
def lab(tmp_path_factory):
    """`make lab` on a temporary root; yields (origin, token, root); shuts the server down."""
    jupyter = Path(sys.executable).with_name("jupyter")
    if not (Path(sys.executable).with_name("jupyter-lab").is_file() and jupyter.is_file()):
        unavailable(f"JupyterLab is not installed in {sys.prefix}: .venv/bin/pip install -r requirements.txt")
    if shutil.which("make") is None:
        unavailable("make is missing (the README's way in): apt-get install make")

    home = tmp_path_factory.mktemp("jupyterlab")
    root = home / "root"
    (root / "notebooks").mkdir(parents=True)
    shutil.copy2(ROOT / "notebooks" / f"{CHAPTER}.ipynb", root / "notebooks")
    (root / "notebooks" / "widgets.ipynb").write_text(json.dumps(notebook(WIDGET_CELL, KERNEL_CELL)))
    for name, values in SETTINGS.items():
        (home / "settings" / name).parent.mkdir(parents=True, exist_ok=True)
        (home / "settings" / name).write_text(json.dumps(values))
    env = clean_env(JUPYTER_CONFIG_DIR=str(home / "config"), JUPYTER_DATA_DIR=str(home / "data"),
                    JUPYTER_RUNTIME_DIR=str(home / "runtime"), IPYTHONDIR=str(home / "ipython"),
                    JUPYTERLAB_SETTINGS_DIR=str(home / "settings"), JUPYTERLAB_WORKSPACES_DIR=str(home / "workspaces"))
    env.pop("JUPYTER_PATH", None)

    port, token = free_port(), secrets.token_hex(16)
    origin = f"http://127.0.0.1:{port}"
    lab_args = [f"--port={port}", "--ServerApp.port_retries=0", "--ServerApp.ip=127.0.0.1", "--no-browser",
                f"--IdentityProvider.token={token}", "--expose-app-in-browser"]
    if os.geteuid() == 0:  # CI and containers run as root, which Jupyter refuses unless told
        lab_args.append("--allow-root")
    log = (home / "lab.log").open("w")
    server = subprocess.Popen(
        ["make", "--no-print-directory", "-o", ".venv/.installed", "lab", f"BIN={Path(sys.executable).parent}",
         f"LAB_ROOT={root}", f"LAB_ARGS={' '.join(lab_args)}"],
        cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, start_new_session=True)

    def server_log() -> str:
        log.flush()
        return (home / "lab.log").read_text()[-4000:]

    try:
        deadline = time.monotonic() + 60
        while True:
            if server.poll() is not None:
                pytest.fail(f"`make lab` exited with {server.returncode}:\n{server_log()}")
            try:
                if api(f"{origin}/api/status", token) == 200:
                    break
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                pass
            if time.monotonic() > deadline:
                pytest.fail(f"JupyterLab did not answer on {origin} within 60 s:\n{server_log()}")
            time.sleep(0.25)
        yield origin, token, root, server_log
    finally:
        try:
            api(f"{origin}/api/shutdown", token, method="POST")
            server.wait(timeout=20)
        except Exception:  # noqa: BLE001  (whatever went wrong, the server must not outlive the test)
            os.killpg(server.pid, signal.SIGTERM)
            try:
                server.wait(timeout=10)
            except subprocess.TimeoutExpired:
                os.killpg(server.pid, signal.SIGKILL)
                server.wait()
        log.close()


class Lab:
    """A fresh browser context on the JupyterLab page, the network cut, recording what went wrong."""

    def __init__(self, browser, origin: str, token: str):
        self.origin = origin
        self.offsite: list[str] = []
        self.console: list[str] = []
        self.context = browser.new_context(viewport=VIEWPORT)
        self.context.set_default_timeout(30_000)
        self.context.route("**/*", self._only_this_machine)
        self.page = self.context.new_page()
        self.page.on("console", lambda m: self.console.append(m.text) if m.type == "error" else None)
        self.page.on("pageerror", lambda error: self.console.append(f"uncaught exception: {error}"))
        self.token = token

    def _only_this_machine(self, route):
        url = route.request.url
        if url.startswith((self.origin, "data:", "blob:")):
            route.continue_()
        else:
            self.offsite.append(url)
            route.abort()

    def open(self, path: str) -> None:
        """Open a notebook (a learner's URL or a double click in the file browser) and wait for its kernel."""
        if not self.page.url.startswith(self.origin):
            self.page.goto(f"{self.origin}/lab/tree/{path}?token={self.token}")
        else:
            self.page.evaluate("path => { window.jupyterapp.commands.execute('docmanager:open', {path}); }", path)
        self.page.wait_for_function(
            """path => { const w = window.jupyterapp && window.jupyterapp.shell.currentWidget;
                         return w && w.context && w.context.path === path && w.content.widgets.length > 0
                                && w.sessionContext.session && w.sessionContext.session.kernel
                                && w.sessionContext.session.kernel.status === 'idle'; }""",
            arg=path, timeout=60_000)

    def run_all_cells(self, timeout_s: float = 60) -> dict:
        """Run > Run All Cells, from the menu bar; wait until nothing is queued; the notebook as JSON."""
        self.page.locator(".lm-MenuBar-itemLabel", has_text="Run").first.click()
        self.page.locator(".lm-Menu-item[data-command='notebook:run-all-cells'], "
                          ".lm-Menu-item[data-command='runmenu:run-all']").first.click()
        self.page.wait_for_function(
            """() => { const w = window.jupyterapp.shell.currentWidget;
                       const cells = w.context.model.toJSON().cells.filter(c => c.cell_type === 'code');
                       const queued = [...w.node.querySelectorAll('.jp-InputPrompt')]
                         .some(p => p.textContent.includes('*'));
                       const failed = cells.some(c => c.outputs.some(o => o.output_type === 'error'));
                       return w.sessionContext.session.kernel.status === 'idle' && !queued
                              && (failed || cells.every(c => c.execution_count !== null)); }""",
            timeout=timeout_s * 1000, polling=200)
        return self.page.evaluate("() => window.jupyterapp.shell.currentWidget.context.model.toJSON()")

    def close(self) -> None:
        self.context.close()


def errors_in(nb: dict) -> list[str]:
    code = [c for c in nb["cells"] if c["cell_type"] == "code"]
    return [f"code cell {i}: {o['ename']}: {o['evalue']}" for i, cell in enumerate(code)
            for o in cell["outputs"] if o["output_type"] == "error"]


def test_a_chapter_runs_in_jupyterlab_from_make_lab(browser, lab):
    origin, token, root, server_log = lab
    committed = json.loads((ROOT / "notebooks" / f"{CHAPTER}.ipynb").read_text(encoding="utf-8"))
    assert KNOWN_LINE in json.dumps(committed), (
        f"{CHAPTER} no longer prints {KNOWN_LINE!r}: choose another line it prints for KNOWN_LINE")

    visit = Lab(browser, origin, token)
    try:
        visit.open(f"notebooks/{CHAPTER}.ipynb")
        config = visit.page.evaluate("() => JSON.parse(document.getElementById('jupyter-config-data').textContent)")
        assert config.get("news", {}).get("disabled") is True, "the news feed is on: `make lab` must turn it off"
        assert config.get("extensionManager", {}).get("can_install") is False, (
            "the extension manager searches PyPI: `make lab` must make it read-only")
        kernel = visit.page.evaluate("() => window.jupyterapp.shell.currentWidget.sessionContext.kernelDisplayName")

        ran = visit.run_all_cells()
        code = [c for c in ran["cells"] if c["cell_type"] == "code"]
        problems = errors_in(ran)
        problems += [f"code cell {i} did not run" for i, c in enumerate(code) if c["execution_count"] is None]
        shown = visit.page.locator(".jp-OutputArea-output", has_text=KNOWN_LINE).count()
        assert not problems and shown, (
            f"{CHAPTER} run with Run All Cells in JupyterLab (kernel {kernel!r}):\n  " + "\n  ".join(problems)
            + ("" if shown else f"\n  the page does not show {KNOWN_LINE!r}")
            + "".join(f"\n  browser console: {line}" for line in visit.console[-10:])
            + f"\nserver log:\n{server_log()}")

        visit.open("notebooks/widgets.ipynb")
        ran = visit.run_all_cells()
        assert not errors_in(ran), errors_in(ran)
        prefix = "".join(ran["cells"][1]["outputs"][0]["text"]).removeprefix("kernel prefix: ").strip()
        assert prefix == sys.prefix, f"the kernel runs in {prefix}, not in the course's environment {sys.prefix}"
        slider = visit.page.locator(".jp-OutputArea-output .widget-slider")
        slider.wait_for(state="visible", timeout=10_000)
        said = visit.page.locator(".jp-OutputArea-output", has_text="explorer says x_t = 0.25")
        said.first.wait_for(state="visible", timeout=10_000)
        assert not visit.offsite, "JupyterLab needed the network:\n  " + "\n  ".join(visit.offsite)
    finally:
        visit.close()

r"""The built site in a real browser, with the network cut: what a reader sees, page by page.

Playwright for Python drives Debian's Chromium (/usr/bin/chromium; browsers that a tool downloads
for itself cannot be had on this project's machines). The book built by `site_fixture` is served
from _build/html on 127.0.0.1 by a thread of this process, and every request for any other
address is aborted and reported: a page that needs the network to render is broken for a reader
offline. Links to other sites (launch buttons, the repository) are fine: they are only hrefs.

Every page of the table of contents is opened in a fresh browser profile (a first visit) and must
- log no console error and throw no uncaught exception;
- make no failed request, no request answered with an HTTP error, no request off the machine;
- have its maths typeset: every `.math` element holds a MathJax `mjx-container`, no MathJax error,
  no raw `$$`, `\(` or `\[` left in the text outside code;
- have every image loaded (chapters: at least one plot in the outputs);
- show the repository and download buttons, and on chapters the launch button whose Binder and
  Colab links are exactly the URLs built from _config.yml.
The search page finds "update gate"; the "next" links walk the book in the order of _toc.yml.
Opened from disk (file://) with the network cut, a chapter still renders its maths and plots,
navigation works and search finds its pages.

A screenshot of each page is saved in _build/screenshots/ for people to look at.

Without Chromium (or Playwright) the tests are skipped with how to get it; in CI (CI is set, as
.ci/run runs) a skip would hide a broken site, so there they fail instead.
"""

from __future__ import annotations

import functools
import http.server
import json
import threading
from pathlib import Path

import pytest
import yaml
from site_fixture import BUILD, ROOT, site  # noqa: F401  (the built book, built once a test run)
from environment import in_ci

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
SCREENSHOTS = BUILD / "screenshots"
VIEWPORT = {"width": 1280, "height": 800}

CONFIG = yaml.safe_load((ROOT / "_config.yml").read_text())
TOC = yaml.safe_load((ROOT / "_toc.yml").read_text())
PAGES = [TOC["root"]] + [chapter["file"] for part in TOC["parts"] for chapter in part["chapters"]]
CHAPTERS = [name for name in PAGES if name.startswith("notebooks/")]


def unavailable(reason: str) -> None:
    """Skip, or in CI fail: there the browser test must run."""
    if in_ci():
        pytest.fail(f"{reason}\n(CI is set: the browser test must run in CI, a skip is a failure)", pytrace=False)
    pytest.skip(reason)


def expected_launch_links(chapter: str) -> set[str]:
    repo, launch = CONFIG["repository"], CONFIG["launch_buttons"]
    org_repo = repo["url"].removeprefix("https://github.com/")
    path = f"{chapter}.ipynb"
    return {f"{launch['binderhub_url']}/v2/gh/{org_repo}/{repo['branch']}?urlpath=tree/{path}",
            f"{launch['colab_url']}/github/{org_repo}/blob/{repo['branch']}/{path}"}


# --- the browser and the server -------------------------------------------------------------------

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


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format, *args):  # noqa: A002  (the base class's name)
        pass


@pytest.fixture(scope="module")
def server(site):  # noqa: F811  (the fixture imported above)
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(QuietHandler, directory=str(site)))
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()
    thread.join()


class Visit:
    """A fresh browser context (a first visit) with the network cut, recording what went wrong."""

    def __init__(self, browser, origin: str):
        self.origin = origin
        self.problems: list[str] = []
        self.context = browser.new_context(viewport=VIEWPORT)
        self.context.set_default_timeout(30_000)
        self.context.route("**/*", self._only_this_machine)
        self.page = self.context.new_page()
        self.page.on("console", self._console)
        self.page.on("pageerror", lambda error: self.problems.append(f"uncaught exception: {error}"))
        self.page.on("requestfailed", self._failed)
        self.page.on("response", self._response)

    def _only_this_machine(self, route):
        url = route.request.url
        if url.startswith((self.origin, "data:", "blob:")):
            route.continue_()
        else:
            self.problems.append(f"needed the network: {url}")
            route.abort()

    def _console(self, message):
        if message.type == "error":
            self.problems.append(f"console error: {message.text}")

    def _failed(self, request):
        if request.url.startswith(self.origin):
            self.problems.append(f"failed request: {request.url} ({request.failure})")

    def _response(self, response):
        if response.status >= 400:
            self.problems.append(f"HTTP {response.status}: {response.url}")

    def open(self, name: str) -> None:
        self.page.goto(f"{self.origin}/{name}", wait_until="load")
        self.page.wait_for_load_state("networkidle")

    def close(self) -> None:
        self.context.close()


@pytest.fixture
def served(browser, server):
    visit = Visit(browser, server)
    yield visit
    visit.close()


@pytest.fixture
def from_disk(browser, site):  # noqa: F811  (the fixture imported above)
    visit = Visit(browser, site.resolve().as_uri())
    yield visit
    visit.close()


# --- what a page must show --------------------------------------------------------------------------

TYPESET = r"""async () => {
  const maths = [...document.querySelectorAll('.math')];
  if (!maths.length) return {count: 0};
  if (!(window.MathJax && MathJax.startup && MathJax.startup.promise)) return null;
  await MathJax.startup.promise;
  const raw = maths.filter(m => !m.querySelector('mjx-container')).map(m => m.textContent.trim().slice(0, 60));
  const errors = [...document.querySelectorAll('mjx-merror')]
    .map(e => e.getAttribute('data-mjx-error') || e.textContent);
  const walker = document.createTreeWalker(document.querySelector('main') || document.body, NodeFilter.SHOW_TEXT);
  const leftovers = [];
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    if (node.parentElement.closest('pre, code, script, style, textarea, mjx-container')) continue;
    const text = node.textContent;
    for (const delimiter of ['$$', '\\(', '\\[']) {
      const at = text.indexOf(delimiter);
      if (at >= 0) leftovers.push(text.slice(Math.max(0, at - 30), at + 30).trim());
    }
  }
  return {count: maths.length, raw, errors, leftovers};
}"""

IMAGES = """async () => {
  const images = [...document.images];
  images.forEach(img => { img.loading = 'eager'; });
  await Promise.all(images.map(img => img.decode().catch(() => null)));
  return images.map(img => ({src: img.getAttribute('src'), loaded: img.complete && img.naturalWidth > 0,
                             output: !!img.closest('.cell_output')}));
}"""

BUTTONS = """() => ({
  launch: [...document.querySelectorAll('.dropdown-launch-buttons a')].map(a => a.href),
  launchButton: !!document.querySelector('.dropdown-launch-buttons > button'),
  repository: [...document.querySelectorAll('a.btn-source-repository-button')].map(a => a.href),
  download: [...document.querySelectorAll('.dropdown-download-buttons a')].map(a => a.href),
  print: !!document.querySelector('.dropdown-download-buttons button[onclick*="print"]'),
})"""


def check_maths(visit: Visit, name: str) -> None:
    maths = visit.page.evaluate(TYPESET)
    if maths is None:
        visit.problems.append("MathJax never started: is _static/mathjax/tex-chtml.js served from the site?")
        return
    if maths["count"] == 0:
        if name in CHAPTERS:
            visit.problems.append("no maths (.math element) on a chapter page")
        return
    for text in maths["raw"]:
        visit.problems.append(f"maths not typeset: {text!r}")
    for text in maths["errors"]:
        visit.problems.append(f"MathJax error: {text!r}")
    for text in maths["leftovers"]:
        visit.problems.append(f"raw TeX delimiter left in the text: {text!r}")


def check_images(visit: Visit, name: str) -> None:
    images = visit.page.evaluate(IMAGES)
    for image in images:
        if not image["loaded"]:
            visit.problems.append(f"image did not load: {image['src']}")
    if name in CHAPTERS and not any(image["output"] and image["loaded"] for image in images):
        visit.problems.append("no plot in the chapter's outputs")


def check_buttons(visit: Visit, name: str) -> None:
    buttons = visit.page.evaluate(BUTTONS)
    if buttons["repository"] != [CONFIG["repository"]["url"]]:
        visit.problems.append(f"repository button: expected a link to {CONFIG['repository']['url']}, "
                              f"found {buttons['repository']}")
    sources = [url for url in buttons["download"] if "/_sources/" in url]
    if not sources or not buttons["print"]:
        visit.problems.append(f"download buttons: expected the page's source and 'Print to PDF', found "
                              f"{buttons['download']} and print={buttons['print']}")
    for url in sources:
        response = visit.page.request.get(url)
        if not response.ok:
            visit.problems.append(f"download link answers HTTP {response.status}: {url}")
        elif name in CHAPTERS and "cells" not in json.loads(response.body()):
            visit.problems.append(f"download link does not give the notebook: {url}")
    if name in CHAPTERS:
        if not buttons["launchButton"] or set(buttons["launch"]) != expected_launch_links(name):
            visit.problems.append(f"launch buttons: expected {sorted(expected_launch_links(name))}, "
                                  f"found {sorted(buttons['launch'])}")
        else:  # the dropdown opens and shows both links, with the site's own scripts only
            visit.page.click(".dropdown-launch-buttons > button")
            for label in ("Binder", "Colab"):
                link = visit.page.locator(".dropdown-launch-buttons a", has_text=label)
                if not link.is_visible():
                    visit.problems.append(f"the launch menu opens but its {label} link is not visible")


def screenshot(visit: Visit, name: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    visit.page.screenshot(path=SCREENSHOTS / f"{name.replace('/', '__')}.png", full_page=True)


def report(visit: Visit, where: str) -> str:
    return f"{where}:\n  " + "\n  ".join(visit.problems)


SEARCH_DONE = """() => /Search finished|did not match/.test(
  (document.querySelector('#search-results .search-summary') || {}).textContent || '')"""


def search(visit: Visit, query: str) -> tuple[str, list[str]]:
    """Run a search on the search page; (the summary it shows, the result links) once it is done."""
    visit.open(f"search.html?q={query.replace(' ', '+')}")
    visit.page.wait_for_function(SEARCH_DONE)
    summary = visit.page.inner_text("#search-results .search-summary")
    links = visit.page.eval_on_selector_all("#search-results ul.search li a", "links => links.map(a => a.href)")
    return summary, links


# --- the tests ----------------------------------------------------------------------------------------

@pytest.mark.parametrize("name", PAGES)
def test_page_renders_with_the_network_cut(served, name):
    served.open(f"{name}.html")
    check_maths(served, name)
    check_images(served, name)
    screenshot(served, name)
    check_buttons(served, name)
    assert not served.problems, report(served, f"{name}.html served on localhost")


def test_search_finds_update_gate(served):
    summary, results = search(served, "update gate")
    screenshot(served, "search")
    assert not served.problems, report(served, "search.html")
    assert f"{served.origin}/notebooks/03_update_gate.html" in results, (
        f"searching 'update gate' did not find chapter 3; the page says {summary!r}, results: {results}")


def walk_next_links(visit: Visit) -> list[str]:
    """Open index.html (a redirect to the first page) and follow 'next' links to the end."""
    visit.open("index.html")
    visit.page.wait_for_url(f"**/{PAGES[0]}.html")
    seen = [visit.page.url]
    while visit.page.locator("a.right-next").count() and len(seen) <= len(PAGES):
        with visit.page.expect_navigation():
            visit.page.click("a.right-next")
        seen.append(visit.page.url)
    return [url.removeprefix(visit.origin + "/").removesuffix(".html") for url in seen]


def test_next_links_walk_the_book_in_order(served):
    walked = walk_next_links(served)
    assert walked == PAGES, f"following 'next' from index.html visited {walked}, expected {PAGES}"
    assert not served.problems, report(served, "walking the 'next' links")


def test_opened_from_disk_with_the_network_cut(from_disk):
    """file://: maths, plots, navigation and search, all without a server or the network."""
    chapter = CHAPTERS[0]
    from_disk.open(f"{chapter}.html")
    check_maths(from_disk, chapter)
    check_images(from_disk, chapter)
    assert not from_disk.problems, report(from_disk, f"{chapter}.html opened from disk")

    walked = walk_next_links(from_disk)
    assert walked == PAGES, f"from disk, following 'next' from index.html visited {walked}, expected {PAGES}"
    assert not from_disk.problems, report(from_disk, "walking the 'next' links from disk")

    # Search finds its pages from disk too. It fetches each result page for the snippet under its
    # title, which a browser refuses for file:// (CORS): those errors are expected here, the
    # titles and links still show. Nothing may come from off the machine.
    summary, results = search(from_disk, "update gate")
    assert f"{from_disk.origin}/notebooks/03_update_gate.html" in results, (
        f"from disk, searching 'update gate' did not find chapter 3; the page says {summary!r}, results: {results}")
    offsite = [p for p in from_disk.problems if p.startswith("needed the network")]
    assert not offsite, "search.html opened from disk:\n  " + "\n  ".join(offsite)

r"""The built site in a real browser, with the network cut: what a reader sees, page by page.

Playwright for Python drives Debian's Chromium (/usr/bin/chromium; browsers that a tool downloads
for itself cannot be had on this project's machines). The book built by `site_fixture` is served
from _build/html on 127.0.0.1 by a thread of this process, and every request for any other
address is aborted and reported: a page that needs the network to render is broken for a reader
offline. Links to other sites (launch buttons, the repository) are fine: they are only hrefs.

Every page of the table of contents is opened in a fresh browser profile (a first visit), on a
desktop (1366 px wide) and then, in the same visit, on a phone (390 px), and must
- log no console error and throw no uncaught exception;
- make no failed request, no request answered with an HTTP error, no request off the machine;
- have its maths typeset: every `.math` element holds a MathJax `mjx-container`, no MathJax error,
  no raw `$$`, `\(` or `\[` left in the text outside code, no TeX macro left as text (`\_`);
- have every image loaded (chapters: at least one plot in the outputs), and its icons drawn;
- show the repository and download buttons, and on chapters the launch button whose Binder and
  Colab links are exactly the URLs built from _config.yml;
- cut nothing, at both widths, with every solution opened: no element reaches past the text column
  (or the screen) unless it is inside a box that scrolls sideways and fits, and every box that
  scrolls sideways shows it (the fade of book/_static/gru-site.css); the page never scrolls sideways;
- navigate, at both widths: the sidebar button hides and shows the sidebar on the desktop and opens
  the drawer on the phone, with a chapter's link in it that can be clicked; the page-contents button
  opens the contents panel on the phone;
- stay light: the bytes it downloads, apart from its images and in images, are under a budget
  (MathJax as one component, no icon script);
- on chapters, at both widths, show every plot with its smallest text at least 8 px high: the text size
  `make outputs` measured as the chapter drew it (scripts/figure_text_sizes.py), scaled to the width
  the page gives the image;
- on chapters, with every solution opened, show none of the notebooks' plumbing: no "NBVAL" (nbval's
  marker is a cell tag, not a comment a reader sees) and no line of the setup cells (the Colab install
  and the imports of the chapter's exercise checkers, tagged remove-input and remove-output).
On every chapter, no exercise solution (code or output) shows before a click, and each answer to a
question (an HTML <details> of the notebook, "Answer") is closed and its text hidden until its summary
is clicked; then the text shows, with its maths typeset.
Each page's "previous" and "next" links go to its neighbours in _toc.yml. Every check of a page runs
in one visit: a chapter's first typesetting takes Chromium several seconds here.
Chapter 11's explorer of one GRU step works on the static site: moved, its sliders show the step
gru_lesson computes. The search page finds "update gate"; on a phone, the drawer and the contents
panel take a reader to another chapter and to a section. Opened from disk (file://) with the
network cut, a chapter still renders its maths and plots, index.html leads to the first page and
"next" links take a reader on, and search finds its pages. The built site stays small (MathJax pruned).

A screenshot of each page's first screen (desktop width) is saved in _build/screenshots/ for people to look at.

Without Chromium (or Playwright) the tests are skipped with how to get it; in CI (CI is set, as
.ci/run runs) a skip would hide a broken site, so there they fail instead.
"""

from __future__ import annotations

import functools
import http.server
import json
import re
import threading
import time
from pathlib import Path

import pytest
import yaml
from chromium import browser  # noqa: F401  (the fixture: Debian's Chromium, or a skip that fails in CI)
from site_fixture import BUILD, ROOT, site  # noqa: F401  (the built book, built once a test run)
from experiment_scripts import load

SCREENSHOTS = BUILD / "screenshots"
DESKTOP = {"width": 1366, "height": 800}
PHONE = {"width": 390, "height": 844}
WIDE_SIDEBAR = 992             # from this width the themes show the sidebar beside the page, not as a drawer
# Bytes a page may download. Apart from its images: 3.8 to 4.1 MB before the site was pruned (1.5 MB
# of it an icon script), 2.4 to 2.6 MB after. Its plots, drawn at 200 dpi (notebooks/matplotlibrc):
# 0.1 to 0.6 MB a chapter.
PAGE_BUDGET = 3_000_000
IMAGE_BUDGET = 1_500_000
SITE_BUDGET = 30_000_000       # bytes of the whole built site (39 MB before, 24 MB of it unused MathJax; 18 MB after)

CONFIG = yaml.safe_load((ROOT / "_config.yml").read_text())
TOC = yaml.safe_load((ROOT / "_toc.yml").read_text())
PAGES = [TOC["root"]] + [chapter["file"] for part in TOC["parts"] for chapter in part["chapters"]]
CHAPTERS = [name for name in PAGES if name.startswith("notebooks/")]
figure_text_sizes = load("figure_text_sizes", "scripts")     # LEGIBLE_PX, text_px


def expected_launch_links(chapter: str) -> set[str]:
    repo, launch = CONFIG["repository"], CONFIG["launch_buttons"]
    org_repo = repo["url"].removeprefix("https://github.com/")
    path = f"{chapter}.ipynb"
    return {f"{launch['binderhub_url']}/v2/gh/{org_repo}/{repo['branch']}?urlpath=tree/{path}",
            f"{launch['colab_url']}/github/{org_repo}/blob/{repo['branch']}/{path}"}


# --- the server -------------------------------------------------------------------------------------

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
        self.downloaded: dict[str, int] = {}
        self.context = browser.new_context(viewport=DESKTOP, has_touch=True)
        self.context.set_default_timeout(30_000)
        self.context.route("**/*", self._only_this_machine)
        self.page = self.context.new_page()
        self.page.on("console", self._console)
        self.page.on("pageerror", lambda error: self.problems.append(f"uncaught exception: {error}"))
        self.page.on("requestfailed", self._failed)
        self.pending: set[str] = set()          # the page's requests sent and not yet finished or failed
        self.last_activity = time.monotonic()
        self.page.on("request", self._sent)
        self.page.on("requestfinished", self._done)
        self.page.on("requestfailed", self._done)
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

    def _sent(self, request):
        self.pending.add(request.url)
        self.last_activity = time.monotonic()

    def _done(self, request):
        self.pending.discard(request.url)
        self.last_activity = time.monotonic()

    def _response(self, response):
        if response.status >= 400:
            self.problems.append(f"HTTP {response.status}: {response.url}")
        self.downloaded[response.url] = int(response.headers.get("content-length") or 0)

    def open(self, name: str) -> None:
        self.page.goto(f"{self.origin}/{name}", wait_until="load")
        self.wait_until_quiet(name)

    def wait_until_quiet(self, name: str, quiet: float = 0.5, timeout: float = 30.0) -> None:
        """Wait until none of the page's requests has been pending for `quiet` seconds.

        Playwright's own "networkidle" sometimes never came on this machine under load, with no
        request of the page pending (it counts requests the page never sees, such as the favicon's).
        """
        start = time.monotonic()
        while self.pending or time.monotonic() - self.last_activity < quiet:
            if time.monotonic() - start > timeout:
                self.problems.append(f"the network never went quiet after loading {name}; still pending: "
                                     f"{sorted(self.pending)}")
                return
            self.page.wait_for_timeout(100)

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
  // A TeX macro that reached the page as text (`\\_` inside \\texttt{}): the screen-reader copy of
  // each formula (MathML) holds the text as shown.
  const macros = [...document.querySelectorAll('mjx-assistive-mml')]
    .map(m => m.textContent).filter(text => /\\[A-Za-z_%&#{}$]/.test(text)).map(text => text.slice(0, 60));
  return {count: maths.length, raw, errors, leftovers, macros};
}"""

IMAGES = """async () => {
  const images = [...document.images];
  images.forEach(img => { img.loading = 'eager'; });
  await Promise.all(images.map(img => img.decode().catch(() => null)));
  return images.map(img => ({src: img.getAttribute('src'), loaded: img.complete && img.naturalWidth > 0,
                             output: !!img.closest('.cell_output')}));
}"""

# the plots of a chapter's outputs: each one's pixels and the width the page gives it
PLOTS = """() => [...document.querySelectorAll('.cell_output img')]
  .map(img => ({natural: img.naturalWidth, shown: img.getBoundingClientRect().width}))"""

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
    for text in maths["macros"]:
        visit.problems.append(f"a TeX macro shown as text in the maths: {text!r}")


def check_images(visit: Visit, name: str) -> None:
    images = visit.page.evaluate(IMAGES)
    for image in images:
        if not image["loaded"]:
            visit.problems.append(f"image did not load: {image['src']}")
    if name in CHAPTERS and not any(image["output"] and image["loaded"] for image in images):
        visit.problems.append("no plot in the chapter's outputs")


@functools.lru_cache(maxsize=None)
def figures_on_the_site(name: str) -> tuple[dict, ...]:
    """The chapter's figures as `make outputs` measured them (its metadata), but those of cells the site removes."""
    notebook = json.loads((ROOT / f"{name}.ipynb").read_text(encoding="utf-8"))
    hidden = {"remove-cell", "remove-output"}
    return tuple(f for f in notebook["metadata"]["figure_text"]
                 if not hidden & set(notebook["cells"][f["cell"]].get("metadata", {}).get("tags", [])))


def check_figure_text(visit: Visit, name: str) -> None:
    """At the current width, each plot's smallest text as high as the page shows it: the size measured
    when `make outputs` drew it, scaled by the width the page gives the PNG."""
    figures = figures_on_the_site(name)
    plots = visit.page.evaluate(PLOTS)
    where = f"{visit.page.viewport_size['width']} px"
    if [plot["natural"] for plot in plots] != [figure["png_px"][0] for figure in figures]:
        visit.problems.append(f"{where}: the page's plots ({[p['natural'] for p in plots]} px wide) are not the "
                              f"measured figures ({[f['png_px'][0] for f in figures]}): re-execute the chapter")
        return
    for number, (figure, plot) in enumerate(zip(figures, plots), start=1):
        shown = figure_text_sizes.text_px(figure, plot["shown"])
        if shown < figure_text_sizes.LEGIBLE_PX:
            visit.problems.append(f"{where}: figure {number}'s smallest text ({figure['smallest_text']!r}) shows "
                                  f"{shown:.1f} px high, under {figure_text_sizes.LEGIBLE_PX}")


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


ICONS = """async () => {
  await document.fonts.ready;
  const icons = [...document.querySelectorAll('.bd-header-article i[class*="fa-"]')]
    .filter(i => i.getBoundingClientRect().width > 0);
  const fonts = [...document.fonts].filter(f => f.family.includes('Font Awesome') && f.status === 'loaded');
  const empty = icons.filter(i => ['none', 'normal', ''].includes(getComputedStyle(i, '::before').content))
    .map(i => i.className);
  return {icons: icons.length, fonts: fonts.length, empty};
}"""


def check_icons(visit: Visit) -> None:
    """The header's icons are drawn from Font Awesome's web fonts (no icon script is loaded)."""
    icons = visit.page.evaluate(ICONS)
    if icons["icons"] and not icons["fonts"]:
        visit.problems.append("the header shows icons but no Font Awesome font was loaded: they are blank")
    for name in icons["empty"]:
        visit.problems.append(f"an icon without a glyph: <i class='{name}'>")


# Nothing cut. Every element of the article must end inside the text column (and the screen), or be
# inside a box that scrolls sideways and itself ends inside it; every box that scrolls sideways must
# carry the fade that says so (gru-more-left/right, set by book/_static/gru-site.js). Only the
# outermost offender of a branch is reported.
LAYOUT = r"""async () => {
  if (window.MathJax && MathJax.startup && MathJax.startup.promise) await MathJax.startup.promise;
  if (window.gruSite) gruSite.layout();
  const article = document.querySelector('.bd-article');
  if (!article) return ['no article (.bd-article) on the page'];
  const viewport = document.documentElement.clientWidth;
  const limit = Math.min(viewport, article.getBoundingClientRect().right) + 1;
  const scrolls = el => /auto|scroll/.test(getComputedStyle(el).overflowX);
  const describe = el => {
    const classes = typeof el.className === 'string' ? el.className.trim().split(/\s+/).slice(0, 2).join('.') : '';
    const text = (el.textContent || '').trim().replace(/\s+/g, ' ').slice(0, 50);
    return `<${el.tagName.toLowerCase()}${classes ? '.' + classes : ''}> "${text}"`;
  };
  const problems = [];
  const width = document.documentElement.scrollWidth;
  if (width > viewport + 1) problems.push(`the page scrolls sideways: ${width} px wide on a ${viewport} px screen`);
  const reported = new Set();
  for (const el of article.querySelectorAll('*')) {
    if (el.closest('mjx-assistive-mml')) continue;      // the screen-reader copy, clipped on purpose
    const box = el.getBoundingClientRect();
    if (!box.width || !box.height || box.right <= limit) continue;
    let clip = el.parentElement;
    while (clip && clip !== article && getComputedStyle(clip).overflowX === 'visible') clip = clip.parentElement;
    if (clip && clip !== article && scrolls(clip) && clip.getBoundingClientRect().right <= limit) continue;
    if (reported.has(el.parentElement)) { reported.add(el); continue; }
    reported.add(el);
    const how = clip && clip !== article && !scrolls(clip) ? `is cut at the edge of ${describe(clip)}` : 'runs past the column';
    problems.push(`${describe(el)} ends at ${Math.round(box.right)} px and ${how} (column ends at ${Math.round(limit - 1)} px)`);
  }
  for (const el of article.querySelectorAll('*')) {
    if (el.scrollWidth <= el.clientWidth + 1 || !el.clientWidth || el.closest('mjx-assistive-mml')) continue;
    if (!scrolls(el)) continue;
    if (!el.classList.contains('gru-more-right') && !el.classList.contains('gru-more-left'))
      problems.push(`${describe(el)} scrolls sideways (${el.scrollWidth} px in ${el.clientWidth} px) without a cue`);
  }
  return problems;
}"""

OPEN_SOLUTIONS = """() => document.querySelectorAll('.bd-article details').forEach(d => { d.open = true; })"""

# Text of the notebooks that is plumbing, not part of a lesson: nbval's marker, and a line of each of
# the two setup cells every chapter starts with (the Colab install; the imports of its exercise checkers).
PLUMBING = ("NBVAL", '"google.colab" in sys.modules', "from gru_lesson.exercises.")


def check_no_plumbing(visit: Visit, name: str) -> None:
    """A chapter shows no plumbing text, solutions opened included (innerText: only what is shown)."""
    cells = json.loads((ROOT / f"{name}.ipynb").read_text(encoding="utf-8"))["cells"]
    source = "".join("".join(cell["source"]) for cell in cells)
    shown = visit.page.evaluate("() => (document.querySelector('.bd-article') || document.body).innerText")
    for text in PLUMBING:
        if text != "NBVAL" and text not in source:   # the marker must still mean something
            visit.problems.append(f"{name}.ipynb no longer holds {text!r}: update PLUMBING in this test")
        for line in (line for line in shown.splitlines() if text in line):
            at = line.index(text)
            visit.problems.append(f"plumbing shown on the page: {line[max(0, at - 40):at + 60].strip()!r}")


def check_layout(visit: Visit, where: str) -> None:
    for problem in visit.page.evaluate(LAYOUT):
        visit.problems.append(f"{where}: {problem}")


def set_width(visit: Visit, viewport: dict) -> None:
    visit.page.set_viewport_size(viewport)
    visit.page.evaluate("() => new Promise(done => requestAnimationFrame(() => requestAnimationFrame(done)))")


def link_to_another_chapter(name: str) -> str:
    other = CHAPTERS[0] if name != CHAPTERS[0] else CHAPTERS[1]
    return f'a.reference.internal[href$="{Path(other).name}.html"]'


def visible_button(visit: Visit, selector: str):
    buttons = visit.page.locator(f"{selector}:visible")
    return buttons.first if buttons.count() else None


def check_navigation(visit: Visit, name: str) -> None:
    """At the current width: the sidebar button works, and on a phone the page-contents button too."""
    page, width = visit.page, visit.page.viewport_size["width"]
    where = f"{width} px"
    toggle = visible_button(visit, ".primary-toggle")
    if toggle is None:
        visit.problems.append(f"{where}: no visible sidebar button")
        return
    link = link_to_another_chapter(name)
    if width >= WIDE_SIDEBAR:   # the sidebar sits beside the page: the button hides it and brings it back
        in_sidebar = page.locator(f"#pst-primary-sidebar {link}")
        if not in_sidebar.is_visible():
            visit.problems.append(f"{where}: the sidebar does not show the link {link}")
            return
        for state, clicks in (("hidden", "one click"), ("visible", "a second click")):
            toggle.click()
            try:
                in_sidebar.wait_for(state=state, timeout=3000)
            except Exception:  # noqa: BLE001  (the message says what did not happen)
                visit.problems.append(f"{where}: after {clicks} on the sidebar button the sidebar is not {state}")
                return
        in_sidebar.click(trial=True)            # visible, enabled, not covered: it takes a click
        return
    for selector, dialog, what, target in ((".primary-toggle", "#pst-primary-sidebar-modal", "drawer", link),
                                           (".secondary-toggle", "#pst-secondary-sidebar-modal", "contents panel",
                                            "a.nav-link")):
        button = visible_button(visit, selector)
        if button is None:
            if selector == ".primary-toggle" or page.locator("#pst-secondary-sidebar a.nav-link").count():
                visit.problems.append(f"{where}: no visible button for the {what}")
            continue
        button.tap()
        opened = page.locator(f"{dialog}[open] {target}").first
        try:
            opened.wait_for(state="visible", timeout=3000)
            opened.click(trial=True)
        except Exception as error:  # noqa: BLE001  (the message says what did not happen)
            visit.problems.append(f"{where}: tapping the {what} button does not show its links "
                                  f"({type(error).__name__})")
        page.keyboard.press("Escape")
        page.locator(f"{dialog}[open]").wait_for(state="detached", timeout=3000)


def check_weight(visit: Visit) -> None:
    images = {url: size for url, size in visit.downloaded.items() if "/_images/" in url}
    rest = {url: size for url, size in visit.downloaded.items() if url not in images}
    for what, files, budget in (("apart from its images", rest, PAGE_BUDGET), ("in images", images, IMAGE_BUDGET)):
        total = sum(files.values())
        if total > budget:
            biggest = sorted(files.items(), key=lambda item: -item[1])[:5]
            visit.problems.append(f"the page downloads {total / 1e6:.2f} MB {what}, over the budget of "
                                  f"{budget / 1e6:.1f} MB; the largest: "
                                  f"{[(url.rsplit('/', 1)[-1], size) for url, size in biggest]}")
    for url in visit.downloaded:
        if "fontawesome.js" in url:
            visit.problems.append(f"the icon script is loaded again: {url}")


def screenshot(visit: Visit, name: str) -> None:
    """The first screen of the page. A whole chapter in one image took Chromium about 7 s a page here."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    visit.page.screenshot(path=SCREENSHOTS / f"{name.replace('/', '__')}.png")


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


# Every answer to a question: the <details> whose own summary says "Answer". For each, whether it is
# open, which of its parts (all but the summary) a reader sees, its text as shown, and its maths.
ANSWERS = """() => [...document.querySelectorAll('.bd-article details')]
  .filter(d => d.querySelector(':scope > summary') && d.querySelector(':scope > summary').innerText.trim() === 'Answer')
  .map(d => ({
    open: d.open,
    shown: [...d.children].filter(c => c.tagName !== 'SUMMARY')
      .filter(c => c.checkVisibility() && c.getBoundingClientRect().height > 0).length,
    parts: [...d.children].filter(c => c.tagName !== 'SUMMARY').length,
    text: d.innerText,
    maths: d.querySelectorAll('.math').length,
    typeset: d.querySelectorAll('.math mjx-container').length,
    cursor: getComputedStyle(d.querySelector(':scope > summary')).cursor,
  }))"""


def answers_in_source(name: str) -> int:
    cells = json.loads((ROOT / f"{name}.ipynb").read_text(encoding="utf-8"))["cells"]
    return sum("".join(c["source"]).count("<summary>Answer</summary>") for c in cells if c["cell_type"] == "markdown")


def check_answers(visit: Visit, name: str) -> None:
    """An answer to a question shows nothing before a click on its summary; after it, its text, typeset."""
    before = visit.page.evaluate(ANSWERS)
    expected = answers_in_source(name)
    if not len(before) == expected >= 2:
        visit.problems.append(f"{len(before)} answers (<details> with the summary 'Answer') on the page, "
                              f"{expected} in the notebook; test_notebooks.py says how a chapter writes them")
        return
    summaries = visit.page.locator(".bd-article details > summary", has_text=re.compile(r"^\s*Answer\s*$"))
    for number, answer in enumerate(before, start=1):
        where = f"answer {number}"
        if answer["open"] or answer["shown"]:
            visit.problems.append(f"{where} shows before a click: open={answer['open']}, "
                                  f"{answer['shown']} of its {answer['parts']} parts visible")
        if answer["cursor"] != "pointer":
            visit.problems.append(f"{where}: its summary does not look clickable (cursor: {answer['cursor']}); "
                                  "is book/_static/gru-site.css loaded?")
        summaries.nth(number - 1).click()
    for number, answer in enumerate(visit.page.evaluate(ANSWERS), start=1):
        where = f"answer {number}, clicked"
        if not answer["open"] or not answer["parts"] or answer["shown"] != answer["parts"]:
            visit.problems.append(f"{where}: open={answer['open']}, {answer['shown']} of its "
                                  f"{answer['parts']} parts visible")
        if answer["typeset"] != answer["maths"]:
            visit.problems.append(f"{where}: {answer['maths'] - answer['typeset']} of its "
                                  f"{answer['maths']} formulas not typeset")
        for delimiter in ("$", "\\(", "\\["):
            if delimiter in answer["text"]:
                at = answer["text"].index(delimiter)
                visit.problems.append(f"{where}: raw TeX {delimiter!r} in the text shown: "
                                      f"{answer['text'][max(0, at - 30):at + 30]!r}")


SOLUTIONS = """() => [...document.querySelectorAll('.bd-article .cell.tag_hide-cell')].map(cell => ({
  open: [...cell.querySelectorAll('details')].some(d => d.open),
  shown: [...cell.querySelectorAll('.cell_input, .cell_output')]
    .filter(e => e.checkVisibility() && e.getBoundingClientRect().height > 0).length,
  text: (cell.innerText || '').trim().slice(0, 60),
}))"""


def check_solutions_hidden(visit: Visit, width: str) -> None:
    """Before a click, no exercise solution (a hide-cell cell: code and output) shows any of itself."""
    for number, solution in enumerate(visit.page.evaluate(SOLUTIONS), start=1):
        if solution["open"] or solution["shown"]:
            visit.problems.append(f"{width}: solution {number} shows before a click (open={solution['open']}, "
                                  f"{solution['shown']} parts visible): {solution['text']!r}")


PREVIOUS_NEXT = """() => ({
  previous: (document.querySelector('a.left-prev') || {}).href || null,
  next: (document.querySelector('a.right-next') || {}).href || null,
})"""


def check_previous_next(visit: Visit, name: str) -> None:
    """The page's 'previous' and 'next' links go to its neighbours in _toc.yml (none past the ends)."""
    at = PAGES.index(name)
    expected = {"previous": f"{visit.origin}/{PAGES[at - 1]}.html" if at else None,
                "next": f"{visit.origin}/{PAGES[at + 1]}.html" if at + 1 < len(PAGES) else None}
    found = visit.page.evaluate(PREVIOUS_NEXT)
    for side in expected:
        if found[side] != expected[side]:
            visit.problems.append(f"the '{side}' link goes to {found[side]}, expected {expected[side]} (_toc.yml)")


# --- the tests ----------------------------------------------------------------------------------------

@pytest.mark.parametrize("name", PAGES)
def test_page_renders_with_the_network_cut(served, name):
    served.open(f"{name}.html")
    check_maths(served, name)
    check_images(served, name)
    check_icons(served)
    check_weight(served)
    screenshot(served, name)
    check_previous_next(served, name)
    check_buttons(served, name)
    check_navigation(served, name)
    if name in CHAPTERS:
        check_solutions_hidden(served, f"{DESKTOP['width']} px")
        check_answers(served, name)
    served.page.evaluate(OPEN_SOLUTIONS)
    if name in CHAPTERS:
        check_no_plumbing(served, name)
    check_layout(served, f"{DESKTOP['width']} px")
    if name in CHAPTERS:
        check_figure_text(served, name)
    set_width(served, PHONE)
    check_layout(served, f"{PHONE['width']} px")
    if name in CHAPTERS:
        check_figure_text(served, name)
    check_navigation(served, name)
    assert not served.problems, report(served, f"{name}.html served on localhost")


def test_a_phone_reader_navigates_with_the_drawer_and_the_contents(served):
    """On a phone: the drawer takes the reader to another chapter, the contents panel to a section."""
    served.page.set_viewport_size(PHONE)
    served.open(f"{CHAPTERS[1]}.html")
    served.page.locator(".primary-toggle:visible").first.tap()
    with served.page.expect_navigation():
        served.page.locator(f"#pst-primary-sidebar-modal[open] a[href$='{Path(CHAPTERS[2]).name}.html']").tap()
    assert served.page.url == f"{served.origin}/{CHAPTERS[2]}.html", served.page.url
    served.page.locator(".secondary-toggle:visible").first.tap()
    section = served.page.locator("#pst-secondary-sidebar-modal[open] a.nav-link").nth(1)
    anchor = section.get_attribute("href")
    section.tap()
    served.page.wait_for_function("anchor => location.hash === anchor", arg=anchor)
    served.page.locator("#pst-secondary-sidebar-modal[open]").wait_for(state="detached", timeout=3000)
    assert served.page.locator(anchor).first.is_visible()   # the panel closed on the section
    assert not served.problems, report(served, "navigating on a phone")


EXPLORER_SHOWS = """() => Object.fromEntries([...document.querySelectorAll('div.gru-explorer output[data-name]')]
  .map(e => [e.dataset.name, e.textContent]))"""


def test_the_gate_explorer_runs_in_the_page(served):
    """Chapter 11's explorer works on the static site: each setting of its sliders shows the step that
    gru_lesson computes for it (explorer_step, the module's own equations), to the 3 decimals shown."""
    from gru_lesson.exercises.ch11_gates_at_work import EXPLORER_PRESET, explorer_step

    served.open("notebooks/11_gates_at_work.html")
    settings = [{"x_t": 0.5, "h_prev": -0.6, "b_r": 0.0, "b_z": 0.0, "b_h": 0.0},   # where the sliders start
                EXPLORER_PRESET,                                                # exercise 3's setting
                {"x_t": -2.3, "h_prev": 0.85, "b_r": 1.7, "b_z": -4.0, "b_h": 3.1}]
    for number, setting in enumerate(settings):
        if number:                              # the first is the page as it loads
            for name, value in setting.items():
                served.page.fill(f"#gru-explorer-{name}", str(value))
        shown = served.page.evaluate(EXPLORER_SHOWS)
        expected = explorer_step(**setting) | {"h_prev": setting["h_prev"]}
        assert set(shown) == {"r", "z", "h_cand", "h_prev", "h_t"}, f"the explorer shows {sorted(shown)}"
        wrong = {name: (text, f"{expected[name]:.3f}") for name, text in shown.items()
                 if abs(float(text) - expected[name]) > 5.1e-4}
        assert not wrong, f"at {setting} the explorer shows (shown, explorer_step): {wrong}"
    assert not served.problems, report(served, "chapter 11's explorer")


def test_the_site_is_light(site):  # noqa: F811  (the fixture imported above)
    """The build ships MathJax's one component with its fonts, not all 24 MB of it."""
    size = sum(path.stat().st_size for path in site.rglob("*") if path.is_file())
    mathjax = sum(path.stat().st_size for path in (site / "_static" / "mathjax").rglob("*") if path.is_file())
    assert (site / "_static" / "mathjax" / "tex-chtml.js").is_file()
    assert mathjax < 5_000_000, f"_static/mathjax holds {mathjax / 1e6:.1f} MB: is book/_ext/gru_site.py pruning it?"
    assert size < SITE_BUDGET, f"the built site is {size / 1e6:.1f} MB, over the budget of {SITE_BUDGET / 1e6:.0f} MB"


def test_search_finds_update_gate(served):
    summary, results = search(served, "update gate")
    screenshot(served, "search")
    assert not served.problems, report(served, "search.html")
    assert f"{served.origin}/notebooks/03_update_gate.html" in results, (
        f"searching 'update gate' did not find chapter 3; the page says {summary!r}, results: {results}")


def walk_next_links(visit: Visit, pages: int) -> list[str]:
    """Open index.html (a redirect to the first page) and follow 'next' links through `pages` pages.

    Every page's own 'previous' and 'next' links are checked against _toc.yml in its visit
    (test_page_renders_with_the_network_cut); this is the walk a reader takes, clicks included."""
    visit.open("index.html")
    visit.page.wait_for_url(f"**/{PAGES[0]}.html")
    seen = [visit.page.url]
    while len(seen) < pages and visit.page.locator("a.right-next").count():
        with visit.page.expect_navigation():
            visit.page.click("a.right-next")
        seen.append(visit.page.url)
    return [url.removeprefix(visit.origin + "/").removesuffix(".html") for url in seen]


def test_opened_from_disk_with_the_network_cut(from_disk):
    """file://: maths, plots, navigation and search, all without a server or the network."""
    chapter = CHAPTERS[0]
    from_disk.open(f"{chapter}.html")
    check_maths(from_disk, chapter)
    check_images(from_disk, chapter)
    assert not from_disk.problems, report(from_disk, f"{chapter}.html opened from disk")

    walked = walk_next_links(from_disk, pages=3)
    assert walked == PAGES[:3], f"from disk, following 'next' from index.html visited {walked}, expected {PAGES[:3]}"
    assert not from_disk.problems, report(from_disk, "walking the 'next' links from disk")

    # Search finds its pages from disk too. It fetches each result page for the snippet under its
    # title, which a browser refuses for file:// (CORS): those errors are expected here, the
    # titles and links still show. Nothing may come from off the machine.
    summary, results = search(from_disk, "update gate")
    assert f"{from_disk.origin}/notebooks/03_update_gate.html" in results, (
        f"from disk, searching 'update gate' did not find chapter 3; the page says {summary!r}, results: {results}")
    offsite = [p for p in from_disk.problems if p.startswith("needed the network")]
    assert not offsite, "search.html opened from disk:\n  " + "\n  ".join(offsite)

"""The book: a fresh warnings-as-errors build, then checks of the built HTML.

The build uses the chapters' stored outputs (nbval proves them current) and rebuilds every page,
so that no warning hides behind Sphinx's incremental build.
"""

from __future__ import annotations

import functools
import re
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
import yaml
from bs4 import BeautifulSoup
from site_fixture import site  # noqa: F401  (the built book, one build shared with test_browser.py)

ROOT = Path(__file__).resolve().parents[1]
CONFIG = yaml.safe_load((ROOT / "_config.yml").read_text())
CHAPTERS = sorted(p.stem for p in (ROOT / "notebooks").glob("*.ipynb"))


def page(site: Path, name: str) -> BeautifulSoup:
    """The built page, parsed once a run (a chapter takes html.parser about a second; many tests read it).
    The tests only read the tree: none may change it."""
    return parsed(site / f"{name}.html")


@functools.lru_cache(maxsize=None)
def parsed(html: Path) -> BeautifulSoup:
    return BeautifulSoup(html.read_text(encoding="utf-8"), "html.parser")


def test_every_page_is_built(site):
    for name in ["index", "book/intro", "book/notation", "book/references", "book/running", "book/performance",
                 *(f"notebooks/{c}" for c in CHAPTERS)]:
        assert (site / f"{name}.html").is_file() or name == "index", name
    assert (site / "index.html").is_file()


def test_no_execution_reports(site):
    assert not (site / "reports").exists() or not any((site / "reports").iterdir())


@pytest.mark.parametrize("chapter", CHAPTERS)
def test_launch_links_point_at_the_repository(site, chapter):
    repo = CONFIG["repository"]
    org_repo = repo["url"].removeprefix("https://github.com/")
    path = f"notebooks/{chapter}.ipynb"
    hrefs = {a["href"] for a in page(site, f"notebooks/{chapter}").find_all("a", href=True)}
    colab = f"{CONFIG['launch_buttons']['colab_url']}/github/{org_repo}/blob/{repo['branch']}/{path}"
    binder = f"{CONFIG['launch_buttons']['binderhub_url']}/v2/gh/{org_repo}/{repo['branch']}?urlpath=tree/{path}"
    assert colab in hrefs
    assert binder in hrefs
    assert (ROOT / path).is_file()


@pytest.mark.parametrize("chapter", CHAPTERS)
def test_chapter_pages_show_outputs_maths_and_plots(site, chapter):
    soup = page(site, f"notebooks/{chapter}")
    assert soup.select(".cell_output"), "no executed outputs on the page"
    assert soup.select("img[src$='.png'], img[src$='.svg']"), "no plot on the page"
    assert soup.select(".math"), "no maths on the page"
    assert "Traceback" not in soup.get_text()


def test_introduction_has_the_diagram(site):
    images = [img["src"] for img in page(site, "book/intro").find_all("img")]
    assert any(src.endswith("gru_cell.svg") for src in images)


def test_no_broken_local_links_or_anchors(site):
    ids: dict[Path, set[str]] = {}
    broken = []
    for html in site.rglob("*.html"):
        if "_static" in html.parts:
            continue
        soup = parsed(html)
        for tag, attr in (("a", "href"), ("img", "src"), ("link", "href"), ("script", "src")):
            for element in soup.find_all(tag, **{attr: True}):
                url = urlsplit(element[attr])
                if url.scheme or url.netloc or element[attr].startswith(("mailto:", "javascript:")):
                    continue
                target = (html.parent / unquote(url.path)).resolve() if url.path else html
                if target.is_dir():
                    target = target / "index.html"
                if not target.exists():
                    broken.append(f"{html.relative_to(site)}: {element[attr]}")
                elif url.fragment and target.suffix == ".html":
                    if target not in ids:
                        t = parsed(target)
                        ids[target] = {e["id"] for e in t.find_all(id=True)} | {e["name"] for e in t.find_all(attrs={"name": True})}
                    if unquote(url.fragment) not in ids[target]:
                        broken.append(f"{html.relative_to(site)}: {element[attr]} (no such anchor)")
    assert not broken, "\n".join(broken)


def listings(chapter: str) -> list[tuple[str, str]]:
    """(file, object) of every `literalinclude` module listing in a chapter's markdown."""
    import json
    cells = json.loads((ROOT / "notebooks" / f"{chapter}.ipynb").read_text(encoding="utf-8"))["cells"]
    text = "".join("".join(c["source"]) for c in cells if c["cell_type"] == "markdown")
    return re.findall(r"```\{literalinclude\} (\S+)\n(?::\w+: .*\n)*?:pyobject: (\S+)", text)


@pytest.mark.parametrize("chapter", CHAPTERS)
def test_module_listings_show_the_current_source(site, chapter):
    """A listing is read from the module at build time: the page shows the function as it is now."""
    import ast
    blocks = [div.get_text() for div in page(site, f"notebooks/{chapter}").select("div.highlight-python")]
    for path, name in listings(chapter):
        source = (ROOT / path.lstrip("/")).read_text(encoding="utf-8")
        scope = ast.parse(source)
        for part in name.split("."):
            scope = next(n for n in scope.body if isinstance(n, (ast.FunctionDef, ast.ClassDef)) and n.name == part)
        first_line = source.splitlines()[scope.lineno - 1].strip()
        assert any(first_line in block for block in blocks), f"{chapter}: the listing of {name} is not on the page"


@pytest.mark.parametrize("chapter", CHAPTERS)
def test_solutions_are_hidden_until_opened(site, chapter):
    """A solution's code and output sit in one closed <details>: nothing of it shows before a click."""
    soup = page(site, f"notebooks/{chapter}")
    solutions = soup.select(".cell.tag_hide-cell")
    assert len(solutions) >= 2
    for cell in solutions:
        details = cell.find("details")
        assert details is not None and not details.has_attr("open"), "a solution is not folded away"
        assert "Show the solution" in details.summary.get_text(), "the one control names what it opens"
        assert cell.select_one(".cell_output") is None or cell.select_one(".cell_output").find_parent("details") is details
    shown = [o.get_text() for o in soup.select(".cell_output") if not o.find_parent("details")]
    assert not any(text.lstrip().startswith("Correct") for text in shown), "a solution's verdict shows on the page"


@pytest.mark.parametrize("chapter", CHAPTERS)
def test_answers_to_the_questions_are_closed_on_the_page(site, chapter):
    """Each question's answer (an HTML <details> in the notebook) reaches the page as one closed <details>
    with the summary 'Answer' and the answer inside it, as Markdown made HTML: paragraphs and maths."""
    import json
    cells = json.loads((ROOT / "notebooks" / f"{chapter}.ipynb").read_text(encoding="utf-8"))["cells"]
    in_source = sum("".join(c["source"]).count("<summary>Answer</summary>") for c in cells if c["cell_type"] == "markdown")
    answers = [d for d in page(site, f"notebooks/{chapter}").select(".bd-article details")
               if d.summary is not None and d.summary.get_text(strip=True) == "Answer"]
    assert len(answers) == in_source >= 2, f"{len(answers)} answers on the page, {in_source} in the notebook"
    for details in answers:
        assert not details.has_attr("open"), "an answer is open before a click"
        assert details.find("p") is not None and "$" not in details.get_text(), "an answer's Markdown was not parsed"

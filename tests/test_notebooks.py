"""The chapters as files: the shared setup cell, stored outputs, hidden solutions and answers, pinned install.

(nbval itself re-executes every notebook and compares the outputs; these tests check what nbval
cannot: that there is something to compare and that the launch paths are wired right.)
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))
CONFIG = yaml.safe_load((ROOT / "_config.yml").read_text())
REPO_URL = CONFIG["repository"]["url"]


def cells(path: Path) -> list[dict]:
    return json.loads(path.read_text(encoding="utf-8"))["cells"]


def source(cell: dict) -> str:
    return "".join(cell["source"])


def test_every_chapter_is_in_the_table_of_contents_in_order():
    toc = yaml.safe_load((ROOT / "_toc.yml").read_text())
    files = [c["file"] for part in toc["parts"] for c in part["chapters"] if c["file"].startswith("notebooks/")]
    assert files == [f"notebooks/{p.stem}" for p in NOTEBOOKS] and len(files) >= 5


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_every_code_cell_was_executed_and_has_outputs_to_compare(path):
    code = [c for c in cells(path) if c["cell_type"] == "code" and source(c).strip()]
    assert all(c["execution_count"] is not None for c in code), "a code cell was never executed"
    with_output = sum(bool(c["outputs"]) for c in code)
    assert with_output >= len(code) // 2, f"only {with_output} of {len(code)} code cells have outputs"
    assert not any(o.get("output_type") == "error" for c in code for o in c["outputs"])


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_setup_cell_is_shared_and_pins_the_repository(path):
    first_code = next(c for c in cells(path) if c["cell_type"] == "code")
    reference = next(c for c in cells(NOTEBOOKS[0]) if c["cell_type"] == "code")
    assert source(first_code) == source(reference), "the setup cell differs from chapter 1's"
    pinned = re.findall(r'"gru_lesson\[onnx\] @ git\+(\S+?)@(\S+?)"', source(first_code))
    assert pinned == [(REPO_URL, CONFIG["repository"]["branch"])], "Colab must install from the branch its button opens"
    assert '"google.colab" in sys.modules' in source(first_code)
    pip_args = re.search(r"subprocess\.run\(\[(.*?)\]", source(first_code), flags=re.S).group(1)
    assert not re.search(r"torch|numpy|--upgrade|-U\b", pip_args), "the Colab cell must leave Colab's torch and NumPy alone"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_exercises_with_hidden_solutions(path):
    all_cells = cells(path)
    titles = [source(c) for c in all_cells if c["cell_type"] == "markdown" and source(c).startswith("### Exercise")]
    solutions = [c for c in all_cells if c["cell_type"] == "code" and "hide-cell" in c["metadata"].get("tags", [])]
    assert 2 <= len(titles) <= 3 and len(solutions) >= len(titles)
    assert not any("hide-input" in c["metadata"].get("tags", []) for c in all_cells), "hide-input leaves the output visible"
    for cell in solutions:
        # collapsed in Jupyter (code and output), and the one line JupyterLab still shows gives nothing away
        assert cell["metadata"].get("jupyter", {}) == {"source_hidden": True, "outputs_hidden": True}
        assert source(cell).splitlines()[0] == "# Solution: read it after your own attempt."
        assert any("Correct" in "".join(o.get("text", "")) + str(o.get("data", {}).get("text/plain", ""))
                   for o in cell["outputs"]), "a solution's checker must say Correct"


# The questions of a chapter: a section "Check your understanding" (or "Questions") up to the next
# heading of its level; a question is a line that starts with its number, bold or as a list item.
QUESTIONS_HEADING = re.compile(r"^## (?:Check your understanding|Questions)\s*$", flags=re.M)
QUESTION = re.compile(r"^(?:\*\*)?\d+\. ", flags=re.M)
# An answer, the one form every renderer folds: JupyterLab, VS Code and Colab show a MyST
# {dropdown} as an open code block (the answer right under its question), but fold an HTML
# <details>. The blank lines around the answer make it Markdown (and maths) for MyST and for
# JupyterLab alike, and the blank line after </details> ends the HTML block for both.
ANSWER = re.compile(r"(?:^|\n\n)<details>\n<summary>Answer</summary>\n\n(?!\s)(.+?)(?<!\s)\n\n</details>(?=\n\n|\n?$)",
                    flags=re.S)


def answer_problems(markdown: list[str]) -> list[str]:
    """What is wrong with the answers of a chapter's questions, given its markdown cells' sources."""
    problems = []
    text = "\n\n".join(cell.rstrip("\n") for cell in markdown)
    if re.search(r"\{dropdown\}", text):
        problems.append("a MyST {dropdown} is left: JupyterLab, VS Code and Colab show it open")
    heading = QUESTIONS_HEADING.search(text)
    if heading is None:
        return problems + ["no '## Check your understanding' (or '## Questions') section"]
    end = re.compile(r"^#{1,2} ", flags=re.M).search(text, heading.end())
    section = text[heading.end():end.start() if end else len(text)]
    starts = [m.start() for m in QUESTION.finditer(section)]
    if len(starts) < 2:
        problems.append(f"{len(starts)} questions in the section, expected at least 2")
    for number, (start, stop) in enumerate(zip(starts, starts[1:] + [len(section)]), start=1):
        question = section[start:stop]
        answers = ANSWER.findall(question)
        if len(answers) != 1 or question.count("<details") != 1 or question.count("</details>") != 1:
            problems.append(f"question {number}: {len(answers)} answers in the form <details>, blank line, "
                            f"<summary>Answer</summary>, the answer, blank line, </details>, blank line "
                            f"(found: {question.strip()[:160]!r})")
    if text.count("<details") != len(ANSWER.findall(text)):
        problems.append("a <details> that is not an answer in the one form (an 'open' one, or one outside the questions)")
    return problems


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_answers_to_the_questions_are_folded_in_every_renderer(path):
    """Each question's answer is hidden until the reader opens it, in Jupyter and Colab as on the site."""
    markdown = [source(c) for c in cells(path) if c["cell_type"] == "markdown"]
    problems = answer_problems(markdown)
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_one_title_and_no_skipped_heading_levels(path):
    levels = [len(m.group(1)) for c in cells(path) if c["cell_type"] == "markdown"
              for m in re.finditer(r"^(#+) ", source(c), flags=re.M)]
    assert levels[0] == 1 and levels.count(1) == 1
    assert all(b <= a + 1 for a, b in zip(levels, levels[1:]))


def test_readme_badges_use_the_configured_repository():
    readme = (ROOT / "README.md").read_text()
    org_repo = REPO_URL.removeprefix("https://github.com/")
    links = re.findall(r"\]\((https://(?:mybinder\.org|colab\.research\.google\.com)/\S+)\)", readme)
    assert len(links) == 2 and all(f"/{org_repo}/" in link for link in links)
    for link in links:  # each badge opens a notebook that exists
        assert (ROOT / re.split(r"/blob/[^/]+/|\?urlpath=tree/", link)[1]).is_file(), link


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_figures_are_numbered_and_the_prose_points_at_ones_that_exist(path):
    """Every plot a chapter draws is followed by its caption, "**Figure C.k.**", numbered in order; a
    "figure C.k" in the prose names a figure of this chapter that exists."""
    chapter = int(path.stem[:2])
    all_cells = cells(path)
    numbers = []
    for at, cell in enumerate(all_cells):
        if cell["cell_type"] == "code" and any("image/png" in o.get("data", {}) for o in cell["outputs"]):
            caption = all_cells[at + 1] if at + 1 < len(all_cells) else {"cell_type": None, "source": []}
            found = re.match(r"\*\*Figure (\d+)\.(\d+)\.\*\* \S", source(caption)) if caption["cell_type"] == "markdown" else None
            assert found, f"the plot of cell {at} has no caption '**Figure {chapter}.k.** ...' right after it"
            numbers.append((int(found[1]), int(found[2])))
    assert numbers == [(chapter, k) for k in range(1, len(numbers) + 1)], f"figures numbered {numbers}"
    prose = " ".join(source(c) for c in all_cells if c["cell_type"] == "markdown")
    for cited in re.findall(r"[Ff]igures? (\d+)\.(\d+)", re.sub(r"\*\*Figure \d+\.\d+\.\*\*", "", prose)):
        assert (int(cited[0]), int(cited[1])) in numbers, f"the prose cites figure {'.'.join(cited)}, which is not here"

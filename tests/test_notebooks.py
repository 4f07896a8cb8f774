"""The chapters as files: the shared setup cell, stored outputs, hidden solutions, pinned install.

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

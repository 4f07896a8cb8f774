"""Every chapter figure is legible on a phone: its smallest text at least 8 px high in a 358 px column.

`make outputs` measures each figure as the chapter draws it and stores the record in the notebook's
metadata (scripts/figure_text_sizes.py). These tests check that the measurement is what it says, that
each record belongs to the images stored beside it, and that every figure passes.
"""

from __future__ import annotations

import base64
import io
import json
from pathlib import Path

import matplotlib
import pytest

from experiment_scripts import load

matplotlib.use("Agg")
import matplotlib.backend_bases  # noqa: E402
import matplotlib.pyplot as plt  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))
sizes = load("figure_text_sizes", "scripts")
PHONE = sizes.COLUMNS["390 px phone"]


def png_px(png: bytes) -> list[int]:
    """A PNG's width and height in pixels, read from its header (the IHDR chunk)."""
    return [int.from_bytes(png[16:20], "big"), int.from_bytes(png[20:24], "big")]


def stored_pngs(cell: dict) -> list[list[int]]:
    """The sizes of the PNGs a code cell stored, in order."""
    return [png_px(base64.b64decode(output["data"]["image/png"]))
            for output in cell["outputs"] if "image/png" in output.get("data", {})]


def draws_a_widget(cell: dict) -> bool:
    """An interactive widget's figures live in the widget, drawn again in a live kernel, and are not stored."""
    return any("application/vnd.jupyter.widget-view+json" in output.get("data", {}) for output in cell["outputs"])


def test_the_measurement_finds_the_smallest_text_and_the_png_size(tmp_path):
    record = tmp_path / "figure_text.jsonl"
    original = matplotlib.backend_bases.FigureCanvasBase.print_figure
    try:
        exec(sizes.MEASURE_FIGURES.replace("RECORD", repr(str(record))), {})
        figure, axes = plt.subplots(figsize=(4, 3))
        axes.plot([0, 1], [0, 1], label="a curve")
        axes.legend(fontsize=9)
        axes.text(0.5, 0.5, "tiny", fontsize=6.5)
        axes.text(0.2, 0.2, "hidden", fontsize=3).set_visible(False)
        figure.savefig(tmp_path / "to_a_file.png")  # saved to a file, not displayed: not recorded
        shown = io.BytesIO()
        figure.canvas.print_figure(shown, format="png", dpi=200, bbox_inches="tight")  # what the inline backend does
        plt.close(figure)
    finally:
        matplotlib.backend_bases.FigureCanvasBase.print_figure = original
    [measured] = [json.loads(line) for line in record.read_text().splitlines()]
    assert measured["smallest_pt"] == 6.5 and measured["smallest_text"] == "tiny"
    assert measured["png_px"] == png_px(shown.getvalue())
    width = measured["png_px"][0]
    assert sizes.shown_px(measured, PHONE) == pytest.approx(6.5 * 200 / 72 * min(PHONE, width) / width)


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_every_figure_is_legible_on_a_phone(path):
    notebook = json.loads(path.read_text(encoding="utf-8"))
    figures = notebook["metadata"].get("figure_text")
    assert figures is not None, f"no measurements: run scripts/execute_notebooks.py {path.relative_to(ROOT)}"
    # each cell's measured figures are the PNGs it stored, in order (a stale record fails here)
    measured: dict[int, list] = {}
    for figure in figures:
        measured.setdefault(figure["cell"], []).append(figure["png_px"])
    cells = notebook["cells"]
    stored = {at: stored_pngs(cell) for at, cell in enumerate(cells) if cell["cell_type"] == "code" and stored_pngs(cell)}
    assert {at: sizes for at, sizes in measured.items() if not draws_a_widget(cells[at])} == stored, (
        "the measurements are not of the stored figures: re-execute the chapter with scripts/execute_notebooks.py")
    small = [(number, f["smallest_text"], round(sizes.shown_px(f, PHONE), 1))
             for number, f in enumerate(figures, start=1) if sizes.shown_px(f, PHONE) < sizes.LEGIBLE_PX]
    assert not small, f"figures whose smallest text is under {sizes.LEGIBLE_PX} px on a phone: {small}"

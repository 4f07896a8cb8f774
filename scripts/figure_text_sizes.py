"""How large the smallest text of every chapter figure appears on a phone and on a desktop.

    python scripts/figure_text_sizes.py [notebooks/NN_name.ipynb ...]     (default: all chapters; run from the root)

`scripts/execute_notebooks.py` (`make outputs`) measures each figure as the chapter draws it and
stores the measurement in the notebook's metadata, under "figure_text": the cell that drew the
figure (its index in the notebook), the size of the PNG in pixels and the smallest font size of the
figure's visible text. This script prints those records; `tests/test_figure_text.py` checks them
against the stored images. (A figure drawn inside an interactive widget, chapter 11's explorer, is
measured too, but its PNG is not stored: the widget draws it again in a live kernel.)

A page shows a PNG at most as wide as its pixels and never wider than the text column. The chapters
draw at `notebooks/matplotlibrc`'s 200 dpi, so text of `pt` points in a PNG `w` pixels wide appears at

    pt × 200 / 72 × min(column, w) / w  CSS pixels,

with the column 358 px on a 390 px phone and 757 px on a 1366 px desktop (a chapter's output area,
measured in Chromium). Text below 8 px is hard to read without zooming in.
"""

from __future__ import annotations

import sys
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parents[1]
COLUMNS = {"390 px phone": 358, "1366 px desktop": 757}
DPI = 200
LEGIBLE_PX = 8.0

# Run silently in a chapter's kernel before its first cell, with RECORD replaced by a file's path.
# The inline backend turns each figure into the PNG a notebook stores by calling the canvas's
# print_figure with an in-memory file; the wrapper measures the figure, lets it draw, reads the PNG's
# size from its header, and appends one JSON line per figure. Figures saved to files are not measured.
MEASURE_FIGURES = r'''
import io as _io, json as _json
import matplotlib.backend_bases as _backend_bases
_print_figure = _backend_bases.FigureCanvasBase.print_figure

def _measuring_print_figure(self, filename, *args, **kwargs):
    if not isinstance(filename, _io.BytesIO):
        return _print_figure(self, filename, *args, **kwargs)
    texts = [t for t in self.figure.findobj(lambda o: hasattr(o, "get_fontsize") and hasattr(o, "get_text"))
             if t.get_visible() and str(t.get_text()).strip()]
    smallest = min(texts, key=lambda t: t.get_fontsize(), default=None)
    start = filename.tell()
    result = _print_figure(self, filename, *args, **kwargs)
    header = filename.getvalue()[start + 16:start + 24]
    with open(RECORD, "a") as record:
        record.write(_json.dumps({
            "png_px": [int.from_bytes(header[:4], "big"), int.from_bytes(header[4:], "big")],
            "smallest_pt": smallest.get_fontsize() if smallest else None,
            "smallest_text": str(smallest.get_text())[:30] if smallest else None}) + "\n")
    return result

_backend_bases.FigureCanvasBase.print_figure = _measuring_print_figure
'''


def text_px(figure: dict, shown_width: float) -> float:
    """How many CSS pixels high the figure's smallest text is when a page shows its PNG `shown_width` px wide."""
    return (figure["smallest_pt"] or 0) * DPI / 72 * shown_width / figure["png_px"][0]


def shown_px(figure: dict, column: int) -> float:
    """How many CSS pixels high the figure's smallest text is in a text column `column` px wide."""
    return text_px(figure, min(column, figure["png_px"][0]))


def main() -> None:
    paths = [Path(p) for p in sys.argv[1:]] or sorted((ROOT / "notebooks").glob("*.ipynb"))
    print(f"{'chapter':<28} {'figure':>6} {'width':>8} {'smallest':>9}  " + "  ".join(f"{c:>16}" for c in COLUMNS))
    for path in paths:
        figures = nbformat.read(path, as_version=4).metadata.get("figure_text")
        if figures is None:
            print(f"{path.stem:<28} not measured: run scripts/execute_notebooks.py {path}")
        for number, figure in enumerate(figures or [], start=1):
            print(f"{path.stem:<28} {number:>6} {figure['png_px'][0]:5d} px {figure['smallest_pt'] or 0:6.1f}pt  "
                  + "  ".join(f"{shown_px(figure, column):13.1f} px" for column in COLUMNS.values())
                  + f"   {figure['smallest_text']!r}")


if __name__ == "__main__":
    main()

"""How large the smallest text of every chapter figure appears on a phone and on a desktop.

    python scripts/figure_text_sizes.py [notebooks/NN_name.ipynb ...]     (default: all chapters; run from the root)

Each chapter is executed (nothing is written back) with a hook that, for every figure drawn, records
the width of its saved, tightly cropped image in inches and the smallest font size of its visible
text. A page shows a plot at its natural size, `notebooks/matplotlibrc`'s 200 dpi, but never wider
than the text column, so text of `pt` points in a figure `w` inches wide appears at

    pt / 72 × min(column / w, 200) CSS pixels,

with the column 358 px on a 390 px phone and 757 px on a 1366 px desktop (a chapter's output area,
measured in Chromium). Text below about 8 px is hard to read without zooming in. Chapter 15 needs the chorales
(GRU_LESSON_CHORALES, as `make test` sets it).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import nbformat
from nbclient import NotebookClient

ROOT = Path(__file__).resolve().parents[1]
COLUMNS = {"390 px phone": 358, "1366 px desktop": 757}
DPI = 200

# Run first in the chapter's kernel: wrap the canvas's print_figure, which the inline backend calls
# to turn each figure into the PNG the notebook stores.
HOOK = r'''
import matplotlib.backend_bases as _backend_bases
_print_figure = _backend_bases.FigureCanvasBase.print_figure
_figure_text = []
def _measuring_print_figure(self, *args, **kwargs):
    figure = self.figure
    box = figure.get_tightbbox(figure.canvas.get_renderer())
    texts = [t for t in figure.findobj(lambda o: hasattr(o, "get_fontsize") and hasattr(o, "get_text"))
             if t.get_visible() and str(t.get_text()).strip()]
    smallest = min(texts, key=lambda t: t.get_fontsize(), default=None)
    _figure_text.append({"width_in": box.width, "smallest_pt": smallest.get_fontsize() if smallest else None,
                         "smallest_text": str(smallest.get_text())[:30] if smallest else None})
    return _print_figure(self, *args, **kwargs)
_backend_bases.FigureCanvasBase.print_figure = _measuring_print_figure
'''
REPORT = "import json; print('FIGURE-TEXT' + json.dumps(_figure_text))"


def measure(path: Path) -> list[dict]:
    notebook = nbformat.read(path, as_version=4)
    notebook.cells.insert(0, nbformat.v4.new_code_cell(HOOK))
    notebook.cells.append(nbformat.v4.new_code_cell(REPORT))
    NotebookClient(notebook, timeout=600, kernel_name="python3",
                   resources={"metadata": {"path": str(path.parent)}}).execute()
    printed = "".join(output.get("text", "") for output in notebook.cells[-1].outputs)
    return json.loads(printed.split("FIGURE-TEXT", 1)[1])


def main() -> None:
    paths = [Path(p) for p in sys.argv[1:]] or sorted((ROOT / "notebooks").glob("*.ipynb"))
    print(f"{'chapter':<28} {'figure':>6} {'width':>7} {'smallest':>9}  " + "  ".join(f"{c:>16}" for c in COLUMNS))
    for path in paths:
        for number, figure in enumerate(measure(path), start=1):
            width, points = figure["width_in"], figure["smallest_pt"] or 0
            shown = [points / 72 * min(column / width, DPI) for column in COLUMNS.values()]
            print(f"{path.stem:<28} {number:>6} {width:5.2f}in {points:6.1f}pt  "
                  + "  ".join(f"{px:13.1f} px" for px in shown) + f"   {figure['smallest_text']!r}")


if __name__ == "__main__":
    main()

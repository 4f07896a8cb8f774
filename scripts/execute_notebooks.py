"""Re-execute chapters in place, so their stored outputs are current (what nbval compares against).

    python scripts/execute_notebooks.py [notebooks/NN_name.ipynb ...]     (default: all chapters)

Run it (or `make outputs`) after changing a chapter or any module code a chapter shows or prints.
No timing metadata and no widget state are recorded, and a print split across two stream messages is
stored as one, so an unchanged result leaves the file unchanged. Each figure's text size is measured
as it is drawn and stored in the notebook's metadata (see scripts/figure_text_sizes.py).
"""

from __future__ import annotations

import json
import sys
import tempfile
import time
from pathlib import Path

import nbformat
from nbclient import NotebookClient
from nbclient.util import ensure_async

from figure_text_sizes import MEASURE_FIGURES

ROOT = Path(__file__).resolve().parents[1]


def execute(path: Path) -> float:
    """Execute one notebook in its own folder and write it back; returns the seconds it took."""
    notebook = nbformat.read(path, as_version=4)
    with tempfile.TemporaryDirectory() as folder:       # the figures' records, one JSON line each
        record = Path(folder) / "figure_text.jsonl"
        record.touch()
        client = NotebookClient(notebook, timeout=300, kernel_name="python3", record_timing=False,
                                resources={"metadata": {"path": str(path.parent)}})

        async def measure_figures(notebook) -> None:  # in the kernel, silently, before the first cell
            code = MEASURE_FIGURES.replace("RECORD", repr(str(record)))
            reply = await client.async_wait_for_reply(await ensure_async(client.kc.execute(code, silent=True)))
            if reply["content"]["status"] != "ok":
                raise RuntimeError(f"measuring the figures failed: {reply['content']}")

        figures: list[dict] = []

        def note_figures_of(cell, cell_index: int, **_) -> None:  # after each cell: the figures it drew
            for line in record.read_text().splitlines()[len(figures):]:
                figures.append({"cell": cell_index, **json.loads(line)})

        client.on_notebook_start, client.on_cell_executed = measure_figures, note_figures_of
        start = time.perf_counter()
        client.execute()
    for cell in notebook.cells:
        if cell.cell_type == "code":
            cell.outputs = _merge_streams(cell.outputs)
    # Stored widget state would make each web page load the widget manager from a CDN; an
    # interactive widget only works in a live kernel anyway.
    notebook.metadata.pop("widgets", None)
    notebook.metadata["figure_text"] = figures
    nbformat.write(notebook, path)
    return time.perf_counter() - start


def _merge_streams(outputs: list) -> list:
    """Join consecutive stdout (or stderr) messages: how the kernel chunks a print is not content."""
    merged = []
    for out in outputs:
        previous = merged[-1] if merged else None
        if previous and out.output_type == previous.output_type == "stream" and out.name == previous.name:
            previous.text += out.text
        else:
            merged.append(out)
    return merged


if __name__ == "__main__":
    paths = [Path(p).resolve() for p in sys.argv[1:]] or sorted((ROOT / "notebooks").glob("*.ipynb"))
    for path in paths:
        print(f"{path.relative_to(ROOT)}: executed in {execute(path):.1f} s")

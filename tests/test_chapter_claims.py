"""The chapters' printed claims cannot flip: every truth a chapter prints goes through `claim`.

nbval compares stored outputs with fresh ones; a chapter re-executed after a bug would store
"...: False" and compare equal forever after. So (1) no code cell prints a truth value itself
(a comparison, np.allclose, np.array_equal, agree, all/any/bool of something): it calls
`gru_lesson.lab.claims.claim`, which raises when the claim is false, or `differ` for a difference
shown on purpose; and (2) no stored output says that an agreement is False.
"""

from __future__ import annotations

import ast
import json
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))
TRUTH_CALLS = {"allclose", "array_equal", "isclose", "agree", "all", "any", "bool"}
# an agreement said to be False, or any verdict line that ends in ": False"
FLIPPED = re.compile(r"\b(equal|equals|agree|agrees|match|matches|same)\b[^\n]*[:=]\s*False\b|:\s+False\s*$", re.I)


def code_cells(path: Path) -> list[tuple[int, str, str]]:
    """(index, source, stored text output) of every code cell."""
    cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
    result = []
    for i, cell in enumerate(cells):
        if cell["cell_type"] == "code":
            text = "".join("".join(o.get("text", "")) + "".join(o.get("data", {}).get("text/plain", ""))
                           for o in cell["outputs"])
            result.append((i, "".join(cell["source"]), text))
    return result


def printed_truths(source: str) -> list[str]:
    """The print(...) calls in `source` whose arguments compute a truth value."""
    found = []
    tree = ast.parse(source)
    choices = {id(n.test) for n in ast.walk(tree) if isinstance(n, ast.IfExp)}   # f"{'a' if x > 1 else 'b'}"
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "print":
            for inner in (n for arg in node.args for n in ast.walk(arg)):
                name = inner.func.attr if isinstance(inner, ast.Call) and isinstance(inner.func, ast.Attribute) \
                    else inner.func.id if isinstance(inner, ast.Call) and isinstance(inner.func, ast.Name) else None
                if (isinstance(inner, ast.Compare) and id(inner) not in choices) or name in TRUTH_CALLS:
                    found.append(ast.get_source_segment(source, node)[:100])
                    break
    return found


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_no_cell_prints_a_truth_without_claim(path):
    offenders = [f"cell {i}: {call}" for i, source, _ in code_cells(path) for call in printed_truths(source)]
    assert not offenders, "print a checked truth with claim(...) (it raises when false):\n" + "\n".join(offenders)


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_no_stored_agreement_is_false(path):
    flipped = [f"cell {i}: {line.strip()}" for i, _, text in code_cells(path)
               for line in text.splitlines() if FLIPPED.search(line)]
    assert not flipped, "a stored output says an agreement is False:\n" + "\n".join(flipped)


def test_the_scan_finds_what_it_must():
    assert printed_truths('print("same:", np.allclose(a, b))') and printed_truths("print(f'{x < 1}')")
    assert printed_truths('print("ok:", bool(err < 1e-10))')
    assert not printed_truths('claim("same", np.allclose(a, b))') and not printed_truths('print("shape:", x.shape)')
    assert not printed_truths("print(f\"{'scan' if r > 1 else 'loop'}\")")
    assert FLIPPED.search("output equals torch.nn.GRU: False") and not FLIPPED.search("output equals torch: True")
    assert FLIPPED.search("moving b_hn into bias_ih changes nothing: False")
    assert not FLIPPED.search("reset_after=False: notes' h_t with flipped weights = torch's h_t: True")

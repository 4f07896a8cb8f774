"""benchmarks/gru_vs_torch.py (`make bench`) runs end to end and prints what the README and the performance page read.

No timing is asserted (speed is measured in benchmarks/, never in tests): one call of each candidate, one
round, and the report must name every candidate and the three ratios.
"""

from __future__ import annotations

import subprocess
import sys

from environment import clean_env
from experiment_scripts import ROOT


def test_make_bench_prints_every_candidate_and_the_three_ratios():
    result = subprocess.run([sys.executable, "benchmarks/gru_vs_torch.py", "--threads", "1", "--calls", "1", "--rounds", "1"],
                            cwd=ROOT, capture_output=True, text=True, timeout=300, env=clean_env())
    assert result.returncode == 0, result.stderr[-2000:]
    lines = result.stdout.splitlines()
    for candidate in ("gru_lesson forward", "NumPy products alone (floor)", "torch forward",
                      "gru_lesson forward + backward", "torch forward + backward"):
        assert any(line.startswith(candidate + " ") and " ms " in line for line in lines), candidate
    for ratio in ("forward floor ", "forward ", "forward + backward "):
        assert any(line.startswith(ratio) and "ratio" in line for line in lines), ratio
    assert "1 thread(s) each" in result.stdout and "each candidate alone in its own process" in result.stdout
    assert "kernel" in lines[0] and "1 threads)" in lines[0]         # the machine, with the candidates' BLAS threads

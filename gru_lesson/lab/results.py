"""Lab tool for chapters 10, 12, 13 and 15: a result file committed to the repository, wherever a chapter runs.

Heavy measurements run from `experiments/` and `benchmarks/` and commit what they found
(`experiments/results/`, `benchmarks/results/`); a chapter reads the file. In a clone and on Binder
the file is one folder up from the notebooks. Colab opens a chapter alone, so there the file is
fetched once, from the same repository and branch that the chapter's setup cell installs
gru_lesson from (its `PIP_SPEC`), into the working folder; later runs find it there.
"""

from __future__ import annotations

import urllib.request
from pathlib import Path

__all__ = ["committed_file"]


def committed_file(path: str, pip_spec: str) -> Path:
    """Where to read the repository's file `path` from (fetching it once when it is not beside the notebooks).

    path: relative to the repository's root, e.g. "experiments/results/accuracy.json".
    pip_spec: the setup cell's "gru_lesson[...] @ git+https://github.com/OWNER/REPO@BRANCH".
    Returns ../path when it exists (a clone, Binder); else the file's name in the working folder,
    downloaded from raw.githubusercontent.com/OWNER/REPO/BRANCH/path if it is not there yet.
    """
    if not isinstance(path, str) or not path or path.startswith(("/", "..")):
        raise ValueError(f"expected a path inside the repository, such as 'experiments/results/accuracy.json', got {path!r}")
    if not isinstance(pip_spec, str) or "git+https://github.com/" not in pip_spec or "@" not in pip_spec.split("git+", 1)[1]:
        raise ValueError(f"expected the setup cell's PIP_SPEC, 'gru_lesson @ git+https://github.com/OWNER/REPO@BRANCH', "
                         f"got {pip_spec!r}")
    beside = Path("..") / path
    if beside.is_file():
        return beside
    copy = Path(Path(path).name)
    if not copy.is_file():
        repository, branch = pip_spec.split("git+", 1)[1].rsplit("@", 1)
        raw = repository.replace("https://github.com/", "https://raw.githubusercontent.com/")
        urllib.request.urlretrieve(f"{raw}/{branch}/{path}", copy)
    return copy

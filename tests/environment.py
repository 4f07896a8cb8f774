"""What the tests read from their environment: whether this is CI, and a clean one for subprocesses."""

from __future__ import annotations

import os

# Variables that would make a child Python import something other than what the test means to run.
PYTHON_VARIABLES = ("PYTHONPATH", "PYTHONHOME", "PYTHONSTARTUP", "PYTHONUSERBASE", "PYTHONNOUSERSITE", "PYTHONSAFEPATH")


def in_ci() -> bool:
    """True where CI is set to a true value (CI=true, 1 or yes, as CI services and .ci/run set it).

    CI=false, CI=0 or an empty CI mean a developer's machine: there a missing browser is a skip.
    """
    return os.environ.get("CI", "").strip().lower() in {"1", "true", "yes"}


def clean_env(**extra: str) -> dict[str, str]:
    """os.environ without the PYTHON* variables that redirect imports, plus `extra`."""
    env = {k: v for k, v in os.environ.items() if k not in PYTHON_VARIABLES}
    env.update(extra)
    return env

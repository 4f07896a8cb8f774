"""The experiments/ and benchmarks/ scripts as modules, for the tests that check their committed results."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path
from types import ModuleType

import pytest

ROOT = Path(__file__).resolve().parents[1]


def load(name: str, folder: str = "experiments") -> ModuleType:
    """<folder>/<name>.py imported as a module (the scripts are not a package)."""
    spec = importlib.util.spec_from_file_location(f"{folder}_{name}", ROOT / folder / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def stored(name: str, folder: str = "experiments") -> dict:
    """What the script <folder>/<name>.py committed: <folder>/results/<name>.json, parsed."""
    return json.loads((ROOT / folder / "results" / f"{name}.json").read_text())


def script_and_results(name: str, folder: str = "experiments"):
    """A test module's two fixtures, `experiment` (the script as a module) and `results` (what it stored):

        experiment, results = script_and_results("accuracy")
    """
    @pytest.fixture(scope="module")
    def experiment() -> ModuleType:
        return load(name, folder)

    @pytest.fixture(scope="module")
    def results() -> dict:
        return stored(name, folder)

    return experiment, results

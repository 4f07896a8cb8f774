"""The two launch paths that install things, Binder's and Colab's, run in a fresh virtual environment.

One venv for both (module fixture): `python -m venv`, then binder/requirements.txt and ipykernel
(pinned as in requirements.txt), the Jupyter kernel that Binder's and Colab's images both bring,
which the chapters use through `IPython.display`. Each test first puts the venv in the state its
launch path starts from, so they do not depend on their order.

Binder: `pip install -r binder/requirements.txt`, then binder/postBuild, run as repo2docker runs
it (from the repository's root, with the environment's `python` first on PATH), in a snapshot of
the working tree (so that building the package leaves nothing in the checkout). Then every module
the chapters import, and every module gru_lesson imports even inside a function (onnx, torch),
must import there, each pin must be installed at exactly its version, and nothing may be pinned
that neither the chapters nor gru_lesson import.

Colab: the Colab button opens a chapter from the branch `repository.branch` of _config.yml, so the
chapters' setup cell must install gru_lesson from `repository.url` at that same branch: the module
the notebook was written with, at a ref the repository has (checked against this checkout's
branches and tags). The cell itself is executed with `google.colab` in `sys.modules`, in the venv
with what Colab's image has (torch, NumPy, Matplotlib, tqdm, IPython) but no gru_lesson; the test
rewrites the URL, in the cell's text only, to a git repository made from the working tree on a
branch of that name (a temporary `git init`, never the checkout's own history), so the cell
installs what would be pushed, from this machine instead of GitHub. Afterwards no package that was
there has changed (it must leave Colab's torch and NumPy alone), and gru_lesson imports from
site-packages, with every module the chapters need, and runs a GRU forward equal to torch's.
Outside Colab and outside a clone, the same cell must say how to install gru_lesson (the pip
command, with that spec) instead of a bare ModuleNotFoundError.

How pip is run. The PyTorch CPU index line in binder/requirements.txt serves one file,
torch==2.13.0+cpu. On this project's machines that index cannot be reached, and pip retries it
five times with back-off for every package it looks up (about four minutes in all); they keep that
exact file in a folder of pip's configured find-links (/opt/wheels) instead. So where pip finds the
pinned torch with `--no-index` (its find-links alone), the test installs a copy of the file without
the index line, and pip takes the same torch from the local folder; elsewhere the file is used as it
is. Every other package comes from pip's configured sources (here a local mirror and PyPI, as for
`make`), and the pins make the result exactly what Binder installs.
"""

from __future__ import annotations

import ast
import json
import os
import re
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
import yaml

import gru_lesson
from environment import clean_env, in_ci

ROOT = Path(__file__).resolve().parents[1]
CONFIG = yaml.safe_load((ROOT / "_config.yml").read_text())
REPO_URL = CONFIG["repository"]["url"]
BRANCH = CONFIG["repository"]["branch"]  # the branch the launch buttons open the chapters from
NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))
BINDER = ROOT / "binder"
TORCH_CPU_INDEX = "https://download.pytorch.org/whl/cpu"
# What Colab's image already has of binder/requirements.txt (and its kernel brings IPython).
COLAB_HAS = {"torch", "numpy", "matplotlib", "tqdm", "ipywidgets"}
SPEC = re.compile(r"^gru_lesson(?P<extras>\[[\w,\s-]*\])? @ git\+(?P<url>\S+)@(?P<ref>\S+)$")


# --- what the chapters and the module import -----------------------------------------------------------

def code_cells(path: Path) -> list[str]:
    cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
    return ["".join(c["source"]) for c in cells if c["cell_type"] == "code"]


IMPORT_ERRORS = {"ImportError", "ModuleNotFoundError", "Exception", "BaseException"}


def catches_import_error(handler: ast.ExceptHandler) -> bool:
    types = handler.type.elts if isinstance(handler.type, ast.Tuple) else [handler.type]
    return handler.type is None or any(isinstance(t, ast.Name) and t.id in IMPORT_ERRORS for t in types)


class Imports(ast.NodeVisitor):
    """{module: names imported from it} for every absolute import at any depth, except optional
    ones: those in a `try` whose `except` catches ImportError (the code works without them), which
    go to `optional_found` instead."""

    def __init__(self):
        self.found: dict[str, set[str]] = {}
        self.optional_found: dict[str, set[str]] = {}
        self.optional = 0

    def visit_Try(self, node):
        guarded = any(catches_import_error(h) for h in node.handlers)
        self.optional += guarded
        for statement in node.body:
            self.visit(statement)
        self.optional -= guarded
        for statement in [*node.handlers, *node.orelse, *node.finalbody]:
            self.visit(statement)

    visit_TryStar = visit_Try

    def visit_Import(self, node):
        into = self.optional_found if self.optional else self.found
        for alias in node.names:
            into.setdefault(alias.name, set())

    def visit_ImportFrom(self, node):
        if node.level == 0 and node.module != "__future__":
            into = self.optional_found if self.optional else self.found
            into.setdefault(node.module, set()).update(a.name for a in node.names if a.name != "*")


def imports_in(source: str, optional: bool = False) -> dict[str, set[str]]:
    """The imports a piece of code needs; with optional=True, those it can do without."""
    source = "\n".join("" if line.lstrip().startswith(("%", "!")) else line for line in source.splitlines())
    visitor = Imports()
    visitor.visit(ast.parse(source))
    return visitor.optional_found if optional else visitor.found


def chapter_imports(optional: bool = False) -> dict[str, set[str]]:
    found: dict[str, set[str]] = {}
    for path in NOTEBOOKS:
        for cell in code_cells(path):
            for module, names in imports_in(cell, optional).items():
                found.setdefault(module, set()).update(names)
    return found


def module_imports(package: Path) -> dict[str, set[str]]:
    """Every absolute import in gru_lesson's files, those inside functions too."""
    found: dict[str, set[str]] = {}
    for path in sorted(package.rglob("*.py")):
        for module, names in imports_in(path.read_text(encoding="utf-8")).items():
            found.setdefault(module, set()).update(names)
    return found


# --- pip, venvs and the snapshot ---------------------------------------------------------------------------

def run(command: list[str], what: str, **kwargs) -> subprocess.CompletedProcess:
    result = subprocess.run(command, capture_output=True, text=True, timeout=900, **kwargs)
    assert result.returncode == 0, (f"{what} failed (exit {result.returncode}):\n$ {' '.join(map(str, command))}\n"
                                    + result.stdout[-3000:] + result.stderr[-3000:])
    return result


def requirement_lines(path: Path) -> tuple[list[str], dict[str, str]]:
    """(option lines, {normalised name: pinned version}) of a requirements file."""
    options, pins = [], {}
    for line in path.read_text().splitlines():
        line = line.split("#", 1)[0].strip()
        if not line:
            continue
        if line.startswith("-"):
            options.append(line)
            continue
        match = re.fullmatch(r"([A-Za-z0-9_.-]+)\s*==\s*(\S+)", line)
        assert match, f"{path.relative_to(ROOT)}: {line!r} is not pinned as name==version"
        pins[re.sub(r"[-_.]+", "-", match[1]).lower()] = match[2]
    return options, pins


def binder_requirements_to_install(python: Path, tmp: Path) -> Path:
    """binder/requirements.txt, or a copy without the PyTorch CPU index where pip has its torch locally."""
    requirements = BINDER / "requirements.txt"
    options, pins = requirement_lines(requirements)
    probe = subprocess.run([str(python), "-m", "pip", "install", "--dry-run", "--quiet", "--no-deps",
                            "--no-index", f"torch=={pins['torch']}"], capture_output=True, text=True, timeout=300)
    if probe.returncode != 0:
        return requirements
    local = tmp / "binder-requirements-local-torch.txt"
    local.write_text("".join(line + "\n" for line in requirements.read_text().splitlines()
                             if line.strip() != f"--extra-index-url {TORCH_CPU_INDEX}"))
    return local


def freeze(python: Path) -> dict[str, str]:
    out = run([str(python), "-m", "pip", "list", "--format=json"], "pip list").stdout
    return {re.sub(r"[-_.]+", "-", p["name"]).lower(): p["version"] for p in json.loads(out)}


def copy_working_tree(destination: Path) -> None:
    """The files git would commit now: tracked and untracked-but-not-ignored, as they are on disk."""
    listed = run(["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"], "git ls-files", cwd=ROOT)
    for name in sorted(set(filter(None, listed.stdout.split("\0")))):
        source = ROOT / name
        if source.is_file():
            target = destination / name
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target)


@pytest.fixture(scope="module")
def snapshot(tmp_path_factory) -> Path:
    """A git repository holding the working tree as one commit on the branch `repository.branch`."""
    if shutil.which("git") is None:
        pytest.fail("git is needed to test the Colab install (pip installs from a git URL)")
    repo = tmp_path_factory.mktemp("snapshot") / "gru-course"
    copy_working_tree(repo)
    git = ["git", "-c", "user.name=test", "-c", "user.email=test@localhost", "-c", "commit.gpgsign=false"]
    run([*git, "init", "--quiet", f"--initial-branch={BRANCH}"], "git init", cwd=repo)
    run([*git, "add", "--all"], "git add", cwd=repo)
    run([*git, "commit", "--quiet", "--message", "working tree"], "git commit", cwd=repo)
    return repo


@pytest.fixture(scope="module")
def venv(tmp_path_factory) -> Path:
    """A fresh venv with binder/requirements.txt and ipykernel; returns its python."""
    home = tmp_path_factory.mktemp("venv")
    run([sys.executable, "-m", "venv", str(home / "env")], "python -m venv")
    python = home / "env" / "bin" / "python"
    _, main_pins = requirement_lines(ROOT / "requirements.txt")
    requirements = binder_requirements_to_install(python, home)
    # --no-compile: writing .pyc files for torch's thousands of modules takes half the install's time,
    # and Python compiles what it imports anyway.
    run([str(python), "-m", "pip", "install", "--quiet", "--no-compile", "-r", str(requirements),
         f"ipykernel=={main_pins['ipykernel']}"], f"pip install -r {requirements.name} ipykernel")
    return python


IMPORT_CHECK = textwrap.dedent("""
    import importlib, json, sys
    wanted = json.loads(sys.argv[1])
    missing = {}
    for module, names in sorted(wanted.items()):
        try:
            imported = importlib.import_module(module)
        except Exception as error:
            missing[module] = f"{type(error).__name__}: {error}"
            continue
        for name in sorted(names):
            if not hasattr(imported, name):
                try:
                    importlib.import_module(f"{module}.{name}")
                except Exception as error:
                    missing[f"{module}.{name}"] = f"{type(error).__name__}: {error}"
    print(json.dumps(missing))
""")


def unimportable(python: Path, wanted: dict[str, set[str]], cwd: Path) -> dict[str, str]:
    """Modules (and names from them) that fail to import in that python, run outside the checkout."""
    arg = json.dumps({module: sorted(names) for module, names in wanted.items()})
    return json.loads(run([str(python), "-c", IMPORT_CHECK, arg], "the import check", cwd=cwd).stdout)


def everything_needed(package: Path) -> dict[str, set[str]]:
    wanted = chapter_imports()
    for module, names in module_imports(package).items():
        if not module.startswith("gru_lesson"):
            wanted.setdefault(module, set()).update(names)
    return wanted


# --- Binder ------------------------------------------------------------------------------------------------

def test_binder_requirements_are_the_cpu_build_and_the_tested_versions():
    options, pins = requirement_lines(BINDER / "requirements.txt")
    _, main_pins = requirement_lines(ROOT / "requirements.txt")
    assert options == [f"--extra-index-url {TORCH_CPU_INDEX}"], (
        f"binder/requirements.txt must get torch from PyTorch's CPU index ({TORCH_CPU_INDEX}), found {options}")
    assert pins.get("torch", "").endswith("+cpu"), (
        f"torch must be pinned to the CPU build (+cpu), found {pins.get('torch')}")
    different = {name: (version, main_pins.get(name)) for name, version in pins.items()
                 if version.split("+")[0] != (main_pins.get(name) or "").split("+")[0]}
    assert not different, f"binder pins differ from requirements.txt (binder, tested): {different}"
    runtime = (BINDER / "runtime.txt").read_text().strip()
    assert runtime == "python-3.11", f"binder/runtime.txt asks for {runtime!r}; the course is tested on python-3.11"
    assert os.access(BINDER / "postBuild", os.X_OK), "binder/postBuild must be executable (repo2docker runs it)"


def test_binder_installs_what_the_chapters_import(venv, snapshot, tmp_path):
    requirements = binder_requirements_to_install(venv, tmp_path)
    run([str(venv), "-m", "pip", "install", "--quiet", "--no-compile", "-r", str(requirements)],
        "pip install -r binder/requirements.txt")
    env = clean_env(PATH=f"{venv.parent}{os.pathsep}{os.environ['PATH']}", VIRTUAL_ENV=str(venv.parent.parent))
    run(["bash", str(snapshot / "binder" / "postBuild")], "binder/postBuild", cwd=snapshot, env=env)

    # Binder also installs what the chapters can do without (chapter 11's explorer needs ipywidgets).
    wanted = everything_needed(snapshot / "gru_lesson")
    for module, names in chapter_imports(optional=True).items():
        wanted.setdefault(module, set()).update(names)
    assert not (missing := unimportable(venv, wanted, tmp_path)), (
        f"on Binder these imports of the chapters or of gru_lesson would fail: {missing}")

    installed = freeze(venv)
    _, pins = requirement_lines(BINDER / "requirements.txt")
    wrong = {name: (version, installed.get(name)) for name, version in pins.items() if installed.get(name) != version}
    assert not wrong, f"installed versions differ from binder/requirements.txt's pins (pinned, installed): {wrong}"
    assert installed.get("gru-lesson") == gru_lesson.__version__, "postBuild did not install gru_lesson"

    provided = json.loads(run([str(venv), "-c", "import importlib.metadata as m, json; "
                               "print(json.dumps(m.packages_distributions()))"], "packages_distributions").stdout)
    used = {re.sub(r"[-_.]+", "-", dist).lower()
            for module in wanted for dist in provided.get(module.split(".")[0], [])}
    unused = sorted(set(pins) - used)
    assert not unused, f"binder/requirements.txt installs what no chapter and no gru_lesson module imports: {unused}"


# --- Colab -------------------------------------------------------------------------------------------------

def setup_cell() -> str:
    return code_cells(NOTEBOOKS[0])[0]  # the same in every chapter: tests/test_notebooks.py


def install_spec() -> re.Match:
    strings = [node.value for node in ast.walk(ast.parse(setup_cell()))
               if isinstance(node, ast.Constant) and isinstance(node.value, str)]
    specs = [s for s in strings if " @ git+" in s]
    assert len(specs) == 1, f"expected one 'gru_lesson @ git+URL@REF' in the setup cell, found {specs}"
    match = SPEC.match(specs[0])
    assert match, f"the install spec {specs[0]!r} is not 'gru_lesson[extras] @ git+URL@REF'"
    return match


def refs_of_this_checkout() -> set[str]:
    """The branch and tag names this checkout knows: its own, its remotes' (origin/main is main)."""
    listed = subprocess.run(["git", "for-each-ref", "--format=%(refname)", "refs/heads", "refs/remotes", "refs/tags"],
                            cwd=ROOT, capture_output=True, text=True) if shutil.which("git") else None
    if listed is None or listed.returncode != 0 or not listed.stdout.strip():
        reason = "not a git checkout (or no git): cannot check that the Colab cell's ref exists"
        if in_ci():
            pytest.fail(f"{reason}\n(CI is set: a skip is a failure)", pytrace=False)
        pytest.skip(reason)
    names = set()
    for ref in listed.stdout.split():
        kind, _, name = ref.removeprefix("refs/").partition("/")
        names.add(name.split("/", 1)[1] if kind == "remotes" and "/" in name else name)
    return names


def test_colab_cell_installs_from_the_branch_the_colab_button_opens():
    match = install_spec()
    assert match["url"] == REPO_URL, f"the setup cell installs from {match['url']}, _config.yml says {REPO_URL}"
    assert match["ref"] == BRANCH, (
        f"the setup cell installs gru_lesson at {match['ref']!r}, but the Colab button opens the chapters from "
        f"the branch {BRANCH!r} (repository.branch in _config.yml): install from that branch")
    known = refs_of_this_checkout()
    assert match["ref"] in known, (
        f"the setup cell installs gru_lesson at {match['ref']!r}, a ref this repository does not have "
        f"(its branches and tags: {sorted(known)}): on Colab the first cell would fail")


def run_setup_cell_without_site_packages(cwd: Path) -> subprocess.CompletedProcess:
    """The setup cell in this Python with no site-packages (-I -S): gru_lesson is not installed there."""
    return subprocess.run([sys.executable, "-I", "-S", "-c", setup_cell() + "\nprint(gru_lesson.__file__)"],
                          cwd=cwd, capture_output=True, text=True, timeout=60)


def test_setup_cell_outside_a_clone_says_how_to_install(tmp_path):
    """A chapter downloaded from the site and run elsewhere: one line with the pip command."""
    result = run_setup_cell_without_site_packages(tmp_path)
    assert result.returncode != 0, f"gru_lesson imported with no site-packages and no clone: {result.stdout}"
    command = f'pip install "gru_lesson[onnx] @ git+{REPO_URL}@{BRANCH}"'
    last = result.stderr.strip().splitlines()[-1]
    assert last.startswith(("ModuleNotFoundError: ", "ImportError: ")) and command in last, (
        f"outside a clone the setup cell must end in one line naming `{command}`; it ended:\n{result.stderr}")
    assert "During handling" not in result.stderr, f"the bare ModuleNotFoundError is still shown:\n{result.stderr}"


def test_setup_cell_in_a_clone_uses_the_package_beside_notebooks(tmp_path):
    (tmp_path / "gru_lesson").mkdir()
    (tmp_path / "gru_lesson" / "__init__.py").write_text("")
    (tmp_path / "notebooks").mkdir()
    result = run_setup_cell_without_site_packages(tmp_path / "notebooks")
    assert result.returncode == 0, f"in a clone without an install, the setup cell failed:\n{result.stderr}"
    assert Path(result.stdout.strip()).resolve() == (tmp_path / "gru_lesson" / "__init__.py").resolve()


def test_colab_cell_installs_gru_lesson_and_leaves_torch_and_numpy_alone(venv, snapshot, tmp_path):
    # Colab's state: its own packages, no gru_lesson, none of what only Binder's file adds.
    _, pins = requirement_lines(BINDER / "requirements.txt")
    run([str(venv), "-m", "pip", "uninstall", "--yes", "gru_lesson", *sorted(set(pins) - COLAB_HAS)], "pip uninstall")
    assert unimportable(venv, {"gru_lesson": set()}, tmp_path), "gru_lesson is importable before the cell ran"
    before = freeze(venv)

    cell = setup_cell()
    url = f"git+{REPO_URL}@"
    assert url in cell, f"the setup cell does not install from {url}..."
    cell = cell.replace(url, f"git+file://localhost{snapshot}@")  # pip < 24 rejects file:/// in a PEP 508 URL
    content = tmp_path / "content"  # Colab's working folder: no gru_lesson beside it
    content.mkdir()
    runner = "import sys, types\nsys.modules['google.colab'] = types.ModuleType('google.colab')\n"
    runner += cell + "\nprint(gru_lesson.__file__)\n"
    result = run([str(venv), "-c", runner], "the Colab setup cell", cwd=content)
    location = result.stdout.strip().splitlines()[-1]
    assert "site-packages" in location, f"after the cell, gru_lesson came from {location}, not from the install"

    after = freeze(venv)
    changed = {name: (version, after.get(name)) for name, version in before.items() if after.get(name) != version}
    assert not changed, f"the Colab cell changed packages Colab already has (before, after): {changed}"
    added = sorted(set(after) - set(before))
    assert "gru-lesson" in added, f"the Colab cell did not install gru_lesson; it added {added}"

    wanted = everything_needed(snapshot / "gru_lesson")
    assert not (missing := unimportable(venv, wanted, content)), (
        f"on Colab, after the setup cell, these imports of the chapters or of gru_lesson fail: {missing}. "
        f"The cell installs only {added}; Colab's image does not have the rest.")

    forward = textwrap.dedent("""
        import numpy as np, torch
        from gru_lesson import GRU
        torch.manual_seed(0)
        module = torch.nn.GRU(3, 4, num_layers=2, bidirectional=True).double()
        x = np.random.default_rng(0).standard_normal((5, 2, 3))
        output, h_n = GRU.from_torch(module)(x)
        with torch.no_grad():
            expected, expected_h = module(torch.from_numpy(x))
        np.testing.assert_allclose(output, expected.numpy(), rtol=0, atol=1e-10)
        np.testing.assert_allclose(h_n, expected_h.numpy(), rtol=0, atol=1e-10)
    """)
    run([str(venv), "-c", forward], "a GRU forward with the installed gru_lesson", cwd=content)

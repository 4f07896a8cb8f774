"""gru_lesson.lab.results.committed_file: a chapter's committed result file in a clone, and on Colab (fetched once)."""

from __future__ import annotations

import urllib.request

import pytest

from gru_lesson.lab.results import committed_file

SPEC = "gru_lesson[onnx] @ git+https://github.com/gru-lesson/gru-course@main"


def test_in_a_clone_the_file_beside_the_notebooks(tmp_path, monkeypatch):
    (tmp_path / "experiments" / "results").mkdir(parents=True)
    (tmp_path / "experiments" / "results" / "a.json").write_text("{}")
    (tmp_path / "notebooks").mkdir()
    monkeypatch.chdir(tmp_path / "notebooks")
    monkeypatch.setattr(urllib.request, "urlretrieve", lambda *a: pytest.fail("fetched a file the clone has"))
    assert committed_file("experiments/results/a.json", SPEC).as_posix() == "../experiments/results/a.json"


def test_on_colab_fetched_once_from_the_branch_the_setup_cell_installs(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)                      # Colab's /content: nothing of the repository
    fetched = []

    def urlretrieve(url, to):
        fetched.append(url)
        to.write_text("{}")

    monkeypatch.setattr(urllib.request, "urlretrieve", urlretrieve)
    for _ in range(2):
        assert committed_file("benchmarks/results/b.json", SPEC).as_posix() == "b.json"
    assert fetched == ["https://raw.githubusercontent.com/gru-lesson/gru-course/main/benchmarks/results/b.json"]


@pytest.mark.parametrize("path", ["", "/etc/passwd", "../secret.json", None, 3])
def test_a_path_outside_the_repository_is_refused(path):
    with pytest.raises(ValueError, match="expected a path inside the repository"):
        committed_file(path, SPEC)


@pytest.mark.parametrize("spec", ["gru_lesson", "gru_lesson @ git+https://gitlab.com/o/r@main", None,
                                  "gru_lesson @ git+https://github.com/o/r"])
def test_a_spec_that_names_no_github_branch_is_refused(spec):
    with pytest.raises(ValueError, match="expected the setup cell's PIP_SPEC"):
        committed_file("experiments/results/a.json", spec)

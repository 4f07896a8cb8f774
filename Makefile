# Two commands on a fresh machine with Python >= 3.11:
#   make book   set up .venv, build the site into _build/html from the chapters' stored outputs
#   make test   set up .venv, run the whole suite (unit, property, bad input, nbval, book build)
#   make lab    set up .venv, open the chapters in JupyterLab with .venv as the kernel
PYTHON ?= python3
VENV := .venv
# Chapter 15's data, the JSB chorales: tests and builds never download; they read the copy in ../shared/data
# beside the clone when there is one (a learner's machine downloads it once, checked, into a cache).
SHARED_CHORALES := $(wildcard $(CURDIR)/../shared/data/jsb-chorales-quarter.json)
ifneq ($(SHARED_CHORALES),)
export GRU_LESSON_CHORALES ?= $(abspath $(SHARED_CHORALES))
endif
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: book test lab bench outputs clean

$(STAMP): requirements.txt pyproject.toml
	@$(PYTHON) -c 'import sys; v = sys.version_info; sys.exit(0 if v >= (3, 11) else f"Python >= 3.11 is needed; $(PYTHON) is {v.major}.{v.minor}. Run: make PYTHON=python3.11 ...")'
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet -r requirements.txt
	$(BIN)/python -m pip install --quiet --no-deps --editable .
	touch $(STAMP)

book: $(STAMP)
	$(BIN)/jupyter-book build . --warningiserror --keep-going
	@echo "The book is built: open file://$(CURDIR)/_build/html/index.html"

test: $(STAMP)
	$(BIN)/python -m pytest

# JupyterLab on the chapters; its kernel is .venv's Python, so gru_lesson, torch and ipywidgets import.
# Port 8888 taken: it takes the next free one and prints the address. Other options:
# make lab LAB_ARGS="--port=8890 --no-browser"; LAB_ROOT is the folder it serves (tests/test_jupyterlab.py
# serves a copy). No news feed, update check or PyPI extension search: nothing waits on the network.
LAB_ROOT ?= .
LAB_ARGS ?=
lab: $(STAMP)
	JUPYTER_PREFER_ENV_PATH=1 $(BIN)/jupyter lab --ServerApp.root_dir=$(LAB_ROOT) --LabApp.default_url=/lab/tree/notebooks \
		--LabApp.news_url=None --LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate \
		--LabApp.extension_manager=readonly $(LAB_ARGS)

# Speed ratios against torch, measured in one run. OpenBLAS is left to pick its own kernel here
# (this machine's environment pins an older one, which slows NumPy, not torch).
bench: $(STAMP)
	env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE $(BIN)/python benchmarks/gru_vs_torch.py

# After changing a chapter, or module code whose results a chapter prints: re-execute the chapters in place.
outputs: $(STAMP)
	$(BIN)/python scripts/execute_notebooks.py

clean:
	rm -rf _build

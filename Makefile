# Two commands on a fresh machine with Python >= 3.11:
#   make book   set up .venv, execute the chapters, build the site into _build/html
#   make test   set up .venv, run the whole suite (unit, property, bad input, nbval, book build)
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: book test bench outputs clean

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

# Speed ratios against torch, measured in one run. OpenBLAS is left to pick its own kernel here
# (this machine's environment pins an older one, which slows NumPy, not torch).
bench: $(STAMP)
	env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE $(BIN)/python benchmarks/gru_vs_torch.py

# After changing a chapter, or module code a chapter shows: re-execute the chapters in place.
outputs: $(STAMP)
	$(BIN)/python scripts/execute_notebooks.py

clean:
	rm -rf _build

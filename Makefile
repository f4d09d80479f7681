# Choreo Studio: `make run` opens the editor, `make test` runs every check.  Both set up what they need.
#
#   make run          create .venv, install the project, check Debian packages, open the demo song
#   make test         the same set-up, then ruff, import-linter and the pytest suite under Xvfb
#   make lint         ruff + import-linter only
#   make bench        python -m studio bench analysis
#   make cpu-torch    put PyTorch's CPU-only build in .venv (no CUDA download); see README "GPU or CPU"
#   make clean        caches and build output;  make distclean  also the virtual environments
#
# Variables: PYTHON=python3.12 (interpreter for a new venv), TORCH=cpu (same as `make cpu-torch` first),
# SONG=path (what `make run` opens), PYTEST_ARGS="-k window" (extra pytest arguments).

SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help
.DELETE_ON_ERROR:

PYTHON ?= python3
SONG ?= resources/demo/demo.wav
PYTEST_ARGS ?=
TORCH ?=
# PyTorch's own index of CPU-only wheels.  On PyPI, torch for Linux is the CUDA build.
TORCH_CPU_INDEX ?= https://download.pytorch.org/whl/cpu
# The one torch pin lives in pyproject.toml; read it from there rather than repeat it.
TORCH_PIN := $(shell grep -oE '"torch==[^"]+"' pyproject.toml | tr -d '"')

# --- virtual environments ------------------------------------------------------------------------
# One block per venv: its folder, its install stamp, the rule that fills it.  The pattern rule below
# creates any of them.  To add one (e.g. .venv-blender for bpy), copy the three .venv lines, give the
# new interpreter with a target-specific PYTHON (`$(VENV_X)/bin/python: PYTHON = python3.11`) and
# write its install recipe.
VENV := .venv
VENV_PY := $(VENV)/bin/python
VENV_STAMP := $(VENV)/.choreo-installed

# Create a venv with an interpreter that is new enough.
%/bin/python:
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null || { \
	  echo "Choreo Studio needs Python 3.11 or newer; '$(PYTHON)' is $$($(PYTHON) --version 2>/dev/null || echo "not found")."; \
	  echo "Install one (Debian: apt-get install python3 python3-venv) or name it: make $(or $(MAKECMDGOALS),run) PYTHON=python3.12"; \
	  exit 1; }
	@echo "Creating $* with $$($(PYTHON) --version)"
	@$(PYTHON) -m venv $* || { \
	  echo "Could not create $*: on Debian/Ubuntu install the venv module: apt-get install python3-venv"; \
	  rm -rf $*; exit 1; }

# Install (again) only when pyproject.toml changed since the last install into this venv.
$(VENV_STAMP): pyproject.toml | $(VENV_PY)
	$(if $(filter cpu,$(TORCH)),$(MAKE) --no-print-directory cpu-torch)
	@echo "Installing the project into $(VENV) (pip install -e '.[dev]'; first time: a few minutes)"
	$(VENV_PY) -m pip install --quiet -e '.[dev]'
	@touch $@

.PHONY: venv debian-deps setup
venv: $(VENV_STAMP)

debian-deps:
	@bash packaging/debian-deps.sh

# Debian packages first: a missing one stops the run at once, not after a long pip install.
setup: debian-deps venv

# --- what people run -----------------------------------------------------------------------------
.PHONY: help run test pytest lint bench cpu-torch clean distclean

help:
	@sed -n '1,/^$$/p' Makefile | sed 's/^# \{0,1\}//'

run: setup
	$(VENV_PY) -m studio run $(SONG)

# lint and pytest are independent, so `make -k test` (CI) reports both even when lint fails.
test: lint pytest

# Xvfb comes from pytest-xvfb, which starts one for the session; nothing here needs a real display.
pytest: setup
	@rc=0; $(VENV)/bin/pytest $(PYTEST_ARGS) || rc=$$?; \
	if [ $$rc -eq 5 ]; then echo "pytest collected no tests: that is a failure here, not a pass." >&2; fi; \
	exit $$rc

lint: venv
	$(VENV)/bin/ruff check .
	$(VENV)/bin/lint-imports

bench: setup
	$(VENV_PY) -m studio bench analysis

# Replace whatever torch is in .venv by the CPU build of the pinned version; "+cpu" makes pip swap a CUDA
# build it would otherwise call satisfied.  torch==X accepts X+cpu, so later project installs keep it.
cpu-torch: | $(VENV_PY)
	$(VENV_PY) -m pip install --quiet --index-url $(TORCH_CPU_INDEX) '$(TORCH_PIN)+cpu'
	@$(VENV_PY) -c 'import torch; print("torch", torch.__version__, "CUDA" if torch.version.cuda else "CPU only")'

clean:
	rm -rf build dist *.egg-info .pytest_cache .ruff_cache .hypothesis .import_linter_cache .gl
	find . -path ./.venv -prune -o -path './.venv-*' -prune -o -name __pycache__ -type d -print0 \
	  | xargs -0 rm -rf

distclean: clean
	rm -rf $(VENV)

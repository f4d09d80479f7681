# Choreo Studio: `make run` opens the editor, `make test` runs every check.  Both set up what they need.
#
#   make run          create .venv, install the project, check Debian packages, open the demo song
#   make test         the same set-up, then ruff, import-linter and the pytest suite under Xvfb
#   make lint         ruff + import-linter only
#   make bench        python -m studio bench analysis
#   make timings      the wall-clock limits (benchmarks/): on a quiet machine, not in `make test`
#   make cpu-torch    put PyTorch's CPU-only build in .venv (no CUDA download); see README "GPU or CPU"
#   make wheel        dist/choreo_studio-*.whl (and the sdist): the installable app, models included (docs/install.md)
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
	$(VENV_PY) -m studio.audio.numba_cache  # compile librosa's kernels now, not on the first song (docs/startup.md)
	@touch $@

.PHONY: venv debian-deps setup
venv: $(VENV_STAMP)

debian-deps:
	@bash packaging/debian-deps.sh

# Debian packages first: a missing one stops the run at once, not after a long pip install.
setup: debian-deps venv

# --- what people run -----------------------------------------------------------------------------
.PHONY: help run test pytest lint bench timings cpu-torch wheel clean distclean

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

timings: setup
	$(VENV_PY) -m pytest benchmarks -q -s

# The sdist, then the wheel from it (setup.py maps models/, resources/ and packaging/ into studio/_data/).
# --no-isolation: the venv's setuptools (the dev extra's), so building downloads nothing.
wheel: venv
	$(VENV_PY) -m build --no-isolation --outdir dist .
	@ls -l dist/*.whl

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

# --- export checks: Blender (bpy) and the Khronos glTF validator, for tests/io ---------------------
# bpy 5.0.1 needs Python 3.11 and pins numpy<2, so it gets its own venv; the tests run it in a
# subprocess and skip (saying why) when it is missing.  The glTF validator is an npm package kept in
# .cache/npm (git-ignored); without npm its test skips.  `make test` makes both.
VENV_BLENDER := .venv-blender
VENV_BLENDER_PY := $(VENV_BLENDER)/bin/python
VENV_BLENDER_STAMP := $(VENV_BLENDER)/.choreo-installed
BPY_PIN := bpy==5.0.1
BLENDER_PYTHON ?= python3.11
GLTF_VALIDATOR_PIN := gltf-validator@2.0.0-dev.3.10
GLTF_VALIDATOR := .cache/npm/node_modules/gltf-validator/package.json

$(VENV_BLENDER_PY): override PYTHON = $(BLENDER_PYTHON)

$(VENV_BLENDER_STAMP): | $(VENV_BLENDER_PY)
	@echo "Installing $(BPY_PIN) into $(VENV_BLENDER) (Blender as a Python module, ~350 MB; first time only)"
	$(VENV_BLENDER_PY) -m pip install --quiet '$(BPY_PIN)'
	@touch $@

$(GLTF_VALIDATOR):
	@if command -v npm >/dev/null; then \
	  echo "Installing $(GLTF_VALIDATOR_PIN) into .cache/npm"; \
	  npm install --prefix .cache/npm --no-save --no-audit --no-fund --silent $(GLTF_VALIDATOR_PIN); \
	else echo "npm not found: the glTF validator test will skip (Debian: apt-get install nodejs npm)"; fi

.PHONY: .venv-blender export-tools distclean-export-tools
.venv-blender: $(VENV_BLENDER_STAMP)
export-tools: $(VENV_BLENDER_STAMP) $(GLTF_VALIDATOR)
pytest: export-tools
distclean: distclean-export-tools
distclean-export-tools:
	rm -rf $(VENV_BLENDER) .cache/npm

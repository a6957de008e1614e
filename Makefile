# Hearth: `make run` starts the app, `make test` checks everything. Both set up what is missing first.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.hearth-installed
JOBS := $(shell nproc 2>/dev/null || echo 2)

# Libraries Qt needs to draw, offscreen included; the xcb ones only for a real window.
QT_DEBS := libegl1 libgl1 libxkbcommon0 libfontconfig1 libglib2.0-0 libdbus-1-3 fonts-dejavu-core
WINDOW_DEBS := libxkbcommon-x11-0 libxcb-cursor0 libxcb-icccm4 libxcb-keysyms1 libxcb-shape0 \
	libxcb-image0 libxcb-render-util0 libxcb-randr0 libxcb-xinerama0

.PHONY: setup run test lint pytest bench screenshots clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

# llama-cpp-python compiles llama.cpp from source the first time (about 12 minutes on 2 cores);
# pip caches the wheel, so later setups take seconds.
$(STAMP): pyproject.toml | $(BIN)/python
	CMAKE_BUILD_PARALLEL_LEVEL=$(JOBS) $(BIN)/pip install --quiet --progress-bar off -e '.[test]'
	touch $@

setup: $(STAMP)
	@packaging/linux/system-deps.sh $(QT_DEBS)

run: setup
	@packaging/linux/system-deps.sh $(WINDOW_DEBS)
	$(BIN)/hearth

lint: setup
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

pytest: setup
	QT_QPA_PLATFORM=offscreen $(BIN)/python -m pytest

test: lint pytest

screenshots: setup
	HEARTH_SCREENSHOTS=$(CURDIR)/docs/screenshots QT_QPA_PLATFORM=offscreen $(BIN)/python -m pytest -q \
		tests/ui/test_main_window.py tests/ui/test_model_manager.py tests/ui/test_documents_window.py \
		-k "empty or reasoning or dark or markdown or first_run or documents_screenshot"

bench: setup
	QT_QPA_PLATFORM=offscreen $(BIN)/python -m bench

clean:
	rm -rf $(VENV) .mypy_cache .ruff_cache .pytest_cache .hypothesis

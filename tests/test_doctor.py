"""`hearth doctor`: what decides how models run here, as plain text for a bug report."""

from __future__ import annotations

from pathlib import Path

from app.config import Settings, default_paths, save_settings
from app.engine import default_threads
from tests.fixtures.cli import hearth
from tests.fixtures.tiny_models import TinyModel


def test_doctor_names_the_runtime_devices_and_folders(hearth_home: Path) -> None:
    result = hearth("doctor")
    assert result.returncode == 0, result.stderr
    report = result.stdout
    for expected in (
        "Model runtime: llama-cpp-python",
        "GPU offload in this build: no",
        "Devices:",
        "Model: none",
    ):
        assert expected in report
    assert f"Data folder: {hearth_home.resolve()}" in report
    assert "CPU (cpu)" in report, "llama.cpp's own device list"


def test_doctor_says_what_loading_the_chosen_model_would_do(
    hearth_home: Path, plain_model: TinyModel
) -> None:
    paths = default_paths().ensure()
    save_settings(paths.settings_file, Settings(active_model=str(plain_model.path)))
    report = hearth("doctor").stdout
    threads = default_threads()
    placement = "CPU, 1 thread" if threads == 1 else f"CPU, {threads} threads"
    assert f"context {plain_model.n_ctx_train:,} tokens (setting: auto); {placement}" in report
    assert "  GPU: No GPU was found" in report


def test_doctor_reports_a_model_it_cannot_use_without_failing(hearth_home: Path, tmp_path: Path) -> None:
    paths = default_paths().ensure()
    save_settings(paths.settings_file, Settings(active_model=str(tmp_path / "gone.gguf")))
    result = hearth("doctor")
    assert result.returncode == 0
    assert "cannot be planned: The model file “gone.gguf” was not found" in result.stdout

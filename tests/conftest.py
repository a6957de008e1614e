"""Shared fixtures: a private data dir per test, and the tiny GGUF models built once per session."""

from __future__ import annotations

import os

# Qt must pick its platform before any QApplication exists; CI machines have no display.
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings
from PySide6.QtWidgets import QApplication

from app.store import HistoryStore
from app.ui.theme import apply_theme
from tests.fixtures.tiny_models import (
    ThinkModel,
    TinyModel,
    build_deepseek_r1_model,
    build_gpt_oss_model,
    build_harmony_model,
    build_looping_model,
    build_plain_model,
    build_qwen3_model,
)

# Property tests: quick on a developer's machine, more thorough on CI (which sets CI=true).
settings.register_profile("default", max_examples=150, deadline=None)
settings.register_profile("ci", max_examples=600, deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.load_profile("ci" if os.environ.get("CI") else "default")


@pytest.fixture(autouse=True)
def hearth_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Every test gets its own data dir, so none can touch the real user's folders."""
    home = tmp_path / "hearth-home"
    monkeypatch.setenv("HEARTH_HOME", str(home))
    return home


@pytest.fixture
def store(tmp_path: Path) -> Iterator[HistoryStore]:
    """A fresh history in a real SQLite file."""
    with HistoryStore(tmp_path / "history.sqlite3") as history:
        yield history


@pytest.fixture(scope="session")
def models_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("models")


@pytest.fixture(scope="session")
def plain_model(models_dir: Path) -> TinyModel:
    return build_plain_model(models_dir / "tiny-plain.gguf")


@pytest.fixture(scope="session")
def harmony_model(models_dir: Path) -> TinyModel:
    return build_harmony_model(models_dir / "tiny-harmony.gguf")


@pytest.fixture(scope="session")
def gpt_oss_model(models_dir: Path) -> TinyModel:
    return build_gpt_oss_model(models_dir / "tiny-gpt-oss.gguf")


@pytest.fixture(scope="session")
def qwen3_model(models_dir: Path) -> ThinkModel:
    return build_qwen3_model(models_dir / "tiny-qwen3.gguf")


@pytest.fixture(scope="session")
def deepseek_r1_model(models_dir: Path) -> ThinkModel:
    return build_deepseek_r1_model(models_dir / "tiny-deepseek-r1.gguf")


# `make screenshots` sets this to docs/screenshots; otherwise the grabs go to a temporary folder.
SCREENSHOTS_ENV = "HEARTH_SCREENSHOTS"


@pytest.fixture
def screenshots(tmp_path: Path) -> Path:
    folder = Path(os.environ.get(SCREENSHOTS_ENV) or tmp_path / "screenshots")
    folder.mkdir(parents=True, exist_ok=True)
    return folder


@pytest.fixture
def themed_app(qapp: QApplication) -> Iterator[None]:
    """Style the app as app.ui.app does, and put Qt's defaults back afterwards (GUI tests opt in)."""
    palette, style = qapp.palette(), qapp.style().name()
    apply_theme(qapp, "light")
    yield
    qapp.setStyleSheet("")
    qapp.setStyle(style)
    qapp.setPalette(palette)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    # A test that runs the whole app (app.exec() and back) leaves Qt's application shutting down: events
    # that other threads post then wait for an explicit flush, and later tests would wait on them. Such
    # tests run last.
    items.sort(key=lambda item: item.get_closest_marker("runs_the_app") is not None)


@pytest.fixture(scope="session")
def looping_model(models_dir: Path) -> Path:
    return build_looping_model(models_dir / "tiny-looping.gguf")


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--soak-minutes",
        default=None,
        help="run tests/soak (`make soak`) for about this many minutes; without it, it is not collected",
    )


def pytest_ignore_collect(collection_path: Path, config: pytest.Config) -> bool | None:
    # The soak runs for minutes by design: only `make soak` asks for it.
    if collection_path.name == "soak" and config.getoption("--soak-minutes") is None:
        return True
    return None

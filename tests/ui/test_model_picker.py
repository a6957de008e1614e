"""The model picker above the chat, and which model loads when the window opens."""

from __future__ import annotations

import re
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from PySide6.QtWidgets import QFileDialog
from pytestqt.qtbot import QtBot

from app.config import Settings, load_settings
from app.ui.model_bar import MANAGE, OPEN_FILE, ModelPicker
from tests.fixtures.tiny_models import TinyModel
from tests.fixtures.window import Harness

pytestmark = pytest.mark.usefixtures("themed_app")
TIMEOUT_MS = 30_000


@pytest.fixture
def data_root(tmp_path: Path) -> Path:
    (tmp_path / "data" / "models").mkdir(parents=True)
    return tmp_path / "data"


def install(data_root: Path, *models: TinyModel) -> list[Path]:
    return [Path(shutil.copy(m.path, data_root / "models" / m.path.name)) for m in models]


OpenWindow = Callable[[Settings], Harness]


@pytest.fixture
def open_window(qtbot: QtBot, tmp_path: Path, data_root: Path) -> Iterator[OpenWindow]:
    """Opens the window with a models folder, started as the app starts it; closed afterwards."""
    windows: list[Harness] = []

    def opened(settings: Settings) -> Harness:
        db, settings_path = tmp_path / "history.sqlite3", tmp_path / "settings.json"
        harness = Harness(qtbot, db, settings_path, settings=settings, data_root=data_root)
        windows.append(harness)
        harness.window.start()
        return harness

    yield opened
    for harness in windows:
        harness.close()


def entries(picker: ModelPicker) -> list[str]:
    return [picker.itemText(i) for i in range(picker.count()) if picker.itemText(i)]


def choose(picker: ModelPicker, data: str) -> None:
    index = picker.findData(data)
    assert index >= 0, data
    picker.setCurrentIndex(index)
    picker.activated.emit(index)


def test_the_picker_lists_installed_models_and_loads_the_chosen_one(
    qtbot: QtBot,
    open_window: OpenWindow,
    *,
    data_root: Path,
    plain_model: TinyModel,
    harmony_model: TinyModel,
    screenshots: Path,
) -> None:
    plain, harmony = install(data_root, plain_model, harmony_model)
    harness = open_window(Settings(n_ctx=2048, active_model=str(plain)))
    picker = harness.window.model_bar.picker
    qtbot.waitUntil(lambda: picker.findData(str(harmony)) >= 0, timeout=TIMEOUT_MS)
    qtbot.waitUntil(lambda: harness.service.model_info is not None, timeout=TIMEOUT_MS)
    listed = entries(picker)
    assert sorted(text.split("  ·  ")[0] for text in listed[:2]) == sorted([plain.stem, harmony.stem])
    assert all(re.search(r"  ·  [\d.]+ (KB|MB)$", text) for text in listed[:2]), "with their sizes"
    assert listed[-2:] == ["Manage models…", "Open a .gguf file…"]
    assert picker.current_path == plain, "the last used model loaded by itself"

    with qtbot.waitSignal(harness.service.loaded, timeout=TIMEOUT_MS):
        choose(picker, str(harmony))
    assert picker.current_path == harmony
    assert picker.currentData() == str(harmony)
    harness.window.settings.wait_for_saves()
    assert load_settings(harness.window.settings.path).active_model == str(harmony)
    assert harness.window.grab().save(str(screenshots / "model-picker.png"))


def test_the_only_installed_model_is_used_when_none_was_chosen(
    qtbot: QtBot, open_window: OpenWindow, data_root: Path, plain_model: TinyModel
) -> None:
    (only,) = install(data_root, plain_model)
    harness = open_window(Settings(n_ctx=2048))
    with qtbot.waitSignal(harness.service.loaded, timeout=TIMEOUT_MS) as loaded:
        pass
    assert loaded.args is not None and loaded.args[0].path == only
    assert harness.window.model_manager is None, "no welcome: there is a model"


def test_with_two_models_and_none_chosen_the_user_picks(
    qtbot: QtBot,
    open_window: OpenWindow,
    *,
    data_root: Path,
    plain_model: TinyModel,
    harmony_model: TinyModel,
) -> None:
    install(data_root, plain_model, harmony_model)
    harness = open_window(Settings(n_ctx=2048))
    picker = harness.window.model_bar.picker
    qtbot.waitUntil(lambda: len(entries(picker)) == 5, timeout=TIMEOUT_MS)
    assert picker.currentText() == "Choose a model"
    assert harness.service.model_info is None and harness.window.model_manager is None


def test_the_picker_opens_the_models_window_and_a_file(
    qtbot: QtBot,
    open_window: OpenWindow,
    *,
    data_root: Path,
    plain_model: TinyModel,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    harness = open_window(Settings(n_ctx=2048, active_model="/nowhere.gguf"))
    picker = harness.window.model_bar.picker
    qtbot.waitUntil(lambda: not harness.window.model_bar.loading.isVisible(), timeout=TIMEOUT_MS)
    choose(picker, MANAGE)
    manager = harness.window.model_manager
    assert manager is not None and manager.isVisible()
    manager.hide()
    assert picker.currentData() is None, "the picker still shows what is loaded: nothing"

    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *_args: (str(plain_model.path), ""))
    with qtbot.waitSignal(harness.service.loaded, timeout=TIMEOUT_MS):
        choose(picker, OPEN_FILE)
    assert picker.current_path == plain_model.path
    info = harness.service.model_info
    assert info is not None and picker.currentText() == info.name
    assert not (data_root / "models" / plain_model.path.name).exists(), "an opened file is not copied"


def test_a_dropped_model_is_imported_loaded_and_listed(
    qtbot: QtBot, open_window: OpenWindow, data_root: Path, plain_model: TinyModel
) -> None:
    harness = open_window(Settings(n_ctx=2048, active_model="/nowhere.gguf"))
    picker = harness.window.model_bar.picker
    with qtbot.waitSignal(harness.service.loaded, timeout=TIMEOUT_MS):
        harness.window.files_dropped([str(plain_model.path)])
    imported = data_root / "models" / plain_model.path.name
    qtbot.waitUntil(lambda: picker.lists(imported), timeout=TIMEOUT_MS)
    assert picker.current_path == imported and picker.currentData() == str(imported)

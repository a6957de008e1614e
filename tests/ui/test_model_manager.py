"""The model manager on real widgets, real download threads and a fake Hub on 127.0.0.1 (no network)."""

from __future__ import annotations

import random
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import keyring
import pytest
from keyring.backends import fail
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QPushButton
from pytestqt.qtbot import QtBot

from app.config import Settings
from app.engine import Engine
from app.models.catalog import Variant, custom_variant, recommended_variant
from app.models.partial import part_path, sidecar_path
from app.models.secrets import clear_token, get_token
from app.store import HistoryStore
from app.ui.downloads import DownloadManager
from app.ui.main_window import MainWindow
from app.ui.model_bar import MANAGE
from app.ui.model_manager import ModelManagerDialog
from app.ui.model_rows import VariantRow
from app.ui.workers import InferenceService
from tests.fixtures.tiny_models import TinyModel
from tests.models.fake_hub import FakeHub
from tests.models.test_secrets import MemoryKeyring

MIB = 1024 * 1024
TIMEOUT_MS = 30_000
pytestmark = pytest.mark.usefixtures("themed_app")


@pytest.fixture
def hub() -> Iterator[FakeHub]:
    with FakeHub() as running:
        yield running


@pytest.fixture
def tiny(hub: FakeHub, plain_model: TinyModel) -> Variant:
    hub.add_file("someone/tiny-GGUF", "tiny.gguf", plain_model.path.read_bytes())
    return custom_variant("someone/tiny-GGUF", "tiny.gguf")


@pytest.fixture
def big(hub: FakeHub) -> tuple[Variant, bytes]:
    """4 MiB that stall after 2 MiB, so a pause or cancel lands in the middle of the download."""
    data = random.Random(7).randbytes(4 * MIB)
    hub.add_file("someone/big-GGUF", "big.gguf", data)
    hub.stall_after, hub.stall_s = 2 * MIB, 1.0
    return custom_variant("someone/big-GGUF", "big.gguf"), data


@dataclass
class Manager:
    dialog: ModelManagerDialog
    downloads: DownloadManager
    models_dir: Path


@pytest.fixture
def manager(
    qtbot: QtBot, tmp_path: Path, hub: FakeHub, tiny: Variant, big: tuple[Variant, bytes]
) -> Iterator[Manager]:
    root = tmp_path / "data"
    models_dir = root / "models"
    downloads = DownloadManager(models_dir, root)
    missing = custom_variant("nobody/missing-GGUF", "missing.gguf")
    dialog = ModelManagerDialog(
        models_dir=models_dir,
        data_root=root,
        downloads=downloads,
        n_ctx=4096,
        variants=[tiny, big[0], missing],
        endpoint=hub.endpoint,
    )
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    qtbot.waitUntil(lambda: bool(dialog.rows()), timeout=TIMEOUT_MS)
    yield Manager(dialog, downloads, models_dir)
    downloads.shutdown()


def click(button: QPushButton) -> None:
    assert button.isVisible(), f"{button.text()} is not shown"
    QTest.mouseClick(button, Qt.MouseButton.LeftButton)


def test_download_shows_progress_and_lands_verified_in_the_installed_list(
    qtbot: QtBot, manager: Manager, tiny: Variant
) -> None:
    row = manager.dialog.row(tiny.id)
    assert row.badge.text() in ("Fits", "Tight", "Won't fit")
    assert row.badge.toolTip().startswith("Needs about")
    progress: list[tuple[int, int]] = []
    manager.downloads.progress.connect(lambda _id, done, total, _speed, _eta: progress.append((done, total)))
    with qtbot.waitSignal(manager.downloads.finished, timeout=TIMEOUT_MS) as finished:
        click(row.download)
    dest = manager.models_dir / "tiny.gguf"
    assert finished.args == [tiny.id, str(dest)]
    size = dest.stat().st_size
    assert progress and progress[-1] == (size, size)
    assert " of " in row.bar.format() and "MB/s" in row.bar.format()
    assert row.status.text() == "Downloaded and verified."
    assert row.download.isVisible() and not row.pause.isVisible()
    qtbot.waitUntil(lambda: len(manager.dialog.installed_rows) == 1, timeout=TIMEOUT_MS)
    (installed,) = manager.dialog.installed_rows
    assert installed.model.path == dest
    assert installed.model.verified and installed.state.text() == "Verified"
    assert not manager.dialog.no_models.isVisible()


def start_download(qtbot: QtBot, manager: Manager, variant: Variant) -> tuple[VariantRow, Path]:
    """Click Download and wait until a megabyte is on disk (the fake Hub then stalls, so it is still
    running). Waiting for what the Hub has *sent* is not enough: it may still sit in socket buffers, and
    a pause before anything was written leaves nothing to resume with a Range."""
    row = manager.dialog.row(variant.id)
    click(row.download)
    dest = manager.models_dir / "big.gguf"

    def written() -> bool:
        part = part_path(dest)
        return part.exists() and part.stat().st_size >= MIB

    qtbot.waitUntil(written, timeout=TIMEOUT_MS)
    return row, dest


def test_pause_keeps_the_part_and_resume_finishes(
    qtbot: QtBot, manager: Manager, hub: FakeHub, big: tuple[Variant, bytes]
) -> None:
    variant, data = big
    row, dest = start_download(qtbot, manager, variant)
    with qtbot.waitSignal(manager.downloads.paused, timeout=TIMEOUT_MS):
        click(row.pause)
    assert part_path(dest).exists() and sidecar_path(dest).exists()
    assert not dest.exists()
    assert row.resume.isVisible() and row.cancel.isVisible() and not row.pause.isVisible()
    hub.stall_after = None
    with qtbot.waitSignal(manager.downloads.finished, timeout=TIMEOUT_MS):
        click(row.resume)
    assert dest.read_bytes() == data
    assert hub.gets()[-1].range is not None, "the second request resumed with a Range"
    assert not part_path(dest).exists()


def test_cancel_while_running_removes_the_part(
    qtbot: QtBot, manager: Manager, big: tuple[Variant, bytes]
) -> None:
    variant, _data = big
    row, dest = start_download(qtbot, manager, variant)
    with qtbot.waitSignal(manager.downloads.cancelled, timeout=TIMEOUT_MS):
        click(row.cancel)
    assert not part_path(dest).exists() and not sidecar_path(dest).exists() and not dest.exists()
    assert row.download.isVisible() and row.status.text() == "Download cancelled."


def test_cancel_a_paused_download_removes_the_part(
    qtbot: QtBot, manager: Manager, big: tuple[Variant, bytes]
) -> None:
    variant, _data = big
    row, dest = start_download(qtbot, manager, variant)
    with qtbot.waitSignal(manager.downloads.paused, timeout=TIMEOUT_MS):
        click(row.pause)
    assert part_path(dest).exists()
    with qtbot.waitSignal(manager.downloads.cancelled, timeout=TIMEOUT_MS):
        click(row.cancel)
    assert not part_path(dest).exists() and not sidecar_path(dest).exists()


def test_a_missing_model_is_a_plain_message(qtbot: QtBot, manager: Manager) -> None:
    row = manager.dialog.row("custom:nobody/missing-GGUF/missing.gguf")
    with qtbot.waitSignal(manager.downloads.failed, timeout=TIMEOUT_MS) as failed:
        click(row.download)
    message = "nobody/missing-GGUF was not found on the Hugging Face Hub."
    assert failed.args[1] == message
    assert manager.dialog.message.isVisible() and manager.dialog.message.text() == message
    assert row.status.text() == message and row.download.isVisible()


def test_use_asks_for_the_model(qtbot: QtBot, manager: Manager, plain_model: TinyModel) -> None:
    manager.dialog.import_file(plain_model.path)
    qtbot.waitUntil(lambda: len(manager.dialog.installed_rows) == 1, timeout=TIMEOUT_MS)
    (installed,) = manager.dialog.installed_rows
    assert installed.state.text() == "Not verified", "an imported file has no Hub hash to check"
    with qtbot.waitSignal(manager.dialog.use_model_requested, timeout=TIMEOUT_MS) as use:
        click(installed.use)
    assert use.args == [str(manager.models_dir / plain_model.path.name)]


def test_delete_asks_first_then_removes(
    qtbot: QtBot, manager: Manager, plain_model: TinyModel, monkeypatch: pytest.MonkeyPatch
) -> None:
    manager.dialog.import_file(plain_model.path)
    qtbot.waitUntil(lambda: len(manager.dialog.installed_rows) == 1, timeout=TIMEOUT_MS)
    answers = iter([False, True])
    monkeypatch.setattr(manager.dialog, "confirm_delete", lambda _model: next(answers))
    click(manager.dialog.installed_rows[0].delete)
    assert (manager.models_dir / plain_model.path.name).exists(), "“No” keeps the model"
    with qtbot.waitSignal(manager.dialog.installed_changed, timeout=TIMEOUT_MS):
        click(manager.dialog.installed_rows[0].delete)
    assert manager.dialog.installed_rows == []
    assert not (manager.models_dir / plain_model.path.name).exists()


def test_importing_a_broken_file_is_a_plain_message(qtbot: QtBot, manager: Manager, tmp_path: Path) -> None:
    broken = tmp_path / "broken.gguf"
    broken.write_bytes(b"not a model at all")
    manager.dialog.import_file(broken)
    qtbot.waitUntil(manager.dialog.message.isVisible, timeout=TIMEOUT_MS)
    assert manager.dialog.message.text().startswith("broken.gguf can't be used")
    assert manager.dialog.installed_rows == []


class Window:
    def __init__(self, qtbot: QtBot, tmp_path: Path, settings: Settings) -> None:
        self.root = tmp_path / "data"
        self.models_dir = self.root / "models"
        self.store = HistoryStore(tmp_path / "history.sqlite3")
        self.service = InferenceService(Engine(), self.store)
        self.window = MainWindow(
            store=self.store,
            inference=self.service,
            settings=settings,
            settings_path=tmp_path / "settings.json",
            models_dir=self.models_dir,
            data_root=self.root,
        )
        qtbot.addWidget(self.window)
        self.window.show()
        qtbot.waitExposed(self.window)
        self.window.start()

    def close(self) -> None:
        self.window.close()
        self.service.shutdown()
        self.store.close()


def test_first_run_welcome_to_a_chat(
    qtbot: QtBot, tmp_path: Path, *, hub: FakeHub, tiny: Variant, plain_model: TinyModel, screenshots: Path
) -> None:
    opened = Window(qtbot, tmp_path, Settings(n_ctx=4096))
    try:
        window = opened.window
        qtbot.waitUntil(
            lambda: window.model_manager is not None and window.model_manager.isVisible(), timeout=TIMEOUT_MS
        )
        dialog = window.model_manager
        assert dialog is not None
        qtbot.waitUntil(dialog.welcome.isVisible, timeout=TIMEOUT_MS)  # once the catalogue is measured
        assert dialog.welcome.text().startswith("Welcome to Hearth. Your computer has ")
        assert "we recommend gpt-oss 20B (12.1 GB download)" in dialog.welcome.text()
        qtbot.waitUntil(dialog.no_models.isVisible, timeout=TIMEOUT_MS)
        welcome = dialog.welcome
        # Its text came with the catalogue: the next layout pass gives the wrapped lines their height.
        qtbot.waitUntil(
            lambda: welcome.height() >= welcome.heightForWidth(welcome.width()), timeout=TIMEOUT_MS
        )
        assert dialog.grab().save(str(screenshots / "models.png"))

        with qtbot.waitSignal(dialog.catalogue_shown, timeout=TIMEOUT_MS):
            dialog.set_catalogue([tiny], hub.endpoint)
        assert window.downloads is not None
        with qtbot.waitSignal(window.downloads.finished, timeout=TIMEOUT_MS):
            click(dialog.row(tiny.id).download)
        qtbot.waitUntil(lambda: len(dialog.installed_rows) == 1, timeout=TIMEOUT_MS)
        assert dialog.installed_rows[0].model.verified
        with qtbot.waitSignal(opened.service.loaded, timeout=TIMEOUT_MS):
            click(dialog.installed_rows[0].use)
        assert not dialog.isVisible()
        assert window.model_bar.picker.current_path == opened.models_dir / "tiny.gguf"

        composer = window.composer.input
        composer.setFocus()
        with qtbot.waitSignal(opened.service.reply_finished, timeout=TIMEOUT_MS):
            QTest.keyClicks(composer, "Hi!")
            QTest.keyClick(composer, Qt.Key.Key_Return)
        thread = opened.store.thread(window.conversation_id or -1)
        reply = window.chat_view.reply(thread[-1].id)
        assert reply is not None and reply.answer_text == plain_model.expected_answer
    finally:
        opened.close()


def test_no_welcome_when_a_model_is_chosen(qtbot: QtBot, tmp_path: Path) -> None:
    opened = Window(qtbot, tmp_path, Settings(n_ctx=4096, active_model=str(tmp_path / "chosen.gguf")))
    try:
        assert opened.window.model_manager is None
        assert opened.window.model_bar.picker.findData(MANAGE) >= 0
    finally:
        opened.close()


def test_fit_follows_the_context_length_chosen_in_settings(qtbot: QtBot, tmp_path: Path) -> None:
    opened = Window(qtbot, tmp_path, Settings(n_ctx=4096, active_model=str(tmp_path / "chosen.gguf")))
    try:
        dialog = opened.window.models.open_manager()
        assert dialog is not None
        with qtbot.waitSignal(dialog.catalogue_shown, timeout=TIMEOUT_MS):
            dialog.set_catalogue([recommended_variant()], None)
        needed_before = dialog.rows()[0].fit.needed_bytes
        with qtbot.waitSignal(dialog.catalogue_shown, timeout=TIMEOUT_MS):
            opened.window.settings.update(n_ctx=65536)
        assert dialog.rows()[0].fit.needed_bytes > needed_before, "a longer context needs more memory"
    finally:
        opened.close()


def test_token_is_saved_in_the_keyring_or_kept_for_the_session(qtbot: QtBot, manager: Manager) -> None:
    previous = keyring.get_keyring()
    try:
        keyring.set_keyring(fail.Keyring())  # type: ignore[no-untyped-call]  # no keyring service (headless)
        saving = manager.dialog.save_token("hf_session_only")
        qtbot.waitUntil(lambda: saving.done, timeout=TIMEOUT_MS)
        assert "no keyring" in manager.dialog.message.text()
        assert get_token() == "hf_session_only"
    finally:
        clear_token()
        keyring.set_keyring(previous)


def test_a_download_stopped_in_an_earlier_session_continues(
    qtbot: QtBot, manager: Manager, hub: FakeHub, big: tuple[Variant, bytes], tmp_path: Path
) -> None:
    variant, data = big
    row, _dest = start_download(qtbot, manager, variant)
    with qtbot.waitSignal(manager.downloads.paused, timeout=TIMEOUT_MS):
        click(row.pause)
    manager.downloads.shutdown()
    # A new session: a fresh manager and dialog over the same folders, as after quitting Hearth.
    root = tmp_path / "data"
    downloads = DownloadManager(manager.models_dir, root)
    dialog = ModelManagerDialog(
        models_dir=manager.models_dir,
        data_root=root,
        downloads=downloads,
        n_ctx=4096,
        variants=[variant],
        endpoint=hub.endpoint,
    )
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    qtbot.waitUntil(lambda: bool(dialog.rows()), timeout=TIMEOUT_MS)
    try:
        row = dialog.row(variant.id)
        assert "downloaded earlier" in row.status.text()
        hub.stall_after = None
        with qtbot.waitSignal(downloads.finished, timeout=TIMEOUT_MS):
            click(row.download)
        assert (manager.models_dir / "big.gguf").read_bytes() == data
        assert hub.gets()[-1].range is not None, "the new session resumed with a Range request"
    finally:
        downloads.shutdown()


def test_a_download_goes_on_while_the_user_chats(
    qtbot: QtBot, tmp_path: Path, *, hub: FakeHub, big: tuple[Variant, bytes], plain_model: TinyModel
) -> None:
    variant, data = big  # stalls after 2 MiB, so it is still running when the reply ends
    opened = Window(qtbot, tmp_path, Settings(n_ctx=4096, active_model=str(plain_model.path)))
    try:
        window = opened.window
        downloads = window.downloads
        assert downloads is not None
        with qtbot.waitSignal(opened.service.loaded, timeout=TIMEOUT_MS):
            window.load_model(str(plain_model.path))
        downloads.start(variant, hub.endpoint)
        qtbot.waitUntil(lambda: hub.body_bytes_sent >= 2 * MIB, timeout=TIMEOUT_MS)
        composer = window.composer.input
        composer.setFocus()
        with qtbot.waitSignal(opened.service.reply_finished, timeout=TIMEOUT_MS) as finished:
            QTest.keyClicks(composer, "Hi!")
            QTest.keyClick(composer, Qt.Key.Key_Return)
        assert finished.args is not None
        assert finished.args[0].answer == plain_model.expected_answer
        assert downloads.is_running(variant.id), "the chat did not wait for the download, nor stop it"
        with qtbot.waitSignal(downloads.finished, timeout=TIMEOUT_MS):
            pass
        assert (opened.models_dir / "big.gguf").read_bytes() == data
    finally:
        opened.close()


def test_a_gated_model_downloads_with_the_token_from_the_keyring(
    qtbot: QtBot, manager: Manager, hub: FakeHub, plain_model: TinyModel
) -> None:
    hub.add_file("org/gated-GGUF", "gated.gguf", plain_model.path.read_bytes())
    hub.gated["org/gated-GGUF"] = "hf_right_token"
    gated = custom_variant("org/gated-GGUF", "gated.gguf")
    previous = keyring.get_keyring()
    keyring.set_keyring(MemoryKeyring())
    try:
        with qtbot.waitSignal(manager.downloads.failed, timeout=TIMEOUT_MS) as failed:
            manager.downloads.start(gated, hub.endpoint)
        assert failed.args is not None
        assert "needs a Hugging Face token" in failed.args[1]
        saving = manager.dialog.save_token("hf_right_token")
        qtbot.waitUntil(lambda: saving.done, timeout=TIMEOUT_MS)
        assert "keyring" in manager.dialog.message.text()
        with qtbot.waitSignal(manager.downloads.finished, timeout=TIMEOUT_MS):
            manager.downloads.start(gated, hub.endpoint)
        assert (manager.models_dir / "gated.gguf").read_bytes() == plain_model.path.read_bytes()
        assert hub.gets()[-1].authorization == "Bearer hf_right_token"
    finally:
        clear_token()
        keyring.set_keyring(previous)

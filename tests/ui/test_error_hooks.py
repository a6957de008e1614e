"""Errors reach the user: a UserError in its own words, a bug as a polite line with a way to the log, and
nothing that escapes (a slot, a thread, Qt itself) goes unlogged."""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QTimer, QUrl, qWarning
from PySide6.QtGui import QDesktopServices
from pytestqt.qtbot import QtBot

from app.config import Settings
from app.engine import Engine
from app.logs import setup_logging
from app.store import HistoryStore, StoreError
from app.ui.error_hooks import install_error_hooks
from app.ui.main_window import MainWindow
from app.ui.messages import plain_message
from app.ui.workers import InferenceService

# What the window says for a bug (its details go to the log).
SOMETHING_WENT_WRONG = plain_message(RuntimeError("a bug"))

pytestmark = pytest.mark.usefixtures("themed_app")


@pytest.fixture
def window(qtbot: QtBot, tmp_path: Path) -> Iterator[MainWindow]:
    store = HistoryStore(tmp_path / "history.sqlite3")
    service = InferenceService(Engine(), store)
    opened = MainWindow(
        store=store, inference=service, settings=Settings(), settings_path=tmp_path / "settings.json"
    )
    qtbot.addWidget(opened)
    opened.show()
    yield opened
    opened.close()
    service.shutdown()
    store.close()


def fail_with(error: BaseException) -> object:
    def failing(*_args: object, **_kwargs: object) -> None:
        raise error

    return failing


def test_a_store_problem_while_renaming_reaches_the_banner_in_its_own_words(
    qtbot: QtBot, window: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    conversation = window._store.create_conversation("Old title")
    monkeypatch.setattr(window._store, "rename_conversation", fail_with(StoreError("The disk is full.")))
    window.conversations.rename(conversation, "New title")
    qtbot.waitUntil(window.banner.isVisible)
    assert window.banner.message.text() == "The disk is full."
    assert not window.banner.open_log.isVisible(), "a known problem needs no log"


@pytest.mark.parametrize("write", ["pin", "delete"])
def test_a_bug_in_a_history_write_is_logged_and_shown_with_the_log(
    qtbot: QtBot,
    window: MainWindow,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
    write: str,
) -> None:
    conversation = window._store.create_conversation("Chat")
    monkeypatch.setattr(window._store, "set_pinned", fail_with(RuntimeError("a bug in pinning")))
    monkeypatch.setattr(window._store, "delete_conversation", fail_with(RuntimeError("a bug in deleting")))
    with caplog.at_level(logging.ERROR, logger="hearth.ui"):
        if write == "pin":
            window.conversations.pin(conversation, True)
        else:
            window.conversations.delete(conversation, "Chat")
            window.conversations.deletes.flush()  # as when the Undo time is over
        qtbot.waitUntil(window.banner.isVisible)
    assert window.banner.message.text() == SOMETHING_WENT_WRONG
    assert window.banner.open_log.isVisible()
    [record] = [r for r in caplog.records if r.exc_info]
    assert "a bug in" in str(record.exc_info[1] if record.exc_info else "")


def test_open_log_opens_the_log_file(
    qtbot: QtBot, window: MainWindow, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    log_file = setup_logging(tmp_path / "logs")
    opened: list[QUrl] = []
    monkeypatch.setattr(QDesktopServices, "openUrl", opened.append)
    window.banner.show_problem(KeyError("bug"))
    window.banner.open_log.click()
    assert opened == [QUrl.fromLocalFile(str(log_file))]


@pytest.mark.qt_no_exception_capture
def test_an_exception_nothing_caught_is_logged_and_shown(
    qtbot: QtBot, window: MainWindow, caplog: pytest.LogCaptureFixture
) -> None:
    restore = install_error_hooks(window.banner.show_problem, window)
    try:

        def slot_with_a_bug() -> None:
            raise ValueError("a bug in a slot")

        with caplog.at_level(logging.CRITICAL, logger="hearth.ui"):
            QTimer.singleShot(0, slot_with_a_bug)
            qtbot.waitUntil(window.banner.isVisible)
        assert window.banner.message.text() == SOMETHING_WENT_WRONG
        assert window.banner.open_log.isVisible()
        [record] = caplog.records
        assert record.exc_info is not None and str(record.exc_info[1]) == "a bug in a slot"
    finally:
        restore()


@pytest.mark.qt_no_exception_capture
def test_an_exception_on_another_thread_is_logged_and_shown_on_the_ui_thread(
    qtbot: QtBot, window: MainWindow, caplog: pytest.LogCaptureFixture
) -> None:
    restore = install_error_hooks(window.banner.show_problem, window)
    try:

        def work() -> None:
            raise OSError("a bug on a thread")

        with caplog.at_level(logging.CRITICAL, logger="hearth.ui"):
            thread = threading.Thread(target=work, name="worker")
            thread.start()
            thread.join()
            qtbot.waitUntil(window.banner.isVisible)
        assert window.banner.message.text() == SOMETHING_WENT_WRONG
        assert any("on thread worker" in r.getMessage() for r in caplog.records)
    finally:
        restore()


def test_qt_messages_go_to_the_log(window: MainWindow, caplog: pytest.LogCaptureFixture) -> None:
    restore = install_error_hooks(window.banner.show_problem, window)
    try:
        with caplog.at_level(logging.WARNING, logger="hearth.qt"):
            qWarning("a warning from Qt")
    finally:
        restore()
    assert [(r.name, r.levelno, r.getMessage()) for r in caplog.records] == [
        ("hearth.qt", logging.WARNING, "a warning from Qt")
    ]

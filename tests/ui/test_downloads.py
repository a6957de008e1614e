"""The download manager's outcomes come back on the UI thread by run_job's route: a UserError in its own
words, a bug logged with its stack and shown politely, a pause and a cancel as what the user asked for."""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from app.models import DownloadCancelled, DownloadPaused
from app.models.catalog import Variant, custom_variant
from app.models.download_errors import DownloadError
from app.ui import downloads as downloads_module
from app.ui.downloads import DownloadManager
from app.ui.messages import plain_message

# What the window says for a bug (its details go to the log).
SOMETHING_WENT_WRONG = plain_message(RuntimeError("a bug"))

TIMEOUT_MS = 10_000


@pytest.fixture
def manager(tmp_path: Path) -> Iterator[DownloadManager]:
    downloads = DownloadManager(tmp_path / "models", tmp_path)
    yield downloads
    downloads.shutdown()


@pytest.fixture
def variant() -> Variant:
    return custom_variant("someone/tiny-GGUF", "tiny.gguf")


def pulling(outcome: BaseException | Path, on_thread: list[str]) -> object:
    def pull_variant(*_args: object, **_kwargs: object) -> list[Path]:
        on_thread.append(threading.current_thread().name)
        if isinstance(outcome, BaseException):
            raise outcome
        return [outcome]

    return pull_variant


def test_a_finished_download_reports_its_file_from_a_thread_of_its_own(
    qtbot: QtBot, manager: DownloadManager, variant: Variant, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    threads: list[str] = []
    monkeypatch.setattr(downloads_module, "pull_variant", pulling(tmp_path / "tiny.gguf", threads))
    with qtbot.waitSignal(manager.finished, timeout=TIMEOUT_MS) as finished:
        manager.start(variant)
    assert finished.args == [variant.id, str(tmp_path / "tiny.gguf")]
    assert threads and threads[0] != threading.main_thread().name
    assert not manager.is_running(variant.id)


def test_a_user_error_is_reported_in_its_own_words(
    qtbot: QtBot, manager: DownloadManager, variant: Variant, monkeypatch: pytest.MonkeyPatch
) -> None:
    problem = DownloadError("The connection to the model server was lost; try again later.")
    monkeypatch.setattr(downloads_module, "pull_variant", pulling(problem, []))
    with qtbot.waitSignal(manager.failed, timeout=TIMEOUT_MS) as failed:
        manager.start(variant)
    assert failed.args == [variant.id, str(problem)]


def test_a_bug_is_logged_with_its_stack_and_reported_politely(
    qtbot: QtBot,
    manager: DownloadManager,
    variant: Variant,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    monkeypatch.setattr(downloads_module, "pull_variant", pulling(ZeroDivisionError("a bug"), []))
    with caplog.at_level(logging.ERROR, logger="hearth.ui"), qtbot.waitSignal(manager.failed) as failed:
        manager.start(variant)
    assert failed.args == [variant.id, SOMETHING_WENT_WRONG]
    [record] = caplog.records
    assert record.exc_info is not None and isinstance(record.exc_info[1], ZeroDivisionError)


STOPS = [(DownloadPaused(), "paused"), (DownloadCancelled(), "cancelled")]


@pytest.mark.parametrize("stop", STOPS, ids=[name for _error, name in STOPS])
def test_a_pause_or_a_cancel_is_no_error(
    qtbot: QtBot,
    manager: DownloadManager,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
    stop: tuple[BaseException, str],
) -> None:
    error, signal = stop
    monkeypatch.setattr(downloads_module, "pull_variant", pulling(error, []))
    with caplog.at_level(logging.INFO), qtbot.waitSignal(getattr(manager, signal), timeout=TIMEOUT_MS):
        manager.start(custom_variant("someone/tiny-GGUF", "tiny.gguf"))
    assert [r for r in caplog.records if r.levelno >= logging.WARNING] == []

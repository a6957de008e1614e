"""The window's background work: the inference thread on real tiny models, short jobs, the watchdog."""

from __future__ import annotations

import gc
import logging
import sys
import threading
import weakref
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QCoreApplication, QObject, Qt, QThread, Signal
from pytestqt.qtbot import QtBot

from app.engine import Engine, ModelInfo, NoModelLoaded, llama_bridge
from app.store import HistoryStore, StoreError
from app.turn import TurnResult
from app.ui.jobs import run_job
from app.ui.messages import plain_message
from app.ui.text_coalescer import TextCoalescer
from app.ui.watchdog import StallWatchdog, install_stall_watchdog
from app.ui.workers import InferenceService
from tests.fixtures.tiny_models import TinyModel, build_random_llama, write_not_a_gguf

# What the window says for a bug (its details go to the log).
SOMETHING_WENT_WRONG = plain_message(RuntimeError("a bug"))

TIMEOUT_MS = 10_000
# The endless model needs a context long enough that it is still talking when the test stops it.
ENDLESS_N_CTX = 4096


def on_ui_thread() -> bool:
    return QThread.currentThread() is QCoreApplication.instance().thread()  # type: ignore[union-attr]


@pytest.fixture(scope="module")
def endless_model(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A random model that never ends its reply by itself: something to interrupt."""
    return build_random_llama(tmp_path_factory.mktemp("endless") / "m.gguf", n_embd=128, n_layer=2, n_ff=256)


@pytest.fixture
def service(qtbot: QtBot, store: HistoryStore) -> Iterator[InferenceService]:
    running = InferenceService(Engine(), store)
    yield running
    # Before the store closes: a reply still running writes its final status on the way out.
    assert running.shutdown()


class Reply:
    """Everything one turn sends to the window, recorded with the thread it arrived on."""

    def __init__(self, service: InferenceService) -> None:
        self.started: list[tuple[int, int, int]] = []
        self.pieces: list[tuple[int, str, str]] = []
        self.threads_ok: list[bool] = []
        service.reply_started.connect(self._on_started)
        service.reply_event.connect(self._on_event)

    def _on_started(self, conversation_id: int, user_id: int, reply_id: int) -> None:
        self.threads_ok.append(on_ui_thread())
        self.started.append((conversation_id, user_id, reply_id))

    def _on_event(self, reply_id: int, kind: str, text: str) -> None:
        self.threads_ok.append(on_ui_thread())
        self.pieces.append((reply_id, kind, text))

    def text(self, kind: str) -> str:
        return "".join(text for _, k, text in self.pieces if k == kind)


def load(qtbot: QtBot, service: InferenceService, path: Path, n_ctx: int = 512) -> ModelInfo:
    with qtbot.waitSignal(service.loaded, timeout=TIMEOUT_MS) as loaded:
        service.load_model(str(path), n_ctx)
    info = loaded.args[0]
    assert isinstance(info, ModelInfo)
    return info


def finished(blocker: Any) -> TurnResult:
    result = blocker.args[0]
    assert isinstance(result, TurnResult)
    return result


# -- the inference service ------------------------------------------------------------------------


def test_loading_reports_progress_and_the_info_arrives_on_the_ui_thread(
    qtbot: QtBot, service: InferenceService, plain_model: TinyModel
) -> None:
    seen: list[tuple[str, object, bool]] = []
    service.loading.connect(lambda path: seen.append(("loading", path, on_ui_thread())))
    service.loaded.connect(lambda info: seen.append(("loaded", info, on_ui_thread())))
    assert service.model_info is None
    with qtbot.waitSignal(service.loaded, timeout=TIMEOUT_MS):
        service.load_model(str(plain_model.path), 512)
    [loading, (_, info, loaded_on_ui_thread)] = seen
    assert loading == ("loading", str(plain_model.path), True)
    assert loaded_on_ui_thread
    assert isinstance(info, ModelInfo)
    assert info.path == plain_model.path and info.n_ctx == 512 and not info.harmony
    assert service.model_info == info


def test_a_reply_streams_reasoning_then_answer_and_is_stored(
    qtbot: QtBot, service: InferenceService, store: HistoryStore, harmony_model: TinyModel
) -> None:
    load(qtbot, service, harmony_model.path)
    conversation = store.create_conversation()
    reply = Reply(service)
    with qtbot.waitSignal(service.reply_finished, timeout=TIMEOUT_MS) as done:
        service.ask(conversation, "Hi!", "low")
    result = finished(done)
    assert result.status == "done"
    assert reply.started == [(conversation, result.user_message_id, result.reply_message_id)]
    assert reply.text("reasoning") == harmony_model.expected_reasoning
    assert reply.text("answer") == harmony_model.expected_answer
    assert {reply_id for reply_id, _, _ in reply.pieces} == {result.reply_message_id}
    # Reasoning comes first and the kinds never interleave.
    kinds = [kind for _, kind, _ in reply.pieces]
    assert kinds == sorted(kinds, key=["reasoning", "answer"].index)
    assert all(reply.threads_ok)
    assert (result.answer, result.reasoning) == (
        harmony_model.expected_answer,
        harmony_model.expected_reasoning,
    )
    stored = store.thread(conversation)
    assert [(m.role, m.content, m.reasoning, m.status) for m in stored] == [
        ("user", "Hi!", "", "done"),
        ("assistant", harmony_model.expected_answer, harmony_model.expected_reasoning, "done"),
    ]


def test_stop_pressed_in_the_window_keeps_the_partial_reply(
    qtbot: QtBot, service: InferenceService, store: HistoryStore, endless_model: Path
) -> None:
    load(qtbot, service, endless_model, n_ctx=ENDLESS_N_CTX)
    conversation = store.create_conversation()
    reply = Reply(service)

    def stop_at_first_piece(_reply_id: int, _kind: str, _text: str) -> None:
        if len(reply.pieces) == 1:
            service.cancel()

    service.reply_event.connect(stop_at_first_piece)
    with qtbot.waitSignal(service.reply_finished, timeout=TIMEOUT_MS) as done:
        service.ask(conversation, "Hi!", "medium")
    result = finished(done)
    assert result.status == "stopped"
    assert result.stats is not None and result.stats.finish_reason == "cancelled"
    # Far fewer tokens than the endless model would have written.
    assert result.stats.completion_tokens < ENDLESS_N_CTX // 2
    assert result.answer and reply.text("answer") == result.answer
    stored = store.get_message(result.reply_message_id)
    assert stored is not None and (stored.content, stored.status) == (result.answer, "stopped")
    assert all(reply.threads_ok)


def test_cancel_from_the_worker_thread_stops_before_the_next_token(
    qtbot: QtBot, service: InferenceService, store: HistoryStore, plain_model: TinyModel
) -> None:
    load(qtbot, service, plain_model.path)
    conversation = store.create_conversation()
    # A direct connection runs this on the worker thread, between two tokens: deterministic.
    service.worker.reply_event.connect(
        lambda _reply_id, _kind, _text: service.cancel(), Qt.ConnectionType.DirectConnection
    )
    reply = Reply(service)
    with qtbot.waitSignal(service.reply_finished, timeout=TIMEOUT_MS) as done:
        service.ask(conversation, "Hi!", "medium")
    result = finished(done)
    assert result.status == "stopped"
    first_piece = reply.pieces[0][2]
    assert result.answer == first_piece == reply.text("answer")
    assert plain_model.expected_answer.startswith(first_piece)
    assert first_piece != plain_model.expected_answer
    stored = store.get_message(result.reply_message_id)
    assert stored is not None and (stored.content, stored.status) == (first_piece, "stopped")


def test_a_file_that_is_not_a_model_fails_in_plain_words_and_the_service_carries_on(
    qtbot: QtBot, service: InferenceService, store: HistoryStore, plain_model: TinyModel, tmp_path: Path
) -> None:
    bogus = write_not_a_gguf(tmp_path / "download.gguf")
    with qtbot.waitSignal(service.load_failed, timeout=TIMEOUT_MS) as failed:
        service.load_model(str(bogus), 512)
    message = failed.args[0]
    assert "download.gguf" in message and "Traceback" not in message and message != SOMETHING_WENT_WRONG
    assert service.model_info is None
    load(qtbot, service, plain_model.path)
    conversation = store.create_conversation()
    with qtbot.waitSignal(service.reply_finished, timeout=TIMEOUT_MS) as done:
        service.ask(conversation, "Hi!", "medium")
    assert finished(done).answer == plain_model.expected_answer


def test_a_failed_load_that_freed_the_old_model_says_so(
    qtbot: QtBot,
    service: InferenceService,
    plain_model: TinyModel,
    harmony_model: TinyModel,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    load(qtbot, service, plain_model.path)

    def refuse(*_args: object, **_kwargs: object) -> None:
        raise RuntimeError("llama.cpp could not load the model")

    # The engine frees the old model before llama.cpp opens the new one; here llama.cpp refuses.
    monkeypatch.setattr(llama_bridge, "open_llama", refuse)
    with qtbot.waitSignals([service.unloaded, service.load_failed], timeout=TIMEOUT_MS):
        service.load_model(str(harmony_model.path), 512)
    assert service.model_info is None


def test_asking_without_a_model_fails_in_plain_words_and_stores_nothing(
    qtbot: QtBot, service: InferenceService, store: HistoryStore
) -> None:
    conversation = store.create_conversation()
    reply = Reply(service)
    with qtbot.waitSignal(service.reply_failed, timeout=TIMEOUT_MS) as failed:
        service.ask(conversation, "Hi!", "medium")
    assert failed.args == [conversation, str(NoModelLoaded())]
    assert reply.started == []
    assert store.thread(conversation) == []


def test_asking_in_a_deleted_conversation_fails_in_the_stores_words(
    qtbot: QtBot, service: InferenceService, store: HistoryStore, plain_model: TinyModel
) -> None:
    load(qtbot, service, plain_model.path)
    conversation = store.create_conversation()
    store.delete_conversation(conversation)
    with qtbot.waitSignal(service.reply_failed, timeout=TIMEOUT_MS) as failed:
        service.ask(conversation, "Hi!", "medium")
    assert failed.args[0] == conversation
    assert "deleted" in failed.args[1]


def test_a_bug_is_logged_with_its_stack_and_shown_politely(
    qtbot: QtBot,
    service: InferenceService,
    store: HistoryStore,
    plain_model: TinyModel,
    caplog: pytest.LogCaptureFixture,
) -> None:
    load(qtbot, service, plain_model.path)
    conversation = store.create_conversation()
    with qtbot.waitSignal(service.reply_failed, timeout=TIMEOUT_MS) as failed:
        service.ask(conversation, "Hi!", "extreme")  # not a reasoning effort: a caller's bug
    assert failed.args == [conversation, SOMETHING_WENT_WRONG]
    [record] = [r for r in caplog.records if r.name == "hearth.ui"]
    assert record.levelno == logging.ERROR and record.exc_info is not None
    assert isinstance(record.exc_info[1], ValueError)


def test_regenerating_adds_a_sibling_reply(
    qtbot: QtBot, service: InferenceService, store: HistoryStore, plain_model: TinyModel
) -> None:
    load(qtbot, service, plain_model.path)
    conversation = store.create_conversation()
    with qtbot.waitSignal(service.reply_finished, timeout=TIMEOUT_MS) as done:
        service.ask(conversation, "Hi!", "medium")
    first = finished(done)
    reply = Reply(service)
    with qtbot.waitSignal(service.reply_finished, timeout=TIMEOUT_MS) as done:
        service.regenerate(conversation, first.user_message_id, "medium")
    again = finished(done)
    assert again.user_message_id == first.user_message_id
    assert again.reply_message_id != first.reply_message_id
    assert reply.started == [(conversation, first.user_message_id, again.reply_message_id)]
    assert reply.text("answer") == again.answer == plain_model.expected_answer
    assert store.siblings(again.reply_message_id) == [first.reply_message_id, again.reply_message_id]


def test_shutdown_mid_reply_stops_the_thread_and_keeps_the_reply(
    qtbot: QtBot, service: InferenceService, store: HistoryStore, endless_model: Path
) -> None:
    load(qtbot, service, endless_model, n_ctx=ENDLESS_N_CTX)
    conversation = store.create_conversation()
    with qtbot.waitSignal(service.reply_event, timeout=TIMEOUT_MS):
        service.ask(conversation, "Hi!", "medium")
    assert service.shutdown()
    assert service.shutdown()  # a second call is harmless
    [_question, answer] = store.thread(conversation)
    assert answer.status == "stopped" and answer.content
    # Requests after shutdown are ignored, not crashed on.
    service.ask(conversation, "Still there?", "medium")
    service.cancel()


# -- the coalescer ------------------------------------------------------------------------------


class FakeClock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def test_pieces_within_a_frame_are_joined_and_kinds_never_mix() -> None:
    clock = FakeClock()
    sent: list[tuple[str, str]] = []
    pieces = TextCoalescer(lambda kind, text: sent.append((kind, text)), window_s=0.016, clock=clock)
    pieces.add("reasoning", "Think")  # the first piece goes out at once
    pieces.add("reasoning", "ing")
    pieces.add("reasoning", "")
    pieces.add("answer", "Hel")  # a new kind sends what was waiting
    pieces.add("answer", "lo")
    clock.now += 0.020
    pieces.add("answer", " there")  # a frame later: out with what waited
    pieces.add("answer", "!")
    pieces.flush()
    pieces.flush()
    assert sent == [
        ("reasoning", "Think"),
        ("reasoning", "ing"),
        ("answer", "Hello there"),
        ("answer", "!"),
    ]


# -- short jobs ---------------------------------------------------------------------------------


class Delivery:
    """Records what a job hands back and on which thread, then tells the waiting test."""

    def __init__(self, callback: Callable[[], None]) -> None:
        self.values: list[object] = []
        self.on_ui_thread: list[bool] = []
        self._callback = callback

    def __call__(self, value: object) -> None:
        self.values.append(value)
        self.on_ui_thread.append(on_ui_thread())
        self._callback()


def test_a_job_runs_off_the_ui_thread_and_delivers_on_it(qtbot: QtBot) -> None:
    ran_on_ui_thread: list[bool] = []

    def work() -> int:
        ran_on_ui_thread.append(on_ui_thread())
        return 42

    slow: list[bool] = []
    with qtbot.waitCallback(timeout=TIMEOUT_MS) as callback:
        done = Delivery(callback)
        run_job(work, done, on_slow=lambda: slow.append(True))
    assert ran_on_ui_thread == [False]
    assert (done.values, done.on_ui_thread) == ([42], [True])
    assert slow == []  # an instant job never shows progress


def test_a_known_error_goes_to_on_error_on_the_ui_thread(
    qtbot: QtBot, caplog: pytest.LogCaptureFixture
) -> None:
    def work() -> None:
        raise StoreError("The disk is full.")

    with qtbot.waitCallback(timeout=TIMEOUT_MS) as callback:
        failed = Delivery(callback)
        run_job(work, lambda _: pytest.fail("no result expected"), failed)
    [error] = failed.values
    assert isinstance(error, StoreError) and failed.on_ui_thread == [True]
    assert plain_message(error) == "The disk is full."
    assert caplog.records == []  # the caller shows it; nothing to log


def test_a_known_error_without_on_error_is_logged(qtbot: QtBot, caplog: pytest.LogCaptureFixture) -> None:
    def work() -> None:
        raise StoreError("The disk is full.")

    job = run_job(work, lambda _: pytest.fail("no result expected"))
    with qtbot.waitSignal(job.finished, timeout=TIMEOUT_MS):
        pass
    assert [(r.name, r.levelno, r.getMessage()) for r in caplog.records] == [
        ("hearth.ui", logging.WARNING, "a background job failed: The disk is full.")
    ]


def test_a_bug_in_a_job_is_logged_with_its_stack_and_handed_over(
    qtbot: QtBot, caplog: pytest.LogCaptureFixture
) -> None:
    def work() -> None:
        raise KeyError("oops")

    with qtbot.waitCallback(timeout=TIMEOUT_MS) as callback:
        failed = Delivery(callback)
        run_job(work, lambda _: pytest.fail("no result expected"), failed)
    [error] = failed.values
    assert isinstance(error, KeyError)
    assert plain_message(error) == SOMETHING_WENT_WRONG
    [record] = caplog.records
    assert record.name == "hearth.ui" and record.levelno == logging.ERROR and record.exc_info is not None


def test_a_slow_job_asks_for_a_progress_indicator_before_it_ends(qtbot: QtBot) -> None:
    release = threading.Event()
    events: list[object] = []

    def work() -> str:
        # Ends only once on_slow ran: the test needs no clock and no sleep.
        assert release.wait(TIMEOUT_MS / 1000)
        return "done"

    def on_slow() -> None:
        events.append("on_slow")
        release.set()

    with qtbot.waitCallback(timeout=TIMEOUT_MS) as callback:
        job = run_job(work, Delivery(callback), on_slow=on_slow, slow_after_ms=50)
        job.finished.connect(lambda: events.append("finished"))
    assert events == ["on_slow", "finished"]


def test_a_job_whose_owner_is_gone_delivers_nothing(qtbot: QtBot) -> None:
    owner = QObject()
    release = threading.Event()
    delivered: list[object] = []
    job = run_job(lambda: release.wait(TIMEOUT_MS / 1000), delivered.append, parent=owner)
    with qtbot.waitSignal(owner.destroyed, timeout=TIMEOUT_MS):
        owner.deleteLater()
    with qtbot.waitSignal(job.destroyed, timeout=TIMEOUT_MS):
        release.set()
    assert delivered == []


class Owner(QObject):
    """A window-like object that runs a job and is held only by the job's callback."""

    def __init__(self, release: threading.Event, delivered: list[object]) -> None:
        super().__init__()
        self.job = run_job(lambda: release.wait(TIMEOUT_MS / 1000), self.show, parent=self)
        self._delivered = delivered

    def show(self, result: object) -> None:
        self._delivered.append(result)


def test_a_job_whose_callback_holds_the_last_reference_to_its_owner_ends_cleanly(qtbot: QtBot) -> None:
    # The owner lives only through the bound method the job keeps: it is freed as the job lets go of
    # it, which once happened while the job was being deleted, and its "destroyed" then crashed Qt.
    release = threading.Event()
    delivered: list[object] = []
    owner = Owner(release, delivered)
    gone = weakref.ref(owner)
    job_finished = owner.job.finished
    del owner
    gc.collect()
    with qtbot.waitSignal(job_finished, timeout=TIMEOUT_MS):
        release.set()
    qtbot.waitUntil(lambda: gone() is None, timeout=TIMEOUT_MS)
    qtbot.wait(10)  # the job's own deletion, which used to crash, runs here
    assert delivered == [True]


class Pinger(QObject):
    ping = Signal()


def test_signals_do_not_wear_out_true() -> None:
    # PySide6 6.12.0 dropped a reference to True on every emit (pyproject excludes it); on Python
    # 3.11 that aborts the interpreter after a few hundred signals.
    pinger = Pinger()
    before = sys.getrefcount(True)
    for _ in range(5000):
        pinger.ping.emit()
    assert sys.getrefcount(True) >= before - 100


# -- the main-thread watchdog -----------------------------------------------------------------------


def make_watchdog(clock: Callable[[], float]) -> StallWatchdog:
    app = QCoreApplication.instance()
    assert app is not None
    return install_stall_watchdog(app, threshold_ms=200, interval_ms=50, clock=clock)


def test_the_watchdog_logs_only_stalls_over_the_threshold(
    qtbot: QtBot, caplog: pytest.LogCaptureFixture
) -> None:
    clock = FakeClock()
    watchdog = make_watchdog(clock)
    watchdog.stop()  # ticks are driven by hand below
    try:
        clock.now += 0.050
        watchdog.tick()  # on time
        clock.now += 0.180
        watchdog.tick()  # 130 ms late: remembered, not logged
        assert watchdog.longest_stall_ms == pytest.approx(130)
        assert caplog.records == []
        clock.now += 0.350
        watchdog.tick()  # 300 ms late
        clock.now += 0.060
        watchdog.tick()
        assert watchdog.longest_stall_ms == pytest.approx(300)
        [record] = caplog.records
        assert (record.name, record.levelno) == ("hearth.ui", logging.WARNING)
        assert "300 ms" in record.getMessage()
        watchdog.reset()
        assert watchdog.longest_stall_ms == 0
    finally:
        watchdog.deleteLater()


def test_the_watchdog_timer_runs_on_the_ui_thread(qtbot: QtBot, caplog: pytest.LogCaptureFixture) -> None:
    clock = FakeClock()
    read_on_ui_thread: list[bool] = []

    def jumpy_clock() -> float:
        read_on_ui_thread.append(on_ui_thread())
        clock.now += 1.0  # every reading a second later: each tick sees a stall
        return clock.now

    watchdog = make_watchdog(jumpy_clock)
    try:
        with qtbot.waitSignal(watchdog.stalled, timeout=TIMEOUT_MS) as stalled:
            pass
        assert stalled.args == [pytest.approx(950)]
        assert all(read_on_ui_thread)
    finally:
        watchdog.stop()
        watchdog.deleteLater()
    assert caplog.records and all(r.levelno == logging.WARNING for r in caplog.records)


def test_any_request_stops_a_title_still_being_written(service: InferenceService) -> None:
    service.ask(0, "First question", "low")
    first_title = service._title_cancel
    assert not first_title.is_set()
    service.ask(1, "Next question", "low")
    assert first_title.is_set(), "the next question does not wait for the title"
    second_title = service._title_cancel
    service.load_model("elsewhere.gguf", 512)
    assert second_title.is_set()

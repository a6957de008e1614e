"""P5 (long conversations): a 1,000-message conversation opened from the sidebar of the real window.

A history file gets one conversation of 500 questions and 500 markdown replies (headings, lists, code,
tables: the replies of the streaming benchmark), plus a short one to start on. The window opens it the
way a person does, by a click on its row in the sidebar. Measured in one run: the time from the click
until the newest reply is on screen (its widget shown, inside the viewport, with its text), and the
longest the event loop was blocked from the click until the conversation has settled. Goals: 300 ms
and 100 ms.
"""

from __future__ import annotations

import random
import sys
import tempfile
import time
from pathlib import Path

from PySide6.QtCore import QElapsedTimer, QEventLoop, QPoint, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from app.config import Settings
from app.engine import Engine
from app.store import HistoryStore
from app.ui.main_window import MainWindow
from app.ui.reply_widget import ReplyWidget
from app.ui.theme import apply_theme
from app.ui.watchdog import install_stall_watchdog
from app.ui.workers import InferenceService
from bench.ui_bench import reply_markdown

TURNS = 500
SHOWN_GOAL_MS = 300
STALL_GOAL_MS = 100
SETTLE_MS = 3000  # after the newest reply is shown, how long older work may still run
WATCHDOG_INTERVAL_MS = 5
SEED = 11


def build_history(path: Path) -> tuple[int, int]:
    """The long conversation and the id of its newest reply."""
    rng = random.Random(SEED)
    replies = [reply_markdown(rng) for _ in range(12)]  # varied, and each reused: the text is realistic
    with HistoryStore(path) as store:
        store.add_message(store.create_conversation("A short one"), "user", "Hello")
        long = store.create_conversation("A long conversation")
        parent: int | None = None
        for turn in range(TURNS):
            question = store.add_message(
                long, "user", f"Question {turn}: how would you cache this?", parent_id=parent
            )
            parent = store.add_message(long, "assistant", replies[turn % len(replies)], parent_id=question)
        assert parent is not None
        return long, parent


def _run_events(ms: int) -> None:
    deadline = time.monotonic() + ms / 1000
    while time.monotonic() < deadline:
        QApplication.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 5)


def _newest_shown(window: MainWindow, reply_id: int) -> bool:
    widget = window.chat_view.reply(reply_id)
    if not isinstance(widget, ReplyWidget) or not widget.isVisible() or not widget.answer_text:
        return False
    viewport = window.chat_view.viewport()
    top_left = widget.mapTo(viewport, QPoint(0, 0))
    return 0 <= top_left.y() < viewport.height()


def measure(app: QApplication, path: Path, conversation_id: int, reply_id: int) -> tuple[float, float, int]:
    store = HistoryStore(path)
    service = InferenceService(Engine(), store)
    window = MainWindow(
        store=store, inference=service, settings=Settings(), settings_path=path.with_suffix(".json")
    )
    window.resize(1100, 800)
    window.show()
    _run_events(500)
    sidebar = window.sidebar.list
    item = sidebar.item_for(conversation_id)
    assert item is not None, "the long conversation is listed"
    rect = sidebar.visualItemRect(item)
    watchdog = install_stall_watchdog(app, threshold_ms=10_000, interval_ms=WATCHDOG_INTERVAL_MS)
    _run_events(100)
    watchdog.longest_stall_ms = 0.0
    clock = QElapsedTimer()
    clock.start()
    QTest.mouseClick(sidebar.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    shown_ms = -1.0
    while clock.elapsed() < 30_000:
        QApplication.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 2)
        if _newest_shown(window, reply_id):
            shown_ms = clock.nsecsElapsed() / 1e6
            break
    _run_events(SETTLE_MS)
    longest = watchdog.longest_stall_ms
    widgets = len(window.chat_view.messages)
    watchdog.stop()
    window.close()
    service.shutdown()
    store.close()
    return shown_ms, longest, widgets


def main() -> None:
    app = QApplication.instance() or QApplication(sys.argv)
    assert isinstance(app, QApplication)
    apply_theme(app, "light")
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "history.sqlite3"
        conversation_id, reply_id = build_history(path)
        shown_ms, longest_ms, widgets = measure(app, path, conversation_id, reply_id)
    print(f"P5 open a {2 * TURNS}-message conversation from the sidebar (real window, offscreen)")
    print(f"   newest reply on screen after {shown_ms:.0f} ms (goal <= {SHOWN_GOAL_MS} ms)")
    print(
        f"   longest event-loop stall from the click until settled: {longest_ms:.0f} ms"
        f" (goal <= {STALL_GOAL_MS} ms)"
    )
    print(f"   messages built in the first {SETTLE_MS / 1000:.0f} s: {widgets} of {2 * TURNS}")


if __name__ == "__main__":
    main()

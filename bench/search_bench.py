"""P5 (search as you type): the sidebar's search field of the real window on the store benchmark's history
(10,000 conversations, 1,000,000 messages).

Each query is typed a letter at a time, a keystroke every 90 ms (a quick typist), with the event loop
running in between, as in the app. Measured: from the last keystroke to its results on screen. Goal:
50 ms. Built with bench.store_bench's generator, so the history is the one its figures describe.
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from pathlib import Path

from PySide6.QtCore import QEventLoop
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from app.config import Settings
from app.engine import Engine
from app.store import HistoryStore
from app.ui.main_window import MainWindow
from app.ui.theme import apply_theme
from app.ui.workers import InferenceService
from bench import store_bench

KEYSTROKE_MS = 90
GOAL_MS = 50


def _run_events(ms: float) -> None:
    deadline = time.monotonic() + ms / 1000
    while time.monotonic() < deadline:
        QApplication.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 2)


def type_and_wait(window: MainWindow, text: str) -> float:
    """Type `text` into the search field; ms from its last keystroke until its hits are shown."""
    sidebar = window.sidebar
    sidebar.leave_search()
    _run_events(300)
    sidebar.focus_search()
    for index, char in enumerate(text):
        QTest.keyClicks(sidebar.search, char)
        if index < len(text) - 1:
            _run_events(KEYSTROKE_MS)
    last = time.perf_counter()
    while sidebar.results.query != text or not sidebar.searching:
        QApplication.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 1)
        if time.perf_counter() - last > 30:
            raise TimeoutError(f"no results for {text!r}")
    return (time.perf_counter() - last) * 1000


def main(
    conversations: int = store_bench.CONVERSATIONS, per: int = store_bench.MESSAGES_PER_CONVERSATION
) -> None:
    app = QApplication.instance() or QApplication(sys.argv)
    assert isinstance(app, QApplication)
    apply_theme(app, "light")
    with tempfile.TemporaryDirectory(prefix="hearth-bench-") as folder:
        path = Path(folder) / "history.db"
        built = store_bench.build(path, conversations, per, store_bench.SEED)
        queries = store_bench.search_queries(built.corpus, conversations * per)
        store = HistoryStore(path)
        service = InferenceService(Engine(), store)
        window = MainWindow(
            store=store, inference=service, settings=Settings(), settings_path=Path(folder) / "s.json"
        )
        window.resize(1100, 800)
        window.show()
        _run_events(1000)
        print(
            f"P5 search as you type in the sidebar, {conversations * per:,} messages,"
            f" a key every {KEYSTROKE_MS} ms"
        )
        took = []
        for label, text in queries:
            ms = type_and_wait(window, text)
            took.append(ms)
            print(
                f"   {label} {text!r}: results {ms:.0f} ms after the last keystroke   (goal <= {GOAL_MS} ms)"
            )
        print(f"   median {statistics.median(took):.0f} ms, worst {max(took):.0f} ms")
        window.close()
        service.shutdown()
        store.close()


if __name__ == "__main__":
    main()

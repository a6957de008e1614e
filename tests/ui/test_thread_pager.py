"""A long stored thread in the real chat view: the newest page first, older pages as the reader scrolls
up (their place kept), a jump to an old message bringing the pages up to it, a newer thread winning."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from PySide6.QtCore import QPoint, QThreadPool
from pytestqt.qtbot import QtBot

from app.store import MessageRecord
from app.ui.chat_view import ChatView
from app.ui.thread_pager import PAGE

TIMEOUT_MS = 10_000


def thread(turns: int, start: int = 1) -> list[MessageRecord]:
    records = []
    for turn in range(turns):
        for offset, role in enumerate(("user", "assistant")):
            message_id = start + 2 * turn + offset
            text = f"Question {turn}?" if role == "user" else f"Answer **{turn}**.\n\n- one\n- two\n"
            records.append(
                MessageRecord(
                    id=message_id,
                    conversation_id=1,
                    parent_id=message_id - 1 if message_id > start else None,
                    role=role,
                    content=text,
                    reasoning="",
                    created_at=datetime(2026, 1, 1, tzinfo=UTC),
                    status="done",
                    stats=None,
                    error=None,
                )
            )
    return records


@pytest.fixture
def view(qtbot: QtBot) -> ChatView:
    widget = ChatView()
    qtbot.addWidget(widget)
    widget.resize(820, 500)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


def shown_ids(view: ChatView) -> list[int]:
    return [m.message_id for m in view.messages]


def test_the_newest_page_comes_first_at_the_bottom(qtbot: QtBot, view: ChatView) -> None:
    records = thread(30)
    with qtbot.waitSignal(view.first_page_ready, timeout=TIMEOUT_MS):
        view.set_thread(records)
    assert shown_ids(view) == [r.id for r in records[-PAGE:]]
    assert not view.placeholder.isVisible()
    bar = view.verticalScrollBar()
    qtbot.waitUntil(lambda: bar.maximum() > 0 and bar.value() == bar.maximum(), timeout=TIMEOUT_MS)


def test_older_pages_come_as_the_reader_scrolls_up_and_keep_their_place(qtbot: QtBot, view: ChatView) -> None:
    records = thread(30)
    with qtbot.waitSignal(view.first_page_ready, timeout=TIMEOUT_MS):
        view.set_thread(records)
    bar = view.verticalScrollBar()
    qtbot.waitUntil(lambda: bar.maximum() > 0 and bar.value() == bar.maximum(), timeout=TIMEOUT_MS)
    oldest_shown = view.messages[0]
    bar.setValue(0)  # the reader reaches the top
    seen_at = oldest_shown.mapTo(view.viewport(), QPoint(0, 0)).y()  # before the older page arrives
    qtbot.waitUntil(lambda: len(view.messages) >= 2 * PAGE and not view.loading_older, timeout=TIMEOUT_MS)
    shown = shown_ids(view)
    assert shown == [r.id for r in records[-len(shown) :]], "whole pages, in order, ending with the newest"
    # The message that was at the top is still where the reader saw it: the new page is above it.
    qtbot.waitUntil(
        lambda: oldest_shown.mapTo(view.viewport(), QPoint(0, 0)).y() == seen_at, timeout=TIMEOUT_MS
    )
    for _ in range(10):
        if len(view.messages) == len(records):
            break
        count = len(view.messages)
        bar.setValue(0)
        qtbot.waitUntil(lambda count=count: len(view.messages) > count, timeout=TIMEOUT_MS)  # type: ignore[misc]
    assert shown_ids(view) == [r.id for r in records]


def test_a_jump_to_an_old_message_brings_the_pages_up_to_it(qtbot: QtBot, view: ChatView) -> None:
    records = thread(30)
    with qtbot.waitSignal(view.first_page_ready, timeout=TIMEOUT_MS):
        view.set_thread(records)
    oldest = records[0].id
    assert view.message(oldest) is None
    view.focus_message(oldest, flash=True)
    qtbot.waitUntil(lambda: view.message(oldest) is not None, timeout=TIMEOUT_MS)
    widget = view.message(oldest)
    assert widget is not None
    qtbot.waitUntil(lambda: widget.property("flashed") is True, timeout=TIMEOUT_MS)
    qtbot.waitUntil(lambda: widget.visibleRegion().boundingRect().height() > 0, timeout=TIMEOUT_MS)


def test_a_newer_thread_wins_over_pages_still_on_their_way(qtbot: QtBot, view: ChatView) -> None:
    view.set_thread(thread(30))
    other = thread(2, start=1000)
    with qtbot.waitSignal(view.first_page_ready, timeout=TIMEOUT_MS):
        view.set_thread(other)
    QThreadPool.globalInstance().waitForDone()  # the first thread's page rendered...
    qtbot.wait(20)  # ...and, had it not been dropped, built by now
    assert shown_ids(view) == [r.id for r in other]

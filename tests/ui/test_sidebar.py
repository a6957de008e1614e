"""The sidebar on a real window and a real history file: date groups, elided titles, rename in place,
delete with Undo, search as you type and the jump to a hit, paging."""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Callable
from contextlib import closing
from datetime import UTC, date, datetime, timedelta
from functools import partial
from pathlib import Path

import pytest
from PySide6.QtCore import Qt, QThreadPool
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QLineEdit
from pytestqt.qtbot import QtBot

from app.store import HistoryStore, SearchHit
from app.ui import pending_deletes, sidebar_controller
from app.ui.conversation_list import MONTH, TODAY, WEEK, YESTERDAY, date_group
from app.ui.search_results import snippet_html
from tests.fixtures.window import Harness

pytestmark = pytest.mark.usefixtures("themed_app")
TIMEOUT_MS = 10_000


def set_active(store: HistoryStore, conversation_id: int, when: datetime) -> None:
    """Make a conversation look last active at `when`, as one from an earlier day would."""
    with closing(sqlite3.connect(store.path)) as raw:
        stamp = when.astimezone(UTC).isoformat(timespec="microseconds")
        raw.execute("UPDATE conversations SET updated_at = ? WHERE id = ?", (stamp, conversation_id))
        raw.commit()


def listed_titles(harness: Harness) -> list[str]:
    listing = harness.window.sidebar.list
    items = (listing.item_for(cid) for cid in listing.conversation_ids())
    return [item.text() for item in items if item is not None]


@pytest.mark.parametrize(
    ("days", "group"),
    [(0, TODAY), (1, YESTERDAY), (2, WEEK), (7, WEEK), (8, MONTH), (30, MONTH), (31, date(2026, 10, 1))],
)
def test_date_groups(days: int, group: object) -> None:
    today = date(2026, 11, 29)
    active = datetime(2026, 11, 29, 12, tzinfo=UTC).astimezone() - timedelta(days=days)
    assert date_group(active, today) == group


def test_conversations_are_grouped_by_when_they_were_active(harness: Harness, screenshots: Path) -> None:
    store = harness.store
    now = datetime.now(UTC)
    ages = {
        "Old plans": 70,
        "Last month's recipe": 20,
        "Trip notes": 4,
        "Yesterday's question": 1,
        "Today": 0,
    }
    ids = {}
    for title, days in ages.items():
        ids[title] = store.create_conversation(title)
        set_active(store, ids[title], now - timedelta(days=days))
    store.set_pinned(ids["Old plans"], True)
    harness.window.refresh_conversations()
    sidebar = harness.window.sidebar
    harness.qtbot.waitUntil(lambda: len(sidebar.conversation_ids()) == 5, timeout=TIMEOUT_MS)
    month = (now - timedelta(days=70)).astimezone()
    assert sidebar.list.headings()[:1] == ["Pinned"]
    assert "Today" in sidebar.list.headings() and "Yesterday" in sidebar.list.headings()
    assert "Previous 7 days" in sidebar.list.headings() and "Previous 30 days" in sidebar.list.headings()
    assert sidebar.list.headings() == ["Pinned", "Today", "Yesterday", "Previous 7 days", "Previous 30 days"]
    assert listed_titles(harness)[0] == "Old plans", f"pinned first, though last active in {month:%B}"
    assert harness.window.grab().save(str(screenshots / "sidebar.png"))


def test_an_old_unpinned_conversation_is_under_its_month(harness: Harness) -> None:
    store = harness.store
    cid = store.create_conversation("Old plans")
    when = datetime(2026, 3, 14, 12, tzinfo=UTC)
    set_active(store, cid, when)
    harness.window.refresh_conversations()
    harness.qtbot.waitUntil(lambda: harness.window.sidebar.conversation_ids() == [cid], timeout=TIMEOUT_MS)
    (heading,) = harness.window.sidebar.list.headings()
    assert "2026" in heading and heading != "Previous 30 days"


def test_a_long_title_is_elided_with_the_whole_title_in_its_tooltip(harness: Harness) -> None:
    title = "A very long conversation title " * 6
    cid = harness.store.create_conversation(title.strip())
    harness.window.refresh_conversations()
    sidebar = harness.window.sidebar
    harness.qtbot.waitUntil(lambda: sidebar.conversation_ids() == [cid], timeout=TIMEOUT_MS)
    item = sidebar.list.item_for(cid)
    assert item is not None and item.toolTip() == title.strip()
    assert sidebar.list.horizontalScrollBarPolicy() == Qt.ScrollBarPolicy.ScrollBarAlwaysOff
    assert sidebar.list.textElideMode() == Qt.TextElideMode.ElideRight
    assert not sidebar.list.horizontalScrollBar().isVisible()


def test_rename_in_place(harness: Harness) -> None:
    cid = harness.store.create_conversation("Draft")
    harness.window.refresh_conversations()
    sidebar = harness.window.sidebar
    harness.qtbot.waitUntil(lambda: sidebar.conversation_ids() == [cid], timeout=TIMEOUT_MS)
    sidebar.list.start_rename(cid)
    editor = sidebar.list.findChild(QLineEdit)
    assert editor is not None and editor.text() == "Draft"
    editor.selectAll()
    QTest.keyClicks(editor, "  Holiday   plans ")
    QTest.keyClick(editor, Qt.Key.Key_Return)
    harness.qtbot.waitUntil(
        lambda: (c := harness.store.get_conversation(cid)) is not None and c.title == "Holiday plans",
        timeout=TIMEOUT_MS,
    )
    harness.qtbot.waitUntil(lambda: listed_titles(harness) == ["Holiday plans"], timeout=TIMEOUT_MS)


def test_an_empty_title_is_refused_in_place(harness: Harness) -> None:
    cid = harness.store.create_conversation("Keep me")
    harness.window.refresh_conversations()
    sidebar = harness.window.sidebar
    harness.qtbot.waitUntil(lambda: sidebar.conversation_ids() == [cid], timeout=TIMEOUT_MS)
    item = sidebar.list.item_for(cid)
    assert item is not None
    item.setText("   ")  # what committing an emptied editor does
    assert item.text() == "Keep me"
    conversation = harness.store.get_conversation(cid)
    assert conversation is not None and conversation.title == "Keep me"


def test_delete_can_be_undone_and_only_then_leaves_the_disk(
    harness: Harness, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = harness.store
    keep, drop = store.create_conversation("Keep"), store.create_conversation("Drop")
    harness.window.refresh_conversations()
    sidebar = harness.window.sidebar
    harness.qtbot.waitUntil(lambda: sorted(sidebar.conversation_ids()) == [keep, drop], timeout=TIMEOUT_MS)

    harness.window.conversations.delete(drop, "Drop")
    harness.qtbot.waitUntil(lambda: sidebar.conversation_ids() == [keep], timeout=TIMEOUT_MS)
    assert sidebar.undo_line.isVisible() and "Drop" in sidebar.undo_line.message.text()
    assert store.get_conversation(drop) is not None, "nothing leaves the disk before the Undo time is over"
    sidebar.undo_line.undo.click()
    harness.qtbot.waitUntil(lambda: sorted(sidebar.conversation_ids()) == [keep, drop], timeout=TIMEOUT_MS)
    assert not sidebar.undo_line.isVisible()

    monkeypatch.setattr(pending_deletes, "UNDO_MS", 50)
    harness.window.conversations.delete(drop, "Drop")
    harness.qtbot.waitUntil(lambda: store.get_conversation(drop) is None, timeout=TIMEOUT_MS)
    assert store.get_conversation(keep) is not None


def test_closing_within_the_undo_time_still_deletes(qtbot: QtBot, tmp_path: Path) -> None:
    opened = Harness(qtbot, tmp_path / "history.sqlite3", tmp_path / "settings.json")
    cid = opened.store.create_conversation("Gone")
    opened.window.refresh_conversations()
    qtbot.waitUntil(lambda: opened.window.sidebar.conversation_ids() == [cid], timeout=TIMEOUT_MS)
    opened.window.conversations.delete(cid, "Gone")
    opened.window.close()  # well within the Undo time
    QThreadPool.globalInstance().waitForDone()  # as app.ui.app does before it closes the file
    assert opened.store.get_conversation(cid) is None
    opened.service.shutdown()
    opened.store.close()


def test_deleting_the_open_conversation_leaves_it(harness: Harness) -> None:
    cid = harness.store.create_conversation("Open")
    harness.store.add_message(cid, "user", "hello")
    harness.window.open_conversation(cid)
    harness.qtbot.waitUntil(lambda: len(harness.window.chat_view.messages) == 1, timeout=TIMEOUT_MS)
    harness.window.conversations.delete(cid, "Open")
    assert harness.window.conversation_id is None
    assert harness.window.chat_view.messages == ()


def test_search_as_you_type_and_jump_to_the_message(harness: Harness, screenshots: Path) -> None:
    store = harness.store
    trip = store.create_conversation("Trip")
    question = store.add_message(trip, "user", "Where should we stay in Lisbon?")
    answer = store.add_message(
        trip, "assistant", "Alfama has small guesthouses near the river.", parent_id=question
    )
    last = answer
    for n in range(30):  # enough messages that the hit is far from the end
        last = store.add_message(trip, "user" if n % 2 else "assistant", f"filler {n}", parent_id=last)
    other = store.create_conversation("Cooking")
    store.add_message(other, "user", "A soup from Lisbon?")
    harness.window.refresh_conversations()
    sidebar = harness.window.sidebar
    harness.qtbot.waitUntil(lambda: len(sidebar.conversation_ids()) == 2, timeout=TIMEOUT_MS)

    QTest.keyClick(harness.window, Qt.Key.Key_K, Qt.KeyboardModifier.ControlModifier)
    assert sidebar.search.hasFocus()
    QTest.keyClicks(sidebar.search, "guesthouse")
    harness.qtbot.waitUntil(lambda: sidebar.searching and bool(sidebar.results.hits()), timeout=TIMEOUT_MS)
    assert sidebar.results.hits() == [(trip, answer)]
    (snippet,) = sidebar.results.snippet_texts()
    assert "<b>guesthouses</b>" in snippet
    assert harness.window.grab().save(str(screenshots / "search.png"))

    QTest.keyClick(sidebar.search, Qt.Key.Key_Return)
    harness.qtbot.waitUntil(lambda: harness.window.conversation_id == trip, timeout=TIMEOUT_MS)

    # The hit is older than the newest page: the pages up to it are brought, then it is lit up.
    def flashed() -> bool:
        widget = harness.window.chat_view.message(answer)
        return widget is not None and widget.property("flashed") is True

    harness.qtbot.waitUntil(flashed, timeout=TIMEOUT_MS)
    harness.qtbot.waitUntil(lambda: not harness.window.chat_view.follows_bottom, timeout=TIMEOUT_MS)
    view = harness.window.chat_view
    harness.qtbot.waitUntil(lambda: view.verticalScrollBar().value() < view.verticalScrollBar().maximum())

    QTest.keyClick(sidebar.search, Qt.Key.Key_Escape)
    assert not sidebar.searching and sidebar.search.text() == ""


def test_only_the_newest_words_are_searched_while_a_query_runs(
    harness: Harness, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = harness.store
    cid = store.create_conversation("Words")
    store.add_message(cid, "user", "alpha beta gamma")
    asked: list[str] = []
    release = threading.Event()
    real_search = store.search

    def slow_search(query: str, limit: int = 50) -> list[SearchHit]:
        asked.append(query)
        release.wait(TIMEOUT_MS / 1000)
        return real_search(query, limit)

    monkeypatch.setattr(store, "search", slow_search)
    controller = harness.window.conversations
    sidebar = harness.window.sidebar
    sidebar.search.setText("al")
    controller.search("al")
    for words in ("alp", "alph", "alpha be", "alpha beta"):
        sidebar.search.setText(words)
        controller.search(words)
    release.set()
    harness.qtbot.waitUntil(lambda: len(asked) == 2 and bool(sidebar.results.hits()), timeout=TIMEOUT_MS)
    assert asked == ["al", "alpha beta"], "the words typed while one query ran are searched once, newest"
    assert sidebar.results.query == "alpha beta"


def test_snippets_are_escaped_and_marked() -> None:
    marked = snippet_html("a <b>tag</b> and \x02match\x03 then a stray \x02 marker")
    assert marked == "a &lt;b&gt;tag&lt;/b&gt; and <b>match</b> then a stray marker"


def more_than(count: int, shown: Callable[[], list[int]]) -> bool:
    return len(shown()) > count


def test_more_conversations_come_as_the_list_is_scrolled(
    harness: Harness, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(sidebar_controller, "PAGE", 10)
    controller = harness.window.conversations
    controller._limit = 10
    for n in range(60):
        harness.store.create_conversation(f"Chat {n}")
    controller.refresh()
    sidebar = harness.window.sidebar
    shown = sidebar.conversation_ids
    # Pages come until the list overflows the window (a page that fits would never be scrolled)...
    harness.qtbot.waitUntil(lambda: sidebar.list.verticalScrollBar().maximum() > 0, timeout=TIMEOUT_MS)
    harness.qtbot.wait(100)
    assert 10 <= len(shown()) < 60, "not every page is read before the list is scrolled"
    # ...and then as it is scrolled to the end, until a short page says there are no more.
    for _ in range(10):
        if len(shown()) == 60:
            break
        before = len(shown())
        bar = sidebar.list.verticalScrollBar()
        bar.setValue(bar.maximum())
        harness.qtbot.waitUntil(partial(more_than, before, shown), timeout=TIMEOUT_MS)
    assert len(shown()) == 60
    assert len(set(shown())) == 60, "each once"


def test_enter_before_the_hits_arrive_opens_the_first_of_them(harness: Harness) -> None:
    store = harness.store
    cid = store.create_conversation("Garden")
    store.add_message(cid, "user", "When should tomatoes be planted?")
    other = store.create_conversation("Tomato soup")  # a title hit, listed first
    store.add_message(other, "user", "Something else entirely")
    sidebar = harness.window.sidebar
    harness.window.refresh_conversations()
    harness.qtbot.waitUntil(lambda: len(sidebar.conversation_ids()) == 2, timeout=TIMEOUT_MS)
    sidebar.focus_search()
    QTest.keyClicks(sidebar.search, "tomato")
    QTest.keyClick(sidebar.search, Qt.Key.Key_Return)  # at once, before any query has answered
    harness.qtbot.waitUntil(lambda: harness.window.conversation_id is not None, timeout=TIMEOUT_MS)
    first = sidebar.results.hits()[0]
    assert harness.window.conversation_id == first[0]
    labels = sidebar.results.snippet_texts()
    assert any("Title:" in label for label in labels), "a title hit says so"

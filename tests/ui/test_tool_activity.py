"""gpt-oss's tool uses in the window, on real widgets: rows in the Thinking section as the tools run, their
details as plain text, the same rows when the conversation is opened again, citations that never show
the model's raw markers while streaming, and page ranges that link. End to end: a scripted tool model on
the real llama.cpp searches a real PDF attached in the real window and answers with a linked citation."""

from __future__ import annotations

import itertools
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from PySide6.QtCore import Qt
from PySide6.QtGui import QFont, QFontDatabase
from PySide6.QtTest import QTest
from pytestqt.qtbot import QtBot

from app.engine import ChatEvent
from app.engine.tools import ToolActivity
from app.reply_stats import DocumentUse, Passage, ReplyStats, ToolUse
from app.tools import map_citations
from app.ui.attachments import READY
from app.ui.chat_view import ChatView
from app.ui.reply_widget import ReplyWidget
from app.ui.text_coalescer import ReplyEvents
from tests.fixtures.documents import write_pdf
from tests.fixtures.records import record
from tests.fixtures.tool_models import RESEARCH, RESEARCH_REASONING, ToolModel, build_tool_model
from tests.fixtures.window import Harness

pytestmark = pytest.mark.usefixtures("themed_app")

SEARCH = ToolActivity(
    "search", "Searched the documents for “notice period”: 7 results", "[0] Search results\nL0: lease"
)
OPEN = ToolActivity("open", "Opened lease.pdf at page 12", "[1] lease.pdf\nL0: The notice period is…")
PYTHON = ToolActivity("python", "Ran Python, 0.3 s", "print(6*7)\n\nOutput:\n42\n", 0.3)
REFUSED = ToolActivity("refused", "Did not open https://example.com: Hearth does not go online")
LIMIT = ToolActivity("limit", "The model used its tools as often as one reply may", "Answer now.")
HOSTILE_DETAIL = "L0: <b>bold</b> <script>alert('x')</script> &amp; <a href='https://evil'>link</a>"
STATS = ReplyStats(
    prompt_tokens=100, completion_tokens=20, ttft_s=0.1, decode_tok_s=50.0, finish_reason="stop"
)
# A passage of page 4 of lease.pdf, as the turn adds the cited pages' passages to the stats.
LEASE = DocumentUse(
    attachment_id=3,
    name="lease.pdf",
    mode="passages",
    passages_used=1,
    passages_total=9,
    passages=(Passage(chunk_id=41, label="lease.pdf p. 4", page=4),),
)
WHOLE = DocumentUse(attachment_id=5, name="notes.pdf", mode="whole")


def rows(reply: ReplyWidget) -> list[tuple[str, str]]:
    return [(row.kind, row.summary) for row in reply.activities.rows]


# -- rows while the reply streams ---------------------------------------------------------------------


def test_rows_appear_in_order_and_the_section_shows_before_any_reasoning(view: ChatView) -> None:
    reply = view.begin_reply(2)
    assert not reply.reasoning_toggle.isVisible()

    reply.add_activity(SEARCH)  # no reasoning text yet: the section shows all the same
    assert reply.reasoning_toggle.isVisible() and reply.activities.isVisible()
    assert reply.reasoning_toggle.text() == "Searching…"
    assert not reply.reasoning_view.isVisible(), "no empty reasoning box above the rows"

    reply.append_reasoning("Opening the lease.")
    reply.add_activity(OPEN)
    reply.add_activity(PYTHON)
    assert reply.reasoning_toggle.text() == "Calculating…"
    assert rows(reply) == [("search", SEARCH.summary), ("open", OPEN.summary), ("python", PYTHON.summary)]
    reply.render_now()
    assert reply.reasoning_view.isVisible() and reply.reasoning_view.toPlainText() == "Opening the lease."
    # The reasoning text is above the rows, in one indented section under the toggle.
    assert reply.reasoning_view.y() < reply.activities.y()
    assert [row.icon.name for row in reply.activities.rows] == ["search", "file", "code"]

    reply.append_answer("Three months.")  # the section steps aside once the answer begins
    assert not reply.activities.isVisible() and reply.reasoning_toggle.isVisible()
    reply.finish("done", STATS)
    assert reply.reasoning_toggle.text() == "Reasoning · 3 steps"
    QTest.mouseClick(reply.reasoning_toggle, Qt.MouseButton.LeftButton)
    assert reply.activities.isVisible()


def test_the_worker_sends_a_row_after_the_text_written_before_the_call() -> None:
    sent: list[tuple[str, str]] = []
    # A clock that never moves: every piece within the window is held, as with a fast model.
    events = ReplyEvents(
        lambda kind, text: sent.append((kind, text)),
        lambda activity: sent.append(("tool", activity.summary)),
        window_s=1.0,
        clock=lambda: 0.0,
    )
    for event in (
        ChatEvent("reasoning", "Let me "),
        ChatEvent("reasoning", "search."),
        ChatEvent("tool", activity=SEARCH),
        ChatEvent("reasoning", "Found it."),
        ChatEvent("tool", activity=OPEN),
        ChatEvent("answer", "Three "),
        ChatEvent("answer", "months."),
    ):
        events(event)
    events.flush()
    # The first piece goes out at once; "search." is held, and goes out before the row, not after it.
    assert sent == [
        ("reasoning", "Let me "),
        ("reasoning", "search."),
        ("tool", SEARCH.summary),
        ("reasoning", "Found it."),
        ("tool", OPEN.summary),
        ("answer", "Three months."),
    ]


# -- a row's detail -------------------------------------------------------------------------------------


def test_a_row_opens_to_its_detail_as_plain_text(qtbot: QtBot, view: ChatView) -> None:
    reply = view.begin_reply(2)
    reply.add_activity(ToolActivity("open", "Opened page.html", HOSTILE_DETAIL))
    (row,) = reply.activities.rows
    assert row.detail_view is None and not row.expanded
    assert row.focusPolicy() == Qt.FocusPolicy.StrongFocus and row.toolTip() == "Show the details"

    QTest.mouseClick(row, Qt.MouseButton.LeftButton)
    assert row.expanded and row.detail_view is not None and row.detail_view.isVisible()
    detail = row.detail_view
    # Shown exactly as the tool wrote it: no bold, no script, no link made of it.
    assert detail.toPlainText() == HOSTILE_DETAIL
    html = detail.document().toHtml()
    assert "&lt;b&gt;bold&lt;/b&gt;" in html and "&lt;script&gt;" in html
    assert "<b>" not in html and "<a " not in html
    assert detail.isReadOnly()
    flags = detail.textInteractionFlags()
    assert flags & Qt.TextInteractionFlag.TextSelectableByMouse
    assert flags & Qt.TextInteractionFlag.TextSelectableByKeyboard
    fixed = QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont)
    assert detail.font().family() == fixed.family() or QFont(detail.font()).fixedPitch()
    assert row.toolTip() == "Hide the details"

    # The keyboard does the same: Enter closes it, Space opens it again.
    row.setFocus()
    QTest.keyClick(row, Qt.Key.Key_Return)
    assert not row.expanded and not detail.isVisible()
    QTest.keyClick(row, Qt.Key.Key_Space)
    assert row.expanded and detail.isVisible()
    # A click inside the opened detail selects text; it does not close the row.
    QTest.mouseClick(detail.viewport(), Qt.MouseButton.LeftButton)
    assert row.expanded


def test_refusals_and_the_limit_look_like_notes(view: ChatView) -> None:
    reply = view.begin_reply(2)
    for activity in (SEARCH, REFUSED, LIMIT):
        reply.add_activity(activity)
    search, refused, limit = reply.activities.rows
    assert not search.is_note and not search.label.font().italic()
    assert refused.is_note and limit.is_note
    assert refused.label.font().italic() and limit.label.font().italic()
    assert refused.icon.name == limit.icon.name == "info"
    # Nothing to open: not a stop for the Tab key, and no arrow.
    assert refused.focusPolicy() == Qt.FocusPolicy.NoFocus and refused.arrow.isHidden()
    assert limit.focusPolicy() == Qt.FocusPolicy.StrongFocus  # what the model was told can be read
    # Plain words, whatever a summary holds.
    assert refused.label.textFormat() == Qt.TextFormat.PlainText


def test_a_stored_reply_shows_its_rows_when_the_conversation_is_opened(qtbot: QtBot, view: ChatView) -> None:
    uses = [
        ToolUse("search", SEARCH.summary, SEARCH.detail),
        ToolUse("python", PYTHON.summary, PYTHON.detail, 0.3),
    ]
    stats = ReplyStats(finish_reason="stop", tool_calls=2, tool_tokens=120, tools=tuple(uses)).to_json()
    records = [
        record(1, "user", "What is the notice period?"),
        record(2, "assistant", "Three months.", reasoning="Searching.", stats=stats),
        record(3, "user", "Thanks"),
        record(4, "assistant", "You're welcome."),
    ]
    with qtbot.waitSignal(view.first_page_ready, timeout=10_000):
        view.set_thread(records)
    reply, plain = view.reply(2), view.reply(4)
    assert reply is not None and plain is not None
    assert rows(reply) == [("search", SEARCH.summary), ("python", PYTHON.summary)]
    assert [row.detail for row in reply.activities.rows] == [SEARCH.detail, PYTHON.detail]
    assert reply.reasoning_toggle.isVisible() and not reply.activities.isVisible()  # there is an answer
    assert reply.reasoning_toggle.text() == "Reasoning · 2 steps"
    assert plain.activities.rows == () and not plain.reasoning_toggle.isVisible()

    # A reply of tool uses alone (stopped before it answered) opens to them: all there is to read.
    only = ReplyStats(finish_reason="cancelled", tools=(ToolUse("search", SEARCH.summary),)).to_json()
    with qtbot.waitSignal(view.first_page_ready, timeout=10_000):
        view.set_thread([record(1, "user", "Look it up"), record(2, "assistant", "", stats=only)])
    stopped = view.reply(2)
    assert stopped is not None and stopped.activities.isVisible()
    assert rows(stopped) == [("search", SEARCH.summary)]


# -- citations --------------------------------------------------------------------------------------------

ANSWER = "The notice period is three months 【1†L4-L5】. Rent is due monthly【2†L1】; see 【the lease】."


@given(cuts=st.lists(st.integers(min_value=0, max_value=len(ANSWER)), max_size=12))
def test_a_streamed_answer_never_shows_the_models_raw_citations(qapp: Any, cuts: list[int]) -> None:
    reply = ReplyWidget(2)
    points = sorted({0, *cuts, len(ANSWER)})
    for start, end in itertools.pairwise(points):
        reply.append_answer(ANSWER[start:end])
        reply.render_now()
        assert "†" not in reply.answer_text and "†" not in reply.answer_view.toPlainText()
    reply.finish("done", STATS)
    shown = reply.answer_view.toPlainText()
    # Citations the widget cannot look up are dropped (the stored answer brings their labels), the same
    # wherever the pieces were cut; the answer's own brackets stay.
    assert shown == map_citations(ANSWER, lambda _cursor: None)
    assert shown == "The notice period is three months . Rent is due monthly; see 【the lease】."
    reply.deleteLater()


def test_the_stored_answer_with_mapped_citations_takes_the_streamed_ones_place(view: ChatView) -> None:
    reply = view.begin_reply(2)
    reply.append_answer("The notice period is three months 【1†L4")
    reply.render_now()
    assert "【" not in reply.answer_view.toPlainText()
    reply.replace_text("The notice period is three months [lease.pdf p. 4].", "")
    reply.finish("done", ReplyStats(finish_reason="stop", documents=(LEASE,)))
    assert reply.answer_view.toPlainText() == "The notice period is three months [lease.pdf p. 4]."
    assert reply.answer_view.toHtml().count('href="hearth-passage:41"') == 1


def test_page_ranges_link_to_the_first_cited_page(view: ChatView) -> None:
    reply = view.begin_reply(2)
    reply.append_answer(
        "Notice is three months [lease.pdf pp. 4-5]; rent [lease.pdf pp. 2-4]; deposit [lease.pdf pp. 7-8]; "
        "dates [notes.pdf pp. 2-3]."
    )
    reply.finish("done", ReplyStats(finish_reason="stop", documents=(LEASE, WHOLE)))
    html = reply.answer_view.toHtml()
    # pp. 4-5 starts on the cited passage's page; pp. 2-4 reaches it; pp. 7-8 has no passage and stays
    # plain text; a document read whole opens at the range's first page.
    assert html.count("hearth-passage:41") == 2
    assert "hearth-document:5#2" in html
    assert "[lease.pdf pp. 7-8]" in reply.answer_view.toPlainText()
    assert html.count("<a ") == 3


# -- end to end ---------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def research_model(tmp_path_factory: pytest.TempPathFactory) -> ToolModel:
    return build_tool_model(tmp_path_factory.mktemp("tools") / "research.gguf", RESEARCH)


@pytest.fixture
def tool_window(tool_harness: Harness) -> Harness:
    tool_harness.window.resize(1000, 900)
    return tool_harness


def test_the_model_searches_the_attached_pdf_and_cites_a_page(
    tool_window: Harness, research_model: ToolModel, tmp_path: Path, screenshots: Path
) -> None:
    harness, window, qtbot = tool_window, tool_window.window, tool_window.qtbot
    harness.load(research_model.path)
    assert harness.service.model_info is not None and harness.service.model_info.builtin_tools
    # Page 4's text is on lines 4 and 5 of the report as the browser shows it, which the model cites; the
    # notes rank first for "notice period", so the report is the result the model opens.
    folder = tmp_path / "docs"
    folder.mkdir()
    report = write_pdf(
        folder / "report.pdf", ["", "", "", "The notice period is three months.\nAny notice must be written."]
    )
    notes = folder / "notes.txt"
    notes.write_text("Notice period, notice period: ask about the notice period.\n", encoding="utf-8")
    window.composer.attach_files([str(report), str(notes)])
    qtbot.waitUntil(
        lambda: all(a.state == READY for a in window.composer.attachments.pending), timeout=30_000
    )

    shown: list[str] = []  # what the answer showed after each piece that arrived

    def arrived(reply_id: int, kind: str, _text: str) -> None:
        reply = window.chat_view.reply(reply_id)
        if reply is not None and kind == "answer":
            reply.render_now()
            shown.append(reply.answer_view.toPlainText())

    harness.service.reply_event.connect(arrived)
    harness.ask("What is the notice period?")
    thread = harness.store.thread(window.conversation_id or -1)
    reply = window.chat_view.reply(thread[-1].id)
    assert reply is not None
    assert shown and not any("【" in text or "†" in text for text in shown)
    assert reply.answer_view.toPlainText() == "The notice period is three months [report.pdf p. 4]."
    assert "hearth-passage:" in reply.answer_view.toHtml()
    assert rows(reply) == [
        ("search", "Searched the documents for “notice period”: 2 results"),
        ("open", "Opened report.pdf at page 4"),
    ]
    assert reply.reasoning_text == RESEARCH_REASONING

    # The rows open to what the model read; the reply is shown with one opened.
    QTest.mouseClick(reply.reasoning_toggle, Qt.MouseButton.LeftButton)
    _search, opened = reply.activities.rows
    assert window.grab().save(str(screenshots / "tool-activity.png"))
    QTest.mouseClick(opened, Qt.MouseButton.LeftButton)
    assert opened.detail_view is not None and "The notice period" in opened.detail_view.toPlainText()
    window.chat_view.focus_message(reply.message_id, flash=False)
    qtbot.wait(50)
    assert window.grab().save(str(screenshots / "tool-activity-opened.png"))

    # Opened again later, the reply shows the same rows, from what was stored with it.
    conversation = window.conversation_id
    assert conversation is not None
    window.new_chat()
    window.open_conversation(conversation)
    qtbot.waitUntil(lambda: window.chat_view.reply(reply.message_id) not in (None, reply), timeout=10_000)
    again = window.chat_view.reply(reply.message_id)
    assert again is not None
    qtbot.waitUntil(lambda: bool(again.activities.rows), timeout=10_000)
    assert rows(again) == rows(reply)
    assert again.answer_view.toPlainText() == "The notice period is three months [report.pdf p. 4]."
    assert "hearth-passage:" in again.answer_view.toHtml()

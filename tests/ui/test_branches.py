"""Edit and branch in the real window on the real engine: an edited question becomes a sibling branch and
is answered, "‹ n/N ›" switches the whole thread below it, the choice survives a restart, and the next
question continues the branch on screen. Regenerate, copy and edit work on any message."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtTest import QTest
from pytestqt.qtbot import QtBot

from app.ui.reply_widget import ReplyWidget
from app.ui.user_message import UserMessageWidget
from tests.fixtures.tiny_models import TinyModel
from tests.fixtures.window import Harness

pytestmark = pytest.mark.usefixtures("themed_app")
TIMEOUT_MS = 30_000


def questions(harness: Harness) -> list[UserMessageWidget]:
    return [m for m in harness.window.chat_view.messages if isinstance(m, UserMessageWidget)]


def replies(harness: Harness) -> list[ReplyWidget]:
    return [m for m in harness.window.chat_view.messages if isinstance(m, ReplyWidget)]


def shown_texts(harness: Harness) -> list[str]:
    return [
        m.text if isinstance(m, UserMessageWidget) else m.answer_text
        for m in harness.window.chat_view.messages
    ]


def edit(harness: Harness, widget: UserMessageWidget, text: str) -> None:
    widget.edit_button.click()
    assert widget.editing and widget.editor.hasFocus()
    widget.editor.selectAll()
    QTest.keyClicks(widget.editor, text)
    with harness.qtbot.waitSignal(harness.service.reply_finished, timeout=TIMEOUT_MS):
        QTest.keyClick(widget.editor, Qt.Key.Key_Return)


def test_an_edit_is_a_new_branch_and_the_navigator_switches_threads(
    qtbot: QtBot, tmp_path: Path, harmony_model: TinyModel, screenshots: Path
) -> None:
    harness = Harness(qtbot, tmp_path / "history.sqlite3", tmp_path / "settings.json")
    harness.load(harmony_model.path)
    harness.ask("First question")
    harness.ask("Second question")
    cid = harness.window.conversation_id
    assert cid is not None
    first = questions(harness)[0]
    edit(harness, first, "First question, better")

    answer = harmony_model.expected_answer
    assert shown_texts(harness) == ["First question, better", answer], "the old branch is off screen"
    (edited,) = questions(harness)
    qtbot.waitUntil(edited.navigator.isVisible, timeout=TIMEOUT_MS)  # once the versions are read
    assert edited.navigator.position.text() == "2/2"
    stored = harness.store.thread(cid)
    assert [m.content for m in stored] == ["First question, better", answer]
    assert stored[0].parent_id is None and harness.store.siblings(stored[0].id) == [
        first.message_id,
        stored[0].id,
    ]
    assert harness.window.grab().save(str(screenshots / "branches.png"))

    # Back to the first version: its whole thread comes back, later turns included.
    edited.navigator.previous.click()
    qtbot.waitUntil(lambda: len(harness.window.chat_view.messages) == 4, timeout=TIMEOUT_MS)
    assert shown_texts(harness) == ["First question", answer, "Second question", answer]
    assert questions(harness)[0].navigator.position.text() == "1/2"
    harness.close()

    # The pick survives a restart, and the next question continues that branch.
    again = Harness(qtbot, tmp_path / "history.sqlite3", tmp_path / "settings.json")
    try:
        again.window.open_conversation(cid)
        qtbot.waitUntil(lambda: len(again.window.chat_view.messages) == 4, timeout=TIMEOUT_MS)
        assert shown_texts(again)[0] == "First question"
        again.load(harmony_model.path)
        again.ask("Third question")
        thread = again.store.thread(cid)
        assert [m.content for m in thread if m.role == "user"] == [
            "First question",
            "Second question",
            "Third question",
        ]
    finally:
        again.close()


def test_escape_cancels_an_edit_and_nothing_is_stored(harness: Harness, harmony_model: TinyModel) -> None:
    harness.load(harmony_model.path)
    harness.ask("Keep me")
    cid = harness.window.conversation_id
    assert cid is not None
    (widget,) = questions(harness)
    widget.edit_button.click()
    widget.editor.selectAll()
    QTest.keyClicks(widget.editor, "Something else")
    QTest.keyClick(widget.editor, Qt.Key.Key_Escape)
    assert not widget.editing and widget.bubble.isVisible() and widget.text == "Keep me"
    assert len(harness.store.thread(cid)) == 2
    assert harness.window.composer.button.text() == "Send", "Esc left the edit, it stopped nothing"


def test_any_reply_can_be_regenerated_and_copied(harness: Harness, harmony_model: TinyModel) -> None:
    harness.load(harmony_model.path)
    harness.ask("One")
    harness.ask("Two")
    cid = harness.window.conversation_id
    assert cid is not None
    first_reply, second_reply = replies(harness)
    assert first_reply.regenerate_button.isVisible() and second_reply.regenerate_button.isVisible()
    first_reply.copy_button.click()
    assert QGuiApplication.clipboard().text() == harmony_model.expected_answer
    with harness.qtbot.waitSignal(harness.service.reply_finished, timeout=TIMEOUT_MS) as finished:
        first_reply.regenerate_button.click()
    assert finished.args is not None
    new_reply = finished.args[0].reply_message_id
    assert [m.id for m in harness.store.thread(cid)][-1] == new_reply
    assert shown_texts(harness) == ["One", harmony_model.expected_answer]
    (shown,) = replies(harness)
    harness.qtbot.waitUntil(shown.navigator.isVisible, timeout=TIMEOUT_MS)
    assert shown.navigator.position.text() == "2/2"
    questions(harness)[0].copy_button.click()
    assert QGuiApplication.clipboard().text() == "One"


def test_while_a_reply_is_written_nothing_else_can_be_edited_or_regenerated(
    harness: Harness, tmp_path: Path, harmony_model: TinyModel
) -> None:
    harness.load(harmony_model.path)
    harness.ask("Before")
    first_question, first_reply = questions(harness)[0], replies(harness)[0]
    harness.window.conversation._set_streaming(True)  # as while the next reply is being written
    assert not first_reply.regenerate_button.isVisible() and not first_question.edit_button.isVisible()
    harness.window.conversation._set_streaming(False)
    assert first_reply.regenerate_button.isVisible() and first_question.edit_button.isVisible()


def test_an_edited_question_keeps_its_documents(
    harness: Harness, harmony_model: TinyModel, tmp_path: Path
) -> None:
    notes = tmp_path / "notes.txt"
    notes.write_text("The spare key is under the blue stone.\n", encoding="utf-8")
    harness.load(harmony_model.path)
    harness.window.composer.attach_files([notes])
    harness.qtbot.waitUntil(
        lambda: all(a.state == "ready" for a in harness.window.composer.attachments.pending),
        timeout=TIMEOUT_MS,
    )
    harness.ask("Where is the key?")
    cid = harness.window.conversation_id
    assert cid is not None
    (asked,) = questions(harness)
    edit(harness, asked, "Where exactly is the key?")
    (edited,) = questions(harness)
    assert [c.name for c in edited.attachments.chips] == ["notes.txt"]
    question = harness.store.thread(cid)[0]
    (kept,) = harness.store.attachments_for([question.id])[question.id]
    assert kept.name == "notes.txt" and kept.chunk_count >= 1
    assert any(hit.message_id == question.id for hit in harness.store.search("blue stone"))

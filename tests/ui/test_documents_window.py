"""Documents in the chat, end to end: a real window, real drops and files, the tiny model, a real history."""

from __future__ import annotations

import multiprocessing
from pathlib import Path

import pytest
from PySide6.QtCore import QMimeData, QPoint, QPointF, Qt, QUrl
from PySide6.QtGui import QDragEnterEvent, QDropEvent
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QWidget
from pytestqt.qtbot import QtBot

from app.documents.extract import extract
from app.turn import add_question
from app.ui.attachments import CANCELLED, FAILED, READY, AttachmentChip, PendingAttachment
from app.ui.user_message import UserMessageWidget
from tests.fixtures.documents import write_encrypted_pdf, write_long_pdf, write_pdf
from tests.fixtures.tiny_models import TinyModel
from tests.fixtures.window import Harness

pytestmark = pytest.mark.usefixtures("themed_app")


def drop(target: QWidget, *paths: Path) -> bool:
    """Drag `paths` over `target` and drop them there, as a file manager does; returns whether taken."""
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(p)) for p in paths])
    centre = QPoint(target.width() // 2, target.height() // 2)
    enter = QDragEnterEvent(
        centre, Qt.DropAction.CopyAction, mime, Qt.MouseButton.NoButton, Qt.KeyboardModifier.NoModifier
    )
    QApplication.sendEvent(target, enter)
    if not enter.isAccepted():
        return False
    event = QDropEvent(
        QPointF(centre),
        Qt.DropAction.CopyAction,
        mime,
        Qt.MouseButton.NoButton,
        Qt.KeyboardModifier.NoModifier,
    )
    QApplication.sendEvent(target, event)
    return event.isAccepted()


def pending(harness: Harness) -> tuple[PendingAttachment, ...]:
    return harness.window.composer.attachments.pending


def user_messages(harness: Harness) -> list[UserMessageWidget]:
    return [m for m in harness.window.chat_view.messages if isinstance(m, UserMessageWidget)]


def drop_notes(harness: Harness, folder: Path) -> PendingAttachment:
    """A small text file dropped on the conversation, with a model loaded to answer about it."""
    notes = folder / "notes.txt"
    notes.write_text("The spare key to the hearth is under the blue stone.\n", encoding="utf-8")
    assert drop(harness.window.chat_view.viewport(), notes), "a drop on the conversation is taken"
    (attachment,) = pending(harness)
    return attachment


def test_a_dropped_document_goes_with_the_question_and_comes_back_with_the_thread(
    harness: Harness, plain_model: TinyModel, tmp_path: Path
) -> None:
    harness.load(plain_model.path)
    window, qtbot, store = harness.window, harness.qtbot, harness.store
    attachment = drop_notes(harness, tmp_path)
    (chip,) = window.composer.attachments.chips
    assert chip.isVisibleTo(window)
    qtbot.waitUntil(lambda: attachment.state == READY)
    assert chip.detail.text() == "Text · 53 bytes"
    QTest.mouseClick(chip, Qt.MouseButton.LeftButton)  # what will be sent can be read first
    assert window.documents.document_viewer is not None
    assert window.documents.document_viewer.text_view.toPlainText().startswith("The spare key")
    window.documents.document_viewer = None

    harness.ask("Where is the key?")
    assert window.composer.attachments.chips == (), "the strip clears once sent"
    conversation = window.conversation_id
    assert conversation is not None
    question, reply = store.thread(conversation)
    (stored,) = store.attachments_for([question.id])[question.id]
    assert (stored.name, stored.kind) == ("notes.txt", "Text")
    (shown,) = user_messages(harness)
    assert [c.name for c in shown.attachments.chips] == ["notes.txt"], "shown at once with the question"
    widget = window.chat_view.reply(reply.id)
    assert widget is not None
    assert widget.documents_line.isVisibleTo(window)
    assert widget.documents_line.summaries == ["Read the whole document: notes.txt"]
    assert reply.stats is not None and reply.stats["documents"][0]["name"] == "notes.txt"

    QTest.mouseClick(shown.attachments.chips[0], Qt.MouseButton.LeftButton)
    assert window.documents.document_viewer is not None
    assert "under the blue stone" in window.documents.document_viewer.text_view.toPlainText()

    window.new_chat()
    window.open_conversation(conversation)
    qtbot.waitUntil(lambda: len(user_messages(harness)) == 1)
    (again,) = user_messages(harness)
    (stored_chip,) = again.attachments.chips
    assert stored_chip.detail.text() == "Text · 53 bytes"
    assert stored_chip.remove_button is None
    reopened = window.chat_view.reply(reply.id)
    assert reopened is not None and reopened.documents_line.summaries == [
        "Read the whole document: notes.txt"
    ]
    window.documents.document_viewer = None
    QTest.mouseClick(stored_chip, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.documents.document_viewer is not None)
    assert window.documents.document_viewer is not None
    assert "under the blue stone" in window.documents.document_viewer.text_view.toPlainText()


def test_how_a_document_is_used_shows_before_the_answer_streams(
    harness: Harness, plain_model: TinyModel, tmp_path: Path
) -> None:
    harness.load(plain_model.path)
    window = harness.window
    attachment = drop_notes(harness, tmp_path)
    harness.qtbot.waitUntil(lambda: attachment.state == READY)
    at_first_word: list[list[str]] = []

    def first_word(reply_id: int, _kind: str, _text: str) -> None:
        live = window.chat_view.reply(reply_id)
        if not at_first_word and live is not None:
            at_first_word.append(list(live.documents_line.summaries))

    harness.service.reply_event.connect(first_word)
    harness.ask("Where is the key?")
    assert at_first_word == [["Read the whole document: notes.txt"]]


def test_bad_files_say_why_on_their_chips_and_nothing_is_sent(
    harness: Harness, plain_model: TinyModel, tmp_path: Path
) -> None:
    harness.load(plain_model.path)
    locked = write_encrypted_pdf(tmp_path / "locked.pdf", ["Top secret plans."])
    program = tmp_path / "setup.exe"
    program.write_bytes(b"MZ\x90\x00" + bytes(range(256)) * 4)
    window, qtbot = harness.window, harness.qtbot
    assert drop(window, locked, program), "a drop anywhere on the window is taken"
    attachments = pending(harness)
    assert [a.name for a in attachments] == ["locked.pdf", "setup.exe"]
    qtbot.waitUntil(lambda: all(a.state == FAILED for a in attachments))
    chips: tuple[AttachmentChip, ...] = window.composer.attachments.chips
    assert "password" in chips[0].detail.text()
    assert ".exe" in chips[1].detail.text()
    assert all(chip.failed and "\n" not in chip.detail.text() for chip in chips)

    harness.type_and_send("What is in these?")
    assert window.banner.isVisible()
    assert window.banner.message.text() == "Remove “locked.pdf” (it could not be read) before sending."
    assert window.composer.input.toPlainText() == "What is in these?"
    assert len(window.composer.attachments.chips) == 2
    assert harness.store.list_conversations() == [], "nothing stored"
    assert window.chat_view.messages == ()


def test_sending_while_a_document_is_read_is_refused(harness: Harness, plain_model: TinyModel) -> None:
    harness.load(plain_model.path)
    window = harness.window
    # Pasted text is read on a pool thread: just after the paste, it cannot have been read yet.
    window.composer.attach_text("A long note. " * 100)
    harness.type_and_send("Summarise")
    assert window.banner.message.text() == "Wait until Pasted text.txt has been read."
    assert harness.store.list_conversations() == []
    (attachment,) = pending(harness)
    harness.qtbot.waitUntil(lambda: attachment.state == READY)
    harness.ask("")  # the refused words are still in the box: Enter sends them now
    conversation = window.conversation_id
    assert conversation is not None
    question = harness.store.thread(conversation)[0]
    assert question.content == "Summarise"
    assert [c.name for c in user_messages(harness)[0].attachments.chips] == ["Pasted text.txt"]


def test_a_dropped_gguf_still_loads_as_a_model(
    qtbot: QtBot, harness: Harness, plain_model: TinyModel
) -> None:
    with qtbot.waitSignal(harness.service.loaded, timeout=30_000):
        assert drop(harness.window.chat_view.viewport(), plain_model.path)
    assert harness.window.composer.attachments.chips == ()


def test_a_file_dropped_on_the_message_box_is_attached_not_typed(harness: Harness, tmp_path: Path) -> None:
    table = tmp_path / "prices.csv"
    table.write_text("item,price\ntea,3\n", encoding="utf-8")
    composer = harness.window.composer
    assert drop(composer.input.viewport(), table)
    assert composer.input.toPlainText() == ""
    (attachment,) = pending(harness)
    harness.qtbot.waitUntil(lambda: attachment.state == READY)
    assert composer.attachments.chips[0].detail.text().startswith("CSV table · ")


def test_documents_screenshot_with_chips_sources_and_citations(
    harness: Harness, tmp_path: Path, screenshots: Path
) -> None:
    store, window, qtbot = harness.store, harness.window, harness.qtbot
    report = write_pdf(
        tmp_path / "report.pdf",
        [
            "Annual report 2025. Hearth shipped offline chat for gpt-oss.",
            "Revenue grew by 12% while costs fell by 3%.",
            "Next year: documents in the chat, with citations the reader can check.",
        ],
    )
    document = extract(report)
    conversation = store.create_conversation("Annual report")
    question = add_question(store, conversation, "What happened to revenue?", [document])
    (attachment,) = store.attachments_for([question])[question]
    chunks = store.chunks_at(attachment.id, range(attachment.chunk_count))
    page_two = next(c for c in chunks if c.page == 2)
    store.add_message(
        conversation,
        "assistant",
        "Revenue grew by **12%** in 2025, while costs fell by 3% [report.pdf p. 2].",
        parent_id=question,
        stats={
            "prompt_tokens": 610,
            "completion_tokens": 24,
            "ttft_s": 0.31,
            "decode_tok_s": 41.2,
            "finish_reason": "stop",
            "documents": [
                {
                    "attachment_id": attachment.id,
                    "name": "report.pdf",
                    "mode": "passages",
                    "passages_used": 2,
                    "passages_total": attachment.chunk_count + 9,
                    "passages": [
                        {"chunk_id": page_two.id, "label": "report.pdf p. 2", "page": 2},
                        {"chunk_id": chunks[-1].id, "label": "report.pdf p. 3", "page": 3},
                    ],
                }
            ],
        },
    )
    window.open_conversation(conversation)
    qtbot.waitUntil(lambda: len(window.chat_view.messages) == 2)
    reply = window.chat_view.messages[1]
    assert not isinstance(reply, UserMessageWidget)
    assert 'href="hearth-passage:' in reply.answer_view.toHtml()
    # A document waiting in the composer, too.
    notes = tmp_path / "meeting notes.md"
    notes.write_text("# Meeting\n\nAgreed: ship documents.\n", encoding="utf-8")
    window.composer.attach_files([notes])
    qtbot.waitUntil(lambda: all(a.state == READY for a in pending(harness)))
    qtbot.waitUntil(lambda: window.sidebar.conversation_ids() == [conversation])
    assert window.grab().save(str(screenshots / "documents.png"))

    reply.answer_view.anchorClicked.emit(QUrl(f"hearth-passage:{page_two.id}"))
    qtbot.waitUntil(lambda: window.documents.passage_viewer is not None)
    assert window.documents.passage_viewer is not None
    assert window.documents.passage_viewer.heading.text() == "report.pdf, page 2"
    assert "Revenue grew by 12%" in window.documents.passage_viewer.text_view.toPlainText()
    window.documents.passage_viewer.whole_button.click()
    qtbot.waitUntil(lambda: window.documents.document_viewer is not None)
    assert window.documents.document_viewer is not None
    assert window.documents.document_viewer.current_line() == "[Page 2]"


def test_closing_the_window_stops_documents_still_being_read(harness: Harness, tmp_path: Path) -> None:
    path = write_long_pdf(tmp_path / "long.pdf", page_count=400, marker_page=2, marker="Marker.")
    assert drop(harness.window.chat_view.viewport(), path)
    (attachment,) = pending(harness)
    harness.qtbot.waitUntil(lambda: attachment.progress > 0, timeout=30_000)  # its child is reading
    harness.window.close()
    assert attachment.state == CANCELLED
    harness.qtbot.waitUntil(lambda: multiprocessing.active_children() == [], timeout=5_000)

"""Attachment chips, the composer's attachments (attach, paste, refuse), the viewers, and a reply's
document parts, on real widgets with real background reads (offscreen)."""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QMimeData, Qt, QThreadPool, QUrl
from PySide6.QtGui import QGuiApplication, QPalette
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from app.documents.document import Anchor, Document, DocumentError, describe
from app.render import render_markdown
from app.reply_stats import ReplyStats
from app.ui.attachments import FAILED, READING, READY, AttachmentChip, PendingAttachment, SentAttachment
from app.ui.chat_view import ChatView
from app.ui.composer import LONG_PASTE_CHARS, READERS_AT_ONCE, Composer
from app.ui.document_viewer import DocumentViewer, PassageViewer
from app.ui.jobs import run_job
from app.ui.message_parts import Citations, citations_for, linkify_citations, parse_link
from app.ui.reply_widget import ReplyWidget
from app.ui.theme import apply_theme
from tests.fixtures.paged import paged_document

pytestmark = pytest.mark.usefixtures("themed_app")

REPORT = Document(
    name="report.pdf",
    kind="PDF",
    mime="application/pdf",
    size=2_300_000,
    sha256="0" * 64,
    text="Revenue grew.\nCosts fell.\nThe outlook is calm.\n",
    anchors=(Anchor(0, page=1), Anchor(14, page=2), Anchor(26, page=3)),
    page_count=3,
    notes=("Pages 3, 7 have no text layer (scanned images?).",),
)

STATS = ReplyStats.from_json(
    {
        "completion_tokens": 12,
        "finish_reason": "stop",
        "documents": [
            {
                "attachment_id": 5,
                "name": "report.pdf",
                "mode": "passages",
                "passages_used": 6,
                "passages_total": 212,
                "passages": [
                    {"chunk_id": 41, "label": "report.pdf p. 4", "page": 4},
                    {"chunk_id": 42, "label": "report.pdf p. 12", "page": 12},
                ],
            },
            {
                "attachment_id": 6,
                "name": "notes.txt",
                "mode": "whole",
                "passages_used": 0,
                "passages_total": 0,
                "passages": [],
            },
        ],
    }
)


class Gate:
    """A reader that reports half-way, then waits for the test before it finishes (or fails)."""

    def __init__(self, result: Document | DocumentError) -> None:
        self.result = result
        self.release = threading.Event()
        self.cancelled: threading.Event | None = None

    def __call__(self, progress: Callable[[float], None], cancel: threading.Event) -> Document:
        self.cancelled = cancel
        progress(0.5)
        while not self.release.wait(0.01):
            if cancel.is_set():
                raise DocumentError("cancelled")
        if isinstance(self.result, DocumentError):
            raise self.result
        return self.result


@pytest.fixture
def composer(qtbot: QtBot) -> Composer:
    widget = Composer()
    widget.resize(700, 200)
    qtbot.addWidget(widget)
    widget.show()
    return widget


def add_gated(composer: Composer, gate: Gate, name: str = "report.pdf") -> PendingAttachment:
    pending = PendingAttachment(name, gate)
    composer.attachments.add_pending(pending)
    pending.start(composer.reading_pool)
    return pending


def only_chip(composer: Composer) -> AttachmentChip:
    (chip,) = composer.attachments.chips
    return chip


def test_a_chip_shows_progress_then_the_facts_and_notes(qtbot: QtBot, composer: Composer) -> None:
    gate = Gate(REPORT)
    pending = add_gated(composer, gate)
    chip = only_chip(composer)
    qtbot.waitUntil(lambda: chip.detail.text() == "Reading… 50%")
    assert chip.accessibleName() == "Attachment report.pdf"
    assert chip.remove_button is not None and chip.remove_button.accessibleName() == "Remove report.pdf"
    gate.release.set()
    qtbot.waitUntil(lambda: pending.state == READY)
    assert chip.detail.text() == "PDF · 2.3 MB · 3 pages · see notes"
    assert "Pages 3, 7 have no text layer" in chip.toolTip()
    assert not chip.failed


def test_a_link_shows_the_file_it_leads_to_on_its_chip(
    qtbot: QtBot, composer: Composer, tmp_path: Path
) -> None:
    real = tmp_path / "archive" / "minutes-2026-03.txt"
    real.parent.mkdir()
    real.write_text("The board met on Tuesday.", encoding="utf-8")
    link = tmp_path / "notes.txt"
    link.symlink_to(real)
    pending = PendingAttachment.from_path(link)
    composer.attachments.add_pending(pending)
    pending.start(composer.reading_pool)
    qtbot.waitUntil(lambda: pending.state == READY)
    chip = only_chip(composer)
    assert chip.name_label.text() == "minutes-2026-03.txt"
    assert chip.accessibleName() == "Attachment minutes-2026-03.txt"
    assert chip.detail.text().endswith("see notes")
    assert f"Opened through the link “notes.txt”; the file itself is {real}." in chip.toolTip()


def test_a_link_into_a_system_folder_is_refused_on_its_chip(
    qtbot: QtBot, composer: Composer, tmp_path: Path
) -> None:
    link = tmp_path / "notes.txt"
    link.symlink_to("/etc/passwd")
    pending = PendingAttachment.from_path(link)
    composer.attachments.add_pending(pending)
    pending.start(composer.reading_pool)
    qtbot.waitUntil(lambda: pending.state == FAILED)
    chip = only_chip(composer)
    assert chip.failed
    assert chip.detail.text() == (
        "“notes.txt” is a link to a system file (/etc/passwd), so Hearth will not read it."
    )


def test_a_bad_file_says_why_on_its_chip_in_the_error_colour(qtbot: QtBot, composer: Composer) -> None:
    message = "“secret.pdf” is protected by a password. Remove the password, and attach it again."
    gate = Gate(DocumentError(message))
    gate.release.set()
    pending = add_gated(composer, gate, "secret.pdf")
    qtbot.waitUntil(lambda: pending.state == FAILED)
    chip = only_chip(composer)
    assert chip.detail.text() == message
    assert chip.failed and chip.property("failed") is True
    red = chip.detail.palette().color(QPalette.ColorRole.WindowText)
    assert red.name() == "#c92a2a"


def test_removing_a_chip_mid_read_cancels_it(qtbot: QtBot, composer: Composer) -> None:
    gate = Gate(REPORT)
    pending = add_gated(composer, gate)
    chip = only_chip(composer)
    qtbot.waitUntil(lambda: gate.cancelled is not None)
    assert chip.remove_button is not None
    with qtbot.waitSignal(composer.attachments.changed):
        chip.remove_button.click()
    assert composer.attachments.chips == ()
    assert not composer.attachments.isVisible()
    assert gate.cancelled is not None
    qtbot.waitUntil(gate.cancelled.is_set)
    assert pending.state == "cancelled"


def test_sending_waits_for_reading_and_refuses_a_failed_chip(qtbot: QtBot, composer: Composer) -> None:
    sent: list[tuple[str, object]] = []
    refusals: list[str] = []
    composer.send_requested.connect(lambda text, documents: sent.append((text, documents)))
    composer.refused.connect(refusals.append)
    gate = Gate(REPORT)
    pending = add_gated(composer, gate)
    QTest.keyClicks(composer.input, "What changed?")
    composer.button.click()
    assert refusals == ["Wait until report.pdf has been read."]
    bad = Gate(DocumentError("“a.exe” cannot be read."))
    bad.release.set()
    failed = add_gated(composer, bad, "a.exe")
    gate.release.set()
    qtbot.waitUntil(lambda: pending.state == READY and failed.state == FAILED)
    composer.button.click()
    assert refusals[-1] == "Remove “a.exe” (it could not be read) before sending."
    assert sent == []
    assert composer.input.toPlainText() == "What changed?", "the typed text stays"
    assert len(composer.attachments.chips) == 2, "and so do the chips"
    failed_chip = composer.attachments.chips[1]
    assert failed_chip.remove_button is not None
    failed_chip.remove_button.click()
    composer.button.click()
    assert sent == [("What changed?", [REPORT])]
    taken = composer.clear()
    assert taken == (pending,)
    assert not composer.attachments.chips and composer.input.toPlainText() == ""


def test_documents_alone_can_be_sent(qtbot: QtBot, composer: Composer) -> None:
    gate = Gate(REPORT)
    gate.release.set()
    pending = add_gated(composer, gate)
    qtbot.waitUntil(lambda: pending.state == READY)
    with qtbot.waitSignal(composer.send_requested) as sent:
        composer.button.click()
    assert sent.args == ["", [REPORT]]


def test_the_attach_button_says_the_limit_and_reads_the_chosen_file(
    qtbot: QtBot, composer: Composer, tmp_path: Path
) -> None:
    assert "Up to 100 MB per file" in composer.attach_button.toolTip()
    notes = tmp_path / "notes.md"
    notes.write_text("# Plan\n\nShip the attachments.\n", encoding="utf-8")
    composer.choose_files = lambda: [str(notes)]
    composer.attach_button.click()
    (pending,) = composer.attachments.pending
    qtbot.waitUntil(lambda: pending.state == READY)
    assert pending.document is not None and "Ship the attachments." in pending.document.text
    assert only_chip(composer).detail.text().startswith("Markdown · ")


def paste(composer: Composer, mime: QMimeData) -> None:
    clipboard = QGuiApplication.clipboard()
    clipboard.setMimeData(mime)
    composer.input.setFocus()
    composer.input.paste()


@pytest.mark.parametrize(
    ("choice", "chips", "typed"), [("attach", 1, ""), ("paste", 0, "x"), ("cancel", 0, "")]
)
def test_a_long_paste_is_offered_as_an_attachment(
    qtbot: QtBot, composer: Composer, choice: Any, chips: int, typed: str
) -> None:
    text = "A long log line.\n" * (LONG_PASTE_CHARS // 10)
    offered: list[int] = []

    def decide(pasted: str) -> Any:
        offered.append(len(pasted))
        return choice

    composer.paste_choice = decide
    mime = QMimeData()
    mime.setText(text)
    paste(composer, mime)
    assert offered == [len(text)]
    assert len(composer.attachments.chips) == chips
    assert composer.input.toPlainText() == (text if typed else "")
    if chips:
        (pending,) = composer.attachments.pending
        qtbot.waitUntil(lambda: pending.state == READY)
        assert pending.name == "Pasted text.txt"
        assert pending.document is not None and pending.document.text.startswith("A long log line.")


def test_a_short_paste_is_just_text(composer: Composer) -> None:
    composer.paste_choice = lambda _text: pytest.fail("a short paste is not offered")
    mime = QMimeData()
    mime.setText("just a few words")
    paste(composer, mime)
    assert composer.input.toPlainText() == "just a few words"
    assert composer.attachments.chips == ()


def test_a_pasted_file_is_offered_to_the_window(qtbot: QtBot, composer: Composer, tmp_path: Path) -> None:
    table = tmp_path / "prices.csv"
    table.write_text("item,price\ntea,3\n", encoding="utf-8")
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(table)), QUrl.fromLocalFile(str(tmp_path / "missing.txt"))])
    with qtbot.waitSignal(composer.files_offered) as offered:
        paste(composer, mime)
    assert offered.args == [[str(table)]], "missing files are left out"
    assert composer.input.toPlainText() == "", "no file path is pasted as text"


def test_the_viewer_shows_the_text_with_page_markers_and_goes_to_a_page(qtbot: QtBot) -> None:
    pages = [f"Page {n} says: " + "words " * 200 for n in range(1, 9)]
    document = replace(paged_document("long.pdf", pages), notes=("Page 8 has no text layer.",))
    viewer = DocumentViewer(document)
    qtbot.addWidget(viewer)
    viewer.show()
    qtbot.waitExposed(viewer)
    assert viewer.windowTitle() == f"long.pdf — {describe(document)}"
    shown = viewer.text_view.toPlainText()
    assert shown.startswith("[Page 1]\nPage 1 says:")
    assert "\n[Page 5]\nPage 5 says:" in shown
    assert viewer.notes.text() == "Page 8 has no text layer." and viewer.notes.isVisible()
    assert viewer.text_view.isReadOnly()
    assert viewer.show_page(5)
    assert viewer.current_line() == "[Page 5]"
    assert viewer.text_view.firstVisibleBlock().text() == "[Page 5]", "scrolled to the top of the view"
    assert not viewer.show_page(99)


def test_the_passage_viewer_says_where_the_passage_is(qtbot: QtBot) -> None:
    viewer = PassageViewer("report.pdf", 4, "Revenue grew by 12%.", attachment_id=5)
    qtbot.addWidget(viewer)
    assert viewer.heading.text() == "report.pdf, page 4"
    assert viewer.text_view.toPlainText() == "Revenue grew by 12%."
    with qtbot.waitSignal(viewer.open_document_requested) as wanted:
        viewer.whole_button.click()
    assert wanted.args == [5, 4]


def test_citations_become_app_links_outside_code_only() -> None:
    citations = citations_for(STATS)
    rendered = render_markdown(
        "Revenue grew [report.pdf p. 4], see also [report.pdf p. 99] and [notes.txt p. 2].\n\n"
        "`[report.pdf p. 4]` and [report.pdf p. 12](https://example.com/)\n"
    )
    html = linkify_citations(rendered, citations).html
    assert '<a href="hearth-passage:41">[report.pdf p. 4]</a>' in html
    assert "[report.pdf p. 99]" in html and "hearth-passage:99" not in html, "only exact labels"
    assert '<a href="hearth-document:6#2">[notes.txt p. 2]</a>' in html, "a page of a whole document"
    assert '<code style="background-color:#eceff2;">[report.pdf p. 4]</code>' in html
    assert html.count("hearth-passage:") == 1
    assert "".join(linkify_citations(rendered, citations).parts) == html
    assert linkify_citations(rendered, Citations({}, {})) is rendered


def test_a_hostile_document_name_stays_text() -> None:
    name = '<img src=x onerror="alert(1)">.pdf'
    stats = {
        "documents": [
            {
                "attachment_id": 1,
                "name": name,
                "mode": "passages",
                "passages_used": 1,
                "passages_total": 3,
                "passages": [{"chunk_id": 2, "label": f"{name} p. 1"}],
            }
        ]
    }
    html = linkify_citations(
        render_markdown(f"See [{name} p. 1]."), citations_for(ReplyStats.from_json(stats))
    ).html
    assert "<img" not in html
    assert '<a href="hearth-passage:2">' in html


def test_parse_link() -> None:
    assert parse_link("hearth-passage:41") is not None
    assert parse_link("hearth-document:6#2") == parse_link("hearth-document:6#2")
    link = parse_link("hearth-document:6#2")
    assert link is not None and (link.attachment_id, link.page) == (6, 2)
    assert parse_link("https://example.com/") is None
    assert parse_link("hearth-passage:abc") is None


def test_a_reply_says_how_documents_were_used_and_links_its_sources(qtbot: QtBot) -> None:
    reply = ReplyWidget(1)
    qtbot.addWidget(reply)
    reply.append_answer("Revenue grew [report.pdf p. 4].")
    reply.finish("done", STATS)
    line = reply.documents_line
    assert line.isVisibleTo(reply)
    assert line.summaries == [
        "Used the 6 most relevant passages of 212 from report.pdf",
        "Read the whole document: notes.txt",
    ]
    assert line.sources == ["report.pdf p. 4", "report.pdf p. 12", "notes.txt"]
    assert 'href="hearth-passage:41"' in reply.answer_view.toHtml()
    web: list[str] = []
    reply.link_activated.connect(web.append)
    with qtbot.waitSignal(reply.document_link_activated) as clicked:
        reply.answer_view.anchorClicked.emit(QUrl("hearth-passage:41"))
    assert clicked.args == ["hearth-passage:41"]
    with qtbot.waitSignal(reply.document_link_activated) as clicked:
        line.linkActivated.emit("hearth-document:6")
    assert clicked.args == ["hearth-document:6"]
    line.linkActivated.emit("https://example.com/")  # never from our own line, and never opened
    assert web == [], "an app link never goes to the browser"


def test_a_reply_without_documents_has_no_documents_line(qtbot: QtBot) -> None:
    reply = ReplyWidget(1)
    qtbot.addWidget(reply)
    reply.append_answer("Hi.")
    reply.finish("done", ReplyStats(completion_tokens=1))
    assert not reply.documents_line.isVisibleTo(reply)


def test_sent_chips_are_not_removable_and_open_on_click(qtbot: QtBot) -> None:
    view = ChatView()
    view.resize(700, 500)
    qtbot.addWidget(view)
    view.show()
    message = view.add_user_message(1, "", [SentAttachment.from_document(REPORT)])
    (chip,) = message.attachments.chips
    assert chip.remove_button is None
    assert not message.bubble.isVisibleTo(message), "no empty bubble for a message of documents only"
    assert chip.detail.text().startswith("PDF · 2.3 MB · 3 pages")
    with qtbot.waitSignal(view.attachment_open_requested) as opened:
        QTest.mouseClick(chip, Qt.MouseButton.LeftButton)
    assert isinstance(opened.args[0], SentAttachment) and opened.args[0].document is REPORT


def test_chips_follow_the_dark_theme(qtbot: QtBot, composer: Composer) -> None:
    gate = Gate(DocumentError("“x.bin” is not text."))
    gate.release.set()
    pending = add_gated(composer, gate, "x.bin")
    qtbot.waitUntil(lambda: pending.state == FAILED)
    chip = only_chip(composer)
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    try:
        apply_theme(app, "dark")
        qtbot.waitUntil(
            lambda: chip.detail.palette().color(QPalette.ColorRole.WindowText).name() == "#ff8787"
        )
    finally:
        apply_theme(app, "light")
    qtbot.waitUntil(lambda: chip.detail.palette().color(QPalette.ColorRole.WindowText).name() == "#c92a2a")


def test_reading_documents_never_holds_up_quick_jobs(qtbot: QtBot, composer: Composer) -> None:
    shared = QThreadPool.globalInstance()
    threads = shared.maxThreadCount()
    shared.setMaxThreadCount(2)  # a 2-core laptop's pool, whatever this machine has
    gates = [Gate(REPORT) for _ in range(3)]
    try:
        for index, gate in enumerate(gates):
            add_gated(composer, gate, f"report-{index}.pdf")
        qtbot.waitUntil(lambda: all(gate.cancelled is not None for gate in gates[:READERS_AT_ONCE]))
        with qtbot.waitCallback(timeout=5_000) as callback:
            run_job(lambda: "opened", callback)
        callback.assert_called_with("opened")
        assert [p.state for p in composer.attachments.pending] == [READING] * 3
    finally:
        for gate in gates:
            gate.release.set()
        qtbot.waitUntil(lambda: all(p.state == READY for p in composer.attachments.pending))
        shared.setMaxThreadCount(threads)

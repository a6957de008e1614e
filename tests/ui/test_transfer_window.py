"""Export and import from the real window: a conversation's own Export… in the sidebar, File > Export all and
File > Import, each writing or reading a real file in the background and saying what happened."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from PySide6.QtWidgets import QFileDialog, QMessageBox
from pytestqt.qtbot import QtBot

from tests.fixtures.window import Harness

pytestmark = pytest.mark.usefixtures("themed_app")
TIMEOUT_MS = 10_000


def menu_action(harness: Harness, text: str) -> None:
    (action,) = [a for a in harness.window.actions() if a.text().replace("&", "") == text]
    action.trigger()


def filled(harness: Harness) -> int:
    store = harness.store
    cid = store.create_conversation("Trip <plans>")
    question = store.add_message(cid, "user", "Where to stay? <script>alert(1)</script>")
    store.add_message(cid, "assistant", "In **Alfama**.", parent_id=question, reasoning="Think of old town.")
    other = store.create_conversation("Soup")
    store.add_message(other, "user", "A soup?")
    harness.window.refresh_conversations()
    harness.qtbot.waitUntil(lambda: len(harness.window.sidebar.conversation_ids()) == 2, timeout=TIMEOUT_MS)
    return cid


def test_a_conversation_exports_as_a_web_page_from_the_sidebar(
    harness: Harness, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    cid = filled(harness)
    target = tmp_path / "out" / "trip"  # no ending: the chosen format gives it one
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *_a, **_k: (str(target), "Web page (*.html)"))
    monkeypatch.setattr(QMessageBox, "question", lambda *_a, **_k: QMessageBox.StandardButton.Yes)
    harness.window.sidebar.list.export_requested.emit(cid, "Trip <plans>")
    page = target.with_suffix(".html")
    harness.qtbot.waitUntil(page.exists, timeout=TIMEOUT_MS)
    text = page.read_text(encoding="utf-8")
    assert "Trip &lt;plans&gt;" in text and "<script>alert" not in text
    assert "Think of old town." in text, "the reasoning was asked for"
    assert "Soup" not in text, "only that conversation"
    harness.qtbot.waitUntil(harness.window.banner.isVisible, timeout=TIMEOUT_MS)
    assert harness.window.banner.message.text() == f"Exported to {page}."


def test_export_all_then_import_into_another_history(
    qtbot: QtBot, harness: Harness, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    filled(harness)
    target = tmp_path / "all.json"
    json_filter = "Hearth JSON, everything, can be imported again (*.json)"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *_a, **_k: (str(target), json_filter))
    menu_action(harness, "Export all conversations…")
    qtbot.waitUntil(target.exists, timeout=TIMEOUT_MS)
    assert len(json.loads(target.read_text(encoding="utf-8"))["conversations"]) == 2

    other = Harness(qtbot, tmp_path / "other.sqlite3", tmp_path / "other-settings.json")
    try:
        monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *_a, **_k: (str(target), ""))
        menu_action(other, "Import conversations…")
        qtbot.waitUntil(lambda: len(other.window.sidebar.conversation_ids()) == 2, timeout=TIMEOUT_MS)
        assert other.window.banner.message.text() == "Imported 2 conversations (3 messages) from all.json."
        titles = sorted(c.title for c in other.store.list_conversations())
        assert titles == ["Soup", "Trip <plans>"]
    finally:
        other.close()


def test_a_damaged_import_says_why_and_changes_nothing(
    harness: Harness, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    filled(harness)
    damaged = tmp_path / "conversations.json"
    damaged.write_text('[{"title": "cut off", "mapping": {', encoding="utf-8")
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *_a, **_k: (str(damaged), ""))
    menu_action(harness, "Import conversations…")
    harness.qtbot.waitUntil(harness.window.banner.isVisible, timeout=TIMEOUT_MS)
    message = harness.window.banner.message.text()
    assert "conversations.json" in message and "\n" not in message
    assert not harness.window.banner.open_log.isVisible(), "a damaged file is no bug"
    assert len(harness.store.list_conversations()) == 2

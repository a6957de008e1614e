"""Help on a real window: the guide (F1), the shortcut sheet (Ctrl+/) and About, all offline."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QKeySequence
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QTableWidget

from app.ui.about_dialog import AboutDialog
from app.ui.help_window import TOPIC_HOST
from app.ui.resources import resources_dir
from app.ui.shortcut_sheet import ShortcutSheet
from app.ui.shortcuts import SHORTCUTS
from tests.fixtures.tiny_models import TinyModel
from tests.fixtures.window import Harness

pytestmark = pytest.mark.usefixtures("themed_app")
TIMEOUT_MS = 30_000
TOPICS = (
    "Getting started",
    "Choosing a model",
    "Chatting",
    "Documents",
    "History and search",
    "Privacy",
    "Keyboard shortcuts",
    "Troubleshooting",
)
# How the guide's pages write keys, per language, in Qt's portable spelling.
KEY_WORDS = {
    "en": {"Enter": "Return", "Delete": "Del"},
    "de": {"Strg": "Ctrl", "Umschalt": "Shift", "Eingabetaste": "Return", "Entf": "Del"},
}


def shortcut_table(language: str) -> list[tuple[str, str]]:
    page = (resources_dir() / "help" / language / "07-keyboard-shortcuts.md").read_text(encoding="utf-8")
    rows = re.findall(r"^\| (.+?) \| (.+?) \|$", page, flags=re.MULTILINE)
    return [(action, keys) for action, keys in rows[1:] if not set(keys) <= {"-"}]


def portable(keys: str, language: str) -> str:
    for word, qt_word in KEY_WORDS[language].items():
        keys = re.sub(rf"\b{word}\b", qt_word, keys)
    return keys


def test_f1_opens_the_guide_and_its_links_lead_between_topics(harness: Harness, screenshots: Path) -> None:
    window = harness.window
    window.activateWindow()
    QTest.keyClick(window, Qt.Key.Key_F1)
    guide = window.guide
    assert guide is not None and guide.isVisible()
    harness.qtbot.waitUntil(lambda: guide.list.count() == len(TOPICS), timeout=TIMEOUT_MS)
    assert [guide.list.item(i).text() for i in range(guide.list.count())] == list(TOPICS)
    assert guide.page.toPlainText().startswith("Getting started")
    assert guide.grab().save(str(screenshots / "guide.png"))

    guide.page.anchorClicked.emit(QUrl(f"https://{TOPIC_HOST}/04-documents.md"))
    assert guide.list.currentItem().text() == "Documents"
    assert "Documents" in guide.page.toPlainText()
    shortcuts_page = guide.topics[TOPICS.index("Keyboard shortcuts")].html
    assert "<table" in shortcuts_page, "the shortcuts page is a table"
    assert not any("](" in topic.html for topic in guide.topics), "no Markdown left unrendered"


def test_every_topic_links_only_to_topics_that_exist() -> None:
    for language in ("en", "de"):
        folder = resources_dir() / "help" / language
        files = {p.name for p in folder.glob("*.md")}
        assert len(files) == len(TOPICS)
        for page in folder.glob("*.md"):
            for target in re.findall(r"\]\(([^)]+)\)", page.read_text(encoding="utf-8")):
                assert target in files or target.startswith("https://"), (language, page.name, target)


def test_the_guide_comes_in_german_too(harness: Harness) -> None:
    harness.window._language = "de"
    guide = harness.window.open_guide()
    harness.qtbot.waitUntil(lambda: guide.list.count() == len(TOPICS), timeout=TIMEOUT_MS)
    assert guide.list.item(0).text() == "Erste Schritte"


@pytest.mark.parametrize("language", ["en", "de"])
def test_the_guide_lists_the_shortcuts_the_app_has(language: str) -> None:
    rows = shortcut_table(language)
    written = [portable(keys, language) for _action, keys in rows]
    assert written == [entry.keys.toString(QKeySequence.SequenceFormat.PortableText) for entry in SHORTCUTS]
    if language == "en":
        assert [action for action, _keys in rows] == [entry.description for entry in SHORTCUTS]


def test_ctrl_slash_shows_every_shortcut_and_the_menus_use_them(harness: Harness) -> None:
    window = harness.window
    window.activateWindow()
    QTest.keyClick(window, Qt.Key.Key_Slash, Qt.KeyboardModifier.ControlModifier)
    sheet = next(w for w in QApplication.topLevelWidgets() if isinstance(w, ShortcutSheet) and w.isVisible())
    table = sheet.findChild(QTableWidget)
    assert table is not None and table.rowCount() == len(SHORTCUTS)
    first = table.item(0, 0)
    assert first is not None and first.text() == "New chat"
    sheet.close()
    listed = {entry.keys.toString() for entry in SHORTCUTS}
    menu_keys = {a.shortcut().toString() for a in window.actions() if not a.shortcut().isEmpty()}
    assert menu_keys <= listed, "a menu shortcut missing from the sheet"
    assert {"Ctrl+N", "Ctrl+K", "Ctrl+,", "Ctrl+Shift+M", "Ctrl+O", "F1", "Ctrl+/", "Ctrl+Q"} <= menu_keys


def test_about_names_the_versions_and_every_licence(harness: Harness, screenshots: Path) -> None:
    about = AboutDialog(harness.window)
    harness.qtbot.addWidget(about)
    about.show()
    harness.qtbot.waitUntil(lambda: about.components.count() > 5, timeout=TIMEOUT_MS)
    names = [notice.name for notice in about.notices]
    assert names[0] == "gpt-oss" and "Apache License" in about.licence_text.toPlainText()
    assert {"llama.cpp", "Qt", "Python", "PySide6-Essentials"} <= set(names)
    assert all(notice.text.strip() for notice in about.notices)
    assert about.grab().save(str(screenshots / "about.png"))


def test_copy_diagnostics_puts_the_report_on_the_clipboard(harness: Harness, plain_model: TinyModel) -> None:
    harness.load(plain_model.path)
    window = harness.window
    (action,) = [a for a in window.actions() if a.text() == "&Copy diagnostics"]
    action.trigger()
    clipboard = QApplication.clipboard()
    harness.qtbot.waitUntil(lambda: clipboard.text().startswith("Hearth "), timeout=TIMEOUT_MS)
    report = clipboard.text()
    assert f"Model: {plain_model.path} (loaded)" in report
    placement = window.model_bar.status.text()
    assert placement.startswith("CPU, ") and placement in report, "where it runs, as the model bar says"
    assert "Diagnostics copied" in window.banner.message.text()

"""The German window shows no English: every text a person reads on the main screens is translated.

The same screens are built in English and in German; a text that reads the same in both and has English
words in it was missed (not marked for translation, or marked but not translated). Names (Hearth, model
names, file paths) are the same in every language and are left out.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QThreadPool
from PySide6.QtWidgets import (
    QAbstractButton,
    QApplication,
    QComboBox,
    QGroupBox,
    QLabel,
    QLineEdit,
    QListWidget,
    QPlainTextEdit,
    QTableWidget,
    QWidget,
)
from pytestqt.qtbot import QtBot

from app.config import Settings
from app.ui.about_dialog import AboutDialog
from app.ui.shortcut_sheet import ShortcutSheet
from app.ui.translation import install_language
from tests.fixtures.tiny_models import TinyModel
from tests.fixtures.window import Harness

pytestmark = pytest.mark.usefixtures("themed_app")
TIMEOUT_MS = 30_000

# The same in every language: names, and words German shares with English.
NAMES = re.compile(
    r"^(Hearth( [\d.]+)?|Hugging Face|gpt-oss.*|llama\.cpp.*|tiny-.*|Qt .*|Python.*|English|Deutsch|"
    r"OK|Esc|Token|Top-p|GPU)$"
)

# Lists of the user's data or of names: their titles, the bundled software's names.
DATA_LISTS = {"conversationList", "licenceList"}


def texts(top: QWidget) -> set[str]:
    """Every text a person can read (or hear, from a screen reader) in `top`'s visible widgets."""
    found: set[str] = {top.windowTitle()}
    for widget in [top, *top.findChildren(QWidget)]:
        if not widget.isVisibleTo(top) and widget is not top:
            continue
        found |= {widget.toolTip(), widget.accessibleName()}
        if isinstance(widget, QLabel | QAbstractButton):
            found.add(widget.text())
        if isinstance(widget, QLineEdit | QPlainTextEdit):
            found.add(widget.placeholderText())
        if isinstance(widget, QGroupBox):
            found.add(widget.title())
        if isinstance(widget, QComboBox):
            found |= {widget.itemText(i) for i in range(widget.count())}
        if isinstance(widget, QListWidget) and widget.objectName() not in DATA_LISTS:
            found |= {widget.item(i).text() for i in range(widget.count())}
        if isinstance(widget, QTableWidget):
            found |= {
                item.text() for r in range(widget.rowCount()) for c in range(2) if (item := widget.item(r, c))
            }
    for action in top.actions():
        found |= {action.text(), action.toolTip()}
    return {text for text in found if text}


def english_words(text: str) -> bool:
    plain = re.sub(r"&(?=\w)", "", text)  # menu mnemonics
    return bool(re.search(r"[A-Za-z]{2,}", plain)) and not NAMES.match(plain)


def settle() -> None:
    for _ in range(30):
        QApplication.processEvents()
        QThreadPool.globalInstance().waitForDone(10)


@pytest.fixture
def language(qapp: QApplication) -> Iterator[None]:
    yield
    install_language(qapp, "en")


def screens(qtbot: QtBot, tmp_path: Path, model: TinyModel, name: str) -> dict[str, set[str]]:
    """The main screens' texts, in whichever language is installed now."""
    folder = tmp_path / name
    folder.mkdir()
    db, settings_path, chosen = folder / "history.sqlite3", folder / "s.json", Settings(n_ctx=2048)
    harness = Harness(qtbot, db, settings_path, settings=chosen, data_root=folder, language=name)
    try:
        harness.load(model.path)
        harness.ask("Hi there!")
        window = harness.window
        found = {"window": texts(window)}
        # The menus' titles; their commands are the window's actions, which texts() reads.
        found["window"] |= {menu.text() for menu in window.menuBar().actions()}
        settings = window.open_settings()
        for section in ("model", "appearance", "privacy", "language"):
            settings.show_section(section)
            settle()
            found[f"settings {section}"] = texts(settings)
        settings.reject()
        guide = window.open_guide()
        qtbot.waitUntil(lambda: guide.list.count() > 0, timeout=TIMEOUT_MS)
        found["guide"] = texts(guide)
        for dialog in (ShortcutSheet(window), AboutDialog(window)):
            dialog.show()
            settle()
            found[type(dialog).__name__] = texts(dialog)
            dialog.close()
        manager = window.models.open_manager()
        assert manager is not None
        settle()
        found["models"] = texts(manager)
        return found
    finally:
        harness.close()


def test_the_german_window_shows_no_english(
    qtbot: QtBot, qapp: QApplication, tmp_path: Path, harmony_model: TinyModel, language: None
) -> None:
    assert install_language(qapp, "en") == "en"
    english = screens(qtbot, tmp_path, harmony_model, "en")
    assert install_language(qapp, "de") == "de"
    german = screens(qtbot, tmp_path, harmony_model, "de")
    untranslated = {
        screen: sorted(text for text in german[screen] & english[screen] if english_words(text))
        for screen in german
    }
    assert untranslated == {screen: [] for screen in german}

"""Every keyboard shortcut, in one table: the menus take their keys from here and the shortcut sheet
(Ctrl+/) lists it, so the two can never disagree. The guide's shortcuts page is held to it by a test."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication
from PySide6.QtGui import QKeySequence


@dataclass(frozen=True)
class Shortcut:
    name: str  # the action's name in the menus and the code
    # A portable string or a standard key. The QKeySequence is made when asked for: making one before
    # the application exists crashes Qt.
    key: str | QKeySequence.StandardKey
    description: str  # marked for translation; shown through `describe()`

    @property
    def keys(self) -> QKeySequence:
        return QKeySequence(self.key)


SHORTCUTS: tuple[Shortcut, ...] = (
    Shortcut("new_chat", QKeySequence.StandardKey.New, str(QT_TRANSLATE_NOOP("Shortcuts", "New chat"))),
    Shortcut("search", "Ctrl+K", str(QT_TRANSLATE_NOOP("Shortcuts", "Search conversations"))),
    Shortcut("settings", "Ctrl+,", str(QT_TRANSLATE_NOOP("Shortcuts", "Settings"))),
    Shortcut("manage_models", "Ctrl+Shift+M", str(QT_TRANSLATE_NOOP("Shortcuts", "Manage models"))),
    Shortcut("open_model", "Ctrl+O", str(QT_TRANSLATE_NOOP("Shortcuts", "Open a .gguf model file"))),
    Shortcut("attach", "Ctrl+Shift+A", str(QT_TRANSLATE_NOOP("Shortcuts", "Attach documents"))),
    Shortcut("send", "Return", str(QT_TRANSLATE_NOOP("Shortcuts", "Send the message"))),
    Shortcut("new_line", "Shift+Return", str(QT_TRANSLATE_NOOP("Shortcuts", "New line in the message"))),
    Shortcut("stop", "Esc", str(QT_TRANSLATE_NOOP("Shortcuts", "Stop the reply"))),
    Shortcut("rename", "F2", str(QT_TRANSLATE_NOOP("Shortcuts", "Rename the selected conversation"))),
    Shortcut(
        "delete",
        QKeySequence.StandardKey.Delete,
        str(QT_TRANSLATE_NOOP("Shortcuts", "Delete the selected conversation")),
    ),
    Shortcut("guide", "F1", str(QT_TRANSLATE_NOOP("Shortcuts", "Open the guide"))),
    Shortcut("shortcut_sheet", "Ctrl+/", str(QT_TRANSLATE_NOOP("Shortcuts", "Keyboard shortcuts"))),
    Shortcut("quit", "Ctrl+Q", str(QT_TRANSLATE_NOOP("Shortcuts", "Quit"))),
)


def shortcut(name: str) -> Shortcut:
    return next(s for s in SHORTCUTS if s.name == name)


def keys(name: str) -> QKeySequence:
    return shortcut(name).keys


def describe(entry: Shortcut) -> str:
    return QCoreApplication.translate("Shortcuts", entry.description)


def keys_for(name: str) -> str:
    """The keys of the shortcut `name` as this platform and language write them, for a tooltip."""
    return key_text(shortcut(name))


def key_text(entry: Shortcut) -> str:
    """The keys as this platform writes them (Ctrl+N here, ⌘N on a Mac, Strg+N in German)."""
    text = entry.keys.toString(QKeySequence.SequenceFormat.NativeText)
    # Qt names the Enter key "Return" in every language; keyboards and the guide call it Enter.
    return text.replace("Return", QCoreApplication.translate("Shortcuts", "Enter"))

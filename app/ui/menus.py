"""The window's menu bar: every command in one findable place, with its keyboard shortcut beside it."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QCoreApplication
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMainWindow


def _tr(text: str) -> str:
    return QCoreApplication.translate("Menus", text)


def _action(
    window: QMainWindow, text: str, slot: Callable[[], object], shortcut: QKeySequence | None = None
) -> QAction:
    action = QAction(text, window)
    if shortcut is not None:
        action.setShortcut(shortcut)
    action.triggered.connect(lambda _checked=False: slot())
    window.addAction(action)  # its shortcut works wherever the focus is, menu open or not
    return action


def add_file_menu(
    window: QMainWindow,
    *,
    new_chat: Callable[[], object],
    search: Callable[[], object],
    import_conversations: Callable[[], object],
    export_all: Callable[[], object],
) -> None:
    menu = window.menuBar().addMenu(_tr("&File"))
    menu.addAction(_action(window, _tr("&New chat"), new_chat, QKeySequence(QKeySequence.StandardKey.New)))
    menu.addAction(_action(window, _tr("&Search conversations…"), search, QKeySequence("Ctrl+K")))
    menu.addSeparator()
    menu.addAction(_action(window, _tr("&Import conversations…"), import_conversations))
    menu.addAction(_action(window, _tr("&Export all conversations…"), export_all))
    menu.addSeparator()
    menu.addAction(_action(window, _tr("&Quit"), window.close, QKeySequence(QKeySequence.StandardKey.Quit)))

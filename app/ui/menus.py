"""The window's menu bar: every command in one findable place, with its keyboard shortcut beside it
(the keys come from app.ui.shortcuts, the one table of them)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from PySide6.QtCore import QCoreApplication
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QMainWindow

from app.ui.icons import themed_icon
from app.ui.shortcuts import keys


@dataclass(frozen=True)
class Command:
    text: str
    run: Callable[[], object]
    shortcut: str | None = None  # a name in app.ui.shortcuts
    icon: str | None = None
    role: QAction.MenuRole = QAction.MenuRole.NoRole  # where macOS puts it (Settings, About, Quit)


SEPARATOR = None


# lupdate collects the words only from calls written out with two literal strings.
translate = QCoreApplication.translate


def add_menu(window: QMainWindow, title: str, commands: Sequence[Command | None]) -> dict[str, QAction]:
    """A menu of `commands` (None: a separator); returns the actions by their text."""
    menu = window.menuBar().addMenu(title)
    actions: dict[str, QAction] = {}
    for command in commands:
        if command is None:
            menu.addSeparator()
            continue
        action = QAction(command.text, window)
        if command.icon:
            action.setIcon(themed_icon(command.icon))
        if command.shortcut:
            action.setShortcut(keys(command.shortcut))
        action.setMenuRole(command.role)
        run = command.run
        action.triggered.connect(lambda _checked=False, run=run: run())
        window.addAction(action)  # its shortcut works wherever the focus is, menu open or not
        menu.addAction(action)
        actions[command.text] = action
    return actions


def add_menus(
    window: QMainWindow,
    *,
    new_chat: Callable[[], object],
    search: Callable[[], object],
    open_model: Callable[[], object],
    manage_models: Callable[[], object],
    attach: Callable[[], object],
    import_conversations: Callable[[], object],
    export_all: Callable[[], object],
    settings: Callable[[], object],
    guide: Callable[[], object],
    shortcut_sheet: Callable[[], object],
    diagnostics: Callable[[], object],
    about: Callable[[], object],
) -> None:
    role = QAction.MenuRole
    add_menu(
        window,
        translate("Menus", "&File"),
        [
            Command(translate("Menus", "&New chat"), new_chat, "new_chat", "new-chat"),
            Command(translate("Menus", "&Search conversations…"), search, "search", "search"),
            Command(translate("Menus", "&Attach documents…"), attach, "attach", "attach"),
            SEPARATOR,
            Command(translate("Menus", "&Manage models…"), manage_models, "manage_models", "models"),
            Command(translate("Menus", "&Open a .gguf model file…"), open_model, "open_model", "folder"),
            SEPARATOR,
            Command(translate("Menus", "&Import conversations…"), import_conversations, icon="import"),
            Command(translate("Menus", "&Export all conversations…"), export_all, icon="export"),
            SEPARATOR,
            Command(translate("Menus", "Se&ttings…"), settings, "settings", "settings", role.PreferencesRole),
            SEPARATOR,
            Command(translate("Menus", "&Quit"), window.close, "quit", role=role.QuitRole),
        ],
    )
    add_menu(
        window,
        translate("Menus", "&Help"),
        [
            Command(translate("Menus", "Hearth &guide"), guide, "guide", "help"),
            Command(translate("Menus", "&Keyboard shortcuts"), shortcut_sheet, "shortcut_sheet", "keyboard"),
            SEPARATOR,
            Command(translate("Menus", "&Copy diagnostics"), diagnostics, icon="copy"),
            Command(translate("Menus", "&About Hearth"), about, icon="info", role=role.AboutRole),
        ],
    )

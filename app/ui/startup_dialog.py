"""What the window shows when it cannot start, and Qt's own start watched so it never crashes instead.

A problem found before the window exists (a data folder Hearth cannot use, a damaged history, a bug) is
shown in a dialog with its plain words (app.startup has logged it). A window system that cannot start
(no display, a platform plugin missing) leaves nothing to show a dialog on, and Qt would abort the whole
process with its own lines on stderr; while the application is made, its fatal message is caught and
Hearth ends with one line and the log instead.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Iterator
from contextlib import contextmanager

from PySide6.QtCore import QCoreApplication, QMessageLogContext, Qt, QtMsgType, qInstallMessageHandler
from PySide6.QtWidgets import QMessageBox

from app.logs import current_log_file, say_on_terminal
from app.startup import EXIT_CANNOT_START, Bug, one_line
from app.ui.error_hooks import log_qt_message

log = logging.getLogger("hearth.ui")


def show_startup_problem(text: str) -> None:
    """A dialog with `text` (the problem's plain words) that waits for the user's OK."""
    box = QMessageBox(
        QMessageBox.Icon.Critical,
        QCoreApplication.translate("StartupDialog", "Hearth cannot start"),
        text,
        QMessageBox.StandardButton.Ok,
    )
    # The words name a folder or a log file the user may want to copy into a file manager.
    box.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    box.exec()


def bug_words(bug: Bug) -> str:
    """An unexpected failure of the start, for the dialog: where the details are, or what it was."""
    if bug.log_file is not None:
        return QCoreApplication.translate(
            "StartupDialog",
            "Hearth could not start because of an unexpected problem. "
            "The details are in the log file “{path}”.",
        ).format(path=bug.log_file)
    return QCoreApplication.translate(
        "StartupDialog", "Hearth could not start because of an unexpected problem: {summary}"
    ).format(summary=bug.summary)


@contextmanager
def qt_messages_while_starting() -> Iterator[None]:
    """Qt's messages until the window takes them over (app.ui.error_hooks): to the log when it is open,
    and otherwise dropped, so a warning about window hints cannot crowd the one line a failed start
    prints. A fatal one ends Hearth with one line, logged when the log is open."""
    seen: list[str] = []  # what Qt said before giving up: the platform plugin, the display

    def handler(kind: QtMsgType, context: QMessageLogContext, message: str) -> None:
        if kind == QtMsgType.QtFatalMsg:
            _window_system_failed(seen, one_line(message))
        seen.append(one_line(message))
        if current_log_file() is not None:
            log_qt_message(kind, context, message)

    previous = qInstallMessageHandler(handler)
    try:
        yield
    finally:
        qInstallMessageHandler(previous)


def _window_system_failed(seen: list[str], fatal: str) -> None:
    log_file = current_log_file()
    if log_file is not None:
        log.critical("no window system could be started: %s", " | ".join([*seen, fatal]))
    # Qt's first words name the cause ("could not connect to display", "Could not find the Qt platform
    # plugin ..."); its last are a generic "reinstall the application".
    cause = seen[0] if seen else fatal
    where = f"; the details are in {log_file}" if log_file else ""
    say_on_terminal(
        f"hearth: error: Hearth cannot open its window: no window system could be started ({cause}){where}"
    )
    logging.shutdown()
    # Returning would let Qt abort the process (a crash report, a core file); the start is over anyway.
    os._exit(EXIT_CANNOT_START)

"""Nothing unexpected goes unseen: exceptions that no code caught, and Qt's own warnings, reach the log.

Python hands an exception raised in a Qt slot, or anywhere on the UI thread, to sys.excepthook; one on
another thread goes to threading.excepthook. Both are logged with their traceback, and the window is told
(through a queued signal, so a worker thread never touches a widget) so it can show the polite line with
a way to the log. Qt's messages go to the "hearth.qt" logger at the matching level.
"""

from __future__ import annotations

import logging
import sys
import threading
from collections.abc import Callable
from types import TracebackType

from PySide6.QtCore import QMessageLogContext, QObject, QtMsgType, Signal, qInstallMessageHandler

log = logging.getLogger("hearth.ui")
qt_log = logging.getLogger("hearth.qt")

_QT_LEVELS = {
    QtMsgType.QtDebugMsg: logging.DEBUG,
    QtMsgType.QtInfoMsg: logging.INFO,
    QtMsgType.QtWarningMsg: logging.WARNING,
    QtMsgType.QtCriticalMsg: logging.ERROR,
    QtMsgType.QtFatalMsg: logging.CRITICAL,
}


class BugReporter(QObject):
    """Emits `bug` on the UI thread for an exception nothing caught, from whichever thread it came."""

    bug = Signal(object)  # the exception


def log_qt_message(kind: QtMsgType, context: QMessageLogContext, message: str) -> None:
    where = f" ({context.file}:{context.line})" if context.file else ""
    qt_log.log(_QT_LEVELS.get(kind, logging.WARNING), "%s%s", message, where)


def install_error_hooks(on_bug: Callable[[BaseException], None], parent: QObject) -> Callable[[], None]:
    """Log every uncaught exception and Qt message; call `on_bug` on the UI thread for each exception.

    Returns a function that puts back the hooks that were there before (for tests).
    """
    reporter = BugReporter(parent)
    reporter.bug.connect(on_bug)
    previous_hook, previous_thread_hook = sys.excepthook, threading.excepthook

    def excepthook(kind: type[BaseException], error: BaseException, traceback: TracebackType | None) -> None:
        if issubclass(kind, KeyboardInterrupt):
            previous_hook(kind, error, traceback)
            return
        log.critical("an error nothing caught", exc_info=(kind, error, traceback))
        reporter.bug.emit(error)

    def thread_excepthook(args: threading.ExceptHookArgs) -> None:
        if args.exc_value is None:
            return
        log.critical(
            "an error nothing caught on thread %s",
            args.thread.name if args.thread else "?",
            exc_info=(args.exc_type, args.exc_value, args.exc_traceback),
        )
        reporter.bug.emit(args.exc_value)

    sys.excepthook = excepthook
    threading.excepthook = thread_excepthook
    previous_qt_handler = qInstallMessageHandler(log_qt_message)

    def restore() -> None:
        sys.excepthook, threading.excepthook = previous_hook, previous_thread_hook
        qInstallMessageHandler(previous_qt_handler)
        reporter.deleteLater()

    return restore

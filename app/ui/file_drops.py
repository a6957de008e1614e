"""Files dropped on a widget, as a signal: the window routes them (a model is imported, anything else
is attached to the next message), so the widgets themselves need no drag-and-drop code."""

from __future__ import annotations

import os
from collections.abc import Iterable

from PySide6.QtCore import QEvent, QObject, QUrl, Signal
from PySide6.QtGui import QDropEvent
from PySide6.QtWidgets import QWidget


def local_files(urls: Iterable[QUrl]) -> list[str]:
    """The local files among `urls`, in order; links to web pages and folders are left out.

    It asks the file system whether each one is a file (a stat per dropped file: quick, and a drag
    that names missing files is refused at the door instead of producing failed chips).
    """
    return [url.toLocalFile() for url in urls if url.isLocalFile() and os.path.isfile(url.toLocalFile())]


class FileDropFilter(QObject):
    """Install on widgets (it turns on their acceptDrops): a drop of local files emits `dropped`."""

    dropped = Signal(list)  # list[str] of paths

    def watch(self, widget: QWidget) -> None:
        widget.setAcceptDrops(True)
        widget.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        kind = event.type()
        if not isinstance(event, QDropEvent):  # QDragEnterEvent and QDragMoveEvent are QDropEvents
            return False
        if kind == QEvent.Type.DragEnter and local_files(event.mimeData().urls()):
            event.acceptProposedAction()
            return True
        if kind == QEvent.Type.DragMove and any(url.isLocalFile() for url in event.mimeData().urls()):
            event.acceptProposedAction()  # entering already checked them
            return True
        if kind == QEvent.Type.Drop:
            paths = local_files(event.mimeData().urls())
            if paths:
                event.acceptProposedAction()
                self.dropped.emit(paths)
                return True
        return False

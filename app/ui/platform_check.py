"""The self-test's window-system probe, run in a child process: a Qt platform plugin that cannot load
aborts the whole process, so the parent only learns of it from the child's exit."""

from __future__ import annotations

import os
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from multiprocessing.connection import Connection


def probe(platform: str, conn: Connection) -> None:
    """Start Qt on `platform`, draw a label into an image, and send (platform, Qt version, colours).

    More than one colour in the image means the text was drawn, so a font was found.
    """
    os.environ["QT_QPA_PLATFORM"] = platform
    from PySide6.QtCore import qVersion
    from PySide6.QtWidgets import QApplication, QLabel

    app = QApplication(["hearth-self-test"])
    label = QLabel("Hearth")
    label.resize(160, 40)
    image = label.grab().toImage()
    colours = {image.pixel(x, y) for x in range(image.width()) for y in range(image.height())}
    conn.send((app.platformName(), qVersion(), len(colours)))
    conn.close()

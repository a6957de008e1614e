"""The self-test's window-system probe, run in a child process: a Qt platform plugin that cannot load
aborts the whole process, so the parent only learns of it from the child's exit."""

from __future__ import annotations

import os
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from multiprocessing.connection import Connection


def probe(platform: str, conn: Connection) -> None:
    """Start Qt on `platform`, draw a label into an image, and send (platform, Qt version, colours,
    whether the German translation loaded).

    More than one colour in the image means the text was drawn, so a font was found. The translation
    is asked for a menu's name, so a build that lost its compiled .qm files is caught here.
    """
    os.environ["QT_QPA_PLATFORM"] = platform
    from PySide6.QtCore import QCoreApplication, qVersion
    from PySide6.QtWidgets import QApplication, QLabel

    from app.ui.translation import install_language

    app = QApplication(["hearth-self-test"])
    label = QLabel("Hearth")
    label.resize(160, 40)
    image = label.grab().toImage()
    colours = {image.pixel(x, y) for x in range(image.width()) for y in range(image.height())}
    german = install_language(app, "de") == "de" and QCoreApplication.translate("Menus", "&File") != "&File"
    conn.send((app.platformName(), qVersion(), len(colours), german))
    conn.close()

"""The words a rendered reply shows of its own ("Copy", "[image: …]"), in the user's language.

app.render has no Qt, so it takes these words as Labels; the window builds them with Qt's translator.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication

from app.render import Labels


def render_labels() -> Labels:
    # "Render" is the context these strings had when the renderer translated them itself, so existing
    # translations still apply.
    return Labels(
        copy=QCoreApplication.translate("Render", "Copy"),
        image=QCoreApplication.translate("Render", "image"),
        image_text=QCoreApplication.translate("Render", "[image: {alt}]"),
    )

"""What the user reads when something fails: their problem in plain words, or a polite line for a bug."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication

from app.errors import UserError


def plain_message(error: BaseException) -> str:
    """What to show the user for `error`: its own words if it is a UserError, else a polite line (a bug,
    which whoever caught it has logged with its stack)."""
    if isinstance(error, UserError):
        return str(error)
    return QCoreApplication.translate("Hearth", "Something went wrong; details are in the log.")

"""What the user reads when something fails: their problem in plain words, or a polite line for a bug."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication

from app.engine import EngineError
from app.models.catalog import CatalogError
from app.models.download import DownloadError
from app.models.library import LibraryError
from app.store import StoreError

# Problems of the user's machine or files, whose messages are written for people. Anything else is
# a bug: it is logged with its stack and the user sees SOMETHING_WENT_WRONG.
KNOWN_ERRORS: tuple[type[Exception], ...] = (
    EngineError,
    StoreError,
    LibraryError,
    CatalogError,
    DownloadError,
)
SOMETHING_WENT_WRONG = "Something went wrong; details are in the log."


def plain_message(error: BaseException) -> str:
    """What to show the user for `error`: its own words if it is a known problem, else a polite line."""
    if isinstance(error, KNOWN_ERRORS):
        return str(error)
    return QCoreApplication.translate("Hearth", SOMETHING_WENT_WRONG)

"""Errors the store raises for people to read, and the mapping from SQLite's failures to them.

Environment problems (disk full, read-only or damaged file, a database that is busy elsewhere)
become a StoreError whose text can be shown as is. Anything else, such as a constraint violation
or bad SQL, is a bug and propagates unchanged so it gets logged with its stack.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import exc as sa_exc

from app.errors import UserError
from app.i18n import translate

# Primary SQLite result codes (https://sqlite.org/rescode.html). Extended codes carry the
# primary one in their low byte, e.g. SQLITE_IOERR_SHORT_READ.
_SQLITE_PERM = 3
_SQLITE_BUSY = 5
_SQLITE_LOCKED = 6
_SQLITE_NOMEM = 7
_SQLITE_READONLY = 8
_SQLITE_IOERR = 10
_SQLITE_CORRUPT = 11
_SQLITE_FULL = 13
_SQLITE_CANTOPEN = 14
_SQLITE_NOTADB = 26


class StoreError(UserError):
    """A problem with the history file that the user can read about and act on."""


class HistoryBusy(StoreError):
    """Another connection kept the history locked for longer than SQLite waits (busy_timeout).

    Unlike the other problems it passes by itself, so a write that can wait (a reply's save while it
    streams) tries again later instead of failing.
    """


def newer_version_error(found: int, known: int) -> StoreError:
    return StoreError(
        translate(
            "History",
            "This history was written by a newer version of Hearth "
            "(history format {found}; this version understands up to {known}). "
            "Update Hearth to open it.",
        ).format(found=found, known=known)
    )


def not_hearth_error(path: Path | str) -> StoreError:
    return StoreError(
        translate("History", "The file {path} is not a Hearth history, so Hearth will not change it.").format(
            path=path
        )
    )


def _primary_code(error: BaseException) -> int | None:
    """SQLite's primary result code for a failure of its own, else None."""
    if isinstance(error, sa_exc.DBAPIError):
        return None if error.orig is None else _primary_code(error.orig)
    code = getattr(error, "sqlite_errorcode", None) if isinstance(error, sqlite3.Error) else None
    return None if code is None else code & 0xFF


def _environment_problem(error: BaseException, path: Path) -> str | None:
    """Plain words for an environment failure, or None when the error is a bug."""
    if isinstance(error, sa_exc.DBAPIError):
        return _environment_problem(error.orig, path) if error.orig is not None else None
    if isinstance(error, sqlite3.Error):
        code = _primary_code(error)
        return None if code is None else _message_for_code(code, path)
    if isinstance(error, OSError):
        reason = error.strerror or str(error)
        return translate("History", "Hearth cannot use its history file {path}: {reason}.").format(
            path=path, reason=reason
        )
    return None


def _message_for_code(code: int, path: Path) -> str | None:
    message = _words_for_code(code)
    return None if message is None else message.format(path=path)


def _words_for_code(code: int) -> str | None:
    if code == _SQLITE_NOTADB:
        return translate("History", "The file {path} is not a Hearth history, or it is too damaged to open.")
    if code == _SQLITE_CORRUPT:
        return translate("History", "The history file {path} is damaged, so Hearth cannot read it.")
    if code == _SQLITE_FULL:
        return translate(
            "History",
            "The disk is full, so Hearth could not save your chat history. Free up some space and try again.",
        )
    if code == _SQLITE_READONLY:
        return translate(
            "History",
            "Hearth cannot save to its history file {path} because the file or its folder is read-only.",
        )
    if code in (_SQLITE_PERM, _SQLITE_CANTOPEN):
        return translate(
            "History",
            "Hearth cannot open its history file {path}. "
            "Check that the folder exists and that you are allowed to write to it.",
        )
    if code in (_SQLITE_BUSY, _SQLITE_LOCKED):
        return translate(
            "History", "The chat history is busy, perhaps in another Hearth window. Try again in a moment."
        )
    if code == _SQLITE_IOERR:
        return translate(
            "History", "A disk error stopped Hearth from reading or writing its history file {path}."
        )
    if code == _SQLITE_NOMEM:
        return translate("History", "The computer ran out of memory while Hearth was using its chat history.")
    return None


@contextmanager
def translate_errors(path: Path) -> Iterator[None]:
    """Re-raise environment failures inside the block as StoreError; let bugs through."""
    try:
        yield
    except StoreError:
        raise
    except (sa_exc.DBAPIError, sqlite3.Error, OSError) as error:
        message = _environment_problem(error, path)
        if message is None:
            raise
        busy = _primary_code(error) in (_SQLITE_BUSY, _SQLITE_LOCKED)
        raise (HistoryBusy if busy else StoreError)(message) from error

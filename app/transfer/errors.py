"""The error an export or an import gives the user: one plain sentence about the file, nothing written."""

from __future__ import annotations

from app.errors import UserError


class TransferError(UserError):
    """A file that cannot be imported (damaged, unknown, too new, too big) or an export that cannot be
    made (a conversation that is not there). An import that raises it has changed nothing."""

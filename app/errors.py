"""The one kind of error meant for the user.

A UserError is a problem of the user's machine, files or choices (a damaged model, a full disk, a
password-protected PDF, a download the network cut): str(error) is one plain sentence, shown as it is by
the command line and the window. Every layer's own error class (EngineError, StoreError, DocumentError,
DownloadError, ...) derives from it, so callers catch UserError and never keep lists of classes.

Anything else that escapes is a bug: it is logged with its traceback, and the user reads a polite
"something went wrong" with a way to the log.
"""

from __future__ import annotations


class UserError(Exception):
    """A problem the user can read about and act on; str() is one plain sentence."""

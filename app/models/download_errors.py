"""The errors a model download raises for people to read.

In a module of their own because the Hub's HTTP helpers (hub_http) turn a refused request into a
DownloadError while the download loop, which imports those helpers, raises all three: kept in the loop's
module they would make the two import each other, and most are about the disk, the checksum or the user,
not about HTTP.
"""

from __future__ import annotations

from app.errors import UserError


class DownloadError(UserError):
    """A download problem worth telling the user about, in plain words."""


class DownloadPaused(DownloadError):
    """The user paused: the part file and its sidecar are kept so a later call resumes. Not an error."""


class DownloadCancelled(DownloadError):
    """The user cancelled: the part file and its sidecar are gone. Not an error."""

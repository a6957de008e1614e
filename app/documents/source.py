"""Which file an attachment really is: links are followed once, here, and never into the system's folders.

A file named notes.txt can be a link to /etc/shadow or /proc/self/environ. Read blindly, its text would be
stored in the history and sent to the model under a harmless name. So the link is resolved before
anything is read: a target inside a system folder is refused, and any other target is read under its own
name, with a note that says which link led to it.
"""

from __future__ import annotations

import errno
import os
import sys
from dataclasses import dataclass
from pathlib import Path, PurePath, PurePosixPath, PureWindowsPath
from typing import Final

from app.documents.document import DocumentError
from app.i18n import Deferred

# Folders that hold the system's configuration, secrets or devices, never a user's documents. macOS keeps
# /etc at /private/etc, so a link resolved there lands in the second spelling.
_POSIX_SYSTEM: Final = tuple(
    PurePosixPath(p) for p in ("/etc", "/private/etc", "/proc", "/sys", "/dev", "/boot", "/run", "/System")
)


@dataclass(frozen=True)
class Source:
    """The file to read, and the link the user gave when it was one."""

    path: Path
    link: Path | None = None

    def notes(self) -> tuple[Deferred, ...]:
        if self.link is None:
            return ()
        note = Deferred.translate(
            "Documents", "Opened through the link “{link}”; the file itself is {target}."
        )
        return (note.format(link=self.link.name, target=str(self.path)),)


def resolve_source(path: Path) -> Source:
    """The file `path` names, with every link in it followed; raises DocumentError for a link into a
    system folder or a link that goes round in a circle."""
    given = Path(os.path.abspath(path))
    try:
        real = Path(os.path.realpath(given, strict=True))
    except FileNotFoundError:
        return Source(given)  # reading it says it is missing, in the same words as for any missing file
    except OSError as error:
        if _is_loop(error):
            raise DocumentError(
                Deferred.translate("Documents", "“{name}” is a link that leads back to itself.").format(
                    name=path.name
                )
            ) from None
        return Source(given)  # permission and other troubles are said by the reader, in plain words
    if real == given:
        return Source(given)
    if is_system_path(real):
        raise DocumentError(
            Deferred.translate(
                "Documents",
                "“{name}” is a link to a system file ({target}), so Hearth will not read it.",
            ).format(name=path.name, target=str(real))
        )
    return Source(real, link=given)


def is_system_path(path: PurePath, *, platform: str = sys.platform, system_root: str | None = None) -> bool:
    """Whether `path` (absolute, links resolved) is inside a folder of the operating system."""
    if platform == "win32":
        root = PureWindowsPath(system_root or os.environ.get("SYSTEMROOT") or r"C:\Windows")
        return _inside(PureWindowsPath(path), root)
    posix = PurePosixPath(path)
    return any(_inside(posix, folder) for folder in _POSIX_SYSTEM)


def _inside(path: PurePath, folder: PurePath) -> bool:
    if isinstance(path, PureWindowsPath):
        # Windows paths compare without regard to case: C:\WINDOWS is C:\Windows.
        return PureWindowsPath(str(path).casefold()).is_relative_to(PureWindowsPath(str(folder).casefold()))
    return path.is_relative_to(folder)


def _is_loop(error: OSError) -> bool:
    return error.errno == errno.ELOOP

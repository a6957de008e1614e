"""The files an unfinished download leaves next to its destination: ``<file>.part`` and the
``<file>.part.json`` sidecar that says what it is a part of.

Apart from the download loop because the window works on them too: it shows how much of a paused
download is already on disk, and deletes the part when the user gives up on it.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
from pathlib import Path
from typing import Any

log = logging.getLogger("hearth.models")

# Blocks of the part: read when resuming, and the download loop's read size, so pause and cancel are
# checked between them.
CHUNK = 1024 * 1024


def part_path(dest: Path) -> Path:
    return dest.with_suffix(dest.suffix + ".part")


def sidecar_path(dest: Path) -> Path:
    return dest.with_suffix(dest.suffix + ".part.json")


def delete_partial(dest: Path) -> None:
    """Delete what an unfinished download of `dest` left behind: its part file and sidecar (if any)."""
    for path in (part_path(dest), sidecar_path(dest)):
        path.unlink(missing_ok=True)


class PartFile:
    """The ``.part`` file with its running sha256, and the sidecar that says what it is a part of."""

    def __init__(self, dest: Path, identity: dict[str, Any], total: int, sha256: str | None) -> None:
        self.total = total
        self.sha256 = sha256
        self.path = part_path(dest)
        self.sidecar = sidecar_path(dest)
        self.identity = identity
        self.hasher = hashlib.sha256()
        self.size = 0

    def load(self) -> None:
        """Adopt an existing part only if its sidecar describes the same download; else start over."""
        try:
            saved = json.loads(self.sidecar.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            saved = None
        if saved != self.identity or not self.path.exists():
            if saved is not None:
                log.info("starting %s over: the server's file changed or the part is unknown", self.path.name)
            self.reset()
            return
        self.hasher = hashlib.sha256()
        self.size = 0
        with self.path.open("rb") as f:
            while block := f.read(CHUNK):
                self.hasher.update(block)
                self.size += len(block)

    def reset(self) -> None:
        self.hasher = hashlib.sha256()
        self.size = 0
        self.path.write_bytes(b"")
        tmp = self.sidecar.with_suffix(".tmp")
        tmp.write_text(json.dumps(self.identity), encoding="utf-8")
        os.replace(tmp, self.sidecar)

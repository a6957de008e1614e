"""The conversation's folder for Python (/mnt/data in the sandbox): copies of its attachments, safely named.

A file's name comes from wherever the file came from, so it is treated as hostile: no folder parts ("../",
"C:\\", "/etc/"), no characters a system refuses or hides (control and direction marks, Windows' <>:"|?*),
no names Windows keeps for devices (CON, NUL.txt), not empty, not too long for a file system. Two files
never share a name (nor two names that differ only in case, which Windows and macOS do not tell apart):
the second becomes "name (2).txt". Files are created, never overwritten, so nothing already in the folder,
a link included, is followed or replaced.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from pathlib import Path
from typing import Final

# Characters Windows refuses in names; control characters (category Cc) go too.
_REFUSED: Final = frozenset('<>:"/\\|?*')
# Invisible formatting (direction overrides that disguise an extension) and lone surrogates (undecodable
# bytes of a name), which no file system takes.
_DROPPED_CATEGORIES: Final = frozenset({"Cf", "Cs"})
_WINDOWS_DEVICES: Final = frozenset(
    {"con", "prn", "aux", "nul", "conin$", "conout$"}
    | {f"com{n}" for n in "123456789¹²³"}
    | {f"lpt{n}" for n in "123456789¹²³"}
)
# File systems allow 255 bytes; room is left for " (123)".
_MAX_NAME_BYTES: Final = 200
_MAX_SUFFIX: Final = 16
FALLBACK_NAME: Final = "file"


def safe_file_name(name: str) -> str:
    """A name that can only mean a file directly in the folder, on every system, close to `name`."""
    name = unicodedata.normalize("NFC", name)
    name = re.split(r"[/\\]", name)[-1]  # the last part of a path, whatever its separators
    name = "".join(
        " " if c in _REFUSED or unicodedata.category(c) == "Cc" else c
        for c in name
        if unicodedata.category(c) not in _DROPPED_CATEGORIES
    )
    name = " ".join(name.split()).strip(". ")
    stem, dot, suffix = name.rpartition(".")
    if not dot or not stem or len(suffix) > _MAX_SUFFIX:
        stem, suffix = name, ""
    if stem.split(".")[0].strip().casefold() in _WINDOWS_DEVICES:
        stem = "_" + stem
    ending = f".{suffix}" if suffix else ""
    while len((stem + ending).encode("utf-8")) > _MAX_NAME_BYTES:
        stem = stem[:-1]
    stem = stem.rstrip(". ")
    return (stem + ending) if stem else FALLBACK_NAME + ending


def _numbered(name: str, number: int) -> str:
    stem, dot, suffix = name.rpartition(".")
    if not dot or not stem:
        return f"{name} ({number})"
    return f"{stem} ({number}).{suffix}"


def copy_attachments(folder: Path, files: Iterable[tuple[str, bytes]]) -> list[str]:
    """Write each (name, content) into `folder` under a safe, unique name; returns the names used, in order
    (the sandbox sees them as /mnt/data/<name>)."""
    folder.mkdir(parents=True, exist_ok=True)
    taken = {entry.name.casefold() for entry in folder.iterdir()}
    written: list[str] = []
    for original, content in files:
        base = safe_file_name(original)
        number = 1
        while True:
            name = base if number == 1 else _numbered(base, number)
            number += 1
            if name.casefold() in taken:
                continue
            path = folder / name
            try:
                with open(path, "xb") as handle:  # never through an existing file or link
                    handle.write(content)
            except FileExistsError:
                taken.add(name.casefold())
                continue
            taken.add(name.casefold())
            written.append(name)
            break
    return written

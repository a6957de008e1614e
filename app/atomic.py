"""Hearth's small JSON files (settings, the catalogue cache, the models manifest) and the files it
exports: written so a crash never leaves half a file behind (a temporary file in the same folder,
synced, then renamed over the old one), and JSON read so a missing or damaged file costs only its
contents, never a crash."""

from __future__ import annotations

import json
import logging
import os
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import TextIO


def write_json(path: Path, data: object) -> None:
    """Replace `path` with `data` as indented JSON, all at once or not at all."""
    _replace(path, ".json", lambda handle: json.dump(data, handle, indent=2, sort_keys=True))


def write_text(path: Path, text: str) -> None:
    """Replace `path` with `text` in UTF-8, all at once or not at all.

    Like every file written here it is readable by its owner only (the temporary file's mode): an
    export holds the user's conversations.
    """
    _replace(path, path.suffix or ".tmp", lambda handle: handle.write(text))


def _replace(path: Path, suffix: str, write: Callable[[TextIO], object]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.stem}-", suffix=suffix, dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            write(handle)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def read_json(
    path: Path, default: object, *, log: logging.Logger, level: int = logging.INFO, instead: str
) -> object:
    """The JSON value in `path`, or `default`: quietly when there is no such file, and with a line on
    `log` ("... unreadable (why); <instead>") when it cannot be read or is not JSON.

    The value may be of any JSON type; checking it is the caller's job.
    """
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return default
    except (OSError, ValueError) as exc:
        log.log(level, "%s unreadable (%s); %s", path, exc, instead)
        return default
    except RecursionError:  # arrays nested thousands deep: not a file Hearth wrote
        log.log(level, "%s unreadable (nested too deeply); %s", path, instead)
        return default

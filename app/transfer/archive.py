"""Reading a file to import: a .zip as ChatGPT sends it, or a JSON file, within limits.

An archive is never unpacked to disk: only its conversations file is read, in memory, and no more than
MAX_READ_BYTES of it, whatever the archive claims, so a "zip bomb" costs nothing.
"""

from __future__ import annotations

import json
import re
import zipfile
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import IO, Final

from app.i18n import translate
from app.transfer.errors import TransferError
from app.units import format_bytes

# Far more than any real export (a heavy ChatGPT user's conversations.json is a few hundred MB), and
# still an amount the JSON parser can hold in memory.
MAX_READ_BYTES: Final = 1_000_000_000
_READ_STEP: Final = 1 << 20
ZIP_MAGIC: Final = b"PK\x03\x04"
CHATGPT_FILE: Final = "conversations.json"
# Newer ChatGPT exports split the conversations over numbered files.
_CHATGPT_SHARD: Final = re.compile(r"conversations-\d+\.json")


@dataclass(frozen=True)
class JsonFile:
    name: str  # the file the data came from, as the user knows it
    data: object
    from_archive: bool = False


def read_json_files(path: Path) -> list[JsonFile]:
    """The JSON in `path`: the file itself, or the ChatGPT conversations inside a .zip (by content)."""
    try:
        with open(path, "rb") as handle:
            if handle.read(len(ZIP_MAGIC)) == ZIP_MAGIC:
                return _read_archive(path)
            handle.seek(0)
            return [JsonFile(path.name, parse_json(_read_capped(handle, path.name), path.name))]
    except FileNotFoundError:
        raise TransferError(
            translate("Transfer", "The file {path} was not found.").format(path=path)
        ) from None
    except IsADirectoryError:
        raise TransferError(
            translate("Transfer", "{path} is a folder; choose the exported file itself.").format(path=path)
        ) from None
    except OSError as error:
        raise TransferError(
            translate("Transfer", "Hearth cannot read {path}: {reason}.").format(
                path=path, reason=error.strerror or error
            )
        ) from error


def parse_json(raw: bytes, name: str) -> object:
    try:
        return json.loads(raw)  # detects UTF-8 (with or without a BOM), UTF-16 and UTF-32
    except UnicodeDecodeError:
        raise TransferError(
            translate(
                "Transfer", "{name} is not a text file, so it is not an export Hearth can read."
            ).format(name=name)
        ) from None
    except json.JSONDecodeError as error:
        if not raw.strip():
            raise TransferError(translate("Transfer", "{name} is empty.").format(name=name)) from None
        if error.pos == 0:
            raise TransferError(
                translate("Transfer", "{name} is not JSON, so it is not an export Hearth can read.").format(
                    name=name
                )
            ) from None
        # Out of data, or inside a string that never ends: the file was cut short, not garbled.
        if error.pos >= len(raw.rstrip()) or error.msg.startswith("Unterminated string"):
            raise TransferError(
                translate("Transfer", "{name} is incomplete: it ends in the middle of its data.").format(
                    name=name
                )
            ) from None
        raise TransferError(
            translate(
                "Transfer", "{name} is damaged: it stops being valid JSON at line {line}, column {column}."
            ).format(name=name, line=error.lineno, column=error.colno)
        ) from None
    except RecursionError:
        raise TransferError(
            translate("Transfer", "{name} is nested too deeply to be an export.").format(name=name)
        ) from None


def _read_capped(handle: IO[bytes], name: str) -> bytes:
    chunks: list[bytes] = []
    total = 0
    while chunk := handle.read(_READ_STEP):
        total += len(chunk)
        if total > MAX_READ_BYTES:
            raise TransferError(
                translate(
                    "Transfer", "{name} is larger than {limit}; Hearth does not import files that big."
                ).format(name=name, limit=format_bytes(MAX_READ_BYTES))
            )
        chunks.append(chunk)
    return b"".join(chunks)


def _read_archive(path: Path) -> list[JsonFile]:
    with _archive(path) as archive:
        members = _conversation_members(archive)
        if not members:
            raise TransferError(
                translate(
                    "Transfer", "{name} holds no {file}, so it is not a ChatGPT export Hearth can import."
                ).format(name=path.name, file=CHATGPT_FILE)
            )
        # The sizes the archive declares are checked first, so an obvious bomb is refused before any
        # reading; the reads are capped as well, in case the declared sizes lie.
        if sum(member.file_size for member in members) > MAX_READ_BYTES:
            raise TransferError(
                translate(
                    "Transfer",
                    "{name} would unpack to more than {limit}; Hearth does not import files that big.",
                ).format(name=path.name, limit=format_bytes(MAX_READ_BYTES))
            )
        files: list[JsonFile] = []
        for member in members:
            name = PurePosixPath(member.filename).name
            with archive.open(member) as handle:
                files.append(JsonFile(name, parse_json(_read_capped(handle, name), name), from_archive=True))
        return files


@contextmanager
def _archive(path: Path) -> Iterator[zipfile.ZipFile]:
    """The open archive, with the ways a damaged one fails turned into plain words."""
    try:
        with zipfile.ZipFile(path) as archive:
            yield archive
    except TransferError:
        raise
    except (zipfile.BadZipFile, zlib.error, EOFError, ValueError):
        raise TransferError(
            translate(
                "Transfer",
                "{name} is a damaged or incomplete zip file (perhaps its download did not finish).",
            ).format(name=path.name)
        ) from None
    except RuntimeError:  # zipfile's word for an encrypted member
        raise TransferError(
            translate("Transfer", "{name} is protected by a password, so Hearth cannot read it.").format(
                name=path.name
            )
        ) from None
    except NotImplementedError:
        raise TransferError(
            translate("Transfer", "{name} is compressed in a way Hearth cannot read.").format(name=path.name)
        ) from None


def _conversation_members(archive: zipfile.ZipFile) -> list[zipfile.ZipInfo]:
    """conversations.json (the one nearest the top, should a folder hold another), else its shards."""
    files = [info for info in archive.infolist() if not info.is_dir()]
    whole = [info for info in files if PurePosixPath(info.filename).name == CHATGPT_FILE]
    if whole:
        return [min(whole, key=lambda info: info.filename.count("/"))]
    shards = [info for info in files if _CHATGPT_SHARD.fullmatch(PurePosixPath(info.filename).name)]
    return sorted(shards, key=lambda info: info.filename)

"""The zip inside a Word file: checked before anything in it is unpacked, and its parts read as streams.

A .docx is a zip of XML parts. Nothing here trusts it: the zip's directory is sized up from its last bytes
before Python's zipfile lists it (a million entries would cost a gigabyte of listing), the parts' declared
sizes and compression ratios are checked before they are unpacked, and each part is unpacked and parsed a
slice at a time by a parser that refuses DTDs (so no entity can expand or reach for a file or the network).
"""

from __future__ import annotations

import io
import posixpath
import struct
import zipfile
import zlib
from collections.abc import Callable
from typing import Any, Final, Protocol

from lxml import etree  # type: ignore[import-untyped]  # lxml ships no type information

from app.documents.document import DocumentError
from app.i18n import Deferred

# A Word document has a few dozen parts (a few hundred with many pictures).
MAX_ENTRIES: Final = 10_000
# Bytes of the zip's directory, whatever count it claims: an entry takes 46 bytes and its name.
_MAX_DIRECTORY_BYTES: Final = MAX_ENTRIES * 512
# A file is at most 100 MB, and pictures do not shrink in a zip: a document that unpacks to more than
# this is a zip bomb, not writing.
MAX_UNPACKED_BYTES: Final = 2 * 1024**3
# Deflate cannot shrink anything much more than a thousandfold; a part that claims more is a bomb or a lie.
MAX_RATIO: Final = 1000
_SLICE: Final = 1 << 16  # bytes unpacked and parsed at a time
_MAX_SMALL_PART_BYTES: Final = 8 * 1024 * 1024  # relationships and styles: a few kilobytes in practice
_MAX_STYLES: Final = 20_000

W: Final = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_RELATIONSHIP: Final = "{http://schemas.openxmlformats.org/package/2006/relationships}Relationship"
_EOCD: Final = b"PK\x05\x06"
_ZIP64_LOCATOR: Final = b"PK\x06\x07"
_ZIP64_EOCD: Final = b"PK\x06\x06"


def damaged(name: str) -> DocumentError:
    return DocumentError(
        Deferred.translate("Documents", "“{name}” is damaged or is not a Word document.").format(name=name)
    )


def too_big_unpacked(name: str) -> DocumentError:
    return DocumentError(
        Deferred.translate(
            "Documents", "“{name}” would unpack to far more than Hearth can read, so it was not opened."
        ).format(name=name)
    )


class Target(Protocol):
    """What lxml calls as it parses (a "parser target"): no tree is ever built."""

    def start(self, tag: str, attrib: dict[str, str]) -> None: ...
    def end(self, tag: str) -> None: ...
    def data(self, text: str) -> None: ...


class Stop(Exception):
    """Raised by a target to stop the parse early, keeping what it read."""


class NoDoctype:
    """The base of every target: a Word part never has a DTD, so one is refused before any of it is read."""

    def doctype(self, name: str, public_id: str | None, system_id: str | None) -> None:
        raise _HasDoctype

    def close(self) -> None:
        return None


class _HasDoctype(Exception):
    pass


def open_package(data: bytes, name: str) -> zipfile.ZipFile:
    """The zip, once its size is known to be sane; raises DocumentError in plain words otherwise."""
    entries, directory_bytes = _directory_size(data, name)
    if entries > MAX_ENTRIES or directory_bytes > _MAX_DIRECTORY_BYTES:
        raise too_big_unpacked(name)
    try:
        package = zipfile.ZipFile(io.BytesIO(data))
    except MemoryError:
        raise
    except Exception:
        # zipfile reports a broken directory with whatever error the broken piece caused.
        raise damaged(name) from None
    listed = package.infolist()
    if len(listed) > MAX_ENTRIES or sum(info.file_size for info in listed) > MAX_UNPACKED_BYTES:
        raise too_big_unpacked(name)
    return package


def _directory_size(data: bytes, name: str) -> tuple[int, int]:
    """The entry count and directory size the zip's end record claims (its zip64 record's, if it has one)."""
    end = data.rfind(_EOCD, max(0, len(data) - 65_557))
    if end < 0 or len(data) < end + 22:
        raise damaged(name)
    entries, directory_bytes = struct.unpack_from("<HI", data, end + 10)
    locator = end - 20
    if locator >= 0 and data[locator : locator + 4] == _ZIP64_LOCATOR:
        record = locator - 56  # right before its locator, where zipfile looks for it too
        if record < 0 or data[record : record + 4] != _ZIP64_EOCD:
            raise damaged(name)
        entries, directory_bytes = struct.unpack_from("<QQ", data, record + 32)
    return int(entries), int(directory_bytes)


def checked_part(package: zipfile.ZipFile, part: str, name: str) -> zipfile.ZipInfo:
    """The entry of `part`, if it may be unpacked; raises DocumentError if it is missing or a bomb."""
    try:
        info = package.getinfo(part)
    except KeyError:
        raise damaged(name) from None
    if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
        raise damaged(name)  # Word writes deflate; bzip2 and lzma pack bombs far tighter
    if info.file_size > MAX_UNPACKED_BYTES or info.file_size > MAX_RATIO * max(info.compress_size, 1024):
        raise too_big_unpacked(name)
    return info


def parse(
    package: zipfile.ZipFile,
    info: zipfile.ZipInfo,
    target: Target,
    *,
    max_bytes: int,
    progress: Callable[[int], None] | None = None,
) -> bool:
    """Feeds the part to `target` a slice at a time, unpacking no more than `max_bytes` of it.

    Returns False if the part was cut short (by `max_bytes` or by the target raising Stop). Raises
    ValueError for a part that does not unpack, or whose XML is broken or has a DTD.
    """
    parser = _parser(target)
    read = 0
    try:
        with package.open(info) as part:
            while True:
                piece = part.read(_SLICE)
                if not piece:
                    break
                read += len(piece)
                parser.feed(piece)
                if progress is not None:
                    progress(read)
                if read >= max_bytes:
                    return False
        parser.close()
    except Stop:
        return False
    except (
        _HasDoctype,
        etree.LxmlError,
        SyntaxError,
        zlib.error,
        zipfile.BadZipFile,
        OSError,
        EOFError,
    ) as error:
        raise ValueError(f"{info.filename} is not readable XML") from error
    except RuntimeError as error:  # zipfile's word for an encrypted part
        raise ValueError(f"{info.filename} cannot be unpacked") from error
    return True


def _parser(target: Target) -> Any:
    # No DTD is ever loaded, no entity but XML's own five is resolved, nothing is fetched, and libxml2
    # keeps its limits (10 MB for one name or attribute, 256 levels of nesting) instead of huge_tree's.
    return etree.XMLParser(
        target=target,
        resolve_entities="internal",
        load_dtd=False,
        no_network=True,
        huge_tree=False,
    )


# Relationships and styles ---------------------------------------------------------------------------------


class _Relationships(NoDoctype):
    def __init__(self, kind: str) -> None:
        self.kind = kind
        self.found: str | None = None

    def start(self, tag: str, attrib: dict[str, str]) -> None:
        if (
            tag == _RELATIONSHIP
            and attrib.get("Type", "").endswith(self.kind)
            and attrib.get("TargetMode", "Internal") == "Internal"
        ):
            self.found = attrib.get("Target")
            raise Stop

    def end(self, tag: str) -> None:
        return None

    def data(self, text: str) -> None:
        return None


def related_part(package: zipfile.ZipFile, source: str, kind: str, name: str) -> str | None:
    """The part that `source` ("" for the package) names as its `kind` ("/officeDocument", "/styles")."""
    folder, base = posixpath.split(source)
    rels = posixpath.join(folder, "_rels", base + ".rels")
    try:
        info = checked_part(package, rels, name)
    except DocumentError:
        return None
    if info.file_size > _MAX_SMALL_PART_BYTES:
        return None
    finder = _Relationships(kind)
    try:
        parse(package, info, finder, max_bytes=_MAX_SMALL_PART_BYTES)
    except ValueError:
        return None
    if not finder.found:
        return None
    target = finder.found.replace("\\", "/")
    path = target.lstrip("/") if target.startswith("/") else posixpath.join(folder, target)
    return posixpath.normpath(path)


class _Styles(NoDoctype):
    """Paragraph styles' names by id, and the default one's: all a heading or a list is known by."""

    def __init__(self) -> None:
        self.names: dict[str, str] = {}
        self.default = ""
        self._id: str | None = None
        self._default = False

    def start(self, tag: str, attrib: dict[str, str]) -> None:
        if tag == W + "style":
            paragraph = attrib.get(W + "type", "paragraph") == "paragraph"
            self._id = attrib.get(W + "styleId", "") if paragraph else None
            self._default = attrib.get(W + "default", "") in ("1", "true", "on")
            if len(self.names) >= _MAX_STYLES:
                raise Stop
        elif tag == W + "name" and self._id is not None:
            style = attrib.get(W + "val", "")
            self.names[self._id] = style
            if self._default and not self.default:
                self.default = style

    def end(self, tag: str) -> None:
        if tag == W + "style":
            self._id = None

    def data(self, text: str) -> None:
        return None


def style_names(package: zipfile.ZipFile, document: str, name: str) -> tuple[dict[str, str], str]:
    """The paragraph styles by id, and the default style's name; empty if the styles cannot be read.

    A broken or oversized styles part costs the headings' markup, not the text.
    """
    part = related_part(package, document, "/styles", name) or "word/styles.xml"
    styles = _Styles()
    try:
        info = checked_part(package, part, name)
        parse(package, info, styles, max_bytes=_MAX_SMALL_PART_BYTES * 4)
    except (DocumentError, ValueError):
        return {}, ""
    return styles.names, styles.default

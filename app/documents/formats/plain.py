"""Text files of every kind: finding the encoding, refusing binaries, and marking up code and Markdown."""

from __future__ import annotations

import codecs
import io
import re
from dataclasses import dataclass
from pathlib import PurePath

import charset_normalizer

from app.documents.document import DocumentError
from app.documents.formats.common import Extracted, Job, TextBuilder
from app.i18n import Deferred

_BOMS = (  # longest first: the UTF-32 LE mark starts with the UTF-16 LE one
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
_SNIFF_BYTES = 8192
# What a stream's encoding is found from: enough for charset_normalizer, and no pass over 100 MB.
_DETECT_BYTES = 1 << 20
# Characters no text file has many of: C0 controls other than tab and line breaks, and the C1 range that
# a wrong single-byte guess produces from binary data.
_ODD = re.compile(r"[\x00-\x08\x0e-\x1f\x7f-\x9f\ufffd]")
_MAX_ODD_RATIO = 0.01
_CHECK_CHARS = 262144


def not_text(name: str) -> DocumentError:
    suffix = PurePath(name).suffix
    if not suffix:
        words = Deferred.translate(
            "Documents", "“{name}” does not look like text (it may be a program or an image)."
        )
    else:
        words = Deferred.translate(
            "Documents",
            "“{name}” does not look like text (it may be a program or an image renamed to {suffix}).",
        )
    return DocumentError(words.format(name=name, suffix=suffix))


def decode(data: bytes, name: str, declared: str | None = None) -> str:
    """The file's text. `declared` is an encoding the file names itself (an HTML meta tag), tried early."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return _checked(data[len(bom) :].decode(encoding), name)
            except UnicodeDecodeError:
                raise not_text(name) from None
    head = data[:_SNIFF_BYTES]
    if b"\0" in head:
        wide = _utf16_without_bom(head)
        if wide is None:
            raise not_text(name)
        try:
            return _checked(data.decode(wide), name)
        except UnicodeDecodeError:
            raise not_text(name) from None
    for candidate in ("utf-8", declared):
        if candidate:
            try:
                return _checked(data.decode(candidate), name)
            except (ValueError, LookupError):  # a declared name may be no codec, or not a text one
                pass
    western = _western(data)
    if western is not None:
        return _checked(western, name)
    best = charset_normalizer.from_bytes(data).best()
    if best is None:
        raise not_text(name)
    return _checked(str(best), name)


@dataclass(frozen=True)
class TextEncoding:
    codec: str
    skip: int  # bytes of byte-order mark before the text


def find_encoding(data: bytes, name: str, declared: str | None = None) -> TextEncoding:
    """The encoding decode() would find, found from the file's first megabyte, for open_text.

    Raises DocumentError for a file that does not look like text.
    """
    head = data[:_DETECT_BYTES]
    whole = len(data) <= _DETECT_BYTES
    for bom, encoding in _BOMS:
        if head.startswith(bom):
            _checked(head[len(bom) :].decode(encoding, errors="replace"), name)
            return TextEncoding(encoding, len(bom))
    sniffed = head[:_SNIFF_BYTES]
    if b"\0" in sniffed:
        wide = _utf16_without_bom(sniffed)
        if wide is None:
            raise not_text(name)
        _checked(head.decode(wide, errors="replace"), name)
        return TextEncoding(wide, 0)
    for candidate in ("utf-8", declared):
        if candidate and _fits(head, candidate, whole=whole):
            _checked(head.decode(candidate, errors="replace"), name)
            return TextEncoding(candidate, 0)
    if _western(head) is not None:
        return TextEncoding("cp1252", 0)
    best = charset_normalizer.from_bytes(head).best()
    if best is None:
        raise not_text(name)
    _checked(str(best), name)
    return TextEncoding(best.encoding, 0)


def open_text(data: bytes, encoding: TextEncoding, *, newline: str | None = None) -> io.TextIOWrapper:
    """The file's text as a stream that decodes as it is read, for readers that may stop early.

    A byte that does not fit the encoding (found from the file's start) becomes U+FFFD. `newline` is
    TextIOWrapper's: None turns every line break into "\n", "" leaves them as they are (for csv).
    """
    raw = io.BytesIO(data)  # shares `data`: no copy
    raw.seek(encoding.skip)
    return io.TextIOWrapper(raw, encoding=encoding.codec, errors="replace", newline=newline)


def _fits(head: bytes, encoding: str, *, whole: bool) -> bool:
    """Whether `head` decodes as `encoding` (a character cut off at its end is fine if more follows)."""
    try:
        decoded = codecs.getincrementaldecoder(encoding)().decode(head, final=whole)
    except (ValueError, LookupError):  # a declared name may be no codec, or not a text one
        return False
    return isinstance(decoded, str)


# Letters and signs of Western European text in Windows-1252 (a superset of Latin-1). Left out on purpose:
# ¹ ² ³, which Polish or Czech text read this way is full of.
_WESTERN_CHARS = frozenset(
    "ÀÁÂÃÄÅÆÇÈÉÊËÌÍÎÏÐÑÒÓÔÕÖØÙÚÛÜÝÞßàáâãäåæçèéêëìíîïðñòóôõöøùúûüýþÿŒœŠšŽžŸƒ"
    "€–—‘’‚“”„…•«»‹›°£§©®±·×÷¡¿ªº¢¥µ¶¼½¾¨´¸¯\xa0"
)


def _western(data: bytes) -> str | None:
    """The text as Windows-1252, if it reads as Western European text that way.

    charset-normalizer often takes a short French or German file for Central European (café → cafй), and
    files that are not UTF-8 are, for most users, old Windows files in this encoding.
    """
    try:
        text = data.decode("cp1252")
    except UnicodeDecodeError:
        return None
    sample = text[:_CHECK_CHARS]
    high = [char for char in sample if ord(char) > 127]
    letters = sum(char.isalpha() for char in sample)
    # Whole words of non-ASCII letters are Cyrillic or Greek read wrongly, never French or German.
    if len(high) > 0.3 * letters:
        return None
    if sum(char in _WESTERN_CHARS for char in high) < 0.95 * len(high):
        return None
    return text


def _utf16_without_bom(head: bytes) -> str | None:
    """Windows tools sometimes write UTF-16 without a byte-order mark: zero bytes in every other place."""
    even, odd = head[0::2], head[1::2]
    if len(odd) < 2:
        return None
    if odd.count(0) > 0.4 * len(odd) and even.count(0) < 0.05 * len(even):
        return "utf-16-le"
    if even.count(0) > 0.4 * len(even) and odd.count(0) < 0.05 * len(odd):
        return "utf-16-be"
    return None


def _checked(text: str, name: str) -> str:
    sample = text[:_CHECK_CHARS]
    if sample and len(_ODD.findall(sample)) > _MAX_ODD_RATIO * len(sample):
        raise not_text(name)
    return text


def read_text(data: bytes, job: Job) -> Extracted:
    builder = TextBuilder(job.max_chars)
    builder.add(decode(data, job.name))
    return builder.finish()


def code_reader(language: str) -> _CodeReader:
    return _CodeReader(language)


class _CodeReader:
    """Source code goes in a fenced block, so the model reads it as code and keeps its indentation."""

    def __init__(self, language: str) -> None:
        self.language = language

    def __call__(self, data: bytes, job: Job) -> Extracted:
        text = decode(data, job.name).strip("\n")
        if not text.strip():
            return Extracted("", (), ())
        # A fence longer than any run of backticks in the code, so the code cannot close it early.
        longest = max((len(run) for run in re.findall(r"`{3,}", text)), default=2)
        fence = "`" * (longest + 1)
        builder = TextBuilder(job.max_chars)
        builder.add(f"{fence}{self.language}\n{text}\n")
        builder.add(("\n" if builder.full else "") + fence, force=True)
        return builder.finish()


_ATX = re.compile(r" {0,3}(#{1,6})(?:[ \t]+(.*?))?(?:[ \t]+#+)?[ \t]*$")
_FENCE = re.compile(r" {0,3}(`{3,}|~{3,})")


def read_markdown(data: bytes, job: Job) -> Extracted:
    builder = TextBuilder(job.max_chars)
    section: list[str] = []
    fence = ""
    for line in decode(data, job.name).splitlines(keepends=True):
        opener = _FENCE.match(line)
        if opener and (not fence or (opener.group(1)[0] == fence[0] and len(opener.group(1)) >= len(fence))):
            fence = "" if fence else opener.group(1)
        heading = None if fence else _ATX.match(line.rstrip("\n"))
        if heading and heading.group(2):
            builder.add("".join(section))
            section = []
            builder.anchor(heading=heading.group(2).strip())
        section.append(line)
        if builder.full:
            break
    builder.add("".join(section))
    return builder.finish()

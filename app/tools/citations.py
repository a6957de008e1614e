"""Turning the model's citations of browser pages (`【3†L12-L15】`) into Hearth's (`[lease.pdf p. 4]`).

gpt-oss cites the numbered lines of the pages it read. Those numbers mean nothing to a reader, so each
citation becomes the label Hearth's other answers use (app.documents.retrieval.citation_label), which the
window already links: "[report.pdf p. 4]", "[report.pdf pp. 4-5]" when the lines span pages,
"[notes.md § Results]" for a section, "[notes.txt]" for a document without either, and
"[conversation “Title”]" for a past conversation. A citation that cannot be mapped (unknown cursor,
lines past the page's end, a made-up shape) is removed: a reader cannot follow it.

map_citations maps a finished answer (the one to store). CitationStream maps text as it streams in, for
showing it: it holds back an open `【` until its `】` arrives, so a marker split across deltas is mapped
whole, and the text it gives out, joined, is map_citations of the whole answer. (A bracket left open for
more than 200 characters is taken as the answer's own and given out; if a `】` came after all, the
stored answer, mapped whole, is the one to trust.)
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from typing import Final

from app.documents.retrieval import citation_label
from app.i18n import translate
from app.tools.lines import Place

# The places of the lines of the page at a cursor; None for a cursor that was never opened.
LineLookup = Callable[[int], Sequence[Place | None] | None]

# A bracketed stretch, up to the first closing bracket: the model's citations and links have this shape.
_BRACKETED: Final = re.compile(r"【([^】]*)】")
_CITATION: Final = re.compile(r"\s*(\d{1,9})\s*†\s*L(\d{1,9})(?:\s*[-–—]\s*L?(\d{1,9}))?\s*(?:†[^†]*)?")
# What the end of an answer that stopped mid-citation looks like.
_UNFINISHED: Final = re.compile(r"【\s*\d*\s*(?:†[^】]*)?")
# A citation longer than this is not one the model wrote (they are about 15 characters).
_LONGEST: Final = 200
# Lines one citation may cover: a cap, so a typo like L1-L99999999 costs nothing.
_SPAN: Final = 1000
_NO_SPACE_AFTER: Final = frozenset(" \t\n([{“‘\"'")


def _clean_name(name: str) -> str:
    # A label must not bring back the marks it replaced.
    return " ".join(name.replace("【", "〖").replace("】", "〗").replace("†", "‡").split())


def place_labels(places: Sequence[Place]) -> list[str]:
    """One label per source among `places`, in the order first seen: pages as "p. 4" or "pp. 4-5"."""
    sources: dict[tuple[str, int | None, int | None], list[Place]] = {}
    for place in places:
        sources.setdefault((place.name, place.attachment_id, place.conversation_id), []).append(place)
    labels = []
    for (raw_name, _, conversation_id), group in sources.items():
        name = _clean_name(raw_name)
        if conversation_id is not None:
            labels.append(translate("Browser", "conversation “{title}”").format(title=name))
            continue
        pages = sorted({p.page for p in group if p.page is not None})
        headings = list(dict.fromkeys(p.heading for p in group if p.heading))
        if len(pages) > 1:
            labels.append(f"{name} pp. {pages[0]}-{pages[-1]}")
        else:
            heading = _clean_name(headings[0]) if len(headings) == 1 else ""
            labels.append(citation_label(name, pages[0] if pages else None, heading))
    return labels


def _places(content: str, lookup: LineLookup) -> list[Place]:
    """What the lines a citation's inside (`3†L12-L15`) names show; empty when it cannot be mapped."""
    found = _CITATION.fullmatch(content[content.rfind("【") + 1 :])
    if found is None:
        return []
    lines = lookup(int(found.group(1)))
    first = int(found.group(2))
    last = int(found.group(3)) if found.group(3) else first
    if not lines or first >= len(lines):
        return []
    first, last = min(first, last), max(first, last)
    last = min(last, len(lines) - 1, first + _SPAN)
    return [place for place in lines[first : last + 1] if place is not None]


def cited_places(text: str, lookup: LineLookup) -> list[Place]:
    """Every page, section or conversation the citations in `text` (as the model wrote it) point to,
    once each, in the order first cited: what a reply's stats can record to link its labels."""
    seen: dict[Place, None] = {}
    for match in _BRACKETED.finditer(text):
        if "†" in match.group(1):
            seen.update(dict.fromkeys(_places(match.group(1), lookup)))
    return list(seen)


class CitationStream:
    """Maps citations in text that arrives in pieces: feed() each, then finish() once."""

    def __init__(self, lookup: LineLookup) -> None:
        self._lookup = lookup
        self._held = ""
        self._last = ""  # the last character given out
        self._last_label = ""  # the label given out last, while only spaces followed it

    def feed(self, delta: str) -> str:
        """The mapped text that is certain now (possibly empty)."""
        text = self._held + delta
        cut = len(text)
        # Only an open bracket after the last closing one can still become a citation.
        opening = text.find("【", text.rfind("】") + 1)
        if opening >= 0 and len(text) - opening <= _LONGEST:
            cut = opening
        self._held = text[cut:]
        return self._map(text[:cut])

    def finish(self) -> str:
        """The rest, once the answer is complete; an unfinished citation at its very end is dropped."""
        rest, self._held = self._held, ""
        if _UNFINISHED.fullmatch(rest):
            return ""
        return self._map(rest)

    def _map(self, text: str) -> str:
        pieces: list[str] = []
        done = 0
        for match in _BRACKETED.finditer(text):
            self._emit(pieces, text[done : match.start()])
            done = match.end()
            content = match.group(1)
            if "†" not in content:
                self._emit(pieces, match.group(0))  # brackets of the answer's own, not a citation
                continue
            # A stray open bracket before a citation is dropped with the rest of the junk around it.
            for label in place_labels(_places(content, self._lookup)):
                if label == self._last_label:
                    continue  # 【3†L4】【3†L6】 on one page: cited once
                space = "" if not self._last or self._last in _NO_SPACE_AFTER else " "
                pieces.append(f"{space}[{label}]")
                self._last, self._last_label = "]", label
        self._emit(pieces, text[done:])
        return "".join(pieces)

    def _emit(self, pieces: list[str], text: str) -> None:
        if not text:
            return
        pieces.append(text)
        self._last = text[-1]
        if not text.isspace():
            self._last_label = ""


def map_citations(text: str, lookup: LineLookup) -> str:
    """`text` with every citation of a browser page replaced by its source's label, or removed."""
    stream = CitationStream(lookup)
    return stream.feed(text) + stream.finish()

"""The pages the browser opens: a document with its page markers, a past conversation, a list of search
results, the matches of a find. Each is a list of display lines with, for every line, the Place it shows.

Addresses are local and say so: `attachment://3/lease.pdf` (the attachment's id in the history, then its
name), `conversation://12`, `search://documents?q=…`. Nothing here looks like a web address, so the
model is not led to believe it is online, and the same document keeps the same address all reply long.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Final, Literal
from urllib.parse import quote

from app.store import AttachmentContent, ChunkRecord
from app.tools.lines import Place, clean, link_text, wrap
from app.tools.sources import PastConversation

PageKind = Literal["document", "conversation", "results", "find"]

DOCUMENT_SCHEME: Final = "attachment://"
CONVERSATION_SCHEME: Final = "conversation://"
SEARCH_SCHEME: Final = "search://"

# What a find shows: each match with the lines after it, at most this many matches (as the reference).
FIND_MAX_RESULTS: Final = 50
FIND_LINES: Final = 4
# Words of a passage's start looked for in the document's text, to put the view where the passage is.
_PROBE_WORDS: Final = 8

_LONGEST_TITLE: Final = 200
_ROLE_MARKERS: Final = {"user": "[User]", "assistant": "[Assistant]", "system": "[System]"}


@dataclass(frozen=True)
class Link:
    """Something a results page lets the model open by number: a passage of a document, a message of a
    past conversation, or a line of the page a find searched."""

    attachment_id: int | None = None
    chunk: ChunkRecord | None = None
    conversation_id: int | None = None
    message_id: int | None = None
    page: Page | None = field(default=None, compare=False, repr=False)
    line: int = 0


@dataclass
class Page:
    kind: PageKind
    title: str
    url: str
    lines: list[str]
    places: list[Place | None]  # one per line: what each line shows, for citations
    links: dict[int, Link] = field(default_factory=dict)
    # A document's: where in its text each line starts (marker lines at their page's start).
    offsets: list[int] = field(default_factory=list)
    # A conversation's: the line of each message's marker, by message id.
    message_lines: dict[int, int] = field(default_factory=dict)

    def line_at(self, offset: int) -> int:
        """The line showing the character at `offset` of a document's text."""
        return max(bisect.bisect_right(self.offsets, offset) - 1, 0)


def document_url(attachment_id: int, name: str) -> str:
    return f"{DOCUMENT_SCHEME}{attachment_id}/{quote(name, safe='')}"


def conversation_url(conversation_id: int) -> str:
    return f"{CONVERSATION_SCHEME}{conversation_id}"


def search_url(query: str) -> str:
    return f"{SEARCH_SCHEME}documents?q={quote(query, safe='')}"


def page_marker(page: int | None, heading: str) -> str:
    """The line where a page or section starts: the same "[Page 4]" and "[Section: Results]" as a
    document given whole to the model (app.documents.document.with_page_markers)."""
    if page is not None:
        return f"[Page {page}]"
    if heading:
        return f"[Section: {' '.join(heading.split())}]"
    return ""


def _segments(content: AttachmentContent) -> list[tuple[int, int, int | None, str]]:
    """(start, end, page, heading) of each stretch of the text that belongs to one page or section."""
    size = len(content.text)
    anchors = sorted((a for a in content.anchors if 0 <= a[0] <= size), key=lambda a: a[0])
    segments: list[tuple[int, int, int | None, str]] = []
    first = anchors[0][0] if anchors else size
    if first > 0 or not anchors:
        segments.append((0, first, None, ""))
    for index, (offset, page, heading) in enumerate(anchors):
        end = anchors[index + 1][0] if index + 1 < len(anchors) else size
        segments.append((offset, end, page, heading))
    return segments


def _add_text(page: Page, text: str, start: int, place: Place | None) -> None:
    """Append `text` (cleaned; it begins at offset `start` of the source) as wrapped lines."""
    position = start
    for raw in text.split("\n"):
        for begin, end in wrap(raw):
            page.lines.append(raw[begin:end].rstrip())
            page.places.append(place)
            page.offsets.append(position + begin)
        position += len(raw) + 1


def document_page(content: AttachmentContent) -> Page:
    """A document's whole text as numbered lines, a marker line where each page or section starts."""
    record = content.record
    page = Page("document", link_text(record.name), document_url(record.id, record.name), [], [])
    text = clean(content.text)
    for start, end, number, heading in _segments(content):
        place = Place(record.name, attachment_id=record.id, page=number, heading=heading)
        marker = page_marker(number, heading)
        body = text[start:end]
        body = body.removesuffix("\n")
        if marker:
            page.lines.append(clean(marker))
            page.places.append(place)
            page.offsets.append(start)
        if body or not marker:
            _add_text(page, body, start, place)
    return page


def passage_line(page: Page, content: AttachmentContent, chunk: ChunkRecord) -> int:
    """The line where a passage of this document starts (its page's first line if its words cannot be
    found: an edited history, or a word cut in two when the passages were made)."""
    start = 0
    for offset, number, heading in content.anchors:
        if (chunk.page is not None and number == chunk.page) or (
            chunk.page is None and chunk.heading and heading == chunk.heading
        ):
            start = offset
            break
    words = chunk.text.split()[:_PROBE_WORDS]
    if words:
        # Whitespace as it was in the document: a passage joins paragraphs with its own.
        probe = re.compile(r"\s+".join(map(re.escape, words)))
        found = probe.search(content.text, start) or probe.search(content.text)
        if found is not None:
            start = found.start()
    return page.line_at(start)


def conversation_page(conversation: PastConversation) -> Page:
    """A past conversation's branch: each message after a "[User]" or "[Assistant]" line."""
    title = conversation.title.strip() or "Untitled conversation"
    place = Place(title, conversation_id=conversation.conversation_id)
    page = Page("conversation", link_text(title), conversation_url(conversation.conversation_id), [], [])
    for message in conversation.messages:
        if page.lines:
            page.lines.append("")
            page.places.append(None)
        page.message_lines[message.id] = len(page.lines)
        page.lines.append(_ROLE_MARKERS.get(message.role, f"[{clean(message.role)}]"))
        page.places.append(place)
        _add_text(page, clean(message.content), 0, place)
    if not page.lines:
        _add_text(page, "", 0, place)
    page.offsets.clear()  # only a document's lines point into a text
    return page


@dataclass(frozen=True)
class Result:
    """One search result: the link to open it, how it is named, and the words around the match."""

    link: Link
    title: str
    source: str
    snippet: str
    place: Place


def results_page(query: str, results: Sequence[Result], nothing_found: str) -> Page:
    """A list of search results, each a `【id†title†source】` line and its snippet."""
    # The query as the title, as the reference browser shows it; a rambling one is cut.
    page = Page("results", link_text(query)[:_LONGEST_TITLE], search_url(query[:_LONGEST_TITLE]), [], [])
    _add_text(page, clean(f"# Search results for “{' '.join(query[:_LONGEST_TITLE].split())}”"), 0, None)
    if not results:
        page.lines.append("")
        page.places.append(None)
        _add_text(page, clean(nothing_found), 0, None)
    for number, result in enumerate(results):
        page.links[number] = result.link
        page.lines.append("")
        page.places.append(None)
        # The link on a line of its own: wrapping must not cut it in two.
        page.lines.append(f"【{number}†{link_text(result.title)}†{link_text(result.source)}】")
        page.places.append(result.place)
        _add_text(page, " ".join(clean(result.snippet).split()), 0, result.place)
    page.offsets.clear()  # a results page has no text of its own to point into
    return page


def find_page(source: Page, pattern: str) -> Page:
    """The lines of `source` holding `pattern` (case-insensitive), each `# 【i†match at Ln】` and the
    lines from it on; the page is empty of matches but says so when there are none."""
    shown = " ".join(clean(pattern).split())
    page = Page("find", f"Find results for text: `{shown}` in `{source.title}`", "", [], [])
    page.url = f"{source.url}/find?pattern={quote(pattern, safe='')}"
    needle = clean(pattern).lower()
    number = 0
    line = 0
    while line < len(source.lines) and number < FIND_MAX_RESULTS:
        if needle not in source.lines[line].lower():
            line += 1
            continue
        if page.lines:
            page.lines.append("")
            page.places.append(None)
        page.links[number] = Link(page=source, line=line)
        page.lines.append(f"# 【{number}†match at L{line}】")
        page.places.append(source.places[line])
        shown_lines = range(line, min(line + FIND_LINES, len(source.lines)))
        page.lines += [source.lines[n] for n in shown_lines]
        page.places += [source.places[n] for n in shown_lines]
        number += 1
        line += FIND_LINES
    if not number:
        page.lines.append(f"No `find` results for pattern: `{shown}`")
        page.places.append(None)
    return page


def match_count(page: Page) -> int:
    """How many matches a find page lists."""
    return len(page.links) if page.kind == "find" else 0

"""The document parts of a reply: which documents it used and how, its sources, and clickable citations.

A reply's stats may hold how each document was used (ReplyStats.documents, saved by app.turn). From them
come one line per document ("Used the 6 most relevant passages of 212 from report.pdf": never a silent
cut), a "Sources:" line, and links on the answer's citations that exactly match a passage label
("[report.pdf p. 4]"). A citation of a range of pages ("[report.pdf pp. 4-5]", how gpt-oss's citations of
the lines it read are mapped when they span pages) links to the first of its pages there is a passage of.

Links use private schemes that the app handles itself; they are never given to the OS browser:
hearth-passage:<chunk id> and hearth-document:<attachment id>#<page>.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Final

from PySide6.QtCore import Qt, QUrl, Signal
from PySide6.QtWidgets import QLabel, QWidget

from app.render import Rendered
from app.reply_stats import ReplyStats

PASSAGE_SCHEME: Final = "hearth-passage"
DOCUMENT_SCHEME: Final = "hearth-document"
INTERNAL_SCHEMES: Final = frozenset({PASSAGE_SCHEME, DOCUMENT_SCHEME})


def passage_url(chunk_id: int) -> str:
    return f"{PASSAGE_SCHEME}:{chunk_id}"


def document_url(attachment_id: int, page: int | None = None) -> str:
    return f"{DOCUMENT_SCHEME}:{attachment_id}" + (f"#{page}" if page else "")


@dataclass(frozen=True)
class DocumentLink:
    """A parsed internal link: a passage (chunk_id) or a document (attachment_id, maybe a page)."""

    chunk_id: int | None = None
    attachment_id: int | None = None
    page: int | None = None


def parse_link(url: str) -> DocumentLink | None:
    parsed = QUrl(url)
    path, fragment = parsed.path(), parsed.fragment()
    if not path.isdigit():
        return None
    if parsed.scheme() == PASSAGE_SCHEME:
        return DocumentLink(chunk_id=int(path))
    if parsed.scheme() == DOCUMENT_SCHEME:
        return DocumentLink(attachment_id=int(path), page=int(fragment) if fragment.isdigit() else None)
    return None


@dataclass(frozen=True)
class Citations:
    """What in an answer's text may become a link: exact passage labels, and pages of whole documents."""

    labels: Mapping[str, str]  # "report.pdf p. 4" -> its url
    whole: Mapping[str, int]  # name of a document read whole -> its attachment id
    # name of a document -> page -> the url of a passage on that page, for "[report.pdf pp. 4-5]"
    pages: Mapping[str, Mapping[int, str]] = field(default_factory=dict)

    def __bool__(self) -> bool:
        return bool(self.labels or self.whole)


def citations_for(stats: ReplyStats) -> Citations:
    labels: dict[str, str] = {}
    whole: dict[str, int] = {}
    pages: dict[str, dict[int, str]] = {}
    for use in stats.documents:
        for passage in use.passages:
            url = passage_url(passage.chunk_id)
            labels.setdefault(passage.label, url)
            if passage.page is not None:
                pages.setdefault(use.name, {}).setdefault(passage.page, url)
        if use.mode == "whole":
            whole.setdefault(use.name, use.attachment_id)
    return Citations(labels, whole, pages)


_SKIP_INSIDE: Final = ("a", "code", "pre")
_TAG = re.compile(r"(<[^>]*>)")


def _escaped(text: str) -> str:
    # Exactly as app.render escapes text, so a label is found in the HTML it wrote.
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")


def _alternatives(texts: Iterable[str]) -> str:
    # The longest first, so "report.pdf p. 12" is not taken for "report.pdf p. 1".
    return "|".join(map(re.escape, sorted(map(_escaped, texts), key=len, reverse=True)))


def _citation_pattern(citations: Citations) -> re.Pattern[str]:
    choices = [f"(?P<label>{_alternatives(citations.labels)})"] if citations.labels else []
    ranged = {*citations.pages, *citations.whole}
    if ranged:
        choices.append(f"(?P<range>{_alternatives(ranged)}) pp\\. (?P<first>\\d+)[-–](?P<last>\\d+)")
    if citations.whole:
        choices.append(f"(?P<name>{_alternatives(citations.whole)})(?: p\\. (?P<page>\\d+))?")
    return re.compile(r"\[(?:" + "|".join(choices) + r")\]")


def _range_url(citations: Citations, name: str, first: int, last: int) -> str | None:
    """Where "[name pp. first-last]" leads: the first page in it with a passage, else that page of a
    document read whole; None when neither is known (the citation stays as plain text)."""
    known = citations.pages.get(name, {})
    page = next((p for p in range(first, min(last, first + 1000) + 1) if p in known), None)
    if page is not None:
        return known[page]
    if name in citations.whole:
        return document_url(citations.whole[name], first)
    return None


def linkify_citations(rendered: Rendered, citations: Citations) -> Rendered:
    """`rendered` with each citation in its text made a link to the passage (or the page).

    Only text outside links and code is touched, and only our own <a> is added around text that was
    already escaped, so the rendered HTML stays as safe as app.render made it.
    """
    if not citations:
        return rendered
    pattern = _citation_pattern(citations)
    unescape = html.unescape

    def link(match: re.Match[str]) -> str:
        label, ranged = match.groupdict().get("label"), match.groupdict().get("range")
        if label is not None:
            url = citations.labels[unescape(label)]
        elif ranged is not None:
            found = _range_url(citations, unescape(ranged), int(match["first"]), int(match["last"]))
            if found is None:
                return match.group(0)
            url = found
        else:
            attachment_id = citations.whole[unescape(match.group("name"))]
            page = match.group("page")
            url = document_url(attachment_id, int(page) if page else None)
        return f'<a href="{url}">{match.group(0)}</a>'

    def linkify(part: str) -> str:
        pieces = _TAG.split(part)
        depth = 0
        for index, piece in enumerate(pieces):
            if index % 2:  # a tag
                name = piece.strip("</>").split(" ", 1)[0].lower()
                if name in _SKIP_INSIDE:
                    depth += -1 if piece.startswith("</") else 1
            elif depth == 0 and "[" in piece:
                pieces[index] = pattern.sub(link, piece)
        return "".join(pieces)

    parts = tuple(linkify(part) for part in rendered.parts)
    return Rendered("".join(parts), rendered.code_blocks, parts)


class DocumentsLine(QLabel):
    """Under a reply: how each document was used, and its sources as links (handled in the app)."""

    link_activated = Signal(str)  # a hearth-passage: or hearth-document: url

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("documentsLine")
        self.setTextFormat(Qt.TextFormat.RichText)
        self.setWordWrap(True)
        self.setOpenExternalLinks(False)
        self.setTextInteractionFlags(Qt.TextInteractionFlag.LinksAccessibleByMouse)
        self.setAccessibleName(self.tr("Documents used for this reply"))
        self.linkActivated.connect(self._activated)
        self.summaries: list[str] = []
        self.sources: list[str] = []
        self.hide()

    def set_stats(self, stats: ReplyStats) -> None:
        uses = stats.documents
        self.summaries = [use.describe() for use in uses]
        links: list[tuple[str, str]] = []
        for use in uses:
            if use.passages:
                links.extend((p.label, passage_url(p.chunk_id)) for p in use.passages)
            else:
                links.append((use.name, document_url(use.attachment_id)))
        self.sources = [label for label, _url in links]
        # No emoji: many Linux desktops have no font for it, and a box would show instead.
        lines = [html.escape(summary) for summary in self.summaries]
        if links:
            anchors = " · ".join(f'<a href="{url}">{html.escape(label)}</a>' for label, url in links)
            lines.append(f"{html.escape(self.tr('Sources:'))} {anchors}")
        self.setText("<br>".join(lines))
        self.setVisible(bool(uses))

    def _activated(self, url: str) -> None:
        if QUrl(url).scheme() in INTERNAL_SCHEMES:
            self.link_activated.emit(url)

"""The document parts of a reply: which documents it used and how, its sources, and clickable citations.

A reply's stats may hold how each document was used (ReplyStats.documents, saved by app.turn). From them
come one line per document ("Used the 6 most relevant passages of 212 from report.pdf": never a silent
cut), a "Sources:" line, and links on the answer's citations that exactly match a passage label
("[report.pdf p. 4]").

Links use private schemes that the app handles itself; they are never given to the OS browser:
hearth-passage:<chunk id> and hearth-document:<attachment id>#<page>.
"""

from __future__ import annotations

import html
import re
from collections.abc import Mapping
from dataclasses import dataclass
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

    def __bool__(self) -> bool:
        return bool(self.labels or self.whole)


def citations_for(stats: ReplyStats) -> Citations:
    labels: dict[str, str] = {}
    whole: dict[str, int] = {}
    for use in stats.documents:
        for passage in use.passages:
            labels.setdefault(passage.label, passage_url(passage.chunk_id))
        if use.mode == "whole":
            whole.setdefault(use.name, use.attachment_id)
    return Citations(labels, whole)


_SKIP_INSIDE: Final = ("a", "code", "pre")
_TAG = re.compile(r"(<[^>]*>)")


def _escaped(text: str) -> str:
    # Exactly as app.render escapes text, so a label is found in the HTML it wrote.
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")


def _citation_pattern(citations: Citations) -> re.Pattern[str]:
    labels = sorted(map(_escaped, citations.labels), key=len, reverse=True)
    names = sorted(map(_escaped, citations.whole), key=len, reverse=True)
    choices = [f"(?P<label>{'|'.join(map(re.escape, labels))})"] if labels else []
    if names:
        choices.append(f"(?P<name>{'|'.join(map(re.escape, names))})(?: p\\. (?P<page>\\d+))?")
    return re.compile(r"\[(?:" + "|".join(choices) + r")\]")


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
        label = match.groupdict().get("label")
        if label is not None:
            url = citations.labels[unescape(label)]
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

"""Web pages: the visible text only, with headings as anchors. Nothing in the page is ever run."""

from __future__ import annotations

import re
from html.parser import HTMLParser

from app.documents.document import DocumentError
from app.documents.formats.common import Extracted, Job, TextBuilder
from app.documents.formats.plain import find_encoding, open_text
from app.i18n import Deferred

# Content a browser does not show as text. Script and style hold code; the others hold markup for
# later, or fallbacks a browser with scripting never shows.
_HIDDEN = frozenset({"script", "style", "noscript", "template", "iframe", "object", "svg", "math"})
# Raw-text elements: browsers ignore a "/>" on these, so what follows is still code, never text.
_RAW = frozenset({"script", "style", "noscript", "template"})
# Elements that start and end a line.
_BLOCKS = frozenset(
    "address article aside blockquote body caption dd details dialog div dl dt fieldset figcaption figure "  # noqa: SIM905 (a word list reads better as prose)
    "footer form h1 h2 h3 h4 h5 h6 header hr html li main nav ol p pre section summary table tbody tfoot "
    "thead tr ul".split()
)
_ANCHORED = {"h1": 1, "h2": 2, "h3": 3}
_CHUNK_CHARS = 1 << 18
# Markup parsed at most, text or not: some three to five seconds of html.parser, and far more than any
# page a person reads holds (a 2,500-page book as HTML is about 10 MB).
MAX_MARKUP_CHARS = 12_000_000
_MAX_HEADING_CHARS = 300
_SPACES = re.compile(r"\s+")
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?([A-Za-z0-9_.:-]+)""", re.IGNORECASE)


class _PageText(HTMLParser):
    def __init__(self, builder: TextBuilder) -> None:
        super().__init__(convert_charrefs=True)
        self.builder = builder
        self._title: list[str] | None = None  # text of the <title> being read
        self._title_done = False
        self._title_heading = ""
        self._title_end = -1
        self._hidden: list[str] = []  # the hidden elements we are inside, innermost last
        self._pre = 0
        self._heading: list[str] | None = None  # text of the h1–h3 being read
        self._heading_level = 0
        self._line_has_cell = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "title" and not self._hidden and not self._title_done:
            self._title = []
            return
        if tag in _HIDDEN:
            self._hidden.append(tag)
            return
        if self._hidden:
            return
        if tag in _BLOCKS:
            self.builder.line_break(2 if tag in {"p", "table", "pre", "blockquote", "ul", "ol"} else 1)
        if tag == "pre":
            self._pre += 1
        elif tag == "br":
            self.builder.add("\n")
        elif tag == "li":
            self.builder.add("- ")
        elif tag in {"td", "th"}:
            if self._line_has_cell:
                self.builder.add(" | ")
            self._line_has_cell = True
        elif tag == "tr":
            self._line_has_cell = False
        elif tag in _ANCHORED:
            self._heading, self._heading_level = [], _ANCHORED[tag]

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        # <br/>, <hr/>, <svg/>: a self-closed element has nothing inside to hide, except the raw-text ones.
        if tag not in _HIDDEN or tag in _RAW:
            self.handle_starttag(tag, attrs)

    def handle_endtag(self, tag: str) -> None:
        if tag == "title" and self._title is not None:
            self._end_title()
            return
        if self._hidden:
            if tag in self._hidden:
                # Closes the innermost open one of its kind, and anything left unclosed inside it.
                index = len(self._hidden) - 1 - self._hidden[::-1].index(tag)
                del self._hidden[index:]
            return
        if tag == "pre":
            self._pre = max(0, self._pre - 1)
        if tag in _ANCHORED and self._heading is not None:
            heading = " ".join("".join(self._heading).split())
            if heading == self._title_heading and self.builder.length == self._title_end:
                pass  # the page's first heading repeats its title
            elif heading:
                self.builder.line_break(2)
                self.builder.anchor(heading=heading)
                self.builder.add("#" * self._heading_level + " " + heading + "\n\n")
            self._heading = None
        elif tag in _BLOCKS:
            self.builder.line_break(2 if tag in {"p", "table", "pre", "blockquote", "ul", "ol"} else 1)

    def handle_data(self, data: str) -> None:
        if self._hidden:
            return
        if self._title is not None:
            self._title.append(data)
            return
        if self._heading is not None:
            self._heading.append(data)
            if sum(map(len, self._heading)) > _MAX_HEADING_CHARS:
                self.flush()  # no heading is this long: a missing </h1>, and the rest is body text
            return
        if not self._pre:
            data = _SPACES.sub(" ", data)
            if self.builder.length == 0 or self.builder.at_line_start:
                data = data.lstrip(" ")
        self.builder.add(data)

    def flush(self) -> None:
        """Keeps the text of an element the page never closed."""
        if self._title is not None:
            self._end_title()
        if self._heading is not None:
            text, self._heading = "".join(self._heading), None
            self.handle_data(text)

    def _end_title(self) -> None:
        """The title starts the text as a heading: it is often the best name for what the page is."""
        title = " ".join("".join(self._title or []).split())[:_MAX_HEADING_CHARS]
        self._title, self._title_done = None, True
        if title:
            self.builder.line_break(2)
            self.builder.anchor(heading=title)
            self.builder.add(f"# {title}\n\n")
            self._title_heading, self._title_end = title, self.builder.length


def read_html(data: bytes, job: Job) -> Extracted:
    """The page's text, parsed as it is decoded, a slice at a time, until the text limit is full.

    html.parser reads some two or three megabytes of dense markup a second, so past MAX_MARKUP_CHARS the
    reading stops too, and the notes say the text was cut.
    """
    declared = _META_CHARSET.search(data[:4096])
    encoding = find_encoding(data, job.name, declared.group(1).decode("ascii") if declared else None)
    stream = open_text(data, encoding)
    builder = TextBuilder(job.max_chars)
    parser = _PageText(builder)
    parsed = 0
    try:
        while not builder.full:
            piece = stream.read(_CHUNK_CHARS)
            if not piece:
                break
            job.report(parsed / max(1, len(data)))
            parser.feed(piece)
            parsed += len(piece)
            if parsed >= MAX_MARKUP_CHARS and stream.read(1):
                parser.close()
                parser.flush()
                builder.stop()
                return builder.finish()
        parser.close()
        parser.flush()
    except (AssertionError, ValueError, IndexError) as error:
        # html.parser is lenient, but some broken markup still trips its internal checks.
        raise DocumentError(
            Deferred.translate("Documents", "“{name}” could not be read as a web page.").format(name=job.name)
        ) from error
    return builder.finish()

"""Markdown from the model -> a safe HTML fragment in the subset QTextDocument understands.

Model output is untrusted. Nothing in it may run, load or link anywhere on its own:
- raw HTML, comments and entities are shown as the text they are (the HTML parsers are removed and
  our own serializer escapes every '&' and '<');
- only http/https links stay clickable, and the view still asks before opening one;
- images never become <img>: they are shown as "[image: alt]", so nothing remote is fetched.

The serializer below is the single place where HTML is written, and it only writes tags and
attributes it knows. Styles are inline because QTextDocument ignores most CSS and has no classes.
"""

from __future__ import annotations

import html
import re
import threading
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from typing import Final
from urllib.parse import urlsplit, urlunsplit
from xml.etree.ElementTree import Element

import markdown
from markdown.extensions import Extension
from markdown.inlinepatterns import InlineProcessor
from markdown.preprocessors import Preprocessor
from markdown.util import AtomicString
from pygments import highlight
from pygments.formatters import HtmlFormatter
from pygments.lexer import Lexer
from pygments.lexers import TextLexer, get_lexer_by_name
from pygments.util import ClassNotFound
from PySide6.QtCore import QCoreApplication

COPY_SCHEME: Final = "hearth-copy"


@dataclass(frozen=True)
class Rendered:
    html: str
    # Raw code of each code block; the block's Copy link is hearth-copy:N for index N.
    code_blocks: tuple[str, ...]
    # `html` cut at top-level block boundaries ("".join(parts) == html). While a reply streams only
    # its last parts change, so a view can keep the earlier ones instead of re-laying out everything.
    parts: tuple[str, ...] = ()


@dataclass(frozen=True)
class _Theme:
    pygments_style: str
    code_text: str
    code_bg: str
    code_header_bg: str
    code_header_text: str
    inline_code_bg: str
    table_border: str
    table_header_bg: str
    quote: str


_LIGHT: Final = _Theme(
    pygments_style="default",
    code_text="#1f2328",
    code_bg="#f6f8fa",
    code_header_bg="#e8ebef",
    code_header_text="#57606a",
    inline_code_bg="#eceff2",
    table_border="#d0d7de",
    table_header_bg="#f3f5f7",
    quote="#57606a",
)
_DARK: Final = _Theme(
    pygments_style="one-dark",
    code_text="#abb2bf",
    code_bg="#282c34",
    code_header_bg="#21252b",
    code_header_text="#9da5b4",
    inline_code_bg="#3a3f4b",
    table_border="#4a505c",
    table_header_bg="#2f343d",
    quote="#9da5b4",
)


def safe_link(url: str) -> str | None:
    """The url, normalised, if it is an absolute http(s) link to a host; otherwise None.

    Anything with whitespace or control characters inside is refused rather than repaired, so what
    the confirmation shows is exactly what would open.
    """
    url = url.strip()
    if not url or any(ord(c) <= 0x20 or ord(c) == 0x7F for c in url) or "\\" in url:
        return None
    try:
        parts = urlsplit(url)
        host = parts.hostname
    except ValueError:  # e.g. an unbalanced IPv6 bracket
        return None
    if parts.scheme.lower() not in ("http", "https") or not host:
        return None
    return urlunsplit((parts.scheme.lower(), parts.netloc, parts.path, parts.query, parts.fragment))


def render_markdown(text: str, *, dark: bool = False) -> Rendered:
    """Render `text` (possibly still streaming: an unclosed ``` fence renders as code).

    Each top-level chunk is rendered on its own and remembered, so re-rendering a growing reply
    costs about as much as its last paragraph, not the whole reply.
    """
    parts: list[str] = []
    code_blocks: list[str] = []
    for chunk in split_blocks(text):
        html_part, blocks = _render_chunk(chunk, dark, len(code_blocks))
        parts.append(html_part)
        code_blocks.extend(blocks)
    return Rendered("".join(parts), tuple(code_blocks), tuple(parts))


def warm_up() -> None:
    """Build the Markdown converter and load a lexer now (~50 ms), not during the first reply."""
    render_markdown("*warm*\n\n```python\npass\n```")


def split_blocks(text: str) -> list[str]:
    """Cut markdown where a new top-level block starts: a blank line, then an unindented line.

    Never inside a fenced block, and never between the items of a list (a list with blank lines
    between its items stays one list). A chunk renders the same alone as inside the whole text, because
    reference-style links, the only thing that reaches across blocks, are not supported.
    """
    chunks: list[str] = []
    current: list[str] = []
    closing: re.Pattern[str] | None = None
    previous_blank = False
    in_list = False  # the latest unindented line was a list item
    for line in text.split("\n"):
        if closing is not None:
            current.append(line)
            if closing.match(line):
                closing = None
            continue
        if line[:1] not in ("", " ", "\t"):
            is_item = bool(_LIST_ITEM.match(line))
            if previous_blank and not (is_item and in_list):
                if chunk := "\n".join(current).strip("\n"):
                    chunks.append(chunk)
                current = []
            in_list = is_item
        current.append(line)
        if fence := _FENCE_OPEN.match(line):
            closing = _closing_fence(fence["fence"])
        previous_blank = not line.strip()
    if chunk := "\n".join(current).strip("\n"):
        chunks.append(chunk)
    return chunks


@lru_cache(maxsize=1024)
def _render_chunk(chunk: str, dark: bool, first_code_index: int) -> tuple[str, tuple[str, ...]]:
    converter = _converter()
    converter.begin(_DARK if dark else _LIGHT, first_code_index)
    try:
        return converter.md.convert(chunk), tuple(converter.code_blocks)
    finally:
        converter.md.reset()


def _tr(text: str) -> str:
    return QCoreApplication.translate("Render", text)


# --- code blocks --------------------------------------------------------------------------------


@lru_cache(maxsize=64)
def _lexer(language: str) -> Lexer:
    plain: Lexer = TextLexer()
    if not language:
        return plain  # guessing the language is slow and often wrong
    try:
        return get_lexer_by_name(language)
    except ClassNotFound:
        return plain


@lru_cache(maxsize=4)
def _formatter(style: str) -> HtmlFormatter[str]:
    # nowrap: only the coloured <span>s; we write the surrounding markup QTextDocument can show.
    return HtmlFormatter(style=style, noclasses=True, nowrap=True)


@lru_cache(maxsize=256)
def _highlighted(code: str, language: str, style: str) -> str:
    """Cached because while a reply streams every finished block is highlighted again on each render."""
    if not code:
        return ""
    return highlight(code, _lexer(language), _formatter(style)).rstrip("\n")


def _code_block_html(code: str, language: str, index: int, theme: _Theme) -> str:
    # A borderless card: QTextDocument draws table borders around every cell, which looks busy.
    label = html.escape(language) if language else "&nbsp;"
    header = f'bgcolor="{theme.code_header_bg}" style="font-size:small; color:{theme.code_header_text};"'
    return (
        f'<table width="100%" cellspacing="0" cellpadding="6" style="margin-top:4px; margin-bottom:8px;">'
        f"<tr><td {header}>{label}</td>"
        f'<td align="right" {header}><a href="{COPY_SCHEME}:{index}" style="color:{theme.code_header_text};">'
        f"{html.escape(_tr('Copy'))}</a></td></tr>"
        f'<tr><td colspan="2" bgcolor="{theme.code_bg}">'
        f'<pre style="margin:0; white-space:pre-wrap; color:{theme.code_text};">'
        f"{_highlighted(code, language, theme.pygments_style)}</pre></td></tr></table>"
    )


_FENCE_OPEN = re.compile(r"^(?P<indent>[ \t]*)(?P<fence>`{3,}|~{3,})[ \t]*\{?\.?(?P<lang>[\w#+.-]*)[^`]*$")


def _closing_fence(opening: str) -> re.Pattern[str]:
    return re.compile(rf"^[ \t]*{re.escape(opening[0])}{{{len(opening)},}}[ \t]*$")


_LIST_ITEM = re.compile(r"^(?P<indent>[ \t]*)(?P<marker>[-*+]|\d{1,9}[.)])(?P<gap>[ \t]+|$)")
_TABLE_RULE = re.compile(r"^[ \t]*\|?[ \t]*:?-+:?[ \t]*(\|[ \t]*:?-+:?[ \t]*)+\|?[ \t]*$")


@dataclass
class _ListLevel:
    marker_col: int
    content_col: int


class _BlockPreprocessor(Preprocessor):
    """Fenced code blocks, and the lists and tables models write the CommonMark way.

    Fences: taken out of the text before Markdown sees it (into the HTML stash), also when indented
    inside a list item, and an unclosed fence runs to the end so a streaming block shows as code.

    Lists and tables: Python-Markdown wants a blank line before a list or table and four spaces per
    nesting level; models write "Steps:\\n1. ..." and nest by two or three spaces. The lines are
    re-indented to what Python-Markdown expects, so those replies do not collapse into one paragraph.
    """

    def __init__(self, md: markdown.Markdown, on_code: Callable[[str, str], str]) -> None:
        super().__init__(md)
        self._on_code = on_code

    def run(self, lines: list[str]) -> list[str]:
        out: list[str] = []
        levels: list[_ListLevel] = []
        previous_blank = True
        i = 0
        while i < len(lines):
            line = lines[i].expandtabs(4)
            indent = len(line) - len(line.lstrip(" "))
            if not line.strip():
                out.append("")
                previous_blank = True
                i += 1
                continue
            fence = _FENCE_OPEN.match(line)
            if fence:
                i, placeholder = self._take_fence(lines, i, fence)
                line = " " * indent + placeholder
            item = None if fence else _LIST_ITEM.match(line)
            if item:
                starts_list = not levels
                # Deeper than the parent's marker means nested. CommonMark wants the parent's content
                # column, but models nest "  - " under "1. " and mean it as a sub-list.
                while levels and indent <= levels[-1].marker_col:
                    levels.pop()
                if starts_list and not previous_blank and not _may_interrupt_paragraph(item["marker"]):
                    out.append(line)  # "2023. was a good year" inside a paragraph is not a list
                    previous_blank = False
                    i += 1
                    continue
                if starts_list and not previous_blank:
                    out.append("")
                # Python-Markdown knows only "1." for ordered lists, not "1)".
                marker, rest = item["marker"].replace(")", "."), line[item.end() :]
                content_col = indent + len(marker) + max(1, len(item["gap"]))
                out.append(" " * (4 * len(levels)) + marker + " " + rest)
                levels.append(_ListLevel(indent, content_col))
            elif levels and indent >= levels[0].content_col:
                while indent < levels[-1].content_col:
                    levels.pop()
                out.append(" " * (4 * len(levels)) + line.lstrip(" "))
            else:
                if levels and previous_blank:
                    levels.clear()
                if fence and not levels:
                    out.extend(["", line.lstrip(" "), ""])
                elif not levels and not previous_blank and self._table_starts(lines, i):
                    out.extend(["", line])
                else:
                    out.append(line)
            previous_blank = False
            i += 1
        # A placeholder on the last line must still end its paragraph, as it would mid-text.
        return [*out, "", ""]

    def _take_fence(self, lines: list[str], start: int, fence: re.Match[str]) -> tuple[int, str]:
        """Stash the block opened at `start`; returns the index of its last line and the placeholder."""
        indent = len(fence["indent"].expandtabs(4))
        closing = _closing_fence(fence["fence"])
        code: list[str] = []
        end = start + 1
        while end < len(lines) and not closing.match(lines[end]):
            raw = lines[end].expandtabs(4)
            # Drop the fence's own indentation from each line, but never any of the code's.
            strip = min(indent, len(raw) - len(raw.lstrip(" ")))
            code.append(raw[strip:])
            end += 1
        # Trailing blank lines are Markdown's own padding when the fence is still open.
        source = "\n".join(code).rstrip("\n")
        placeholder = self.md.htmlStash.store(self._on_code(source, fence["lang"].lower()))
        return min(end, len(lines) - 1), placeholder

    @staticmethod
    def _table_starts(lines: list[str], i: int) -> bool:
        return (
            lines[i].lstrip().startswith("|") and i + 1 < len(lines) and bool(_TABLE_RULE.match(lines[i + 1]))
        )


def _may_interrupt_paragraph(marker: str) -> bool:
    # CommonMark's rule: only a bullet or an ordered list starting at 1 may begin right after text.
    return not marker[0].isdigit() or marker[:-1] == "1"


class _BareLinkProcessor(InlineProcessor):
    """Models write bare https://… addresses; make them links (Markdown only links <https://…>)."""

    # The stubs give InlineProcessor the older Pattern.handleMatch(m) signature; this is the real one.
    def handleMatch(self, m: re.Match[str], data: str) -> tuple[Element, int, int]:  # type: ignore[override]
        url = m.group(0).rstrip(".,;:!?")
        if url.endswith(")") and url.count("(") < url.count(")"):
            url = url[:-1]
        element = Element("a", {"href": url})
        element.text = AtomicString(url)
        return element, m.start(0), m.start(0) + len(url)


# --- the serializer: the only writer of HTML -----------------------------------------------------


_PLACEHOLDER = re.compile("^\x02wzxhzdk:[0-9]+\x03$")
_SIMPLE_TAGS: Final = frozenset(
    {"ul", "ol", "li", "em", "strong", "b", "i", "del", "s", "thead", "tbody", "tr", "br", "hr"}
)
_HEADING_SIZES: Final = {"h1": "x-large", "h2": "large", "h3": "medium"}
_ALIGN: Final = frozenset({"left", "right", "center"})


def _escape(text: str) -> str:
    # Every '&' becomes '&amp;' (ElementTree keeps entities as they are), so "&lt;" stays visible text.
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")


def _code_unescape(text: str) -> str:
    # Markdown pre-escapes code spans (markdown.util.code_escape); undo it so _escape is the only escape.
    return text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")


class _Serializer:
    def __init__(self, theme: _Theme, on_code: Callable[[str, str], str]) -> None:
        self._theme = theme
        self._on_code = on_code
        self._parts: list[str] = []
        self._in_link = False

    def __call__(self, root: Element) -> str:
        self._parts = ["<div>"]
        self._children(root)
        self._parts.append("</div>")
        return "".join(self._parts)

    def _children(self, element: Element, *, code: bool = False) -> None:
        if element.text:
            self._text(element.text, code=code)
        for child in element:
            self._element(child, code=code)
            if child.tail:
                self._text(child.tail, code=code)

    def _text(self, text: str, *, code: bool) -> None:
        self._parts.append(_escape(_code_unescape(text) if code else text))

    def _wrap(self, element: Element, opening: str, closing: str, *, code: bool = False) -> None:
        self._parts.append(opening)
        self._children(element, code=code)
        self._parts.append(closing)

    def _element(self, element: Element, *, code: bool) -> None:
        tag, theme = str(element.tag), self._theme
        if tag in _SIMPLE_TAGS:
            if tag == "br":
                self._parts.append("<br />")
            elif tag == "hr":
                # A paragraph drawn as a thin line: QTextDocument loses a <hr> that starts a part a view
                # appends (see MessageText.show_rendered), and a table here would leave a gap.
                self._parts.append(
                    f'<p style="background-color:{theme.table_border}; font-size:1px; margin-top:10px; '
                    'margin-bottom:10px;">&nbsp;</p>'
                )
            elif tag == "ol" and (start := element.get("start", "")).isdigit():
                self._wrap(element, f'<ol start="{start}">', "</ol>")
            else:
                self._wrap(element, f"<{tag}>", f"</{tag}>")
        elif tag == "p":
            if _PLACEHOLDER.match(element.text or "") and len(element) == 0:
                # Exactly "<p>placeholder</p>": the stash swaps the whole paragraph for the code block.
                self._wrap(element, "<p>", "</p>")
            else:
                self._wrap(element, '<p style="margin-top:0; margin-bottom:8px;">', "</p>")
        elif tag in ("h1", "h2", "h3", "h4", "h5", "h6"):
            size = _HEADING_SIZES.get(tag, "medium")
            style = f"font-size:{size}; font-weight:600; margin-top:10px; margin-bottom:6px;"
            self._wrap(element, f'<{tag} style="{style}">', f"</{tag}>")
        elif tag == "code":
            style = f"background-color:{theme.inline_code_bg};"
            self._wrap(element, f'<code style="{style}">', "</code>", code=True)
        elif tag == "pre":
            # An indented (not fenced) code block: show it like a fenced one, with its own Copy link.
            inner = element[0] if len(element) and element[0].tag == "code" else element
            self._parts.append(self._on_code(_code_unescape(inner.text or "").rstrip("\n"), ""))
        elif tag == "blockquote":
            style = f"color:{theme.quote}; margin-left:12px; margin-top:0; margin-bottom:8px;"
            self._wrap(element, f'<blockquote style="{style}">', "</blockquote>")
        elif tag == "table":
            opening = (
                f'<table cellspacing="0" cellpadding="5" style="border-collapse:collapse; '
                f"border-style:solid; border-width:1px; border-color:{theme.table_border}; "
                f'margin-top:4px; margin-bottom:8px;">'
            )
            self._wrap(element, opening, "</table>")
        elif tag in ("th", "td"):
            align = str(element.get("style", "")).removeprefix("text-align: ").rstrip(";")
            attrs = f' align="{align}"' if align in _ALIGN else ""
            if tag == "th":
                attrs += f' bgcolor="{theme.table_header_bg}"'
            attrs += f' style="border-style:solid; border-width:1px; border-color:{theme.table_border};"'
            self._wrap(element, f"<{tag}{attrs}>", f"</{tag}>")
        elif tag == "a":
            self._link(element)
        elif tag == "img":
            self._image(element)
        else:
            # Nothing else should come out of Markdown without raw HTML; if it does, keep only its text.
            self._children(element, code=code)

    def _link(self, element: Element) -> None:
        url = safe_link(str(element.get("href", "")))
        if url is None or self._in_link:
            self._children(element)  # an unsafe or nested link is just its text
            return
        self._in_link = True
        try:
            self._wrap(element, f'<a href="{_escape(url)}">', "</a>")
        finally:
            self._in_link = False

    def _image(self, element: Element) -> None:
        alt = str(element.get("alt", "")) or _tr("image")
        label = _escape(QCoreApplication.translate("Render", "[image: {alt}]").format(alt=alt))
        url = safe_link(str(element.get("src", "")))
        if url is None or self._in_link:
            self._parts.append(label)
        else:
            self._parts.append(f'<a href="{_escape(url)}">{label}</a>')


# --- one Markdown instance per thread, reset between uses ------------------------------------------


class _Converter(Extension):
    def __init__(self) -> None:
        super().__init__()
        self.theme = _LIGHT
        self.first_code_index = 0
        self.code_blocks: list[str] = []
        self.md = markdown.Markdown(extensions=["tables", "sane_lists", "nl2br", self])

    def begin(self, theme: _Theme, first_code_index: int) -> None:
        self.theme = theme
        self.first_code_index = first_code_index
        self.code_blocks = []
        self.md.serializer = _Serializer(theme, self._code)

    def extendMarkdown(self, md: markdown.Markdown) -> None:
        # Raw HTML must stay text: no HTML block or inline parsers, no entities, no mail obfuscation.
        md.preprocessors.deregister("html_block")
        md.inlinePatterns.deregister("html")
        md.inlinePatterns.deregister("entity")
        md.inlinePatterns.deregister("automail")
        # Reference-style links would tie chunks together (see split_blocks); models rarely write them,
        # and "[1]" then stays plain text. Two trailing spaces need no rule of their own with nl2br.
        for name in ("reference", "image_reference", "short_reference", "short_image_ref", "linebreak"):
            md.inlinePatterns.deregister(name)
        md.parser.blockprocessors.deregister("reference")
        # Pretty-printing the HTML only costs time: nobody reads it and QTextDocument ignores it.
        md.treeprocessors.deregister("prettify")
        md.preprocessors.register(_BlockPreprocessor(md, self._code), "hearth_blocks", 25)
        md.inlinePatterns.register(_BareLinkProcessor(r"\bhttps?://[^\s<>\"'`\]]+", md), "bare_link", 115)

    def _code(self, code: str, language: str) -> str:
        self.code_blocks.append(code)
        index = self.first_code_index + len(self.code_blocks) - 1
        return _code_block_html(code, language, index, self.theme)


_local = threading.local()


def _converter() -> _Converter:
    # Building a Markdown instance costs more than converting a reply; it is not thread-safe, so one each.
    converter: _Converter | None = getattr(_local, "converter", None)
    if converter is None:
        converter = _local.converter = _Converter()
    return converter

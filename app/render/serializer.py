"""The serializer: the only code that writes the HTML of a rendered reply.

This is the security boundary. It walks the ElementTree Python-Markdown builds and writes only the tags
and attributes it knows, each with values it chose or checked:
- every piece of text goes through _escape, so raw HTML, comments and entities in the model's output are
  shown as the text they are;
- a link keeps its href only if safe_link accepts it (absolute http/https), and links never nest;
- images never become <img>: they are written as "[image: alt]", a link at most, so nothing is fetched;
- any element it does not know is dropped and only its text is kept.

Styles are inline because QTextDocument ignores most CSS and has no classes.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Final
from urllib.parse import urlsplit, urlunsplit
from xml.etree.ElementTree import Element

from app.render.highlight import highlighted
from app.render.themes import Theme

COPY_SCHEME: Final = "hearth-copy"


@dataclass(frozen=True)
class Labels:
    """The words a rendered reply shows of its own. English here; the window passes translated ones.

    Part of the chunk cache's key, so a change of language renders again instead of reusing old words.
    """

    copy: str = "Copy"
    image: str = "image"  # an image's stand-in name when it has no alt text
    image_text: str = "[image: {alt}]"  # what an image is shown as instead of being loaded


ENGLISH: Final = Labels()


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


def _escape(text: str) -> str:
    # Every '&' becomes '&amp;' (ElementTree keeps entities as they are), so "&lt;" stays visible text.
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")


def _code_unescape(text: str) -> str:
    # Markdown pre-escapes code spans (markdown.util.code_escape); undo it so _escape is the only escape.
    return text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")


def code_block_html(
    code: str, language: str, index: int, theme: Theme, labels: Labels, *, copy_link: bool = True
) -> str:
    """A code block as a card: its language, a Copy link (hearth-copy:index) and the coloured code.

    Without `copy_link` (a page saved for a browser, where the scheme means nothing) the header cell
    is left empty instead.
    """
    # A borderless card: QTextDocument draws table borders around every cell, which looks busy.
    label = html.escape(language) if language else "&nbsp;"
    header = f'bgcolor="{theme.code_header_bg}" style="font-size:small; color:{theme.code_header_text};"'
    copy = "&nbsp;"
    if copy_link:
        style = f"color:{theme.code_header_text};"
        copy = f'<a href="{COPY_SCHEME}:{index}" style="{style}">{html.escape(labels.copy)}</a>'

    return (
        f'<table width="100%" cellspacing="0" cellpadding="6" style="margin-top:4px; margin-bottom:8px;">'
        f'<tr><td {header}>{label}</td><td align="right" {header}>{copy}</td></tr>'
        f'<tr><td colspan="2" bgcolor="{theme.code_bg}">'
        f'<pre style="margin:0; white-space:pre-wrap; color:{theme.code_text};">'
        f"{highlighted(code, language, theme.pygments_style)}</pre></td></tr></table>"
    )


def plain_html(text: str) -> str:
    """`text` as one paragraph of plain text, line breaks kept: what the renderer shows of markdown it
    could not or should not read (see pipeline and pieces)."""
    lines = _escape(text).replace("\n", "<br />")
    return f'<p style="margin-top:0; margin-bottom:8px;">{lines}</p>'


def flat_html(text: str) -> str:
    """`text` as one paragraph of plain text that flows: each run of spaces and line breaks is one space."""
    return f'<p style="margin-top:0; margin-bottom:8px;">{_escape(" ".join(text.split()))}</p>'


_PLACEHOLDER = re.compile("^\x02wzxhzdk:[0-9]+\x03$")
_SIMPLE_TAGS: Final = frozenset(
    {"ul", "ol", "li", "em", "strong", "b", "i", "del", "s", "thead", "tbody", "tr", "br", "hr"}
)
_HEADING_SIZES: Final = {"h1": "x-large", "h2": "large", "h3": "medium"}
_ALIGN: Final = frozenset({"left", "right", "center"})
# Lists and quotes deeper than this are written as plain blocks at this depth: each level indents the
# text further, so deeper ones would leave no room for it (blocks.py keeps most markdown within this).
MAX_NESTING: Final = 12
_NESTING_TAGS: Final = frozenset({"ul", "ol", "blockquote"})
# Emphasis, code and links inside each other deeper than this are written as their text alone.
MAX_INLINE_NESTING: Final = 10
_INLINE_TAGS: Final = frozenset({"em", "strong", "b", "i", "del", "s", "code", "a"})


@dataclass(frozen=True)
class _Place:
    """Where in the tree an element is written: what its text needs, and how deep it is."""

    code: bool = False  # inside <code>: Markdown's own escapes are undone (see _code_unescape)
    in_link: bool = False  # links never nest, and an image inside one stays its label
    nesting: int = 0  # lists and quotes around it
    inline: int = 0  # emphasis, code and links around it


# What _open makes of one element: its whole HTML, or its opening tag, closing tag and its children's place.
_Opened = str | tuple[str, str, _Place]


class Serializer:
    """Python-Markdown's serializer hook: Element tree in, HTML subset out.

    The tree is walked with a list as the stack, not by recursion: markdown nested a few hundred levels
    deep (lists of lists, quotes in lists, emphasis in emphasis) made a tree deeper than Python's
    recursion limit, and such a reply could only be shown as plain text.
    """

    def __init__(self, theme: Theme, labels: Labels, on_code: Callable[[str, str], str]) -> None:
        self._theme = theme
        self._labels = labels
        self._on_code = on_code

    def __call__(self, root: Element) -> str:
        parts = ["<div>"]
        # Each entry is HTML to write as it is, or an element to open at its place.
        todo: list[str | tuple[Element, _Place]] = ["</div>"]
        self._schedule_children(todo, root, _Place())
        while todo:
            entry = todo.pop()
            if isinstance(entry, str):
                parts.append(entry)
                continue
            element, place = entry
            opened = self._open(element, place)
            if isinstance(opened, str):
                parts.append(opened)
                continue
            opening, closing, inner = opened
            parts.append(opening)
            todo.append(closing)
            self._schedule_children(todo, element, inner)
        return "".join(parts)

    def _schedule_children(
        self, todo: list[str | tuple[Element, _Place]], element: Element, place: _Place
    ) -> None:
        """Put the element's text and children on the stack so that they come off it in order."""
        for child in reversed(element):
            if child.tail:
                todo.append(self._text(child.tail, place))
            todo.append((child, place))
        if element.text:
            todo.append(self._text(element.text, place))

    @staticmethod
    def _text(text: str, place: _Place) -> str:
        return _escape(_code_unescape(text) if place.code else text)

    def _open(self, element: Element, place: _Place) -> _Opened:
        tag, theme = str(element.tag), self._theme
        if tag in _NESTING_TAGS or (tag == "li" and place.nesting > MAX_NESTING):
            if place.nesting >= MAX_NESTING:
                # Too deep to indent again: each item or quote is a block of its own at this depth.
                return "<div>", "</div>", replace(place, nesting=MAX_NESTING + 1)
            place = replace(place, nesting=place.nesting + 1)
        elif tag in _INLINE_TAGS:
            if place.inline >= MAX_INLINE_NESTING:
                return "", "", replace(place, code=place.code or tag == "code")
            place = replace(place, inline=place.inline + 1)
        if tag in _SIMPLE_TAGS:
            if tag == "br":
                return "<br />"
            if tag == "hr":
                # A paragraph drawn as a thin line: QTextDocument loses a <hr> that starts a part a view
                # appends (see MessageText.show_rendered), and a table here would leave a gap.
                return (
                    f'<p style="background-color:{theme.table_border}; font-size:1px; margin-top:10px; '
                    'margin-bottom:10px;">&nbsp;</p>'
                )
            if tag == "ol" and (start := element.get("start", "")).isdigit():
                return f'<ol start="{start}">', "</ol>", place
            return f"<{tag}>", f"</{tag}>", place
        if tag == "p":
            if _PLACEHOLDER.match(element.text or "") and len(element) == 0:
                # Exactly "<p>placeholder</p>": the stash swaps the whole paragraph for the code block.
                return "<p>", "</p>", place
            return '<p style="margin-top:0; margin-bottom:8px;">', "</p>", place
        if tag in ("h1", "h2", "h3", "h4", "h5", "h6"):
            size = _HEADING_SIZES.get(tag, "medium")
            style = f"font-size:{size}; font-weight:600; margin-top:10px; margin-bottom:6px;"
            return f'<{tag} style="{style}">', f"</{tag}>", place
        if tag == "code":
            style = f"background-color:{theme.inline_code_bg};"
            return f'<code style="{style}">', "</code>", replace(place, code=True)
        if tag == "pre":
            # An indented (not fenced) code block: show it like a fenced one, with its own Copy link.
            inner = element[0] if len(element) and element[0].tag == "code" else element
            return self._on_code(_code_unescape(inner.text or "").rstrip("\n"), "")
        if tag == "blockquote":
            style = f"color:{theme.quote}; margin-left:12px; margin-top:0; margin-bottom:8px;"
            return f'<blockquote style="{style}">', "</blockquote>", place
        if tag == "table":
            opening = (
                f'<table cellspacing="0" cellpadding="5" style="border-collapse:collapse; '
                f"border-style:solid; border-width:1px; border-color:{theme.table_border}; "
                f'margin-top:4px; margin-bottom:8px;">'
            )
            return opening, "</table>", place
        if tag in ("th", "td"):
            align = str(element.get("style", "")).removeprefix("text-align: ").rstrip(";")
            attrs = f' align="{align}"' if align in _ALIGN else ""
            if tag == "th":
                attrs += f' bgcolor="{theme.table_header_bg}"'
            attrs += f' style="border-style:solid; border-width:1px; border-color:{theme.table_border};"'
            return f"<{tag}{attrs}>", f"</{tag}>", place
        if tag == "a":
            url = safe_link(str(element.get("href", "")))
            if url is None or place.in_link:
                return "", "", place  # an unsafe or nested link is just its text
            return f'<a href="{_escape(url)}">', "</a>", replace(place, in_link=True)
        if tag == "img":
            return self._image(element, place)
        # Nothing else should come out of Markdown without raw HTML; if it does, keep only its text.
        return "", "", place

    def _image(self, element: Element, place: _Place) -> str:
        alt = str(element.get("alt", "")) or self._labels.image
        # replace, not format: a translation with a stray brace must not stop the reply from rendering.
        label = _escape(self._labels.image_text.replace("{alt}", alt))
        url = safe_link(str(element.get("src", "")))
        if url is None or place.in_link:
            return label
        return f'<a href="{_escape(url)}">{label}</a>'

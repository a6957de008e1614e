"""What the renderer's tests read in its HTML: anything active in it, and the text a reader sees."""

from __future__ import annotations

import re
from html.parser import HTMLParser

from app.render import COPY_SCHEME

# Every tag and attribute the serializer (and Pygments' inline-styled <span>s) can write. Widening this
# is a decision about the security boundary, so it is spelled out here rather than imported. A <div>
# carries no attribute: it holds a list item or quote nested deeper than the serializer indents.
ALLOWED_TAGS = frozenset(
    {"a", "b", "blockquote", "br", "code", "del", "div", "em", "i", "li", "ol", "p", "pre", "s", "span"}
    | {"strong", "table", "tbody", "td", "th", "thead", "tr", "ul", "h1", "h2", "h3", "h4", "h5", "h6"}
)
ALLOWED_ATTRIBUTES = frozenset(
    {"align", "bgcolor", "cellpadding", "cellspacing", "colspan", "href", "start", "style", "width"}
)
ACTIVE_TAGS = frozenset({"img", "script", "style", "iframe", "object", "embed", "link", "meta", "base"})
COPY_HREF = re.compile(rf"{COPY_SCHEME}:[0-9]+")


class ActiveHtml(HTMLParser):
    """Collects everything in an HTML fragment outside what the serializer may write."""

    def __init__(self) -> None:
        super().__init__()
        self.found: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ACTIVE_TAGS or tag not in ALLOWED_TAGS:
            self.found.append(f"<{tag}>")
        if tag == "div" and attrs:
            self.found.append(f"<div {attrs}>")
        for name, value in attrs:
            if name.startswith("on") or name not in ALLOWED_ATTRIBUTES:
                self.found.append(f"{name}=")
            if name == "href" and not (
                (value or "").startswith(("http://", "https://")) or COPY_HREF.fullmatch(value or "")
            ):
                self.found.append(f"href={value}")
            if name == "style" and "url(" in (value or "").lower():
                self.found.append(f"style={value}")

    def handle_endtag(self, tag: str) -> None:
        if tag not in ALLOWED_TAGS:
            self.found.append(f"</{tag}>")

    def handle_comment(self, data: str) -> None:
        self.found.append(f"<!--{data}-->")

    def handle_decl(self, decl: str) -> None:
        self.found.append(f"<!{decl}>")

    def handle_pi(self, data: str) -> None:
        self.found.append(f"<?{data}>")

    def unknown_decl(self, data: str) -> None:
        self.found.append(f"<![{data}]>")


def active_parts(html: str) -> list[str]:
    parser = ActiveHtml()
    parser.feed(html)
    parser.close()
    return parser.found


class _Text(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.pieces: list[str] = []

    def handle_data(self, data: str) -> None:
        self.pieces.append(data)


def visible_text(html: str) -> str:
    """The text a reader sees, run together: a word cut in two by markup stays one here."""
    parser = _Text()
    parser.feed(html)
    parser.close()
    return "".join(parser.pieces)


_WORD = re.compile(r"[^\W_]+")
# Markdown that is not shown as text: a link's or image's address and title (to the end of the line, to be
# sure), an ordered list's numbers, and a fence's info string (its language is shown, in lower case).
_DESTINATION = re.compile(r"\]\([^\n]*")
_LIST_NUMBER = re.compile(r"(?<![^\s>])\d{1,9}[.)](?=[ \t]|$)", re.MULTILINE)
_FENCE_INFO = re.compile(r"^([ \t>]*(?:`{3,}|~{3,})).*$", re.MULTILINE)


def words(markdown: str) -> set[str]:
    """The words of `markdown` a reader should find in what it renders: its runs of letters and digits,
    leaving out those that are markdown rather than text."""
    text = _FENCE_INFO.sub(r"\1", _LIST_NUMBER.sub(" ", _DESTINATION.sub(" ", markdown)))
    return set(_WORD.findall(text))


def missing_words(markdown: str, html: str) -> set[str]:
    shown = visible_text(html)
    return {word for word in words(markdown) if word not in shown}

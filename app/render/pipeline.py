"""Markdown -> Rendered: Python-Markdown configured for model output, one piece at a time, cached, and
within a time budget.

Each piece (see pieces.py) is converted on its own and remembered, so re-rendering a growing reply costs
about as much as its last paragraph. The converter is built once per thread, because building one costs
more than converting a reply and it is not thread-safe.

Every message is always shown, whatever its text: a render spends at most BUDGET_S on markdown, then
shows the pieces it has not reached as the plain text they are (pieces are small, so one runs over the
budget by a tenth of a second at most); a piece whose rendering fails is shown as plain text too.
"""

from __future__ import annotations

import logging
import threading
import time
from dataclasses import dataclass
from typing import Final

import markdown
from markdown.extensions import Extension
from markdown.inlinepatterns import IMAGE_LINK_RE, LINK_RE

from app.render.block_rules import use_linear_block_rules
from app.render.blocks import BlockPreprocessor
from app.render.highlight import colouring_allowance, colouring_cut_short, forget_colours
from app.render.inline import BareLinkProcessor, ImageProcessor, LinkProcessor
from app.render.memo import Memo
from app.render.pieces import MAX_PIECE, Piece, pieces
from app.render.serializer import ENGLISH, Labels, Serializer, code_block_html, flat_html, plain_html
from app.render.themes import DARK, LIGHT, Theme

log = logging.getLogger("hearth.render")

# Seconds of markdown work one render_markdown call may spend; the goal is any reply on screen, formatted
# or as plain text, within a second.
BUDGET_S: Final = 0.5
# A render that took longer than this is remembered whole: the window renders a stored reply on a pool
# thread first and then again on the UI thread, which should find it ready, and the same.
_REMEMBER_WHOLE_S: Final = 0.02


@dataclass(frozen=True)
class Rendered:
    html: str
    # Raw code of each code block; the block's Copy link is hearth-copy:N for index N.
    code_blocks: tuple[str, ...]
    # `html` cut at top-level block boundaries ("".join(parts) == html). While a reply streams only
    # its last parts change, so a view can keep the earlier ones instead of re-laying out everything.
    parts: tuple[str, ...] = ()


# The key of one rendered piece: its text, dark, its first code block's index, labels, copy links.
_PieceKey = tuple[str, bool, int, Labels, bool]
_PieceHtml = tuple[str, tuple[str, ...]]
_RenderKey = tuple[str, bool, Labels, bool]

# Sized in characters of text and HTML: about 64 MB at most, even for replies of a megabyte.
_pieces: Memo[_PieceKey, _PieceHtml] = Memo(
    max_entries=2048, max_size=16_000_000, size_of=lambda key, value: len(key[0]) + len(value[0])
)
_renders: Memo[_RenderKey, Rendered] = Memo(
    max_entries=64, max_size=16_000_000, size_of=lambda key, value: len(key[0]) + 2 * len(value.html)
)


def render_markdown(
    text: str,
    *,
    dark: bool = False,
    labels: Labels = ENGLISH,
    copy_links: bool = True,
    budget_s: float = BUDGET_S,
) -> Rendered:
    """Render `text` (possibly still streaming: an unclosed ``` fence renders as code).

    `labels` are the words the HTML shows of its own ("Copy", "[image: …]"); the window passes them
    translated. `copy_links=False` leaves out the code blocks' hearth-copy: links, which only the window
    understands (an exported page). Each piece is rendered on its own and remembered, so re-rendering a
    growing reply costs about as much as its last paragraph, not the whole reply.

    After `budget_s` seconds of work the pieces not rendered yet are shown as plain text. Such a render
    is remembered, so the same text renders the same way again, at once, until it drops out of the cache.
    """
    key = (text, dark, labels, copy_links)
    known = _renders.get(key)
    if known is not None:
        return known
    try:
        return _render(key, budget_s)
    except Exception:  # a bug here must not lose the message either
        log.exception("a reply could not be rendered; it is shown as plain text")
        parts = tuple(plain_html(piece.text) for piece in _plain_pieces(text))
        return Rendered("".join(parts), (), parts)


def _render(key: _RenderKey, budget_s: float) -> Rendered:
    text, dark, labels, copy_links = key
    started = time.perf_counter()
    deadline = started + budget_s
    parts: list[str] = []
    code_blocks: list[str] = []
    out_of_time = False
    for piece in _pieces_of(text):
        if piece.plain:
            parts.append(flat_html(piece.text) if piece.flat else plain_html(piece.text))
            continue
        piece_key = (piece.text, dark, len(code_blocks), labels, copy_links)
        rendered = _pieces.get(piece_key)
        if rendered is None:
            if out_of_time or time.perf_counter() >= deadline:
                out_of_time = True
                parts.append(plain_html(piece.text))
                continue
            # Code is coloured only while the budget lasts: some lexers take seconds (highlight.py).
            with colouring_allowance(deadline - time.perf_counter()):
                rendered = _render_piece(*piece_key)
            if not colouring_cut_short():  # else a later render may have the time to colour it
                _pieces.put(piece_key, rendered)
        parts.append(rendered[0])
        code_blocks.extend(rendered[1])
    result = Rendered("".join(parts), tuple(code_blocks), tuple(parts))
    if out_of_time or time.perf_counter() - started > _REMEMBER_WHOLE_S:
        _renders.put(key, result)
    return result


def warm_up() -> None:
    """Build the Markdown converter and load a lexer now (~50 ms), not during the first reply."""
    render_markdown("*warm*\n\n```python\npass\n```")


def forget_renders() -> None:
    """Empty the caches (a benchmark measures cold renders)."""
    _pieces.clear()
    _renders.clear()
    forget_colours()


def _pieces_of(text: str) -> list[Piece]:
    try:
        return pieces(text)
    except Exception:  # a bug in cutting must not lose the message: show it all as plain text
        log.exception("a reply could not be cut into pieces; it is shown as plain text")
        return _plain_pieces(text)


def _plain_pieces(text: str) -> list[Piece]:
    return [Piece(text[at : at + MAX_PIECE], plain=True) for at in range(0, len(text), MAX_PIECE)]


def _render_piece(
    text: str, dark: bool, first_code_index: int, labels: Labels, copy_links: bool
) -> tuple[str, tuple[str, ...]]:
    # The labels are part of the cache key: a new language renders again.
    converter = _converter()
    converter.begin(DARK if dark else LIGHT, labels, first_code_index, copy_links)
    try:
        html = converter.md.convert(text)
    except RecursionError:
        # Python-Markdown recurses once per level of nesting, so lists or quotes hundreds of levels deep
        # (on one line, where blocks.py cannot flatten them) exhaust the stack. Such a piece is shown as
        # the text it is, and the converter, whose parser stopped half-way, is replaced.
        _local.converter = None
        return plain_html(text), ()
    except Exception:
        log.exception("a piece of a reply could not be rendered; it is shown as plain text")
        _local.converter = None
        return plain_html(text), ()
    converter.md.reset()
    return html, tuple(converter.code_blocks)


class _Converter(Extension):
    def __init__(self) -> None:
        super().__init__()
        self.theme = LIGHT
        self.labels = ENGLISH
        self.first_code_index = 0
        self.copy_links = True
        self.code_blocks: list[str] = []
        self.md = markdown.Markdown(extensions=["tables", "sane_lists", "nl2br", self])

    def begin(self, theme: Theme, labels: Labels, first_code_index: int, copy_links: bool) -> None:
        self.theme = theme
        self.labels = labels
        self.first_code_index = first_code_index
        self.copy_links = copy_links
        self.code_blocks = []
        self.md.serializer = Serializer(theme, labels, self._code)

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
        # The table, heading and setext heading rules, with the same answers in linear time.
        use_linear_block_rules(md)
        # Pretty-printing the HTML only costs time: nobody reads it and QTextDocument ignores it.
        md.treeprocessors.deregister("prettify")
        md.preprocessors.register(BlockPreprocessor(md, self._code), "hearth_blocks", 25)
        # Python-Markdown's own link and image rules, at their own priorities, with linear bracket scans.
        md.inlinePatterns.register(LinkProcessor(LINK_RE, md), "link", 160)
        md.inlinePatterns.register(ImageProcessor(IMAGE_LINK_RE, md), "image_link", 150)
        md.inlinePatterns.register(BareLinkProcessor(r"\bhttps?://[^\s<>\"'`\]]+", md), "bare_link", 115)

    def _code(self, code: str, language: str) -> str:
        self.code_blocks.append(code)
        index = self.first_code_index + len(self.code_blocks) - 1
        return code_block_html(code, language, index, self.theme, self.labels, copy_link=self.copy_links)


_local = threading.local()


def _converter() -> _Converter:
    # Building a Markdown instance costs more than converting a reply; it is not thread-safe, so one each.
    converter: _Converter | None = getattr(_local, "converter", None)
    if converter is None:
        converter = _local.converter = _Converter()
    return converter

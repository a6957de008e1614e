"""Markdown -> Rendered: Python-Markdown configured for model output, one chunk at a time, cached.

Each top-level chunk (see split_blocks) is converted on its own and remembered, so re-rendering a growing
reply costs about as much as its last paragraph. The converter is built once per thread, because building
one costs more than converting a reply and it is not thread-safe.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from functools import lru_cache

import markdown
from markdown.extensions import Extension
from markdown.inlinepatterns import IMAGE_LINK_RE, LINK_RE

from app.render.blocks import BlockPreprocessor, split_blocks
from app.render.inline import BareLinkProcessor, ImageProcessor, LinkProcessor
from app.render.serializer import ENGLISH, Labels, Serializer, code_block_html, plain_html
from app.render.themes import DARK, LIGHT, Theme


@dataclass(frozen=True)
class Rendered:
    html: str
    # Raw code of each code block; the block's Copy link is hearth-copy:N for index N.
    code_blocks: tuple[str, ...]
    # `html` cut at top-level block boundaries ("".join(parts) == html). While a reply streams only
    # its last parts change, so a view can keep the earlier ones instead of re-laying out everything.
    parts: tuple[str, ...] = ()


def render_markdown(
    text: str, *, dark: bool = False, labels: Labels = ENGLISH, copy_links: bool = True
) -> Rendered:
    """Render `text` (possibly still streaming: an unclosed ``` fence renders as code).

    `labels` are the words the HTML shows of its own ("Copy", "[image: …]"); the window passes them
    translated. `copy_links=False` leaves out the code blocks' hearth-copy: links, which only the window
    understands (an exported page). Each top-level chunk is rendered on its own and remembered, so
    re-rendering a growing reply costs about as much as its last paragraph, not the whole reply.
    """
    parts: list[str] = []
    code_blocks: list[str] = []
    for chunk in split_blocks(text):
        html_part, blocks = _render_chunk(chunk, dark, len(code_blocks), labels, copy_links)
        parts.append(html_part)
        code_blocks.extend(blocks)
    return Rendered("".join(parts), tuple(code_blocks), tuple(parts))


def warm_up() -> None:
    """Build the Markdown converter and load a lexer now (~50 ms), not during the first reply."""
    render_markdown("*warm*\n\n```python\npass\n```")


@lru_cache(maxsize=1024)
def _render_chunk(
    chunk: str, dark: bool, first_code_index: int, labels: Labels, copy_links: bool
) -> tuple[str, tuple[str, ...]]:
    # The labels are an argument, so they are part of the cache key: a new language renders again.
    converter = _converter()
    converter.begin(DARK if dark else LIGHT, labels, first_code_index, copy_links)
    try:
        return converter.md.convert(chunk), tuple(converter.code_blocks)
    except RecursionError:
        # Python-Markdown and the serializer recurse once per level of nesting, so lists, quotes or
        # emphasis hundreds of levels deep exhaust the stack. Such a chunk is shown as the text it is, and
        # the converter, whose parser stopped half-way, is replaced.
        _local.converter = None
        return plain_html(chunk), ()
    finally:
        converter.md.reset()


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

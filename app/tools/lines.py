"""Text as the browser shows it to the model: cleaned, wrapped at 80 characters, and numbered.

gpt-oss was trained on pages of numbered lines (`L12: …`) it cites by number, so every page is a list of
lines, each remembering where it came from (a Place) for mapping those citations back.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Final

WRAP_WIDTH: Final = 80
# About 1,000 tokens a view, as the reference browser shows: 4 characters a token is close enough for
# prose, and no tokenizer is needed.
VIEW_CHARS: Final = 4000
# A view the model sizes itself (num_lines) may be longer, but not without bound: tool output takes
# room in the context that the answer needs.
MAX_VIEW_CHARS: Final = 4 * VIEW_CHARS

# The brackets of the model's own links and citations must only ever come from the browser; the
# reference replaces them in page text with look-alikes, and so does Hearth. Control characters (the
# snippet marks among them) and zero-width spaces say nothing to the model: they become spaces, so the
# text keeps its length and offsets into it (page anchors) still hold.
_UNCLEAN: Final = re.compile("[【】\u200b\x00-\x08\x0b-\x1f\x7f]")
_REPLACEMENTS: Final = {"【": "〖", "】": "〗"}


@dataclass(frozen=True)
class Place:
    """What a line shows: a page or section of a document, or a past conversation."""

    name: str  # the document's file name, or the conversation's title
    attachment_id: int | None = None
    conversation_id: int | None = None
    page: int | None = None
    heading: str = ""


def clean(text: str) -> str:
    """`text` without anything that could pass for the browser's own marks, as long as it was."""
    # A search, not a translate(): most text has nothing to replace, and a 5 MB document is checked
    # in milliseconds.
    return _UNCLEAN.sub(lambda found: _REPLACEMENTS.get(found.group(), " "), text)


def link_text(text: str) -> str:
    """A title or source for a `【id†title†source】` link: one line, none of the link's own marks."""
    return " ".join(clean(text).replace("†", "‡").split())


def wrap(line: str, width: int = WRAP_WIDTH) -> Iterator[tuple[int, int]]:
    """(start, end) of each piece of `line` (which holds no newline) wrapped at `width`: cut after the
    last space that fits, or at `width` in a word longer than that. The pieces cover the line exactly,
    so an offset into the text always falls in one of them."""
    start, size = 0, len(line)
    if size <= width:
        yield 0, size
        return
    while size - start > width:
        cut = line.rfind(" ", start, start + width)
        end = cut + 1 if cut > start else start + width
        yield start, end
        start = end
    yield start, size


def view_size(lines: list[str], loc: int, budget: int = VIEW_CHARS) -> int:
    """How many lines from `loc` fit in `budget` characters as numbered lines (at least one)."""
    used, count = 0, 0
    for number in range(loc, len(lines)):
        used += len(lines[number]) + len(str(number)) + 4  # "L", ": " and the newline
        if used > budget and count:
            break
        count += 1
    return max(count, 1)


def render_view(title: str, url: str, cursor: int, lines: list[str], *, loc: int, end: int) -> str:
    """A page view as gpt-oss was trained to read it: `[cursor] title (url)`, the scrollbar line, a
    blank line, then `L{n}: text` for lines loc to end - 1."""
    header = f"[{cursor}] {title}" + (f" ({url})" if url else "")
    scrollbar = f"**viewing lines [{loc} - {end - 1}] of {len(lines) - 1}**"
    body = "\n".join(f"L{number}: {lines[number]}" for number in range(loc, end))
    return f"{header}\n{scrollbar}\n\n{body}"

"""Markdown as models write it, made into what Python-Markdown reads: fences, lists, tables, chunks.

split_blocks cuts a reply into top-level chunks so each can be rendered and cached on its own; the
preprocessor takes fenced code out of the text and re-indents CommonMark-style lists and tables.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache

import markdown
from markdown.preprocessors import Preprocessor

# The start of a fence line; the rest of the line may hold no backtick (see fence_open).
_FENCE_START = re.compile(r"(?P<indent>[ \t]*)(?P<fence>`{3,}|~{3,})[ \t]*\{?\.?(?P<lang>[\w#+.-]*)")
_LIST_ITEM = re.compile(r"^(?P<indent>[ \t]*)(?P<marker>[-*+]|\d{1,9}[.)])(?P<gap>[ \t]+|$)")
TABLE_RULE = re.compile(r"^[ \t]*\|?[ \t]*:?-+:?[ \t]*(\|[ \t]*:?-+:?[ \t]*)+\|?[ \t]*$")
# Deeper list items stay at this level: they would not fit the column anyway, and Python-Markdown
# recurses once per level, so a list 500 levels deep ran out of stack.
_MAX_LIST_DEPTH = 10
# Deeper quotes are shown at this depth, for the same reasons: each level indents the text further,
# and a line of 1,000 ">" took Python-Markdown 1.2 s. The markers are what Python-Markdown strips per level.
_MAX_QUOTE_DEPTH = 8
_DEEP_QUOTE = re.compile(rf"(?P<kept>(?:[ ]{{0,3}}>[ ]?){{{_MAX_QUOTE_DEPTH}}})(?:[ ]{{0,3}}>[ ]?)+")


def fence_open(line: str) -> re.Match[str] | None:
    """The opening line of a fenced block: indent, ``` or ~~~, and a language; no backtick after it.

    Checked in two steps because one pattern for both ("[\\w]*[^`]*$") backtracks quadratically on a
    long line that has a backtick at its end: 8,000 characters took 0.4 s.
    """
    match = _FENCE_START.match(line)
    if match is None or "`" in line[match.end("fence") :]:
        return None
    return match


def flatten_deep_quote(line: str) -> str:
    """`line` with the quote markers beyond _MAX_QUOTE_DEPTH removed (its text is kept, less deep)."""
    body = line.lstrip(" ")
    match = _DEEP_QUOTE.match(body) if body[:1] == ">" else None
    return line if match is None else line[: len(line) - len(body) + match.end("kept")] + body[match.end() :]


@lru_cache(maxsize=64)  # a reply can open 250,000 fences, nearly all ``` or ~~~
def closing_fence(opening: str) -> re.Pattern[str]:
    return re.compile(rf"^[ \t]*{re.escape(opening[0])}{{{len(opening)},}}[ \t]*$")


def split_blocks(text: str) -> list[str]:
    """Cut markdown where a new top-level block starts: a blank line, then an unindented line; and
    before every unindented heading line, which always starts a block of its own.

    Never inside a fenced block, and never between the items of a list (a list with blank lines
    between its items stays one list). A chunk renders the same alone as inside the whole text, because
    reference-style links, the only thing that reaches across blocks, are not supported. The headings
    matter for speed too: Python-Markdown takes a heading off the front of its block and parses the rest
    again, so a block of many heading lines cost the square of its length.
    """
    # One pass, with the cheapest test first on each line: a reply can have half a million lines.
    lines = text.split("\n")
    chunks: list[str] = []
    start = 0  # the current chunk's first line
    closing: re.Pattern[str] | None = None
    previous_blank = False
    latest_unindented = ""  # outside fences: a list item there means a list goes on after a blank line
    for index, line in enumerate(lines):
        if closing is not None:
            if closing.match(line):
                closing = None
            continue
        first = line[:1]
        if first not in ("", " ", "\t"):
            heading = first == "#" and _is_heading(line)
            if heading or (previous_blank and not (is_list_item(line) and is_list_item(latest_unindented))):
                _add_chunk(chunks, lines, start, index)
                start = index
            latest_unindented = line
        if ("```" in line or "~~~" in line) and (fence := fence_open(line)):
            closing = closing_fence(fence["fence"])
        previous_blank = not line or line.isspace()
    _add_chunk(chunks, lines, start, len(lines))
    return chunks


def _is_heading(line: str) -> bool:
    # Python-Markdown's heading pattern takes every line that starts with "#", unless it ends with a
    # backslash that escapes nothing (an odd run of them): then the line stays in its paragraph.
    return (len(line) - len(line.rstrip("\\"))) % 2 == 0


def is_list_item(line: str) -> bool:
    return _LIST_ITEM.match(line) is not None


def _add_chunk(chunks: list[str], lines: list[str], start: int, end: int) -> None:
    if chunk := "\n".join(lines[start:end]).strip("\n"):
        chunks.append(chunk)


@dataclass
class _ListLevel:
    marker_col: int
    content_col: int


class BlockPreprocessor(Preprocessor):
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
            if indent < 4 or levels:  # not an indented code block
                line = flatten_deep_quote(line)
            if not line.strip():
                out.append("")
                previous_blank = True
                i += 1
                continue
            fence = fence_open(line)
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
                out.append(" " * (4 * min(len(levels), _MAX_LIST_DEPTH)) + marker + " " + rest)
                levels.append(_ListLevel(indent, content_col))
            elif levels and indent >= levels[0].content_col:
                while indent < levels[-1].content_col:
                    levels.pop()
                out.append(" " * (4 * min(len(levels), _MAX_LIST_DEPTH)) + line.lstrip(" "))
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
        closing = closing_fence(fence["fence"])
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
            lines[i].lstrip().startswith("|") and i + 1 < len(lines) and bool(TABLE_RULE.match(lines[i + 1]))
        )


def _may_interrupt_paragraph(marker: str) -> bool:
    # CommonMark's rule: only a bullet or an ordered list starting at 1 may begin right after text.
    return not marker[0].isdigit() or marker[:-1] == "1"

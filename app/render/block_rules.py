"""Three of Python-Markdown's block rules, giving the same answers without re-reading the whole block.

The block parser asks every rule, highest priority first, whether it wants the first block; a heading,
a setext heading or a rule takes its line and hands the rest of the block back to be asked again. Three
rules read that whole rest each time, so a block of many headings cost the square of its length: 16,000
"# h" lines took 6 s, 4,000 setext headings 1 s.
- the table test split and stripped every line of the block to look at two;
- the heading test searched the whole block for a heading line, which is slow even when none is there;
- a setext heading split the whole block into lines to take two and joined the rest back together.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from itertools import chain
from typing import Any
from xml.etree.ElementTree import Element, SubElement

import markdown
from markdown.blockprocessors import HashHeaderProcessor, SetextHeaderProcessor
from markdown.extensions.tables import PIPE_LEFT, PIPE_NONE, PIPE_RIGHT, TableProcessor


def use_linear_block_rules(md: markdown.Markdown) -> None:
    """Put this module's rules in place of Python-Markdown's, at the same priorities (after "tables")."""
    rules = md.parser.blockprocessors
    config: dict[str, Any] = getattr(rules["table"], "config", {})  # not in the stubs
    rules.register(LinearTableRule(md.parser, config), "table", 75)
    rules.register(LinearHeadingRule(md.parser), "hashheader", 70)
    rules.register(LinearSetextRule(md.parser), "setextheader", 60)


def _lines(block: str) -> Iterator[str]:
    """The lines of `block`, stripped of spaces as the table rule reads them, one at a time."""
    start = 0
    while True:
        end = block.find("\n", start)
        if end == -1:
            yield block[start:].strip(" ")
            return
        yield block[start:end].strip(" ")
        start = end + 1


class LinearTableRule(TableProcessor):
    """Python-Markdown's TableProcessor; `test` reads lines only as far as it needs them."""

    def test(self, parent: Element, block: str) -> bool:
        lines = _lines(block)
        header = next(lines)
        second = next(lines, None)
        if second is None:
            return False
        border = PIPE_NONE
        if header.startswith("|"):
            border |= PIPE_LEFT
        if self.RE_END_BORDER.search(header) is not None:
            border |= PIPE_RIGHT
        self.border = border  # type: ignore[assignment]  # PIPE_* flags; the stubs say bool
        columns = len(self._split_row(header))
        is_table = columns > 1
        if not is_table and columns == 1 and border:
            # A one-column table needs a pipe on every line; the first line without one decides.
            is_table = all(
                line.startswith("|") or self.RE_END_BORDER.search(line) is not None
                for line in chain((second,), lines)
            )
        if is_table:
            row = self._split_row(second)
            is_table = len(row) == columns and set("".join(row)) <= set("|:- ")
            if is_table:
                self.separator = row  # type: ignore[assignment]  # a list of cells; the stubs say str
        return is_table

    def _split_row(self, row: str) -> list[str]:
        split: Callable[[str], list[str]] = super()._split_row  # type: ignore[misc]  # not in the stubs
        return split(row)


class LinearHeadingRule(HashHeaderProcessor):
    """Python-Markdown's "# heading" rule; `test` lets str.find skip to the first line that starts with #.

    The rule's pattern can only match at the start of the block or just after a newline, followed by a
    "#", so searching from the first such place finds the same heading.
    """

    def test(self, parent: Element, block: str) -> bool:
        start = 0 if block.startswith("#") else block.find("\n#")
        return start != -1 and self.RE.search(block, start) is not None


class LinearSetextRule(SetextHeaderProcessor):
    """Python-Markdown's underlined heading rule; `run` splits off the two lines it takes, not all."""

    def run(self, parent: Element, blocks: list[str]) -> None:
        lines = blocks.pop(0).split("\n", 2)
        heading = SubElement(parent, "h1" if lines[1].startswith("=") else "h2")
        heading.text = lines[0].strip()
        if len(lines) > 2:
            blocks.insert(0, lines[2])

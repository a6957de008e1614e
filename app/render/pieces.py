"""The text cut into pieces small enough that none takes long to render or to lay out.

split_blocks cuts a reply where top-level blocks start; a chunk can still be a megabyte (one list, one
table, one fence, one line). Python-Markdown is quadratic in places within a block, and QTextDocument lays
a table, a code card or a paragraph out as a whole, so a chunk over MAX_PIECE characters is cut again,
at line boundaries, into pieces that each render and lay out in about a tenth of a second at worst
(bench/render_bench.py measures it):
- preferably before an unindented line (a list's next item, a new paragraph);
- a fenced block is closed at the cut and opened again with its language after it: two code cards;
- a table is cut between rows (every MAX_PIECE_CELLS cells too), and the next piece repeats its header
  row, so each part is a table;
- a line longer than MAX_PIECE is cut after a space, before a character that cannot start a block, or
  where it must be; what follows a cut of that last kind may start with markup it does not mean, so it is
  shown as plain text.

QTextDocument lays every line of a message out again whenever the window's width changes, at 30 to 75 us
a line or table cell, so a reply's pieces past MAX_LAYOUT_LINES of them are shown as plain text that flows,
its line breaks as spaces (500,000 short lines took a minute to show). Nothing is ever left out.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from itertools import chain
from typing import Final

from app.render.blocks import TABLE_RULE, closing_fence, fence_open, split_blocks

MAX_PIECE: Final = 16_000
# Past the first UNGROUPED_CHUNKS chunks, short chunks next to each other are rendered together up to
# GROUP characters, so 250,000 one-line headings are not 250,000 conversions, cache entries and parts for
# the view to insert. A chunk renders the same alone as with its neighbours (see split_blocks; only two
# quotes in a row become one, as Python-Markdown has it), and while a reply streams only its last group
# changes. A reply of ordinary length keeps a part per block, which the view appends one by one.
UNGROUPED_CHUNKS: Final = 64
GROUP: Final = 1_000
# Table cells in one piece: a part of the view is laid out in one go, at about 0.2 ms a cell.
MAX_PIECE_CELLS: Final = 400
# Lines and table cells a reply lays out as such; a line of plain text counts a quarter (it is cheaper).
MAX_LAYOUT_LINES: Final = 8_000
# Where a long line may be cut: after a space, before a character no block starts with.
_LINE_CUT = re.compile(r" (?=[^\s\d#>\-+*=|`~:])")
_RULE_CELL = re.compile(r":?-+:?")


@dataclass(frozen=True)
class Piece:
    text: str
    plain: bool = False  # shown as the text it is, not read as markdown
    flat: bool = False  # plain, and its line breaks shown as spaces (past MAX_LAYOUT_LINES)
    cells: int = 0  # table cells in it


def pieces(text: str) -> list[Piece]:
    """`text` as pieces of at most about MAX_PIECE characters; together they hold all of its text.

    One loop with little work per chunk: a reply can have 250,000 of them.
    """
    out: list[Piece] = []
    group: list[str] = []  # short markdown, joined into one piece once GROUP characters are in
    group_size = 0
    left = MAX_LAYOUT_LINES
    chunks = split_blocks(text)
    for index, chunk in enumerate(chunks):
        if "|" in chunk or (len(chunk) > MAX_PIECE and ("```" in chunk or "~~~" in chunk)):
            cut = _Cutter().cut(chunk)
        else:  # most chunks: no table, no fence to cut, and short
            cut = [Piece(chunk)] if len(chunk) <= MAX_PIECE else _cut_lines(chunk)
        for at, piece in enumerate(cut):
            lines = piece.text.count("\n") + 1
            left -= lines // 4 if piece.plain else lines + piece.cells
            if left < 0:
                if group:
                    out.append(Piece("\n\n".join(group)))
                out.extend(_flat_pieces(chain((later.text for later in cut[at:]), chunks[index + 1 :])))
                return out
            if group and (piece.plain or group_size + len(piece.text) > GROUP):
                out.append(Piece("\n\n".join(group)))
                group, group_size = [], 0
            if piece.plain or index < UNGROUPED_CHUNKS:
                out.append(piece)
            else:
                group.append(piece.text)
                group_size += len(piece.text) + 2
    if group:
        out.append(Piece("\n\n".join(group)))
    return out


def _flat_pieces(texts: Iterable[str]) -> Iterator[Piece]:
    """`texts` as flat pieces of about MAX_PIECE characters, cut at a space or line break if there is one."""
    flat = "\n\n".join(texts)
    start = 0
    while start < len(flat):
        end = start + MAX_PIECE
        if end < len(flat):  # preferably at a line break in the second half, else at a space
            space = flat.rfind("\n", start + MAX_PIECE // 2, end)
            space = space if space != -1 else flat.rfind(" ", start, end)
            end = space + 1 if space > start else end
        yield Piece(flat[start:end], plain=True, flat=True)
        start = end


@dataclass
class _Table:
    header: tuple[str, str]  # its header and rule lines, which a piece that continues the table repeats
    columns: int


class _Cutter:
    """Walks the lines of one chunk once, ending a piece whenever the next line would not fit."""

    def __init__(self) -> None:
        self._out: list[Piece] = []
        self._lines: list[str] = []
        self._size = 0
        self._cells = 0
        self._good_cut = 0  # index in _lines of the latest unindented line outside a fence and a table
        self._table: _Table | None = None

    def cut(self, chunk: str) -> list[Piece]:
        lines = chunk.split("\n")
        index = 0
        while index < len(lines):
            line = lines[index]
            following = lines[index + 1] if index + 1 < len(lines) else None
            if len(line) > MAX_PIECE:
                self._table = None
                self._flush()
                self._out.extend(_cut_line(line))
            elif ("```" in line or "~~~" in line) and (fence := fence_open(line)):
                self._table = None
                index = self._fence(lines, index, fence)
            elif self._table is not None:
                self._row(line, self._table)
            elif "|" in line and following is not None and _is_rule(following):
                self._start_table(line, following)
                index += 1
            else:
                self._line(line)
            index += 1
        self._flush()
        return self._out

    def _line(self, line: str) -> None:
        if self._size + len(line) >= MAX_PIECE:
            self._cut_before()
        if line[:1] not in ("", " ", "\t"):
            self._good_cut = len(self._lines)
        self._add(line)

    def _start_table(self, header: str, rule: str) -> None:
        table = self._table = _Table((header, rule), len(_RULE_CELL.findall(rule)))
        too_many = self._cells + table.columns > MAX_PIECE_CELLS
        if too_many or self._size + len(header) + len(rule) >= MAX_PIECE:
            self._cut_before()
        self._good_cut = len(self._lines)
        self._add(header)
        self._add(rule)
        self._cells += table.columns

    def _row(self, line: str, table: _Table) -> None:
        if not line.strip():  # a blank line ends a table
            self._table = None
            self._add(line)
            return
        if self._size + len(line) >= MAX_PIECE or self._cells + table.columns > MAX_PIECE_CELLS:
            self._flush()
            self._add(table.header[0])  # the next part is a table with the same header
            self._add(table.header[1])
            self._cells = table.columns
        self._add(line)
        self._cells += table.columns

    def _fence(self, lines: list[str], start: int, fence: re.Match[str]) -> int:
        """Add the fenced block that opens at `start`, in as many pieces as it needs; returns its end."""
        closing = closing_fence(fence["fence"])
        end = start + 1
        while end < len(lines) and not closing.match(lines[end]):
            end += 1
        last = min(end, len(lines) - 1)  # the closing line, or the last line of a block left open
        body = sum(len(line) + 1 for line in lines[start + 1 : last + 1])
        opening = lines[start]
        if self._size + len(opening) + body >= MAX_PIECE:
            self._cut_before()  # a card that fits a piece of its own is not cut
        if opening[:1] not in (" ", "\t"):
            self._good_cut = len(self._lines)
        self._add(opening)
        if self._size + body < MAX_PIECE:  # the whole block fits (a reply can have 100,000 short ones)
            self._lines.extend(lines[start + 1 : last + 1])
            self._size += body
            return end
        close = fence["indent"] + fence["fence"]
        for index in range(start + 1, last + 1):
            line = lines[index]
            if len(line) > MAX_PIECE:
                # One code line longer than a piece: its text is shown plain, between two cards.
                self._add(close)
                self._flush()
                self._out.extend(
                    Piece(line[at : at + MAX_PIECE], plain=True) for at in range(0, len(line), MAX_PIECE)
                )
                self._add(opening)
                continue
            if self._size + len(line) >= MAX_PIECE and index != end:
                # Close this card here, and open the next one as this one opened.
                self._add(close)
                self._flush()
                self._add(opening)
            self._add(line)
        return end

    def _cut_before(self) -> None:
        """End the piece here, or at the latest good place before, if that leaves a piece worth the name."""
        cut = self._good_cut
        if cut == 0 or sum(len(kept) + 1 for kept in self._lines[:cut]) < MAX_PIECE // 4:
            self._flush()
            return
        rest = self._lines[cut:]
        self._lines = self._lines[:cut]
        self._flush()
        for moved in rest:
            self._add(moved)

    def _add(self, line: str) -> None:
        if not self._lines and self._out and line[:1] in (" ", "\t"):
            # A piece cut from inside a list must not start with four spaces: that would be code.
            line = line.lstrip(" \t")
        self._lines.append(line)
        self._size += len(line) + 1

    def _flush(self) -> None:
        if self._lines:
            self._out.append(Piece("\n".join(self._lines), cells=self._cells))
        self._lines = []
        self._size = 0
        self._cells = 0
        self._good_cut = 0


def _cut_lines(chunk: str) -> list[Piece]:
    """A long chunk with no table and no fence, cut as _Cutter would, but by searching the text instead
    of walking it line by line: 500,000 short lines took the walk 0.3 s."""
    out: list[Piece] = []
    start = 0
    while start < len(chunk):
        end = len(chunk)
        if end - start > MAX_PIECE:
            end = _good_cut(chunk, start + MAX_PIECE // 4, start + MAX_PIECE)
            if end == -1:
                end = chunk.rfind("\n", start, start + MAX_PIECE) + 1
            if end <= start:  # the line that starts here is longer than a piece
                end = chunk.find("\n", start) + 1 or len(chunk) + 1
                out.extend(_cut_line(chunk[start : end - 1]))
                start = end
                continue
        text = chunk[start:end].removesuffix("\n")
        out.append(Piece(text.lstrip(" \t") if out else text))  # see _Cutter._add
        start = end
    return out


def _good_cut(chunk: str, low: int, high: int) -> int:
    """Where the latest line in chunk[low:high] that starts unindented starts, or -1."""
    newline = chunk.rfind("\n", low - 1, high - 1)
    while newline != -1:
        if chunk[newline + 1] not in " \t\n":
            return newline + 1
        newline = chunk.rfind("\n", low - 1, newline)
    return -1


def _is_rule(line: str) -> bool:
    # A rule longer than a piece is not read as one: the pattern costs about a microsecond a character.
    return len(line) <= MAX_PIECE and TABLE_RULE.match(line) is not None


def _cut_line(line: str) -> list[Piece]:
    """A line longer than MAX_PIECE as pieces; the first keeps its markup (a list item stays one)."""
    out: list[Piece] = []
    start = 0
    last = 0  # the latest place to cut after `start`
    plain = False  # the piece that starts at `start` follows a forced cut
    positions = chain((match.end() for match in _LINE_CUT.finditer(line)), (len(line),))
    for position in positions:
        while position - start > MAX_PIECE:
            forced = last <= start
            end = start + MAX_PIECE if forced else last
            out.append(Piece(line[start:end], plain=plain))
            start, plain = end, forced
        last = position
    out.append(Piece(line[start:], plain=plain))
    return [piece for piece in out if piece.text]

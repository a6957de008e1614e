"""Tables and data: CSV and TSV as Markdown tables, JSON pretty-printed."""

from __future__ import annotations

import csv
import json
from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING, Any

from app.documents.document import DocumentError
from app.documents.formats.common import Extracted, Job, TextBuilder
from app.documents.formats.plain import decode, find_encoding, open_text
from app.i18n import Deferred

if TYPE_CHECKING:
    from _csv import Reader  # the type of csv.reader(), named only in the type stubs

MAX_ROWS = 20_000
MAX_COLUMNS = 100
MAX_CELL_CHARS = 300
# Each block of rows repeats the header and gets an anchor, so a passage cut from the middle of a big
# table still says what its columns are and where in the file it came from.
ROWS_PER_BLOCK = 200
_SNIFF_CHARS = 32768


class TableReader:
    def __init__(self, default_delimiter: str) -> None:
        self.default_delimiter = default_delimiter

    def __call__(self, data: bytes, job: Job) -> Extracted:
        # Rows are parsed as the file is decoded, and only the first MAX_ROWS are kept: two million rows
        # cost the time to count them, not the memory to hold them.
        encoding = find_encoding(data, job.name)
        sample = open_text(data, encoding).read(_SNIFF_CHARS)
        stream = open_text(data, encoding, newline="")
        reader = csv.reader(stream, self._dialect(sample))
        builder = TextBuilder(job.max_chars)
        header: list[str] | None = None
        block: list[list[str]] = []
        kept = total = 0
        lines = data.count(b"\n") + 1  # for progress: a C scan, some 30 ms for 100 MB
        try:
            for row in reader:
                if not any(map(str.strip, row)):
                    continue
                if header is None:
                    header = [_cell(cell) for cell in row[:MAX_COLUMNS]]
                    continue
                total += 1
                if total % 1000 == 0:
                    job.report(reader.line_num / lines)
                block.append([_cell(cell) for cell in row[:MAX_COLUMNS]])
                if len(block) == ROWS_PER_BLOCK:
                    kept += _add_block(builder, header, block, kept + 1, anchored=True)
                    block = []
                if builder.full or total >= MAX_ROWS:
                    # Only counted from here, so the note can say how many rows there are.
                    total += _count_rows(reader, lines, job)
                    break
        except csv.Error as error:
            raise DocumentError(
                Deferred.translate(
                    "Documents", "“{name}” could not be read as a table (line {line})."
                ).format(name=job.name, line=reader.line_num)
            ) from error
        if header is None:
            return builder.finish()
        if block or total == 0:
            kept += _add_block(builder, header, block, kept + 1, anchored=kept > 0)
        if kept < total:
            builder.notes.append(
                Deferred.translate("Documents", "Only the first {kept} of {total} rows are included.").format(
                    kept=kept, total=total
                )
            )
        return builder.finish()

    def _dialect(self, sample: str) -> type[csv.Dialect] | csv.Dialect:
        sample = sample[: sample.rfind("\n")] if "\n" in sample else sample
        try:
            return csv.Sniffer().sniff(sample, delimiters=",;\t|")
        except csv.Error:
            # The sniffer gives up on one-column files and on files with few delimiters.
            return csv.excel_tab if self.default_delimiter == "\t" else csv.excel


def _count_rows(reader: Reader, lines: int, job: Job) -> int:
    """The rows left that hold anything: the time to parse them, not the memory to keep them."""
    counted = 0
    for number, row in enumerate(reader, start=1):
        if any(map(str.strip, row)):
            counted += 1
        if number % 100_000 == 0:
            job.report(reader.line_num / lines)
    return counted


def _cell(cell: str) -> str:
    cell = " ".join(cell.split())
    if len(cell) > MAX_CELL_CHARS:
        cell = cell[: MAX_CELL_CHARS - 1] + "…"
    return cell.replace("|", "\\|")


def _add_block(
    builder: TextBuilder, header: Sequence[str], rows: Sequence[Sequence[str]], first: int, *, anchored: bool
) -> int:
    """Adds a Markdown table of `rows` under `header`; returns how many rows fitted whole."""
    width = max([len(header), *(len(row) for row in rows)])
    if anchored and rows:
        builder.anchor(heading=f"Rows {first:,}–{first + len(rows) - 1:,}")
    builder.add(_line(header, width) + "| " + " | ".join(["---"] * width) + " |\n")
    added = 0
    for row in rows:
        builder.add(_line(row, width), whole=True)
        if builder.full:
            break
        added += 1
    builder.line_break(2)
    return added


def _line(cells: Sequence[str], width: int) -> str:
    return "| " + " | ".join([*cells, *[""] * (width - len(cells))]) + " |\n"


# JSON ------------------------------------------------------------------------------------------------------

_CHUNK_CHARS = 65536


def read_json(data: bytes, job: Job) -> Extracted:
    text = decode(data, job.name)
    try:
        values: list[Any] = [json.loads(text)]
    except json.JSONDecodeError as error:
        # Many ".json" exports are really one object per line.
        if error.msg != "Extra data":
            raise _invalid(job.name, error.lineno) from None
        values = _json_lines(text, job.name)
    except (ValueError, RecursionError) as error:
        raise _unreadable(job.name, error) from None
    return _render(values, text, job)


def read_json_lines(data: bytes, job: Job) -> Extracted:
    text = decode(data, job.name)
    return _render(_json_lines(text, job.name), text, job)


def _json_lines(text: str, name: str) -> list[Any]:
    values = []
    for number, line in enumerate(text.splitlines(), start=1):
        if line.strip():
            try:
                values.append(json.loads(line))
            except json.JSONDecodeError:
                raise _invalid(name, number) from None
            except (ValueError, RecursionError) as error:
                raise _unreadable(name, error) from None
    return values


def _invalid(name: str, line: int) -> DocumentError:
    return DocumentError(
        Deferred.translate("Documents", "“{name}” is not valid JSON (line {line}).").format(
            name=name, line=line
        )
    )


def _unreadable(name: str, error: Exception) -> DocumentError:
    if isinstance(error, RecursionError):
        return DocumentError(
            Deferred.translate("Documents", "“{name}” is nested too deeply to read.").format(name=name)
        )
    # Python refuses numbers of more than 4,300 digits, among other oddities of valid JSON.
    return DocumentError(
        Deferred.translate(
            "Documents", "“{name}” is not valid JSON, or holds values Hearth cannot read."
        ).format(name=name)
    )


def _render(values: list[Any], original: str, job: Job) -> Extracted:
    builder = TextBuilder(job.max_chars)
    encoder = json.JSONEncoder(indent=2, ensure_ascii=False)
    try:
        for index, value in enumerate(values):
            job.report(index / len(values))
            for chunk in _batched(encoder.iterencode(value)):
                job.check()
                builder.add(chunk)
                if builder.full:
                    return builder.finish()
            builder.line_break(2 if len(values) > 1 else 1)
    except RecursionError:
        # Deep enough to parse but too deep to lay out: the text as written still reads fine.
        builder = TextBuilder(job.max_chars)
        builder.add(original)
        builder.notes.append(
            Deferred.translate(
                "Documents", "The data is nested too deeply to lay out, so it is shown as written."
            )
        )
    return builder.finish()


def _batched(chunks: Iterator[str]) -> Iterator[str]:
    """The encoder yields tiny pieces; the builder is happier with fewer, bigger ones."""
    batch: list[str] = []
    size = 0
    for chunk in chunks:
        batch.append(chunk)
        size += len(chunk)
        if size >= _CHUNK_CHARS:
            yield "".join(batch)
            batch, size = [], 0
    if batch:
        yield "".join(batch)

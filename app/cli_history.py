"""`hearth export`, `hearth import` and `hearth search`: the history from a terminal.

Stored text is never printed raw to a terminal: a message can hold escape sequences (pasted, imported,
or written by a model) that would recolour, retitle or scramble the user's terminal. Search results are
always made safe; an export is written as it is to a file or a pipe, and made safe only on a terminal.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import unicodedata
from pathlib import Path
from typing import Final, TextIO

from app.atomic import write_text
from app.config import Paths
from app.errors import UserError
from app.store import HistoryStore, SearchHit, snippet_runs
from app.transfer import EXPORT_FORMATS, export, import_file
from app.transfer.reading import title_of, when, who
from app.units import format_bytes

HISTORY_COMMANDS: Final = ("export", "import", "search")
DEFAULT_LIMIT: Final = 50

# ANSI escape sequences whole (CSI "ESC [ ... final", OSC "ESC ] ... BEL or ESC \", two-character ones),
# so none of their printable tail is left behind once ESC itself is gone.
_ESCAPE_SEQUENCE: Final = re.compile(r"\x1b(?:\[[0-?]*[ -/]*[@-~]?|\][^\x07\x1b\n]*(?:\x07|\x1b\\)?|[ -~])")
# Bidirectional controls can make a terminal show text in another order than it is ("Trojan Source").
_BIDI_CONTROLS: Final = frozenset("\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
# What the user sees around a matched word: plain characters any terminal shows.
SHOWN_START: Final = "«"
SHOWN_END: Final = "»"


class HistoryCliError(UserError):
    """A problem the user can fix; printed as one line."""


def add_history_parsers(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    exported = commands.add_parser(
        "export", help="write conversations as Markdown, a web page (HTML) or Hearth JSON"
    )
    which = exported.add_mutually_exclusive_group(required=True)
    which.add_argument(
        "--conversation",
        type=int,
        action="append",
        metavar="ID",
        help="a conversation's id (repeat for several)",
    )
    which.add_argument("--all", action="store_true", help="every conversation, in the sidebar's order")
    exported.add_argument(
        "--format",
        choices=EXPORT_FORMATS,
        required=True,
        help="md and html show the branch on screen, for reading; json keeps everything and can be imported",
    )
    exported.add_argument(
        "--output", type=Path, metavar="FILE", help="write to FILE (whole or not at all) instead of printing"
    )
    exported.add_argument("--reasoning", action="store_true", help="include the model's reasoning (md, html)")
    exported.add_argument(
        "--stats", action="store_true", help="include each reply's speed and tokens (md, html)"
    )

    imported = commands.add_parser(
        "import",
        help="add the conversations of a Hearth export or a ChatGPT export (.zip or conversations.json)",
    )
    imported.add_argument("file", type=Path, help="the exported file")

    search = commands.add_parser("search", help="find conversations, messages and documents by their words")
    search.add_argument("query", help="the words to find (the last one may be the start of a word)")
    search.add_argument(
        "--json",
        action="store_true",
        help="print a JSON list of hits; snippets mark matched words with U+0002 and U+0003",
    )
    search.add_argument("--limit", type=_positive, default=DEFAULT_LIMIT, help="at most this many hits")


def _positive(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
    if value < 1:
        raise argparse.ArgumentTypeError("must be 1 or more")
    return value


def run_history(args: argparse.Namespace, paths: Paths) -> int:
    # Problems with files and the history are UserErrors: the caller prints them as one line.
    with HistoryStore(paths.history_db) as store:
        if args.command == "export":
            return _export(store, args, sys.stdout, sys.stderr)
        if args.command == "import":
            summary = import_file(store, args.file)
            print(terminal_safe(summary.describe()))
            return 0
        return _search(store, args.query, args.limit, sys.stdout, as_json=args.json)


def _export(store: HistoryStore, args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    ids: list[int] | None = None if args.all else args.conversation
    text = export(store, ids, args.format, reasoning=args.reasoning, stats=args.stats)
    if args.all and not store.list_conversations(limit=1):
        err.write("There are no conversations to export yet.\n")
    if args.output is None:
        out.write(terminal_safe(text, keep_lines=True) if out.isatty() else text)
        return 0
    try:
        write_text(args.output, text)
    except OSError as error:
        raise HistoryCliError(f"cannot write {args.output}: {error.strerror or error}") from error
    out.write(f"Wrote {terminal_safe(str(args.output))} ({format_bytes(len(text.encode('utf-8')))}).\n")
    return 0


def _search(store: HistoryStore, query: str, limit: int, out: TextIO, *, as_json: bool) -> int:
    hits = store.search(query, limit=limit)
    if as_json:
        out.write(
            json_safe(json.dumps([_hit_json(hit) for hit in hits], ensure_ascii=False, indent=2)) + "\n"
        )
        return 0
    if not hits:
        out.write(f"Nothing found for “{terminal_safe(query)}”.\n")
        return 0
    by_conversation: dict[int, list[SearchHit]] = {}
    for hit in hits:
        by_conversation.setdefault(hit.conversation_id, []).append(hit)
    blocks = []
    for conversation_id, found in by_conversation.items():
        lines = [f"{terminal_safe(title_of(found[0].conversation_title))}  (conversation {conversation_id})"]
        lines += [f"  {who(hit.role)}, {when(hit.created_at)}: {shown_snippet(hit.snippet)}" for hit in found]
        blocks.append("\n".join(lines))
    out.write("\n\n".join(blocks) + "\n")
    return 0


def _hit_json(hit: SearchHit) -> dict[str, object]:
    return {
        "conversation_id": hit.conversation_id,
        "message_id": hit.message_id,
        "title": hit.conversation_title,
        "role": hit.role,
        "snippet": hit.snippet,
        "created_at": hit.created_at.isoformat(),
    }


def shown_snippet(snippet: str) -> str:
    """A search snippet for a terminal: matched words between « », everything else made safe."""
    return "".join(
        SHOWN_START + terminal_safe(text) + SHOWN_END if matched else terminal_safe(text)
        for text, matched in snippet_runs(snippet)
    )


def terminal_safe(text: str, *, keep_lines: bool = False) -> str:
    """`text` with nothing a terminal would act on: escape sequences dropped, other control characters
    (C0, DEL, C1) shown as U+FFFD, bidirectional controls dropped. Line breaks and tabs become spaces,
    unless `keep_lines`."""
    text = _ESCAPE_SEQUENCE.sub("", text)
    kept: list[str] = []
    for char in text:
        if char in _BIDI_CONTROLS:
            continue
        if char in "\n\t" and keep_lines:
            kept.append(char)
        elif char in "\n\t\r\u2028\u2029":
            kept.append(" ")
        elif unicodedata.category(char) == "Cc":
            kept.append("\ufffd")
        else:
            kept.append(char)
    return "".join(kept)


def json_safe(dumped: str) -> str:
    """JSON text with the characters json.dumps leaves raw but a terminal may act on (DEL, C1, bidi
    controls, line separators) written as \\u escapes, which mean the same to any JSON reader."""
    return "".join(
        f"\\u{ord(char):04x}"
        if char == "\x7f" or "\x80" <= char <= "\x9f" or char in _BIDI_CONTROLS or char in "\u2028\u2029"
        else char
        for char in dumped
    )

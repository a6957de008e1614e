"""`hearth ask`'s options and what it says about a turn besides the answer: the attachments read, the tools
turned on for the conversation, each tool use, the lines after the answer and the --json object.

The command itself (the model, the history, Ctrl+C, the streaming) is app.cli's.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from dataclasses import asdict
from pathlib import Path
from typing import TextIO

from app.cli_history import terminal_safe
from app.config import REASONING_EFFORTS
from app.documents.document import MAX_FILE_BYTES, Document, describe
from app.documents.isolation import read_document
from app.engine import ModelInfo
from app.engine.tools import ToolActivity
from app.store import HistoryStore
from app.tools import PAST_CONVERSATIONS_SETTING
from app.tools.toolbox import PYTHON_TOOL_SETTING, python_available
from app.turn import TurnResult
from app.units import format_bytes

PYTHON_EXPLAINED = (
    "Python is on for this conversation: the model may run code it writes, in a sandbox with no network "
    "that sees only this conversation's files (copies of its attachments)."
)
NO_TOOLS = (
    "note: {model} has no built-in tools; the conversation's setting is kept for models that do (gpt-oss)"
)
NO_PYTHON = "note: Python for the sandbox is not installed with this copy of Hearth, so no code can run"
STOPPED_NOTES = {
    "repetition": "[stopped: the model was repeating itself]",
    "tool_limit": "[stopped: the model used its tools too many times]",
}


def add_ask_arguments(ask: argparse.ArgumentParser) -> None:
    ask.add_argument("prompt", help="your message")
    ask.add_argument("--model", required=True, type=Path, help="path to a .gguf model file")
    ask.add_argument(
        "--effort",
        choices=REASONING_EFFORTS,
        default=None,
        help="how hard a reasoning model (gpt-oss) thinks; default: the conversation's or medium",
    )
    ask.add_argument(
        "--think",
        action=argparse.BooleanOptionalAction,
        default=None,
        help="turn thinking on or off for a model with a thinking switch (Qwen3); default: the model's",
    )
    ask.add_argument(
        "--show-reasoning",
        action="store_true",
        help="also print the model's reasoning and each use of its tools (to stderr)",
    )
    ask.add_argument("--json", action="store_true", help="print one JSON object instead of streaming text")
    ask.add_argument("--conversation", type=int, metavar="ID", help="continue a stored conversation")
    ask.add_argument("--n-ctx", type=int, default=None, help="context size in tokens (default from settings)")
    ask.add_argument("--max-tokens", type=int, default=None, help="stop the reply after this many tokens")
    ask.add_argument(
        "--temperature", type=float, default=None, help="override the model's sampling temperature"
    )
    ask.add_argument(
        "--attach",
        type=Path,
        action="append",
        default=[],
        metavar="FILE",
        help=(
            "attach a document (pdf, docx, txt, md, csv, json, html or source code; up to "
            f"{format_bytes(MAX_FILE_BYTES)}); repeat for several"
        ),
    )
    ask.add_argument(
        "--python",
        action=argparse.BooleanOptionalAction,
        default=None,
        help=(
            "let gpt-oss run Python in this conversation, in a sandbox with no network that sees only the "
            "conversation's files (kept with the conversation; default: off)"
        ),
    )
    ask.add_argument(
        "--search-history",
        action=argparse.BooleanOptionalAction,
        default=None,
        help=(
            "let gpt-oss's browser search your other conversations too, not only this one's documents "
            "(kept with the conversation; default: off)"
        ),
    )


def read_attachments(files: Sequence[Path]) -> list[Document]:
    """Every attachment read before anything is stored: one bad file and the conversation is untouched."""
    documents = []
    for file in files:
        document = read_document(file)
        # A file's name is the file's, not ours: a newline or an escape in it must not reach the terminal.
        print(f"Attached {terminal_safe(document.name)} ({describe(document)})", file=sys.stderr)
        for note in document.notes:
            print(f"  {terminal_safe(str(note))}", file=sys.stderr)
        documents.append(document)
    return documents


def set_tool_switches(
    store: HistoryStore, conversation_id: int, args: argparse.Namespace, info: ModelInfo | None
) -> None:
    """Keep --python and --search-history in the conversation's settings, and say once what they mean."""
    record = store.get_conversation(conversation_id)
    if record is None or (args.python is None and args.search_history is None):
        return
    settings = dict(record.settings)
    python_was_on = settings.get(PYTHON_TOOL_SETTING) is True
    for key, value in ((PYTHON_TOOL_SETTING, args.python), (PAST_CONVERSATIONS_SETTING, args.search_history)):
        if value is not None:
            settings[key] = value
    store.set_conversation_options(conversation_id, settings=settings)
    if info is not None and not info.builtin_tools:
        print(NO_TOOLS.format(model=terminal_safe(info.path.name)), file=sys.stderr)
    elif args.python and not python_available():
        print(NO_PYTHON, file=sys.stderr)
    elif args.python and not python_was_on:
        print(PYTHON_EXPLAINED, file=sys.stderr)


def tool_line(activity: ToolActivity) -> str:
    """One use of a tool, on a line of its own: "  [tool] Opened report.pdf at page 4"."""
    return f"  [tool] {terminal_safe(activity.summary)}\n"


def print_after_answer(result: TurnResult, err: TextIO) -> None:
    """What the reply drew on and how it ended, after the answer, on stderr."""
    for use in result.documents:
        sources = ", ".join(f"[{passage.label}]" for passage in use.passages)
        print(terminal_safe(use.describe() + (f": {sources}" if sources else "")), file=err)
    if result.status == "stopped":
        print("\n[stopped]", file=err)
    elif result.stats is not None and result.stats.finish_reason in STOPPED_NOTES:
        print("\n" + STOPPED_NOTES[result.stats.finish_reason], file=err)


def result_json(result: TurnResult, model: Path) -> dict[str, object]:
    return {
        "conversation_id": result.conversation_id,
        "message_id": result.reply_message_id,
        "model": model.name,
        "answer": result.answer,
        "reasoning": result.reasoning,
        "status": result.status,
        "stats": result.stats.as_dict() if result.stats else None,
        "documents": [asdict(use) for use in result.documents],
        "tools": [asdict(use) for use in result.tools],
    }

"""The two calls the window and the command line make: export conversations to a file's text, and
import a file into the history, whatever kind of export it is.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Final, Literal, get_args

from app import __version__
from app.store import HistoryStore, ImportedConversation
from app.transfer import chatgpt, hearth_json, html, markdown
from app.transfer.archive import read_json_files
from app.transfer.errors import TransferError

ExportFormat = Literal["md", "html", "json"]
EXPORT_FORMATS: Final[tuple[ExportFormat, ...]] = get_args(ExportFormat)
# The file name ending each format is saved with.
SUFFIXES: Final[dict[ExportFormat, str]] = {"md": ".md", "html": ".html", "json": ".json"}


def export(
    store: HistoryStore,
    conversation_ids: Sequence[int] | None,
    fmt: ExportFormat,
    *,
    reasoning: bool = False,
    stats: bool = False,
) -> str:
    """These conversations (None: all, in the sidebar's order) as the text of one file.

    Markdown and HTML show each conversation's branch on screen, with the model's reasoning and each
    reply's figures only if asked; Hearth JSON holds everything, every branch included, and can be
    imported again. Reads the history once, in one transaction. TransferError names a missing id.
    """
    conversations = store.export_conversations(conversation_ids)
    if conversation_ids is not None:
        found = {conversation.record.id for conversation in conversations}
        missing = [str(cid) for cid in dict.fromkeys(conversation_ids) if cid not in found]
        if missing:
            raise TransferError(
                f"There is no conversation with id {', '.join(missing)}."
                if len(missing) == 1
                else f"There are no conversations with ids {', '.join(missing)}."
            )
    now = datetime.now(UTC)
    if fmt == "json":
        return hearth_json.dumps(conversations, exported_at=now, app_version=__version__)
    if fmt == "md":
        return markdown.document(conversations, exported_at=now, reasoning=reasoning, stats=stats)
    return html.document(conversations, exported_at=now, reasoning=reasoning, stats=stats)


@dataclass(frozen=True)
class ImportSummary:
    """What an import did, for the user."""

    file_name: str
    source: str  # "Hearth" or "ChatGPT"
    conversation_ids: tuple[int, ...]
    messages: int
    # What was left out, as (thing, count) in the order first met: ("image", 3), ("tool message", 5).
    left_out: tuple[tuple[str, int], ...] = ()

    def describe(self) -> str:
        """One line, such as: Imported 12 conversations (340 messages) from x.zip; skipped 3 images."""
        if not self.conversation_ids:
            said = f"Nothing to import: {self.file_name} holds no conversations"
        else:
            said = (
                f"Imported {_count(len(self.conversation_ids), 'conversation')} "
                f"({_count(self.messages, 'message')}) from {self.file_name}"
            )
        if self.left_out:
            said += "; skipped " + ", ".join(_count(n, thing) for thing, n in self.left_out)
        return said + "."


def _count(number: int, thing: str) -> str:
    return f"{number:,} {thing}" + ("" if number == 1 else "s")


def import_file(store: HistoryStore, path: Path) -> ImportSummary:
    """Add the conversations in a Hearth export, a ChatGPT .zip or its conversations.json to the history.

    The kind is told by the content, not the name. The whole file is read and checked before anything
    is written, and then written in one transaction: on any TransferError the history is unchanged.
    """
    files = read_json_files(path)
    left_out: Counter[str] = Counter()
    conversations: list[ImportedConversation] = []
    if not files[0].from_archive and hearth_json.looks_like(files[0].data):
        source = "Hearth"
        conversations = hearth_json.parse(files[0].data, files[0].name)
    elif all(chatgpt.looks_like(file.data) for file in files):
        source = "ChatGPT"
        for file in files:
            found, skipped = chatgpt.convert(file.data, file.name)
            conversations += found
            left_out += skipped
    else:
        raise TransferError(f"{path.name} is neither a Hearth export nor a ChatGPT export.")
    ids = store.import_conversations(conversations)
    return ImportSummary(
        file_name=path.name,
        source=source,
        conversation_ids=tuple(ids),
        messages=sum(len(conversation.messages) for conversation in conversations),
        left_out=tuple(left_out.items()),
    )

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
from app.i18n import format_number, translate
from app.store import HistoryStore, ImportedConversation
from app.transfer import chatgpt, chatgpt_content, hearth_json, html, markdown
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
            words = (
                translate("Transfer", "There is no conversation with id {ids}.")
                if len(missing) == 1
                else translate("Transfer", "There are no conversations with ids {ids}.")
            )
            raise TransferError(words.format(ids=", ".join(missing)))
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
        skipped = ", ".join(_count(n, thing) for thing, n in self.left_out)
        if not self.conversation_ids:
            words = (
                translate("Transfer", "Nothing to import: {name} holds no conversations; skipped {skipped}.")
                if skipped
                else translate("Transfer", "Nothing to import: {name} holds no conversations.")
            )
        elif skipped:
            words = translate(
                "Transfer", "Imported {conversations} ({messages}) from {name}; skipped {skipped}."
            )
        else:
            words = translate("Transfer", "Imported {conversations} ({messages}) from {name}.")
        return words.format(
            name=self.file_name,
            conversations=_count(len(self.conversation_ids), "conversation"),
            messages=_count(self.messages, "message"),
            skipped=skipped,
        )


def _count(number: int, thing: str) -> str:
    """A number of things as the user reads it: "1 image", "3 images"."""
    forms = _forms(thing)
    if forms is None:  # a thing no translation names yet: counted in English, as before
        return f"{number:,} {thing}" + ("" if number == 1 else "s")
    one, many = forms
    return one if number == 1 else many.format(count=format_number(number))


def _forms(thing: str) -> tuple[str, str] | None:
    """The words for one and for any other number of `thing` (the names chatgpt counts things by)."""
    if thing == "conversation":
        return translate("Transfer", "1 conversation"), translate("Transfer", "{count} conversations")
    if thing == "message":
        return translate("Transfer", "1 message"), translate("Transfer", "{count} messages")
    if thing == chatgpt_content.IMAGE:
        return translate("Transfer", "1 image"), translate("Transfer", "{count} images")
    if thing == chatgpt_content.AUDIO:
        return translate("Transfer", "1 audio clip"), translate("Transfer", "{count} audio clips")
    if thing == chatgpt_content.VIDEO:
        return translate("Transfer", "1 video"), translate("Transfer", "{count} videos")
    if thing == chatgpt_content.FILE:
        return translate("Transfer", "1 file"), translate("Transfer", "{count} files")
    if thing == chatgpt_content.OTHER:
        return translate("Transfer", "1 other item"), translate("Transfer", "{count} other items")
    if thing == chatgpt.TOOL_MESSAGE:
        return translate("Transfer", "1 tool message"), translate("Transfer", "{count} tool messages")
    if thing == chatgpt.TOOL_CALL:
        return translate("Transfer", "1 tool call"), translate("Transfer", "{count} tool calls")
    if thing == chatgpt.EMPTY_CONVERSATION:
        return (
            translate("Transfer", "1 empty conversation"),
            translate("Transfer", "{count} empty conversations"),
        )
    return None


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
        raise TransferError(
            translate("Transfer", "{name} is neither a Hearth export nor a ChatGPT export.").format(
                name=path.name
            )
        )
    ids = store.import_conversations(conversations)
    return ImportSummary(
        file_name=path.name,
        source=source,
        conversation_ids=tuple(ids),
        messages=sum(len(conversation.messages) for conversation in conversations),
        left_out=tuple(left_out.items()),
    )

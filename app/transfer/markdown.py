"""Conversations as Markdown to read: each one's branch on screen, who said what and when.

Messages are written as they are (replies are Markdown already). What Hearth writes around them (titles,
attachment names) is escaped, so a name like "*draft*.txt" stays a name. The model's reasoning, when
asked for, is a quoted "Reasoning" section before the reply, plain Markdown that any viewer shows.
Attached documents are listed by name, kind and size, never with their text.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import datetime
from typing import Final

from app.store import ExportedConversation, ExportedMessage
from app.transfer.reading import attachment_line, stats_lines, status_note, title_of, when, who

_INLINE_SPECIAL: Final = re.compile(r"([\\`*_\[\]<>|~#])")


def document(
    conversations: Sequence[ExportedConversation], *, exported_at: datetime, reasoning: bool, stats: bool
) -> str:
    written = [_conversation(conversation, exported_at, reasoning, stats) for conversation in conversations]
    return "\n\n---\n\n".join(written) + "\n" if written else ""


def escaped(text: str) -> str:
    """`text` on one line, with the characters Markdown would act on escaped."""
    return _INLINE_SPECIAL.sub(r"\\\1", " ".join(text.split()))


def _conversation(
    conversation: ExportedConversation, exported_at: datetime, reasoning: bool, stats: bool
) -> str:
    record = conversation.record
    about = [f"Started {when(record.created_at)}", f"exported from Hearth {when(exported_at)}"]
    if record.model:
        about.append(f"model {escaped(record.model)}")
    blocks = [f"# {escaped(title_of(record.title))}", "*" + " · ".join(about) + "*"]
    if record.system_prompt:
        blocks.append(_quoted("System prompt", record.system_prompt))
    blocks += [_message(message, reasoning, stats) for message in conversation.thread_on_screen()]
    return "\n\n".join(blocks)


def _message(message: ExportedMessage, reasoning: bool, stats: bool) -> str:
    record = message.record
    blocks = [f"## {who(record.role)} · {when(record.created_at)}"]
    if reasoning and record.reasoning.strip():
        blocks.append(_quoted("Reasoning", record.reasoning))
    if record.content.strip():
        blocks.append(record.content.strip("\n"))
    if message.attachments:
        lines = ["Attached:"]
        for attachment in message.attachments:
            name, description = attachment_line(attachment.content)
            lines.append(f"- {escaped(name)} ({description})")
        blocks.append("\n".join(lines))
    if note := status_note(record):
        blocks.append(f"*{escaped(note)}*")
    if stats and (figures := stats_lines(record)):
        blocks.append("  \n".join(f"*{escaped(line)}*" for line in figures))
    return "\n\n".join(blocks)


def _quoted(heading: str, text: str) -> str:
    lines = [f"> **{heading}**", ">"]
    lines += [f"> {line}" if line.strip() else ">" for line in text.strip("\n").split("\n")]
    return "\n".join(lines)

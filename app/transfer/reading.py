"""What the documents made for reading (Markdown, HTML) say around the messages, in one place: who
wrote each, when, what was attached, and the figures under a reply."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Final

from app.documents.document import describe
from app.documents.retrieval import document_from
from app.reply_stats import ReplyStats
from app.store import AttachmentContent, MessageRecord

ROLE_LABELS: Final = {"user": "You", "assistant": "Assistant", "system": "System"}
UNTITLED: Final = "New chat"  # what the window calls a conversation without a title


def title_of(title: str) -> str:
    return " ".join(title.split()) or UNTITLED


def who(role: str) -> str:
    return ROLE_LABELS.get(role, role.capitalize())


def when(moment: datetime) -> str:
    """A time to read, in UTC so the same export reads the same anywhere: "2024-03-01 09:05 UTC"."""
    return moment.astimezone(UTC).strftime("%Y-%m-%d %H:%M UTC")


def attachment_line(content: AttachmentContent) -> tuple[str, str]:
    """An attachment's name and "PDF · 2.3 MB · 12 pages"; its text stays out of a reading copy."""
    return content.record.name, describe(document_from(content.record, "", ()))


def status_note(record: MessageRecord) -> str:
    """A sentence for a reply that did not finish, else ""."""
    if record.status == "error":
        return f"This reply failed: {record.error}" if record.error else "This reply failed."
    if record.status in ("stopped", "streaming"):
        return "Stopped before the end."
    return ""


def stats_lines(record: MessageRecord) -> list[str]:
    """The figures under a reply, "62.3 tok/s · first token 0.35 s · 812 tokens · done", then a line
    per document it drew on. The window's line says the same (app/ui/chat_helpers.format_stats)."""
    if record.role != "assistant" or record.stats is None:
        return []
    stats = ReplyStats.from_json(record.stats)
    figures: list[str] = []
    if stats.decode_tok_s is not None and stats.decode_tok_s > 0:
        figures.append(f"{stats.decode_tok_s:.1f} tok/s")
    if stats.ttft_s is not None and stats.ttft_s > 0:
        figures.append(f"first token {stats.ttft_s:.2f} s")
    if stats.completion_tokens:
        figures.append(f"{stats.completion_tokens:,} token" + ("" if stats.completion_tokens == 1 else "s"))
    figures.append(_ending(record.status, stats))
    return [" · ".join(figure for figure in figures if figure)] + [use.describe() for use in stats.documents]


def _ending(status: str, stats: ReplyStats) -> str:
    if status == "error":
        return "error"
    if status == "stopped" or stats.finish_reason == "cancelled":
        return "stopped"
    if stats.finish_reason == "length":
        return "hit the length limit"
    if stats.finish_reason == "repetition":
        return "stopped: the model was repeating itself"
    return "done" if status == "done" else ""

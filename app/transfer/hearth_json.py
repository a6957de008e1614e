"""Hearth's own export: every conversation complete, as versioned JSON, and back.

    {"format": "hearth-export", "version": 1, "exported_at": "...", "app_version": "...",
     "conversations": [{"id", "title", "created_at", "updated_at", "pinned", "model", "reasoning_effort",
                        "system_prompt", "settings", "current_leaf_id",
                        "messages": [{"id", "parent_id", "role", "content", "reasoning", "created_at",
                                      "status", "stats", "error",
                                      "attachments": [{"id", "name", "kind", "mime", "size", "sha256",
                                                       "page_count", "notes", "text", "anchors",
                                                       "passage_ids"}]}]}]}

Ids are the exporting history's: they tie replies to questions, the branch on screen to its end, and a
reply's cited passages (stats.documents) to attachments; an import maps them all to new ones, so export,
import and export again give the same file but for the ids. An attachment's passages are not stored:
they are cut again from its text (documents.retrieval), the same way, so search and citations work.

Reading is strict where a guess could do harm and forgiving where a default is safe: the format name,
the version, and every field's type are checked, and the first problem is reported in one sentence
naming where it is; a missing optional field takes its default and unknown fields are ignored, so a file
from a later version 1 writer still reads.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Mapping, Sequence
from datetime import UTC, datetime
from typing import Any, Final, TypeGuard, TypeVar

from app.documents.document import Anchor, Document
from app.documents.retrieval import to_new_attachment
from app.i18n import Deferred, translate
from app.store import (
    ROLES,
    STATUSES,
    ExportedAttachment,
    ExportedConversation,
    ExportedMessage,
    ImportedAttachment,
    ImportedConversation,
    ImportedMessage,
)
from app.transfer.errors import TransferError

FORMAT_NAME: Final = "hearth-export"
FORMAT_VERSION: Final = 1

T = TypeVar("T")

# What a value should have been, for "… has a “key” that is not {type}"; put into words only when a file
# is damaged, so reading a good one costs no translations.
_TEXT: Final = Deferred.translate("Transfer", "text")
_WHOLE_NUMBER: Final = Deferred.translate("Transfer", "a whole number")
_TRUE_OR_FALSE: Final = Deferred.translate("Transfer", "true or false")
_AN_OBJECT: Final = Deferred.translate("Transfer", "an object")
_A_DATE: Final = Deferred.translate("Transfer", "a date")
_A_LIST: Final = Deferred.translate("Transfer", "a list")


def looks_like(data: object) -> bool:
    """Whether `data` claims to be an export of some version (parse then checks the claim)."""
    return isinstance(data, Mapping) and "format" in data


# -- writing ------------------------------------------------------------------------------------------


def dumps(conversations: Sequence[ExportedConversation], *, exported_at: datetime, app_version: str) -> str:
    document = {
        "format": FORMAT_NAME,
        "version": FORMAT_VERSION,
        "exported_at": _time_text(exported_at),
        "app_version": app_version,
        "conversations": [_conversation_json(conversation) for conversation in conversations],
    }
    return json.dumps(document, ensure_ascii=False, indent=2) + "\n"


def _time_text(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat(timespec="microseconds")


def _conversation_json(conversation: ExportedConversation) -> dict[str, Any]:
    record = conversation.record
    return {
        "id": record.id,
        "title": record.title,
        "created_at": _time_text(record.created_at),
        "updated_at": _time_text(record.updated_at),
        "pinned": record.pinned,
        "model": record.model,
        "reasoning_effort": record.reasoning_effort,
        "system_prompt": record.system_prompt,
        "settings": record.settings,
        "current_leaf_id": conversation.current_leaf_id,
        "messages": [_message_json(message) for message in conversation.messages],
    }


def _message_json(message: ExportedMessage) -> dict[str, Any]:
    record = message.record
    return {
        "id": record.id,
        "parent_id": record.parent_id,
        "role": record.role,
        "content": record.content,
        "reasoning": record.reasoning,
        "created_at": _time_text(record.created_at),
        "status": record.status,
        "stats": record.stats,
        "error": record.error,
        "attachments": [_attachment_json(attachment) for attachment in message.attachments],
    }


def _attachment_json(attachment: ExportedAttachment) -> dict[str, Any]:
    record = attachment.content.record
    return {
        "id": record.id,
        "name": record.name,
        "kind": record.kind,
        "mime": record.mime,
        "size": record.size,
        "sha256": record.sha256,
        "page_count": record.page_count,
        "notes": list(record.notes),
        "text": attachment.content.text,
        "anchors": [list(anchor) for anchor in attachment.content.anchors],
        "passage_ids": list(attachment.chunk_ids),
    }


# -- reading ------------------------------------------------------------------------------------------


class _Fields:
    """Typed reads of one JSON object; each failure is a TransferError saying where and what.

    A null counts as missing: an optional field then takes its default, a required one is a problem.
    """

    def __init__(self, data: object, where: str, name: str) -> None:
        self.where, self.name = where, name
        if not isinstance(data, Mapping):
            raise self.problem(translate("Transfer", "{where} is not a JSON object"))
        self._data: Mapping[str, object] = data

    def problem(self, words: str, **fields: object) -> TransferError:
        """`words`: what is wrong, with {where} for the place in the file."""
        return unreadable(self.name, words.format(where=self.where, **fields))

    def _typed(self, key: str, kind: type[T], words: Deferred, *, required: bool) -> T | None:
        value = self._data.get(key)
        if value is None:
            if required:
                raise self.problem(translate("Transfer", "{where} has no “{key}”"), key=key)
            return None
        if not _is(value, kind):
            raise self.problem(
                translate("Transfer", "{where} has a “{key}” that is not {type}"), key=key, type=words
            )
        return value

    def text(self, key: str) -> str:
        return self._typed(key, str, _TEXT, required=True) or ""

    def text_or(self, key: str, default: str) -> str:
        value = self._typed(key, str, _TEXT, required=False)
        return default if value is None else value

    def optional_text(self, key: str) -> str | None:
        return self._typed(key, str, _TEXT, required=False)

    def integer(self, key: str) -> int:
        return self._typed(key, int, _WHOLE_NUMBER, required=True) or 0

    def optional_integer(self, key: str) -> int | None:
        return self._typed(key, int, _WHOLE_NUMBER, required=False)

    def boolean(self, key: str) -> bool:
        return self._typed(key, bool, _TRUE_OR_FALSE, required=False) or False

    def optional_object(self, key: str) -> dict[str, Any] | None:
        value = self._typed(key, dict, _AN_OBJECT, required=False)
        return None if value is None else dict(value)

    def choice(self, key: str, allowed: tuple[str, ...], default: str | None = None) -> str:
        value = self.text(key) if default is None else self.text_or(key, default)
        if value not in allowed:
            raise self.problem(
                translate("Transfer", "{where} has a “{key}” that is not one of {allowed}"),
                key=key,
                allowed=", ".join(allowed),
            )
        return value

    def time(self, key: str, default: datetime | None = None) -> datetime:
        value = self._typed(key, str, _A_DATE, required=default is None)
        if value is None:
            assert default is not None
            return default
        try:
            moment = datetime.fromisoformat(value)
        except ValueError:
            raise self.problem(
                translate("Transfer", "{where} has a “{key}” that is not {type}"), key=key, type=_A_DATE
            ) from None
        # A time without a zone is read as UTC, the zone Hearth writes.
        return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment

    def each(
        self, key: str, label: str, read: Callable[[object, str], T], *, required: bool = False
    ) -> list[T]:
        """`read(item, where)` for every item of the list at `key` (missing: none, unless required).

        `label` names an item by its {number}: "message {number}"."""
        items = self._typed(key, list, _A_LIST, required=required) or []
        return [read(item, f"{self.where}, {label.format(number=n)}") for n, item in enumerate(items, 1)]


def unreadable(name: str, problem: str) -> TransferError:
    """`problem`: a clause about a place in the file ("conversation 2 has no “id”")."""
    return TransferError(
        translate("Transfer", "{name} is not a Hearth export Hearth can read: {problem}.").format(
            name=name, problem=problem
        )
    )


def parse(data: object, name: str) -> list[ImportedConversation]:
    """The conversations in a Hearth export, ready for HistoryStore.import_conversations."""
    top = _Fields(data, translate("Transfer", "its top level"), name)
    if top.text_or("format", "") != FORMAT_NAME:
        raise TransferError(translate("Transfer", "{name} is not a Hearth export.").format(name=name))
    version = top.integer("version")
    if version > FORMAT_VERSION:
        raise TransferError(
            translate(
                "Transfer",
                "{name} was exported by a newer version of Hearth (export version {version}; this version "
                "reads up to {known}). Update Hearth to import it.",
            ).format(name=name, version=version, known=FORMAT_VERSION)
        )
    if version < 1:
        raise unreadable(
            name, translate("Transfer", "its version {version} is unknown").format(version=version)
        )
    conversations = top.each(
        "conversations",
        translate("Transfer", "conversation {number}"),
        lambda item, at: _conversation(item, at, name),
        required=True,
    )
    # The file lists them as the sidebar does, newest first, and the sidebar breaks ties in time by id,
    # newest first too: stored oldest first, conversations with the same time keep their order.
    return conversations[::-1]


def _conversation(data: object, where: str, name: str) -> ImportedConversation:
    fields = _Fields(data, where, name)
    created_at = fields.time("created_at")
    messages = fields.each(
        "messages",
        translate("Transfer", "message {number}"),
        lambda item, at: _message(item, at, name),
        required=True,
    )
    ids = [message.source_id for message in messages]
    if len(set(ids)) < len(ids):
        twice = next(message_id for message_id in ids if ids.count(message_id) > 1)
        raise fields.problem(translate("Transfer", "{where} has two messages with the id {id}"), id=twice)
    return ImportedConversation(
        title=fields.text_or("title", ""),
        created_at=created_at,
        updated_at=fields.time("updated_at", created_at),
        messages=tuple(messages),
        pinned=fields.boolean("pinned"),
        model=fields.optional_text("model"),
        reasoning_effort=fields.optional_text("reasoning_effort"),
        system_prompt=fields.optional_text("system_prompt"),
        settings=fields.optional_object("settings") or {},
        current_leaf_source_id=fields.optional_integer("current_leaf_id"),
    )


def _message(data: object, where: str, name: str) -> ImportedMessage:
    fields = _Fields(data, where, name)
    return ImportedMessage(
        source_id=fields.integer("id"),
        parent_source_id=fields.optional_integer("parent_id"),
        role=fields.choice("role", ROLES),
        content=fields.text_or("content", ""),
        created_at=fields.time("created_at"),
        reasoning=fields.text_or("reasoning", ""),
        status=fields.choice("status", STATUSES, "done"),
        stats=fields.optional_object("stats"),
        error=fields.optional_text("error"),
        attachments=tuple(
            fields.each(
                "attachments",
                translate("Transfer", "attachment {number}"),
                lambda item, at: _attachment(item, at, name),
            )
        ),
    )


def _attachment(data: object, where: str, name: str) -> ImportedAttachment:
    fields = _Fields(data, where, name)
    text = fields.text_or("text", "")
    mime = fields.text_or("mime", "application/octet-stream")
    anchors = fields.each(
        "anchors", translate("Transfer", "anchor {number}"), lambda item, at: _anchor(item, at, name)
    )
    encoded = text.encode("utf-8")
    document = Document(
        name=fields.text("name"),
        kind=fields.text_or("kind", mime),
        mime=mime,
        size=len(encoded) if (size := fields.optional_integer("size")) is None else size,
        sha256=fields.text_or("sha256", hashlib.sha256(encoded).hexdigest()),
        text=text,
        # Sorted as a Document's anchors are (a hand-edited file may not be); stable, so lossless.
        anchors=tuple(sorted(anchors, key=lambda anchor: anchor.offset)),
        page_count=fields.optional_integer("page_count"),
        notes=tuple(
            fields.each(
                "notes",
                translate("Transfer", "note {number}"),
                lambda item, at: _checked(item, str, _TEXT, at, name),
            )
        ),
    )
    passages = fields.each(
        "passage_ids",
        translate("Transfer", "passage id {number}"),
        lambda item, at: _checked(item, int, _WHOLE_NUMBER, at, name),
    )
    return ImportedAttachment(
        attachment=to_new_attachment(document),  # cuts and indexes the passages again
        source_id=fields.optional_integer("id"),
        source_chunk_ids=tuple(passages),
    )


def _anchor(data: object, where: str, name: str) -> Anchor:
    # [offset, page or null, heading]: where a page or section starts in the text.
    if not (
        isinstance(data, list)
        and len(data) == 3
        and _is(data[0], int)
        and (data[1] is None or _is(data[1], int))
        and isinstance(data[2], str)
    ):
        raise unreadable(
            name, translate("Transfer", "{where} is not [offset, page, heading]").format(where=where)
        )
    return Anchor(data[0], data[1], data[2])


def _checked(data: object, kind: type[T], words: Deferred, where: str, name: str) -> T:
    if not _is(data, kind):
        raise unreadable(name, translate("Transfer", "{where} is not {type}").format(where=where, type=words))
    return data


def _is(value: object, kind: type[T]) -> TypeGuard[T]:
    # JSON's true and false are not numbers, though Python's bool is an int.
    return isinstance(value, kind) and not (kind is int and isinstance(value, bool))

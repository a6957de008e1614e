"""What is saved with a reply, as typed records: the engine's figures and how each document was used.

They cross every layer: the documents layer decides how an attachment is used, the turn saves it with
the reply's stats in the history (as JSON), and the window and the command line show it. Reading goes
through one forgiving `from_json`, because a stored row may come from an older Hearth, a newer one, or a
damaged file: a missing or wrong-typed field takes its default, a malformed entry is left out, and
nothing raises.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict, dataclass, field
from typing import Any, Literal

from app.i18n import translate

UseMode = Literal["whole", "passages"]


@dataclass(frozen=True)
class Passage:
    """A passage given to the model, and the label it may cite it by ("report.pdf p. 4")."""

    chunk_id: int
    label: str
    page: int | None = None


@dataclass(frozen=True)
class DocumentUse:
    """How one attachment was given to the model for one reply."""

    attachment_id: int
    name: str
    mode: UseMode
    passages_used: int = 0
    passages_total: int = 0
    passages: tuple[Passage, ...] = ()

    def describe(self) -> str:
        """One line for the user: "Used the 6 most relevant passages of 212 from report.pdf"."""
        name = self.name
        if self.mode == "whole":
            return translate("Documents", "Read the whole document: {name}").format(name=name)
        used, total = self.passages_used, self.passages_total
        if used == 0:
            return translate(
                "Documents", "No passage of {name} fitted in the context; the answer does not use it"
            ).format(name=name)
        if used == total:
            return translate("Documents", "Used all {total} passages of {name}").format(
                total=total, name=name
            )
        if used == 1:
            return translate("Documents", "Used the 1 most relevant passage of {total} from {name}").format(
                total=total, name=name
            )
        return translate("Documents", "Used the {used} most relevant passages of {total} from {name}").format(
            used=used, total=total, name=name
        )


@dataclass(frozen=True)
class ToolUse:
    """One call of gpt-oss's built-in tools while the reply was written, as the user is shown it: a row
    under "Thinking" ("Searched the documents for “notice period”: 7 results") that opens to its detail."""

    kind: str  # app.engine.tools.ActivityKind: "search", "open", "find", "python", "refused", "limit"
    summary: str
    detail: str = ""
    seconds: float = 0.0


@dataclass(frozen=True)
class ReplyStats:
    """The stats stored with a reply. Engine figures are None when the reply has none (e.g. it failed)."""

    prompt_tokens: int | None = None
    cached_tokens: int | None = None
    completion_tokens: int | None = None
    ttft_s: float | None = None
    decode_tok_s: float | None = None
    finish_reason: str | None = None
    dropped_messages: int = 0
    documents: tuple[DocumentUse, ...] = field(default=())
    tool_calls: int = 0  # gpt-oss's built-in tools: calls made while writing the reply
    tool_tokens: int = 0  # and the tokens their answers took in the context
    tools: tuple[ToolUse, ...] = field(default=())  # what each call did, in order

    @property
    def context_used(self) -> int:
        """Tokens the exchange took in the context: the prompt and the reply."""
        return (self.prompt_tokens or 0) + (self.completion_tokens or 0)

    def passage_ids(self) -> list[int]:
        return [p.chunk_id for use in self.documents for p in use.passages]

    def to_json(self) -> dict[str, Any]:
        """The stored form (the keys older versions wrote); None fields and empty documents left out."""
        # A reply that used no tool is stored as replies were before there were tools.
        unused = {"documents", "tools", *(k for k in ("tool_calls", "tool_tokens") if not getattr(self, k))}
        stored = {k: v for k, v in asdict(self).items() if v is not None and k not in unused}
        if self.documents:
            stored["documents"] = [asdict(use) for use in self.documents]
        if self.tools:
            stored["tools"] = [asdict(use) for use in self.tools]
        return stored

    @classmethod
    def from_json(cls, raw: object) -> ReplyStats:
        """Whatever was stored, as well as it can be read; never raises."""
        if not isinstance(raw, Mapping):
            return cls()
        documents = raw.get("documents")
        return cls(
            prompt_tokens=_int(raw.get("prompt_tokens")),
            cached_tokens=_int(raw.get("cached_tokens")),
            completion_tokens=_int(raw.get("completion_tokens")),
            ttft_s=_float(raw.get("ttft_s")),
            decode_tok_s=_float(raw.get("decode_tok_s")),
            finish_reason=raw.get("finish_reason") if isinstance(raw.get("finish_reason"), str) else None,
            dropped_messages=_int(raw.get("dropped_messages")) or 0,
            tool_calls=_int(raw.get("tool_calls")) or 0,
            tool_tokens=_int(raw.get("tool_tokens")) or 0,
            tools=tuple(use for use in map(_tool_use, _list(raw.get("tools"))) if use),
            documents=tuple(
                use for use in map(_document_use, documents if isinstance(documents, list) else []) if use
            ),
        )


def remap_document_ids(
    raw: Mapping[str, Any], attachment_ids: Mapping[int, int], chunk_ids: Mapping[int, int]
) -> dict[str, Any]:
    """Stored stats whose documents and passages now have other ids (the history they were copied into).

    Works on the stored form, so fields this version does not know are kept. A document or passage
    missing from the maps is left out: an old id could belong to another conversation's document here.
    """
    stats = dict(raw)
    documents = raw.get("documents")
    if not isinstance(documents, list | tuple):  # a tuple: to_json's form before it is stored as JSON
        return stats
    moved: list[dict[str, Any]] = []
    for use in documents:
        attachment_id = _int(use.get("attachment_id")) if isinstance(use, Mapping) else None
        if attachment_id is None or attachment_id not in attachment_ids:
            continue
        entry = dict(use, attachment_id=attachment_ids[attachment_id])
        passages = use.get("passages")
        if isinstance(passages, list | tuple):
            entry["passages"] = [
                dict(passage, chunk_id=chunk_ids[chunk_id])
                for passage in passages
                if isinstance(passage, Mapping)
                and (chunk_id := _int(passage.get("chunk_id"))) is not None
                and chunk_id in chunk_ids
            ]
        moved.append(entry)
    if moved:
        stats["documents"] = moved
    else:
        del stats["documents"]  # as to_json writes stats without documents
    return stats


def _int(value: object) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def _float(value: object) -> float | None:
    return float(value) if isinstance(value, int | float) and not isinstance(value, bool) else None


def _list(value: object) -> list[object]:
    return value if isinstance(value, list) else []


def _tool_use(raw: object) -> ToolUse | None:
    if not isinstance(raw, Mapping):
        return None
    kind, summary, detail = raw.get("kind"), raw.get("summary"), raw.get("detail")
    if not isinstance(kind, str) or not isinstance(summary, str):
        return None
    return ToolUse(
        kind, summary, detail if isinstance(detail, str) else "", _float(raw.get("seconds")) or 0.0
    )


def _document_use(raw: object) -> DocumentUse | None:
    if not isinstance(raw, Mapping):
        return None
    attachment_id, name, mode = _int(raw.get("attachment_id")), raw.get("name"), raw.get("mode")
    if attachment_id is None or not isinstance(name, str) or mode not in ("whole", "passages"):
        return None
    passages = raw.get("passages")
    return DocumentUse(
        attachment_id=attachment_id,
        name=name,
        mode=mode,
        passages_used=_int(raw.get("passages_used")) or 0,
        passages_total=_int(raw.get("passages_total")) or 0,
        passages=tuple(p for p in map(_passage, passages if isinstance(passages, list) else []) if p),
    )


def _passage(raw: object) -> Passage | None:
    if not isinstance(raw, Mapping):
        return None
    chunk_id, label = _int(raw.get("chunk_id")), raw.get("label")
    if chunk_id is None or not isinstance(label, str):
        return None
    return Passage(chunk_id=chunk_id, label=label, page=_int(raw.get("page")))

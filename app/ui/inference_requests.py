"""What the window asks of the inference worker: a question to answer, a model to load, and the
settings every reply uses. Plain values: they cross from the UI thread to the worker's."""

from __future__ import annotations

import threading
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

from app.documents.document import Document
from app.presets import ConversationOptions


@dataclass(frozen=True)
class Question:
    """A question for the worker to store and answer."""

    conversation_id: int  # 0: a new conversation, created on the worker
    text: str
    effort: str
    documents: tuple[Document, ...] = ()
    replacing: int | None = None  # an edit of that earlier question: a sibling branch
    options: ConversationOptions | None = None  # a new conversation's instructions and temperature
    # Set by the next request: a new conversation's title is written only while nothing else waits.
    title_cancel: threading.Event = field(default_factory=threading.Event)
    # A new conversation's other settings (the tools' switches), stored as it is created.
    settings: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class ModelLoad:
    """How to load a model (Settings' Model section)."""

    n_ctx: int | Literal["auto"]
    n_threads: int | None = None  # None: one per physical core
    n_gpu_layers: int | Literal["auto"] = 0


@dataclass(frozen=True)
class ReplyDefaults:
    """The user's choices for every reply (Settings); None keeps the model's own."""

    temperature: float | None = None  # a conversation's own temperature wins over this one
    top_p: float | None = None
    max_tokens: int | None = None
    thinking: bool | None = None  # a thinking switch's position; None: the model's default

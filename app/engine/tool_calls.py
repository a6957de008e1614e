"""gpt-oss's tool calls on the wire: a call read from the model's stream, the tool's answer written back.

A call is a message addressed to a recipient that the model ends with `<|call|>`. The recipient sits in
the role part or after the channel, and a constrain type ("code", "json", `<|constrain|>json`) may come
before `<|message|>`:
    <|start|>assistant<|channel|>analysis to=browser.search code<|message|>{"query": "x"}<|call|>
    <|start|>assistant to=python<|channel|>analysis code<|message|>print(6*7)<|call|>
    <|start|>assistant<|channel|>commentary to=browser.open <|constrain|>json<|message|>{"id": 1}<|call|>
The answer goes back as the tool's message on the call's channel, and the assistant's turn is reopened:
    <|start|>browser.search to=assistant<|channel|>analysis<|message|>RESULT<|end|><|start|>assistant
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from app.engine.harmony import CALL, CHANNEL, CONSTRAIN, END, MESSAGE, START, HarmonyParser, Kind, Piece
from app.engine.tools import ToolCall

_RECIPIENT = "to="
_SECTIONS = re.compile(f"({re.escape(CHANNEL)}|{re.escape(CONSTRAIN)})")
PARAGRAPH = "\n\n"
# A call whose header names no channel is answered on the analysis channel, where the model reads.
DEFAULT_CHANNEL = "analysis"


def declares_builtin_tools(template: str) -> bool:
    """Whether a chat template describes gpt-oss's built-in tools when given their names: gpt-oss's own
    reads a `builtin_tools` variable (a template that never mentions it would ignore a Toolbox)."""
    return "builtin_tools" in template


@dataclass(frozen=True)
class Header:
    role: str  # "assistant" when the header continues the prompt's `<|start|>assistant`
    recipient: str  # "" when the message is addressed to no one
    channel: str  # "" when the header names none
    constrain: str  # "json", "code" or ""


def read_header(header: str, explicit_role: bool) -> Header:
    """The parts of a message header, as the harmony parser collected it (markers included, after any
    `<|start|>`). `explicit_role`: the header began with `<|start|>`, so its first word is the role."""
    sections: dict[str, list[str]] = {"": [], CHANNEL: [], CONSTRAIN: []}
    current = ""
    for part in _SECTIONS.split(header):
        if part in sections:
            current = part
        else:
            sections[current] += part.split()
    recipient = next(
        (
            word[len(_RECIPIENT) :]
            for words in sections.values()
            for word in words
            if word.startswith(_RECIPIENT)
        ),
        "",
    )
    role_words, channel_words, constrain_words = (
        [word for word in sections[key] if not word.startswith(_RECIPIENT)]
        for key in ("", CHANNEL, CONSTRAIN)
    )
    role = role_words[0] if explicit_role and role_words else "assistant"
    channel = channel_words[0] if channel_words else ""
    constrain = (constrain_words or channel_words[1:] or [""])[0]
    return Header(role, recipient, channel, constrain)


class ToolCallParser(HarmonyParser):
    """The harmony parser for a reply that may call tools.

    It keeps the header and the text of a message the assistant addresses to a recipient, never shown,
    so that end_call() can hand the call to the engine when the model writes `<|call|>`. Commentary
    preambles (commentary messages addressed to no one: "Let me look that up.") are shown as reasoning,
    since with tools they say what the model is about to do. A reply with tools thinks in several
    messages, between the calls; each after the first begins a new paragraph of the reasoning.
    """

    def _reset(self) -> None:
        super()._reset()
        self._call: Header | None = None
        self._arguments: list[str] = []
        self._reasoned = False  # some reasoning was shown in this reply
        self._new_paragraph = False  # the next reasoning text begins a new message

    def _emit(self, kind: Kind, text: str) -> None:
        if kind == "reasoning" and text:
            if self._new_paragraph and self._reasoned:
                super()._emit(kind, PARAGRAPH)
            self._reasoned = True
            self._new_paragraph = False
        super()._emit(kind, text)

    def _begin_header(self, text: str, explicit_role: bool) -> None:
        self._call = None
        self._arguments = []
        super()._begin_header(text, explicit_role)

    def _body_kind(self, header: str, explicit_role: bool) -> Kind | None:
        facts = read_header(header, explicit_role)
        ours = facts.role == "assistant"
        self._call = facts if ours and facts.recipient else None
        kind: Kind | None = (
            "reasoning" if ours and not facts.recipient and facts.channel == "commentary" else None
        )
        kind = kind or super()._body_kind(header, explicit_role)
        self._new_paragraph = kind == "reasoning"
        return kind

    def _hidden_text(self, text: str) -> None:
        if self._call is not None:
            self._arguments.append(text)

    def end_call(self) -> tuple[ToolCall | None, list[Piece]]:
        """The model wrote `<|call|>`: the call its message makes (None if the message was addressed to
        no one), and any text held back until now. The parser then waits for a new message, as at the
        start of a reply: the engine reopens the assistant's turn after the tool's answer."""
        self._text(self._tail)
        self._tail = ""
        header = self._call if self._state == "body" and self._kind is None else None
        call = (
            ToolCall(
                header.recipient,
                header.channel or DEFAULT_CHANNEL,
                header.constrain,
                "".join(self._arguments),
            )
            if header is not None
            else None
        )
        self._state = "between"
        self._pending = ""
        self._header = ""
        self._call = None
        self._arguments = []
        return call, self._take()


class ToolMessages:
    """The tool's side of a call, as tokens of one loaded model."""

    def __init__(self, llm: Any, markers: Mapping[str, int], neutralize: Callable[[str], str]) -> None:
        """`markers`: the vocabulary's control-token texts and ids; `neutralize` breaks those texts in
        plain text (PromptBuilder.neutralize). Use for_model, which checks that the markers exist."""
        self._llm = llm  # llama_cpp.Llama (untyped)
        self.call_token = markers[CALL]
        self._start, self._channel, self._message, self._end = (
            markers[m] for m in (START, CHANNEL, MESSAGE, END)
        )
        self._marker_ids = frozenset(markers.values())
        self._neutralize = neutralize
        self._reopen = [self._end, self._start, *self.text("assistant")]

    @classmethod
    def for_model(
        cls, llm: Any, markers: Mapping[str, int], neutralize: Callable[[str], str]
    ) -> ToolMessages | None:
        """None unless the vocabulary has every harmony marker a tool exchange needs as a token."""
        if not all(m in markers for m in (CALL, START, CHANNEL, MESSAGE, END)):
            return None
        return cls(llm, markers, neutralize)

    def text(self, text: str) -> list[int]:
        """`text` as plain text. Control-token strings in it are broken first, because llama.cpp matches
        gpt-oss's header tokens (`<|start|>`, `<|end|>`, ...) even with special tokens off; and no marker
        id may remain whatever the tokenizer does, so a document can never close the tool's message."""
        data = self._neutralize(text).encode("utf-8", errors="replace")
        ids = self._llm.tokenize(data, add_bos=False, special=False)
        return [int(token) for token in ids if token not in self._marker_ids]

    def opening(self, call: ToolCall) -> list[int]:
        """`<|start|>{recipient} to=assistant<|channel|>{channel}<|message|>`: the start of the answer."""
        sender = self.text(f"{call.recipient} {_RECIPIENT}assistant")
        return [self._start, *sender, self._channel, *self.text(call.channel), self._message]

    def closing(self) -> list[int]:
        """`<|end|><|start|>assistant`: the end of the answer, and the assistant's turn again."""
        return list(self._reopen)

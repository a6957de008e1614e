"""Incremental parser for gpt-oss's "harmony" output: raw text deltas in, reasoning/answer pieces out.

llama.cpp detokenizes harmony's control tokens to text, so the engine receives a stream such as
`<|channel|>analysis<|message|>We need to greet.<|end|><|start|>assistant<|channel|>final<|message|>Hi`
cut at arbitrary places (one token per delta, a marker sometimes split over two). The prompt already
ends with `<|start|>assistant`, so the stream begins inside the first message's header.

Design points:
- Only a trailing fragment that could still become a marker is held back; everything else comes out of
  the feed() that received it, so the UI streams with no added latency. (The one other wait: at the
  start of a message, leading whitespace or a "t"/"to" that may begin a " to=recipient" header part.)
- Work per feed() is proportional to the delta: the held-back fragment is shorter than the longest
  marker and a header is capped at `HEADER_LIMIT` characters.
- Model output is untrusted and sometimes malformed. Nothing here raises; odd input degrades to
  showing text as the answer rather than losing it, but text on a channel that is not for the user
  (commentary, tool calls, unknown channels) is never shown as the answer.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Literal, NamedTuple, Protocol

Kind = Literal["reasoning", "answer"]

START = "<|start|>"
END = "<|end|>"
MESSAGE = "<|message|>"
CHANNEL = "<|channel|>"
RETURN = "<|return|>"
CALL = "<|call|>"
CONSTRAIN = "<|constrain|>"
MARKERS = frozenset({START, END, MESSAGE, CHANNEL, RETURN, CALL, CONSTRAIN})

# A header is the role, channel, recipient and constrain type: a few dozen characters even with a long
# tool name. Past this many characters without <|message|> the model is not writing a header, so the
# text is shown as the answer instead of being held back (or hidden) any longer.
HEADER_LIMIT = 200

_MAX_MARKER = max(len(m) for m in MARKERS)
# Proper prefixes of markers ("<", "<|", "<|ch", ...): the only text worth holding back at the end of a delta.
_MARKER_PREFIXES = frozenset(m[:i] for m in MARKERS for i in range(1, len(m)))
_MESSAGE_ENDS = frozenset({END, RETURN, CALL})
_RECIPIENT = "to="
_CHANNEL_KINDS: dict[str, Kind] = {"analysis": "reasoning", "final": "answer"}
_HEADER_SPLIT = re.compile(f"({re.escape(CHANNEL)}|{re.escape(CONSTRAIN)})")
_ANY_MARKER = re.compile("|".join(re.escape(m) for m in sorted(MARKERS)))


class Piece(NamedTuple):
    kind: Kind
    text: str


class StreamParser(Protocol):
    def feed(self, delta: str) -> list[Piece]:
        """Consume the next chunk of generated text; return what can be shown now."""
        ...

    def finish(self, *, cut_short: bool = False) -> list[Piece]:
        """Flush at the end of generation. The parser is then ready for a new stream.

        `cut_short`: generation was stopped (cancel, length limit) rather than ended by the model.
        """
        ...


def merge(pieces: Iterable[Piece]) -> list[Piece]:
    """Join adjacent pieces of the same kind and drop empty ones."""
    out: list[Piece] = []
    for piece in pieces:
        if not piece.text:
            continue
        if out and out[-1].kind == piece.kind:
            out[-1] = Piece(piece.kind, out[-1].text + piece.text)
        else:
            out.append(piece)
    return out


class PlainParser:
    """For models without harmony: every character is answer text."""

    def feed(self, delta: str) -> list[Piece]:
        return [Piece("answer", delta)] if delta else []

    def finish(self, *, cut_short: bool = False) -> list[Piece]:
        return []


_State = Literal["between", "header", "body"]


class HarmonyParser:
    """Harmony stream parser; see the module docstring for the rules.

    States:
    - "between": at the start of a message whose header has not begun (stream start, or after
      <|end|>/<|return|>/<|call|>). The role is implicitly the assistant. Text that does not look like
      a header (a marker or " to=recipient") means the model is writing plainly: it is answer text.
    - "header": between <|start|> (or an implicit header's first part) and <|message|>; never shown.
    - "body": message content, shown as `_kind`, or hidden when `_kind` is None.
    """

    def __init__(self) -> None:
        self._reset()

    def _reset(self) -> None:
        self._tail = ""  # trailing fragment of the last delta that may still become a marker
        self._state: _State = "between"
        self._pending = ""  # "between": leading whitespace and/or a partial " to=" not yet decided
        self._header = ""  # "header": raw header text, markers included, after any <|start|>
        self._explicit_role = False  # "header": began with <|start|>, so its first word is the role
        self._kind: Kind | None = None  # "body": how its text is shown
        self._shown = False  # some non-empty piece was emitted during this stream
        self._out: list[Piece] = []

    @property
    def buffered(self) -> int:
        """Characters held back right now; bounded whatever the stream, which keeps feed() linear."""
        return len(self._tail) + len(self._pending) + len(self._header)

    def feed(self, delta: str) -> list[Piece]:
        text = self._tail + delta
        self._tail = ""
        start = 0  # text[start:pos] is plain text not yet passed on
        pos = 0
        while True:
            at = text.find("<|", pos)
            if at < 0:
                break
            close = text.find("|>", at + 2, at + _MAX_MARKER)
            if close >= 0:
                candidate = text[at : close + 2]
                if candidate in MARKERS:
                    self._text(text[start:at])
                    self._marker(candidate)
                    start = pos = close + 2
                    continue
            elif len(text) - at < _MAX_MARKER and text[at:] in _MARKER_PREFIXES:
                self._text(text[start:at])
                self._tail = text[at:]
                return self._take()
            # "<|" that is not a known marker (a literal in code, "<|foo|>") is ordinary text.
            pos = at + 1
        if text.endswith("<"):
            self._text(text[start:-1])
            self._tail = "<"
        else:
            self._text(text[start:])
        return self._take()

    def finish(self, *, cut_short: bool = False) -> list[Piece]:
        # A marker fragment left at the very end never completed: it was literal text.
        self._text(self._tail)
        self._tail = ""
        if self._state == "between" and self._pending.strip():
            self._emit("answer", self._pending)
        elif self._state == "header" and not self._shown:
            # Generation stopped inside a header and the user saw nothing at all: show what the model
            # wrote (minus control markers) rather than an empty reply.
            text = _ANY_MARKER.sub("", self._header)
            if text.strip():
                self._emit("answer", text)
        out = self._take()
        self._reset()
        return out

    def _take(self) -> list[Piece]:
        out = merge(self._out)
        self._out = []
        return out

    def _emit(self, kind: Kind, text: str) -> None:
        if text:
            self._out.append(Piece(kind, text))
            self._shown = True

    def _begin_header(self, text: str, explicit_role: bool) -> None:
        self._state = "header"
        self._header = ""
        self._explicit_role = explicit_role
        self._add_to_header(text)

    def _begin_body(self, kind: Kind | None) -> None:
        self._state = "body"
        self._kind = kind

    def _add_to_header(self, text: str) -> None:
        self._header += text
        if len(self._header) > HEADER_LIMIT:
            self._emit("answer", _ANY_MARKER.sub("", self._header))
            self._header = ""
            self._begin_body("answer")

    def _text(self, text: str) -> None:
        if not text:
            return
        if self._state == "body":
            if self._kind is not None:
                self._emit(self._kind, text)
            else:
                self._hidden_text(text)
        elif self._state == "header":
            self._add_to_header(text)
        else:
            self._text_between(text)

    def _text_between(self, text: str) -> None:
        pending = self._pending + text
        head = pending.lstrip()
        if head.startswith(_RECIPIENT):
            # `<|start|>assistant` is in the prompt; the model may continue that header with a recipient.
            self._pending = ""
            self._begin_header(pending, explicit_role=False)
        elif _RECIPIENT.startswith(head) and len(pending) <= HEADER_LIMIT:
            self._pending = pending
        else:
            self._pending = ""
            self._emit("answer", pending)
            self._begin_body("answer")

    def _body_kind(self, header: str, explicit_role: bool) -> Kind | None:
        """How the body after `header` is shown; a subclass may decide otherwise (tool_calls)."""
        return _header_kind(header, explicit_role)

    def _hidden_text(self, text: str) -> None:
        """Text of a body that is not shown; a subclass may keep it (a tool call's arguments)."""

    def _marker(self, marker: str) -> None:
        if self._state == "between":
            if self._pending.strip():
                # Undecided text ("t", "to") followed by a marker was plain text after all.
                self._emit("answer", self._pending)
                self._pending = ""
                self._begin_body("answer")
            else:
                # Whitespace between messages is formatting, not content.
                self._pending = ""
                self._marker_between(marker)
                return
        if self._state == "header":
            self._marker_in_header(marker)
        else:
            self._marker_in_body(marker)

    def _marker_between(self, marker: str) -> None:
        if marker == START:
            self._begin_header("", explicit_role=True)
        elif marker in (CHANNEL, CONSTRAIN):
            self._begin_header(marker, explicit_role=False)
        elif marker == MESSAGE:
            # A message with no header at all: a plain assistant message.
            self._begin_body("answer")
        # An end marker here closes an empty message: nothing changes.

    def _marker_in_header(self, marker: str) -> None:
        if marker == MESSAGE:
            self._begin_body(self._body_kind(self._header, self._explicit_role))
            self._header = ""
        elif marker == START:
            # The previous header was abandoned; a new message begins.
            self._begin_header("", explicit_role=True)
        elif marker in _MESSAGE_ENDS:
            self._header = ""
            self._state = "between"
        else:
            self._add_to_header(marker)

    def _marker_in_body(self, marker: str) -> None:
        if marker in _MESSAGE_ENDS:
            self._state = "between"
        elif marker == START:
            self._begin_header("", explicit_role=True)
        elif marker == CHANNEL:
            # The model began a new header without closing the message: treat it as closed.
            self._begin_header(marker, explicit_role=False)
        # A stray <|message|> or <|constrain|> inside a body is a control token, never content: dropped.


def _header_kind(header: str, explicit_role: bool) -> Kind | None:
    """How a message's body is shown, from its header; None hides it.

    Only the assistant's own analysis (reasoning) and final channels are shown. Anything addressed to
    a recipient is a tool call, and other roles or channels (commentary, unknown) are not for the user.
    A header with no channel at all is an ordinary assistant message, so it is the answer.
    """
    parts = _HEADER_SPLIT.split(header)
    words = [word for part in parts for word in part.split()]
    if any(word.startswith(_RECIPIENT) for word in words):
        return None
    if explicit_role:
        role_words = parts[0].split()
        if role_words and role_words[0] != "assistant":
            return None
    if CHANNEL not in parts:
        return "answer"
    channel_words = parts[parts.index(CHANNEL) + 1].split()
    return _CHANNEL_KINDS.get(channel_words[0]) if channel_words else None


def make_parser(harmony: bool) -> StreamParser:
    return HarmonyParser() if harmony else PlainParser()

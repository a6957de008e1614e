"""Incremental parser for `<think>…</think>` reasoning: raw text deltas in, reasoning/answer pieces out.

DeepSeek-R1 distills, Qwen3, QwQ and others write their thought between `<think>` and `</think>` and the
answer after it: `<think>\\nThe user greets me.\\n</think>\\n\\nHello!`. Some templates write `<think>\\n`
at the end of the prompt themselves, so the output starts inside the thought and only closes it: the
parser is then made with `in_thought=True`.

Rules (the same output whatever the cuts between deltas; tests check that with random splits):
- Every tag cuts the stream into blocks. A block after `<think>` is reasoning, after `</think>` answer;
  the first block is reasoning if the template opened the thought, else answer. So text a model writes
  before its `<think>` is answer, and a tag that changes nothing (a second `<think>` inside a thought, a
  stray `</think>` in the answer) only ends a block. Tags never reach the user; tag depth is not
  counted, because the common "nesting" is a model repeating the `<think>` its template already wrote.
- A block is trimmed: leading whitespace (the newlines after a tag) is dropped, and trailing whitespace
  is held back until more text of the block follows, so a thought does not end in the newline before
  `</think>`. Blocks of the same kind are joined by a blank line, which also keeps text on both sides of
  a removed tag from forming a new tag.
- Only a trailing fragment that could still become a tag ("<", "</th", ...) and trailing whitespace are
  held back; everything else comes out of the feed() that received it.
- A reply the model ends (`finish()`, not cut short) while still inside its thought has no answer at
  all if it wrote nothing else: a model given an opened `<think>` that simply answers, or one that
  forgot to close it. The thought is then also given as the answer, so the user is not left with an
  empty reply. A reply cut short (cancel, length limit) keeps an unfinished thought as reasoning only.
"""

from __future__ import annotations

from app.engine.harmony import Kind, Piece, merge

OPEN = "<think>"
CLOSE = "</think>"
BLOCK_SEPARATOR = "\n\n"

_TAGS = (OPEN, CLOSE)
_LONGEST_TAG = max(len(tag) for tag in _TAGS)
# Proper prefixes of the tags ("<", "</", "<th", ...): the only text worth holding back at a delta's end.
_TAG_PREFIXES = frozenset(tag[:i] for tag in _TAGS for i in range(1, len(tag)))


class ThinkParser:
    """Splits a `<think>` reasoning stream; see the module docstring for the rules."""

    def __init__(self, *, in_thought: bool = False) -> None:
        self._in_thought = in_thought
        self._reset()

    def _reset(self) -> None:
        self._tail = ""  # trailing fragment of the last delta that may still become a tag
        self._kind: Kind = "reasoning" if self._in_thought else "answer"
        self._block_started = False  # the current block has shown text
        self._held: list[str] = []  # trailing whitespace of the current block, shown if text follows
        self._shown: set[Kind] = set()  # kinds that have shown text in this stream
        self._thought: list[str] = []  # all reasoning shown, for a thought that is never closed
        self._out: list[Piece] = []

    @property
    def buffered(self) -> int:
        """Characters held back right now: a tag fragment and the whitespace at a block's end."""
        return len(self._tail) + sum(len(part) for part in self._held)

    def feed(self, delta: str) -> list[Piece]:
        text = self._tail + delta
        self._tail = ""
        start = 0  # text[start:] has not been passed on yet
        at = text.find("<")
        while at >= 0:
            tag = next((tag for tag in _TAGS if text.startswith(tag, at)), None)
            if tag is not None:
                self._text(text[start:at])
                self._tag(tag)
                start = at + len(tag)
            elif len(text) - at < _LONGEST_TAG and text[at:] in _TAG_PREFIXES:
                self._text(text[start:at])
                self._tail = text[at:]
                return self._take()
            # Otherwise the "<" is ordinary text ("a < b", "<div>").
            at = text.find("<", max(at + 1, start))
        self._text(text[start:])
        return self._take()

    def finish(self, *, cut_short: bool = False) -> list[Piece]:
        # A tag fragment left at the very end never completed: it was literal text.
        self._text(self._tail)
        self._tail = ""
        if self._kind == "reasoning" and not cut_short and "answer" not in self._shown and self._thought:
            self._out.append(Piece("answer", "".join(self._thought)))
        out = self._take()
        self._reset()
        return out

    def _take(self) -> list[Piece]:
        out = merge(self._out)
        self._out = []
        return out

    def _emit(self, text: str) -> None:
        self._out.append(Piece(self._kind, text))
        if self._kind == "reasoning":
            self._thought.append(text)

    def _tag(self, tag: str) -> None:
        # Whatever whitespace the block still held was its end: dropped.
        self._held = []
        self._block_started = False
        self._kind = "reasoning" if tag == OPEN else "answer"

    def _text(self, text: str) -> None:
        if not text:
            return
        if not self._block_started:
            text = text.lstrip()
            if not text:
                return
            self._block_started = True
            if self._kind in self._shown:
                self._emit(BLOCK_SEPARATOR)
            self._shown.add(self._kind)
        body = text.rstrip()
        if not body:
            self._held.append(text)
            return
        self._emit("".join(self._held) + body)
        self._held = [text[len(body) :]] if len(body) < len(text) else []

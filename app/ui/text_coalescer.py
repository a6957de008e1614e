"""Joining the tokens a fast model streams into about one signal per frame, and the worker's side of one
reply's stream (ReplyEvents): what each engine event becomes, on the worker's thread."""

from __future__ import annotations

import time
from collections.abc import Callable

from app.engine import ChatEvent
from app.engine.tools import ToolActivity

# One frame at 60 Hz: joining the pieces that arrive within it costs the reader nothing visible.
COALESCE_MS = 16


class TextCoalescer:
    """Joins consecutive pieces of one kind so a fast model sends about one signal per frame.

    The first piece after a quiet spell goes out at once (no added latency when tokens are slow);
    pieces that follow within `window_s` wait for the next piece, a change of kind, or `flush()`.
    """

    def __init__(
        self,
        emit: Callable[[str, str], None],
        *,
        window_s: float = COALESCE_MS / 1000,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._emit = emit
        self._window_s = window_s
        self._clock = clock
        self._kind = ""
        self._parts: list[str] = []
        self._last_emit = float("-inf")

    def add(self, kind: str, text: str) -> None:
        if not text:
            return
        if self._parts and kind != self._kind:
            self.flush()
        self._kind = kind
        self._parts.append(text)
        if self._clock() - self._last_emit >= self._window_s:
            self.flush()

    def flush(self) -> None:
        if self._parts:
            text = "".join(self._parts)
            self._parts.clear()
            self._emit(self._kind, text)
            self._last_emit = self._clock()


class ReplyEvents:
    """Call it with each ChatEvent of a reply; flush() once the reply has ended (or failed).

    Text is joined by a TextCoalescer, and a tool's row goes out after the text that came before the call,
    so the window shows them in the order they happened. (The turn has mapped the browser's citations in
    the text already: app.turn.reply_to.)
    """

    def __init__(
        self,
        text: Callable[[str, str], None],
        tool: Callable[[ToolActivity], None],
        *,
        window_s: float = COALESCE_MS / 1000,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._pieces = TextCoalescer(text, window_s=window_s, clock=clock)
        self._tool = tool

    def __call__(self, event: ChatEvent) -> None:
        if event.kind == "tool":
            self._pieces.flush()  # the text before the call is shown before the call's row
            if event.activity is not None:
                self._tool(event.activity)
        else:
            self._pieces.add(event.kind, event.text)

    def flush(self) -> None:
        self._pieces.flush()

"""Joining the tokens a fast model streams into about one signal per frame."""

from __future__ import annotations

import time
from collections.abc import Callable

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

"""ReplyRecorder: saves a streaming reply often enough to survive a crash, rarely enough to be cheap."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from typing import Any, Final

from app.store.errors import HistoryBusy
from app.store.history import HistoryStore

log = logging.getLogger("hearth.store")

FINAL_STATUSES: Final = ("done", "stopped", "error")
# The most of a streaming reply a crash can lose, in time: half a second of text is a few words, and
# two writes a second cost little next to generating it.
SAVE_INTERVAL_S: Final = 0.5


class ReplyRecorder:
    """Accumulates one assistant reply and writes it at most every `interval_s` seconds.

    The message is created at once with status 'streaming', so a crash loses at most the last
    `interval_s` of text (more only while another process keeps the history locked): the next
    HistoryStore to open the file marks it 'stopped'. Not thread-safe; use it from the thread that
    receives the reply's events.
    """

    def __init__(
        self,
        store: HistoryStore,
        conversation_id: int,
        parent_id: int | None,
        *,
        clock: Callable[[], float] = time.monotonic,
        interval_s: float = SAVE_INTERVAL_S,
    ) -> None:
        self._store = store
        self._clock = clock
        self._interval_s = interval_s
        self._answer: list[str] = []
        self._reasoning: list[str] = []
        self._dirty = False
        self._finished = False
        self._message_id = store.add_message(
            conversation_id, "assistant", "", parent_id=parent_id, status="streaming"
        )
        self._last_write = clock()

    @property
    def message_id(self) -> int:
        return self._message_id

    @property
    def answer(self) -> str:
        return "".join(self._answer)

    @property
    def reasoning(self) -> str:
        return "".join(self._reasoning)

    @property
    def finished(self) -> bool:
        return self._finished

    def append_answer(self, text: str) -> None:
        self._append(self._answer, text)

    def append_reasoning(self, text: str) -> None:
        self._append(self._reasoning, text)

    def _append(self, parts: list[str], text: str) -> None:
        if self._finished:
            raise RuntimeError("the reply was already finished")
        if not text:
            return
        parts.append(text)
        self._dirty = True
        if self._clock() - self._last_write >= self._interval_s:
            try:
                self.flush()
            except HistoryBusy as busy:
                # Another process holds the history for longer than SQLite waits (a big import, large
                # documents stored at once). The text is kept here and the next interval tries again: a
                # history busy for a while is no reason to stop the reply.
                log.info("reply %d not saved this time: %s", self._message_id, busy)
                # Counted from now: the reply streams for an interval between two waits for the lock.
                self._last_write = self._clock()

    def replace(self, *, answer: str, reasoning: str) -> None:
        """Put other text in place of what was gathered (a loop trimmed to one copy), before finish()."""
        if self._finished:
            raise RuntimeError("the reply was already finished")
        self._answer, self._reasoning = [answer], [reasoning]
        self._dirty = True

    def flush(self) -> None:
        """Write the text gathered so far now, if anything changed since the last write."""
        if self._finished or not self._dirty:
            return
        # Counted from the attempt, so a failing disk is retried once per interval, not per token.
        self._last_write = self._clock()
        # Restating 'streaming' undoes the crash recovery of another process that opened the
        # file meanwhile (e.g. the command line while the window streams) and took this reply
        # for an interrupted one.
        self._store.update_message(
            self._message_id, content=self.answer, reasoning=self.reasoning, status="streaming"
        )
        self._dirty = False

    def finish(self, status: str, stats: dict[str, Any] | None = None, error: str | None = None) -> None:
        """Write the whole reply with its final status. Later calls do nothing."""
        if status not in FINAL_STATUSES:
            raise ValueError(
                f"a finished reply's status is one of {', '.join(FINAL_STATUSES)}; got {status!r}"
            )
        if self._finished:
            log.debug("reply %d already finished; ignoring finish(%r)", self._message_id, status)
            return
        self._store.update_message(
            self._message_id,
            content=self.answer,
            reasoning=self.reasoning,
            status=status,
            stats=stats,
            error=error,
        )
        self._finished = True

"""Showing a long stored thread without freezing the window: the newest messages first, older ones a page
at a time as the reader scrolls up (or as a jump to an old message needs them).

Each page's markdown is rendered on a pool thread first (app.render caches what it renders, so the
widgets then find it ready), and the page's widgets are built in slices of a few milliseconds, so the
event loop keeps running between them.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping, Sequence
from typing import Protocol

from PySide6.QtCore import QObject, QTimer

from app.render import Labels, render_markdown
from app.store import AttachmentRecord, MessageRecord
from app.ui.jobs import run_job

# Messages per page: more than a screenful of short ones, few enough to build in well under 300 ms.
PAGE = 12
# Widgets are built until this much time has passed, then the event loop runs before the next one.
SLICE_MS = 12


class PagedView(Protocol):
    """What the pager needs of the chat view."""

    def insert_record(
        self, record: MessageRecord, attachments: Sequence[AttachmentRecord], position: int
    ) -> None: ...
    def render_hints(self) -> tuple[bool, Labels]: ...  # dark, and the translated labels
    def begin_prepend(self) -> None: ...  # keep what the reader sees in place while pages arrive above
    def first_page_shown(self) -> None: ...


class ThreadPager(QObject):
    def __init__(self, view: PagedView, parent: QObject) -> None:
        super().__init__(parent)
        self._view = view
        self._older: list[MessageRecord] = []  # not shown yet, oldest first
        self._attachments: Mapping[int, Sequence[AttachmentRecord]] = {}
        self._generation = 0  # a new thread makes pages still on their way stale
        self._busy = False
        self._again = False  # asked for more while a page was on its way: the next one follows it
        self._waiting: list[Callable[[], None]] = []  # to call once the page on its way is shown

    def start(
        self, records: Sequence[MessageRecord], attachments: Mapping[int, Sequence[AttachmentRecord]]
    ) -> None:
        self.reset()
        self._older = list(records)
        self._attachments = attachments
        self._next_page(first=True)

    def reset(self) -> None:
        """Forget the thread: pages still on their way are dropped."""
        self._generation += 1
        self._older = []
        self._attachments = {}
        self._busy = False
        self._again = False
        self._waiting = []

    @property
    def busy(self) -> bool:
        """A page is on its way (rendered, or being built)."""
        return self._busy

    @property
    def has_older(self) -> bool:
        return bool(self._older)

    def holds(self, message_id: int) -> bool:
        """Whether the message is in the thread but not shown yet."""
        return any(record.id == message_id for record in self._older)

    def more(self, then: Callable[[], None] | None = None) -> None:
        """Show the next older page; `then` runs once it is shown (at once when there is none)."""
        if then is not None:
            self._waiting.append(then)
        if self._busy:
            self._again = True
        elif self._older:
            self._next_page(first=False)
        else:
            self._finish_waiting()

    def _next_page(self, *, first: bool) -> None:
        page, self._older = self._older[-PAGE:], self._older[:-PAGE]
        if not page:
            self._view.first_page_shown()
            return
        self._busy = True
        generation = self._generation
        dark, labels = self._view.render_hints()
        answers = [r.content for r in page if r.role == "assistant" and r.status != "streaming"]

        def render() -> None:
            for text in answers:
                render_markdown(text, dark=dark, labels=labels)

        def build(_rendered: object = None) -> None:
            if generation == self._generation:
                if not first:
                    self._view.begin_prepend()
                self._build(page, 0, first, generation)

        run_job(render, build, lambda _error: build(), parent=self)

    def _build(self, page: list[MessageRecord], start: int, first: bool, generation: int) -> None:
        if generation != self._generation:
            return
        began = time.monotonic()
        index = start
        while index < len(page):
            record = page[index]
            self._view.insert_record(record, self._attachments.get(record.id, ()), index)
            index += 1
            if (time.monotonic() - began) * 1000 >= SLICE_MS:
                break
        if index < len(page):
            QTimer.singleShot(0, self, lambda: self._build(page, index, first, generation))
            return
        self._busy = False
        if first:
            self._view.first_page_shown()
        if self._again:
            self._again = False
            self.more()
        else:
            self._finish_waiting()

    def _finish_waiting(self) -> None:
        waiting, self._waiting = self._waiting, []
        for then in waiting:
            then()

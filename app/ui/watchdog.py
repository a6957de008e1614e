"""A watch on the UI thread: logs whenever the event loop stops answering, so freezes show up in the log."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable

from PySide6.QtCore import QCoreApplication, QObject, Qt, QTimer, Signal, Slot

log = logging.getLogger("hearth.ui")


class StallWatchdog(QObject):
    """Measures how late a timer on the UI thread fires: the time the event loop was blocked.

    It notices a stall only once it is over, so it cannot show what blocked; the log line's time
    and the lines before it usually tell. Resolution is `interval_ms`: a benchmark that wants
    stalls of a few milliseconds should pass a small interval.
    """

    stalled = Signal(float)  # milliseconds, for each stall over the threshold

    def __init__(
        self,
        parent: QObject,
        *,
        threshold_ms: float = 200,
        interval_ms: int = 50,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        super().__init__(parent)
        self.threshold_ms = threshold_ms
        self.longest_stall_ms = 0.0
        self._interval_ms = interval_ms
        self._clock = clock
        self._last = clock()
        self._timer = QTimer(self)
        self._timer.setTimerType(Qt.TimerType.PreciseTimer)
        self._timer.setInterval(interval_ms)
        self._timer.timeout.connect(self.tick)

    def start(self) -> None:
        self._last = self._clock()
        self._timer.start()

    def stop(self) -> None:
        self._timer.stop()

    def reset(self) -> None:
        """Forget the longest stall, e.g. at the start of a benchmark."""
        self.longest_stall_ms = 0.0
        self._last = self._clock()

    @Slot()
    def tick(self) -> None:
        now = self._clock()
        late_ms = (now - self._last) * 1000 - self._interval_ms
        self._last = now
        self.longest_stall_ms = max(self.longest_stall_ms, late_ms)
        if late_ms > self.threshold_ms:
            log.warning("the window did not respond for %.0f ms", late_ms)
            self.stalled.emit(late_ms)


def install_stall_watchdog(
    app: QCoreApplication,
    threshold_ms: float = 200,
    *,
    interval_ms: int = 50,
    clock: Callable[[], float] = time.monotonic,
) -> StallWatchdog:
    """Start watching the UI thread of `app`; call it on that thread once the app exists."""
    watchdog = StallWatchdog(app, threshold_ms=threshold_ms, interval_ms=interval_ms, clock=clock)
    watchdog.start()
    return watchdog

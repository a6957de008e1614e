"""Logging to a rotating file in the data dir; loggers are named by area (hearth.engine, hearth.store…).

The log is where a bug's traceback goes, so it must never put one in front of the user itself: the
standard handler prints a "--- Logging error ---" traceback to stderr for every line it cannot write (a
full disk), and this one says so once, in one line.
"""

from __future__ import annotations

import contextlib
import errno
import logging
import logging.handlers
import os
import sys
from pathlib import Path

LOG_FILE_NAME = "hearth.log"
_FORMAT = "%(asctime)s %(levelname)s %(name)s [%(threadName)s] %(message)s"


class _LogFile(logging.handlers.RotatingFileHandler):
    """The rotating log file, quiet about its own failures: one line on stderr, the first time only."""

    _reported = False

    def handleError(self, record: logging.LogRecord) -> None:
        if self._reported:
            return
        self._reported = True
        error = sys.exc_info()[1]
        if isinstance(error, OSError) and error.errno in (errno.ENOSPC, errno.EFBIG):
            # A full disk: what failed to be written is said by the history's own message about it (one
            # line, with what to do), so the log's failure adds nothing but a second line.
            return
        reason = getattr(error, "strerror", None) or error
        say_on_terminal(f"hearth: warning: cannot write to the log file {self.baseFilename} ({reason})")


def say_on_terminal(line: str) -> None:
    """Write one line to stderr, if there is one: a windowed Windows build has none, a closed pipe fails."""
    stream = sys.stderr
    if stream is None:
        return
    try:
        stream.write(line.replace("\n", " ").rstrip() + "\n")
        stream.flush()
    except (OSError, ValueError):
        pass


def setup_logging(log_dir: Path, level: int = logging.INFO) -> Path:
    """Send the `hearth` loggers to `log_dir/hearth.log` (1 MB x 3 files). Safe to call twice.

    A first line ("log opened") is written and flushed here, so a log that cannot be written (a read-only
    file, a full disk) raises OSError now, while the caller can still say so, rather than failing
    quietly line by line later.
    """
    log_dir.mkdir(parents=True, exist_ok=True)
    path = log_dir / LOG_FILE_NAME
    formatter = logging.Formatter(_FORMAT)
    root = logging.getLogger("hearth")
    opened = root.makeRecord(
        root.name, logging.INFO, __file__, 0, "log opened (pid %d)", (os.getpid(),), None
    )
    # Unbuffered: a write that fails raises here and leaves nothing behind to fail again when the file
    # object is collected (a buffered one would print "Exception ignored" on stderr then).
    with path.open("ab", buffering=0) as file:
        file.write((formatter.format(opened) + "\n").encode("utf-8"))
    close_logging()
    root.setLevel(level)
    handler = _LogFile(path, maxBytes=1_000_000, backupCount=3, encoding="utf-8")
    handler.setFormatter(formatter)
    root.addHandler(handler)
    return path


def close_logging() -> None:
    """Stop writing to the log file (the next setup_logging opens one again)."""
    root = logging.getLogger("hearth")
    for handler in list(root.handlers):
        if isinstance(handler, logging.handlers.RotatingFileHandler):
            root.removeHandler(handler)
            # Closing flushes, and a full disk refuses that too; the file is let go of all the same.
            with contextlib.suppress(OSError, ValueError):
                handler.close()


def current_log_file() -> Path | None:
    """The file the `hearth` loggers write to now (for "Open log"), or None before setup_logging."""
    for handler in logging.getLogger("hearth").handlers:
        if isinstance(handler, logging.handlers.RotatingFileHandler):
            return Path(handler.baseFilename)
    return None

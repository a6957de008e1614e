"""Starting Hearth: the data folder made ready, and every way a start can fail put in plain words.

Qt-free, so the command line and the window start the same way; the window adds its dialogs
(app.ui.startup_dialog). A start fails in one of these ways, and the user never sees a traceback:

- the data folder cannot be used (HEARTH_HOME names a file, the folder is read-only, the disk is full):
  a DataFolderError, whose words name the folder and what to do;
- the history cannot be opened (damaged, read-only): the store's StoreError, in plain words too;
- the window cannot open (Qt cannot be loaded, no window system): one line, from app.cli and
  app.ui.startup_dialog, as there is nothing to show a dialog on;
- a bug, even one that stops the program being imported: logged with its stack, and the user reads one
  line (or a dialog) saying where the details are (cannot_start, the launcher's last resort).

Each one goes to the log when the log can be opened, as one line (a bug with its stack), and to stderr
as one line when it cannot. The command line prints its one line on stderr either way; the window shows a
dialog. Both then exit with EXIT_CANNOT_START.
"""

from __future__ import annotations

import logging
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Final

from app.config import DataFolderError, Paths, default_paths
from app.errors import UserError
from app.logs import close_logging, current_log_file, say_on_terminal, setup_logging

log = logging.getLogger("hearth.startup")

# The command line's status for any failure; scripts need no separate one for "could not start".
EXIT_CANNOT_START: Final = 1
# Tried at every start: a folder can exist, hold the log and still refuse a new file (mode 555, a
# read-only disk), and the history would then fail with words about the history, not the folder.
_WRITE_CHECK: Final = ".hearth-write-check"


def open_data_folder(paths: Paths | None = None) -> Paths:
    """The data folder ready for use: its folders made, a new file tried in it, the log opened.

    Raises DataFolderError, in words that name the folder; `paths` None means the user's own folder.
    """
    close_logging()  # a log an earlier start left open (a test's) is not this folder's
    paths = paths or default_paths()
    try:
        paths.root.mkdir(parents=True, exist_ok=True)
        _try_a_new_file(paths.root)
        paths.ensure()
        setup_logging(paths.log_dir)
    except OSError as error:
        raise DataFolderError.from_os_error(paths.root, error) from error
    return paths


def _try_a_new_file(folder: Path) -> None:
    probe = folder / _WRITE_CHECK
    os.close(os.open(probe, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600))
    probe.unlink()


def command_line_words(problem: UserError) -> str:
    """A start-up problem as the one line the command line prints after "hearth: error: "."""
    if isinstance(problem, DataFolderError):
        return problem.command_line()
    return one_line(str(problem))


def record_problem(problem: UserError, paths: Paths | None) -> Path | None:
    """Write a problem that stopped the start to the log, as one line; returns the log file, or None
    when no log could be opened (the caller's line on stderr is then the only record).

    A folder Hearth cannot use may still hold a log it can write to (a read-only folder whose logs
    folder is not), so the log is opened here if the start did not get that far.
    """
    log_file = current_log_file() or _open_log(paths)
    if log_file is not None:
        cause = problem.__cause__
        log.error("Hearth cannot start: %s%s", command_line_words(problem), f" ({cause})" if cause else "")
    return log_file


@dataclass(frozen=True)
class Bug:
    """An unexpected failure of the start, logged with its stack when a log could be opened."""

    summary: str  # the error's kind and message, on one line
    log_file: Path | None

    def command_line(self) -> str:
        where = f"; the details are in {self.log_file}" if self.log_file else ""
        return f"Hearth could not start because of an unexpected problem ({self.summary}){where}"


def record_bug(error: BaseException, paths: Paths | None = None) -> Bug:
    """Log an error nothing expected during the start with its stack, opening the log if need be."""
    log_file = current_log_file() or _open_log(paths or _user_paths())
    if log_file is not None:
        log.critical("Hearth could not start", exc_info=error)
    return Bug(summary=one_line(f"{type(error).__name__}: {error}"), log_file=log_file)


def cannot_start(error: BaseException) -> int:
    """The last resort of the launcher, for an error that escaped everything else: logged with its
    stack when possible, one line on stderr, and the status of a failed start."""
    say_on_terminal(f"hearth: error: {record_bug(error).command_line()}")
    return EXIT_CANNOT_START


def one_line(text: str) -> str:
    return " ".join(text.split())


def _open_log(paths: Paths | None) -> Path | None:
    if paths is None:
        return None
    try:
        return setup_logging(paths.log_dir)
    except OSError:
        return None


def _user_paths() -> Paths | None:
    try:
        return default_paths()
    except DataFolderError:
        return None

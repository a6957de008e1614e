"""A start that fails says so in one plain line, and logs it when it can: the real `python -m app` in a
child process, with HEARTH_HOME prepared to fail the way a user's machine does.

Tests run as root on CI, and root writes into a mode-555 folder: unwritable folders are made so in ways
root cannot get past (a file where a folder should be, /sys, a log on /dev/full), and the read-only modes
are tried with the child started like a user's process (without root's capabilities).
"""

from __future__ import annotations

import io
import logging
import os
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from app.logs import LOG_FILE_NAME, close_logging, setup_logging
from tests.fixtures.cli import hearth

# A folder nobody may create anything in, root included: the kernel's sysfs.
SYSFS = Path("/sys")


def cannot_start(result: subprocess.CompletedProcess[str], *named: Path | str) -> str:
    """The one line a failed start prints: status 1, nothing else on stderr, no traceback anywhere."""
    assert result.returncode == 1, result.stderr
    assert "Traceback" not in result.stdout + result.stderr
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    (line,) = lines
    assert line.startswith("hearth: error: ")
    for name in named:
        assert str(name) in line
    return line


def logged(home: Path) -> str:
    return (home / "logs" / LOG_FILE_NAME).read_text(encoding="utf-8")


@pytest.fixture
def home(hearth_home: Path) -> Path:
    """The data folder HEARTH_HOME names, for a test to spoil before Hearth starts."""
    return hearth_home


def point_home_at(monkeypatch: pytest.MonkeyPatch, folder: Path | str) -> None:
    monkeypatch.setenv("HEARTH_HOME", str(folder))


@pytest.mark.parametrize(
    "command",
    [
        ["doctor"],
        ["models", "list"],
        ["search", "marmalade"],
        ["export", "--all", "--format", "md"],
        ["import", "conversations.json"],
        ["ask", "--model", "model.gguf", "hi"],
    ],
    ids=lambda command: command[0],
)
def test_every_command_names_a_data_folder_that_is_a_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, command: list[str]
) -> None:
    blocker = tmp_path / "notes.txt"
    blocker.write_text("a file where the data folder should be", encoding="utf-8")
    point_home_at(monkeypatch, blocker)
    line = cannot_start(hearth(*command), blocker)
    assert f"“{blocker}” is a file, not a folder" in line
    assert "HEARTH_HOME" in line, "the folder came from HEARTH_HOME, so the way out names it"
    assert blocker.read_text(encoding="utf-8") == "a file where the data folder should be"


def test_a_data_folder_inside_a_file_names_the_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    blocker = tmp_path / "notes.txt"
    blocker.write_text("", encoding="utf-8")
    point_home_at(monkeypatch, blocker / "Hearth")
    line = cannot_start(hearth("doctor"), blocker / "Hearth")
    assert f"(“{blocker}” is a file, not a folder)" in line


def read_only_log(home: Path) -> None:
    (home / "logs").mkdir()
    (home / "logs" / LOG_FILE_NAME).write_text("", encoding="utf-8")
    (home / "logs" / LOG_FILE_NAME).chmod(0o444)


@pytest.mark.parametrize(
    ("spoil", "words"),
    [
        pytest.param(
            lambda home: (home / "models").write_text(""), "models” is a file, not a folder", id="models"
        ),
        pytest.param(lambda home: (home / "logs").write_text(""), "logs” is a file, not a folder", id="logs"),
        pytest.param(
            lambda home: (home / "logs" / LOG_FILE_NAME).mkdir(parents=True),
            f"{LOG_FILE_NAME}” is a folder where Hearth needs a file",
            id="log-file-is-a-folder",
        ),
        pytest.param(
            read_only_log,
            f"Hearth is not allowed to write to “{{home}}{os.sep}logs{os.sep}{LOG_FILE_NAME}”",
            id="read-only-log-file",
        ),
    ],
)
def test_a_part_of_the_data_folder_in_the_way_is_named(
    home: Path, spoil: Callable[[Path], object], words: str
) -> None:
    home.mkdir()
    spoil(home)
    line = cannot_start(hearth("search", "marmalade", like_a_user=True), home)
    assert words.format(home=home) in line


def test_a_full_disk_under_the_log_is_one_line_saying_so(home: Path) -> None:
    # /dev/full takes the file open and refuses every write with ENOSPC, as a full disk does.
    (home / "logs").mkdir(parents=True)
    (home / "logs" / LOG_FILE_NAME).symlink_to("/dev/full")
    line = cannot_start(hearth("doctor"), home)
    assert "(The disk is full)" in line and "free up some space" in line


@pytest.fixture(params=["sysfs", "mode-555"])
def refusing_folder(
    request: pytest.FixtureRequest, home: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[Path]:
    """An existing folder that refuses new files: mode 555 (a user only), and /sys, which refuses root
    too and takes the same path through Hearth's start (the same check fails with the same errno kind)."""
    if request.param == "sysfs":
        point_home_at(monkeypatch, SYSFS)
        yield SYSFS
        return
    (home / "logs").mkdir(parents=True)  # an older start made it; Hearth can still log there
    home.chmod(0o555)
    try:
        yield home
    finally:
        home.chmod(0o755)


def test_a_folder_that_refuses_new_files_is_one_line_and_logged_when_it_can_be(refusing_folder: Path) -> None:
    line = cannot_start(hearth("doctor", like_a_user=True), refusing_folder)
    assert f"(Hearth is not allowed to write to “{refusing_folder}”)" in line
    if refusing_folder != SYSFS:
        assert f"Hearth cannot start: {line.removeprefix('hearth: error: ')}" in logged(refusing_folder)


@pytest.fixture(params=["sysfs", "mode-555"])
def refusing_parent(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Path]:
    """A folder in which the data folder cannot be made, as refusing_folder."""
    if request.param == "sysfs":
        yield SYSFS
        return
    parent = tmp_path / "locked"
    parent.mkdir(mode=0o555)
    try:
        yield parent
    finally:
        parent.chmod(0o755)


def test_a_data_folder_that_cannot_be_made_names_the_folder_that_refused(
    refusing_parent: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    point_home_at(monkeypatch, refusing_parent / "Hearth")
    line = cannot_start(hearth("doctor", like_a_user=True), refusing_parent / "Hearth")
    assert f"(Hearth is not allowed to write to “{refusing_parent}”)" in line


def test_a_hearth_home_that_names_no_folder_is_one_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    stranger = "~no-such-user-on-this-computer/Hearth"
    point_home_at(monkeypatch, stranger)
    assert "names the home folder of an unknown user" in cannot_start(hearth("doctor"), stranger)
    # The self-test reports on the data folder, but cannot even begin without one.
    assert "names the home folder of an unknown user" in cannot_start(hearth("--self-test"), stranger)
    loop = tmp_path / "loop"
    loop.symlink_to(tmp_path / "back")
    (tmp_path / "back").symlink_to(loop)
    point_home_at(monkeypatch, loop)
    assert "is a link that leads back to itself" in cannot_start(hearth("doctor"), loop)
    too_long = tmp_path / ("long" * 100)
    point_home_at(monkeypatch, too_long)
    assert "(The folder's name is too long)" in cannot_start(hearth("doctor"), too_long)


def test_a_relative_hearth_home_is_taken_from_the_current_folder_and_an_empty_one_is_unset(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    point_home_at(monkeypatch, "portable")
    assert hearth("doctor").returncode == 0
    assert "log opened" in logged(tmp_path / "portable")
    point_home_at(monkeypatch, "  ")
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))
    assert hearth("doctor").returncode == 0
    assert "log opened" in logged(tmp_path / "xdg" / "Hearth")


def test_unreadable_settings_are_logged_and_hearth_starts_with_the_defaults(home: Path) -> None:
    (home / "settings.json").mkdir(parents=True)
    result = hearth("doctor")
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    assert f"{home / 'settings.json'} unreadable" in logged(home)


def test_a_damaged_history_is_one_line_naming_it_and_logged(home: Path) -> None:
    home.mkdir()
    (home / "history.sqlite3").write_bytes(b"not a database, " * 512)
    line = cannot_start(hearth("search", "marmalade"), home / "history.sqlite3")
    assert "too damaged to open" in line
    assert line.removeprefix("hearth: error: ") in logged(home)


@pytest.fixture(params=["folder", "read-only"])
def unwritable_history(request: pytest.FixtureRequest, home: Path) -> Iterator[Path]:
    """A history file Hearth cannot write: read-only (a user only), or a folder in its place (root too)."""
    history = home / "history.sqlite3"
    if request.param == "folder":
        history.mkdir(parents=True)
        yield history
        return
    home.mkdir()
    assert hearth("search", "marmalade").returncode == 0  # a real, empty history
    history.chmod(0o444)
    yield history


def test_a_history_that_cannot_be_written_is_one_line_naming_it_and_logged(
    home: Path, unwritable_history: Path
) -> None:
    line = cannot_start(hearth("search", "marmalade", like_a_user=True), unwritable_history)
    assert line.removeprefix("hearth: error: ") in logged(home)


def broken_package(folder: Path, name: str, failure: str) -> Path:
    """A package `name` that fails to import with `failure`, as a broken install's would."""
    (folder / name).mkdir(parents=True)
    (folder / name / "__init__.py").write_text(f"raise {failure}\n", encoding="utf-8")
    return folder


def test_a_window_that_cannot_be_loaded_is_one_line_and_logged(
    home: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    missing = "libGL.so.1: cannot open shared object file: No such file or directory"
    broken_package(tmp_path / "broken", "PySide6", f"ImportError({missing!r})")
    monkeypatch.setenv("PYTHONPATH", str(tmp_path / "broken"))
    line = cannot_start(hearth(), missing)
    assert "cannot open the window" in line and "hearth --help" in line
    assert line.removeprefix("hearth: error: ") in logged(home)


def test_an_unexpected_failure_at_start_is_logged_with_its_stack_and_one_line(
    home: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    broken_package(tmp_path / "broken", "llama_cpp", "RuntimeError('a bug while starting')")
    monkeypatch.setenv("PYTHONPATH", str(tmp_path / "broken"))
    log_file = home / "logs" / LOG_FILE_NAME
    line = cannot_start(hearth("doctor"), "RuntimeError: a bug while starting", log_file)
    assert "could not start because of an unexpected problem" in line
    log = logged(home)
    assert "Hearth could not start" in log
    assert "Traceback (most recent call last)" in log and "RuntimeError: a bug while starting" in log


def test_an_install_too_broken_for_the_log_still_ends_in_one_line(
    home: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    broken_package(tmp_path / "broken", "platformdirs", "ImportError('platformdirs is missing')")
    monkeypatch.setenv("PYTHONPATH", str(tmp_path / "broken"))
    cannot_start(hearth("doctor"), "ImportError: platformdirs is missing")
    assert not home.exists()


def test_the_help_says_what_the_exit_status_means() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "app", "--help"], capture_output=True, text=True, check=True, timeout=120
    )
    assert "Exit status: 0 done; 1 failed" in " ".join(done.stdout.split())


def _log_writing_to(folder: Path, device: str, flags: int) -> Path:
    """A log set up as at start, whose open file then writes into `device`, as when a disk fails mid-run."""
    log_file = setup_logging(folder / "logs")
    (handler,) = [h for h in logging.getLogger("hearth").handlers if isinstance(h, logging.FileHandler)]
    assert isinstance(handler.stream, io.TextIOWrapper)
    target = os.open(device, flags)
    try:
        os.dup2(target, handler.stream.fileno())
    finally:
        os.close(target)
    return log_file


def test_a_log_that_fails_later_says_so_once_in_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # The log file can no longer be written (here: its descriptor now only reads).
    log_file = _log_writing_to(tmp_path, os.devnull, os.O_RDONLY)
    log = logging.getLogger("hearth.test")
    log.error("the first line that cannot be written")
    log.error("and the second")
    close_logging()
    assert capsys.readouterr().err == (
        f"hearth: warning: cannot write to the log file {log_file} (Bad file descriptor)\n"
    )


def test_a_log_on_a_disk_that_fills_up_stays_quiet(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # A full disk is said once, by what failed to be saved (the history's one line, with what to do); the
    # log's own failure on it would be a second line saying less.
    _log_writing_to(tmp_path, "/dev/full", os.O_WRONLY)
    logging.getLogger("hearth.test").error("a line that finds no room")
    close_logging()
    assert capsys.readouterr().err == ""

"""A data folder whose disk can be filled up while Hearth writes to it, in two ways.

Tmpfs: a small tmpfs of its own, mounted in a mount namespace (with a user namespace, so no root is
needed where those are allowed) that a holder process keeps alive. Hearth's child processes enter it
(nsenter) and see the tmpfs where the data folder is; the test reaches the same files through the holder's
/proc/PID/root. Filled up, it fails writes with ENOSPC, which SQLite reports as SQLITE_FULL: a real full
disk. SQLite itself cannot open a file through /proc/PID/root (it resolves the link to the test's own
view), so the test copies the history out to read it.

File size limit: where namespaces are not allowed, RLIMIT_FSIZE set on the running child (prlimit) fails its
writes past the limit with EFBIG. SQLite reports that as an I/O error rather than a full disk, but the
way it reaches the reply being written is the same.
"""

from __future__ import annotations

import errno
import os
import shutil
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Final

from tests.crash.child import WAIT_S, hearth_env

TMPFS_BYTES: Final = 2 * 1024 * 1024
HISTORY_FILES: Final = ("history.sqlite3", "history.sqlite3-wal")
_PAGE: Final = 4096


class SmallDisk:
    """Where Hearth's data folder is (`home`, as the child sees it), and how to fill up and free its disk."""

    def __init__(self, home: Path) -> None:
        self.home = home

    @property
    def prefix(self) -> Sequence[str]:
        """A command that runs Hearth where it sees this disk."""
        return ()

    def outside(self, path: Path) -> Path:
        """`path` in the data folder, as the test reaches it."""
        return path

    def fill(self, pid: int) -> None:
        """Let process `pid` write no more to the data folder."""
        raise NotImplementedError

    def free(self) -> None:
        """Make room again, for the next process."""

    def hearth(self, *args: str | Path) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [*self.prefix, sys.executable, "-m", "app", *map(str, args)],
            capture_output=True,
            text=True,
            timeout=WAIT_S,
            env=hearth_env(self.home),
            check=False,
        )

    def copy_history(self, to: Path) -> Path:
        """A copy of the history with its WAL, for the test to open; taken while no process has it open."""
        to.mkdir(parents=True)
        for name in HISTORY_FILES:
            source = self.outside(self.home / name)
            if source.exists():
                shutil.copyfile(source, to / name)
        return to / HISTORY_FILES[0]

    def close(self) -> None:
        """Unmount whatever was mounted."""


class TmpfsDisk(SmallDisk):
    def __init__(self, mountpoint: Path) -> None:
        super().__init__(mountpoint / "home")
        mountpoint.mkdir()
        # `cat` keeps the namespace alive until the test closes its stdin.
        self._holder = subprocess.Popen(
            [
                "unshare",
                "--user",
                "--map-root-user",
                "--mount",
                "sh",
                "-c",
                'mount -t tmpfs -o size="$1" hearth-test "$2" && echo mounted && exec cat',
                "sh",
                str(TMPFS_BYTES),
                str(mountpoint),
            ],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        assert self._holder.stdout is not None
        if self._holder.stdout.readline() != "mounted\n":
            _, error = self._holder.communicate(timeout=WAIT_S)
            raise OSError(f"no tmpfs in a namespace of its own here: {error.strip()}")
        self._root = Path(f"/proc/{self._holder.pid}/root")
        self._filler = self.home / "filler"
        self.outside(self.home).mkdir()

    @property
    def prefix(self) -> Sequence[str]:
        return ("nsenter", f"--target={self._holder.pid}", "--user", "--mount")

    def outside(self, path: Path) -> Path:
        return self._root / path.relative_to(path.anchor)

    def fill(self, pid: int) -> None:
        # The log's last page first: a page partly used takes a line or two more even on a full disk, and
        # the log must find the disk as full as the history does.
        log = self.outside(self.home / "logs" / "hearth.log")
        if log.exists() and (spare := -log.stat().st_size % _PAGE):
            with log.open("ab") as file:
                file.write(b"-" * (spare - 1) + b"\n")
        fd = os.open(self.outside(self._filler), os.O_WRONLY | os.O_CREAT | os.O_TRUNC)
        try:
            size = 64 * 1024
            while size:  # down to the last byte of the last page
                try:
                    os.write(fd, bytes(size))
                except OSError as error:
                    if error.errno != errno.ENOSPC:
                        raise
                    size //= 2
        finally:
            os.close(fd)

    def free(self) -> None:
        self.outside(self._filler).unlink()

    def close(self) -> None:
        if self._holder.stdin is not None:
            self._holder.stdin.close()
        self._holder.wait(timeout=WAIT_S)


class FileSizeLimit(SmallDisk):
    def fill(self, pid: int) -> None:
        import resource  # POSIX only

        sizes = [path.stat().st_size for name in HISTORY_FILES if (path := self.home / name).exists()]
        # No file may grow past the largest history file now: the WAL, which every save makes longer.
        resource.prlimit(pid, resource.RLIMIT_FSIZE, (max(sizes), resource.RLIM_INFINITY))

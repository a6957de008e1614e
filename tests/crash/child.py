"""`hearth ask` in a real child process, held on a short leash: its reply read as it streams, the process
paused and resumed, killed.

The child writes its reply into a pipe of one page (on Linux), so it can never run more than a page
ahead of what the test has read: a reply the test stops reading stops too, and "kill it once N
characters are out" lands in the middle of the reply however fast the machine. Every wait is for a
condition, with a generous deadline for a slow machine; the only timed wait is pause_for(), whose point
is to let time pass.
"""

from __future__ import annotations

import codecs
import os
import select
import signal
import subprocess
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Final

from app.config import Settings, save_settings
from app.store.recorder import SAVE_INTERVAL_S

if sys.platform == "linux":  # elsewhere a pipe keeps its size, and the leash is longer
    from fcntl import F_SETPIPE_SZ, fcntl

WAIT_S: Final = 120.0  # for anything the child should do soon; only a hung child takes this long
_PIPE_BYTES: Final = 4096  # the smallest pipe Linux makes: one page


def hearth_env(home: Path) -> dict[str, str]:
    return {**os.environ, "HEARTH_HOME": str(home), "PYTHONUTF8": "1"}


def one_thread_each(settings_file: Path) -> None:
    """Settings for a data folder whose children run side by side: llama.cpp on one thread each.

    The tiny models need no more, and two children each spinning llama.cpp's threads on a two-core machine
    slow each other down tenfold (two 500-token replies at once took 71 s instead of 7).
    """
    settings_file.parent.mkdir(parents=True, exist_ok=True)
    save_settings(settings_file, Settings(n_threads=1))


class AskProcess:
    """`python -m app ask ARGS`, its stdout read by the test and its stderr kept in a file."""

    def __init__(
        self,
        args: Sequence[str | Path],
        *,
        home: Path,
        stderr: Path,
        prefix: Sequence[str] = (),
    ) -> None:
        """`prefix`: a command the child runs under (e.g. one that enters another mount namespace); it
        must exec the child, so that signals sent to this process reach Hearth itself."""
        read_end, write_end = os.pipe()
        if sys.platform == "linux":
            fcntl(read_end, F_SETPIPE_SZ, _PIPE_BYTES)
        self._stderr_path = stderr
        with stderr.open("wb") as err:
            self._process = subprocess.Popen(
                [*prefix, sys.executable, "-m", "app", "ask", *map(str, args)],
                stdin=subprocess.DEVNULL,
                stdout=write_end,
                stderr=err,
                env=hearth_env(home),
            )
        os.close(write_end)
        os.set_blocking(read_end, False)
        self._out = read_end
        self._decoder = codecs.getincrementaldecoder("utf-8")()
        self._printed = ""
        self._eof = False
        self.returncode: int | None = None

    @property
    def pid(self) -> int:
        return self._process.pid

    @property
    def printed(self) -> str:
        """Everything the child has written to stdout that the test has read."""
        return self._printed

    @property
    def stderr(self) -> str:
        return self._stderr_path.read_text(encoding="utf-8")

    def read_available(self, timeout: float) -> None:
        """Read what is in the pipe, waiting up to `timeout` for something to come."""
        ready, _, _ = select.select([self._out], [], [], timeout)
        if not ready:
            return
        while True:
            try:
                chunk = os.read(self._out, 65536)
            except BlockingIOError:
                return
            if not chunk:
                self._eof = True
                self._printed += self._decoder.decode(b"", final=True)
                return
            self._printed += self._decoder.decode(chunk)

    def read_until(self, length: int) -> str:
        """Read until at least `length` characters are out; fails if the child ends first."""
        deadline = time.monotonic() + WAIT_S
        while len(self.printed) < length:
            remaining = deadline - time.monotonic()
            assert remaining > 0, f"the child printed {len(self.printed)} of {length} characters in time"
            if self._eof:
                self._finish()
                raise AssertionError(f"the child ended after {len(self.printed)} characters: {self.stderr}")
            self.read_available(min(remaining, 1.0))
        return self.printed

    def pause(self) -> str:
        """Stop the child (SIGSTOP) and read what it wrote before it stopped; returns all it printed.

        Waits until it has really stopped: kill() only asks, and the child may run on another core meanwhile.
        """
        os.kill(self._process.pid, signal.SIGSTOP)
        _, status = os.waitpid(self._process.pid, os.WUNTRACED)
        if not os.WIFSTOPPED(status):
            # It ended before the signal came; the status is gone from Popen's view, so keep it here.
            self.returncode = os.waitstatus_to_exitcode(status)
            raise AssertionError(f"the child ended before it could be paused: {self.stderr}")
        self.read_available(0)  # all of it: a stopped child writes no more
        return self.printed

    def resume(self) -> None:
        os.kill(self._process.pid, signal.SIGCONT)

    def pause_for(self, seconds: float) -> str:
        """Keep the child stopped while `seconds` pass on its clock, then let it go on."""
        printed = self.pause()
        time.sleep(seconds)
        self.resume()
        return printed

    def save_point(self, token_chars: int) -> int:
        """Make the reply be saved, and return how much of it the save holds at least.

        The recorder writes the reply when a token comes in at least SAVE_INTERVAL_S after its last write,
        and it writes before the token is printed. So: pause the child for longer than that, let it go on,
        and read two more tokens. The first token added after the pause (the first or the second printed
        after it: one may have been added, not yet printed, at the pause) wrote the reply, so the history
        holds everything printed before the pause and one token more. `token_chars`: every token's length.
        """
        paused_at = len(self.pause_for(SAVE_INTERVAL_S + 0.1))  # 0.1: whatever the timer's granularity
        assert paused_at % token_chars == 0, "a token is printed whole or not at all"
        self.read_until(paused_at + 2 * token_chars)
        return paused_at + token_chars

    def kill(self) -> str:
        """SIGKILL the child; returns everything it printed."""
        self._process.kill()
        return self._finish()

    def wait(self) -> str:
        """Let the child end by itself; returns everything it printed."""
        return self._finish()

    def _finish(self) -> str:
        if self._out < 0:
            return self.printed
        deadline = time.monotonic() + WAIT_S
        while not self._eof:
            remaining = deadline - time.monotonic()
            assert remaining > 0, "the child kept its stdout open"
            self.read_available(remaining)
        if self.returncode is None:
            self.returncode = self._process.wait(timeout=WAIT_S)
        os.close(self._out)
        self._out = -1
        return self.printed

    @property
    def ended(self) -> bool:
        return self._eof

    def fileno(self) -> int:
        return self._out

    def close(self) -> None:
        """Make sure the child is gone, paused or not (a failed test must not leave it behind)."""
        if self._process.poll() is None:
            self._process.kill()
            self._process.wait(timeout=WAIT_S)
        if self._out >= 0:
            os.close(self._out)
            self._out = -1


def wait_all(children: Sequence[AskProcess]) -> None:
    """Read every child's reply as it comes, all at once, until each has ended."""
    deadline = time.monotonic() + WAIT_S
    while running := [child for child in children if not child.ended]:
        remaining = deadline - time.monotonic()
        assert remaining > 0, "a child kept its stdout open"
        ready, _, _ = select.select(running, [], [], remaining)
        for child in ready:
            child.read_available(0)
    for child in children:
        child.wait()

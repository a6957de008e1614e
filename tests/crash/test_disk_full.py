"""The disk fills up in the middle of a reply: `hearth ask` stops with one plain line (and the log's own
one-line notice, when the log finds no room either), the history stays whole (the reply keeps what was
saved before the disk filled), and once there is room again the conversation goes on. Real processes, the
real llama.cpp, a real filesystem that runs out of space."""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Final

import pytest

from app.config import Paths
from app.store import HistoryStore
from tests.crash.child import AskProcess, one_thread_each
from tests.crash.long_model import TOKEN_CHARS, LongModel
from tests.crash.small_disk import HISTORY_FILES, FileSizeLimit, SmallDisk, TmpfsDisk

pytestmark = pytest.mark.skipif(sys.platform != "linux", reason="mount namespaces and prlimit are Linux's")

MAX_TOKENS: Final = 3000
DISKS: Final = ("tmpfs", "file size limit")
# The one line: a full disk in so many words; past a file size limit, SQLite sees a write that failed.
SAYS: Final[dict[type[SmallDisk], str]] = {
    TmpfsDisk: "hearth: error: The disk is full, so Hearth could not save your chat history. "
    "Free up some space and try again.",
    FileSizeLimit: "hearth: error: A disk error stopped Hearth from reading or writing its history file ",
}
# The log (app.logs) says once that it cannot be written, when its own last page is full too.
LOG_FULL: Final = "hearth: warning: cannot write to the log file "


@pytest.fixture(params=DISKS)
def disk(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[SmallDisk]:
    small: SmallDisk
    if request.param == DISKS[0]:
        try:
            small = TmpfsDisk(tmp_path / "disk")
        except OSError as error:
            if os.environ.get("CI"):
                raise  # CI runs as root: a real full disk is always tried there
            pytest.skip(f"{error}; the file size limit stands in")
    else:
        small = FileSizeLimit(tmp_path / "home")
        small.home.mkdir()
    try:
        one_thread_each(small.outside(Paths(small.home).settings_file))
        yield small
    finally:
        small.close()


def integrity(history: Path) -> str:
    connection = sqlite3.connect(history)
    try:
        return str(connection.execute("PRAGMA integrity_check").fetchone()[0])
    finally:
        connection.close()


def test_a_full_disk_stops_the_reply_with_one_line_and_leaves_the_history_whole(
    long_model: LongModel, disk: SmallDisk, tmp_path: Path
) -> None:
    # An earlier conversation, from when there was room.
    seed = tmp_path / "seed" / HISTORY_FILES[0]
    with HistoryStore(seed) as store:
        earlier = store.create_conversation()
        asked = store.add_message(earlier, "user", "An earlier question")
        store.add_message(earlier, "assistant", "Its answer", parent_id=asked)
        as_it_was = store.export_conversations([earlier])
    shutil.copyfile(seed, disk.outside(disk.home / HISTORY_FILES[0]))  # closed: the WAL is in the file

    child = AskProcess(
        ["--model", long_model.path, "--max-tokens", str(MAX_TOKENS), "--n-ctx", "4096", "Tell me more"],
        home=disk.home,
        stderr=tmp_path / "ask.err",
        prefix=disk.prefix,
    )
    try:
        child.read_until(TOKEN_CHARS)
        saved_before_full = child.save_point(TOKEN_CHARS)
        child.pause()
        disk.fill(child.pid)
        child.resume()
        printed = child.wait()
    finally:
        child.close()
    assert child.returncode == 1
    # One line: the log's own failure to write on the full disk is not said a second time.
    (said,) = child.stderr.splitlines()
    assert said.startswith(SAYS[type(disk)])
    assert printed.endswith("\n"), "the cut-off reply's line is ended before the error is said"
    assert long_model.reply(MAX_TOKENS).startswith(printed[:-1])

    # The history as the failure left it (the disk still full): whole, with the question and what was saved.
    left = disk.copy_history(tmp_path / "left")
    assert integrity(left) == "ok"
    with HistoryStore(left) as store:
        assert store.export_conversations([earlier]) == as_it_was
        [conversation] = [c for c in store.list_conversations() if c.id != earlier]
        question, reply = store.thread(conversation.id)
    assert (question.role, question.content, question.status) == ("user", "Tell me more", "done")
    assert (reply.role, reply.parent_id, reply.status) == ("assistant", question.id, "stopped")
    assert printed.startswith(reply.content)
    assert len(reply.content) >= saved_before_full

    # Room again: the conversation goes on from the reply the disk cut short.
    disk.free()
    result = disk.hearth(
        "ask",
        "--model",
        long_model.path,
        "--max-tokens",
        "5",
        "--conversation",
        str(conversation.id),
        "--json",
        "Go on",
    )
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["status"] == "done"
    final = disk.copy_history(tmp_path / "final")
    assert integrity(final) == "ok"
    with HistoryStore(final) as store:
        thread = store.thread(conversation.id)
        assert store.export_conversations([earlier]) == as_it_was
    assert [(m.role, m.status) for m in thread] == [
        ("user", "done"),
        ("assistant", "stopped"),
        ("user", "done"),
        ("assistant", "done"),
    ]
    assert [m.parent_id for m in thread] == [None, *(m.id for m in thread[:-1])]
    assert thread[1].content == reply.content

"""`hearth ask` killed (SIGKILL) in the middle of a reply: the reply is kept as 'stopped' with what was
saved, and what is lost is at most what one save interval holds. Real processes, the real llama.cpp, a real
history file.

What "at most one save interval" means here, without a stopwatch: text printed before the child stood
still for one save interval must be saved by the time it has printed two more tokens (AskProcess.save_point
says why). The test then reads on for a random while and kills the child there. The tiny model writes
thousands of characters in half a second, so what a kill loses is counted in characters that came after
a save point, never in seconds.
"""

from __future__ import annotations

import json
import random
import signal
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Final

import pytest

from app.config import default_paths
from app.store import HistoryStore, MessageRecord
from tests.crash.child import AskProcess
from tests.crash.long_model import TOKEN_CHARS, LongModel
from tests.fixtures.cli import hearth

pytestmark = pytest.mark.skipif(sys.platform != "linux", reason="the child's leash is a one-page pipe")

SEED: Final = 14
KILLS: Final = 3
# Where the kills land: up to so many characters into the reply come before its save point, and up to
# so many after it (a second or so: past a save or two of the child's own).
BEFORE_SAVE_POINT: Final = 2000
AFTER_SAVE_POINT: Final = 6000
# More than a kill lets out: those, and the page of the pipe the child may be ahead.
MAX_TOKENS: Final = 3000
# Room for the replies killed before, which go back to the model with each question.
N_CTX: Final = 8192


@dataclass(frozen=True)
class Saved:
    """A message as the history has it after the crash, read by the app or through the command line."""

    id: int
    parent_id: int | None
    role: str
    content: str
    status: str

    @classmethod
    def of(cls, record: MessageRecord) -> Saved:
        return cls(record.id, record.parent_id, record.role, record.content, record.status)


def ask_args(model: LongModel, question: str, conversation_id: int | None) -> list[str | Path]:
    args: list[str | Path] = ["--model", model.path, "--max-tokens", str(MAX_TOKENS), "--n-ctx", str(N_CTX)]
    if conversation_id is not None:
        args += ["--conversation", str(conversation_id)]
    return [*args, question]


def read_by_the_app() -> list[Saved]:
    """Every message, oldest first, through the store (opening it recovers an interrupted reply)."""
    with HistoryStore(default_paths().history_db) as store:
        conversations = store.list_conversations()
        assert len(conversations) == 1
        leaf = store.latest_leaf(conversations[0].id)
        return [Saved.of(record) for record in store.thread(conversations[0].id, leaf)]


def read_by_the_command_line(conversation_id: int) -> list[Saved]:
    """Every message, oldest first, as `hearth export --format json` shows them."""
    result = hearth("export", "--conversation", str(conversation_id), "--format", "json")
    assert result.returncode == 0, result.stderr
    [conversation] = json.loads(result.stdout)["conversations"]
    messages = sorted(conversation["messages"], key=lambda message: message["id"])
    return [
        Saved(message["id"], message["parent_id"], message["role"], message["content"], message["status"])
        for message in messages
    ]


def kill_mid_reply(child: AskProcess, rng: random.Random) -> tuple[str, int]:
    """Kill the child at a random point after a save point; returns what it printed and how much of that
    must be saved."""
    try:
        child.read_until(rng.randint(1, BEFORE_SAVE_POINT))
        must_be_saved = child.save_point(TOKEN_CHARS)
        child.read_until(len(child.printed) + rng.randint(0, AFTER_SAVE_POINT))
        return child.kill(), must_be_saved
    finally:
        child.close()


def test_a_killed_reply_is_stopped_and_keeps_all_but_the_last_save_interval(
    long_model: LongModel, hearth_home: Path, tmp_path: Path
) -> None:
    rng = random.Random(SEED)
    conversation_id: int | None = None
    previous_reply: int | None = None
    for kill in range(KILLS):
        question = f"Question {kill}"
        child = AskProcess(
            ask_args(long_model, question, conversation_id), home=hearth_home, stderr=tmp_path / f"{kill}.err"
        )
        printed, must_be_saved = kill_mid_reply(child, rng)
        assert child.returncode == -signal.SIGKILL, child.stderr
        assert long_model.reply(MAX_TOKENS).startswith(printed)

        # The first look after a crash is the app's own, or the command line's (the second time).
        if conversation_id is None or kill != 1:
            messages = read_by_the_app()
        else:
            messages = read_by_the_command_line(conversation_id)
        *_, asked, reply = messages
        assert (asked.role, asked.content, asked.parent_id) == ("user", question, previous_reply)
        assert (reply.role, reply.parent_id, reply.status) == ("assistant", asked.id, "stopped")
        assert printed.startswith(reply.content)
        assert len(reply.content) >= must_be_saved, (
            f"printed {len(printed)} characters, the first {must_be_saved} before a save point, "
            f"but only {len(reply.content)} were saved"
        )
        previous_reply = reply.id
        if conversation_id is None:
            conversation_id = single_conversation_id()

    # Each question went under the reply killed before it, and every killed reply stayed 'stopped'.
    messages = read_by_the_app()
    assert [(m.role, m.status) for m in messages] == [("user", "done"), ("assistant", "stopped")] * KILLS
    assert [m.parent_id for m in messages] == [None, *(m.id for m in messages[:-1])]


def single_conversation_id() -> int:
    with HistoryStore(default_paths().history_db) as store:
        [conversation] = store.list_conversations()
        return conversation.id

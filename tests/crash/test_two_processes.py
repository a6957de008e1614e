"""Two `hearth ask` processes continuing one conversation, at the same time and one after the other: every
question lands under the reply it was asked after, no word of any reply is lost, and no process tells the
user that the history is busy or locked, not even while another keeps it locked for a while. Real
processes, the real llama.cpp, one history file."""

from __future__ import annotations

import json
import sqlite3
import sys
from pathlib import Path
from typing import Final

import pytest

from app.store import HistoryStore, MessageRecord
from app.store.recorder import SAVE_INTERVAL_S
from app.turn import add_question
from tests.crash.child import AskProcess, wait_all
from tests.crash.long_model import TOKEN_CHARS, LongModel
from tests.fixtures.cli import hearth

pytestmark = pytest.mark.skipif(sys.platform != "linux", reason="the child's leash is a one-page pipe")

REPLY_TOKENS: Final = 500


def ask(
    model: LongModel, question: str, *, home: Path, stderr: Path, conversation: int | None = None
) -> AskProcess:
    args: list[str | Path] = ["--model", model.path, "--max-tokens", str(REPLY_TOKENS)]
    if conversation is not None:
        args += ["--conversation", str(conversation)]
    return AskProcess([*args, question], home=home, stderr=stderr)


def hold_between_writes(child: AskProcess, history: Path) -> None:
    """Pause the child at a moment it is not writing to the history. Stopped in the middle of a write, it
    would keep every other process waiting for the history: that would be the pause's doing, not Hearth's."""
    while True:
        child.pause()
        if nobody_writes(history):
            return
        child.resume()
        child.read_until(len(child.printed) + TOKEN_CHARS)


def nobody_writes(history: Path) -> bool:
    connection = sqlite3.connect(history, timeout=0, isolation_level=None)
    try:
        connection.execute("BEGIN IMMEDIATE")
        connection.execute("ROLLBACK")
        return True
    except sqlite3.OperationalError:  # "database is locked": a write is under way
        return False
    finally:
        connection.close()


def every_message(history: Path, conversation_id: int) -> list[MessageRecord]:
    with HistoryStore(history) as store:
        [exported] = store.export_conversations([conversation_id])
    return sorted((message.record for message in exported.messages), key=lambda record: record.id)


def test_two_processes_continuing_one_conversation_lose_nothing(
    long_model: LongModel, hearth_home: Path, tmp_path: Path
) -> None:
    history = hearth_home / "history.sqlite3"
    first = ask(long_model, "Tell me everything", home=hearth_home, stderr=tmp_path / "first.err")
    second: AskProcess | None = None
    try:
        # The first process is held in the middle of its reply...
        first.read_until(TOKEN_CHARS)
        hold_between_writes(first, history)
        with HistoryStore(history) as store:  # a third opens the history meanwhile
            [conversation] = store.list_conversations()
        # ...while a second one continues the conversation: its question goes under that reply, though the
        # reply is still coming. Then both write their replies at once.
        second = ask(
            long_model,
            "And meanwhile?",
            home=hearth_home,
            stderr=tmp_path / "second.err",
            conversation=conversation.id,
        )
        second.read_until(TOKEN_CHARS)
        first.resume()
        wait_all([first, second])
    finally:
        for child in (first, second):
            if child is not None:
                child.close()
    reply = long_model.reply(REPLY_TOKENS)
    for child in (first, second):
        assert (child.returncode, child.stderr, child.printed) == (0, "", reply + "\n")

    # Then one after the other: the next question goes under the last reply.
    then = hearth(
        "ask",
        "--model",
        long_model.path,
        "--max-tokens",
        "3",
        "--conversation",
        str(conversation.id),
        "--json",
        "And then?",
    )
    assert (then.returncode, then.stderr) == (0, "")
    assert json.loads(then.stdout)["answer"] == long_model.reply(3)

    messages = every_message(history, conversation.id)
    assert [(m.role, m.content, m.status) for m in messages] == [
        ("user", "Tell me everything", "done"),
        ("assistant", reply, "done"),
        ("user", "And meanwhile?", "done"),
        ("assistant", reply, "done"),
        ("user", "And then?", "done"),
        ("assistant", long_model.reply(3), "done"),
    ]
    assert [m.parent_id for m in messages] == [None, *(m.id for m in messages[:-1])]


def test_a_question_asked_while_another_waits_for_its_reply_goes_beside_it(tmp_path: Path) -> None:
    """A question is stored a moment before its reply starts. A question another process asks in that
    moment belongs under the last reply, as the waiting one does, not under the waiting question."""
    path = tmp_path / "history.sqlite3"
    with HistoryStore(path) as window, HistoryStore(path) as command_line:
        conversation = window.create_conversation()
        hello = add_question(window, conversation, "Hello")
        answer = window.add_message(conversation, "assistant", "Hi!", parent_id=hello)
        waiting = add_question(window, conversation, "What is the weather like?")

        meanwhile = add_question(command_line, conversation, "What time is it?")

        asked = command_line.get_message(meanwhile)
        assert asked is not None and asked.parent_id == answer
        assert command_line.siblings(meanwhile) == [waiting, meanwhile]
        # The reply to the waiting question still goes where it belongs, and so do later questions.
        reply = window.add_message(conversation, "assistant", "Sunny.", parent_id=waiting)
        later = add_question(window, conversation, "Thanks")
        assert [m.id for m in window.thread(conversation)] == [hello, answer, waiting, reply, later]


def test_a_reply_goes_on_while_another_process_keeps_the_history_locked(
    long_model: LongModel, hearth_home: Path, tmp_path: Path
) -> None:
    """Locked for longer than SQLite waits (another process storing large documents, say): the reply's
    saves are put off, not the reply, and none of it is lost."""
    history = hearth_home / "history.sqlite3"
    child = ask(long_model, "Tell me everything", home=hearth_home, stderr=tmp_path / "ask.err")
    try:
        child.read_until(TOKEN_CHARS)
        hold_between_writes(child, history)
        lock = sqlite3.connect(history, isolation_level=None)
        try:
            lock.execute("BEGIN IMMEDIATE")
            child.resume()
            # The first token the child adds a save interval after its last save tries to save the reply:
            # it waits for the lock as long as SQLite does, and then the reply goes on.
            child.pause_for(SAVE_INTERVAL_S + 0.1)
            child.read_until(len(child.printed) + 2 * TOKEN_CHARS)
        finally:
            lock.execute("ROLLBACK")
            lock.close()
        child.wait()
    finally:
        child.close()
    reply = long_model.reply(REPLY_TOKENS)
    assert (child.returncode, child.stderr, child.printed) == (0, "", reply + "\n")
    with HistoryStore(history) as store:
        [conversation] = store.list_conversations()
    assert [(m.role, m.content, m.status) for m in every_message(history, conversation.id)] == [
        ("user", "Tell me everything", "done"),
        ("assistant", reply, "done"),
    ]

"""ReplyRecorder: throttled saves of a streaming reply, and what survives a crash."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from app.store import HistoryStore, MessageRecord, ReplyRecorder


class FakeClock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


def saved(store: HistoryStore, message_id: int) -> MessageRecord:
    record = store.get_message(message_id)
    assert record is not None
    return record


def start(store: HistoryStore, clock: FakeClock) -> tuple[int, ReplyRecorder]:
    cid = store.create_conversation()
    question = store.add_message(cid, "user", "Tell me a story")
    return question, ReplyRecorder(store, cid, question, clock=clock, interval_s=0.5)


def test_construction_saves_an_empty_streaming_reply(store: HistoryStore) -> None:
    question, recorder = start(store, FakeClock())
    record = saved(store, recorder.message_id)
    assert (record.role, record.parent_id, record.content, record.status) == (
        "assistant",
        question,
        "",
        "streaming",
    )


def test_text_is_written_only_when_the_interval_has_passed(store: HistoryStore) -> None:
    clock = FakeClock()
    _, recorder = start(store, clock)

    clock.advance(0.2)
    recorder.append_reasoning("Thinking")
    clock.advance(0.29)
    recorder.append_answer("Once")
    assert (saved(store, recorder.message_id).content, saved(store, recorder.message_id).reasoning) == (
        "",
        "",
    )

    clock.advance(0.01)  # 0.5 s since the message was created
    recorder.append_answer(" upon")
    record = saved(store, recorder.message_id)
    assert (record.content, record.reasoning, record.status) == ("Once upon", "Thinking", "streaming")

    clock.advance(0.4)
    recorder.append_answer(" a time")
    assert saved(store, recorder.message_id).content == "Once upon"

    clock.advance(0.1)
    recorder.append_answer(",")
    assert saved(store, recorder.message_id).content == "Once upon a time,"
    assert recorder.answer == "Once upon a time,"
    assert recorder.reasoning == "Thinking"


def test_time_passing_without_new_text_writes_nothing_new(store: HistoryStore) -> None:
    clock = FakeClock()
    _, recorder = start(store, clock)
    clock.advance(5)
    recorder.append_answer("")
    recorder.flush()
    assert saved(store, recorder.message_id).content == ""


def test_flush_writes_at_once(store: HistoryStore) -> None:
    clock = FakeClock()
    _, recorder = start(store, clock)
    recorder.append_answer("early")
    recorder.flush()
    assert saved(store, recorder.message_id).content == "early"


def test_finish_writes_everything_once(store: HistoryStore) -> None:
    clock = FakeClock()
    _, recorder = start(store, clock)
    recorder.append_reasoning("plan")
    recorder.append_answer("The end.")
    recorder.finish("done", stats={"completion_tokens": 3, "finish_reason": "stop"})
    recorder.finish("error", error="ignored")  # idempotent

    record = saved(store, recorder.message_id)
    assert (record.content, record.reasoning, record.status, record.error) == (
        "The end.",
        "plan",
        "done",
        None,
    )
    assert record.stats == {"completion_tokens": 3, "finish_reason": "stop"}
    assert recorder.finished
    with pytest.raises(RuntimeError, match="finished"):
        recorder.append_answer("more")


def test_finish_records_errors_and_rejects_unknown_statuses(store: HistoryStore) -> None:
    _, recorder = start(store, FakeClock())
    with pytest.raises(ValueError, match="status"):
        recorder.finish("streaming")
    recorder.append_answer("Half")
    recorder.finish("error", error="The model ran out of memory.")
    record = saved(store, recorder.message_id)
    assert (record.content, record.status, record.error) == ("Half", "error", "The model ran out of memory.")


def test_reply_survives_its_conversation_being_deleted(store: HistoryStore) -> None:
    clock = FakeClock()
    cid = store.create_conversation()
    recorder = ReplyRecorder(store, cid, None, clock=clock)
    store.delete_conversation(cid)
    clock.advance(1)
    recorder.append_answer("into the void")
    recorder.finish("done")
    assert store.get_message(recorder.message_id) is None


def test_reopening_without_finish_keeps_saved_text_as_stopped(tmp_path: Path) -> None:
    path = tmp_path / "history.db"
    clock = FakeClock()
    crashed = HistoryStore(path)
    _, recorder = start(crashed, clock)
    clock.advance(0.5)
    recorder.append_answer("Saved part.")
    recorder.append_answer(" Lost tail.")  # within the interval: never written
    # The "crashed" store is neither finished nor closed; a new process opens the file.
    with HistoryStore(path) as reopened:
        record = saved(reopened, recorder.message_id)
        assert (record.content, record.status) == ("Saved part.", "stopped")
        assert [hit.message_id for hit in reopened.search("saved part")] == [recorder.message_id]
        assert reopened.search("tail") == []
    crashed.close()


def test_a_live_recorder_undoes_recovery_by_another_process(tmp_path: Path) -> None:
    path = tmp_path / "history.db"
    clock = FakeClock()
    with HistoryStore(path) as window:
        _, recorder = start(window, clock)
        with HistoryStore(path) as command_line:
            assert saved(command_line, recorder.message_id).status == "stopped"
        clock.advance(1)
        recorder.append_answer("still going")
        assert saved(window, recorder.message_id).status == "streaming"
        recorder.finish("done")
        assert saved(window, recorder.message_id).status == "done"


_KILLED_CHILD = textwrap.dedent(
    """
    import os, signal, sys
    from pathlib import Path
    from app.store import HistoryStore, ReplyRecorder

    store = HistoryStore(Path(sys.argv[1]))
    cid = store.create_conversation("killed")
    question = store.add_message(cid, "user", "question")
    ticks = iter(range(1000))
    recorder = ReplyRecorder(store, cid, question, clock=lambda: float(next(ticks)))
    recorder.append_reasoning("pondering")
    recorder.append_answer("partial answer")
    print(recorder.message_id, flush=True)
    if hasattr(signal, "SIGKILL"):
        os.kill(os.getpid(), signal.SIGKILL)
    os._exit(9)
    """
)


def test_killed_process_leaves_a_stopped_reply(tmp_path: Path) -> None:
    path = tmp_path / "history.db"
    root = Path(__file__).resolve().parents[2]
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join(filter(None, [str(root), os.environ.get("PYTHONPATH")])),
    }
    child = subprocess.run(
        [sys.executable, "-c", _KILLED_CHILD, str(path)],
        cwd=root,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert child.returncode != 0, child.stderr
    message_id = int(child.stdout.strip())
    with HistoryStore(path) as store:
        record = saved(store, message_id)
        assert (record.content, record.reasoning, record.status) == ("partial answer", "pondering", "stopped")

"""One HistoryStore used from several threads at once, as the UI and its workers do."""

from __future__ import annotations

import threading
from collections.abc import Callable
from functools import partial
from pathlib import Path

from app.store import HistoryStore, ReplyRecorder

WRITERS = 4
READERS = 3
MESSAGES = 30


def run_together(jobs: list[Callable[[], None]]) -> list[BaseException]:
    start = threading.Barrier(len(jobs))
    errors: list[BaseException] = []
    lock = threading.Lock()

    def wrapped(job: Callable[[], None]) -> None:
        start.wait()
        try:
            job()
        except BaseException as error:
            with lock:
                errors.append(error)

    threads = [threading.Thread(target=wrapped, args=(job,)) for job in jobs]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not any(thread.is_alive() for thread in threads)
    return errors


def test_concurrent_writers_and_readers(tmp_path: Path) -> None:
    with HistoryStore(tmp_path / "history.db") as store:
        created: dict[int, int] = {}

        def writer(n: int) -> None:
            cid = store.create_conversation(f"thread {n}")
            created[n] = cid
            parent: int | None = None
            for i in range(MESSAGES):
                role = "user" if i % 2 == 0 else "assistant"
                parent = store.add_message(cid, role, f"walrus {n} says {i}", parent_id=parent)
            clock = iter(range(1000))
            recorder = ReplyRecorder(store, cid, parent, clock=lambda: float(next(clock)))
            for word in ("streamed", "reply", "text"):
                recorder.append_answer(word + " ")
            recorder.finish("done")
            store.set_conversation_options(cid, settings={"writer": "finished"})

        def reader() -> None:
            for _ in range(MESSAGES):
                for record in store.list_conversations():
                    store.thread(record.id)
                store.search("walrus")

        errors = run_together([partial(writer, n) for n in range(WRITERS)] + [reader] * READERS)

        assert errors == []
        assert len(store.list_conversations()) == WRITERS
        for n, cid in created.items():
            thread = store.thread(cid)
            assert len(thread) == MESSAGES + 1
            assert thread[-1].content == "streamed reply text "
            assert [m.content for m in thread[:2]] == [f"walrus {n} says 0", f"walrus {n} says 1"]
            conversation = store.get_conversation(cid)
            assert conversation is not None and conversation.settings == {"writer": "finished"}
        assert len(store.search("walrus", limit=1000)) == WRITERS * MESSAGES

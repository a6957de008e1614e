"""Opening files: upgrades from the oldest schema, refusals in plain words, crash recovery."""

from __future__ import annotations

import sqlite3
from contextlib import closing
from datetime import UTC, datetime
from pathlib import Path

import pytest

from app.store import SCHEMA_VERSION, HistoryStore, MessageRecord, StoreError, migrate
from app.store.errors import translate_errors
from app.store.migrations import APPLICATION_ID
from app.store.schema import Base

T0 = "2024-03-01T09:00:00.000000+00:00"
T1 = "2024-03-01T09:05:00.000000+00:00"


def pragma(path: Path, name: str) -> object:
    with closing(sqlite3.connect(path)) as raw:
        return raw.execute(f"PRAGMA {name}").fetchone()[0]


def message(store: HistoryStore, message_id: int) -> MessageRecord:
    record = store.get_message(message_id)
    assert record is not None
    return record


def build_version_1(path: Path) -> None:
    """A history as the first release wrote it, with a regenerated reply and a setting."""
    with closing(sqlite3.connect(path)) as raw:
        assert migrate(raw, target=1) == 1
        with raw:
            raw.execute(
                "INSERT INTO conversations (id, title, created_at, updated_at, pinned, model, settings) "
                "VALUES (1, 'Old chat', ?, ?, 1, 'gpt-oss-20b', '{\"temperature\": 1.0}')",
                (T0, T1),
            )
            raw.execute(
                "INSERT INTO messages (id, conversation_id, parent_id, role, content, created_at) "
                "VALUES (1, 1, NULL, 'user', 'What do otters eat?', ?)",
                (T0,),
            )
            raw.execute(
                "INSERT INTO messages (id, conversation_id, parent_id, role, content, reasoning, created_at, "
                "stats, status) VALUES (2, 1, 1, 'assistant', 'Mostly fish.', 'Recall otter diet', ?, "
                "'{\"completion_tokens\": 3}', 'done')",
                (T1,),
            )
            raw.execute(
                "INSERT INTO messages (id, conversation_id, parent_id, role, content, created_at, status) "
                "VALUES (3, 1, 1, 'assistant', 'Shellfish and crabs too', ?, 'streaming')",
                (T1,),
            )
            raw.execute("INSERT INTO settings (key, value) VALUES ('theme', 'dark')")


def test_fresh_file_gets_the_newest_schema(tmp_path: Path) -> None:
    path = tmp_path / "history.db"
    HistoryStore(path).close()
    assert pragma(path, "user_version") == SCHEMA_VERSION
    assert pragma(path, "application_id") == APPLICATION_ID
    assert pragma(path, "journal_mode") == "wal"


def test_orm_mapping_matches_the_migrated_tables(tmp_path: Path) -> None:
    path = tmp_path / "history.db"
    HistoryStore(path).close()
    with closing(sqlite3.connect(path)) as raw:
        for table in Base.metadata.sorted_tables:
            info = raw.execute(f"PRAGMA table_info({table.name})").fetchall()
            in_db = {name: (bool(notnull) or bool(pk), bool(pk)) for _, name, _, notnull, _, pk in info}
            in_orm = {col.name: (not col.nullable, col.primary_key) for col in table.columns}
            assert in_db == in_orm, table.name


def test_upgrade_from_version_1_keeps_everything(tmp_path: Path) -> None:
    path = tmp_path / "history.db"
    build_version_1(path)
    with HistoryStore(path) as store:
        assert pragma(path, "user_version") == SCHEMA_VERSION
        conversation = store.get_conversation(1)
        assert conversation is not None
        assert (conversation.title, conversation.pinned, conversation.model) == (
            "Old chat",
            True,
            "gpt-oss-20b",
        )
        assert conversation.settings == {"temperature": 1.0}
        assert conversation.updated_at == datetime(2024, 3, 1, 9, 5, tzinfo=UTC)

        assert [m.content for m in store.thread(1, 2)] == ["What do otters eat?", "Mostly fish."]
        assert message(store, 2).stats == {"completion_tokens": 3}
        assert store.siblings(2) == [2, 3]
        # The reply that was streaming when the old version stopped is recovered too.
        assert message(store, 3).status == "stopped"

        # Old rows were back-filled into the search index, reasoning included.
        assert [hit.message_id for hit in store.search("otters")] == [1]
        assert [hit.message_id for hit in store.search("crabs")] == [3]
        assert [hit.message_id for hit in store.search("diet")] == [2]
        new = store.add_message(1, "user", "And beavers?", parent_id=2)
        assert [hit.message_id for hit in store.search("beavers")] == [new]
        # Old titles were back-filled into the title index (the conversation opens at its first message).
        assert [(hit.role, hit.message_id) for hit in store.search("old chat")] == [("title", 1)]
    # The first release's key/value settings table, which nothing used (settings live in
    # settings.json), is gone.
    with closing(sqlite3.connect(path)) as raw:
        tables = {row[0] for row in raw.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        assert "settings" not in tables
        assert {"conversations", "messages", "attachments", "chunks"} <= tables


def test_upgrade_builds_prefix_indexes_over_old_messages(tmp_path: Path) -> None:
    path = tmp_path / "history.db"
    build_version_1(path)
    with HistoryStore(path) as store:
        # Prefixes of one, two and three letters come from the new indexes, longer ones as before.
        assert [hit.message_id for hit in store.search("s")] == [3]
        assert [hit.message_id for hit in store.search("ot")] == [1, 2]
        assert [hit.message_id for hit in store.search("ott")] == [1, 2]
        assert [hit.message_id for hit in store.search("otte")] == [1, 2]
    with closing(sqlite3.connect(path)) as raw:
        sql = raw.execute("SELECT sql FROM sqlite_master WHERE name = 'messages_fts'").fetchone()[0]
        assert "prefix = '1 2 3'" in sql
        raw.execute("INSERT INTO messages_fts (messages_fts) VALUES ('integrity-check')")


def test_migrations_can_be_applied_one_at_a_time(tmp_path: Path) -> None:
    path = tmp_path / "history.db"
    with closing(sqlite3.connect(path)) as raw:
        assert migrate(raw, target=0) == 0
        assert migrate(raw, target=1) == 1
        assert migrate(raw, target=2) == 2
        assert migrate(raw, target=1) == 2  # no downgrades
        assert migrate(raw) == SCHEMA_VERSION
        assert migrate(raw) == SCHEMA_VERSION
        with pytest.raises(ValueError, match="no schema version"):
            migrate(raw, target=SCHEMA_VERSION + 1)


def test_a_failing_migration_changes_nothing(tmp_path: Path) -> None:
    path = tmp_path / "history.db"
    build_version_1(path)
    with closing(sqlite3.connect(path)) as raw:
        with raw:  # a stray table makes migration 2 fail half-way
            raw.execute("CREATE TABLE messages_fts (x)")
        with pytest.raises(sqlite3.OperationalError, match="already exists"):
            migrate(raw)
        assert raw.execute("PRAGMA user_version").fetchone()[0] == 1
        triggers = raw.execute("SELECT count(*) FROM sqlite_master WHERE type = 'trigger'").fetchone()[0]
        assert triggers == 0
        assert not raw.in_transaction


def test_newer_history_is_refused_and_left_alone(tmp_path: Path) -> None:
    path = tmp_path / "history.db"
    HistoryStore(path).close()
    with closing(sqlite3.connect(path)) as raw:
        raw.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    with pytest.raises(StoreError, match="newer version of Hearth") as refused:
        HistoryStore(path)
    assert "Update Hearth" in str(refused.value)
    assert pragma(path, "user_version") == SCHEMA_VERSION + 1


@pytest.mark.parametrize(
    "garbage",
    [b"This is my shopping list, not a database.\n" * 200, bytes(range(256)) * 64],
)
def test_a_file_that_is_not_a_database_is_refused(tmp_path: Path, garbage: bytes) -> None:
    path = tmp_path / "history.db"
    path.write_bytes(garbage)
    with pytest.raises(StoreError, match="not a Hearth history") as refused:
        HistoryStore(path)
    assert "sqlite" not in str(refused.value).lower()
    assert path.read_bytes() == garbage


def test_a_damaged_history_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "history.db"
    with HistoryStore(path) as store:
        cid = store.create_conversation()
        for n in range(10):
            store.add_message(cid, "user", f"message {n} " + "padding " * 500)
    data = bytearray(path.read_bytes())
    data[100:4096] = b"\xff" * (4096 - 100)  # clobber the schema page after the header
    path.write_bytes(bytes(data))
    with pytest.raises(StoreError, match=r"damaged|not a Hearth history"):
        HistoryStore(path)


def test_another_programs_database_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "other.db"
    with closing(sqlite3.connect(path)) as raw, raw:
        raw.execute("CREATE TABLE recipes (name TEXT)")
    with pytest.raises(StoreError, match="not a Hearth history"):
        HistoryStore(path)
    assert pragma(path, "user_version") == 0
    assert pragma(path, "journal_mode") == "delete"


def test_disk_full_becomes_plain_words(tmp_path: Path) -> None:
    path = tmp_path / "full.db"
    with closing(sqlite3.connect(path)) as raw:
        raw.execute("CREATE TABLE t (x BLOB)")
        raw.execute("PRAGMA max_page_count = 3")  # a tiny "disk" that a real SQLITE_FULL comes from
        with pytest.raises(StoreError, match="disk is full"), translate_errors(path):
            raw.execute("INSERT INTO t VALUES (zeroblob(100000))")


def test_read_only_file_becomes_plain_words(tmp_path: Path) -> None:
    path = tmp_path / "history.db"
    HistoryStore(path).close()
    read_only = closing(sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True))
    with read_only as raw, pytest.raises(StoreError, match="read-only"), translate_errors(path):
        raw.execute("INSERT INTO conversations (created_at, updated_at) VALUES ('a', 'b')")


def test_bugs_are_not_disguised_as_store_errors(tmp_path: Path) -> None:
    with closing(sqlite3.connect(tmp_path / "x.db")) as raw:
        raw.execute("CREATE TABLE t (x INTEGER NOT NULL)")
        with pytest.raises(sqlite3.IntegrityError), translate_errors(tmp_path):
            raw.execute("INSERT INTO t VALUES (NULL)")
        with pytest.raises(sqlite3.OperationalError), translate_errors(tmp_path):
            raw.execute("SELEKT 1")


def test_a_folder_that_cannot_be_made_is_plain_words(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("in the way")
    with pytest.raises(StoreError, match="Hearth cannot use its history file"):
        HistoryStore(blocker / "history.db")


def test_streaming_replies_are_stopped_at_open(tmp_path: Path) -> None:
    path = tmp_path / "history.db"
    with HistoryStore(path) as store:
        cid = store.create_conversation()
        mid = store.add_message(cid, "assistant", "half a sen", status="streaming")
        done = store.add_message(cid, "assistant", "complete", status="done")
    with HistoryStore(path) as store:
        assert message(store, mid).status == "stopped"
        assert message(store, mid).content == "half a sen"
        assert message(store, done).status == "done"


def add_version_3_attachment(raw: sqlite3.Connection) -> None:
    """A document as versions 3 and later stored it: an attachment on the first question, and its passage."""
    with raw:
        raw.execute(
            "INSERT INTO attachments (id, message_id, name, mime, sha256, size, text, pages) "
            "VALUES (1, 1, 'otters.txt', 'text/plain', ?, 34, ?, NULL)",
            ("0" * 64, "Sea otters hold hands when they sleep."),
        )
        raw.execute(
            "INSERT INTO chunks (id, attachment_id, ordinal, page, text) "
            "VALUES (1, 1, 0, NULL, 'Sea otters hold hands when they sleep.')"
        )


@pytest.mark.parametrize("version", range(1, SCHEMA_VERSION))
def test_upgrade_from_every_old_version_keeps_everything(tmp_path: Path, version: int) -> None:
    path = tmp_path / "history.db"
    build_version_1(path)
    with closing(sqlite3.connect(path)) as raw:
        assert migrate(raw, target=version) == version
        if version >= 3:
            add_version_3_attachment(raw)
    with HistoryStore(path) as store:
        assert pragma(path, "user_version") == SCHEMA_VERSION
        assert [m.content for m in store.thread(1, 2)] == ["What do otters eat?", "Mostly fish."]
        assert store.siblings(2) == [2, 3]
        assert [hit.message_id for hit in store.search("crabs")] == [3]
        if version >= 3:
            [attachment] = store.attachments_for([1])[1]
            assert (attachment.name, attachment.chunk_count) == ("otters.txt", 1)
            content = store.attachment_content(attachment.id)
            assert content is not None and content.text == "Sea otters hold hands when they sleep."
            # Passages written before the passage index existed are found through it after the upgrade.
            assert [c.id for c in store.best_chunks([attachment.id], ["hands"], 5)] == [1]

"""Numbered schema migrations, tracked in PRAGMA user_version.

Each migration is a list of single SQL statements, never a script: sqlite3's executescript()
commits first, which would break the one-transaction upgrade. Shipped migrations are frozen; a
schema change is a new entry at the end of MIGRATIONS.
"""

from __future__ import annotations

import logging
import sqlite3
from dataclasses import dataclass

from app.store.errors import newer_version_error, not_hearth_error

log = logging.getLogger("hearth.store")

# Marks the file as Hearth's ("HRTH") so an unrelated SQLite file is never "upgraded".
APPLICATION_ID = 0x48525448


@dataclass(frozen=True)
class Migration:
    version: int
    summary: str
    statements: tuple[str, ...]


_CORE = Migration(
    1,
    "conversations, messages and settings",
    (
        f"PRAGMA application_id = {APPLICATION_ID}",
        """
        CREATE TABLE conversations (
            id               INTEGER PRIMARY KEY,
            title            TEXT NOT NULL DEFAULT '',
            created_at       TEXT NOT NULL,
            updated_at       TEXT NOT NULL,
            pinned           INTEGER NOT NULL DEFAULT 0 CHECK (pinned IN (0, 1)),
            system_prompt    TEXT,
            model            TEXT,
            reasoning_effort TEXT,
            settings         TEXT NOT NULL DEFAULT '{}'
        )
        """,
        # Matches list_conversations' ORDER BY exactly, so the sidebar is an index walk.
        "CREATE INDEX ix_conversations_listing ON conversations (pinned DESC, updated_at DESC, id DESC)",
        """
        CREATE TABLE messages (
            id              INTEGER PRIMARY KEY,
            conversation_id INTEGER NOT NULL REFERENCES conversations (id) ON DELETE CASCADE,
            parent_id       INTEGER REFERENCES messages (id) ON DELETE CASCADE,
            role            TEXT NOT NULL CHECK (role IN ('system', 'user', 'assistant')),
            content         TEXT NOT NULL DEFAULT '',
            reasoning       TEXT NOT NULL DEFAULT '',
            created_at      TEXT NOT NULL,
            stats           TEXT,
            status          TEXT NOT NULL DEFAULT 'done'
                            CHECK (status IN ('streaming', 'done', 'stopped', 'error')),
            error           TEXT
        )
        """,
        "CREATE INDEX ix_messages_conversation ON messages (conversation_id, id)",
        "CREATE INDEX ix_messages_parent ON messages (parent_id)",
        # Tiny partial index: crash recovery at start-up stays instant with a million messages.
        "CREATE INDEX ix_messages_streaming ON messages (id) WHERE status = 'streaming'",
        "CREATE TABLE settings (key TEXT PRIMARY KEY, value TEXT NOT NULL)",
    ),
)

_SEARCH = Migration(
    2,
    "full-text search over messages",
    (
        # External content: the text lives once, in messages; the triggers keep the index in step.
        # remove_diacritics 2 lets "cafe" find "café". The last word typed is searched as a prefix:
        # without prefix indexes a short one ("t", "th") merges the lists of every word it starts,
        # seconds per keystroke on a million messages; with them it is one lookup (the index is
        # about 3x larger: 436 MiB instead of 134 MiB at 1M messages).
        """
        CREATE VIRTUAL TABLE messages_fts USING fts5 (
            content, reasoning,
            content = 'messages', content_rowid = 'id',
            tokenize = 'unicode61 remove_diacritics 2',
            prefix = '1 2 3'
        )
        """,
        """
        CREATE TRIGGER messages_fts_insert AFTER INSERT ON messages BEGIN
            INSERT INTO messages_fts (rowid, content, reasoning)
            VALUES (new.id, new.content, new.reasoning);
        END
        """,
        """
        CREATE TRIGGER messages_fts_delete AFTER DELETE ON messages BEGIN
            INSERT INTO messages_fts (messages_fts, rowid, content, reasoning)
            VALUES ('delete', old.id, old.content, old.reasoning);
        END
        """,
        # Only text changes re-index: status and stats updates while streaming stay cheap.
        """
        CREATE TRIGGER messages_fts_update AFTER UPDATE OF content, reasoning ON messages BEGIN
            INSERT INTO messages_fts (messages_fts, rowid, content, reasoning)
            VALUES ('delete', old.id, old.content, old.reasoning);
            INSERT INTO messages_fts (rowid, content, reasoning)
            VALUES (new.id, new.content, new.reasoning);
        END
        """,
        # A hit in the visible answer counts for more than one in the hidden reasoning.
        "INSERT INTO messages_fts (messages_fts, rank) VALUES ('rank', 'bm25(1.0, 0.3)')",
        "INSERT INTO messages_fts (messages_fts) VALUES ('rebuild')",
    ),
)

_DOCUMENTS = Migration(
    3,
    "attachments and their chunks",
    (
        """
        CREATE TABLE attachments (
            id         INTEGER PRIMARY KEY,
            message_id INTEGER NOT NULL REFERENCES messages (id) ON DELETE CASCADE,
            name       TEXT NOT NULL,
            mime       TEXT NOT NULL,
            sha256     TEXT NOT NULL,
            size       INTEGER NOT NULL,
            text       TEXT NOT NULL DEFAULT '',
            pages      TEXT
        )
        """,
        "CREATE INDEX ix_attachments_message ON attachments (message_id)",
        """
        CREATE TABLE chunks (
            id            INTEGER PRIMARY KEY,
            attachment_id INTEGER NOT NULL REFERENCES attachments (id) ON DELETE CASCADE,
            ordinal       INTEGER NOT NULL,
            page          INTEGER,
            text          TEXT NOT NULL,
            UNIQUE (attachment_id, ordinal)
        )
        """,
    ),
)

_DOCUMENT_SEARCH = Migration(
    4,
    "attachment details and full-text search over their chunks",
    (
        # kind ("PDF"), page_count and notes (what could not be read) as JSON.
        "ALTER TABLE attachments ADD COLUMN details TEXT NOT NULL DEFAULT '{}'",
        # The section a chunk belongs to, for citations of documents without pages.
        "ALTER TABLE chunks ADD COLUMN heading TEXT NOT NULL DEFAULT ''",
        # Porter stemming: a question about "contracts" finds the passage about a "contract".
        # Chunks are written once and never edited, so there is no update trigger.
        """
        CREATE VIRTUAL TABLE chunks_fts USING fts5 (
            text,
            content = 'chunks', content_rowid = 'id',
            tokenize = 'porter unicode61 remove_diacritics 2'
        )
        """,
        """
        CREATE TRIGGER chunks_fts_insert AFTER INSERT ON chunks BEGIN
            INSERT INTO chunks_fts (rowid, text) VALUES (new.id, new.text);
        END
        """,
        """
        CREATE TRIGGER chunks_fts_delete AFTER DELETE ON chunks BEGIN
            INSERT INTO chunks_fts (chunks_fts, rowid, text) VALUES ('delete', old.id, old.text);
        END
        """,
        "INSERT INTO chunks_fts (chunks_fts) VALUES ('rebuild')",
    ),
)

_NO_SETTINGS_TABLE = Migration(
    5,
    "drop the unused settings table",
    (
        # Version 1 made a key/value table for settings, but the settings live in settings.json and
        # nothing ever wrote here: one place for them, not two that could disagree.
        "DROP TABLE settings",
    ),
)

_BRANCH_ON_SCREEN = Migration(
    6,
    "the branch each conversation shows",
    (
        # The end of the branch the user last saw (an edit, a regenerated reply, a pick in "< 2/3 >"),
        # so a restart shows the same one. NULL (older rows, a deleted message): the newest branch.
        "ALTER TABLE conversations ADD COLUMN current_leaf_id INTEGER "
        "REFERENCES messages (id) ON DELETE SET NULL",
    ),
)

_TITLE_SEARCH = Migration(
    7,
    "full-text search over conversation titles",
    (
        # The same tokenizer as the messages' index, so a title matches the way a message does
        # ("cafe" finds "Café", the last word typed is a prefix). Titles are short and few next to
        # messages, so there are no prefix indexes.
        """
        CREATE VIRTUAL TABLE conversations_fts USING fts5 (
            title,
            content = 'conversations', content_rowid = 'id',
            tokenize = 'unicode61 remove_diacritics 2'
        )
        """,
        """
        CREATE TRIGGER conversations_fts_insert AFTER INSERT ON conversations BEGIN
            INSERT INTO conversations_fts (rowid, title) VALUES (new.id, new.title);
        END
        """,
        """
        CREATE TRIGGER conversations_fts_delete AFTER DELETE ON conversations BEGIN
            INSERT INTO conversations_fts (conversations_fts, rowid, title)
            VALUES ('delete', old.id, old.title);
        END
        """,
        # Only a new title re-indexes: updated_at and current_leaf_id change on every message.
        """
        CREATE TRIGGER conversations_fts_update AFTER UPDATE OF title ON conversations BEGIN
            INSERT INTO conversations_fts (conversations_fts, rowid, title)
            VALUES ('delete', old.id, old.title);
            INSERT INTO conversations_fts (rowid, title) VALUES (new.id, new.title);
        END
        """,
        "INSERT INTO conversations_fts (conversations_fts) VALUES ('rebuild')",
    ),
)

MIGRATIONS: tuple[Migration, ...] = (
    _CORE,
    _SEARCH,
    _DOCUMENTS,
    _DOCUMENT_SEARCH,
    _NO_SETTINGS_TABLE,
    _BRANCH_ON_SCREEN,
    _TITLE_SEARCH,
)
SCHEMA_VERSION = MIGRATIONS[-1].version


def _pragma_int(connection: sqlite3.Connection, name: str) -> int:
    row = connection.execute(f"PRAGMA {name}").fetchone()
    return int(row[0])


def migrate(connection: sqlite3.Connection, target: int | None = None) -> int:
    """Bring the database up to `target` (default: the newest schema); return the version reached.

    Everything happens in one BEGIN IMMEDIATE transaction, user_version included, so a crash or
    a failing step leaves the file exactly as it was. The connection must not be inside a
    transaction. A database newer than this code, or a SQLite file that is not Hearth's, raises
    StoreError and is left untouched. Downgrades are not supported: an older target is a no-op.
    """
    goal = SCHEMA_VERSION if target is None else target
    if not 0 <= goal <= SCHEMA_VERSION:
        raise ValueError(f"no schema version {goal}; versions go from 0 to {SCHEMA_VERSION}")
    if connection.in_transaction:
        raise ValueError("migrate() needs a connection that is not inside a transaction")

    # IMMEDIATE takes the write lock before reading user_version, so two processes opening the
    # same file cannot both decide to run the same migration.
    connection.execute("BEGIN IMMEDIATE")
    try:
        current = check_version(connection)
        steps = [m for m in MIGRATIONS if current < m.version <= goal]
        for step in steps:
            log.info("upgrading history to version %d: %s", step.version, step.summary)
            for statement in step.statements:
                connection.execute(statement)
        if steps:
            # PRAGMA takes no bound parameters; the value is an int from our own table.
            connection.execute(f"PRAGMA user_version = {steps[-1].version}")
        connection.execute("COMMIT")
    except BaseException:
        if connection.in_transaction:
            connection.execute("ROLLBACK")
        raise
    return steps[-1].version if steps else current


def check_version(connection: sqlite3.Connection) -> int:
    """The file's schema version, after making sure it is a Hearth history this code can read.

    Raises StoreError for another program's SQLite file or a newer Hearth's history. Reads only,
    so it is safe to call before deciding to change anything.
    """
    version = _pragma_int(connection, "user_version")
    if version == 0:
        has_tables = connection.execute(
            "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite%' LIMIT 1"
        ).fetchone()
        if has_tables:
            raise not_hearth_error(_database_path(connection))
        return version
    if _pragma_int(connection, "application_id") != APPLICATION_ID:
        raise not_hearth_error(_database_path(connection))
    if version > SCHEMA_VERSION:
        raise newer_version_error(version, SCHEMA_VERSION)
    return version


def _database_path(connection: sqlite3.Connection) -> str:
    row = connection.execute("SELECT file FROM pragma_database_list WHERE name = 'main'").fetchone()
    return str(row[0]) if row and row[0] else "(in memory)"

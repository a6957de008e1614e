"""Database: the history file's engine, connections, transactions, upgrade on open, and close.

Writers start with BEGIN IMMEDIATE so they queue on busy_timeout up front instead of failing when
a read transaction later tries to write.
"""

from __future__ import annotations

import logging
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Final, cast

from sqlalchemy import URL, Connection, CursorResult, Engine, create_engine, event, literal_column, update
from sqlalchemy.orm import Session, sessionmaker

from app.store.errors import StoreError, translate_errors
from app.store.migrations import check_version, migrate
from app.store.schema import Message

log = logging.getLogger("hearth.store")

# Per connection. journal_mode=WAL is not here: it is stored in the file, and is switched on in
# _upgrade only once the file is known to be Hearth's, so another program's database is never
# converted before being refused.
_PRAGMAS: Final = (
    "PRAGMA foreign_keys = ON",
    "PRAGMA busy_timeout = 5000",
    "PRAGMA synchronous = NORMAL",
)
_WRITE_OPTION: Final = "hearth_write"


def _configure_connection(dbapi_connection: Any, _record: Any) -> None:
    # Python 3.11's sqlite3 "legacy transaction control" skips BEGIN before SELECT and DDL, so
    # SQLAlchemy is told to emit BEGIN itself (see _begin), as its SQLite docs recommend.
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    try:
        for pragma in _PRAGMAS:
            cursor.execute(pragma)
    finally:
        cursor.close()


def _begin(connection: Connection) -> None:
    write = bool(connection.get_execution_options().get(_WRITE_OPTION, False))
    connection.exec_driver_sql("BEGIN IMMEDIATE" if write else "BEGIN")


class Database:
    """One history file, opened (upgraded, interrupted replies recovered) by the constructor."""

    def __init__(self, path: Path) -> None:
        self._path = Path(path)
        self._closed = False
        with translate_errors(self._path):
            self._path.parent.mkdir(parents=True, exist_ok=True)
            self._engine: Engine = create_engine(URL.create("sqlite", database=str(self._path)))
            event.listen(self._engine, "connect", _configure_connection)
            event.listen(self._engine, "begin", _begin)
        self._read = sessionmaker(self._engine, expire_on_commit=False)
        self._write = sessionmaker(
            self._engine.execution_options(**{_WRITE_OPTION: True}), expire_on_commit=False
        )
        try:
            self._upgrade()
            self._recover_interrupted_replies()
        except BaseException:
            self._engine.dispose()
            raise

    @property
    def path(self) -> Path:
        return self._path

    def close(self) -> None:
        """Release the file. Safe to call twice; the store cannot be used afterwards."""
        if self._closed:
            return
        self._closed = True
        try:
            with translate_errors(self._path):
                raw = self._engine.raw_connection()
                try:
                    # SQLite's advice for long-lived connections: refresh planner stats on close.
                    cast(sqlite3.Connection, raw.driver_connection).execute("PRAGMA optimize")
                finally:
                    raw.close()
        except StoreError as error:
            log.info("skipped PRAGMA optimize at close: %s", error)
        self._engine.dispose()

    def compact(self) -> None:
        """Rewrite the file without the space deleted rows left behind, and empty the WAL.

        Deleted text otherwise stays readable in free pages of the file (and in the WAL) until SQLite
        happens to reuse them; after "Delete all conversations" it must really be gone.
        """
        with translate_errors(self._path):
            raw = self._engine.raw_connection()
            try:
                connection = cast(sqlite3.Connection, raw.driver_connection)
                connection.execute("VACUUM")
                connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            finally:
                raw.close()

    @contextmanager
    def session(self, *, write: bool = False) -> Iterator[Session]:
        """One unit of work: a Session in a transaction, committed when the block ends."""
        if self._closed:
            raise RuntimeError("the history store is closed")
        maker = self._write if write else self._read
        with translate_errors(self._path), maker() as session, session.begin():
            yield session

    def _upgrade(self) -> None:
        with translate_errors(self._path):
            raw = self._engine.raw_connection()
            try:
                connection = cast(sqlite3.Connection, raw.driver_connection)
                check_version(connection)
                mode = connection.execute("PRAGMA journal_mode = WAL").fetchone()[0]
                version = migrate(connection)
            finally:
                raw.close()
        if mode != "wal":
            # e.g. a network drive without shared memory: SQLite keeps a rollback journal.
            log.info("history %s uses journal mode %s, not WAL", self._path, mode)
        log.debug("history %s at schema version %d", self._path, version)

    def _recover_interrupted_replies(self) -> None:
        # A reply still 'streaming' at open was cut off by a crash or kill: keep what was saved.
        # The literal (not a bound parameter) lets SQLite use the partial index on streaming rows.
        stmt = (
            update(Message)
            .where(Message.status == literal_column("'streaming'"))
            .values(status="stopped")
            .execution_options(synchronize_session=False)
        )
        with self.session(write=True) as s:
            count = cast(CursorResult[Any], s.execute(stmt)).rowcount
        if count:
            log.info("marked %d interrupted repl%s as stopped", count, "y" if count == 1 else "ies")

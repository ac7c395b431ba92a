"""Read models in a SQLite file, each batch committed with its tracking position."""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from adapters.sql_read_models import SqlWriter, select
from application.projections.read_models import (
    SCHEMA,
    PositionConflict,
    ReadModels,
    ReadModelWriter,
    Row,
)


class SQLiteReadModels(ReadModels):
    def __init__(self, path: Path | str) -> None:
        self._lock = threading.RLock()
        self.conn = sqlite3.connect(str(path), check_same_thread=False, isolation_level=None)
        self.conn.row_factory = sqlite3.Row
        self.conn.execute("PRAGMA journal_mode=WAL")
        self._create()

    def _create(self) -> None:
        with self._lock:
            self.conn.execute(
                "CREATE TABLE IF NOT EXISTS tracking (name TEXT PRIMARY KEY, position INTEGER)")
            for table, (columns, primary_key) in SCHEMA.items():
                self.conn.execute(
                    f"CREATE TABLE IF NOT EXISTS {table} ({', '.join(columns)}, "
                    f"PRIMARY KEY ({', '.join(primary_key)}))")

    def position(self) -> int:
        with self._lock:
            return self._position()

    def _position(self) -> int:
        row = self.conn.execute(
            "SELECT position FROM tracking WHERE name = 'read-models'").fetchone()
        return row[0] if row else 0

    @contextmanager
    def transaction(self, after: int, position: int) -> Iterator[ReadModelWriter]:
        with self._lock:
            self.conn.execute("BEGIN IMMEDIATE")
            try:
                if self._position() != after:
                    raise PositionConflict(f"read models moved past {after}")
                yield SqlWriter(self.conn.execute, "?")
                self.conn.execute(
                    "INSERT INTO tracking VALUES ('read-models', ?) "
                    "ON CONFLICT (name) DO UPDATE SET position = excluded.position", [position])
            except BaseException:
                self.conn.execute("ROLLBACK")
                raise
            self.conn.execute("COMMIT")

    def reset(self) -> None:
        with self._lock:
            self.conn.execute("BEGIN IMMEDIATE")
            for table in (*SCHEMA, "tracking"):
                self.conn.execute(f"DROP TABLE IF EXISTS {table}")
            self.conn.execute("COMMIT")
            self._create()

    def rows(self, table: str, where: Row | None = None, order_by: str | None = None,
             descending: bool = False, limit: int | None = None, offset: int = 0) -> list[Row]:
        sql, params = select(table, "?", where, order_by, descending, limit, offset)
        with self._lock:
            return [dict(r) for r in self.conn.execute(sql, params)]

    def counts(self) -> dict[str, int]:
        with self._lock:
            return {t: self.conn.execute(f"SELECT COUNT(*) FROM {t}").fetchone()[0]
                    for t in SCHEMA}

    def close(self) -> None:
        self.conn.close()

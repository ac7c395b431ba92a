"""Read models in PostgreSQL, shared by every process of a deployment.

Each batch is written with the tracking position in one transaction that first locks
the tracking row: a process that finds the position moved (another process applied the
batch) gets PositionConflict and the follower moves on from the new position.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from adapters.postgres_database import PostgresDatabase
from adapters.sql_read_models import SqlWriter, select
from application.projections.read_models import (
    COLUMN_TYPES,
    SCHEMA,
    PositionConflict,
    ReadModels,
    ReadModelWriter,
    Row,
)

# Text compares byte-wise (as in SQLite), so both stores list rows in the same order.
SQL_TYPES = {"integer": "BIGINT", "boolean": "BOOLEAN", "real": "DOUBLE PRECISION",
             "text": 'TEXT COLLATE "C"'}
NAME = "read-models"


def _create_statements() -> list[str]:
    statements = ["CREATE TABLE IF NOT EXISTS tracking (name TEXT PRIMARY KEY, "
                  "position BIGINT NOT NULL)",
                  f"INSERT INTO tracking VALUES ('{NAME}', 0) ON CONFLICT DO NOTHING"]
    for table, (columns, primary_key) in SCHEMA.items():
        typed = [f"{c} {SQL_TYPES[COLUMN_TYPES.get(c, 'text')]}" for c in columns]
        statements.append(f"CREATE TABLE IF NOT EXISTS {table} ({', '.join(typed)}, "
                          f"PRIMARY KEY ({', '.join(primary_key)}))")
    return statements


class PostgresReadModels(ReadModels):
    def __init__(self, database: PostgresDatabase) -> None:
        self.database = database
        database.create(_create_statements())

    def position(self) -> int:
        with self.database.cursor() as cursor:
            cursor.execute("SELECT position FROM tracking WHERE name = %s", [NAME])
            row = cursor.fetchone()
        return row["position"] if row else 0

    @contextmanager
    def transaction(self, after: int, position: int) -> Iterator[ReadModelWriter]:
        with self.database.transaction() as cursor:
            cursor.execute("SELECT position FROM tracking WHERE name = %s FOR UPDATE", [NAME])
            row = cursor.fetchone()
            if (row["position"] if row else 0) != after:
                raise PositionConflict(f"read models moved past {after}")
            yield SqlWriter(cursor.execute, "%s")
            cursor.execute("UPDATE tracking SET position = %s WHERE name = %s", [position, NAME])

    def reset(self) -> None:
        """Drop and recreate in one transaction: other processes wait, then see empty
        tables at position 0 (PostgreSQL's DDL is transactional)."""
        drops = [f"DROP TABLE IF EXISTS {table}" for table in (*SCHEMA, "tracking")]
        self.database.create([*drops, *_create_statements()])

    def rows(self, table: str, where: Row | None = None, order_by: str | None = None,
             descending: bool = False, limit: int | None = None, offset: int = 0) -> list[Row]:
        sql, params = select(table, "%s", where, order_by, descending, limit, offset)
        with self.database.cursor() as cursor:
            cursor.execute(sql, params)
            return cursor.fetchall()

    def counts(self) -> dict[str, int]:
        with self.database.cursor() as cursor:
            counts = {}
            for table in SCHEMA:
                cursor.execute(f"SELECT COUNT(*) AS n FROM {table}")
                counts[table] = cursor.fetchone()["n"]
            return counts

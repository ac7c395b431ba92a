"""A consumer position shared by processes, in PostgreSQL: moving it is a row-locked claim."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from adapters.postgres_database import PostgresDatabase
from application.projections.positions import Position
from application.projections.read_models import PositionConflict


class PostgresPosition(Position):
    """`start` is where a new deployment begins (the head of the log when it is created)."""

    def __init__(self, database: PostgresDatabase, name: str, start: int) -> None:
        self.database = database
        self.name = name
        database.create(["CREATE TABLE IF NOT EXISTS positions (name TEXT PRIMARY KEY, "
                         "position BIGINT NOT NULL)"])
        with database.cursor() as cursor:
            cursor.execute("INSERT INTO positions VALUES (%s, %s) ON CONFLICT DO NOTHING",
                           [name, start])

    def get(self) -> int:
        with self.database.cursor() as cursor:
            cursor.execute("SELECT position FROM positions WHERE name = %s", [self.name])
            return cursor.fetchone()["position"]

    @contextmanager
    def advance(self, after: int, position: int) -> Iterator[None]:
        """The row stays locked while the block runs, so a second process waits, then
        finds the position moved and skips the batch."""
        with self.database.transaction() as cursor:
            cursor.execute("SELECT position FROM positions WHERE name = %s FOR UPDATE",
                           [self.name])
            if cursor.fetchone()["position"] != after:
                raise PositionConflict(f"{self.name} moved past {after}")
            yield
            cursor.execute("UPDATE positions SET position = %s WHERE name = %s",
                           [position, self.name])

"""The read-model port: tables projected from events, written with their position.

The schema is data owned here, so every adapter (SQLite, PostgreSQL) builds the same
tables; the projector decides what goes in them.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Iterator, Mapping
from contextlib import AbstractContextManager
from typing import Any

Row = dict[str, Any]

SCHEMA: Mapping[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    # table: (columns, primary key)
    "api_keys": (
        ("key_id", "name", "prefix", "quota_remaining", "quota_total", "total_used",
         "active", "created_at", "webhook_url", "has_webhook_secret"),
        ("key_id",),
    ),
    "usage_log": (("id", "key_id", "task_id", "endpoint", "created_at"), ("id",)),
    "tasks": (
        ("task_id", "key_id", "kind", "status", "iterations", "rounds_done", "attempts",
         "created_at", "started_at", "finished_at", "error"),
        ("task_id",),
    ),
    "webhook_deliveries": (
        ("delivery_id", "task_id", "key_id", "event", "url", "status", "attempts",
         "created_at", "updated_at"),
        ("delivery_id",),
    ),
    "webhook_attempts": (
        ("delivery_id", "number", "status_code", "error", "duration_ms", "at"),
        ("delivery_id", "number"),
    ),
}


COLUMN_TYPES: Mapping[str, str] = {
    # columns that are not text, by kind: "integer", "boolean" or "real"
    "quota_remaining": "integer", "quota_total": "integer", "total_used": "integer",
    "active": "boolean", "has_webhook_secret": "boolean", "id": "integer",
    "iterations": "integer", "rounds_done": "integer", "attempts": "integer",
    "number": "integer", "status_code": "integer", "duration_ms": "real",
}


class PositionConflict(Exception):
    """Another process applied events since the caller read the position."""


class ReadModelWriter(ABC):
    """Row changes inside one transaction."""

    @abstractmethod
    def insert(self, table: str, row: Row) -> None: ...

    @abstractmethod
    def update(
        self, table: str, key: Row, changes: Row | None = None, increments: Row | None = None
    ) -> None:
        """Set `changes` and add `increments` (NULL stays NULL) on the rows matching `key`."""

    @abstractmethod
    def delete(self, table: str, key: Row) -> None: ...


class ReadModels(ABC):
    """Storage of the read models and their tracking position."""

    @abstractmethod
    def position(self) -> int:
        """The notification id of the last event applied (0 when empty)."""

    @abstractmethod
    def transaction(self, after: int, position: int) -> AbstractContextManager[ReadModelWriter]:
        """A writer whose rows commit together with the move from `after` to `position`.

        Raises PositionConflict when the stored position is no longer `after`.
        """

    @abstractmethod
    def reset(self) -> None:
        """Drop every row and the position, for a rebuild from zero."""

    @abstractmethod
    def rows(self, table: str, where: Row | None = None, order_by: str | None = None,
             descending: bool = False, limit: int | None = None, offset: int = 0) -> list[Row]:
        """Rows of `table` whose columns equal `where`."""

    @abstractmethod
    def counts(self) -> dict[str, int]:
        """Row count per table."""

    def close(self) -> None:
        """Let go of connections and files."""

    def dump(self) -> Iterator[tuple[str, list[Row]]]:
        """Every table's rows in primary-key order, to compare two builds."""
        for table, (_, primary_key) in SCHEMA.items():
            yield table, self.rows(table, order_by=", ".join(primary_key))

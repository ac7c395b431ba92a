"""SQL of the read-model tables, shared by the SQLite and PostgreSQL adapters.

Only names from SCHEMA reach SQL text; values always travel as parameters. The two
databases differ here only in their parameter mark ("?" or "%s").
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from application.projections.read_models import SCHEMA, ReadModelWriter, Row

Execute = Callable[[str, list], Any]


def columns(table: str, names: list[str] | tuple[str, ...]) -> list[str]:
    """Guard: only columns of the schema reach SQL text."""
    known = SCHEMA[table][0]
    for name in names:
        if name not in known:
            raise KeyError(f"{table} has no column {name}")
    return list(names)


def where(table: str, key: Row, mark: str) -> tuple[str, list]:
    if not key:
        return "", []
    names = columns(table, list(key))
    return " WHERE " + " AND ".join(f"{n} = {mark}" for n in names), [key[n] for n in names]


def select(table: str, mark: str, where_: Row | None = None, order_by: str | None = None,
           descending: bool = False, limit: int | None = None,
           offset: int = 0) -> tuple[str, list]:
    """The query of `ReadModels.rows` and its parameters."""
    clause, params = where(table, where_ or {}, mark)
    if order_by:
        clause += " ORDER BY " + ", ".join(
            f"{c} {'DESC' if descending else 'ASC'}"
            for c in columns(table, [c.strip() for c in order_by.split(",")]))
    if limit is not None:
        clause += f" LIMIT {mark} OFFSET {mark}"
        params += [limit, offset]
    return f"SELECT * FROM {table}{clause}", params


class SqlWriter(ReadModelWriter):
    """Row changes through `execute(sql, params)` inside the caller's transaction."""

    def __init__(self, execute: Execute, mark: str) -> None:
        self.execute = execute
        self.mark = mark

    def insert(self, table: str, row: Row) -> None:
        names = columns(table, list(row))
        keys = SCHEMA[table][1]
        updates = ", ".join(f"{n} = excluded.{n}" for n in names if n not in keys)
        self.execute(
            f"INSERT INTO {table} ({', '.join(names)}) "
            f"VALUES ({', '.join([self.mark] * len(names))}) "
            f"ON CONFLICT ({', '.join(keys)}) DO "
            + (f"UPDATE SET {updates}" if updates else "NOTHING"), [row[n] for n in names])

    def update(self, table: str, key: Row, changes: Row | None = None,
               increments: Row | None = None) -> None:
        changes, increments = changes or {}, increments or {}
        sets = [f"{n} = {self.mark}" for n in columns(table, list(changes))]
        sets += [f"{n} = {n} + {self.mark}" for n in columns(table, list(increments))]
        clause, params = where(table, key, self.mark)
        self.execute(f"UPDATE {table} SET {', '.join(sets)}{clause}",
                     [*changes.values(), *increments.values(), *params])

    def delete(self, table: str, key: Row) -> None:
        clause, params = where(table, key, self.mark)
        self.execute(f"DELETE FROM {table}{clause}", params)

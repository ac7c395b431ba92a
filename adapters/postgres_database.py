"""The PostgreSQL database of a distributed deployment: a connection pool for the read
models, blobs and positions, and the eventsourcing settings for the events themselves."""

from __future__ import annotations

import zlib
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from urllib.parse import unquote, urlsplit

import psycopg
from psycopg import Cursor
from psycopg.rows import DictRow, dict_row
from psycopg_pool import ConnectionPool

CONNECT_TIMEOUT_SECONDS = 10


def lock_key(name: str) -> int:
    """A stable advisory-lock key for a name (the same in every process)."""
    return zlib.crc32(name.encode())


SCHEMA_LOCK = lock_key("paperbanana-schema")


def eventsourcing_env(url: str, pool_size: int, max_overflow: int) -> dict[str, str]:
    """The eventsourcing persistence settings (POSTGRES_*) for a postgresql:// URL.

    Every process writes under an EXCLUSIVE lock on the events table (the library's
    way of making commit order equal notification order), so a lock wait is bounded
    rather than failing at once.
    """
    parts = urlsplit(url)
    return {
        "PERSISTENCE_MODULE": "eventsourcing.postgres",
        "POSTGRES_DBNAME": unquote(parts.path.lstrip("/")) or "postgres",
        "POSTGRES_HOST": parts.hostname or "127.0.0.1",
        "POSTGRES_PORT": str(parts.port or 5432),
        "POSTGRES_USER": unquote(parts.username or "postgres"),
        "POSTGRES_PASSWORD": unquote(parts.password or ""),
        "POSTGRES_POOL_SIZE": str(pool_size),
        "POSTGRES_MAX_OVERFLOW": str(max_overflow),
        "POSTGRES_CONNECT_TIMEOUT": str(CONNECT_TIMEOUT_SECONDS),
        "POSTGRES_LOCK_TIMEOUT": "30",
        "POSTGRES_PRE_PING": "y",
    }


class PostgresDatabase:
    def __init__(self, url: str, pool_size: int, max_overflow: int) -> None:
        """Connects once first, so a wrong URL fails now with the server's reason rather
        than as a pool timeout later."""
        psycopg.connect(url, connect_timeout=CONNECT_TIMEOUT_SECONDS).close()
        self.url = url
        self.pool = ConnectionPool(
            url, min_size=1, max_size=pool_size + max_overflow, open=True,
            kwargs={"autocommit": True, "connect_timeout": CONNECT_TIMEOUT_SECONDS},
            timeout=CONNECT_TIMEOUT_SECONDS, check=ConnectionPool.check_connection,
            name="paperbanana")

    @contextmanager
    def cursor(self) -> Iterator[Cursor[DictRow]]:
        """A cursor whose statements commit one by one."""
        with self.pool.connection() as conn, conn.cursor(row_factory=dict_row) as cursor:
            yield cursor

    @contextmanager
    def transaction(self) -> Iterator[Cursor[DictRow]]:
        """A cursor inside one transaction: committed when the block exits cleanly."""
        with (self.pool.connection() as conn, conn.transaction(),
              conn.cursor(row_factory=dict_row) as cursor):
            yield cursor

    def create(self, statements: Iterable[str]) -> None:
        """Run CREATE ... IF NOT EXISTS statements under the schema lock."""
        with self.transaction() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [SCHEMA_LOCK])
            for statement in statements:
                cursor.execute(statement)

    @contextmanager
    def schema_lock(self) -> Iterator[None]:
        """One process at a time creates tables: two processes creating one table at the
        same moment collide in PostgreSQL's catalog, even with IF NOT EXISTS. (Do not call
        `create` inside: it would wait for this very lock.)"""
        with self.pool.connection() as conn:
            conn.execute("SELECT pg_advisory_lock(%s)", [SCHEMA_LOCK])
            try:
                yield
            finally:
                conn.execute("SELECT pg_advisory_unlock(%s)", [SCHEMA_LOCK])

    def close(self) -> None:
        self.pool.close()

"""Leadership by a PostgreSQL session advisory lock: the process whose connection holds
the lock leads; when that process dies its session ends, and another takes the lock."""

from __future__ import annotations

import logging

import psycopg

from adapters.postgres_database import CONNECT_TIMEOUT_SECONDS, lock_key
from application.ports import Leadership

log = logging.getLogger(__name__)


class PostgresLeadership(Leadership):
    """Called from one thread (the follower's timer); holds its own connection."""

    def __init__(self, url: str, role: str) -> None:
        self.url = url
        self.role = role
        self._connection: psycopg.Connection | None = None
        self._held = False

    def held(self) -> bool:
        try:
            if self._connection is None:
                self._connection = psycopg.connect(
                    self.url, autocommit=True, connect_timeout=CONNECT_TIMEOUT_SECONDS)
            if self._held:
                self._connection.execute("SELECT 1")  # the session, and so the lock, lives
            else:
                row = self._connection.execute("SELECT pg_try_advisory_lock(%s)",
                                               [lock_key(self.role)]).fetchone()
                self._held = bool(row and row[0])
                if self._held:
                    log.info("this process now leads as %s", self.role)
        except psycopg.Error as error:
            log.warning("%s: leadership connection failed (%s); trying again later",
                        self.role, type(error).__name__)
            self.close()
        return self._held

    def close(self) -> None:
        if self._connection is not None:
            self._connection.close()
        self._connection, self._held = None, False

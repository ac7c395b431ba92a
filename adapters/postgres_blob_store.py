"""Blobs in PostgreSQL, so every process on every machine reads every figure.

References are the file store's (`sha256:<hex>`), so a migrated task's figure is found
under the reference its events hold.
"""

from __future__ import annotations

import hashlib

from adapters.file_blob_store import REF
from adapters.postgres_database import PostgresDatabase
from application.ports import BlobStore


class PostgresBlobStore(BlobStore):
    def __init__(self, database: PostgresDatabase) -> None:
        self.database = database
        database.create(["CREATE TABLE IF NOT EXISTS blobs (ref TEXT PRIMARY KEY, "
                         "content_type TEXT NOT NULL, data BYTEA NOT NULL)"])

    def put(self, data: bytes, content_type: str) -> str:
        ref = f"sha256:{hashlib.sha256(data).hexdigest()}"
        with self.database.cursor() as cursor:
            cursor.execute("INSERT INTO blobs VALUES (%s, %s, %s) ON CONFLICT DO NOTHING",
                           [ref, content_type, data])
        return ref

    def get(self, ref: str) -> bytes:
        if REF.match(ref) is None:
            raise KeyError(ref)
        with self.database.cursor() as cursor:
            cursor.execute("SELECT data FROM blobs WHERE ref = %s", [ref])
            row = cursor.fetchone()
        if row is None:
            raise KeyError(ref)
        return bytes(row["data"])

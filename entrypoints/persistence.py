"""The stores of one process, chosen by settings: SQLite and files under DATA_DIR (the
embedded default), or one PostgreSQL database shared by every process of a deployment
(PAPERBANANA_EVENT_STORE) for events, read models, blobs and the dispatcher's position."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import psycopg
from eventsourcing.persistence import OperationalError
from psycopg_pool import PoolTimeout

from adapters.file_blob_store import FileBlobStore
from adapters.postgres_blob_store import PostgresBlobStore
from adapters.postgres_database import PostgresDatabase, eventsourcing_env
from adapters.postgres_leadership import PostgresLeadership
from adapters.postgres_position import PostgresPosition
from adapters.postgres_read_models import PostgresReadModels
from adapters.sqlite_read_models import SQLiteReadModels
from application.event_store import EventStore
from application.ports import BlobStore, Leadership
from application.projections.positions import MemoryPosition, Position
from application.projections.read_models import ReadModels
from entrypoints.settings import Settings, env_name

REAPER_ROLE = "paperbanana-reaper"


@dataclass
class Persistence:
    store: EventStore
    read_models: ReadModels
    blobs: BlobStore
    database: PostgresDatabase | None = None

    @property
    def shared(self) -> bool:
        """Other processes (on other machines) share these stores."""
        return self.database is not None

    def dispatch_position(self, head: int) -> Position:
        """Where the dispatcher is: in memory from `head`, or shared (begun at `head`
        when the deployment first dispatches)."""
        if self.database is None:
            return MemoryPosition(head)
        return PostgresPosition(self.database, "dispatcher", start=head)

    def reaper_leadership(self) -> Leadership | None:
        """Who reaps among the processes sharing the store; None when it is not shared."""
        if self.database is None:
            return None
        return PostgresLeadership(self.database.url, REAPER_ROLE)

    def close(self) -> None:
        self.store.close()
        self.read_models.close()
        if self.database is not None:
            self.database.close()


def open_persistence(settings: Settings, data_dir: Path, cipher_key: str) -> Persistence:
    if settings.blob_store == "postgresql" and not settings.event_store:
        raise SystemExit(f"{env_name('blob_store')}=postgresql needs "
                         f"{env_name('event_store')} (a postgresql:// URL)")
    common = {"CIPHER_TOPIC": "eventsourcing.cipher:AESCipher", "CIPHER_KEY": cipher_key,
              "AGGREGATE_CACHE_MAXSIZE": "2000"}
    if not settings.event_store:
        store = EventStore({
            "PERSISTENCE_MODULE": "eventsourcing.sqlite",
            "SQLITE_DBNAME": str(data_dir / "events.sqlite"),
            "SQLITE_LOCK_TIMEOUT": "30",
            **common,
        })
        return Persistence(store, SQLiteReadModels(data_dir / "read_models.sqlite"),
                           _blob_store(settings, data_dir, None))
    database = None
    try:
        database = PostgresDatabase(settings.event_store, settings.db_pool_size,
                                    settings.db_max_overflow)
        with database.schema_lock():
            store = EventStore({**eventsourcing_env(
                settings.event_store, settings.db_pool_size, settings.db_max_overflow), **common})
        return Persistence(store, PostgresReadModels(database),
                           _blob_store(settings, data_dir, database), database)
    except (psycopg.OperationalError, OperationalError, PoolTimeout) as error:
        if database is not None:
            database.close()
        reason = (str(error).strip() or "no answer").splitlines()[0]
        raise SystemExit(f"{env_name('event_store')}: cannot use the PostgreSQL database "
                         f"({reason})") from None


def _blob_store(settings: Settings, data_dir: Path,
                database: PostgresDatabase | None) -> BlobStore:
    choice = settings.blob_store or ("postgresql" if database is not None else None)
    if choice == "postgresql" and database is not None:
        return PostgresBlobStore(database)
    return FileBlobStore(Path(choice) if choice else data_dir / "blobs")

"""One contract per port, run against every adapter: read models (SQLite, PostgreSQL),
blob stores (files, PostgreSQL) and the dispatcher's position (memory, PostgreSQL)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from adapters.file_blob_store import FileBlobStore
from adapters.postgres_blob_store import PostgresBlobStore
from adapters.postgres_database import PostgresDatabase
from adapters.postgres_leadership import PostgresLeadership
from adapters.postgres_position import PostgresPosition
from adapters.postgres_read_models import PostgresReadModels
from adapters.sqlite_read_models import SQLiteReadModels
from application.ports import BlobStore
from application.projections.positions import MemoryPosition, Position
from application.projections.read_models import PositionConflict, ReadModels
from tests.fakes import tiny_png


@pytest.fixture
def database(postgres_url: str) -> Iterator[PostgresDatabase]:
    database = PostgresDatabase(postgres_url, pool_size=2, max_overflow=2)
    yield database
    database.close()


@pytest.fixture(params=["sqlite", "postgresql"])
def read_models(request, tmp_path: Path) -> Iterator[ReadModels]:
    if request.param == "sqlite":
        models: ReadModels = SQLiteReadModels(tmp_path / "read_models.sqlite")
    else:
        models = PostgresReadModels(request.getfixturevalue("database"))
    yield models
    models.close()


@pytest.fixture(params=["file", "postgresql"])
def blobs(request, tmp_path: Path) -> BlobStore:
    if request.param == "file":
        return FileBlobStore(tmp_path / "blobs")
    return PostgresBlobStore(request.getfixturevalue("database"))


@pytest.fixture(params=["memory", "postgresql"])
def position(request) -> Position:
    if request.param == "memory":
        return MemoryPosition(7)
    return PostgresPosition(request.getfixturevalue("database"), "dispatcher", start=7)


KEY = {"key_id": "k1", "name": "lab", "prefix": "pb_abcdef", "quota_remaining": 3,
       "quota_total": 3, "total_used": 0, "active": True, "created_at": "2026-01-01T00:00:00",
       "webhook_url": None, "has_webhook_secret": False}


def test_rows_move_with_their_position(read_models: ReadModels) -> None:
    assert read_models.position() == 0
    with read_models.transaction(0, 5) as writer:
        writer.insert("api_keys", KEY)
        writer.insert("api_keys", {**KEY, "key_id": "k2", "quota_remaining": None,
                                   "quota_total": None, "created_at": "2026-01-02T00:00:00"})
        writer.update("api_keys", {}, increments={"total_used": 1, "quota_remaining": -1})
        writer.update("api_keys", {"key_id": "k1"}, {"active": False})
    rows = read_models.rows("api_keys", order_by="created_at", descending=True)
    assert [(r["key_id"], r["quota_remaining"], r["total_used"], bool(r["active"]))
            for r in rows] == [("k2", None, 1, True), ("k1", 2, 1, False)]
    assert read_models.position() == 5
    assert read_models.rows("api_keys", {"key_id": "k1"}, limit=1, offset=0)[0]["name"] == "lab"


def test_a_stale_position_is_refused_and_nothing_is_written(read_models: ReadModels) -> None:
    with read_models.transaction(0, 3) as writer:
        writer.insert("api_keys", KEY)
    with pytest.raises(PositionConflict), read_models.transaction(0, 4) as writer:
        writer.delete("api_keys", {"key_id": "k1"})
    assert read_models.counts()["api_keys"] == 1 and read_models.position() == 3


def test_a_failed_batch_leaves_rows_and_position_as_they_were(read_models: ReadModels) -> None:
    with pytest.raises(RuntimeError), read_models.transaction(0, 2) as writer:
        writer.insert("api_keys", KEY)
        raise RuntimeError("projection bug")
    assert read_models.counts()["api_keys"] == 0 and read_models.position() == 0


def test_reset_empties_every_table_and_the_position(read_models: ReadModels) -> None:
    with read_models.transaction(0, 9) as writer:
        writer.insert("api_keys", KEY)
        writer.insert("usage_log", {"id": 4, "key_id": "k1", "task_id": "t",
                                    "endpoint": "plot", "created_at": "x"})
    read_models.reset()
    assert set(read_models.counts().values()) == {0} and read_models.position() == 0


def test_unknown_columns_never_reach_sql(read_models: ReadModels) -> None:
    with pytest.raises(KeyError), read_models.transaction(0, 1) as writer:
        writer.insert("api_keys", {"key_id": "x", "name; DROP TABLE api_keys": "y"})
    with pytest.raises(KeyError):
        read_models.rows("api_keys", order_by="name; DROP TABLE tasks")


def test_blobs_are_content_addressed(blobs: BlobStore) -> None:
    png = tiny_png()
    ref = blobs.put(png, "image/png")
    assert ref.startswith("sha256:") and blobs.put(png, "image/png") == ref
    assert blobs.get(ref) == png
    for missing in ("sha256:" + "0" * 64, "../../etc/passwd"):
        with pytest.raises(KeyError):
            blobs.get(missing)


def test_a_position_moves_once_per_claim(position: Position) -> None:
    assert position.get() == 7
    with position.advance(7, 9):
        pass
    with pytest.raises(PositionConflict), position.advance(7, 12):
        pass
    with pytest.raises(RuntimeError), position.advance(9, 12):
        raise RuntimeError("enqueueing failed")
    assert position.get() == 9


def test_a_shared_position_begins_where_the_first_process_began(
        database: PostgresDatabase) -> None:
    PostgresPosition(database, "dispatcher", start=3)
    assert PostgresPosition(database, "dispatcher", start=50).get() == 3


def test_one_process_leads_until_it_lets_go(postgres_url: str) -> None:
    first = PostgresLeadership(postgres_url, "reaper")
    second = PostgresLeadership(postgres_url, "reaper")
    try:
        assert first.held() and not second.held()
        assert first.held()  # still: the session holds the lock
        first.close()
        assert second.held() and not first.held()
    finally:
        first.close()
        second.close()

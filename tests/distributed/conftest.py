"""Fixtures of the distributed tests: settings over a fresh PostgreSQL database and the
run's Redis db, and containers built from them."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from entrypoints.bootstrap import Container, bootstrap
from entrypoints.settings import Settings
from tests.conftest import ADMIN_KEY, fake_pipelines
from tests.fakes import FakePipeline
from tests.services import CIPHER_KEY, flush_queues, fresh_database, redis_db


@pytest.fixture(scope="session")
def redis_url() -> Iterator[str]:
    with redis_db() as url:
        yield url


@pytest.fixture
def broker_url(redis_url: str) -> Iterator[str]:
    flush_queues(redis_url)
    yield redis_url
    flush_queues(redis_url)


@pytest.fixture
def postgres_url() -> Iterator[str]:
    with fresh_database() as url:
        yield url


def shared_settings(data_dir: Path, postgres_url: str, **overrides) -> Settings:
    """Settings of one process of a deployment over PostgreSQL (in-process broker unless
    `broker_url` is given)."""
    return Settings.load(environ={}, overrides={
        "data_dir": data_dir, "event_store": postgres_url, "admin_key": ADMIN_KEY,
        "cipher_key": CIPHER_KEY, "db_pool_size": 2, "webhook_retry_scale": 0.01,
        "webhook_allowed_hosts": "127.0.0.1", **overrides})


def distributed_env(postgres_url: str, broker_url: str, **settings: object) -> dict[str, str]:
    """The environment of `serve` and `worker` subprocesses sharing the two services."""
    return {"PAPERBANANA_EVENT_STORE": postgres_url, "PAPERBANANA_BROKER_URL": broker_url,
            "PAPERBANANA_CIPHER_KEY": CIPHER_KEY, "PAPERBANANA_ADMIN_KEY": ADMIN_KEY,
            "PAPERBANANA_DB_POOL_SIZE": "2", "PAPERBANANA_WEBHOOK_RETRY_SCALE": "0.01",
            "PAPERBANANA_WEBHOOK_ALLOWED_HOSTS": "127.0.0.1",
            **{f"PAPERBANANA_{name.upper()}": str(value) for name, value in settings.items()}}


Open = Callable[..., Container]


@pytest.fixture
def open_container(tmp_path: Path, postgres_url: str) -> Iterator[Open]:
    """Opens containers ("processes") over the test's database; closes them afterwards."""
    opened: list[Container] = []

    def open_one(pipeline: FakePipeline | None = None, **overrides) -> Container:
        settings = shared_settings(tmp_path / f"var{len(opened)}", postgres_url, **overrides)
        container = bootstrap(settings, pipelines=fake_pipelines(pipeline or FakePipeline()))
        opened.append(container)
        return container

    yield open_one
    for container in reversed(opened):
        container.close()

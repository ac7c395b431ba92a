"""Shared fixtures: a real container (SQLite event store, read models, file blobs,
dramatiq StubBroker with a real Worker) over a temporary data directory."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from falcon import testing

from entrypoints.bootstrap import Container, bootstrap
from entrypoints.http.app import create_app
from entrypoints.settings import Settings
from tests.fakes import FakePipeline

ADMIN_KEY = "test-admin-key-0123456789"


def make_settings(data_dir: Path, **overrides) -> Settings:
    """Test settings: webhook retries 100x sooner, so a failing delivery ends within a second."""
    return Settings.load(environ={}, overrides={
        "data_dir": data_dir, "admin_key": ADMIN_KEY, "worker_threads": 2,
        "webhook_retry_scale": 0.01, **overrides})


def fake_pipelines(pipeline: FakePipeline) -> dict[str, FakePipeline]:
    return {"methodology": pipeline, "statistical_plot": pipeline}


@pytest.fixture
def pipeline() -> FakePipeline:
    return FakePipeline()


@pytest.fixture
def container(tmp_path: Path, pipeline: FakePipeline) -> Iterator[Container]:
    c = bootstrap(make_settings(tmp_path / "var"), pipelines=fake_pipelines(pipeline))
    c.start_worker()
    c.start_dispatching()
    yield c
    c.close()


@pytest.fixture
def client(container: Container) -> testing.TestClient:
    return testing.TestClient(create_app(container))


@pytest.fixture
def admin() -> dict[str, str]:
    return {"Authorization": f"Bearer {ADMIN_KEY}"}


def wait_for_jobs(container: Container) -> None:
    """Until every job is done: tasks, then the deliveries they scheduled and their retries."""
    for queue in container.queue.queues:
        container.broker.join(queue, timeout=30_000)
    container.worker.join()

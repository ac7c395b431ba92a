"""Several containers ("processes") over one PostgreSQL database: projections, dispatch,
claims by version, the reaper and the settings that guard a shared deployment."""

from __future__ import annotations

import socket
import threading
import time
from pathlib import Path
from uuid import UUID

import pytest
from dramatiq.brokers.stub import StubBroker
from falcon import testing

from entrypoints.bootstrap import READY_SECONDS, Container, bootstrap
from entrypoints.http.app import create_app
from tests.application.test_projections import busy_history
from tests.conftest import fake_pipelines
from tests.distributed.conftest import Open, shared_settings
from tests.fakes import FakePipeline


def wait_until(condition, timeout: float = 10) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "condition not met in time"
        time.sleep(0.02)


def submit(container: Container, key: str, webhook_url: str | None = None) -> UUID:
    owner = container.api_keys.authenticate(key).id
    return container.tasks.submit(owner, "statistical_plot", {"data_json": "[1, 2]",
                                  "intent": "bars"}, 2, webhook_url, False).id


def event_names(container: Container, aggregate_id: UUID) -> list[str]:
    return [type(e).__name__ for e in container.store.events_of(aggregate_id)]


def test_rebuilt_read_models_equal_the_live_ones(open_container: Open) -> None:
    container = open_container()
    container.start_worker()
    container.start_dispatching()
    busy_history(container)
    container.follower.catch_up()
    live = dict(container.read_models.dump())
    assert live["usage_log"] and live["webhook_deliveries"] and live["tasks"]

    container.read_models.reset()
    container.follower.catch_up()
    assert dict(container.read_models.dump()) == live
    assert container.read_models.position() == container.store.head()


def test_a_write_in_one_process_is_read_in_another(open_container: Open) -> None:
    first, second = open_container(), open_container()
    plaintext, _ = first.api_keys.issue("lab", quota=2)
    submit(first, plaintext)
    assert [k["total_used"] for k in second.api_keys.list()] == [1]
    assert len(second.api_keys.usage_log(second.api_keys.get(plaintext).id)) == 1


def test_each_event_is_dispatched_by_exactly_one_process(open_container: Open) -> None:
    first, second = open_container(), open_container()
    for container in (first, second):
        container.start_dispatching(follow_every=0.02)
    plaintext, _ = first.api_keys.issue("lab")
    submitted = [submit(container, plaintext) for container in (first, second, first) * 4]

    def messages() -> int:
        return sum(c.broker.queues["tasks"].qsize() for c in (first, second))

    wait_until(lambda: messages() >= len(submitted))
    time.sleep(0.1)  # several timer turns of both followers: no late duplicate comes
    assert messages() == len(submitted)


def test_two_workers_given_one_task_complete_it_once(open_container: Open) -> None:
    """The first worker goes silent past the lease, the second takes the task over and
    completes it; the first one's later events lose on the task's version."""
    slow, quick = FakePipeline(), FakePipeline()
    slow.gate = threading.Event()
    first = open_container(slow, lease_seconds=1)
    second = open_container(quick, lease_seconds=1)
    plaintext, _ = first.api_keys.issue("lab")
    task_id = submit(first, plaintext, webhook_url="https://hooks.example.org/x")
    running = threading.Thread(target=first.tasks.run, args=(task_id,))
    running.start()
    wait_until(lambda: slow.runs)
    second.tasks.run(task_id)  # still within the lease: left to the first worker
    assert not quick.runs
    wait_until(lambda: second.tasks.silent_for(second.store.read(task_id)) > 1)

    second.tasks.run(task_id)
    slow.gate.set()
    running.join(timeout=10)

    events = event_names(first, task_id)
    assert events.count("Started") == 2 and events.count("Completed") == 1
    assert events[-1] == "Completed" and first.store.get(task_id).attempts == 2
    first.follower.catch_up()
    assert first.read_models.counts()["webhook_deliveries"] == 1


def test_the_reaper_requeues_a_stalled_task_once_per_lease(open_container: Open) -> None:
    container = open_container(lease_seconds=1)
    other = open_container(lease_seconds=1)
    container.start_dispatching()
    plaintext, _ = container.api_keys.issue("lab")
    task_id = submit(container, plaintext)
    assert container.reaper.reap() == (0, 0)  # not stalled yet
    wait_until(lambda: container.tasks.silent_for(container.store.read(task_id)) > 1)

    assert container.reaper.reap() == (1, 0)
    assert container.reaper.reap() == (0, 0)  # remembered for one lease
    assert other.reaper.reap() == (0, 0)  # not the leader
    assert container.broker.queues["tasks"].qsize() == 2  # dispatched, then re-enqueued


def test_a_postgresql_store_needs_the_shared_secrets(tmp_path: Path, postgres_url: str) -> None:
    for missing in ("cipher_key", "admin_key"):
        settings = shared_settings(tmp_path, postgres_url, **{missing: ""})
        with pytest.raises(SystemExit, match=f"PAPERBANANA_{missing.upper()} must be set"):
            bootstrap(settings, pipelines=fake_pipelines(FakePipeline()))
    assert not (tmp_path / "cipher_key").exists() and not (tmp_path / "admin_key").exists()


def test_an_unreachable_database_is_named_without_its_password(tmp_path: Path) -> None:
    settings = shared_settings(tmp_path, "postgresql://pb:s3cret-pw@127.0.0.1:1/nowhere")
    with pytest.raises(SystemExit) as stopped:
        bootstrap(settings, pipelines=fake_pipelines(FakePipeline()))
    message = str(stopped.value)
    assert message.startswith("PAPERBANANA_EVENT_STORE: cannot use the PostgreSQL database")
    assert "s3cret-pw" not in message


def test_readiness_is_503_naming_the_broker_that_does_not_answer(
        tmp_path: Path, postgres_url: str) -> None:
    settings = shared_settings(tmp_path, postgres_url, broker_url="redis://127.0.0.1:1/0")
    container = bootstrap(settings, pipelines=fake_pipelines(FakePipeline()))
    try:
        client = testing.TestClient(create_app(container))
        ready = client.simulate_get("/api/health/ready")
        assert client.simulate_get("/api/health").status_code == 200
    finally:
        container.close()
    assert ready.status_code == 503
    assert ready.json["detail"] == "not ready: broker unreachable"
    assert ready.json["checks"]["event_store"] == "ok"


def test_readiness_answers_in_time_when_the_broker_hangs(
        tmp_path: Path, postgres_url: str) -> None:
    with socket.create_server(("127.0.0.1", 0)) as silent:  # accepts, never answers
        port = silent.getsockname()[1]
        settings = shared_settings(tmp_path, postgres_url, broker_url=f"redis://127.0.0.1:{port}")
        container = bootstrap(settings, pipelines=fake_pipelines(FakePipeline()))
        try:
            started = time.monotonic()
            failures = container.readiness()
            took = time.monotonic() - started
        finally:
            container.close()
    assert failures == {"event_store": None, "read_models": None,
                        "broker": f"no answer within {READY_SECONDS:g} s"}
    assert took < READY_SECONDS + 1


def test_a_broker_outage_neither_fails_a_submission_nor_loses_its_dispatch(
        open_container: Open, broker_url: str) -> None:
    down = open_container(broker_url="redis://127.0.0.1:1/0")
    down.start_dispatching()
    plaintext, _ = down.api_keys.issue("lab")
    task_id = submit(down, plaintext)  # committed: the failed enqueue is logged, not raised
    assert down.read_models.rows("tasks")[0]["task_id"] == str(task_id)
    before = down.store.head()

    up = open_container(broker_url=broker_url)  # the same deployment, its broker answering
    up.start_dispatching()
    assert up.broker.client.llen("dramatiq:tasks") == 1
    assert up.follower.consumers[-1].position() == before


def test_postgresql_blobs_serve_the_figure_to_every_process(open_container: Open) -> None:
    first, second = open_container(), open_container()
    plaintext, _ = first.api_keys.issue("lab")
    task_id = submit(first, plaintext)
    first.tasks.run(task_id)
    owner = second.api_keys.authenticate(plaintext)
    png, media_type = second.tasks.artifact(str(task_id), owner)
    assert png.startswith(b"\x89PNG") and media_type == "image/png"
    assert not (Path(second.settings.data_dir) / "blobs").exists()


def test_the_embedded_broker_with_a_shared_store_recovers_through_the_reaper(
        tmp_path: Path, postgres_url: str) -> None:
    """Settings that keep an in-process worker but share PostgreSQL still get leases."""
    settings = shared_settings(tmp_path, postgres_url)
    container = bootstrap(settings, pipelines=fake_pipelines(FakePipeline()),
                          broker=StubBroker())
    try:
        assert container.tasks.lease == settings.lease_seconds
        assert container.reaper is not None and container.persistence.shared
    finally:
        container.close()

"""Running tasks: idempotent jobs, honest failures, and what the event store keeps."""

from __future__ import annotations

from pathlib import Path
from uuid import uuid4

from application.event_store import KEY_SNAPSHOT_INTERVAL
from entrypoints.bootstrap import Container, bootstrap
from tests.conftest import make_settings, wait_for_jobs
from tests.fakes import FakePipeline


def submit(container: Container, kind: str = "statistical_plot", **extra):
    plaintext, _ = container.api_keys.issue("k", webhook_secret="hook-secret-value")
    key = container.api_keys.authenticate(plaintext)
    return plaintext, container.tasks.submit(key.id, kind, {"data_json": "[1, 2]", "intent": "x"},
                                             extra.get("iterations", 1), None, False)


def test_a_duplicate_message_for_a_finished_task_does_nothing(
        container: Container, pipeline: FakePipeline) -> None:
    _, task = submit(container)
    wait_for_jobs(container)
    version = container.store.get(task.id).version
    container.queue.enqueue_task(task.id)
    container.tasks.run(task.id)
    wait_for_jobs(container)
    assert len(pipeline.runs) == 1
    assert container.store.get(task.id).version == version


def test_a_message_for_an_unknown_task_does_nothing(container: Container) -> None:
    container.tasks.run(uuid4())


def test_without_a_pipeline_the_task_fails_with_a_clear_error(tmp_path: Path) -> None:
    container = bootstrap(make_settings(tmp_path / "var"), pipelines={})
    try:
        container.start_worker()
        container.start_dispatching()
        _, task = submit(container, kind="methodology")
        wait_for_jobs(container)
        finished = container.store.get(task.id)
        assert finished.status.value == "failed"
        assert finished.error == "no figure pipeline is installed for methodology tasks"
    finally:
        container.close()


def test_an_unexpected_pipeline_crash_fails_the_task_without_leaking_internals(
        container: Container, pipeline: FakePipeline) -> None:
    def crash(request, on_iteration):
        raise ZeroDivisionError("secret internals")

    pipeline.generate = crash
    _, task = submit(container)
    wait_for_jobs(container)
    finished = container.store.get(task.id)
    assert finished.status.value == "failed"
    assert finished.error == "internal error while generating the figure"


def test_plaintext_keys_and_webhook_secrets_are_never_stored(container: Container,
                                                             tmp_path: Path) -> None:
    plaintext, task = submit(container)
    wait_for_jobs(container)
    stored = b"".join(p.read_bytes() for p in (tmp_path / "var").rglob("*") if p.is_file())
    assert plaintext.encode() not in stored
    assert b"hook-secret-value" not in stored
    assert b'"intent"' not in stored, "events are encrypted at rest"


def test_the_audit_replays_quota_arithmetic(container: Container) -> None:
    plaintext, _ = container.api_keys.issue("audited", quota=3)
    key = container.api_keys.authenticate(plaintext)
    for _ in range(2):
        container.tasks.submit(key.id, "statistical_plot", {"a": "b"}, 1, None, False)
        key = container.api_keys.authenticate(plaintext)
    container.api_keys.update(plaintext, quota_remaining=5)
    _, entries = container.api_keys.audit(plaintext)
    assert [(e.event, e.quota_remaining, e.total_used) for e in entries] == [
        ("Issued", 3, 0), ("QuotaConsumed", 2, 1), ("QuotaConsumed", 1, 2), ("QuotaSet", 5, 2)]
    assert all("hook-secret" not in e.detail for e in entries)


def test_key_streams_are_snapshotted(container: Container) -> None:
    plaintext, _ = container.api_keys.issue("busy")
    for _ in range(KEY_SNAPSHOT_INTERVAL):
        key = container.api_keys.authenticate(plaintext)
        container.tasks.submit(key.id, "statistical_plot", {"a": "b"}, 1, None, False)
    snapshots = list(container.store.snapshots.get(key.id))
    assert [s.originator_version for s in snapshots] == [KEY_SNAPSHOT_INTERVAL]
    assert container.api_keys.authenticate(plaintext).total_used == KEY_SNAPSHOT_INTERVAL

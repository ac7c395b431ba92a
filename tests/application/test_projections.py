"""Read models are projections: rebuilt from position 0 they equal the live ones."""

from __future__ import annotations

from uuid import UUID

from entrypoints.bootstrap import Container
from tests.conftest import wait_for_jobs
from tests.fakes import FakePipeline


def busy_history(container: Container) -> None:
    """Keys issued, used, updated, deactivated and deleted; tasks completed and failed."""
    api_keys, tasks = container.api_keys, container.tasks
    first, _ = api_keys.issue("first", quota=5, webhook_url="https://a.example/h",
                              webhook_secret="s")
    second, _ = api_keys.issue("second")
    gone, _ = api_keys.issue("gone", quota=1)
    for plaintext, kind in ((first, "statistical_plot"), (first, "methodology"),
                            (second, "statistical_plot"), (gone, "methodology")):
        tasks.submit(api_keys.authenticate(plaintext).id, kind, {"x": "y"}, 2, None, False)
    api_keys.update(first, quota_remaining=10, quota_total=12)
    api_keys.update(second, active=False, webhook_url="https://b.example/h")
    api_keys.delete(gone)
    wait_for_jobs(container)


def test_rebuild_gives_the_same_read_models(container: Container) -> None:
    busy_history(container)
    container.follower.catch_up()
    live = dict(container.read_models.dump())
    assert live["usage_log"] and live["webhook_deliveries"] and live["tasks"]

    container.read_models.reset()
    assert sum(container.read_models.counts().values()) == 0
    container.follower.catch_up()

    assert dict(container.read_models.dump()) == live
    assert container.read_models.position() == container.store.head()


def test_key_rows_agree_with_the_aggregates(container: Container) -> None:
    busy_history(container)
    for row in container.api_keys.list():
        key = container.store.get(UUID(row["id"]))
        assert (row["quota_remaining"], row["quota_total"], row["total_used"], row["active"]) == (
            key.quota_remaining, key.quota_total, key.total_used, key.active)


def test_failed_tasks_project_their_error(container: Container, pipeline: FakePipeline) -> None:
    pipeline.fail_with = "no numbers"
    plaintext, _ = container.api_keys.issue("k")
    task = container.tasks.submit(container.api_keys.authenticate(plaintext).id, "statistical_plot",
                                  {"data_json": "[1]", "intent": "x"}, 1, None, False)
    wait_for_jobs(container)
    (row,) = container.read_models.rows("tasks", {"task_id": str(task.id)})
    assert (row["status"], row["error"], row["attempts"]) == ("failed", "no numbers", 1)

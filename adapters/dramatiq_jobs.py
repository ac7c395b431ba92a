"""The job queue on dramatiq: actors take ids only and call back into the application."""

from __future__ import annotations

from collections.abc import Callable
from uuid import UUID

import dramatiq
from dramatiq.brokers.stub import StubBroker

from application.ports import JobQueue

TASKS_QUEUE = "tasks"
RUN_TASK_RETRIES = 3


def make_broker(url: str | None) -> dramatiq.Broker:
    """A Redis broker for `redis://` URLs, else the in-process StubBroker (embedded)."""
    if url:
        from dramatiq.brokers.redis import RedisBroker

        return RedisBroker(url=url)
    return StubBroker()


class DramatiqJobQueue(JobQueue):
    def __init__(self, broker: dramatiq.Broker, run_task: Callable[[UUID], None]) -> None:
        self.broker = broker

        def run_task_job(task_id: str) -> None:
            run_task(UUID(task_id))

        self.run_task = dramatiq.actor(
            run_task_job, broker=broker, actor_name="run_task", queue_name=TASKS_QUEUE,
            max_retries=RUN_TASK_RETRIES,
        )

    def enqueue_task(self, task_id: UUID) -> None:
        self.run_task.send(str(task_id))

    @property
    def queues(self) -> set[str]:
        return {TASKS_QUEUE}

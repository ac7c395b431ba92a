"""The job queue on dramatiq: actors take ids only and call back into the application."""

from __future__ import annotations

from collections.abc import Callable
from uuid import UUID

import dramatiq
from dramatiq.brokers.stub import StubBroker

from application.ports import JobQueue

TASKS_QUEUE = "tasks"
WEBHOOKS_QUEUE = "webhooks"
JOB_RETRIES = 3


def make_broker(url: str | None) -> dramatiq.Broker:
    """A Redis broker for `redis://` URLs, else the in-process StubBroker (embedded)."""
    if url:
        from dramatiq.brokers.redis import RedisBroker

        return RedisBroker(url=url)
    return StubBroker()


class DramatiqJobQueue(JobQueue):
    """Task runs and webhook deliveries, each on its own queue (a worker consumes both).
    Webhook retries are delayed messages, held by the broker until due, not sleeping
    workers; dramatiq's own retries only cover unexpected job crashes."""

    def __init__(self, broker: dramatiq.Broker, run_task: Callable[[UUID], None],
                 deliver: Callable[[UUID], None]) -> None:
        self.broker = broker

        def run_task_job(task_id: str) -> None:
            run_task(UUID(task_id))

        def deliver_webhook_job(delivery_id: str) -> None:
            deliver(UUID(delivery_id))

        self.run_task = dramatiq.actor(
            run_task_job, broker=broker, actor_name="run_task", queue_name=TASKS_QUEUE,
            max_retries=JOB_RETRIES,
        )
        self.deliver_webhook = dramatiq.actor(
            deliver_webhook_job, broker=broker, actor_name="deliver_webhook",
            queue_name=WEBHOOKS_QUEUE, max_retries=JOB_RETRIES,
        )

    def enqueue_task(self, task_id: UUID) -> None:
        self.run_task.send(str(task_id))

    def enqueue_delivery(self, delivery_id: UUID, delay_seconds: float) -> None:
        self.deliver_webhook.send_with_options(
            args=(str(delivery_id),), delay=round(delay_seconds * 1000) or None)

    def ping(self) -> None:
        """Raise when the broker does not answer (the in-process broker always does)."""
        client = getattr(self.broker, "client", None)
        if client is not None:
            client.ping()

    @property
    def queues(self) -> tuple[str, ...]:
        """The queues a worker consumes, in the order work flows through them."""
        return (TASKS_QUEUE, WEBHOOKS_QUEUE)

"""Turns recorded events into jobs: side effects leave through the event store."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from application.ports import JobQueue
from domain.task import Task
from domain.webhook_delivery import WebhookDelivery


class Dispatcher:
    """Enqueues a run for every Task.Submitted and a first attempt for every
    WebhookDelivery.Scheduled it sees.

    Its position lives in memory: on start it begins at the head of the log and the
    unfinished tasks and pending deliveries are re-dispatched from the read models
    instead (jobs are idempotent, so work dispatched twice still happens once).
    """

    name = "dispatcher"

    def __init__(self, queue: JobQueue, start: int = 0) -> None:
        self.queue = queue
        self._position = start

    def position(self) -> int:
        return self._position

    def process(self, after: int, batch: Sequence[tuple[int, Any]]) -> None:
        for position, event in batch:
            if isinstance(event, Task.Submitted):
                self.queue.enqueue_task(event.originator_id)
            elif isinstance(event, WebhookDelivery.Scheduled):
                self.queue.enqueue_delivery(event.originator_id, 0)
            self._position = position

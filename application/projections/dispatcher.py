"""Turns recorded events into jobs: side effects leave through the event store."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from application.ports import JobQueue
from application.projections.positions import Position
from domain.task import Task
from domain.webhook_delivery import WebhookDelivery


class Dispatcher:
    """Enqueues a run for every Task.Submitted and a first attempt for every
    WebhookDelivery.Scheduled it sees.

    Embedded, its position lives in memory: on start it begins at the head of the log
    and the unfinished tasks and pending deliveries are re-dispatched from the read
    models instead. Processes sharing a PostgreSQL store share its position, so each
    batch is dispatched by the one process that claims it (ADR 0013).
    """

    name = "dispatcher"
    deferrable = True  # a broker outage must not fail the request that committed

    def __init__(self, queue: JobQueue, position: Position) -> None:
        self.queue = queue
        self._position = position

    def position(self) -> int:
        return self._position.get()

    def process(self, after: int, batch: Sequence[tuple[int, Any]]) -> None:
        with self._position.advance(after, batch[-1][0]):
            for _, event in batch:
                if isinstance(event, Task.Submitted):
                    self.queue.enqueue_task(event.originator_id)
                elif isinstance(event, WebhookDelivery.Scheduled):
                    self.queue.enqueue_delivery(event.originator_id, 0)

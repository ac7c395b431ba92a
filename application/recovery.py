"""Recovery when workers are separate processes: work whose worker went silent is queued
again, so nothing accepted is lost (ADR 0013)."""

from __future__ import annotations

import logging
import time
from uuid import UUID

from application.ports import JobQueue, Leadership
from application.tasks import Tasks
from application.webhooks import WebhookDeliveries

log = logging.getLogger(__name__)


class SoleLeader(Leadership):
    """The one process that does the chore (a single `serve` over SQLite)."""

    def held(self) -> bool:
        return True


class Reaper:
    """Re-enqueues the tasks and webhook deliveries silent for longer than the lease.

    Only the process holding `leadership` reaps. It remembers what it enqueued for one
    lease, so a long queue gets at most one extra message per task per lease; the jobs
    themselves decide, by version, who runs (ADR 0006).
    """

    def __init__(self, tasks: Tasks, deliveries: WebhookDeliveries, queue: JobQueue,
                 leadership: Leadership, lease: float) -> None:
        self.tasks = tasks
        self.deliveries = deliveries
        self.queue = queue
        self.leadership = leadership
        self.lease = lease
        self._enqueued: dict[UUID, float] = {}

    def reap(self) -> tuple[int, int]:
        """One pass: the counts of tasks and deliveries enqueued again."""
        if not self.leadership.held():
            return 0, 0
        now = time.monotonic()
        self._enqueued = {k: at for k, at in self._enqueued.items() if now - at < self.lease}
        tasks = [t for t in self.tasks.stalled(self.lease) if t not in self._enqueued]
        deliveries = [d for d in self.deliveries.overdue(self.lease) if d not in self._enqueued]
        for task_id in tasks:
            self.queue.enqueue_task(task_id)
            self._enqueued[task_id] = now
        for delivery_id in deliveries:
            self.queue.enqueue_delivery(delivery_id, 0)
            self._enqueued[delivery_id] = now
        if tasks or deliveries:
            log.info("re-enqueued %d stalled task(s) and %d overdue webhook delivery(ies)",
                     len(tasks), len(deliveries))
        return len(tasks), len(deliveries)

"""Use cases of webhook deliveries: schedule on a task's end, deliver with retries, read history.

A delivery job makes one attempt, records it, and, while the delivery is pending, asks the
job queue for the next one after the retry delay (a delayed message, never a sleeping
worker). Retry delays are the domain's, multiplied by `retry_scale` (tests shorten them).
"""

from __future__ import annotations

import time
from datetime import datetime
from typing import Any
from uuid import UUID

from application.event_store import AggregateNotFoundError, EventStore, IntegrityError
from application.ports import BlobStore, Clock, DeliveryFailed, JobQueue, WebhookSender
from application.projections.follower import Follower
from application.projections.read_models import ReadModels
from application.task_object import task_object
from application.webhook_message import webhook_message
from domain.api_key import ApiKey
from domain.task import Task, TaskStatus
from domain.webhook_delivery import WebhookDelivery

EVENT_NAMES = {TaskStatus.COMPLETED: "task.completed", TaskStatus.FAILED: "task.failed"}


class WebhookDeliveries:
    def __init__(self, store: EventStore, clock: Clock, read_models: ReadModels,
                 follower: Follower, blobs: BlobStore, queue: JobQueue, sender: WebhookSender,
                 *, public_url: str, user_agent: str, retry_scale: float = 1.0) -> None:
        self.store = store
        self.clock = clock
        self.read_models = read_models
        self.follower = follower
        self.blobs = blobs
        self.queue = queue
        self.sender = sender
        self.public_url = public_url.rstrip("/")
        self.user_agent = user_agent
        self.retry_scale = retry_scale

    def schedule_for(self, task: Task) -> list[WebhookDelivery]:
        """The delivery a finished task owes its webhook, unsaved, to save with the task."""
        if not task.webhook_url or task.status not in EVENT_NAMES:
            return []
        return [WebhookDelivery(
            task_id=task.id, event_name=EVENT_NAMES[task.status], key_id=task.owner_key_id,
            url=task.webhook_url, include_image=task.webhook_include_image,
            at=self.clock.now(),
        )]

    def deliver(self, delivery_id: UUID) -> None:
        """Make the next attempt of a pending delivery, record it, schedule the one after.

        A finished or unknown delivery is left alone, so a duplicate job costs one read;
        so is one whose next attempt is not due yet (a duplicate job, such as a dead
        worker's message given again after its retry was enqueued); a job that loses the
        race to record the same attempt leaves the rest to the winner.
        """
        try:
            delivery: WebhookDelivery = self.store.get(delivery_id)
        except AggregateNotFoundError:
            return
        if delivery.finished or self._until_due(delivery, self.clock.now()) > 0:
            return
        status_code, error, duration_ms = self._attempt(delivery)
        at = self.clock.now()
        delivery.record_attempt(status_code, error, duration_ms, at)
        try:
            self.store.commit(delivery)
        except IntegrityError:
            return
        if not delivery.finished:
            self.queue.enqueue_delivery(delivery.id, self._due_in(delivery, at))

    def _attempt(self, delivery: WebhookDelivery) -> tuple[int | None, str | None, float]:
        """POST the delivery once: (status code, error, duration in ms)."""
        key: ApiKey = self.store.read(delivery.key_id)
        if key.deleted:
            return None, "not sent: the API key was deleted", 0.0
        task: Task = self.store.read(delivery.task_id)
        completed = task.status is TaskStatus.COMPLETED
        body, headers = webhook_message(
            delivery, task_object(task, self.blobs, delivery.include_image),
            f"{self.public_url}/api/tasks/{task.id}/image" if completed else None,
            key.webhook_secret, self.user_agent, self.clock.now())
        started = time.monotonic()
        try:
            status_code = self.sender.post(delivery.url, body, headers)
        except DeliveryFailed as failure:
            status_code, error = None, str(failure)
        else:
            error = "redirect not followed" if 300 <= status_code < 400 else None
        return status_code, error, round((time.monotonic() - started) * 1000, 1)

    def _due_in(self, delivery: WebhookDelivery, now: datetime) -> float:
        """Seconds from `now` until the delivery's next attempt, 0 when it is due."""
        return max(0.0, self._until_due(delivery, now))

    def _until_due(self, delivery: WebhookDelivery, now: datetime) -> float:
        """Seconds from `now` until the next attempt by the scaled schedule; negative when
        it is late."""
        delay = delivery.next_retry_delay * self.retry_scale
        if delivery.attempts:
            delay -= (now - delivery.attempts[-1]["at"]).total_seconds()
        else:
            delay -= (now - delivery.scheduled_at).total_seconds()
        return delay

    def pending(self) -> list[tuple[UUID, float]]:
        """Deliveries still owed, each with the seconds until it is due: to dispatch again
        after a restart (an embedded broker's messages die with the process)."""
        return [(delivery_id, max(0.0, until_due)) for delivery_id, until_due in self._owed()]

    def overdue(self, lease: float) -> list[UUID]:
        """Deliveries whose attempt is late by more than `lease`: their message was lost
        with a worker that died."""
        return [delivery_id for delivery_id, until_due in self._owed() if until_due < -lease]

    def _owed(self) -> list[tuple[UUID, float]]:
        self.follower.catch_up()
        now = self.clock.now()
        rows = self.read_models.rows("webhook_deliveries", {"status": "pending"},
                                     order_by="created_at")
        owed = [self.store.read(UUID(row["delivery_id"])) for row in rows]
        return [(delivery.id, self._until_due(delivery, now)) for delivery in owed
                if not delivery.finished]  # finished since the row was read

    def history(self, key_id: str | None = None, status: str | None = None,
                limit: int = 100, offset: int = 0) -> list[dict[str, Any]]:
        """Deliveries newest first, each with its attempts."""
        self.follower.catch_up()
        where = {k: v for k, v in (("key_id", key_id), ("status", status)) if v}
        deliveries = self.read_models.rows("webhook_deliveries", where, order_by="created_at",
                                           descending=True, limit=limit, offset=offset)
        for delivery in deliveries:
            delivery["attempts"] = self.read_models.rows(
                "webhook_attempts", {"delivery_id": delivery["delivery_id"]}, order_by="number")
        return deliveries

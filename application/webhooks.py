"""Use cases of webhook deliveries: schedule on a task's end, record attempts, read history.

Sending is done by a delivery job (a later issue); this service owns the lifecycle.
"""

from __future__ import annotations

from typing import Any
from uuid import UUID

from application.errors import NotFound
from application.event_store import AggregateNotFoundError, EventStore
from application.ports import Clock
from application.projections.follower import Follower
from application.projections.read_models import ReadModels
from domain.task import Task, TaskStatus
from domain.webhook_delivery import WebhookDelivery

EVENT_NAMES = {TaskStatus.COMPLETED: "task.completed", TaskStatus.FAILED: "task.failed"}


class WebhookDeliveries:
    def __init__(self, store: EventStore, clock: Clock, read_models: ReadModels,
                 follower: Follower) -> None:
        self.store = store
        self.clock = clock
        self.read_models = read_models
        self.follower = follower

    def schedule_for(self, task: Task) -> list[WebhookDelivery]:
        """The delivery a finished task owes its webhook, unsaved, to save with the task."""
        if not task.webhook_url or task.status not in EVENT_NAMES:
            return []
        return [WebhookDelivery(
            task_id=task.id, event_name=EVENT_NAMES[task.status], key_id=task.owner_key_id,
            url=task.webhook_url, include_image=task.webhook_include_image,
            at=self.clock.now(),
        )]

    def record_attempt(self, delivery_id: UUID, status_code: int | None, error: str | None,
                       duration_ms: float) -> WebhookDelivery:
        delivery = self.get(delivery_id)
        delivery.record_attempt(status_code, error, duration_ms, self.clock.now())
        self.store.commit(delivery)
        return delivery

    def get(self, delivery_id: UUID) -> WebhookDelivery:
        try:
            return self.store.get(delivery_id)
        except AggregateNotFoundError:
            raise NotFound("webhook delivery not found") from None

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

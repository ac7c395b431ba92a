"""The WebhookDelivery aggregate: one notification of a finished task, and its attempts.

A delivery is scheduled when its task finishes; each attempt is recorded; it ends
delivered (a 2xx answer) or abandoned (after MAX_ATTEMPTS failures). Its id derives
from the task and event, so scheduling twice yields the same stream.
"""

from __future__ import annotations

from datetime import datetime
from uuid import NAMESPACE_URL, UUID, uuid5

from eventsourcing.domain import Aggregate, event

from domain.errors import IllegalTransition

RETRY_DELAYS_SECONDS = (5, 15, 60)
MAX_ATTEMPTS = len(RETRY_DELAYS_SECONDS) + 1
DELIVERY_NAMESPACE = uuid5(NAMESPACE_URL, "https://paperbanana.dev/webhook-delivery")


def delivery_id_for(task_id: UUID, event_name: str) -> UUID:
    return uuid5(DELIVERY_NAMESPACE, f"{task_id}:{event_name}")


class WebhookDelivery(Aggregate):
    @staticmethod
    def create_id(task_id: UUID, event_name: str) -> UUID:
        return delivery_id_for(task_id, event_name)

    @event("Scheduled")
    def __init__(
        self,
        task_id: UUID,
        event_name: str,
        key_id: UUID,
        url: str,
        include_image: bool,
        at: datetime,
    ) -> None:
        self.task_id = task_id
        self.event_name = event_name
        self.key_id = key_id
        self.url = url
        self.include_image = include_image
        self.scheduled_at = at
        self.attempts: list[dict] = []
        self.status = "pending"

    @property
    def finished(self) -> bool:
        return self.status != "pending"

    @property
    def next_retry_delay(self) -> int | None:
        """Seconds to wait before the next attempt, or None when none is due."""
        if self.finished:
            return None
        return RETRY_DELAYS_SECONDS[len(self.attempts) - 1] if self.attempts else 0

    def record_attempt(
        self, status_code: int | None, error: str | None, duration_ms: float, at: datetime
    ) -> None:
        if self.finished:
            raise IllegalTransition(f"delivery is already {self.status}")
        self._attempted(
            number=len(self.attempts) + 1, status_code=status_code, error=error,
            duration_ms=duration_ms, at=at,
        )
        if status_code is not None and 200 <= status_code < 300:
            self._delivered(at=at)
        elif len(self.attempts) >= MAX_ATTEMPTS:
            self._abandoned(at=at)

    @event("AttemptRecorded")
    def _attempted(
        self, number: int, status_code: int | None, error: str | None, duration_ms: float,
        at: datetime,
    ) -> None:
        self.attempts.append(
            {"number": number, "status_code": status_code, "error": error,
             "duration_ms": duration_ms, "at": at}
        )

    @event("Delivered")
    def _delivered(self, at: datetime) -> None:
        self.status = "delivered"

    @event("Abandoned")
    def _abandoned(self, at: datetime) -> None:
        self.status = "abandoned"

"""Maps domain events to read-model rows: the usage log, key list, tasks and webhook history."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime
from typing import Any

from application.projections.read_models import ReadModels, ReadModelWriter
from domain.api_key import ApiKey
from domain.task import Task
from domain.webhook_delivery import WebhookDelivery

Handler = Callable[[ReadModelWriter, int, Any], None]


def _iso(at: datetime | None) -> str | None:
    return at.isoformat() if at else None


def _key(event: Any) -> dict[str, str]:
    return {"key_id": str(event.originator_id)}


def _task(event: Any) -> dict[str, str]:
    return {"task_id": str(event.originator_id)}


def _delivery(event: Any) -> dict[str, str]:
    return {"delivery_id": str(event.originator_id)}


def _key_issued(w: ReadModelWriter, _: int, e: ApiKey.Issued) -> None:
    w.insert("api_keys", {
        **_key(e), "name": e.name, "prefix": e.prefix, "quota_remaining": e.quota,
        "quota_total": e.quota, "total_used": 0, "active": True, "created_at": _iso(e.at),
        "webhook_url": e.webhook_url, "has_webhook_secret": bool(e.webhook_secret),
    })


def _quota_consumed(w: ReadModelWriter, position: int, e: Any) -> None:
    w.update("api_keys", _key(e), increments={"total_used": 1, "quota_remaining": -1})
    w.insert("usage_log", {"id": position, **_key(e), "task_id": e.task_id,
                           "endpoint": e.endpoint, "created_at": _iso(e.at)})


def _key_deleted(w: ReadModelWriter, _: int, e: Any) -> None:
    w.delete("usage_log", _key(e))
    w.delete("api_keys", _key(e))


def _task_submitted(w: ReadModelWriter, _: int, e: Task.Submitted) -> None:
    w.insert("tasks", {
        **_task(e), "key_id": str(e.owner_key_id), "kind": e.kind, "status": "pending",
        "iterations": e.iterations, "rounds_done": 0, "attempts": 0,
        "created_at": _iso(e.at), "started_at": None, "finished_at": None, "error": None,
    })


def _delivery_scheduled(w: ReadModelWriter, _: int, e: WebhookDelivery.Scheduled) -> None:
    w.insert("webhook_deliveries", {
        **_delivery(e), "task_id": str(e.task_id), "key_id": str(e.key_id),
        "event": e.event_name, "url": e.url, "status": "pending", "attempts": 0,
        "created_at": _iso(e.at), "updated_at": _iso(e.at),
    })


def _attempt_recorded(w: ReadModelWriter, _: int, e: Any) -> None:
    w.update("webhook_deliveries", _delivery(e), {"updated_at": _iso(e.at)}, {"attempts": 1})
    w.insert("webhook_attempts", {
        **_delivery(e), "number": e.number, "status_code": e.status_code,
        "error": e.error, "duration_ms": e.duration_ms, "at": _iso(e.at),
    })


def _set(table: str, key: Callable[[Any], dict[str, str]],
         changes: Callable[[Any], dict[str, Any]],
         increments: dict[str, int] | None = None) -> Handler:
    """A handler that updates one row from the event's attributes."""
    return lambda w, _, e: w.update(table, key(e), changes(e), increments)


HANDLERS: dict[type, Handler] = {
    ApiKey.Issued: _key_issued,
    ApiKey.QuotaConsumed: _quota_consumed,
    ApiKey.QuotaSet: _set("api_keys", _key, lambda e: {
        "quota_remaining": e.remaining, "quota_total": e.total}),
    ApiKey.Activated: _set("api_keys", _key, lambda e: {"active": True}),
    ApiKey.Deactivated: _set("api_keys", _key, lambda e: {"active": False}),
    ApiKey.WebhookDefaultsChanged: _set("api_keys", _key, lambda e: {
        "webhook_url": e.url, "has_webhook_secret": bool(e.secret)}),
    ApiKey.Deleted: _key_deleted,
    Task.Submitted: _task_submitted,
    Task.Started: _set("tasks", _task, lambda e: {
        "status": "running", "started_at": _iso(e.at), "rounds_done": 0}, {"attempts": 1}),
    Task.IterationRecorded: _set("tasks", _task, lambda e: {"rounds_done": e.iteration}),
    Task.Completed: _set("tasks", _task, lambda e: {
        "status": "completed", "finished_at": _iso(e.at)}),
    Task.Failed: _set("tasks", _task, lambda e: {
        "status": "failed", "finished_at": _iso(e.at), "error": e.error}),
    WebhookDelivery.Scheduled: _delivery_scheduled,
    WebhookDelivery.AttemptRecorded: _attempt_recorded,
    WebhookDelivery.Delivered: _set("webhook_deliveries", _delivery, lambda e: {
        "status": "delivered", "updated_at": _iso(e.at)}),
    WebhookDelivery.Abandoned: _set("webhook_deliveries", _delivery, lambda e: {
        "status": "abandoned", "updated_at": _iso(e.at)}),
}


class Projector:
    """Applies batches of events to the read models, each batch with its position."""

    name = "read-models"
    deferrable = False  # readers need it caught up

    def __init__(self, read_models: ReadModels) -> None:
        self.read_models = read_models

    def position(self) -> int:
        return self.read_models.position()

    def process(self, after: int, batch: Sequence[tuple[int, Any]]) -> None:
        with self.read_models.transaction(after, batch[-1][0]) as writer:
            for position, event in batch:
                handler = HANDLERS.get(type(event))
                if handler is not None:
                    handler(writer, position, event)

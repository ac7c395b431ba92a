"""Use cases of tasks: submit against quota, read, run through a figure pipeline, recover."""

from __future__ import annotations

import logging
import random
import time
from collections.abc import Mapping
from datetime import datetime
from typing import Any
from uuid import UUID, uuid4

from application.errors import Forbidden, NotFound
from application.event_store import AggregateNotFoundError, EventStore, IntegrityError
from application.ports import (
    BlobStore,
    Clock,
    FigureFailed,
    FigurePipeline,
    FigureRequest,
)
from application.projections.follower import Follower
from application.projections.read_models import ReadModels
from application.task_object import task_object
from application.webhooks import WebhookDeliveries
from domain.api_key import ApiKey
from domain.errors import DomainError, IllegalTransition
from domain.task import Task, TaskKind, TaskStatus

log = logging.getLogger(__name__)

ENDPOINTS = {TaskKind.METHODOLOGY.value: "generate", TaskKind.STATISTICAL_PLOT.value: "plot"}
MAX_SUBMIT_ATTEMPTS = 200
MEDIA_TYPES = {"png": "image/png", "svg": "image/svg+xml", "spec": "application/json"}


class TakenOver(Exception):
    """Another worker recorded an event on the task first: it runs the task now."""


class Tasks:
    """`lease` (seconds) is set when other processes run tasks too: a running task is then
    left to its worker until it has shown no sign of life for that long (ADR 0013)."""

    def __init__(self, store: EventStore, clock: Clock, blobs: BlobStore,
                 pipelines: Mapping[str, FigurePipeline], deliveries: WebhookDeliveries,
                 read_models: ReadModels, follower: Follower,
                 lease: float | None = None) -> None:
        self.store = store
        self.clock = clock
        self.blobs = blobs
        self.pipelines = pipelines
        self.deliveries = deliveries
        self.read_models = read_models
        self.follower = follower
        self.lease = lease

    def submit(self, key_id: UUID, kind: str, inputs: dict[str, Any], iterations: int,
               webhook_url: str | None, webhook_include_image: bool) -> Task:
        """Deduct one unit of quota and record the task in one atomic save.

        Concurrent submissions on one key conflict on its version; the loser reloads
        the key and tries again, so a key with quota N accepts exactly N. A key deleted
        meanwhile refuses (Forbidden) through its own rules.
        """
        for _ in range(MAX_SUBMIT_ATTEMPTS):
            key: ApiKey = self.store.get(key_id)
            now = self.clock.now()
            task = Task(
                id=uuid4(), kind=kind, inputs=inputs, iterations=iterations,
                webhook_url=webhook_url or key.webhook_url,
                webhook_include_image=webhook_include_image, owner_key_id=key.id, at=now,
            )
            try:
                key.consume(str(task.id), ENDPOINTS[kind], now)
            except DomainError as refusal:
                raise Forbidden(str(refusal)) from None
            try:
                self.store.commit(key, task)
            except IntegrityError:
                time.sleep(random.uniform(0, 0.005))
                continue
            return task
        raise RuntimeError("too much contention on this API key; try again")

    def get(self, task_id: str, owner: ApiKey) -> Task:
        """The caller's task; another key's task is as absent as an unknown one."""
        try:
            task = self.store.read(UUID(task_id))
        except (ValueError, AggregateNotFoundError):
            raise NotFound("task not found") from None
        if not isinstance(task, Task) or task.owner_key_id != owner.id:
            raise NotFound("task not found")
        return task

    def artifact(self, task_id: str, owner: ApiKey, name: str = "png") -> tuple[bytes, str]:
        """A completed task's PNG, or one of its extras ("svg", "spec"), with its media type."""
        task = self.get(task_id, owner)
        if task.status is not TaskStatus.COMPLETED:
            raise NotFound(f"{name} not ready: the task is {task.status.value}")
        ref = task.image_ref if name == "png" else task.artifacts.get(name)
        if ref is None:
            raise NotFound(f"this task has no {name}")
        return self.blobs.get(ref), MEDIA_TYPES[name]

    def run(self, task_id: UUID) -> None:
        """Run one task through its pipeline; a finished task is left alone, and so is one
        another worker runs. Every commit is decided by the task's version: a worker whose
        event loses to another's stops, so two workers never both complete a task."""
        try:
            task: Task = self.store.get(task_id)
            if not self.claimable(task):
                return
            task.start(self.clock.now())
            self.store.commit(task)
        except (AggregateNotFoundError, IllegalTransition, IntegrityError):
            return
        request = FigureRequest(task_id=task.id, kind=task.kind, inputs=task.inputs,
                                iterations=task.iterations)

        def on_iteration(notes: list[str]) -> None:
            task.record_iteration(notes, self.clock.now())
            try:
                self.store.commit(task)
            except IntegrityError:
                raise TakenOver from None

        try:
            pipeline = self.pipelines.get(task.kind)
            if pipeline is None:
                raise FigureFailed(f"no figure pipeline is installed for {task.kind} tasks")
            figure = pipeline.generate(request, on_iteration)
            image_ref = self.blobs.put(figure.png, "image/png")
            artifacts = {name: self.blobs.put(data, content_type)
                         for name, (data, content_type) in figure.extras.items()}
            task.complete(image_ref, figure.description, artifacts, self.clock.now())
        except TakenOver:
            log.info("task %s was taken over by another worker", task_id)
            return
        except FigureFailed as failure:
            task.fail(str(failure), self.clock.now())
        except Exception:
            log.exception("task %s failed with an internal error", task_id)
            task.fail("internal error while generating the figure", self.clock.now())
        try:
            self.store.commit(task, *self.deliveries.schedule_for(task))
        except IntegrityError:
            log.info("task %s was finished by another worker", task_id)

    def claimable(self, task: Task) -> bool:
        """Pending, or running without a sign of life for longer than the lease (its worker
        is presumed dead). Without a lease every running task is this process's own,
        restarted after a crash."""
        if task.status is not TaskStatus.RUNNING or self.lease is None:
            return True
        return self.silent_for(task) > self.lease

    def silent_for(self, task: Task) -> float:
        """Seconds since the task's last sign of life."""
        return (self.clock.now() - task.last_seen_at).total_seconds()

    def unfinished(self) -> list[UUID]:
        """Tasks accepted but not finished: to be dispatched again after a restart."""
        self.follower.catch_up()
        return [UUID(row["task_id"])
                for status in (TaskStatus.PENDING, TaskStatus.RUNNING)
                for row in self.read_models.rows("tasks", {"status": status.value},
                                                 order_by="created_at")]

    def stalled(self, lease: float) -> list[UUID]:
        """Unfinished tasks silent for longer than `lease`: pending ones whose message may
        be lost, running ones whose worker died. Pending tasks are judged by their row
        alone, so a long queue costs no aggregate reads."""
        self.follower.catch_up()
        now = self.clock.now()
        pending = [UUID(row["task_id"]) for row in self.read_models.rows(
            "tasks", {"status": TaskStatus.PENDING.value}, order_by="created_at")
            if (now - datetime.fromisoformat(row["created_at"])).total_seconds() > lease]
        running = [UUID(row["task_id"]) for row in self.read_models.rows(
            "tasks", {"status": TaskStatus.RUNNING.value}, order_by="created_at")]
        return pending + [task_id for task_id in running
                          if self.silent_for(self.store.read(task_id)) > lease]

    def view(self, task: Task, with_image: bool = True) -> dict[str, Any]:
        """The task object of the contract, plus progress fields."""
        return {
            **task_object(task, self.blobs, with_image),
            "started_at": task.started_at.isoformat() if task.started_at else None,
            "iterations": task.iterations,
            "iterations_completed": len(task.rounds),
            "critic_notes": [{"iteration": r["iteration"], "notes": r["notes"]}
                             for r in task.rounds],
        }

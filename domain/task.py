"""The Task aggregate: one figure request from submission to its result.

Lifecycle: pending -> running -> completed | failed. A running task may be started
again: that is a new attempt after its worker was lost, and it restarts the rounds.
"""

from __future__ import annotations

from datetime import datetime
from enum import Enum
from typing import Any
from uuid import UUID

from eventsourcing.domain import Aggregate, event

from domain.errors import IllegalTransition

MAX_ITERATIONS = 10


class TaskKind(str, Enum):
    METHODOLOGY = "methodology"
    STATISTICAL_PLOT = "statistical_plot"


class TaskStatus(str, Enum):
    PENDING = "pending"
    RUNNING = "running"
    COMPLETED = "completed"
    FAILED = "failed"

    @property
    def finished(self) -> bool:
        return self in (TaskStatus.COMPLETED, TaskStatus.FAILED)


class Task(Aggregate):
    @event("Submitted")
    def __init__(
        self,
        id: UUID,  # noqa: A002  (passed in so replays are deterministic)
        kind: str,
        inputs: dict[str, Any],
        iterations: int,
        webhook_url: str | None,
        webhook_include_image: bool,
        owner_key_id: UUID,
        at: datetime,
    ) -> None:
        TaskKind(kind)
        if type(iterations) is not int or not 1 <= iterations <= MAX_ITERATIONS:
            raise ValueError(f"iterations must be 1..{MAX_ITERATIONS}")
        self.kind = kind
        self.inputs = dict(inputs)  # not the event's own dict: state never aliases an event
        self.iterations = iterations
        self.webhook_url = webhook_url
        self.webhook_include_image = webhook_include_image
        self.owner_key_id = owner_key_id
        self.status = TaskStatus.PENDING
        self.submitted_at = at
        self.started_at: datetime | None = None
        self.finished_at: datetime | None = None
        self.attempts = 0
        self.rounds: list[dict[str, Any]] = []
        self.image_ref: str | None = None
        self.artifacts: dict[str, str] = {}
        self.description: str | None = None
        self.error: str | None = None

    @property
    def last_seen_at(self) -> datetime:
        """The last sign of life: its submission, its start, or its latest round."""
        if self.rounds:
            return self.rounds[-1]["at"]
        return self.started_at or self.submitted_at

    def start(self, at: datetime) -> None:
        if self.status.finished:
            raise IllegalTransition(f"task is already {self.status.value}")
        self._started(at=at)

    @event("Started")
    def _started(self, at: datetime) -> None:
        self.started_at = at
        self.attempts += 1
        self.rounds = []
        self.status = TaskStatus.RUNNING

    def record_iteration(self, notes: list[str], at: datetime) -> None:
        """Record one critic->render round of the current attempt."""
        if self.status is not TaskStatus.RUNNING:
            raise IllegalTransition("only a running task records iterations")
        if len(self.rounds) >= self.iterations:
            raise IllegalTransition(f"task allows at most {self.iterations} iterations")
        self._iteration_recorded(iteration=len(self.rounds) + 1, notes=list(notes), at=at)

    @event("IterationRecorded")
    def _iteration_recorded(self, iteration: int, notes: list[str], at: datetime) -> None:
        self.rounds.append({"iteration": iteration, "notes": list(notes), "at": at})

    def complete(
        self, image_ref: str, description: str, artifacts: dict[str, str], at: datetime
    ) -> None:
        if self.status is not TaskStatus.RUNNING:
            raise IllegalTransition(f"a {self.status.value} task cannot complete")
        self._completed(image_ref=image_ref, description=description, artifacts=artifacts, at=at)

    @event("Completed")
    def _completed(
        self, image_ref: str, description: str, artifacts: dict[str, str], at: datetime
    ) -> None:
        self.image_ref = image_ref
        self.description = description
        self.artifacts = dict(artifacts)
        self.finished_at = at
        self.status = TaskStatus.COMPLETED

    def fail(self, error: str, at: datetime) -> None:
        if self.status.finished:
            raise IllegalTransition(f"task is already {self.status.value}")
        self._failed(error=error, at=at)

    @event("Failed")
    def _failed(self, error: str, at: datetime) -> None:
        self.error = error
        self.finished_at = at
        self.status = TaskStatus.FAILED

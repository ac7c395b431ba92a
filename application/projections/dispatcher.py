"""Turns recorded submissions into jobs: side effects leave through the event store."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from application.ports import JobQueue
from domain.task import Task


class Dispatcher:
    """Enqueues a run for every Task.Submitted event it sees.

    Its position lives in memory: on start it begins at the head of the log and the
    unfinished tasks are re-dispatched from the tasks read model instead (jobs are
    idempotent, so a task dispatched twice still runs once).
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
            self._position = position
